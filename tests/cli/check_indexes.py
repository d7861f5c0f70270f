"""Checks that every published article appears exactly once on each of its
edition, topic and person pages (all pages of each paged list), and on no
other edition, topic or person page.
Usage: check_indexes.py SITE_DIR [daily|weekly|monthly] (built into
SITE_DIR/public; weekly editions start on Monday)."""
import datetime, os, re, sys

site = sys.argv[1]
period = sys.argv[2] if len(sys.argv) > 2 else "daily"
out = os.path.join(site, "public")

def front_matter(path):
    text = open(path, encoding="utf-8").read()
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    fm, key = {}, None
    for line in m.group(1).splitlines():
        if line.startswith("  - "):
            fm.setdefault(key, []).append(line[4:].strip().strip('"'))
        elif ":" in line:
            key, _, val = line.partition(":")
            val = val.strip().strip('"')
            fm[key] = [] if val in ("", "[]") else val
    return fm

def slug(name):
    s = re.sub(r"['.]", "", name.lower())
    return re.sub(r"[^a-z0-9\x80-\uffff]+", "-", s).strip("-")

expected = {}  # (kind, slug) -> set of article urls
arts = os.path.join(site, "content", "articles")
for root, _, files in os.walk(arts):
    for f in files:
        fm = front_matter(os.path.join(root, f))
        if fm.get("draft") == "true":
            continue
        rel = os.path.relpath(os.path.join(root, f[:-3]), arts)
        url = "articles/%s/" % rel
        day = datetime.date.fromisoformat(fm["date"][:10])  # the day as written
        if period == "weekly":
            key = (day - datetime.timedelta(days=day.weekday())).isoformat()
        elif period == "monthly":
            key = day.isoformat()[:7]
        else:
            key = day.isoformat()
        expected.setdefault(("editions", key), []).append(url)
        for kind in ("topics", "people"):
            for name in fm.get(kind, []):
                expected.setdefault((kind, slug(name)), []).append(url)

bad = 0
for (kind, s), urls in expected.items():
    # every page of the (paginated) list
    pages = [os.path.join(out, kind, s, "index.html")]
    paged = os.path.join(out, kind, s, "page")
    if os.path.isdir(paged):
        pages += [os.path.join(paged, n, "index.html") for n in os.listdir(paged)]
    links = []
    for page in pages:
        html = open(page, encoding="utf-8").read()
        if kind == "editions":  # the list, not the neighbours' links
            html = html.split('class="edition numbered"', 1)[1].split('aria-label="Other editions"', 1)[0]
        links += re.findall(r'href="(?:\.\./)+(articles/[^"]+)"', html)
    for u in set(urls):
        if links.count(u) != 1:
            print("# %s/%s: %s appears %d times" % (kind, s, u, links.count(u)))
            bad += 1
    extra = set(links) - set(urls)
    if extra:
        print("# %s/%s: unexpected %s" % (kind, s, sorted(extra)[:3]))
        bad += 1
# no edition, topic or person page without articles of its own
for kind in ("editions", "topics", "people"):
    for s in os.listdir(os.path.join(out, kind)):
        if os.path.isdir(os.path.join(out, kind, s)) and (kind, s) not in expected \
                and not (kind == "editions" and re.match(r"^\d{4}$|^page$", s)):
            if re.search(r'href="(?:\.\./)+articles/', open(os.path.join(out, kind, s, "index.html"), encoding="utf-8").read()):
                print("# %s/%s lists articles it should not" % (kind, s))
                bad += 1
print("# checked %d edition, topic and person lists" % len(expected))
sys.exit(1 if bad else 0)
