/* build.c: the pipeline, one function per stage:
 *   open     site.yml and the command line's overrides (a full update only)
 *   scan     content/ listed; which article files are new or changed
 *   parse    those parsed, filtered and rendered, in parallel (article.c)
 *   resolve  published articles, entities, views, article pages (resolve.c)
 *   steps    the keyed site hooks (steps.c), then whole-site hooks if any
 *            (`briefing check` stops here: check_only)
 *   pages    the page list, checked
 *   render   the pages whose inputs changed, in parallel, and written
 *   finish   sitemap and static files, then the swap (or, live, the prune)
 * A build state keeps all of it between updates (serve); `briefing build`
 * makes one, updates it once and frees it. An update is full (everything
 * made anew) the first time, and when settings, scripts, data or entity
 * files changed: those reach every step. Otherwise it redoes only what the
 * changed articles, templates and static files reach.
 * Stages that touch one item at a time run on the pool with per-worker
 * state; stages that change the shared model run on this thread. */
#include "build_int.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "hashes.h"
#include "lint.h"
#include "images.h"
#include "num.h"
#include "lua_bridge.h"
#include "output.h"
#include "pages.h"
#include "pool.h"
#include "progress.h"
#include "render.h"
#include "site.h"
#include "sitemap.h"
#include "spill.h"
#include "steps.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The process's peak resident size so far, in KiB (0 where unknown). */
static long peak_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6)) {
			kib = strtol(line + 6, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return kib;
}

/* Errors so far in this update, those of the full update's open and scan
 * (which every update shows again) included. */
static int errors(const struct build *b)
{
	return diag_count(b->s->diag, DIAG_ERROR) + (b->kept ? diag_count(b->kept, DIAG_ERROR) : 0);
}

/* ---- open: site.yml and the overrides ---- */

/* The settings every article, step and page depend on besides files. */
static void apply_overrides(struct build *b, struct site *s)
{
	const struct build_opts *o = &b->o;
	char *img_cache = o->check_only ? NULL : build_image_cache(o);
	struct site_overrides over = {
		.tool_dir = o->tool_dir, .base_url = o->base_url, .output = o->out_dir,
		.drafts = o->drafts, .future = o->future, .clean_urls = o->clean_urls,
		.relative_index = o->relative_index, .now = o->as_of,
		.resize = !o->check_only, .img_cache = img_cache,
	};
	site_override(s, &over);
	free(img_cache);
}

/* A refused output folder fails the build before any work, at the output:
 * key when site.yml chose it. */
static int output_allowed(struct build *b, struct site *s)
{
	const char *refused = out_refused(s->cfg.output, s->cfg.dir);
	if (!refused)
		return 1;
	const struct value *key = b->o.out_dir ? NULL : val_get(s->cfg.yaml, "output");
	char *yml = key ? site_path(s, "site.yml") : NULL;
	diag_error(s->diag, yml, key ? val_line(key) : 0, key ? val_col(key) : 0,
	           "refusing to write the site to \"%s\": %s",
	           key ? val_get_str(key, NULL) : s->cfg.output, refused);
	free(yml);
	return 0;
}

/* Drops everything made from the sources (the manifest of what is in the
 * output stays: a live full update still writes only what changed). */
void build_drop(struct build *b)
{
	st_free(b->steps);
	b->steps = NULL;
	for (int i = 0; b->workers && i < b->nworkers; i++)
		lb_free(b->workers[i]);
	free(b->workers);
	b->workers = NULL;
	b->nworkers = 0;
	lb_free(b->main);
	b->main = NULL;
	lb_scripts_free(b->scripts);
	b->scripts = NULL;
	theme_free(b->theme);
	b->theme = NULL;
	page_free(b->page404);
	b->page404 = NULL;
	pg_free(b->pages);
	b->pages = NULL;
	/* the pages' records went: no file is a page's until written again
	 * (every page is rendered by the next update) */
	if (b->manifest)
		hs_clear_bits(b->manifest, OUT_PAGE);
	hs_table_free(b->paths);
	b->paths = NULL;
	site_free(b->s);
	b->s = NULL;
	spill_close(b->spill); /* after the views that borrowed from it */
	b->spill = NULL;
	diag_free(b->kept);
	b->kept = NULL;
}

/* site.yml, the scan, scripts, theme and Lua states, from nothing. */
int build_open(struct build *b)
{
	double t0 = now_s();
	b->kept = diag_new();
	struct site *s = site_open(b->o.site_dir, b->kept);
	if (!s)
		return -1;
	b->s = s;
	s->memo_paths = b->memo_paths; /* a cache's parses of entity files */
	s->memos = b->memos;
	b->memo_paths = NULL;
	b->memos = NULL;
	s->keep_memos = b->cached;
	apply_overrides(b, s);
	if (!output_allowed(b, s))
		return -1;
	/* a file or folder the scan could not take still lets the articles it
	 * found be parsed, so that one run reports every error; the build stops
	 * after the parse */
	if (b->restoring) /* the cache's articles: the update lists them */
		site_scan_entities(s);
	else
		site_scan(s);
	lint_site(s, b->o.check_only, s->diag);
	diag_merge(b->kept, s->diag); /* shown by every update until the next full one */
	b->paths = hs_table_new();
	for (size_t i = 0; i < s->n_all; i++)
		hs_put(b->paths, s->all[i]->path, i, 0);
	b->pages = pg_new();
	for (int i = 0; i < THEME_OBJS; i++)
		b->theme_objs[i] = tr_add(s->track, TR_SITE, s);
	b->scripts = lb_scripts_new(s, s->diag);
	if (!b->scripts)
		return -1;
	int workers = b->jobs;
	if ((size_t)workers > s->n_all && !b->restoring)
		workers = s->n_all ? (int)s->n_all : 1;
	b->workers = xcalloc((size_t)workers, sizeof *b->workers);
	for (int i = 0; i < workers; i++) {
		b->workers[i] = lb_new(s, b->scripts, 0, s->diag);
		if (!b->workers[i])
			return -1;
		b->nworkers = i + 1;
	}
	b->main = lb_new(s, b->scripts, 1, s->diag);
	if (!b->main)
		return -1;
	static const char *const old_hooks[] = {"site_loaded", "article", "collections",
	                                        "before_render", "after_render", NULL};
	b->legacy = 0;
	for (const char *const *h = old_hooks; *h; h++)
		b->legacy |= lb_has_hook(b->main, *h);
	b->t[T_SCAN] += now_s() - t0;
	return 0;
}

/* ---- scan: which article files are new, changed or gone ---- */

static int same_stamp(const struct article *a, const struct stat *st)
{
	return a->size == (long long)st->st_size && a->ino == (unsigned long long)st->st_ino &&
	       a->mtime_ns == (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static void set_stamp(struct article *a, const struct stat *st)
{
	a->size = (long long)st->st_size;
	a->ino = (unsigned long long)st->st_ino;
	a->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* Does a's file hold other bytes than those parsed? A touched file with
 * the same bytes is not changed (its stamp is kept for next time). */
static int article_changed(struct article *a)
{
	struct stat st;
	if (stat(a->path, &st) != 0 || !S_ISREG(st.st_mode))
		return 1;
	if (same_stamp(a, &st))
		return 0;
	buf text = BUF_INIT;
	int changed = fs_read(a->path, &text) != 0 || hs_bytes(text.ptr, text.len, 0) != a->hash;
	buf_free(&text);
	if (!changed)
		set_stamp(a, &st);
	return changed;
}

struct checks {
	struct article **of;   /* the articles the listing found again */
	unsigned char *changed;
};

static void check_one(void *ctx, int worker, size_t i)
{
	(void)worker;
	struct checks *c = ctx;
	c->changed[i] = (unsigned char)article_changed(c->of[i]);
}

/* Lists content/articles again: new files become articles to parse, gone
 * ones are dropped, changed ones reset. Returns how many changed. The
 * files found again are checked (a stat each, a read when touched) on
 * the pool: 10,000 stat calls took 40 ms on one thread. */
static size_t rescan(struct build *b)
{
	struct site *s = b->s;
	size_t n, prefix, changes = 0, n_check = 0;
	char **files = site_list_articles(s, &n, &prefix);
	struct article **all = xcalloc(n ? n : 1, sizeof *all);
	unsigned char *kept = xcalloc(s->n_all ? s->n_all : 1, 1);
	struct checks c = {xcalloc(n ? n : 1, sizeof *c.of), xcalloc(n ? n : 1, 1)};
	for (size_t i = 0; i < n; i++) {
		uint64_t at;
		struct article *a;
		if (hs_get(b->paths, files[i], &at)) {
			a = s->all[at];
			kept[at] = 1;
			free(files[i]);
			c.of[n_check++] = a;
		} else {
			a = article_new(files[i], prefix);
			a->fresh = 1;
			changes++;
		}
		a->scan = i;
		all[i] = a;
	}
	free(files);
	pool_run(pool_default_workers(), n_check, check_one, &c);
	for (size_t i = 0; i < n_check; i++)
		if (c.changed[i]) {
			article_reset(s, c.of[i]);
			changes++;
		}
	free(c.of);
	free(c.changed);
	for (size_t i = 0; i < s->n_all; i++)
		if (!kept[i]) {
			st_forget(b->steps, s->all[i]);
			site_drop_article(s, s->all[i]);
			changes++;
		}
	free(kept);
	free(s->all);
	s->all = all;
	s->n_all = n;
	hs_clear(b->paths);
	for (size_t i = 0; i < n; i++)
		hs_put(b->paths, all[i]->path, i, 0);
	return changes;
}

/* Does path a come before b in the scan's order (each folder's names
 * sorted, folders entered where their name falls)? */
static int scan_before(const char *a, const char *b)
{
	for (;;) {
		const char *ea = strchr(a, '/'), *eb = strchr(b, '/');
		size_t na = ea ? (size_t)(ea - a) : strlen(a), nb = eb ? (size_t)(eb - b) : strlen(b);
		int c = memcmp(a, b, na < nb ? na : nb);
		if (c == 0 && na != nb)
			c = na < nb ? -1 : 1;
		if (c != 0 || !ea || !eb)
			return c < 0 || (c == 0 && !ea && eb);
		a = ea + 1;
		b = eb + 1;
	}
}

/* The article files serve saw change, taken one by one instead of listing
 * content/articles again: each is a regular .md file or gone. Returns how
 * many changed, or -1 when one is anything else (a folder, a link: the
 * whole listing is needed). */
static long take_paths(struct build *b, char *const *paths, size_t n)
{
	struct site *s = b->s;
	char *root = site_path(s, "content/articles");
	size_t prefix = strlen(root) + 1;
	long changes = 0;
	for (size_t i = 0; i < n; i++) { /* first, whether one by one will do */
		if (strncmp(paths[i], "content/articles/", 17) != 0)
			continue;
		char *path = site_path(s, paths[i]);
		size_t len = strlen(path);
		struct stat st;
		int odd = lstat(path, &st) == 0 && (!S_ISREG(st.st_mode) || len < 4 ||
		                                    strcmp(path + len - 3, ".md") || strstr(paths[i], "/."));
		free(path);
		if (odd) {
			free(root);
			return -1;
		}
	}
	for (size_t i = 0; i < n && changes >= 0; i++) {
		if (strncmp(paths[i], "content/articles/", 17) != 0)
			continue;
		char *path = site_path(s, paths[i]);
		size_t len = strlen(path);
		struct stat st;
		int there = lstat(path, &st) == 0;
		uint64_t at;
		int known = hs_get(b->paths, path, &at);
		if (there && (!S_ISREG(st.st_mode) || len < 4 || strcmp(path + len - 3, ".md") ||
		              strstr(paths[i], "/."))) {
			changes = -1; /* a folder, a link, a dotfile: the listing decides */
		} else if (!there && known) {
			struct article *a = s->all[at];
			st_forget(b->steps, a);
			site_drop_article(s, a);
			memmove(s->all + at, s->all + at + 1, (s->n_all - at - 1) * sizeof *s->all);
			s->n_all--;
			changes++;
		} else if (there && known) {
			if (article_changed(s->all[at])) {
				article_reset(s, s->all[at]);
				changes++;
			}
		} else if (there) {
			struct article *a = article_new(xstrdup(path), prefix);
			size_t k = s->n_all;
			while (k > 0 && scan_before(path, s->all[k - 1]->path))
				k--;
			s->all = xrealloc(s->all, (s->n_all + 1) * sizeof *s->all);
			memmove(s->all + k + 1, s->all + k, (s->n_all - k) * sizeof *s->all);
			s->all[k] = a;
			s->n_all++;
			changes++;
		}
		if (changes > 0 && (!there || !known)) { /* positions moved */
			hs_clear(b->paths);
			for (size_t k = 0; k < s->n_all; k++)
				hs_put(b->paths, s->all[k]->path, k, 0);
		}
		free(path);
	}
	free(root);
	for (size_t k = 0; changes > 0 && k < s->n_all; k++)
		s->all[k]->scan = k;
	return changes;
}

/* ---- parse ---- */

struct parse_job {
	struct build *b;
	struct article **list;
	struct lint_opts lint;
};

static void parse_one(void *ctx, int worker, size_t i)
{
	struct parse_job *j = ctx;
	struct build *b = j->b;
	struct site *s = b->s;
	struct article *a = j->list[i];
	double t0 = now_s();
	struct stat st;
	buf text = BUF_INIT;
	int rc = -1;
	if (stat(a->path, &st) == 0 && fs_read(a->path, &text) == 0) {
		set_stamp(a, &st);
		a->hash = hs_bytes(text.ptr, text.len, 0);
		rc = article_parse_text(s, a, text.ptr, text.len);
		if (rc == 0) /* kept with the article: a warm build shows them again */
			lint_article(s, &j->lint, a, text.ptr);
	} else {
		diag_error(a->diag, a->path, 0, 0, "cannot read: %s", strerror(errno));
	}
	buf_free(&text);
	double t1 = now_s();
	b->t_parse[worker] += t1 - t0;
	if (rc == 0) {
		struct lb *lb = b->workers[worker];
		if (!a->draft || s->cfg.drafts) {
			if (lb_filter_article(lb, a) == 0)
				article_render_body(s, a);
		}
		if (b->spill && a->html) { /* out of the heap until its readers come */
			size_t len = strlen(a->html);
			spill_put(b->spill, worker, a->html, len, &a->spill_at);
			a->spilled_len = len;
			a->in_spill = 1;
			free(a->html);
			a->html = NULL;
		}
		lb_release_doc(lb, a);
		b->t_filter[worker] += now_s() - t1;
	}
	a->fresh = 1;
	a->assets = 0;
	a->lastmod = 0;
	atomic_fetch_add(&b->parsed, 1);
	progress_tick(b->progress);
}

/* A parse of many briefs keeps their body HTML in a spill beside the
 * output (spill.h) rather than on the heap, from the parse to the
 * renders and the cache that read it: 290 MB at 100k briefs. Not in
 * serve, whose views outlive a build and whose later parses are few, nor
 * in `briefing check`, which renders nothing and makes no folder.
 * BRIEFING_SPILL_MIN (default 1000) is the least count of briefs that
 * makes one; the tests set it to 0. */
static void spill_start(struct build *b, size_t n)
{
	const char *env = getenv("BRIEFING_SPILL_MIN");
	size_t least = env && *env ? (size_t)strtoul(env, NULL, 10) : 1000;
	if (b->o.live || b->o.check_only || b->spill || n < least || !n)
		return;
	char *parent = out_parent(b->s->cfg.output);
	if (fs_mkdirs(parent) == 0) /* (as out_begin will) */
		b->spill = spill_open(parent, b->nworkers);
	free(parent);
}

/* After the parse: each spilled body found in the map, or read back onto
 * the heap where the file could not be mapped. */
static void spill_seal_all(struct build *b, struct article **list, size_t n)
{
	if (!b->spill)
		return;
	int mapped = spill_seal(b->spill) == 0;
	b->st.spilled = spill_size(b->spill);
	for (size_t i = 0; i < n; i++) {
		struct article *a = list[i];
		if (!a->in_spill)
			continue;
		a->in_spill = 0;
		if (mapped) {
			a->spilled = spill_at(b->spill, a->spill_at);
		} else {
			a->html = spill_copy(b->spill, a->spill_at, a->spilled_len);
			a->spilled_len = 0;
			if (!a->html) {
				diag_error(a->diag, a->path, 0, 0, "cannot read its body back from the "
				           "temporary file: %s", strerror(errno));
				a->body_ok = 0;
			}
		}
	}
}

static void parse(struct build *b)
{
	struct site *s = b->s;
	double t0 = now_s();
	struct parse_job j = {.b = b, .list = xcalloc(s->n_all ? s->n_all : 1, sizeof *j.list)};
	size_t n = 0;
	for (size_t i = 0; i < s->n_all; i++)
		if (s->all[i]->fresh & 1) /* (2: only its entities changed) */
			j.list[n++] = s->all[i];
	progress_phase(b->progress, "parse", n);
	lint_opts_init(&j.lint, s, b->o.check_only);
	spill_start(b, n);
	pool_run(b->nworkers, n, parse_one, &j);
	spill_seal_all(b, j.list, n);
	lint_opts_free(&j.lint);
	free(j.list);
	b->st.articles_parsed = n;
	b->st.articles_cached = s->n_all - n;
	b->t[T_PARSE] += now_s() - t0;
}

/* ---- resolve ---- */

static int resolve(struct build *b)
{
	double t0 = now_s();
	struct site *s = b->s;
	if (b->steps) /* the key lists of a cache just read: filed by the ranks it had */
		st_settle(b->steps);
	int rc = site_resolve(s);
	/* articles no longer published take their steps' results with them */
	for (size_t i = 0; b->steps && i < s->n_all; i++)
		if (s->all[i]->emit && !s->all[i]->published)
			st_forget(b->steps, s->all[i]);
	b->t[T_RESOLVE] += now_s() - t0;
	return rc;
}

/* ---- steps and hooks ---- */

static int run_hooks(struct build *b, int full)
{
	double t0 = now_s();
	struct site *s = b->s;
	progress_phase(b->progress, "hooks", 0);
	if (full && lb_run_hook(b->main, "site_loaded", s->diag) != 0)
		return -1;
	if (!b->steps)
		b->steps = st_new(s, b->scripts, b->main);
	struct st_stats sst = {0};
	int rc = st_update(b->steps, b->workers, b->nworkers, b->main, &sst);
	b->st.steps_run = sst.emits + sst.groups + sst.finishes;
	if (rc == 0 && b->legacy) {
		st_collections(b->steps, b->main);
		if ((lb_has_hook(b->main, "article") && lb_article_hooks(b->main, s->diag) != 0) ||
		    lb_run_hook(b->main, "collections", s->diag) != 0)
			rc = -1;
	}
	if (rc == 0)
		site_steps_done(s);
	b->t[T_HOOKS] += now_s() - t0;
	return rc;
}

/* ---- pages ---- */

static void list_page(void *ctx, struct page *p)
{
	site_list_page(ctx, p);
}

/* Every page in order: articles', the steps', the site hooks', 404. */
static void list_pages(struct build *b)
{
	struct site *s = b->s;
	s->n_pages = 0;
	for (size_t i = 0; i < s->n_articles; i++)
		site_list_page(s, s->articles[i]->page);
	st_pages(b->steps, list_page, s);
	for (size_t i = 0; i < s->n_own; i++)
		site_list_page(s, s->own[i]);
	if (theme_has(b->theme, "404")) {
		if (!b->page404)
			b->page404 = page_new("404.html", "404", "404", "Page not found", NULL, "the theme");
		site_list_page(s, b->page404);
	} else {
		page_free(b->page404);
		b->page404 = NULL;
	}
}

/* p's output file, worked out once per page (each page is one worker's) */
static const char *page_file(const struct site *s, struct page *p)
{
	if (!p->file || p->file_clean != s->cfg.clean_urls) {
		free(p->file);
		p->file = render_page_file(s, p->url);
		p->file_clean = s->cfg.clean_urls;
		p->file_hash = hs_bytes(p->file, strlen(p->file), 0x66696c65) | 1;
	}
	return p->file;
}

/* Do the pages have a template each and files of their own? By the files'
 * hashes kept with the pages, and templates found in this theme before:
 * the pages' names are not read again (11 ms at 10k for each update).
 * When two pages' files have the same hash, check_pages says which. */
/* Does the theme have p's template? *known is the last one found (pages
 * come in runs of one template). */
static int has_template(const struct build *b, const struct page *p, const char **known)
{
	if (*known && !strcmp(p->template, *known))
		return 1;
	if (!theme_has(b->theme, p->template))
		return 0;
	*known = p->template;
	return 1;
}

static int pages_ok(struct build *b)
{
	struct site *s = b->s;
	uint64_t theme = theme_serial(b->theme);
	struct hs_ids *seen = hs_ids_sized(s->n_pages);
	const char *known = NULL;
	int ok = 1;
	for (size_t i = 0; i < s->n_pages && ok; i++) {
		struct page *p = s->pages[i];
		page_file(s, p);
		if (p->theme_ok != theme) {
			ok = has_template(b, p, &known); /* (when not, check_pages names it) */
			p->theme_ok = ok ? theme : 0;
		}
		ok = ok && hs_ids_add(seen, p->file_hash);
	}
	hs_ids_free(seen);
	return ok;
}

/* Every page needs a template and a URL of its own. */
static void check_pages(struct build *b)
{
	if (pages_ok(b))
		return;
	struct site *s = b->s;
	struct hs_seen *seen = hs_seen_new(s->n_pages); /* file -> the page's position */
	const char *known = NULL;
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		long at = hs_seen_add(seen, page_file(s, p), (long)i);
		if (at >= 0)
			diag_error(s->diag, p->source, 0, 0,
			           "page \"%s\" is made twice: by %s and by %s; give one of them "
			           "another url", p->url, s->pages[at]->source, p->source);
		if (!has_template(b, p, &known))
			diag_error(s->diag, p->source, 0, 0,
			           "page \"%s\" wants template \"%s\", which neither the theme nor the "
			           "site's templates/ has", p->url, p->template);
	}
	hs_seen_free(seen);
}

static int pages(struct build *b)
{
	struct site *s = b->s;
	list_pages(b);
	if (b->legacy && lb_has_hook(b->main, "before_render"))
		for (size_t i = 0; i < s->n_pages; i++)
			if (lb_page_hook(b->main, "before_render", s->pages[i], NULL, s->diag) != 0)
				return -1;
	check_pages(b);
	const char *dump = getenv("BRIEFING_DUMP_VARS"); /* for tests/cli/vars.sh */
	if (dump && *dump && !errors(b)) {
		FILE *fp = fopen(dump, "w");
		if (fp) {
			render_dump_vars(s, fp);
			fclose(fp);
		}
	}
	return errors(b) ? -1 : 0;
}

/* ---- render ---- */

/* Writes a rendered page; without clean URLs or with relative_index, HTML
 * links are rewritten to point at files. */
static void write_page(struct build *b, const char *file, const buf *html, struct diag *d)
{
	size_t n = strlen(file);
	if ((b->s->cfg.clean_urls && !b->s->cfg.relative_index) || n < 5 || strcmp(file + n - 5, ".html") != 0) {
		out_write_page(b->out, file, html->ptr, html->len, d);
		return;
	}
	buf fixed = BUF_INIT;
	render_unclean_links(b->s, html, &fixed);
	out_write_page(b->out, file, fixed.ptr, fixed.len, d);
	buf_free(&fixed);
}

/* A page this update does not render keeps its messages (and its file:
 * out_write_page). */
static void keep_one(struct build *b, size_t i)
{
	const struct diag *kept = pg_messages(b->recs[i]);
	if (kept && diag_message(kept, 0, NULL)) {
		b->page_diag[i] = diag_new();
		diag_append(b->page_diag[i], kept);
	}
}

/* The k-th page to render. */
static void render_one(void *ctx, int worker, size_t k)
{
	struct build *b = ctx;
	struct site *s = b->s;
	size_t i = b->todo_at[k];
	struct page *p = s->pages[i];
	const char *file = page_file(s, p);
	struct diag *d = diag_new();
	b->page_diag[i] = d;
	buf html = BUF_INIT;
	struct tr_log reads = {0};
	struct render_trace trace = {&reads, b->theme_objs, 0};
	double t0 = now_s();
	int rendered = render_page_traced(b->theme, s, p, &html, d,
	                                  tr_log_enabled() ? &trace : NULL);
	double t1 = now_s();
	b->t_render[worker] += t1 - t0;
	progress_tick(b->progress);
	spill_tick(); /* the page may have read a body from the spill */
	if (rendered == 0) {
		if (b->html) { /* kept for after_render */
			b->html[i] = html;
			html = (buf)BUF_INIT;
		} else {
			write_page(b, file, &html, d);
			b->t_write[worker] += now_s() - t1;
		}
	} else {
		diag_add(d, DIAG_NOTE, NULL, 0, 0, "while rendering page \"%s\" (made by %s)", p->url,
		         p->source);
	}
	pg_done(b->recs[i], p, tr_now(s->track), &reads, trace.volatile_ || rendered != 0, d);
	tr_log_free(&reads);
	buf_free(&html);
}

/* Serve writes changed files in place; a build with a cache stages the
 * changed files in place when its cache was read (a whole new tree, with
 * a manifest for next time, when it was not); a plain build makes a new
 * tree and swaps it in. */
static void start_output(struct build *b)
{
	struct site *s = b->s;
	if ((b->o.live || b->cached) && !b->manifest)
		b->manifest = hs_table_new();
	if (b->o.live)
		b->out = out_begin_live(s->cfg.output, s->cfg.dir, b->manifest, ++b->gen, s->diag);
	else if (b->cached && b->restored)
		b->out = out_begin_staged(s->cfg.output, s->cfg.dir, b->manifest, ++b->gen, s->diag);
	else if (b->cached)
		b->out = out_begin_new(s->cfg.output, s->cfg.dir, b->manifest, ++b->gen, s->diag);
	else
		b->out = out_begin(s->cfg.output, s->cfg.dir, s->diag);
}

/* Does this update write into the output as it is (only what changed)? */
static int in_place(const struct build *b)
{
	return b->o.live || (b->cached && b->restored);
}

/* A page gone: its file goes, unless this update writes it again. */
static void forget_file(void *ctx, const char *url)
{
	struct build *b = ctx;
	char *file = render_page_file(b->s, url);
	out_forget(b->out, file);
	free(file);
}

/* Pages by the size of their packed data, largest first (then in site
 * order): a list page's data is its list; an article's page has none. */
static int larger_first(const void *pa, const void *pb, void *ctx)
{
	const struct site *s = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	size_t la = s->pages[a]->packed_len, lb = s->pages[b]->packed_len;
	if (la != lb)
		return la > lb ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void render(struct build *b)
{
	struct site *s = b->s;
	size_t n = s->n_pages;
	double t0 = now_s();
	b->page_diag = xcalloc(n ? n : 1, sizeof *b->page_diag);
	b->recs = xcalloc(n ? n : 1, sizeof *b->recs);
	b->todo = xcalloc(n ? n : 1, 1);
	size_t count = pg_plan(b->pages, s->track, s->pages, n, b->recs, b->todo, b->jobs,
	                       forget_file, b);
	/* a build into a new folder writes every page; so does one whose
	 * after_render hooks may rewrite any page */
	int after = b->legacy && lb_has_hook(b->main, "after_render");
	if (!in_place(b) || after) {
		memset(b->todo, 1, n);
		count = n;
	}
	b->t[T_PLAN] += now_s() - t0;
	b->st.pages_rendered = count;
	b->st.pages_skipped = n - count;
	t0 = now_s();
	if (after)
		b->html = xcalloc(n ? n : 1, sizeof *b->html);
	progress_phase(b->progress, "render", count);
	b->todo_at = xmalloc((count ? count : 1) * sizeof *b->todo_at);
	for (size_t i = 0, k = 0; i < n; i++) {
		if (b->todo[i])
			b->todo_at[k++] = i;
		else
			keep_one(b, i);
	}
	/* the largest pages first (a topic's list of thousands of briefs: 25 MB
	 * of HTML at 100k): their buffers come and go while the heap is still
	 * small, not on top of every page's record at the end, and no thread
	 * is left with one of them while the other has nothing to do */
	if (count > 1)
		qsort_r(b->todo_at, count, sizeof *b->todo_at, larger_first, s);
	pool_run(b->jobs, count, render_one, b);
	free(b->todo_at);
	b->todo_at = NULL;
	/* after_render runs on the hook state, page by page */
	for (size_t i = 0; b->html && i < n; i++) {
		struct page *p = s->pages[i];
		if (diag_count(b->page_diag[i], DIAG_ERROR) == 0 &&
		    lb_page_hook(b->main, "after_render", p, &b->html[i], b->page_diag[i]) == 0) {
			char *file = render_page_file(s, p->url);
			write_page(b, file, &b->html[i], b->page_diag[i]);
			free(file);
		}
		buf_free(&b->html[i]);
	}
	free(b->html);
	b->html = NULL;
	for (size_t i = 0; i < n; i++) {
		if (b->page_diag[i]) {
			diag_merge(s->diag, b->page_diag[i]);
			diag_free(b->page_diag[i]);
		}
	}
	free(b->page_diag);
	b->page_diag = NULL;
	free(b->recs);
	b->recs = NULL;
	free(b->todo);
	b->todo = NULL;
	b->t[T_RENDER] += now_s() - t0;
}

/* URLs per sitemap file: the protocol's 50,000 (BRIEFING_SITEMAP_LIMIT
 * lowers it, for tests of the index). */
static size_t sitemap_limit(void)
{
	const char *env = getenv("BRIEFING_SITEMAP_LIMIT");
	long long n;
	return env && num_parse(env, 1, 49999, &n) == 0 ? (size_t)n : 50000;
}

/* ---- finish ---- */

static void finish(struct build *b)
{
	struct site *s = b->s;
	double t0 = now_s();
	progress_phase(b->progress, "write", 0);
	if (!errors(b))
		sitemap_write(s, b->out, sitemap_limit(), &b->sitemap_stamp, in_place(b), s->diag);
	/* the images beside each brief, next to its page. A brief found
	 * without a folder is not looked at again until it is parsed again:
	 * an image that comes or goes beside a brief starts a full update
	 * (needs_full), which parses every brief. 10,000 stat calls were a
	 * sixth of a one-edit update at 10k. */
	for (size_t i = 0; i < s->n_articles && !errors(b); i++) {
		struct article *a = s->articles[i];
		if (a->assets != 1) {
			int rc = img_copy(s, a, b->out, s->diag);
			a->assets = rc == 0 ? 1 : rc > 0 ? 2 : 0;
		}
	}
	/* static files last: a site's own robots.txt wins */
	if (!errors(b))
		theme_copy_static(b->theme, b->out, s->diag);
	b->t[T_FINISH] += now_s() - t0;
	t0 = now_s();
	if (errors(b)) {
		out_abort(b->out);
	} else {
		if (in_place(b)) {
			out_prune(b->out);
			out_stats(b->out, &b->st.files_written, &b->st.files_removed);
		}
		out_commit(b->out, s->diag);
	}
	b->out = NULL;
	b->t[T_SWAP] += now_s() - t0;
}

/* ---- an update ---- */

/* Must an update with these changes start over? Everything but articles,
 * templates and static files reaches every step (settings, scripts, data,
 * entity and edition files). */
static int needs_full(char *const *paths, size_t n, int all)
{
	if (all)
		return 1;
	static const char *const cheap[] = {"content/articles", "templates", "themes", "static",
	                                    NULL};
	for (size_t i = 0; i < n; i++) {
		int ok = 0;
		for (const char *const *c = cheap; *c && !ok; c++) {
			size_t k = strlen(*c);
			ok = !strncmp(paths[i], *c, k) && (paths[i][k] == '/' || paths[i][k] == '\0');
		}
		/* an image beside a brief: its size is in the brief's HTML, and
		 * briefs are parsed again only when their own file changed */
		size_t len = strlen(paths[i]);
		if (ok && !strncmp(paths[i], "content/articles/", 17) &&
		    !(len > 3 && !strcmp(paths[i] + len - 3, ".md")))
			ok = 0;
		if (!ok)
			return 1;
	}
	return 0;
}

static int touches(char *const *paths, size_t n, const char *dir)
{
	size_t k = strlen(dir);
	for (size_t i = 0; i < n; i++)
		if (!strncmp(paths[i], dir, k) && (paths[i][k] == '/' || paths[i][k] == '\0'))
			return 1;
	return 0;
}

/* The theme, loaded again: the templates that differ are stamped. */
static int reload_theme(struct build *b)
{
	struct theme *t = theme_load(b->s, b->s->diag);
	if (!t)
		return -1;
	/* the first load after reading the cache compares with the cache's */
	const struct value *before = b->theme ? theme_prints(b->theme) : b->prints;
	uint64_t bits[THEME_OBJS];
	theme_changes(before, t, bits);
	for (int i = 0; i < THEME_OBJS; i++)
		tr_changed(b->s->track, b->theme_objs[i], bits[i]);
	val_free(b->prints);
	b->prints = NULL;
	theme_free(b->theme);
	b->theme = t;
	return 0;
}

static void report(struct build *b, struct diag *d, int nerr, double t0);

/* What is about to be freed leaves the Lua states' tables (its address
 * may be used again by something else). */
static void forget_in_states(void *ctx, const void *p)
{
	struct build *b = ctx;
	for (int i = 0; i < b->nworkers; i++)
		lb_forget(b->workers[i], p);
	if (b->main)
		lb_forget(b->main, p);
}

int build_update(struct build *b, char *const *paths, size_t n, int all)
{
	double t0 = now_s();
	int cache = b->st.cache;
	memset(&b->st, 0, sizeof b->st);
	b->st.cache = cache;
	memset(b->t, 0, sizeof b->t);
	memset(b->peak_kib, 0, sizeof b->peak_kib);
	for (int i = 0; i < b->jobs; i++)
		b->t_parse[i] = b->t_filter[i] = b->t_render[i] = b->t_write[i] = 0;
	atomic_store(&b->parsed, 0);
	for (int i = 0; i < b->nworkers; i++)
		lb_hook_seconds_reset(b->workers[i]);
	if (b->main)
		lb_hook_seconds_reset(b->main);
	/* after reading the cache, "anything may have changed" is what the
	 * scan and the theme's load find out, not a reason to start over */
	int full = !b->s || (needs_full(paths, n, all) && !b->restored);
	int anything = all || b->restored;
	struct diag *d = diag_new();
	b->progress = progress_new(stderr, !b->o.quiet);
	progress_phase(b->progress, "scan", 0);
	int rc = 0;
	if (full) {
		build_drop(b);
		rc = build_open(b);
		b->st.full = 1;
		b->sitemap_stamp = 0; /* settings the stamp does not cover may have changed */
	} else {
		double ts = now_s();
		tr_tick(b->s->track); /* this update's changes, from the scan on */
		diag_free(b->s->diag);
		b->s->diag = diag_new();
		long taken = anything || !touches(paths, n, "content/articles") ? 0
		             : take_paths(b, paths, n);
		size_t changed = taken >= 0 ? (size_t)taken : 0;
		if (anything || taken < 0)
			changed = rescan(b);
		if (!changed && !b->failed && !anything && !touches(paths, n, "templates") &&
		    !touches(paths, n, "themes") && !touches(paths, n, "static")) {
			b->st.unchanged = 1; /* saved with the same bytes */
			b->t[T_SCAN] += now_s() - ts;
			goto done;
		}
		b->t[T_SCAN] += now_s() - ts;
		if (b->legacy) { /* whole-site hooks may read anything: start over */
			full = 1;
			build_drop(b);
			rc = build_open(b);
			b->st.full = 1;
		}
	}
	/* templates are compiled again only when a file of theirs may have
	 * changed (10 ms of a one-edit update at 10k) */
	if (rc == 0 && (full || anything || b->failed || !b->theme || touches(paths, n, "templates") ||
	                touches(paths, n, "themes")))
		rc = reload_theme(b);
	if (rc == 0) {
		parse(b);
		resolve(b);
		if (errors(b))
			rc = -1;
	}
	if (rc == 0 && b->cached && b->legacy) { /* whole-site hooks: no cache */
		b->cached = 0;
		b->restored = 0;
	}
	b->peak_kib[T_RESOLVE] = b->o.verbose ? peak_kib() : 0;
	if (rc == 0)
		rc = run_hooks(b, full);
	b->peak_kib[T_HOOKS] = b->o.verbose ? peak_kib() : 0;
	if (b->o.check_only) /* check reads what the steps made: no pages, no output */
		goto done;
	if (rc == 0)
		rc = pages(b);
	if (rc == 0) {
		start_output(b);
		if (!b->out)
			rc = -1;
	}
	if (rc == 0) {
		render(b);
		b->peak_kib[T_RENDER] = b->o.verbose ? peak_kib() : 0;
		finish(b);
		b->peak_kib[T_FINISH] = b->o.verbose ? peak_kib() : 0;
	}
done:
	progress_end(b->progress);
	b->progress = NULL;
	out_abort(b->out);
	b->out = NULL;
	diag_append(d, b->kept);
	if (b->s)
		diag_merge(d, b->s->diag);
	int nerr = diag_count(d, DIAG_ERROR);
	b->warnings = diag_count(d, DIAG_WARNING);
	/* what went out of the site goes now, unless the update stopped half
	 * way: then steps that did not run may still hold it until the next */
	if (b->s && !nerr) {
		site_grave_each(b->s, forget_in_states, b);
		site_dig(b->s);
	}
	b->failed = nerr > 0;
	if (nerr)
		b->sitemap_stamp = 0; /* the output may not hold what it says */
	b->restored = 0;
	if (b->o.check_only) { /* check prints them with its own */
		diag_free(b->unsaid);
		b->unsaid = d;
	} else {
		report(b, d, nerr, t0);
		diag_free(d);
	}
	if (b->o.stats)
		*b->o.stats = b->st;
	/* the previous output is still being removed (remove_old): build_run
	 * writes the cache meanwhile and waits for it at the end (out_wait),
	 * and the next commit waits for it before its own */
	return nerr ? 1 : 0;
}

static void report(struct build *b, struct diag *d, int nerr, double t0)
{
	struct site *s = b->s;
	FILE *msg = b->o.messages ? b->o.messages : stderr;
	if (!b->said)
		b->said = diag_new();
	diag_notes_once(d, b->said);
	diag_print(d, msg);
	if (nerr) {
		fprintf(msg, "briefing: build failed with %d error%s; the previous output is "
		        "unchanged\n", nerr, nerr == 1 ? "" : "s");
		return;
	}
	double *t = b->t;
	if (!b->o.quiet)
		printf("briefing: %zu article%s, %zu page%s written to %s in %.2f s "
		       "(parse and filter %.2f s, hooks %.2f s, render and write %.2f s)\n",
		       s->n_articles, plural_s(s->n_articles), s->n_pages, plural_s(s->n_pages),
		       s->cfg.output, now_s() - t0, t[T_PARSE],
		       t[T_HOOKS], t[T_RENDER] + t[T_FINISH] + t[T_SWAP]);
	if (!b->o.verbose)
		return;
	double sum[4] = {0};
	for (int i = 0; i < b->jobs; i++) {
		sum[0] += b->t_parse[i];
		sum[1] += b->t_filter[i];
		sum[2] += b->t_render[i];
		sum[3] += b->t_write[i];
	}
	/* parse and filter, render and write interleave on the workers: their
	 * split is time summed over the threads */
	printf("briefing: scan     %6.3f s  (site.yml, content listing, scripts, theme)\n"
	       "briefing: parse    %6.3f s  (parse and filter %.3f s wall on %d threads, "
	       "%zu parsed)\n"
	       "briefing: filters  %6.3f s  (thread time, with body rendering)\n"
	       "briefing: resolve  %6.3f s\n"
	       "briefing: hooks    %6.3f s  (%zu steps run)\n"
	       "briefing: unchanged %5.3f s  (finding the pages to render: %zu of %zu)\n"
	       "briefing: render   %6.3f s  (render and write %.3f s wall on %d threads)\n"
	       "briefing: write    %6.3f s  (thread time, then %.3f s for sitemap and static files)\n"
	       "briefing: swap     %6.3f s\n",
	       t[T_SCAN], sum[0], t[T_PARSE], b->nworkers, b->st.articles_parsed, sum[1],
	       t[T_RESOLVE], t[T_HOOKS], b->st.steps_run, t[T_PLAN], b->st.pages_rendered,
	       s->n_pages, sum[2], t[T_RENDER], b->jobs, sum[3], t[T_FINISH], t[T_SWAP]);
	if (b->st.spilled)
		printf("briefing: spill    %.1f MiB of body HTML in a file beside the output\n",
		       (double)b->st.spilled / 1048576);
	long *k = b->peak_kib;
	if (k[T_FINISH])
		printf("briefing: memory   peak %ld MiB after resolve, %ld after hooks, %ld after "
		       "render, %ld at the end\n", k[T_RESOLVE] / 1024, k[T_HOOKS] / 1024,
		       k[T_RENDER] / 1024, k[T_FINISH] / 1024);
	/* thread time: keyed steps run on the workers' states too */
	for (size_t i = 0; b->main && i < lb_scripts_count(b->scripts); i++) {
		double ti = lb_hook_seconds(b->main, i);
		for (int w = 0; w < b->nworkers; w++)
			ti += lb_hook_seconds(b->workers[w], i);
		if (ti >= 0.0005)
			printf("briefing:   hooks of %-20s %6.3f s\n", lb_script_path(b->scripts, i), ti);
	}
}

struct build *build_new(const struct build_opts *o)
{
	struct build *b = xcalloc(1, sizeof *b);
	b->o = *o;
	b->jobs = o->jobs > 0 ? o->jobs : pool_default_workers();
	b->t_parse = xcalloc((size_t)b->jobs, sizeof(double));
	b->t_filter = xcalloc((size_t)b->jobs, sizeof(double));
	b->t_render = xcalloc((size_t)b->jobs, sizeof(double));
	b->t_write = xcalloc((size_t)b->jobs, sizeof(double));
	return b;
}

void build_messages(struct build *b, FILE *fp)
{
	b->o.messages = fp;
}

/* briefing check: what a check_only update said and what its steps made. */
void build_take_messages(struct build *b, struct diag *d)
{
	if (b->unsaid)
		diag_merge(d, b->unsaid);
}

void build_summaries(const struct build *b, const char *group,
                     void (*each)(void *ctx, const char *key, const struct value *summary),
                     void *ctx)
{
	st_summaries(b->steps, group, each, ctx);
}

void build_free(struct build *b)
{
	if (!b)
		return;
	build_drop(b);
	hs_table_free(b->manifest);
	diag_free(b->unsaid);
	diag_free(b->said);
	val_free(b->prints);
	val_arena_free(b->arena); /* last: the state's values from the cache lived in it */
	if (b->map)
		munmap((void *)b->map, b->map_len);
	if (b->base_map)
		munmap((void *)b->base_map, b->base_len);
	free(b->base_name);
	free(b->t_parse);
	free(b->t_filter);
	free(b->t_render);
	free(b->t_write);
	free(b);
}

int build_run(const struct build_opts *o)
{
	struct build *b = build_new(o);
	char *cache = o->no_cache || o->live ? NULL : build_cache_path(o);
	/* a build that leaves no state behind: what each step and page read
	 * would never be compared with anything (BRIEFING_LOG_READS=1 keeps
	 * it, for tests) */
	const char *keep = getenv("BRIEFING_LOG_READS");
	tr_log_enable(cache || o->live || (keep && *keep == '1'));
	const char *why = NULL;
	double t0 = now_s(), t_read = 0, t_write = 0;
	if (cache) {
		b->cached = 1;
		if (build_restore(b, cache, &why) == 0)
			b->st.cache = 1;
		t_read = now_s() - t0;
	}
	int rc = build_update(b, NULL, 0, 1);
	/* nothing read, run, rendered or written: the cache says it all */
	const struct build_stats *st = &b->st;
	int same = st->cache && !st->articles_parsed && !st->steps_run && !st->pages_rendered &&
	           !st->files_written && !st->files_removed;
	if (cache && rc == 0 && b->cached && b->s && !same) {
		/* the cache first, then the journal goes: a build killed in
		 * between leaves the journal, and the next one starts over */
		double t1 = now_s();
		if (build_save(b, cache) != 0)
			unlink(cache);
		t_write = now_s() - t1;
	}
	if (b->s) /* (a failed build changed nothing: the cache still says what is there) */
		out_journal_done(b->s->cfg.output);
	if (o->verbose && cache) {
		printf("briefing: cache    %s%s%s\n", st->cache ? "read from " : "not used",
		       st->cache ? cache : why ? ": " : "", st->cache ? "" : why ? why : "");
		printf("briefing: cache    %.3f s reading, %.3f s writing%s\n", t_read, t_write,
		       same ? " (nothing changed: not written)" : "");
	}
	free(cache);
	if (rc == 0 && o->strict && b->warnings) { /* the site is written; CI fails */
		fprintf(o->messages ? o->messages : stderr, "briefing: --strict: %d warning%s; "
		        "failing\n", b->warnings, b->warnings == 1 ? "" : "s");
		rc = 1;
	}
#if defined(__SANITIZE_ADDRESS__)
	build_free(b); /* the leak checker wants to see every block go */
#else
	(void)build_free; /* the process ends here: the system takes the memory back */
#endif
	out_wait();
	tr_log_enable(1);
	return rc;
}
