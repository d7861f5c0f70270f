-- lib/registry.lua: an optional list of named things in the site's data/
-- folder (data/sources.yml, data/threads.yml). Each entry is a map with at
-- least `name`; it is found by the slug of its name, of its `slug` or of
-- any of its `aliases`, so case and punctuation do not matter.
-- Used by sources.lua and threads.lua: local registry = require("lib.registry")

local M = {}

-- The registry in data/NAME(.yml|.yaml|.json), or nil when there is no
-- such file. A file that does not parse, or entries without a name, fail
-- the build with the file named.
function M.load(name)
  local ok, list = pcall(briefing.data, name)
  if not ok then
    if tostring(list):find("no data/" .. name, 1, true) then return nil end
    error(list, 0)
  end
  if type(list) ~= "table" or (next(list) ~= nil and list[1] == nil) then
    error("data/" .. name .. ": expected a list of entries, each with a name", 0)
  end
  local reg = { items = {}, by_slug = {} }
  for i, item in ipairs(list) do
    if type(item) == "string" then item = { name = item } end
    if type(item) ~= "table" or type(item.name) ~= "string" or briefing.slugify(item.name) == "" then
      error(string.format("data/%s: entry %d: expected a map with a name", name, i), 0)
    end
    local slug = type(item.slug) == "string" and briefing.slugify(item.slug) or ""
    item.slug = slug ~= "" and slug or briefing.slugify(item.name)
    reg.items[#reg.items + 1] = item
    local keys = { item.slug, briefing.slugify(item.name) }
    if type(item.aliases) == "table" then
      for _, alias in ipairs(item.aliases) do
        if type(alias) == "string" then keys[#keys + 1] = briefing.slugify(alias) end
      end
    end
    for _, k in ipairs(keys) do
      if k ~= "" and not reg.by_slug[k] then reg.by_slug[k] = item end
    end
  end
  return reg
end

-- The entry a name means, or nil (also when there is no registry).
function M.find(reg, name)
  return reg and reg.by_slug[briefing.slugify(name)] or nil
end

return M
