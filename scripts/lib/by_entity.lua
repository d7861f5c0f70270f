-- lib/by_entity.lua: the articles that name each topic or person, newest
-- first (site.articles is newest first): { [topic or person] = {articles} }.
-- Used by indexes.lua and feeds.lua: require("lib.by_entity")(site, "topics")

return function(site, ...)
  local kinds = { ... }
  local lists = {}
  for _, a in ipairs(site.articles) do
    for _, kind in ipairs(kinds) do
      for _, e in ipairs(a[kind]) do
        local l = lists[e]
        if not l then l = {}; lists[e] = l end
        l[#l + 1] = a
      end
    end
  end
  return lists
end
