/* value.c: the typed value tree. Maps keep insertion order and add a hash
 * index once they grow past a few keys, so site-wide lookup maps stay fast. */
#include "value.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_FROM 12 /* maps with more keys get a hash index */

/* A key of up to KV_INLINE bytes lives in the entry itself: most keys are
 * short names ("title", "url"), and this saves an allocation for each. A
 * key's address changes when its map grows or loses an entry. */
#define KV_INLINE 15
struct kv {
	union {
		char *ptr;
		char in[KV_INLINE + 1];
	} k;
	size_t klen;
	struct value *v;
};

static const char *kv_key(const struct kv *kv)
{
	return kv->klen <= KV_INLINE ? kv->k.in : kv->k.ptr;
}

static void kv_free_key(struct kv *kv)
{
	if (kv->klen > KV_INLINE)
		free(kv->k.ptr);
}

/* What only some maps need, made on first need and freed with the map:
 * most maps are small records that never use it, so their node stays
 * small. Always on the heap, also for a map in an arena. */
struct map_ext {
	struct value *below; /* looked up on a miss (not owned) */
	struct val_lazy *lazy; /* while F_LAZY: what fills it (owned) */
	uint32_t *index;     /* open addressing, slot = kv position + 1 */
	uint32_t index_cap;
	uint32_t obj;        /* a tracked object's id (track.h), 0 for none */
};

/* 32 bytes: millions of these make up a big site's front matter, views
 * and step records, so every byte here counts (issue 18). */
struct value {
	unsigned char type;
	unsigned char flags; /* F_BORROWED, F_ARENA, F_ARENA_PARTS */
	uint16_t col;        /* saturates at COL_MAX */
	int32_t line;
	union {
		int b;
		double d;
		struct {
			char *s;
			size_t len;
		} str;
		struct {
			struct value **items;
			uint32_t n, cap;
		} list;
		struct {
			struct kv *kv;
			uint32_t n, cap;
			struct map_ext *ext; /* NULL until needed */
		} map;
		const struct value *ref;
		struct val_func fn;
	} u;
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct value) == 32,
               "struct value grew past 32 bytes: every map, list and string pays for it");

#define COL_MAX UINT16_MAX

#define F_BORROWED 1    /* a string whose bytes are not its own */
#define F_ARENA 2       /* the node lives in an arena (never freed alone) */
#define F_ARENA_PARTS 4 /* and its item or entry array too */
#define F_LAZY 8        /* a map not filled yet (val_map_lazy) */

/* ---- arenas ---- */

struct val_arena {
	char **chunks;
	size_t *sizes; /* of each chunk (xbig_alloc) */
	size_t n_chunks;
	char *at;    /* free bytes of the last chunk */
	size_t left;
};

#define ARENA_CHUNK ((size_t)32 << 20)

static _Thread_local struct val_arena *arena;

struct val_arena *val_arena_new(void)
{
	return xcalloc(1, sizeof(struct val_arena));
}

void val_arena_use(struct val_arena *a)
{
	arena = a;
}

void val_arena_free(struct val_arena *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_chunks; i++)
		xbig_free(a->chunks[i], a->sizes[i]);
	free(a->chunks);
	free(a->sizes);
	free(a);
}

static void *arena_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > arena->left) {
		size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		arena->chunks = xrealloc(arena->chunks, (arena->n_chunks + 1) * sizeof *arena->chunks);
		arena->sizes = xrealloc(arena->sizes, (arena->n_chunks + 1) * sizeof *arena->sizes);
		arena->at = xbig_alloc(size);
		arena->sizes[arena->n_chunks] = size;
		arena->chunks[arena->n_chunks++] = arena->at;
		arena->left = size;
	}
	void *p = arena->at;
	arena->at += n;
	arena->left -= n;
	return p;
}

static struct value *alloc(enum val_type t)
{
	struct value *v;
	if (arena) {
		v = arena_alloc(sizeof *v);
		memset(v, 0, sizeof *v);
		v->flags = F_ARENA;
	} else {
		v = xcalloc(1, sizeof *v);
	}
	v->type = (unsigned char)t;
	return v;
}

/* The item or entry array of a container: from the arena when its node is. */
static void *parts_alloc(struct value *v, size_t n)
{
	if (v->flags & F_ARENA) {
		v->flags |= F_ARENA_PARTS;
		return arena_alloc(n);
	}
	return xmalloc(n);
}

/* Grows a container's array to n bytes (old: used bytes to keep). */
static void *parts_grow(struct value *v, void *p, size_t old, size_t n)
{
	if (!(v->flags & F_ARENA_PARTS))
		return xrealloc(p, n);
	void *q = xmalloc(n); /* out of the arena: from now on an ordinary array */
	if (old)
		memcpy(q, p, old);
	v->flags &= (unsigned char)~F_ARENA_PARTS;
	return q;
}

/* ---- maps filled on first use ---- */

/* Filling is rare (the maps a warm build opens) and may happen on any
 * thread: one lock for all, and the flag read with acquire, so a thread
 * that sees it clear sees the entries too. */
static pthread_mutex_t lazy_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic size_t lazy_filled;

static void index_rebuild(struct value *m);
static struct map_ext *map_ext(struct value *m);

static void fill_now(struct value *m)
{
	pthread_mutex_lock(&lazy_lock);
	if (m->flags & F_LAZY) {
		struct map_ext *x = m->u.map.ext;
		struct val_lazy *z = x->lazy;
		x->lazy = NULL;
		struct value *t = z->fill(z);
		z->free(z);
		unsigned char flags = (unsigned char)(m->flags & ~F_LAZY);
		if (t && t->type == VAL_MAP && t->u.map.n) { /* m has no entries: take t's */
			if (!(m->flags & F_ARENA_PARTS))
				free(m->u.map.kv); /* (room it may have had, empty) */
			m->u.map.kv = t->u.map.kv;
			m->u.map.n = t->u.map.n;
			m->u.map.cap = t->u.map.cap;
			flags = (unsigned char)((flags & ~F_ARENA_PARTS) | (t->flags & F_ARENA_PARTS));
			t->u.map.kv = NULL;
			t->u.map.n = t->u.map.cap = 0;
			index_rebuild(m);
		}
		val_free(t);
		atomic_fetch_add(&lazy_filled, 1);
		__atomic_store_n(&m->flags, flags, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&lazy_lock);
}

/* Fills m (a map) if it waits to be filled. */
static inline void force(const struct value *m)
{
	if (__atomic_load_n(&m->flags, __ATOMIC_ACQUIRE) & F_LAZY)
		fill_now((struct value *)m);
}

void val_map_lazy(struct value *map, struct val_lazy *z)
{
	if (!map || map->type != VAL_MAP || map->u.map.n || (map->flags & F_LAZY)) {
		z->free(z);
		return;
	}
	map_ext(map)->lazy = z;
	map->flags |= F_LAZY;
}

size_t val_lazy_filled(void)
{
	return atomic_load(&lazy_filled);
}

struct value *val_null(void) { return alloc(VAL_NULL); }

struct value *val_bool(int b)
{
	struct value *v = alloc(VAL_BOOL);
	v->u.b = !!b;
	return v;
}

struct value *val_num(double d)
{
	struct value *v = alloc(VAL_NUM);
	v->u.d = d;
	return v;
}

struct value *val_str_own(char *s, size_t len)
{
	struct value *v = alloc(VAL_STR);
	v->u.str.s = s;
	v->u.str.len = len;
	return v;
}

/* The node and its bytes in one block: half the allocations of a copy. */
struct value *val_str(const char *s, size_t len)
{
	struct value *v = arena ? arena_alloc(sizeof *v + len + 1) : xmalloc(sizeof *v + len + 1);
	memset(v, 0, sizeof *v);
	if (arena)
		v->flags = F_ARENA;
	v->type = VAL_STR;
	v->u.str.s = (char *)(v + 1);
	memcpy(v->u.str.s, s, len);
	v->u.str.s[len] = '\0';
	v->u.str.len = len;
	return v;
}

struct value *val_cstr(const char *s) { return val_str(s, strlen(s)); }

struct value *val_str_borrow(const char *s, size_t len)
{
	struct value *v = alloc(VAL_STR);
	v->u.str.s = (char *)s;
	v->u.str.len = len;
	v->flags |= F_BORROWED;
	return v;
}
struct value *val_list(void) { return alloc(VAL_LIST); }
struct value *val_map(void) { return alloc(VAL_MAP); }

struct value *val_list_sized(size_t n)
{
	struct value *v = alloc(VAL_LIST);
	if (n) {
		v->u.list.items = parts_alloc(v, n * sizeof(struct value *));
		v->u.list.cap = (uint32_t)n;
	}
	return v;
}

struct value *val_map_sized(size_t n)
{
	struct value *v = alloc(VAL_MAP);
	if (n) {
		v->u.map.kv = parts_alloc(v, n * sizeof(struct kv));
		v->u.map.cap = (uint32_t)n;
	}
	return v;
}

void val_map_fit(struct value *map)
{
	if (!map || map->type != VAL_MAP)
		return;
	force(map);
	if (map->u.map.cap <= map->u.map.n ||
	    (map->flags & F_ARENA_PARTS))
		return;
	if (!map->u.map.n) {
		free(map->u.map.kv);
		map->u.map.kv = NULL;
	} else {
		map->u.map.kv = xrealloc(map->u.map.kv, map->u.map.n * sizeof(struct kv));
	}
	map->u.map.cap = map->u.map.n;
}

struct value *val_ref(const struct value *target)
{
	struct value *v = alloc(VAL_REF);
	v->u.ref = target;
	return v;
}

struct value *val_func(struct val_func fn)
{
	struct value *v = alloc(VAL_FUNC);
	v->u.fn = fn;
	return v;
}

/* The ext of map m, made when m has none yet. */
static struct map_ext *map_ext(struct value *m)
{
	if (!m->u.map.ext)
		m->u.map.ext = xcalloc(1, sizeof *m->u.map.ext);
	return m->u.map.ext;
}

static struct value *map_below(const struct value *m)
{
	return m->u.map.ext ? m->u.map.ext->below : NULL;
}

void val_free(struct value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case VAL_STR:
		if (v->u.str.s != (char *)(v + 1) && !(v->flags & F_BORROWED))
			free(v->u.str.s);
		break;
	case VAL_LIST:
		for (size_t i = 0; i < v->u.list.n; i++)
			val_free(v->u.list.items[i]);
		if (!(v->flags & F_ARENA_PARTS))
			free(v->u.list.items);
		break;
	case VAL_MAP:
		for (size_t i = 0; i < v->u.map.n; i++) {
			kv_free_key(&v->u.map.kv[i]);
			val_free(v->u.map.kv[i].v);
		}
		if (!(v->flags & F_ARENA_PARTS))
			free(v->u.map.kv);
		if (v->u.map.ext) {
			if (v->u.map.ext->lazy) /* never filled */
				v->u.map.ext->lazy->free(v->u.map.ext->lazy);
			free(v->u.map.ext->index);
			free(v->u.map.ext);
		}
		break;
	case VAL_FUNC:
		if (v->u.fn.free)
			v->u.fn.free(v->u.fn.ud);
		break;
	default:
		break;
	}
	if (!(v->flags & F_ARENA))
		free(v);
}

struct value *val_copy(const struct value *v)
{
	if (!v)
		return NULL;
	struct value *c;
	switch (v->type) {
	case VAL_STR:
		c = val_str(v->u.str.s, v->u.str.len);
		break;
	case VAL_LIST:
		c = val_list();
		for (size_t i = 0; i < v->u.list.n; i++)
			val_push(c, val_copy(v->u.list.items[i]));
		break;
	case VAL_MAP:
		force(v);
		c = val_map_sized(v->u.map.n);
		for (size_t i = 0; i < v->u.map.n; i++)
			val_setn(c, kv_key(&v->u.map.kv[i]), v->u.map.kv[i].klen, val_copy(v->u.map.kv[i].v));
		if (map_below(v))
			map_ext(c)->below = map_below(v);
		break;
	case VAL_FUNC:
		/* Functions are not copied: the copy reads as null. */
		c = val_null();
		break;
	default:
		c = alloc((enum val_type)v->type);
		c->u = v->u;
		break;
	}
	c->line = v->line;
	c->col = v->col;
	return c;
}

int val_equal(const struct value *a, const struct value *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->type != b->type)
		return 0;
	switch (a->type) {
	case VAL_NULL: return 1;
	case VAL_BOOL: return a->u.b == b->u.b;
	case VAL_NUM: return a->u.d == b->u.d || (a->u.d != a->u.d && b->u.d != b->u.d);
	case VAL_STR:
		return a->u.str.len == b->u.str.len && !memcmp(a->u.str.s, b->u.str.s, a->u.str.len);
	case VAL_LIST:
		if (a->u.list.n != b->u.list.n)
			return 0;
		for (size_t i = 0; i < a->u.list.n; i++)
			if (!val_equal(a->u.list.items[i], b->u.list.items[i]))
				return 0;
		return 1;
	case VAL_MAP:
		force(a);
		force(b);
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (size_t i = 0; i < a->u.map.n; i++) {
			const struct kv *x = &a->u.map.kv[i], *y = &b->u.map.kv[i];
			if (x->klen != y->klen || memcmp(kv_key(x), kv_key(y), x->klen) != 0 ||
			    !val_equal(x->v, y->v))
				return 0;
		}
		return 1;
	case VAL_REF: return a->u.ref == b->u.ref;
	default: return 0; /* functions: never the same */
	}
}

enum val_type val_type(const struct value *v) { return v ? (enum val_type)v->type : VAL_NULL; }

const struct value *val_deref(const struct value *v)
{
	for (int hops = 0; v && v->type == VAL_REF && hops < 64; hops++)
		v = v->u.ref;
	return v && v->type == VAL_REF ? NULL : v;
}

int val_get_bool(const struct value *v)
{
	v = val_deref(v);
	return v && v->type == VAL_BOOL ? v->u.b : 0;
}

double val_get_num(const struct value *v)
{
	v = val_deref(v);
	return v && v->type == VAL_NUM ? v->u.d : 0.0;
}

const char *val_get_str(const struct value *v, size_t *len)
{
	v = val_deref(v);
	if (!v || v->type != VAL_STR)
		return NULL;
	if (len)
		*len = v->u.str.len;
	return v->u.str.s;
}

const struct val_func *val_get_func(const struct value *v)
{
	v = val_deref(v);
	return v && v->type == VAL_FUNC ? &v->u.fn : NULL;
}

size_t val_len(const struct value *v)
{
	v = val_deref(v);
	if (!v)
		return 0;
	if (v->type == VAL_LIST)
		return v->u.list.n;
	if (v->type == VAL_MAP) {
		force(v);
		return v->u.map.n;
	}
	return 0;
}

struct value *val_at(const struct value *v, size_t i)
{
	v = val_deref(v);
	if (!v)
		return NULL;
	if (v->type == VAL_LIST)
		return i < v->u.list.n ? v->u.list.items[i] : NULL;
	if (v->type == VAL_MAP) {
		force(v);
		return i < v->u.map.n ? v->u.map.kv[i].v : NULL;
	}
	return NULL;
}

const char *val_key_at(const struct value *v, size_t i, size_t *len)
{
	v = val_deref(v);
	if (!v || v->type != VAL_MAP)
		return NULL;
	force(v);
	if (i >= v->u.map.n)
		return NULL;
	if (len)
		*len = v->u.map.kv[i].klen;
	return kv_key(&v->u.map.kv[i]);
}

static uint32_t hash_key(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void index_insert(struct value *m, size_t pos)
{
	struct map_ext *x = m->u.map.ext;
	size_t mask = x->index_cap - 1;
	size_t slot = hash_key(kv_key(&m->u.map.kv[pos]), m->u.map.kv[pos].klen) & mask;
	while (x->index[slot])
		slot = (slot + 1) & mask;
	x->index[slot] = (uint32_t)(pos + 1);
}

/* A map below HASH_FROM keys has no index, and gets no ext for lacking one. */
static void index_rebuild(struct value *m)
{
	struct map_ext *x = m->u.map.ext;
	if (x) {
		free(x->index);
		x->index = NULL;
		x->index_cap = 0;
	}
	if (m->u.map.n < HASH_FROM)
		return;
	size_t cap = 32;
	while (cap < m->u.map.n * 2)
		cap *= 2;
	x = map_ext(m);
	x->index = xcalloc(cap, sizeof(uint32_t));
	x->index_cap = (uint32_t)cap;
	for (size_t i = 0; i < m->u.map.n; i++)
		index_insert(m, i);
}

static long find_key(const struct value *m, const char *key, size_t len)
{
	force(m);
	const struct map_ext *x = m->u.map.ext;
	if (x && x->index) {
		size_t mask = x->index_cap - 1;
		size_t slot = hash_key(key, len) & mask;
		for (uint32_t at; (at = x->index[slot]) != 0; slot = (slot + 1) & mask) {
			const struct kv *kv = &m->u.map.kv[at - 1];
			if (kv->klen == len && memcmp(kv_key(kv), key, len) == 0)
				return (long)at - 1;
		}
		return -1;
	}
	for (size_t i = 0; i < m->u.map.n; i++) {
		const struct kv *kv = &m->u.map.kv[i];
		if (kv->klen == len && memcmp(kv_key(kv), key, len) == 0)
			return (long)i;
	}
	return -1;
}

struct value *val_getn(const struct value *map, const char *key, size_t len)
{
	map = val_deref(map);
	for (int hops = 0; map && map->type == VAL_MAP && hops < 16; hops++) {
		long i = find_key(map, key, len);
		if (i >= 0)
			return map->u.map.kv[i].v;
		map = map_below(map);
	}
	return NULL;
}

struct value *val_getn_own(const struct value *map, const char *key, size_t len)
{
	map = val_deref(map);
	if (!map || map->type != VAL_MAP)
		return NULL;
	long i = find_key(map, key, len);
	return i < 0 ? NULL : map->u.map.kv[i].v;
}

struct value *val_map_over(struct value *below)
{
	struct value *m = val_map();
	val_set_below(m, below);
	return m;
}

void val_set_below(struct value *map, struct value *below)
{
	if (map && map->type == VAL_MAP && (below || map->u.map.ext))
		map_ext(map)->below = below;
}

struct value *val_below(const struct value *map)
{
	return map && map->type == VAL_MAP ? map_below(map) : NULL;
}

struct value *val_flatten(const struct value *map)
{
	map = val_deref(map);
	struct value *out = val_map();
	for (int hops = 0; map && map->type == VAL_MAP && hops < 16; hops++) {
		force(map);
		for (size_t i = 0; i < map->u.map.n; i++) {
			const struct kv *kv = &map->u.map.kv[i];
			if (find_key(out, kv_key(kv), kv->klen) < 0)
				val_setn(out, kv_key(kv), kv->klen, val_copy(kv->v));
		}
		map = map_below(map);
	}
	return out;
}

/* Only maps carry an id (every view is one): other nodes have no room
 * for it, and setting one on them does nothing. */
void val_set_obj(struct value *v, uint32_t id)
{
	if (v && v->type == VAL_MAP && (id || v->u.map.ext))
		map_ext(v)->obj = id;
}

uint32_t val_obj(const struct value *v)
{
	return v && v->type == VAL_MAP && v->u.map.ext ? v->u.map.ext->obj : 0;
}

struct value *val_get(const struct value *map, const char *key)
{
	return val_getn(map, key, strlen(key));
}

const char *val_get_cstr(const struct value *map, const char *key)
{
	return val_get_str(val_get(map, key), NULL);
}

void val_push(struct value *list, struct value *item)
{
	if (list->type != VAL_LIST) {
		val_free(item);
		return;
	}
	if (list->u.list.n == list->u.list.cap) {
		size_t old = list->u.list.cap * sizeof(struct value *);
		list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
		list->u.list.items = parts_grow(list, list->u.list.items, old,
		                                list->u.list.cap * sizeof(struct value *));
	}
	list->u.list.items[list->u.list.n++] = item;
}

void val_setn(struct value *map, const char *key, size_t len, struct value *item)
{
	if (map->type != VAL_MAP) {
		val_free(item);
		return;
	}
	long i = find_key(map, key, len);
	if (i >= 0) {
		val_free(map->u.map.kv[i].v);
		map->u.map.kv[i].v = item;
		return;
	}
	char keep[KV_INLINE + 1];
	if (map->u.map.n == map->u.map.cap) {
		/* a key read from this very map (inline in an entry) moves too */
		const char *from = (const char *)map->u.map.kv;
		if (from && key >= from && key < from + map->u.map.cap * sizeof(struct kv)) {
			memcpy(keep, key, len);
			key = keep;
		}
		size_t old = map->u.map.cap * sizeof(struct kv);
		map->u.map.cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
		map->u.map.kv = parts_grow(map, map->u.map.kv, old, map->u.map.cap * sizeof(struct kv));
	}
	struct kv *kv = &map->u.map.kv[map->u.map.n++];
	if (len <= KV_INLINE) {
		memcpy(kv->k.in, key, len);
		kv->k.in[len] = '\0';
	} else {
		kv->k.ptr = xstrndup(key, len);
	}
	kv->klen = len;
	kv->v = item;
	const struct map_ext *x = map->u.map.ext;
	int indexed = x && x->index;
	if (map->u.map.n == HASH_FROM || (indexed && map->u.map.n * 2 > x->index_cap))
		index_rebuild(map);
	else if (indexed)
		index_insert(map, map->u.map.n - 1);
}

void val_set(struct value *map, const char *key, struct value *item)
{
	val_setn(map, key, strlen(key), item);
}

struct value *val_take(struct value *map, const char *key)
{
	if (!map || map->type != VAL_MAP)
		return NULL;
	long i = find_key(map, key, strlen(key));
	if (i < 0)
		return NULL;
	struct value *v = map->u.map.kv[i].v;
	kv_free_key(&map->u.map.kv[i]);
	memmove(&map->u.map.kv[i], &map->u.map.kv[i + 1],
	        (map->u.map.n - (size_t)i - 1) * sizeof(struct kv));
	map->u.map.n--;
	index_rebuild(map);
	return v;
}

void val_set_str(struct value *map, const char *key, const char *s) { val_set(map, key, val_cstr(s)); }
void val_set_num(struct value *map, const char *key, double d) { val_set(map, key, val_num(d)); }
void val_set_bool(struct value *map, const char *key, int b) { val_set(map, key, val_bool(b)); }

/* A column past COL_MAX (a line over 64 KiB) reads as COL_MAX. */
void val_set_pos(struct value *v, int line, int col)
{
	v->line = line;
	v->col = (uint16_t)(col < 0 ? 0 : col > COL_MAX ? COL_MAX : col);
}

int val_line(const struct value *v) { return v ? v->line : 0; }
int val_col(const struct value *v) { return v ? v->col : 0; }

void val_format_num(buf *out, double d)
{
	char tmp[40];
	if (isnan(d)) {
		buf_puts(out, "NaN");
		return;
	}
	if (isinf(d)) {
		buf_puts(out, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (fabs(d) < 1e15 && d == (double)(long long)d) {
		snprintf(tmp, sizeof tmp, "%lld", (long long)d);
		buf_puts(out, tmp);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(out, tmp);
}

void val_put_scalar(buf *out, const struct value *v)
{
	v = val_deref(v);
	switch (val_type(v)) {
	case VAL_STR: buf_put(out, v->u.str.s, v->u.str.len); break;
	case VAL_NUM: val_format_num(out, v->u.d); break;
	case VAL_BOOL: buf_puts(out, v->u.b ? "true" : "false"); break;
	default: break;
	}
}

const char *val_type_name(enum val_type t)
{
	static const char *const names[] = {"null", "boolean", "number", "string",
	                                    "list", "map", "reference", "function"};
	return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

/* JSON string escapes: control characters, and < > & so the text stays
 * safe inside <script>. */
static const struct buf_escape json_escape[256] = {
	[0x00] = {"\\u0000", 6}, [0x01] = {"\\u0001", 6}, [0x02] = {"\\u0002", 6},
	[0x03] = {"\\u0003", 6}, [0x04] = {"\\u0004", 6}, [0x05] = {"\\u0005", 6},
	[0x06] = {"\\u0006", 6}, [0x07] = {"\\u0007", 6}, [0x08] = {"\\u0008", 6},
	[0x09] = {"\\t", 2}, [0x0a] = {"\\n", 2}, [0x0b] = {"\\u000b", 6},
	[0x0c] = {"\\u000c", 6}, [0x0d] = {"\\r", 2}, [0x0e] = {"\\u000e", 6},
	[0x0f] = {"\\u000f", 6}, [0x10] = {"\\u0010", 6}, [0x11] = {"\\u0011", 6},
	[0x12] = {"\\u0012", 6}, [0x13] = {"\\u0013", 6}, [0x14] = {"\\u0014", 6},
	[0x15] = {"\\u0015", 6}, [0x16] = {"\\u0016", 6}, [0x17] = {"\\u0017", 6},
	[0x18] = {"\\u0018", 6}, [0x19] = {"\\u0019", 6}, [0x1a] = {"\\u001a", 6},
	[0x1b] = {"\\u001b", 6}, [0x1c] = {"\\u001c", 6}, [0x1d] = {"\\u001d", 6},
	[0x1e] = {"\\u001e", 6}, [0x1f] = {"\\u001f", 6},
	['"'] = {"\\\"", 2}, ['\\'] = {"\\\\", 2},
	['<'] = {"\\u003c", 6}, ['>'] = {"\\u003e", 6}, ['&'] = {"\\u0026", 6},
};

void val_put_json_chars(buf *out, const char *s, size_t len)
{
	buf_put_escaped(out, s, len, json_escape);
}

static void json_string(buf *out, const char *s, size_t len)
{
	buf_putc(out, '"');
	val_put_json_chars(out, s, len);
	buf_putc(out, '"');
}

static void json_depth(buf *out, const struct value *v, int depth);

void val_to_json(buf *out, const struct value *v)
{
	json_depth(out, v, 0);
}

/* References can make cycles (an article's topic lists the article): past
 * 32 levels a value is written as null. */
static void json_depth(buf *out, const struct value *v, int depth)
{
	v = val_deref(v);
	if (depth > 32) {
		buf_puts(out, "null");
		return;
	}
	switch (val_type(v)) {
	case VAL_BOOL: buf_puts(out, v->u.b ? "true" : "false"); break;
	case VAL_NUM:
		if (isfinite(v->u.d))
			val_format_num(out, v->u.d);
		else
			buf_puts(out, "null");
		break;
	case VAL_STR: json_string(out, v->u.str.s, v->u.str.len); break;
	case VAL_LIST:
		buf_putc(out, '[');
		for (size_t i = 0; i < v->u.list.n; i++) {
			if (i)
				buf_putc(out, ',');
			json_depth(out, v->u.list.items[i], depth + 1);
		}
		buf_putc(out, ']');
		break;
	case VAL_MAP:
		force(v);
		buf_putc(out, '{');
		for (size_t i = 0; i < v->u.map.n; i++) {
			if (i)
				buf_putc(out, ',');
			json_string(out, kv_key(&v->u.map.kv[i]), v->u.map.kv[i].klen);
			buf_putc(out, ':');
			json_depth(out, v->u.map.kv[i].v, depth + 1);
		}
		buf_putc(out, '}');
		break;
	default: buf_puts(out, "null"); break;
	}
}
