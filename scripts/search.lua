-- search.lua: client-side search over the whole text of the briefs. Writes
-- the index as scripts (so that search works from a folder opened straight
-- from disk) and the search/ page, whose small script (the theme's
-- static/search.js) searches it in the browser. No server, no service.
--
-- The index: every brief's title, URL, date and summary (its "doc"), and
-- for every term (a folded word of the title, summary, names, body and
-- structured fields, folded by briefing.terms) the docs that hold it, as ascending
-- doc numbers, delta-coded in base 36 ("0,3,1a"). Up to CHUNK_AT briefs (or `search: {chunk_at: N}`) it
-- is one file, search-index.js. Above, search-index.js is only a manifest
-- and the rest is in search/: terms split by their first two characters
-- (t-<hex>.js) and docs by DOCS_PER_CHUNK (d-<n>.js), each loaded when a
-- query needs it, so a site of 100,000 briefs stays usable.
--
-- Keyed steps (briefing-lua(7)): each article's emit, in parallel and only
-- for the briefs that changed, folds its text into its sorted terms and
-- files them, with its doc, under the one key "all" of group "search";
-- the group step only counts and codes postings.

local config = require("lib.config")
local terms = require("lib.terms")

-- site.yml `search: {chunk_at: N}`: from how many briefs the index is split
local SHAPE = { chunk_at = "number" }
local CHUNK_AT, DOCS_PER_CHUNK = 3000, 1000

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local function script(site, url, body)
  site:add_page{ url = url, template = "raw", kind = "search-index", title = "Search index",
                 data = { body = body } }
end

-- the docs, and their postings by term (briefing.postings: doc numbers
-- from 0, ascending, delta-coded in base 36)
local function postings(records)
  local docs, lists = {}, {}
  for i = 1, #records do
    local v = records[i].value
    if v then
      docs[#docs + 1] = v.doc
      lists[#lists + 1] = v.terms
    end
  end
  return docs, briefing.postings(lists)
end

local function write_chunked(site, docs, coded)
  local chunks, keys = {}, {}
  for term, p in pairs(coded) do
    local key = hex(terms.prefix(term))
    local c = chunks[key]
    if not c then c = {}; chunks[key] = c; keys[#keys + 1] = key end
    c[term] = p
  end
  table.sort(keys)
  for _, key in ipairs(keys) do
    script(site, "search/t-" .. key .. ".js",
           "briefingSearch.load(\"t-" .. key .. "\", " .. briefing.json(chunks[key]) .. ");\n")
  end
  local n_docs = 0
  for first = 1, #docs, DOCS_PER_CHUNK do
    local part = table.move(docs, first, math.min(first + DOCS_PER_CHUNK - 1, #docs), 1, {})
    script(site, "search/d-" .. n_docs .. ".js",
           "briefingSearch.load(\"d-" .. n_docs .. "\", " .. briefing.json(part) .. ");\n")
    n_docs = n_docs + 1
  end
  return { count = #docs, docs_per_chunk = DOCS_PER_CHUNK, term_chunks = keys }
end

return {
  -- the key exists, and the pages are written, even with no articles
  start = function(site, emit)
    config.check(site, "search", SHAPE)
    emit("search", "all")
  end,

  emit = function(a, emit)
    local names = {}
    local ts, ps = a.topics, a.people
    for i = 1, #ts do names[#names + 1] = ts[i].title end
    for i = 1, #ps do names[#names + 1] = ps[i].name end
    local title, summary, k = a.title, a.summary or "", table.concat(names, " ")
    local kp = a.key_points
    emit("search", "all", { doc = { t = title, u = a.url, d = a.date_display, i = a.date_iso,
                                    s = summary, k = k },
                            terms = briefing.terms(title, summary, k, briefing.plain(a.content or ""),
                                                   a.why_it_matters, a.what_next, a.bottom_line,
                                                   type(kp) == "table" and kp or nil) })
  end,

  group = {
    search = function(_, records, site)
      local docs, coded = postings(records)
      local index
      local chunk_at = tonumber(config.read(site, "search", SHAPE).chunk_at) or CHUNK_AT
      if #docs <= chunk_at then
        index = { count = #docs, docs = docs, terms = coded }
      else
        index = write_chunked(site, docs, coded)
      end
      script(site, "search-index.js", "window.briefingSearch = " .. briefing.json(index) .. ";\n")
      site:add_page{ url = "search/", template = "search", kind = "search", title = "Search",
                     data = { description = "Search every brief on " .. site.title .. "." } }
      site:set_data("search_url", "search/")
    end,
  },
}
