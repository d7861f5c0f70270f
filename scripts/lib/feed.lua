-- lib/feed.lua: one feed in three formats (Atom 1.0, RSS 2.0, JSON Feed
-- 1.1) over a list of articles, newest first, at PREFIX feed.xml, rss.xml
-- and feed.json. Used by feeds.lua, threads.lua and sources.lua:
--   local feed = require("lib.feed")
--   if feed.enabled(site) then x.feeds = feed.make(site, title, description, home, prefix, articles) end
-- site.yml: feeds: {items: 20, content: full | summary}

local M = {}

-- Feeds need absolute URLs: nothing is written without base_url.
function M.enabled(site)
  return site.base_url ~= ""
end

-- The absolute address of a page of the site. With clean_urls off (in
-- site.yml or on the command line) "x/" is written as "x.html": the
-- articles' permalinks, made by the engine, tell which.
function M.permalink(site, url)
  local a = site.articles[1]
  local clean = not a or a.permalink == site.base_url .. a.url
  if clean or url:sub(-1) ~= "/" then return site.base_url .. url end
  return site.base_url .. (url == "/" and "index.html" or url:sub(1, -2) .. ".html")
end

-- Writes the three pages; returns the <link rel="alternate"> data for the
-- page the feed follows, and the feed (for feeds.opml).
function M.make(site, title, description, home, prefix, articles)
  local conf = type(site.config.feeds) == "table" and site.config.feeds or {}
  local limit = tonumber(conf.items) or 20
  local base = site.base_url
  local entries = {}
  for i = 1, math.min(limit, #articles) do entries[i] = articles[i] end
  local feed = {
    title = title, description = description ~= "" and description or title,
    home = home, id = home,
    self_atom = base .. prefix .. "feed.xml", self_rss = base .. prefix .. "rss.xml",
    self_json = base .. prefix .. "feed.json",
    updated = entries[1] and entries[1].date_iso or "1970-01-01T00:00:00Z",
    entries = entries, full = conf.content ~= "summary",
  }
  site:add_page{ url = prefix .. "feed.xml", template = "atom", kind = "feed", title = title,
                 data = { feed = feed } }
  site:add_page{ url = prefix .. "rss.xml", template = "rss", kind = "feed", title = title,
                 data = { feed = feed } }
  site:add_page{ url = prefix .. "feed.json", template = "feed.json", kind = "feed",
                 title = title, data = { feed = feed } }
  return {
    { type = "application/atom+xml", title = title .. " (Atom)", url = prefix .. "feed.xml" },
    { type = "application/rss+xml", title = title .. " (RSS)", url = prefix .. "rss.xml" },
    { type = "application/feed+json", title = title .. " (JSON Feed)", url = prefix .. "feed.json" },
  }, feed
end

return M
