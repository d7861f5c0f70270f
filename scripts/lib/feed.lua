-- lib/feed.lua: one feed in three formats (Atom 1.0, RSS 2.0, JSON Feed
-- 1.1) over a list of articles, newest first, at PREFIX feed.xml, rss.xml
-- and feed.json. Used by feeds.lua, threads.lua and sources.lua:
--   local feed = require("lib.feed")
--   if feed.enabled(site) then x.feeds = feed.make(site, title, description, home, prefix, articles) end
-- site.yml: feeds: {items: 20, content: full | summary,
--                   entity_content: summary | full, formats: [atom, rss, json]}
-- make() works in site hooks and keyed steps alike and never warns:
-- feed.check(site) does, from feeds.lua's start step (once a build).
-- `content` is for the site's own feed (prefix ""), full articles by
-- default; `entity_content` for the feeds of topics, people, sources,
-- threads and other entities, summaries by default: each article is in
-- the feeds of everyone and everything it names, and whole articles in
-- all of them would make the feeds most of the site's bytes.

local config = require("lib.config")

local M = {}

-- format -> file name, template, MIME type, label
local FORMATS = {
  atom = { file = "feed.xml", template = "atom", type = "application/atom+xml", label = "Atom" },
  rss = { file = "rss.xml", template = "rss", type = "application/rss+xml", label = "RSS" },
  json = { file = "feed.json", template = "feed.json", type = "application/feed+json",
           label = "JSON Feed" },
}

-- The formats site.yml asks for (all three by default); calls warn(keys,
-- message) for a name it does not know.
local function formats(conf, warn)
  local list = conf.formats or { "atom", "rss", "json" }
  local chosen = {}
  local listed = type(list) == "table"
  for i, f in ipairs(listed and list or { list }) do
    local known = FORMATS[f]
    if known then
      chosen[#chosen + 1] = known
    elseif warn then
      warn(listed and { "feeds", "formats", i } or { "feeds", "formats" },
           "feeds: unknown format '" .. tostring(f) .. "' (atom, rss or json)")
    end
  end
  return chosen
end

-- Whole articles or summaries: the site's feed follows `content` (full by
-- default), the others `entity_content` (summaries by default). Calls
-- warn(keys, message) for a value other than full or summary.
local function full_content(conf, site_feed, warn)
  local key = site_feed and "content" or "entity_content"
  local mode = conf[key]
  if mode == nil then return site_feed end
  if mode ~= "full" and mode ~= "summary" and warn then
    warn({ "feeds", key },
         "feeds: " .. key .. ": expected full or summary, found '" .. tostring(mode) .. "'")
  end
  return mode ~= "summary"
end

-- site.yml `feeds:` as lib/config.lua reads it (check() reports errors)
local SHAPE = { items = "number", content = "text", entity_content = "text",
                formats = "names", opml = "boolean" }
function M.settings(site)
  return config.read(site, "feeds", SHAPE)
end

-- Reports the feeds: settings of the wrong type (errors), else warns about
-- those it cannot use, in the order make() reads them, each at its place
-- in site.yml. Once a build: feeds.lua calls it from its start step
-- (make() runs on every Lua state, and keeps quiet).
function M.check(site)
  if config.check(site, "feeds", SHAPE) > 0 then return end
  local conf = M.settings(site)
  local function warn(keys, message) config.warn(site, keys, message) end
  full_content(conf, true, warn)
  formats(conf, warn)
  full_content(conf, false, warn)
end

-- Feeds need absolute URLs: nothing is written without base_url.
function M.enabled(site)
  return site.base_url ~= ""
end

-- The absolute address of a page of the site. With clean_urls off (in
-- site.yml or on the command line) "x/" is written as "x.html":
-- site.clean_urls tells which.
function M.permalink(site, url)
  local clean = site.clean_urls
  if clean == nil then -- an older engine: the articles' permalinks tell
    local a = site.articles and site.articles[1]
    clean = not a or a.permalink == site.base_url .. a.url
  end
  if clean or url:sub(-1) ~= "/" then return site.base_url .. url end
  return site.base_url .. (url == "/" and "index.html" or url:sub(1, -2) .. ".html")
end

-- The feed's <updated>: the latest change among its entries (a brief's
-- `updated` date, else its date); an engine without updated_* fields gives
-- the newest entry's date.
function M.updated(entries)
  local best
  for i = 1, #entries do
    local a = entries[i]
    if not best or (a.updated_timestamp or 0) > (best.updated_timestamp or 0) then best = a end
  end
  return best and (best.updated_iso or best.date_iso) or "1970-01-01T00:00:00Z"
end

-- feeds.opml entries for feeds other scripts write (threads, sources):
-- their emit files {title, url} under the "feeds" group at key (a
-- "<kind>:<slug>"), and feeds.lua's group step makes the entry from it
-- with opml_entry. Nothing is filed without feeds.
function M.opml_record(site, emit, key, name, url)
  if M.enabled(site) then emit("feeds", key, { title = name, url = url }) end
end

-- The feeds.opml entry of the feed of the page at url, called name.
function M.opml_entry(site, key, name, url)
  local first = formats(M.settings(site))[1]
  return { key = key, title = site.title .. ": " .. name, html_url = M.permalink(site, url),
           xml_url = first and site.base_url .. url .. first.file or nil }
end

-- Writes a page per format; returns the <link rel="alternate"> data for the
-- page the feed follows, and the feed (for feeds.opml).
function M.make(site, title, description, home, prefix, articles)
  local conf = M.settings(site)
  local limit = tonumber(conf.items) or 20
  local base = site.base_url
  local entries = {}
  for i = 1, math.min(limit, #articles) do entries[i] = articles[i] end
  local feed = {
    title = title, description = description ~= "" and description or title,
    home = home, id = home,
    self_atom = base .. prefix .. "feed.xml", self_rss = base .. prefix .. "rss.xml",
    self_json = base .. prefix .. "feed.json",
    updated = M.updated(entries),
    entries = entries, full = full_content(conf, prefix == ""),
  }
  if feed.full then
    -- an entry's HTML is read away from its page: RSS and JSON Feed have
    -- no xml:base, so its links are made absolute (once an article)
    for i = 1, #entries do
      local a = entries[i]
      if a.content_absolute == nil then
        a.content_absolute = briefing.absolute_urls(a.content or "", a.permalink)
      end
    end
  end
  local links = {}
  for _, f in ipairs(formats(conf)) do
    site:add_page{ url = prefix .. f.file, template = f.template, kind = "feed", title = title,
                   data = { feed = feed } }
    links[#links + 1] = { type = f.type, title = title .. " (" .. f.label .. ")",
                          url = prefix .. f.file }
  end
  return links, feed
end

return M
