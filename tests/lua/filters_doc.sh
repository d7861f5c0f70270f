# Lua: the three tutorial filters of docs/filters.md, taken from the doc
# (every fenced block whose first line names a file), run on a copy of
# the example site.
. tests/lib.sh

s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/site.yml" "$s/"
awk -v dir="$s" '
	/^```/ && !inblock { inblock = 1; first = 1; next }
	/^```/ && inblock { inblock = 0; if (out) close(out); out = ""; next }
	inblock && first {
		first = 0
		if (match($0, /file: [^ }]+/)) {
			out = dir "/" substr($0, RSTART + 6, RLENGTH - 6)
			d = out; sub(/\/[^\/]*$/, "", d); system("mkdir -p \"" d "\"")
		}
	}
	inblock && out { print > out }' "$ROOT/docs/filters.md"
for f in site.yml scripts/why.lua scripts/organisations.lua scripts/countries.lua \
	data/organisations.yml templates/countries.mustache scripts/embargo.lua scripts/cited.lua \
	templates/cited.mustache; do
	check "doc provides $f" test -s "$s/$f"
done
printf -- '---\ntitle: "Held"\ndate: 2017-12-13\nsources: ["Example Wire"]\nembargo: "after lunch"\n---\n\nText.\n' \
	> "$s/content/articles/2017/held.md"
run_briefing build -s "$s" -q
expect_status "example site with the tutorial filters builds" 0
a="$s/public/articles/2017/tillerson-no-preconditions/index.html"
check "why.lua puts the box at the top of the body" \
	grep -q '<p><strong>Why it matters: </strong>' "$a"
check "why.lua removed the key, so the theme box is gone" sh -c "! grep -q 'class=\"why\"' '$a'"
check "organisations.lua links an organisation from the data file" \
	grep -q 'href="https://www.atlanticcouncil.org/" title="Atlantic Council">Atlantic Council</a>' "$a"
c="$s/public/countries/index.html"
check "countries.lua made its page" test -f "$c"
check "people grouped under their country" grep -q '<h2>North Korea</h2>' "$c"
check "person objects shared into page data" grep -q 'href="../people/kim-jong-un/">Kim Jong Un</a>' "$c"
expect_stderr "embargo.lua warns at the key's line" "content/articles/2017/held.md:5: embargo: expected a date, found after lunch"
m="$s/public/most-cited/index.html"
check "cited.lua made its page from site.collections.sources" test -f "$m"
check "sources ranked by briefs, then name" \
	sh -c "grep -o 'href=\"../sources/[a-z-]*/\">[^<]*' '$m' | head -2 | tr '\n' ' ' | grep -q 'example-wire/\">Example Wire href=\"../sources/us-department-of-state/'"
check "the doc's site.yml runs threads.lua" test -f "$s/public/threads/pressure-campaign/index.html"
check "site.yml from the doc: only the scripts it lists run" \
	grep -q 'class="story-title"' "$s/public/articles/2017/talks-tried-before/index.html"

# the man page's example filter
sed -n '/^\.Sh EXAMPLES/,/^\.Ed/p' "$ROOT/docs/briefing-lua.7" | grep -A1 '^\.Bd' | tail -1 \
	> "$s/scripts/upper.lua"
printf -- '---\ntitle: "With a heading"\ndate: 2017-12-14\n---\n## Background briefing\n\nText.\n' \
	> "$s/content/articles/2017/heading.md"
printf 'title: "T"\nfilters: [upper.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "briefing-lua(7) example builds" 0
check "briefing-lua(7) example upper-cases headings" \
	grep -q '<h2>BACKGROUND BRIEFING</h2>' "$s/public/articles/2017/heading/index.html"
finish
