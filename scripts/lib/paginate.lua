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

-- Calls add(url, slice, pager, number) for each page of items. pager is nil
-- when everything fits on one page, else {current, total, pages = {{number,
-- url, current}}, prev = {url}, next = {url}}.
function M.pages(base_url, items, per, add)
  local total = math.max(1, math.ceil(#items / per))
  local urls = {}
  for n = 1, total do
    urls[n] = n == 1 and base_url or (base_url .. "page/" .. n .. "/")
  end
  for n = 1, total do
    local slice = {}
    for i = (n - 1) * per + 1, math.min(n * per, #items) do slice[#slice + 1] = items[i] end
    local pager
    if total > 1 then
      local list = {}
      for k = 1, total do list[k] = { number = k, url = urls[k], current = k == n } end
      pager = { current = n, total = total, pages = list,
                prev = n > 1 and { url = urls[n - 1] } or nil,
                next = n < total and { url = urls[n + 1] } or nil }
    end
    add(urls[n], slice, pager, n)
  end
end

return M
