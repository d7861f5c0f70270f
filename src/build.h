/* build.h: `briefing build` and serve's rebuilds. A build state keeps the
 * whole pipeline's results (the site model, the Lua states, what every
 * step and page read and made) between updates; an update redoes only
 * what the changes reach: articles whose files changed are parsed again,
 * steps run again when something they read changed, and pages are
 * rendered again when their data or anything their render read changed. */
#ifndef BRIEFING_BUILD_H
#define BRIEFING_BUILD_H

#include <stddef.h>
#include <stdio.h>

struct diag;
struct value;

/* What an update did, for serve's log and the tests. */
struct build_stats {
	size_t articles_parsed, articles_cached; /* cached: kept from the last update */
	size_t pages_rendered, pages_skipped;    /* skipped: inputs unchanged */
	size_t files_written, files_removed;     /* live updates only */
	size_t steps_run;                        /* keyed steps run */
	unsigned long long spilled;              /* bytes of body HTML in a spill (spill.h) */
	int full;          /* everything was done again (first update, or settings,
	                    * scripts, data or entity files changed) */
	int cache;         /* build_run: 1 the cache was read, 0 none or not usable */
	const char *cache_why; /* when not usable: why */
	int unchanged;     /* nothing changed: nothing was done */
};

struct build_opts {
	const char *site_dir;  /* "" or "." for the current folder */
	const char *out_dir;   /* NULL: from site.yml */
	const char *base_url;  /* NULL: from site.yml (--base-url for previews) */
	const char *tool_dir;  /* the tool's scripts/ and themes/ */
	int drafts;
	int future;            /* include future-dated and scheduled articles */
	int clean_urls;        /* -1: from site.yml; 0 or 1: --clean-urls=false/true */
	int relative_index;    /* -1: from site.yml; 1: --for-file (links end in index.html) */
	long long as_of;       /* build as of this time (0: now) */
	int quiet;             /* no summary, no progress bar */
	int verbose;           /* one line per phase with its time */
	int jobs;              /* 0: pool_default_workers() */
	FILE *messages;        /* where errors and warnings go (NULL: stderr) */
	int live;              /* write changed files in place in out_dir, no swap (serve) */
	int no_cache;          /* build_run: neither read nor write the cache */
	const char *cache_dir; /* build_run: where caches go (NULL: $XDG_CACHE_HOME/briefing,
	                        * else ~/.cache/briefing) */
	struct build_stats *stats; /* filled when not NULL */
	int strict;            /* build_run: warnings fail the build too (exit 1; the
	                        * output is written, the run is marked failed) */
	int check_only;        /* stop after the steps and hooks: no pages, nothing
	                        * written or printed (briefing check reads what the
	                        * steps made: build_take_messages, build_summaries) */
};

/* One build: returns the exit status, 0 built, 1 content or script errors. */
int build_run(const struct build_opts *o);

/* A build state for repeated updates (serve). The options are copied
 * (their strings must outlive the state). */
struct build;
struct build *build_new(const struct build_opts *o);
void build_free(struct build *b);
/* Where the next updates' messages go (NULL: stderr). */
void build_messages(struct build *b, FILE *fp);
/* Brings the output up to date with the sources. paths (site-relative)
 * say what changed since the last update; all = 1 when that is unknown.
 * Returns 0, or 1 after errors (the output is then unchanged). */
int build_update(struct build *b, char *const *paths, size_t n, int all);

/* After a check_only update: moves its messages (those a build would
 * print) to the end of d, and calls each(ctx, key, summary) for every key
 * of group, in key order, with what its group step returned (NULL for
 * none; the summary belongs to the state). */
void build_take_messages(struct build *b, struct diag *d);
void build_summaries(const struct build *b, const char *group,
                     void (*each)(void *ctx, const char *key, const struct value *summary),
                     void *ctx);

#endif
