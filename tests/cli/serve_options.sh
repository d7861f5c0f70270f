# CLI: serve's options and manners: --published/--no-drafts (preview what
# will publish), --base-url, --bind localhost and IPv6, --open, -q, no
# libmicrohttpd noise when a tab closes, one short line on Ctrl-C, editor
# temporary files never named, and the no-base_url feeds note once per
# session, at site.yml.
. tests/lib.sh

command -v python3 >/dev/null || { skip "serve options" "python3 needed"; finish; exit 0; }
export TMPDIR="$TMP"
s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$ROOT/site.yml" "$s/"
free_port() {
	python3 -c 'import socket; x = socket.socket(); x.bind(("127.0.0.1", 0)); print(x.getsockname()[1])'
}
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$TMP"' EXIT
# start NAME ARGS...: serve in the background, log in $TMP/NAME.log
start() {
	name=$1; shift
	port=$(free_port)
	"$BRIEFING" serve -s "$s" --port "$port" "$@" > "$TMP/$name.log" 2>&1 &
	pid=$!
	url="http://127.0.0.1:$port"
}
# fetch URL: status then body into $TMP/resp
fetch() {
	python3 - "$1" > "$TMP/resp" 2>/dev/null <<'PY'
import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=10); print(r.status); print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code); print(e.read().decode("utf-8", "replace"))
except Exception as e:
    print(0)
PY
}
status_is() { [ "$(head -1 "$TMP/resp")" = "$1" ]; }
# up URL: waits for the server to answer
up() { for i in $(seq 40); do fetch "$1" && ! status_is 0 && return 0; sleep 0.25; done; return 1; }
# stop: Ctrl-C, then waits for the exit; $stop_status is its status (137
# when it had to be killed after 20 seconds)
stop() {
	kill -INT $pid
	(sleep 20; kill -9 $pid 2>/dev/null) >/dev/null 2>&1 &
	guard=$!
	wait $pid
	stop_status=$?
	kill $guard 2>/dev/null
	pid=""
}
draft=/articles/2017/white-house-reaction/
# lines NAME TEXT: how many lines of the log hold TEXT
lines() { grep -cF -- "$2" "$TMP/$1.log"; }
# rebuilds NAME N: waits for the Nth "rebuilt" or "nothing to rebuild" line
rebuilds() {
	for i in $(seq 40); do
		[ "$(grep -cE 'briefing serve: (rebuilt|nothing to rebuild|build failed)' "$TMP/$1.log")" -ge "$2" ] && return 0
		sleep 0.25
	done
	return 1
}

# default: drafts shown; --published: exactly what a build publishes
start default
up "$url/"; fetch "$url$draft"
check "by default serve shows drafts" status_is 200
check "the first line says drafts are shown" grep -q "^briefing serve: $url/ (drafts and future" "$TMP/default.log"
# an open live-reload stream must not hold Ctrl-C up
python3 - "$port" <<'PY' &
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
c.sendall(b"GET /__briefing/events HTTP/1.1\r\nHost: x\r\n\r\n")
try:
    while c.recv(100): pass
except Exception:
    pass
PY
stream=$!
sleep 0.5
stop
kill $stream 2>/dev/null
check "Ctrl-C stops serve, with a live-reload client open" test "$stop_status" -eq 0
check "Ctrl-C prints one short line" test "$(tail -1 "$TMP/default.log")" = "briefing serve: stopped"
check "and only one" test "$(lines default 'stopped')" -eq 1

start published --published
up "$url/"; fetch "$url$draft"
check "--published leaves drafts out" status_is 404
check "--published says so" grep -q 'what a build publishes' "$TMP/published.log"
stop
start nodrafts --no-drafts
up "$url/"; fetch "$url$draft"
check "--no-drafts leaves drafts out" status_is 404
stop

# --base-url: feeds and the 404 page point at the preview, not production
start base --base-url "http://preview.test:1313/"
up "$url/"; fetch "$url/feed.xml"
check "--base-url: feeds point at the preview" grep -q 'http://preview.test:1313/' "$TMP/resp"
check "--base-url: not at production" sh -c "! grep -q 'https://example.org/korea-desk/' '$TMP/resp'"
fetch "$url/no/such/page/"
check "--base-url: the 404 page links to the preview" grep -q 'href="http://preview.test:1313/' "$TMP/resp"
stop
run_briefing serve -s "$s" --base-url ftp://x/
expect_status "--base-url must be http(s)" 2

# --bind: host names and IPv6
start localhost --bind localhost
up "http://localhost:$port/"
check "--bind localhost serves" status_is 200
stop
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	for addr in ::1 "[::1]"; do
		start "v6" --bind "$addr"
		up "http://[::1]:$port/"
		check "--bind $addr serves on IPv6" status_is 200
		check "--bind $addr: the address is printed with brackets" grep -qF "http://[::1]:$port/" "$TMP/v6.log"
		stop
	done
else
	skip "--bind ::1 serves on IPv6" "no IPv6 loopback here"
fi
run_briefing serve -s "$s" --bind "not an address"
expect_status "a bad --bind is a usage error" 2
expect_stderr "and says what it wants" 'expected an IPv4 or IPv6 address'

# --open: the browser gets the address
printf '#!/bin/sh\necho "$1" > "%s"\n' "$TMP/opened" > "$TMP/browser"
chmod +x "$TMP/browser"
BROWSER="$TMP/browser" start open --open
up "$url/"
for i in $(seq 20); do [ -s "$TMP/opened" ] && break; sleep 0.25; done
check "--open starts \$BROWSER on the address" grep -qx "$url/" "$TMP/opened"
stop

# a closed tab (a live-reload stream dropped) is no news; -q: only problems
start quiet -q
up "$url/"
for i in 1 2 3; do
	python3 - "$port" <<'PY'
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.sendall(b"GET /__briefing/events HTTP/1.1\r\nHost: x\r\n\r\n")
c.recv(100)
c.close()
PY
done
a="$s/content/articles/2017/talks-tried-before.md"
d=$(dirname "$a")
# editor leftovers, then saves that rebuild (3 writes: the streams get
# a reload each and find their tabs gone)
: > "$d/.#talks-tried-before.md"; : > "$d/talks-tried-before.md~"; : > "$d/.talks-tried-before.md.swp"
: > "$d/4913"; rm "$d/4913"
for i in 1 2 3; do
	printf '\nQuiet line %d.\n' $i >> "$a"
	sleep 0.7
done
printf -- '---\ntitle: "Broken\n' > "$d/zz.md"
for i in $(seq 40); do grep -q 'zz.md:1:1: error' "$TMP/quiet.log" && break; sleep 0.25; done
rm "$d/zz.md"
sleep 0.7
stop
check "no libmicrohttpd noise when a tab closes" sh -c "! grep -qi 'failed to send\|libmicrohttpd' '$TMP/quiet.log'"
check "-q: no line per rebuild" sh -c "! grep -q 'rebuilt\|watching' '$TMP/quiet.log'"
check "-q: errors still shown" grep -q 'zz.md:1:1: error' "$TMP/quiet.log"
check "-q: the address still shown" grep -q "^briefing serve: $url/" "$TMP/quiet.log"
rm -f "$d/.#talks-tried-before.md" "$d/talks-tried-before.md~" "$d/.talks-tried-before.md.swp"

# editor temporary files are never named in the change list
start editors
up "$url/"
n=0
for tmp in ".#talks-tried-before.md" "talks-tried-before.md~" ".talks-tried-before.md.swp" \
           "4913" ".goutputstream-X1Y2Z3"; do
	cp "$a" "$d/$tmp"
	printf '\nSaved through %s.\n' "$tmp" >> "$d/$tmp"
	mv "$d/$tmp" "$a"
	n=$((n + 1))
	rebuilds editors "$n"
done
stop
check "each save through a temporary file rebuilt" test "$(grep -c 'rebuilt' "$TMP/editors.log")" -ge 1
check "no temporary name in the change list" sh -c \
	"! grep -E 'after .*(\.#|~|\.swp|4913|goutputstream)' '$TMP/editors.log'"

# without base_url: the feeds note once a session, at site.yml
sed -i 's/^base_url:.*$/base_url: ""/' "$s/site.yml"
start nobase
up "$url/"
printf '\n# edited while serving\n' >> "$s/site.yml"; rebuilds nobase 1
printf '\n# and again\n' >> "$s/site.yml"; rebuilds nobase 2
stop
check "two full rebuilds ran" test "$(grep -c 'rebuilt' "$TMP/nobase.log")" -eq 2
check "the feeds note is given once a session" test "$(lines nobase 'feeds need base_url')" -eq 1
check "it points at site.yml" grep -q '^[^ ]*site.yml:[0-9]*:[0-9]*: note: feeds need base_url' "$TMP/nobase.log"
check "it does not name the tool's script" sh -c "! grep -q 'feeds.lua' '$TMP/nobase.log'"
finish
