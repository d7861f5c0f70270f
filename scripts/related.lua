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
                   half_life = 30, window = 25 }

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
  return slug, entry and (entry.title or entry.name) or t
end

return {
  collections = function(site)
    local w = settings(site)
    if w.count < 1 then return end
    local articles = site.articles -- newest first: an index is a date rank
    local n = #articles
    local stamp, keys, lists, label = {}, {}, {}, {}

    -- inverted lists: key -> article indexes in date order
    local function add(i, mine, key, name, kind)
      local list = lists[key]
      if not list then list = {}; lists[key] = list; label[key] = name end
      list[#list + 1] = i
      mine[#mine + 1] = { key = key, pos = #list, weight = w[kind], kind = kind }
    end
    for i = 1, n do
      local a = articles[i]
      stamp[i] = a.timestamp
      local mine = {}
      for _, p in ipairs(a.people) do add(i, mine, "p:" .. p.slug, p.name, "people") end
      for _, t in ipairs(a.topics) do add(i, mine, "t:" .. t.slug, t.title, "topics") end
      local slug, title = thread_of(a)
      if slug then add(i, mine, "s:" .. slug, title, "thread") end
      keys[i] = mine
    end

    local day = 86400 * w.half_life
    local items = {}
    local function item(j)
      local it = items[j]
      if not it then
        local b = articles[j]
        it = { title = b.title, url = b.url, date_display = b.date_display, date_iso = b.date_iso }
        items[j] = it
      end
      return it
    end

    -- briefs in an article's "Previously in this story" box (threads.lua)
    -- are not repeated here
    local tconf = type(site.config.threads) == "table" and site.config.threads or {}
    local previously = tonumber(tconf.previously) or 5

    for i = 1, n do
      local score, shown = {}, nil
      for _, k in ipairs(keys[i]) do
        if k.kind == "thread" then
          shown = {}
          local list = lists[k.key]
          for q = k.pos + 1, math.min(#list, k.pos + previously) do shown[list[q]] = true end
        end
      end
      for _, k in ipairs(keys[i]) do
        if k.weight > 0 then
          local list = lists[k.key]
          for q = math.max(1, k.pos - w.window), math.min(#list, k.pos + w.window) do
            local j = list[q]
            if j ~= i and not (shown and shown[j]) then score[j] = (score[j] or 0) + k.weight end
          end
        end
      end
      -- the best `count`, kept sorted: score, then nearer in time, then
      -- the article order (newest first, then path): a total order
      local best, total, gap = {}, {}, {}
      local ti = stamp[i]
      for j, s in pairs(score) do
        local d = math.abs(stamp[j] - ti)
        local t = s + w.recency * 0.5 ^ (d / day)
        local m = #best
        if m < w.count or t > total[best[m]] or
           (t == total[best[m]] and (d < gap[best[m]] or (d == gap[best[m]] and j < best[m]))) then
          total[j], gap[j] = t, d
          local at = m < w.count and m + 1 or m
          while at > 1 do
            local o = best[at - 1]
            if total[o] > t or (total[o] == t and (gap[o] < d or (gap[o] == d and o < j))) then break end
            best[at] = o
            at = at - 1
          end
          best[at] = j
          if #best > w.count then best[#best] = nil end
        end
      end
      if #best > 0 then
        local related = {}
        for r, j in ipairs(best) do
          local theirs = {}
          for _, k in ipairs(keys[j]) do theirs[k.key] = true end
          local names, same_story = {}, false
          for _, k in ipairs(keys[i]) do
            if theirs[k.key] and k.weight > 0 then
              if k.kind == "thread" then same_story = true
              elseif #names < 3 then names[#names + 1] = label[k.key] end
            end
          end
          local reason
          if same_story and #names > 0 then reason = "Same story; also about " .. join(names)
          elseif same_story then reason = "Same story"
          else reason = "Also about " .. join(names) end
          local it = item(j)
          related[r] = { title = it.title, url = it.url, date_display = it.date_display,
                         date_iso = it.date_iso, reason = reason }
        end
        articles[i].related = related
      end
    end
  end,
}
