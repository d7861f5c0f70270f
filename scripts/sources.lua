-- sources.lua: where briefs come from. An article names its sources with
-- `source` (+ `source_url`), or `sources`: a list of names or of maps
-- {name, url, used}, `url` being the page used and `used` what was taken
-- from it. data/sources.yml (optional) registers sources: name, homepage,
-- kind, description, aliases. Every source gets a page at sources/<slug>/
-- listing every brief that used it (newest first, paged), sources/ lists
-- them all, and each brief gets `sources` (for the attribution under it).
-- A name not in data/sources.yml, when the file exists, and a malformed
-- entry get a warning at the article's line; unknown names still work.
-- With base_url, each source that has briefs has feeds (lib/feed.lua).
--
-- Keyed steps (briefing-lua(7)): start files each registered source and
-- emit each brief under the slug of every source it names, in group
-- "sources"; a source's group step writes its pages and feeds, and finish
-- writes sources/ from the summaries, which are also
-- site.collections.sources (name, url, slug, kind, homepage, description,
-- registered, count, feeds, articles newest first). A source is named as
-- its first record names it: its registry entry, else the newest brief
-- naming it. So emit sets a brief's `sources`, `source` and `source_url`
-- itself when each of its sources is registered; otherwise the group step
-- of each of its sources sets them, reading the other sources' names from
-- their records: the steps of one brief set the same values.

local feed = require("lib.feed")
local paginate = require("lib.paginate")
local registry = require("lib.registry")
local warn = require("lib.report").warn -- at the line of a front-matter key
local known = registry.load("sources")

local function is_web_address(url)
  return type(url) == "string" and (url:find("^https?://[^%s]") ~= nil)
end

-- A usable name or note: a string with a letter or digit in it (numbers
-- are written out), else nil.
local function text(v)
  if type(v) == "number" then return tostring(v) end
  if type(v) == "string" and briefing.slugify(v) ~= "" then return v end
  return nil
end

-- The `sources` entries as {name, url, used} maps, and the position each
-- had in the list; bad(i, message) is called for each entry dropped or changed.
local function read_list(list, bad)
  local out, at = {}, {}
  if list == nil then return out end
  if type(list) ~= "table" or (list[1] == nil and list.name ~= nil) then list = { list } end
  for i, entry in ipairs(list) do
    if type(entry) ~= "table" then entry = { name = entry } end
    local name = text(entry.name)
    if not name then
      bad(i, "sources: entry " .. i .. ": expected a name, or a map with name, url and used")
    else
      local url = entry.url
      if url ~= nil and not is_web_address(url) then
        bad(i, string.format("sources: entry %d: url: expected an http:// or https:// address, found \"%s\"",
                             i, tostring(url)))
        url = nil
      end
      out[#out + 1] = { name = name, url = url, used = text(entry.used) }
      at[#out] = i
    end
  end
  return out, at
end

-- Every source of an article, in the order written: `source` first. The
-- fields are read one by one (article.meta would copy the whole front matter).
local function read(a)
  local out = read_list(a.sources, function() end) -- warned about by the filter
  local single = text(a.source)
  if single then
    local url = a.source_url
    table.insert(out, 1, { name = single, url = is_web_address(url) and url or nil })
  end
  return out
end

-- The slug of the source a name means.
local function slug_of(name)
  local entry = registry.find(known, name)
  return entry and entry.slug or briefing.slugify(name)
end

-- A source's fields (without its briefs), made from the name it is first
-- found under: start files the registered ones first, in registry order.
local function source_of(slug, name)
  local entry = registry.find(known, name)
  local function field(k) return entry and text(entry[k]) or nil end
  return { name = entry and entry.name or name, slug = slug, url = "sources/" .. slug .. "/",
           homepage = entry and is_web_address(entry.homepage) and entry.homepage or nil,
           kind = field("kind"), description = field("description") or "",
           registered = entry ~= nil }
end

-- The registered sources as their group steps will see them: slug ->
-- source, from the registry alone (so emit knows them).
local registered = {}
for _, entry in ipairs(known and known.items or {}) do
  local slug = slug_of(entry.name)
  registered[slug] = registered[slug] or source_of(slug, entry.name)
end

-- Sets a brief's attribution: `sources` (each source once, the first
-- mention filling in what a later one adds), `source` (the names) and,
-- when it has none, `source_url`. found: read(a), each with its slug;
-- source(slug) gives the source's fields.
local function attribute(a, found, source)
  local list, seen, names = {}, {}, {}
  for _, f in ipairs(found) do
    local item = seen[f.slug]
    if item then -- named twice: keep the first, fill in what it lacks
      item.link = item.link or f.url
      item.used = item.used or f.used
    else
      local s = source(f.slug)
      item = { name = s.name, url = s.url, link = f.url, used = f.used,
               homepage = s.homepage, kind = s.kind }
      seen[f.slug] = item
      list[#list + 1] = item
      names[#names + 1] = s.name
    end
  end
  a.sources = list
  a.source = table.concat(names, ", ")
  if not a.source_url then a.source_url = list[1].link end
end

-- source(slug) for attribute() in the group step of source s: another
-- source is named by the first of its records.
local function sources_named(site, s)
  return function(slug)
    if slug == s.slug then return s end
    return source_of(slug, site:records("sources", slug)[1].value.name)
  end
end

-- A source's pages: the source (what every page of it shows, its feeds
-- included) and its briefs, paged.
local function add_pages(site, s, articles)
  local entry = { name = s.name, url = s.url, slug = s.slug, kind = s.kind,
                  homepage = s.homepage, description = s.description, count = s.count }
  local description = s.description ~= "" and s.description
    or ("Every brief that drew on " .. s.name .. ".")
  if feed.enabled(site) and s.count > 0 then
    entry.feeds = feed.make(site, site.title .. ": " .. s.name, description,
                            feed.permalink(site, s.url), s.url, articles)
  end
  paginate.pages(s.url, articles, paginate.size(site), function(url, slice, pager, n)
    site:add_page{ url = url, template = "source", kind = "source",
                   title = n == 1 and s.name or (s.name .. " (page " .. n .. ")"),
                   data = { source = entry, articles = slice, pager = pager,
                            description = description } }
  end)
  return entry.feeds
end

return {
  -- checks references where their lines are known (filters see meta_lines)
  Document = function(_, article)
    local meta = article.meta
    if meta.source == nil and meta.sources == nil then return nil end
    local function check(key, name)
      if known and not registry.find(known, name) then
        warn(article, key, "source \"%s\" is not in data/sources.yml", name)
      end
    end
    if text(meta.source) then
      check("source", text(meta.source))
    elseif meta.source ~= nil and meta.source ~= "" then
      warn(article, "source", "source: expected a name, found a %s", type(meta.source))
    end
    if meta.sources ~= nil then
      local list, at = read_list(meta.sources, function(i, message)
        warn(article, "sources[" .. i .. "]", "%s", message)
      end)
      for j, s in ipairs(list) do check("sources[" .. at[j] .. "]", s.name) end
      meta.sources = #list > 0 and list or nil
    end
  end,

  -- registered sources have pages without briefs, and name their slug first
  start = function(_, emit)
    for _, entry in ipairs(known and known.items or {}) do
      emit("sources", slug_of(entry.name), { name = entry.name })
    end
  end,

  emit = function(a, emit)
    local found = read(a)
    if #found == 0 then return end
    local registered_only = true
    for _, f in ipairs(found) do
      f.slug = slug_of(f.name)
      registered_only = registered_only and registered[f.slug] ~= nil
    end
    if registered_only then
      attribute(a, found, function(slug) return registered[slug] end)
    end
    local filed = {}
    for _, f in ipairs(found) do
      if not filed[f.slug] then
        filed[f.slug] = true
        emit("sources", f.slug, { name = f.name, found = not registered_only and found or nil })
        -- feeds.opml lists the source's feed (feeds.lua; the newest brief's name wins)
        local s = source_of(f.slug, f.name)
        feed.opml_record(briefing.site, emit, "sources:" .. f.slug, s.name, s.url)
      end
    end
  end,

  group = {
    -- records: start's first (the registry's name), then the briefs naming
    -- the source, newest first, each with the name it wrote
    sources = function(slug, records, site)
      local s = source_of(slug, records[1].value.name)
      local named = sources_named(site, s)
      local articles = {}
      for q = 1, #records do
        local a, value = records[q].article, records[q].value -- no article: start's
        if a then
          articles[#articles + 1] = a
          if value.found then attribute(a, value.found, named) end
        end
      end
      s.articles, s.count = articles, #articles
      s.feeds = add_pages(site, s, articles)
      return s
    end,
  },

  finish = {
    -- sources/: by name
    sources = function(summaries, site)
      if #summaries == 0 then return end
      local index = {}
      for i = 1, #summaries do
        local s = summaries[i].value
        index[i] = { name = s.name, url = s.url, slug = s.slug, kind = s.kind,
                     homepage = s.homepage, description = s.description, count = s.count,
                     feeds = s.feeds }
      end
      table.sort(index, function(x, y)
        if x.name:lower() ~= y.name:lower() then return x.name:lower() < y.name:lower() end
        return x.slug < y.slug
      end)
      site:add_page{ url = "sources/", template = "sources", kind = "sources", title = "Sources",
                     data = { sources = index,
                              description = "The reporting and documents the briefs draw on." } }
      site:set_data("sources_url", "sources/")
    end,
  },
}
