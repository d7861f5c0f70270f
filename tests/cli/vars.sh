# CLI: the variable table in docs/themes.md is true and complete: builds
# the example and the golden site with BRIEFING_DUMP_VARS (every variable
# path each page kind really gets) and checks the table against it.
. tests/lib.sh

BRIEFING_DUMP_VARS="$TMP/v1" run_briefing build -s "$ROOT" -o "$TMP/o1" -q
expect_status "example site builds with the variable dump" 0
BRIEFING_DUMP_VARS="$TMP/v2" run_briefing build -s "$ROOT/tests/golden/site" -o "$TMP/o2" -q
expect_status "golden site builds with the variable dump" 0
sort -u "$TMP/v1" "$TMP/v2" > "$TMP/vars"
check "dump lists article variables" grep -q "^article	article.title	string$" "$TMP/vars"
if python3 tests/cli/check_vars.py docs/themes.md "$TMP/vars" > "$TMP/report"; then
	ok "docs/themes.md variable table matches the pages"
else
	not_ok "docs/themes.md variable table matches the pages"
	cat "$TMP/report"
fi
# the check itself can fail: a documented variable that does not exist
sed 's/^| all | `root` |/| all | `no_such_thing` | string | |\n&/' docs/themes.md > "$TMP/doc.md"
check "a made-up table row is caught" sh -c "! python3 tests/cli/check_vars.py '$TMP/doc.md' '$TMP/vars' >/dev/null"
finish
