-- indexes.lua: one page per topic and per person listing every article
-- that names them (newest first), plus the topic and people index pages.
-- A topic or person with its own file gets a page even with no articles,
-- unless site.yml says `indexes: {empty: false}`.

local paginate = require("lib.paginate")
local by_entity = require("lib.by_entity")

local function by_name(key)
  return function(a, b) return a[key]:lower() < b[key]:lower() end
end

local function index(site, kind, entities, template, list_template, title)
  local lists = by_entity(site, kind)
  local conf = site.config.indexes or {}
  local empty = conf.empty ~= false
  local listed = {}
  for _, e in ipairs(entities) do
    local articles = lists[e] or {}
    if #articles > 0 or (e.path and empty) then
      e.articles = articles
      e.count = #articles
      listed[#listed + 1] = e
      paginate.pages(e.url, articles, paginate.size(site), function(url, slice, pager, n)
        site:add_page{ url = url, template = template, kind = template,
                       title = n == 1 and e.name or (e.name .. " (page " .. n .. ")"),
                       data = { [template] = e, articles = slice, pager = pager } }
      end)
    end
  end
  table.sort(listed, by_name("name"))
  site:add_page{ url = kind .. "/", template = list_template, kind = list_template,
                 title = title, data = { [kind] = listed } }
end

return {
  collections = function(site)
    index(site, "topics", site.topics, "topic", "topics", "Topics")
    index(site, "people", site.people, "person", "people", "People")
  end,
}
