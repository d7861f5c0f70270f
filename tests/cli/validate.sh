# CLI: the bundled example site is valid HTML with no broken links or
# anchors (../shared/tools/validate-site). Skipped when the checkers are not
# installed (run ../shared/tools/install-checkers first).
. tests/lib.sh

v="$SHARED/tools/validate-site"
if [ ! -x "$v" ] || [ ! -d "${BRIEFING_CHECKERS_DIR:-$HOME/.cache/briefing-checkers}/node_modules/vnu-jar" ]; then
	skip "validate-site on the example site" "checkers not installed (../shared/tools/install-checkers)"
	finish
	exit 0
fi
run_briefing build -s "$ROOT" -o "$TMP/site" -q
expect_status "example site builds" 0
"$v" "$TMP/site" > "$TMP/report" 2>&1
rc=$?
check "validate-site passes" test "$rc" -eq 0
check "0 html errors, 0 broken links or anchors" \
	grep -q "html_errors=0 broken_links=0 broken_anchors=0" "$TMP/report"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$TMP/report" | tail -20
check "0 bad XML or JSON (feeds, sitemap, search index)" grep -q "bad_xml=0 bad_json=0" "$TMP/report"
# the pages issue 20 added must be among the pages checked
for p in about/index.html corrections/index.html \
	articles/2017/ambassadors-withdrawn/index.html \
	articles/2017/ambassadors-withdrawn/recalled.svg; do
	check "built and checked: $p" test -s "$TMP/site/$p"
done

# the same site under a subpath, as a preview build would make it
run_briefing build -s "$ROOT" -o "$TMP/sub" -q --base-url https://example.org/briefs/
"$v" --base-url https://example.org/briefs/ "$TMP/sub" > "$TMP/report2" 2>&1
check "subpath build validates" grep -q "html_errors=0 broken_links=0 broken_anchors=0 bad_xml=0 bad_json=0" "$TMP/report2"

# and for hosts without directory indexes
run_briefing build -s "$ROOT" -o "$TMP/flat" -q --clean-urls=false
"$v" "$TMP/flat" > "$TMP/report3" 2>&1
check "--clean-urls=false build validates" grep -q "html_errors=0 broken_links=0 broken_anchors=0 bad_xml=0 bad_json=0" "$TMP/report3"

# accessibility: axe-core on the main page kinds
if "$SHARED/tools/a11y" "$TMP/site/index.html" \
	"$TMP/site/articles/2017/tillerson-no-preconditions/index.html" \
	"$TMP/site/topics/diplomacy/index.html" "$TMP/site/people/kim-jong-un/index.html" \
	"$TMP/site/search/index.html" "$TMP/site/about/index.html" \
	"$TMP/site/corrections/index.html" \
	"$TMP/site/articles/2017/ambassadors-withdrawn/index.html" \
	"$TMP/sub/about/index.html" \
	"$TMP/sub/articles/2017/ambassadors-withdrawn/index.html" > "$TMP/a11y" 2>&1; then
	ok "a11y: no violations on home, article, lead-image brief, topic, person, search, About and Corrections pages"
else
	not_ok "a11y: no violations on home, article, lead-image brief, topic, person, search, About and Corrections pages"
	sed 's/^/#   /' "$TMP/a11y" | tail -10
fi
# search with results on the page (made by search.js), and an email
# edition, where landmarks do not apply (mail clients drop them)
if "$SHARED/tools/a11y" "file://$TMP/site/search/index.html?q=tillerson" > "$TMP/a11y2" 2>&1 &&
	"$SHARED/tools/a11y" --disable landmark-one-main --disable region \
		"$TMP/site/editions/2017-12-12/email.html" >> "$TMP/a11y2" 2>&1; then
	ok "a11y: no violations on search results and an email edition"
else
	not_ok "a11y: no violations on search results and an email edition"
	sed 's/^/#   /' "$TMP/a11y2" | tail -10
fi
finish
