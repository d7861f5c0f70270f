-- links.lua: fixes links in article bodies so that they work wherever the
-- site is published. "/topics/x/" (the site's root as the editor sees it)
-- becomes a link relative to the page, so the site works from a subpath
-- or a folder; "www.example.org" without a scheme gets https://.

local function fix(url, article)
  if url:find("^www%.") then return "https://" .. url end
  if url:find("^/[^/]") or url == "/" then
    return briefing.relative(article.url, url:sub(2))
  end
  return nil
end

return {
  Link = function(node, article)
    local url = fix(node.url, article)
    if url then node.url = url end
  end,
  Image = function(node, article)
    local url = fix(node.url, article)
    if url then node.url = url end
  end,
}
