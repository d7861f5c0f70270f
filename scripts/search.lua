-- search.lua: client-side search over the whole text of the briefs. Writes
-- the index as scripts (so that search works from a folder opened straight
-- from disk) and the search/ page, whose small script (the theme's
-- static/search.js) searches it in the browser. No server, no service.
--
-- The index is split by month, one shard per month of briefs, so that an
-- edit rebuilds one month's shard and not the whole index. A shard holds
-- its briefs' docs (title, URL, date, summary, names), newest first and
-- numbered from 0, and for every term (a word of the title, summary,
-- names, body and structured fields, folded by briefing.terms) the docs
-- that hold it, as ascending numbers, delta-coded in base 36 ("0,3,1a",
-- briefing.postings). A shard of up to CHUNK_AT briefs (or `search:
-- {chunk_at: N}`) is one file, search/<YYYY-MM>.js; a bigger one is split:
-- its docs in search/<YYYY-MM>/d.js and its terms by their first two
-- characters in search/<YYYY-MM>/t-<hex>.js, each loaded when a query
-- needs it. search-index.js is the manifest: the shards, newest first,
-- with their sizes and, for a split shard, its term chunks.
--
-- Keyed steps (briefing-lua(7)): each brief's emit, in parallel and only
-- for the briefs that changed, folds its text into its terms and files
-- them under its month in group "search"; the group step reads each
-- brief's doc, codes the month's postings and writes its shard (a record
-- holds only the terms: what the step can read from the brief itself is
-- not copied into every record for the whole build); finish writes the
-- manifest and the search page from the shards' sizes, so it runs again
-- only when a shard's size or chunk list changes.

local config = require("lib.config")
local terms = require("lib.terms")

-- site.yml `search: {chunk_at: N}`: a month of more briefs is split
local SHAPE = { chunk_at = "number" }
local CHUNK_AT = 300

-- a term's first two characters as hex, for a chunk's file name
local HEX = setmetatable({}, { __index = function(memo, s)
  local h = s:gsub(".", function(c) return string.format("%02x", c:byte()) end)
  memo[s] = h
  return h
end })

local function script(site, url, name, data)
  site:add_page{ url = url, template = "raw", kind = "search-index", title = "Search index",
                 data = { body = "briefingSearch.load(\"" .. name .. "\", "
                                 .. briefing.json(data) .. ");\n" } }
end

-- the shard of a brief: the month of its date
local function month(a)
  local iso = a.date_iso
  return type(iso) == "string" and iso:match("^%d%d%d%d%-%d%d") or "undated"
end

-- the names a brief is about, as one string (its doc's k, and terms)
local function names_of(a)
  local names = {}
  local ts, ps = a.topics, a.people
  for i = 1, #ts do names[#names + 1] = ts[i].title end
  for i = 1, #ps do names[#names + 1] = ps[i].name end
  return table.concat(names, " ")
end

-- what a result shows of a brief: read here, from the brief, and not
-- carried in its record (which would hold a copy of each until the end)
local function doc_of(a)
  return { t = a.title, u = a.url, d = a.date_display, i = a.date_iso, s = a.summary or "",
           k = names_of(a) }
end

local function shard(key, records, site)
  local docs, lists = {}, {}
  for i = 1, #records do
    local v = records[i].value
    if v then
      docs[#docs + 1] = doc_of(records[i].article)
      lists[#lists + 1] = v
    end
  end
  local coded = briefing.postings(lists)
  local chunk_at = tonumber(config.read(site, "search", SHAPE).chunk_at) or CHUNK_AT
  if #docs <= chunk_at then
    script(site, "search/" .. key .. ".js", key, { docs = docs, terms = coded })
    return { m = key, n = #docs }
  end
  local chunks, keys = {}, {}
  for term, p in pairs(coded) do
    local k = HEX[terms.prefix(term)]
    local c = chunks[k]
    if not c then c = {}; chunks[k] = c; keys[#keys + 1] = k end
    c[term] = p
  end
  table.sort(keys)
  for _, k in ipairs(keys) do
    script(site, "search/" .. key .. "/t-" .. k .. ".js", key .. "/t-" .. k, chunks[k])
  end
  script(site, "search/" .. key .. "/d.js", key .. "/d", docs)
  return { m = key, n = #docs, p = keys }
end

local function manifest(summaries, site)
  local shards, count = {}, 0
  for i = #summaries, 1, -1 do -- newest month first
    local s = summaries[i].value
    if s then
      shards[#shards + 1] = s
      count = count + s.n
    end
  end
  site:add_page{ url = "search-index.js", template = "raw", kind = "search-index",
                 title = "Search index",
                 data = { body = "window.briefingSearch = "
                                 .. briefing.json({ count = count, shards = shards }) .. ";\n" } }
  site:add_page{ url = "search/", template = "search", kind = "search", title = "Search",
                 data = { description = "Search every brief on " .. site.title .. "." } }
  site:set_data("search_url", "search/")
end

return {
  start = function(site)
    config.check(site, "search", SHAPE)
  end,

  emit = function(a, emit)
    local kp = a.key_points
    emit("search", month(a), briefing.terms(a.title, a.summary or "", names_of(a),
                                            briefing.plain(a.content or ""), a.why_it_matters,
                                            a.what_next, a.bottom_line,
                                            type(kp) == "table" and kp or nil))
  end,

  group = { search = shard },
  finish = { search = manifest },
}
