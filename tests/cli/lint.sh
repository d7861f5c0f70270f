# CLI: the lint pass (issue 19) that build, serve and check share:
# misspelled names and keys with "did you mean", empty titles,
# comma-separated name strings, two files for one name, content that
# makes no page; reported by build (also from a warm cache), by check as
# text and JSON; --strict fails on them; the example site and the starter
# pass check --strict. serve's box of warnings: tests/cli/serve.sh.
. tests/lib.sh

export XDG_CACHE_HOME="$TMP/cache"
s="$TMP/s"
new_site "$s"
mkdir -p "$s/content/topics" "$s/content/people" "$s/content/posts"
printf 'title: "T"\nbaseURL: "https://example.org/"\npublishDir: out\ntimeZone: UTC\n' > "$s/site.yml"
printf -- '---\ntitle: "Trade"\n---\nT.\n' > "$s/content/topics/trade.md"
printf -- '---\ntitle: "Diplomacy"\n---\nD.\n' > "$s/content/topics/diplomacy.md"
printf -- '---\nname: "Olaf Scholz"\n---\nB.\n' > "$s/content/people/olaf-scholz.md"
printf -- '---\nname: "Olaf Scholz"\n---\nB.\n' > "$s/content/people/scholz.md"
printf -- '---\ntitle: "About"\n---\nAbout us.\n' > "$s/content/about.md"
printf -- '---\ntitle: "Old"\n---\nOld.\n' > "$s/content/posts/old.md"
a="$s/content/articles/typos.md"
cat > "$a" <<'MD'
---
title: ""
date: 2017-10-02
sumary: "S."
why_it_maters: "W."
topics: [Trdae]
people: Olaf Scholz, Ursula von der Leyen
---
Text.
MD
run_briefing build -s "$s" -q
expect_status "warnings do not fail a build" 0
# said NAME TEXT: $where (stderr for build, stdout for check) holds TEXT
said() { check "$1" grep -qF -- "$2" "$where"; }
warnings() {
	said "site.yml: baseURL" "$s/site.yml:2:1: warning: site.yml key \"baseURL\" is not one briefing knows; did you mean \"base_url\"?"
	said "site.yml: publishDir" "$s/site.yml:3:1: warning: site.yml key \"publishDir\" is not one briefing knows; did you mean \"output\"?"
	said "site.yml: timeZone" "$s/site.yml:4:1: warning: site.yml key \"timeZone\" is not one briefing knows; did you mean \"timezone\"?"
	said "front matter: sumary" "$a:4:1: warning: front matter key \"sumary\" is not one briefing knows; did you mean \"summary\"?"
	said "front matter: why_it_maters" "$a:5:1: warning: front matter key \"why_it_maters\" is not one briefing knows; did you mean \"why_it_matters\"?"
	said "empty title" "$a:2:8: warning: title: empty"
	said "misspelled topic" "$a:6:10: warning: topics: \"Trdae\" has no file in content/topics/; did you mean \"Trade\" ($s/content/topics/trade.md)?"
	said "a comma-separated string for a list" "$a:7:9: warning: people: \"Olaf Scholz, Ursula von der Leyen\" is one name; for several, write a list: [Olaf Scholz, Ursula von der Leyen]"
	said "two person files, one name" "$s/content/people/scholz.md:1:1: warning: person \"Olaf Scholz\" also has the file $s/content/people/olaf-scholz.md"
	said "a file that makes no page" "$s/content/about.md:1:1: warning: this file makes no page"
	said "a folder that makes no page" "$s/content/posts: warning: this folder makes no page"
}
where="$TMP/err"
warnings
check "a topic too close to a declared one is not reported as a file" sh -c "! grep -q 'no file in content/topics/ (its page' '$TMP/err'"
check "build does not give check's editorial warnings" sh -c "! grep -qE 'named in the body|no file in content/topics/ \\(' '$TMP/err'"
run_briefing build -s "$s" -q
check "a warm build used the cache" sh -c "! grep -q . '$TMP/out'"
warnings
run_briefing build -s "$s" -q -v
check "... which was read" grep -q 'cache    read from' "$TMP/out"
check "... and parsed nothing" grep -qE 'parse .*0 parsed' "$TMP/out"
check "... yet reports the article's warnings" grep -qF "$a:6:10: warning: topics: \"Trdae\"" "$TMP/err"
run_briefing build -s "$s" -q --strict
expect_status "build --strict fails on warnings" 1
expect_stderr "... and says why" "briefing: --strict: 12 warnings; failing"
run_briefing check -s "$s"
expect_status "check: warnings only, exit 0" 0
where="$TMP/out"
warnings
run_briefing check -s "$s" --strict
expect_status "check --strict fails on warnings" 1
run_briefing check -s "$s" --format json
check "check --format json: codes for each kind" python3 - "$TMP/out" <<'PY'
import json, sys
codes = {m["code"] for m in json.load(open(sys.argv[1]))}
want = {"unknown-key", "empty-title", "unknown-name", "comma-list", "same-name", "no-page"}
assert want <= codes, want - codes
PY

# fixed, it is clean; a folder the site's own script reads is not stray
c="$TMP/c"
new_site "$c"
mkdir -p "$c/content/topics" "$c/content/glossary" "$c/scripts"
printf -- '---\ntitle: "Diplomacy"\n---\nD.\n' > "$c/content/topics/diplomacy.md"
printf -- '---\nterm: "ICBM"\n---\nA missile.\n' > "$c/content/glossary/icbm.md"
printf 'title: "T"\nfilters: [glossary.lua]\n' > "$c/site.yml"
printf 'return { start = function(_, emit) local t = briefing.content("glossary") end }\n' > "$c/scripts/glossary.lua"
run_briefing check -s "$c" --strict
expect_status "a clean site passes check --strict" 0
check "... with no warnings" grep -q '0 errors, 0 warnings' "$TMP/out"
run_briefing build -s "$c" -q --strict
expect_status "... and build --strict" 0

# check agrees with build: a brief whose first paragraph gives the summary
# is not "without a summary"; one with no paragraph is
printf -- '---\ntitle: "Only a list"\ndate: 2017-10-01\ntopics: [Diplomacy]\n---\n\n- one\n- two\n' > "$c/content/articles/list.md"
run_briefing check -s "$c"
check "no summary warning where the build derives one" sh -c "! grep -q 'first.md.*summary' '$TMP/out'"
check "... but one where it cannot" grep -qF "list.md:1:1: warning: no summary and no paragraph to take one from" "$TMP/out"

# the bundled example site and the starter pass their own check --strict
run_briefing check -s "$ROOT" --strict
expect_status "the example site passes check --strict" 0
check "... with 0 warnings" grep -q '0 errors, 0 warnings' "$TMP/out"
"$BRIEFING" new site "$TMP/starter" > /dev/null
run_briefing check -s "$TMP/starter" --strict
expect_status "the new site starter passes check --strict" 0
check "... with 0 warnings" grep -q '0 errors, 0 warnings' "$TMP/out"
# an alias two people share is normal on a large site (mentions.lua asks
# the article's people list): check says so, build does not
t="$TMP/t"
new_site "$t"
mkdir -p "$t/content/people"
printf -- '---\nname: "Kim Jong Un"\naliases: [Kim]\n---\nB.\n' > "$t/content/people/kim-jong-un.md"
printf -- '---\nname: "Kim Yo Jong"\naliases: [Kim]\n---\nB.\n' > "$t/content/people/kim-yo-jong.md"
run_briefing build -s "$t"
expect_status "a shared alias builds" 0
check "build says nothing of a shared alias" sh -c "! grep -q 'shared\\|is also' '$TMP/err'"
run_briefing check -s "$t"
check "check names the alias and the other file" grep -qF \
	"kim-yo-jong.md:3:11: warning: aliases: \"Kim\" is also Kim Jong Un's ($t/content/people/kim-jong-un.md)" "$TMP/out"
finish
