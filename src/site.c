/* site.c: site.yml, the content scan, topics and people, and resolution of
 * article references into the site model. Articles themselves are parsed
 * in article.c (in parallel); grouping into pages is the Lua scripts' job. */
#include "site.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "controls.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "hashes.h"
#include "markdown.h"
#include "num.h"
#include "pool.h"
#include "resize.h"
#include "tz.h"
#include "standalone.h"
#include "yamlvalue.h"

char *site_path(const struct site *s, const char *rel)
{
	return fs_join(s->cfg.dir, rel);
}

/* The lower case of a letter of Latin-1, Latin Extended-A, Greek or
 * Cyrillic (Unicode's simple mapping); any other code point as it is. */
static uint32_t lower_cp(uint32_t c)
{
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
	    (c >= 0x410 && c <= 0x42F))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c == 0x130)
		return 'i';
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x4C1 && c <= 0x4CE))
		return c & 1 ? c + 1 : c;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) || (c >= 0x460 && c <= 0x481) ||
	    (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
		return c & 1 ? c : c + 1;
	if (c == 0x4C0)
		return 0x4CF;
	switch (c) {
	case 0x386: return 0x3AC;
	case 0x388: case 0x389: case 0x38A: return c + 0x25;
	case 0x38C: return 0x3CC;
	case 0x38E: case 0x38F: return c + 0x3F;
	default: return c;
	}
}

/* The code point of the UTF-8 sequence at p and its length in *n, or -1
 * (and *n = 1) when p does not start a well-formed one. */
static long utf8_at(const unsigned char *p, int *n)
{
	*n = 1;
	int len = p[0] >= 0xF0 && p[0] < 0xF5 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2 : 0;
	if (!len)
		return -1;
	uint32_t c = p[0] & (0xFF >> (len + 1));
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		c = c << 6 | (p[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*n = len;
	return (long)c;
}

/* Typographic marks a slug leaves out: apostrophes vanish ("Kim’s" ->
 * "kims", as "O'Brien" -> "obrien"), the rest part words as a space
 * does: no-break space, curly quotes, guillemets, dashes, ellipses. */
enum { SLUG_KEEP, SLUG_DROP, SLUG_SPACE };
static int slug_mark(uint32_t c)
{
	if (c == 0x2018 || c == 0x2019 || c == 0x02BC)
		return SLUG_DROP;
	if (c == 0xA0 || c == 0xAB || c == 0xBB || (c >= 0x2010 && c <= 0x2015) ||
	    (c >= 0x201A && c <= 0x201F) || c == 0x2026 || c == 0x2039 || c == 0x203A ||
	    c == 0x2212)
		return SLUG_SPACE;
	return SLUG_KEEP;
}

char *slugify(const char *in)
{
	buf b = BUF_INIT;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		unsigned char c = *p;
		if (c >= 0x80) {
			int n;
			long cp = utf8_at(p, &n);
			int mark = cp < 0 ? SLUG_KEEP : slug_mark((uint32_t)cp);
			if (mark == SLUG_SPACE)
				dash = b.len > 0;
			if (mark != SLUG_KEEP) {
				p += n - 1;
				continue;
			}
			if (dash)
				buf_putc(&b, '-');
			dash = 0;
			if (cp < 0) { /* a stray byte stays as it is */
				buf_putc(&b, c);
				continue;
			}
			uint32_t lc = lower_cp((uint32_t)cp);
			if (lc < 0x80)
				buf_putc(&b, (int)lc);
			else if (lc < 0x800)
				buf_printf(&b, "%c%c", 0xC0 | (int)(lc >> 6), 0x80 | (int)(lc & 0x3F));
			else
				buf_put(&b, p, (size_t)n); /* no case in the ranges read above 0x7FF */
			p += n - 1;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash)
				buf_putc(&b, '-');
			dash = 0;
			buf_putc(&b, c);
		} else if (c >= 'A' && c <= 'Z') {
			if (dash)
				buf_putc(&b, '-');
			dash = 0;
			buf_putc(&b, c + 32);
		} else if (c == '\'' || c == '.') {
			/* "O'Brien" -> "obrien", "U.S." -> "us" */
		} else {
			dash = b.len > 0;
		}
	}
	return buf_detach(&b, NULL);
}

int site_md_flags(const struct site *s)
{
	return (s->cfg.unsafe ? MD_UNSAFE : 0) | (s->cfg.smart ? MD_SMART : 0);
}

char *site_public_url(const struct site *s, const char *url)
{
	size_t n = strlen(url);
	if (s->cfg.clean_urls || (n && url[n - 1] != '/'))
		return xstrdup(url);
	if (!n)
		return xstrdup("index.html");
	return xasprintf("%.*s.html", (int)(n - 1), url);
}

void site_set_permalink(const struct site *s, struct value *map, const char *url)
{
	char *public = site_public_url(s, url);
	char *permalink = xasprintf("%s%s", s->cfg.base_url, public);
	val_set(map, "permalink", val_str_own(permalink, strlen(permalink)));
	free(public);
}

void url_root(buf *b, const char *page_url)
{
	for (const char *p = page_url; *p; p++)
		if (*p == '/')
			buf_puts(b, "../");
}

static void lower_key(buf *b, const char *prefix, const char *name)
{
	buf_reset(b);
	buf_puts(b, prefix);
	for (const char *p = name; *p; p++)
		buf_putc(b, (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
}

/* ---- site.yml ---- */

static char *cfg_string(struct value *yaml, const char *key, const char *dflt, const char *path,
                        struct diag *d)
{
	struct value *v = val_get(yaml, key);
	if (!v || val_type(v) == VAL_NULL)
		return dflt ? xstrdup(dflt) : NULL;
	if (val_type(v) == VAL_STR)
		return xstrdup(val_get_str(v, NULL));
	if (val_type(v) == VAL_NUM || val_type(v) == VAL_BOOL) {
		buf b = BUF_INIT;
		val_put_scalar(&b, v);
		return buf_detach(&b, NULL);
	}
	diag_error(d, path, val_line(v), val_col(v), "%s: expected a string, found a %s", key,
	           val_type_name(val_type(v)));
	return dflt ? xstrdup(dflt) : NULL;
}

static int cfg_bool(struct value *yaml, const char *key, const char *path, struct diag *d)
{
	struct value *v = val_get(yaml, key);
	if (!v || val_type(v) == VAL_NULL)
		return 0;
	if (val_type(v) != VAL_BOOL) {
		diag_error(d, path, val_line(v), val_col(v), "%s: expected true or false, found a %s",
		           key, val_type_name(val_type(v)));
		return 0;
	}
	return val_get_bool(v);
}

/* images: {srcset: true, widths: [480, 800, 1200], sizes: "..."}: the
 * resized copies of the briefs' images (images.c). The default sizes
 * match the default theme's column, 44rem at most. */
static void read_images(struct site *s, struct value *yaml, const char *path, struct diag *d)
{
	static const unsigned dflt[] = {480, 800, 1200};
	struct site_config *c = &s->cfg;
	c->srcset = 1;
	c->n_img_widths = sizeof dflt / sizeof *dflt;
	memcpy(c->img_widths, dflt, sizeof dflt);
	struct value *images = val_get(yaml, "images");
	if (images && val_type(images) != VAL_MAP && val_type(images) != VAL_NULL) {
		diag_error(d, path, val_line(images), val_col(images), "images: expected a map, found a %s",
		           val_type_name(val_type(images)));
		images = NULL;
	}
	if (!images || val_type(images) != VAL_MAP) {
		c->img_sizes = xstrdup("(max-width: 44rem) 100vw, 44rem");
		return;
	}
	if (val_get(images, "srcset"))
		c->srcset = cfg_bool(images, "srcset", path, d);
	c->img_sizes = cfg_string(images, "sizes", "(max-width: 44rem) 100vw, 44rem", path, d);
	struct value *widths = val_get(images, "widths");
	if (!widths || val_type(widths) == VAL_NULL)
		return;
	if (val_type(widths) != VAL_LIST || val_len(widths) > SITE_MAX_WIDTHS) {
		diag_error(d, path, val_line(widths), val_col(widths),
		           "widths: expected a list of at most %d widths in pixels, like [480, 800, 1200]",
		           SITE_MAX_WIDTHS);
		return;
	}
	c->n_img_widths = 0;
	for (size_t i = 0; i < val_len(widths); i++) {
		struct value *w = val_at(widths, i);
		double px = val_type(w) == VAL_NUM ? val_get_num(w) : 0;
		if (px < 16 || px > 10000 || px != (double)(unsigned)px) {
			diag_error(d, path, val_line(w), val_col(w),
			           "widths: expected a whole number of pixels from 16 to 10000");
			continue;
		}
		/* kept ascending and without repeats: srcset lists them in order */
		unsigned px_u = (unsigned)px;
		size_t at = 0;
		while (at < c->n_img_widths && c->img_widths[at] < px_u)
			at++;
		if (at < c->n_img_widths && c->img_widths[at] == px_u)
			continue;
		memmove(c->img_widths + at + 1, c->img_widths + at,
		        (c->n_img_widths - at) * sizeof *c->img_widths);
		c->img_widths[at] = px_u;
		c->n_img_widths++;
	}
}

/* "UTC", "Z", "+05:30", "-05:00", or an IANA name: its zone in *zone,
 * read from tzdata (tz.h), so each date gets the offset of its own day. */
static int parse_timezone(const char *tz, int *offset, struct tz **zone)
{
	*zone = NULL;
	*offset = 0;
	if (!tz || !*tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "Z") == 0)
		return 0;
	if ((tz[0] == '+' || tz[0] == '-') && strlen(tz) == 6 && tz[3] == ':') {
		char hh[3] = {tz[1], tz[2], '\0'};
		long long h, m;
		if (!isdigit((unsigned char)hh[0]) || num_parse(hh, 0, 23, &h) != 0 ||
		    !isdigit((unsigned char)tz[4]) || num_parse(tz + 4, 0, 59, &m) != 0)
			return -1;
		*offset = (int)(h * 60 + m) * (tz[0] == '-' ? -1 : 1);
		return 0;
	}
	if (!(*zone = tz_load(tz)))
		return -1;
	*offset = tz_offset_at(*zone, date_now());
	return 0;
}

int site_date_parse(const struct site *s, const char *text, struct date *out)
{
	return date_parse_zone(text, s->cfg.zone, s->cfg.tz_offset_min, out);
}

void site_date_now(const struct site *s, struct date *out)
{
	int64_t now = date_now();
	date_from_epoch(now, s->cfg.zone ? tz_offset_at(s->cfg.zone, now) : s->cfg.tz_offset_min,
	                out);
}

static void build_site_data(struct site *s)
{
	struct value *m = val_map();
	val_set_str(m, "title", s->cfg.title);
	val_set_str(m, "base_url", s->cfg.base_url);
	val_set_str(m, "language", s->cfg.language);
	const char *desc = val_get_cstr(s->cfg.yaml, "description");
	val_set_str(m, "description", desc ? desc : "");
	struct value *params = val_get(s->cfg.yaml, "params");
	val_set(m, "params", params ? val_ref(params) : val_map());
	time_t now = (time_t)date_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	val_set_num(m, "build_year", tm.tm_year + 1900);
	s->site_data = site_view_new(s, TR_SITE, s, m, s->site_layer, &s->obj);
}

struct site *site_open(const char *dir, struct diag *d)
{
	struct site *s = xcalloc(1, sizeof *s);
	s->cfg.dir = xstrdup(strcmp(dir, ".") == 0 ? "" : dir);
	s->diag = diag_new();
	s->track = tr_new();
	s->lookup_obj = tr_add(s->track, TR_SITE, s);
	s->lookup = val_map();
	char *path = site_path(s, "site.yml");
	buf text = BUF_INIT;
	if (fs_read(path, &text) != 0) {
		diag_error(d, path, 0, 0, "cannot read the site configuration: %s", strerror(errno));
		goto fail;
	}
	struct value *yaml = yv_parse(text.ptr, text.len, path, NULL, d);
	if (!yaml)
		goto fail;
	if (val_type(yaml) == VAL_NULL) {
		val_free(yaml);
		yaml = val_map();
	}
	if (val_type(yaml) != VAL_MAP) {
		diag_error(d, path, val_line(yaml), val_col(yaml),
		           "expected a map of settings, found a %s", val_type_name(val_type(yaml)));
		val_free(yaml);
		goto fail;
	}
	s->cfg.yaml = yaml;
	int errors = diag_count(d, DIAG_ERROR);
	s->cfg.title = cfg_string(yaml, "title", NULL, path, d);
	if (!s->cfg.title && !val_get(yaml, "title"))
		diag_error(d, path, 1, 1, "missing required key \"title\"");
	char *base = cfg_string(yaml, "base_url", "", path, d);
	if (*base && base[strlen(base) - 1] != '/') {
		char *b2 = xasprintf("%s/", base);
		free(base);
		base = b2;
	}
	s->cfg.base_url = base;
	s->cfg.language = cfg_string(yaml, "language", "en", path, d);
	s->cfg.timezone = cfg_string(yaml, "timezone", "UTC", path, d);
	if (parse_timezone(s->cfg.timezone, &s->cfg.tz_offset_min, &s->cfg.zone) != 0) {
		struct value *v = val_get(yaml, "timezone");
		diag_error(d, path, val_line(v), val_col(v),
		           "timezone: expected UTC, an offset like +05:30 or a zone name like "
		           "Europe/Paris, found \"%s\"", s->cfg.timezone);
	}
	s->cfg.theme = cfg_string(yaml, "theme", "default", path, d);
	if (strchr(s->cfg.theme, '/') || strcmp(s->cfg.theme, "..") == 0 || !*s->cfg.theme) {
		struct value *v = val_get(yaml, "theme");
		diag_error(d, path, val_line(v), val_col(v), "theme: expected a folder name under themes/, found \"%s\"",
		           s->cfg.theme);
	}
	char *out = cfg_string(yaml, "output", "public", path, d);
	s->cfg.output = site_path(s, out);
	free(out);
	s->cfg.unsafe = cfg_bool(yaml, "unsafe", path, d);
	s->cfg.clean_urls = val_get(yaml, "clean_urls") ? cfg_bool(yaml, "clean_urls", path, d) : 1;
	s->cfg.relative_index = cfg_bool(yaml, "relative_index", path, d);
	s->cfg.smart = val_get(yaml, "smart") ? cfg_bool(yaml, "smart", path, d) : 1;
	s->cfg.robots = val_get(yaml, "robots") ? cfg_bool(yaml, "robots", path, d) : 1;
	read_images(s, yaml, path, d);
	struct value *filters = val_get(yaml, "filters");
	if (filters && val_type(filters) != VAL_LIST && val_type(filters) != VAL_NULL)
		diag_error(d, path, val_line(filters), val_col(filters),
		           "filters: expected a list of scripts, found a %s",
		           val_type_name(val_type(filters)));
	struct value *params = val_get(yaml, "params");
	if (params && val_type(params) != VAL_MAP && val_type(params) != VAL_NULL)
		diag_error(d, path, val_line(params), val_col(params),
		           "params: expected a map, found a %s", val_type_name(val_type(params)));
	if (diag_count(d, DIAG_ERROR) > errors)
		goto fail;
	build_site_data(s);
	free(path);
	buf_free(&text);
	return s;
fail:
	free(path);
	buf_free(&text);
	site_free(s);
	return NULL;
}

struct value *site_view_new(struct site *s, enum tr_kind kind, void *owner, struct value *base,
                            struct value **layer, uint32_t *obj)
{
	*obj = tr_add(s->track, kind, owner);
	layer[0] = base;
	for (int i = 1; i < VIEW_LAYERS; i++)
		layer[i] = val_map_over(layer[i - 1]);
	struct value *top = val_map_over(layer[VIEW_LAYERS - 1]);
	for (int i = 0; i < VIEW_LAYERS; i++)
		val_set_obj(layer[i], *obj);
	val_set_obj(top, *obj);
	return top;
}

void site_view_free(struct value *top, struct value **layer)
{
	val_free(top);
	for (int i = 0; i < VIEW_LAYERS; i++) {
		val_free(layer[i]);
		layer[i] = NULL;
	}
}

struct value *site_layer_by_id(const struct site *s, uint32_t id, int stage)
{
	enum tr_kind kind;
	void *owner = tr_owner(s->track, id, &kind);
	if (!owner)
		return NULL;
	int top = stage >= VIEW_LAYERS;
	switch (kind) {
	case TR_ARTICLE: {
		struct article *a = owner;
		return top ? a->data : a->layer[stage];
	}
	case TR_ENTITY: {
		struct entity *e = owner;
		return top ? e->data : e->layer[stage];
	}
	case TR_OBJECT: {
		struct sobject *o = owner;
		return top ? o->view : o->layer[stage];
	}
	case TR_SITE: {
		struct site *site = owner;
		return id != site->obj ? NULL : top ? site->site_data : site->site_layer[stage];
	}
	default: return NULL;
	}
}

struct value *site_layer_of(const struct site *s, const struct value *top, int stage)
{
	return site_layer_by_id(s, val_obj(top), stage);
}

struct article *article_new(char *path, size_t prefix)
{
	struct article *a = xcalloc(1, sizeof *a);
	a->path = path;
	size_t n = strlen(a->path + prefix) - 3;
	/* a bundle, "2017/x/index.md", is the brief "2017/x" */
	if (n > 6 && !strcmp(a->path + prefix + n - 6, "/index.md")) {
		n -= 6;
		a->bundle = 1;
	}
	a->rel = xstrndup(a->path + prefix, n);
	a->diag = diag_new();
	a->fresh = 1;
	return a;
}

struct grave {
	void **p;
	void (**fn)(void *);
	size_t n, cap;
};

void site_bury(struct site *s, void *p, void (*fn)(void *))
{
	if (!p)
		return;
	if (!s->grave)
		s->grave = xcalloc(1, sizeof *s->grave);
	struct grave *g = s->grave;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->p = xrealloc(g->p, g->cap * sizeof *g->p);
		g->fn = xrealloc(g->fn, g->cap * sizeof *g->fn);
	}
	g->p[g->n] = p;
	g->fn[g->n++] = fn;
}

void site_grave_each(const struct site *s, void (*fn)(void *ctx, const void *p), void *ctx)
{
	for (size_t i = 0; s->grave && i < s->grave->n; i++)
		fn(ctx, s->grave->p[i]);
}

void site_dig(struct site *s)
{
	struct grave *g = s->grave;
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++)
		g->fn[i](g->p[i]);
	g->n = 0;
}

void entity_free(struct entity *e)
{
	if (!e)
		return;
	free(e->slug);
	free(e->name);
	free(e->url);
	free(e->path);
	free(e->memo.own);
	val_free(e->meta);
	if (e->data)
		site_view_free(e->data, e->layer);
	else
		val_free(e->layer[0]);
	free(e);
}

void article_free(struct article *a)
{
	if (!a)
		return;
	free(a->path);
	free(a->rel);
	free(a->slug);
	free(a->url);
	free(a->title);
	val_free(a->meta);
	if (a->data)
		site_view_free(a->data, a->layer);
	page_free(a->page);
	free(a->html);
	free(a->topics);
	free(a->people);
	diag_free(a->diag);
	free(a);
}

void site_override(struct site *s, const struct site_overrides *o)
{
	free(s->tool_dir);
	s->tool_dir = o->tool_dir ? xstrdup(o->tool_dir) : NULL;
	s->cfg.drafts = o->drafts;
	s->cfg.future = o->future;
	if (o->clean_urls >= 0)
		s->cfg.clean_urls = o->clean_urls;
	val_set_bool(s->site_layer[0], "clean_urls", s->cfg.clean_urls);
	if (o->relative_index >= 0)
		s->cfg.relative_index = o->relative_index;
	s->cfg.now = o->now ? o->now : (long long)time(NULL);
	if (o->base_url) {
		size_t n = strlen(o->base_url);
		free(s->cfg.base_url);
		s->cfg.base_url = n && o->base_url[n - 1] != '/' ? xasprintf("%s/", o->base_url)
		                                                 : xstrdup(o->base_url);
		val_set_str(s->site_layer[0], "base_url", s->cfg.base_url);
	}
	if (o->output) {
		free(s->cfg.output);
		s->cfg.output = xstrdup(o->output);
	}
	s->cfg.resize = o->resize && s->cfg.srcset && s->cfg.n_img_widths && rsz_library();
	free(s->cfg.img_cache);
	s->cfg.img_cache = o->img_cache ? xstrdup(o->img_cache) : NULL;
}

void site_free(struct site *s)
{
	if (!s)
		return;
	site_dig(s);
	for (size_t i = 0; i < s->n_all; i++)
		article_free(s->all[i]);
	free(s->all);
	free(s->articles);
	for (size_t i = 0; i < s->n_topics; i++)
		entity_free(s->topics[i]);
	free(s->topics);
	for (size_t i = 0; i < s->n_people; i++)
		entity_free(s->people[i]);
	free(s->people);
	for (size_t i = 0; i < s->n_own; i++)
		page_free(s->own[i]);
	free(s->own);
	free(s->pages);
	for (size_t i = 0; i < s->n_objects; i++) {
		free(s->objects[i]->kind);
		free(s->objects[i]->key);
		site_view_free(s->objects[i]->view, s->objects[i]->layer);
		free(s->objects[i]);
	}
	free(s->objects);
	val_free(s->object_index);
	val_free(s->lookup);
	val_free(s->file_lookup);
	hs_table_free(s->implicit);
	hs_table_free(s->folders);
	hs_table_free(s->memo_paths);
	free(s->memos);
	if (s->grave) {
		free(s->grave->p);
		free(s->grave->fn);
		free(s->grave);
	}
	if (s->site_data)
		site_view_free(s->site_data, s->site_layer);
	val_free(s->cfg.yaml);
	free(s->cfg.dir);
	free(s->cfg.title);
	free(s->cfg.base_url);
	free(s->cfg.img_sizes);
	free(s->cfg.img_cache);
	free(s->cfg.language);
	free(s->cfg.timezone);
	tz_free(s->cfg.zone);
	free(s->cfg.theme);
	free(s->cfg.output);
	diag_free(s->diag);
	free(s->tool_dir);
	tr_free(s->track);
	free(s);
}

/* ---- scanning ---- */

struct scan {
	struct site *s;
	char *root_real;  /* realpath of the site folder */
	char **files;
	size_t n, cap;
	struct hs_table *folders; /* the folders entered, when wanted */
	dev_t seen_dev[64];
	ino_t seen_ino[64];
	int depth;
};

/* Listed names, each after its type's letter: by name. */
static int cmp_typed(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Is real (a resolved path) inside the site folder? */
static int inside(const char *root, const char *real)
{
	size_t n = strlen(root);
	return strncmp(root, real, n) == 0 && (real[n] == '/' || real[n] == '\0' || n == 1);
}

static void scan_dir(struct scan *sc, const char *dir, int recursive)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		if (errno != ENOENT)
			diag_error(sc->s->diag, dir, 0, 0, "cannot read folder: %s", strerror(errno));
		return;
	}
	struct stat dst;
	if (fstat(dirfd(dp), &dst) == 0) {
		for (int i = 0; i < sc->depth; i++) {
			if (sc->seen_dev[i] == dst.st_dev && sc->seen_ino[i] == dst.st_ino) {
				diag_error(sc->s->diag, dir, 0, 0, "symlink loop: this folder contains itself");
				closedir(dp);
				return;
			}
		}
	}
	if (sc->depth >= 64) {
		diag_error(sc->s->diag, dir, 0, 0, "folders nested deeper than 64 levels");
		closedir(dp);
		return;
	}
	sc->seen_dev[sc->depth] = dst.st_dev;
	sc->seen_ino[sc->depth] = dst.st_ino;
	sc->depth++;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue; /* dotfiles, editor temp files, . and .. */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		/* the entry's type first: a file or a folder the listing names
		 * needs no lstat (10k of them were a tenth of a warm build) */
		size_t len = strlen(e->d_name);
		char *name = xmalloc(len + 2);
		name[0] = e->d_type == DT_REG ? 'f' : e->d_type == DT_DIR ? 'd' : '?';
		memcpy(name + 1, e->d_name, len + 1);
		names[n++] = name;
	}
	closedir(dp);
	if (n) /* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof *names, cmp_typed);
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i] + 1);
		struct stat st = {0};
		if (names[i][0] != '?')
			st.st_mode = names[i][0] == 'f' ? S_IFREG : S_IFDIR;
		if (names[i][0] == '?' && lstat(path, &st) != 0) {
			diag_error(sc->s->diag, path, 0, 0, "cannot read: %s", strerror(errno));
		} else {
			if (S_ISLNK(st.st_mode)) {
				char *real = realpath(path, NULL);
				if (!real) {
					diag_error(sc->s->diag, path, 0, 0, "broken symlink: %s", strerror(errno));
					free(path);
					continue;
				}
				int ok = inside(sc->root_real, real);
				free(real);
				if (!ok) {
					diag_error(sc->s->diag, path, 0, 0,
					           "symlink points outside the site folder; refusing to follow it");
					free(path);
					continue;
				}
				if (stat(path, &st) != 0) {
					free(path);
					continue;
				}
			}
			const char *name = names[i] + 1;
			size_t len = strlen(name);
			if (S_ISDIR(st.st_mode)) {
				if (recursive && sc->folders)
					hs_put(sc->folders, path, 1, 0);
				if (recursive)
					scan_dir(sc, path, 1);
			} else if (S_ISREG(st.st_mode) && len > 3 && strcmp(name + len - 3, ".md") == 0) {
				if (sc->n == sc->cap) {
					sc->cap = sc->cap ? sc->cap * 2 : 256;
					sc->files = xrealloc(sc->files, sc->cap * sizeof *sc->files);
				}
				sc->files[sc->n++] = path;
				path = NULL;
			}
		}
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	sc->depth--;
}

static char *stem(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	return xstrndup(base, n);
}

static void register_name(struct site *s, enum entity_kind kind, const char *name, size_t index,
                          int is_alias)
{
	buf key = BUF_INIT;
	lower_key(&key, kind == ENT_TOPIC ? "topic:" : "person:", name);
	struct value *old = val_get(s->lookup, key.ptr);
	if (!old) {
		val_set(s->lookup, key.ptr, val_num(is_alias ? -(double)index - 1 : (double)index));
	} else if (!is_alias && val_get_num(old) < 0) {
		/* a full name or slug beats an alias */
		val_set(s->lookup, key.ptr, val_num((double)index));
	} else if (is_alias && val_get_num(old) < 0 && (size_t)(-val_get_num(old) - 1) != index) {
		val_set(s->lookup, key.ptr, val_num(-1e18)); /* ambiguous alias */
	}
	buf_free(&key);
}

struct entity *site_find(const struct site *s, enum entity_kind kind, const char *name)
{
	buf key = BUF_INIT;
	lower_key(&key, kind == ENT_TOPIC ? "topic:" : "person:", name);
	struct value *v = val_get(s->lookup, key.ptr);
	if (!v) {
		char *slug = slugify(name);
		lower_key(&key, kind == ENT_TOPIC ? "topic:" : "person:", slug);
		free(slug);
		v = val_get(s->lookup, key.ptr);
	}
	buf_free(&key);
	if (!v)
		return NULL;
	double i = val_get_num(v);
	if (i < 0)
		i = -i - 1;
	if (i >= 1e17)
		return NULL; /* ambiguous */
	size_t idx = (size_t)i;
	if (kind == ENT_TOPIC)
		return idx < s->n_topics ? s->topics[idx] : NULL;
	return idx < s->n_people ? s->people[idx] : NULL;
}

static struct entity *add_entity(struct site *s, enum entity_kind kind, const char *slug,
                                 const char *name, char *path, struct value *meta)
{
	struct entity *e = xcalloc(1, sizeof *e);
	e->kind = kind;
	e->slug = xstrdup(slug);
	e->name = xstrdup(name);
	e->url = xasprintf("%s/%s/", kind == ENT_TOPIC ? "topics" : "people", slug);
	e->path = path;
	e->meta = meta ? meta : val_map();
	size_t index;
	if (kind == ENT_TOPIC) {
		s->topics = xrealloc(s->topics, (s->n_topics + 1) * sizeof *s->topics);
		index = s->n_topics;
		s->topics[s->n_topics++] = e;
	} else {
		s->people = xrealloc(s->people, (s->n_people + 1) * sizeof *s->people);
		index = s->n_people;
		s->people[s->n_people++] = e;
	}
	register_name(s, kind, slug, index, 0);
	register_name(s, kind, name, index, 0);
	struct value *aliases = val_get(e->meta, "aliases");
	for (size_t i = 0; i < val_len(aliases); i++) {
		const char *alias = val_get_str(val_at(aliases, i), NULL);
		if (alias)
			register_name(s, kind, alias, index, 1);
	}
	return e;
}

struct value *site_load_file(const struct site *s, const char *path, char **html,
                             struct diag *d)
{
	buf text = BUF_INIT;
	if (fs_read(path, &text) != 0) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		buf_free(&text);
		return NULL;
	}
	struct fm_parts parts;
	struct value *meta = NULL;
	ctl_drop(&text, path, d);
	if (fm_split(text.ptr, text.len, path, &parts, d) == 0) {
		meta = yv_front_matter(&parts, path, d);
		if (meta)
			*html = md_to_html(parts.body, parts.body_len, site_md_flags(s));
	}
	buf_free(&text);
	return meta;
}

/* One topic or person file, read and parsed on a worker thread, or its
 * parse decoded from the build cache's memo. */
struct loaded {
	struct value *meta;
	char *html;
	struct diag *d;
	struct parse_memo memo;
};

struct load_job {
	const struct site *s;
	char **files;
	struct loaded *out;
};

static void load_one(void *ctx, int worker, size_t i)
{
	(void)worker;
	struct load_job *j = ctx;
	struct loaded *l = &j->out[i];
	const struct site *s = j->s;
	l->d = diag_new();
	uint64_t at;
	if (s->memo_paths && hs_get(s->memo_paths, j->files[i], &at) &&
	    site_memo_read(&s->memos[at], &l->meta, &l->html) == 0) {
		l->memo = s->memos[at];
		return;
	}
	l->meta = site_load_file(s, j->files[i], &l->html, l->d);
	/* a file with messages is parsed again each time, so that they are
	 * given again */
	if (s->keep_memos && l->meta && !diag_message(l->d, 0, NULL))
		site_memo_make(&l->memo, l->meta, l->html);
}

/* Reads every file of a kind in parallel, then registers them in file
 * order, so names, errors and duplicates come out as a serial read would. */
static void load_entities(struct site *s, enum entity_kind kind)
{
	struct scan sc = {.s = s};
	sc.files = site_list_md(s, kind == ENT_TOPIC ? "content/topics" : "content/people", &sc.n);
	const char *key = kind == ENT_TOPIC ? "title" : "name";
	struct loaded *all = xcalloc(sc.n ? sc.n : 1, sizeof *all);
	struct load_job job = {.s = s, .files = sc.files, .out = all};
	pool_run(sc.n < 64 ? 1 : pool_default_workers(), sc.n, load_one, &job);
	for (size_t i = 0; i < sc.n; i++) {
		char *html = all[i].html;
		struct value *meta = all[i].meta;
		s->n_memos_read += all[i].memo.at && !all[i].memo.own;
		diag_merge(s->diag, all[i].d);
		diag_free(all[i].d);
		if (!meta) {
			free(sc.files[i]);
			continue;
		}
		const char *name = val_get_cstr(meta, key);
		struct value *aliases = val_get(meta, "aliases");
		if (!name) {
			struct value *v = val_get(meta, key);
			if (v)
				diag_error(s->diag, sc.files[i], val_line(v), val_col(v),
				           "%s: expected a string, found a %s", key, val_type_name(val_type(v)));
			else
				diag_error(s->diag, sc.files[i], 1, 1, "missing required key \"%s\"", key);
		} else if (aliases && val_type(aliases) != VAL_LIST) {
			diag_error(s->diag, sc.files[i], val_line(aliases), val_col(aliases),
			           "aliases: expected a list of names, found a %s",
			           val_type_name(val_type(aliases)));
		} else {
			char *slug = stem(sc.files[i]);
			char *clean = slugify(slug);
			struct entity *other = site_find(s, kind, clean);
			if (other && strcmp(other->slug, clean) == 0) {
				diag_error(s->diag, sc.files[i], 1, 1, "%s \"%s\" is already defined in %s",
				           kind == ENT_TOPIC ? "topic" : "person", clean, other->path);
			} else {
				struct entity *e = add_entity(s, kind, clean, name, sc.files[i], meta);
				e->memo = all[i].memo;
				all[i].memo.own = NULL;
				e->layer[0] = val_map();
				val_set(e->layer[0], "content", val_str_own(html, strlen(html)));
				html = NULL;
				meta = NULL;
				sc.files[i] = NULL;
			}
			free(slug);
			free(clean);
		}
		free(all[i].memo.own);
		free(html);
		val_free(meta);
		free(sc.files[i]);
	}
	free(all);
	free(sc.files);
}

char **site_list_md(struct site *s, const char *rel, size_t *n)
{
	struct scan sc = {.s = s};
	char *dir = site_path(s, rel);
	sc.root_real = realpath(*s->cfg.dir ? s->cfg.dir : ".", NULL);
	if (!sc.root_real)
		sc.root_real = xstrdup("/");
	scan_dir(&sc, dir, 0);
	free(sc.root_real);
	free(dir);
	*n = sc.n;
	return sc.files;
}

char **site_list_articles(struct site *s, size_t *n, size_t *prefix)
{
	struct scan sc = {.s = s, .folders = hs_table_new()};
	char *dir = site_path(s, "content/articles");
	sc.root_real = realpath(*s->cfg.dir ? s->cfg.dir : ".", NULL);
	if (!sc.root_real)
		sc.root_real = xstrdup("/");
	if (!fs_is_dir(dir))
		diag_warn(s->diag, dir, 0, 0, "no articles folder: the site has no briefs yet");
	scan_dir(&sc, dir, 1);
	hs_table_free(s->folders);
	s->folders = sc.folders;
	*prefix = strlen(dir) + 1;
	*n = sc.n;
	free(sc.root_real);
	free(dir);
	return sc.files;
}

int site_scan_entities(struct site *s)
{
	int before = diag_count(s->diag, DIAG_ERROR);
	load_entities(s, ENT_TOPIC);
	load_entities(s, ENT_PERSON);
	hs_table_free(s->memo_paths); /* (one scan's) */
	s->memo_paths = NULL;
	free(s->memos);
	s->memos = NULL;
	sp_load(s);
	s->file_lookup = val_copy(s->lookup);
	s->n_file_topics = s->n_topics;
	s->n_file_people = s->n_people;
	return diag_count(s->diag, DIAG_ERROR) > before ? -1 : 0;
}

int site_scan(struct site *s)
{
	int before = diag_count(s->diag, DIAG_ERROR);
	site_scan_entities(s);
	size_t n, prefix;
	char **files = site_list_articles(s, &n, &prefix);
	s->all = xcalloc(n ? n : 1, sizeof *s->all);
	s->articles = xcalloc(n ? n : 1, sizeof *s->articles);
	for (size_t i = 0; i < n; i++) {
		struct article *a = article_new(files[i], prefix);
		a->scan = i;
		s->all[s->n_all++] = a;
		s->articles[s->n_articles++] = a;
	}
	free(files);
	return diag_count(s->diag, DIAG_ERROR) > before ? -1 : 0;
}
