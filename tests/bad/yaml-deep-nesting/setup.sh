# 100,000 nested flow lists and maps in front matter
python3 -c "print('---\ntitle: Deep\ndate: 2017-10-01\nlists: ' + '[' * 100000 + ']' * 100000 + '\n---\nBody')" > site/content/articles/lists.md
python3 -c "print('---\ntitle: Deep\ndate: 2017-10-01\nmaps: ' + '{a: ' * 100000 + '1' + '}' * 100000 + '\n---\nBody')" > site/content/articles/maps.md
