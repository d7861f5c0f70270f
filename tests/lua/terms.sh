# Lua: briefing.fold, briefing.plain and briefing.terms (src/terms.c) give
# the same bytes as the plain-Lua rules they replace (tests/lua/terms_ref.lua)
# on random text (valid UTF-8 from the folding tables and separators, and
# stray bytes), and briefing.postings the index that search.lua's Lua loop
# made. A mismatch prints the seed and the text.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/scripts" "$s/templates"
cp tests/lua/terms_ref.lua "$s/scripts/terms_ref.lua"
printf 'title: "T"\nfilters: [t.lua]\n' > "$s/site.yml"
cat > "$s/scripts/t.lua" <<'LUA'
local ref = require("terms_ref")
local PIECES = {
  "A", "b", "Z", "q", "0", "7", " ", " ", ".", "-", "<", ">", "&", "#", ";", "amp",
  "À", "é", "Ŧ", "ŧ", "Ω", "ω", "Ά", "ΐ", "Ϋ", "ώ", "Й", "Ѐ", "Ё", "Ж", "ж", "Æ", "ß", "ÿ", "Ÿ", "İ",
  "\u{301}", "\u{345}", "\u{36F}", "—", "\u{2009}", "’", "\u{A0}", "«", "×", "÷",
  "、", "。", "中", "한", "😀", "\xC3", "\xCC", "\xCD", "\xE2\x80", "\x80", "\xBF", "\xFF",
  "<b>", "&amp;", "&#39;", "&nbsp", "Hwasŏng", "ÉCOLE", "Ünal", "U.S.",
}
local function ref_terms(...)
  local seen = {}
  for i = 1, select("#", ...) do ref.add(seen, (select(i, ...))) end
  return table.concat(ref.sorted(seen), " ")
end
return { collections = function(site)
  local seed, bad, n = 20261206, {}, 0
  math.randomseed(seed)
  for round = 1, 1500 do
    local parts = {}
    for i = 1, math.random(0, 24) do parts[i] = PIECES[math.random(#PIECES)] end
    local a = table.concat(parts)
    local b = string.rep("word" .. round .. " ", math.random(0, 2)) .. a:reverse()
    n = n + 1
    if briefing.fold(a) ~= ref.fold(a) then bad[#bad + 1] = "fold " .. round .. " " .. string.format("%q", a) end
    if briefing.plain(a) ~= ref.plain(a) then bad[#bad + 1] = "plain " .. round .. " " .. string.format("%q", a) end
    if briefing.terms(a, nil, b) ~= ref_terms(a, b) then
      bad[#bad + 1] = "terms " .. round .. " " .. string.format("%q %q", a, b) .. " -> "
        .. briefing.terms(a, b) .. " | " .. ref_terms(a, b)
    end
  end
  -- postings: the Lua loop search.lua had, over 300 random docs
  local lists, ref_ids = {}, {}
  for d = 1, 300 do
    local words = {}
    for i = 1, math.random(0, 12) do
      words[i] = string.char(96 + math.random(5), 96 + math.random(5)) .. PIECES[math.random(#PIECES)]
    end
    lists[d] = briefing.terms(table.concat(words, " "))
    for term in lists[d]:gmatch("%S+") do
      local ids = ref_ids[term] or {}
      ref_ids[term] = ids
      ids[#ids + 1] = d - 1
    end
  end
  local got, terms_seen = briefing.postings(lists), 0
  for term, ids in pairs(ref_ids) do
    local out, last = {}, 0
    for i = 1, #ids do
      local d, s = ids[i] - last, ""
      repeat s = ("0123456789abcdefghijklmnopqrstuvwxyz"):sub(d % 36 + 1, d % 36 + 1) .. s; d = d // 36 until d == 0
      out[i] = s
      last = ids[i]
    end
    terms_seen = terms_seen + 1
    if got[term] ~= table.concat(out, ",") then
      bad[#bad + 1] = "postings " .. string.format("%q", term) .. " " .. tostring(got[term]) .. " | " .. table.concat(out, ",")
    end
    got[term] = nil
  end
  if next(got) then bad[#bad + 1] = "postings: extra term " .. string.format("%q", next(got)) end
  if terms_seen < 20 then bad[#bad + 1] = "postings: only " .. terms_seen .. " terms" end
  site:add_page{ url = "t/", template = "t", data = { n = n, seed = seed, bad = bad } }
end }
LUA
printf '{{n}} texts, seed {{seed}}\n{{#bad}}{{{.}}}\n{{/bad}}' > "$s/templates/t.mustache"
run_briefing build -s "$s" -q
expect_status "terms script runs" 0
o="$s/public/t/index.html"
check "1500 random texts compared" grep -q '^1500 texts, seed 20261206$' "$o"
if [ "$(wc -l < "$o")" -eq 1 ]; then ok "C and Lua agree on every text"; else
	not_ok "C and Lua agree on every text"
	sed -n '1,15s/^/#   /p' "$o"
fi

cat > "$s/scripts/t.lua" <<'LUA'
return { collections = function(site)
  site:add_page{ url = "t/", template = "t", data = { bad = {
    briefing.terms("Kim Jong Un met Trump; TRUMP spoke", { "Hwasŏng-15", 42, "ÉCOLE" }, true),
    briefing.fold("Pyŏngyang ÀÉÎ Ωμέγα"),
    briefing.plain("<p>a&amp;b &#8217; c</p>"),
    briefing.terms(),
  } } }
end }
LUA
run_briefing build -s "$s" -q
expect_status "terms examples run" 0
check "terms: sorted, once each, lists read, other values skipped" \
	grep -q '^15 ecole hwasong jong kim met spoke trump un$' "$o"
check "fold: lower case, no accents" grep -q '^pyongyang aei ωμεγα$' "$o"
check "plain: tags and entities are spaces" grep -q '^ a b   c $' "$o"
finish
