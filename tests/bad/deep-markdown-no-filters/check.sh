check "$case_name: the quotes page is built" grep -q 'deepest quote' "$OUT/articles/quotes/index.html"
check "$case_name: ... with every level" test "$(grep -o '<blockquote>' "$OUT/articles/quotes/index.html" | wc -l)" -eq 100000
check "$case_name: the lists page is built" grep -q 'deepest item' "$OUT/articles/lists/index.html"

# linear time: CPU seconds for inputs of size N and 2N; the bigger one must
# take less than 3 times as long (times under 0.2 s count as 0.2 s)
cpu() { # site: user+sys seconds of one build
	/usr/bin/time -f '%U %S' -o "$T.time" "$BRIEFING" build -s "$1" -q -o "$1/out" 2>/dev/null >/dev/null
	awk '{ t = $1 + $2; if (t < 0.2) t = 0.2; print t }' "$T.time"
}
if [ -x /usr/bin/time ]; then
	for kind in nested-brackets nested-emphasis open-angles backticks links quotes lists; do
		for n in 200000 400000; do
			mkdir -p "$T/lin-$n/content/articles"
			printf 'title: "L"\nfilters: []\n' > "$T/lin-$n/site.yml"
			python3 - "$kind" "$n" "$T/lin-$n/content/articles/x.md" <<'PY'
import sys
kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = {
    "nested-brackets": "[" * n + "a" + "]" * n,
    "nested-emphasis": "*a **a " * (n // 2) + "b" + " a** a*" * (n // 2),
    "open-angles": "<" * n,
    "backticks": "`a" * n,
    "links": "[a](b" * n,
    "quotes": "> " * n + "x",
    "lists": "- " * n + "x",
}[kind]
open(path, "w").write("---\ntitle: L\ndate: 2017-10-01\n---\n" + body + "\n")
PY
		done
		t1=$(cpu "$T/lin-200000")
		t2=$(cpu "$T/lin-400000")
		check "$case_name: $kind: 2x input in under 3x time (${t1}s, ${t2}s)" \
			awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b < 3 * a) }'
	done
	rm -rf "$T"/lin-*
else
	skip "$case_name: linear time" "/usr/bin/time is not installed"
fi
