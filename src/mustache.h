/* mustache.h: Mustache templates (the official spec, with the optional
 * inheritance, dynamic-names and lambda modules), compiled once into an
 * immutable form and rendered many times, from many threads at once.
 * It knows nothing about files: callers hand it named template texts. */
#ifndef BRIEFING_MUSTACHE_H
#define BRIEFING_MUSTACHE_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "value.h"

/* A set of named, compiled templates; partials and parents are looked up
 * by name in the same set ("layout", "brief-card", "article"). */
struct mst_set;

struct mst_set *mst_set_new(void);
void mst_set_free(struct mst_set *set);

/* Compiles text under name (replacing an earlier template of that name).
 * path names the file in messages ("themes/default/article.mustache").
 * Syntax errors go to d as path:line:col errors; returns 0 or -1 (and the
 * set is unchanged on error). Not thread-safe: load before rendering. */
int mst_set_add(struct mst_set *set, const char *name, const char *text, size_t len,
                const char *path, struct diag *d);
/* Gives the template existing a second name (in place of one already
 * there), its compiled tree shared, not compiled again. Returns -1 when
 * there is no template existing. */
int mst_set_alias(struct mst_set *set, const char *name, const char *existing);
int mst_set_has(const struct mst_set *set, const char *name);

/* Renders template name with a context stack: ctx[0] is the bottom
 * (looked up last), ctx[n-1] the top. Appends to out. A missing partial
 * renders as nothing (per spec). Errors from lambdas go to d; returns 0
 * or -1. Thread-safe: many threads may render from one set at once. */
int mst_render(const struct mst_set *set, const char *name, const struct value *const *ctx,
               int n, buf *out, struct diag *d);

/* What a render looks at, for incremental builds: read() for every name
 * looked up in a map that carries an object id (val_obj), template() for
 * every template, partial and parent it looks for (found or not), and
 * lambda() when a lambda runs (its output depends on anything). */
struct mst_observer {
	void (*read)(void *ctx, uint32_t obj, const char *key, size_t len);
	void (*template)(void *ctx, const char *name, size_t len);
	void (*lambda)(void *ctx);
	void *ctx;
};
/* mst_render, telling obs (may be NULL) what it looks at. */
int mst_render_observed(const struct mst_set *set, const char *name,
                        const struct value *const *ctx, int n, buf *out, struct diag *d,
                        const struct mst_observer *obs);

/* How many levels below the context stack template name can read (each
 * section enters its value and a list's items, each part of a dotted name
 * one level; partials and parents included), or -1 when no bound holds
 * (a dynamic partial, a template that includes itself). Two contexts that
 * agree to that depth render alike, lambdas aside. */
int mst_reach(const struct mst_set *set, const char *name);
/* Calls add once or more for every name part ("a.b" gives "a" and "b")
 * that template name and the partials and parents it includes look up:
 * the only keys of a map a render of it can read. */
void mst_names(const struct mst_set *set, const char *name,
               void (*add)(void *ctx, const char *name, size_t len), void *ctx);

#endif
