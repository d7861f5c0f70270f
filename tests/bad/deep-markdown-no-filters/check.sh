check "$case_name: the quotes page is built" grep -q 'deepest quote' "$OUT/articles/quotes/index.html"
check "$case_name: ... with every level" test "$(grep -o '<blockquote>' "$OUT/articles/quotes/index.html" | wc -l)" -eq 100000
check "$case_name: the lists page is built" grep -q 'deepest item' "$OUT/articles/lists/index.html"

# linear time: CPU seconds for inputs of size N and 4N; the bigger one must
# take less than 10 times as long (linear is 4 times, quadratic 16; times
# under 0.2 s count as 0.2 s). A ratio over 10 is measured once more and
# the shorter times kept, so that a busy machine does not fail the check.
cpu() { # site: user+sys seconds of one build
	/usr/bin/time -f '%U %S' -o "$T.time" "$BRIEFING" build -s "$1" -q -o "$1/out" 2>/dev/null >/dev/null
	awk '{ t = $1 + $2; if (t < 0.2) t = 0.2; print t }' "$T.time"
}
if [ -x /usr/bin/time ]; then
	for kind in nested-brackets nested-emphasis open-angles backticks links quotes lists; do
		for n in 200000 800000; do
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
		t2=$(cpu "$T/lin-800000")
		if ! awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b < 10 * a) }'; then
			t1=$(printf '%s\n%s\n' "$t1" "$(cpu "$T/lin-200000")" | sort -g | head -1)
			t2=$(printf '%s\n%s\n' "$t2" "$(cpu "$T/lin-800000")" | sort -g | head -1)
		fi
		check "$case_name: $kind: 4x input in under 10x time (${t1}s, ${t2}s)" \
			awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b < 10 * a) }'
	done
	rm -rf "$T"/lin-*
else
	skip "$case_name: linear time" "/usr/bin/time is not installed"
fi
