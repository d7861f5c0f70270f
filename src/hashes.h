/* hashes.h: 64-bit content hashes for incremental rebuilds: of bytes, of
 * value trees (what a template can see), and a table from names to hashes
 * (output files, pages, articles). Not cryptographic: they tell "changed"
 * from "same" between two builds of one site on one machine. */
#ifndef BRIEFING_HASHES_H
#define BRIEFING_HASHES_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

uint64_t hs_bytes(const void *data, size_t len, uint64_t seed);
/* Another hash of the same quality for long inputs (a checksum over
 * megabytes): four lanes keep several multiplies in flight, so it runs
 * faster there than hs_bytes (not measured alone); not equal to it. */
uint64_t hs_bulk(const void *data, size_t len, uint64_t seed);

/* Value trees, to a depth: the lists and maps below depth levels count by
 * type and size only (references can make the graph cyclic: an article
 * lists its topics, a topic its articles; a template reads a bounded
 * depth, mst_reach). A reference is hashed as its target, remembered by
 * the target's address and depth in memo, so a list of 500 articles costs
 * 500 lookups once each article is hashed. A memo is for one thread and
 * for as long as the values it saw are not changed or freed. */
struct hs_memo;
struct hs_memo *hs_memo_new(void);
void hs_memo_free(struct hs_memo *m);
/* The hash of v to depth (v itself is level 1), counting only the map
 * keys in keys (NULL: all), or 0 when a lambda is within reach (its output
 * no hash can predict). salt names the key set: one memo may serve
 * several, each with its own salt. */
struct hs_table;
uint64_t hs_value(struct hs_memo *m, const struct value *v, int depth,
                  const struct hs_table *keys, int salt);

/* A table from names to (hash, mark). Not thread-safe. */
struct hs_table;
struct hs_table *hs_table_new(void);
void hs_table_free(struct hs_table *t);
/* 1 and *hash set when key is present. */
int hs_get(const struct hs_table *t, const char *key, uint64_t *hash);
/* 1, *hash and *mark set when key is present. */
int hs_find(const struct hs_table *t, const char *key, uint64_t *hash, unsigned *mark);
void hs_put(struct hs_table *t, const char *key, uint64_t hash, unsigned mark);
/* Clears those bits of every entry's mark. */
void hs_clear_bits(struct hs_table *t, unsigned bits);
/* Sets the mark of key (when present). */
void hs_mark(struct hs_table *t, const char *key, unsigned mark);
size_t hs_count(const struct hs_table *t);
/* Removes every entry whose mark is neither mark nor has a bit of keep,
 * calling gone(ctx, key, hash) for each first (gone may be NULL). */
void hs_sweep(struct hs_table *t, unsigned mark, unsigned keep,
              void (*gone)(void *ctx, const char *key, uint64_t hash), void *ctx);
void hs_clear(struct hs_table *t);
/* Calls fn for every entry (in no particular order). */
void hs_each(const struct hs_table *t,
             void (*fn)(void *ctx, const char *key, uint64_t hash, unsigned mark), void *ctx);

/* A one-use set of names for finding duplicates among many at once (page
 * files, article URLs): no copies (the caller keeps each key alive until
 * hs_seen_free) and no allocation per name. */
struct hs_seen;
struct hs_seen *hs_seen_new(size_t n); /* room for n names; it grows past them */
/* The value first added under key, or -1 after adding key with value. */
long hs_seen_add(struct hs_seen *set, const char *key, long value);
void hs_seen_free(struct hs_seen *set);

/* Numbers by number: a nonzero 64-bit key to a 64-bit value, in one
 * open-addressed array (16 bytes a key, no allocation per key). */
struct hs_ids;
struct hs_ids *hs_ids_new(void);
/* With room for n keys before it grows. */
struct hs_ids *hs_ids_sized(size_t n);
/* As a set: adds key with value 1; 0 when it was there (with any value). */
int hs_ids_add(struct hs_ids *t, uint64_t key);
void hs_ids_free(struct hs_ids *t);
/* The value of key (0 when absent). */
uint64_t hs_ids_get(const struct hs_ids *t, uint64_t key);
/* The value's place, the key added with value 0 when absent: valid until
 * the next hs_ids_at. key must not be 0. */
uint64_t *hs_ids_at(struct hs_ids *t, uint64_t key);
size_t hs_ids_count(const struct hs_ids *t);
/* fn(ctx, key, value) for every key, in no particular order. */
void hs_ids_each(const struct hs_ids *t, void (*fn)(void *ctx, uint64_t key, uint64_t value),
                 void *ctx);

#endif
