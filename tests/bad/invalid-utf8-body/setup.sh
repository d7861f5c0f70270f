# invalid UTF-8 in the body: the page is built, each bad sequence becomes U+FFFD
printf -- '---\ntitle: "Bytes"\ndate: 2017-10-01\n---\nCaf\351 and \300\257 and \342\202 end.\n' \
	> site/content/articles/bytes.md
