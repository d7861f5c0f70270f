-- lib/ranked.lua: the best k of many items, kept in a short list as they
-- come (best first), so that most items cost one comparison and none a
-- sort of them all. indexes.lua keeps the people and topics most often
-- named with an entity this way.
--   local ranked = require("lib.ranked")
--   local best = {}
--   for _, x in ipairs(items) do ranked.insert(best, 3, x, above) end

local M = {}

-- Puts x into best (at most k items, best first) when it ranks above the
-- last of a full list, dropping that one. above(a, b) says whether a ranks
-- above b; it must be a total order (no two items tie), so that the list
-- does not depend on the order items come in.
function M.insert(best, k, x, above)
  if k < 1 then return end
  local n = #best
  if n >= k and not above(x, best[n]) then return end
  local at = n < k and n + 1 or n -- when full, the last one drops out
  while at > 1 and above(x, best[at - 1]) do
    best[at] = best[at - 1]
    at = at - 1
  end
  best[at] = x
end

return M
