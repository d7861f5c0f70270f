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
for f in scripts/why.lua scripts/organisations.lua scripts/countries.lua \
	data/organisations.yml templates/countries.mustache; do
	check "doc provides $f" test -s "$s/$f"
done
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
finish
