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
	/* streaming (cf_stream): whole blocks go to fd as they fill, so a
	 * hundred MiB cache never sits in memory at once */
	int fd, stream, io_error;
	uint64_t sum;   /* cf_checksum of the blocks written so far */
	size_t written; /* their bytes */
	/* the file this one is a delta over (cf_item_raw), or NULL */
	const char *base;
	size_t base_len;
};

/* The checksum of a cache file's bytes: hs_bulk chained over blocks of
 * CF_BLOCK bytes, then over the rest (perhaps empty). */
#define CF_BLOCK ((size_t)1 << 20)
uint64_t cf_checksum(const char *p, size_t len);

/* Starts a writer that streams to fd (left open). */
void cf_stream(struct cf_writer *w, int fd);
/* Bytes put so far, written or not. */
size_t cf_tell(const struct cf_writer *w);
/* Writes what is left and the checksum of everything after it; frees
 * the buffer. 0, or -1 when a write failed. */
int cf_finish(struct cf_writer *w);

void cf_u64(struct cf_writer *w, uint64_t v); /* varint */
void cf_i64(struct cf_writer *w, int64_t v);  /* zigzag varint */
void cf_f64(struct cf_writer *w, double d);
void cf_bytes(struct cf_writer *w, const char *s, size_t len);
void cf_str(struct cf_writer *w, const char *s); /* NULL is kept as NULL */
/* Items: parts of a file (an article's view, a step) that a later writer
 * may write again as they were read. A file can be a delta over a base,
 * another cache file: an item whose bytes lie in the base is written as
 * where they are there (their offset and length), not as the bytes, so a
 * warm build writes only what changed. Each item starts with a mark that
 * says which. cf_item starts one whose bytes the caller writes next;
 * cf_item_raw writes one as the bytes an earlier reader took (a range of
 * a reader's file, perhaps of w->base), or where they are in w->base. */
void cf_item(struct cf_writer *w);
void cf_item_raw(struct cf_writer *w, const char *p, size_t len);
/* Bytes as they are: what an earlier writer wrote, read back unchanged
 * (a range of a reader's file), written again here without decoding. */
void cf_raw(struct cf_writer *w, const char *p, size_t len);
/* A value tree (NULL allowed); a reference is written as val_obj of its
 * target, which must be a view (else the writer fails). Positions are not
 * kept. */
void cf_value(struct cf_writer *w, const struct value *v);
/* The same with each value's line:col (where it was read from), which
 * cf_get_value gives back. */
void cf_value_at(struct cf_writer *w, const struct value *v);
/* Starts a writer that keeps everything in w->b (cf_stream's fd unused). */
void cf_memory(struct cf_writer *w);

struct cf_reader {
	const char *p, *end;
	int ok;
	/* the view of object id, for references (NULL: the reader fails) */
	const struct value *(*view)(void *ctx, uint32_t id);
	void *ctx;
	int borrow; /* strings point into the bytes, which outlive them */
	/* the base's bytes, for items left there (NULL: none) */
	const char *base;
	size_t base_len;
};

int cf_ok(const struct cf_reader *r);
uint64_t cf_get_u64(struct cf_reader *r);
int64_t cf_get_i64(struct cf_reader *r);
/* Passes over n numbers (cf_u64) without decoding them. */
void cf_skip_u64(struct cf_reader *r, size_t n);
double cf_get_f64(struct cf_reader *r);
/* Points into the reader's bytes; *len set. NULL when empty or failed. */
const char *cf_get_bytes(struct cf_reader *r, size_t *len);
/* A new string (caller frees), or NULL (a NULL written, or failure). */
char *cf_get_str(struct cf_reader *r);
/* The same string into b (emptied first) with its NUL, for one that is
 * only looked at: no allocation once b has grown. NULL as cf_get_str. */
const char *cf_get_str_in(struct cf_reader *r, buf *b);
/* Passes over a string: 0 when it is NULL or the bytes are bad. */
int cf_skip_str(struct cf_reader *r);
struct value *cf_get_value(struct cf_reader *r);
/* Starts reading an item: returns the reader to read its bytes from,
 * r itself or *sub made to read them in r's base; cf_item_end(r, that
 * reader) after them fails r when an item in the base was not read to
 * its end. Either way the item's bytes are a range of a mapped file,
 * from the returned reader's position on. */
struct cf_reader *cf_get_item(struct cf_reader *r, struct cf_reader *sub);
void cf_item_end(struct cf_reader *r, const struct cf_reader *from);
/* Do bytes begin as an encoded map does? (The rest is not checked.) */
int cf_is_map(const char *bytes, size_t len);

#endif
