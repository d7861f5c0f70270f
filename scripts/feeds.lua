-- feeds.lua: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for the whole site and
-- for every topic, person and typed entity (lib/entities.lua) that has
-- articles, plus feeds.opml listing them all, and <link rel="alternate">
-- data for the pages (site data `feeds`, and `feeds` on each topic,
-- person and entity). Feeds need absolute URLs, so nothing is written
-- without base_url in site.yml.
-- site.yml: feeds: {items: 20, content: full | summary, entity_content: summary | full,
--                   formats: [atom, rss, json], opml: true}
-- (threads.lua and sources.lua add feeds for threads and sources, with lib/feed.lua)
--
-- Keyed steps (briefing-lua(7)), group "feeds", independent of
-- indexes.lua: emit files each article under "site" and under the key of
-- each entity it names ("topics:<slug>", "people:<slug>", "<kind>:<slug>",
-- see lib/entities.lua). The group step of a key writes its feed from the
-- key's first `items` articles and returns the feed's feeds.opml entry
-- {key, title, xml_url, html_url} (site.collections.feeds); finish writes
-- feeds.opml: the site's feed, then topics, people and typed entities in
-- site order, then the feeds threads.lua and sources.lua write (they file
-- "threads:<slug>" and "sources:<slug>" keys here for it).

local feed = require("lib.feed")
local entities = require("lib.entities")
local config = require("lib.config")

local GROUP = "feeds"

local settings = feed.settings -- site.yml `feeds:` (lib/config.lua)

-- start: checks the settings (errors and warnings once a build); the
-- site's feed exists even without articles
local function start(site, emit)
  feed.check(site)
  if not feed.enabled(site) then
    config.note_missing(site, "base_url", "feeds need base_url (absolute URLs); no feeds "
      .. "written: set base_url: \"https://example.org/\" (your site's address)")
    return
  end
  entities.kinds(site) -- reports errors in entities: and their files, once
  emit(GROUP, "site")
end

local function emit_article(a, emit)
  if not feed.enabled(briefing.site) then return end
  emit(GROUP, "site")
  local ts, ps = a.topics, a.people
  for i = 1, #ts do emit(GROUP, "topics:" .. ts[i].slug) end
  for i = 1, #ps do emit(GROUP, "people:" .. ps[i].slug) end
  entities.each_named(briefing.site, a, function(k, e)
    emit(GROUP, entities.key(k.key, e.slug))
  end)
end

-- The first n articles of a key's records (feed.make takes no more).
local function newest(records, n)
  local list = {}
  for i = 1, #records do
    if #list >= n then break end
    local a = records[i].article
    if a then list[#list + 1] = a end
  end
  return list
end

-- Writes the feed of key; returns its feeds.opml entry (no xml_url when
-- no format is written) and the links for the pages.
local function write(site, key, title, description, home, prefix, articles)
  local links, f = feed.make(site, title, description, home, prefix, articles)
  local entry = { key = key, title = title, html_url = f.home,
                  xml_url = links[1] and site.base_url .. links[1].url or nil }
  return entry, links
end

-- Keys other scripts file for feeds.opml (lib/feed.lua opml_record): the
-- kinds, in the order feeds.opml lists them after the entities.
local OPML_ONLY = { "threads", "sources" }

-- The feeds.opml entry of a thread's or source's feed, which its own
-- script writes; records[pick] names it. nil for other keys.
local function other_feed(key, records, site)
  for _, kind in ipairs(OPML_ONLY) do
    if key:sub(1, #kind + 1) == kind .. ":" then
      local v = records[kind == "threads" and #records or 1].value
      return feed.opml_entry(site, key, v.title, v.url)
    end
  end
end

local function group(key, records, site)
  local other = other_feed(key, records, site)
  if other then return other end
  local articles = newest(records, tonumber(settings(site).items) or 20)
  if key == "site" then
    local entry, links = write(site, key, site.title, site.description, site.base_url, "",
                               articles)
    -- every page links the site's feeds (site.feeds in templates)
    site:set_data("feeds", links)
    return entry
  end
  local e, kind = entities.of_key(site, key, records)
  local title = site.title .. ": " .. e.name
  if kind then
    local entry, links = write(site, key, title, e.description or "", site.base_url .. e.url, e.url,
                               articles)
    entities.object(site, e).feeds = links
    return entry
  end
  local entry, links = write(site, key, title, e.description or e.role or "", e.permalink, e.url,
                             articles)
  e.feeds = links
  return entry
end

-- feeds.opml, in the order the feeds were made before keyed steps: the
-- site's, then topics, people and each kind of typed entity in site order.
local function finish(summaries, site)
  local conf = settings(site)
  if conf.opml == false then return end
  local by_key = {}
  for i = 1, #summaries do by_key[summaries[i].key] = summaries[i].value end
  local opml = {}
  local function add(key)
    local entry = by_key[key]
    if entry and entry.xml_url then
      opml[#opml + 1] = { title = entry.title, xml_url = entry.xml_url,
                          html_url = entry.html_url }
    end
  end
  add("site")
  for _, field in ipairs({ "topics", "people" }) do
    for _, e in ipairs(site[field]) do add(entities.key(field, e.slug)) end
  end
  for _, k in ipairs(entities.kinds(site, true)) do
    for _, e in ipairs(k.items) do add(entities.key(k.key, e.slug)) end
  end
  -- threads and sources, each in slug order (summaries are in key order)
  for _, kind in ipairs(OPML_ONLY) do
    for i = 1, #summaries do
      local key = summaries[i].key
      if key:sub(1, #kind + 1) == kind .. ":" then add(key) end
    end
  end
  if #opml > 0 then
    site:add_page{ url = "feeds.opml", template = "opml", kind = "feed", title = "Feeds",
                   data = { feeds = opml } }
  end
end

return {
  start = start,
  emit = emit_article,
  group = { [GROUP] = group },
  finish = { [GROUP] = finish },
}
