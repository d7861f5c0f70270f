# CLI: briefing import turns the two scraped seed articles into draft
# briefs: boilerplate gone, the site's people and topics detected, the
# result builds; never an overwrite.
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

seeds="$SHARED/seeds"
if [ ! -d "$seeds" ]; then skip "the seed scrapes import" "no $seeds"; finish; exit 0; fi
s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/site.yml" "$s/"
run_briefing import "$seeds/000_be21c74901759062.txt" -s "$s" --date 2017-12-12 --source "Spero News"
expect_status "first seed imported" 0
a=$(ls "$s"/content/articles/2017/secretary-of-state-rex-tillerson-*.md)
check "a draft" grep -qx 'draft: true' "$a"
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
check "topics detected" grep -qF 'topics: ["Diplomacy", "Sanctions"]' "$b"
check "Corker and Nauert detected" sh -c "grep -qF '\"Bob Corker\"' '$b' && grep -qF '\"Heather Nauert\"' '$b'"
run_briefing build -s "$s" --drafts -q
expect_status "the imported drafts build" 0
run_briefing import "$seeds/003_e63fbc0568df4c1e.txt" -s "$s" --date 2017-09-30
expect_status "importing twice is refused" 1
expect_stderr "refusal explained" "already exists; briefing import never overwrites"
finish
