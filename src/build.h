/* build.h: `briefing build`, the whole pipeline: read the site, parse and
 * filter articles in parallel, resolve, run the site hooks, render pages in
 * parallel, write the output atomically. */
#ifndef BRIEFING_BUILD_H
#define BRIEFING_BUILD_H

#include <stdio.h>

struct build_cache;

/* What a build did, for serve's log and the tests. */
struct build_stats {
	size_t articles_parsed, articles_cached; /* cached: taken from the cache */
	size_t pages_rendered, pages_skipped;    /* skipped: inputs unchanged */
	size_t files_written, files_removed;     /* live builds only */
	int hashing_dropped; /* page hashing cost more than it saved: off from now on */
};

struct build_opts {
	const char *site_dir;  /* "" or "." for the current folder */
	const char *out_dir;   /* NULL: from site.yml */
	const char *base_url;  /* NULL: from site.yml (--base-url for previews) */
	const char *tool_dir;  /* the tool's scripts/ and themes/ */
	int drafts;
	int future;            /* include future-dated and scheduled articles */
	int clean_urls;        /* -1: from site.yml; 0 or 1: --clean-urls=false/true */
	long long as_of;       /* build as of this time (0: now) */
	int quiet;             /* no summary, no progress bar */
	int verbose;           /* one line per phase with its time */
	int jobs;              /* 0: pool_default_workers() */
	FILE *messages;        /* where errors and warnings go (NULL: stderr) */
	/* serve: keep articles, page hashes and the output manifest here between
	 * builds, and write changed files in place in out_dir (no swap) */
	struct build_cache *cache;
	struct build_stats *stats; /* filled when not NULL */
};

/* Returns the exit status: 0 built, 1 content or script errors. */
int build_run(const struct build_opts *o);

#endif
