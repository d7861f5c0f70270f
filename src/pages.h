/* pages.h: what each page's last render read and said, kept between the
 * updates of one build state, so that an update renders only the pages
 * that are new, whose data changed (their page has a new serial), whose
 * last render ran a lambda, or that read something that changed since
 * (track.h). The others keep their file and show their messages again. */
#ifndef BRIEFING_PAGES_H
#define BRIEFING_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "site.h"
#include "track.h"

struct pg_set;
struct pg_rec;

struct pg_set *pg_new(void);
void pg_free(struct pg_set *ps);

/* Finds (or makes) the record of each of pages[0..n), sets recs[i], and
 * todo[i] for the pages to render, checking their deps on up to workers
 * threads; forgets the records of pages gone, calling gone(ctx, url) for
 * each first (gone may be NULL). Returns how many to render. */
size_t pg_plan(struct pg_set *ps, const struct track *t, struct page *const *pages, size_t n,
               struct pg_rec **recs, unsigned char *todo, int workers,
               void (*gone)(void *ctx, const char *url), void *ctx);
/* After rendering p at tick: its reads (taken and merged), whether a
 * lambda ran, its messages (copied). Thread-safe for distinct records. */
void pg_done(struct pg_rec *r, const struct page *p, uint32_t tick, struct tr_log *reads,
             int volatile_, const struct diag *d);
/* The messages of the page's last render. */
const struct diag *pg_messages(const struct pg_rec *r);

/* The build cache: every record. */
struct cf_writer;
struct cf_reader;
/* reuse: a record read from the cache and not rendered since is written
 * as the bytes read (else everything is encoded again). */
void pg_save(const struct pg_set *ps, struct cf_writer *w, int reuse);
int pg_load(struct pg_set *ps, struct cf_reader *r);

#endif
