-- lib/report.lua: warnings about an article's front matter, at the line of
-- the key they are about ("content/articles/x.md:4: thread: ..."). For
-- article filters: only they see article.meta_lines; keyed steps do not.
--   local warn = require("lib.report").warn
--   warn(article, "key_points[2]", "key_points: item %d: expected text", 2)

local M = {}

-- The line of a front-matter key in the article's file: "sources[2]" is the
-- second item of the list `sources`, else the line of `sources`; 1 when the
-- key is not there.
function M.line(article, key)
  local lines = article.meta_lines
  return lines[key] or lines[key:match("^(.-)%[%d+%]$") or ""] or 1
end

-- Warns at the line of `key`: the message is string.format(fmt, ...).
function M.warn(article, key, fmt, ...)
  briefing.log.warn(string.format("%s:%d: " .. fmt, article.path, M.line(article, key), ...))
end

return M
