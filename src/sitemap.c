/* sitemap.c: the sitemap protocol (sitemaps.org): <urlset> files of at
 * most per_file URLs, and a <sitemapindex> over them when there is more
 * than one. Only HTML pages are listed, sorted by URL, so the files do
 * not depend on the order scripts made their pages in. */
#include "sitemap.h"

#include "hashes.h"

#include <stdlib.h>
#include <string.h>

static int is_html_page(const struct page *p)
{
	size_t n = strlen(p->url);
	if (!strcmp(p->kind, "feed") || !strcmp(p->kind, "404") || !strcmp(p->kind, "email"))
		return 0;
	return n == 0 || p->url[n - 1] == '/' || (n > 5 && !strcmp(p->url + n - 5, ".html"));
}

/* A brief's page says when the brief last changed: its `updated` date,
 * else its date. */
static const char *lastmod(const struct page *p)
{
	/* (an article's page is made by resolve, never packed) */
	return !strcmp(p->kind, "article") ? val_get_cstr(val_get(p->data, "article"), "updated_iso")
	                                   : NULL;
}

static void put_url(buf *b, const struct site *s, const struct page *p)
{
	char *public = site_public_url(s, p->url);
	buf_puts(b, "  <url><loc>");
	buf_put_html(b, s->cfg.base_url, strlen(s->cfg.base_url));
	buf_put_html(b, public, strlen(public));
	const char *mod = lastmod(p);
	if (mod) {
		buf_puts(b, "</loc><lastmod>");
		buf_put_html(b, mod, strlen(mod));
		buf_puts(b, "</lastmod></url>\n");
	} else {
		buf_puts(b, "</loc></url>\n");
	}
	free(public);
}

/* Crawlers ask for /robots.txt at the host root only: under a subpath
 * the file is written (a host may serve it at the root) with a warning,
 * at base_url in site.yml when it comes from there. */
static void warn_subpath(const struct site *s, struct diag *d)
{
	const char *base = s->cfg.base_url;
	const char *host = strstr(base, "://");
	const char *path = host ? strchr(host + 3, '/') : NULL;
	if (!path || !path[1])
		return;
	const struct value *v = val_get(s->cfg.yaml, "base_url");
	const char *str = val_get_cstr(s->cfg.yaml, "base_url");
	char *yml = site_path(s, "site.yml");
	int from_yml = v && str && *str && !strncmp(str, base, strlen(str));
	diag_warn(d, from_yml ? yml : NULL, from_yml ? val_line(v) : 0, from_yml ? val_col(v) : 0,
	          "robots.txt written under %s, but crawlers read it only at the host root "
	          "(%.*srobots.txt): copy its lines there, or set robots: false in site.yml",
	          path, (int)(path + 1 - base), base);
	free(yml);
}

/* What the files say, in one number: the sum of a hash per listed page
 * (so the order pages were made in does not count) and the settings. A
 * brief's lastmod is a function of its date, its `updated` and the time
 * zone (put_updated in resolve.c), hashed from the article instead of
 * looked up in its page's view. Each part is kept where it belongs, a
 * page's with the page (its URL and kind never change), a brief's with
 * the brief until it is parsed again, so that an update sums numbers:
 * making the sitemap of 10k briefs again took 27 ms, and hashing every
 * page and brief 13 ms at 10k and 130 ms at 100k. */
#define LISTED_NOT_SUMMED 1 /* p->listed: an article's page or one not listed */
#define LISTED_HTML 2       /* an HTML page: one of the sitemap's */
#define LISTED_FLAGS 3

static uint64_t fingerprint(const struct site *s, size_t per_file, size_t *html)
{
	uint64_t sum = hs_bytes(s->cfg.base_url, strlen(s->cfg.base_url), per_file) +
	               (uint64_t)s->cfg.robots * 2 + (uint64_t)s->cfg.clean_urls * 4 +
	               (uint64_t)(int64_t)s->cfg.tz_offset_min * 8 + 1;
	*html = 0;
	for (size_t i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		if (!p->listed) {
			int article = !strcmp(p->kind, "article"), listed = is_html_page(p);
			p->listed = (article || !listed ? LISTED_NOT_SUMMED
			             : hs_bytes(p->url, strlen(p->url), 0x736d) & ~(uint64_t)LISTED_FLAGS) |
			            (listed ? LISTED_HTML : 0);
		}
		if (!(p->listed & LISTED_NOT_SUMMED))
			sum += p->listed;
		*html += (p->listed & LISTED_HTML) != 0;
	}
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		if (!a->page)
			continue;
		if (!a->lastmod) {
			const char *updated = val_get_cstr(a->meta, "updated");
			int64_t when[4] = {a->date.epoch, a->date.offset_min, a->date.has_time,
			                   updated ? (int64_t)hs_bytes(updated, strlen(updated), 1) : 0};
			a->lastmod = hs_bytes(when, sizeof when,
			                      hs_bytes(a->page->url, strlen(a->page->url), 0x736d)) | 1;
		}
		sum += a->lastmod;
	}
	return sum ? sum : 1;
}

static int by_url(const void *a, const void *b)
{
	return strcmp((*(struct page *const *)a)->url, (*(struct page *const *)b)->url);
}

int sitemap_write(struct site *s, struct output *o, size_t per_file, uint64_t *stamp,
                  int may_keep, struct diag *d)
{
	const char *base = s->cfg.base_url;
	if (!*base)
		return 0;
	size_t listed = 0;
	uint64_t print = stamp ? fingerprint(s, per_file, &listed) : 0;
	if (stamp && may_keep && *stamp == print) {
		size_t files = listed > per_file ? (listed + per_file - 1) / per_file : 1;
		out_keep(o, "sitemap.xml");
		for (size_t f = 0; files > 1 && f < files; f++) {
			char *name = xasprintf("sitemap-%zu.xml", f + 1);
			out_keep(o, name);
			free(name);
		}
		if (s->cfg.robots)
			out_keep(o, "robots.txt");
		return 0;
	}
	if (stamp)
		*stamp = 0; /* until the files are written */
	size_t total = 0;
	struct page **pages = xcalloc(s->n_pages ? s->n_pages : 1, sizeof *pages);
	for (size_t i = 0; i < s->n_pages; i++)
		if (is_html_page(s->pages[i]))
			pages[total++] = s->pages[i];
	if (total)
		qsort(pages, total, sizeof *pages, by_url);
	size_t files = total > per_file ? (total + per_file - 1) / per_file : 1;
	buf b = BUF_INIT;
	size_t i = 0;
	int rc = 0;
	for (size_t f = 0; f < files && rc == 0; f++) {
		buf_reset(&b);
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		             "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		size_t in_file = 0;
		for (; i < total && in_file < per_file; i++, in_file++)
			put_url(&b, s, pages[i]);
		buf_puts(&b, "</urlset>\n");
		char *name = files == 1 ? xstrdup("sitemap.xml") : xasprintf("sitemap-%zu.xml", f + 1);
		rc = out_write(o, name, b.ptr, b.len, d);
		free(name);
	}
	if (files > 1 && rc == 0) {
		buf_reset(&b);
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		             "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (size_t f = 0; f < files; f++) {
			buf_puts(&b, "  <sitemap><loc>");
			buf_put_html(&b, base, strlen(base));
			buf_printf(&b, "sitemap-%zu.xml</loc></sitemap>\n", f + 1);
		}
		buf_puts(&b, "</sitemapindex>\n");
		rc = out_write(o, "sitemap.xml", b.ptr, b.len, d);
	}
	if (rc == 0 && s->cfg.robots) {
		buf_reset(&b);
		buf_printf(&b, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n", base);
		rc = out_write(o, "robots.txt", b.ptr, b.len, d);
		if (rc == 0)
			warn_subpath(s, d);
	}
	buf_free(&b);
	free(pages);
	if (stamp && rc == 0)
		*stamp = print;
	return rc;
}
