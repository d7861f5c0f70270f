-- mentions.lua: links the first mention of each known person in an
-- article's body (full name or any alias, possessives included) to the
-- person's page. Never inside links, images or headings, never part of a
-- longer word ("Trumpet" is not Trump). An alias shared by two people is
-- linked only when the article's `people` list says which one is meant.
-- Options: add_people (default true) adds linked people to the article's
-- `people` so the person page lists it.

local options = ... or {}
local add_people = options.add_people ~= false

local SEPARATORS = "%s,;:!?%(%)%[%]\""
local WORD = "[^" .. SEPARATORS .. "]+"
local WORDS = "()(" .. WORD .. ")()"
-- words starting with a capital (ASCII or any non-ASCII letter): when
-- every name does, only these are looked at, which is most of the speed
-- (%f sees "\0" before the text, so "\0" counts as a separator there)
local CAPITALISED = "%f[^\0" .. SEPARATORS .. "]()([%u\195-\244][^" .. SEPARATORS .. "]*)()"
local NEXT_WORD = "^ " .. WORD -- the next word of a name: after exactly one space

local index, max_words -- name or alias -> person, or a list when ambiguous
local first_words        -- the first word of every name and alias
local words_pattern      -- the words that may start a name

local function build_index()
  index, max_words, first_words = {}, 1, {}
  local all_capitals = true
  for _, p in ipairs(briefing.site.people) do
    local names = { p.name }
    for _, alias in ipairs(p.aliases) do names[#names + 1] = alias end
    for _, name in ipairs(names) do
      local cur = index[name]
      if cur == nil then
        index[name] = p
      elseif type(cur) == "table" then
        local dup = false
        for _, q in ipairs(cur) do dup = dup or q == p end
        if not dup then cur[#cur + 1] = p end
      elseif cur ~= p then
        index[name] = { cur, p }
      end
      local _, words = name:gsub("%S+", "")
      if words > max_words then max_words = words end
      local first = name:match("^%S+") or name
      all_capitals = all_capitals and first:find("^[%u\195-\244]") ~= nil
      -- the first word as it may stand in text: "Kim", "Kim's", "Kim."
      for _, form in ipairs({ first, first .. "'s", first .. "'", first .. "." }) do
        first_words[form] = true
      end
    end
  end
  words_pattern = all_capitals and CAPITALISED or WORDS
end

-- The person a name means in this article, or nil.
local function resolve(name, listed)
  local hit = index[name]
  if type(hit) ~= "table" then return hit end
  local found
  for _, p in ipairs(hit) do
    if listed[p.name] then
      if found then return nil end
      found = p
    end
  end
  return found
end

local state -- per article: people already linked, names listed in front matter

local function inside_excluded(node)
  local p = node.parent
  while p do
    local t = p.t
    if t == "Link" or t == "Image" or t == "Heading" then return true end
    p = p.parent
  end
  return false
end

-- Strips a trailing possessive or full stop from the last word of a name.
local function trim(name)
  local core = name:gsub("'s$", "")
  if core ~= name then return core end
  return (name:gsub("%.$", ""))
end


-- Finds mentions in text: {s, e, person} for each, in order. Curly quotes,
-- apostrophes and dashes (three bytes each in UTF-8) are blanked first,
-- byte for byte, so positions still match the original text. Most words
-- start no name, so one table lookup per word is all they cost.
local function find_mentions(text)
  local scan = text
  if text:find("\226\128", 1, true) then
    scan = text:gsub("\226\128[\147\148\152\153\156\157]", "   ")
  end
  local hits, skip = {}, 1
  for s, w, e in scan:gmatch(words_pattern) do
    if s >= skip and first_words[w] then
      local ends, pos = { e - 1 }, e
      for k = 2, max_words do
        local _, we = scan:find(NEXT_WORD, pos)
        if not we then break end
        ends[k], pos = we, we + 1
      end
      for k = #ends, 1, -1 do -- the longest name wins
        local span = scan:sub(s, ends[k])
        local cand, p = span, resolve(span, state.listed)
        if not p then
          cand = trim(span)
          p = cand ~= span and resolve(cand, state.listed)
        end
        if p then
          hits[#hits + 1] = { s = s, e = s + #cand - 1, person = p }
          skip = ends[k] + 1
          break
        end
      end
    end
  end
  return hits
end

return {
  traverse = "topdown",

  Document = function(doc, article)
    if not index then build_index() end
    local listed = {}
    for _, name in ipairs(article.meta.people or {}) do listed[name] = true end
    state = { linked = {}, listed = listed, article = article }
  end,

  Text = function(node, article)
    local text = node.literal
    if not text:find("%u") or inside_excluded(node) then return nil end
    local out, pos = {}, 1
    for _, h in ipairs(find_mentions(text)) do
      local p = h.person
      if not state.linked[p] then
        state.linked[p] = true
        if h.s > pos then out[#out + 1] = briefing.Text(text:sub(pos, h.s - 1)) end
        out[#out + 1] = briefing.Link(text:sub(h.s, h.e), briefing.relative(article.url, p.url),
                                      p.name)
        pos = h.e + 1
        if add_people and not state.listed[p.name] then
          state.listed[p.name] = true
          local people = article.meta.people or {}
          people[#people + 1] = p.name
          article.meta.people = people
        end
      end
    end
    if #out == 0 then return nil end
    if pos <= #text then out[#out + 1] = briefing.Text(text:sub(pos)) end
    return out
  end,
}
