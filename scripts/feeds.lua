-- feeds.lua: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the whole site and
-- for every topic and person that has articles, plus feeds.opml listing
-- them all, and <link rel="alternate"> data for the pages. Feeds need
-- absolute URLs, so nothing is written without base_url in site.yml.
-- site.yml: feeds: {items: 20, content: full | summary,
--                   formats: [atom, rss, json], opml: true}

-- format -> file name, template, MIME type, label
local FORMATS = {
  atom = { file = "feed.xml", template = "atom", type = "application/atom+xml", label = "Atom" },
  rss = { file = "rss.xml", template = "rss", type = "application/rss+xml", label = "RSS" },
  json = { file = "feed.json", template = "feed.json", type = "application/feed+json",
           label = "JSON Feed" },
}

local function formats(conf)
  local list = conf.formats or { "atom", "rss", "json" }
  local out = {}
  for _, f in ipairs(type(list) == "table" and list or { list }) do
    local known = FORMATS[f]
    if known then
      out[#out + 1] = known
    else
      briefing.log.warn("feeds: unknown format '" .. tostring(f) .. "' (atom, rss or json)")
    end
  end
  return out
end

return {
  collections = function(site)
    local base = site.base_url
    if base == "" then
      briefing.log.info("feeds need base_url in site.yml (absolute URLs); no feeds written")
      return
    end
    local conf = site.config.feeds or {}
    local limit = tonumber(conf.items) or 20
    local full = conf.content ~= "summary"
    local kinds = formats(conf)
    local opml = {}

    local function make(title, description, home, prefix, articles)
      local entries = {}
      for i = 1, math.min(limit, #articles) do entries[i] = articles[i] end
      local feed = {
        title = title, description = description ~= "" and description or title,
        home = home, id = home,
        self_atom = base .. prefix .. "feed.xml", self_rss = base .. prefix .. "rss.xml",
        self_json = base .. prefix .. "feed.json",
        updated = entries[1] and entries[1].date_iso or "1970-01-01T00:00:00Z",
        entries = entries, full = full,
      }
      local links = {}
      for _, f in ipairs(kinds) do
        site:add_page{ url = prefix .. f.file, template = f.template, kind = "feed", title = title,
                       data = { feed = feed } }
        links[#links + 1] = { type = f.type, title = title .. " (" .. f.label .. ")",
                              url = prefix .. f.file }
      end
      local first = kinds[1] and (base .. prefix .. kinds[1].file) or feed.self_atom
      opml[#opml + 1] = { title = title, xml_url = first, html_url = feed.home }
      return links
    end

    -- every page links the site's feeds (site.feeds in templates)
    site:set_data("feeds", make(site.title, site.description, base, "", site.articles))
    local lists = require("lib.by_entity")(site, "topics", "people")
    for _, kind in ipairs({ site.topics, site.people }) do
      for _, e in ipairs(kind) do
        local l = lists[e]
        if l then
          local title = site.title .. ": " .. e.name
          e.feeds = make(title, e.description or e.role or "", e.permalink, e.url, l)
        end
      end
    end
    -- organisations, countries, ... (lib/entities.lua)
    local typed = require("lib.entities")
    local elists = typed.lists(site)
    for _, k in ipairs(typed.kinds(site)) do
      for _, e in ipairs(k.items) do
        local l = elists[e]
        if l then
          e.feeds = make(site.title .. ": " .. e.name, e.description or "", base .. e.url, e.url, l)
        end
      end
    end
    if conf.opml ~= false and #kinds > 0 then
      site:add_page{ url = "feeds.opml", template = "opml", kind = "feed", title = "Feeds",
                     data = { feeds = opml } }
    end
  end,
}
