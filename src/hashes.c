/* hashes.c: a word-at-a-time multiply-xorshift hash (fast enough to run
 * over every page's data on each rebuild), value-tree hashing with a memo
 * of reference targets, and an open-addressing table of named hashes. */
#include "hashes.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define K1 0x9E3779B97F4A7C15ull
#define K2 0xC2B2AE3D27D4EB4Full

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * K1;
	return h ^ (h >> 29);
}

uint64_t hs_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * K2);
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = mix(h, w);
		p += 8;
		len -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, p, len);
	h = mix(h, w ^ ((uint64_t)len << 56));
	h ^= h >> 32;
	h *= K2;
	return h ^ (h >> 31);
}

uint64_t hs_bulk(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	/* four lanes, so that four multiplies are in flight at once */
	uint64_t h[4] = {seed ^ (len * K2), seed + K1, seed ^ K1, seed - K2};
	while (len >= 32) {
		for (int i = 0; i < 4; i++) {
			uint64_t w;
			memcpy(&w, p + 8 * i, 8);
			h[i] = mix(h[i], w);
		}
		p += 32;
		len -= 32;
	}
	uint64_t t = hs_bytes(p, len, h[0]);
	return mix(mix(mix(t, h[1]), h[2]), h[3]);
}

/* ---- value trees ---- */

struct hs_memo {
	const void **keys;   /* reference targets... */
	int *depths;         /* ...hashed to this depth */
	uint64_t *hashes;
	size_t cap, n; /* cap a power of two */
	int salt;      /* the key set in use (part of the memo key) */
};

static int has_key(const struct hs_table *keys, const char *k, size_t len);

struct hs_memo *hs_memo_new(void)
{
	struct hs_memo *m = xcalloc(1, sizeof *m);
	m->cap = 1024;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->depths = xcalloc(m->cap, sizeof *m->depths);
	m->hashes = xcalloc(m->cap, sizeof *m->hashes);
	return m;
}

void hs_memo_free(struct hs_memo *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->depths);
	free(m->hashes);
	free(m);
}

static size_t ptr_slot(const void *p, int depth, size_t mask)
{
	uint64_t x = ((uint64_t)(uintptr_t)p + (uint64_t)depth) * K1;
	return (size_t)(x >> 20) & mask;
}

static int memo_get(const struct hs_memo *m, const void *p, int depth, uint64_t *h)
{
	size_t mask = m->cap - 1;
	for (size_t i = ptr_slot(p, depth, mask); m->keys[i]; i = (i + 1) & mask) {
		if (m->keys[i] == p && m->depths[i] == depth) {
			*h = m->hashes[i];
			return 1;
		}
	}
	return 0;
}

static void memo_put(struct hs_memo *m, const void *p, int depth, uint64_t h)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct hs_memo bigger = {.cap = m->cap * 2};
		bigger.keys = xcalloc(bigger.cap, sizeof *bigger.keys);
		bigger.depths = xcalloc(bigger.cap, sizeof *bigger.depths);
		bigger.hashes = xcalloc(bigger.cap, sizeof *bigger.hashes);
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				memo_put(&bigger, m->keys[i], m->depths[i], m->hashes[i]);
		free(m->keys);
		free(m->depths);
		free(m->hashes);
		*m = bigger;
	}
	size_t mask = m->cap - 1, i = ptr_slot(p, depth, mask);
	while (m->keys[i] && !(m->keys[i] == p && m->depths[i] == depth))
		i = (i + 1) & mask;
	m->n += !m->keys[i];
	m->keys[i] = p;
	m->depths[i] = depth;
	m->hashes[i] = h;
}

/* depth: how many more lists or maps may be entered; below that only a
 * container's type and size count (a section can still test it). */
static uint64_t value_hash(struct hs_memo *m, const struct value *v, int depth,
                           const struct hs_table *keys, int *opaque)
{
	enum val_type t = val_type(v);
	if (t == VAL_REF) {
		const struct value *target = val_deref(v);
		enum val_type tt = val_type(target);
		/* scalars: any depth, any key set; containers: per depth and key set */
		int key = tt == VAL_LIST || tt == VAL_MAP ? depth + 1 + m->salt * 1024 : 0;
		uint64_t h;
		if (memo_get(m, target, key, &h)) {
			if (!h)
				*opaque = 1;
			return h;
		}
		int inner = 0;
		h = value_hash(m, target, depth, keys, &inner);
		memo_put(m, target, key, inner ? 0 : h);
		*opaque |= inner;
		return h;
	}
	uint64_t h = mix(K2, (uint64_t)t + 1);
	switch (t) {
	case VAL_NULL:
		return h;
	case VAL_BOOL:
		return mix(h, (uint64_t)val_get_bool(v));
	case VAL_NUM: {
		double d = val_get_num(v);
		uint64_t w;
		memcpy(&w, &d, sizeof w);
		return mix(h, w);
	}
	case VAL_STR: {
		size_t len;
		const char *s = val_get_str(v, &len);
		return mix(h, hs_bytes(s, len, 0));
	}
	case VAL_LIST: {
		size_t n = val_len(v);
		h = mix(h, n);
		if (depth <= 0)
			return h;
		for (size_t i = 0; i < n; i++)
			h = mix(h, value_hash(m, val_at(v, i), depth - 1, keys, opaque));
		return h;
	}
	case VAL_MAP: {
		size_t n = val_len(v);
		if (!keys) /* with keys, unread keys must not count, so neither does the size */
			h = mix(h, n);
		if (depth <= 0)
			return h;
		for (size_t i = 0; i < n; i++) {
			size_t klen;
			const char *k = val_key_at(v, i, &klen);
			if (keys && !has_key(keys, k, klen))
				continue; /* no template can look it up */
			h = mix(h, hs_bytes(k, klen, 0));
			h = mix(h, value_hash(m, val_at(v, i), depth - 1, keys, opaque));
		}
		return h;
	}
	default: /* a lambda: its output is not a function of anything we see */
		*opaque = 1;
		return 0;
	}
}

uint64_t hs_value(struct hs_memo *m, const struct value *v, int depth,
                  const struct hs_table *keys, int salt)
{
	int opaque = 0;
	if (depth > 1000)
		depth = 1000;
	m->salt = salt;
	uint64_t h = value_hash(m, v, depth, keys, &opaque);
	if (opaque)
		return 0;
	return h ? h : 1;
}

/* ---- named hashes ---- */

struct hs_entry {
	char *key; /* NULL: empty slot */
	uint64_t hash;
	unsigned mark;
	uint32_t h; /* the key's hash (its low bits place it): compared before the
	             * key, and the key is not hashed again when the table grows */
};

struct hs_table {
	struct hs_entry *slots;
	size_t cap, n; /* cap a power of two */
};

struct hs_table *hs_table_new(void)
{
	struct hs_table *t = xcalloc(1, sizeof *t);
	t->cap = 64;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	return t;
}

void hs_clear(struct hs_table *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		free(t->slots[i].key);
		t->slots[i].key = NULL;
	}
	t->n = 0;
}

void hs_table_free(struct hs_table *t)
{
	if (!t)
		return;
	hs_clear(t);
	free(t->slots);
	free(t);
}

static uint32_t key_hash(const char *key, size_t len)
{
	return (uint32_t)hs_bytes(key, len, 7);
}

static size_t find_slot_h(const struct hs_table *t, const char *key, uint32_t h)
{
	size_t mask = t->cap - 1, i = h & mask;
	while (t->slots[i].key && (t->slots[i].h != h || strcmp(t->slots[i].key, key) != 0))
		i = (i + 1) & mask;
	return i;
}

static size_t find_slot(const struct hs_table *t, const char *key)
{
	return find_slot_h(t, key, key_hash(key, strlen(key)));
}

/* Where an entry not in slots goes (its key is not compared). */
static size_t free_slot(const struct hs_entry *slots, size_t cap, uint32_t h)
{
	size_t i = h & (cap - 1);
	while (slots[i].key)
		i = (i + 1) & (cap - 1);
	return i;
}

static int has_key(const struct hs_table *t, const char *k, size_t len)
{
	size_t mask = t->cap - 1;
	uint32_t h = key_hash(k, len);
	for (size_t i = h & mask; t->slots[i].key; i = (i + 1) & mask)
		if (t->slots[i].h == h && strncmp(t->slots[i].key, k, len) == 0 &&
		    t->slots[i].key[len] == '\0')
			return 1;
	return 0;
}

int hs_get(const struct hs_table *t, const char *key, uint64_t *hash)
{
	unsigned mark;
	return hs_find(t, key, hash, &mark);
}

int hs_find(const struct hs_table *t, const char *key, uint64_t *hash, unsigned *mark)
{
	size_t i = find_slot(t, key);
	if (!t->slots[i].key)
		return 0;
	*hash = t->slots[i].hash;
	*mark = t->slots[i].mark;
	return 1;
}

static void grow(struct hs_table *t)
{
	struct hs_entry *old = t->slots;
	size_t old_cap = t->cap;
	t->cap *= 2;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			t->slots[free_slot(t->slots, t->cap, old[i].h)] = old[i];
	free(old);
}

void hs_put(struct hs_table *t, const char *key, uint64_t hash, unsigned mark)
{
	if ((t->n + 1) * 2 > t->cap)
		grow(t);
	uint32_t h = key_hash(key, strlen(key));
	size_t i = find_slot_h(t, key, h);
	if (!t->slots[i].key) {
		t->slots[i].key = xstrdup(key);
		t->slots[i].h = h;
		t->n++;
	}
	t->slots[i].hash = hash;
	t->slots[i].mark = mark;
}

void hs_clear_bits(struct hs_table *t, unsigned bits)
{
	for (size_t i = 0; i < t->cap; i++)
		t->slots[i].mark &= ~bits;
}

void hs_mark(struct hs_table *t, const char *key, unsigned mark)
{
	size_t i = find_slot(t, key);
	if (t->slots[i].key)
		t->slots[i].mark = mark;
}

size_t hs_count(const struct hs_table *t)
{
	return t->n;
}

void hs_each(const struct hs_table *t,
             void (*fn)(void *ctx, const char *key, uint64_t hash, unsigned mark), void *ctx)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].key)
			fn(ctx, t->slots[i].key, t->slots[i].hash, t->slots[i].mark);
}

static int swept(const struct hs_entry *e, unsigned mark, unsigned keep)
{
	return e->key && e->mark != mark && !(e->mark & keep);
}

void hs_sweep(struct hs_table *t, unsigned mark, unsigned keep,
              void (*gone)(void *ctx, const char *key, uint64_t hash), void *ctx)
{
	/* most sweeps remove nothing (serve's output manifest after an edit):
	 * then the table stays as it is, unhashed */
	size_t doomed = 0;
	for (size_t i = 0; i < t->cap; i++)
		doomed += swept(&t->slots[i], mark, keep);
	if (!doomed)
		return;
	/* rebuilt rather than deleted in place: linear probing has no tombstones */
	struct hs_entry *old = t->slots;
	size_t cap = t->cap;
	t->slots = xcalloc(cap, sizeof *t->slots);
	t->n = 0;
	for (size_t i = 0; i < cap; i++) {
		if (!old[i].key)
			continue;
		if (!swept(&old[i], mark, keep)) {
			t->slots[free_slot(t->slots, cap, old[i].h)] = old[i];
			t->n++;
		} else {
			if (gone)
				gone(ctx, old[i].key, old[i].hash);
			free(old[i].key);
		}
	}
	free(old);
}

struct hs_seen {
	const char **keys; /* NULL: empty slot */
	long *values;
	size_t mask, n;
};

static void seen_alloc(struct hs_seen *set, size_t cap)
{
	set->keys = xcalloc(cap, sizeof *set->keys);
	set->values = xcalloc(cap, sizeof *set->values);
	set->mask = cap - 1;
}

struct hs_seen *hs_seen_new(size_t n)
{
	struct hs_seen *set = xcalloc(1, sizeof *set);
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	seen_alloc(set, cap);
	return set;
}

static size_t seen_slot(const struct hs_seen *set, const char *key)
{
	size_t i = hs_bytes(key, strlen(key), 0x7365656e) & set->mask;
	while (set->keys[i] && strcmp(set->keys[i], key))
		i = (i + 1) & set->mask;
	return i;
}

long hs_seen_add(struct hs_seen *set, const char *key, long value)
{
	if (2 * (set->n + 1) > set->mask + 1) { /* more names than announced */
		const char **keys = set->keys;
		long *values = set->values;
		size_t cap = set->mask + 1;
		seen_alloc(set, 2 * cap);
		for (size_t k = 0; k < cap; k++)
			if (keys[k]) {
				size_t i = seen_slot(set, keys[k]);
				set->keys[i] = keys[k];
				set->values[i] = values[k];
			}
		free(keys);
		free(values);
	}
	size_t i = seen_slot(set, key);
	if (set->keys[i])
		return set->values[i];
	set->keys[i] = key;
	set->values[i] = value;
	set->n++;
	return -1;
}

void hs_seen_free(struct hs_seen *set)
{
	if (!set)
		return;
	free(set->keys);
	free(set->values);
	free(set);
}

struct hs_ids {
	uint64_t *keys; /* 0: empty slot */
	uint64_t *values;
	size_t mask, n;
};

static void ids_alloc(struct hs_ids *t, size_t cap)
{
	t->keys = xcalloc(cap, sizeof *t->keys);
	t->values = xcalloc(cap, sizeof *t->values);
	t->mask = cap - 1;
}

struct hs_ids *hs_ids_new(void)
{
	return hs_ids_sized(0);
}

struct hs_ids *hs_ids_sized(size_t n)
{
	struct hs_ids *t = xcalloc(1, sizeof *t);
	size_t cap = 64;
	while (3 * cap < 4 * n + 4)
		cap *= 2;
	ids_alloc(t, cap);
	return t;
}

int hs_ids_add(struct hs_ids *t, uint64_t key)
{
	uint64_t *v = hs_ids_at(t, key);
	if (*v)
		return 0;
	*v = 1;
	return 1;
}

void hs_ids_free(struct hs_ids *t)
{
	if (!t)
		return;
	free(t->keys);
	free(t->values);
	free(t);
}

static size_t ids_slot(const struct hs_ids *t, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15u; /* the key's bits spread over the high ones */
	size_t i = (size_t)(h ^ (h >> 29)) & t->mask;
	while (t->keys[i] && t->keys[i] != key)
		i = (i + 1) & t->mask;
	return i;
}

uint64_t hs_ids_get(const struct hs_ids *t, uint64_t key)
{
	size_t i = ids_slot(t, key);
	return t->keys[i] ? t->values[i] : 0;
}

uint64_t *hs_ids_at(struct hs_ids *t, uint64_t key)
{
	size_t i = ids_slot(t, key);
	if (t->keys[i])
		return &t->values[i];
	if (4 * (t->n + 1) > 3 * (t->mask + 1)) {
		uint64_t *keys = t->keys, *values = t->values;
		size_t cap = t->mask + 1;
		ids_alloc(t, 2 * cap);
		for (size_t k = 0; k < cap; k++)
			if (keys[k]) {
				size_t j = ids_slot(t, keys[k]);
				t->keys[j] = keys[k];
				t->values[j] = values[k];
			}
		free(keys);
		free(values);
		i = ids_slot(t, key);
	}
	t->keys[i] = key;
	t->values[i] = 0;
	t->n++;
	return &t->values[i];
}

size_t hs_ids_count(const struct hs_ids *t)
{
	return t->n;
}

void hs_ids_each(const struct hs_ids *t, void (*fn)(void *ctx, uint64_t key, uint64_t value),
                 void *ctx)
{
	for (size_t i = 0; i <= t->mask; i++)
		if (t->keys[i])
			fn(ctx, t->keys[i], t->values[i]);
}
