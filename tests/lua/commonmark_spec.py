"""Every example of the CommonMark spec through briefing's default filters.

gen SPEC SITE: a site with one article per example and an article template
that prints only the body. score SPEC SITE: compares each built body with
the spec's HTML. Two differences are briefing's rules, not mistakes, and
are applied to the spec's side: root-relative links are made relative to
the page (links.lua), and raw HTML never reaches a page (the reference for
an example with raw HTML is libcmark's own safe rendering, which omits it
the same way). Prints one line per differing example; exits 1 if any.
"""
import ctypes
import ctypes.util
import json
import os
import re
import sys


def gen(spec, site):
    os.makedirs(site + "/content/articles", exist_ok=True)
    os.makedirs(site + "/templates", exist_ok=True)
    with open(site + "/site.yml", "w") as f:
        f.write('title: "Spec"\nsmart: false\n')
    with open(site + "/templates/article.mustache", "w") as f:
        f.write("{{#article}}{{{content}}}{{/article}}")
    for e in spec:
        with open(site + "/content/articles/e%04d.md" % e["example"], "w") as f:
            f.write('---\ntitle: "E%d"\ndate: 2020-01-01\n---\n' % e["example"])
            f.write(e["markdown"])


def safe_renderer():
    lib = ctypes.CDLL(ctypes.util.find_library("cmark") or "libcmark.so")
    lib.cmark_markdown_to_html.restype = ctypes.c_void_p
    lib.cmark_markdown_to_html.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]

    def render(md):
        raw = md.encode()
        p = lib.cmark_markdown_to_html(raw, len(raw), 0)  # CMARK_OPT_DEFAULT: safe
        out = ctypes.string_at(p).decode()
        libc.free(p)
        return out
    return render


def score(spec, site):
    safe = safe_renderer()
    bad = 0
    for e in spec:
        path = site + "/public/articles/e%04d/index.html" % e["example"]
        with open(path) as f:
            got = f.read()
        want = e["html"]
        omitted = safe(e["markdown"])
        if "<!-- raw HTML omitted -->" in omitted:
            want = omitted
        want = re.sub(r'(href|src)="/(?!/)', r'\1="../../', want)
        if got.strip() != want.strip():
            bad += 1
            print("# example %d (%s): want %r, got %r" % (e["example"], e["section"], want, got))
    print("# %d of %d examples differ from the spec" % (bad, len(spec)))
    return 1 if bad else 0


if __name__ == "__main__":
    with open(sys.argv[2]) as f:
        examples = json.load(f)
    if sys.argv[1] == "gen":
        gen(examples, sys.argv[3])
        sys.exit(0)
    sys.exit(score(examples, sys.argv[3]))
