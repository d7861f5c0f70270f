/* markdown.h: CommonMark through libcmark. Raw HTML is dropped unless the
 * site opts in with `unsafe: true` (MD_UNSAFE); straight quotes and -- or
 * --- become typographic ones unless it opts out with `smart: false`
 * (MD_SMART); invalid UTF-8 becomes U+FFFD. */
#ifndef BRIEFING_MARKDOWN_H
#define BRIEFING_MARKDOWN_H

#include <stddef.h>

#include <cmark.h>

enum { MD_UNSAFE = 1, MD_SMART = 2 };

/* flags: MD_SMART counts here (cmark applies it while parsing) */
cmark_node *md_parse(const char *text, size_t len, int flags);
/* flags: MD_UNSAFE counts here. Caller frees the result. */
char *md_render(cmark_node *doc, int flags);
char *md_to_html(const char *text, size_t len, int flags);

#endif
