-- lib/config.lua: one section of site.yml (`feeds:`, `indexes:` ...) as a
-- script expects it. read() gives the section without the values of the
-- wrong type, so the script's defaults apply and no step fails on them;
-- check() reports each of them as an error at its line and column in
-- site.yml (the build fails), and is called once a build, from a start
-- step. Only types are checked here: a script checks the values it knows
-- (`period: weekly`) itself and reports them with M.error or M.warn. Keys
-- a shape does not name are kept unchecked: a site's own script may read
-- them.
--
--   local config = require("lib.config")
--   local SHAPE = { items = "number", formats = "names", opml = "boolean" }
--   local conf = config.read(site, "feeds", SHAPE)  -- in any step or filter
--   config.check(site, "feeds", SHAPE)              -- in start
--
-- A shape maps keys to types: "number" (a number, or a string that reads
-- as one), "boolean" (true or false), "text" (a string or a number),
-- "names" (a name, or a list of them), "map" (any map), or a shape (a map
-- with those keys); the key "*" gives the type of every key.

local M = {}

local EXPECTED = { number = "a number", boolean = "true or false", text = "a string",
                   names = "a name or a list of names", map = "a map", name = "a name" }

-- "a list", "a map", "a string", ... as site.yml messages name a type
local function kind(v)
  if type(v) == "table" then return (v[1] ~= nil) and "a list" or "a map" end
  if type(v) == "boolean" then return "a boolean" end
  return "a " .. type(v)
end

local function is_map(v) return type(v) == "table" and v[1] == nil end

local CHECKS = {
  number = function(v) return tonumber(v) ~= nil end,
  boolean = function(v) return type(v) == "boolean" end,
  text = function(v) return type(v) == "string" or type(v) == "number" end,
  map = is_map,
}

-- {"feeds", "formats"} and 2 -> {"feeds", "formats", 2}
local function child(keys, k)
  local at = { table.unpack(keys) }
  at[#at + 1] = k
  return at
end

local function add(problems, keys, expected, found)
  problems[#problems + 1] = { keys = keys, expected = expected, found = found }
end

-- The value as the shape wants it, or nil; each problem found is added to
-- problems as {keys = {"feeds", "items"}, expected = "a number", found = v}.
local function clean(v, shape, keys, problems)
  if type(shape) == "table" then -- a map with keys of their own shapes
    if not is_map(v) then return add(problems, keys, EXPECTED.map, v) end
    local out = {}
    for k, item in pairs(v) do
      local sub = shape[k] or shape["*"]
      if sub then out[k] = clean(item, sub, child(keys, k), problems) else out[k] = item end
    end
    return out
  elseif shape == "names" then
    if CHECKS.text(v) then return v end
    if type(v) ~= "table" or (v[1] == nil and next(v) ~= nil) then
      return add(problems, keys, EXPECTED.names, v)
    end
    local out = {}
    for i, item in ipairs(v) do
      if CHECKS.text(item) then out[#out + 1] = item
      else add(problems, child(keys, i), EXPECTED.name, item) end
    end
    return out
  end
  if CHECKS[shape](v) then return v end
  return add(problems, keys, EXPECTED[shape], v)
end

-- "feeds: formats: item 2" for {"feeds", "formats", 2}
local function label(keys)
  local parts = {}
  for i, k in ipairs(keys) do
    parts[i] = type(k) == "number" and ("item " .. k) or tostring(k)
  end
  return table.concat(parts, ": ")
end

-- The section and its problems. A scalar section is short for {[shorthand]
-- = it} when the script has a shorthand (`editions: weekly`).
local function section(site, name, shape, shorthand)
  local v = site.config[name]
  if v == nil then return {}, {} end
  if shorthand and type(v) ~= "table" and CHECKS.text(v) then v = { [shorthand] = v } end
  local problems = {}
  return clean(v, shape, { name }, problems) or {}, problems
end

-- read() results, per config table (each site table of a state has its
-- own), shape table (each script has its own) and section name: a step
-- reads its settings once per key, thousands of times a build
local read_of = setmetatable({}, { __mode = "k" })

-- The section `name` of site.yml (an empty table when absent), without the
-- values of the wrong type. Shared between calls: read it, never change it.
function M.read(site, name, shape, shorthand)
  local by_shape = read_of[site.config]
  if not by_shape then
    by_shape = setmetatable({}, { __mode = "k" })
    read_of[site.config] = by_shape
  end
  local cache = by_shape[shape]
  if not cache then cache = {}; by_shape[shape] = cache end
  local conf = cache[name]
  if not conf then
    conf = section(site, name, shape, shorthand)
    cache[name] = conf
  end
  return conf
end

-- Where keys ({"feeds", "items"}) are in site.yml: the deepest of them
-- that is there, as briefing.log takes a place; nil for none (or an
-- engine without site:config_place).
function M.place(site, keys)
  if not site.config_place then return nil end
  for n = #keys, 1, -1 do
    local place = site:config_place(table.unpack(keys, 1, n))
    if place then return place end
  end
  return nil
end

local function report(log, site, keys, message)
  local place = M.place(site, keys)
  if place then log(place, message) else log("site.yml: " .. message) end
end

-- Reports "feeds: items: ..." as an error (the build fails) or a warning
-- at the place of keys in site.yml.
function M.error(site, keys, message) report(briefing.log.error, site, keys, message) end
function M.warn(site, keys, message) report(briefing.log.warn, site, keys, message) end

-- A setting site.yml lacks (base_url): a note or a warning at the start
-- of site.yml, where it would go, rather than at the script's line.
local function report_missing(log, site, key, message)
  local place = M.place(site, { key }) or (site.config_place and site:config_place())
  if place then log(place, message) else log("site.yml: " .. message) end
end
function M.note_missing(site, key, message) report_missing(briefing.log.info, site, key, message) end
function M.warn_missing(site, key, message) report_missing(briefing.log.warn, site, key, message) end

-- Reports every value of section `name` that has the wrong type, in the
-- order of site.yml (of their names, where no place is known); returns how
-- many.
function M.check(site, name, shape, shorthand)
  local _, problems = section(site, name, shape, shorthand)
  for _, p in ipairs(problems) do
    p.place, p.label = M.place(site, p.keys) or { line = 0, col = 0 }, label(p.keys)
  end
  table.sort(problems, function(a, b)
    if a.place.line ~= b.place.line then return a.place.line < b.place.line end
    if a.place.col ~= b.place.col then return a.place.col < b.place.col end
    return a.label < b.label
  end)
  for _, p in ipairs(problems) do
    M.error(site, p.keys, p.label .. ": expected " .. p.expected .. ", found " .. kind(p.found))
  end
  return #problems
end

return M
