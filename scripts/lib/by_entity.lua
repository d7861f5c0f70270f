-- lib/by_entity.lua: the articles that name each topic or person, newest
-- first (site.articles is newest first): { [topic or person] = {articles} }.
-- Used by indexes.lua and feeds.lua: require("lib.by_entity")(site, "topics")

return function(site, ...)
  local kinds = { ... }
  local lists, articles = {}, site.articles
  for i = 1, #articles do -- numeric loops: ipairs is a call per item
    local a = articles[i]
    for k = 1, #kinds do
      local es = a[kinds[k]]
      for q = 1, #es do
        local e = es[q]
        local l = lists[e]
        if not l then l = {}; lists[e] = l end
        l[#l + 1] = a
      end
    end
  end
  return lists
end
