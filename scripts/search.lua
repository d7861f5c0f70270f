-- search.lua: client-side search. Writes search-index.js (every article's
-- title, URL, date, summary, topics and people, as a script so that the
-- search works from a folder opened straight from disk) and the search/
-- page, whose small script (the theme's static/search.js) searches it in
-- the browser. No server, no external service.
--
-- Keyed steps (briefing-lua(7)): each article emits its entry into the
-- one key "all" of group "search"; the group step writes both pages. An
-- edit re-runs the group step only when an entry changed.

return {
  -- the key exists, and the pages are written, even with no articles
  start = function(_, emit)
    emit("search", "all")
  end,

  emit = function(a, emit)
    local names = {}
    local ts, ps = a.topics, a.people
    for i = 1, #ts do names[#names + 1] = ts[i].title end
    for i = 1, #ps do names[#names + 1] = ps[i].name end
    emit("search", "all", { t = a.title, u = a.url, d = a.date_display, i = a.date_iso,
                            s = a.summary or "", k = table.concat(names, " ") })
  end,

  group = {
    search = function(_, records, site)
      local docs = {}
      for i = 1, #records do
        local v = records[i].value
        if v then docs[#docs + 1] = v end
      end
      site:add_page{ url = "search-index.js", template = "raw", kind = "search-index",
                     title = "Search index",
                     data = { body = "window.briefingSearch = " .. briefing.json(docs) .. ";\n" } }
      site:add_page{ url = "search/", template = "search", kind = "search", title = "Search",
                     data = { description = "Search every brief on " .. site.title .. "." } }
      site:set_data("search_url", "search/")
    end,
  },
}
