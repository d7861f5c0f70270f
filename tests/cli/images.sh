# CLI: images beside a brief (content/articles/x.md + x/): copied beside
# its page, sized from their files, lazy below the first, absolute in
# feeds, a `check` warning without alt text, and rebuilt when they change.
. tests/lib.sh

new_site "$TMP/s"
mkdir "$TMP/s/content/articles/first"
png 640 360 > "$TMP/s/content/articles/first/chart.png"
printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><rect width="300" height="150"/></svg>\n' \
	> "$TMP/s/content/articles/first/map.svg"
printf -- '---\ntitle: "A brief of its own"\ndate: 2017-09-01\n---\n\nText.\n' > "$TMP/s/content/articles/first/notes.md"
printf -- '---\ntitle: "First"\ndate: 2017-09-30\ntopics: [Diplomacy]\n---\n\nHello.\n\n![A chart of talks](chart.png)\n\n![](map.svg)\n\n![Far away](https://example.net/x.png)\n' \
	> "$TMP/s/content/articles/first.md"
export XDG_CACHE_HOME="$TMP/cache"
run_briefing build -s "$TMP/s" -q
expect_status "site with images builds" 0
page="$TMP/s/public/articles/first/index.html"
check "image copied beside the page" cmp "$TMP/s/content/articles/first/chart.png" "$TMP/s/public/articles/first/chart.png"
check "svg copied beside the page" test -f "$TMP/s/public/articles/first/map.svg"
check "a brief in the folder is not copied as a file" test ! -e "$TMP/s/public/articles/first/notes.md"
check "png sized, first image not lazy" grep -q '<img width="640" height="360" src="chart.png" alt="A chart of talks" />' "$page"
check "svg sized from its viewBox, lazy" grep -q '<img width="300" height="150" loading="lazy" src="map.svg"' "$page"
check "remote image lazy, not sized" grep -q '<img loading="lazy" src="https://example.net/x.png"' "$page"
check "feed image has an absolute address" grep -q 'src=&quot;https://example.org/articles/first/chart.png&quot;' "$TMP/s/public/feed.xml"

run_briefing check -s "$TMP/s"
cat "$TMP/out" >> "$TMP/err"
expect_stderr "missing alt text is a check warning" 'content/articles/first.md:11:1: warning: image "map.svg" has no alt text'
if grep -q 'chart.png" has no alt' "$TMP/err"; then not_ok "an image with alt text is not flagged"; else ok "an image with alt text is not flagged"; fi

# a changed image reaches a warm build (its size is in the brief's page)
sleep 0.01
png 800 200 > "$TMP/s/content/articles/first/chart.png"
run_briefing build -s "$TMP/s" -q
check "warm build copies the new image" cmp "$TMP/s/content/articles/first/chart.png" "$TMP/s/public/articles/first/chart.png"
check "warm build has the new size" grep -q '<img width="800" height="200" src="chart.png"' "$page"

# without clean URLs the page is first.html: the images go beside it
run_briefing build -s "$TMP/s" -q --clean-urls=false -o "$TMP/flat"
expect_status "build without clean URLs" 0
check "images beside first.html" test -f "$TMP/flat/articles/chart.png"

# a lead image: on the brief and its cards, for link previews, in feeds
png 1200 630 > "$TMP/s/content/articles/first/lead.png"
printf -- '---\ntitle: "Second"\ndate: 2017-10-01\ntopics: [Diplomacy]\nimage: lead.png\nimage_alt: "Envoys <at> a table"\nimage_caption: "The first round."\nimage_credit: "Photo: Desk"\n---\n\nText.\n' \
	> "$TMP/s/content/articles/second.md"
mkdir "$TMP/s/content/articles/second"
mv "$TMP/s/content/articles/first/lead.png" "$TMP/s/content/articles/second/"
run_briefing build -s "$TMP/s" -q
expect_status "site with a lead image builds" 0
second="$TMP/s/public/articles/second/index.html"
check "lead image on the brief, sized" grep -q '<img src="../../articles/second/lead.png" alt="Envoys &lt;at&gt; a table" width="1200" height="630">' "$second"
check "lead image caption and credit" grep -q '<figcaption>The first round. <span class="credit">Photo: Desk</span></figcaption>' "$second"
check "og:image is absolute" grep -q '<meta property="og:image" content="https://example.org/articles/second/lead.png">' "$second"
check "large twitter card with an image" grep -q '<meta name="twitter:card" content="summary_large_image">' "$second"
check "small twitter card without one" grep -q '<meta name="twitter:card" content="summary">' "$page"
check "lead image on the brief's card" grep -q 'class="brief-image" src="../../articles/second/lead.png"' "$TMP/s/public/topics/diplomacy/index.html"
size=$(wc -c < "$TMP/s/content/articles/second/lead.png" | tr -d ' ')
check "rss enclosure" grep -q "<enclosure url=\"https://example.org/articles/second/lead.png\" length=\"$size\" type=\"image/png\"/>" "$TMP/s/public/rss.xml"
check "atom enclosure" grep -q '<link rel="enclosure" type="image/png"' "$TMP/s/public/feed.xml"
check "json feed image" grep -q '"image": "https://example.org/articles/second/lead.png"' "$TMP/s/public/feed.json"
check "JSON-LD image" grep -q '"image":"https://example.org/articles/second/lead.png"' "$second"
sed -i '/^image_alt:/d' "$TMP/s/content/articles/second.md"
run_briefing check -s "$TMP/s"
cat "$TMP/out" >> "$TMP/err"
expect_stderr "a lead image without alt text is a check warning" 'second.md:5:8: warning: image: no image_alt'
sed -i 's/^image: lead.png/image: missing.png/' "$TMP/s/content/articles/second.md"
run_briefing build -s "$TMP/s" -q
expect_status "a lead image without its file fails" 1
expect_stderr "the missing lead image is named" 'content/articles/second.md:5:8: error: image: expected a file in'
sed -i 's/^image: missing.png/image: lead.png/' "$TMP/s/content/articles/second.md"

# a symlink out of the site is not published
ln -s /etc/passwd "$TMP/s/content/articles/first/secret.txt"
run_briefing build -s "$TMP/s" -q --no-cache
expect_status "a symlink out of the site fails the build" 1
expect_stderr "the symlink is named" 'secret.txt: error: symlink points outside the site folder'
# a page bundle: content/articles/2017/third/index.md with its files beside
# it is the brief "third", its images copied and sized as above
rm "$TMP/s/content/articles/first/secret.txt"
mkdir -p "$TMP/s/content/articles/2017/third"
png 320 240 > "$TMP/s/content/articles/2017/third/chart.png"
printf -- '---\ntitle: "Third"\ndate: 2017-10-02\n---\n\nBundled.\n\n![A bundled chart](chart.png)\n' \
	> "$TMP/s/content/articles/2017/third/index.md"
run_briefing build -s "$TMP/s" -q
expect_status "site with a page bundle builds" 0
third="$TMP/s/public/articles/2017/third/index.html"
check "bundle: slug from the folder" test -f "$third"
check "bundle: no brief named index" test ! -e "$TMP/s/public/articles/2017/third/index/index.html"
check "bundle: image copied with the page" cmp "$TMP/s/content/articles/2017/third/chart.png" "$TMP/s/public/articles/2017/third/chart.png"
check "bundle: index.md not copied" test ! -e "$TMP/s/public/articles/2017/third/index.md"
check "bundle: image sized" grep -q '<img width="320" height="240" src="chart.png" alt="A bundled chart" />' "$third"
check "bundle: feed image absolute" grep -q 'src=&quot;https://example.org/articles/2017/third/chart.png&quot;' "$TMP/s/public/feed.xml"
# a changed bundle image reaches a warm build
sleep 0.01
png 160 90 > "$TMP/s/content/articles/2017/third/chart.png"
run_briefing build -s "$TMP/s" -q
check "bundle: warm build copies the new image" cmp "$TMP/s/content/articles/2017/third/chart.png" "$TMP/s/public/articles/2017/third/chart.png"
check "bundle: warm build has the new size" grep -q '<img width="160" height="90" src="chart.png"' "$third"
# a bundle and a file of the same name are one address
printf -- '---\ntitle: "Third again"\ndate: 2017-10-03\n---\n\nText.\n' > "$TMP/s/content/articles/2017/third.md"
run_briefing build -s "$TMP/s" -q
expect_status "a bundle and x.md of the same name fail the build" 1
rm "$TMP/s/content/articles/2017/third.md"
# a folder that comes beside a brief the cache has (not edited) reaches a
# warm build, and one that goes takes its files with it
printf -- '---\ntitle: "Fourth"\ndate: 2017-10-04\n---\n\nText.\n' > "$TMP/s/content/articles/2017/fourth.md"
run_briefing build -s "$TMP/s" -q
check "a brief without a folder has no files beside its page" test ! -e "$TMP/s/public/articles/2017/fourth/notes.txt"
mkdir "$TMP/s/content/articles/2017/fourth"
printf 'Notes.\n' > "$TMP/s/content/articles/2017/fourth/notes.txt"
run_briefing build -s "$TMP/s" -q
check "a new folder beside an unedited brief: its files copied" \
	cmp "$TMP/s/content/articles/2017/fourth/notes.txt" "$TMP/s/public/articles/2017/fourth/notes.txt"
rm -r "$TMP/s/content/articles/2017/fourth"
run_briefing build -s "$TMP/s" -q
check "the folder gone: its files gone" test ! -e "$TMP/s/public/articles/2017/fourth/notes.txt"
finish
