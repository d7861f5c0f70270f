# CLI: the command line as Hugo and Zola users expect it: --opt VALUE and
# --opt=VALUE, short options with attached values (-j2), options after
# operands, per-command help (build --help, help build), a SYNOPSIS in
# briefing(1) naming every command, "1 article" not "1 articles", and the
# same clear error for every command run outside a site folder.
. tests/lib.sh

s="$TMP/s"
new_site "$s"

run_briefing build --site "$s" --output "$TMP/o1" -q
expect_status "--site DIR --output DIR" 0
check "written where --output said" test -f "$TMP/o1/index.html"
run_briefing build --site="$s" --output="$TMP/o2" --jobs=2 -q
expect_status "--site=DIR --output=DIR --jobs=2" 0
check "written where --output= said" test -f "$TMP/o2/index.html"
run_briefing build -s"$s" -o"$TMP/o3" -j2 -q
expect_status "short options with attached values (-j2)" 0
check "written where -oDIR said" test -f "$TMP/o3/index.html"
run_briefing build -q -o "$TMP/o4" --base-url=https://preview.example/ -s "$s"
expect_status "--base-url=URL" 0
check "--base-url=URL is used" grep -q 'https://preview.example/' "$TMP/o4/feed.xml"
run_briefing build -s "$s" -o "$TMP/o5" --clean-urls=false -q
check "--clean-urls=false" test -f "$TMP/o5/articles/first.html"
run_briefing build -s "$s" -o "$TMP/o6" --as-of=2017-01-01 -q
expect_status "--as-of=DATE" 0

run_briefing build -s "$s" --output
expect_status "a missing value is a usage error" 2
expect_stderr "it names the option" '--output needs a value'
run_briefing build -s "$s" -j
expect_stderr "a missing short value names the option" '-j needs a value'
run_briefing build -s "$s" --frobnicate=3
expect_status "an unknown option is a usage error" 2
expect_stderr "it names the option and the command" 'unknown option "--frobnicate" for build'
run_briefing build -s "$s" -x
expect_stderr "an unknown short option is named" 'unknown option "-x" for build'
run_briefing build -s "$s" -j0
expect_stderr "-j0 is refused with the range" 'from 1 to 256, found "0"'
run_briefing build -s "$s" stray
expect_status "an operand where none is taken" 2

# help: overall, per command, both spellings
run_briefing help
expect_status "briefing help" 0
for c in build serve new check import; do
	check "briefing help lists $c" grep -q "briefing $c" "$TMP/out"
done
run_briefing build --help
expect_status "build --help" 0
check "build --help shows build's options" grep -q -- '--for-file' "$TMP/out"
check "build --help shows only build" sh -c "! grep -q 'briefing serve' '$TMP/out'"
cp "$TMP/out" "$TMP/build-help"
run_briefing help build
check "help build prints the same as build --help" cmp -s "$TMP/out" "$TMP/build-help"
for c in serve new check import; do
	run_briefing "$c" -h
	check "$c -h prints $c's usage" grep -q "usage: briefing $c" "$TMP/out"
done
run_briefing serve --help
check "serve --help offers --published" grep -q -- '--published' "$TMP/out"
run_briefing help nosuch
expect_status "help for an unknown command" 2

# briefing(1)'s SYNOPSIS names every command
syn=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' docs/briefing.1)
for c in build serve new check import help; do
	check "SYNOPSIS names $c" sh -c "printf '%s\n' \"\$1\" | grep -qx '.Cm $c'" sh "$syn"
done
check "SYNOPSIS names new site" sh -c "printf '%s\n' \"\$1\" | grep -qx '.Cm new site'" sh "$syn"

# grammar: one article, one page, one file
one="$TMP/one"
new_site "$one"
run_briefing build -s "$one" -o "$TMP/one-out"
check "one article is \"1 article\"" grep -q 'briefing: 1 article, ' "$TMP/out"

# every command outside a site folder: the same message and status
empty="$TMP/empty"
mkdir -p "$empty"
for c in build serve check "new article X" "import $ROOT/README.md"; do
	# shellcheck disable=SC2086
	run_briefing $c -s "$empty"
	expect_status "$c without site.yml: usage error" 2
	expect_stderr "$c without site.yml: says so" "no site.yml in \"$empty\": is it a site folder?"
done
(cd "$empty" && "$BRIEFING" serve > "$TMP/out" 2> "$TMP/err"); status=$?
expect_status "serve in the current folder without site.yml" 2
expect_stderr "and says so" 'no site.yml in "."'
check "nothing made in the folder" test -z "$(ls -A "$empty")"
finish
