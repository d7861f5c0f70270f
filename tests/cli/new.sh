# CLI: briefing new: a starter site that builds, articles, people and
# topics with escaped front matter, and never an overwrite.
. tests/lib.sh

cd "$TMP" || exit 1
run_briefing new site starter
expect_status "new site" 0
check "starter site.yml" test -f starter/site.yml
run_briefing build -s starter -q
expect_status "starter site builds" 0
check "starter home page" test -f starter/public/index.html

run_briefing new article 'Kim & "Trump": a <first> meeting' -s starter --topic Diplomacy --person "Kim Jong Un"
expect_status "new article" 0
a="starter/content/articles/2023/kim-trump-a-first-meeting.md"
check "article file named by slug and year (SOURCE_DATE_EPOCH)" test -f "$a"
check "title quoted and escaped in YAML" grep -qF 'title: "Kim & \"Trump\": a <first> meeting"' "$a"
check "topics and people filled in" sh -c "grep -qF 'topics: [\"Diplomacy\"]' '$a' && grep -qF 'people: [\"Kim Jong Un\"]' '$a'"
check "new articles start as drafts" grep -qx 'draft: true' "$a"
run_briefing new person "Kim Jong Un" -s starter
expect_status "new person" 0
run_briefing new topic "Diplomacy" -s starter
expect_status "new topic" 0
check "new articles offer the structured fields" \
	sh -c "grep -qx 'thread: \"\"' '$a' && grep -qx 'sources: \[\]' '$a' && grep -qx 'what_next: \"\"' '$a' && grep -qx 'bottom_line: \"\"' '$a'"
run_briefing build -s starter --drafts -q
expect_status "site with the new files builds" 0
# (the starter has no base_url yet: the one warning says to set it)
check "empty fields of a new article give no warnings" sh -c "! grep -v 'need base_url' '$TMP/err' | grep -q 'warning'"
check "the new article's page" test -f starter/public/articles/2023/kim-trump-a-first-meeting/index.html
check "its title escaped in HTML" grep -qF 'Kim &amp; &quot;Trump&quot;: a &lt;first&gt; meeting' starter/public/articles/2023/kim-trump-a-first-meeting/index.html

echo "mine" > "$TMP/keep"
cp "$TMP/keep" starter/content/topics/diplomacy.md
run_briefing new topic "Diplomacy" -s starter
expect_status "existing file refused" 1
expect_stderr "refusal names the file" "starter/content/topics/diplomacy.md: error: already exists"
check "existing file untouched" cmp -s "$TMP/keep" starter/content/topics/diplomacy.md
run_briefing new site starter
expect_status "existing site folder refused" 1
run_briefing new chapter "X"
expect_status "unknown kind is a usage error" 2

# an existing empty folder is fine for a new site; one with files is not
mkdir empty-site
run_briefing new site empty-site
expect_status "new site in an existing empty folder" 0
check "the empty folder got site.yml" test -f empty-site/site.yml
mkdir full-site && echo keep > full-site/notes.txt
run_briefing new site full-site
expect_status "new site in a folder with files refused" 1
expect_stderr "says what it wants" "is not an empty folder"
check "nothing written into it" test ! -e full-site/site.yml
: > plain-file
run_briefing new site plain-file
expect_status "new site over a file refused" 1

# options after the operands, and in --name=value form
run_briefing new topic "Sanctions" --site=starter
expect_status "new with --site=DIR after the operands" 0
check "the topic is in that site" test -f starter/content/topics/sanctions.md
# a title the year already has ("Week ahead" every week) gets a dated slug
run_briefing new article "Week ahead" -s starter
expect_status "first Week ahead" 0
run_briefing new article "Week ahead" -s starter
expect_status "second Week ahead of the year is not refused" 0
check "second Week ahead gets the day in its slug" test -f starter/content/articles/2023/2023-11-14-week-ahead.md
run_briefing new article "Week ahead" -s starter
expect_status "third Week ahead the same day" 0
check "third Week ahead gets a number" test -f starter/content/articles/2023/2023-11-14-week-ahead-2.md
check "the first one untouched" grep -q 'title: "Week ahead"' starter/content/articles/2023/week-ahead.md
# slugs: Unicode lower case and typographic marks, the same in C and Lua
run_briefing new topic "$(printf '\303\211lys\303\251e \342\200\224 \302\253Paris\302\273 100%%')" -s starter
expect_status "new topic with accents and marks" 0
check "its file name is lower case without the marks" test -f "starter/content/topics/$(printf '\303\251lys\303\251e-paris-100').md"
mkdir -p starter/scripts
cat > starter/scripts/slug.lua <<'LUA'
return { collections = function(s)
  s:add_page{url = "slug/", template = "page", title = briefing.slugify("\195\137lys\195\169e \226\128\148 \194\171Paris\194\187 100% \208\156\208\190\209\129\208\186\208\178\208\176 Kim\226\128\153s")}
end }
LUA
rm -f starter/content/topics/diplomacy.md # the one a test above made "mine"
printf 'filters: [slug.lua]\n' >> starter/site.yml
run_briefing build -s starter
expect_status "a site slugifying in Lua builds" 0
check "briefing.slugify follows the same rule" grep -qF "$(printf '\303\251lys\303\251e-paris-100-\320\274\320\276\321\201\320\272\320\262\320\260-kims')" starter/public/slug/index.html
finish
