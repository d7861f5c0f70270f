/* cachefile.c: varints, strings and value trees for the build cache. */
#include "cachefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hashes.h"

#define MAX_DEPTH 200 /* deeper trees are refused on reading (a corrupt file) */

/* T_AT: the value after it was read from line:col (two numbers) */
enum { T_ABSENT, T_NULL, T_FALSE, T_TRUE, T_NUM, T_STR, T_LIST, T_MAP, T_REF, T_AT };

uint64_t cf_checksum(const char *p, size_t len)
{
	uint64_t sum = 0;
	for (; len >= CF_BLOCK; p += CF_BLOCK, len -= CF_BLOCK)
		sum = hs_bulk(p, CF_BLOCK, sum);
	return hs_bulk(p, len, sum);
}

void cf_stream(struct cf_writer *w, int fd)
{
	*w = (struct cf_writer){.b = BUF_INIT, .fd = fd, .stream = 1};
	buf_grow(&w->b, 2 * CF_BLOCK);
}

void cf_memory(struct cf_writer *w)
{
	*w = (struct cf_writer){.b = BUF_INIT, .fd = -1};
}

size_t cf_tell(const struct cf_writer *w)
{
	return w->written + w->b.len;
}

static void put_all(struct cf_writer *w, const char *p, size_t n)
{
	while (n && !w->io_error) {
		ssize_t k = write(w->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->io_error = 1;
			break;
		}
		p += k;
		n -= (size_t)k;
	}
}

/* Writes the buffer's whole blocks out (streaming writers only). */
static void spill(struct cf_writer *w)
{
	if (!w->stream || w->b.len < CF_BLOCK)
		return;
	size_t done = 0;
	for (; w->b.len - done >= CF_BLOCK; done += CF_BLOCK) {
		w->sum = hs_bulk(w->b.ptr + done, CF_BLOCK, w->sum);
		put_all(w, w->b.ptr + done, CF_BLOCK);
	}
	memmove(w->b.ptr, w->b.ptr + done, w->b.len - done);
	buf_truncate(&w->b, w->b.len - done);
	w->written += done;
}

int cf_finish(struct cf_writer *w)
{
	spill(w);
	uint64_t sum = hs_bulk(w->b.ptr, w->b.len, w->sum);
	buf_put(&w->b, (const char *)&sum, sizeof sum);
	put_all(w, w->b.ptr, w->b.len);
	w->written += w->b.len;
	buf_free(&w->b);
	return w->io_error ? -1 : 0;
}

void cf_u64(struct cf_writer *w, uint64_t v)
{
	char tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
		v >>= 7;
	} while (v);
	buf_put(&w->b, tmp, n);
}

void cf_i64(struct cf_writer *w, int64_t v)
{
	cf_u64(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

void cf_f64(struct cf_writer *w, double d)
{
	char tmp[8];
	memcpy(tmp, &d, 8);
	buf_put(&w->b, tmp, 8);
}

void cf_bytes(struct cf_writer *w, const char *s, size_t len)
{
	cf_u64(w, len);
	buf_put(&w->b, s, len);
	spill(w);
}

enum { ITEM_HERE, ITEM_IN_BASE };

void cf_item(struct cf_writer *w)
{
	cf_u64(w, ITEM_HERE);
}

void cf_item_raw(struct cf_writer *w, const char *p, size_t len)
{
	uintptr_t at = (uintptr_t)p, base = (uintptr_t)w->base;
	if (w->base && at >= base && at - base <= w->base_len && len <= w->base_len - (at - base)) {
		cf_u64(w, ITEM_IN_BASE);
		cf_u64(w, at - base);
		cf_u64(w, len);
		return;
	}
	cf_u64(w, ITEM_HERE);
	cf_raw(w, p, len);
}

void cf_raw(struct cf_writer *w, const char *p, size_t len)
{
	/* a block at a time, so that a long run does not sit in the buffer */
	while (len) {
		size_t n = len < CF_BLOCK ? len : CF_BLOCK;
		buf_put(&w->b, p, n);
		spill(w);
		p += n;
		len -= n;
	}
}

void cf_str(struct cf_writer *w, const char *s)
{
	if (!s) {
		cf_u64(w, 0);
		return;
	}
	size_t n = strlen(s);
	cf_u64(w, n + 1);
	buf_put(&w->b, s, n);
	spill(w);
}

static void put_value(struct cf_writer *w, const struct value *v, int at)
{
	if (!v) {
		buf_putc(&w->b, T_ABSENT);
		return;
	}
	if (at && val_line(v) > 0) {
		buf_putc(&w->b, T_AT);
		cf_u64(w, (uint64_t)val_line(v));
		cf_u64(w, (uint64_t)val_col(v));
	}
	switch (val_type(v)) {
	case VAL_NULL: buf_putc(&w->b, T_NULL); break;
	case VAL_BOOL: buf_putc(&w->b, val_get_bool(v) ? T_TRUE : T_FALSE); break;
	case VAL_NUM:
		buf_putc(&w->b, T_NUM);
		cf_f64(w, val_get_num(v));
		break;
	case VAL_STR: { /* with a NUL, so that a reader may point at it */
		size_t len;
		const char *s = val_get_str(v, &len);
		buf_putc(&w->b, T_STR);
		cf_bytes(w, s, len);
		buf_putc(&w->b, 0);
		break;
	}
	case VAL_LIST:
		buf_putc(&w->b, T_LIST);
		cf_u64(w, val_len(v));
		for (size_t i = 0; i < val_len(v); i++)
			put_value(w, val_at(v, i), at);
		break;
	case VAL_MAP:
		buf_putc(&w->b, T_MAP);
		cf_u64(w, val_len(v));
		for (size_t i = 0; i < val_len(v); i++) {
			size_t len;
			const char *k = val_key_at(v, i, &len);
			cf_bytes(w, k, len);
			put_value(w, val_at(v, i), at);
		}
		break;
	case VAL_REF: {
		/* the target's own value: a view's map carries its object id */
		const struct value *t = v;
		while (val_type(t) == VAL_REF)
			t = val_deref(t);
		uint32_t id = val_obj(t);
		if (!id && getenv("BRIEFING_CACHE_DEBUG"))
			{ buf j = BUF_INIT; val_to_json(&j, t); fprintf(stderr, "cache: ref without id: %.200s\n", j.ptr ? j.ptr : ""); buf_free(&j); }
		if (!id)
			w->failed = 1;
		buf_putc(&w->b, T_REF);
		cf_u64(w, id);
		break;
	}
	default: /* a lambda: its function lives in a Lua state */
		if (getenv("BRIEFING_CACHE_DEBUG"))
			fprintf(stderr, "cache: a lambda\n");
		w->failed = 1;
		buf_putc(&w->b, T_NULL);
		break;
	}
}

void cf_value(struct cf_writer *w, const struct value *v)
{
	put_value(w, v, 0);
}

void cf_value_at(struct cf_writer *w, const struct value *v)
{
	put_value(w, v, 1);
}

int cf_ok(const struct cf_reader *r)
{
	return r->ok;
}

uint64_t cf_get_u64(struct cf_reader *r)
{
	uint64_t v = 0;
	for (int shift = 0; r->ok; shift += 7) {
		if (r->p >= r->end || shift > 63) {
			r->ok = 0;
			return 0;
		}
		unsigned char c = (unsigned char)*r->p++;
		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
	}
	return 0;
}

void cf_skip_u64(struct cf_reader *r, size_t n)
{
	const char *p = r->p;
	while (n && r->ok) {
		if (p >= r->end) {
			r->ok = 0;
			return;
		}
		n -= !(*p++ & 0x80); /* a number's last byte has the high bit clear */
	}
	r->p = p;
}

int64_t cf_get_i64(struct cf_reader *r)
{
	uint64_t u = cf_get_u64(r);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

double cf_get_f64(struct cf_reader *r)
{
	double d = 0;
	if (!r->ok || r->end - r->p < 8) {
		r->ok = 0;
		return 0;
	}
	memcpy(&d, r->p, 8);
	r->p += 8;
	return d;
}

const char *cf_get_bytes(struct cf_reader *r, size_t *len)
{
	uint64_t n = cf_get_u64(r);
	*len = 0;
	if (!r->ok || n > (uint64_t)(r->end - r->p)) {
		r->ok = 0;
		return NULL;
	}
	const char *s = r->p;
	r->p += n;
	*len = (size_t)n;
	return s;
}

/* A string's bytes (n of them, without a NUL), or NULL for a NULL
 * written or a failure. */
static const char *str_span(struct cf_reader *r, size_t *n)
{
	uint64_t len = cf_get_u64(r);
	*n = 0;
	if (!r->ok || len == 0)
		return NULL;
	if (len - 1 > (uint64_t)(r->end - r->p)) {
		r->ok = 0;
		return NULL;
	}
	const char *s = r->p;
	*n = (size_t)(len - 1);
	r->p += *n;
	return s;
}

int cf_skip_str(struct cf_reader *r)
{
	size_t n;
	return str_span(r, &n) != NULL;
}

char *cf_get_str(struct cf_reader *r)
{
	size_t n;
	const char *s = str_span(r, &n);
	return s ? xstrndup(s, n) : NULL;
}

struct cf_reader *cf_get_item(struct cf_reader *r, struct cf_reader *sub)
{
	uint64_t mark = cf_get_u64(r);
	if (mark == ITEM_HERE || !cf_ok(r))
		return r;
	uint64_t at = cf_get_u64(r), len = cf_get_u64(r);
	*sub = *r;
	if (mark != ITEM_IN_BASE || !r->base || at > r->base_len || len > r->base_len - at) {
		r->ok = 0;
		sub->ok = 0;
		sub->p = sub->end;
		return sub;
	}
	sub->p = r->base + at;
	sub->end = sub->p + len;
	return sub;
}

void cf_item_end(struct cf_reader *r, const struct cf_reader *from)
{
	if (from != r && (!from->ok || from->p != from->end))
		r->ok = 0;
}

const char *cf_get_str_in(struct cf_reader *r, buf *b)
{
	buf_reset(b);
	size_t n;
	const char *s = str_span(r, &n);
	if (!s)
		return NULL;
	buf_put(b, s, n);
	return b->ptr;
}

/* A value's string: its bytes, then the NUL the writer put after them. */
static const char *get_string(struct cf_reader *r, size_t *len)
{
	const char *s = cf_get_bytes(r, len);
	if (!r->ok || r->p >= r->end || *r->p != 0) {
		r->ok = 0;
		return NULL;
	}
	r->p++;
	return s;
}

static struct value *get_value(struct cf_reader *r, int depth)
{
	if (!r->ok || r->p >= r->end || depth > MAX_DEPTH) {
		r->ok = 0;
		return NULL;
	}
	int tag = (unsigned char)*r->p++;
	if (tag == T_AT) {
		uint64_t line = cf_get_u64(r), col = cf_get_u64(r);
		if (!r->ok || r->p >= r->end || *r->p == T_AT || line > INT32_MAX || col > INT32_MAX) {
			r->ok = 0;
			return NULL;
		}
		struct value *v = get_value(r, depth);
		if (v)
			val_set_pos(v, (int)line, (int)col);
		return v;
	}
	switch (tag) {
	case T_ABSENT: return NULL;
	case T_NULL: return val_null();
	case T_FALSE: return val_bool(0);
	case T_TRUE: return val_bool(1);
	case T_NUM: return val_num(cf_get_f64(r));
	case T_STR: {
		size_t len;
		const char *s = get_string(r, &len);
		if (!r->ok)
			return NULL;
		/* the reader's bytes outlive what is read from them (mapped) */
		return r->borrow && s ? val_str_borrow(s, len) : val_str(s ? s : "", len);
	}
	case T_LIST: {
		uint64_t n = cf_get_u64(r);
		if (!r->ok || n > (uint64_t)(r->end - r->p)) { /* each item takes a byte */
			r->ok = 0;
			return NULL;
		}
		struct value *l = val_list_sized((size_t)n);
		for (uint64_t i = 0; i < n && r->ok; i++) {
			struct value *item = get_value(r, depth + 1);
			val_push(l, item ? item : val_null());
		}
		return l;
	}
	case T_MAP: {
		uint64_t n = cf_get_u64(r);
		if (!r->ok || n > (uint64_t)(r->end - r->p)) {
			r->ok = 0;
			return NULL;
		}
		struct value *m = val_map_sized((size_t)n);
		for (uint64_t i = 0; i < n && r->ok; i++) {
			size_t len;
			const char *k = cf_get_bytes(r, &len);
			struct value *item = get_value(r, depth + 1);
			if (r->ok)
				val_setn(m, k ? k : "", len, item ? item : val_null());
			else
				val_free(item);
		}
		return m;
	}
	case T_REF: {
		uint64_t id = cf_get_u64(r);
		const struct value *t = r->ok && r->view && id <= UINT32_MAX
		                        ? r->view(r->ctx, (uint32_t)id) : NULL;
		if (!t) {
			r->ok = 0;
			return NULL;
		}
		return val_ref(t);
	}
	default:
		r->ok = 0;
		return NULL;
	}
}

int cf_is_map(const char *bytes, size_t len)
{
	return len > 0 && (unsigned char)bytes[0] == T_MAP;
}

struct value *cf_get_value(struct cf_reader *r)
{
	struct value *v = get_value(r, 0);
	if (!r->ok) {
		val_free(v);
		return NULL;
	}
	return v;
}
