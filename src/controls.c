/* controls.c: see controls.h. */
#include "controls.h"

#define REPORTED 5 /* warnings per file before "and N more" */

static int is_dropped(unsigned char c)
{
	return c > 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

int ctl_any(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (is_dropped((unsigned char)text[i]))
			return 1;
	return 0;
}

size_t ctl_drop(buf *b, const char *path, struct diag *d)
{
	size_t out = 0, dropped = 0;
	int line = 1, col = 1;
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];
		if (is_dropped(c)) {
			if (d && ++dropped <= REPORTED)
				diag_warn(d, path, line, col,
				          "control character U+%04X in the text (dropped): HTML and "
				          "feeds cannot hold it", c);
			else if (!d)
				dropped++;
			col++;
			continue;
		}
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
		b->ptr[out++] = (char)c;
	}
	if (d && dropped > REPORTED)
		diag_warn(d, path, line, 1, "%zu more control characters dropped in this file",
		          dropped - REPORTED);
	buf_truncate(b, out);
	return dropped;
}
