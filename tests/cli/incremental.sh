# CLI: serve's incremental rebuilds. After each kind of change (an article's
# title, its body, a new and a deleted article, a person, a site template,
# a static file, a site script) the served folder must hold exactly what a
# full `briefing build --drafts --future` of the same sources writes; only
# changed files are rewritten, in place; pages that do not show the change
# keep their file.
. tests/lib.sh

command -v python3 >/dev/null || { skip "incremental builds" "python3 needed"; finish; exit 0; }
s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/site.yml" "$s/"
export TMPDIR="$TMP/serve-tmp" # serve's folder goes there
mkdir -p "$TMPDIR"
port=$(python3 -c 'import socket; x = socket.socket(); x.bind(("127.0.0.1", 0)); print(x.getsockname()[1])')
"$BRIEFING" serve -s "$s" --port "$port" > "$TMP/serve.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 40); do grep -q 'watching for changes' "$TMP/serve.out" && break; sleep 0.25; done
served=$(ls -d "$TMPDIR"/briefing-serve-* | head -1)/site
check "serve built its folder" test -f "$served/index.html"

builds() { grep -c 'briefing serve: \(rebuilt\|build failed\|nothing to rebuild\)' "$TMP/serve.out"; }
# wait_build N: waits for build number N
wait_build() {
	for i in $(seq 80); do [ "$(builds)" -ge "$1" ] && return 0; sleep 0.1; done
	return 1
}
# same_as_build NAME: the served folder equals a full build of the sources
same_as_build() {
	rm -rf "$TMP/full"
	"$BRIEFING" build -s "$s" -o "$TMP/full" --drafts --future >"$TMP/summary" 2>"$TMP/err"
	if diff -r -x .briefing-output "$served" "$TMP/full" > "$TMP/diff"; then ok "$1"; else
		not_ok "$1"
		head -20 "$TMP/diff" | sed 's/^/#   /'
	fi
}
stamp() { stat -c '%i %Y.%y' "$1"; }
# last_stat: the numbers of the last rebuild's log line
last() { grep 'briefing serve: rebuilt' "$TMP/serve.out" | tail -1; }

same_as_build "first build equals a full build"

a="$s/content/articles/2017/talks-tried-before.md"
untouched="$served/articles/2017/tillerson-open-channels/index.html"
css="$served/style.css"
before_untouched=$(stamp "$untouched")
before_css=$(stamp "$css")
n=$(builds)
sleep 1.1 # mtimes in whole seconds must differ too
sed 's/^title: .*/title: "Talks were tried before, edited"/' "$a" > "$TMP/a" && cat "$TMP/a" > "$a"
wait_build $((n + 1))
check "the edit is one rebuild" test "$(builds)" -eq $((n + 1))
check "one article parsed" sh -c "grep 'briefing serve: rebuilt' '$TMP/serve.out' | tail -1 | grep -q ': 1 article parsed'"
check "the article page has the new title" grep -q "Talks were tried before, edited" "$served/articles/2017/talks-tried-before/index.html"
check "the home page has the new title" grep -q "Talks were tried before, edited" "$served/index.html"
check "the person page has the new title" grep -q "Talks were tried before, edited" "$served/people/colin-powell/index.html"
check "the topic page has the new title" grep -q "Talks were tried before, edited" "$served/topics/diplomacy/index.html"
check "an untouched page keeps its file (inode and mtime)" test "$(stamp "$untouched")" = "$before_untouched"
check "an unchanged static file keeps its file" test "$(stamp "$css")" = "$before_css"
rendered=$(last | sed 's/.*, \([0-9]*\) pages rendered.*/\1/')
total=$(sed -n 's/.*articles, \([0-9]*\) pages written.*/\1/p' "$TMP/summary")
check "fewer pages rendered than the site has ($rendered of $total pages)" test "$rendered" -lt "$total"
same_as_build "after a title edit"

n=$(builds)
before_sitemap=$(stamp "$served/sitemap.xml")
printf '\nA sentence added while serving.\n' >> "$a"
wait_build $((n + 1))
check "the body edit is in the article page" grep -q "A sentence added while serving" "$served/articles/2017/talks-tried-before/index.html"
check "the sitemap keeps its file after a body edit" test "$(stamp "$served/sitemap.xml")" = "$before_sitemap"
same_as_build "after a body edit"

# the sitemap's lastmod comes from `updated`: kept files must not hide it
n=$(builds)
# (rewritten in place: sed -i's temporary file beside it would make the
# update a full one, which starts the sitemap over anyway)
sed '0,/^title:/s//updated: 2018-02-03T10:00:00Z\ntitle:/' "$a" > "$TMP/updated.md"
cat "$TMP/updated.md" > "$a"
wait_build $((n + 1))
check "an updated date reaches the sitemap" \
	grep -q '<loc>https://[^<]*/articles/2017/talks-tried-before/</loc><lastmod>2018-02-03T10:00:00Z</lastmod>' "$served/sitemap.xml"
same_as_build "after an updated date"

n=$(builds)
touch "$a"
wait_build $((n + 1))
check "a save without a change rebuilds nothing" sh -c "tail -1 '$TMP/serve.out' | grep -q 'nothing to rebuild after .*talks-tried-before.md'"
n=$(builds)
touch "$s/content/people/colin-powell.md"
wait_build $((n + 1))
check "a touched person file is rebuilt, and writes nothing" sh -c "grep 'briefing serve: rebuilt' '$TMP/serve.out' | tail -1 | grep -q '0 files written, 0 removed'"

n=$(builds)
printf -- '---\ntitle: "Added while serving"\ndate: 2017-12-14\ntopics: [Sanctions]\npeople: [Rex Tillerson]\n---\n\nNew.\n' \
	> "$s/content/articles/2017/added.md"
wait_build $((n + 1))
check "a new article gets its page" test -f "$served/articles/2017/added/index.html"
same_as_build "after a new article"

n=$(builds)
rm "$s/content/articles/2017/added.md"
wait_build $((n + 1))
check "a deleted article's page is removed" test ! -e "$served/articles/2017/added/index.html"
check "and its folder" test ! -e "$served/articles/2017/added"
same_as_build "after a deleted article"

n=$(builds)
sed 's/^role: .*/role: "Former Secretary of State, edited"/' "$s/content/people/colin-powell.md" > "$TMP/p" &&
	cat "$TMP/p" > "$s/content/people/colin-powell.md"
wait_build $((n + 1))
same_as_build "after a person edit"

n=$(builds)
mkdir -p "$s/templates/partials"
sed 's|</footer>|<p class="edited">Footer edited</p></footer>|' "$ROOT/themes/default/partials/layout.mustache" \
	> "$s/templates/partials/layout.mustache"
wait_build $((n + 1))
check "a template edit reaches every page" test "$(grep -rl 'Footer edited' "$served" --include=index.html | wc -l)" -gt 10
same_as_build "after a template edit"
n=$(builds)
rm "$s/templates/partials/layout.mustache"
wait_build $((n + 1))
same_as_build "after the template is removed again"

n=$(builds)
mkdir -p "$s/static"
printf 'body { color: black }\n' > "$s/static/extra.css"
wait_build $((n + 1))
check "a new static file is copied" test -f "$served/extra.css"
same_as_build "after a static file"

n=$(builds)
mkdir -p "$s/scripts"
cat > "$s/scripts/shout.lua" <<'LUA'
return {
  Text = function(node)
    if node.literal:find("Pyongyang", 1, true) then
      node.literal = (node.literal:gsub("Pyongyang", "PYONGYANG"))
    end
  end,
}
LUA
wait_build $((n + 1))
check "a new filter applies to every article" grep -q PYONGYANG "$served/articles/2017/talks-tried-before/index.html"
same_as_build "after a new filter"

# a script's page needs its template: the pages' templates are checked
# again whenever the templates change, not only for new pages
n=$(builds)
cat > "$s/scripts/desk.lua" <<'LUA'
return { start = function(site, emit)
  site:add_page{ url = "desk/", template = "desk", kind = "desk", title = "Desk", data = { desk = true } }
end }
LUA
printf '{{<layout}}{{$content}}<h1 class="desk">{{page.title}}</h1>{{/content}}{{/layout}}\n' \
	> "$s/templates/desk.mustache"
wait_build $((n + 1))
check "a script's page with its own template" grep -q 'class="desk"' "$served/desk/index.html"
n=$(builds)
mv "$s/templates/desk.mustache" "$TMP/desk.mustache"
wait_build $((n + 1))
check "its template removed: the update fails and says so" sh -c \
	"tail -5 '$TMP/serve.out' | grep -q 'page \"desk/\" wants template \"desk\"'"
n=$(builds)
mv "$TMP/desk.mustache" "$s/templates/desk.mustache"
wait_build $((n + 1))
check "back: the page is served again" grep -q 'class="desk"' "$served/desk/index.html"
same_as_build "after the template is back"
n=$(builds)
printf -- '---\ntitle: "Desk"\nslug: desk\n---\n\nA page.\n' > "$s/content/pages/desk.md"
wait_build $((n + 1))
check "a new page at the script page's address: the update fails and says so" sh -c \
	"tail -5 '$TMP/serve.out' | grep -q 'page \"desk/\" is made twice'"
rm "$s/content/pages/desk.md"

kill $pid
wait $pid 2>/dev/null
finish
