# Lua: mentions.lua against a generated corpus with planted mentions and
# known links (tests/lua/mentions_corpus.py: possessives, sentence start
# and end, links, headings, code, "Trumpet", shared aliases listed and
# not), printing precision and recall; then its settings and typed
# entities on a small site.
. tests/lib.sh

if command -v python3 >/dev/null; then
	python3 tests/lua/mentions_corpus.py gen "$TMP/mc" --articles 600 --seed 11
	run_briefing build -s "$TMP/mc" -q
	expect_status "mentions corpus builds" 0
	python3 tests/lua/mentions_corpus.py score "$TMP/mc" > "$TMP/score"
	rc=$?
	cat "$TMP/score"
	check "person linking: precision >= 0.99 and recall >= 0.97" test "$rc" -eq 0
else
	skip "person linking: precision and recall" "no python3"
fi

s="$TMP/s"
new_site "$s"
mkdir -p "$s/content/people" "$s/content/orgs" "$s/content/countries"
printf -- '---\nname: "Kim Jong Un"\naliases: [Kim]\n---\n' > "$s/content/people/kim-jong-un.md"
printf -- '---\nname: "Kim Yo Jong"\naliases: [Kim]\n---\n' > "$s/content/people/kim-yo-jong.md"
printf -- '---\nname: "Donald Trump"\naliases: [Trump]\n---\n' > "$s/content/people/donald-trump.md"
printf -- '---\nname: "United Nations"\naliases: [UN]\n---\nThe world body.\n' > "$s/content/orgs/un.md"
printf -- '---\nname: "North Korea"\naliases: [DPRK, Pyongyang]\n---\n' > "$s/content/countries/north-korea.md"
cat > "$s/content/articles/first.md" <<'MD'
---
title: "First"
date: 2017-09-30
---

Kim met Trump. Trump's UN speech angered the DPRK; Trumpet players did not.
Later Trump spoke again about North Korea.
MD
cat > "$s/content/articles/second.md" <<'MD'
---
title: "Second"
date: 2017-09-29
people: [Kim Yo Jong]
---

Kim spoke; Kim Jong Un did not.
MD
run_briefing build -s "$s" -q
expect_status "site with people, orgs and countries builds" 0
a="$s/public/articles/first/index.html"
b="$s/public/articles/second/index.html"
check "first mention of Trump linked" grep -q '<a href="../../people/donald-trump/" title="Donald Trump">Trump</a> met\|met <a href="../../people/donald-trump/" title="Donald Trump">Trump</a>' "$a"
check "later mentions stay plain" test "$(grep -o 'people/donald-trump/' "$a" | wc -l)" -eq 2
check "an unlisted shared alias is not linked" sh -c "! grep -q 'people/kim-' '$a'"
check "the people list says which Kim" grep -q '<a href="../../people/kim-yo-jong/" title="Kim Yo Jong">Kim</a> spoke' "$b"
check "the other Kim by full name" grep -q 'title="Kim Jong Un">Kim Jong Un</a>' "$b"
check "an organisation alias linked" grep -q '<a href="../../orgs/un/" title="United Nations">UN</a> speech' "$a"
check "a country alias linked once" grep -q '<a href="../../countries/north-korea/" title="North Korea">DPRK</a>' "$a"
check "a country page lists the article" grep -q 'href="../../articles/first/"' "$s/public/countries/north-korea/index.html"
check "an organisation page shows its body" grep -q 'The world body.' "$s/public/orgs/un/index.html"
check "the organisations index" grep -q 'href="../orgs/un/"' "$s/public/orgs/index.html"
check "person added to the article's people" grep -q 'class="chip" href="../../people/donald-trump/"' "$a"

printf 'mentions: {link: all, add_people: false}\n' >> "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "link: all builds" 0
check "link: all links every mention" test "$(grep -o 'title="Donald Trump">Trump</a>' "$a" | wc -l)" -eq 3
check "add_people: false leaves the people list alone" sh -c "! grep -q 'class=\"chip\" href=\"../../people/donald-trump/\"' '$a'"
printf 'title: "T"\nmentions: {link: sometimes}\n' > "$s/site.yml"
run_briefing build -s "$s" -q
expect_status "a bad link setting fails the build" 1
expect_stderr "and says what it wants" 'expected first, all or none, found "sometimes"'
# indexes.lua and feeds.lua read the kinds on every Lua state: a bad kind
# is reported once a build, from their start steps
printf 'title: "T"\nbase_url: "https://example.org/"\nentities: {Bad: {}, orgs: {}}\nfilters: [feeds.lua, indexes.lua]\n' > "$s/site.yml"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do # work for both workers
	printf -- '---\ntitle: "Brief %s"\ndate: 2017-12-01\norgs: [UN]\n---\nText.\n' $i > "$s/content/articles/b$i.md"
done
run_briefing build -s "$s" -q -j 2
expect_status "a bad entities: kind fails the build" 1
check "and is reported once" test "$(grep -c '"Bad" cannot be a kind' "$TMP/err")" -eq 1
# names a hard-wrapped paragraph splits, and names joined by hyphens, are
# linked whole: never the first or last word alone
w="$TMP/w"
new_site "$w"
mkdir -p "$w/content/people"
printf -- '---\nname: "Kim Jong Un"\naliases: [Kim]\n---\n' > "$w/content/people/kim-jong-un.md"
printf -- '---\nname: "Donald Trump"\naliases: [Trump]\n---\n' > "$w/content/people/donald-trump.md"
printf -- '---\nname: "Moon Jae-in"\naliases: [Moon]\n---\n' > "$w/content/people/moon-jae-in.md"
printf -- '---\ntitle: "Wrap"\ndate: 2017-09-30\n---\n\nMoney that the government of Kim\nJong Un depends on, said\nDonald\nTrump.\n' \
	> "$w/content/articles/wrap.md"
printf -- '---\ntitle: "Hyphen"\ndate: 2017-09-30\n---\n\nThe Kim Jong Un-Trump summit and Moon Jae-in.\n' \
	> "$w/content/articles/hyphen.md"
run_briefing build -s "$w" -q
expect_status "wrapped and hyphenated names build" 0
o="$w/public/articles/wrap/index.html"
check "a name split by a line break is linked whole" grep -qF 'title="Kim Jong Un">Kim Jong Un</a> depends' "$o"
check "a two-word name split by a line break too" grep -qF 'title="Donald Trump">Donald Trump</a>.' "$o"
check "the text around a wrapped link stays" grep -qF 'the government of <a' "$o"
o="$w/public/articles/hyphen/index.html"
check "a name before a hyphen is linked whole" grep -qF 'title="Kim Jong Un">Kim Jong Un</a>-<a' "$o"
check "the name after the hyphen is linked" grep -qF -e '-<a href="../../people/donald-trump/" title="Donald Trump">Trump</a> summit' "$o"
check "a name with its own hyphen is linked whole" grep -qF 'title="Moon Jae-in">Moon Jae-in</a>.' "$o"
# site:person_names(), which mentions.lua builds its index from: every
# person's name, then its aliases, with the person's place in site.people
mkdir -p "$w/scripts"
cat > "$w/scripts/names.lua" <<'LUA'
return {
  Document = function()
    local names, people, aliased, slugs = briefing.site:person_names()
    local parts = {}
    for i = 1, #names do
      parts[i] = names[i] .. "=" .. briefing.site.people[people[i]].name .. (aliased[i] and "*" or "")
    end
    briefing.log.warn("names: " .. table.concat(parts, ", ") .. "; slugs: " .. table.concat(slugs, ", "))
  end,
}
LUA
BRIEFING_JOBS=1 run_briefing build -s "$w" -q --no-cache
expect_status "a filter reads site:person_names()" 0
check "site:person_names() gives each name, its person and whether it is an alias" grep -qF \
	'names: Donald Trump=Donald Trump, Trump=Donald Trump*, Kim Jong Un=Kim Jong Un, Kim=Kim Jong Un*, Moon Jae-in=Moon Jae-in, Moon=Moon Jae-in*; slugs: donald-trump, kim-jong-un, moon-jae-in' \
	"$TMP/err"
rm -r "$w/scripts"
# a warm build: the states are made before the cache's people (with one
# only an article names) replace the scan's; the index must follow the
# list the state has
printf -- '---\ntitle: "Named"\ndate: 2017-09-28\npeople: [Aaron Implicit]\n---\n\nA note.\n' \
	> "$w/content/articles/named.md"
run_briefing build -s "$w" -q --cache-dir "$TMP/w-cache"
printf -- '---\ntitle: "Named"\ndate: 2017-09-28\npublish_at: 2099-01-01\npeople: [Aaron Implicit]\n---\n\nA note.\n' \
	> "$w/content/articles/named.md"
printf '\nLater Trump left, and Aaron Implicit spoke.\n' >> "$w/content/articles/hyphen.md"
run_briefing build -s "$w" -q --cache-dir "$TMP/w-cache"
expect_status "a warm build with a person only an article names" 0
check "and its mentions are linked to the right people" grep -qF \
	'title="Donald Trump">Trump</a> summit' "$w/public/articles/hyphen/index.html"
if [ -f content/articles/2017/ambassadors-withdrawn.md ]; then
	run_briefing build -s . -o "$TMP/example" -q
	check "the example site links Kim Jong Un whole across its line break" grep -qF \
		'government of <a href="../../../people/kim-jong-un/" title="Kim Jong Un">Kim Jong Un</a> depends' \
		"$TMP/example/articles/2017/ambassadors-withdrawn/index.html"
fi
finish
