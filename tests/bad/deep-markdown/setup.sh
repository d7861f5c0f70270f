# 100,000 levels of nested quotes, of nested lists, and of nested
# emphasis (cmark's pathological inputs; generated)
a=site/content/articles
python3 -c "print('---\ntitle: Quotes\ndate: 2017-10-01\n---\n' + '> ' * 100000 + 'x')" > $a/quotes.md
python3 -c "print('---\ntitle: Lists\ndate: 2017-10-01\n---\nIntro.\n\n' + '- ' * 100000 + 'x')" > $a/lists.md
python3 -c "print('---\ntitle: Emphasis\ndate: 2017-10-01\n---\n' + '*a **a ' * 50000 + 'b' + ' a** a*' * 50000)" > $a/emphasis.md
