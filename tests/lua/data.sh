# Lua: briefing.data reads YAML or JSON from the site's data/ folder only,
# with positions in its errors.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/scripts" "$s/data" "$s/templates"
printf '{"desk": "Korea", "n": 1.5, "tags": ["a", "b"]}\n' > "$s/data/info.json"
cat > "$s/scripts/d.lua" <<'LUA'
return { collections = function(site)
  local info = briefing.data("info")
  site:add_page{ url = "d/", template = "d", data = { desk = info.desk, n = info.n, tags = info.tags } }
end }
LUA
printf '{{desk}} {{n}} {{#tags}}{{.}}{{/tags}}\n' > "$s/templates/d.mustache"
run_briefing build -s "$s" -q
expect_status "data file read" 0
check "JSON values typed" grep -qx "Korea 1.5 ab" "$s/public/d/index.html"

# what Python's json.dump writes: surrogate pairs for emoji, null members
printf '{"title": "Caf\\u00e9\\f \\ud83d\\ude00", "gone": null, "rows": [{"a": null, "b": 2}, null, {"a":"x","b":null}]}\n' > "$s/data/py.json"
cat > "$s/scripts/d.lua" <<'LUA'
return { collections = function(site)
  local py = briefing.data("py")
  local out = { py.title, tostring(py.gone), tostring(#py.rows), tostring(py.rows[1].a),
                tostring(py.rows[1].b), tostring(py.rows[2]), py.rows[3].a, tostring(py.rows[3].b) }
  site:add_page{ url = "d/", template = "d", data = { desk = table.concat(out, "|") } }
end }
LUA
run_briefing build -s "$s" -q
expect_status "JSON with surrogate pairs and nulls read" 0
check "surrogate pair is one emoji, a \\f escape dropped" grep -qF "Café 😀" "$s/public/d/index.html"
check "null members are nil, the rest intact" grep -qF "|nil|3|nil|2|nil|x|nil" "$s/public/d/index.html"
printf '{"a": "\\ud83d"}\n' > "$s/data/py.json"
run_briefing build -s "$s"
expect_status "a lone surrogate is an error" 1
expect_stderr "lone surrogate reported at its place" "data/py.json:1:"
printf '{"a": 1,\n "a": 2}\n' > "$s/data/py.json"
run_briefing build -s "$s"
expect_stderr "duplicate key reported at its line" "data/py.json:2:"

printf 'return { collections = function() briefing.data("../site") end }\n' > "$s/scripts/d.lua"
run_briefing build -s "$s"
expect_status "path outside data/ refused" 1
expect_stderr "refusal names the rule" 'briefing.data: expected a file name in data/, found "../site"'

printf 'return { collections = function() briefing.data("nope") end }\n' > "$s/scripts/d.lua"
run_briefing build -s "$s"
expect_stderr "missing file named" 'no data/nope(.yml|.yaml|.json) in the site'

printf 'a: [1, 2\n' > "$s/data/bad.yml"
printf 'return { collections = function() briefing.data("bad") end }\n' > "$s/scripts/d.lua"
run_briefing build -s "$s"
expect_status "bad data file fails" 1
expect_stderr "bad data file has a position" "$s/data/bad.yml:1:4: error: while parsing"
check "and says error once" sh -c "! grep -q 'error: error' '$TMP/err'"
finish
