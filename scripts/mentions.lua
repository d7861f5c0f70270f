-- mentions.lua: links the first mention of each known person in an
-- article's body (full name or any alias, possessives included) to the
-- person's page. Never inside links, images or headings, never part of a
-- longer word ("Trumpet" is not Trump). An alias shared by two people is
-- linked only when the article's `people` list says which one is meant.
-- Options: add_people (default true) adds linked people to the article's
-- `people` so the person page lists it.

local options = ... or {}
local add_people = options.add_people ~= false

local index   -- name or alias -> person, or a list when ambiguous
local matcher -- finds every name and alias in text (briefing.matcher)

local function build_index()
  index = {}
  local all = {}
  for _, p in ipairs(briefing.site.people) do
    local own = { p.name }
    for _, alias in ipairs(p.aliases) do own[#own + 1] = alias end
    for _, name in ipairs(own) do
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
      all[#all + 1] = name
    end
  end
  matcher = briefing.matcher(all)
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



-- Finds mentions in text: {s, e, person} for each, in order. The matcher
-- does the word-boundary search (whole words, longest name first,
-- possessives and curly quotes handled); which person a name means is
-- decided here.
local NONE = {}
local function find_mentions(text)
  local found = matcher:scan(text)
  if not found then return NONE end
  local hits = {}
  for i = 1, #found, 3 do
    local p = resolve(found[i + 2], state.listed)
    if p then hits[#hits + 1] = { s = found[i], e = found[i + 1], person = p } end
  end
  return hits
end

-- worker states know the people when the script loads: build the index
-- now, so the walk can skip text without a name in C (`when`)
if briefing.site then build_index() end

return {
  traverse = "topdown",
  when = { Text = matcher },

  Document = function(doc, article)
    if not index then build_index() end
    local listed = {}
    for _, name in ipairs(article.meta.people or {}) do listed[name] = true end
    state = { linked = {}, listed = listed, article = article }
  end,

  Text = function(node, article)
    local text = node.literal
    local hits = find_mentions(text)
    -- most text has no name in it: the tree is only climbed for text that has
    if #hits == 0 or inside_excluded(node) then return nil end
    local out, pos = {}, 1
    for _, h in ipairs(hits) do
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
