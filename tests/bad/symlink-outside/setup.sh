# symlinks in content/ that leave the site folder: an article to
# /etc/passwd, a folder to /etc, an article to a file beside the site
a=site/content/articles
ln -s /etc/passwd $a/passwd.md
ln -s /etc $a/etc
printf -- '---\ntitle: "Outside"\ndate: 2017-10-01\n---\nSECRET\n' > outside.md
ln -s ../../../outside.md $a/outside.md
