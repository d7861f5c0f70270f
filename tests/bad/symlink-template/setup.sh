# templates that are symlinks to files outside the site: a partial, and
# a page template
echo 'SECRET {{title}}' > outside.mustache
mkdir -p site/templates/partials
ln -s ../../../outside.mustache site/templates/partials/secret.mustache
ln -s /etc/passwd site/templates/page.mustache
