/* markdown.h: CommonMark through libcmark. Raw HTML is dropped unless the
 * site opts in with `unsafe: true`; invalid UTF-8 becomes U+FFFD. */
#ifndef BRIEFING_MARKDOWN_H
#define BRIEFING_MARKDOWN_H

#include <stddef.h>

#include <cmark.h>

cmark_node *md_parse(const char *text, size_t len);
/* Caller frees the result. */
char *md_render(cmark_node *doc, int unsafe);
char *md_to_html(const char *text, size_t len, int unsafe);

#endif
