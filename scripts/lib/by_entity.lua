-- lib/by_entity.lua: the articles that name each topic or person, newest
-- first (site.articles is newest first): { [topic or person] = {articles} }.
-- For site hooks on the main state (site.articles):
-- require("lib.by_entity")(site, "topics"). The default scripts file
-- articles under entity keys in keyed steps instead (lib/entities.lua).

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
