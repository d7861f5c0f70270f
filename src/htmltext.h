/* htmltext.h: a saved web page read for `briefing import`: its headline
 * (og:title, else the first <h1>, else <title>), its publication time
 * (article:published_time) and its text without tags, one paragraph per
 * block, entities decoded. Scripts, styles, navigation, headers, footers,
 * asides and forms are left out. Not a general HTML parser: it reads tags
 * and attributes well enough for pages a browser saved; never reads files. */
#ifndef BRIEFING_HTMLTEXT_H
#define BRIEFING_HTMLTEXT_H

#include <stddef.h>

#include "buf.h"

struct ht_page {
	char *headline;  /* NULL when the page has none; caller frees */
	char *published; /* the meta's content as written, or NULL */
	buf text;        /* paragraphs separated by blank lines */
};

/* Does text look like an HTML page (a doctype or <html>/<head>/<body>
 * near its start)? */
int ht_is_html(const char *text, size_t len);
void ht_read(const char *html, size_t len, struct ht_page *out);
void ht_free(struct ht_page *page);

#endif
