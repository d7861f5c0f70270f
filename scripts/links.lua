-- links.lua: fixes links in article bodies so that they work wherever the
-- site is published. "/topics/x/" (the site's root as the editor sees it)
-- becomes a link relative to the page, so the site works from a subpath
-- or a folder; "www.example.org" without a scheme, or after a slash
-- ("/www.example.org/x"), gets https://.

local function fix(url, article)
  if url:find("^www%.") then return "https://" .. url end
  -- "/www.example.gov/x" or "/example.org/x": a domain typed after a slash
  local host = url:match("^/([%w%-]+%.[%w%-%.]*%a%a)/") or url:match("^/([%w%-]+%.[%w%-%.]*%a%a)$")
  if host and (host:find("^www%.") or host:find("%.[a-z][a-z][a-z]?$")) and not host:find("%.html?$") then
    return "https://" .. url:sub(2)
  end
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
