# Golden site: builds tests/golden/site and compares the whole output tree,
# byte for byte, with tests/golden/expected. After an intended change, run
# `make golden-update` and review the diff of tests/golden/expected.
. tests/lib.sh

run_briefing build -s tests/golden/site -o "$TMP/site-out" -q
expect_status "golden site builds" 0
rm -f "$TMP/site-out/.briefing-output"
if [ -n "$GOLDEN_UPDATE" ]; then
	rm -rf tests/golden/expected
	cp -R "$TMP/site-out" tests/golden/expected
	ok "golden output updated"
	exit 0
fi
files=$(cd tests/golden/expected && find . -type f | sort)
for f in $files; do
	if cmp -s "tests/golden/expected/$f" "$TMP/site-out/$f"; then ok "golden $f"; else
		not_ok "golden $f"
		diff -u "tests/golden/expected/$f" "$TMP/site-out/$f" | head -30 | sed 's/^/#   /'
	fi
done
extra=$(cd "$TMP/site-out" && find . -type f | sort | while read -r f; do
	[ -f "$ROOT/tests/golden/expected/$f" ] || echo "$f"; done)
check "no unexpected files in the output" test -z "$extra"
[ -z "$extra" ] || echo "#   unexpected: $extra"
finish
