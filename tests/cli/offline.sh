# CLI: viewing from disk and the first publish. build --for-file (and
# relative_index: true in site.yml) links every page by its index.html, so
# that every internal href and src of the built site names a file; the
# email edition is not written without base_url, with one warning saying
# what to set; robots.txt under a subpath is written with a warning that
# crawlers read it only at the host root; setup and the README promise
# only what is true.
. tests/lib.sh

command -v python3 >/dev/null || { skip "offline" "python3 needed"; finish; exit 0; }
# links_resolve DIR: every relative href and src of every HTML file in DIR
# names a file inside DIR (not a folder); prints the first few that do not
links_resolve() {
	python3 - "$1" <<'PY'
import html, os, re, sys
root = os.path.realpath(sys.argv[1])
bad, seen = [], 0
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".html"):
            continue
        page = os.path.join(d, f)
        for m in re.finditer(r'(?:href|src)="([^"]*)"', open(page, encoding="utf-8").read()):
            u = html.unescape(m.group(1))
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", u) or u.startswith(("#", "/")):
                continue  # other sites, mail, fragments
            u = u.split("#")[0].split("?")[0]
            if not u:
                continue
            seen += 1
            target = os.path.realpath(os.path.join(d, u))
            if not target.startswith(root + os.sep) or not os.path.isfile(target):
                bad.append("%s: %s" % (os.path.relpath(page, root), m.group(1)))
for b in bad[:5]:
    print("#   " + b)
sys.exit(0 if seen > 100 and not bad else 1)
PY
}

run_briefing build --for-file -o "$TMP/file" -q
expect_status "build --for-file" 0
check "--for-file: every internal link names a file" links_resolve "$TMP/file"
check "--for-file: pages stay in folders" test -f "$TMP/file/topics/index.html"
check "--for-file: a link to a folder ends in index.html" grep -q 'href="topics/index.html"' "$TMP/file/index.html"
check "--for-file: canonical links keep their clean form" \
	grep -q 'rel="canonical" href="https://example.org/korea-desk/topics/"' "$TMP/file/topics/index.html"
run_briefing build -o "$TMP/clean" -q
if links_resolve "$TMP/clean" > /dev/null; then
	not_ok "without it, links name folders (clean URLs, for a server)"
else
	ok "without it, links name folders (clean URLs, for a server)"
fi

s="$TMP/s"
mkdir -p "$s"
cp -R "$ROOT/content" "$s/"
sed 's/^base_url:.*$/relative_index: true/' "$ROOT/site.yml" > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/ri"
expect_status "relative_index: true without base_url builds" 0
check "relative_index: every internal link names a file" links_resolve "$TMP/ri"

# the email edition without base_url: not written, one warning at site.yml
check "no email edition without base_url" sh -c "! find '$TMP/ri' -name 'email.*' | grep -q ."
check "no link to one either" sh -c "! grep -rq 'email.html' '$TMP/ri'"
check "one warning about it" test "$(grep -c 'email editions need base_url' "$TMP/err")" -eq 1
check "the warning is at site.yml" grep -q '^[^ ]*site.yml:[0-9]*:[0-9]*: warning: email editions need base_url' "$TMP/err"
check "it says what to set" grep -q 'set base_url: "https://' "$TMP/err"
check "with base_url the email edition is written" sh -c "find '$TMP/clean' -name 'email.html' | grep -q ."

# the example site, served under a subpath, says robots: false: none, no word
run_briefing build -o "$TMP/sub"
check "robots: false: no robots.txt" test ! -e "$TMP/sub/robots.txt"
check "robots: false: no warning about it" sh -c "! grep -q 'robots.txt' '$TMP/err'"
# robots.txt under a subpath: written, with a warning
r="$TMP/r"
mkdir -p "$r"
cp -R "$ROOT/content" "$ROOT/data" "$r/"
sed '/^robots:/d' "$ROOT/site.yml" > "$r/site.yml"
run_briefing build -s "$r" -o "$TMP/sub"
check "robots.txt under a subpath is written" test -f "$TMP/sub/robots.txt"
expect_stderr "with a warning that crawlers read it at the host root" \
	'crawlers read it only at the host root (https://example.org/robots.txt)'
check "the warning is at base_url in site.yml" grep -q "^[^ ]*site.yml:$(grep -n '^base_url' site.yml | cut -d: -f1):[0-9]*: warning: robots.txt" "$TMP/err"
run_briefing build -s "$r" -o "$TMP/root" --base-url https://example.org/
check "no warning at the host root" sh -c "! grep -q 'robots.txt' '$TMP/err'"
check "robots.txt at the host root" test -f "$TMP/root/robots.txt"

# setup and the README: opening public/index.html from disk needs --for-file
check "setup no longer claims every link is relative" sh -c "! grep -q 'every link is relative' '$ROOT/setup'"
check "setup names --for-file for opening from disk" grep -q -- '--for-file' "$ROOT/setup"
check "the README names --for-file" grep -q -- '--for-file' "$ROOT/README.md"
# base_url: "" said in so many words (the starter's): a note, not a warning
sed 's/^base_url:.*$/base_url: ""/' "$ROOT/site.yml" > "$s/site.yml"
run_briefing build -s "$s" -o "$TMP/empty-base"
expect_status "base_url: \"\" builds" 0
check "base_url: \"\": the email note is a note" \
	grep -q 'site.yml:[0-9]*:[0-9]*: note: email editions need base_url' "$TMP/err"
check "base_url: \"\": and not a warning" sh -c "! grep -q 'warning: email editions' '$TMP/err'"
finish
