/* libFuzzer target for the whole single-article pipeline, with the build's
 * own functions: the input is an article file (front matter + Markdown) of
 * the golden fixture site (tests/golden/site, with its people and topics).
 * It goes through article_parse_text, the default node filters of the
 * tool's scripts/ (mentions, links) in a worker Lua state, the body render,
 * site_resolve and the default theme's article template, then the link
 * rewrite for sites without clean URLs. Site hooks (editions, feeds) are
 * not run. Run from the repository root, or set BRIEFING_ROOT. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/diag.h"
#include "../../src/fsutil.h"
#include "../../src/lua_bridge.h"
#include "../../src/render.h"
#include "../../src/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *root;
static char *site_dir;
static struct theme *theme;

static struct site *open_site(struct diag *d)
{
	struct site *s = site_open(site_dir, d);
	if (!s)
		return NULL;
	s->tool_dir = xstrdup(root);
	s->cfg.now = 1893456000; /* 2030-01-01: the fixture's dates are all past */
	s->cfg.drafts = 1;
	return s;
}

static void init(void)
{
	root = getenv("BRIEFING_ROOT");
	if (!root || !*root)
		root = ".";
	site_dir = fs_join(root, "tests/golden/site");
	struct diag *d = diag_new();
	struct site *s = open_site(d);
	theme = s ? theme_load(s, d) : NULL;
	if (!theme) {
		diag_print(d, stderr);
		fprintf(stderr, "fuzz_article: cannot load %s (run from the repository root)\n",
		        site_dir);
		abort();
	}
	site_free(s);
	diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!theme)
		init();
	if (size > 65536)
		return 0;
	struct diag *d = diag_new();
	struct site *s = open_site(d);
	if (!s || site_scan(s) != 0)
		abort(); /* the fixture is fixed: this is not the input's doing */
	/* the fixture's own articles are only listed by the scan: replace them
	 * with the input */
	for (size_t i = 0; i < s->n_articles; i++)
		article_free(s->articles[i]);
	struct article *a = xcalloc(1, sizeof *a);
	a->path = site_path(s, "content/articles/2017/fuzz.md");
	a->rel = xstrdup("2017/fuzz");
	a->diag = diag_new();
	s->articles[0] = a;
	s->n_articles = 1;
	s->cfg.clean_urls = size & 1; /* both kinds of links, input by input */

	struct lb_scripts *scripts = lb_scripts_new(s, s->diag);
	struct lb *lb = scripts ? lb_new(s, scripts, 0, s->diag) : NULL;
	if (!lb)
		abort();
	if (article_parse_text(s, a, (const char *)data, size) == 0) {
		if (lb_filter_article(lb, a) == 0)
			article_render_body(s, a);
		lb_release_doc(lb, a);
	}
	lb_free(lb);
	lb_scripts_free(scripts);

	if (site_resolve(s) == 0) {
		site_add_article_pages(s);
		for (size_t i = 0; i < s->n_pages; i++) {
			buf html = BUF_INIT, fixed = BUF_INIT;
			if (render_page(theme, s, s->pages[i], &html, s->diag) == 0 && !s->cfg.clean_urls)
				render_unclean_links(s, &html, &fixed);
			buf_free(&html);
			buf_free(&fixed);
		}
	}
	for (int i = 0; diag_message(s->diag, i, NULL); i++)
		;
	site_free(s);
	diag_free(d);
	return 0;
}
