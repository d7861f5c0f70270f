/* build.c: the order of the pipeline stages and who owns what between
 * them. Stages that touch one item at a time (article parse + filter +
 * body render; page render) run on the pool with per-worker state; stages
 * that change the shared model (resolve, hooks) run on this thread. */
#include "build.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cache.h"
#include "hashes.h"
#include "lua_bridge.h"
#include "output.h"
#include "pool.h"
#include "progress.h"
#include "render.h"
#include "site.h"
#include "sitemap.h"
#include "steps.h"

struct build {
	struct site *site;
	struct lb **workers;    /* one Lua state per worker */
	struct theme *theme;
	struct output *out;
	struct diag **page_diag; /* per page, merged in page order */
	buf *html;               /* per page, when after_render needs it */
	size_t pages_written;
	struct progress *progress;
	struct build_cache *cache;   /* serve's, or NULL */
	struct st_state *steps;      /* what the keyed steps made */
	struct cache_article **snaps; /* per article: a copy to keep in the cache */
	atomic_size_t cached;        /* articles taken from the cache */
	uint64_t *fingerprints;      /* per page: hash of its inputs (0: unknown) */
	unsigned char *skip;         /* per page: unchanged, not rendered */
	/* seconds spent per worker, summed for -v (no sharing between workers) */
	double *t_parse, *t_filter, *t_render, *t_write;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void parse_one(void *ctx, int worker, size_t i)
{
	struct build *b = ctx;
	struct site *s = b->site;
	struct article *a = s->articles[i];
	double t0 = now_s();
	if (b->cache && cache_restore(b->cache, a)) {
		atomic_fetch_add(&b->cached, 1);
		b->t_parse[worker] += now_s() - t0;
		progress_tick(b->progress);
		return;
	}
	struct stat before;
	int stamped = b->cache && stat(a->path, &before) == 0;
	int parsed = article_parse(s, a);
	double t1 = now_s();
	b->t_parse[worker] += t1 - t0;
	if (parsed == 0) {
		struct lb *lb = b->workers[worker];
		if (!a->draft || s->cfg.drafts) {
			if (lb_filter_article(lb, a) == 0)
				article_render_body(s, a);
		}
		lb_release_doc(lb, a);
		if (stamped)
			b->snaps[i] = cache_snapshot(a, &before);
		b->t_filter[worker] += now_s() - t1;
	}
	progress_tick(b->progress);
}

/* Writes a rendered page; without clean URLs, HTML links are rewritten to
 * point at files. */
static void write_page(struct build *b, const char *file, const buf *html, struct diag *d)
{
	size_t n = strlen(file);
	if (b->site->cfg.clean_urls || n < 5 || strcmp(file + n - 5, ".html") != 0) {
		out_write(b->out, file, html->ptr, html->len, d);
		return;
	}
	buf fixed = BUF_INIT;
	render_unclean_links(b->site, html, &fixed);
	out_write(b->out, file, fixed.ptr, fixed.len, d);
	buf_free(&fixed);
}

static void render_one(void *ctx, int worker, size_t i)
{
	struct build *b = ctx;
	struct page *p = b->site->pages[i];
	struct diag *d = diag_new();
	b->page_diag[i] = d;
	if (b->skip && b->skip[i]) {
		progress_tick(b->progress);
		return;
	}
	buf html = BUF_INIT;
	double t0 = now_s();
	int rendered = render_page(b->theme, b->site, p, &html, d);
	double t1 = now_s();
	b->t_render[worker] += t1 - t0;
	progress_tick(b->progress);
	if (rendered == 0) {
		if (b->html) { /* kept for after_render */
			b->html[i] = html;
			return;
		}
		char *file = render_page_file(b->site, p->url);
		write_page(b, file, &html, d);
		free(file);
		b->t_write[worker] += now_s() - t1;
	} else {
		diag_add(d, DIAG_NOTE, NULL, 0, 0, "while rendering page \"%s\" (made by %s)", p->url,
		         p->source);
	}
	buf_free(&html);
}

/* Every page needs a template and a URL of its own. */
static void check_pages(struct build *b)
{
	struct site *s = b->site;
	struct value *seen = val_map();
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		char *file = render_page_file(s, p->url);
		struct value *other = val_get(seen, file);
		if (other)
			diag_error(s->diag, p->source, 0, 0,
			           "page \"%s\" is made twice: by %s and by %s; give one of them "
			           "another url", p->url, val_get_str(other, NULL), p->source);
		else
			val_set(seen, file, val_cstr(p->source));
		free(file);
		if (!theme_has(b->theme, p->template))
			diag_error(s->diag, p->source, 0, 0,
			           "page \"%s\" wants template \"%s\", which neither the theme nor the "
			           "site's templates/ has", p->url, p->template);
	}
	val_free(seen);
}

static void list_page(void *ctx, struct page *p)
{
	site_list_page(ctx, p);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* URLs per sitemap file: the protocol's 50,000 (BRIEFING_SITEMAP_LIMIT
 * lowers it, for tests of the index). */
static size_t sitemap_limit(void)
{
	const char *env = getenv("BRIEFING_SITEMAP_LIMIT");
	long n = env ? atol(env) : 0;
	return n > 0 && n < 50000 ? (size_t)n : 50000;
}

static int errors(const struct site *s)
{
	return diag_count(s->diag, DIAG_ERROR);
}

/* The settings a cached article or page depends on besides its files. */
static char *cache_config(const struct site *s)
{
	return xasprintf("drafts=%d future=%d clean_urls=%d unsafe=%d base_url=%s theme=%s "
	                 "output=%s", s->cfg.drafts, s->cfg.future, s->cfg.clean_urls,
	                 s->cfg.unsafe, s->cfg.base_url, s->cfg.theme, s->cfg.output);
}

/* With a cache: the hash of everything each page's template can see (the
 * page's fields and data, the site map), and which pages are unchanged
 * since the last build, so neither rendered nor written. Pages whose data
 * holds a lambda, and every page when a template changed or an
 * after_render hook may rewrite the HTML, are rendered. */
static void plan_pages(struct build *b, int after_render)
{
	struct site *s = b->site;
	size_t n = s->n_pages;
	b->fingerprints = xcalloc(n ? n : 1, sizeof *b->fingerprints);
	b->skip = xcalloc(n ? n : 1, 1);
	struct hs_memo *memo = hs_memo_new();
	struct hs_table *pages = cache_pages(b->cache);
	int reuse = !after_render && !cache_templates_changed(b->cache);
	/* per template (few templates, many pages): how deep and which keys
	 * it can read */
	struct hs_table *reach = hs_table_new();
	struct hs_table **names = NULL;
	uint64_t *site_hashes = NULL; /* the site map, hashed once per template */
	size_t n_names = 0;
	for (size_t i = 0; i < n; i++) {
		struct page *p = s->pages[i];
		uint64_t info;
		if (!hs_get(reach, p->template, &info)) {
			int r = theme_reach(b->theme, p->template);
			names = xrealloc(names, (n_names + 1) * sizeof *names);
			names[n_names] = theme_names(b->theme, p->template);
			site_hashes = xrealloc(site_hashes, (n_names + 1) * sizeof *site_hashes);
			site_hashes[n_names] = r < 0 ? 0 : hs_value(memo, s->site_data, r + 1,
			                                             names[n_names], (int)n_names);
			info = (r < 0 ? 0xFFFFFFFFull : (uint64_t)r) | (uint64_t)n_names << 32;
			n_names++;
			hs_put(reach, p->template, info, 0);
		}
		uint64_t depth = info & 0xFFFFFFFFull;
		int tid = (int)(info >> 32);
		if (depth == 0xFFFFFFFFull)
			continue; /* no bound: always rendered */
		/* the page data and the site map sit at the bottom of the context */
		uint64_t data = hs_value(memo, p->data, (int)depth + 1, names[tid], tid);
		uint64_t site = site_hashes[tid];
		if (!data || !site)
			continue;
		uint64_t h = hs_bytes(p->template, strlen(p->template), site);
		h = hs_bytes(p->kind, strlen(p->kind), h);
		h = hs_bytes(p->title, strlen(p->title), h);
		h = hs_bytes(p->url, strlen(p->url), h ^ data);
		b->fingerprints[i] = h ? h : 1;
		char *file = render_page_file(s, p->url);
		uint64_t before;
		if (reuse && hs_get(pages, file, &before) && before == b->fingerprints[i]) {
			b->skip[i] = 1;
			out_keep(b->out, file);
		}
		free(file);
	}
	hs_table_free(reach);
	for (size_t i = 0; i < n_names; i++)
		hs_table_free(names[i]);
	free(names);
	free(site_hashes);
	hs_memo_free(memo);
}

/* With a cache: remembers each rendered page's hash and forgets pages gone. */
static void remember_pages(struct build *b, unsigned gen)
{
	struct site *s = b->site;
	struct hs_table *pages = cache_pages(b->cache);
	for (size_t i = 0; i < s->n_pages; i++) {
		char *file = render_page_file(s, s->pages[i]->url);
		if (b->skip[i])
			hs_mark(pages, file, gen);
		else
			hs_put(pages, file, b->fingerprints[i], gen);
		free(file);
	}
	hs_sweep(pages, gen, NULL, NULL);
}

int build_run(const struct build_opts *o)
{
	if (o->stats)
		memset(o->stats, 0, sizeof *o->stats);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct diag *d = diag_new();
	struct build b = {0};
	struct lb_scripts *scripts = NULL;
	struct lb *main_lb = NULL;
	int jobs = o->jobs > 0 ? o->jobs : pool_default_workers();
	int nworkers = jobs; /* Lua states: no more than there are articles */
	double t_parse = 0, t_hooks = 0, t_render = 0, mark = 0; /* phase timings */
	double t_scan = 0, t_resolve = 0, t_finish = 0, t_swap = 0, t_plan = 0;
	b.t_parse = xcalloc((size_t)jobs, sizeof(double));
	b.t_filter = xcalloc((size_t)jobs, sizeof(double));
	b.t_render = xcalloc((size_t)jobs, sizeof(double));
	b.t_write = xcalloc((size_t)jobs, sizeof(double));
	b.progress = progress_new(stderr, !o->quiet);
	b.cache = o->cache;
	atomic_init(&b.cached, 0);
	unsigned gen = 0;
	progress_phase(b.progress, "scan", 0);
	struct site *s = site_open(o->site_dir, d);
	b.site = s;
	if (!s)
		goto done;
	s->tool_dir = o->tool_dir ? xstrdup(o->tool_dir) : NULL;
	s->cfg.drafts = o->drafts;
	s->cfg.future = o->future;
	if (o->clean_urls >= 0)
		s->cfg.clean_urls = o->clean_urls;
	val_set_bool(s->site_layer[0], "clean_urls", s->cfg.clean_urls);
	s->cfg.now = o->as_of ? o->as_of : (long long)time(NULL);
	if (o->base_url) {
		size_t n = strlen(o->base_url);
		free(s->cfg.base_url);
		s->cfg.base_url = n && o->base_url[n - 1] != '/' ? xasprintf("%s/", o->base_url)
		                                                 : xstrdup(o->base_url);
		val_set_str(s->site_layer[0], "base_url", s->cfg.base_url);
	}
	if (o->out_dir) {
		free(s->cfg.output);
		s->cfg.output = xstrdup(o->out_dir);
	}
	/* a refused output folder fails the build before any work, at the
	 * output: key when site.yml chose it */
	const char *refused = out_refused(s->cfg.output, s->cfg.dir);
	if (refused) {
		const struct value *key = o->out_dir ? NULL : val_get(s->cfg.yaml, "output");
		char *yml = key ? site_path(s, "site.yml") : NULL;
		diag_error(s->diag, yml, key ? val_line(key) : 0, key ? val_col(key) : 0,
		           "refusing to write the site to \"%s\": %s",
		           key ? val_get_str(key, NULL) : s->cfg.output, refused);
		free(yml);
		goto done;
	}
	/* a file or folder the scan could not take still lets the articles it
	 * found be parsed, so that one run reports every error; the build
	 * stops after the parse */
	site_scan(s);
	if (b.cache) {
		char *config = cache_config(s);
		gen = cache_begin(b.cache, config);
		free(config);
		b.snaps = xcalloc(s->n_articles ? s->n_articles : 1, sizeof *b.snaps);
	}
	scripts = lb_scripts_new(s, s->diag);
	if (!scripts)
		goto done;
	b.theme = theme_load(s, s->diag);
	if (!b.theme)
		goto done;

	/* parse + filter + body render, in parallel */
	if ((size_t)nworkers > s->n_articles)
		nworkers = s->n_articles ? (int)s->n_articles : 1;
	b.workers = xcalloc((size_t)nworkers, sizeof *b.workers);
	for (int i = 0; i < nworkers; i++) {
		b.workers[i] = lb_new(s, scripts, 0, s->diag);
		if (!b.workers[i])
			goto done;
	}
	mark = seconds_since(&t0);
	t_scan = mark;
	progress_phase(b.progress, "parse", s->n_articles);
	pool_run(nworkers, s->n_articles, parse_one, &b);
	t_parse = seconds_since(&t0) - mark;
	for (size_t i = 0; b.snaps && i < s->n_articles; i++)
		if (b.snaps[i])
			cache_store(b.cache, b.snaps[i]);
	free(b.snaps);
	b.snaps = NULL;
	if (o->stats) {
		o->stats->articles_cached = atomic_load(&b.cached);
		o->stats->articles_parsed = s->n_articles - o->stats->articles_cached;
	}
	mark = seconds_since(&t0);
	site_resolve(s);
	t_resolve = seconds_since(&t0) - mark;
	if (errors(s))
		goto done;

	/* grouping and cross-links: the scripts' site hooks */
	mark = seconds_since(&t0);
	progress_phase(b.progress, "hooks", 0);
	site_add_article_pages(s);
	main_lb = lb_new(s, scripts, 1, s->diag);
	if (!main_lb || lb_run_hook(main_lb, "site_loaded", s->diag) != 0 ||
	    (b.steps = st_new(s, scripts, main_lb)) == NULL ||
	    st_update(b.steps, b.workers, nworkers, main_lb, NULL) != 0 ||
	    (st_pages(b.steps, list_page, s), st_collections(b.steps, main_lb), 0) ||
	    (lb_has_hook(main_lb, "article") && lb_article_hooks(main_lb, s->diag) != 0) ||
	    lb_run_hook(main_lb, "collections", s->diag) != 0)
		goto done;
	if (theme_has(b.theme, "404"))
		site_add_page(s, "404.html", "404", "404", "Page not found", NULL, "the theme");
	if (lb_has_hook(main_lb, "before_render"))
		for (size_t i = 0; i < s->n_pages; i++)
			if (lb_page_hook(main_lb, "before_render", s->pages[i], NULL, s->diag) != 0)
				goto done;
	check_pages(&b);
	if (errors(s))
		goto done;
	const char *dump = getenv("BRIEFING_DUMP_VARS"); /* for tests/cli/vars.sh */
	if (dump && *dump) {
		FILE *fp = fopen(dump, "w");
		if (fp) {
			render_dump_vars(s, fp);
			fclose(fp);
		}
	}

	t_hooks = seconds_since(&t0) - mark;
	mark = seconds_since(&t0);
	/* render and write, in parallel */
	b.out = b.cache ? out_begin_live(s->cfg.output, s->cfg.dir, cache_manifest(b.cache), gen,
	                                 s->diag)
	                : out_begin(s->cfg.output, s->cfg.dir, s->diag);
	if (!b.out)
		goto done;
	b.page_diag = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *b.page_diag);
	if (lb_has_hook(main_lb, "after_render"))
		b.html = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *b.html);
	/* can last build's hashes tell unchanged pages? (then this build
	 * shows what hashing saves) */
	int judge = b.cache && cache_page_hashing(b.cache) && !cache_templates_changed(b.cache) &&
	            hs_count(cache_pages(b.cache)) > 0 && !b.html;
	if (b.cache && cache_page_hashing(b.cache)) {
		double t = now_s();
		plan_pages(&b, b.html != NULL);
		t_plan = now_s() - t;
	}
	progress_phase(b.progress, "render", s->n_pages);
	double t_pool = now_s();
	pool_run(jobs, s->n_pages, render_one, &b);
	t_pool = now_s() - t_pool;
	size_t skipped = 0;
	for (size_t i = 0; b.skip && i < s->n_pages; i++)
		skipped += b.skip[i];
	if (o->stats) {
		o->stats->pages_skipped = skipped;
		o->stats->pages_rendered = s->n_pages - skipped;
	}
	if (judge) {
		size_t rendered = s->n_pages - skipped;
		double saved = (double)skipped * t_pool / (double)(rendered ? rendered : 1);
		if (!cache_judge_hashing(b.cache, t_plan, saved) && o->stats)
			o->stats->hashing_dropped = 1;
	}
	/* after_render runs on this thread's Lua state, page by page */
	for (size_t i = 0; b.html && i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		if (diag_count(b.page_diag[i], DIAG_ERROR) == 0 &&
		    lb_page_hook(main_lb, "after_render", p, &b.html[i], b.page_diag[i]) == 0) {
			char *file = render_page_file(s, p->url);
			write_page(&b, file, &b.html[i], b.page_diag[i]);
			free(file);
		}
		buf_free(&b.html[i]);
	}
	free(b.html);
	b.html = NULL;
	for (size_t i = 0; i < s->n_pages; i++) {
		diag_merge(s->diag, b.page_diag[i]);
		diag_free(b.page_diag[i]);
	}
	free(b.page_diag);
	t_render = seconds_since(&t0) - mark;
	mark = seconds_since(&t0);
	progress_phase(b.progress, "write", 0);
	if (!errors(s))
		sitemap_write(s, b.out, sitemap_limit(), s->diag);
	/* static files last: a site's own robots.txt wins */
	if (!errors(s))
		theme_copy_static(b.theme, b.out, s->diag);
	t_finish = seconds_since(&t0) - mark;
	mark = seconds_since(&t0);
	if (errors(s)) {
		out_abort(b.out);
	} else {
		if (b.cache) {
			if (b.skip)
				remember_pages(&b, gen);
			else
				hs_clear(cache_pages(b.cache));
			out_prune(b.out);
		}
		if (o->stats)
			out_stats(b.out, &o->stats->files_written, &o->stats->files_removed);
		out_commit(b.out, s->diag);
	}
	b.out = NULL;
	t_swap = seconds_since(&t0) - mark;
	t_render += t_finish + t_swap;

done:
	progress_end(b.progress);
	b.progress = NULL;
	if (s)
		diag_merge(d, s->diag);
	FILE *msg = o->messages ? o->messages : stderr;
	diag_print(d, msg);
	int nerr = diag_count(d, DIAG_ERROR);
	if (nerr) {
		fprintf(msg, "briefing: build failed with %d error%s; the previous output is "
		                "unchanged\n", nerr, nerr == 1 ? "" : "s");
	} else if (!o->quiet) {
		printf("briefing: %zu articles, %zu pages written to %s in %.2f s "
		       "(parse and filter %.2f s, hooks %.2f s, render and write %.2f s)\n",
		       s->n_articles, s->n_pages, s->cfg.output, seconds_since(&t0), t_parse, t_hooks,
		       t_render);
	}
	if (!nerr && o->verbose) {
		double sum[4] = {0};
		for (int i = 0; i < jobs; i++) {
			sum[0] += b.t_parse[i];
			sum[1] += b.t_filter[i];
			sum[2] += b.t_render[i];
			sum[3] += b.t_write[i];
		}
		/* parse and filter, render and write interleave on the workers:
		 * their split is time summed over the threads */
		printf("briefing: scan     %6.3f s  (site.yml, content listing, scripts, theme)\n"
		       "briefing: parse    %6.3f s  (parse and filter %.3f s wall on %d threads)\n"
		       "briefing: filters  %6.3f s  (thread time, with body rendering)\n"
		       "briefing: resolve  %6.3f s\n"
		       "briefing: hooks    %6.3f s\n"
		       "briefing: unchanged %5.3f s  (serve: hashing what each page can read)\n"
		       "briefing: render   %6.3f s  (render and write %.3f s wall on %d threads)\n"
		       "briefing: write    %6.3f s  (thread time, then %.3f s for sitemap and static files)\n"
		       "briefing: swap     %6.3f s\n",
		       t_scan, sum[0], t_parse, nworkers, sum[1], t_resolve, t_hooks, t_plan, sum[2],
		       t_render - t_finish - t_swap, jobs, sum[3], t_finish, t_swap);
		/* thread time: keyed steps run on the workers' states too */
		for (size_t i = 0; main_lb && i < lb_scripts_count(scripts); i++) {
			double t = lb_hook_seconds(main_lb, i);
			for (int w = 0; b.workers && w < nworkers; w++)
				t += lb_hook_seconds(b.workers[w], i);
			if (t >= 0.0005)
				printf("briefing:   hooks of %-20s %6.3f s\n", lb_script_path(scripts, i), t);
		}
	}
	if (b.workers) {
		for (int i = 0; i < nworkers; i++)
			lb_free(b.workers[i]);
		free(b.workers);
	}
	st_free(b.steps);
	lb_free(main_lb);
	lb_scripts_free(scripts);
	theme_free(b.theme);
	out_abort(b.out);
	site_free(s);
	diag_free(d);
	free(b.fingerprints);
	free(b.skip);
	free(b.snaps);
	if (b.cache)
		cache_end(b.cache, nerr == 0);
	free(b.t_parse);
	free(b.t_filter);
	free(b.t_render);
	free(b.t_write);
	out_wait(); /* the previous output, removed meanwhile */
	return nerr ? 1 : 0;
}
