# invalid UTF-8 in front matter: a stray byte, a cut sequence, an overlong "/"
a=site/content/articles
printf -- '---\ntitle: "Caf\351"\ndate: 2017-10-01\n---\nBody\n' > $a/latin1.md
printf -- '---\ntitle: "T"\ndate: 2017-10-01\nsummary: "cut \342\202"\n---\nBody\n' > $a/cut.md
printf -- '---\ntitle: "T"\ndate: 2017-10-01\nslug: "\300\257etc"\n---\nBody\n' > $a/overlong.md
