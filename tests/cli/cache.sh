# CLI: build's persistent cache. A second build reads the first one's
# cache and writes exactly what a build without it writes; a cache that
# is truncated, corrupt, from another version, written for a site that
# has since moved, beside an interrupted build or for an output folder
# changed by hand is ignored (the build says why with -v) and the output
# is still right.
. tests/lib.sh

command -v python3 >/dev/null || { skip "python3 tests" "python3 is not installed"; finish; exit 0; }
s="$TMP/s"
c="$TMP/cache"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/site.yml" "$s/"
build() { "$BRIEFING" build -s "$1" -o "$2" --cache-dir "$c" -v > "$TMP/out" 2>"$TMP/err"; }
same_as_clean() { # NAME SITE OUT
	rm -rf "$TMP/clean"
	"$BRIEFING" build -s "$2" -o "$TMP/clean" --no-cache -q 2>/dev/null
	if diff -r -x .briefing-output "$3" "$TMP/clean" > "$TMP/diff"; then ok "$1"; else
		not_ok "$1"
		head -20 "$TMP/diff" | sed 's/^/#   /'
	fi
}
said() { grep -q "briefing: cache .*$1" "$TMP/out"; }

build "$s" "$TMP/o"
check "a first build has no cache yet" said "not used: none yet"
check "and leaves one" test "$(ls "$c" | wc -l)" -eq 1
build "$s" "$TMP/o"
check "the second build reads it" said "read from"
check "a build with nothing changed renders nothing" grep -q "finding the pages to render: 0 of" "$TMP/out"
same_as_clean "and its output is a clean build's" "$s" "$TMP/o"
# the fingerprint names the site's files by their place in it, not by
# how the command line spelled the folder
(cd "$s" && "$BRIEFING" build -s . -o "$TMP/o" --cache-dir "$c" -v > "$TMP/out" 2>"$TMP/err")
check "a build from inside the site folder (-s .) reads the same cache" said "read from"

sleep 1.1 # mtimes in whole seconds must differ too
a="$s/content/articles/2017/talks-tried-before.md"
sed 's/^title: .*/title: "Talks were tried before, warm"/' "$a" > "$TMP/a" && cat "$TMP/a" > "$a"
build "$s" "$TMP/o"
check "an edited article is parsed, alone" grep -q "1 parsed)" "$TMP/out"
check "the new title is on the home page" grep -q "Talks were tried before, warm" "$TMP/o/index.html"
same_as_clean "after an edit, a clean build's output" "$s" "$TMP/o"

# A page's file stays through warm builds that do not render it (the
# manifest marks it as a page's, in the cache too), until its page goes;
# any other file stays only while each build writes it.
mkdir -p "$s/static"
echo "extra" > "$s/static/extra.txt"
build "$s" "$TMP/o"
check "a new static file is written" test -f "$TMP/o/extra.txt"
gone="$s/content/articles/2017/corker-doubts-dialogue.md"
mv "$gone" "$TMP/gone.md"
rm "$s/static/extra.txt"
build "$s" "$TMP/o"
check "a deleted article's page is removed" test ! -e "$TMP/o/articles/2017/corker-doubts-dialogue/index.html"
check "a deleted static file is removed" test ! -e "$TMP/o/extra.txt"
check "the pages not rendered again stay" test -f "$TMP/o/articles/2017/talks-tried-before/index.html"
same_as_clean "after a deletion, a clean build's output" "$s" "$TMP/o"
mv "$TMP/gone.md" "$gone"
build "$s" "$TMP/o"
check "the article's page is back" test -f "$TMP/o/articles/2017/corker-doubts-dialogue/index.html"
same_as_clean "and the output is a clean build's" "$s" "$TMP/o"

# A warm build writes a delta: a small file that leaves what did not
# change in the whole file a build before wrote, now its base. (After
# an edit that changed much, the delta can be a quarter of its base: the
# next build writes a whole file, and the one after it a delta again.)
bases() { ls "$c" | grep -c '\.base$'; }
head_size() { wc -c < "$(ls "$c"/*.cache)"; }
base_size() { wc -c < "$(ls "$c"/*.base)"; }
edits=0
body_edit() { # then a build
	edits=$((edits + 1))
	printf '\nEdit %s.\n' "$edits" >> "$s/content/articles/2017/talks-tried-before.md"
	build "$s" "$TMP/o"
}
small_delta() { [ "$(bases)" -eq 1 ] && [ "$(head_size)" -le $(($(base_size) / 4)) ]; }
body_edit
body_edit
check "a warm build writes a delta over one base" test "$(bases)" -eq 1
check "smaller than its base" small_delta
base1=$(ls "$c"/*.base)
body_edit
check "the next build reads the delta and its base" said "read from"
check "and writes another over the same base" test "$(ls "$c"/*.base)" = "$base1"
same_as_clean "and its output is a clean build's" "$s" "$TMP/o"

# What a warm build read and did not change it writes back as it read it;
# the file must be the one encoding everything again gives
# (BRIEFING_CACHE_REENCODE), byte for byte, whatever the edit. It reads a
# delta (a build after another edit writes one) and writes a whole file
# (BRIEFING_CACHE_WHOLE), copying what it read from both files. On one
# thread: pages made in parallel take their serial numbers in any order.
primed=0
as_reencoded() { # NAME EDIT-COMMAND...
	name=$1
	shift
	export BRIEFING_JOBS=1
	primed=$((primed + 1))
	printf '\nPrimed %s.\n' "$primed" >> "$s/content/articles/2017/talks-tried-before.md"
	build "$s" "$TMP/o"
	rm -rf "$TMP/snap" && mkdir "$TMP/snap" && cp -R "$c" "$TMP/o" "$TMP/snap/"
	"$@"
	BRIEFING_CACHE_WHOLE=1 build "$s" "$TMP/o"
	cp "$c"/*.cache "$TMP/reused"
	rm -rf "$c" "$TMP/o" && cp -R "$TMP/snap/cache" "$c" && cp -R "$TMP/snap/o" "$TMP/o"
	export BRIEFING_CACHE_REENCODE=1
	build "$s" "$TMP/o"
	unset BRIEFING_CACHE_REENCODE BRIEFING_JOBS
	if [ "$(ls "$TMP/snap/cache" | grep -c '\.base$')" -ne 1 ]; then
		not_ok "$name (read from a delta over a base)"
	else
		check "$name" cmp -s "$TMP/reused" "$(ls "$c"/*.cache)"
	fi
}
body() { printf '\nOne more line, %s.\n' "$1" >> "$s/content/articles/2017/no-sign-of-talks.md"; }
retitle() { sed 's/^title: .*/title: "China squeezes harder"/' "$1" > "$TMP/a" && cat "$TMP/a" > "$1"; }
as_reencoded "a body edit: the cache as encoded afresh" body "seen by the cache test"
as_reencoded "a title edit: the same" retitle "$s/content/articles/2017/china-tightens-squeeze.md"
as_reencoded "a new article: the same" cp "$s/content/articles/2017/no-sign-of-talks.md" \
	"$s/content/articles/2017/no-sign-of-talks-again.md"
as_reencoded "an article gone: the same" rm "$s/content/articles/2017/no-sign-of-talks-again.md"
as_reencoded "no edit: the same" true
same_as_clean "and the output is a clean build's" "$s" "$TMP/o"

# A delta grows with each build until it passes a quarter of its base;
# then a build writes a whole file again and the base goes.
grown=0
for i in 1 2 3 4 5 6 7 8; do
	cp "$s/content/articles/2017/no-sign-of-talks.md" "$s/content/articles/2017/grown-$i.md"
	body_edit
	[ "$(bases)" -le 1 ] || break
	if [ "$(bases)" -eq 1 ] && ! small_delta; then
		body_edit
		[ "$(bases)" -eq 0 ] && grown=whole
		break
	fi
done
rm -f "$s"/content/articles/2017/grown-*.md
check "a delta past a quarter of its base: the next build writes a whole file" \
	test "$grown" = whole
to_small_delta() { for i in 1 2 3; do body_edit; small_delta && break; done; }
to_small_delta
rm -f "$c"/*.base
body_edit
check "a delta whose base is gone is ignored" said "base file that is gone or changed"
same_as_clean "and the output is right" "$s" "$TMP/o"
to_small_delta
check "(a delta again)" test "$(bases)" -eq 1
python3 - "$(ls "$c"/*.base)" <<'PY'
import sys
p = sys.argv[1]
d = bytearray(open(p, "rb").read())
d[len(d) // 2] ^= 1
open(p, "wb").write(d)
PY
body_edit
check "a delta whose base has changed is ignored" said "base file that is gone or changed"
same_as_clean "and the output is right" "$s" "$TMP/o"

# A base is read through for its checksum only when its stamp (device,
# inode, size, modification time) is not the one the delta recorded: the
# whole file it was had its checksum checked when it was read
to_small_delta
debug_edit() { BRIEFING_CACHE_DEBUG=1 body_edit; }
debug_edit
check "a base unchanged since it was checked is trusted by its stamp" \
	grep -q "base trusted" "$TMP/err"
check "(and read)" said "read from"
b=$(ls "$c"/*.base)
cp -p "$b" "$TMP/base.copy" && rm "$b" && mv "$TMP/base.copy" "$b"
debug_edit
check "the same bytes as another file are checked again" grep -q "base checked" "$TMP/err"
check "and read" said "read from"
debug_edit
check "and trusted after that" grep -q "base trusted" "$TMP/err"
b=$(ls "$c"/*.base)
python3 - "$b" <<'PY'
import os, sys
p = sys.argv[1]
with open(p, "r+b") as f: # in place: the same inode and size
    f.seek(os.path.getsize(p) // 3)
    c = f.read(1)
    f.seek(-1, 1)
    f.write(bytes([c[0] ^ 1]))
PY
debug_edit
check "a byte changed in a trusted base is found" said "base file that is gone or changed"
same_as_clean "and the output is right" "$s" "$TMP/o"

# A record's value is kept as bytes, references by object id, and
# decoded when a step reads it: after one brief changes, the group step
# reads the others' values as the cache has them.
with_script() { # NAME TEMPLATE < SCRIPT: the site gets them, and is built
	mkdir -p "$s/scripts" "$s/templates"
	cat > "$s/scripts/$1.lua"
	printf '%s' "$2" > "$s/templates/$1.mustache"
	build "$s" "$TMP/o"
}
without_scripts() { rm -r "$s/scripts" "$s/templates" && build "$s" "$TMP/o"; }
with_script refs '{{#items}}<p>{{title}} {{slug}} {{n}}</p>
{{/items}}' <<'LUA'
return {
  emit = function(a, emit) emit("refs", "all", { brief = a, words = { a.slug, #a.title } }) end,
  group = { refs = function(_, records, site)
    local items = {}
    for i = 1, #records do
      local v = records[i].value
      items[i] = { title = v.brief.title, slug = v.words[1], n = v.words[2] }
    end
    site:add_page{ url = "refs/", template = "refs", kind = "refs", title = "Refs",
                   data = { items = items } }
  end },
}
LUA
retitle "$s/content/articles/2017/no-sign-of-talks.md"
build "$s" "$TMP/o"
check "a group step reads record values from the cache (references too)" \
	sh -c "grep -q '<p>China squeezes harder no-sign-of-talks 21</p>' '$TMP/o/refs/index.html' &&
	       test \$(grep -c '<p>' '$TMP/o/refs/index.html') -ge 5"
same_as_clean "and the output is a clean build's" "$s" "$TMP/o"
without_scripts

# A group step's summary is kept as the cache's bytes and decoded when a
# finish step reads it: after one brief's edit, the finish step lists
# every key's summary, the others' from the cache.
with_script sums '{{#items}}<p>{{day}} {{n}} {{titles}}</p>
{{/items}}' <<'LUA'
return {
  emit = function(a, emit) emit("sums", a.date_iso:sub(1, 10), { title = a.title }) end,
  group = { sums = function(key, records, site)
    local titles = {}
    for i = 1, #records do titles[i] = records[i].value.title end
    return { day = key, n = #records, titles = table.concat(titles, "; ") }
  end },
  finish = { sums = function(summaries, site)
    local items = {}
    for i = 1, #summaries do items[i] = summaries[i].value end
    site:add_page{ url = "sums/", template = "sums", kind = "sums", title = "Sums",
                   data = { items = items } }
  end },
}
LUA
days=$(grep -c '<p>' "$TMP/o/sums/index.html")
retitle "$s/content/articles/2017/no-sign-of-talks.md"
sed 's/China squeezes harder/China squeezes harder still/' "$s/content/articles/2017/no-sign-of-talks.md" > "$TMP/a" &&
	cat "$TMP/a" > "$s/content/articles/2017/no-sign-of-talks.md"
build "$s" "$TMP/o"
check "a finish step reads the summaries the cache kept ($days days)" \
	sh -c "test $days -ge 3 && test \$(grep -c '<p>' '$TMP/o/sums/index.html') -eq $days &&
	       grep -q 'China squeezes harder still' '$TMP/o/sums/index.html'"
same_as_clean "and the output is a clean build's" "$s" "$TMP/o"
without_scripts

# The first warm build after a clean one opens the views one edit needs,
# as the builds after it do, not every view the clean build's steps wrote
# to (the clean build checked its briefs' pages after its steps).
m="$TMP/many"
mkdir -p "$m/content/articles/2020"
printf 'title: "Many"\nbase_url: "https://example.org/"\n' > "$m/site.yml"
for i in $(seq 1 60); do
	printf -- '---\ntitle: "Brief %s"\ndate: 2020-%02d-%02d\ntopics: [Topic %s]\npeople: [Person %s]\n---\n\nBrief %s, on talks.\n' \
		"$i" $((i % 12 + 1)) $((i % 27 + 1)) $((i % 7)) $((i % 11)) "$i" > "$m/content/articles/2020/brief-$i.md"
done
opened() { # the views a build after one more edit opened
	printf '\nMore.\n' >> "$m/content/articles/2020/brief-7.md"
	BRIEFING_CACHE_DEBUG=1 "$BRIEFING" build -q -s "$m" -o "$TMP/many-out" --cache-dir "$TMP/many-cache" 2>&1 |
		sed -n 's/^cache: .*; \([0-9]*\) view maps opened$/\1/p'
}
"$BRIEFING" build -q -s "$m" -o "$TMP/many-out" --cache-dir "$TMP/many-cache"
first=$(opened)
second=$(opened)
check "the first warm build opens about the views the next one does ($first, $second)" \
	test "${first:-999}" -le $(( ${second:-0} * 6 / 5 ))
same_as_clean "and its output is a clean build's" "$m" "$TMP/many-out"

file=$(ls "$c"/*.cache)
head -c 1000 "$file" > "$TMP/cut" && cp "$TMP/cut" "$file"
build "$s" "$TMP/o"
check "a truncated cache is ignored" said "truncated or corrupt"
same_as_clean "and the output is right" "$s" "$TMP/o"

printf 'not a cache at all' > "$file"
build "$s" "$TMP/o"
check "a file that is no cache is ignored" said "truncated or corrupt"
build "$s" "$TMP/o" # a good one again
version=$("$BRIEFING" --version | head -n 1 | cut -d' ' -f2)
other=$(printf '%s' "$version" | tr '0-9' '1-90')
python3 tests/cli/cache_patch.py "$file" "$version" "$other"
build "$s" "$TMP/o"
check "a cache from another version is ignored" said "another version"
same_as_clean "and the output is right" "$s" "$TMP/o"

mv "$s" "$TMP/moved"
build "$TMP/moved" "$TMP/o"
check "a moved site does not find the old folder's cache" said "none yet"
for f in "$c"/*.cache; do [ "$f" = "$file" ] || cp "$file" "$f"; done
build "$TMP/moved" "$TMP/o"
check "a cache written for another folder is ignored" said "another folder"
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"

build "$TMP/moved" "$TMP/o"
: > "$TMP/o/.briefing-journal"
build "$TMP/moved" "$TMP/o"
check "after an interrupted build the cache is not trusted" said "interrupted"
check "and the journal is gone" test ! -e "$TMP/o/.briefing-journal"
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"

build "$TMP/moved" "$TMP/o"
rm -rf "$TMP/o/people"
build "$TMP/moved" "$TMP/o"
check "an output folder changed by hand makes the cache untrusted" said "not as the last build"
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"

# the walk over the output counts every listed file, at any depth, and
# only regular ones; a file added by hand is none of its business
build "$TMP/moved" "$TMP/o"
page=$(cd "$TMP/o" && find . -mindepth 3 -name index.html | head -1)
rm "$TMP/o/$page"
build "$TMP/moved" "$TMP/o"
check "one page removed from a subfolder makes the cache untrusted" said "not as the last build"
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"
mv "$TMP/o/$page" "$TMP/page.html" && ln -s "$TMP/page.html" "$TMP/o/$page"
build "$TMP/moved" "$TMP/o"
check "a page replaced by a symbolic link makes it untrusted" said "not as the last build"
build "$TMP/moved" "$TMP/o"
dir=$(dirname "$page")
cp -R "$TMP/o/$dir" "$TMP/elsewhere" && rm -rf "$TMP/o/$dir" && ln -s "$TMP/elsewhere" "$TMP/o/$dir"
build "$TMP/moved" "$TMP/o"
check "a folder replaced by a symbolic link to its copy makes it untrusted" said "not as the last build"
check "and the link is gone" test ! -L "$TMP/o/$dir"
check "and the folder it pointed to is untouched" test -f "$TMP/elsewhere/index.html"
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"
# the same at the top of the output, which the removal of the old tree
# opens itself (to share out the entries of its folders)
mv "$TMP/o/topics" "$TMP/elsewhere-topics" && ln -s "$TMP/elsewhere-topics" "$TMP/o/topics"
build "$TMP/moved" "$TMP/o"
check "a top folder replaced by a link: the link is gone" test ! -L "$TMP/o/topics"
check "and the folder it pointed to is untouched" \
	test "$(find "$TMP/elsewhere-topics" -type f | wc -l)" -gt 0
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"
echo extra > "$TMP/o/notes.txt"
mkdir -p "$TMP/o/extra/deeper" && echo extra > "$TMP/o/extra/deeper/index.html"
build "$TMP/moved" "$TMP/o"
check "files and folders added by hand leave it trusted" said "read from"
# a folder holding more than its index.html is listed, not just asked after
feed=$(cd "$TMP/o" && find . -mindepth 2 -name feed.xml | head -1)
check "the site has a feed beside a page" test -n "$feed" -a -f "$TMP/o/$(dirname "$feed")/index.html"
rm "$TMP/o/$feed"
build "$TMP/moved" "$TMP/o"
check "a feed removed beside its page makes it untrusted" said "not as the last build"
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"

printf '# a comment, and the file is changed\n' >> "$TMP/moved/site.yml"
build "$TMP/moved" "$TMP/o"
check "a changed site.yml makes a full build" said "settings, scripts"
same_as_clean "and the output is right" "$TMP/moved" "$TMP/o"

# Topic and person files are not parsed again: the cache keeps each
# one's parse (front matter with its positions, body HTML). A file whose
# parse said something is parsed each time, so the warm build says it
# again, and says everything as the clean build did.
m="$TMP/memo"
mkdir -p "$m" && cp -R "$ROOT/content" "$ROOT/site.yml" "$m/"
printf -- '---\nname: "Bob Corker"\nrole: "Senator\001"\n---\n\nAnother one.\n' \
	> "$m/content/people/robert-corker.md"
files=$(ls "$m/content/people" "$m/content/topics" | grep -c '\.md$')
memo_build() { # NAME: stderr to $TMP/NAME.err
	BRIEFING_CACHE_DEBUG=1 "$BRIEFING" build -s "$m" -o "$TMP/mo" --cache-dir "$TMP/mc" \
		> "$TMP/out" 2> "$TMP/$1.err"
	grep -v '^cache' "$TMP/$1.err" > "$TMP/$1.said"
}
memo_build cold
printf '\nOne more line.\n' >> "$m/content/articles/2017/talks-tried-before.md"
memo_build warm
check "a warm build parses only the entity file that had warnings" \
	grep -q "; $((files - 1)) of $files topic and person files not parsed" "$TMP/warm.err"
check "(the file has two)" test "$(grep -c robert-corker "$TMP/cold.said")" -eq 2
check "and it says what the clean build said" cmp -s "$TMP/cold.said" "$TMP/warm.said"
same_as_clean "its output is a clean build's" "$m" "$TMP/mo"
sleep 1.1
sed 's/^name: .*/name: "Robert Corker"/' "$m/content/people/robert-corker.md" > "$TMP/p" &&
	cat "$TMP/p" > "$m/content/people/robert-corker.md"
memo_build edited
check "a person file edited: a full build, and no warning of a shared name" \
	sh -c "! grep -q 'also has the file' '$TMP/edited.said'"
check "(one warning left)" test "$(grep -c robert-corker "$TMP/edited.said")" -eq 1
check "the new name is on the person's page" grep -rq "Robert Corker" "$TMP/mo/people"
same_as_clean "and the output is a clean build's" "$m" "$TMP/mo"

"$BRIEFING" build -s "$TMP/moved" -o "$TMP/o" --no-cache -v > "$TMP/out" 2>&1
check "--no-cache reads no cache" sh -c "! grep -q 'briefing: cache' '$TMP/out'"

# A template's edit renders the pages that look for it, not the pages of
# another template whose name shares its bit ("article" and "layout" did,
# when all template names were bits of one object: 47 of 128 pages).
t="$TMP/t"
rm -rf "$t" "$TMP/tc"
mkdir -p "$t/templates"
cp -R "$ROOT/content" "$ROOT/site.yml" "$t/"
cp "$ROOT/themes/default/article.mustache" "$t/templates/"
"$BRIEFING" build -s "$t" -o "$TMP/to" --cache-dir "$TMP/tc" -q
printf '\n<!-- edited -->\n' >> "$t/templates/article.mustache"
"$BRIEFING" build -s "$t" -o "$TMP/to" --cache-dir "$TMP/tc" -v > "$TMP/out" 2>&1
n=$(find "$TMP/to/articles" -name index.html | wc -l | tr -d ' ')
check "an edit of the article template renders the $n article pages, no more" \
	grep -q "finding the pages to render: $n of" "$TMP/out"
check "(and they show it)" test "$(grep -rl -- '<!-- edited -->' "$TMP/to" | wc -l)" -eq "$n"
same_as_clean "the output is a clean build's" "$t" "$TMP/to"
finish
