-- lib/chart.lua: the data of a small bar chart of briefs per week, drawn
-- by the theme as inline SVG (no JavaScript), with the text alternatives
-- a screen reader needs: a title, a one-sentence summary and the weekly
-- counts as a table. The chart spans at least MIN_WEEKS weeks, ending with
-- the last one, so one busy week is one thin bar, never a slab across the
-- page; `from` and `to` label its ends. Cost is linear in the articles.

local dates = require("lib.dates")

local BAR, GAP, HEIGHT, MIN_WEEKS = 6, 2, 40, 26

-- an article's week, computed once per day. (Not kept per article: Lua
-- states outlive a build in `serve` and with the cache, where an article's
-- day can change, and a step must read the day to depend on it.)
local week_of_day = {}
local function week(a)
  local day = a.day
  local w = week_of_day[day]
  if not w then
    w = dates.week_start(dates.days(day), 0)
    week_of_day[day] = w
  end
  return w
end

-- a week's first day and its display label, made once per build
local label_of = {}
local function label(w)
  local l = label_of[w]
  if not l then
    local day = dates.day(w)
    l = { day = day, display = briefing.date(day).display }
    label_of[w] = l
  end
  return l
end

-- articles: newest first, each with a `day`; title: what the chart shows.
-- Returns nil for an empty list.
return function(articles, title)
  if #articles == 0 then return nil end
  local counts, first, last = {}, math.huge, -math.huge
  for i = 1, #articles do
    local w = week(articles[i])
    counts[w] = (counts[w] or 0) + 1
    if w < first then first = w end
    if w > last then last = w end
  end
  local max, busiest = 0, first
  for w = first, last, 7 do
    local c = counts[w] or 0
    if c > max then max, busiest = c, w end
  end
  local bars, weeks, n = {}, {}, (last - first) // 7 + 1
  local slots = math.max(n, MIN_WEEKS)
  for i = 0, n - 1 do
    local w = first + i * 7
    local c = counts[w]
    if c then
      local h = math.max(2, (c * HEIGHT + max - 1) // max)
      local l = label(w)
      bars[#bars + 1] = { x = (slots - n + i) * (BAR + GAP), y = HEIGHT - h, w = BAR, h = h,
                          label = "Week of " .. l.display .. ": " .. c }
      weeks[#weeks + 1] = { day = l.day, label = l.display, count = c }
    end
  end
  local from, to = label(first).display, label(last).display
  local summary
  if n == 1 then
    summary = string.format("%d brief%s, all in the week of %s.", #articles,
                            #articles == 1 and "" or "s", from)
  else
    summary = string.format("%d briefs over %d weeks, from the week of %s to the week of %s; "
                            .. "the busiest, the week of %s, had %d.", #articles, n, from, to,
                            label(busiest).display, max)
  end
  return { title = title, summary = summary,
           width = slots * (BAR + GAP) - GAP, height = HEIGHT, bars = bars, weeks = weeks,
           max = max, from = label(last - (slots - 1) * 7).display, to = label(last).display }
end
