# CLI: Lua functions in page data are Mustache lambdas: sections get their
# raw text, interpolations are rendered then escaped, errors name the
# script and the page; filters may not put functions in front matter.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/scripts" "$s/templates"
cat > "$s/scripts/lambdas.lua" <<'LUA'
return {
  collections = function(site)
    local calls = 0
    site:add_page{ url = "lambdas/", template = "lambdas", title = "L", data = {
      name = "Kim",
      upper = function(text) return text:upper() end,
      wrap = function(text) return "<b>" .. text .. "</b>" end,
      count = function() calls = calls + 1; return calls end,
      greet = function() return "{{name}} & co" end,
    } }
  end,
}
LUA
cat > "$s/templates/lambdas.mustache" <<'TPL'
{{#upper}}hello kim{{/upper}}|{{#wrap}}{{name}}{{/wrap}}|{{count}},{{count}}|{{greet}}|{{{greet}}}
TPL
run_briefing build -s "$s" -q
expect_status "site with lambdas builds" 0
check "section lambdas get raw text, result is rendered" \
	grep -qF "HELLO KIM|<b>Kim</b>|1,2|Kim &amp; co|Kim & co" "$s/public/lambdas/index.html"

cat > "$s/scripts/lambdas.lua" <<'LUA'
return {
  collections = function(site)
    site:add_page{ url = "lambdas/", template = "lambdas", title = "L",
                   data = { upper = function(text) error("no shouting") end } }
  end,
}
LUA
run_briefing build -s "$s"
expect_status "failing lambda fails the build" 1
expect_stderr "lambda error names the template and the Lua error" 'lambda "upper" failed:'
expect_stderr "lambda error names the script line" "lambdas.lua:4: no shouting"
rm "$s/scripts/lambdas.lua"

printf 'return { Document = function(d, a) a.meta.f = function() end end }\n' > "$s/scripts/bad.lua"
run_briefing build -s "$s"
expect_status "a function in front matter is refused" 1
expect_stderr "front matter function refused" "a function can only be a template lambda"
finish
