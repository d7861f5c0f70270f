# CLI: Lua filters: errors name the script, line, traceback and page; the
# sandbox refuses os.execute; endless loops stop; grouping lives in Lua.
. tests/lib.sh

new_site "$TMP/s"
mkdir -p "$TMP/s/scripts"
run_briefing build -s "$TMP/s" -q
expect_status "site builds before filters break" 0
cp "$TMP/s/public/index.html" "$TMP/before.html"

cat > "$TMP/s/scripts/broken.lua" <<'LUA'
return {
  Text = function(node)
    local person = nil
    return person.name
  end,
}
LUA
run_briefing build -s "$TMP/s"
expect_status "Lua error exits 1" 1
expect_stderr "Lua error names script and line" "$TMP/s/scripts/broken.lua:4: error: attempt to index a nil value (local 'person')"
expect_stderr "Lua error has a traceback" "stack traceback:"
expect_stderr "Lua error names the page" "while filtering $TMP/s/content/articles/first.md"
check "previous output untouched after a Lua error" cmp -s "$TMP/s/public/index.html" "$TMP/before.html"
# each state after the first loads the script as the bytecode the first
# one compiled (lb_load_chunk): its errors still name the file and line
for n in 2 3 4 5; do cp "$TMP/s/content/articles/first.md" "$TMP/s/content/articles/more-$n.md"; done
BRIEFING_JOBS=3 run_briefing build -s "$TMP/s"
check "every state's Lua error names script and line (3 states, 5 articles)" \
	test "$(grep -c "broken.lua:4: error: attempt to index a nil value (local 'person')" "$TMP/err")" -eq 5
check "with its traceback" test "$(grep -c "broken.lua:4: in function" "$TMP/err")" -eq 5
rm "$TMP"/s/content/articles/more-*.md

printf 'return { Document = function() os.execute("touch %s/pwned") end }\n' "$TMP" > "$TMP/s/scripts/broken.lua"
run_briefing build -s "$TMP/s"
expect_status "os.execute is refused" 1
expect_stderr "os.execute is nil in the sandbox" "attempt to call a nil value (field 'execute')"
check "os.execute did not run" test ! -e "$TMP/pwned"
check "previous output untouched after os.execute" cmp -s "$TMP/s/public/index.html" "$TMP/before.html"

printf 'return { Document = function() io.open("/etc/passwd") end }\n' > "$TMP/s/scripts/broken.lua"
run_briefing build -s "$TMP/s"
expect_stderr "io is not available" "attempt to index a nil value (global 'io')"

printf 'return { Document = function() while true do end end }\n' > "$TMP/s/scripts/broken.lua"
printf 'title: "T"\nlua: {instruction_limit: 1000000}\n' > "$TMP/s/site.yml"
run_briefing build -s "$TMP/s"
expect_status "endless loop stops" 1
expect_stderr "endless loop error" "instruction limit exceeded"
expect_stderr "endless loop names the page" "while filtering $TMP/s/content/articles/first.md"
check "previous output untouched after an endless loop" cmp -s "$TMP/s/public/index.html" "$TMP/before.html"
# a budget above 50 million is counted only once a call has run 0.1 s
# (lua_budget.c): the endless loop still ends, in about that much more time
# (timeout turns a watchdog that never fires into a failure, not a hang)
saved_wrap=${VALGRIND_WRAP:-}
VALGRIND_WRAP="timeout 600 $saved_wrap"
printf 'title: "T"\nlua: {instruction_limit: 60000000}\n' > "$TMP/s/site.yml"
run_briefing build -s "$TMP/s"
expect_status "endless loop stops under a large budget" 1
expect_stderr "large budget: endless loop error" "instruction limit exceeded (60000000 instructions"
expect_stderr "large budget: endless loop names the page" "while filtering $TMP/s/content/articles/first.md"
printf 'return { collections = function() while true do end end }\n' > "$TMP/s/scripts/broken.lua"
run_briefing build -s "$TMP/s"
expect_status "endless loop in a site hook stops under a large budget" 1
expect_stderr "large budget: endless hook names the hook" "while running collections() of $TMP/s/scripts/broken.lua"
VALGRIND_WRAP=$saved_wrap
printf 'title: "T"\nlua: {instruction_limit: 1e99}\n' > "$TMP/s/site.yml"
run_briefing build -s "$TMP/s"
expect_status "an instruction limit too large to count is refused" 1
expect_stderr "... at its place in site.yml" "site.yml:2:26: error: lua.instruction_limit: expected a number from 1000 to 10^15"
printf 'title: "T"\nlua: {instruction_limit: 1000000}\n' > "$TMP/s/site.yml"

printf 'return { collections = function(site) site:add_page{url = "../escape/", template = "page"} end }\n' > "$TMP/s/scripts/broken.lua"
run_briefing build -s "$TMP/s"
expect_status "page outside the output is refused" 1
expect_stderr "bad page url is named" 'add_page: invalid url "../escape/"'
check "nothing written outside" test ! -e "$TMP/escape"

printf 'return {\n  Text = function(n)\n    briefing.log.warn("saw text")\n  end,\n}\n' > "$TMP/s/scripts/broken.lua"
run_briefing build -s "$TMP/s" -q
expect_status "a warning does not fail the build" 0
expect_stderr "log.warn has file:line" "$TMP/s/scripts/broken.lua:3: warning: saw text"
rm "$TMP/s/scripts/broken.lua"

# a pathologically deep document stops the filter walk with an error
# at the article's line and column, instead of exhausting the C stack
python3 -c "print('---\ntitle: deep\ndate: 2017-01-01\n---\n' + '> ' * 5000 + 'x')" > "$TMP/s/content/articles/deep.md"
printf 'return { Text = function(n) end }\n' > "$TMP/s/scripts/broken.lua"
printf 'title: "T"\n' > "$TMP/s/site.yml"
run_briefing build -s "$TMP/s"
expect_status "deep document: filter error, exit 1" 1
expect_stderr "deep document explained" "nested more than 1000 levels deep"
expect_stderr "deep document: error at the article's file:line:col" "$TMP/s/content/articles/deep.md:5:2001: error:"
rm "$TMP/s/content/articles/deep.md" "$TMP/s/scripts/broken.lua"

# Grouping lives in Lua: with only a one-line filter of our own, the default
# editions and indexes are gone and our own grouping appears instead.
printf 'title: "T"\nfilters: [mine.lua]\n' > "$TMP/s/site.yml"
echo 'return { collections = function(s) s:add_page{url = "", template = "page", title = "Mine: " .. #s.articles .. " brief"} end }' > "$TMP/s/scripts/mine.lua"
run_briefing build -s "$TMP/s" -q
expect_status "site with one own filter builds" 0
check "own filter made the home page" grep -q "Mine: 1 brief" "$TMP/s/public/index.html"
check "no topic pages without indexes.lua" test ! -e "$TMP/s/public/topics"
check "no edition pages without editions.lua" test ! -e "$TMP/s/public/editions"
check "article page still written" test -f "$TMP/s/public/articles/first/index.html"
# a group step whose records pass the memory cap: an error naming the
# step, not an abort (its records are made inside the protected call)
m="$TMP/memcap"
new_site "$m"
mkdir -p "$m/scripts"
printf 'title: "T"\nfilters: [big.lua]\nlua: {memory_limit_mb: 8}\n' > "$m/site.yml"
add_briefs "$m" 28
cat > "$m/scripts/big.lua" <<'LUA'
return {
  emit = function(a, emit) emit("big", "all", { text = string.rep(a.title, 80000) }) end,
  group = { big = function(_, records) return #records end },
}
LUA
run_briefing build -s "$m" -q
expect_status "records past the memory cap fail the build, without an abort" 1
expect_stderr "and the error names the group step" 'while running group.big() of'
finish
