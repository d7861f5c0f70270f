# CLI: a build that keeps no cache (--no-cache, not serve) does not log
# what each step and page read, since nothing would compare those logs
# with anything. It must write the same site, byte for byte, as a build
# that logs them (BRIEFING_LOG_READS=1): the example site with every
# default script, and 600 generated briefs.
. tests/lib.sh

unset BRIEFING_LOG_READS
run_briefing build -s . -o "$TMP/plain" -q --no-cache
expect_status "the example site builds without logging reads" 0
BRIEFING_LOG_READS=1 run_briefing build -s . -o "$TMP/logged" -q --no-cache
expect_status "and logging them" 0
check "both write the same site" diff -r "$TMP/plain" "$TMP/logged"
run_briefing build -s . -o "$TMP/cached" -q
expect_status "a build with a cache after them" 0
check "writes it too" diff -r "$TMP/plain" "$TMP/cached"

if gen_site "$TMP/g" 600 80 20; then
	run_briefing build -s "$TMP/g" -o "$TMP/g-plain" -q --no-cache
	expect_status "600 generated briefs build without logging reads" 0
	BRIEFING_LOG_READS=1 run_briefing build -s "$TMP/g" -o "$TMP/g-logged" -q --no-cache
	check "the same site as with them logged" diff -r "$TMP/g-plain" "$TMP/g-logged"
else
	skip "600 generated briefs build the same without logging reads" "no gen-corpus in $SHARED"
fi
finish
