# CLI: client-side search works in a real browser (headless Chromium from
# ../shared/tools), from a folder opened straight from disk. Skipped when
# the checkers are not installed.
. tests/lib.sh

run_briefing build -s "$ROOT" -o "$TMP/site" -q
expect_status "example site builds" 0
check "search index written" grep -q '^window.briefingSearch = \[' "$TMP/site/search-index.js"
check "search page links its scripts" grep -q 'src="../search.js"' "$TMP/site/search/index.html"
check "nav links the search page" grep -q 'href="search/">Search</a>' "$TMP/site/index.html"
if command -v node >/dev/null && [ -f "$SHARED/tools/lib/browser.js" ] &&
	[ -d "${BRIEFING_CHECKERS_DIR:-$HOME/.cache/briefing-checkers}/node_modules/playwright-core" ]; then
	node tests/cli/search_browser.js "$SHARED" "$TMP/site" > "$TMP/browser" 2>&1
	cat "$TMP/browser"
	grep -q '^not ok' "$TMP/browser" && failures=$((failures + 1))
else
	skip "search in a browser" "checkers not installed (../shared/tools/install-checkers)"
fi
finish
