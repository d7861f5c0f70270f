"""Threads and sources on a generated corpus.

    check_threads.py add SITE_DIR    adds `thread` and `sources` to the articles
                                     (deterministically, from a hash of each
                                     path) and writes data/sources.yml
    check_threads.py check SITE_DIR  checks SITE_DIR/public: every published
                                     article appears exactly once on its thread
                                     page (oldest first) and on each of its
                                     source pages, and on no other."""
import datetime, hashlib, os, re, sys

site = sys.argv[2]
arts = os.path.join(site, "content", "articles")
POOL = ["Pool Source %d" % i for i in range(40)]

def articles():
    for root, _, files in os.walk(arts):
        for f in sorted(files):
            if f.endswith(".md"):
                yield os.path.join(root, f)

def h(path):
    return int(hashlib.md5(os.path.relpath(path, arts).encode()).hexdigest(), 16)

def slug(name):
    s = re.sub(r"['.]", "", name.lower())
    return re.sub(r"[^a-z0-9\x80-\uffff]+", "-", s).strip("-")

def add():
    names = set(POOL)
    for p in articles():
        text = open(p, encoding="utf-8").read()
        m = re.match(r"---\n(.*?\n)---\n", text, re.S)
        fm, k = m.group(1), h(p)
        src = re.search(r'^source: "(.*)"$', fm, re.M)
        if src:
            names.add(src.group(1))
        extra = ""
        if k % 5 < 3:  # three in five are in one of 300 threads
            extra += 'thread: "Story %d"\n' % (k // 7 % 300)
        if k % 3 == 1:  # two more sources, one the same as `source` in other case
            a, b = POOL[k // 11 % 40], (src.group(1).upper() if src else POOL[k // 13 % 40])
            extra += 'sources:\n  - name: "%s"\n    url: "https://example.org/%d"\n    used: "figures"\n  - "%s"\n' % (a, k % 1000, b)
        elif k % 3 == 2:
            extra += 'sources: ["%s"]\n' % POOL[k // 17 % 40]
        open(p, "w", encoding="utf-8").write("---\n" + fm + extra + "---\n" + text[m.end():])
    os.makedirs(os.path.join(site, "data"), exist_ok=True)
    with open(os.path.join(site, "data", "sources.yml"), "w", encoding="utf-8") as f:
        for n in sorted(names):
            f.write('- name: "%s"\n  kind: "Test"\n' % n)

def front_matter(path):
    fm, key = {}, None
    m = re.match(r"---\n(.*?)\n---\n", open(path, encoding="utf-8").read(), re.S)
    for line in m.group(1).splitlines():
        if line.startswith("  - name: "):
            fm.setdefault(key, []).append(line[10:].strip().strip('"'))
        elif line.startswith("  - "):
            fm.setdefault(key, []).append(line[4:].strip().strip('"'))
        elif line.startswith("    "):
            continue
        elif ":" in line:
            key, _, val = line.partition(":")
            val = val.strip()
            if val.startswith("["):
                fm[key] = [v.strip().strip('"') for v in val[1:-1].split(",") if v.strip()]
            else:
                fm[key] = [] if val == "" else val.strip('"')
    return fm

def when(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()

def pages_of(base):
    pages = [os.path.join(base, "index.html")]
    paged = os.path.join(base, "page")
    if os.path.isdir(paged):
        pages += [os.path.join(paged, n, "index.html") for n in sorted(os.listdir(paged), key=int)]
    return pages

def links(pages):
    out = []
    for page in pages:
        out += re.findall(r'href="(?:\.\./)+(articles/[^"]+)"', open(page, encoding="utf-8").read())
    return out

def check():
    out = os.path.join(site, "public")
    threads, sources = {}, {}
    for p in articles():
        fm = front_matter(p)
        if fm.get("draft") == "true":
            continue
        url = "articles/%s/" % os.path.relpath(p[:-3], arts)
        if not os.path.exists(os.path.join(out, url, "index.html")):
            continue  # not published (scheduled)
        if fm.get("thread"):
            threads.setdefault(slug(fm["thread"]), []).append((when(fm["date"]), p, url))
        names = ([fm["source"]] if fm.get("source") else []) + fm.get("sources", [])
        for s in set(slug(n) for n in names):
            sources.setdefault(s, []).append(url)
    bad = 0
    for s, items in threads.items():
        got = links(pages_of(os.path.join(out, "threads", s)))
        want = [u for _, _, u in sorted(items)]
        if got != want:
            print("# threads/%s: %d links, want %d in date order" % (s, len(got), len(want)))
            bad += 1
    for s, urls in sources.items():
        got = links(pages_of(os.path.join(out, "sources", s)))
        if sorted(got) != sorted(urls):
            dup = [u for u in set(got) if got.count(u) != 1]
            print("# sources/%s: %d links, want %d (repeated: %s)" % (s, len(got), len(urls), dup[:2]))
            bad += 1
    listed = set(os.listdir(os.path.join(out, "threads"))) - {"index.html"}
    if listed != set(threads):
        print("# thread pages %d, threads %d" % (len(listed), len(threads)))
        bad += 1
    print("# checked %d thread pages, %d source pages, %d thread links" %
          (len(threads), len(sources), sum(len(v) for v in threads.values())))
    return bad

if sys.argv[1] == "add":
    add()
else:
    sys.exit(1 if check() else 0)
