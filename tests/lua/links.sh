# Lua: links.lua makes root-relative links relative to the page and adds
# https:// to bare www. links; other links are left alone.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/content/articles/2017"
printf -- '---\ntitle: "L"\ndate: 2017-09-30\n---\nSee [topics](/topics/), [site](www.example.org/x), [ext](https://a.org/), [rel](../x/), [dom](/www.ready.gov/app), [file](/page.html), [pasted](/Users/me/Downloads/x.docx) and ![i](/img/a.png).\n' \
	> "$s/content/articles/2017/links.md"
run_briefing build -s "$s"
expect_status "site builds" 0
o="$s/public/articles/2017/links/index.html"
check "root-relative link made relative" grep -qF 'href="../../../topics/"' "$o"
check "bare www link gets https" grep -qF 'href="https://www.example.org/x"' "$o"
check "domain after a slash gets https" grep -qF 'href="https://www.ready.gov/app"' "$o"
check "root-relative file stays a site link" grep -qF 'href="../../../page.html"' "$o"
check "local file link removed, text kept" sh -c "grep -q 'pasted' '$o' && ! grep -q 'Users/me' '$o'"
expect_stderr "local file link reported with the file's line" "2017/links.md:5: link to a local file path removed: /Users/me/Downloads/x.docx"
check "absolute link untouched" grep -qF 'href="https://a.org/"' "$o"
check "relative link untouched" grep -qF 'href="../x/"' "$o"
check "root-relative image made relative" grep -qF 'src="../../../img/a.png"' "$o"
finish
