# NUL bytes in front matter: written raw, and as YAML escapes ("\0", "\x00")
a=site/content/articles
printf -- '---\ntitle: "T\000x"\ndate: 2017-10-01\n---\nBody\n' > $a/raw.md
printf -- '---\ntitle: "T"\ndate: 2017-10-01\nslug: "a\\0b"\n---\nBody\n' > $a/escaped.md
printf -- '---\ntitle: "T"\ndate: 2017-10-01\n"key\\x00": 1\n---\nBody\n' > $a/key.md
