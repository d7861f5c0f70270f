# Lua: threads.lua, sources.lua, related.lua and structured.lua on a small
# site built for them: thread order and the "Previously" box, related
# briefs with their reasons and tie-breaking, source pages and
# attribution, structured sections, generated summaries, warnings at the
# right line, and escaping of everything an editor typed.
. tests/lib.sh

s="$TMP/s"
mkdir -p "$s/content/articles" "$s/data"
cat > "$s/site.yml" <<'YML'
title: "Desk"
base_url: "https://example.org/desk/"
threads: {previously: 2}
summaries: {words: 5}
related: {count: 2}
YML
cat > "$s/data/threads.yml" <<'YML'
- name: "Road to <Talks>"
  description: "How the <talks> came about."
YML
cat > "$s/data/sources.yml" <<'YML'
- name: "Wire One"
  homepage: "https://w1.example/"
  kind: "Wire"
  aliases: ["W1"]
- name: "Quiet Source"
YML
a="$s/content/articles"
cat > "$a/a1.md" <<'MD'
---
title: "One"
date: 2017-01-01
thread: "Road to <Talks>"
people: [Ann Lee]
topics: [Trade]
sources:
  - name: "Wire One"
    url: "https://w1.example/a1"
    used: "the <quote>"
---

The first paragraph of the first brief, long enough to be cut.

Second paragraph.
MD
cat > "$a/a2.md" <<'MD'
---
title: "Two"
date: 2017-01-02
thread: "road to talks"
source: "W1"
source_url: "https://w1.example/a2"
sources:
  - "WIRE ONE"
  - "Other Desk"
---

Body.
MD
cat > "$a/a3.md" <<'MD'
---
title: "Three"
date: 2017-01-03
summary: "Three's own summary."
thread: "Road to <Talks>"
people: [Ann Lee]
topics: [Trade]
why_it_matters: [not, text]
key_points: "A single <point>"
what_next: "Next <steps>."
bottom_line: "The <line>."
---

Body.
MD
cat > "$a/a4.md" <<'MD'
---
title: "Four"
date: 2017-01-04
thread: "Road to <Talks>"
---

Body.
MD
cat > "$a/a5.md" <<'MD'
---
title: "Five"
date: 2017-01-05
people: [Ann Lee]
topics: [Trade, Energy]
sources:
  - name: "Wire One"
    url: "javascript:alert(1)"
---

Body.
MD
cat > "$a/a6.md" <<'MD'
---
title: "Six"
date: 2017-01-06
thread: "Unknown story"
---

Body.
MD
cat > "$a/a7.md" <<'MD'
---
title: "Seven"
date: 2017-01-07
people: [Ann Lee]
topics: [Trade]
---

Body.
MD
printf -- '---\ntitle: "Eight"\ndate: 2017-01-08\nthread: ""\n---\n\nBody.\n' > "$a/a8.md"
printf -- '---\ntitle: "Nine"\ndate: 2017-01-09\nthread: [a, b]\n---\n\nBody.\n' > "$a/a9.md"
run_briefing build -s "$s"
expect_status "site builds" 0
o="$s/public"
links() { grep -o 'href="[./]*articles/[a-z0-9]*/"' "$1" | sed 's|.*articles/||; s|/"||' | tr '\n' ' '; }

t="$o/threads/road-to-talks/index.html"
check "thread page, names matched by slug" test -f "$t"
check "thread page tells the story oldest first" test "$(links "$t")" = "a1 a2 a3 a4 "
check "thread title from the registry, escaped" grep -q '<h1 class="page-title">Road to &lt;Talks&gt;</h1>' "$t"
check "thread description escaped" grep -q 'How the &lt;talks&gt; came about.' "$t"
check "threads index lists both threads" sh -c "grep -q 'href=\"../threads/road-to-talks/\"' '$o/threads/index.html' && grep -q 'href=\"../threads/unknown-story/\"' '$o/threads/index.html'"
p4="$o/articles/a4/index.html"
check "article names its story and place" grep -q '<a href="../../threads/road-to-talks/">Road to &lt;Talks&gt;</a> <span class="count">(brief 4 of 4)</span>' "$p4"
sed -n '/class="previously"/,/<\/aside>/p' "$p4" > "$TMP/prev"
check "Previously box: the last two earlier briefs, in order" test "$(links "$TMP/prev")" = "a2 a3 "
check "Previously box links the whole story" grep -q 'The whole story: Road to &lt;Talks&gt;' "$TMP/prev"
check "first brief of a story has no Previously box" sh -c "! grep -q 'class=\"previously\"' '$o/articles/a1/index.html'"

sed -n '/class="related"/,/<\/aside>/p' "$o/articles/a5/index.html" > "$TMP/rel5"
check "related: equal score and distance, the newer first" test "$(links "$TMP/rel5")" = "a7 a3 "
check "related: reason names shared people and topics" \
	grep -q '<a href="../../articles/a7/">Seven</a> <span class="related-why">Also about Ann Lee and Trade</span>' "$TMP/rel5"
sed -n '/class="related"/,/<\/aside>/p' "$o/articles/a3/index.html" > "$TMP/rel3"
check "related: no repeat of the Previously box, best score first" test "$(links "$TMP/rel3")" = "a5 a7 "
sed -n '/class="related"/,/<\/aside>/p' "$o/articles/a2/index.html" > "$TMP/rel2"
check "related: same story as the reason" grep -q '<span class="related-why">Same story</span>' "$TMP/rel2"

w="$o/sources/wire-one/index.html"
check "source page lists every brief that used it, once, newest first" test "$(links "$w")" = "a5 a2 a1 "
check "source page shows kind and homepage" sh -c "grep -q 'Wire' '$w' && grep -q 'href=\"https://w1.example/\"' '$w'"
check "unregistered source still gets a page" test "$(links "$o/sources/other-desk/index.html")" = "a2 "
check "registered source without briefs gets a page" grep -q 'No brief has used this source yet.' "$o/sources/quiet-source/index.html"
check "sources index" sh -c "grep -c 'class=\"tile\"' '$o/sources/index.html' | grep -qx 3"
p1="$o/articles/a1/index.html"
check "attribution: source page, what was used (escaped), original" \
	grep -q '<li><a href="../../sources/wire-one/">Wire One</a><span class="source-used">: the &lt;quote&gt;</span> (<a class="ext" href="https://w1.example/a1">original</a>)</li>' "$p1"
check "attribution: a source named twice is listed once" \
	sh -c "grep -c 'sources/wire-one/\">Wire One' '$o/articles/a2/index.html' | grep -qx 1"
check "a javascript: source url is dropped" sh -c "! grep -rq 'javascript:' '$o'"
check "brief cards show the source names" grep -q '<span class="meta-source">Wire One, Other Desk</span>' "$o/threads/road-to-talks/index.html"

p3="$o/articles/a3/index.html"
check "what next section, escaped" grep -q '<p>Next &lt;steps&gt;.</p>' "$p3"
check "bottom line section, escaped" grep -q '<p>The &lt;line&gt;.</p>' "$p3"
check "a single key point is a list of one" grep -q '<li>A single &lt;point&gt;</li>' "$p3"
check "a malformed why_it_matters is dropped" sh -c "! grep -q 'class=\"why\"' '$p3'"
check "generated summary: first 5 words and an ellipsis" \
	grep -q '<meta name="description" content="The first paragraph of the…">' "$p1"
check "generated summary is not shown again above the body" sh -c "! grep -q 'class=\"dek\"' '$p1'"
check "own summary kept" grep -q '<p class="dek">Three&#39;s own summary.</p>' "$p3"
check "generated summary in lists" grep -q '<p class="brief-summary">The first paragraph of the…</p>' "$t"

expect_stderr "unknown thread warned at its line" "a6.md:4: thread \"Unknown story\" is not in data/threads.yml"
expect_stderr "unknown source warned at its line" "a2.md:9: source \"Other Desk\" is not in data/sources.yml"
expect_stderr "bad source url warned at its line" "a5.md:7: sources: entry 1: url: expected an http:// or https:// address, found \"javascript:alert(1)\""
expect_stderr "malformed structured field warned at its line" "a3.md:8: why_it_matters: expected text, found a table"
expect_stderr "a thread that is not a name is warned about at its line" "a9.md:4: thread: expected the name of a story, found a table"
check "an empty thread is no thread, without a warning" sh -c "! grep -q 'a8.md' '$TMP/err' && ! grep -q 'class=\"story-thread\"' '$o/articles/a8/index.html'"
check "aliases and case resolve without warnings" sh -c "! grep -q '\"W1\"\\|WIRE ONE' '$TMP/err'"
check "thread feed, newest brief first" \
	test "$(grep -o '<id>https://example.org/desk/articles/a[0-9]/' "$o/threads/road-to-talks/feed.xml" | sed 's|.*/a|a|; s|/||' | tr '\n' ' ')" = "a4 a3 a2 a1 "
check "thread page links its feed" grep -q 'href="../../threads/road-to-talks/feed.xml"' "$t"
check "source feed" grep -q '<title>Desk: Wire One</title>' "$o/sources/wire-one/feed.xml"
check "feeds are not in the sitemap" sh -c "! grep -q 'feed.xml' '$o/sitemap.xml'"
check "sitemap lists thread and source pages" \
	sh -c "grep -q 'desk/threads/road-to-talks/<' '$o/sitemap.xml' && grep -q 'desk/sources/wire-one/<' '$o/sitemap.xml' && grep -q 'desk/threads/<' '$o/sitemap.xml'"
check "nav links stories and sources" sh -c "grep -q 'href=\"threads/\">Stories' '$o/index.html' && grep -q 'href=\"sources/\">Sources' '$o/index.html'"

# a registry that is not a list of named entries fails the build, naming the file
printf 'Wire One: {homepage: "https://w1.example/"}\n' > "$s/data/sources.yml"
run_briefing build -s "$s" -q
expect_status "a map instead of a list of sources fails" 1
expect_stderr "the error names the file" "data/sources: expected a list of entries, each with a name"
printf -- '- homepage: "https://w1.example/"\n' > "$s/data/sources.yml"
run_briefing build -s "$s" -q
expect_status "an entry without a name fails" 1
expect_stderr "the error names the entry" "data/sources: entry 1: expected a map with a name"

# without data/ registries nothing is unknown; summaries: {words: 0} turns generation off
rm -r "$s/data"
printf 'title: "Desk"\nsummaries: {words: 0}\nrelated: {count: 0}\n' > "$s/site.yml"
run_briefing build -s "$s"
expect_status "site without registries builds" 0
check "no registry, no unknown-name warnings" sh -c "! grep -q 'is not in data/' '$TMP/err'"
check "words: 0 leaves summaries alone" sh -c "! grep -q 'paragraph of the…' '$o/articles/a1/index.html'"
check "related count 0: no related briefs" sh -c "! grep -rq 'class=\"related\"' '$o/articles'"
check "threads still made from the names" test "$(links "$o/threads/road-to-talks/index.html")" = "a1 a2 a3 a4 "
finish
