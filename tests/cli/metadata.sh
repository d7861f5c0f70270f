# CLI: what readers' tools and crawlers read: JSON-LD on each brief
# (escaped for <script>), the `updated` date in feeds and the sitemap.
. tests/lib.sh

new_site "$TMP/s"
cat > "$TMP/s/content/articles/changed.md" <<'MD'
---
title: "A </script><b>tricky</b> title & more"
date: 2017-10-02T09:00:00+00:00
updated: 2017-10-05T12:30:00+00:00
summary: "Said \"no\" at once."
topics: [Diplomacy, Sanctions]
---

Text.
MD
run_briefing build -s "$TMP/s" -q
expect_status "site with an updated brief builds" 0
page="$TMP/s/public/articles/changed/index.html"
ld=$(grep -o '<script type="application/ld+json">.*</script>' "$page" | sed 's/^<script[^>]*>//; s/<\/script>$//')
check "brief has JSON-LD" test -n "$ld"
check "JSON-LD cannot close its script" sh -c '! printf "%s" "$1" | grep -q "</"' - "$ld"
if command -v python3 >/dev/null; then
	printf '%s' "$ld" > "$TMP/ld.json"
	check "JSON-LD is a NewsArticle with its fields" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["@type"] == "NewsArticle", d
assert d["headline"] == "A </script><b>tricky</b> title & more", d["headline"]
assert d["datePublished"] == "2017-10-02T09:00:00Z"
assert d["dateModified"] == "2017-10-05T12:30:00Z"
assert d["articleSection"] == "Diplomacy" and d["keywords"] == ["Diplomacy", "Sanctions"]
assert d["publisher"]["name"] == "Test Site"
assert d["url"] == "https://example.org/articles/changed/"
assert d["description"] == "Said \"no\" at once."
' "$TMP/ld.json"
else
	skip "JSON-LD is a NewsArticle with its fields" "python3 is not installed"
fi
check "page says when it was updated" grep -q 'Updated <time datetime="2017-10-05T12:30:00Z">' "$page"
check "modified time for crawlers" grep -q '<meta property="article:modified_time" content="2017-10-05T12:30:00Z">' "$page"
check "the other brief is not marked updated" sh -c '! grep -q "Updated <time" "$1"' - "$TMP/s/public/articles/first/index.html"
check "atom entry updated" grep -q '<updated>2017-10-05T12:30:00Z</updated>' "$TMP/s/public/feed.xml"
check "atom feed updated is the latest change" sh -c 'grep -m1 "<updated>" "$1" | grep -q 2017-10-05T12:30' - "$TMP/s/public/feed.xml"
check "json feed date_modified" grep -q '"date_modified": "2017-10-05T12:30:00Z"' "$TMP/s/public/feed.json"
check "sitemap lastmod from updated" grep -q '<loc>https://example.org/articles/changed/</loc><lastmod>2017-10-05T12:30:00Z</lastmod>' "$TMP/s/public/sitemap.xml"
check "sitemap lastmod from the date" grep -q '<loc>https://example.org/articles/first/</loc><lastmod>2017-09-30T00:00:00' "$TMP/s/public/sitemap.xml"

sed -i 's/^updated: .*/updated: soon/' "$TMP/s/content/articles/changed.md"
run_briefing build -s "$TMP/s" -q
expect_status "a bad updated date fails" 1
expect_stderr "bad updated date named" 'content/articles/changed.md:4:10: error: updated: expected YYYY-MM-DD or RFC 3339'
sed -i 's/^updated: .*/updated: 2017-09-01/' "$TMP/s/content/articles/changed.md"
run_briefing build -s "$TMP/s" -q
expect_status "updated before the date still builds" 0
expect_stderr "updated before the date warns" 'changed.md:4:10: warning: updated: 2017-09-01 is before the brief'

# feeds.opml lists every feed the site writes, threads' and sources' included
run_briefing build -s . -q --no-cache -o "$TMP/example"
expect_status "example site builds" 0
find "$TMP/example" -name feed.xml | sed "s|^$TMP/example/|https://example.org/korea-desk/|" | sort > "$TMP/written"
grep -o 'xmlUrl="[^"]*"' "$TMP/example/feeds.opml" | sed 's/^xmlUrl="//; s/"$//' | sort > "$TMP/listed"
check "feeds.opml lists every feed written" diff "$TMP/written" "$TMP/listed"
check "feeds.opml lists thread feeds" grep -q 'xmlUrl="https://example.org/korea-desk/threads/' "$TMP/example/feeds.opml"
check "feeds.opml lists source feeds" grep -q 'xmlUrl="https://example.org/korea-desk/sources/' "$TMP/example/feeds.opml"
finish
