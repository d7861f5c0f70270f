"""Checks docs/themes.md's variable table against what pages really get.
Usage: check_vars.py DOC DUMP, where DUMP is written by a build with
BRIEFING_DUMP_VARS set ("kind<TAB>path<TAB>type" lines).
- every documented variable exists, with the documented type, for its
  template (or every template, for "all") -> the table never lies;
- every variable up to two levels deep (site.title, editions[].url) is
  documented, except inside params (free maps) -> the table is complete."""
import re, sys

doc, dump = sys.argv[1], sys.argv[2]
text = open(doc, encoding="utf-8").read()
table = text.split("<!-- vars:begin -->")[1].split("<!-- vars:end -->")[0]
have = {}  # kind -> {path: type}
for line in open(dump, encoding="utf-8"):
    kind, path, typ = line.rstrip("\n").split("\t")
    have.setdefault(kind, {})[path] = typ
kinds = sorted(have)
rows = []
for line in table.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 3 or not cells[1].startswith("`"):
        continue
    rows.append((cells[0], cells[1].strip("`"), cells[2], cells[3] if len(cells) > 3 else ""))

norm = {"HTML": "string", "string": "string", "number": "number", "bool": "bool",
        "map": "map", "list": "list", "lambda": "lambda"}
bad = 0
documented = set()
items = set()  # (kind, path) of lists documented as "(article item)"
for tmpl, path, typ, notes in rows:
    want = norm.get(typ)
    if path.endswith("[]") and typ == "list":
        path = path[:-2]
    targets = kinds if tmpl == "all" else [tmpl]
    for k in targets:
        documented.add((k, path))
        if "(article item)" in notes:
            items.add((k, path))
        got = have.get(k, {}).get(path)
        if k not in have:
            continue  # a page kind the example site does not make
        if got is None and "missing" in notes:
            continue  # optional, and the sites checked do not have it
        if got is None:
            print("# documented but never given: %s %s" % (k, path)); bad += 1
        elif want and got != want and not (got == "null"):
            print("# %s %s: documented as %s, is %s" % (k, path, typ, got)); bad += 1
for k in kinds:
    for path, typ in sorted(have[k].items()):
        if path.count(".") > 1 or ".params." in path or path.startswith("site.params."):
            continue
        if path.endswith("[]"):
            continue  # list items: the list row covers them
        if any(d[0] == k and path.startswith(d[1] + "[].") for d in items):
            continue  # an article item's keys are documented under `article`
        # a container whose members are documented is documented
        if any(d[0] == k and (d[1].startswith(path + ".") or d[1].startswith(path + "[]"))
               for d in documented):
            continue
        if (k, path) not in documented:
            print("# not documented: %s %s (%s)" % (k, path, typ)); bad += 1
print("# checked %d rows against %d page kinds" % (len(rows), len(kinds)))
sys.exit(1 if bad else 0)
