# binary files in content/: compressed bytes named .md, an image and a
# PDF among the articles, and a binary file in static/
a=site/content/articles
seq 1 20000 | gzip -n > $a/archive.md
seq 1 3000 | gzip -n > $a/photo.png
printf '%%PDF-1.4\n\000\001\002\003binary\377\376' > $a/report.pdf
mkdir -p site/static
seq 1 5000 | gzip -n > site/static/data.bin
