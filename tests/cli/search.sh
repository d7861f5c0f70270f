# CLI: client-side search over the text of the briefs. The index holds the
# words of the bodies, folded (no accents, lower case); a large index is
# split into chunks. Then the search works in a real browser (headless
# Chromium from ../shared/tools), from a folder opened straight from disk;
# skipped when the checkers are not installed.
. tests/lib.sh

run_briefing build -s "$ROOT" -o "$TMP/site" -q
expect_status "example site builds" 0
idx="$TMP/site/search-index.js"
check "manifest written: the months, newest first" \
	grep -q '^window.briefingSearch = {"count":10,"shards":\[{"m":"2017-12","n":4},{"m":"2017-09","n":6}\]};$' "$idx"
m="$TMP/site/search/2017-09.js"
check "a month is one shard" grep -q '^briefingSearch.load("2017-09", {"docs":\[' "$m"
check "a word of a body is a term" grep -q '"weather":"' "$TMP/site/search/2017-12.js"
check "terms are lower case" sh -c "grep -q '\"pyongyang\":\"' '$m' && ! grep -q '\"Pyongyang\":\"' '$m'"
check "a small month is not split" test ! -e "$TMP/site/search/2017-09"
check "search page links its scripts" grep -q 'src="../search.js"' "$TMP/site/search/index.html"
check "nav links the search page" grep -q 'href="search/">Search</a>' "$TMP/site/index.html"

# a split shard: every month of more than 1 brief is split
s="$TMP/chunked"
new_site "$s"
printf 'search: {chunk_at: 1}\n' >> "$s/site.yml"
printf -- '---\ntitle: "Engine test at Hwasŏng"\ndate: 2017-09-30T12:00:00Z\nsummary: "Cafés closed."\n---\n\nHello. The ÉCOLE reopened; Ünal spoke.\n' \
	> "$s/content/articles/hwasong.md"
run_briefing build -s "$s" -q
expect_status "site with a split shard builds" 0
o="$s/public"
check "manifest lists the month's term chunks" \
	grep -q '{"m":"2017-09","n":2,"p":\[.*"6877".*\]}' "$o/search-index.js"
check "accented title word folded into its chunk" grep -q '"hwasong":"0"' "$o/search/2017-09/t-6877.js"
check "accented capitals folded" sh -c "grep -q '\"ecole\":\"0\"' '$o/search/2017-09/t-6563.js' && grep -q '\"unal\":\"0\"' '$o/search/2017-09/t-756e.js'"
check "docs in their own file, newest first" \
	grep -q '^briefingSearch.load("2017-09/d", \[{.*Hwas.*First' "$o/search/2017-09/d.js"
check "postings are delta-coded" grep -q '"hello":"0,1"' "$o/search/2017-09/t-6865.js"
cp "$o/search/2017-09/t-6865.js" "$TMP/t-6865.js"
printf -- '---\ntitle: "Later"\ndate: 2017-11-02\n---\n\nA later note.\n' > "$s/content/articles/later.md"
run_briefing build -s "$s" -q
check "a brief of another month makes its own shard" \
	grep -q '"shards":\[{"m":"2017-11","n":1},{"m":"2017-09",' "$o/search-index.js"
check "and leaves the other months' shards as they were" cmp -s "$TMP/t-6865.js" "$o/search/2017-09/t-6865.js"
rm "$s/content/articles/later.md"
printf 'search: {chunk_at: many}\n' >> "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "a chunk_at that is not a number fails the build" 1
expect_stderr "and says where" "site.yml:4:"

if command -v node >/dev/null && [ -f "$SHARED/tools/lib/browser.js" ] &&
	[ -d "${BRIEFING_CHECKERS_DIR:-$HOME/.cache/briefing-checkers}/node_modules/playwright-core" ]; then
	sed -i '$d' "$s/site.yml"
	printf -- '---\ntitle: "Other"\ndate: 2017-09-29\n---\n\nA test.\n' > "$s/content/articles/other.md"
	run_briefing build -s "$s" -q
	node tests/cli/search_browser.js "$SHARED" "$TMP/site" "$o" > "$TMP/browser" 2>&1
	cat "$TMP/browser"
	grep -q '^not ok' "$TMP/browser" && failures=$((failures + 1))
else
	skip "search in a browser" "checkers not installed (../shared/tools/install-checkers)"
fi
finish
