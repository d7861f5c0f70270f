# Lua: the tutorial scripts of docs/filters.md, taken from the doc (every
# fenced block whose first line names a file), run on a copy of the
# example site. A first line "<!-- file: X -->" (Markdown files, which
# must start with their front matter) is not copied. The keyed examples
# are also built warm (from the cache) after an edit, and the collections
# hook the doc moves to keyed steps must make the same page as its keyed
# version. Then the examples of briefing-lua(7).
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
	alt/organisations.lua scripts/desks.lua templates/desk.mustache templates/desks.mustache \
	templates/partials/head.mustache alt/countries-hook.lua; do
	check "doc provides $f" test -s "$s/$f"
done
# desk: DESK in an article's front matter (after its first line, "---")
set_desk() {
	f="$s/content/articles/2017/$1.md"
	awk -v d="$2" 'NR == 2 { print "desk: \"" d "\"" } /^desk:/ { next } { print }' "$f" > "$f.new" &&
		mv "$f.new" "$f"
}
set_desk talks-tried-before Asia
set_desk ambassadors-withdrawn asia
set_desk tillerson-no-preconditions Washington
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
d="$s/public/desks/asia/index.html"
check "desks.lua: a page per desk" test -f "$d"
check "desks.lua: the desk named as its newest brief writes it" grep -q '<h1>Asia desk</h1>' "$d"
check "desks.lua: the desk's briefs, newest first" \
	sh -c "grep -o 'href=\"../../articles/2017/[a-z-]*/\"' '$d' | tr '\n' ' ' | grep -qx 'href=\"../../articles/2017/talks-tried-before/\" href=\"../../articles/2017/ambassadors-withdrawn/\" '"
check "desks.lua: finish made the index, desks by slug" \
	sh -c "tr -d '\n' < '$s/public/desks/index.html' | grep -q 'href=\"../desks/asia/\">Asia</a> (2), latest: *<a href=\"../articles/2017/talks-tried-before/\">.*href=\"../desks/washington/\">Washington</a> (1)'"
check "desks.lua: the field a group step set reaches the brief's page" \
	grep -q '<meta property="article:section" content="Washington">' "$a"
check "desks.lua: no section on a brief without a desk" \
	sh -c "! grep -q 'article:section' '$s/public/articles/2017/un-sanctions-round/index.html'"
check "glossary.lua in keyed steps: its page" test -f "$s/public/glossary/index.html"
cp "$s/public/countries/index.html" "$TMP/countries-keyed.html"
mv "$s/scripts/countries.lua" "$TMP/countries.lua"
cp "$s/alt/countries-hook.lua" "$s/scripts/countries.lua"
run_briefing build -s "$s" -q
expect_status "the countries page from the collections hook builds" 0
check "the hook and its keyed version make the same page" \
	cmp -s "$TMP/countries-keyed.html" "$s/public/countries/index.html"
mv "$TMP/countries.lua" "$s/scripts/countries.lua"

# keyed scripts alone: the build keeps a cache, and a warm build after an
# edit makes what a build without the cache makes
printf 'title: "T"\nfilters: [desks.lua, countries.lua, glossary.lua]\n' > "$s/site.yml"
warm() { run_briefing build -s "$s" -v --cache-dir "$TMP/cache" "$@"; }
warm
expect_status "keyed scripts alone build" 0
warm
check "keyed scripts alone: the second build reads the cache" grep -q "briefing: cache *read from" "$TMP/out"
check "keyed scripts alone: and runs no step" grep -q "(0 steps run)" "$TMP/out"
sleep 1.1 # a new modification time, whatever the file system's resolution
set_desk tillerson-no-preconditions Asia
warm
expect_status "a warm build after a desk changed" 0
check "the warm build read the cache" grep -q "briefing: cache *read from" "$TMP/out"
check "it ran the brief's emit, the new desk's group step and finish" grep -q "(3 steps run)" "$TMP/out"
check "the brief moved to the other desk's page" \
	grep -q 'href="../../articles/2017/tillerson-no-preconditions/"' "$d"
check "the desk left empty lost its page" test ! -e "$s/public/desks/washington/index.html"
rm -rf "$TMP/cold"
"$BRIEFING" build -s "$s" -q --no-cache -o "$TMP/cold" 2>/dev/null
check "the warm build's output is a build's without the cache" \
	diff -r -x .briefing-output -x sitemap.xml "$s/public" "$TMP/cold"
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

# the man page's examples: the one-line filter, and the keyed script
sed -n '/^\.Sh EXAMPLES/,/^\.Ed/p' "$ROOT/docs/briefing-lua.7" | grep -A1 '^\.Bd' | tail -1 \
	> "$s/scripts/upper.lua"
sed -n '/^\.Sh EXAMPLES/,/^\.Sh DIAGNOSTICS/p' "$ROOT/docs/briefing-lua.7" |
	awk '/^\.Bd/ { n++; on = n == 2; next } /^\.Ed/ { on = 0 } on' > "$s/scripts/years.lua"
printf '{{#articles}}<a href="{{root}}{{url}}">{{title}}</a>\n{{/articles}}' > "$s/templates/year.mustache"
printf '{{#years}}<a href="{{root}}{{url}}">{{year}}</a> ({{count}})\n{{/years}}' > "$s/templates/years.mustache"
printf -- '---\ntitle: "With a heading"\ndate: 2017-12-14\n---\n## Background briefing\n\nText.\n' \
	> "$s/content/articles/2017/heading.md"
printf 'title: "T"\nfilters: [upper.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "briefing-lua(7) example builds" 0
check "briefing-lua(7) example upper-cases headings" \
	grep -q '<h2>BACKGROUND BRIEFING</h2>' "$s/public/articles/2017/heading/index.html"
printf 'title: "T"\nfilters: [years.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "briefing-lua(7) keyed example builds" 0
n=$(grep -L '^draft: true' "$s"/content/articles/2017/*.md | wc -l)
check "briefing-lua(7) keyed example: the index of years ($n published in 2017)" \
	grep -qx "<a href=\"../years/2017/\">2017</a> ($n)" "$s/public/years/index.html"
check "briefing-lua(7) keyed example: a year's briefs, newest first" \
	sh -c "head -1 '$s/public/years/2017/index.html' | grep -q 'articles/2017/heading/'"
finish
