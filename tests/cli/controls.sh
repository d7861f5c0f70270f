# CLI: C0 control characters other than tab, LF and CR (a form feed from
# PDF text) never reach HTML, XML or JSON output: dropped, with a warning
# at file:line:col, whether written raw or as a YAML escape.
. tests/lib.sh

s="$TMP/s"
new_site "$s"
mkdir -p "$s/content/people"
printf -- '---\ntitle: "Form\fFeed"\ndate: 2017-10-01\nsummary: "a\\vb\\x01c"\n---\n\nPage one.\fPage two\001.\n' \
	> "$s/content/articles/pdf.md"
printf -- '---\nname: "Ann\fLee"\n---\nBio\013.\n' > "$s/content/people/ann-lee.md"
run_briefing build -s "$s" --no-cache
expect_status "a site with control characters builds" 0
expect_stderr "raw form feed in the front matter reported at line:col" "content/articles/pdf.md:2:13: warning: control character U+000C in the text (dropped)"
expect_stderr "raw form feed in the body reported at line:col" "content/articles/pdf.md:7:10: warning: control character U+000C"
expect_stderr "raw U+0001 reported at line:col" "content/articles/pdf.md:7:19: warning: control character U+0001"
expect_stderr "an escape in a quoted string reported at the string" "content/articles/pdf.md:4:10: warning: control character in a quoted string (dropped)"
expect_stderr "a person file reported too" "content/people/ann-lee.md:2:"
check "no control character in any output file" sh -c "! grep -rlP '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f]' '$s/public'"
check "the text around them stays" grep -qF 'Page one.Page two.' "$s/public/articles/pdf/index.html"
check "the title without its form feed" grep -qF '<title>FormFeed</title>' "$s/public/feed.xml"
if command -v python3 >/dev/null; then
	check "the Atom feed is well-formed XML" python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])" "$s/public/feed.xml"
	check "the RSS feed is well-formed XML" python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])" "$s/public/rss.xml"
	check "the JSON feed parses" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$s/public/feed.json"
else
	skip "the feeds parse" "no python3"
fi
finish
