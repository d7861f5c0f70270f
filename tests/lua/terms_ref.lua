-- terms_ref.lua: the words of a text as search terms, in plain Lua: what
-- scripts/lib/terms.lua did before briefing.terms did it in C, kept as the
-- reference that tests/lua/terms.sh compares src/terms.c with.

local M = {}

-- base letter -> the letters whose decomposition starts with it
local BASES = {
  a = "ÀÁÂÃÄÅàáâãäåĀāĂăĄą", c = "ÇçĆćĈĉĊċČč", d = "Ďď",
  e = "ÈÉÊËèéêëĒēĔĕĖėĘęĚě", g = "ĜĝĞğĠġĢģ", h = "Ĥĥ", i = "ÌÍÎÏìíîïĨĩĪīĬĭĮįİ",
  j = "Ĵĵ", k = "Ķķ", l = "ĹĺĻļĽľ", n = "ÑñŃńŅņŇň", o = "ÒÓÔÕÖòóôõöŌōŎŏŐő",
  r = "ŔŕŖŗŘř", s = "ŚśŜŝŞşŠš", t = "ŢţŤť", u = "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų",
  w = "Ŵŵ", y = "ÝýÿŶŷŸ", z = "ŹźŻżŽž",
  ["и"] = "ЙйЍѝ", ["е"] = "ЁёЀѐ",
  ["α"] = "Άά", ["ε"] = "Έέ", ["η"] = "Ήή", ["ι"] = "ΊίΪϊΐ", ["ο"] = "Όό",
  ["υ"] = "ΎύΫϋΰ", ["ω"] = "Ώώ",
}
-- capitals without a decomposition, lower-cased only
local CAPITALS = { "Ææ", "Øø", "Ðð", "Þþ", "Đđ", "Ħħ", "Łł", "Ŀŀ", "Œœ", "Ŋŋ", "Ŧŧ" }

local FOLD = {}
for base, letters in pairs(BASES) do
  for _, c in utf8.codes(letters) do FOLD[utf8.char(c)] = base end
end
for _, pair in ipairs(CAPITALS) do
  local upper, lower = pair:match("^(" .. utf8.charpattern .. ")(.*)$")
  FOLD[upper] = lower
end
-- Greek and Cyrillic capitals: a fixed offset from their small letters
for c = 0x391, 0x3A9 do if c ~= 0x3A2 then FOLD[utf8.char(c)] = utf8.char(c + 0x20) end end
for c = 0x410, 0x42F do FOLD[utf8.char(c)] = FOLD[utf8.char(c)] or utf8.char(c + 0x20) end
for c = 0x400, 0x40F do FOLD[utf8.char(c)] = FOLD[utf8.char(c)] or utf8.char(c + 0x50) end

-- text in lower case without accents; two-byte letters only (the tables)
function M.fold(s)
  s = s:lower():gsub("[\xC3-\xC5\xCE-\xD1][\x80-\xBF]", FOLD)
  -- combining marks (U+0300-U+036F) of text that came decomposed
  return (s:gsub("\xCC[\x80-\xBF]", ""):gsub("\xCD[\x80-\xAF]", ""))
end

-- HTML as plain text: tags and entities become spaces
function M.plain(html)
  return (html:gsub("<[^>]*>", " "):gsub("&#?%w+;", " "))
end

-- Adds the folded words of text (two characters or more) to the set seen.
-- Punctuation outside ASCII (Latin-1 signs, U+2000-U+206F, CJK) separates.
function M.add(seen, text)
  if type(text) ~= "string" or text == "" then return seen end
  local s = M.fold(text):gsub("\xE2[\x80-\x81][\x80-\xBF]", " "):gsub("\xC2[\x80-\xBF]", " ")
                        :gsub("\xC3[\x97\xB7]", " "):gsub("\xE3\x80[\x80-\xBF]", " ")
  for w in s:gmatch("[%w\x80-\xFF]+") do
    if #w <= 40 and (utf8.len(w) or #w) >= 2 then seen[w] = true end
  end
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
