/* markdown.c: thin wrappers so every caller parses and renders alike. */
#include "markdown.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

cmark_node *md_parse(const char *text, size_t len, int flags)
{
	int options = CMARK_OPT_VALIDATE_UTF8 | (flags & MD_SMART ? CMARK_OPT_SMART : 0);
	cmark_node *doc = cmark_parse_document(text, len, options);
	if (!doc)
		abort(); /* cmark only fails on allocation */
	return doc;
}

char *md_render(cmark_node *doc, int flags)
{
	char *html = cmark_render_html(doc, flags & MD_UNSAFE ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT);
	if (!html)
		abort(); /* cmark only fails on allocation */
	/* cmark allocates with the system allocator (callers free() it) and
	 * grows its buffer by half again: bodies live until the pages are
	 * written, so give the slack back */
	char *tight = realloc(html, strlen(html) + 1);
	return tight ? tight : html;
}

char *md_to_html(const char *text, size_t len, int flags)
{
	cmark_node *doc = md_parse(text, len, flags);
	char *html = md_render(doc, flags);
	cmark_node_free(doc);
	return html;
}
