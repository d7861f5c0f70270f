# a 50 MB article (generated here, never committed)
python3 - <<'PY'
para = ("Rex Tillerson said on *Tuesday* that talks [could start](https://example.org/x) "
        "at once & without <b>preconditions</b>. ") * 8 + "\n\n"
n = 50 * 1024 * 1024 // len(para)
with open("site/content/articles/huge.md", "w") as f:
    f.write("---\ntitle: Huge\ndate: 2017-10-01\ntopics: [Diplomacy]\n---\n")
    f.write(para * n)
    f.write("The last paragraph.\n")
PY
