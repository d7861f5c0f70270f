/* pages.c: per page URL, the last render's serial, tick, reads and
 * messages (pages.h). */
#include "pages.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cachefile.h"
#include "hashes.h"
#include "pool.h"

struct pg_rec {
	char *url;
	uint64_t serial; /* of the page rendered, 0 never */
	uint32_t ran;
	int volatile_;
	struct tr_deps deps;
	struct diag *d;
	unsigned mark;
	const char *cached; /* the build cache's bytes for it, until it is rendered */
	size_t cached_len;  /* again (saved again as they are) */
};

struct pg_set {
	struct hs_table *index; /* url -> position in recs */
	struct pg_rec **recs;
	size_t n, cap;
	unsigned mark;
	/* a page's rec (struct page) is this set's record of its URL while its
	 * rec_epoch is this; a new one for each set and after records are
	 * freed. A page kept from one update to the next then needs no lookup
	 * of its URL: 26,500 of them took 10-15 ms at 10k. */
	uint64_t epoch;
};

static uint64_t new_epoch(void)
{
	static atomic_uint_fast64_t epochs;
	return atomic_fetch_add(&epochs, 1) + 1;
}

struct pg_set *pg_new(void)
{
	struct pg_set *ps = xcalloc(1, sizeof *ps);
	ps->index = hs_table_new();
	ps->epoch = new_epoch();
	return ps;
}

static void rec_free(struct pg_rec *r)
{
	free(r->url);
	tr_deps_free(&r->deps);
	diag_free(r->d);
	free(r);
}

void pg_free(struct pg_set *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->n; i++)
		rec_free(ps->recs[i]);
	free(ps->recs);
	hs_table_free(ps->index);
	free(ps);
}

static struct pg_rec *find(struct pg_set *ps, const char *url)
{
	uint64_t at;
	if (hs_get(ps->index, url, &at))
		return ps->recs[at];
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 1024;
		ps->recs = xrealloc(ps->recs, ps->cap * sizeof *ps->recs);
	}
	struct pg_rec *r = xcalloc(1, sizeof *r);
	r->url = xstrdup(url);
	r->d = diag_new();
	hs_put(ps->index, url, ps->n, 0);
	ps->recs[ps->n++] = r;
	return r;
}

/* One page: its record, when it has one (the index is only read here),
 * marked, and whether the page is to render. On the pool. */
struct plan {
	struct pg_set *ps;
	const struct track *t;
	struct page *const *pages;
	struct pg_rec **recs;
	unsigned char *todo;
};

/* Is the page to render again: another page than the record's, a lambda
 * in its last render, or something it read changed since? */
static int to_render(const struct track *t, const struct pg_rec *r, const struct page *p)
{
	return r->serial != p->serial || r->volatile_ || tr_deps_stale(t, &r->deps, r->ran);
}

/* The record of page pg, when it has one (each page is one worker's). */
static struct pg_rec *rec_of(const struct pg_set *ps, struct page *pg)
{
	if (pg->rec && pg->rec_epoch == ps->epoch)
		return pg->rec;
	uint64_t at;
	if (!hs_get(ps->index, pg->url, &at))
		return NULL;
	pg->rec = ps->recs[at];
	pg->rec_epoch = ps->epoch;
	return pg->rec;
}

static void plan_one(void *ctx, size_t i)
{
	const struct plan *p = ctx;
	struct pg_rec *r = rec_of(p->ps, p->pages[i]);
	if (!r)
		return; /* a new page: its record is made after */
	p->recs[i] = r;
	r->mark = p->ps->mark; /* (pages have distinct URLs: check_pages) */
	p->todo[i] = (unsigned char)to_render(p->t, r, p->pages[i]);
}

size_t pg_plan(struct pg_set *ps, const struct track *t, struct page *const *pages, size_t n,
               struct pg_rec **recs, unsigned char *todo, int workers,
               void (*on_gone)(void *ctx, const char *url), void *ctx)
{
	ps->mark++;
	/* 26,500 pages at 10k briefs: their lookups took 8-11 ms and their
	 * deps 20 ms on one thread */
	memset(recs, 0, n * sizeof *recs);
	struct plan plan = {ps, t, pages, recs, todo};
	pool_run_blocks(workers, n, 512, plan_one, &plan);
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!recs[i]) { /* (the index and the list grow: on this thread) */
			recs[i] = find(ps, pages[i]->url);
			pages[i]->rec = recs[i];
			pages[i]->rec_epoch = ps->epoch;
			recs[i]->mark = ps->mark;
			todo[i] = (unsigned char)to_render(t, recs[i], pages[i]);
		}
		count += todo[i];
	}
	/* the records of pages gone */
	size_t out = 0;
	int gone = 0;
	for (size_t i = 0; i < ps->n; i++) {
		if (ps->recs[i]->mark == ps->mark) {
			ps->recs[out++] = ps->recs[i];
		} else {
			if (on_gone)
				on_gone(ctx, ps->recs[i]->url);
			rec_free(ps->recs[i]);
			gone = 1;
		}
	}
	ps->n = out;
	if (gone) {
		ps->epoch = new_epoch(); /* records went: the pages' may be among them */
		hs_clear(ps->index);
		for (size_t i = 0; i < ps->n; i++)
			hs_put(ps->index, ps->recs[i]->url, i, 0);
	}
	return count;
}

void pg_done(struct pg_rec *r, const struct page *p, uint32_t tick, struct tr_log *reads,
             int volatile_, const struct diag *d)
{
	tr_log_merge(reads);
	tr_deps_take(&r->deps, reads);
	r->serial = p->serial;
	r->ran = tick;
	r->volatile_ = volatile_;
	r->cached = NULL;
	diag_free(r->d);
	r->d = diag_new();
	diag_append(r->d, d);
}

const struct diag *pg_messages(const struct pg_rec *r)
{
	return r->d;
}

void pg_save(const struct pg_set *ps, struct cf_writer *w, int reuse)
{
	cf_u64(w, ps->n);
	for (size_t i = 0; i < ps->n; i++) {
		const struct pg_rec *r = ps->recs[i];
		if (reuse && r->cached) {
			cf_item_raw(w, r->cached, r->cached_len);
			continue;
		}
		cf_item(w);
		cf_str(w, r->url);
		cf_u64(w, r->serial);
		cf_u64(w, r->ran);
		cf_u64(w, (uint64_t)r->volatile_);
		tr_deps_save(&r->deps, w);
		diag_save(r->d, w);
	}
}

/* One page's record (an item, its bytes from r's position on). */
static int load_rec(struct pg_set *ps, struct cf_reader *r)
{
	const char *from = r->p;
	char *url = cf_get_str(r);
	if (!url) {
		r->ok = 0;
		return -1;
	}
	struct pg_rec *rec = find(ps, url);
	free(url);
	rec->serial = cf_get_u64(r);
	rec->ran = (uint32_t)cf_get_u64(r);
	rec->volatile_ = (int)cf_get_u64(r);
	if (tr_deps_load(&rec->deps, r) != 0)
		return -1;
	diag_free(rec->d);
	rec->d = diag_load(r);
	rec->cached = from;
	rec->cached_len = (size_t)(r->p - from);
	return cf_ok(r) ? 0 : -1;
}

int pg_load(struct pg_set *ps, struct cf_reader *r)
{
	uint64_t n = cf_get_u64(r);
	if (!cf_ok(r) || n > (uint64_t)(r->end - r->p))
		return -1;
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		struct cf_reader sub, *in = cf_get_item(r, &sub);
		if (load_rec(ps, in) != 0)
			r->ok = 0;
		cf_item_end(r, in);
	}
	return cf_ok(r) ? 0 : -1;
}
