# CLI: smart punctuation in bodies is on by default (curly quotes, dashes,
# ellipses; code left alone) and `smart: false` in site.yml turns it off.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
printf -- '---\ntitle: "Q"\ndate: 2017-10-02\n---\n\nHe said "talks" -- then waited... It'"'"'s 1990---2001. `"code" --`\n' \
	> "$s/content/articles/quotes.md"
run_briefing build -s "$s" -q
expect_status "site builds" 0
o="$s/public/articles/quotes/index.html"
check "curly double quotes" grep -qF 'said “talks”' "$o"
check "en dash, ellipsis, apostrophe" grep -qF '– then waited… It’s' "$o"
check "em dash" grep -qF '1990—2001' "$o"
check "code spans keep straight quotes" grep -qF '<code>&quot;code&quot; --</code>' "$o"
printf 'smart: false\n' >> "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "site with smart: false builds" 0
check "smart: false keeps quotes and dashes as typed" grep -qF 'said &quot;talks&quot; -- then waited... It'"'"'s 1990---2001' "$o"
sed -i 's/^smart: false$/smart: sometimes/' "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "smart: with a value not a boolean fails" 1
expect_stderr "and says where" "site.yml:3:"
finish
