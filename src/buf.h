/* buf.h: the one growable byte buffer, and the allocation wrappers.
 * A buf's ptr is never NULL once initialised (it points at "" when empty)
 * and is always NUL-terminated, so it can be handed to C string functions. */
#ifndef BRIEFING_BUF_H
#define BRIEFING_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation failure aborts: callers never check for NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* "s" unless n is 1: "%zu article%s", n, plural_s(n). */
static inline const char *plural_s(size_t n) { return n == 1 ? "" : "s"; }
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A large block (an arena's chunk) mapped on its own and, where the kernel
 * allows, backed by transparent huge pages: filling hundreds of MiB of small
 * values then takes a page fault per 2 MiB instead of per 4 KiB. Free it
 * with xbig_free and the same size. */
void *xbig_alloc(size_t n);
void xbig_free(void *p, size_t n);

typedef struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points at the shared empty string */
} buf;

#define BUF_INIT {buf__empty, 0, 0}
extern char buf__empty[1];

void buf_init(buf *b);
void buf_grow(buf *b, size_t extra);
void buf_put(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, int c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_truncate(buf *b, size_t len);
void buf_reset(buf *b);
/* Hands the bytes to the caller (caller frees) and leaves b empty. */
char *buf_detach(buf *b, size_t *len);
void buf_free(buf *b);

/* Escapes & < > " ' for HTML text and attribute values. */
void buf_put_html(buf *b, const char *s, size_t len);

/* A table of escapes, one per byte value: n == 0 keeps the byte, else it
 * becomes the first n (1 to 6) bytes of s. */
struct buf_escape {
	char s[7];
	unsigned char n;
};
void buf_put_escaped(buf *b, const char *s, size_t len, const struct buf_escape *esc);

#endif
