-- indexes.lua: one page per topic, per person and per typed entity
-- (organisations, countries: lib/entities.lua) listing every article that
-- names them (newest first, paged, grouped by month), with a chart of
-- briefs per week, the people most often named with them and their
-- topics; plus an index page per kind. A topic, person or entity with its
-- own file gets a page even with no articles (unless site.yml says
-- `indexes: {empty: false}`). Co-occurrence is counted
-- article by article (pairs within one article), never across articles.

local paginate = require("lib.paginate")
local by_entity = require("lib.by_entity")
local entities = require("lib.entities")
local chart = require("lib.chart")
local dates = require("lib.dates")

local TOP = 8 -- related people and topics shown

local function by_name(key)
  return function(a, b) return a[key]:lower() < b[key]:lower() end
end

-- counts[x][y] = articles naming both, for x any entity, y a person or topic
local function co_occurrence(site, kinds, typed)
  local people, topics = {}, {}
  local function bump(t, x, y)
    local m = t[x]
    if not m then m = {}; t[x] = m end
    m[y] = (m[y] or 0) + 1
  end
  local fields = {}
  for _, k in ipairs(typed) do if #k.items > 0 then fields[#fields + 1] = k end end
  for _, a in ipairs(site.articles) do
    local ps, ts = a.people, a.topics
    local all = {}
    for _, p in ipairs(ps) do all[#all + 1] = p end
    for _, t in ipairs(ts) do all[#all + 1] = t end
    for _, k in ipairs(fields) do
      local names = a[k.key]
      if type(names) == "table" then
        for _, name in ipairs(names) do
          local e = k.find(name)
          if e then all[#all + 1] = e end
        end
      end
    end
    for _, x in ipairs(all) do
      for _, p in ipairs(ps) do if p ~= x then bump(people, x, p) end end
      for _, t in ipairs(ts) do if t ~= x then bump(topics, x, t) end end
    end
  end
  return people, topics
end

local function top(counts)
  local list = {}
  for e, n in pairs(counts or {}) do
    list[#list + 1] = { name = e.name, url = e.url, count = n }
  end
  table.sort(list, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.name:lower() < b.name:lower()
  end)
  for i = #list, TOP + 1, -1 do list[i] = nil end
  return list
end

local function months_of(slice)
  local months = dates.by_month(slice, function(a) return a.day end)
  for _, m in ipairs(months) do m.articles, m.items, m.key = m.items, nil, nil end
  return months
end

-- One paged page per entity, listing its articles.
local function pages(site, e, articles, template, key, what, co_people, co_topics)
  e.articles = articles
  e.count = #articles
  e.related_people = top(co_people[e])
  e.related_topics = top(co_topics[e])
  e.has_related_people = #e.related_people > 0
  e.has_related_topics = #e.related_topics > 0
  e.has_related = e.has_related_people or e.has_related_topics
  local activity = chart(articles, what .. " " .. e.name .. ", per week")
  paginate.pages(e.url, articles, paginate.size(site), function(url, slice, pager, n)
    site:add_page{ url = url, template = template, kind = template,
                   title = n == 1 and e.name or (e.name .. " (page " .. n .. ")"),
                   data = { [key] = e, articles = slice, months = months_of(slice),
                            pager = pager, chart = n == 1 and activity or nil } }
  end)
end

local function index(site, kind, list, template, list_template, title, what, co_people, co_topics)
  local lists = by_entity(site, kind)
  local conf = site.config.indexes or {}
  local empty = conf.empty ~= false
  local listed = {}
  for _, e in ipairs(list) do
    local articles = lists[e] or {}
    if #articles > 0 or (e.path and empty) then
      pages(site, e, articles, template, template, what, co_people, co_topics)
      listed[#listed + 1] = e
    end
  end
  table.sort(listed, by_name("name"))
  site:add_page{ url = kind .. "/", template = list_template, kind = list_template,
                 title = title, data = { [kind] = listed } }
end

return {
  collections = function(site)
    local typed = entities.kinds(site)
    local co_people, co_topics = co_occurrence(site, nil, typed)
    index(site, "topics", site.topics, "topic", "topics", "Topics", "Briefs on",
          co_people, co_topics)
    index(site, "people", site.people, "person", "people", "People", "Briefs naming",
          co_people, co_topics)
    -- organisations, countries, ...: the same pages, from lib/entities.lua
    local lists, nav = entities.lists(site), {}
    local countries
    for _, k in ipairs(typed) do
      if k.key == "countries" then countries = k end
      local listed = {}
      for _, e in ipairs(k.items) do
        pages(site, e, lists[e] or {}, "entity", "entity", "Briefs naming", co_people, co_topics)
        listed[#listed + 1] = e
      end
      if #listed > 0 then
        table.sort(listed, by_name("name"))
        site:add_page{ url = k.key .. "/", template = "entities", kind = "entities",
                       title = k.title, data = { entities = listed, kind_title = k.title } }
        nav[#nav + 1] = { title = k.title, url = k.key .. "/" }
      end
    end
    -- a person's country links to the country's page when there is one
    if countries and #countries.items > 0 then
      for _, p in ipairs(site.people) do
        local c = p.country
        local e = c and c ~= "" and countries.find(c)
        if e then p.country_url = e.url end
      end
    end
    site.collections.entity_kinds = typed
    if #nav > 0 then site:set_data("sections", nav) end
  end,
}
