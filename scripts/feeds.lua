-- feeds.lua: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the whole site and
-- for every topic and person that has articles, plus feeds.opml listing
-- them all, and <link rel="alternate"> data for the pages. Feeds need
-- absolute URLs, so nothing is written without base_url in site.yml.
-- site.yml: feeds: {items: 20, content: full | summary, entity_content: summary | full,
--                   formats: [atom, rss, json], opml: true}
-- (threads.lua and sources.lua add feeds for threads and sources, with lib/feed.lua)

local feed = require("lib.feed")

return {
  collections = function(site)
    if not feed.enabled(site) then
      briefing.log.info("feeds need base_url in site.yml (absolute URLs); no feeds written")
      return
    end
    local opml = {}
    local function make(title, description, home, prefix, articles)
      local links, f = feed.make(site, title, description, home, prefix, articles)
      if links[1] then -- the first format written
        opml[#opml + 1] = { title = title, xml_url = site.base_url .. links[1].url,
                            html_url = f.home }
      end
      return links
    end

    -- every page links the site's feeds (site.feeds in templates)
    site:set_data("feeds", make(site.title, site.description, site.base_url, "", site.articles))
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
          e.feeds = make(site.title .. ": " .. e.name, e.description or "", site.base_url .. e.url,
                         e.url, l)
        end
      end
    end
    local conf = type(site.config.feeds) == "table" and site.config.feeds or {}
    if conf.opml ~= false and #opml > 0 then
      site:add_page{ url = "feeds.opml", template = "opml", kind = "feed", title = "Feeds",
                     data = { feeds = opml } }
    end
  end,
}
