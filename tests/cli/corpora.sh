# CLI: real and generated corpora build; every article of the 10,000-article
# generated corpus appears exactly once on each of its edition, topic and
# person pages, paged lists included.
. tests/lib.sh

if [ -d "$SHARED/corpora/whitehouse-2024/articles" ]; then
	mkdir -p "$TMP/wh/content"
	ln -s "$SHARED/corpora/whitehouse-2024/articles" "$TMP/wh/content/articles"
	printf 'title: "White House 2024"\nbase_url: "https://example.org/wh/"\n' > "$TMP/wh/site.yml"
	# the corpus lives outside the site folder: copy instead of linking
	rm "$TMP/wh/content/articles"
	cp -R "$SHARED/corpora/whitehouse-2024/articles" "$TMP/wh/content/articles"
	run_briefing build -s "$TMP/wh" -q
	expect_status "whitehouse-2024 builds" 0
	n=$(find "$TMP/wh/content/articles" -name '*.md' | wc -l)
	pages=$(find "$TMP/wh/public/articles" -name index.html | wc -l)
	check "one page per whitehouse article ($n)" test "$n" -eq "$pages"
	sections=$(ls "$TMP/wh/content/articles" | wc -l)
	topics=$(find "$TMP/wh/public/topics" -mindepth 2 -name index.html | wc -l)
	check "a topic page per section ($sections)" test "$topics" -ge "$sections"
	rm -rf "$TMP/wh"
else
	skip "the White House corpus builds" "no whitehouse corpus in $SHARED/corpora"
fi

if [ -x "$SHARED/bench/gen-corpus" ] && command -v python3 >/dev/null; then
	python3 "$SHARED/bench/gen-corpus" --articles 10000 --jobs 2 --out "$TMP/gc" >/dev/null
	mkdir -p "$TMP/g/content"
	mv "$TMP/gc/articles" "$TMP/gc/people" "$TMP/gc/topics" "$TMP/g/content/"
	# mentions.lua would add people named in bodies; the check wants front matter only
	printf 'title: "Generated"\nbase_url: "https://example.org/"\neditions: {period: weekly}\nfilters: [editions.lua, indexes.lua, {script: mentions.lua, options: {add_people: false}}]\n' > "$TMP/g/site.yml"
	run_briefing build -s "$TMP/g" -q
	expect_status "10,000-article gen-corpus builds" 0
	python3 tests/cli/check_indexes.py "$TMP/g" weekly > "$TMP/idx"
	rc=$?
	cat "$TMP/idx"
	check "every article once on each of its (paged) weekly edition, topic and person pages" test "$rc" -eq 0
else
	skip "the generated corpora build" "no gen-corpus in $SHARED"
fi
finish
