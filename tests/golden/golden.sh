# Golden site: builds tests/golden/site and compares the whole output tree,
# byte for byte, with tests/golden/expected. After an intended change, run
# `make golden-update` and review the diff of tests/golden/expected.
# The theme's static files (style.css, search.js, ...) are left out of
# expected: they are checked to be copied as they are, so a stylesheet
# change is not a golden diff.
. tests/lib.sh

static="$ROOT/themes/default/static"
statics=$(cd "$static" && find . -type f | sort)
is_static() { printf '%s\n' "$statics" | grep -qxF -- "$1"; }

run_briefing build -s tests/golden/site -o "$TMP/site-out" -q
expect_status "golden site builds" 0
rm -f "$TMP/site-out/.briefing-output"
if [ -n "$GOLDEN_UPDATE" ]; then
	rm -rf tests/golden/expected
	cp -R "$TMP/site-out" tests/golden/expected
	for f in $statics; do rm -f "tests/golden/expected/$f"; done
	ok "golden output updated"
	exit 0
fi
for f in $statics; do
	check "theme file $f copied as it is" cmp -s "$static/$f" "$TMP/site-out/$f"
	check "theme file $f is not in expected" test ! -e "tests/golden/expected/$f"
done
files=$(cd tests/golden/expected && find . -type f | sort)
for f in $files; do
	if cmp -s "tests/golden/expected/$f" "$TMP/site-out/$f"; then ok "golden $f"; else
		not_ok "golden $f"
		diff -u "tests/golden/expected/$f" "$TMP/site-out/$f" | head -30 | sed 's/^/#   /'
	fi
done
extra=$(cd "$TMP/site-out" && find . -type f | sort | while read -r f; do
	[ -f "$ROOT/tests/golden/expected/$f" ] || is_static "$f" || echo "$f"; done)
check "no unexpected files in the output" test -z "$extra"
[ -z "$extra" ] || echo "#   unexpected: $extra"
finish
