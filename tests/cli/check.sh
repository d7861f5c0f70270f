# CLI: briefing check, the editorial linter: suggestions for unknown
# names, people named but not listed, shared aliases, summaries, empty
# bodies, future dates, unsettled shared aliases in bodies, editions over
# their word budget (as the site's scripts group them); JSON output; exit 1
# only on errors.
. tests/lib.sh

new_site "$TMP/s"
s="$TMP/s"
mkdir -p "$s/content/people"
printf 'title: "T"\ncheck: {summary_words: 5}\n' > "$s/site.yml"
printf -- '---\nname: "Rex Tillerson"\naliases: ["Tillerson", "Rex"]\n---\nBio.\n' > "$s/content/people/rex-tillerson.md"
printf -- '---\nname: "Rex Smith"\naliases: ["Rex"]\n---\nBio.\n' > "$s/content/people/rex-smith.md"
cat > "$s/content/articles/first.md" <<'MD'
---
title: "First"
date: 2017-09-30
summary: "One two three four five six seven."
people: [Rex Tilerson]
---
Rex Smith spoke before Rex Tillerson did.
MD
printf -- '---\ntitle: "Later"\ndate: 2030-01-01\nsummary: "Short."\n---\n' > "$s/content/articles/later.md"
run_briefing check -s "$s"
expect_status "warnings only: exit 0" 0
o="$TMP/out"
f="$s/content/articles/first.md"
check "typo gets a suggestion with its position" grep -qF "$f:5:10: warning: people: \"Rex Tilerson\" has no file in content/people/; did you mean \"Rex Tillerson\" ($s/content/people/rex-tillerson.md)?" "$o"
check "person named but not listed, at its body line" grep -qF "$f:7:1: warning: Rex Smith is named in the body but not in people" "$o"
check "... and column" grep -qF "$f:7:24: warning: Rex Tillerson is named in the body but not in people" "$o"
check "summary over budget" grep -qF "$f:4:10: warning: summary: 7 words, over the budget of 5" "$o"
check "shared alias" grep -qF 'aliases: "Rex" is also' "$o"
check "empty body" grep -qF "later.md:1:1: warning: the body is empty" "$o"
check "future date" grep -qF "later.md:3:7: warning: date: in the future" "$o"
check "summary line" grep -qE '^briefing check: 0 errors, [0-9]+ warnings$' "$o"
run_briefing check -s "$s" --format json
check "JSON output parses" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert any(m['severity']=='warning' and 'did you mean' in m['message'] for m in d)" "$o"
check "JSON: file, line, column, severity, code and message apart" python3 - "$o" "$f" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = [x for x in d if x["code"] == "unknown-name"][0]
assert set(m) == {"file", "line", "column", "severity", "code", "message"}, m
assert (m["file"], m["line"], m["column"], m["severity"]) == (sys.argv[2], 5, 10, "warning"), m
assert m["message"].startswith('people: "Rex Tilerson" has no file'), m
assert all(isinstance(x["code"], str) and x["code"] for x in d)
PY
cat > "$s/content/articles/second.md" <<'MD'
---
title: "Second"
date: 2017-09-29
summary: "Short."
---
Rex said so, and Tillerson's aide agreed; Rex Smith did not.
MD
cat > "$s/content/articles/third.md" <<'MD'
---
title: "Third"
date: 2017-09-28
summary: "Short."
people: [Rex Smith]
---
Rex said so.
MD
printf 'title: "T"\ncheck: {summary_words: 5}\neditions: {period: weekly, words: 12}\n' > "$s/site.yml"
run_briefing check -s "$s"
g="$s/content/articles/second.md"
check "a person named by an alias but not listed" grep -qF "$g:6:18: warning: Rex Tillerson is named in the body but not in people" "$o"
check "an unsettled shared alias in a body, naming both files" grep -qF "$g:6:1: warning: \"Rex\" in the body could be Rex Smith ($s/content/people/rex-smith.md) or Rex Tillerson ($s/content/people/rex-tillerson.md); it is not linked until people lists one of them" "$o"
check "a listed owner settles it" sh -c "! grep -q 'third.md.*could be' '$o'"
check "reported once per person" test "$(grep -c 'second.md.*Rex Smith is named' "$o")" -eq 1
check "weekly edition over its word budget" grep -qF "site.yml:3:35: warning: edition 2017-09-25: 21 words, over the budget of 12 (editions: words)" "$o"
# The edition budget counts words as the page's word_count does (and
# editions.lua adds up): code spans are words, inline markup splits none.
w="$TMP/w"
new_site "$w"
printf 'title: "T"\neditions: {words: 3}\n' > "$w/site.yml"
printf -- '---\ntitle: "Code"\ndate: 2017-10-02\nsummary: "S."\n---\n`a` `b` `c` `d`\n' > "$w/content/articles/code.md"
printf -- '---\ntitle: "Bold"\ndate: 2017-10-03\nsummary: "S."\n---\n**Tr**ump **Tr**ump\n' > "$w/content/articles/bold.md"
"$BRIEFING" check -s "$w" > "$TMP/w.out" 2>&1
check "code spans count toward the edition budget" grep -qF "edition 2017-10-02: 4 words, over the budget of 3" "$TMP/w.out"
check "inline markup does not split a word" sh -c "! grep -qF 'edition 2017-10-03' '$TMP/w.out'"
# Editions are the scripts': check runs them and reads what they grouped.
# Issue 22: a custom edition started by content/editions/2017-12.md holds
# both briefs (10 words); the C copy of the grouping took only day-named
# front pages and saw two small daily editions.
c="$TMP/c"
mkdir -p "$c/content/articles" "$c/content/editions"
printf 'title: "T"\nbase_url: "https://example.org/"\neditions: {period: custom, words: 6}\n' > "$c/site.yml"
printf -- '---\ntitle: "A"\ndate: 2017-12-05\nsummary: "S."\n---\none two three four five\n' > "$c/content/articles/a.md"
printf -- '---\ntitle: "B"\ndate: 2017-12-20\nsummary: "S."\n---\nsix seven eight nine ten\n' > "$c/content/articles/b.md"
printf -- '---\ntitle: "December"\n---\n' > "$c/content/editions/2017-12.md"
printf -- '---\ntitle: "Odd"\n---\n' > "$c/content/editions/odd.md"
run_briefing check -s "$c"
expect_status "custom editions: warnings only" 0
check "a custom edition over its word budget" grep -qF "$c/site.yml:3:35: warning: edition 2017-12-01: 10 words, over the budget of 6 (editions: words)" "$TMP/out"
check "the scripts' own warnings are reported" grep -qF 'edition front page: expected a name like 2017-12-12.md (or 2017-12.md), found "odd"' "$TMP/out"
check "check writes nothing" test ! -e "$c/public"
"$BRIEFING" build -s "$c" -q > "$TMP/c.out" 2>&1
check "build does not report the budget" sh -c "! grep -q 'over the budget' '$TMP/c.out'"
# A site that replaces editions.lua is checked by its own grouping: one
# edition a year here, where the default would make two daily ones.
mkdir -p "$c/scripts"
cat > "$c/scripts/editions.lua" <<'LUA'
return {
  emit = function(article, emit) emit("editions", article.day:sub(1, 4)) end,
  group = {
    editions = function(key, records, site)
      local words = 0
      for _, r in ipairs(records) do words = words + r.article.word_count end
      return { words = words }
    end,
  },
}
LUA
rm "$c/content/editions/odd.md"
printf 'title: "T"\nbase_url: "https://example.org/"\neditions: {words: 9}\n' > "$c/site.yml"
run_briefing check -s "$c"
check "a site's own editions.lua groups the editions checked" grep -qF "$c/site.yml:3:19: warning: edition 2017: 10 words, over the budget of 9 (editions: words)" "$TMP/out"
check "... and only those" test "$(grep -c 'over the budget' "$TMP/out")" -eq 1
printf -- '---\ntitle: "Bad"\ndate: someday\n---\nx\n' > "$s/content/articles/bad.md"
run_briefing check -s "$s"
expect_status "an error: exit 1" 1
check "errors are the build's" grep -qF 'bad.md:3:7: error: date: expected YYYY-MM-DD' "$o"
finish
