-- indexes.lua: one page per topic, per person and per typed entity
-- (organisations, countries: lib/entities.lua) listing every article that
-- names them (newest first, paged, grouped by month), with a chart of
-- briefs per week, the people most often named with them and their
-- topics; plus an index page per kind. A topic, person or entity with its
-- own file gets a page even with no articles. site.yml: indexes: {empty:
-- false} (no page without articles), chart: false, related: false (no
-- chart, no "named with" lists). Co-occurrence is counted
-- article by article (pairs within one article), never across articles.

local paginate = require("lib.paginate")
local by_entity = require("lib.by_entity")
local entities = require("lib.entities")
local chart = require("lib.chart")
local dates = require("lib.dates")

local TOP = 8 -- related people and topics shown

local function by_name(key)
  return function(a, b) return a[key]:lower() < b[key]:lower() end
end

-- co[x] = {counts = {[y] = articles naming both}, list = {y, ...}} for x
-- any entity, y a person (people) or a topic (topics). The loops are
-- numeric (ipairs is a function call per item) and the list keeps the
-- order things were first counted in, so top() is the same on every run.
local function co_occurrence(site, typed)
  local people, topics = {}, {}
  local function bump(t, x, y)
    local m = t[x]
    if not m then m = { counts = {}, list = {} }; t[x] = m end
    local c = m.counts
    local n = c[y]
    if n then c[y] = n + 1 else c[y] = 1; m.list[#m.list + 1] = y end
  end
  local fields = {}
  for _, k in ipairs(typed) do if #k.items > 0 then fields[#fields + 1] = k end end
  local articles = site.articles
  local all = {}
  for i = 1, #articles do
    local a = articles[i]
    local ps, ts = a.people, a.topics
    local np, nt = #ps, #ts
    local n = 0
    for q = 1, np do n = n + 1; all[n] = ps[q] end
    for q = 1, nt do n = n + 1; all[n] = ts[q] end
    for f = 1, #fields do
      local k = fields[f]
      local names = a[k.key]
      if type(names) == "table" then
        for q = 1, #names do
          local e = k.find(names[q])
          if e then n = n + 1; all[n] = e end
        end
      end
    end
    for q = 1, n do
      local x = all[q]
      for r = 1, np do local p = ps[r]; if p ~= x then bump(people, x, p) end end
      for r = 1, nt do local t = ts[r]; if t ~= x then bump(topics, x, t) end end
    end
  end
  return people, topics
end

-- an entity's name in lower case, read once per build (sort keys)
local lower_name = setmetatable({}, { __index = function(t, e)
  local n = e.name:lower()
  t[e] = n
  return n
end })

-- Does (entity a, count ca) rank before (b, cb)? More articles in common,
-- then by name.
local function before(a, ca, b, cb)
  if ca ~= cb then return ca > cb end
  return lower_name[a] < lower_name[b]
end

-- The TOP entities with the highest counts, as template data: a bounded
-- insertion (not a sort of every entity counted), and only the winners
-- are read for their name and url.
local function top(co)
  if not co then return {} end
  local counts, list = co.counts, co.list
  local best, bc, n = {}, {}, 0
  for q = 1, #list do
    local e = list[q]
    local c = counts[e]
    -- most entities lose to the last of a full list on the count alone
    if n < TOP or c > bc[n] or (c == bc[n] and before(e, c, best[n], bc[n])) then
      local i = n < TOP and n + 1 or n -- when full, the last one drops out
      if n < TOP then n = n + 1 end
      while i > 1 and before(e, c, best[i - 1], bc[i - 1]) do
        best[i], bc[i] = best[i - 1], bc[i - 1]
        i = i - 1
      end
      best[i], bc[i] = e, c
    end
  end
  local out = {}
  for i = 1, n do
    local e = best[i]
    out[i] = { name = e.name, url = e.url, count = bc[i] }
  end
  return out
end

-- an article's day, read once a build (an article is on several lists)
local day_of = setmetatable({}, { __mode = "k", __index = function(t, a)
  local d = a.day
  t[a] = d
  return d
end })
local function get_day(a) return day_of[a] end

local function months_of(slice)
  local months = dates.by_month(slice, get_day)
  for _, m in ipairs(months) do m.articles, m.items, m.key = m.items, nil, nil end
  return months
end

-- One paged page per entity, listing its articles.
local function pages(site, e, articles, template, key, what, co_people, co_topics)
  local conf = site.config.indexes or {}
  e.articles = articles
  e.count = #articles
  if co_people then
    local people, topics = top(co_people[e]), top(co_topics[e])
    e.related_people = people
    e.related_topics = topics
    e.has_related_people = #people > 0
    e.has_related_topics = #topics > 0
    e.has_related = #people > 0 or #topics > 0
  end
  local activity = conf.chart ~= false and chart(articles, what .. " " .. e.name .. ", per week")
                   or nil
  paginate.pages(e.url, articles, paginate.size(site), function(url, slice, pager, n)
    site:add_page{ url = url, template = template, kind = template,
                   title = n == 1 and e.name or (e.name .. " (page " .. n .. ")"),
                   data = { [key] = e, articles = slice, months = months_of(slice),
                            pager = pager, chart = n == 1 and activity or nil } }
  end)
end

local function index(site, kind, list, template, list_template, title, what, co_people, co_topics)
  local lists = by_entity(site, kind)
  local conf = site.config.indexes or {}
  local empty = conf.empty ~= false
  local listed = {}
  for _, e in ipairs(list) do
    local articles = lists[e] or {}
    if #articles > 0 or (e.path and empty) then
      pages(site, e, articles, template, template, what, co_people, co_topics)
      listed[#listed + 1] = e
    end
  end
  table.sort(listed, by_name("name"))
  site:add_page{ url = kind .. "/", template = list_template, kind = list_template,
                 title = title, data = { [kind] = listed } }
end

return {
  collections = function(site)
    local typed = entities.kinds(site)
    local co_people, co_topics
    if (site.config.indexes or {}).related ~= false then
      co_people, co_topics = co_occurrence(site, typed)
    end
    index(site, "topics", site.topics, "topic", "topics", "Topics", "Briefs on",
          co_people, co_topics)
    index(site, "people", site.people, "person", "people", "People", "Briefs naming",
          co_people, co_topics)
    -- organisations, countries, ...: the same pages, from lib/entities.lua
    local lists, nav = entities.lists(site), {}
    local countries
    for _, k in ipairs(typed) do
      if k.key == "countries" then countries = k end
      local listed = {}
      for _, e in ipairs(k.items) do
        pages(site, e, lists[e] or {}, "entity", "entity", "Briefs naming", co_people, co_topics)
        listed[#listed + 1] = e
      end
      if #listed > 0 then
        table.sort(listed, by_name("name"))
        site:add_page{ url = k.key .. "/", template = "entities", kind = "entities",
                       title = k.title, data = { entities = listed, kind_title = k.title } }
        nav[#nav + 1] = { title = k.title, url = k.key .. "/" }
      end
    end
    -- a person's country links to the country's page when there is one
    if countries and #countries.items > 0 then
      for _, p in ipairs(site.people) do
        local c = p.country
        local e = c and c ~= "" and countries.find(c)
        if e then p.country_url = e.url end
      end
    end
    site.collections.entity_kinds = typed
    if #nav > 0 then site:set_data("sections", nav) end
  end,
}
