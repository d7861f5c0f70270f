/* steps.h: keyed site hooks. A script's grouping is split into steps the
 * engine can run in parallel and, between builds, re-run only where what
 * they read changed:
 *   start(site, emit)            once, declares keys that need no article
 *   emit(article, emit)          per article: files it under group keys
 *   group.G(key, records, site)  per key of group G: pages, fields, summary
 *   finish.G(summaries, site)    per group: site-wide pages over summaries
 * A step never writes shared state while it runs: what it makes (records,
 * fields set on articles, topics, people and objects, pages, site data,
 * messages) is kept in its st_out and applied afterwards, serially, in a
 * fixed order, so the result does not depend on which worker ran what.
 *
 * A step of stage s (1 start and emit, 2 group, 3 finish) reads the layers
 * of views below s (site.h) and writes layer s. Everything it reads is
 * logged (track.h): an update runs a step again only when something it
 * read changed since it last ran, and applies the difference between its
 * new and its old results, so that what did not change keeps its stamps. */
#ifndef BRIEFING_STEPS_H
#define BRIEFING_STEPS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "site.h"
#include "track.h"

struct lb;
struct lb_scripts;

/* One record: an article (or none, from start) filed under group/key. */
struct st_record {
	char *group, *key;   /* one block: key points into group's */
	struct article *article;
	/* its value (none when both are NULL): encoded as the build cache
	 * writes a value (site_pack), or a tree when it cannot be (a lambda);
	 * st_record_value decodes it */
	struct value *value;
	const char *packed;
	uint32_t packed_len;
	uint32_t seq : 30;      /* emission order within its step */
	uint32_t shared : 1;    /* the names' block is the state's, one per key
	                         * (read from or saved to the build cache), not
	                         * the record's */
	uint32_t packed_own : 1; /* packed is the record's (else the mapped cache's) */
	uint32_t script;        /* start records: the script that made it */
};

/* A field a step sets on a view (an article, entity or object, or the
 * site map): view is the view's top layer. */
struct st_write {
	struct value *view;  /* only while the step's results are new */
	uint32_t obj;        /* the view's object id: what is compared and kept */
	char *field;
	struct value *value; /* NULL once applied (the layer owns it) */
};

/* What one step made, and what it read. */
struct st_out {
	struct st_record *recs;
	size_t n_recs, cap_recs;
	struct st_write *writes;
	size_t n_writes, cap_writes;
	struct page **pages;
	size_t n_pages, cap_pages;
	struct st_write *site_sets; /* site:set_data (view is the site map) */
	size_t n_site_sets, cap_site_sets;
	const char *writes_at;      /* or both as the build cache's bytes, decoded */
	size_t writes_len;          /* when the step runs again (load_writes) */
	struct value *summary;      /* group steps: what the step returned, */
	const char *summary_at;     /* or its bytes in the build cache, decoded */
	size_t summary_len;         /* when first asked for (0: none) */
	struct diag *diag;          /* its messages (shown on every build) */
	int stage;                  /* 1 start and emit, 2 group, 3 finish */
	struct tr_log reads;        /* what it read, merged into its deps */
	uint32_t ran;               /* the tick it ran at */
};

void st_out_init(struct st_out *o, int stage);
/* Frees what o holds. */
void st_out_clear(struct st_out *o);
/* Each takes ownership of value (and of p). */
void st_out_record(struct st_out *o, const char *group, const char *key, struct article *a,
                   struct value *value);
void st_out_write(struct st_out *o, struct value *view, const char *field, struct value *value);
void st_out_site(struct st_out *o, struct value *site_map, const char *key, struct value *value);
void st_out_page(struct st_out *o, struct page *p);

/* The records of one key, in site order (start's first), and the tracked
 * object that changes when they do. */
struct st_key;
struct st_record *const *st_key_records(const struct st_key *k, size_t *n);
/* r's value as a tree: r's own, or one decoded into *own (the caller
 * frees it). NULL for none. Safe on many threads at once. */
const struct value *st_record_value(const struct site *s, const struct st_record *r,
                                    struct value **own);
uint32_t st_key_obj(const struct st_key *k);

/* Everything the steps of a site made, kept between updates. */
struct st_state;
struct st_state *st_new(struct site *s, const struct lb_scripts *sc, struct lb *any);
const struct site *st_site(const struct st_state *st);
void st_free(struct st_state *st);
/* The key group/key, or NULL. */
struct st_key *st_find(const struct st_state *st, const char *group, const char *key);

/* Waits for the key lists st_load files on a thread: before anything
 * changes the articles' ranks (site_resolve) or the steps. The state's
 * own functions that need the lists call it. */
void st_settle(struct st_state *st);
/* Before article a is freed or replaced: its emit step's results go. */
void st_forget(struct st_state *st, struct article *a);

struct st_stats {
	size_t emits, groups, finishes; /* steps run */
	double seconds;
};

/* Runs every step that never ran or read something that changed, in
 * stages: start and emit on the workers' states, group steps in parallel,
 * finish on the main state; applies what changed. Returns 0 or -1 (errors
 * reported to s->diag, with every step's kept messages in order). */
int st_update(struct st_state *st, struct lb **workers, int nworkers, struct lb *main,
              struct st_stats *stats);

/* Calls add(ctx, p) for every page the steps made, in step order. */
void st_pages(const struct st_state *st, void (*add)(void *ctx, struct page *p), void *ctx);

/* The build cache: every step's results, reads and the keys' ids. st_load
 * reads into a state fresh from st_new, after site_load (whose reader's
 * view lookup it uses). Returns 0 or -1. */
struct cf_writer;
struct cf_reader;
void st_save(struct st_state *st, struct cf_writer *w);
int st_load(struct st_state *st, struct cf_reader *r);

/* Main state: site.collections[G] = the summaries of group G (key order),
 * for site hooks written against the whole-site API. */
void st_collections(const struct st_state *st, struct lb *main);
/* each(ctx, key, summary) for every key of group (every script that
 * groups it), in key order: what its group step returned, NULL for none.
 * The summaries belong to the state. st may be NULL (no steps ran). */
void st_summaries(const struct st_state *st, const char *group,
                  void (*each)(void *ctx, const char *key, const struct value *summary),
                  void *ctx);

#endif
