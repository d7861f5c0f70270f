# Lua: the three tutorial filters of docs/filters.md, taken from the doc
# (every fenced block whose first line names a file), run on a copy of
# the example site. A first line "<!-- file: X -->" (Markdown files, which
# must start with their front matter) is not copied.
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
			if ($0 ~ /^<!-- file: .* -->$/) next
		}
	}
	inblock && out { print > out }' "$ROOT/docs/filters.md"
for f in site.yml scripts/why.lua scripts/organisations.lua scripts/countries.lua \
	data/organisations.yml templates/countries.mustache content/editions/2017-12-12.md \
	content/orgs/state-department.md scripts/glossary.lua content/glossary/icbm.md \
	templates/glossary.mustache scripts/embargo.lua scripts/cited.lua templates/cited.mustache \
	alt/organisations.lua; do
	check "doc provides $f" test -s "$s/$f"
done
printf -- '---\ntitle: "Held"\ndate: 2017-12-13\nsources: ["Example Wire"]\nembargo: "after lunch"\n---\n\nText.\n' \
	> "$s/content/articles/2017/held.md"
printf -- '---\ntitle: "Skipped"\ndate: 2017-12-13\n---\n## United Nations vote\n\nSee [the United Nations report](https://example.org/r) and the United Nations.\n' \
	> "$s/content/articles/2017/skipped.md"
run_briefing build -s "$s" -q
expect_status "example site with the tutorial filters builds" 0
a="$s/public/articles/2017/tillerson-no-preconditions/index.html"
check "why.lua puts the box at the top of the body" \
	grep -q '<p><strong>Why it matters: </strong>' "$a"
check "why.lua removed the key, so the theme box is gone" sh -c "! grep -q 'class=\"why\"' '$a'"
check "organisations.lua links an organisation from the data file" \
	grep -q 'href="https://www.atlanticcouncil.org/" title="Atlantic Council">Atlantic Council</a>' "$a"
k="$s/public/articles/2017/skipped/index.html"
check "organisations.lua: skip keeps it out of headings and links" \
	sh -c "grep -q '<h2>United Nations vote</h2>' '$k' && grep -q '<a href=\"https://example.org/r\">the United Nations report</a>' '$k'"
check "organisations.lua: the mention in plain text is linked" \
	grep -q 'and the <a href="https://www.un.org/" title="United Nations">United Nations</a>' "$k"
c="$s/public/countries/index.html"
check "countries.lua made its page" test -f "$c"
check "people grouped under their country" grep -q '<h2>North Korea</h2>' "$c"
check "person objects shared into page data" grep -q 'href="../people/kim-jong-un/">Kim Jong Un</a>' "$c"
e="$s/public/editions/2017-12-11/index.html"
check "weekly editions from the doc's site.yml" test -f "$e"
check "the edition front page gives the title" grep -q 'The week of the offer</time>' "$e"
check "and the lede" grep -q 'class="dek">Tillerson offered talks' "$e"
check "order: puts the listed brief first" sh -c "grep -o 'href=\"../../articles/2017/[a-z-]*/\"' '$e' | head -1 | grep -q ambassadors-withdrawn"
check "the organisation has a page with its briefs" grep -q 'href="../../articles/2017/' "$s/public/orgs/state-department/index.html"
check "its first mention is linked" grep -rq 'title="State Department">State Department</a>' "$s/public/articles/2017"
check "the glossary page from content files" grep -q '<dt id="icbm">ICBM</dt><dd><p>An intercontinental' "$s/public/glossary/index.html"
expect_stderr "embargo.lua warns at the key's line" "content/articles/2017/held.md:5: embargo: expected a date, found after lunch"
m="$s/public/most-cited/index.html"
check "cited.lua made its page from site.collections.sources" test -f "$m"
check "sources ranked by briefs, then name" \
	sh -c "grep -o 'href=\"../sources/[a-z-]*/\">[^<]*' '$m' | head -2 | tr '\n' ' ' | grep -q 'example-wire/\">Example Wire href=\"../sources/us-department-of-state/'"
check "the doc's site.yml runs threads.lua" test -f "$s/public/threads/pressure-campaign/index.html"
check "site.yml from the doc: only the scripts it lists run" \
	grep -q 'class="story-title"' "$s/public/articles/2017/talks-tried-before/index.html"

# the doc's one-call-per-article organisations filter (matcher:find and
# node:split), alone: first mentions only, whole words, none in a heading
# or a link
cp "$s/alt/organisations.lua" "$s/scripts/orgs-find.lua"
printf -- '---\ntitle: "Twice"\ndate: 2017-12-14\n---\n## United Nations vote\n\nThe United Nations and the Atlantic Council; [United Nations](https://example.org/r), the United Nations again, the United Nationsx.\n' \
	> "$s/content/articles/2017/twice.md"
printf 'title: "T"\nfilters: [orgs-find.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "the matcher:find example builds" 0
t="$s/public/articles/2017/twice/index.html"
check "matcher:find example: first mentions linked, in a heading and a link not" sh -c 'tr -d "\n" < "$1" | grep -qF "$2"' - "$t" \
	'<h2>United Nations vote</h2><p>The <a href="https://www.un.org/" title="United Nations">United Nations</a> and the <a href="https://www.atlanticcouncil.org/" title="Atlantic Council">Atlantic Council</a>; <a href="https://example.org/r">United Nations</a>, the United Nations again, the United Nationsx.</p>'

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
