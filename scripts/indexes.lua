-- indexes.lua: one page per topic, per person and per typed entity
-- (organisations, countries: lib/entities.lua) listing every article that
-- names them (newest first, paged, grouped by month), with a chart of
-- briefs per week, the people most often named with them and their
-- topics; plus an index page per kind. A topic or person with its own
-- file gets a page even with no articles, a typed entity always does.
-- site.yml: indexes: {empty: false} (no topic or person page without
-- articles), chart: false, related: false (no chart, no "named with"
-- lists). Co-occurrence is counted article by article (pairs within one
-- article), never across articles.
--
-- Keyed steps (briefing-lua(7)), group "indexes": emit files each article
-- under the key of each entity it names ("topics:<slug>", "people:<slug>",
-- "<kind>:<slug>", see lib/entities.lua); start adds the keys of entities
-- that have a page without articles. The group step of a key sets the
-- entity's fields (articles, count, related_people, related_topics,
-- has_related...), makes its pages and returns {kind, slug, name, url,
-- count, entity} (site.collections.indexes); finish makes the index pages,
-- site data `sections` and person.country_url.

local paginate = require("lib.paginate")
local entities = require("lib.entities")
local chart = require("lib.chart")
local dates = require("lib.dates")
local config = require("lib.config")
local ranked = require("lib.ranked")

local GROUP = "indexes"
local TOP = 8 -- related people and topics shown

-- site.yml `indexes:`, as lib/config.lua reads it (start reports errors)
local SHAPE = { empty = "boolean", chart = "boolean", related = "boolean" }
local function settings(site)
  return config.read(site, "indexes", SHAPE)
end

-- The articles of a key's records, newest first (start's records, which
-- have none, come first).
local function articles_of(records)
  local list, n = {}, 0
  for i = 1, #records do
    local a = records[i].article
    if a then n = n + 1; list[n] = a end
  end
  return list
end

-- Who is named with entity x: {counts = {[y] = articles naming both},
-- list = {y, ...}} for the people and for the topics of x's articles,
-- article by article in site order; a record's value says how many of
-- the article's names mean x (each counts, as when the whole site was
-- counted at once). The list keeps the order things were first counted
-- in, so top() is the same on every run; numeric loops (ipairs is a call
-- per item).
local function co_occurrence(x, records)
  local people = { counts = {}, list = {} }
  local topics = { counts = {}, list = {} }
  local function bump(m, ys, times)
    local c, l = m.counts, m.list
    for r = 1, #ys do
      local y = ys[r]
      if y ~= x then
        local n = c[y]
        if n then c[y] = n + times else c[y] = times; l[#l + 1] = y end
      end
    end
  end
  for i = 1, #records do
    local rec = records[i]
    local a = rec.article
    if a then
      local times = rec.value or 1
      bump(people, a.people, times)
      bump(topics, a.topics, times)
    end
  end
  return people, topics
end

-- an entity's name in lower case, lowered once per name (sort keys); the
-- name is read every time, so a step depends on it (an implicit entity is
-- named by the first brief that names it, which can change)
local lowered = {}
local lower_name = setmetatable({}, { __index = function(_, e)
  local n = e.name
  local l = lowered[n]
  if not l then l = n:lower(); lowered[n] = l end
  return l
end })

-- Sorts entities by name, ignoring case (each name is lowered once).
local function by_lower_name(a, b) return lower_name[a] < lower_name[b] end
local function sort_by_name(list)
  table.sort(list, by_lower_name)
end

-- Does x rank before y ({entity, count} each)? More articles in common,
-- then by name.
local function before(x, y)
  if x.count ~= y.count then return x.count > y.count end
  return lower_name[x.entity] < lower_name[y.entity]
end

-- The TOP entities with the highest counts, as template data: kept in a
-- short list as they come (lib/ranked.lua), not a sort of every entity
-- counted, and only the winners are read for their name and url.
local function top(co)
  local counts, list = co.counts, co.list
  local best = {}
  for q = 1, #list do
    local e = list[q]
    local c = counts[e]
    -- most entities lose to the last of a full list on the count alone
    local last = best[TOP]
    if not last or c >= last.count then
      ranked.insert(best, TOP, { entity = e, count = c }, before)
    end
  end
  local out = {}
  for i, x in ipairs(best) do
    out[i] = { name = x.entity.name, url = x.entity.url, count = x.count }
  end
  return out
end

-- Sets the "named with" lists of target (the entity, or its object).
local function set_related(target, x, records)
  local co_people, co_topics = co_occurrence(x, records)
  local people, topics = top(co_people), top(co_topics)
  target.related_people = people
  target.related_topics = topics
  target.has_related_people = #people > 0
  target.has_related_topics = #topics > 0
  target.has_related = #people > 0 or #topics > 0
end

-- an article's day (read through the article: a step depends on what it reads)
local function get_day(a) return a.day end

local function months_of(slice)
  local months = dates.by_month(slice, get_day)
  for _, m in ipairs(months) do m.articles, m.items, m.key = m.items, nil, nil end
  return months
end

-- The paged pages of an entity (target: what the template reads as
-- `template`, the entity or its object).
local function pages(site, target, name, base, articles, template, what)
  local activity = settings(site).chart ~= false
                   and chart(articles, what .. " " .. name .. ", per week") or nil
  paginate.pages(base, articles, paginate.size(site), function(url, slice, pager, n)
    site:add_page{ url = url, template = template, kind = template,
                   title = n == 1 and name or (name .. " (page " .. n .. ")"),
                   data = { [template] = target, articles = slice, months = months_of(slice),
                            pager = pager, chart = n == 1 and activity or nil } }
  end)
end

-- A typed entity's object, with the fields its file gives.
local function typed_object(site, e)
  local o = entities.object(site, e)
  for _, f in ipairs({ "kind", "field", "name", "slug", "url", "aliases", "path", "meta",
                       "content", "description" }) do
    if e[f] ~= nil then o[f] = e[f] end
  end
  return o
end

-- the template of an entity's pages (also its name in the page data) and
-- the chart's title, by key prefix; typed entities all use "entity"
local STYLES = {
  topics = { template = "topic", what = "Briefs on" },
  people = { template = "person", what = "Briefs naming" },
}
local TYPED = { template = "entity", what = "Briefs naming" }

-- start: the keys of entities with a page without articles (and the
-- errors in entities: and their files, reported once)
local function start(site, emit)
  config.check(site, "indexes", SHAPE)
  if settings(site).empty ~= false then
    for _, field in ipairs({ "topics", "people" }) do
      local list = site[field]
      for i = 1, #list do
        if list[i].path then emit(GROUP, entities.key(field, list[i].slug)) end
      end
    end
  end
  for _, k in ipairs(entities.kinds(site)) do
    for _, e in ipairs(k.items) do emit(GROUP, entities.key(k.key, e.slug)) end
  end
end

local function emit_article(a, emit)
  local ts, ps = a.topics, a.people
  for i = 1, #ts do emit(GROUP, "topics:" .. ts[i].slug) end
  for i = 1, #ps do emit(GROUP, "people:" .. ps[i].slug) end
  entities.each_named(briefing.site, a, function(k, e, times)
    emit(GROUP, entities.key(k.key, e.slug), times > 1 and times or nil)
  end)
end

-- One entity: its fields, pages and summary.
local function group(key, records, site)
  local e, kind = entities.of_key(site, key, records)
  local field = key:match("^[^:]*")
  local target = kind and typed_object(site, e) or e
  local style = kind and TYPED or STYLES[field]
  local articles = articles_of(records)
  target.articles = articles
  target.count = #articles
  if settings(site).related ~= false then set_related(target, e, records) end
  pages(site, target, e.name, e.url, articles, style.template, style.what)
  return { kind = field, slug = e.slug, name = e.name, url = e.url, count = #articles,
           entity = target }
end

-- The index page of topics or people: those with a page, by name.
local function index_page(site, field, made, title)
  local listed = {}
  for _, e in ipairs(site[field]) do
    if made[entities.key(field, e.slug)] then listed[#listed + 1] = e end
  end
  sort_by_name(listed)
  site:add_page{ url = field .. "/", template = field, kind = field, title = title,
                 data = { [field] = listed } }
end

-- The index page of each kind of typed entity; returns the nav links.
local function typed_index_pages(site, kinds)
  local nav = {}
  for _, k in ipairs(kinds) do
    if #k.items > 0 then
      local sorted = {}
      for i, e in ipairs(k.items) do sorted[i] = e end
      sort_by_name(sorted)
      local listed = {}
      for i, e in ipairs(sorted) do listed[i] = entities.object(site, e) end
      site:add_page{ url = k.key .. "/", template = "entities", kind = "entities",
                     title = k.title, data = { entities = listed, kind_title = k.title } }
      nav[#nav + 1] = { title = k.title, url = k.key .. "/" }
    end
  end
  return nav
end

-- A person's country links to the country's page when there is one.
local function country_urls(site, kinds)
  for _, k in ipairs(kinds) do
    if k.key == "countries" and #k.items > 0 then
      for _, p in ipairs(site.people) do
        local c = p.country
        local e = c and c ~= "" and k.find(c)
        if e then p.country_url = e.url end
      end
    end
  end
end

local function finish(summaries, site)
  local made = {}
  for i = 1, #summaries do made[summaries[i].key] = true end
  index_page(site, "topics", made, "Topics")
  index_page(site, "people", made, "People")
  local kinds = entities.kinds(site, true)
  local nav = typed_index_pages(site, kinds)
  country_urls(site, kinds)
  if #nav > 0 then site:set_data("sections", nav) end
end

return {
  start = start,
  emit = emit_article,
  group = { [GROUP] = group },
  finish = { [GROUP] = finish },
}
