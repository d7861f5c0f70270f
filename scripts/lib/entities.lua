-- lib/entities.lua: typed entities besides topics and people (by default
-- organisations and countries), configured in site.yml and read from
-- content/<kind>/*.md (name, aliases, any other keys, a body). They are
-- plain Lua tables: {kind, field, name, slug, url, aliases, path, meta,
-- content}; articles name them in the front matter key of their kind
-- (`orgs: [...]`, `countries: [...]`), as they name people.
--
-- site.yml: entities: {orgs: {title: Organisations, singular: Organisation},
--                      countries: {title: Countries, singular: Country}}
-- (that is the default; `entities: {}` turns them off)
--
-- For keyed steps (indexes.lua, feeds.lua): an entity's key is
-- "<folder>:<slug>": "topics:diplomacy", "people:rex-tillerson",
-- "orgs:united-nations" (no kind is called topics or people), and a
-- typed entity's pages and feeds share one object, site:object("entity:"
-- .. kind, slug), whose fields they set.

local config = require("lib.config")

local M = {}

local DEFAULT = {
  { key = "orgs", title = "Organisations", singular = "Organisation" },
  { key = "countries", title = "Countries", singular = "Country" },
}
local RESERVED = { articles = true, people = true, topics = true, editions = true,
                   tags = true }

local kinds -- cached per Lua state: the files do not change during a build

-- site.yml `entities:` (lib/config.lua): a map of kinds
local SHAPE = { ["*"] = { title = "text", singular = "text" } }

-- The kinds site.yml asks for, by key; report(keys, message) is called
-- for each one that cannot be.
local function configured(site, report)
  if site.config.entities == nil then return DEFAULT end
  local c = config.read(site, "entities", SHAPE)
  local list = {}
  for key, v in pairs(c) do
    if type(key) ~= "string" or not key:match("^[a-z][a-z0-9_-]*$") or RESERVED[key] then
      report({ "entities", key }, "entities: \"" .. tostring(key)
             .. "\" cannot be a kind (expected a lower-case folder name other than "
             .. "articles, people, topics, editions)")
    else
      list[#list + 1] = { key = key, title = v.title or (key:sub(1, 1):upper() .. key:sub(2)),
                          singular = v.singular or v.title or key }
    end
  end
  table.sort(list, function(a, b) return a.key < b.key end)
  return list
end

local function ignore() end

-- report(keys, message) for configured(): an error at the place in site.yml
local function reporter(site)
  return function(keys, message) config.error(site, keys, message) end
end

-- {{key, title, singular, items = {entity...}, find = function(name),
--   by_slug = {[slug] = entity}}}. Errors in site.yml or a file are
-- reported by the call that reads them, once per Lua state, unless
-- `silent`: keyed steps read them in start (once a build) and silently
-- in the other steps, which run on every state.
function M.kinds(site, silent)
  if kinds then return kinds end
  if not silent then config.check(site, "entities", SHAPE) end
  kinds = {}
  for _, k in ipairs(configured(site, silent and ignore or reporter(site))) do
    local items, lookup, by_slug = {}, {}, {}
    for _, f in ipairs(briefing.content(k.key)) do
      local name = f.meta.name or f.meta.title
      if type(name) ~= "string" or name == "" then
        if not silent then
          briefing.log.error(f.path .. ":1:1: missing required key \"name\"")
        end
      else
        local aliases = type(f.meta.aliases) == "table" and f.meta.aliases or {}
        local slug = briefing.slugify(f.slug)
        local e = { kind = k.singular, field = k.key, name = name, slug = slug,
                    url = k.key .. "/" .. slug .. "/", aliases = aliases, path = f.path,
                    meta = f.meta, content = f.content,
                    description = f.meta.description and tostring(f.meta.description) or nil }
        items[#items + 1] = e
        by_slug[slug] = by_slug[slug] or e
        for _, n in ipairs({ name, slug }) do lookup[n:lower()] = e end
        for _, a in ipairs(aliases) do
          local low = tostring(a):lower()
          if lookup[low] == nil then lookup[low] = e
          elseif lookup[low] ~= e then lookup[low] = false end -- shared: ambiguous
        end
      end
    end
    k.items = items
    k.find = function(name) return lookup[tostring(name):lower()] or nil end
    k.by_slug = by_slug
    kinds[#kinds + 1] = k
  end
  return kinds
end

-- The articles that name each typed entity (in the front matter key of
-- its kind, where mentions.lua also adds those a body mentions), newest
-- first: { [entity] = {articles} }. For site hooks on the main state
-- (site.articles); cached.
local lists
function M.lists(site)
  if lists then return lists end
  lists = {}
  local ks = M.kinds(site)
  if #ks == 0 then return lists end
  local articles = site.articles
  for i = 1, #articles do
    local a = articles[i]
    for q = 1, #ks do
      local k = ks[q]
      local names = #k.items > 0 and a[k.key]
      if type(names) == "table" then
        local seen = {}
        for r = 1, #names do
          local e = k.find(names[r])
          if e and not seen[e] then
            seen[e] = true
            local l = lists[e]
            if not l then l = {}; lists[e] = l end
            l[#l + 1] = a
          end
        end
      end
    end
  end
  return lists
end

-- Calls fn(kind, entity, times) for each typed entity an article names
-- (in the front matter key of its kind), once per entity, in the order
-- first named; times counts the names that mean it ("UN" and "United
-- Nations" in one list name the same entity twice).
function M.each_named(site, article, fn)
  local ks = M.kinds(site, true)
  for q = 1, #ks do
    local k = ks[q]
    local names = #k.items > 0 and article[k.key]
    if type(names) == "table" then
      local times, order = {}, {}
      for r = 1, #names do
        local e = k.find(names[r])
        if e then
          local t = times[e]
          if t then times[e] = t + 1 else times[e] = 1; order[#order + 1] = e end
        end
      end
      for r = 1, #order do fn(k, order[r], times[order[r]]) end
    end
  end
end

-- An entity's key in keyed steps: M.key("orgs", "united-nations").
function M.key(field, slug)
  return field .. ":" .. slug
end

-- slug -> topic or person, per list (site.topics, site.people) and state
local slug_maps = setmetatable({}, { __mode = "k" })
local function by_slug(list)
  local m = slug_maps[list]
  if not m then
    m = {}
    for i = 1, #list do m[list[i].slug] = list[i] end
    slug_maps[list] = m
  end
  return m
end

-- The entity a key names, for the group step that got the key's records:
-- a topic or person, or a typed entity and its kind. A topic or person is
-- found in the list of a record's article (site.topics in a step may
-- leave out those that only articles name); one without articles has a
-- file, and is in site.topics or site.people.
function M.of_key(site, key, records)
  local field, slug = key:match("^([^:]*):(.*)$")
  if field == "topics" or field == "people" then
    for i = 1, #records do
      local a = records[i].article
      if a then
        local list = a[field]
        for q = 1, #list do
          if list[q].slug == slug then return list[q] end
        end
      end
    end
    return by_slug(site[field])[slug]
  end
  local ks = M.kinds(site, true)
  for q = 1, #ks do
    if ks[q].key == field then return ks[q].by_slug[slug], ks[q] end
  end
end

-- The object a typed entity's pages and feeds share.
function M.object(site, e)
  return site:object("entity:" .. e.field, e.slug)
end

return M
