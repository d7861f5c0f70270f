# Lua: every example of the CommonMark 0.30 spec, built with the default
# filters, renders as the spec says (tests/lua/commonmark_spec.py says
# which two rules of briefing's are applied to the spec's side). Examples
# 20, 202, 501 and 602 are links with a backslash that links.lua once
# removed as local file paths.
. tests/lib.sh

spec="$SHARED/corpora/commonmark/0.30/spec.json"
if ! command -v python3 >/dev/null; then
	skip "CommonMark spec through the default filters" "no python3"
elif [ ! -f "$spec" ]; then
	skip "CommonMark spec through the default filters" "no $spec"
else
	python3 tests/lua/commonmark_spec.py gen "$spec" "$TMP/spec"
	run_briefing build -s "$TMP/spec" -q
	expect_status "spec examples build" 0
	check "no spec link reported as a local file path" sh -c "! grep -q 'local file path' '$TMP/err'"
	python3 tests/lua/commonmark_spec.py score "$spec" "$TMP/spec" > "$TMP/score"
	rc=$?
	head -20 "$TMP/score"
	check "every CommonMark 0.30 example renders as the spec says" test "$rc" -eq 0
fi

# the four that were removed, one by one, so a failure names them
s="$TMP/s"
new_site "$s"
printf -- '---\ntitle: "B"\ndate: 2017-09-30\n---\n<http://example.com?find=\\*>\n\n[link](foo\\bar)\n\n<http://example.com/\\[\\>\n\n[foo]\n\n[foo]: /url\\bar\\*baz "t"\n\n[local](C:\\Users\\me\\x.docx) [unc](\\\\server\\share\\x)\n' \
	> "$s/content/articles/b.md"
run_briefing build -s "$s"
o="$s/public/articles/b/index.html"
check "example 20: autolink with a backslash kept" grep -qF 'href="http://example.com?find=%5C*"' "$o"
check "example 501: relative link with a backslash kept" grep -qF 'href="foo%5Cbar"' "$o"
check "example 602: autolink ending in a backslash kept" grep -qF 'href="http://example.com/%5C%5B%5C"' "$o"
check "example 202: root-relative reference kept" grep -qF 'url%5Cbar*baz"' "$o"
check "Windows drive path still removed" sh -c "grep -q 'local' '$o' && ! grep -q 'Users%5Cme' '$o'"
check "UNC path still removed" sh -c "! grep -q 'server%5Cshare' '$o'"
finish
