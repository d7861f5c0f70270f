# CLI: content errors are reported compiler style, all in one run, exit 1,
# and the previous output is left untouched.
. tests/lib.sh

new_site "$TMP/s"
run_briefing build -s "$TMP/s" -q
expect_status "clean site builds" 0
cp "$TMP/s/public/index.html" "$TMP/before.html"

a="$TMP/s/content/articles"
printf -- '---\ntitle: "Bad date"\ndate: tuesday\n---\nBody\n' > "$a/bad-date.md"
printf -- '---\ndate: 2017-10-01\n---\nBody\n' > "$a/no-title.md"
printf -- '---\ntitle: "Unclosed\ndate: 2017-10-01\n---\nBody\n' > "$a/bad-yaml.md"
printf -- '---\ntitle: "T"\ndate: 2017-10-01\ntopics: 5\n---\nBody\n' > "$a/bad-topics.md"
printf -- '---\ntitle: "T"\ndate: 2017-10-01\nsource_url: "javascript:alert(1)"\n---\n' > "$a/bad-url.md"
printf -- '---\ntitle: "T"\ndate: 2017-10-01\n' > "$a/unclosed.md"
printf -- '---\n- a\n- b\n---\n' > "$a/list.md"
printf -- '---\ntitle: "T"\ntitle: "U"\ndate: 2017-10-01\n---\n' > "$a/dup.md"
printf -- '---\ntitle: "T"\ndate: 2017-10-01\nslug: "../../etc"\n---\n' > "$a/slug.md"

run_briefing build -s "$TMP/s"
expect_status "content errors exit 1" 1
p="$TMP/s/content/articles"
expect_stderr "bad date: file:line:col and message" "$p/bad-date.md:3:7: error: date: expected YYYY-MM-DD or RFC 3339, found \"tuesday\""
expect_stderr "missing title" "$p/no-title.md:1:1: error: missing required key \"title\""
expect_stderr "bad YAML has a position" "$p/bad-yaml.md:2:"
expect_stderr "wrong type for topics" "$p/bad-topics.md:4:9: error: topics: expected a list of names, found a number"
expect_stderr "javascript: URL refused" "$p/bad-url.md:4:13: error: source_url: expected an http:// or https:// address"
expect_stderr "unclosed front matter" "$p/unclosed.md:1:1: error: front matter is not closed"
expect_stderr "front matter not a map" "$p/list.md:2:1: error: front matter must be a map of keys, found a list"
expect_stderr "duplicate key" "$p/dup.md:3:1: error: duplicate key \"title\""
expect_stderr "slug with ../ refused" "$p/slug.md:4:7: error: slug: expected a name without"
expect_stderr "summary names the error count" "build failed with 9 errors"
check "previous output untouched" cmp -s "$TMP/s/public/index.html" "$TMP/before.html"
check "no temporary folder left" sh -c "! ls -a '$TMP/s' | grep -q '\.tmp-'"

# One http(s) test for every address a person gives: the scheme in any
# case (RFC 3986), and a host after it ("https://" alone is no address).
new_site "$TMP/u"
printf -- '---\ntitle: "T"\ndate: 2017-10-01\nsource_url: "HTTPS://Example.org/x"\n---\nx\n' > "$TMP/u/content/articles/caps.md"
run_briefing build -s "$TMP/u" -q -o "$TMP/u-out"
expect_status "source_url: an upper-case scheme is an address" 0
printf -- '---\ntitle: "T"\ndate: 2017-10-01\nsource_url: "https://"\n---\nx\n' > "$TMP/u/content/articles/nohost.md"
run_briefing build -s "$TMP/u" -q -o "$TMP/u-out"
expect_stderr "source_url: no host is no address" "nohost.md:4:13: error: source_url: expected an http:// or https:// address, found \"https://\""
rm "$TMP/u/content/articles/nohost.md"
run_briefing build -s "$TMP/u" -q -o "$TMP/u-out" --base-url "Https://preview.example/"
expect_status "--base-url: an upper-case scheme is an address" 0
run_briefing build -s "$TMP/u" -q -o "$TMP/u-out" --base-url "https://"
expect_status "--base-url: no host is a usage error" 2
printf 'Officials met in Geneva on Tuesday.\n' > "$TMP/scraped.txt"
run_briefing import "$TMP/scraped.txt" -s "$TMP/u" --url "http:///path"
expect_status "import --url: no host is a usage error" 2

# site.yml errors
mkdir -p "$TMP/t"
printf 'base_url: "https://x.org/"\n' > "$TMP/t/site.yml"
run_briefing build -s "$TMP/t"
expect_status "site.yml without title exits 1" 1
expect_stderr "site.yml missing title" "$TMP/t/site.yml:1:1: error: missing required key \"title\""
printf 'title: [a\n' > "$TMP/t/site.yml"
run_briefing build -s "$TMP/t"
expect_status "broken site.yml exits 1" 1
expect_stderr "broken site.yml has a position" "$TMP/t/site.yml:"
# Numbers the user types are read whole, or refused (atoi read "2x" as 2)
new_site "$TMP/n"
run_briefing build -s "$TMP/n" -q -j 2x
expect_status "-j 2x is a usage error" 2
expect_stderr "-j 2x is named" '-j: expected a number of threads from 1 to 256, found "2x"'
run_briefing build -s "$TMP/n" -q -j 2
expect_status "-j 2 is a number" 0
run_briefing serve -s "$TMP/nowhere" --port 1x
expect_status "--port 1x is a usage error" 2
expect_stderr "--port 1x is named" '--port: expected 1 to 65535, found "1x"'
printf 'title: "T"\ntimezone: "+5a:30"\n' > "$TMP/n/site.yml"
run_briefing build -s "$TMP/n" -q
expect_stderr "a timezone offset with a letter is refused" 'site.yml:2:11: error: timezone: expected UTC, an offset like +05:30'
printf 'title: "T"\ntimezone: "+05:30"\n' > "$TMP/n/site.yml"
run_briefing build -s "$TMP/n" -q
expect_status "a timezone offset in digits is taken" 0
printf 'title: "T"\ncheck: {summary_words: "5x"}\neditions: {words: -3}\n' > "$TMP/n/site.yml"
run_briefing check -s "$TMP/n"
check "check: summary_words 5x is reported" grep -qF 'site.yml:2:24: warning: check: summary_words: expected a whole number of words, found "5x"' "$TMP/out"
check "editions: words -3 is reported" grep -qF 'site.yml:3:19: warning: editions: words: expected a whole number of words, found "-3"' "$TMP/out"
printf 'title: "T"\ncheck: {summary_words: "1"}\n' > "$TMP/n/site.yml"
printf -- '---\ntitle: "S"\ndate: 2017-09-30\nsummary: "Two words"\n---\nx\n' > "$TMP/n/content/articles/s.md"
run_briefing check -s "$TMP/n"
check "check: summary_words as a string of digits counts" grep -qF 'summary: 2 words, over the budget of 1' "$TMP/out"
finish
