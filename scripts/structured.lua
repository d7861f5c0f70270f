-- structured.lua: the optional sections of a structured brief and its
-- summary. `why_it_matters`, `what_next` and `bottom_line` must be text
-- and `key_points` a list of text (a single line is taken as a list of
-- one); anything else gets a warning at its line and is dropped, so the
-- theme's sections (params.KEY) only ever see text. A brief without a
-- `summary` gets one from its first paragraph, cut at a word boundary to
-- `summaries: {words: N}` words (default 40; 0 turns this off).

local config = require("lib.config")

-- site.yml `summaries:` (lib/config.lua; start reports errors)
local SHAPE = { words = "number" }
local conf = briefing.site and config.read(briefing.site, "summaries", SHAPE) or {}
local limit = tonumber(conf.words) or 40

local warn = require("lib.report").warn -- at the line of a front-matter key

local function is_text(v)
  return (type(v) == "string" and v:find("%S") ~= nil) or type(v) == "number"
end

-- The first `words` words of text, with "…" when it was cut.
local function cut(text, words)
  local out, n, last = {}, 0, nil
  for word in text:gmatch("%S+") do
    n = n + 1
    if n > words then
      last = out[#out]
      -- no dangling comma or dash before the ellipsis
      out[#out] = last:gsub("[,;:%-–—]+$", "")
      if out[#out] == "" then out[#out] = nil end
      return table.concat(out, " ") .. "…"
    end
    out[n] = word
  end
  return table.concat(out, " ")
end

return {
  start = function(site)
    config.check(site, "summaries", SHAPE)
  end,

  Document = function(doc, article)
    local meta = article.meta
    for _, key in ipairs({ "why_it_matters", "what_next", "bottom_line" }) do
      local v = meta[key]
      if v ~= nil and v ~= "" and not is_text(v) then
        warn(article, key, "%s: expected text, found a %s", key, type(v))
        meta[key] = nil
      end
    end
    local points = meta.key_points
    if is_text(points) then
      meta.key_points = { tostring(points) }
    elseif points ~= nil and points ~= "" then
      local kept = {}
      if type(points) ~= "table" or (points[1] == nil and next(points) ~= nil) then
        warn(article, "key_points", "key_points: expected a list of short lines, found a %s",
             type(points) == "table" and "map" or type(points))
      else
        for i, p in ipairs(points) do
          if is_text(p) then kept[#kept + 1] = tostring(p)
          else warn(article, "key_points[" .. i .. "]", "key_points: item %d: expected text, found a %s", i, type(p)) end
        end
      end
      meta.key_points = #kept > 0 and kept or nil
    end

    if limit >= 1 and not is_text(meta.summary) then
      for _, node in ipairs(doc:children()) do
        if node.t == "Paragraph" then
          local text = briefing.stringify(node):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
          if text ~= "" then
            meta.summary = cut(text, math.floor(limit))
            meta.summary_generated = true
          end
          break
        end
      end
    end
  end,
}
