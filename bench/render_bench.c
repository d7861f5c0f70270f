/* bench/render_bench.c: renders the article page of the example site
 * N times (default 100,000) with the real theme and data, on one thread,
 * and prints the time per render. Not a test: figures go in notes.
 * Usage: build/render_bench [SITE_DIR [N]] (from the repository root). */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../src/render.h"
#include "../src/site.h"

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	long n = argc > 2 ? atol(argv[2]) : 100000;
	struct diag *d = diag_new();
	struct site *s = site_open(dir, d);
	if (s)
		s->cfg.now = (long long)time(NULL); /* as `briefing build` sets it */
	if (!s || (s->tool_dir = xstrdup("."), site_scan(s)) != 0) {
		diag_print(d, stderr);
		return 1;
	}
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		if (article_parse(s, a) == 0)
			article_render_body(s, a);
		if (a->doc)
			cmark_node_free(a->doc);
		a->doc = NULL;
	}
	site_resolve(s);
	struct theme *t = theme_load(s, s->diag);
	if (!t || !s->n_articles) {
		diag_print(s->diag, stderr);
		if (t)
			fprintf(stderr, "render_bench: no published article in %s\n", dir);
		return 1;
	}
	struct article *a = s->articles[0];
	struct value *data = val_map();
	val_set(data, "article", val_ref(a->data));
	struct page *p = site_add_page(s, a->url, "article", "article", a->title, data, a->path);
	buf out = BUF_INIT;
	size_t bytes = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		buf_reset(&out);
		render_page(t, s, p, &out, s->diag);
		bytes += out.len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("article page (%zu bytes) rendered %ld times in %.2f s: %.1f us per render, "
	       "%.0f MB/s\n", out.len, n, secs, secs / (double)n * 1e6, (double)bytes / secs / 1e6);
	buf_free(&out);
	theme_free(t);
	site_free(s);
	diag_free(d);
	return 0;
}
