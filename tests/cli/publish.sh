# CLI: publishing outputs: Atom, RSS and JSON feeds (site, topic, person),
# OPML, sitemap (and its index), robots.txt, --base-url.
. tests/lib.sh

# well-formed XML (Python's parser; xmllint is not part of the set-up)
wellformed() {
	python3 -c 'import sys, xml.dom.minidom
for f in sys.argv[1:]: xml.dom.minidom.parse(f)' "$@"
}

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/content/people"
printf -- '---\nname: "Rex Tillerson"\n---\nBio.\n' > "$s/content/people/rex-tillerson.md"
printf -- '---\ntitle: "Q&A: <b>\\"talks\\"</b>"\ndate: 2017-12-12T10:00:00-05:00\nsummary: "S & T"\ntopics: [Diplomacy]\npeople: [Rex Tillerson]\n---\nRex Tillerson spoke.\n' \
	> "$s/content/articles/second.md"
printf 'title: "Desk & Co"\nbase_url: "https://example.org/desk/"\nfeeds: {items: 1}\n' > "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "site with feeds builds" 0
p="$s/public"
for f in feed.xml rss.xml feeds.opml sitemap.xml topics/diplomacy/feed.xml \
	topics/diplomacy/rss.xml people/rex-tillerson/feed.xml; do
	check "$f is well-formed XML" wellformed "$p/$f"
done
for f in feed.json topics/diplomacy/feed.json people/rex-tillerson/feed.json; do
	check "$f is valid JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$p/$f"
done
check "Atom title escaped" grep -qF '<title>Q&amp;A: &lt;b&gt;&quot;talks&quot;&lt;/b&gt;</title>' "$p/feed.xml"
check "Atom entry id is the permalink" grep -qF '<id>https://example.org/desk/articles/second/</id>' "$p/feed.xml"
check "Atom dates are RFC 3339" grep -qF '<updated>2017-12-12T10:00:00-05:00</updated>' "$p/feed.xml"
check "items limit honoured" test "$(grep -c '<entry>' "$p/feed.xml")" -eq 1
check "RSS pubDate is RFC 822" grep -qF '<pubDate>Tue, 12 Dec 2017 10:00:00 -0500</pubDate>' "$p/rss.xml"
check "JSON Feed item" python3 -c "
import json,sys
f = json.load(open(sys.argv[1]))
i = f['items'][0]
assert f['version'] == 'https://jsonfeed.org/version/1.1'
assert i['id'] == 'https://example.org/desk/articles/second/', i
assert i['title'] == 'Q&A: <b>\"talks\"</b>', i['title']
assert i['date_published'] == '2017-12-12T10:00:00-05:00'
assert 'Diplomacy' in i['tags']
assert 'Rex Tillerson' in i['_briefing']['people']" "$p/feed.json"
check "person feed lists the person's article" grep -qF 'articles/second/' "$p/people/rex-tillerson/feed.xml"
check "OPML lists the topic feed" grep -qF 'xmlUrl="https://example.org/desk/topics/diplomacy/feed.xml"' "$p/feeds.opml"
check "alternate link on the home page" grep -qF '<link rel="alternate" type="application/atom+xml" title="Desk &amp; Co (Atom)" href="feed.xml">' "$p/index.html"
check "topic feed linked from the topic page" grep -qF 'href="../../topics/diplomacy/feed.xml"' "$p/topics/diplomacy/index.html"
check "sitemap lists pages" grep -qF '<loc>https://example.org/desk/articles/second/</loc>' "$p/sitemap.xml"
check "sitemap leaves feeds out" sh -c "! grep -q 'feed.xml' '$p/sitemap.xml'"
check "site feed carries whole articles" grep -qF '<content type="html"' "$p/feed.xml"
check "site feed content: links absolute in RSS" grep -qF 'href=&quot;https://example.org/desk/people/rex-tillerson/&quot;' "$p/rss.xml"
check "site feed content: links absolute in JSON Feed" python3 -c "
import json,sys
i = json.load(open(sys.argv[1]))['items'][0]
assert 'href=\"https://example.org/desk/people/rex-tillerson/\"' in i['content_html'], i['content_html']" "$p/feed.json"
check "entity feeds carry summaries" sh -c "grep -qF '<summary>S &amp; T</summary>' '$p/people/rex-tillerson/feed.xml' && ! grep -q '<content' '$p/people/rex-tillerson/feed.xml' && grep -qF '<description>S &amp; T</description>' '$p/topics/diplomacy/rss.xml'"
check "entity JSON feed: content_text, no content_html" python3 -c "
import json,sys
i = json.load(open(sys.argv[1]))['items'][0]
assert 'content_html' not in i and i['content_text'] == 'S & T', i" "$p/topics/diplomacy/feed.json"
check "robots.txt points at the sitemap" grep -qxF 'Sitemap: https://example.org/desk/sitemap.xml' "$p/robots.txt"

e="$p/editions/2017-12-12/email.html"
check "email edition written" test -f "$e"
check "email edition: no stylesheet, no script" sh -c "! grep -q '<link rel=\"stylesheet\"\|<script' '$e'"
check "email edition: every link absolute" sh -c "! grep -o 'href=\"[^\"]*\"' '$e' | grep -v 'href=\"https://'"
check "email edition: inline styles, table layout" grep -q '<table role="presentation"' "$e"
check "email edition: escaped title" grep -qF 'Q&amp;A: &lt;b&gt;' "$e"
check "text email: title as text, link" sh -c "grep -qF '* Q&A: <b>\"talks\"</b>' '$p/editions/2017-12-12/email.txt' && grep -qF 'https://example.org/desk/articles/second/' '$p/editions/2017-12-12/email.txt'"
check "sitemap leaves emails out" sh -c "! grep -q 'email' '$p/sitemap.xml'"

BRIEFING_SITEMAP_LIMIT=3 run_briefing build -s "$s" -q --base-url https://preview.example/sub -o "$TMP/o"
expect_status "--base-url build" 0
check "--base-url reaches feeds" grep -qF 'href="https://preview.example/sub/feed.xml"' "$TMP/o/feed.xml"
check "--base-url reaches canonical links" grep -qF '<link rel="canonical" href="https://preview.example/sub/">' "$TMP/o/index.html"
check "sitemap index past the limit" grep -qF '<sitemapindex' "$TMP/o/sitemap.xml"
check "sitemap parts well-formed" wellformed "$TMP/o/sitemap-1.xml" "$TMP/o/sitemap-2.xml"
run_briefing build -s "$s" --base-url "ftp://x"
expect_status "bad --base-url is a usage error" 2

printf 'title: "Paged"\nbase_url: "https://example.org/"\npaginate: 1\n' > "$s/site.yml"
run_briefing build -s "$s" -q -o "$TMP/pg"
expect_status "paginated build" 0
check "page 2 of a topic" test -f "$TMP/pg/topics/diplomacy/page/2/index.html"
check "page 1 links to page 2 with rel=next" grep -qF '<link rel="next" href="../../topics/diplomacy/page/2/">' "$TMP/pg/topics/diplomacy/index.html"
check "page 2 links back with rel=prev" grep -qF '<link rel="prev" href="../../../../topics/diplomacy/">' "$TMP/pg/topics/diplomacy/page/2/index.html"
check "each page lists its own brief" sh -c "grep -q 'articles/second/' '$TMP/pg/topics/diplomacy/index.html' && grep -q 'articles/first/' '$TMP/pg/topics/diplomacy/page/2/index.html' && ! grep -q 'articles/first/\"' '$TMP/pg/topics/diplomacy/index.html'"
check "edition archive paged" test -f "$TMP/pg/editions/page/2/index.html"

# a long list: the pager shows the first and last pages and two on each
# side of the current one, with gaps, not a link to every page
p="$TMP/long"
mkdir -p "$p/content/articles"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	printf -- '---\ntitle: "Brief %s"\ndate: 2017-12-%s\ntopics: [Sanctions]\n---\nText.\n' "$i" "$i" \
		> "$p/content/articles/b$i.md"
done
printf 'title: "Long"\npaginate: 1\n' > "$p/site.yml"
run_briefing build -s "$p" -q -o "$TMP/long-out"
expect_status "twelve pages of one topic" 0
pager() { # the page numbers and gaps of a page's pager, one line
	sed -n '/<nav class="pagination"/,/<\/nav>/p' "$1" |
		sed -n 's/.*aria-current="page">\([0-9]*\)<.*/[\1]/p; s/.*pagination-gap.*/…/p; s/.*<li><a href="[^"]*">\([0-9]*\)<\/a><\/li>.*/\1/p' |
		tr '\n' ' '
}
check "pager in the middle: 1 … 4 5 [6] 7 8 … 12" \
	test "$(pager "$TMP/long-out/topics/sanctions/page/6/index.html")" = "1 … 4 5 [6] 7 8 … 12 "
check "pager at the start: [1] 2 3 4 5 6 … 12" \
	test "$(pager "$TMP/long-out/topics/sanctions/index.html")" = "[1] 2 3 4 5 6 … 12 "
check "pager near the end shows page 11 instead of a gap of one" \
	test "$(pager "$TMP/long-out/topics/sanctions/page/9/index.html")" = "1 … 7 8 [9] 10 11 12 "
check "pager at the end: 1 … 7 8 9 10 11 [12]" \
	test "$(pager "$TMP/long-out/topics/sanctions/page/12/index.html")" = "1 … 7 8 9 10 11 [12] "

# hosts without directory indexes: x.html files, links rewritten to them
printf 'title: "Flat"\nbase_url: "https://example.org/flat/"\nclean_urls: false\n' > "$s/site.yml"
run_briefing build -s "$s" -q -o "$TMP/flat"
expect_status "clean_urls: false builds" 0
check "pages are x.html files" sh -c "test -f '$TMP/flat/topics/diplomacy.html' && test -f '$TMP/flat/articles/second.html' && test ! -e '$TMP/flat/articles/second/index.html'"
check "links point at the files" grep -qF 'href="../topics/diplomacy.html"' "$TMP/flat/articles/second.html"
check "home links to index.html" grep -qF 'href="../index.html" rel="home"' "$TMP/flat/articles/second.html"
check "body links relative to the file" grep -qF 'href="../people/rex-tillerson.html"' "$TMP/flat/articles/second.html"
check "canonical and feeds use the file URLs" sh -c "grep -qF '<link rel=\"canonical\" href=\"https://example.org/flat/articles/second.html\">' '$TMP/flat/articles/second.html' && grep -qF 'https://example.org/flat/articles/second.html' '$TMP/flat/feed.xml'"
check "sitemap lists the files" grep -qF '<loc>https://example.org/flat/topics/diplomacy.html</loc>' "$TMP/flat/sitemap.xml"
run_briefing build -s "$s" -q -o "$TMP/flat2" --clean-urls=true
check "--clean-urls=true overrides site.yml" test -f "$TMP/flat2/topics/diplomacy/index.html"

printf 'title: "No base"\n' > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/nb"
expect_status "site without base_url builds" 0
expect_stderr "feeds skipped with a note" "note: feeds need base_url"
check "no feed without base_url" test ! -e "$TMP/nb/feed.xml"
check "no sitemap without base_url" test ! -e "$TMP/nb/sitemap.xml"
# the bench page set: RSS only, no OPML, no pages for people without
# articles, everything on one page
mkdir -p "$s/content/topics"
printf -- '---\nname: "Nobody Mentioned"\n---\nBio.\n' > "$s/content/people/nobody-mentioned.md"
printf 'title: "Lean"\nbase_url: "https://example.org/"\npaginate: 0\nfeeds: {formats: [rss], opml: false}\nindexes: {empty: false, chart: false, related: false}\n' > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/lean" -q
expect_status "lean site builds" 0
check "formats [rss]: rss.xml written" test -f "$TMP/lean/rss.xml"
check "formats [rss]: no Atom feed" test ! -e "$TMP/lean/feed.xml"
check "formats [rss]: no JSON feed" test ! -e "$TMP/lean/topics/diplomacy/feed.json"
check "formats [rss]: person RSS written" test -f "$TMP/lean/people/rex-tillerson/rss.xml"
check "formats [rss]: pages link only the RSS feed" sh -c "grep -q 'rss.xml' '$TMP/lean/index.html' && ! grep -q 'feed.xml' '$TMP/lean/index.html'"
check "opml: false" test ! -e "$TMP/lean/feeds.opml"
check "indexes chart: false draws no chart" sh -c "! grep -q '<svg class=\"activity-chart' '$TMP/lean/people/rex-tillerson/index.html'"
check "indexes related: false lists no one named with them" sh -c "! grep -q 'class=\"related' '$TMP/lean/topics/diplomacy/index.html'"
check "indexes empty: false skips a person without articles" test ! -e "$TMP/lean/people/nobody-mentioned"
check "paginate: 0 keeps every item on one page" sh -c "test ! -e '$TMP/lean/topics/diplomacy/page/2' && grep -q 'articles/first/' '$TMP/lean/topics/diplomacy/index.html' && grep -q 'articles/second/' '$TMP/lean/topics/diplomacy/index.html'"
printf 'title: "Lean"\nbase_url: "https://example.org/"\nfeeds: {formats: [rss, gopher]}\n' > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/lean2" -q -j 2
expect_stderr "unknown feed format warned" "unknown format 'gopher'"
# feeds are made on every worker's Lua state; the settings are checked once
check "unknown feed format warned once a build" test "$(grep -c "unknown format 'gopher'" "$TMP/err")" -eq 1
printf 'title: "F"\nbase_url: "https://example.org/"\nfeeds: {content: summary, entity_content: full}\n' > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/swapped" -q
expect_status "content and entity_content swapped builds" 0
check "content: summary: the site feed has summaries" sh -c "! grep -q '<content' '$TMP/swapped/feed.xml' && grep -qF '<summary>S &amp; T</summary>' '$TMP/swapped/feed.xml'"
check "entity_content: full: whole articles in a person's feed" grep -qF '<content type="html"' "$TMP/swapped/people/rex-tillerson/feed.xml"
printf 'title: "F"\nbase_url: "https://example.org/"\nfeeds: {entity_content: whole}\n' > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/badmode" -q -j 2
expect_stderr "unknown entity_content warned" "feeds: entity_content: expected full or summary, found 'whole'"
check "unknown entity_content warned once a build" test "$(grep -c "entity_content: expected" "$TMP/err")" -eq 1
printf 'title: "Lean"\nbase_url: "https://example.org/"\nfeeds: {formats: [rss, gopher]}\n' > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/lean3" -q
check "indexes empty defaults to true" test -f "$TMP/lean3/people/nobody-mentioned/index.html"
check "indexes chart defaults to true" grep -q '<svg class="activity-chart' "$TMP/lean3/people/rex-tillerson/index.html"
check "indexes related defaults to true" grep -q 'class="related' "$TMP/lean3/topics/diplomacy/index.html"
# an organisation's page links its feeds whichever of indexes.lua and
# feeds.lua runs first: both set fields of the entity's shared object
mkdir -p "$s/content/orgs"
printf -- '---\nname: "State Department"\n---\nDiplomats.\n' > "$s/content/orgs/state-department.md"
printf -- '---\ntitle: "State speaks"\ndate: 2017-12-13\norgs: [State Department]\n---\nText.\n' > "$s/content/articles/third.md"
printf 'title: "O"\nbase_url: "https://example.org/"\nfilters: [indexes.lua, feeds.lua]\n' > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/orgs" -q
expect_status "indexes.lua before feeds.lua builds" 0
check "an organisation's page links its feed" grep -qF 'href="../../orgs/state-department/feed.xml"' "$TMP/orgs/orgs/state-department/index.html"
finish
