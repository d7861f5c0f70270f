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

local feed = require("lib.feed")
local registry = require("lib.registry")
local known = registry.load("threads")

local function warn(article, key, fmt, ...)
  briefing.log.warn(string.format("%s:%d: " .. fmt, article.path,
                                  article.meta_lines[key] or 1, ...))
end

-- The thread name an article gives, or nil.
local function name_of(value)
  if type(value) == "number" then value = tostring(value) end
  if type(value) == "string" and briefing.slugify(value) ~= "" then return value end
  return nil
end

local function item(a)
  return { title = a.title, url = a.url, date_display = a.date_display, date_iso = a.date_iso }
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

  collections = function(site)
    local conf = type(site.config.threads) == "table" and site.config.threads or {}
    local keep = tonumber(conf.previously) or 5
    local threads, by_slug = {}, {}
    local articles = site.articles -- newest first
    for i = #articles, 1, -1 do
      local a = articles[i]
      local name = name_of(a.thread) -- the front matter's, until set below
      if name then
        local entry = registry.find(known, name)
        local slug = entry and entry.slug or briefing.slugify(name)
        local t = by_slug[slug]
        if not t then
          local title = entry and (type(entry.title) == "string" and entry.title or entry.name)
          t = { title = title or name, slug = slug,
                url = "threads/" .. slug .. "/",
                description = entry and type(entry.description) == "string" and entry.description or "",
                articles = {}, items = {} }
          by_slug[slug] = t
          threads[#threads + 1] = t
        end
        t.articles[#t.articles + 1] = a
        t.items[#t.items + 1] = item(a)
        t.updated = a.timestamp
      end
    end
    if #threads == 0 then return end

    local index, updated = {}, {}
    for _, t in ipairs(threads) do
      local n, items = #t.articles, t.items
      for j, a in ipairs(t.articles) do
        a.thread = { title = t.title, url = t.url, slug = t.slug, count = n, position = j,
                     next = items[j + 1] }
        if j > 1 then
          local before = {}
          for k = math.max(1, j - keep), j - 1 do before[#before + 1] = items[k] end
          a.previously = before
        end
      end
      t.count = n
      t.first, t.latest = items[1], items[n]
      t.last = n > 1 and items[n] or nil -- the thread page's date range
      t.items = nil
      local entry = { title = t.title, url = t.url, slug = t.slug, count = n,
                      description = t.description, first = t.first, latest = t.latest }
      updated[entry], t.updated = t.updated, nil
      index[#index + 1] = entry
    end
    site.collections.threads = threads

    for _, t in ipairs(threads) do
      if feed.enabled(site) then -- newest first, like every feed
        local newest = {}
        for k = #t.articles, 1, -1 do newest[#newest + 1] = t.articles[k] end
        t.feeds = feed.make(site, site.title .. ": " .. t.title, t.description,
                            feed.permalink(site, t.url), t.url, newest)
      end
      site:add_page{ url = t.url, template = "thread", kind = "thread", title = t.title,
                     data = { thread = t, description = t.description ~= "" and t.description
                              or ("The story so far, in " .. t.count .. (t.count == 1 and " brief." or " briefs.")) } }
    end
    -- latest news first, then by title
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
}
