#!/usr/bin/env python3
"""equiv.py: incremental output must equal clean output, byte for byte,
after each of many random edits to a copy of a site.

    equiv.py [--site DIR] [--edits N] [--seed S] [--mode serve|build]
             [--briefing PATH] [--skip KIND]... [--tmp DIR] [--keep] [-v]

serve mode starts `briefing serve` on the copy, and after every edit waits
for its rebuild, builds the same sources cleanly (`build --drafts
--future`, as serve builds) and compares the served folder with that build.
build mode compares a warm `briefing build` (its persistent cache, the same
output folder every time) with `build --no-cache`; it prints "# skipped"
while build has no --no-cache. Edits are drawn from the seed (default
below, or EQUIV_SEED) and from what the copy holds, so the same seed on the
same site makes the same edits; DIR itself is never written. A build that
fails (a few edits break the site on purpose) must fail on both sides; the
next edit then undoes the breaking one. The last line is "ok - ..." or
"not ok - ..."; before a "not ok", "#" lines give the seed, the edit and
the few before it, the differing files, a diff of the first and the
command that replays the run. The exit status is 0, or 1 on a difference. The copy and the outputs go
to /dev/shm for a small site (--tmp to choose), and are removed unless
--keep. Python 3 standard library only.

On a 10,000-article site (a soak test, not part of `make test`):

    python3 ../shared/bench/gen-corpus --articles 10000 --people 3000 \\
        --topics 150 --out /tmp/corpus
    mkdir -p /tmp/big/content && cp -R /tmp/corpus/articles /tmp/corpus/people \\
        /tmp/corpus/topics /tmp/big/content/
    printf 'title: "Big"\\nbase_url: "https://example.org/big/"\\n' > /tmp/big/site.yml
    python3 tests/equiv/equiv.py --site /tmp/big --edits 50 --briefing build/briefing

Each edit there costs a rebuild, a clean build of the whole site and a
compare of two whole output trees, so use fewer edits than the default 200
(and the work folder goes to TMPDIR, not /dev/shm).
"""

import argparse
import difflib
import glob
import hashlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DEFAULT_SEED = 20261205
SOURCES = ("content", "scripts", "templates", "themes", "static", "data", "site.yml")
REBUILD_RE = re.compile(r"^briefing serve: (rebuilt|build failed|nothing to rebuild)")
SANITIZER_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:")


# ---- a small YAML subset: the shapes front matter and site.yml use ----
#
# A YAML map is read as its top-level entries, each a key and its lines
# (the key's line and the indented lines below it). A key is changed by
# replacing all its lines with ones this file writes, so keys it cannot
# read (block scalars, deep nesting) are kept as they are unless replaced.

class Unknown(Exception):
    """A value outside the subset read here."""


OPAQUE = object()  # the value of a key this reader does not understand
KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$")
FLOW_KEY_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]+")
INT_RE = re.compile(r"^[-+]?[0-9]+$")
FLOAT_RE = re.compile(r"^[-+]?[0-9]*\.[0-9]+$")


def plain_value(text):
    if text in ("", "~", "null"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if INT_RE.match(text):
        return int(text)
    if FLOAT_RE.match(text):
        return float(text)
    if text[0] in "|>&*!%@`":
        raise Unknown(text)
    return text


def skip_ws(s, i):
    while i < len(s) and s[i] in " \t":
        i += 1
    return i


def parse_flow_at(s, i, inside):
    """The value at s[i:] (a flow list or map, a quoted or plain scalar) and
    the index after it; inside: within a flow collection."""
    c = s[i] if i < len(s) else ""
    if c in "[{":
        close, out = ("]", []) if c == "[" else ("}", {})
        i = skip_ws(s, i + 1)
        if s[i:i + 1] == close:
            return out, i + 1
        while True:
            if close == "]":
                v, i = parse_flow_at(s, i, True)
                out.append(v)
            else:
                m = FLOW_KEY_RE.match(s, i)
                if not m:
                    raise Unknown(s)
                v, i = parse_flow_at(s, m.end(), True)
                out[m.group(1)] = v
            i = skip_ws(s, i)
            if s[i:i + 1] == ",":
                i = skip_ws(s, i + 1)
            elif s[i:i + 1] == close:
                return out, i + 1
            else:
                raise Unknown(s)
    if c == '"':
        out, i = [], i + 1
        escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "/": "/"}
        while i < len(s) and s[i] != '"':
            if s[i] == "\\":
                if s[i + 1:i + 2] not in escapes:
                    raise Unknown(s)
                out.append(escapes[s[i + 1]])
                i += 2
            else:
                out.append(s[i])
                i += 1
        if i >= len(s):
            raise Unknown(s)
        return "".join(out), i + 1
    if c == "'":
        out, i = [], i + 1
        while True:
            j = s.find("'", i)
            if j < 0:
                raise Unknown(s)
            out.append(s[i:j])
            if s[j + 1:j + 2] == "'":
                out.append("'")
                i = j + 2
            else:
                return "".join(out), j + 1
    j = i
    while j < len(s) and not (inside and s[j] in ",]}") and \
            not (s[j] == "#" and j > 0 and s[j - 1] in " \t"):
        j += 1
    return plain_value(s[i:j].strip()), j


def parse_flow(s):
    s = s.strip()
    if not s:
        return None
    v, i = parse_flow_at(s, 0, False)
    i = skip_ws(s, i)
    if i < len(s) and s[i] != "#":
        raise Unknown(s)
    return v


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def parse_block(lines):
    """A block list (of scalars or of flat maps) or a flat block map."""
    lines = [l for l in lines if l.strip() and not l.lstrip().startswith("#")]
    if not lines:
        return None
    if "\t" in "".join(l[:indent_of(l) + 1] for l in lines):
        raise Unknown("tabs")
    ind = indent_of(lines[0])
    if lines[0].strip() == "-" or lines[0].strip().startswith("- "):
        items, cur = [], None
        for l in lines:
            t = l.strip()
            if indent_of(l) == ind and (t == "-" or t.startswith("- ")):
                rest = t[2:].strip()
                m = KEY_RE.match(rest) if rest[:1] not in "\"'[{" else None
                if m:
                    if m.group(2) is None:
                        raise Unknown(l)
                    cur = {m.group(1): parse_flow(m.group(2))}
                    items.append(cur)
                else:
                    items.append(parse_flow(rest))
                    cur = None
            elif indent_of(l) > ind and cur is not None:
                m = KEY_RE.match(t)
                if not m or m.group(2) is None:
                    raise Unknown(l)
                cur[m.group(1)] = parse_flow(m.group(2))
            else:
                raise Unknown(l)
        return items
    out = {}
    for l in lines:
        m = KEY_RE.match(l.strip())
        if indent_of(l) != ind or not m or m.group(2) is None:
            raise Unknown(l)
        out[m.group(1)] = parse_flow(m.group(2))
    return out


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Raw(str):
    """A scalar written as it is (dates: 2004-11-02)."""


def emit_flow(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, str):
        return quote(v)
    if isinstance(v, list):
        return "[" + ", ".join(emit_flow(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, emit_flow(x)) for k, x in v.items()) + "}"
    raise TypeError(v)


def emit_items(items, ind):
    """A block list at indent ind: scalars, or flat maps."""
    out = []
    for item in items:
        if isinstance(item, dict) and item:
            for n, (k, x) in enumerate(item.items()):
                lead = "- " if n == 0 else "  "
                out.append(" " * ind + lead + "%s: %s" % (k, emit_flow(x)))
        else:
            out.append(" " * ind + "- " + emit_flow(item))
    return out


def emit_entry(key, value, block):
    if block and isinstance(value, list) and value:
        return [key + ":"] + emit_items(value, 2)
    if block and isinstance(value, dict) and value:
        return [key + ":"] + ["  %s: %s" % (k, emit_flow(x)) for k, x in value.items()]
    return ["%s: %s" % (key, emit_flow(value))]


class YamlMap:
    """A YAML map read as its top-level entries; unchanged entries are
    written back byte for byte."""

    def __init__(self, lines):
        self.entries = []  # [key or None, lines]
        for n, line in enumerate(lines):
            m = KEY_RE.match(line)
            if m:
                self.entries.append([m.group(1), [line]])
            elif self.entries and self.entries[-1][0] and self.continues(lines, n):
                self.entries[-1][1].append(line)
            else:
                self.entries.append([None, [line]])

    @staticmethod
    def continues(lines, n):
        """Does line n belong to the entry above it: indented, a "- " item,
        or blank or a comment and followed by such a line?"""
        for line in lines[n:]:
            if not line.strip() or line.startswith("#"):
                continue
            return line[:1] in (" ", "\t", "-") and line.strip() not in ("---", "...")
        return False

    def lines(self):
        return [l for _, ls in self.entries for l in ls]

    def keys(self):
        return [k for k, _ in self.entries if k]

    def find(self, key):
        for e in self.entries:
            if e[0] == key:
                return e
        return None

    def get(self, key, default=None):
        e = self.find(key)
        if not e:
            return default
        m = KEY_RE.match(e[1][0])
        try:
            if m.group(2) is not None and m.group(2).strip() and not m.group(2).startswith("#"):
                if len(e[1]) > 1 and any(l.strip() and not l.lstrip().startswith("#") for l in e[1][1:]):
                    raise Unknown(key)  # a multi-line flow value
                return parse_flow(m.group(2))
            return parse_block(e[1][1:])
        except Unknown:
            return OPAQUE

    def set(self, key, value, block=False):
        lines = emit_entry(key, value, block)
        e = self.find(key)
        if e:
            e[1] = lines
            return
        at = len(self.entries)  # after the last key, before trailing blank lines
        while at > 0 and self.entries[at - 1][0] is None and not self.entries[at - 1][1][0].strip():
            at -= 1
        self.entries.insert(at, [key, lines])

    def delete(self, key):
        self.entries = [e for e in self.entries if e[0] != key]


class Page:
    """A Markdown file with YAML front matter: .meta (a YamlMap) and .body."""

    def __init__(self, text):
        lines = text.split("\n")
        self.ok = bool(lines) and lines[0].rstrip("\r") == "---"
        end = next((j for j in range(1, len(lines)) if lines[j].rstrip("\r") in ("---", "...")),
                   None) if self.ok else None
        if end is None:
            self.ok, self.meta, self.body = False, YamlMap([]), text
            return
        self.meta = YamlMap(lines[1:end])
        self.body = "\n".join(lines[end + 1:])

    def text(self):
        return "\n".join(["---"] + self.meta.lines() + ["---"]) + "\n" + self.body


def new_page(meta, body):
    """meta: [(key, value, block)]"""
    page = Page("---\n---\n")
    for key, value, block in meta:
        if value is not None:
            page.meta.set(key, value, block)
    page.body = body
    return page


def as_list(v):
    if isinstance(v, list):
        return [x for x in v if isinstance(x, (str, int, float)) and not isinstance(x, bool)]
    if isinstance(v, str) and v:
        return [v]
    return []


def as_str(v, default=""):
    return v if isinstance(v, str) else default


# ---- words: briefs in the style of the fixture ----

THINGS = ["inspection regime", "fuel waiver", "port ban", "grain convoy", "draft text",
          "patrol schedule", "transit fee", "customs accord", "pilotage rule", "ferry route",
          "insurance cap", "cargo registry"]
ACTS = ["agreed", "reviewed", "delayed", "signed", "put to a vote", "sent back", "narrowed",
        "widened"]
WHENS = ["by the end of the month", "before the spring", "at the next round", "after the summit",
         "by Friday", "within a week", "before the harbours freeze"]
VERBS = ["accept", "block", "extend", "revisit", "soften", "enforce", "delay"]
PLACES = ["both capitals", "the coastal states", "the smaller ports", "the shipping lobby",
          "the insurers", "the inspectors"]
OPENERS = ["Diplomats", "Officials", "Shipping agents", "Council staff", "Port authorities",
           "Analysts", "Two delegates"]
SUBJECTS = ["Council", "Envoy", "Kestria", "Valdoria", "Insurers", "Inspectors", "Ministers",
            "Ports"]
TITLE_VERBS = ["delays", "weighs", "signs", "rejects", "revives", "questions", "narrows"]
TOPIC_NAMES = ["Sanctions", "Trade", "Summits", "Maritime Security", "Energy", "Ports",
               "Customs", "Fisheries", "Transit Fees", "Insurance", "Ferries"]
PERSON_NAMES = ["Ines Kowal", "Tomas Reyes", "Petra Lind", "Omar Haddad", "Sofia Marin",
                "Karl Aberg", "Nadia Frost", "Yusuf Demir"]
ROLES = ["Harbour Master", "Deputy Envoy", "Customs Chief", "Fleet Commander", "Chief Negotiator",
         "Council Spokesperson", "Insurance Regulator"]
SOURCE_NAMES = ["Harbour Wire", "Council Bulletin", "Valdoria Foreign Ministry", "Straits Ledger",
                "Port Gazette", "Dockside Monitor"]
THREAD_NAMES = ["Straits talks", "Grain corridor", "Fuel waiver", "Inspection rules",
                "Harbour strike"]
ENTITY_NAMES = {"orgs": ["Northern Straits Council", "Grain Corridor Authority", "Pilots' Guild",
                         "Harbour Insurers Club"],
                "countries": ["Valdoria", "Kestria", "Ostmark", "Lower Calvan"]}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def spice(rng, s):
    """Now and then, characters that must be escaped somewhere."""
    r = rng.random()
    if r < 0.06:
        return s + " & more"
    if r < 0.10:
        return '"' + s + '"'
    if r < 0.13:
        return s + " <draft>"
    return s


def sentence(rng, who=None):
    who = who or rng.choice(OPENERS)
    form = rng.randrange(4)
    if form == 0:
        return "%s said the %s would be %s %s." % (who, rng.choice(THINGS), rng.choice(ACTS),
                                                 rng.choice(WHENS))
    if form == 1:
        return "%s told reporters that %s would %s the %s %s." % (
            who, rng.choice(PLACES), rng.choice(VERBS), rng.choice(THINGS), rng.choice(WHENS))
    if form == 2:
        return "According to %s, the %s was %s without a debate." % (who, rng.choice(THINGS),
                                                                   rng.choice(ACTS))
    return "%s asked whether %s would %s the %s." % (who, rng.choice(PLACES), rng.choice(VERBS),
                                                     rng.choice(THINGS))


def paragraph(rng, who=None):
    return " ".join(sentence(rng, who if i == 0 else None) for i in range(rng.randint(1, 3)))


def title(rng):
    return spice(rng, "%s %s the %s" % (rng.choice(SUBJECTS), rng.choice(TITLE_VERBS),
                                        rng.choice(THINGS)))


def body_block(rng):
    """A paragraph, or now and then a heading, a list or a paragraph with links."""
    r = rng.random()
    if r < 0.1:
        return "## " + rng.choice(["Reaction", "What was agreed", "Background", "Next steps"])
    if r < 0.2:
        return "\n".join("- " + sentence(rng) for _ in range(rng.randint(2, 3)))
    if r < 0.3:
        link = rng.choice(["/topics/trade/", "www.example.org/straits", "/people/",
                           "https://example.org/harbour-wire/x", "/Users/desk/notes.txt"])
        return "%s See [the record](%s)." % (sentence(rng), link)
    return paragraph(rng)


# ---- dates: years <= 2005 or >= 2090, so the clock never decides ----

DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def day_number(y, m, d):
    """Days since 0001-01-01 (proleptic Gregorian), as datetime.date.toordinal."""
    import datetime
    return datetime.date(y, m, d).toordinal()


def from_day_number(n):
    import datetime
    return datetime.date.fromordinal(n)


def far_year(year):
    return year <= 2005 or year >= 2090


def random_date(rng, near=None):
    """A date: near an existing one of the right years, or far past or future."""
    r = rng.random()
    if near and r < 0.75:
        m = DAY_RE.match(near)
        if m and far_year(int(m.group(1))):
            base = day_number(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            day = from_day_number(base + rng.randint(-25, 25))
            if far_year(day.year):
                return day
    if r < 0.85:
        return from_day_number(day_number(2004, 9, 1) + rng.randint(0, 170))
    if r < 0.93:
        return from_day_number(day_number(1998, 1, 1) + rng.randint(0, 5 * 365))
    return from_day_number(day_number(2090, 1, 1) + rng.randint(0, 5 * 365))


def date_value(rng, day):
    form = rng.randrange(10)
    s = day.isoformat()
    if form < 5:
        return Raw(s)
    if form < 6:
        return s  # quoted
    if form < 9:
        return Raw("%sT%02d:%02d:00%s" % (s, rng.randint(0, 23), rng.choice([0, 15, 30]),
                                          rng.choice(["+01:00", "-05:00", "+09:30", "+00:00"])))
    return Raw("%sT%02d:00:00Z" % (s, rng.randint(0, 23)))


def far_date(rng):
    if rng.random() < 0.5:
        return Raw(from_day_number(day_number(1999, 1, 1) + rng.randint(0, 6 * 365)).isoformat())
    return Raw(from_day_number(day_number(2090, 1, 1) + rng.randint(0, 8 * 365)).isoformat())


# ---- the site copy, and edits as file operations ----

def ignored(name):
    """Names serve does not watch (watch.c), nor the build reads."""
    return name.startswith(".") or name.endswith("~") or name.endswith((".swp", ".swx", ".swo")) \
        or (name.startswith("#") and name.endswith("#")) or name == "4913"


class Edit:
    """One edit: a description and file operations ("write", rel, bytes),
    ("append", rel, bytes), ("delete", rel), ("move", rel, new_rel)."""

    def __init__(self, kind, desc, ops, breaks=False):
        self.kind, self.desc, self.ops, self.breaks = kind, desc, ops, breaks
        self.undo = None  # set when applied


class Site:
    """The copy being edited: what it holds (paths are site-relative, with
    "/"), and how edits are applied to it."""

    def __init__(self, root, rng, theme_dir):
        self.root, self.rng, self.theme_dir = root, rng, theme_dir
        self.seen = {}  # rel -> (size, mtime seconds) of the last version written
        self.counter = 0  # for unique names
        self.parsed = {}  # rel -> (mtime_ns, size, text) of files read as pages

    def path(self, rel):
        return os.path.join(self.root, *rel.split("/"))

    def exists(self, rel):
        return os.path.exists(self.path(rel))

    def read(self, rel):
        try:
            with open(self.path(rel), "rb") as f:
                return f.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def text(self, rel):
        b = self.read(rel)
        return None if b is None else b.decode("utf-8", "replace")

    def files(self, under, exts=None, recursive=True):
        out = []
        top = self.path(under)
        for dirpath, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not ignored(d)) if recursive else []
            rel_dir = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
            for n in sorted(names):
                if not ignored(n) and (exts is None or n.endswith(exts)):
                    out.append(rel_dir + "/" + n)
        return sorted(out)

    def page(self, rel):
        st = os.stat(self.path(rel))
        hit = self.parsed.get(rel)
        if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
            return Page(hit[2])
        text = self.text(rel)
        self.parsed[rel] = (st.st_mtime_ns, st.st_size, text)
        return Page(text)

    def unique(self, stem):
        self.counter += 1
        return "%s-%d" % (stem, self.counter)

    def articles(self):
        return self.files("content/articles", ".md")

    def names(self, folder, keys=("name",)):
        """(name, aliases, rel) of the files of content/folder."""
        out = []
        for rel in self.files("content/" + folder, ".md", recursive=False):
            meta = self.page(rel).meta
            name = next((meta.get(k) for k in keys if isinstance(meta.get(k), str)), None)
            if name:
                out.append((name, [a for a in as_list(meta.get("aliases")) if isinstance(a, str)], rel))
        return out

    # -- applying operations --

    def stamp(self, rel, tmp, size):
        """Rewriting a file within the second of its last version, at the same
        size, could look unchanged to a cache of sizes and whole-second mtimes:
        then the new version gets the next second as its mtime."""
        old = self.seen.get(rel)
        try:
            st = os.stat(self.path(rel))
            old = (st.st_size, int(st.st_mtime))
        except FileNotFoundError:
            pass
        if old and old[0] == size and int(time.time()) <= old[1]:
            t = (old[1] + 1) * 10**9
            os.utime(tmp, ns=(t, t))

    def remember(self, rel):
        try:
            st = os.stat(self.path(rel))
            self.seen[rel] = (st.st_size, int(st.st_mtime))
        except FileNotFoundError:
            pass

    def apply(self, edit):
        """Applies edit's operations, all file contents staged first (under
        names serve ignores) so the visible changes come in one burst; sets
        edit.undo."""
        undo, staged = [], []
        for op in edit.ops:
            if op[0] in ("write", "append", "delete"):
                undo.append(("restore", op[1], self.read(op[1])))
            elif op[0] == "move":
                undo.append(("restore", op[1], self.read(op[1])))
                undo.append(("restore", op[2], self.read(op[2])))
        for n, op in enumerate(edit.ops):
            if op[0] == "write":
                full = self.path(op[1])
                os.makedirs(os.path.dirname(full), exist_ok=True)
                tmp = os.path.join(os.path.dirname(full), ".equiv-%d" % n)
                with open(tmp, "wb") as f:
                    f.write(op[2])
                self.stamp(op[1], tmp, len(op[2]))
                staged.append(tmp)
            elif op[0] == "move":
                os.makedirs(os.path.dirname(self.path(op[2])), exist_ok=True)
        for n, op in enumerate(edit.ops):
            if op[0] == "write":
                os.replace(staged.pop(0), self.path(op[1]))
            elif op[0] == "append":
                with open(self.path(op[1]), "ab") as f:
                    f.write(op[2])
            elif op[0] == "delete":
                if os.path.exists(self.path(op[1])):
                    self.remember(op[1])
                    os.remove(self.path(op[1]))
            elif op[0] == "move":
                os.replace(self.path(op[1]), self.path(op[2]))
        for op in edit.ops:
            for rel in op[1:3] if op[0] == "move" else op[1:2]:
                self.remember(rel)
        ops = []
        for _, rel, old in reversed(undo):
            ops.append(("write", rel, old) if old is not None else ("delete", rel))
        edit.undo = ops

    def rewrite(self, rel, page):
        return ("write", rel, page.text().encode("utf-8"))


# ---- edit kinds: each returns an Edit (or None when it cannot apply) ----

def pick_article(site):
    arts = site.articles()
    return site.rng.choice(arts) if arts else None


def article_edit(kind, fn):
    """An edit of one article's front matter or body: fn(site, rel, page)
    changes page and returns what it did, or None."""
    def make(site):
        rel = pick_article(site)
        if not rel:
            return None
        page = site.page(rel)
        if not page.ok:
            return None
        what = fn(site, rel, page)
        return what and Edit(kind, "%s: %s" % (rel, what), [site.rewrite(rel, page)])
    return make


def splice_block(site, body, block):
    """body with block appended as a paragraph of its own."""
    return body.rstrip("\n") + "\n\n" + block + "\n"


def e_body_append(site):
    rel = pick_article(site)
    if not rel:
        return None
    block = body_block(site.rng)
    sep = "\n" if site.text(rel).endswith("\n") else "\n\n"  # a blank line before the block
    data = (sep + block + "\n").encode("utf-8")
    return Edit("body-append", "%s: append %r" % (rel, block[:40]), [("append", rel, data)])


def plain_blocks(body):
    """Indexes of the blocks (split on blank lines) that are plain paragraphs."""
    if "```" in body or "~~~" in body:
        return [], []
    blocks = re.split(r"\n[ \t]*\n", body)
    ok = [i for i, b in enumerate(blocks)
          if b.strip() and b.strip()[0].isalnum() and not b.startswith((" ", "\t"))]
    return blocks, ok


def f_body_replace(site, rel, page):
    blocks, ok = plain_blocks(page.body)
    if not ok:
        page.body = splice_block(site, page.body, paragraph(site.rng))
        return "append a paragraph (none to replace)"
    i = site.rng.choice(ok)
    new = paragraph(site.rng)
    blocks[i] = new
    page.body = "\n\n".join(blocks)
    return "replace paragraph %d with %r" % (i + 1, new[:40])


def known_names(site):
    """Names and aliases mentions.lua links: people and typed entities."""
    out = []
    for folder in ("people", "orgs", "countries"):
        for name, aliases, _ in site.names(folder):
            out.append(name)
            out.extend(aliases)
    return out


def f_body_mention(site, rel, page):
    names = known_names(site)
    if not names:
        return None
    name = site.rng.choice(names)
    s = sentence(site.rng, name)
    blocks, ok = plain_blocks(page.body)
    if ok and site.rng.random() < 0.5:
        i = site.rng.choice(ok)
        blocks[i] = blocks[i].rstrip() + " " + s
        page.body = "\n\n".join(blocks)
        return "mention %s in paragraph %d" % (name, i + 1)
    page.body = splice_block(site, page.body, s)
    return "mention %s in a new paragraph" % name


def f_title(site, rel, page):
    t = title(site.rng)
    page.meta.set("title", t)
    return "title %r" % t


def f_date(site, rel, page):
    near = page.meta.get("date")
    d = date_value(site.rng, random_date(site.rng, near if isinstance(near, str) else None))
    page.meta.set("date", d)
    return "date %s" % d


def f_draft(site, rel, page):
    cur = page.meta.get("draft")
    r = site.rng.random()
    if cur is True:
        if r < 0.5:
            page.meta.delete("draft")
            return "draft removed"
        page.meta.set("draft", False)
        return "draft: false"
    page.meta.set("draft", True)
    return "draft: true"


def f_when(key):
    def fn(site, rel, page):
        if page.meta.find(key) and site.rng.random() < 0.4:
            page.meta.delete(key)
            return "%s removed" % key
        d = far_date(site.rng)
        page.meta.set(key, d)
        return "%s %s" % (key, d)
    return fn


def topic_pool(site):
    names = [n for n, _, _ in site.names("topics", ("title", "name"))]
    return sorted(set(names + TOPIC_NAMES))


def set_names(page, key, names, rng):
    if names:
        page.meta.set(key, names, block=rng.random() < 0.4)
    else:
        page.meta.delete(key) if rng.random() < 0.5 else page.meta.set(key, [])


def f_topics(site, rel, page):
    rng = site.rng
    cur = as_list(page.meta.get("topics"))
    pool = topic_pool(site)
    r = rng.random()
    if cur and r < 0.3:
        gone = rng.choice(cur)
        cur.remove(gone)
        what = "remove topic %s" % gone
    elif cur and r < 0.55:
        i = rng.randrange(len(cur))
        new = rng.choice(pool)
        if rng.random() < 0.2:
            new = new.lower()  # names match topics whatever their case
        what = "rename topic %s to %s" % (cur[i], new)
        cur[i] = new
    else:
        new = rng.choice(pool) if rng.random() < 0.8 else site.unique("Topic")
        cur.append(new)
        what = "add topic %s" % new
    set_names(page, "topics", cur, rng)
    return what


def f_people(site, rel, page):
    rng = site.rng
    cur = as_list(page.meta.get("people"))
    if cur and rng.random() < 0.4:
        gone = rng.choice(cur)
        cur.remove(gone)
        what = "remove person %s" % gone
    else:
        known = [n for n, _, _ in site.names("people")]
        new = rng.choice(known) if known and rng.random() < 0.75 else rng.choice(PERSON_NAMES)
        cur.append(new)
        what = "add person %s" % new
    set_names(page, "people", cur, rng)
    return what


def thread_pool(site):
    names = list(THREAD_NAMES)
    reg = site.text("data/threads.yml")
    if reg:
        try:
            names += [e["name"] for e in parse_block(reg.split("\n")) or []
                      if isinstance(e, dict) and isinstance(e.get("name"), str)]
        except Unknown:
            pass
    return sorted(set(names))


def f_thread(site, rel, page):
    rng = site.rng
    r = rng.random()
    if page.meta.find("thread") and r < 0.3:
        page.meta.delete("thread")
        return "thread removed"
    if r < 0.35:
        page.meta.set("thread", "")
        return 'thread ""'
    name = rng.choice(thread_pool(site))
    if rng.random() < 0.15:
        name = name.upper() + "!"  # the same slug
    page.meta.set("thread", name)
    return "thread %r" % name


def source_url(rng):
    return "https://example.org/%s/%d" % (rng.choice(["wire", "bulletin", "ledger"]),
                                          rng.randint(1, 999))


def f_sources(site, rel, page):
    rng = site.rng
    r = rng.random()
    if r < 0.2:
        page.meta.delete("source")
        page.meta.delete("source_url")
        page.meta.delete("sources")
        return "sources removed"
    if r < 0.5:
        name = rng.choice(SOURCE_NAMES)
        page.meta.set("source", name)
        if rng.random() < 0.6:
            page.meta.set("source_url", source_url(rng))
            return "source %s with a url" % name
        page.meta.delete("source_url")
        return "source %s" % name
    entries = []
    for _ in range(rng.randint(1, 3)):
        name = rng.choice(SOURCE_NAMES)
        if rng.random() < 0.4:
            entries.append(name)
        else:
            e = {"name": name}
            if rng.random() < 0.7:
                e["url"] = source_url(rng) if rng.random() < 0.9 else "ftp://example.org/x"
            if rng.random() < 0.6:
                e["used"] = spice(rng, rng.choice(["the quote", "figures", "the timeline",
                                                   "a map of the route"]))
            entries.append(e)
    page.meta.set("sources", entries, block=True)
    if rng.random() < 0.5:
        page.meta.delete("source")
    return "sources %s" % emit_flow(entries)


def f_summary(site, rel, page):
    rng = site.rng
    if page.meta.find("summary") and rng.random() < 0.4:
        page.meta.delete("summary")
        return "summary removed"
    s = spice(rng, sentence(rng))
    page.meta.set("summary", s)
    return "summary %r" % s


def f_structured(site, rel, page):
    rng = site.rng
    key = rng.choice(["why_it_matters", "key_points", "what_next", "bottom_line"])
    if page.meta.find(key) and rng.random() < 0.4:
        page.meta.delete(key)
        return "%s removed" % key
    if key == "key_points":
        v = [spice(rng, sentence(rng)) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.2:
            v = v[0]
        page.meta.set(key, v, block=rng.random() < 0.5)
    else:
        v = spice(rng, sentence(rng))
        page.meta.set(key, v)
    return "%s %s" % (key, emit_flow(v))


def f_slug(site, rel, page):
    if page.meta.find("slug") and site.rng.random() < 0.5:
        page.meta.delete("slug")
        return "slug removed"
    s = site.unique("brief")
    page.meta.set("slug", s)
    return "slug %s" % s


def f_entity_refs(site, rel, page):
    rng = site.rng
    key = rng.choice(["orgs", "countries"])
    cur = as_list(page.meta.get(key))
    if cur and rng.random() < 0.4:
        gone = rng.choice(cur)
        cur.remove(gone)
        what = "remove %s %s" % (key, gone)
    else:
        known = [n for n, _, _ in site.names(key)]
        new = rng.choice(known) if known and rng.random() < 0.7 else rng.choice(ENTITY_NAMES[key])
        cur.append(new)
        what = "add %s %s" % (key, new)
    set_names(page, key, cur, rng)
    return what


def new_article(site):
    rng = site.rng
    arts = site.articles()
    near = None
    if arts:
        d = site.page(rng.choice(arts)).meta.get("date")
        near = d if isinstance(d, str) else None
    day = random_date(rng, near)
    people = [n for n, _, _ in site.names("people")]
    meta = [("title", title(rng), False), ("date", date_value(rng, day), False)]
    if rng.random() < 0.5:
        meta.append(("summary", sentence(rng), False))
    meta.append(("topics", rng.sample(topic_pool(site), rng.randint(0, 2)), rng.random() < 0.3))
    if people:
        meta.append(("people", rng.sample(people, min(len(people), rng.randint(0, 2))), False))
    if rng.random() < 0.4:
        meta.append(("thread", rng.choice(thread_pool(site)), False))
    if rng.random() < 0.4:
        meta.append(("source", rng.choice(SOURCE_NAMES), False))
    if rng.random() < 0.2:
        meta.append(("why_it_matters", sentence(rng), False))
    if rng.random() < 0.1:
        meta.append(("draft", True, False))
    names = known_names(site)
    body = "\n\n".join([paragraph(rng, rng.choice(names) if names and rng.random() < 0.6 else None)]
                       + [body_block(rng) for _ in range(rng.randint(0, 2))]) + "\n"
    page = new_page([(k, v, b) for k, v, b in meta if v != []], body)
    rel = "content/articles/%d/%s.md" % (day.year, site.unique("brief"))
    return rel, page


def e_article_new(site):
    rel, page = new_article(site)
    return Edit("article-new", "new %s (%s)" % (rel, page.meta.get("title")),
                [site.rewrite(rel, page)])


def e_article_delete(site):
    arts = site.articles()
    if len(arts) < 4:
        return e_article_new(site)
    rel = site.rng.choice(arts)
    return Edit("article-delete", "delete %s" % rel, [("delete", rel)])


def e_article_move(site):
    rng = site.rng
    rel = pick_article(site)
    if not rel:
        return None
    folders = sorted(set(a.rsplit("/", 1)[0] for a in site.articles()))
    folder = rng.choice(folders + ["content/articles/moved", "content/articles"])
    stem = rel.rsplit("/", 1)[1][:-3] if rng.random() < 0.5 else site.unique("moved")
    new = "%s/%s.md" % (folder, stem)
    if new == rel or site.exists(new):
        new = "%s/%s.md" % (folder, site.unique("moved"))
    return Edit("article-move", "move %s to %s" % (rel, new), [("move", rel, new)])


# -- people, topics, organisations and countries --

def entity_file_edit(kind, folder, fields):
    """Edits a file of content/folder (changes one of its front matter
    fields or its body), or creates, deletes or renames one."""
    def make(site):
        rng = site.rng
        files = site.files("content/" + folder, ".md", recursive=False)
        r = rng.random()
        if not files or r < 0.1:
            return create_entity(site, kind, folder)
        rel = rng.choice(files)
        if r < 0.15 and len(files) > 1:
            return Edit(kind, "delete %s" % rel, [("delete", rel)])
        if r < 0.2:  # a new slug, so a new page address
            new = "content/%s/%s.md" % (folder, site.unique(rel.rsplit("/", 1)[1][:-3]))
            return Edit(kind, "move %s to %s" % (rel, new), [("move", rel, new)])
        page = site.page(rel)
        if not page.ok:
            return None
        field = rng.choice(fields)
        what = field(site, page)
        return Edit(kind, "%s: %s" % (rel, what), [site.rewrite(rel, page)])
    return make


def create_entity(site, kind, folder):
    rng = site.rng
    if folder == "topics":
        name = rng.choice(TOPIC_NAMES + [site.unique("Topic")])
        key = "title"
        meta = [("title", name, False), ("description", sentence(rng), False)]
    else:
        pool = PERSON_NAMES if folder == "people" else ENTITY_NAMES.get(folder, ["Entity"])
        name = rng.choice(pool + [site.unique("Name")])
        key = "name"
        meta = [("name", name, False)]
        if rng.random() < 0.5:
            meta.append(("aliases", [name.split()[-1]], False))
        if folder == "people":
            meta.append(("role", rng.choice(ROLES), False))
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    rel = "content/%s/%s.md" % (folder, slug)
    if site.exists(rel):
        rel = "content/%s/%s.md" % (folder, site.unique(slug))
    page = new_page(meta, paragraph(rng) + "\n" if rng.random() < 0.6 else "")
    return Edit(kind, "new %s (%s %r)" % (rel, key, name), [site.rewrite(rel, page)])


def field_text(key, make):
    def fn(site, page):
        if page.meta.find(key) and site.rng.random() < 0.3 and key not in ("name", "title"):
            page.meta.delete(key)
            return "%s removed" % key
        v = make(site, page)
        page.meta.set(key, v)
        return "%s %r" % (key, v)
    return fn


def field_aliases(site, page):
    rng = site.rng
    cur = as_list(page.meta.get("aliases"))
    r = rng.random()
    if cur and r < 0.3:
        gone = rng.choice(cur)
        cur.remove(gone)
        what = "remove alias %s" % gone
    elif r < 0.5:
        # an alias another file has: shared aliases are linked only when the
        # article says which one is meant
        others = [a for folder in ("people", "orgs", "countries") for _, al, _ in site.names(folder)
                  for a in al]
        new = rng.choice(others) if others else "Minister"
        cur.append(new)
        what = "add shared alias %s" % new
    else:
        name = as_str(page.meta.get("name")) or as_str(page.meta.get("title")) or "X"
        new = rng.choice(["Chief " + name.split()[-1], name.split()[0], name.upper(),
                          rng.choice(["Delegate", "Envoy", "Minister"]) + " " + name.split()[-1]])
        cur.append(new)
        what = "add alias %s" % new
    page.meta.set("aliases", cur, block=rng.random() < 0.3)
    return what


def field_body(site, page):
    page.body = paragraph(site.rng) + "\n" if site.rng.random() < 0.8 else ""
    return "body %r" % page.body[:40]


def renamed(site, page):
    name = as_str(page.meta.get("name")) or as_str(page.meta.get("title"))
    r = site.rng.random()
    if name and r < 0.4 and " " in name:
        first, rest = name.split(" ", 1)
        return first + " " + chr(ord("A") + site.rng.randrange(26)) + ". " + rest
    if name and r < 0.6:
        return name + " (" + site.unique("v") + ")"
    return site.rng.choice(PERSON_NAMES + TOPIC_NAMES)


PERSON_FIELDS = [field_text("role", lambda site, p: spice(site.rng, site.rng.choice(ROLES))),
                 field_aliases, field_aliases, field_text("name", renamed),
                 field_text("country", lambda site, p: site.rng.choice(ENTITY_NAMES["countries"])),
                 field_body]
TOPIC_FIELDS = [field_text("title", renamed),
                field_text("description", lambda site, p: spice(site.rng, sentence(site.rng))),
                field_text("description", lambda site, p: spice(site.rng, sentence(site.rng))),
                field_body]
ENTITY_FIELDS = [field_text("name", renamed), field_aliases,
                 field_text("description", lambda site, p: spice(site.rng, sentence(site.rng))),
                 field_body]


def e_entity(site):
    folder = site.rng.choice(["orgs", "countries"])
    return entity_file_edit("entity", folder, ENTITY_FIELDS)(site)


# -- standalone pages (content/pages) --

PAGE_NAMES = ["about", "corrections", "newsletter", "masthead", "contact"]


def page_field(site, page):
    rng = site.rng
    key = rng.choice(["title", "menu", "menu", "description", "draft", "body"])
    if key == "body":
        page.body = paragraph(rng) + "\n" if rng.random() < 0.8 else ""
        return "body %r" % page.body[:40]
    if key != "title" and page.meta.find(key) and rng.random() < 0.3:
        page.meta.delete(key)
        return "%s removed" % key
    v = {"title": lambda: spice(rng, title(rng)), "menu": lambda: rng.randint(1, 9) * 10,
         "description": lambda: spice(rng, sentence(rng)),
         "draft": lambda: rng.random() < 0.5}[key]()
    page.meta.set(key, v)
    return "%s %s" % (key, emit_flow(v))


def e_standalone(site):
    """Edits, creates, deletes or renames a page of content/pages."""
    rng = site.rng
    files = site.files("content/pages", ".md", recursive=False)
    r = rng.random()
    if not files or r < 0.15:
        stem = rng.choice(PAGE_NAMES)
        rel = "content/pages/%s.md" % stem
        if site.exists(rel):
            rel = "content/pages/%s.md" % site.unique(stem)
        meta = [("title", title(rng), False)]
        if rng.random() < 0.7:
            meta.append(("menu", rng.randint(1, 9) * 10, False))
        page = new_page(meta, paragraph(rng) + "\n")
        return Edit("standalone", "new %s" % rel, [site.rewrite(rel, page)])
    rel = rng.choice(files)
    if r < 0.25 and len(files) > 1:
        return Edit("standalone", "delete %s" % rel, [("delete", rel)])
    if r < 0.3:
        new = "content/pages/%s.md" % site.unique(rel.rsplit("/", 1)[1][:-3])
        return Edit("standalone", "move %s to %s" % (rel, new), [("move", rel, new)])
    page = site.page(rel)
    if not page.ok:
        return None
    what = page_field(site, page)
    return Edit("standalone", "%s: %s" % (rel, what), [site.rewrite(rel, page)])


# -- edition front pages --

def article_days_and_slugs(site, n=20):
    """Days and slugs of up to n articles."""
    arts = site.articles()
    days, slugs = [], []
    for rel in site.rng.sample(arts, min(n, len(arts))):
        meta = site.page(rel).meta
        d = meta.get("date")
        if isinstance(d, str) and DAY_RE.match(d):
            days.append(d[:10])
        slug = meta.get("slug")
        slugs.append(slug if isinstance(slug, str) else rel.rsplit("/", 1)[1][:-3])
    return days, slugs


def edition_meta(site, page, slugs):
    rng = site.rng
    key = rng.choice(["title", "lede", "order", "body"])
    if key == "body":
        page.body = (paragraph(rng) + "\n") if rng.random() < 0.8 else ""
        return "note %r" % page.body[:40]
    if page.meta.find(key) and rng.random() < 0.3:
        page.meta.delete(key)
        return "%s removed" % key
    if key == "order":
        v = rng.sample(slugs, min(len(slugs), rng.randint(1, 3)))
        if rng.random() < 0.2:
            v.append("no-such-brief")
        page.meta.set("order", v, block=rng.random() < 0.3)
    else:
        v = spice(rng, title(rng) if key == "title" else sentence(rng))
        page.meta.set(key, v)
    return "%s %s" % (key, emit_flow(v))


def e_edition(site):
    rng = site.rng
    files = site.files("content/editions", ".md", recursive=False)
    days, slugs = article_days_and_slugs(site)
    r = rng.random()
    if files and r < 0.2:
        rel = rng.choice(files)
        return Edit("edition", "delete %s" % rel, [("delete", rel)])
    if files and r < 0.75:
        rel = rng.choice(files)
        page = site.page(rel)
        if not page.ok:
            return None
        what = edition_meta(site, page, slugs or ["x"])
        return Edit("edition", "%s: %s" % (rel, what), [site.rewrite(rel, page)])
    day = rng.choice(days) if days else "2004-11-01"
    name = day[:7] if rng.random() < 0.25 else day
    rel = "content/editions/%s.md" % name
    page = new_page([("title", title(rng), False), ("lede", sentence(rng), False)],
                    paragraph(rng) + "\n")
    if slugs and rng.random() < 0.5:
        page.meta.set("order", rng.sample(slugs, min(2, len(slugs))))
    verb = "rewrite" if site.exists(rel) else "new"
    return Edit("edition", "%s %s" % (verb, rel), [site.rewrite(rel, page)])


# -- data/sources.yml, data/threads.yml --

def registry_edit(kind, rel, pool, fields):
    def make(site):
        rng = site.rng
        text = site.text(rel)
        try:
            items = parse_block(text.split("\n")) if text else []
            if items is None:
                items = []
            if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
                raise Unknown(rel)
        except Unknown:  # a shape not read here: an entry added at the end
            name = site.unique(rng.choice(pool))
            add = "\n".join(emit_items([{"name": name}], 0)) + "\n"
            return Edit(kind, "%s: append entry %s" % (rel, name),
                        [("write", rel, (text.rstrip("\n") + "\n" + add).encode("utf-8"))])
        r = rng.random()
        names = [e.get("name") for e in items]
        if text is not None and r < 0.05:
            return Edit(kind, "delete %s" % rel, [("delete", rel)])
        if not items or r < 0.35:
            free = [n for n in pool if n not in names]
            name = rng.choice(free) if free and rng.random() < 0.7 else site.unique(rng.choice(pool))
            entry = {"name": name}
            for k, make_value in fields:
                if rng.random() < 0.5:
                    entry[k] = make_value(rng)
            items.insert(rng.randint(0, len(items)), entry)
            what = "add %s" % emit_flow(entry)
        elif r < 0.55 and len(items) > 1:
            gone = items.pop(rng.randrange(len(items)))
            what = "remove %s" % gone.get("name")
        elif r < 0.75:
            e = rng.choice(items)
            old = e.get("name")
            e["name"] = rng.choice(pool) if rng.random() < 0.5 else site.unique(str(old))
            what = "rename %s to %s" % (old, e["name"])
        else:
            e = rng.choice(items)
            k, make_value = rng.choice(fields)
            e[k] = make_value(rng)
            what = "%s of %s: %s" % (k, e.get("name"), emit_flow(e[k]))
        out = "\n".join(emit_items(items, 0)) + "\n" if items else "[]\n"
        return Edit(kind, "%s: %s" % (rel, what), [("write", rel, out.encode("utf-8"))])
    return make


SOURCE_FIELDS = [("homepage", lambda rng: "https://example.org/%d/" % rng.randint(1, 99)),
                 ("kind", lambda rng: rng.choice(["Wire service", "Government", "Newspaper"])),
                 ("description", lambda rng: spice(rng, sentence(rng))),
                 ("aliases", lambda rng: [rng.choice(SOURCE_NAMES).lower()])]
THREAD_FIELDS = [("title", lambda rng: spice(rng, "The " + rng.choice(THINGS))),
                 ("description", lambda rng: spice(rng, sentence(rng))),
                 ("aliases", lambda rng: [rng.choice(THREAD_NAMES).lower() + " story"])]


# -- templates, static files, site.yml, scripts, data --

def theme_files(site, under):
    if not site.theme_dir:
        return []
    top = os.path.join(site.theme_dir, under)
    out = []
    for dirpath, dirs, names in os.walk(top):
        dirs.sort()
        for n in sorted(names):
            if not ignored(n):
                out.append(os.path.relpath(os.path.join(dirpath, n), top).replace(os.sep, "/"))
    return sorted(out)


def insert_note(rng, text, note):
    lines = text.split("\n")
    spots = [i for i, l in enumerate(lines) if l.lstrip().startswith(("<", "{{"))]
    i = rng.choice(spots) if spots else len(lines)
    lines.insert(i, note)
    return "\n".join(lines)


def e_template(site):
    rng = site.rng
    mine = site.files("templates", ".mustache")
    theirs = [t for t in theme_files(site, "") if t.endswith(".mustache")
              and not t.startswith("static/") and "templates/" + t not in mine]
    note = '<p class="equiv-note">%s</p>' % spice(rng, "Note %d" % rng.randint(1, 9999))
    r = rng.random()
    if mine and r < 0.45:
        rel = rng.choice(mine)
        return Edit("template", "%s: insert %s" % (rel, note),
                    [("write", rel, insert_note(rng, site.text(rel), note).encode("utf-8"))])
    if mine and r < 0.6:
        rel = rng.choice(mine)
        return Edit("template", "delete %s (the theme's is used again)" % rel, [("delete", rel)])
    if theirs:
        t = rng.choice(theirs)
        with open(os.path.join(site.theme_dir, t), encoding="utf-8") as f:
            text = f.read()
        rel = "templates/" + t
        return Edit("template", "override %s with a note" % rel,
                    [("write", rel, insert_note(rng, text, note).encode("utf-8"))])
    rel = "templates/partials/head.mustache"
    return Edit("template", "write %s" % rel, [("write", rel, (note + "\n").encode("utf-8"))])


def e_static(site):
    rng = site.rng
    mine = site.files("static")
    r = rng.random()
    if mine and r < 0.3:
        rel = rng.choice(mine)
        return Edit("static", "append to %s" % rel,
                    [("append", rel, ("/* edit %d */\n" % rng.randint(1, 9999)).encode("utf-8"))])
    if mine and r < 0.5:
        rel = rng.choice(mine)
        return Edit("static", "delete %s" % rel, [("delete", rel)])
    theirs = [t for t in theme_files(site, "static") if "static/" + t not in mine]
    if theirs and r < 0.7:
        t = rng.choice(theirs)
        with open(os.path.join(site.theme_dir, "static", t), "rb") as f:
            data = f.read()
        rel = "static/" + t
        return Edit("static", "override %s" % rel,
                    [("write", rel, data + b"\n/* overridden */\n")])
    rel = rng.choice(["static/%s.txt", "static/img/%s.svg"]) % site.unique("extra")
    data = ("<svg xmlns='http://www.w3.org/2000/svg'/>\n" if rel.endswith(".svg")
            else sentence(rng) + "\n").encode("utf-8")
    return Edit("static", "new %s" % rel, [("write", rel, data)])


def site_yml_change(rng, meta):
    """Changes one setting of site.yml; returns what it did."""
    key = rng.choice(["title", "description", "paginate", "related", "editions", "editions",
                      "feeds", "feeds", "timezone", "mentions", "indexes", "threads",
                      "summaries", "params", "base_url", "language", "clean_urls", "unsafe",
                      "entities"])
    if key != "title" and meta.find(key) and rng.random() < 0.2:
        meta.delete(key)
        return "%s removed" % key
    if key == "title":
        v = spice(rng, rng.choice(["Straits", "Harbour", "Council"]) + " Desk " + str(rng.randint(1, 99)))
    elif key == "description":
        v = spice(rng, sentence(rng))
    elif key == "paginate":
        v = rng.choice([0, 2, 3, 4, 5, 20])
    elif key == "related":
        v = {k: rng.choice(vals) for k, vals in [("count", [0, 1, 2, 3, 5]), ("people", [0, 1, 3, 6]),
                                                 ("topics", [0, 2, 5]), ("thread", [0, 4, 8]),
                                                 ("recency", [0, 1, 3]), ("half_life", [5, 30]),
                                                 ("window", [2, 10])] if rng.random() < 0.6}
    elif key == "editions":
        period = rng.choice(["daily", "weekly", "weekly", "monthly", "custom"])
        if rng.random() < 0.2:
            v = period
        else:
            v = {"period": period}
            if period == "weekly" and rng.random() < 0.6:
                v["starts"] = rng.choice(WEEKDAYS)
            if rng.random() < 0.4:
                v["recent"] = rng.randint(0, 6)
    elif key == "feeds":
        v = {}
        if rng.random() < 0.6:
            v["items"] = rng.randint(1, 8)
        if rng.random() < 0.4:
            v["content"] = rng.choice(["full", "summary"])
        if rng.random() < 0.3:
            v["entity_content"] = rng.choice(["full", "summary"])
        if rng.random() < 0.3:
            v["formats"] = rng.sample(["atom", "rss", "json"], rng.randint(1, 3))
        if rng.random() < 0.2:
            v["opml"] = False
    elif key == "timezone":
        v = rng.choice(["UTC", "+01:00", "-05:00", "+09:30"])
    elif key == "mentions":
        v = {"link": rng.choice(["first", "all", "none"])}
        if rng.random() < 0.3:
            v["add_people"] = rng.random() < 0.5
    elif key == "indexes":
        v = {k: rng.random() < 0.5 for k in ("empty", "chart", "related") if rng.random() < 0.6}
    elif key == "threads":
        v = {"previously": rng.randint(0, 4)}
    elif key == "summaries":
        v = {"words": rng.choice([0, 3, 10, 25])}
    elif key == "params":
        cur = meta.get("params")
        v = dict(cur) if isinstance(cur, dict) else {}
        v["footer"] = spice(rng, sentence(rng))
        meta.set("params", v, block=True)
        return "params %s" % emit_flow(v)
    elif key == "base_url":
        v = rng.choice(["https://example.org/straits/", "https://example.com/desk/",
                        "http://127.0.0.1/x/"])
    elif key == "language":
        v = rng.choice(["en", "fr", "en-GB"])
    elif key == "entities":
        v = {}
        if rng.random() < 0.8:
            v["orgs"] = {"title": rng.choice(["Organisations", "Bodies"]), "singular": "Body"}
        if rng.random() < 0.6:
            v["countries"] = {"title": "Countries", "singular": "Country"}
    else:
        v = rng.random() < 0.3
    meta.set(key, v)
    return "%s %s" % (key, emit_flow(v))


def e_site_yml(site):
    text = site.text("site.yml") or 'title: "Site"\n'
    meta = YamlMap(text.split("\n"))
    what = site_yml_change(site.rng, meta)
    return Edit("site-yml", "site.yml: %s" % what,
                [("write", "site.yml", "\n".join(meta.lines()).encode("utf-8"))])


LITERAL_RE = re.compile(r'^(local [A-Z][A-Z0-9_]* = )([0-9]+|"[^"\\]*")[ \t]*$', re.M)


def equiv_script(rng, label):
    """scripts/equiv.lua, a site script of one of a few kinds."""
    head = ('-- equiv.lua: written by tests/equiv/equiv.py\n'
            'local ok, data = pcall(briefing.data, "equiv")\n'
            'local label = ok and type(data) == "table" and type(data.label) == "string"\n'
            '              and data.label or %s\n' % quote(label))
    kind = rng.randrange(6)
    bodies = [
        'return { Document = function(doc) doc:append(briefing.Paragraph({ '
        'briefing.Text("Filed by " .. label .. ".") })) end }\n',
        'return { Document = function(_, article)\n'
        '  article.meta.summary = label .. ": " .. tostring(article.meta.summary or article.title)\n'
        'end }\n',
        'return { Heading = function(h) h:walk{ Text = function(t) t.literal = t.literal:upper() end } end }\n',
        'return { Document = function(_, article)\n'
        '  local t = article.meta.topics\n'
        '  if type(t) ~= "table" then t = {} end\n'
        '  t[#t + 1] = label\n'
        '  article.meta.topics = t\n'
        'end }\n',
        'return { collections = function(site)\n'
        '  site:add_page{ url = "equiv/", template = "page", kind = "page", title = label,\n'
        '                 data = { description = #site.articles .. " briefs" } }\n'
        'end }\n',
        'return { Text = function(t)\n'
        '  if t.literal:find("ship", 1, true) then t.literal = (t.literal:gsub("ship", "vessel")) end\n'
        'end }\n',
    ]
    names = ["appends a paragraph", "prefixes summaries", "upper-cases headings",
             "adds a topic", "adds a page", "rewrites a word"]
    return head + bodies[kind], names[kind]


def e_script(site):
    rng = site.rng
    label = spice(rng, "Desk %d" % rng.randint(1, 999))
    scripts = [s for s in site.files("scripts", ".lua") if not s.endswith("/equiv.lua")]
    tweakable = [(s, m) for s in scripts for m in LITERAL_RE.finditer(site.text(s))]
    r = rng.random()
    if tweakable and r < 0.45:
        rel, m = rng.choice(tweakable)
        old = m.group(2)
        new = str(rng.choice([30, 60, 90, 200, 500])) if old[0].isdigit() else quote(label)
        if new == old:
            new = str(int(old) + 1) if old[0].isdigit() else quote(label + "!")
        text = site.text(rel)
        text = text[:m.start(2)] + new + text[m.end(2):]
        return Edit("script", "%s: %s%s" % (rel, m.group(1), new), [("write", rel, text.encode("utf-8"))])
    rel = "scripts/equiv.lua"
    if site.exists(rel) and r < 0.6:
        return Edit("script", "delete %s" % rel, [("delete", rel)])
    text, what = equiv_script(rng, label)
    return Edit("script", "%s: %s (%s)" % (rel, what, label), [("write", rel, text.encode("utf-8"))])


def e_data(site):
    rng = site.rng
    files = [f for f in site.files("data", (".yml", ".yaml"), recursive=False)
             if f.rsplit("/", 1)[1].split(".")[0] not in ("sources", "threads")]
    for rel in rng.sample(files, len(files)):
        meta = YamlMap(site.text(rel).split("\n"))
        keys = [k for k in meta.keys() if isinstance(meta.get(k), (str, int)) and not
                isinstance(meta.get(k), bool)]
        if keys:
            k = rng.choice(keys)
            old = meta.get(k)
            v = rng.randint(1, 5) if isinstance(old, int) else spice(rng, "Desk %d" % rng.randint(1, 999))
            if v == old:
                v = old + 1 if isinstance(old, int) else v + "!"
            meta.set(k, v)
            return Edit("data", "%s: %s %s" % (rel, k, emit_flow(v)),
                        [("write", rel, "\n".join(meta.lines()).encode("utf-8"))])
    rel = "data/equiv.yml"
    v = spice(rng, "Desk %d" % rng.randint(1, 999))
    return Edit("data", "%s: label %s" % (rel, quote(v)),
                [("write", rel, ("label: %s\n" % quote(v)).encode("utf-8"))])


def e_stray(site):
    """A file under content/articles that is not an article, or an article
    saved without a change: serve has nothing to rebuild."""
    rng = site.rng
    strays = [f for f in site.files("content/articles") if not f.endswith(".md")]
    if rng.random() < 0.3:
        rel = pick_article(site)
        return Edit("stray", "save %s unchanged" % rel, [("write", rel, site.read(rel))])
    if strays and rng.random() < 0.3:
        rel = rng.choice(strays)
        return Edit("stray", "delete %s" % rel, [("delete", rel)])
    if strays and rng.random() < 0.5:
        rel = rng.choice(strays)
        return Edit("stray", "append to %s" % rel, [("append", rel, b"more notes\n")])
    folders = sorted(set(a.rsplit("/", 1)[0] for a in site.articles())) or ["content/articles"]
    rel = "%s/%s.txt" % (rng.choice(folders), site.unique("notes"))
    return Edit("stray", "new %s" % rel, [("write", rel, b"notes, not an article\n")])


def e_break(site):
    """An edit that fails the build; the next edit undoes it."""
    rng = site.rng
    kind = rng.randrange(6)
    if kind == 0 or kind == 1:
        rel = pick_article(site)
        page = site.page(rel)
        if kind == 0:
            page.meta.delete("title")
            page.meta.entries.insert(0, ["title", ['title: "%s' % title(rng)]])
            what = "unclosed quote in title"
        else:
            page.meta.set("date", "someday")
            what = 'date "someday"'
        return Edit("break", "%s: %s" % (rel, what), [site.rewrite(rel, page)], breaks=True)
    if kind == 2:
        mine = site.files("templates", ".mustache")
        rel = rng.choice(mine) if mine else "templates/partials/head.mustache"
        text = (site.text(rel) or "") + "{{#unclosed}}\n"
        return Edit("break", "%s: unclosed section" % rel, [("write", rel, text.encode("utf-8"))],
                    breaks=True)
    if kind == 3:
        text = (site.text("site.yml") or "") + "\nparams: [unclosed\n"
        return Edit("break", "site.yml: unclosed flow list", [("write", "site.yml", text.encode("utf-8"))],
                    breaks=True)
    if kind == 4:
        scripts = site.files("scripts", ".lua")
        rel = rng.choice(scripts) if scripts else "scripts/equiv.lua"
        text = (site.text(rel) or "") + "\nlocal = 1\n"
        return Edit("break", "%s: syntax error" % rel, [("write", rel, text.encode("utf-8"))],
                    breaks=True)
    folder = rng.choice(["people", "topics", "editions"])
    files = site.files("content/" + folder, ".md", recursive=False)
    if not files:
        rel = pick_article(site)
        text = site.text(rel).replace("---", "---\n: bad", 1)
        return Edit("break", "%s: a key without a name" % rel, [("write", rel, text.encode("utf-8"))],
                    breaks=True)
    rel = rng.choice(files)
    text = site.text(rel).replace("---\n", '---\nbroken: "unclosed\n', 1)
    return Edit("break", "%s: unclosed quote" % rel, [("write", rel, text.encode("utf-8"))], breaks=True)


KINDS = [  # name, weight, make
    ("body-append", 6, e_body_append),
    ("body-replace", 4, article_edit("body-replace", f_body_replace)),
    ("body-mention", 5, article_edit("body-mention", f_body_mention)),
    ("title", 3, article_edit("title", f_title)),
    ("date", 3, article_edit("date", f_date)),
    ("draft", 2, article_edit("draft", f_draft)),
    ("publish-at", 2, article_edit("publish-at", f_when("publish_at"))),
    ("expires", 2, article_edit("expires", f_when("expires"))),
    ("topics", 4, article_edit("topics", f_topics)),
    ("people", 3, article_edit("people", f_people)),
    ("thread", 3, article_edit("thread", f_thread)),
    ("sources", 3, article_edit("sources", f_sources)),
    ("summary", 2, article_edit("summary", f_summary)),
    ("structured", 1, article_edit("structured", f_structured)),
    ("slug", 1, article_edit("slug", f_slug)),
    ("entity-refs", 1, article_edit("entity-refs", f_entity_refs)),
    ("article-new", 3, e_article_new),
    ("article-delete", 2, e_article_delete),
    ("article-move", 2, e_article_move),
    ("person", 3, entity_file_edit("person", "people", PERSON_FIELDS)),
    ("topic", 2, entity_file_edit("topic", "topics", TOPIC_FIELDS)),
    ("entity", 2, e_entity),
    ("edition", 3, e_edition),
    ("standalone", 2, e_standalone),
    ("data-sources", 2, registry_edit("data-sources", "data/sources.yml", SOURCE_NAMES, SOURCE_FIELDS)),
    ("data-threads", 2, registry_edit("data-threads", "data/threads.yml", THREAD_NAMES, THREAD_FIELDS)),
    ("template", 3, e_template),
    ("static", 2, e_static),
    ("site-yml", 3, e_site_yml),
    ("script", 2, e_script),
    ("data", 2, e_data),
    ("stray", 1, e_stray),
    ("break", 2, e_break),
    ("burst", 2, None),  # two or three edits at once, one rebuild
]


class Planner:
    """Chooses edits: the first len(KINDS) are every kind once, in a random
    order (so a run of that many edits has them all); then by weight."""

    def __init__(self, rng, skip):
        self.rng = rng
        self.kinds = [k for k in KINDS if k[0] not in skip]
        self.first = list(self.kinds)
        rng.shuffle(self.first)

    def next_kind(self):
        if self.first:
            return self.first.pop(0)
        total = sum(w for _, w, _ in self.kinds)
        r = self.rng.uniform(0, total)
        for k in self.kinds:
            r -= k[1]
            if r <= 0:
                return k
        return self.kinds[-1]

    def make(self, site, exclude=()):
        """The next edit, or "burst" (the caller makes several plain ones)."""
        for _ in range(100):
            name, _, fn = self.next_kind()
            if name in exclude:
                continue
            edit = "burst" if name == "burst" else fn(site)
            if edit:
                return edit
        raise SystemExit("equiv: no edit applies to this site")

    def plain(self, site):
        """A random edit that is neither a break nor a burst."""
        return self.make(site, ("break", "burst"))


# ---- comparing two output trees ----

def tree(root):
    """{rel: DirEntry} of the files below root, and the set of folders."""
    files, dirs, todo = {}, set(), [("", root)]
    while todo:
        prefix, path = todo.pop()
        with os.scandir(path) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    dirs.add(prefix + e.name)
                    todo.append((prefix + e.name + "/", e.path))
                elif not (prefix == "" and e.name == ".briefing-output"):
                    files[prefix + e.name] = e
    return files, dirs


def digest(path):
    with open(path, "rb") as f:
        return hashlib.blake2b(f.read(), digest_size=16).digest()


class Digests:
    """Content digests of an output tree's files, read again only when a
    file's inode, mtime or size changed: serve writes a changed file through
    a new name, so most of its folder is read once in a whole run."""

    def __init__(self):
        self.known = {}  # rel -> (inode, mtime_ns, size, digest)

    def get(self, rel, entry):
        st = entry.stat(follow_symlinks=False)
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        hit = self.known.get(rel)
        if hit and hit[:3] == key:
            return hit[3]
        d = digest(entry.path)
        self.known[rel] = key + (d,)
        return d


def compare(got_root, want_root, got_digests=None):
    """(differing, missing, extra) relative paths of files, and of folders
    the incremental side has and the clean one not (left behind). A folder
    only the clean side has is no difference unless files in it are: a
    clean build copies an empty folder of static/, while serve removes a
    folder with its last file."""
    got, got_dirs = tree(got_root)
    want, want_dirs = tree(want_root)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want)) + sorted(d + "/" for d in got_dirs - want_dirs)
    got_digests = got_digests or Digests()
    differing = [rel for rel in sorted(set(got) & set(want))
                 if got_digests.get(rel, got[rel]) != digest(want[rel].path)]
    return differing, missing, extra


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def text_diff(got_root, want_root, rel, lines=40):
    try:
        a = read_bytes(os.path.join(want_root, rel)).decode("utf-8")
        b = read_bytes(os.path.join(got_root, rel)).decode("utf-8")
    except (UnicodeDecodeError, OSError):
        return ["(binary file)"]
    # one long line of HTML makes a useless diff: break it at tags
    a, b = (re.sub(r">(?=<)", ">\n", x).split("\n") for x in (a, b))
    out = list(difflib.unified_diff(a, b, "clean/" + rel, "incremental/" + rel, lineterm="", n=2))
    return out[:lines] + (["..."] if len(out) > lines else [])


# ---- running briefing ----

class Runner:
    def __init__(self, args, work):
        self.args, self.work = args, work
        self.env = dict(os.environ)
        self.env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
        self.env["TMPDIR"] = os.path.join(work, "tmp")
        os.makedirs(self.env["TMPDIR"], exist_ok=True)

    def start_build(self, site, out, *flags):
        return subprocess.Popen([self.args.briefing, "build", "-q", "-s", site, "-o", out] + list(flags),
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def build(self, site, out, *flags):
        p = self.start_build(site, out, *flags)
        return finish(p)


def finish(p):
    """(status, stderr) of a build: 0, 1 (errors in the site), 2 (usage), or
    99 for a crash or a sanitizer's report."""
    out, err = p.communicate()
    err = err.decode("utf-8", "replace")
    if p.returncode not in (0, 1, 2) or SANITIZER_RE.search(err):
        return 99, err
    return p.returncode, err


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Serve:
    """`briefing serve` on the copy, and its log of rebuilds."""

    def __init__(self, runner, site):
        self.runner, self.site = runner, site
        self.log_path = os.path.join(runner.work, "serve.err")
        for _ in range(5):
            self.start()
            if self.wait_ready():
                return
            if "cannot listen" not in self.log():
                break
        raise Failure("serve did not start", self.log().splitlines()[-20:])

    def start(self):
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [self.runner.args.briefing, "serve", "-s", self.site, "--port", str(free_port())],
            env=self.runner.env, stdout=subprocess.DEVNULL, stderr=self.log_file)
        self.offset, self.partial, self.events = 0, b"", []
        self.ready = False

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def poll(self):
        """Reads new log lines; returns the rebuild lines seen so far."""
        with open(self.log_path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        self.offset += len(data)
        lines = (self.partial + data).split(b"\n")
        self.partial = lines.pop()
        for line in lines:
            text = line.decode("utf-8", "replace")
            if not self.ready:
                self.ready = "watching for changes" in text
            elif REBUILD_RE.match(text):
                self.events.append(text)
        return self.events

    def wait_ready(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            self.poll()
            if self.ready:
                found = glob.glob(os.path.join(self.runner.env["TMPDIR"], "briefing-serve-*", "site"))
                if len(found) != 1:
                    raise Failure("cannot find serve's folder", found)
                self.root = found[0]
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.01)
        return False

    def wait_rebuild(self, n, timeout):
        """Waits for rebuild line number n (1-based); returns it."""
        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            if len(self.poll()) >= n:
                return self.events[n - 1]
            if self.proc.poll() is not None:
                raise Failure("serve exited with status %d" % self.proc.returncode,
                              self.log().splitlines()[-20:])
            if time.monotonic() > deadline:
                raise Failure("serve did not rebuild within %.0f s" % timeout,
                              self.log().splitlines()[-10:])
            time.sleep(delay)
            delay = min(delay * 1.5, 0.01)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()
        return self.proc.returncode


class Failure(Exception):
    def __init__(self, message, details=()):
        super().__init__(message)
        self.message, self.details = message, list(details)


# ---- the two modes ----

class Run:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="equiv-", dir=work_parent(args))
        self.copy = os.path.join(self.work, "site")
        os.makedirs(self.copy)
        for name in SOURCES:
            src = os.path.join(args.site, name)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(self.copy, name), symlinks=True)
            elif os.path.isfile(src):
                shutil.copy2(src, os.path.join(self.copy, name))
        self.rng = random.Random(args.seed)
        self.site = Site(self.copy, self.rng, find_theme(self.copy, args.briefing))
        self.planner = Planner(self.rng, set(args.skip))
        self.runner = Runner(args, self.work)
        self.clean = os.path.join(self.work, "clean")
        self.history = []  # (number, description)
        self.counts = {}
        self.failed_builds = self.unplanned = 0
        self.broken = None  # the edit whose failed build the next edit undoes
        self.digests = {}  # output folder -> Digests

    def next_edits(self):
        """Makes and applies the edits of the next step: one, a burst of
        several (each made after the one before is applied), or the undo of
        the edit that failed the build."""
        if self.broken:
            edits = [Edit("repair", "undo edit %d (%s)" % self.broken[0:2], self.broken[2])]
            self.broken = None
        else:
            edits = [self.planner.make(self.site)]
        if edits[0] == "burst":
            edits = []
            for _ in range(self.rng.randint(2, 3)):
                edits.append(self.planner.plain(self.site))
                self.site.apply(edits[-1])
            return edits
        self.site.apply(edits[0])
        return edits

    def apply(self, number):
        edits = self.next_edits()
        desc = " + ".join("%s [%s]" % (e.desc, e.kind) for e in edits)
        if len(edits) > 1:
            desc = "burst: " + desc
        for e in edits:
            self.counts[e.kind] = self.counts.get(e.kind, 0) + 1
        if len(edits) > 1:
            self.counts["burst"] = self.counts.get("burst", 0) + 1
        self.history.append((number, desc))
        if self.args.verbose:
            print("# %d: %s" % (number, desc), flush=True)
        undo = [op for e in reversed(edits) for op in e.undo]
        return edits, desc, undo

    def after_failure(self, number, desc, undo, edits, err):
        self.failed_builds += 1
        if not any(e.breaks or e.kind == "repair" for e in edits):
            self.unplanned += 1
            first = next((l for l in err.splitlines() if "error" in l), err.strip()[:200])
            print("# edit %d failed the build without meaning to: %s" % (number, first), flush=True)
        if any(e.kind == "repair" for e in edits):
            raise Failure("the site does not build after an undo", err.splitlines()[:10])
        self.broken = (number, desc, undo)

    def report(self, failure, number):
        a = self.args
        print("# seed %d, mode %s, site %s" % (a.seed, a.mode, a.site))
        if number:
            print("# edit %d of %d: %s" % (number, a.edits, self.history[-1][1]))
            for n, d in self.history[-6:-1]:
                print("#   before, %d: %s" % (n, d))
        print("# " + failure.message)
        for line in failure.details:
            print("#   " + line)
        print("# again: python3 %s --mode %s --site %s --seed %d --edits %d --briefing %s%s --keep"
              % (sys.argv[0], a.mode, a.site, a.seed, number or 1, a.briefing,
                 "".join(" --skip " + k for k in a.skip)))
        print("not ok - %s: seed %d, edit %d: %s" % (a.mode, a.seed, number, failure.message))

    def differences(self, got, want):
        differing, missing, extra = compare(got, want, self.digests.setdefault(got, Digests()))
        if not (differing or missing or extra):
            return None
        details = []
        for label, rels in (("differs", differing), ("missing", missing), ("extra", extra)):
            for rel in rels[:10]:
                details.append("%s: %s" % (label, rel))
        n = len(differing) + len(missing) + len(extra)
        if n > 30:
            details.append("... %d files in all" % n)
        if differing:
            details.append("diff of %s (clean, then incremental):" % differing[0])
            details.extend(text_diff(got, want, differing[0]))
        return "%d files differ from a clean build (%d differ, %d missing, %d extra)" % (
            n, len(differing), len(missing), len(extra)), details

    def summary(self, elapsed, what):
        a = self.args
        kinds = ", ".join("%s %d" % (k, self.counts[k]) for k in sorted(self.counts))
        print("# edits by kind: %s" % kinds)
        print("ok - %s: %d edits to %s (seed %d) %s, %d failing builds (%d on purpose), in %.1f s"
              % (a.mode, a.edits, a.site, a.seed, what, self.failed_builds,
                 self.failed_builds - self.unplanned, elapsed))

    def cleanup(self, keep):
        if keep:
            print("# kept: %s" % self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def run_serve(run):
    a = run.args
    t0 = time.monotonic()
    status, err = run.runner.build(run.copy, run.clean, "--drafts", "--future")
    if status != 0:
        raise Failure("the site does not build", err.splitlines()[:10])
    first = time.monotonic() - t0
    timeout = max(30.0, 60 * first)
    serve = Serve(run.runner, run.copy)
    try:
        diff = run.differences(serve.root, run.clean)
        if diff:
            raise Failure("serve's first build: " + diff[0], diff[1])
        for number in range(1, a.edits + 1):
            seen = len(serve.poll())
            edits, desc, undo = run.apply(number)
            clean = run.runner.start_build(run.copy, run.clean, "--drafts", "--future")
            line = serve.wait_rebuild(seen + 1, timeout)
            status, err = finish(clean)
            if status not in (0, 1):
                raise Failure("the clean build crashed", err.splitlines()[-20:])
            check_serve(run, serve, seen + 1, line, status, err, timeout)
            if status != 0:
                run.after_failure(number, desc, undo, edits, err)
        if serve.stop() != 0 or SANITIZER_RE.search(serve.log()):
            raise Failure("serve ended with status %s" % serve.proc.returncode,
                          serve.log().splitlines()[-20:])
    except BaseException:
        serve.stop()
        raise
    return time.monotonic() - t0


def check_serve(run, serve, n, line, status, err, timeout):
    """serve's rebuild n must agree with the clean build: both fail, or the
    served folder equals the clean one. A rebuild that came too early (the
    edit's files seen in two bursts) is followed by another: wait for it."""
    for _ in range(4):
        if "build failed" in line:
            problem = None if status != 0 else (
                "serve's build failed, a clean build did not", serve.log().splitlines()[-8:])
        elif status != 0:
            problem = ("a clean build failed, serve said: " + line, err.splitlines()[:8])
        else:
            problem = run.differences(serve.root, run.clean)
            if problem:
                problem = (problem[0], problem[1] + ["serve said: " + line])
        if not problem:
            return
        took = re.search(r" in ([0-9]+) ms", line)
        time.sleep(0.5 + 3 * (int(took.group(1)) / 1000 if took else 1))
        if len(serve.poll()) <= n:
            raise Failure(*problem)
        n = len(serve.events)
        line = serve.wait_rebuild(n, timeout)


def no_cache_missing(runner, site, out):
    status, err = runner.build(site, out, "--no-cache")
    return status == 2 and "no-cache" in err, status, err


def run_build(run):
    a = run.args
    t0 = time.monotonic()
    warm = os.path.join(run.work, "warm")
    missing, status, err = no_cache_missing(run.runner, run.copy, run.clean)
    if missing:
        print("# skipped: briefing build has no --no-cache yet (no warm cache to compare)")
        return None
    if status != 0:
        raise Failure("the site does not build", err.splitlines()[:10])
    status, err = run.runner.build(run.copy, warm)
    if status != 0:
        raise Failure("the first warm build failed", err.splitlines()[:10])
    for number in range(1, a.edits + 1):
        edits, desc, undo = run.apply(number)
        got, got_err = run.runner.build(run.copy, warm)
        want, want_err = run.runner.build(run.copy, run.clean, "--no-cache")
        if got not in (0, 1) or want not in (0, 1):
            raise Failure("a build crashed", (got_err + want_err).splitlines()[-20:])
        if (got == 0) != (want == 0):
            raise Failure("the warm build %s, the clean one %s" % (
                "failed" if got else "passed", "failed" if want else "passed"),
                (got_err or want_err).splitlines()[:8])
        if got == 0:
            diff = run.differences(warm, run.clean)
            if diff:
                raise Failure(*diff)
        else:
            run.after_failure(number, desc, undo, edits, want_err)
    return time.monotonic() - t0


def work_parent(args):
    """Where the copy and the outputs go: --tmp, else /dev/shm for a small
    site (every edit writes whole output trees: on a disk that costs about as
    much as the builds), else the system's temporary folder."""
    if args.tmp:
        return args.tmp
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        n = sum(len(names) for _, _, names in os.walk(os.path.join(args.site, "content")))
        if n < 2000:
            return shm
    return None


def find_theme(site, briefing):
    """The folder of the site's theme: the site's own, or the tool's."""
    try:
        name = YamlMap(open(os.path.join(site, "site.yml"), encoding="utf-8").read().split("\n")).get("theme")
    except OSError:
        name = None
    name = name if isinstance(name, str) else "default"
    tool = os.path.dirname(os.path.realpath(briefing))
    for d in [os.path.join(site, "themes", name),
              os.path.join(os.environ.get("BRIEFING_DATA_DIR", "/nonexistent"), "themes", name),
              os.path.join(tool, "..", "themes", name), os.path.join(tool, "themes", name),
              os.path.join(tool, "..", "share", "briefing", "themes", name)]:
        if os.path.isdir(d):
            return os.path.normpath(d)
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="incremental output == clean output under random edits")
    p.add_argument("--site", default=os.path.join(here, "site"), help="site folder (copied, never edited)")
    p.add_argument("--edits", type=int, default=200)
    p.add_argument("--seed", type=int, default=int(os.environ.get("EQUIV_SEED", DEFAULT_SEED)))
    p.add_argument("--mode", choices=["serve", "build"], default="serve")
    p.add_argument("--briefing", default=os.environ.get("BRIEFING", os.path.join(here, "..", "..", "build", "briefing")))
    p.add_argument("--skip", action="append", default=[], metavar="KIND",
                   help="leave out an edit kind (repeatable)")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--tmp", metavar="DIR", help="where the work folder goes (default: /dev/shm "
                   "for small sites, else TMPDIR)")
    p.add_argument("-v", "--verbose", action="store_true", help="print each edit")
    a = p.parse_args()
    a.briefing = os.path.abspath(a.briefing)
    if not os.path.isfile(os.path.join(a.site, "site.yml")):
        p.error("--site: no site.yml in %s" % a.site)
    unknown = set(a.skip) - {k[0] for k in KINDS}
    if unknown:
        p.error("--skip: unknown kind %s" % ", ".join(sorted(unknown)))
    print("# seed %d (set EQUIV_SEED or --seed to change it)" % a.seed, flush=True)
    run = Run(a)
    try:
        elapsed = run_serve(run) if a.mode == "serve" else run_build(run)
        if elapsed is not None:
            run.summary(elapsed, "gave the output of a clean build after each")
        return 0
    except Failure as f:
        run.report(f, len(run.history))
        return 1
    finally:
        run.cleanup(a.keep)


if __name__ == "__main__":
    sys.exit(main())
