# Lua: briefing.matcher finds whole-word names, longest first, with
# possessives, full stops and curly quotes around them, never inside words.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/scripts" "$s/templates"
printf 'title: "T"\nfilters: [m.lua]\n' > "$s/site.yml"
cat > "$s/scripts/m.lua" <<'LUA'
local m = briefing.matcher({ "Kim", "Kim Jong Un", "Trump", "Rex Tillerson", "U.S." })
local function show(text)
  local r, out = m:scan(text) or {}, {}
  for i = 1, #r, 3 do out[#out + 1] = r[i] .. "-" .. r[i + 1] .. "=" .. r[i + 2] end
  return table.concat(out, ",")
end
return { collections = function(site)
  site:add_page{ url = "m/", template = "m", data = { lines = {
    show("Kim Jong Un met Kim."),
    show("Trumpet and Trump's plan"),
    show("“Rex Tillerson” said; Rex  Tillerson"),
    show("the U.S. said"),
    show("Kim—Trump"),
    show("nothing here"),
  } } }
end }
LUA
printf '{{#lines}}[{{.}}]\n{{/lines}}' > "$s/templates/m.mustache"
run_briefing build -s "$s" -q
expect_status "matcher script runs" 0
o="$s/public/m/index.html"
check "longest name first, then a shorter one" grep -qxF "[1-11=Kim Jong Un,17-19=Kim]" "$o"
check "not inside a longer word; possessive trimmed" grep -qxF "[13-17=Trump]" "$o"
check "curly quotes split words; double space breaks a name" grep -qxF "[4-16=Rex Tillerson]" "$o"
check "a name ending in a full stop" grep -qxF "[5-8=U.S.]" "$o"
check "em dash splits words" grep -qxF "[1-3=Kim,7-11=Trump]" "$o"
check "no match: nil" grep -qxF "[]" "$o"
# `when`: the Text function runs only for text that names someone
cat > "$s/scripts/m.lua" <<'LUA'
local calls = 0
return {
  { when = { Text = briefing.matcher({ "Hello" }) },
    Text = function(n) calls = calls + 1 end },
  { Document = function(d, a) a.meta.calls = calls end },
}
LUA
printf 'title: "T"\nfilters: [m.lua]\n' > "$s/site.yml"
printf -- '---\ntitle: "W"\ndate: 2017-01-01\n---\nNothing *here* and Hello there.\n\nMore text.\n' > "$s/content/articles/first.md"
printf '{{article.params.calls}}\n' > "$s/templates/article.mustache"
run_briefing build -s "$s" -q
check "when: one call for the one text with a name" grep -qx "1" "$s/public/articles/first/index.html"
finish
