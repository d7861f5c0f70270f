# Windows line endings throughout, a slug and a list among them
printf -- '---\r\ntitle: "Windows"\r\ndate: 2017-10-01\r\nslug: crlf-slug\r\ntopics:\r\n  - Diplomacy\r\n---\r\nFirst line.\r\n\r\nSecond paragraph.\r\n' \
	> site/content/articles/crlf.md
