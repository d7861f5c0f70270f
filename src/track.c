/* track.c: object ids, field bits and the clock of track.h. An object
 * keeps the tick of its last change and, once a change comes after its
 * birth, a stamp per bit (64 ticks): most objects never change after the
 * build that made them and cost a few words. */
#include "track.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cachefile.h"

struct tobj {
	void *owner;
	unsigned char kind;
	uint32_t born;    /* every bit's stamp until stamps is made */
	uint32_t *stamps; /* per bit, or NULL */
};

struct track {
	struct tobj *objs; /* index = id (0 unused) */
	/* per id, the latest stamp of any bit: apart from objs, since checking
	 * the deps of every page and step reads this alone (4 bytes an object
	 * instead of a 32-byte tobj each) */
	uint32_t *last;
	size_t n, cap;
	uint32_t now;
	pthread_mutex_t lock;
};

struct track *tr_new(void)
{
	struct track *t = xcalloc(1, sizeof *t);
	t->n = 1;
	t->now = 1;
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void tr_free(struct track *t)
{
	if (!t)
		return;
	for (size_t i = 1; i < t->n; i++)
		free(t->objs[i].stamps);
	free(t->objs);
	free(t->last);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

uint32_t tr_add(struct track *t, enum tr_kind kind, void *owner)
{
	pthread_mutex_lock(&t->lock);
	if (t->n >= t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->objs = xrealloc(t->objs, t->cap * sizeof *t->objs);
		t->last = xrealloc(t->last, t->cap * sizeof *t->last);
	}
	uint32_t id = (uint32_t)t->n++;
	t->objs[id] = (struct tobj){owner, (unsigned char)kind, t->now, NULL};
	t->last[id] = t->now;
	pthread_mutex_unlock(&t->lock);
	return id;
}

void tr_kill(struct track *t, uint32_t id)
{
	if (!id || id >= t->n)
		return;
	struct tobj *o = &t->objs[id];
	free(o->stamps);
	o->stamps = NULL;
	o->owner = NULL;
	o->born = t->last[id] = t->now;
}

void *tr_owner(const struct track *t, uint32_t id, enum tr_kind *kind)
{
	if (!id || id >= t->n)
		return NULL;
	if (kind)
		*kind = (enum tr_kind)t->objs[id].kind;
	return t->objs[id].owner;
}

uint32_t tr_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h ^ (h >> 16);
}

uint64_t tr_bit(const char *name, size_t len)
{
	return (uint64_t)1 << (tr_hash(name, len) & 63);
}

uint32_t tr_now(const struct track *t)
{
	return t->now;
}

uint32_t tr_tick(struct track *t)
{
	return ++t->now;
}

void tr_changed(struct track *t, uint32_t id, uint64_t bits)
{
	if (!id || id >= t->n || !bits)
		return;
	struct tobj *o = &t->objs[id];
	if (bits == TR_ALL) {
		free(o->stamps);
		o->stamps = NULL;
		o->born = t->last[id] = t->now;
		return;
	}
	if (!o->stamps && o->born == t->now) {
		/* every bit's stamp is already now: no table (a key filled in
		 * the stage that made it, most of them) */
		t->last[id] = t->now;
		return;
	}
	if (!o->stamps) {
		o->stamps = xmalloc(64 * sizeof *o->stamps);
		for (int b = 0; b < 64; b++)
			o->stamps[b] = o->born;
	}
	for (int b = 0; b < 64; b++)
		if (bits >> b & 1)
			o->stamps[b] = t->now;
	t->last[id] = t->now;
}

int tr_changed_after(const struct track *t, uint32_t id, uint32_t since)
{
	return !id || id >= t->n || !t->objs[id].owner || t->last[id] > since;
}

static int logging = 1;

void tr_log_enable(int on)
{
	logging = on;
}

int tr_log_enabled(void)
{
	return logging;
}

void tr_log_read(struct tr_log *l, uint32_t obj, uint64_t bits)
{
	if (!obj || !logging)
		return;
	/* the same object read again and again (one article's fields) */
	if (l->n && l->d[l->n - 1].obj == obj) {
		l->d[l->n - 1].bits |= bits;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->d = xrealloc(l->d, l->cap * sizeof *l->d);
	}
	l->d[l->n++] = (struct tr_dep){obj, bits};
}

static int dep_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct tr_dep *)a)->obj, y = ((const struct tr_dep *)b)->obj;
	return x < y ? -1 : x > y;
}

void tr_log_merge(struct tr_log *l)
{
	if (!l->n) {
		tr_log_free(l);
		return;
	}
	qsort(l->d, l->n, sizeof *l->d, dep_cmp);
	size_t out = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (out && l->d[out - 1].obj == l->d[i].obj)
			l->d[out - 1].bits |= l->d[i].bits;
		else
			l->d[out++] = l->d[i];
	}
	l->n = out;
	/* a merged log is kept (a step's or a page's deps): no spare room */
	if (l->cap > out + out / 8) {
		l->d = xrealloc(l->d, out * sizeof *l->d);
		l->cap = out;
	}
}

void tr_log_free(struct tr_log *l)
{
	free(l->d);
	memset(l, 0, sizeof *l);
}

int tr_stale(const struct track *t, const struct tr_dep *deps, size_t n, uint32_t since)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t id = deps[i].obj;
		if (id >= t->n)
			return 1;
		if (t->last[id] <= since)
			continue;
		const struct tobj *o = &t->objs[id];
		if (!o->stamps)
			return 1;
		uint64_t bits = deps[i].bits;
		for (int b = 0; bits; b++, bits >>= 1)
			if ((bits & 1) && o->stamps[b] > since)
				return 1;
	}
	return 0;
}

void tr_deps_take(struct tr_deps *deps, struct tr_log *l)
{
	free(deps->d);
	deps->d = l->d;
	deps->n = (uint32_t)l->n;
	deps->at = NULL;
	deps->len = 0;
	memset(l, 0, sizeof *l);
}

void tr_deps_free(struct tr_deps *deps)
{
	free(deps->d);
	memset(deps, 0, sizeof *deps);
}

int tr_deps_stale(const struct track *t, const struct tr_deps *deps, uint32_t since)
{
	if (!deps->at)
		return tr_stale(t, deps->d, deps->n, since);
	struct cf_reader r = {.p = deps->at, .end = deps->at + deps->len, .ok = 1, .borrow = 1};
	for (uint32_t i = 0; i < deps->n; i++) {
		struct tr_dep d;
		d.obj = (uint32_t)cf_get_u64(&r);
		if (cf_ok(&r) && d.obj < t->n && t->last[d.obj] <= since) {
			cf_skip_u64(&r, 1); /* unchanged: its bits (often ten bytes) do not matter */
			continue;
		}
		d.bits = cf_get_u64(&r);
		if (!cf_ok(&r) || tr_stale(t, &d, 1, since))
			return 1;
	}
	return cf_ok(&r) ? 0 : 1;
}

/* ---- the build cache ---- */

void tr_save(const struct track *t, struct cf_writer *w)
{
	cf_u64(w, t->now);
	cf_u64(w, t->n);
	for (size_t i = 1; i < t->n; i++) {
		const struct tobj *o = &t->objs[i];
		cf_u64(w, o->kind);
		cf_u64(w, o->born);
		cf_u64(w, t->last[i]);
		cf_u64(w, o->stamps != NULL);
		for (int b = 0; o->stamps && b < 64; b++)
			cf_u64(w, o->stamps[b]);
	}
}

void tr_deps_save(const struct tr_deps *deps, struct cf_writer *w)
{
	cf_u64(w, deps->n);
	if (deps->at) {
		cf_raw(w, deps->at, deps->len);
		return;
	}
	for (uint32_t i = 0; i < deps->n; i++) {
		cf_u64(w, deps->d[i].obj);
		cf_u64(w, deps->d[i].bits);
	}
}

int tr_deps_load(struct tr_deps *deps, struct cf_reader *r)
{
	tr_deps_free(deps);
	uint64_t n = cf_get_u64(r);
	const char *at = r->p;
	if (!cf_ok(r) || n > (uint64_t)(r->end - r->p) / 2) {
		r->ok = 0;
		return -1;
	}
	cf_skip_u64(r, 2 * (size_t)n);
	if (!cf_ok(r) || r->p - at > UINT32_MAX) {
		r->ok = 0;
		return -1;
	}
	deps->n = (uint32_t)n;
	deps->at = n ? at : NULL;
	deps->len = (uint32_t)(r->p - at);
	return 0;
}

int tr_load(struct track *t, struct cf_reader *r)
{
	uint32_t now = (uint32_t)cf_get_u64(r);
	uint64_t n = cf_get_u64(r);
	if (!cf_ok(r) || n < 1 || n > (uint64_t)(r->end - r->p) + 1)
		return -1;
	for (size_t i = 1; i < t->n; i++)
		free(t->objs[i].stamps);
	t->cap = (size_t)n + 1024;
	t->objs = xrealloc(t->objs, t->cap * sizeof *t->objs);
	t->last = xrealloc(t->last, t->cap * sizeof *t->last);
	memset(t->objs, 0, sizeof *t->objs);
	t->last[0] = 0;
	t->n = (size_t)n;
	for (size_t i = 1; i < t->n; i++) {
		struct tobj *o = &t->objs[i];
		memset(o, 0, sizeof *o);
		o->kind = (unsigned char)cf_get_u64(r);
		o->born = (uint32_t)cf_get_u64(r);
		t->last[i] = (uint32_t)cf_get_u64(r);
		if (cf_get_u64(r)) {
			o->stamps = xmalloc(64 * sizeof *o->stamps);
			for (int b = 0; b < 64; b++)
				o->stamps[b] = (uint32_t)cf_get_u64(r);
		}
		if (!cf_ok(r))
			return -1;
	}
	t->now = now;
	return 0;
}

int tr_attach(struct track *t, uint32_t id, enum tr_kind kind, void *owner)
{
	if (!id || id >= t->n || t->objs[id].owner || t->objs[id].kind != (unsigned char)kind)
		return -1;
	t->objs[id].owner = owner;
	return 0;
}
