# CLI: tests/run itself. A check that cannot run ("ok - x # SKIP why") is
# counted as skipped, not passed; REQUIRE_ALL=1 (set by .ci/run) makes it
# a failure; a group with no folder is a failure, not a silent nothing.
. tests/lib.sh

t="$TMP/tree"
mkdir -p "$t/tests/demo"
cp "$ROOT/tests/run" "$ROOT/tests/lib.sh" "$t/tests/"
cat > "$t/tests/demo/a.sh" <<'DEMO'
. tests/lib.sh
check "runs" true
skip "needs a tool" "the tool is not installed"
finish
DEMO
REQUIRE_ALL= TESTS=demo BUILD="$TMP/none" BRIEFING=/bin/true sh "$t/tests/run" > "$TMP/run.out" 2>&1
rc=$?
check "a skip is counted as skipped" grep -qx '1 skipped (counted in neither)' "$TMP/run.out"
check "the last line is N passed, N failed" sh -c "tail -1 '$TMP/run.out' | grep -qx '1 passed, 0 failed'"
check "a run with skips passes" test "$rc" -eq 0
REQUIRE_ALL=1 TESTS=demo BUILD="$TMP/none" BRIEFING=/bin/true sh "$t/tests/run" > "$TMP/run.out" 2>&1
rc=$?
check "REQUIRE_ALL=1: a skip is a failure" sh -c "tail -2 '$TMP/run.out' | tr '\\n' ' ' | grep -qx '0 skipped (counted in neither) 1 passed, 1 failed '"
check "REQUIRE_ALL=1: the skip is named" grep -qF 'not ok - needs a tool # not run' "$TMP/run.out"
check "REQUIRE_ALL=1: the run fails" test "$rc" -ne 0
REQUIRE_ALL= TESTS="demo spec" BUILD="$TMP/none" BRIEFING=/bin/true sh "$t/tests/run" > "$TMP/run.out" 2>&1
rc=$?
check "a group with no folder is a failure" grep -qF 'not ok - no test group "spec"' "$TMP/run.out"
check "and fails the run" test "$rc" -ne 0
check "the default groups all have a folder (or are unit)" sh -c \
	"for g in \$(sed -n 's/^groups=\${TESTS:-\"\(.*\)\"}\$/\1/p' '$ROOT/tests/run'); do
		[ \"\$g\" = unit ] || [ -d '$ROOT/tests/'\"\$g\" ] || exit 1; done"
finish
