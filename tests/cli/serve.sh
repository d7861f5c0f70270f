# CLI: briefing serve: serves the site on loopback, injects the reload
# script, refuses traversal and other methods, rebuilds on change, shows a
# failed build in the browser and recovers, reloads open pages.
. tests/lib.sh

command -v python3 >/dev/null || { echo "# skipped: python3 needed"; finish; exit 0; }
s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/site.yml" "$s/"
before=$(ls -d /tmp/briefing-serve-* 2>/dev/null | wc -l)
port=$(python3 -c 'import socket; x = socket.socket(); x.bind(("127.0.0.1", 0)); print(x.getsockname()[1])')
"$BRIEFING" serve -s "$s" --port "$port" > "$TMP/serve.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
url="http://127.0.0.1:$port"
# fetch PATH [METHOD]: prints the status, then the body, into $TMP/resp
fetch() {
	python3 - "$url$1" "${2:-GET}" > "$TMP/resp" 2>/dev/null <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], method=sys.argv[2])
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a): return None
opener = urllib.request.build_opener(NoRedirect)
try:
    r = opener.open(req, timeout=10); print(r.status); print(r.read().decode("utf-8", "replace"))
except urllib.error.HTTPError as e:
    print(e.code); print(e.read().decode("utf-8", "replace"))
PY
}
status_is() { [ "$(head -1 "$TMP/resp")" = "$1" ]; }
for i in 1 2 3 4 5 6 7 8 9 10; do fetch / && status_is 200 && break; sleep 0.5; done
check "home page served" status_is 200
check "reload script injected" grep -q '__briefing/events' "$TMP/resp"
fetch /style.css; check "stylesheet served" status_is 200
fetch /no/such/page/; check "missing page is 404" status_is 404
check "404 uses the site's page" grep -q 'Page not found' "$TMP/resp"
fetch "/../../../etc/passwd"; check "traversal refused" status_is 404
fetch "/%2e%2e/%2e%2e/etc/passwd"; check "encoded traversal refused" status_is 404
fetch / POST; check "POST refused" status_is 405
fetch /topics; check "folder without slash redirects" status_is 301
fetch /articles/2017/white-house-reaction/; check "serve shows drafts" status_is 200

a="$s/content/articles/2017/talks-tried-before.md"
sed 's/^title: .*/title: "Edited while serving"/' "$a" > "$TMP/a" && cp "$TMP/a" "$a"
ok_edit=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; grep -q "Edited while serving" "$TMP/resp" && ok_edit=1 && break; done
check "an edit shows up in the served page" test "$ok_edit" -eq 1

printf -- '---\ntitle: "Broken\n' > "$s/content/articles/2017/zz.md"
ok_err=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; status_is 500 && ok_err=1 && break; done
check "a failed build is shown in the browser" test "$ok_err" -eq 1
check "the overlay names file and place" grep -q 'zz.md:1:1: error' "$TMP/resp"
rm "$s/content/articles/2017/zz.md"
ok_fix=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; status_is 200 && ok_fix=1 && break; done
check "fixing the file clears the overlay" test "$ok_fix" -eq 1

"$BRIEFING" serve -s "$s" --port "$port" > "$TMP/second" 2>&1
check "a taken port is a clear error" grep -q "cannot listen on 127.0.0.1:$port" "$TMP/second"

lr="$SHARED/tools/livereload-check"
if [ -x "$lr" ] && [ -d "${BRIEFING_CHECKERS_DIR:-$HOME/.cache/briefing-checkers}/node_modules/playwright-core" ]; then
	check "livereload-check: the open page reloads" "$lr" --require reload "$url/" "$a"
else
	echo "# skipped livereload-check: checkers not installed"
fi
kill $pid
wait $pid 2>/dev/null
check "temporary folder removed on exit" test "$(ls -d /tmp/briefing-serve-* 2>/dev/null | wc -l)" -eq "$before"
finish
