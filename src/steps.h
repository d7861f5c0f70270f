/* steps.h: keyed site hooks. A script's grouping is split into steps the
 * engine can run in parallel and, between builds, re-run only where their
 * inputs changed:
 *   start(site, emit)            once, declares keys that need no article
 *   emit(article, emit)          per article: files it under group keys
 *   group.G(key, records, site)  per key of group G: pages, fields, summary
 *   finish.G(summaries, site)    per group: site-wide pages over summaries
 * A step never writes shared state while it runs: what it makes (records,
 * fields set on articles, topics, people and objects, pages, site data,
 * messages) is kept in its st_out and applied afterwards, serially, in a
 * fixed order, so the result does not depend on which worker ran what. */
#ifndef BRIEFING_STEPS_H
#define BRIEFING_STEPS_H

#include <stddef.h>

#include "diag.h"
#include "site.h"

struct lb;
struct lb_scripts;

/* One record: an article (or none, from start) filed under group/key. */
struct st_record {
	char *group, *key;
	struct article *article;
	struct value *value; /* NULL when emitted without one */
};

/* Every record of a run, sorted by group, key and site order (records
 * without an article first). */
struct st_table {
	struct st_record **recs;
	size_t n;
};
/* The records filed under group/key: *n of them (possibly 0). */
struct st_record *const *st_table_find(const struct st_table *t, const char *group,
                                       const char *key, size_t *n);

/* A field a step sets on an article, entity or object view (or the site
 * map): view is its top layer. */
struct st_write {
	struct value *view;
	char *field;
	struct value *value;
};

/* What one step made. */
struct st_out {
	struct st_record *recs;
	size_t n_recs, cap_recs;
	struct st_write *writes;
	size_t n_writes, cap_writes;
	struct page **pages;
	size_t n_pages, cap_pages;
	struct st_write *site_sets; /* site:set_data (view is the site map) */
	size_t n_site_sets, cap_site_sets;
	struct value *summary;      /* group steps: what the step returned */
	struct diag *diag;          /* its messages */
	int stage;                  /* 1 start and emit, 2 group, 3 finish: the
	                             * layer it writes, above the one it reads */
};

void st_out_init(struct st_out *o, int stage);
/* Frees what o holds (pages not yet handed over included). */
void st_out_clear(struct st_out *o);
/* Each takes ownership of value (and of p). */
void st_out_record(struct st_out *o, const char *group, const char *key, struct article *a,
                   struct value *value);
void st_out_write(struct st_out *o, struct value *view, const char *field, struct value *value);
void st_out_site(struct st_out *o, struct value *site_map, const char *key, struct value *value);
void st_out_page(struct st_out *o, struct page *p);

/* Runs every keyed step of the site's scripts: start and emit on the
 * workers' states, then the group steps in parallel, then finish on the
 * main state, applying each stage's results before the next. workers[0..n)
 * are the states that filtered articles; main is the hook state. Returns 0
 * or -1 (errors reported to s->diag). */
int st_run(struct site *s, const struct lb_scripts *sc, struct lb **workers, int nworkers,
           struct lb *main, double *seconds);

#endif
