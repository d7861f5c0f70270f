# CLI: the bundled example site is valid HTML with no broken links or
# anchors (../shared/tools/validate-site). Skipped when the checkers are not
# installed (run ../shared/tools/install-checkers first).
. tests/lib.sh

v="$SHARED/tools/validate-site"
if [ ! -x "$v" ] || [ ! -d "${BRIEFING_CHECKERS_DIR:-$HOME/.cache/briefing-checkers}/node_modules/vnu-jar" ]; then
	echo "# skipped: checkers not installed"
	finish
	exit 0
fi
run_briefing build -s "$ROOT" -o "$TMP/site" -q
expect_status "example site builds" 0
"$v" "$TMP/site" > "$TMP/report" 2>&1
rc=$?
check "validate-site passes" test "$rc" -eq 0
check "0 html errors, 0 broken links or anchors" \
	grep -q "html_errors=0 broken_links=0 broken_anchors=0" "$TMP/report"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$TMP/report" | tail -20
finish
