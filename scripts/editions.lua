-- editions.lua: groups published articles into editions (daily by default;
-- weekly, monthly, or custom periods that start at each edition front
-- page), links each article to its edition and its neighbours in it, and
-- makes the home page, the edition archive (paged, and by year and month)
-- and one (paged) page per edition. Uses only the public site API
-- (briefing-lua(7)).
--
-- site.yml: editions: {period: daily | weekly | monthly | custom,
--                      starts: monday, words: 1500, recent: 7}
-- content/editions/<key>.md (optional, one per edition): title, lede,
-- order (article slugs listed first, in that order) and, as its body, an
-- editor's note. <key> is any day of the edition (2017-12-12), or the
-- month (2017-12) for monthly editions; with period: custom each file
-- starts an edition that runs until the next one.

local options = ... or {}
local paginate = require("lib.paginate")
local emails = options.email ~= false -- email.html and email.txt per edition

local dates = require("lib.dates")
local WEEKDAYS = { monday = 0, tuesday = 1, wednesday = 2, thursday = 3, friday = 4,
                   saturday = 5, sunday = 6 }

local function config(site)
  local c = site.config.editions
  if type(c) == "string" then c = { period = c } end
  if type(c) ~= "table" then c = {} end
  local period = c.period or "daily"
  if period ~= "daily" and period ~= "weekly" and period ~= "monthly" and period ~= "custom" then
    briefing.log.error("site.yml: editions: period: expected daily, weekly, monthly or custom, found \""
                       .. tostring(period) .. "\"")
  end
  local starts = WEEKDAYS[tostring(c.starts or "monday"):lower()]
  if not starts then
    briefing.log.error("site.yml: editions: starts: expected a day of the week, found \""
                       .. tostring(c.starts) .. "\"")
  end
  return { period = period, starts = starts or 0, words = tonumber(c.words),
           recent = tonumber(options.recent or c.recent) or 7 }
end

local month_title = dates.month_title

-- The key (first day, or YYYY-MM) and title of the edition a day belongs to.
local function keyer(conf, starts_list)
  if conf.period == "weekly" then
    return function(day)
      local first = dates.day(dates.week_start(dates.days(day), conf.starts))
      return first, "Week of " .. briefing.date(first).display, first
    end
  elseif conf.period == "monthly" then
    return function(day)
      return day:sub(1, 7), month_title(day), day:sub(1, 7) .. "-01"
    end
  elseif conf.period == "custom" and #starts_list > 0 then
    return function(day) -- the last start on or before the day (else the first)
      local lo, hi = 1, #starts_list
      if day < starts_list[1] then return starts_list[1] end
      while lo < hi do
        local mid = (lo + hi + 1) // 2
        if starts_list[mid] <= day then lo = mid else hi = mid - 1 end
      end
      return starts_list[lo]
    end
  end
  return function(day) return day, briefing.date(day).display, day end
end

local function summary(e)
  return { title = e.title, url = e.url, day = e.day, date_display = e.date_display,
           date_iso = e.date_iso, count = e.count, lede = e.lede }
end

local function link(x)
  return x and { title = x.title, url = x.url } or nil
end

-- Edition front pages: content/editions/*.md, by edition key.
local function front_pages(conf)
  local found, starts = {}, {}
  for _, f in ipairs(briefing.content("editions")) do
    local day = f.slug:match("^%d%d%d%d%-%d%d%-%d%d$") and f.slug
                or (f.slug:match("^%d%d%d%d%-%d%d$") and f.slug .. "-01")
    if not day then
      briefing.log.warn(f.path .. ":1:1: edition front page: expected a name like "
                        .. "2017-12-12.md (or 2017-12.md), found \"" .. f.slug .. "\"")
    else
      f.day = day
      found[#found + 1] = f
      starts[#starts + 1] = day
    end
  end
  table.sort(starts)
  local key = keyer(conf, starts)
  local by_key = {}
  for _, f in ipairs(found) do by_key[key(f.day)] = f end
  return by_key, key
end

-- The edition's articles in the order its front page asks for: listed
-- slugs first, the rest newest first.
local function apply_order(e, file)
  local order = file and file.meta.order
  if type(order) ~= "table" then return end
  local by_slug, placed, out = {}, {}, {}
  for _, a in ipairs(e.articles) do by_slug[a.slug] = a end
  for _, slug in ipairs(order) do
    local a = by_slug[tostring(slug)]
    if a and not placed[a] then
      placed[a] = true
      out[#out + 1] = a
    elseif not a then
      briefing.log.warn(file.path .. ":1:1: order: no article \"" .. tostring(slug)
                        .. "\" in the edition of " .. e.title)
    end
  end
  for _, a in ipairs(e.articles) do
    if not placed[a] then out[#out + 1] = a end
  end
  e.articles = out
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

-- Archive entries grouped by month: {{name, id, editions}}, in list order.
local function by_month(entries)
  local months = dates.by_month(entries, function(s) return s.date_iso end)
  for _, m in ipairs(months) do m.editions, m.items, m.key = m.items, nil, nil end
  return months
end

return {
  collections = function(site)
    local conf = config(site)
    local files, key = front_pages(conf)
    local editions, by_key = {}, {}
    for _, a in ipairs(site.articles) do -- newest first
      local k, title, first = key(a.day)
      local e = by_key[k]
      if not e then
        local file = files[k]
        first = first or k
        local d = briefing.date(first)
        e = { day = k, articles = {}, date_display = d.display, date_iso = first,
              title = title or ("From " .. d.display), url = "editions/" .. k .. "/",
              period = conf.period }
        if file then
          e.title = file.meta.title and tostring(file.meta.title) or e.title
          e.lede = file.meta.lede and tostring(file.meta.lede) or nil
          e.note = file.content ~= "" and file.content or nil
        end
        by_key[k] = e
        editions[#editions + 1] = e
      end
      e.articles[#e.articles + 1] = a
    end
    -- custom periods: editions are keyed by their start, newest first
    table.sort(editions, function(x, y) return x.date_iso > y.date_iso end)

    -- later scripts find the editions here (newest first)
    site.collections.editions = editions
    site.editions = editions

    local archive = {}
    local per = paginate.size(site)
    for i, e in ipairs(editions) do
      apply_order(e, files[e.day])
      e.count = #e.articles
      local words = 0
      for _, a in ipairs(e.articles) do words = words + (a.word_count or 0) end
      e.words = words
      e.topics = topics_of(e.articles)
      e.has_topics = #e.topics > 0
      e.next, e.prev = link(editions[i - 1]), link(editions[i + 1])
      for j, a in ipairs(e.articles) do
        a.edition = { title = e.title, url = e.url, day = e.day }
        a.prev = link(e.articles[j - 1])
        a.next = link(e.articles[j + 1])
      end
      archive[i] = summary(e)
      if emails then
        e.email_url, e.text_url = e.url .. "email.html", e.url .. "email.txt"
        -- the edition as an email: inline styles, absolute links, and text
        site:add_page{ url = e.url .. "email.html", template = "email-html", kind = "email",
                       title = site.title .. ": " .. e.title, data = { edition = e } }
        site:add_page{ url = e.url .. "email.txt", template = "email-txt", kind = "email",
                       title = site.title .. ": " .. e.title, data = { edition = e } }
      end
      paginate.pages(e.url, e.articles, per, function(url, slice, pager, n)
        site:add_page{ url = url, template = "edition", kind = "edition",
                       title = n == 1 and ("Edition of " .. e.title)
                               or ("Edition of " .. e.title .. " (page " .. n .. ")"),
                       data = { edition = e, articles = slice, pager = pager,
                                description = e.lede } }
      end)
    end

    local previous = {}
    for i = 2, math.min(#editions, conf.recent + 1) do
      previous[#previous + 1] = archive[i]
    end
    site:add_page{ url = "", template = "home", kind = "home", title = site.title,
                   data = { edition = editions[1], editions = previous } }

    -- the archive by year (one page each, months as sections) ...
    local years, year_of = {}, {}
    for _, s in ipairs(archive) do
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
    -- ... and all of them, newest first, paged
    paginate.pages("editions/", archive, per, function(url, slice, pager, n)
      site:add_page{ url = url, template = "editions", kind = "editions",
                     title = n == 1 and "Editions" or ("Editions (page " .. n .. ")"),
                     data = { editions = slice, months = by_month(slice), years = year_links,
                              pager = pager } }
    end)
  end,
}
