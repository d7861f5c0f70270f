-- mentions.lua: links the first mention of each known person (and each
-- organisation, country or other typed entity, see lib/entities.lua) in an
-- article's body (full name or any alias, possessives included) to its
-- page. Never inside links, images, headings or code, never part of a
-- longer word ("Trumpet" is not Trump); a name a line break splits, or
-- one joined to another by a hyphen ("Kim Jong Un-Trump"), is linked
-- whole. An alias shared by two people is
-- linked only when the article's `people` list says which one is meant.
--
-- site.yml: mentions: {link: first | all | none, add_people: true}
-- (options given in `filters:` win). link: all links every mention, none
-- only adds names; add_people adds the people (and entities) a body
-- mentions to the article's front matter list, so their pages list it.

local options = ... or {}
local entities = require("lib.entities")
local config = require("lib.config")

local conf         -- link, add
local index        -- name or alias -> target, or a list of targets when shared
local by_lower     -- lower-case name, alias or slug -> target (false when shared)
local matcher      -- finds every name and alias in a body (briefing.matcher)

-- site.yml `mentions:` (lib/config.lua); options win
local SHAPE = { link = "text", add_people = "boolean" }
local LINKS = { first = true, all = true, none = true }

local function setting(site, key, dflt)
  local v = options[key]
  if v == nil then v = config.read(site, "mentions", SHAPE)[key] end
  if v == nil then return dflt end
  return v
end

-- start: reports wrong settings, once a build
local function check(site)
  config.check(site, "mentions", SHAPE)
  local link = tostring(setting(site, "link", "first"))
  if not LINKS[link] then
    local message = "mentions: link: expected first, all or none, found \"" .. link .. "\""
    if options.link == nil then config.error(site, { "mentions", "link" }, message)
    else briefing.log.error(message) end
  end
end

-- A target is a person's place in site.people (its table is made only
-- when a mention of it is linked or listed: target) or an entity's table.
local people_targets = {}
local function target(t)
  if type(t) ~= "number" then return t end
  local made = people_targets[t]
  if not made then
    local p = briefing.site.people[t]
    made = { name = p.name, url = p.url, slug = p.slug, field = "people" }
    people_targets[t] = made
  end
  return made
end

local function build_index()
  conf = { link = tostring(setting(briefing.site, "link", "first")),
           add = setting(briefing.site, "add_people", true) ~= false }
  index, by_lower, people_targets = {}, {}, {}
  local all = {}
  local function add(name, t)
    local cur = index[name]
    if cur == nil then
      index[name] = t
      all[#all + 1] = name
    elseif type(cur) == "table" and cur.targets then
      for _, q in ipairs(cur.targets) do if q == t then return end end
      cur.targets[#cur.targets + 1] = t
    elseif cur ~= t then
      index[name] = { targets = { cur, t } }
    end
  end
  local function lower(name, t)
    local k = name:lower()
    local cur = by_lower[k]
    if cur == nil then by_lower[k] = t elseif cur ~= t then by_lower[k] = false end
  end
  -- each target's name, then its aliases; a full name beats an alias
  local function register(t, name, slug, aliases, first, last)
    add(name, t)
    for i = first, last do add(aliases[i], t) end
    by_lower[name:lower()] = t
    by_lower[slug] = by_lower[slug] or t
    for i = first, last do lower(aliases[i], t) end
  end
  -- people: their names in one call (a person's name, then its aliases)
  local names, owner, aliased, slugs = briefing.site:person_names()
  local j, n = 1, #names
  while j <= n do
    local first = j
    j = j + 1
    while j <= n and aliased[j] do j = j + 1 end
    local p = owner[first]
    register(p, names[first], slugs[p], names, first + 1, j - 1)
  end
  for _, k in ipairs(entities.kinds(briefing.site)) do
    for _, e in ipairs(k.items) do
      local aliases = {}
      for i, a in ipairs(e.aliases) do aliases[i] = tostring(a) end
      register({ name = e.name, url = e.url, slug = e.slug, field = k.key }, e.name, e.slug,
        aliases, 1, #aliases)
    end
  end
  matcher = briefing.matcher(all)
end

local state -- per article: the targets its front matter lists (and those added)

-- The target a name means in this article, or nil: a shared alias needs
-- exactly one of its owners listed.
local function resolve(name)
  local hit = index[name]
  if type(hit) ~= "table" or not hit.targets then return hit end
  local found
  for _, t in ipairs(hit.targets) do
    if state.listed[t] then
      if found then return nil end
      found = t
    end
  end
  return found
end

-- Lists a target in the article's front matter (people: [...], orgs: [...]).
local function list(article, t)
  state.listed[t] = true
  local info = target(t)
  local names = article.meta[info.field]
  if type(names) ~= "table" then names = {} end
  names[#names + 1] = info.name
  article.meta[info.field] = names
end

-- never a mention inside these; and unless every mention is linked, only a
-- name's first mention in an article can be linked (a later one names a
-- target that is linked by then, or one that stays ambiguous)
local FIRST = { skip = { "Link", "Image", "Heading" }, once = true }
local EVERY = { skip = FIRST.skip }

return {
  start = check,

  -- One C scan of the whole body finds the names (matcher:find); Lua only
  -- decides which to link, and then cuts those out of their text, from the
  -- last to the first so that positions in a node stay valid (node:split).
  -- The index is built on the first article a Lua state filters, so a
  -- state that runs only site hooks never builds it.
  Document = function(doc, article)
    if not index then build_index() end
    local listed = {}
    local function note(field) -- the entities a front-matter list names
      local names = article.meta[field]
      if type(names) == "table" then
        for _, name in ipairs(names) do
          local t = by_lower[tostring(name):lower()]
          if t then listed[t] = true end
        end
      end
    end
    note("people")
    for _, k in ipairs(entities.kinds(briefing.site)) do note(k.key) end
    state = { listed = listed }

    local every, links = conf.link == "all", conf.link ~= "none"
    local hits = matcher:find(doc, every and EVERY or FIRST)
    if #hits == 0 then return end
    local linked = {}
    local todo, targets = {}, {}
    for _, h in ipairs(hits) do
      local t = resolve(h.name)
      if t and (every or not linked[t]) then
        linked[t] = true
        if conf.add and not listed[t] then list(article, t) end
        if links then
          todo[#todo + 1] = h
          targets[#todo] = t
        end
      end
    end
    -- the way from this article to the site's root, once: "../../" (and
    -- "" for an article at the root, where relative() says "./")
    local root = #todo > 0 and briefing.relative(article.url, "") or ""
    if root == "./" then root = "" end
    for i = #todo, 1, -1 do
      local h, t = todo[i], target(targets[i])
      local link = briefing.Link(h.name, root .. t.url, t.name)
      if h.last_node then -- a name a line break splits: link across it
        local tail = h.last_node:split(1, h.last) -- the node itself, its rest after it
        local head = h.node:split(h.first, #h.node.literal)
        while head.next ~= tail do head.next:remove() end
        tail:remove()
        head:replace(link)
      else
        h.node:split(h.first, h.last):replace(link)
      end
    end
  end,
}
