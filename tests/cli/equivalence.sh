# CLI: incremental rebuilds give a clean build's output, byte for byte,
# after each of many random edits (tests/equiv/equiv.py over the fixture
# tests/equiv/site): `serve` against `build --drafts --future`, and a warm
# `build` against `build --no-cache`.
# EQUIV_EDITS (default 200; 50 for a sanitizer build, whose every build
# costs some 0.3 s however small the site; 50 edits still make every kind
# of edit at least once) and EQUIV_SEED change the run; a failure names the seed
# and the edit and prints the command that replays it.
# EQUIV_SKIP lists edit kinds left out (default: none). Build mode keeps
# its cache in this test's own folder.
. tests/lib.sh

command -v python3 >/dev/null || { skip "python3 tests" "python3 is not installed"; finish; exit 0; }
if [ -n "$VALGRIND_WRAP" ]; then
	skip "equivalence under valgrind" "hundreds of builds are too slow under valgrind (make asan runs this test)"
	finish
	exit 0
fi
edits=${EQUIV_EDITS:-200}
if [ -z "$EQUIV_EDITS" ] && LC_ALL=C grep -q __asan_init "$BRIEFING"; then
	edits=50
	echo "# equivalence: 50 edits with a sanitizer build (EQUIV_EDITS)"
fi
export XDG_CACHE_HOME="$TMP/xdg-cache"
skip=
for kind in ${EQUIV_SKIP-}; do
	skip="$skip --skip $kind"
	echo "# equivalence: \"$kind\" edits left out (EQUIV_SKIP)"
done
for mode in serve build; do
	# shellcheck disable=SC2086 # $skip is a list of options
	python3 tests/equiv/equiv.py --mode "$mode" --site tests/equiv/site \
		--edits "$edits" --briefing "$BRIEFING" $skip > "$TMP/$mode.out" 2>&1
	rc=$?
	# equiv.py prints ok/not ok and "#" lines; anything else (a traceback) is a comment here
	sed '/^\(ok \|not ok \|#\)/!s/^/#   /' "$TMP/$mode.out"
	if grep -q '^not ok' "$TMP/$mode.out"; then
		failures=$((failures + 1))
	elif [ "$rc" -ne 0 ]; then
		not_ok "$mode mode: equiv.py exited with status $rc"
	fi
done
finish
