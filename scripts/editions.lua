-- editions.lua: groups published articles into editions (daily by default;
-- weekly, monthly, or custom periods that start at each edition front
-- page), links each article to its edition and its neighbours in it, and
-- makes one (paged) page per edition with its email versions, the home
-- page and the edition archive (paged, and by year and month). Uses only
-- the public site API (briefing-lua(7)).
--
-- Keyed steps, all in group "editions", whose key is an edition's first
-- day (2017-12-11), or its month (2017-12) for monthly editions:
--   start     checks site.yml and files each front page under its key;
--   emit      files each article under the key of its edition;
--   group     makes one edition: the object site:object("edition", key),
--             its pages, its articles' edition/prev/next; returns a summary;
--   finish    links neighbour editions; makes the home page and archive;
--             sets site.content_year, the year of the latest edition.
-- Later scripts find the summaries, oldest first, in
-- site.collections.editions ({title, url, day, date_display, date_iso,
-- count, words, lede}); site:object("edition", summary.day) is the whole
-- edition (articles in order, topics, note, next, prev ...).
--
-- site.yml: editions: {period: daily | weekly | monthly | custom,
--                      starts: monday, words: 1500, recent: 7, home: 5}
--           email: {content: full | summary} (lib/email.lua)
-- options (filters: [{script: editions.lua, options: {...}}]): email: false
-- (no email.html and email.txt per edition), recent: N (wins over site.yml).
-- content/editions/<key>.md (optional, one per edition): title, lede,
-- order (article slugs listed first, in that order) and, as its body, an
-- editor's note. <key> is any day of the edition (2017-12-12), or the
-- month (2017-12) for monthly editions; with period: custom each file
-- starts an edition that runs until the next one. A front page whose
-- edition has no articles makes nothing.

local options = ... or {}
local paginate = require("lib.paginate")
local dates = require("lib.dates")
local config = require("lib.config")
local email = require("lib.email")
local emails = options.email ~= false -- email.html and email.txt per edition

-- Emails only with base_url: a mail client has no page to resolve a
-- relative link against.
local function email_wanted(site) return emails and site.base_url ~= "" end

local PERIODS = { daily = true, weekly = true, monthly = true, custom = true }
local WEEKDAYS = { monday = 0, tuesday = 1, wednesday = 2, thursday = 3, friday = 4,
                   saturday = 5, sunday = 6 }

-- ---- settings and keys (every step) ----

-- site.yml `editions:` (lib/config.lua; `editions: weekly` is short for
-- {period: weekly}); `words` is the budget `briefing check` reads.
local SHAPE = { period = "text", starts = "text", words = "number", recent = "number",
                home = "number" }

-- The settings as every step reads them.
local function settings(site)
  local c = config.read(site, "editions", SHAPE, "period")
  return { period = c.period or "daily", recent = tonumber(options.recent or c.recent) or 7,
           home = tonumber(c.home) or 5,
           weekday = WEEKDAYS[tostring(c.starts or "monday"):lower()] or 0 }
end

-- Reports what is wrong with the settings (start: once a build).
local function check_settings(site)
  if config.check(site, "editions", SHAPE, "period") > 0 then return end
  local c = config.read(site, "editions", SHAPE, "period")
  if c.period ~= nil and not PERIODS[c.period] then
    config.error(site, { "editions", "period" }, "editions: period: expected daily, weekly, "
                 .. "monthly or custom, found \"" .. tostring(c.period) .. "\"")
  end
  if c.starts ~= nil and not WEEKDAYS[tostring(c.starts):lower()] then
    config.error(site, { "editions", "starts" }, "editions: starts: expected a day of the "
                 .. "week, found \"" .. tostring(c.starts) .. "\"")
  end
end

-- Edition front pages (briefing.content("editions")) with a well-formed
-- name, each as {file, day}, and their days sorted; bad(file) is called
-- for each other file.
local function front_pages(files, bad)
  local found, days = {}, {}
  for _, f in ipairs(files) do
    local day = f.slug:match("^%d%d%d%d%-%d%d%-%d%d$") and f.slug
                or (f.slug:match("^%d%d%d%d%-%d%d$") and f.slug .. "-01")
    if day then
      found[#found + 1] = { file = f, day = day }
      days[#days + 1] = day
    elseif bad then
      bad(f)
    end
  end
  table.sort(days)
  return found, days
end

-- The key of the edition holding a day: the day (daily), the first day
-- of its week, its month, or (custom) the last start on or before it,
-- the first start for days before every start. Custom without front
-- pages is daily.
local function key_function(conf, starts)
  if conf.period == "weekly" then
    return function(day)
      return dates.day(dates.week_start(dates.days(day), conf.weekday))
    end
  elseif conf.period == "monthly" then
    return function(day) return day:sub(1, 7) end
  elseif conf.period == "custom" and #starts > 0 then
    return function(day)
      local lo, hi = 1, #starts
      if day < starts[1] then return starts[1] end
      while lo < hi do
        local mid = (lo + hi + 1) // 2
        if starts[mid] <= day then lo = mid else hi = mid - 1 end
      end
      return starts[lo]
    end
  end
  return function(day) return day end
end

-- This state's key function, made on the first emit from site.yml and
-- (custom only) the front pages' names: the same on every state. A front
-- page that does not parse leaves it daily; start() reports the error.
local key_of
local function edition_key(day)
  if not key_of then
    local conf = settings(briefing.site)
    local starts = {}
    if conf.period == "custom" then
      local ok, files = pcall(briefing.content, "editions")
      starts = select(2, front_pages(ok and files or {}))
    end
    key_of = key_function(conf, starts)
  end
  return key_of(day)
end

-- ---- start: settings and front pages, once per build ----

-- What an edition takes from its front page (a file of briefing.content).
local function front_record(file)
  local meta, order = file.meta, nil
  if type(meta.order) == "table" then
    order = {}
    for _, slug in ipairs(meta.order) do order[#order + 1] = tostring(slug) end
  end
  return { path = file.path, order = order,
           title = meta.title and tostring(meta.title) or nil,
           lede = meta.lede and tostring(meta.lede) or nil,
           note = file.content ~= "" and file.content or nil }
end

local function warn_name(file)
  briefing.log.warn(file.path .. ":1:1: edition front page: expected a name like "
                    .. "2017-12-12.md (or 2017-12.md), found \"" .. file.slug .. "\"")
end

-- Files each front page under its edition's key (the last file by name
-- wins when two fall in one edition).
local function file_front_pages(conf, emit)
  local found, days = front_pages(briefing.content("editions"), warn_name)
  local key = key_function(conf, days)
  local by_key, keys = {}, {}
  for _, f in ipairs(found) do
    local k = key(f.day)
    if not by_key[k] then keys[#keys + 1] = k end
    by_key[k] = f.file
  end
  for _, k in ipairs(keys) do emit("editions", k, front_record(by_key[k])) end
end

-- ---- group: one edition ----

-- The front page (a record without an article, from start) and the
-- articles, newest first, of one key's records.
local function split(records)
  local front, articles = nil, {}
  for i = 1, #records do
    local r = records[i]
    if r.article then articles[#articles + 1] = r.article else front = r.value end
  end
  return front, articles
end

-- The first day and default title of the edition with this key. A custom
-- edition is keyed by the day of the front page that starts it, so each
-- has one; with no front pages at all, custom editions are daily.
local function heading(conf, key, front)
  if conf.period == "weekly" then
    return key, "Week of " .. briefing.date(key).display
  elseif conf.period == "monthly" then
    return key .. "-01", dates.month_title(key .. "-01")
  elseif conf.period == "custom" and front then
    return key, "From " .. briefing.date(key).display
  end
  return key, briefing.date(key).display
end

-- The articles in the order the front page asks for: listed slugs first,
-- the rest newest first.
local function in_order(articles, front, title)
  local order = front and front.order
  if not order then return articles end
  local by_slug, placed, out = {}, {}, {}
  for _, a in ipairs(articles) do by_slug[a.slug] = a end
  for _, slug in ipairs(order) do
    local a = by_slug[slug]
    if a and not placed[a] then
      placed[a] = true
      out[#out + 1] = a
    elseif not a then
      briefing.log.warn(front.path .. ":1:1: order: no article \"" .. slug
                        .. "\" in the edition of " .. title)
    end
  end
  for _, a in ipairs(articles) do
    if not placed[a] then out[#out + 1] = a end
  end
  return out
end

-- The edition's topics at a glance: {title, url, count}, most briefs first.
local function topics_of(articles)
  local counts, list = {}, {}
  for _, a in ipairs(articles) do
    for _, t in ipairs(a.topics) do
      local c = counts[t]
      if not c then
        c = { title = t.title, url = t.url, count = 0 }
        counts[t] = c
        list[#list + 1] = c
      end
      c.count = c.count + 1
    end
  end
  table.sort(list, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    return x.title:lower() < y.title:lower()
  end)
  return list
end

-- The words of the edition's articles (`briefing check` compares them with
-- the budget, editions: words).
local function words_of(articles)
  local words = 0
  for _, a in ipairs(articles) do words = words + (a.word_count or 0) end
  return words
end

-- The edition's fields (next and prev come from finish).
local function edition_of(conf, key, front, articles, with_email)
  local first, title = heading(conf, key, front)
  local e = { day = key, date_display = briefing.date(first).display, date_iso = first,
              title = title, url = "editions/" .. key .. "/", period = conf.period }
  if front then
    e.title, e.lede, e.note = front.title or e.title, front.lede, front.note
  end
  e.articles = in_order(articles, front, e.title)
  e.count = #e.articles
  e.words = words_of(e.articles)
  e.topics = topics_of(e.articles)
  e.has_topics = #e.topics > 0
  if with_email then
    e.email_url, e.text_url = e.url .. "email.html", e.url .. "email.txt"
  end
  return e
end

-- Field by field, in a fixed order (pairs has none).
local FIELDS = { "day", "title", "url", "date_display", "date_iso", "period", "lede", "note",
                 "articles", "count", "words", "topics", "has_topics", "email_url", "text_url" }

local function store(site, key, e)
  local edition = site:object("edition", key)
  for _, name in ipairs(FIELDS) do
    if e[name] ~= nil then edition[name] = e[name] end
  end
  return edition
end

local function link(x)
  return x and { title = x.title, url = x.url } or nil
end

-- Each article's edition, and its neighbours in the edition.
local function link_articles(e)
  local list = e.articles
  local edition = { title = e.title, url = e.url, day = e.day }
  for j, a in ipairs(list) do
    a.edition = edition
    if j > 1 then a.prev = link(list[j - 1]) end
    if j < #list then a.next = link(list[j + 1]) end
  end
end

-- The edition as an email (inline styles, absolute links) and as text,
-- each brief whole or as its card (lib/email.lua).
local function add_email_pages(site, e, edition)
  local title = site.title .. ": " .. e.title
  local html, text = email.briefs(site, e.articles)
  site:add_page{ url = e.email_url, template = "email-html", kind = "email", title = title,
                 data = { edition = edition, briefs = html } }
  site:add_page{ url = e.text_url, template = "email-txt", kind = "email", title = title,
                 data = { edition = edition, briefs = text } }
end

local function add_edition_pages(site, e, edition)
  paginate.pages(e.url, e.articles, paginate.size(site), function(url, slice, pager, n)
    site:add_page{ url = url, template = "edition", kind = "edition",
                   title = n == 1 and ("Edition of " .. e.title)
                           or ("Edition of " .. e.title .. " (page " .. n .. ")"),
                   data = { edition = edition, articles = slice, pager = pager,
                            description = e.lede } }
  end)
end

-- What finish and later scripts get: an archive entry, and the words.
local function summary(e)
  return { title = e.title, url = e.url, day = e.day, date_display = e.date_display,
           date_iso = e.date_iso, count = e.count, words = e.words, lede = e.lede }
end

-- ---- finish: the whole archive, from the summaries ----

-- The editions newest first, as archive entries, and their keys.
local function newest_first(summaries)
  local list = {}
  for _, s in ipairs(summaries) do
    if s.value then list[#list + 1] = { key = s.key, summary = s.value } end
  end
  -- newest first, as before; keys (ISO days or months) sort the same way
  -- as first days, but the archive does not rely on it
  table.sort(list, function(x, y)
    if x.summary.date_iso ~= y.summary.date_iso then
      return x.summary.date_iso > y.summary.date_iso
    end
    return x.key > y.key
  end)
  local entries, keys = {}, {}
  for i, x in ipairs(list) do
    local s = x.summary
    entries[i] = { title = s.title, url = s.url, day = s.day, date_display = s.date_display,
                   date_iso = s.date_iso, count = s.count, lede = s.lede }
    keys[i] = x.key
  end
  return entries, keys
end

-- Each edition's next (newer) and prev (older) edition.
local function link_editions(site, entries, keys)
  for i, key in ipairs(keys) do
    local edition = site:object("edition", key)
    if i > 1 then edition.next = link(entries[i - 1]) end
    if i < #keys then edition.prev = link(entries[i + 1]) end
  end
end

-- The editions after the latest whose briefs the home page also shows,
-- until it shows at least `home` briefs: a short edition is never alone.
local function earlier(site, entries, keys, home)
  local list, shown = {}, entries[1] and entries[1].count or 0
  for i = 2, #keys do
    if shown >= home then break end
    list[#list + 1] = site:object("edition", keys[i])
    shown = shown + entries[i].count
  end
  return list
end

-- The latest edition in full, the briefs of the days before it when it is
-- short, and the `recent` editions before it.
local function add_home_page(site, entries, keys, conf)
  local previous = {}
  for i = 2, math.min(#entries, conf.recent + 1) do previous[#previous + 1] = entries[i] end
  local before = earlier(site, entries, keys, conf.home)
  site:add_page{ url = "", template = "home", kind = "home", title = site.title,
                 data = { edition = keys[1] and site:object("edition", keys[1]) or nil,
                          editions = previous, earlier = before, has_earlier = #before > 0 } }
end

-- Archive entries grouped by month: {{name, id, editions}}, in list order.
local function by_month(entries)
  local months = dates.by_month(entries, function(s) return s.date_iso end)
  for _, m in ipairs(months) do m.editions, m.items, m.key = m.items, nil, nil end
  return months
end

-- The years, newest first: {year, url, count, list}.
local function by_year(entries)
  local years, year_of = {}, {}
  for _, s in ipairs(entries) do
    local y = s.date_iso:sub(1, 4)
    local entry = year_of[y]
    if not entry then
      entry = { year = y, url = "editions/" .. y .. "/", count = 0, list = {} }
      year_of[y] = entry
      years[#years + 1] = entry
    end
    entry.count = entry.count + 1
    entry.list[#entry.list + 1] = s
  end
  return years
end

-- One page per year (months as sections), and every edition, paged.
local function add_archive_pages(site, entries)
  local years = by_year(entries)
  local year_links = {}
  for i, y in ipairs(years) do
    year_links[i] = { year = y.year, url = y.url, count = y.count }
  end
  for _, y in ipairs(years) do
    site:add_page{ url = y.url, template = "editions", kind = "editions",
                   title = "Editions of " .. y.year,
                   data = { editions = y.list, months = by_month(y.list), years = year_links,
                            year = y.year } }
  end
  paginate.pages("editions/", entries, paginate.size(site), function(url, slice, pager, n)
    site:add_page{ url = url, template = "editions", kind = "editions",
                   title = n == 1 and "Editions" or ("Editions (page " .. n .. ")"),
                   data = { editions = slice, months = by_month(slice), years = year_links,
                            pager = pager } }
  end)
end

-- ---- the steps: each a list of the functions above ----

local function start(site, emit)
  check_settings(site)
  email.check(site)
  if emails and not email_wanted(site) then
    -- a warning when site.yml says nothing; a note when it says base_url: ""
    -- (a starter site, or a site that chose to have no absolute links)
    local report = config.place(site, { "base_url" }) and config.note_missing or config.warn_missing
    report(site, "base_url", "email editions need base_url: their links must be "
      .. "absolute to work in a mail client; none written: set base_url: "
      .. "\"https://example.org/\" (your site's address), or email: false in editions.lua's options")
  end
  file_front_pages(settings(site), emit)
end

local function emit_article(article, emit)
  emit("editions", edition_key(article.day))
end

-- One edition: its object, its articles' links, its pages; its summary.
local function group(key, records, site)
  local front, articles = split(records)
  if #articles == 0 then return nil end -- a front page alone
  local e = edition_of(settings(site), key, front, articles, email_wanted(site))
  local edition = store(site, key, e)
  link_articles(e)
  if e.email_url then add_email_pages(site, e, edition) end
  add_edition_pages(site, e, edition)
  return summary(e)
end

-- Every edition: neighbours, the home page, the archive.
local function finish(summaries, site)
  local entries, keys = newest_first(summaries)
  link_editions(site, entries, keys)
  add_home_page(site, entries, keys, settings(site))
  -- the footer's year: the content's, not the build's
  if entries[1] then site:set_data("content_year", entries[1].date_iso:sub(1, 4)) end
  add_archive_pages(site, entries)
end

return {
  start = start,
  emit = emit_article,
  group = { editions = group },
  finish = { editions = finish },
}
