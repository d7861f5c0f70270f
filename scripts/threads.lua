-- threads.lua: story threads. `thread: NAME` in an article's front matter
-- puts it in the thread NAME (matched by slug: case and punctuation do not
-- matter). Each thread gets a page at threads/<slug>/ telling the whole
-- story oldest first; threads/ lists the threads, latest news first; each
-- brief in a thread gets `thread` (title, url, count, position, next) and
-- `previously` (the briefs before it, at most `threads: {previously: N}`,
-- default 5). data/threads.yml (optional) gives threads a title and a
-- description; when it exists, a name missing from it gets a warning at
-- the article's line, and still makes a thread. With base_url, each thread
-- has feeds (threads/<slug>/feed.xml, rss.xml, feed.json; lib/feed.lua).
--
-- Keyed steps (briefing-lua(7)): emit files each brief with a thread under
-- the thread's slug in group "threads" (with the name it wrote); the group
-- step of a thread sets its briefs' fields and writes its page and feeds;
-- finish writes threads/ from the threads' summaries, which are also
-- site.collections.threads (title, slug, url, description, count, first,
-- latest, last, feeds, articles oldest first, updated).

local feed = require("lib.feed")
local registry = require("lib.registry")
local config = require("lib.config")
local warn = require("lib.report").warn -- at the line of a front-matter key
local known = registry.load("threads")

-- The thread name an article gives, or nil.
local function name_of(value)
  if type(value) == "number" then value = tostring(value) end
  if type(value) == "string" and briefing.slugify(value) ~= "" then return value end
  return nil
end

local function item(a)
  return { title = a.title, url = a.url, date_display = a.date_display, date_iso = a.date_iso }
end

-- site.yml `threads:` (lib/config.lua; start reports errors)
local SHAPE = { previously = "number" }
local function previously_kept(site)
  return tonumber(config.read(site, "threads", SHAPE).previously) or 5
end

-- The thread named `name` (the oldest brief's name for it), without its briefs.
local function thread_of(slug, name)
  local entry = registry.find(known, name)
  local title = entry and (type(entry.title) == "string" and entry.title or entry.name)
  return { title = title or name, slug = slug, url = "threads/" .. slug .. "/",
           description = entry and type(entry.description) == "string" and entry.description or "" }
end

-- Sets `thread` and `previously` on each brief of t (oldest first).
local function link_briefs(t, items, keep)
  local n = #t.articles
  for j = 1, n do
    local a = t.articles[j]
    a.thread = { title = t.title, url = t.url, slug = t.slug, count = n, position = j,
                 next = items[j + 1] }
    if j > 1 then
      local before = {}
      for k = math.max(1, j - keep), j - 1 do before[#before + 1] = items[k] end
      a.previously = before
    end
  end
end

-- The thread page: the thread (t is the page's `thread`, so it holds
-- exactly what templates may look up in it) and its feeds.
local function add_pages(site, t, newest)
  if feed.enabled(site) then
    t.feeds = feed.make(site, site.title .. ": " .. t.title, t.description,
                        feed.permalink(site, t.url), t.url, newest)
  end
  site:add_page{ url = t.url, template = "thread", kind = "thread", title = t.title,
                 data = { thread = t, description = t.description ~= "" and t.description
                          or ("The story so far, in " .. t.count .. (t.count == 1 and " brief." or " briefs.")) } }
end

return {
  -- checks the reference where its line is known: filters see meta_lines
  Document = function(_, article)
    local value = article.meta.thread
    if value == nil or value == "" then return nil end -- "" is no thread
    local name = name_of(value)
    if not name then
      warn(article, "thread", "thread: expected the name of a story, found %s",
           type(value) == "string" and ('"' .. value .. '"') or ("a " .. type(value)))
      article.meta.thread = nil
    elseif known and not registry.find(known, name) then
      warn(article, "thread", "thread \"%s\" is not in data/threads.yml", name)
    end
  end,

  start = function(site)
    config.check(site, "threads", SHAPE)
  end,

  emit = function(a, emit)
    local name = name_of(a.thread) -- the front matter's: the group step sets the field
    if name then
      local entry = registry.find(known, name)
      local slug = entry and entry.slug or briefing.slugify(name)
      emit("threads", slug, name)
      -- feeds.opml lists the thread's feed (feeds.lua; the oldest brief's name wins)
      local t = thread_of(slug, name)
      feed.opml_record(briefing.site, emit, "threads:" .. slug, t.title, t.url)
    end
  end,

  group = {
    -- records: the thread's briefs, newest first; the oldest names it
    threads = function(slug, records, site)
      local n = #records
      local t = thread_of(slug, records[n].value)
      local articles, items, newest = {}, {}, {}
      for j = 1, n do
        local a = records[n + 1 - j].article
        articles[j], items[j] = a, item(a)
        newest[j] = records[j].article
      end
      t.articles, t.count = articles, n
      link_briefs(t, items, previously_kept(site))
      t.first, t.latest = items[1], items[n]
      t.last = n > 1 and items[n] or nil -- the thread page's date range
      add_pages(site, t, newest)
      t.updated = newest[1].timestamp -- for finish, after the page has its copy
      return t
    end,
  },

  finish = {
    -- threads/: latest news first, then by title
    threads = function(summaries, site)
      if #summaries == 0 then return end
      local index, updated = {}, {}
      for i = 1, #summaries do
        local t = summaries[i].value
        local entry = { title = t.title, url = t.url, slug = t.slug, count = t.count,
                        description = t.description, first = t.first, latest = t.latest }
        updated[entry] = t.updated
        index[i] = entry
      end
      table.sort(index, function(x, y)
        if updated[x] ~= updated[y] then return updated[x] > updated[y] end
        if x.title:lower() ~= y.title:lower() then return x.title:lower() < y.title:lower() end
        return x.slug < y.slug
      end)
      site:add_page{ url = "threads/", template = "threads", kind = "threads", title = "Stories",
                     data = { threads = index,
                              description = "Every story followed across briefs, latest news first." } }
      site:set_data("threads_url", "threads/")
    end,
  },
}
