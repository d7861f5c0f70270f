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
expect_stderr "bad data file has a position" "$s/data/bad.yml:"
finish
