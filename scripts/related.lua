-- related.lua: "Related briefs" for every article: the briefs sharing the
-- most people, topics and story thread with it, nearer in time first,
-- each with the reason ("Also about Rex Tillerson and Sanctions").
-- Weights and count come from site.yml `related:` (see site.yml(5)).
-- Candidates come from inverted lists (the briefs of each person, topic
-- and thread, in date order): only the `window` briefs nearest in date
-- on each side of the article in each of its lists are scored, so the
-- cost grows with the number of articles, not with its square.

local registry = require("lib.registry")
local threads = registry.load("threads")

local DEFAULTS = { count = 3, people = 3, topics = 2, thread = 4, recency = 1,
                   half_life = 30, window = 10 }

local function settings(site)
  local conf = type(site.config.related) == "table" and site.config.related or {}
  local out = {}
  for k, v in pairs(DEFAULTS) do
    local n = tonumber(conf[k])
    out[k] = (n and n >= 0) and n or v
  end
  out.count, out.window = math.floor(out.count), math.floor(out.window)
  if out.half_life <= 0 then out.half_life = DEFAULTS.half_life end
  return out
end

-- "A", "A and B", "A, B and C"
local function join(names)
  if #names <= 1 then return names[1] or "" end
  return table.concat(names, ", ", 1, #names - 1) .. " and " .. names[#names]
end

-- The thread an article is in, as (key, title), from threads.lua's field
-- when it ran first, else from the front matter.
local function thread_of(a)
  local t = a.thread
  if type(t) == "table" then return t.slug, t.title end
  if type(t) == "number" then t = tostring(t) end
  if type(t) ~= "string" then return nil end
  local entry = registry.find(threads, t)
  local slug = entry and entry.slug or briefing.slugify(t)
  if slug == "" then return nil end
  return slug, entry and (type(entry.title) == "string" and entry.title or entry.name) or t
end

-- The inverted lists, built once (on the first article): for each
-- article index its timestamp and keys ({key, pos, weight, kind}), for
-- each key its article indexes in date order and its label.
local function build(site, w)
  local articles = site.articles -- newest first: an index is a date rank
  local st = { w = w, articles = articles, index = {}, stamp = {}, keys = {}, lists = {},
               label = {}, items = {}, mark = {}, ks = {} }
  local lists, label = st.lists, st.label
  local function add(i, mine, key, name, kind)
    local list = lists[key]
    if not list then list = {}; lists[key] = list; label[key] = name end
    list[#list + 1] = i
    mine[#mine + 1] = { key = key, pos = #list, weight = w[kind], kind = kind }
  end
  for i = 1, #articles do
    local a = articles[i]
    st.index[a] = i
    st.stamp[i] = a.timestamp
    local mine = {}
    local ps, ts = a.people, a.topics
    for q = 1, #ps do local p = ps[q]; add(i, mine, "p:" .. p.slug, p.name, "people") end
    for q = 1, #ts do local t = ts[q]; add(i, mine, "t:" .. t.slug, t.title, "topics") end
    local slug, title = thread_of(a)
    if slug then add(i, mine, "s:" .. slug, title, "thread") end
    st.keys[i] = mine
  end
  -- briefs in an article's "Previously in this story" box (threads.lua)
  -- are not repeated here
  local tconf = type(site.config.threads) == "table" and site.config.threads or {}
  st.previously = tonumber(tconf.previously) or 5
  return st
end

local function item(st, j)
  local it = st.items[j]
  if not it then
    local b = st.articles[j]
    it = { title = b.title, url = b.url }
    st.items[j] = it
  end
  return it
end

-- Why j is related to i: "Same story; also about A, B and C". j's keys
-- are marked first, so each of i's keys is one lookup.
local function reason(st, i, j)
  local mark, theirs, mine = st.mark, st.keys[j], st.keys[i]
  for q = 1, #theirs do mark[theirs[q].key] = j end
  local names, same_story = {}, false
  for q = 1, #mine do
    local k = mine[q]
    if k.weight > 0 and mark[k.key] == j then
      if k.kind == "thread" then same_story = true
      elseif #names < 3 then names[#names + 1] = st.label[k.key] end
    end
  end
  if same_story and #names > 0 then return "Same story; also about " .. join(names) end
  if same_story then return "Same story" end
  return "Also about " .. join(names)
end

local state -- per build: made on the first article

return {
  -- one call per article, each with its own instruction budget, so the
  -- work stays within the limits however large the site
  article = function(a, site)
    if not state then
      state = build(site, settings(site))
      -- scratch arrays reused by every article: score, the article that
      -- last touched each slot, the candidates, the briefs to leave out
      local n = #state.articles
      state.score, state.seen, state.hidden, state.cand = {}, {}, {}, {}
      for j = 1, n do state.score[j], state.seen[j], state.hidden[j] = 0, 0, 0 end
    end
    local st, w = state, state.w
    local i = st.index[a]
    if not i or w.count < 1 then return end
    local lists, stamp, keys = st.lists, st.stamp, st.keys[i]
    local score, seen, hidden, cand = st.score, st.seen, st.hidden, st.cand
    local count, window, recency = w.count, w.window, w.recency
    -- numeric loops and inline bounds: ipairs, math.min and math.max are
    -- function calls, and this is the hottest loop of the default scripts
    for r = 1, #keys do
      local k = keys[r]
      if k.kind == "thread" then
        local list = lists[k.key]
        local last = k.pos + st.previously
        if last > #list then last = #list end
        for q = k.pos + 1, last do hidden[list[q]] = i end
      end
    end
    local nc = 0
    for r = 1, #keys do
      local k = keys[r]
      local weight = k.weight
      if weight > 0 then
        local list = lists[k.key]
        local from, to = k.pos - window, k.pos + window
        if from < 1 then from = 1 end
        if to > #list then to = #list end
        for q = from, to do
          local j = list[q]
          if j ~= i and hidden[j] ~= i then
            if seen[j] == i then
              score[j] = score[j] + weight
            else
              seen[j], score[j] = i, weight
              nc = nc + 1
              cand[nc] = j
            end
          end
        end
      end
    end
    if nc == 0 then return end
    -- the count-th highest score: a brief whose score plus the largest
    -- recency bonus stays below it cannot make the list, so most
    -- candidates are left out before their bonus is worked out
    local ks = st.ks
    for r = 1, count do ks[r] = -1 end
    for c = 1, nc do
      local sj = score[cand[c]]
      if sj > ks[count] then
        local at = count
        while at > 1 and ks[at - 1] < sj do ks[at] = ks[at - 1]; at = at - 1 end
        ks[at] = sj
      end
    end
    local floor = ks[count] - recency
    -- the best `count`, kept sorted: score, then nearer in time, then the
    -- article order (newest first, then path): a total order
    local best, bt, bd, m = {}, {}, {}, 0
    local ti, day = stamp[i], 86400 * w.half_life
    for c = 1, nc do
      local j = cand[c]
      local sj = score[j]
      -- and once the list is full, one that cannot reach its last entry
      if sj >= floor and (m < count or sj + recency >= bt[m]) then
        local d = stamp[j] - ti
        if d < 0 then d = -d end
        local t = sj + recency * 0.5 ^ (d / day)
        if m < count or t > bt[m] or (t == bt[m] and (d < bd[m] or (d == bd[m] and j < best[m]))) then
          local at = m < count and m + 1 or m
          if m < count then m = m + 1 end
          while at > 1 do
            local o, ot, od = best[at - 1], bt[at - 1], bd[at - 1]
            if ot > t or (ot == t and (od < d or (od == d and o < j))) then break end
            best[at], bt[at], bd[at] = o, ot, od
            at = at - 1
          end
          best[at], bt[at], bd[at] = j, t, d
        end
      end
    end
    local related = {}
    for r = 1, m do
      local j = best[r]
      local it = item(st, j)
      related[r] = { title = it.title, url = it.url, reason = reason(st, i, j) }
    end
    a.related = related
  end,
}
