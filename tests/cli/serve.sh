# CLI: briefing serve: serves the site on loopback, injects the reload
# script, refuses traversal and other methods, rebuilds on change, shows a
# failed build in the browser and recovers, reloads open pages.
. tests/lib.sh

command -v python3 >/dev/null || { skip "serve" "python3 needed"; finish; exit 0; }
s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/site.yml" "$s/"
# serve's folder goes into $TMPDIR: here, so other tests' servers do not count
export TMPDIR="$TMP"
port=$(python3 -c 'import socket; x = socket.socket(); x.bind(("127.0.0.1", 0)); print(x.getsockname()[1])')
"$BRIEFING" serve -s "$s" --port "$port" > "$TMP/serve.out" 2>&1 &
pid=$!
for i in $(seq 20); do ls -d "$TMP"/briefing-serve-* >/dev/null 2>&1 && break; sleep 0.25; done
check "serve's folder is in TMPDIR" test -n "$(ls -d "$TMP"/briefing-serve-* 2>/dev/null)"
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
fetch "/articles%2f..%2f..%2f..%2fetc%2fpasswd"; check "encoded slashes with .. refused" status_is 404
fetch /articles/; check "a folder without index.html is not listed" status_is 404
served=$(ls -d "$TMP"/briefing-serve-*/site | head -1)
ln -s /etc "$served/outside"
ln -s /etc/hostname "$served/host.txt"
fetch /outside/hostname; check "a symlinked folder out of the output is refused" status_is 404
fetch /host.txt; check "a symlinked file out of the output is refused" status_is 404
rm -f "$served/outside" "$served/host.txt"
check "a 100 KB request header is refused, not served" python3 - "$port" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")
try:
    reply = s.recv(100)
except (ConnectionResetError, socket.timeout):
    reply = b""
sys.exit(0 if not reply.startswith(b"HTTP/1.1 200") else 1)
PY
check "200 live-reload clients at once, then the site still answers" python3 - "$port" <<'PY'
import socket, sys, urllib.request
port = int(sys.argv[1])
conns = []
for i in range(200):
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    c.sendall(b"GET /__briefing/events HTTP/1.1\r\nHost: x\r\n\r\n")
    conns.append(c)
for c in conns:
    assert c.recv(12).startswith(b"HTTP/1.1 200"), "events stream refused"
ok = urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=10).status == 200
for c in conns:
    c.close()
ok = ok and urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=10).status == 200
sys.exit(0 if ok else 1)
PY
fetch /articles/2017/white-house-reaction/; check "serve shows drafts" status_is 200

a="$s/content/articles/2017/talks-tried-before.md"
sed 's/^title: .*/title: "Edited while serving"/' "$a" > "$TMP/a" && cp "$TMP/a" "$a"
ok_edit=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; grep -q "Edited while serving" "$TMP/resp" && ok_edit=1 && break; done
check "an edit shows up in the served page" test "$ok_edit" -eq 1

# rebuilds: the number of rebuilds so far (one line each in serve's log)
rebuilds() { grep -c 'briefing serve: rebuilt' "$TMP/serve.out"; }
# settled N: waits for rebuild number N, then a little more for any extra one
settled() {
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ "$(rebuilds)" -ge "$1" ] && break
		sleep 0.25
	done
	sleep 0.6
}
check "the watcher uses inotify" grep -q 'watching for changes (inotify)' "$TMP/serve.out"

# an editor's save: write a temporary file, keep a backup, rename over the article
n=$(rebuilds)
d="$s/content/articles/2017"
sed 's/^title: .*/title: "Saved by rename"/' "$a" > "$d/.talks-tried-before.md.swp"
cp "$a" "$d/talks-tried-before.md~"
: > "$d/4913"; rm "$d/4913"
mv "$d/.talks-tried-before.md.swp" "$a"
settled $((n + 1))
check "a write-then-rename save is one rebuild" test "$(rebuilds)" -eq $((n + 1))
fetch /; check "the renamed save shows up" grep -q "Saved by rename" "$TMP/resp"
rm "$d/talks-tried-before.md~"; settled 0
check "backup files do not rebuild" test "$(rebuilds)" -eq $((n + 1))

n=$(rebuilds)
i=0
while [ $i -lt 20 ]; do printf '\nBurst line %d.\n' $i >> "$a"; i=$((i + 1)); done
settled $((n + 1))
check "a burst of 20 writes is one rebuild" test "$(rebuilds)" -eq $((n + 1))
fetch /articles/2017/talks-tried-before/; check "the burst's last write is in the page" grep -q "Burst line 19" "$TMP/resp"

n=$(rebuilds)
mkdir -p "$s/content/articles/2031/deep"
printf -- '---\ntitle: "From a new folder"\ndate: 2017-09-30\n---\n\nNew.\n' > "$s/content/articles/2031/deep/fresh.md"
settled $((n + 1))
fetch /articles/2031/deep/fresh/; check "an article in a new folder is built" grep -q "From a new folder" "$TMP/resp"
n=$(rebuilds)
printf -- '---\ntitle: "Second in the new folder"\ndate: 2017-09-30\n---\n\nNew.\n' > "$s/content/articles/2031/deep/second.md"
settled $((n + 1))
fetch /articles/2031/deep/second/; check "the new folder is watched" grep -q "Second in the new folder" "$TMP/resp"

printf -- '---\ntitle: "Broken\n' > "$s/content/articles/2017/zz.md"
ok_err=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; status_is 500 && ok_err=1 && break; done
check "a failed build is shown in the browser" test "$ok_err" -eq 1
check "the overlay names file and place" grep -q 'zz.md:1:1: error' "$TMP/resp"
rm "$s/content/articles/2017/zz.md"
ok_fix=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; status_is 200 && ok_fix=1 && break; done
check "fixing the file clears the overlay" test "$ok_fix" -eq 1

# warnings (issue 19): shown on the terminal and in a box beside the page,
# still there after a rebuild that did not parse the file again, gone
# once it is fixed
printf -- '---\ntitle: "Typo"\ndate: 2017-09-30\ntopics: [Dipolmacy]\n---\n\nText.\n' > "$s/content/articles/2017/typo.md"
ok_warn=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; grep -q 'briefing-warnings' "$TMP/resp" && ok_warn=1 && break; done
check "a warning is shown beside the page" test "$ok_warn" -eq 1
check "... with its place and a suggestion" grep -qF 'typo.md:4:10: warning: topics: &quot;Dipolmacy&quot; has no file in content/topics/; did you mean &quot;Diplomacy&quot;' "$TMP/resp"
check "... and on the terminal" grep -qF 'typo.md:4:10: warning: topics: "Dipolmacy"' "$TMP/serve.out"
check "a page with warnings is still served" status_is 200
n=$(rebuilds)
printf '\nAnother line.\n' >> "$a"
settled $((n + 1))
fetch /; check "the warning stays after a rebuild of another file" grep -q 'Dipolmacy' "$TMP/resp"
sed 's/Dipolmacy/Diplomacy/' "$s/content/articles/2017/typo.md" > "$TMP/typo" && cp "$TMP/typo" "$s/content/articles/2017/typo.md"
ok_clear=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; grep -q 'briefing-warnings' "$TMP/resp" || { ok_clear=1; break; }; done
check "fixing it removes the box" test "$ok_clear" -eq 1
rm "$s/content/articles/2017/typo.md"

# a script's warning is a step's message: it stays while the step does
# not run again, and goes when it runs without it (steps are not asked
# for their messages while none has any)
n=$(rebuilds)
mkdir -p "$s/scripts"
cat > "$s/scripts/flag.lua" <<'LUA'
return { emit = function(article, emit)
  if article.flag then briefing.log.warn("flagged: " .. tostring(article.flag)) end
end }
LUA
settled $((n + 1))
printf -- '---\ntitle: "Stray"\ndate: 2017-09-30\nflag: "stray brief"\n---\n\nText.\n' > "$s/content/articles/2017/stray.md"
ok_warn=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; grep -q 'flagged: stray brief' "$TMP/resp" && ok_warn=1 && break; done
check "a script's warning is shown beside the page" test "$ok_warn" -eq 1
n=$(rebuilds)
printf '\nOne more line.\n' >> "$a"
settled $((n + 1))
fetch /; check "it stays after a rebuild that runs other steps" grep -q 'flagged: stray brief' "$TMP/resp"
rm "$s/content/articles/2017/stray.md"
ok_clear=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; grep -q 'flagged: stray brief' "$TMP/resp" || { ok_clear=1; break; }; done
check "it goes with the brief" test "$ok_clear" -eq 1
n=$(rebuilds)
printf '\nA last line.\n' >> "$a"
settled $((n + 1))
fetch /; check "and does not come back" sh -c "! grep -q 'flagged: stray brief' '$TMP/resp'"
rm -rf "$s/scripts"

"$BRIEFING" serve -s "$s" --port "$port" > "$TMP/second" 2>&1
check "a taken port is a clear error" grep -q "cannot listen on 127.0.0.1:$port" "$TMP/second"

lr="$SHARED/tools/livereload-check"
if [ -x "$lr" ] && [ -d "${BRIEFING_CHECKERS_DIR:-$HOME/.cache/briefing-checkers}/node_modules/playwright-core" ]; then
	check "livereload-check: the open page reloads" "$lr" --require reload "$url/" "$a"
else
	skip "livereload-check: the open page reloads" "checkers not installed (../shared/tools/install-checkers)"
fi
kill $pid
wait $pid 2>/dev/null

# without inotify (BRIEFING_WATCH=poll) it polls, and still sees an edit
BRIEFING_WATCH=poll "$BRIEFING" serve -s "$s" --port "$port" > "$TMP/serve.out" 2>&1 &
pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do fetch / && status_is 200 && break; sleep 0.5; done
check "the polling fallback is used when asked" grep -q 'watching for changes (polling)' "$TMP/serve.out"
sed 's/^title: .*/title: "Seen by polling"/' "$a" > "$TMP/a" && cp "$TMP/a" "$a"
ok_poll=0
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; fetch /; grep -q "Seen by polling" "$TMP/resp" && ok_poll=1 && break; done
check "polling sees an edit" test "$ok_poll" -eq 1
kill $pid
wait $pid 2>/dev/null
check "temporary folders removed on exit" test -z "$(ls -d "$TMP"/briefing-serve-* 2>/dev/null)"
finish
