/* build.c: the order of the pipeline stages and who owns what between
 * them. Stages that touch one item at a time (article parse + filter +
 * body render; page render) run on the pool with per-worker state; stages
 * that change the shared model (resolve, hooks) run on this thread. */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua_bridge.h"
#include "output.h"
#include "pool.h"
#include "progress.h"
#include "render.h"
#include "site.h"
#include "sitemap.h"

struct build {
	struct site *site;
	struct lb **workers;    /* one Lua state per worker */
	struct theme *theme;
	struct output *out;
	struct diag **page_diag; /* per page, merged in page order */
	buf *html;               /* per page, when after_render needs it */
	size_t pages_written;
	struct progress *progress;
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

static void add_article_pages(struct site *s)
{
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		struct value *data = val_map();
		val_set(data, "article", val_ref(a->data));
		const char *summary = val_get_cstr(a->data, "summary");
		if (summary)
			val_set_str(data, "description", summary);
		site_add_page(s, a->url, "article", "article", a->title, data, a->path);
	}
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

int build_run(const struct build_opts *o)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct diag *d = diag_new();
	struct build b = {0};
	struct lb_scripts *scripts = NULL;
	struct lb *main_lb = NULL;
	int jobs = o->jobs > 0 ? o->jobs : pool_default_workers();
	int nworkers = jobs; /* Lua states: no more than there are articles */
	double t_parse = 0, t_hooks = 0, t_render = 0, mark = 0; /* phase timings */
	double t_scan = 0, t_resolve = 0, t_finish = 0, t_swap = 0;
	b.t_parse = xcalloc((size_t)jobs, sizeof(double));
	b.t_filter = xcalloc((size_t)jobs, sizeof(double));
	b.t_render = xcalloc((size_t)jobs, sizeof(double));
	b.t_write = xcalloc((size_t)jobs, sizeof(double));
	b.progress = progress_new(stderr, !o->quiet);
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
	val_set_bool(s->site_data, "clean_urls", s->cfg.clean_urls);
	s->cfg.now = o->as_of ? o->as_of : (long long)time(NULL);
	if (o->base_url) {
		size_t n = strlen(o->base_url);
		free(s->cfg.base_url);
		s->cfg.base_url = n && o->base_url[n - 1] != '/' ? xasprintf("%s/", o->base_url)
		                                                 : xstrdup(o->base_url);
		val_set_str(s->site_data, "base_url", s->cfg.base_url);
	}
	if (o->out_dir) {
		free(s->cfg.output);
		s->cfg.output = xstrdup(o->out_dir);
	}
	if (site_scan(s) != 0 || errors(s))
		goto done;
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
	for (int i = 0; i < nworkers; i++)
		lb_free(b.workers[i]);
	free(b.workers);
	b.workers = NULL;
	mark = seconds_since(&t0);
	site_resolve(s);
	t_resolve = seconds_since(&t0) - mark;
	if (errors(s))
		goto done;

	/* grouping and cross-links: the scripts' site hooks */
	mark = seconds_since(&t0);
	progress_phase(b.progress, "hooks", 0);
	add_article_pages(s);
	main_lb = lb_new(s, scripts, 1, s->diag);
	if (!main_lb || lb_run_hook(main_lb, "site_loaded", s->diag) != 0 ||
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
	b.out = out_begin(s->cfg.output, s->cfg.dir, s->diag);
	if (!b.out)
		goto done;
	b.page_diag = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *b.page_diag);
	if (lb_has_hook(main_lb, "after_render"))
		b.html = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *b.html);
	progress_phase(b.progress, "render", s->n_pages);
	pool_run(jobs, s->n_pages, render_one, &b);
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
		       "briefing: render   %6.3f s  (render and write %.3f s wall on %d threads)\n"
		       "briefing: write    %6.3f s  (thread time, then %.3f s for sitemap and static files)\n"
		       "briefing: swap     %6.3f s\n",
		       t_scan, sum[0], t_parse, nworkers, sum[1], t_resolve, t_hooks, sum[2],
		       t_render - t_finish - t_swap, jobs, sum[3], t_finish, t_swap);
	}
	if (b.workers) {
		for (int i = 0; i < nworkers; i++)
			lb_free(b.workers[i]);
		free(b.workers);
	}
	lb_free(main_lb);
	lb_scripts_free(scripts);
	theme_free(b.theme);
	out_abort(b.out);
	site_free(s);
	diag_free(d);
	free(b.t_parse);
	free(b.t_filter);
	free(b.t_render);
	free(b.t_write);
	return nerr ? 1 : 0;
}
