# tests/lib.sh: helpers for shell tests. Each check prints "ok - name" or
# "not ok - name", or "ok - name # SKIP reason" when it cannot run here
# (counted by tests/run). Sourced with BRIEFING set.
: "${BRIEFING:=build/briefing}"
case $BRIEFING in /*) ;; *) BRIEFING=$(pwd)/$BRIEFING ;; esac
ROOT=$(pwd)
SHARED=${BRIEFING_SHARED:-$ROOT/../shared}
export SOURCE_DATE_EPOCH=1700000000
TMP=$(mktemp -d "${TMPDIR:-/tmp}/briefing-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export XDG_CACHE_HOME="$TMP/xdg-cache" # (not the user's: a test may set its own)
failures=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failures=$((failures + 1)); }

# skip NAME REASON: a check that cannot run here (a missing tool or
# corpus). tests/run counts it as skipped, and as failed with REQUIRE_ALL=1.
skip() { echo "ok - $1 # SKIP $2"; }

# check NAME CONDITION...: runs the condition, prints ok/not ok
check() {
	name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# run_briefing: runs the binary, keeps stdout in $TMP/out, stderr in $TMP/err, status in $status
run_briefing() {
	${VALGRIND_WRAP} "$BRIEFING" "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
}

# expect_status NAME CODE: checks the last run's exit status
expect_status() {
	if [ "$status" -eq "$2" ]; then ok "$1"; else
		not_ok "$1"
		echo "#   exit status $status, want $2; stderr:"
		sed 's/^/#   /' "$TMP/err" | head -20
	fi
}

# expect_stderr NAME TEXT: the last run's stderr contains TEXT (fixed string)
expect_stderr() {
	if grep -qF -- "$2" "$TMP/err"; then ok "$1"; else
		not_ok "$1"
		echo "#   stderr lacks: $2"
		sed 's/^/#   /' "$TMP/err" | head -20
	fi
}

# new_site DIR: a minimal valid site (title + one article) to break in tests
new_site() {
	mkdir -p "$1/content/articles"
	printf 'title: "Test Site"\nbase_url: "https://example.org/"\n' > "$1/site.yml"
	printf -- '---\ntitle: "First"\ndate: 2017-09-30\ntopics: [Diplomacy]\n---\n\nHello.\n' \
		> "$1/content/articles/first.md"
}

# add_briefs DIR N: N more briefs in DIR's content/articles, b1.md to bN.md
# ("Brief i", one a day from 2017-09-01; N up to 30), for steps over many keys
add_briefs() {
	for i in $(seq 1 "$2"); do
		printf -- '---\ntitle: "Brief %s"\ndate: 2017-09-%02d\n---\n\nText.\n' "$i" "$i" \
			> "$1/content/articles/b$i.md"
	done
}

# gen_site DIR N PEOPLE TOPICS: a site of N gen-corpus briefs in DIR
# (content/ and a site.yml); fails when ../shared has no gen-corpus
gen_site() {
	[ -x "$SHARED/bench/gen-corpus" ] && command -v python3 >/dev/null || return 1
	python3 "$SHARED/bench/gen-corpus" --articles "$2" --people "$3" --topics "$4" \
		--out "$1.gc" --jobs 2 >/dev/null || return 1
	mkdir -p "$1/content"
	mv "$1.gc/articles" "$1.gc/people" "$1.gc/topics" "$1/content/"
	rm -rf "$1.gc"
	printf 'title: "Generated"\nbase_url: "https://example.org/"\n' > "$1/site.yml"
}

# png W H: the first bytes of a PNG of that size (all the image sizer reads)
png() {
	printf '\211PNG\r\n\032\n\000\000\000\015IHDR'
	printf "\\000\\000\\$(printf %03o $(($1 / 256)))\\$(printf %03o $(($1 % 256)))"
	printf "\\000\\000\\$(printf %03o $(($2 / 256)))\\$(printf %03o $(($2 % 256)))"
	printf '\010\002\000\000\000'
}

finish() { [ "$failures" -eq 0 ]; }
