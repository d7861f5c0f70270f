# CLI: build progress: a bar on a terminal for builds over a second (the
# wait lowered here with BRIEFING_PROGRESS_AFTER_MS), erased at the end;
# nothing of it when not on a terminal or with -q; -v prints phase times.
. tests/lib.sh

esc=$(printf '\033')
run_briefing build -o "$TMP/o" -v
expect_status "verbose build succeeds" 0
for phase in scan parse filters resolve hooks render write swap; do
	check "-v prints the $phase phase" grep -Eq "^briefing: $phase +[0-9]+\.[0-9]{3} s" "$TMP/out"
done
check "-v keeps the summary line" grep -q 'pages written to' "$TMP/out"

BRIEFING_PROGRESS_AFTER_MS=0 "$BRIEFING" build -o "$TMP/o" >"$TMP/out" 2>"$TMP/err"
check "no bar when stderr is not a terminal" sh -c "! grep -q '$esc' '$TMP/err'"

if command -v script >/dev/null; then
	# script(1) runs the build on a pseudo-terminal: stdout and stderr both land in the file
	# (base_url at a host root here: no robots.txt warning between bar and summary)
	BRIEFING_PROGRESS_AFTER_MS=0 script -qec "'$BRIEFING' build --base-url https://example.org/ -o '$TMP/o'" /dev/null > "$TMP/tty" 2>&1
	check "a terminal gets the bar" grep -q 'render   \[#*\.*\] [0-9]*/[0-9]*' "$TMP/tty"
	pages=$(sed -n 's/.*articles, \([0-9]*\) pages written.*/\1/p' "$TMP/tty")
	check "the bar counts out of every page" grep -Eq "render   \[[#.]{30}\] [0-9]+/$pages" "$TMP/tty"
	# the line is erased before the summary: "\r ESC [K" then the summary
	check "the bar is erased before the summary" grep -q "${esc}\[Kbriefing: [0-9]* articles" "$TMP/tty"
	script -qec "'$BRIEFING' build --base-url https://example.org/ -o '$TMP/o'" /dev/null > "$TMP/tty" 2>&1
	check "a short build shows no bar" sh -c "! grep -q '$esc' '$TMP/tty'"
	check "a short build still prints its summary" grep -q 'pages written to' "$TMP/tty"
	BRIEFING_PROGRESS_AFTER_MS=0 script -qec "'$BRIEFING' build -q --base-url https://example.org/ -o '$TMP/o'" /dev/null > "$TMP/tty" 2>&1
	check "-q on a terminal prints nothing" test ! -s "$TMP/tty"
else
	skip "terminal checks" "script(1) not found"
fi
finish
