/* frontmatter.c: "---" fence detection. */
#include "frontmatter.h"

#include <string.h>

/* Length of the line at p (without its terminator) and of its terminator. */
static size_t line_len(const char *p, const char *end, size_t *term)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl) {
		*term = 0;
		return (size_t)(end - p);
	}
	*term = 1;
	size_t n = (size_t)(nl - p);
	if (n && p[n - 1] == '\r') {
		n--;
		*term = 2;
	}
	return n;
}

/* A fence line: "---" (or "..." to close), optionally followed by blanks. */
static int is_fence(const char *p, size_t n, int closing)
{
	if (n < 3 || !(memcmp(p, "---", 3) == 0 || (closing && memcmp(p, "...", 3) == 0)))
		return 0;
	for (size_t i = 3; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

int fm_split(const char *text, size_t len, const char *path, struct fm_parts *out, struct diag *d)
{
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	memset(out, 0, sizeof *out);
	size_t term;
	size_t n = line_len(p, end, &term);
	if (!is_fence(p, n, 0) || term == 0) {
		out->body = p;
		out->body_len = (size_t)(end - p);
		out->body_line = 1;
		return 0;
	}
	const char *yaml = p + n + term;
	int line = 2;
	for (const char *q = yaml; q < end; line++) {
		n = line_len(q, end, &term);
		if (is_fence(q, n, 1)) {
			out->yaml = yaml;
			out->yaml_len = (size_t)(q - yaml);
			out->yaml_line = 2;
			out->body = q + n + term;
			out->body_len = (size_t)(end - out->body);
			out->body_line = line + 1;
			return 0;
		}
		if (term == 0)
			break;
		q += n + term;
	}
	diag_error(d, path, 1, 1, "front matter is not closed: expected a line \"---\" after it");
	return -1;
}
