-- search.lua: client-side search. Writes search-index.js (every article's
-- title, URL, date, summary, topics and people, as a script so that the
-- search works from a folder opened straight from disk) and the search/
-- page, whose small script (the theme's static/search.js) searches it in
-- the browser. No server, no external service.

return {
  collections = function(site)
    local docs = {}
    for i, a in ipairs(site.articles) do
      local names = {}
      for _, t in ipairs(a.topics) do names[#names + 1] = t.title end
      for _, p in ipairs(a.people) do names[#names + 1] = p.name end
      docs[i] = { t = a.title, u = a.url, d = a.date_display, i = a.date_iso,
                  s = a.summary or "", k = table.concat(names, " ") }
    end
    site:add_page{ url = "search-index.js", template = "raw", kind = "search-index",
                   title = "Search index",
                   data = { body = "window.briefingSearch = " .. briefing.json(docs) .. ";\n" } }
    site:add_page{ url = "search/", template = "search", kind = "search", title = "Search",
                   data = { description = "Search every brief on " .. site.title .. "." } }
    site:set_data("search_url", "search/")
  end,
}
