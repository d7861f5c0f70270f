# CLI: a parse of many briefs keeps their body HTML in an unlinked file
# beside the output (spill.h) instead of the heap. BRIEFING_SPILL_MIN=0
# makes every parse spill, so the example site (its full default scripts:
# search reads each body, the editions' email carries them whole) and a
# brief past a quarter of a chunk build with it. The output is the same,
# byte for byte, with and without, clean or warm, and nothing is left
# beside the output; `briefing check` does not spill. (serve never spills,
# its views outliving a build: build.c's spill_start, not tested here.)
. tests/lib.sh

s="$TMP/site"
mkdir -p "$s"
cp -r site.yml content data "$s/"
# one body of about 400 KiB: a chunk of the file of its own
big="$s/content/articles/2017/big-spill.md"
{
	printf -- '---\ntitle: "A long read"\ndate: 2017-10-02\ntopics: [Diplomacy]\n---\n\n'
	for i in $(seq 1 4000); do
		printf 'Paragraph %s of a long read, with **bold** words and a [link](https://example.org/%s).\n\n' "$i" "$i"
	done
} > "$big"

export BRIEFING_SPILL_MIN=1000000
run_briefing build -s "$s" -o "$TMP/plain/out" -q --no-cache
expect_status "the site builds without a spill" 0

export BRIEFING_SPILL_MIN=0
run_briefing build -s "$s" -o "$TMP/spilled/out" -v --no-cache
expect_status "it builds with every body spilled" 0
check "-v says how much went to the spill" grep -q "^briefing: spill .* MiB of body HTML" "$TMP/out"
check "the spilled build is the same, byte for byte" diff -r "$TMP/plain/out" "$TMP/spilled/out"
check "nothing is left beside the output" test "$(ls -A "$TMP/spilled")" = "out"
check "the long read is whole" grep -q "Paragraph 4000 of a long read" \
	"$TMP/spilled/out/articles/2017/big-spill/index.html"

# with a cache: written from the spill, then a warm build whose one parse
# spills while the others' bodies come from the cache
run_briefing build -s "$s" -o "$TMP/cached/out" -q
expect_status "a build with a cache spills too" 0
check "and writes the same site" diff -r "$TMP/plain/out" "$TMP/cached/out"
printf '\nA closing paragraph, spilled on its own.\n' >> "$big"
sed -i 's/^title: "Launch of a/title: "Spilled launch of a/' "$s"/content/articles/2017/*.md
run_briefing build -s "$s" -o "$TMP/cached/out" -v
expect_status "a warm build after edits" 0
check "which read the cache" grep -q "^briefing: cache    read from" "$TMP/out"
check "and parsed only the edits" grep -Eq "^briefing: parse .*, [1-9][0-9]? parsed\)" "$TMP/out"
export BRIEFING_SPILL_MIN=1000000
run_briefing build -s "$s" -o "$TMP/plain/out" -q --no-cache
check "its output is a clean build's, byte for byte" diff -r "$TMP/plain/out" "$TMP/cached/out"
check "with the edit" grep -q "A closing paragraph, spilled on its own" \
	"$TMP/cached/out/articles/2017/big-spill/index.html"
check "nothing is left beside it either" test "$(ls -A "$TMP/cached")" = "out"

# briefing check renders nothing: it neither spills nor makes the folder
# the output would go in
c="$TMP/check"
mkdir -p "$c"
cp -r "$s/content" "$s/data" "$c/"
sed 's|^output: .*|output: "absent/out"|' "$s/site.yml" > "$c/site.yml"
BRIEFING_SPILL_MIN=0 run_briefing check -s "$c"
check "briefing check of a site that would spill runs" test "$status" -le 1
check "and makes no folder for the output" test ! -e "$c/absent"
finish
