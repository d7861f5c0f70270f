# CLI: a named time zone gives each date the UTC offset in force on its
# own day (daylight saving), whatever day the site is built on; fixed
# offsets and bad names behave as before.
. tests/lib.sh

s="$TMP/s"
new_site "$s"
printf 'title: "T"\nbase_url: "https://example.org/"\ntimezone: America/New_York\n' > "$s/site.yml"
mkdir -p "$s/content/articles/2017"
printf -- '---\ntitle: "Summer"\ndate: 2017-07-04\n---\nJuly.\n' > "$s/content/articles/2017/summer.md"
printf -- '---\ntitle: "Winter"\ndate: 2017-01-10T09:30:00\n---\nJanuary.\n' > "$s/content/articles/2017/winter.md"
printf -- '---\ntitle: "Written"\ndate: 2017-07-05T09:30:00+02:00\n---\nAn offset.\n' > "$s/content/articles/2017/written.md"
printf -- '---\ntitle: "Skipped"\ndate: 2017-03-12T02:30:00\n---\nA skipped hour.\n' > "$s/content/articles/2017/skipped.md"
rm -f "$s/content/articles/first.md"
for epoch in 1700000000 1688000000; do # built in November, then in June
	SOURCE_DATE_EPOCH=$epoch run_briefing build -s "$s" --no-cache
	expect_status "builds with a zone name ($epoch)" 0
	check "July date is EDT, -04:00 ($epoch)" grep -qF 'published_time" content="2017-07-04T00:00:00-04:00"' "$s/public/articles/2017/summer/index.html"
	check "January date is EST, -05:00 ($epoch)" grep -qF 'published_time" content="2017-01-10T09:30:00-05:00"' "$s/public/articles/2017/winter/index.html"
	check "a written offset wins ($epoch)" grep -qF 'published_time" content="2017-07-05T09:30:00+02:00"' "$s/public/articles/2017/written/index.html"
	check "a skipped hour takes the offset before it ($epoch)" grep -qF 'content="2017-03-12T02:30:00-05:00"' "$s/public/articles/2017/skipped/index.html"
done
check "RSS says -0400 in July" grep -qF '04 Jul 2017 00:00:00 -0400' "$s/public/rss.xml"

printf 'title: "T"\ntimezone: Asia/Kolkata\n' > "$s/site.yml"
run_briefing build -s "$s" --no-cache
check "a zone without daylight saving" grep -qF 'content="2017-07-04T00:00:00+05:30"' "$s/public/articles/2017/summer/index.html"
printf 'title: "T"\ntimezone: "-03:00"\n' > "$s/site.yml"
run_briefing build -s "$s" --no-cache
check "a fixed offset stays fixed" grep -qF 'content="2017-07-04T00:00:00-03:00"' "$s/public/articles/2017/summer/index.html"
for bad in Mars/Olympus ../../etc/passwd America posix/../../../etc/hostname; do
	printf 'title: "T"\ntimezone: "%s"\n' "$bad" > "$s/site.yml"
	run_briefing build -s "$s" --no-cache
	expect_status "timezone $bad refused" 1
	expect_stderr "timezone $bad reported at its place" "site.yml:2:"
done
finish
