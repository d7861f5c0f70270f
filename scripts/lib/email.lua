-- lib/email.lua: the briefs of an edition's email, which editions.lua
-- writes as editions/<day>/email.html and email.txt. Each brief comes with
-- its lead image and either its card only (the default) or its whole text;
-- the HTML keeps the body as the page has it, with every address absolute
-- and images that fit the column; the text is plain, wrapped at 72
-- columns. Not a general HTML to text converter: it reads the HTML that
-- cmark and filters write.
--   local email = require("lib.email")
--   email.check(site)                        -- start, once a build
--   local html, text = email.briefs(site, articles)
-- site.yml: email: {content: full | summary}

local config = require("lib.config")

local M = {}

-- site.yml `email:` as lib/config.lua reads it (check() reports errors)
local SHAPE = { content = "text" }

-- Whole briefs (full) or cards (summary, the default: the whole text is
-- converted to plain text here, in Lua, about 0.4 ms a brief, which
-- tripled editions.lua's time in a clean build of 10k briefs); calls
-- warn(keys, message) for any other value.
local function full_content(conf, warn)
  local mode = conf.content
  if mode ~= nil and mode ~= "full" and mode ~= "summary" and warn then
    warn({ "email", "content" },
         "email: content: expected full or summary, found '" .. tostring(mode) .. "'")
  end
  return mode == "full"
end

-- Whether the email carries each brief's whole text.
function M.full(site)
  return full_content(config.read(site, "email", SHAPE))
end

-- Reports the email: settings of the wrong type (errors), else a value it
-- cannot use (a warning); once a build, from editions.lua's start step.
function M.check(site)
  if config.check(site, "email", SHAPE) > 0 then return end
  full_content(config.read(site, "email", SHAPE),
               function(keys, message) config.warn(site, keys, message) end)
end

-- ---- plain text ----

local WIDTH = 72

-- text in lines of at most WIDTH characters (a longer word alone on its
-- line), the first starting with `first`, the others with `rest`
function M.wrap(text, first, rest)
  local lines, line, len = {}, first, utf8.len(first)
  local empty = true
  for word in tostring(text):gmatch("%S+") do
    local n = utf8.len(word) or #word
    if not empty and len + 1 + n > WIDTH then
      lines[#lines + 1] = line
      line, len, empty = rest .. word, utf8.len(rest) + n, false
    else
      line = line .. (empty and "" or " ") .. word
      len = len + (empty and 0 or 1) + n
      empty = false
    end
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end
local wrap = M.wrap

local ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", nbsp = "\u{A0}" }

-- The character of an entity's name ("amp", "#39", "#x2019"); a control
-- character or an impossible code point is a space; nil for a name it
-- does not know (the entity is kept as written).
local function entity(name)
  local hex, dec = name:match("^#[xX](%x+)$"), name:match("^#(%d+)$")
  local n = (hex and tonumber(hex, 16)) or (dec and tonumber(dec))
  if not n then return ENTITIES[name] end
  if n < 32 or (n >= 127 and n < 160) or n > 0x10FFFF or (n >= 0xD800 and n <= 0xDFFF) then
    return " "
  end
  return utf8.char(n)
end

local function decode(s)
  return (s:gsub("&(#?%w+);", entity))
end

-- The value of attribute `name` in a tag, decoded, or nil (cmark writes
-- every attribute in double quotes).
local function attribute(tag, name)
  local v = tag:match("%s" .. name .. '="([^"]*)"')
  return v and decode(v)
end

-- An address on a line of its own: never broken, it loses its indent
-- rather than pass WIDTH.
local function address_line(address, indent)
  return utf8.len(indent) + utf8.len(address) <= WIDTH and indent .. address or address
end

-- "[Image: alt] <url>" at `indent`: the alt text wrapped, the address
-- after it when it fits, else on the next line.
local function image_line(alt, url, indent)
  local label = wrap((alt and alt:find("%S")) and ("[Image: " .. alt .. "]") or "[Image]",
                     indent, indent)
  if not url or url == "" then return label end
  local address = "<" .. url .. ">"
  if utf8.len(label:match("[^\n]*$")) + 1 + utf8.len(address) <= WIDTH then
    return label .. " " .. address
  end
  return label .. "\n" .. address_line(address, indent)
end

-- The body being turned into text: `out` the blocks written, `words` the
-- text of the block being read, and where it stands (quotes, lists, the
-- marker of a list item not yet written, the open link, table cells).
local Text = {}
Text.__index = Text

local function new_text(site_url, indent)
  return setmetatable({ out = {}, words = {}, quote = 0, lists = {}, cells = 0,
                        after_item = false, site_url = site_url, indent = indent }, Text)
end

-- Adds a block: after a blank line, or on the next line for an item of
-- a list that follows another.
function Text:emit(text, item)
  local out = self.out
  out[#out + 1] = (#out == 0 and "" or (item and "\n" or "\n\n")) .. text
end

function Text:prefix()
  return self.indent .. string.rep("> ", self.quote) .. string.rep("   ", math.max(#self.lists - 1, 0))
end

-- Ends the block being read: each of its lines (a <br> starts one) wrapped.
function Text:flush()
  local text = table.concat(self.words)
  self.words = {}
  if not text:find("%S") then return end
  local base, marker = self:prefix(), self.marker
  local first, rest = base .. (marker or ""), base .. string.rep(" ", marker and #marker or 0)
  local item = marker ~= nil and self.after_item
  self.marker = nil
  local lines = {}
  for part in (text .. "\n"):gmatch("([^\n]*)\n") do
    if part:find("%S") then lines[#lines + 1] = wrap(part, #lines == 0 and first or rest, rest) end
  end
  self:emit(table.concat(lines, "\n"), item)
  self.after_item = #self.lists > 0
end

-- A block of its own (an image, a rule, code): the text before it ends.
function Text:block(text)
  self:flush()
  self:emit(text)
  self.after_item = false
end

function Text:put(s)
  self.words[#self.words + 1] = decode((s:gsub("%s+", " ")))
end

-- The link's address after its text, when it leaves the site and the
-- text does not already say it.
function Text:close_link()
  local href, words = self.link.href, self.words
  local shown = table.concat(words, "", self.link.from):gsub("^%s+", ""):gsub("%s+$", "")
  local outside = (href:match("^https?://") or href:match("^mailto:"))
                  and href:sub(1, #self.site_url) ~= self.site_url
  if outside and shown ~= href and shown ~= href:gsub("^mailto:", "") then
    words[#words + 1] = " <" .. href .. ">"
  end
  self.link = nil
end

-- What a tag does to the text: TAGS[name](text, tag, opening, html, pos)
-- returns where reading goes on when the element's content is read (or
-- skipped) at once, else nil.
local TAGS = {}
for name in ("p div h1 h2 h3 h4 h5 h6 figure figcaption table dl dt dd section aside "
             .. "header footer details summary"):gmatch("%S+") do
  TAGS[name] = Text.flush
end
function TAGS.pre(t, _, opening, html, pos)
  if not opening then return nil end
  local from, to = html:find("</pre>", pos, true)
  local code = decode(html:sub(pos, (from or #html + 1) - 1):gsub("<[^>]*>", ""))
  local lines, prefix = {}, t:prefix() .. "    "
  for line in (code:gsub("\n$", "") .. "\n"):gmatch("([^\n]*)\n") do
    lines[#lines + 1] = line == "" and "" or prefix .. line
  end
  t:block(table.concat(lines, "\n"))
  return (to or #html) + 1
end
local function skip(name)
  return function(_, _, opening, html, pos)
    if not opening then return nil end
    local _, to = html:find("</" .. name .. "%s*>", pos)
    return (to or #html) + 1
  end
end
TAGS.script, TAGS.style = skip("script"), skip("style")
function TAGS.img(t, tag)
  t:block(image_line(attribute(tag, "alt"), attribute(tag, "src"), t:prefix()))
end
function TAGS.br(t) t.words[#t.words + 1] = "\n" end
function TAGS.hr(t) t:block(t:prefix() .. "----") end
function TAGS.a(t, tag, opening)
  if opening then
    local href = attribute(tag, "href")
    t.link = href and { href = href, from = #t.words + 1 } or nil
  elseif t.link then
    t:close_link()
  end
end
function TAGS.ul(t, tag, opening)
  t:flush()
  if opening then
    local start = math.tointeger(tonumber(attribute(tag, "start") or ""))
    t.lists[#t.lists + 1] = { ordered = tag:match("^<(%w+)"):lower() == "ol", n = start or 1 }
  else
    t.lists[#t.lists] = nil
  end
end
TAGS.ol = TAGS.ul
function TAGS.li(t, _, opening)
  t:flush()
  local list = t.lists[#t.lists]
  if opening and list then
    t.marker = list.ordered and (list.n .. ". ") or "- "
    list.n = list.n + 1
  end
end
function TAGS.blockquote(t, _, opening)
  t:flush()
  t.quote = math.max(t.quote + (opening and 1 or -1), 0)
end
function TAGS.tr(t)
  t:flush()
  t.cells = 0
end
function TAGS.td(t, _, opening)
  if not opening then return end
  if t.cells > 0 then t.words[#t.words + 1] = " | " end
  t.cells = t.cells + 1
end
TAGS.th = TAGS.td

-- The body HTML as plain text: paragraphs wrapped at WIDTH with `indent`
-- before each line and a blank line between them; list items as "- " or
-- "1. ", quotes as "> ", code blocks as they are (four more spaces in),
-- each image as "[Image: alt] <url>" on a line of its own, and links that
-- leave the site (outside `site_url`) followed by " <address>". Raw HTML
-- cmark omitted and the text of script and style elements are left out.
function M.text_of(html, site_url, indent)
  local t = new_text(site_url, indent)
  local pos, len = 1, #html
  while pos <= len do
    local lt = html:find("<", pos, true)
    if not lt then t:put(html:sub(pos)); break end
    if lt > pos then t:put(html:sub(pos, lt - 1)) end
    local comment = html:sub(lt, lt + 3) == "<!--"
    local _, gt = html:find(comment and "-->" or ">", lt + (comment and 4 or 1), true)
    if not gt then
      if not comment then t:put(html:sub(lt)) end
      break
    end
    pos = gt + 1
    local tag = html:sub(lt, gt)
    local closing, name = tag:match("^<(/?)(%w+)")
    local act = name and TAGS[name:lower()]
    if comment then -- left out
    elseif not name then t:put(tag) -- a "<" that starts no tag
    elseif act then pos = act(t, tag, closing == "", html, pos) or pos end
  end
  t:flush()
  return table.concat(t.out)
end

-- ---- the briefs ----

-- An article's field as text, or nil (a front-matter value may be
-- anything; structured.lua leaves only text in the sections it checks).
local function text_field(v)
  if type(v) == "string" and v:find("%S") then return v end
  if type(v) == "number" then return tostring(v) end
  return nil
end

-- The summary the email shows: with the whole brief, not one made from
-- its first paragraph (the body follows), as on the brief's page.
local function shown_summary(a, full)
  local summary = text_field(a.summary)
  if full and a.summary_generated == true then return nil end
  return summary
end

-- The body as the email shows it: absolute addresses, each image at most
-- as wide as the column and as tall as its width allows (its width and
-- height attributes stay, for the space it takes while it loads).
local IMG_STYLE = "max-width:100%;height:auto;"
local function email_html(html)
  return (html:gsub("<img(%s[^>]*)>", function(attrs)
    local styled, n = attrs:gsub('(%sstyle=")', function(s) return s .. IMG_STYLE end, 1)
    if n > 0 then return "<img" .. styled .. ">" end
    return '<img style="' .. IMG_STYLE .. '"' .. attrs .. ">"
  end))
end

-- The lead image's lines in the text email: the image, then caption and credit.
local function text_image(image, indent)
  if type(image) ~= "table" or not image.permalink then return nil end
  local lines = image_line(image.alt, image.permalink, indent)
  local caption, credit = text_field(image.caption), text_field(image.credit)
  local note = (caption and credit) and (caption .. " " .. credit) or caption or credit
  if note then lines = lines .. "\n" .. wrap(note, indent, indent) end
  return lines
end

-- The whole text after the summary: key points, the body, what's next and
-- the bottom line, as blocks with a blank line between them.
local function text_body(a, html, site_url)
  local blocks = {}
  local points = a.key_points
  if type(points) == "table" and #points > 0 then
    local lines = { "  Key points:" }
    for _, p in ipairs(points) do lines[#lines + 1] = wrap(tostring(p), "  - ", "    ") end
    blocks[#blocks + 1] = table.concat(lines, "\n")
  end
  local body = M.text_of(html, site_url, "  ")
  if body ~= "" then blocks[#blocks + 1] = body end
  local what_next, bottom_line = text_field(a.what_next), text_field(a.bottom_line)
  if what_next then blocks[#blocks + 1] = wrap("What’s next: " .. what_next, "  ", "  ") end
  if bottom_line then
    blocks[#blocks + 1] = wrap("The bottom line: " .. bottom_line, "  ", "  ")
  end
  return table.concat(blocks, "\n\n")
end

-- One brief of the text email. Every key is set (false when empty), so
-- that a section never finds one further out.
local function text_brief(a, html, full, site_url)
  local summary, why = shown_summary(a, full), text_field(a.why_it_matters)
  local link = address_line(a.permalink, "  ")
  local body = full and text_body(a, html, site_url) or ""
  return { title = wrap(a.title, "* ", "  "), link = link,
           image = text_image(a.image, "  ") or false,
           summary = summary and wrap(summary, "  ", "  ") or false,
           why = why and wrap("Why it matters: " .. why, "  ", "  ") or false,
           body = body ~= "" and body or false }
end

-- A body longer than this goes as its card: no brief is that long, mail
-- clients clip long messages (Gmail at 102 KB), and the text version is
-- made in Lua, within a call's instruction budget.
local MAX_BODY = 64 * 1024

-- The briefs of the HTML and of the text email, in the articles' order:
-- {article, summary, content} (content: the body's HTML, false for cards)
-- and the text as text_brief makes it.
function M.briefs(site, articles)
  local full = M.full(site)
  local html, text = {}, {}
  for i, a in ipairs(articles) do
    local content = a.content or ""
    local whole = full and #content <= MAX_BODY
    local body = whole and briefing.absolute_urls(content, a.permalink) or nil
    html[i] = { article = a, summary = shown_summary(a, whole) or false,
                content = body and email_html(body) or false }
    text[i] = text_brief(a, body, whole, site.base_url)
  end
  return html, text
end

return M
