#!/bin/sh
# Fills tests/fuzz/corpus-* (not committed) with seeds for the fuzz targets,
# from the example site, the golden fixture and ../shared/corpora/. Run from
# the repository root; existing corpus files are kept. Needs jq for the
# CommonMark and Mustache spec examples (skipped without it).
set -eu
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared/corpora}
F=tests/fuzz
mkdir -p $F/corpus-mustache $F/corpus-frontmatter $F/corpus-luanode $F/corpus-article

# Copies file $2 into corpus $1 under a name made from its path.
seed() {
	name=$(printf '%s' "$2" | tr -c 'A-Za-z0-9._-' '_' | tail -c 100)
	cp "$2" "$F/corpus-$1/$name"
}

# A Lua node seed: Markdown, a NUL, then one op program (see fuzz_luanode.c).
seed_lua() {
	name=$(printf '%s' "$2" | tr -c 'A-Za-z0-9._-' '_' | tail -c 100)
	{ cat "$2"; printf '\000'; printf "$3"; } > "$F/corpus-luanode/$name"
}

# Templates.
for t in $(find themes tests/golden/site -name '*.mustache' | sort); do
	seed mustache "$t"
done

# Article files: the example site, the golden fixture, every 15th White
# House article (about 200).
articles=$(find content tests/golden/site/content -name '*.md' | sort)
wh=""
if [ -d "$SHARED/whitehouse-2024/articles" ]; then
	wh=$(find "$SHARED/whitehouse-2024/articles" -name '*.md' | sort | awk 'NR % 15 == 1')
fi
ops='\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020'
ops2='\040\041\042\043\044\045\046\047\050\051\052\053\054\055\056\057'
for a in $articles $wh; do
	seed frontmatter "$a"
	seed article "$a"
done
n=0
for a in $articles $wh; do
	n=$((n + 1))
	[ $((n % 3)) -eq 0 ] || continue
	if [ $((n % 2)) -eq 0 ]; then seed_lua "$a" "$a" "$ops"; else seed_lua "$a" "$a" "$ops2"; fi
done

if command -v jq >/dev/null 2>&1; then
	# CommonMark spec examples: bodies for the Markdown-taking targets.
	spec="$SHARED/commonmark/0.30/spec.json"
	if [ -f "$spec" ]; then
		count=$(jq length "$spec")
		i=0
		while [ "$i" -lt "$count" ]; do
			jq -j ".[$i].markdown" "$spec" > "$F/corpus-frontmatter/cm-$i"
			{ printf -- '---\ntitle: Example %s\ndate: 2024-01-02\n---\n' "$i"; \
			  cat "$F/corpus-frontmatter/cm-$i"; } > "$F/corpus-article/cm-$i"
			{ cat "$F/corpus-frontmatter/cm-$i"; printf '\000'; \
			  printf "$(printf '\\%03o' $((i % 256)) $((i * 7 % 256)) $((i * 13 % 256)) \
			  $((i * 31 % 256)) $((i * 3 % 256)) $((i * 5 % 256)) $((i * 11 % 256)))"; \
			} > "$F/corpus-luanode/cm-$i"
			i=$((i + 1))
		done
	fi
	# Mustache spec templates, partials after 0x01 (fuzz_mustache.c).
	for s in "$SHARED"/mustache-spec/specs/*.json; do
		[ -f "$s" ] || continue
		base=$(basename "$s" .json | tr -d '~')
		jq -r '.tests | keys[]' "$s" | while read -r i; do
			jq -j ".tests[$i] | .template + ((.partials // {}) | to_entries \
			       | map(\"\u0001\" + .value) | join(\"\"))" "$s" \
				> "$F/corpus-mustache/spec-$base-$i"
		done
	done
fi
for c in mustache frontmatter luanode article; do
	echo "corpus-$c: $(ls $F/corpus-$c | wc -l) files"
done
