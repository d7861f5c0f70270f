-- lib/terms.lua: the words of a text as search terms, folded the way the
-- theme's search.js folds a query (lower case, accents off: "Hwasŏng" is
-- "hwasong"), so that the index and the browser agree. The work is done in
-- C by briefing.fold, briefing.plain and briefing.terms (briefing-lua(7));
-- this module keeps the set-of-words interface for scripts that want one.

local M = {}

-- text in lower case without accents
M.fold = briefing.fold

-- HTML as plain text: tags and entities become spaces
M.plain = briefing.plain

-- Adds the folded words of text (two characters or more) to the set seen.
-- Punctuation outside ASCII (Latin-1 signs, U+2000-U+206F, CJK) separates.
function M.add(seen, text)
  if type(text) ~= "string" or text == "" then return seen end
  for w in briefing.terms(text):gmatch("%S+") do seen[w] = true end
  return seen
end
-- The set seen as a sorted list.
function M.sorted(seen)
  local list = {}
  for w in pairs(seen) do list[#list + 1] = w end
  table.sort(list)
  return list
end

-- The first two characters of a term: the name of its chunk of the index.
function M.prefix(term)
  local second = utf8.offset(term, 3)
  return second and term:sub(1, second - 1) or term
end

return M
