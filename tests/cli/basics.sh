# CLI: version, help, usage errors (exit 2), a minimal build (exit 0).
. tests/lib.sh

run_briefing --version
expect_status "version exits 0" 0
check "version prints the version" grep -q '^briefing [0-9]' "$TMP/out"

run_briefing help
expect_status "help exits 0" 0
check "help lists build" grep -q 'build \[-s SITE_DIR\]' "$TMP/out"

run_briefing
expect_status "no command is a usage error" 2

run_briefing frobnicate
expect_status "unknown command exits 2" 2
expect_stderr "unknown command is named" 'unknown command "frobnicate"'

run_briefing build --no-such-flag
expect_status "unknown flag exits 2" 2

run_briefing build -s "$TMP/nowhere"
expect_status "missing site folder exits 2" 2
expect_stderr "missing site folder is named" "no site folder"

new_site "$TMP/s"
run_briefing build -s "$TMP/s" -q
expect_status "minimal site builds" 0
check "quiet build prints nothing" test ! -s "$TMP/out"
check "article page written" test -f "$TMP/s/public/articles/first/index.html"
check "home page written" test -f "$TMP/s/public/index.html"
check "topic page written" test -f "$TMP/s/public/topics/diplomacy/index.html"
check "stylesheet copied" test -f "$TMP/s/public/style.css"

run_briefing build -s "$TMP/s" -o "$TMP/elsewhere"
expect_status "build with -o" 0
check "summary line names pages" grep -q 'pages written to' "$TMP/out"
check "-o output written" test -f "$TMP/elsewhere/index.html"
finish
