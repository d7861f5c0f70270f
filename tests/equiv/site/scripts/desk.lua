-- desk.lua: the fixture's own article filter. Adds `desk` (from
-- data/desk.yml) and `reading` (minutes to read the body) to each
-- article's front matter, for templates/partials/brief-card.mustache.
local WORDS_PER_MINUTE = 120
local LABEL = "Straits desk"

local ok, desk = pcall(briefing.data, "desk")
if not ok or type(desk) ~= "table" then desk = {} end

return {
  Document = function(doc, article)
    local words = 0
    for _, node in ipairs(doc:children()) do
      for _ in briefing.stringify(node):gmatch("%S+") do words = words + 1 end
    end
    local floor = tonumber(desk.minutes_floor) or 1
    article.meta.reading = math.max(floor, math.ceil(words / WORDS_PER_MINUTE)) .. " min"
    article.meta.desk = type(desk.name) == "string" and desk.name or LABEL
  end,
}
