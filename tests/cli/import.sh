# CLI: briefing import turns the two scraped seed articles into draft
# briefs: boilerplate gone, the site's people and topics detected, the
# result builds; never an overwrite. Empty and binary files and a bad
# --date are refused; a saved HTML page is read as HTML; the title is a
# headline or a whole sentence; dates stated in the text, sources from
# data/sources.yml, organisations never proposed as people.
. tests/lib.sh

# Control bytes in a flag are escaped in the front matter, never dropped:
# a tab in --source reads back as a tab (import once wrote "AB").
q="$TMP/q"
new_site "$q"
printf 'Officials met in Geneva on Tuesday to talk about the talks.\n' > "$TMP/scraped.txt"
run_briefing import "$TMP/scraped.txt" -s "$q" --date 2017-12-12 --source "$(printf 'Wire\tDesk')"
expect_status "an import with a tab in --source" 0
d=$(ls "$q"/content/articles/2017/*.md)
check "the tab is escaped, not dropped" grep -qxF 'source: "Wire\tDesk"' "$d"
run_briefing build -s "$q" --drafts -q
expect_status "the escaped front matter parses" 0

# adversarial inputs: nothing is written for any of them
a="$TMP/a"
new_site "$a"
mkdir -p "$a/data"
printf -- '- name: "U.S. Department of State"\n  aliases: ["State Department"]\n- name: "Atlantic Council"\n' > "$a/data/sources.yml"
: > "$TMP/empty.txt"
printf ' \n\n\t\n' > "$TMP/blank.txt"
seq 1 2000 | gzip -n > "$TMP/archive.txt"
printf 'text\000more\n' > "$TMP/nul.txt"
printf 'caf\351 latin-1\n' > "$TMP/latin1.txt"
for f in empty blank archive nul latin1; do
	run_briefing import "$TMP/$f.txt" -s "$a"
	expect_status "import refuses $f" 1
done
run_briefing import "$TMP/empty.txt" -s "$a"
expect_stderr "an empty file is named and explained" "empty.txt: error: the file is empty; nothing to import"
run_briefing import "$TMP/archive.txt" -s "$a"
expect_stderr "a binary file is named and explained" "archive.txt: error: binary data, not text"
run_briefing import "$TMP/scraped.txt" -s "$a" --date "last tuesday"
expect_status "an unparseable --date is an error" 1
expect_stderr "and says what it wants" '--date: expected YYYY-MM-DD or RFC 3339, found "last tuesday"'
check "nothing written for refused imports" test ! -d "$a/content/articles/2026" -a ! -d "$a/content/articles/2023"

# a saved HTML page: headline, publication time, text without tags
cat > "$TMP/page.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Envoys recalled | Example Wire</title>
<meta property="og:title" content="Five countries recall envoys from Pyongyang">
<meta property="article:published_time" content="2017-12-12T16:00:00-05:00">
<script>var tracker = "do-not-import";</script><style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<header><h1>Envoys recalled</h1></header>
<article><p>Kuwait, Italy &amp; Spain have <b>withdrawn</b> their ambassadors,
the State Department said.</p>
<p>Analysts at the Atlantic Council called it &ldquo;a squeeze&rdquo;&#8230;</p></article>
<footer>Copyright Example Wire</footer></body></html>
HTML
run_briefing import "$TMP/page.html" -s "$a"
expect_status "a saved HTML page imports" 0
h=$(ls "$a"/content/articles/2017/five-countries-recall-envoys*.md 2>/dev/null)
check "og:title is the title" grep -qxF 'title: "Five countries recall envoys from Pyongyang"' "$h"
check "article:published_time is the date" grep -qxF 'date: 2017-12-12T16:00:00-05:00' "$h"
check "the body is text, entities decoded" grep -qF 'Kuwait, Italy & Spain have withdrawn their ambassadors, the State Department said.' "$h"
check "curly quotes and ellipsis decoded" grep -qF "called it $(printf '\342\200\234')a squeeze$(printf '\342\200\235\342\200\246')" "$h"
check "no tags, scripts, styles, navigation or footer" sh -c "! grep -qE '<b>|<p>|do-not-import|color: red|World|Copyright' '$h'"
check "sources proposed from data/sources.yml" sh -c "grep -qxF '  - name: \"U.S. Department of State\"' '$h' && grep -qxF '  - name: \"Atlantic Council\"' '$h'"
check "an organisation is not proposed as a person" sh -c "! grep -q 'not know yet.*Atlantic Council' '$h'"

# plain text: a headline line is the title; a date the text states is the date
printf 'Envoys leave Pyongyang\n\nOn December 12, 2017 five governments withdrew their ambassadors, a Senate Foreign Relations Committee aide and Jane Roe said.\f\n' > "$TMP/headline.txt"
run_briefing import "$TMP/headline.txt" -s "$a" --source "state department"
expect_status "a plain text with a headline imports" 0
t="$a/content/articles/2017/envoys-leave-pyongyang.md"
check "the headline line is the title" grep -qxF 'title: "Envoys leave Pyongyang"' "$t"
check "the headline is not repeated in the body" test "$(grep -c 'Envoys leave Pyongyang' "$t")" -eq 1
check "the date stated in the text" grep -q '^date: 2017-12-12T' "$t"
check "--source matched by alias, any case" grep -qxF '  - name: "U.S. Department of State"' "$t"
check "a committee is not proposed as a person, a person is" grep -qx '# names the site does not know yet (briefing new person "Name"): Jane Roe' "$t"
check "a form feed is stripped" sh -c "! grep -qP '\\x0c' '$t'"
run_briefing build -s "$a" --drafts -q
expect_status "the imported drafts build" 0

seeds="$SHARED/seeds"
if [ ! -d "$seeds" ]; then skip "the seed scrapes import" "no $seeds"; finish; exit 0; fi
s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/data" "$ROOT/site.yml" "$s/"
run_briefing import "$seeds/000_be21c74901759062.txt" -s "$s" --date 2017-12-12 --source "Spero News"
expect_status "first seed imported" 0
a=$(ls "$s"/content/articles/2017/secretary-of-state-rex-tillerson-*.md)
check "a draft" grep -qx 'draft: true' "$a"
check "the title is the whole first sentence, not a cut one" grep -qxF 'title: "Secretary of State Rex Tillerson said on Tuesday at an event at the Atlantic Council that he is open to negotiating with North Korea"' "$a"
check "Atlantic Council proposed as a source, not as a person" sh -c "grep -qxF '  - name: \"Atlantic Council\"' '$a' && ! grep -q 'not know yet.*Atlantic Council' '$a'"
check "Tillerson, Trump and Mattis detected" \
	grep -qF 'people: ["Colin Powell", "Donald Trump", "James Mattis", "Kim Jong Un", "Rex Tillerson"]' "$a"
for junk in "Short Link" "Do you like what you just read" "Remains of WW2 pilot" "Spero News writer"; do
	check "boilerplate gone: $junk" sh -c "! grep -qF '$junk' '$a'"
done
check "the reporting is kept" grep -qF 'North Korea has launched 23 missiles' "$a"
check "source filled in" grep -qx 'source: "Spero News"' "$a"

run_briefing import "$seeds/003_e63fbc0568df4c1e.txt" -s "$s" --date 2017-09-30
expect_status "second seed imported" 0
b=$(ls "$s"/content/articles/2017/us-secretary-of-state-rex-tillerson-*.md)
check "author box gone" sh -c "! grep -qF 'Author Details' '$b'"
check "topics detected" grep -qF 'topics: ["China", "Diplomacy", "Sanctions"]' "$b"
check "Corker and Nauert detected" sh -c "grep -qF '\"Bob Corker\"' '$b' && grep -qF '\"Heather Nauert\"' '$b'"
run_briefing build -s "$s" --drafts -q
expect_status "the imported drafts build" 0
run_briefing import "$seeds/003_e63fbc0568df4c1e.txt" -s "$s" --date 2017-09-30
expect_status "importing twice is refused" 1
expect_stderr "refusal explained" "already exists; briefing import never overwrites"
finish
