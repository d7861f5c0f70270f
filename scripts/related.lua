-- related.lua: "Related briefs" for every article: the briefs sharing the
-- most people, topics and story thread with it, nearer in time first,
-- each with the reason ("Also about Rex Tillerson and Sanctions").
-- Weights and count come from site.yml `related:` (see site.yml(5)).
-- Candidates come from inverted lists (the briefs of each person, topic
-- and thread, in date order): only the `window` briefs nearest in date
-- on each side of the article in each of its lists are scored, so the
-- cost grows with the number of articles, not with its square.
--
-- Keyed steps (briefing-lua(7)): emit files each brief (with its
-- timestamp) in group "related-lists" under each of its keys ("p:" person
-- slug, "t:" topic slug, "s:" thread slug: the lists), and under its path
-- in group "related". The group step of one brief finds its keys again
-- (a copy in its record would be held to the end of the build), reads
-- their lists with site:records and sets its `related`; each list's
-- index (who is where) is made once per Lua state and stage, and shared
-- by the steps of every brief in that list.

local registry = require("lib.registry")
local config = require("lib.config")
local threads = registry.load("threads")

local DEFAULTS = { count = 3, people = 3, topics = 2, thread = 4, recency = 1,
                   half_life = 30, window = 10 }
local KINDS = { p = "people", t = "topics", s = "thread" } -- key prefix -> weight

-- site.yml `related:` (lib/config.lua; start reports errors) over the
-- defaults, and threads.lua's `previously` (briefs in an article's
-- "Previously in this story" box are not repeated here); made once per
-- site.config table.
local SHAPE = { count = "number", people = "number", topics = "number", thread = "number",
                recency = "number", half_life = "number", window = "number" }
local THREADS = { previously = "number" } -- threads.lua checks it
local settings_of = setmetatable({}, { __mode = "k" })
local function settings(site)
  local w = settings_of[site.config]
  if w then return w end
  local conf = config.read(site, "related", SHAPE)
  w = {}
  for k, v in pairs(DEFAULTS) do
    local n = tonumber(conf[k])
    w[k] = (n and n >= 0) and n or v
  end
  w.count, w.window = math.floor(w.count), math.floor(w.window)
  if w.half_life <= 0 then w.half_life = DEFAULTS.half_life end
  w.previously = tonumber(config.read(site, "threads", THREADS).previously) or 5
  settings_of[site.config] = w
  return w
end

-- "A", "A and B", "A, B and C"
local function join(names)
  if #names <= 1 then return names[1] or "" end
  return table.concat(names, ", ", 1, #names - 1) .. " and " .. names[#names]
end

-- The slug of the thread an article's front matter puts it in, or nil
-- (as threads.lua reads it; its group step sets the field later).
local function thread_of(a)
  local t = a.thread
  if type(t) == "number" then t = tostring(t) end
  if type(t) ~= "string" then return nil end
  local entry = registry.find(threads, t)
  local slug = entry and entry.slug or briefing.slugify(t)
  if slug == "" then return nil end
  return slug
end

-- An article's keys, in the order reasons name them, and their labels.
local function keys_of(a)
  local keys, labels = {}, {}
  local function add(key, label)
    keys[#keys + 1] = key
    labels[#keys] = label
  end
  local ps, ts = a.people, a.topics
  for q = 1, #ps do add("p:" .. ps[q].slug, ps[q].name) end
  for q = 1, #ts do add("t:" .. ts[q].slug, ts[q].title) end
  local slug = thread_of(a)
  if slug then add("s:" .. slug, "") end
  return keys, labels
end

-- Articles are numbered on each Lua state as lists meet them, so that the
-- hot loops index arrays; numbers mean nothing outside this state.
-- stamp_of[n] is the timestamp its records carried in the latest list.
-- mark, score and hidden are scratch arrays reused by every step on this
-- state: an entry counts only when its mark is the running step's.
local article_of, number_of, stamp_of = {}, {}, {}
local mark, score, hidden, run = {}, {}, {}, 0
local function number(a, stamp)
  local n = number_of[a]
  if not n then
    n = #article_of + 1
    article_of[n], number_of[a] = a, n
    mark[n], score[n], hidden[n] = 0, 0, 0 -- kept as arrays
  end
  stamp_of[n] = stamp
  return n
end

-- A list's index, made on first use from its records (the same table for
-- every step of a stage on this state): at[q] = the number of its q-th
-- brief (newest first), pos[number] = q.
local indexes = setmetatable({}, { __mode = "k" })
local function index_of(records)
  local ix = indexes[records]
  if ix then return ix end
  local at, pos = {}, {}
  for q = 1, #records do
    local r = records[q]
    local n = number(r.article, r.value)
    at[q], pos[n] = n, q
  end
  ix = { at = at, pos = pos, n = #records }
  indexes[records] = ix
  return ix
end

-- The briefs scored for article i: each within `window` of it in a list
-- of weight > 0, leaving out those its "Previously" box shows (the next
-- `previously` briefs in its thread's list, which are older). Returns the
-- number of candidates, found in cands[1..n] (a scratch array, in the
-- order found); score[j] is the sum of the weights of the lists j was
-- found in.
local cands = {}
local function candidates(i, lists, weights, story, w)
  run = run + 1
  if story then
    local list = lists[story]
    local pos = list.pos[i]
    local last = pos + w.previously
    if last > list.n then last = list.n end
    for q = pos + 1, last do hidden[list.at[q]] = run end
  end
  local n, window = 0, w.window
  for r = 1, #lists do
    local weight = weights[r]
    if weight > 0 then
      -- numeric loops and inline bounds: this is the hottest loop
      local list = lists[r]
      local pos, at = list.pos[i], list.at
      local from, to = pos - window, pos + window
      if from < 1 then from = 1 end
      if to > list.n then to = list.n end
      for q = from, to do
        local j = at[q]
        if j ~= i and hidden[j] ~= run then
          if mark[j] == run then
            score[j] = score[j] + weight
          else
            mark[j], score[j] = run, weight
            n = n + 1
            cands[n] = j
          end
        end
      end
    end
  end
  return n
end

-- The k-th highest score of the n candidates, or -1 when n < k (equal
-- scores are alike). The k highest so far stay in kth_top (a scratch
-- array), highest first: most candidates cost one comparison.
local kth_top = {}
local function kth_highest(n, k)
  local top, m = kth_top, 0
  for c = 1, n do
    local s = score[cands[c]]
    local at
    if m < k then
      m = m + 1
      at = m
    elseif s > top[k] then
      at = k
    end
    if at then
      while at > 1 and s > top[at - 1] do
        top[at] = top[at - 1]
        at = at - 1
      end
      top[at] = s
    end
  end
  return m >= k and top[k] or -1
end

-- Does brief j (its total with the recency bonus, and its distance in
-- time) rank above brief o? Total, then nearer in time, then the site
-- order (newest first, then path): a total order, so the result never
-- depends on the order candidates were found in.
local function ranks_above(j, total, distance, o, o_total, o_distance)
  if total ~= o_total then return total > o_total end
  if distance ~= o_distance then return distance < o_distance end
  if stamp_of[j] ~= stamp_of[o] then return stamp_of[j] > stamp_of[o] end
  return article_of[j].path < article_of[o].path
end

-- The best `count` of the n candidates, best first, in the scratch arrays
-- best_j, best_total and best_distance; returns how many. A brief whose
-- score plus the largest bonus stays below the count-th highest score, or
-- below the total of the last of a full list, cannot make the list (the
-- bonus is at most `recency`), so most are left out before their bonus is
-- worked out. The list is kept in arrays: no table for each candidate.
local best_j, best_total, best_distance = {}, {}, {}
local function best(i, n, w)
  local count, recency, day = w.count, w.recency, 86400 * w.half_life
  local floor = kth_highest(n, count) - recency
  local ti = stamp_of[i]
  local bj, bt, bd, m = best_j, best_total, best_distance, 0
  for c = 1, n do
    local j = cands[c]
    local s = score[j]
    if s >= floor and (m < count or s + recency >= bt[m]) then
      local d = stamp_of[j] - ti
      if d < 0 then d = -d end
      local t = s + recency * 0.5 ^ (d / day)
      local at
      if m < count then
        m = m + 1
        at = m
      elseif ranks_above(j, t, d, bj[m], bt[m], bd[m]) then
        at = m -- the last one drops out
      end
      if at then
        while at > 1 and ranks_above(j, t, d, bj[at - 1], bt[at - 1], bd[at - 1]) do
          bj[at], bt[at], bd[at] = bj[at - 1], bt[at - 1], bd[at - 1]
          at = at - 1
        end
        bj[at], bt[at], bd[at] = j, t, d
      end
    end
  end
  return m
end

-- Why j is related to i: "Same story; also about A, B and C", naming i's
-- keys of weight > 0 that j is in too, in i's order.
local function reason(j, lists, weights, labels, story)
  local names, same_story = {}, false
  for r = 1, #lists do
    if weights[r] > 0 and lists[r].pos[j] then
      if r == story then same_story = true
      elseif #names < 3 then names[#names + 1] = labels[r] end
    end
  end
  if same_story and #names > 0 then return "Same story; also about " .. join(names) end
  if same_story then return "Same story" end
  return "Also about " .. join(names)
end

-- The indexes of a brief's lists (by its keys), their weights, and which
-- of them is its story's.
local function lists_of(site, keys, w)
  local lists, weights, story = {}, {}, nil
  for r = 1, #keys do
    local kind = KINDS[keys[r]:sub(1, 1)]
    lists[r], weights[r] = index_of(site:records("related-lists", keys[r])), w[kind]
    if kind == "thread" then story = r end
  end
  return lists, weights, story
end

-- start: checks site.yml `related:`, once a build
local function start(site)
  config.check(site, "related", SHAPE)
end

-- emit: the brief in the list of each of its keys, and its keys under its path
local function emit_brief(a, emit)
  local keys = keys_of(a)
  if #keys == 0 then return end
  local stamp = a.timestamp
  for r = 1, #keys do emit("related-lists", keys[r], stamp) end
  emit("related", a.path) -- its step finds the keys again: no copy kept
end

-- group: one brief (records[1] is it, with its keys): its `related`
local function relate(_, records, site)
  local w = settings(site)
  if w.count < 1 then return end
  local keys, labels = keys_of(records[1].article)
  local lists, weights, story = lists_of(site, keys, w)
  local i = number_of[records[1].article] -- in its lists, so numbered
  local n = candidates(i, lists, weights, story, w)
  if n == 0 then return end
  local related = {}
  for r = 1, best(i, n, w) do
    local j = best_j[r]
    local b = article_of[j]
    related[r] = { title = b.title, url = b.url,
                   reason = reason(j, lists, weights, labels, story) }
  end
  article_of[i].related = related
end

return {
  start = start,
  emit = emit_brief,
  group = { related = relate },
}
