# the same nesting with no filters: cmark renders any depth, so the pages
# are built; and cmark's other pathological inputs, at 100,000 and
# 200,000, must take time linear in their size
printf 'title: "Test Site"\nbase_url: "https://example.org/"\nfilters: []\n' > site/site.yml
a=site/content/articles
python3 -c "print('---\ntitle: Quotes\ndate: 2017-10-01\n---\n' + '> ' * 100000 + 'deepest quote')" > $a/quotes.md
python3 -c "print('---\ntitle: Lists\ndate: 2017-10-01\n---\n' + '- ' * 100000 + 'deepest item')" > $a/lists.md
