/* buf.c: growable byte buffer and allocation wrappers (abort on failure). */
#include "buf.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

char buf__empty[1];

static void out_of_memory(void)
{
	fputs("briefing: fatal: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

#define HUGE_PAGE ((size_t)2 << 20)

void *xbig_alloc(size_t n)
{
	size_t size = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	/* one huge page more, to cut an aligned start out of */
	char *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		out_of_memory();
	size_t head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (head)
		munmap(p, head);
	if (HUGE_PAGE - head)
		munmap(p + head + size, HUGE_PAGE - head);
	p += head;
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE); /* a hint: refused is fine */
#endif
	return p;
}

void xbig_free(void *p, size_t n)
{
	if (p)
		munmap(p, (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b, NULL);
}

void buf_init(buf *b)
{
	b->ptr = buf__empty;
	b->len = 0;
	b->cap = 0;
}

void buf_grow(buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap += cap / 2 + 64;
	if (b->cap == 0) {
		char *p = xmalloc(cap);
		memcpy(p, b->ptr, b->len + 1);
		b->ptr = p;
	} else {
		b->ptr = xrealloc(b->ptr, cap);
	}
	b->cap = cap;
}

void buf_put(buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	buf_grow(b, len);
	memmove(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(buf *b, int c)
{
	buf_grow(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		buf_put(b, small, (size_t)n);
		return;
	}
	buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

void buf_reset(buf *b)
{
	buf_truncate(b, 0);
}

char *buf_detach(buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : xstrndup("", 0);
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}

void buf_free(buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

void buf_put_escaped(buf *b, const char *s, size_t len, const struct buf_escape *esc)
{
	/* room for the worst case, then one pass: runs of bytes that stay are
	 * copied whole, each escape as a fixed six bytes of which n count */
	if (len > (SIZE_MAX - 64) / 6)
		abort();
	buf_grow(b, len * 6);
	const unsigned char *u = (const unsigned char *)s, *end = u + len;
	char *p = b->ptr + b->len;
	while (u < end) {
		const unsigned char *run = u;
		/* eight bytes a step while none of them is escaped */
		while (end - u >= 8 && !(esc[u[0]].n | esc[u[1]].n | esc[u[2]].n | esc[u[3]].n |
		                         esc[u[4]].n | esc[u[5]].n | esc[u[6]].n | esc[u[7]].n))
			u += 8;
		while (u < end && !esc[*u].n)
			u++;
		memcpy(p, run, (size_t)(u - run));
		p += u - run;
		if (u == end)
			break;
		memcpy(p, esc[*u].s, 6);
		p += esc[*u].n;
		u++;
	}
	b->len = (size_t)(p - b->ptr);
	b->ptr[b->len] = '\0';
}

static const struct buf_escape html_escape[256] = {
	['&'] = {"&amp;", 5}, ['<'] = {"&lt;", 4}, ['>'] = {"&gt;", 4},
	['"'] = {"&quot;", 6}, ['\''] = {"&#39;", 5},
};

void buf_put_html(buf *b, const char *s, size_t len)
{
	buf_put_escaped(b, s, len, html_escape);
}
