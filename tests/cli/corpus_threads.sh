# CLI: threads and sources on the 10,000-article generated corpus. The
# corpus has no threads and one `source` per article, so check_threads.py
# adds threads and `sources` lists (from a hash of each path), then checks
# that every article appears exactly once on its thread page, in date
# order, and on each of its source pages. CORPUS_ARTICLES changes the size.
. tests/lib.sh

n=${CORPUS_ARTICLES:-10000}
if [ -x "$SHARED/bench/gen-corpus" ] && command -v python3 >/dev/null; then
	python3 "$SHARED/bench/gen-corpus" --articles "$n" --out "$TMP/gc" --jobs 2 >/dev/null
	mkdir -p "$TMP/g/content"
	mv "$TMP/gc/articles" "$TMP/gc/people" "$TMP/gc/topics" "$TMP/g/content/"
	python3 tests/cli/check_threads.py add "$TMP/g"
	printf 'title: "Generated"\nbase_url: "https://example.org/"\n' > "$TMP/g/site.yml"
	run_briefing build -s "$TMP/g" -q
	expect_status "$n-article gen-corpus with threads and sources builds" 0
	check "no unknown sources (all registered, case and duplicates resolved)" \
		sh -c "! grep -q 'is not in data/sources.yml' '$TMP/err'"
	check "every article once on its thread page (in date order) and on each of its source pages" \
		python3 tests/cli/check_threads.py check "$TMP/g"
	check "every article has related briefs" \
		sh -c "! grep -L 'class=\"related\"' -r '$TMP/g/public/articles' --include=index.html | grep -q ."
else
	skip "the story-thread corpus builds" "no gen-corpus in $SHARED"
fi
finish
