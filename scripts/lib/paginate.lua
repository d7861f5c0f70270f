-- lib/paginate.lua: splits a list over numbered pages with stable URLs
-- ("topics/x/", "topics/x/page/2/", ...) and the pager data templates
-- need. Used by editions.lua and indexes.lua: local paginate = require("lib.paginate")

local M = {}

-- Items per page: site.yml `paginate` (default 20; 0 puts every item on
-- one page).
function M.size(site)
  local n = tonumber(site.config.paginate)
  if n == 0 then return math.maxinteger end
  return (n and n >= 1) and math.floor(n) or 20
end

-- The page links of page n of total: all of them up to WINDOW pages, else
-- the first, the last and the NEAR pages on each side of n, with a gap
-- ({gap = true}) where pages are left out: "1 … 6 7 [8] 9 10 … 40". A
-- reader can reach any page in a few steps, and a list of 40 pages does
-- not carry 40 links on each of them.
local WINDOW, NEAR = 9, 2
local function links(n, total, urls)
  local list = {}
  local function add(k)
    list[#list + 1] = { number = k, url = urls[k], current = k == n, gap = false }
  end
  if total <= WINDOW then
    for k = 1, total do add(k) end
    return list
  end
  local from, to = n - NEAR, n + NEAR
  if from < 2 then from, to = 2, 2 + 2 * NEAR end
  if to > total - 1 then from, to = total - 1 - 2 * NEAR, total - 1 end
  if from == 3 then from = 2 end -- a gap would hide one page: show it
  if to == total - 2 then to = total - 1 end
  add(1)
  if from > 2 then list[#list + 1] = { gap = true } end
  for k = from, to do add(k) end
  if to < total - 1 then list[#list + 1] = { gap = true } end
  add(total)
  return list
end

-- Calls add(url, slice, pager, number) for each page of items. pager is nil
-- when everything fits on one page, else {current, total, pages = {{number,
-- url, current, gap}}, prev = {url}, next = {url}}.
function M.pages(base_url, items, per, add)
  local total = math.max(1, math.ceil(#items / per))
  local urls = {}
  for n = 1, total do
    urls[n] = n == 1 and base_url or (base_url .. "page/" .. n .. "/")
  end
  for n = 1, total do
    local slice = {}
    local last = n * per
    if last > #items then last = #items end
    for i = (n - 1) * per + 1, last do slice[#slice + 1] = items[i] end
    local pager
    if total > 1 then
      local list = links(n, total, urls)
      pager = { current = n, total = total, pages = list,
                prev = n > 1 and { url = urls[n - 1] } or nil,
                next = n < total and { url = urls[n + 1] } or nil }
    end
    add(urls[n], slice, pager, n)
  end
end

return M
