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
	char *code; /* a stable name for the kind of message, or NULL */
	char *path; /* its parts, for --format json (NULL: no location) */
	char *msg;
	int line, col;
};

struct diag {
	struct entry *v;
	int n, cap;
};

static void drop(struct entry *e)
{
	free(e->text);
	free(e->code);
	free(e->path);
	free(e->msg);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct diag *diag_new(void)
{
	return xcalloc(1, sizeof(struct diag));
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		drop(&d->v[i]);
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

/* Takes e's strings. */
static void push(struct diag *d, const struct entry *e)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = xrealloc(d->v, (size_t)d->cap * sizeof *d->v);
	}
	d->v[d->n++] = *e;
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
	diag_vcode(d, level, NULL, path, line, col, fmt, ap);
}

void diag_vcode(struct diag *d, enum diag_level level, const char *code, const char *path,
                int line, int col, const char *fmt, va_list ap)
{
	struct entry e = {.level = level, .code = dup_or_null(code), .line = line, .col = col};
	buf part = BUF_INIT;
	va_list again;
	va_copy(again, ap);
	buf_vprintf(&part, fmt, again);
	va_end(again);
	while (part.len && part.ptr[part.len - 1] == '\n')
		buf_truncate(&part, part.len - 1);
	e.msg = printable(&part);
	if (path) {
		buf_puts(&part, path);
		e.path = printable(&part);
	}
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
	e.text = printable(&b);
	push(d, &e);
}

void diag_code(struct diag *d, enum diag_level level, const char *code, const char *path,
               int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vcode(d, level, code, path, line, col, fmt, ap);
	va_end(ap);
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
		push(dst, &src->v[i]);
	src->n = 0;
}

void diag_append(struct diag *dst, const struct diag *src)
{
	for (int i = 0; src && i < src->n; i++) {
		struct entry e = src->v[i];
		e.text = xstrdup(e.text);
		e.code = dup_or_null(e.code);
		e.path = dup_or_null(e.path);
		e.msg = dup_or_null(e.msg);
		push(dst, &e);
	}
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
			drop(&e);
			continue;
		}
		if (e.level == DIAG_NOTE) {
			struct entry copy = {e.level, xstrdup(e.text), dup_or_null(e.code),
			                     dup_or_null(e.path), dup_or_null(e.msg), e.line, e.col};
			push(said, &copy);
		}
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

int diag_parts(const struct diag *d, int n, struct diag_parts *out)
{
	if (n < 0 || n >= d->n)
		return -1;
	const struct entry *e = &d->v[n];
	out->level = e->level;
	out->code = e->code;
	out->path = e->path;
	out->line = e->line;
	out->col = e->col;
	out->message = e->msg;
	return 0;
}

/* NULL strings are saved as "" with a flag. */
static void save_str(struct cf_writer *w, const char *s)
{
	cf_u64(w, s != NULL);
	cf_str(w, s ? s : "");
}

static char *load_str(struct cf_reader *r)
{
	uint64_t there = cf_get_u64(r);
	char *s = cf_get_str(r);
	if (!there) {
		free(s);
		return NULL;
	}
	return s;
}

void diag_save(const struct diag *d, struct cf_writer *w)
{
	cf_u64(w, d ? (uint64_t)d->n : 0);
	for (int i = 0; d && i < d->n; i++) {
		const struct entry *e = &d->v[i];
		cf_u64(w, (uint64_t)e->level);
		cf_str(w, e->text);
		save_str(w, e->code);
		save_str(w, e->path);
		save_str(w, e->msg);
		cf_u64(w, (uint64_t)(e->line > 0 ? e->line : 0));
		cf_u64(w, (uint64_t)(e->col > 0 ? e->col : 0));
	}
}

struct diag *diag_load(struct cf_reader *r)
{
	struct diag *d = diag_new();
	uint64_t n = cf_get_u64(r);
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		struct entry e = {.level = (enum diag_level)cf_get_u64(r)};
		e.text = cf_get_str(r);
		e.code = load_str(r);
		e.path = load_str(r);
		e.msg = load_str(r);
		e.line = (int)cf_get_u64(r);
		e.col = (int)cf_get_u64(r);
		if (!e.text || e.level > DIAG_ERROR || !cf_ok(r)) {
			drop(&e);
			r->ok = 0;
			break;
		}
		push(d, &e);
	}
	return d;
}
