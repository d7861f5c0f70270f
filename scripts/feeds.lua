-- feeds.lua: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the whole site and
-- for every topic and person that has articles, plus feeds.opml listing
-- them all, and <link rel="alternate"> data for the pages. Feeds need
-- absolute URLs, so nothing is written without base_url in site.yml.
-- site.yml: feeds: {items: 20, content: full | summary}

local function links(title, prefix)
  return {
    { type = "application/atom+xml", title = title .. " (Atom)", url = prefix .. "feed.xml" },
    { type = "application/rss+xml", title = title .. " (RSS)", url = prefix .. "rss.xml" },
    { type = "application/feed+json", title = title .. " (JSON Feed)", url = prefix .. "feed.json" },
  }
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
      site:add_page{ url = prefix .. "feed.xml", template = "atom", kind = "feed", title = title,
                     data = { feed = feed } }
      site:add_page{ url = prefix .. "rss.xml", template = "rss", kind = "feed", title = title,
                     data = { feed = feed } }
      site:add_page{ url = prefix .. "feed.json", template = "feed.json", kind = "feed",
                     title = title, data = { feed = feed } }
      opml[#opml + 1] = { title = title, xml_url = feed.self_atom, html_url = feed.home }
      return links(title, prefix)
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
    site:add_page{ url = "feeds.opml", template = "opml", kind = "feed", title = "Feeds",
                   data = { feeds = opml } }
  end,
}
