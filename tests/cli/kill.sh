# CLI: a build killed with SIGKILL at any moment leaves a whole site: the
# previous one, or (if the swap had happened) the new one, never a mix.
# The kills are aimed, not timed: the test watches the file system and
# kills (1) while the new site is being written into its temporary
# folder beside public/, and (2) once the swap has put it in place; a
# stat of the temporary folder left behind proves (1) landed in that
# window. A next build cleans up and works. That is a build without the
# cache (--no-cache). A build with the cache writes the changed pages in
# place: killed while it stages them, the site is the previous one (the
# staged files wait under hidden names) and the next build, seeing the
# journal, starts over in a new tree.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
i=0
while [ $i -lt 1500 ]; do
	printf -- '---\ntitle: "Brief %d"\ndate: 2017-09-30\ntopics: [T%d]\n---\nBody %d.\n' $i $((i % 40)) $i \
		> "$s/content/articles/b$i.md"
	i=$((i + 1))
done
opts=--no-cache
export XDG_CACHE_HOME="$TMP/cache"
run_briefing build -s "$s" -q --no-cache
expect_status "first build" 0
count() { find "$s/public/articles" -name index.html | wc -l; }
tmps() { ls -d "$s"/.public.tmp-* 2>/dev/null; }
before=$(count)
check "no temporary folder after a whole build" test -z "$(tmps)"
printf -- '---\ntitle: "Extra"\ndate: 2017-10-01\n---\nx\n' > "$s/content/articles/extra.md"

# kill_when CONDITION...: starts a build, kills it (SIGKILL) as soon as
# CONDITION holds; $landed is 1 when it did, 0 when the build ended first
kill_when() {
	"$BRIEFING" build -s "$s" -q -j 2 $opts &
	pid=$!
	landed=0
	while kill -0 $pid 2>/dev/null; do
		if "$@"; then
			kill -9 $pid 2>/dev/null && landed=1
			break
		fi
	done
	wait $pid 2>/dev/null
}
# the temporary folder holds written pages of the new site
writing() { for d in "$s"/.public.tmp-*/articles/b1; do [ -d "$d" ] && return 0; done; return 1; }
# the new site is in place
swapped() { [ -f "$s/public/articles/extra/index.html" ]; }

kill_when writing
check "killed while writing the new site: the kill landed there" test "$landed" -eq 1
check "killed while writing: its temporary folder is left, with pages in it" \
	sh -c "ls -d '$s'/.public.tmp-*/articles/b1 >/dev/null 2>&1"
n=$(count)
check "killed while writing: the previous site, whole ($n pages)" test "$n" -eq "$before"
check "killed while writing: home page present" test -f "$s/public/index.html"

kill_when swapped
check "killed after the swap: the kill landed there" test "$landed" -eq 1
n=$(count)
check "killed after the swap: the new site, whole ($n pages)" test "$n" -eq $((before + 1))
check "killed after the swap: home page present" test -f "$s/public/index.html"

run_briefing build -s "$s" -q --no-cache
expect_status "the next build works" 0
check "the next build has the new brief" test -f "$s/public/articles/extra/index.html"
check "the next build removed what the killed builds left" test -z "$(tmps)"

# with the cache: two builds make it warm, then a template that every
# article page uses changes, and the build is killed while staging
opts=
run_briefing build -s "$s" -q
run_briefing build -s "$s" -q
expect_status "a build with a warm cache" 0
cp -R "$s/public" "$TMP/before"
mkdir -p "$s/templates"
sed 's|</article>|</article><!-- staged -->|' "$ROOT/themes/default/article.mustache" \
	> "$s/templates/article.mustache"
staging() { grep -q staging "$s/public/.briefing-journal" 2>/dev/null &&
            [ -n "$(find "$s/public/articles" -name '.*.briefing-new' -print -quit)" ]; }
kill_when staging
check "killed while staging: the kill landed there" test "$landed" -eq 1
check "killed while staging: every page is the previous one" \
	diff -r -x '.*.briefing-new' -x .briefing-journal "$TMP/before" "$s/public"
check "killed while staging: the journal says so" test -f "$s/public/.briefing-journal"
run_briefing build -s "$s" -q -v
expect_status "the next build works" 0
check "the next build did not trust the folder" grep -q "cache .*interrupted" "$TMP/out"
check "the next build has the new template" grep -q "<!-- staged -->" "$s/public/articles/extra/index.html"
check "and no staged file or journal is left" \
	test -z "$(find "$s/public" -name '.*.briefing-new' -o -name .briefing-journal)"
finish
