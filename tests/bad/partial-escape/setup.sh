# template tags naming partials and parents by path: "../", absolute,
# and a name that is a file beside the site; partial names are looked up
# in the loaded templates only, so each renders as an empty (missing)
# partial and nothing outside the theme folders is read
mkdir -p site/templates
echo 'SECRET {{title}}' > outside.mustache
cp outside.mustache site/outside.mustache
cat > site/templates/article.mustache <<'MST'
<h1>{{article.title}}</h1>
[{{> ../../outside}}][{{> ../outside}}][{{> /etc/passwd}}][{{> outside}}][{{>../../../../../etc/hostname}}]
[{{< ../../outside}}{{/ ../../outside}}][{{*name}}]
MST
