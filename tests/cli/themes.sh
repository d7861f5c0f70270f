# CLI: theme overrides as docs/themes.md describes them. The examples are
# taken from the doc itself, so the doc cannot drift from what works:
# a site template replacing the home page's content and nav blocks while
# extending the theme's layout, and one replacing only the <title> block of
# the theme's own home page. Also: template errors name file:line:col.
. tests/lib.sh

doc="$ROOT/docs/themes.md"
mkdir -p "$TMP/s/templates"
cp -R "$ROOT/content" "$ROOT/site.yml" "$TMP/s/"
# the first mustache block after a heading line matching $1, unindented
example() {
	awk -v key="$1" '
		index($0, key) { found = 1 }
		found && /```mustache/ { grab = 1; next }
		grab && /```/ { exit }
		grab { sub(/^  /, ""); print }' "$doc"
}

example "**One page kind, whole template**" > "$TMP/s/templates/home.mustache"
check "doc has the whole-template example" grep -q '{{<layout}}' "$TMP/s/templates/home.mustache"
run_briefing build -s "$TMP/s" -q
expect_status "site with the doc's home override builds" 0
h="$TMP/s/public/index.html"
check "override's content block is used" grep -q '<h1><time datetime="2017-12-13">13 December 2017</time></h1>' "$h"
check "layout's masthead is kept" grep -q 'class="masthead"' "$h"
check "layout's footer is kept" grep -q 'class="site-footer"' "$h"
check "nav block override applied" grep -q 'href="" aria-current="page">Latest' "$h"
check "other pages keep the theme" grep -q 'class="story-title"' "$TMP/s/public/articles/2017/tillerson-no-preconditions/index.html"

example "**One block of one page kind, nothing copied**" > "$TMP/s/templates/home.mustache"
check "doc has the one-block example" grep -q '{{<theme/home}}' "$TMP/s/templates/home.mustache"
run_briefing build -s "$TMP/s" -q
expect_status "site overriding one block builds" 0
check "title block replaced" grep -q '<title>Today · Korea Desk Briefing</title>' "$h"
check "rest of the theme's home page kept" grep -q 'Latest edition' "$h"

# static files: the site's static/ wins over the theme's, file by file
mkdir -p "$TMP/s/static/img"
echo "body { color: red }" > "$TMP/s/static/style.css"
echo "logo" > "$TMP/s/static/img/logo.svg"
run_briefing build -s "$TMP/s" -q
check "site stylesheet replaces the theme's" grep -q "color: red" "$TMP/s/public/style.css"
check "site static file added" test -f "$TMP/s/public/img/logo.svg"
check "theme static file kept" test -f "$TMP/s/public/favicon.svg"

printf '{{<layout}}\n{{$content}}\n<ul>\n  {{#edition.articles}}\n  <li>{{title}}</li>\n{{/content}}\n{{/layout}}\n' > "$TMP/s/templates/home.mustache"
run_briefing build -s "$TMP/s"
expect_status "template error exits 1" 1
expect_stderr "template error has file:line:col" "$TMP/s/templates/home.mustache:6:1: error: closing tag \"content\" does not match \"edition.articles\" opened at 4:3"
finish
