# CLI: a build killed with SIGKILL at any moment leaves a whole site: the
# previous one, or (if the swap had happened) the new one, never a mix.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
i=0
while [ $i -lt 1500 ]; do
	printf -- '---\ntitle: "Brief %d"\ndate: 2017-09-30\ntopics: [T%d]\n---\nBody %d.\n' $i $((i % 40)) $i \
		> "$s/content/articles/b$i.md"
	i=$((i + 1))
done
run_briefing build -s "$s" -q
expect_status "first build" 0
count() { find "$s/public/articles" -name index.html | wc -l; }
before=$(count)
printf -- '---\ntitle: "Extra"\ndate: 2017-10-01\n---\nx\n' > "$s/content/articles/extra.md"
for delay in 0.05 0.15 0.3; do
	"$BRIEFING" build -s "$s" -q -j 2 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	n=$(count)
	check "killed after ${delay}s: a whole site ($n pages)" sh -c "[ '$n' -eq '$before' ] || [ '$n' -eq $((before + 1)) ]"
	check "killed after ${delay}s: home page present" test -f "$s/public/index.html"
done
run_briefing build -s "$s" -q
expect_status "the next build works" 0
check "the next build has the new brief" test -f "$s/public/articles/extra/index.html"
finish
