# CLI: the default theme's finish. Activity charts span at least 26 weeks
# (one brief is a thin bar, not a slab) with labelled ends; the home page
# adds earlier briefs to a short latest edition; the footer's year is the
# content's (or params.year); the text email keeps "Why it matters" and
# wraps at 72 columns; inline lists put commas after items.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
printf 'params: {footer: "F"}\n' >> "$s/site.yml"
printf -- '---\ntitle: "Second"\ndate: 2017-10-03\ntopics: [Diplomacy]\nsummary: "A summary long enough to be wrapped once it passes the seventy-two columns of a plain text email line."\nwhy_it_matters: "Because it shows the rule."\n---\n\nBody.\n' \
	> "$s/content/articles/second.md"
run_briefing build -s "$s" -q
expect_status "site builds" 0
o="$s/public"
topic="$o/topics/diplomacy/index.html"
check "a chart spans at least 26 weeks" grep -q 'class="activity-chart" viewBox="0 0 206 40"' "$topic"
check "its bars stay thin" grep -q '<rect x="[0-9]*" y="[0-9]*" width="6"' "$topic"
check "its axis names the first and last weeks" grep -q '<span>Week of 10 April 2017</span><span>2 October 2017</span>' "$topic"
check "its scale shows the busiest week" grep -q 'class="activity-max" aria-hidden="true">1<' "$topic"
check "home shows the latest edition" grep -q 'Second</a></h2>' "$o/index.html"
check "and, as it is short, the briefs before it" sh -c "grep -q 'Earlier: <a href=\"editions/2017-09-30/\"' '$o/index.html' && grep -q 'First</a></h2>' '$o/index.html'"
check "footer year from the content, not the build" grep -q '© 2017 Test Site' "$o/index.html"
t="$o/editions/2017-10-03/email.txt"
check "text email keeps why it matters" grep -q '^  Why it matters: Because it shows the rule.$' "$t"
check "text email lines fit 72 columns" sh -c "[ \$(awk 'length(\$0) > 72' '$t' | wc -l) -eq 0 ]"
check "text email wraps the summary" grep -q '^  A summary long enough' "$t"
check "email text colours pass 4.5:1" sh -c "! grep -q '#777777' '$o/editions/2017-10-03/email.html'"
check "inline lists: the comma ends an item" sh -c "grep -qF '.inline-list li:not(:last-child)::after { content: \",\"; }' '$o/style.css' && ! grep -qF 'li + li::before' '$o/style.css'"

printf 'editions: {home: 1}\n' >> "$s/site.yml"
sed -i 's/^params: {footer: "F"}$/params: {footer: "F", year: "2016–2017"}/' "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "site with editions: {home: 1} builds" 0
check "a latest edition long enough stays alone" sh -c "! grep -q 'Earlier:' '$o/index.html'"
check "params.year sets the footer year" grep -q '© 2016–2017 Test Site' "$o/index.html"

if command -v node >/dev/null && [ -f "$SHARED/tools/lib/browser.js" ] &&
	[ -d "${BRIEFING_CHECKERS_DIR:-$HOME/.cache/briefing-checkers}/node_modules/playwright-core" ]; then
	run_briefing build -s "$ROOT" -o "$TMP/site" -q
	node tests/cli/theme_browser.js "$SHARED" "$TMP/site" > "$TMP/browser" 2>&1
	cat "$TMP/browser"
	grep -q '^not ok' "$TMP/browser" && failures=$((failures + 1))
else
	skip "the theme on a phone in a browser" "checkers not installed (../shared/tools/install-checkers)"
fi
finish
