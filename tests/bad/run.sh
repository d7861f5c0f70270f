# tests/bad/run.sh: runs every case folder in tests/bad/ (see README.md).
# For each case: build a small good site, keep a copy of its output,
# break the site, build again and check the exit status and the exact
# stderr, that nothing outside the output folder changed, and (when the
# build fails) that the previous output is byte-identical.
# BAD_CASES="a b" runs only some cases.
. tests/lib.sh

CASES_DIR=$ROOT/tests/bad
TOOL=$(cd "$(dirname "$BRIEFING")/.." && pwd)
export BRIEFING TMP TOOL

# snapshot DIR OUT: one line per thing below DIR except the output folder
# OUT (relative to DIR): type, mode, path, symlink target, file checksum
snapshot() {
	(cd "$1" && {
		find . -path "./$2" -prune -o -printf '%y %m %p %l\n'
		find . -path "./$2" -prune -o -type f -exec cksum {} +
	} | sort)
}

# show FILE: a file's lines as TAP comments
show() { sed 's/^/#   /' "$1" | head -30; }

run_case() {
	case_dir=$1
	case_name=$(basename "$case_dir")
	T=$TMP/$case_name
	CASE=$case_dir
	OUT=site/public
	[ -f "$CASE/out" ] && OUT=$(cat "$CASE/out")
	limit=60
	[ -f "$CASE/timeout" ] && limit=$(cat "$CASE/timeout")
	export T CASE OUT
	mkdir -p "$T/sentinel"
	echo "a file beside the site that no build may touch" > "$T/sentinel/keep.txt"
	new_site "$T/site"
	cd "$T" || return
	if [ -f "$CASE/before.sh" ]; then
		why=$(sh "$CASE/before.sh")
		if [ $? -eq 77 ]; then
			skip "$case_name" "$why"
			cd "$ROOT"
			return
		fi
	fi
	# the previous output: a good build of the unbroken site
	if ! "$BRIEFING" build -s site -q -o "$OUT" 2>"$T.err0" >/dev/null; then
		not_ok "$case_name: the unbroken site builds"
		show "$T.err0"
		[ -f "$CASE/cleanup.sh" ] && sh "$CASE/cleanup.sh"
		cd "$ROOT"
		return
	fi
	cp -a "$OUT" "$T.previous"
	# break it
	[ -d "$CASE/site" ] && cp -R "$CASE/site/." site/
	if [ -f "$CASE/setup.sh" ]; then
		why=$(sh "$CASE/setup.sh")
		if [ $? -eq 77 ]; then
			skip "$case_name" "$why"
			[ -f "$CASE/cleanup.sh" ] && sh "$CASE/cleanup.sh"
			cd "$ROOT"
			return
		fi
	fi
	expected=$CASE/expected
	[ -f "$T.expected" ] && expected=$T.expected # written by setup.sh
	snapshot "$T" "$OUT" > "$T.before"

	cmd='"$BRIEFING" build -s site -q'
	[ -f "$CASE/cmd" ] && cmd=$(cat "$CASE/cmd")
	temps() { (cd "$(dirname "$OUT")" && ls -a | grep "^\.$(basename "$OUT")\.tmp-" | sort); }
	temps > "$T.temps"
	timeout "$limit" sh -c "$cmd" >"$T.out" 2>"$T.err"
	status=$?

	# the exact diagnostics, with this run's folders replaced by names
	sed -e "s|$TOOL/|TOOL/|g" -e "s|$(dirname "$BRIEFING")/\.\./|TOOL/|g" -e "s|$T/||g" \
		"$T.err" > "$T.err.n"
	want=$(sed -n 's/^exit //p' "$expected" | head -1)
	sed '1,/^exit /d' "$expected" > "$T.want"
	if [ "$status" -eq "$want" ]; then ok "$case_name: exit status $want"; else
		not_ok "$case_name: exit status $status, want $want"
		[ "$status" -eq 124 ] && echo "#   (killed by timeout after $limit s)"
	fi
	if cmp -s "$T.want" "$T.err.n"; then ok "$case_name: exact diagnostics"; else
		not_ok "$case_name: exact diagnostics"
		diff "$T.want" "$T.err.n" | show /dev/stdin
	fi

	# nothing outside the output folder was created, changed or deleted
	if [ -f "$CASE/keeps_temp" ]; then
		# a killed build: its temporary folder is expected until the next build
		stale=$(temps | comm -13 "$T.temps" - | head -1)
		check "$case_name: the killed build left its temporary folder" test -n "$stale"
		check "$case_name: ... with briefing's marker in it" \
			test -f "$(dirname "$OUT")/$stale/.briefing-output"
		check "$case_name: the previous output is byte-identical after the kill" \
			diff -r --no-dereference "$T.previous" "$OUT"
		"$BRIEFING" build -s site -q -o "$OUT" 2>"$T.err2" >/dev/null
		check "$case_name: the next build works" test $? -eq 0
		check "$case_name: the next build removed the stale temporary folder" \
			test ! -e "$(dirname "$OUT")/$stale"
	fi
	snapshot "$T" "$OUT" > "$T.after"
	if cmp -s "$T.before" "$T.after"; then ok "$case_name: nothing outside the output changed"; else
		not_ok "$case_name: nothing outside the output changed"
		diff "$T.before" "$T.after" | show /dev/stdin
	fi
	if [ "$want" -ne 0 ] && [ ! -f "$CASE/keeps_temp" ]; then
		if diff -r --no-dereference "$T.previous" "$OUT" > "$T.diff" 2>&1; then
			ok "$case_name: previous output byte-identical"
		else
			not_ok "$case_name: previous output byte-identical"
			show "$T.diff"
		fi
	fi
	[ -f "$CASE/check.sh" ] && . "$CASE/check.sh"
	[ -f "$CASE/cleanup.sh" ] && sh "$CASE/cleanup.sh"
	cd "$ROOT"
	# big generated inputs go as soon as their case is done
	rm -rf "$T" "$T.previous"
}

for case_dir in "$CASES_DIR"/*/; do
	case_dir=${case_dir%/}
	[ -f "$case_dir/expected" ] || continue
	if [ -n "$BAD_CASES" ]; then
		case " $BAD_CASES " in *" $(basename "$case_dir") "*) ;; *) continue ;; esac
	fi
	run_case "$case_dir"
done
finish
