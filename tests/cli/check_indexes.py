"""Checks that every published article appears exactly once on each of its
topic and person pages, and on no other topic or person page.
Usage: check_indexes.py SITE_DIR (built into SITE_DIR/public)."""
import os, re, sys

site = sys.argv[1]
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
        links += re.findall(r'href="(?:\.\./)+(articles/[^"]+)"', html)
    for u in set(urls):
        if links.count(u) != 1:
            print("# %s/%s: %s appears %d times" % (kind, s, u, links.count(u)))
            bad += 1
    extra = set(links) - set(urls)
    if extra:
        print("# %s/%s: unexpected %s" % (kind, s, sorted(extra)[:3]))
        bad += 1
print("# checked %d index pages" % len(expected))
sys.exit(1 if bad else 0)
