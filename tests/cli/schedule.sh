# CLI: scheduling: future-dated and publish_at articles wait unless
# --future, expires hides, --as-of builds the site as it was on a day.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
a="$s/content/articles"
printf -- '---\ntitle: "Later"\ndate: 2099-01-01\n---\nx\n' > "$a/later.md"
printf -- '---\ntitle: "Embargoed"\ndate: 2017-10-01\npublish_at: 2099-01-01T09:00:00Z\n---\nx\n' > "$a/embargo.md"
printf -- '---\ntitle: "Gone"\ndate: 2017-10-02\nexpires: 2018-01-01\n---\nx\n' > "$a/gone.md"
run_briefing build -s "$s" -q
expect_status "scheduled site builds" 0
p="$s/public/articles"
check "published article shown" test -f "$p/first/index.html"
check "future-dated article waits" test ! -e "$p/later"
check "publish_at in the future waits" test ! -e "$p/embargo"
check "expired article hidden" test ! -e "$p/gone"
run_briefing build -s "$s" -q --future -o "$TMP/f"
check "--future shows future and scheduled articles" sh -c "test -f '$TMP/f/articles/later/index.html' && test -f '$TMP/f/articles/embargo/index.html'"
check "--future still hides expired ones" test ! -e "$TMP/f/articles/gone"
run_briefing build -s "$s" -q --as-of 2017-10-02 -o "$TMP/asof"
check "--as-of: an article from that day is in" test -f "$TMP/asof/articles/gone/index.html"
check "--as-of: later ones are not" test ! -e "$TMP/asof/articles/embargo"
run_briefing build -s "$s" --as-of tomorrow
expect_status "bad --as-of is a usage error" 2
printf -- '---\ntitle: "Bad"\ndate: 2017-10-01\npublish_at: soon\n---\nx\n' > "$a/bad.md"
run_briefing build -s "$s"
expect_status "bad publish_at is an error" 1
expect_stderr "bad publish_at has its position" "$a/bad.md:4:13: error: publish_at: expected YYYY-MM-DD or RFC 3339, found \"soon\""
finish
