/* frontmatter.h: splits a content file into its YAML front matter and its
 * Markdown body. Knows nothing of YAML or Markdown: it finds the "---"
 * fences (after an optional UTF-8 BOM, with LF or CRLF lines) and says
 * where each part starts, for line numbers in later messages. */
#ifndef BRIEFING_FRONTMATTER_H
#define BRIEFING_FRONTMATTER_H

#include <stddef.h>

#include "diag.h"

struct fm_parts {
	const char *yaml;  /* NULL when the file has no front matter */
	size_t yaml_len;
	int yaml_line;     /* 1-based line of the first YAML line */
	const char *body;
	size_t body_len;
	int body_line;     /* 1-based line of the first body line */
};

/* Returns 0, or -1 after reporting an unclosed front matter block. */
int fm_split(const char *text, size_t len, const char *path, struct fm_parts *out, struct diag *d);

#endif
