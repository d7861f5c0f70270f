-- lib/dates.lua: calendar arithmetic on "YYYY-MM-DD" days (no time zone:
-- an article's day is already in the site's), for editions and charts.

local M = {}
local DAY = 86400

-- "2017-12-12" -> days since 1970-01-01 (proleptic Gregorian)
function M.days(day)
  local y, m, d = day:match("^(%d%d%d%d)-(%d%d)-(%d%d)")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (m > 2 and m - 3 or m + 9) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

-- days since 1970-01-01 -> "2017-12-12"
function M.day(days)
  return os.date("!%Y-%m-%d", days * DAY)
end

-- The first day of the week holding `days`; starts: 0 = Monday ... 6 = Sunday.
function M.week_start(days, starts)
  local weekday = (days + 3) % 7 -- 1970-01-01 was a Thursday
  return days - (weekday - (starts or 0)) % 7
end

-- "2017-12-12" -> "December 2017" (once per month a build)
local titles = {}
function M.month_title(day)
  local ym = day:sub(1, 7)
  local t = titles[ym]
  if not t then
    local d = briefing.date(day)
    t = d.display:match("^%d+ (.+)$") or ym
    titles[ym] = t
  end
  return t
end

-- List items (each with a day via get(item)) grouped by month, in list
-- order: {{name, id, items}}.
function M.by_month(list, get)
  local months, cur = {}, nil
  for i = 1, #list do
    local x = list[i]
    local day = get(x)
    local ym = day:sub(1, 7)
    if not cur or cur.key ~= ym then
      cur = { key = ym, name = M.month_title(day), id = "m-" .. ym, items = {} }
      months[#months + 1] = cur
    end
    cur.items[#cur.items + 1] = x
  end
  return months
end

return M
