/* diag.c: collected diagnostics; formatting happens once, at add time. */
#include "diag.h"
#include "cachefile.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct entry {
	enum diag_level level;
	char *text; /* fully formatted line(s), without trailing newline */
};

struct diag {
	struct entry *v;
	int n, cap;
};

struct diag *diag_new(void)
{
	return xcalloc(1, sizeof(struct diag));
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	free(d);
}

static const char *level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_NOTE: return "note";
	case DIAG_WARNING: return "warning";
	default: return "error";
	}
}

static void push(struct diag *d, enum diag_level level, char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = xrealloc(d->v, (size_t)d->cap * sizeof *d->v);
	}
	d->v[d->n].level = level;
	d->v[d->n].text = text;
	d->n++;
}

/* Messages quote untrusted text (a file name, a front matter value): its
 * control characters are written as \xNN, so that no escape sequence
 * reaches the terminal. Newlines and tabs stay (tracebacks use them).
 * Frees b; caller frees the result. */
static char *printable(buf *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];
		n += (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
	}
	if (!n)
		return buf_detach(b, NULL);
	buf out = BUF_INIT;
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			buf_printf(&out, "\\x%02x", c);
		else
			buf_putc(&out, (char)c);
	}
	buf_free(b);
	return buf_detach(&out, NULL);
}

void diag_vadd(struct diag *d, enum diag_level level, const char *path, int line, int col,
               const char *fmt, va_list ap)
{
	buf b = BUF_INIT;
	if (path) {
		buf_puts(&b, path);
		if (line > 0) {
			buf_printf(&b, ":%d", line);
			if (col > 0)
				buf_printf(&b, ":%d", col);
		}
		buf_puts(&b, ": ");
	} else {
		buf_puts(&b, "briefing: ");
	}
	buf_printf(&b, "%s: ", level_name(level));
	buf_vprintf(&b, fmt, ap);
	while (b.len && b.ptr[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	push(d, level, printable(&b));
}

void diag_add(struct diag *d, enum diag_level level, const char *path, int line, int col,
              const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, level, path, line, col, fmt, ap);
	va_end(ap);
}

void diag_merge(struct diag *dst, struct diag *src)
{
	for (int i = 0; i < src->n; i++)
		push(dst, src->v[i].level, src->v[i].text);
	src->n = 0;
}

void diag_append(struct diag *dst, const struct diag *src)
{
	for (int i = 0; src && i < src->n; i++)
		push(dst, src->v[i].level, xstrdup(src->v[i].text));
}

static int holds(const struct diag *d, const char *text)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].text, text))
			return 1;
	return 0;
}

void diag_notes_once(struct diag *d, struct diag *said)
{
	int kept = 0;
	for (int i = 0; i < d->n; i++) {
		struct entry e = d->v[i];
		if (e.level == DIAG_NOTE && holds(said, e.text)) {
			free(e.text);
			continue;
		}
		if (e.level == DIAG_NOTE)
			push(said, e.level, xstrdup(e.text));
		d->v[kept++] = e;
	}
	d->n = kept;
}

int diag_count(const struct diag *d, enum diag_level level)
{
	int n = 0;
	for (int i = 0; i < d->n; i++)
		n += d->v[i].level == level;
	return n;
}

void diag_print(const struct diag *d, FILE *fp)
{
	for (int i = 0; i < d->n; i++)
		fprintf(fp, "%s\n", d->v[i].text);
	fflush(fp);
}

const char *diag_message(const struct diag *d, int n, enum diag_level *level)
{
	if (n < 0 || n >= d->n)
		return NULL;
	if (level)
		*level = d->v[n].level;
	return d->v[n].text;
}

void diag_save(const struct diag *d, struct cf_writer *w)
{
	cf_u64(w, d ? (uint64_t)d->n : 0);
	for (int i = 0; d && i < d->n; i++) {
		cf_u64(w, (uint64_t)d->v[i].level);
		cf_str(w, d->v[i].text);
	}
}

struct diag *diag_load(struct cf_reader *r)
{
	struct diag *d = diag_new();
	uint64_t n = cf_get_u64(r);
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		enum diag_level level = (enum diag_level)cf_get_u64(r);
		char *text = cf_get_str(r);
		if (!text || level > DIAG_ERROR) {
			free(text);
			r->ok = 0;
			break;
		}
		push(d, level, text);
	}
	return d;
}
