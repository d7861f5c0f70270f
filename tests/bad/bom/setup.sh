# a UTF-8 byte order mark before the opening "---"
printf -- '\357\273\277---\ntitle: "With BOM"\ndate: 2017-10-01\n---\nBody.\n' > site/content/articles/bom.md
