# CLI: a Lua state that lets go of its caches mid-stage (BRIEFING_TRIM_MB=0
# trims after every step; the default trims once a state grew by 64 MiB,
# which a test site never reaches) and after a stage of 512 steps or more
# builds the same site, byte for byte: a clean build, and a warm build
# after an edit against a clean build of the edited site. 600 generated
# briefs: more than 512 emit steps, so the stage-end trim runs too.
. tests/lib.sh

if gen_site "$TMP/g" 600 80 20; then
	export XDG_CACHE_HOME="$TMP/xdg"
	unset BRIEFING_TRIM_MB
	run_briefing build -s "$TMP/g" -o "$TMP/plain" -q --no-cache
	expect_status "a 600-brief site builds" 0
	export BRIEFING_TRIM_MB=0
	run_briefing build -s "$TMP/g" -o "$TMP/trimmed" -q
	expect_status "it builds trimming after every step" 0
	check "trimming after every step changes no byte" diff -r "$TMP/plain" "$TMP/trimmed"
	# an edit: a new paragraph naming a new word, and a changed title
	f=$(grep -L '^draft: true' -r "$TMP/g/content/articles" --include='*.md' | sort | sed -n 7p)
	sed -i 's/^title: .*/title: "Trimmed state, renamed"/' "$f"
	printf '\nA zanzibarian paragraph.\n' >> "$f"
	run_briefing build -s "$TMP/g" -o "$TMP/trimmed" -q
	expect_status "a warm build trimming after every step" 0
	unset BRIEFING_TRIM_MB
	run_briefing build -s "$TMP/g" -o "$TMP/plain" -q --no-cache
	check "its output is a clean build's, byte for byte" diff -r "$TMP/plain" "$TMP/trimmed"
	check "and it has the edit" grep -rq "Trimmed state, renamed" "$TMP/trimmed/articles"
else
	skip "trimmed states build the same site" "no gen-corpus in $SHARED"
fi
# site:records gives the same table for every step of a stage, trims or
# not: a trim that dropped the lists made related.lua rebuild its topic
# and person indexes after every trim (hooks 3x slower at 100k briefs)
m="$TMP/lists"
new_site "$m"
mkdir -p "$m/scripts"
printf 'title: "T"\nfilters: [same.lua]\n' > "$m/site.yml"
add_briefs "$m" 12
cat > "$m/scripts/same.lua" <<'LUA'
local seen, tables = setmetatable({}, { __mode = "k" }), 0
return {
  emit = function(a, emit) emit("shared", "all", a.title); emit("each", a.path) end,
  group = { each = function(_, _, site)
    local t = site:records("shared", "all")
    if not seen[t] then seen[t], tables = true, tables + 1 end
    if tables > 1 then error("site:records gave a new table within the stage") end
  end },
}
LUA
BRIEFING_TRIM_MB=0 run_briefing build -s "$m" -q -j 1 --no-cache
expect_status "site:records gives one table per stage while trimming after every step" 0
finish
