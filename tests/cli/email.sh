# CLI: the email edition (editions/<day>/email.html and email.txt). With
# `email: {content: full}` each brief is there whole: its lead image with
# alt text and credit, its body with absolute addresses and images that
# fit the column, and in the text version the body wrapped at 72 columns
# with each image as "[Image: alt] <address>". By default (`summary`) the
# cards, with their lead images; other values are warned about.
. tests/lib.sh
export XDG_CACHE_HOME="$TMP/cache"

s="$TMP/s"
new_site "$s"
printf 'email: {content: full}\n' >> "$s/site.yml"
mkdir "$s/content/articles/first" "$s/content/articles/second"
png 640 360 > "$s/content/articles/first/chart.png"
png 1200 630 > "$s/content/articles/second/lead.png"
printf -- '---\ntitle: "First"\ndate: 2017-09-30\ntopics: [Diplomacy]\nsummary: "The card."\n---\n\nThe opening paragraph of the body is long enough that a plain text email has to wrap it over more than one line, as [the wire](https://example.net/wire) said and [the topic page](../../topics/diplomacy/) shows.\n\n![A chart](chart.png)\n\n- one point\n- another point\n\n> A quote.\n\n    let x = 1\n\n3. third\n4. fourth\n' \
	> "$s/content/articles/first.md"
printf -- '---\ntitle: "Second <b>"\ndate: 2017-09-30T12:00:00Z\nimage: lead.png\nimage_alt: "Envoys <at> a table"\nimage_credit: "Photo: Desk & Co"\n---\n\nSecond body.\n' \
	> "$s/content/articles/second.md"
run_briefing build -s "$s" -q
expect_status "site builds" 0
h="$s/public/editions/2017-09-30/email.html"
t="$s/public/editions/2017-09-30/email.txt"

# whole briefs
check "html: the body is there with content: full" grep -q 'The opening paragraph of the body' "$h"
check "html: the body image has an absolute address, its size and a style for email" \
	grep -qF '<img style="max-width:100%;height:auto;" width="640" height="360" src="https://example.org/articles/first/chart.png" alt="A chart" />' "$h"
check "html: the body's links are absolute" grep -qF 'href="https://example.org/topics/diplomacy/"' "$h"
check "html: the lead image, absolute, with escaped alt text" \
	grep -qF '<img src="https://example.org/articles/second/lead.png" alt="Envoys &lt;at&gt; a table" width="1200" height="630" style="display:block;max-width:100%;height:auto;' "$h"
check "html: the lead image's credit, escaped" grep -qF 'Photo: Desk &amp; Co</p>' "$h"
check "html: the title escaped" grep -qF 'Second &lt;b&gt;</a></h2>' "$h"
check "html: no relative address" sh -c "! grep -o '\(href\|src\)=\"[^\"]*\"' '$h' | grep -v '=\"https://'"
check "text: the body image on a line of its own" \
	grep -qxF '  [Image: A chart] <https://example.org/articles/first/chart.png>' "$t"
# too long for one line: the address goes on the next
check "text: the lead image, its alt text and address" sh -c "grep -xF -A1 '  [Image: Envoys <at> a table]' '$t' | grep -qxF '  <https://example.org/articles/second/lead.png>'"
check "text: the lead image's credit" grep -qxF '  Photo: Desk & Co' "$t"
check "text: the body wrapped at 72 columns" \
	grep -qxF '  The opening paragraph of the body is long enough that a plain text' "$t"
check "text: no line longer than 72 columns" sh -c "[ \$(awk 'length(\$0) > 72' '$t' | wc -l) -eq 0 ]"
check "text: a link out of the site keeps its address" \
	sh -c "tr -s ' \n' '  ' < '$t' | grep -qF 'the wire <https://example.net/wire> said'"
check "text: a link within the site is its text" sh -c "grep -q 'topic page shows' '$t' && ! grep -q '<https://example.org/topics' '$t'"
check "text: list items" sh -c "grep -qxF '  - one point' '$t' && grep -qxF '  - another point' '$t'"
check "text: a quote, code as written, a numbered list" sh -c "grep -qxF '  > A quote.' '$t' && grep -qxF '      let x = 1' '$t' && grep -qxF '  3. third' '$t' && grep -qxF '  4. fourth' '$t'"
check "text: no tags, no entities" sh -c "! grep -q '<p>\|&amp;\|&lt;' '$t'"
# an edited body reaches both emails on a warm build (the cache knows
# the email reads it)
sleep 0.01
sed -i 's/^The opening paragraph/The edited paragraph/' "$s/content/articles/first.md"
run_briefing build -s "$s" -q
check "warm build: the edited body in the html" grep -q 'The edited paragraph' "$h"
check "warm build: and in the text" grep -q '^  The edited paragraph' "$t"

# a body longer than 64 KB goes as its card
python3 -c "
import sys
sys.stdout.write('---\\ntitle: \"Long\"\\ndate: 2017-09-30\\nsummary: \"The long card.\"\\n---\\n\\n' + 'Many words. ' * 7000 + '\\n')" > "$s/content/articles/long.md"
run_briefing build -s "$s" -q
check "a body over 64 KB: its card in the html" sh -c "grep -q 'The long card.' '$h' && ! grep -q 'Many words' '$h' && grep -qF '<a href=\"https://example.org/articles/long/\" style=\"color:#1d4e89;\">Read the brief</a>' '$h'"
check "a body over 64 KB: its card in the text" sh -c "grep -qxF '  The long card.' '$t' && ! grep -q 'Many words' '$t'"
check "the other briefs stay whole" grep -q 'The edited paragraph' "$h"
rm "$s/content/articles/long.md"

# cards only
sed -i 's/^email: {content: full}$/email: {content: summary}/' "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "site with email: {content: summary} builds" 0
check "summary: html has the card, not the body" \
	sh -c "grep -q 'The card.' '$h' && ! grep -q 'The edited paragraph' '$h' && ! grep -q 'chart.png' '$h'"
check "summary: html keeps the lead image and its credit" \
	sh -c "grep -qF 'src=\"https://example.org/articles/second/lead.png\" alt=\"Envoys &lt;at&gt; a table\"' '$h' && grep -qF 'Photo: Desk &amp; Co' '$h'"
check "summary: text has the card, not the body" \
	sh -c "grep -qxF '  The card.' '$t' && ! grep -q 'edited paragraph\|chart.png' '$t'"
check "summary: text keeps the lead image" grep -qxF '  [Image: Envoys <at> a table]' "$t"

# a value it does not know: a warning at its place, and the cards
sed -i 's/^email: {content: summary}$/email: {content: whole}/' "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "an unknown email: content still builds" 0
expect_stderr "and is warned about at its place" "site.yml:3:18: warning: email: content: expected full or summary, found 'whole'"
check "cards then" sh -c "grep -q 'The card.' '$h' && ! grep -q 'The edited paragraph' '$h'"
sed -i 's/^email: {content: whole}$/email: {content: [full]}/' "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "email: content of the wrong type fails the build" 1
expect_stderr "the error is at the value" "site.yml:3:18: error: email: content: expected a string, found a list"
# a near miss of the key is caught like any other site.yml key
sed -i 's/^email: {content: \[full\]}$/emails: {content: summary}/' "$s/site.yml"
run_briefing build -s "$s" -q
expect_stderr "emails: is taken for email:" 'site.yml:3:1: warning: site.yml key "emails" is not one briefing knows; did you mean "email"?'
# without the key: the cards, with their lead images
sed -i '/^emails:/d' "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "site without email: builds" 0
check "the default is the cards" \
	sh -c "grep -q 'The card.' '$h' && ! grep -q 'The edited paragraph' '$h' && grep -qF 'articles/second/lead.png' '$h'"
finish
