# CLI: the Lua site API end to end: filters change front matter (seen by
# grouping), hooks add pages with shared article objects, lookups by alias,
# require from scripts/, briefing.date; drafts; output folder refusals.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/scripts" "$s/content/people" "$s/templates"
printf -- '---\nname: "Rex Tillerson"\naliases: ["Tillerson"]\n---\nBio.\n' > "$s/content/people/rex-tillerson.md"
printf -- '---\ntitle: "Second"\ndate: 2017-12-12T10:00:00-05:00\ndraft: true\n---\nTillerson spoke.\n' > "$s/content/articles/second.md"
cat > "$s/scripts/helpers.lua" <<'LUA'
local M = {}
function M.shout(s) return s:upper() end
return M
LUA
cat > "$s/scripts/tagger.lua" <<'LUA'
local helpers = require("helpers")
return {
  Document = function(doc, article)
    local topics = article.meta.topics or {}
    topics[#topics + 1] = "Tagged"
    article.meta.topics = topics
    article.meta.shout = helpers.shout(article.title)
  end,
  collections = function(site)
    local rex = site:person("tillerson")
    local d = briefing.date("2017-12-12T10:00:00-05:00")
    local abs = briefing.absolute_urls('<a href="../k/">k</a><img src="i.png">',
                                       "https://e.org/s/articles/x/")
    local ok, err = pcall(briefing.absolute_urls, "<a href='x'>", "articles/x/")
    local first = site.articles[#site.articles]
    first.badge = "from a hook"
    site:add_page{ url = "report/", template = "report", title = "Report",
                   data = { who = rex and rex.name or "nobody", day = d.date,
                            display = d.display, articles = site.articles,
                            config_title = site.config.title, n = #site.articles,
                            abs = abs, abs_err = tostring(ok) .. " " .. err } }
  end,
}
LUA
cat > "$s/templates/report.mustache" <<'TPL'
who={{who}} day={{day}} display={{display}} config={{config_title}} n={{n}}
abs={{{abs}}}
abs_err={{{abs_err}}}
{{#articles}}[{{title}}|{{params.shout}}|{{badge}}|{{#topics}}{{title}};{{/topics}}]{{/articles}}
TPL
run_briefing build -s "$s" -q
expect_status "site with API filters builds" 0
r="$s/public/report/index.html"
check "alias lookup from a hook" grep -q "who=Rex Tillerson" "$r"
check "briefing.date fields" grep -q "day=2017-12-12 display=12 December 2017" "$r"
check "site.config reaches hooks" grep -q "config=Test Site" "$r"
check "briefing.absolute_urls resolves href and src" \
	grep -qxF 'abs=<a href="https://e.org/s/articles/k/">k</a><img src="https://e.org/s/articles/x/i.png">' "$r"
check "briefing.absolute_urls wants an absolute base" \
	grep -qF 'abs_err=false bad argument #2 to' "$r"
check "drafts left out by default" grep -q "n=1$" "$r"
check "filter metadata, hook fields and topics shared into page data" \
	grep -qF "[First|FIRST|from a hook|Diplomacy;Tagged;]" "$r"
check "topic added by a filter gets its page" test -f "$s/public/topics/tagged/index.html"
check "draft page not written" test ! -e "$s/public/articles/second"

run_briefing build -s "$s" --drafts --quiet
expect_status "--drafts builds" 0
check "--drafts includes the draft" grep -q "n=2$" "$r"
check "mention in the draft is linked" grep -q 'href="../../people/rex-tillerson/"' "$s/public/articles/second/index.html"

# the output folder: never replace something briefing did not make
mkdir -p "$TMP/notmine"
echo precious > "$TMP/notmine/file.txt"
run_briefing build -s "$s" -o "$TMP/notmine"
expect_status "foreign output folder refused" 1
expect_stderr "refusal says why" "was not made by briefing"
check "foreign folder untouched" grep -q precious "$TMP/notmine/file.txt"
run_briefing build -s "$s" -o "$s"
expect_status "site folder as output refused" 1
expect_stderr "site folder refusal" "it holds the site itself"
run_briefing build --site "$s" --output "$TMP/fresh/out" -q
expect_status "long options and a new nested output folder" 0
check "marker file written" test -f "$TMP/fresh/out/.briefing-output"
check "no temporary folder left beside the output" sh -c "! ls -a '$TMP/fresh' | grep -q tmp"
finish
