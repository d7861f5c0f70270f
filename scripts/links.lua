-- links.lua: fixes links in article bodies so that they work wherever the
-- site is published. "/topics/x/" (the site's root as the editor sees it)
-- becomes a link relative to the page, so the site works from a subpath
-- or a folder; "www.example.org" without a scheme, or after a slash
-- ("/www.example.org/x"), gets https://; links to paths on the author's
-- computer ("/Users/...", "file:...", "C:\...", "\\server\..." or "\x") are
-- removed, keeping their text. A backslash alone does not make a path:
-- "http://x/a\b" and "foo\bar" stay links (CommonMark percent-encodes it).

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

-- Paths on the author's computer, pasted into copy: no reader can follow
-- them, so the link goes and its text stays.
local LOCAL_ROOTS = { Users = true, home = true, SHARE = true, Volumes = true, mnt = true,
                      tmp = true, Documents = true, Desktop = true, Downloads = true }

local function is_local_path(url)
  if url:find("^file:") or url:find("^%a:[/\\]") or url:find("^\\") then return true end
  local first = url:match("^[/\\]([^/\\]+)")
  return first ~= nil and LOCAL_ROOTS[first] == true
end

-- Most links are already whole ("https://..."): nothing to fix, and
-- never a local path, backslashes or not.
local function whole(url)
  return url:find("^https?://") ~= nil
end

return {
  Link = function(node, article)
    local url = node.url
    if whole(url) then return end
    if is_local_path(url) then
      briefing.log.warn(string.format("%s:%d: link to a local file path removed: %s",
                                      article.path, article.line_offset + node.start_line,
                                      url))
      return node:children()
    end
    url = fix(url, article)
    if url then node.url = url end
  end,
  Image = function(node, article)
    local url = node.url
    if whole(url) then return end
    url = fix(url, article)
    if url then node.url = url end
  end,
}
