/* cachefile.h: the bytes of build's persistent cache. A writer appends
 * numbers, strings and value trees to a buffer; a reader takes them back
 * with every length checked against what is left, so a truncated or
 * corrupt file makes the reader fail (cf_ok turns 0) instead of reading
 * past its end. References in value trees are written as the object id of
 * their target (track.h) and resolved through the caller on reading. */
#ifndef BRIEFING_CACHEFILE_H
#define BRIEFING_CACHEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "value.h"

struct cf_writer {
	buf b;
	int failed; /* a value that cannot be kept (a lambda) was met */
};

void cf_u64(struct cf_writer *w, uint64_t v); /* varint */
void cf_i64(struct cf_writer *w, int64_t v);  /* zigzag varint */
void cf_f64(struct cf_writer *w, double d);
void cf_bytes(struct cf_writer *w, const char *s, size_t len);
void cf_str(struct cf_writer *w, const char *s); /* NULL is kept as NULL */
/* A value tree (NULL allowed); a reference is written as val_obj of its
 * target, which must be a view (else the writer fails). Positions are not
 * kept. */
void cf_value(struct cf_writer *w, const struct value *v);

struct cf_reader {
	const char *p, *end;
	int ok;
	/* the view of object id, for references (NULL: the reader fails) */
	const struct value *(*view)(void *ctx, uint32_t id);
	void *ctx;
	int borrow; /* strings point into the bytes, which outlive them */
};

int cf_ok(const struct cf_reader *r);
uint64_t cf_get_u64(struct cf_reader *r);
int64_t cf_get_i64(struct cf_reader *r);
double cf_get_f64(struct cf_reader *r);
/* Points into the reader's bytes; *len set. NULL when empty or failed. */
const char *cf_get_bytes(struct cf_reader *r, size_t *len);
/* A new string (caller frees), or NULL (a NULL written, or failure). */
char *cf_get_str(struct cf_reader *r);
struct value *cf_get_value(struct cf_reader *r);

#endif
