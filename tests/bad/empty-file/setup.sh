# an empty article, one of blank lines only
: > site/content/articles/empty.md
printf '\n\n\n' > site/content/articles/blank.md
