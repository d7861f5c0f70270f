python3 -c "print('---\ntitle: Big\ndate: 2017-10-02\n---\n' + ('A long paragraph. ' * 60 + '\n\n') * 370)" \
	> site/content/articles/big.md
if [ "$(cat "$T.mode")" = fsize ]; then
	sed 's/No space left on device/File too large/' "$CASE/expected" > "$T.expected"
fi
