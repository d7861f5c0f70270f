/* build_int.h: the build state, shared by build.c (the stages) and
 * buildcache.c (writing it to the cache and reading it back). */
#ifndef BRIEFING_BUILD_INT_H
#define BRIEFING_BUILD_INT_H

#include <stdatomic.h>

#include "build.h"
#include "diag.h"
#include "lua_bridge.h"
#include "output.h"
#include "pages.h"
#include "progress.h"
#include "render.h"
#include "site.h"
#include "steps.h"

enum { T_SCAN, T_PARSE, T_RESOLVE, T_HOOKS, T_PLAN, T_RENDER, T_FINISH, T_SWAP, T_N };

struct build {
	struct build_opts o;
	int jobs;
	/* kept between updates */
	struct site *s;
	struct lb_scripts *scripts;
	struct theme *theme;
	struct lb **workers;      /* one Lua state per worker */
	int nworkers;
	struct lb *main;          /* the hook state */
	struct st_state *steps;
	struct pg_set *pages;
	struct hs_table *manifest; /* live: file -> content hash of what is there */
	struct hs_table *paths;   /* article path -> position in s->all */
	struct page *page404;
	struct spill *spill;      /* a big parse's body HTML (spill.h), until the site goes */
	struct diag *kept;        /* messages of the full update's open and scan */
	uint32_t theme_objs[THEME_OBJS]; /* bits: template names (render.h) */
	int legacy;               /* a script has whole-site hooks: every update is full */
	int warnings;             /* in the last update's messages */
	int failed;               /* the last update failed: the output is not up to date */
	int restored;             /* read from the cache: the next update compares everything */
	int restoring;            /* reading the cache: the site opens without its articles */
	uint64_t print;           /* the inputs' fingerprint when the cache was read (0: not) */
	int cached;               /* build_run with a cache: output staged in place, or a new
	                           * tree with a manifest */
	struct value *prints;     /* the templates of the cache's build (theme_prints) */
	struct val_arena *arena;  /* what was read from the cache lives here, */
	const char *map;          /* and its strings in the mapped file */
	size_t map_len;
	unsigned long long map_dev, map_ino; /* the file mapped */
	uint64_t map_stamp;       /* and its stamp (buildcache.c's file_stamp) */
	/* the base the mapped file is a delta over (its items may lie there),
	 * mapped too; NULL when the file is whole */
	const char *base_map;
	size_t base_len;
	char *base_name;          /* in the cache's folder */
	uint64_t base_sum;
	uint64_t base_stamp;      /* its stamp, when its checksum was found right */
	/* the cache's parses of entity files, until build_open gives them to
	 * the site (site.h's memo_paths) */
	struct hs_table *memo_paths;
	struct parse_memo *memos;
	unsigned gen;
	uint64_t sitemap_stamp;   /* what the sitemap in the output says (sitemap.h), 0 unknown */
	struct diag *unsaid;      /* check_only: the last update's messages, not printed */
	struct diag *said;        /* the notes printed so far: each is given once */
	/* this update */
	struct output *out;
	struct progress *progress;
	struct diag **page_diag;  /* per page, merged in page order */
	struct pg_rec **recs;
	unsigned char *todo;      /* per page: render it */
	size_t *todo_at;          /* the positions of the pages to render, in order */
	buf *html;                /* per page, when after_render needs it */
	struct build_stats st;
	atomic_size_t parsed;
	double t[T_N];
	long peak_kib[T_N];   /* the process's peak RSS when each stage ended (-v) */
	double *t_parse, *t_filter, *t_render, *t_write; /* per worker */
};

/* site.yml, the scan, scripts, theme and Lua states, from nothing. */
int build_open(struct build *b);
/* Drops everything made from the sources (the manifest stays). */
void build_drop(struct build *b);

/* buildcache.c: where build_run's cache for these options is (caller
 * frees), and writing and reading it. build_restore reads into a fresh
 * build state: 0 and b->restored set, or -1 (*why says what did not fit)
 * with the state left empty. */
char *build_cache_path(const struct build_opts *o);
/* Where the resized copies of images are kept (resize.h), shared by every
 * site: the cache folder's images/, serve's too; NULL with --no-cache or
 * without a cache folder. Caller frees. */
char *build_image_cache(const struct build_opts *o);
int build_save(struct build *b, const char *path);
int build_restore(struct build *b, const char *path, const char **why);

#endif
