/* render.c: theme lookup and loading, and the context each page is
 * rendered with: [ {site, page, root}, page data ]. Templates never see
 * anything that is not in that stack. */
#include "render.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "hashes.h"
#include "mustache.h"
#include "track.h"

struct theme {
	struct mst_set *set;
	char *static_dirs[2]; /* theme's, then site's (may be NULL) */
	struct value *prints; /* template name -> hash of its file and text */
	uint64_t serial;      /* a new number for every theme loaded */
};

static int is_template(const char *name)
{
	size_t n = strlen(name);
	return n > 9 && name[0] != '.' && strcmp(name + n - 9, ".mustache") == 0;
}

/* Adds every dir/NAME.mustache as template PREFIX+NAME; a file that is a
 * symlink to somewhere outside root (the site's or the tool's folder) is
 * refused. Returns -1 on errors. */
static int load_dir(struct mst_set *set, struct value *prints, const char *dir,
                    const char *prefix, const char *root, const char *root_name, struct diag *d)
{
	size_t n;
	char **names = fs_list(dir, is_template, &n);
	int rc = 0;
	buf text = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i]);
		if (!fs_inside(root, path)) {
			diag_error(d, path, 0, 0, "symlink points outside the %s folder; refusing to "
			           "follow it", root_name);
			rc = -1;
		} else if (fs_read(path, &text) != 0) {
			diag_error(d, path, 0, 0, "cannot read the template");
			rc = -1;
		} else {
			names[i][strlen(names[i]) - 9] = '\0';
			char *name = xasprintf("%s%s", prefix, names[i]);
			if (mst_set_add(set, name, text.ptr, text.len, path, d) != 0)
				rc = -1;
			uint64_t h = hs_bytes(text.ptr, text.len, hs_bytes(path, strlen(path), 0));
			char hex[17];
			snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
			val_set(prints, name, val_cstr(hex)); /* a later folder's wins, as in set */
			free(name);
		}
		free(path);
	}
	buf_free(&text);
	fs_free_names(names, n);
	return rc;
}

/* The theme's templates (all the set holds so far) again as
 * "theme/NAME", the same compiled trees. */
static void alias_theme(struct theme *t)
{
	size_t n = val_len(t->prints);
	buf name = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *key = val_key_at(t->prints, i, &len);
		buf_reset(&name);
		buf_puts(&name, "theme/");
		buf_put(&name, key, len);
		if (mst_set_alias(t->set, name.ptr, key) == 0)
			val_set(t->prints, name.ptr, val_copy(val_at(t->prints, i)));
	}
	buf_free(&name);
}

struct theme *theme_load(const struct site *s, struct diag *d)
{
	char *rel = xasprintf("themes/%s", s->cfg.theme);
	char *dir = site_path(s, rel);
	const char *root = s->cfg.dir, *root_name = "site"; /* where the theme's files must stay */
	if (!fs_is_dir(dir) && s->tool_dir) {
		free(dir);
		dir = fs_join(s->tool_dir, rel);
		root = s->tool_dir;
		root_name = "tool's";
	}
	free(rel);
	if (!fs_is_dir(dir)) {
		char *yml = site_path(s, "site.yml");
		const struct value *v = val_get(s->cfg.yaml, "theme");
		diag_error(d, yml, v ? val_line(v) : 0, v ? val_col(v) : 0,
		           "theme \"%s\" not found in the site's or the tool's themes/ folder",
		           s->cfg.theme);
		free(yml);
		free(dir);
		return NULL;
	}
	static atomic_uint_fast64_t serials;
	struct theme *t = xcalloc(1, sizeof *t);
	t->serial = atomic_fetch_add(&serials, 1) + 1;
	t->set = mst_set_new();
	char *partials = fs_join(dir, "partials");
	char *own = site_path(s, "templates");
	char *own_partials = fs_join(own, "partials");
	/* later folders override earlier ones, name by name; the theme's own
	 * files stay reachable as "theme/NAME", so a site template can extend
	 * the theme's version and replace one block ({{<theme/home}}) */
	t->prints = val_map();
	int rc = load_dir(t->set, t->prints, partials, "", root, root_name, d);
	rc |= load_dir(t->set, t->prints, dir, "", root, root_name, d);
	alias_theme(t);
	rc |= load_dir(t->set, t->prints, own_partials, "", s->cfg.dir, "site", d);
	rc |= load_dir(t->set, t->prints, own, "", s->cfg.dir, "site", d);
	free(partials);
	free(own);
	free(own_partials);
	t->static_dirs[0] = fs_join(dir, "static");
	t->static_dirs[1] = site_path(s, "static");
	free(dir);
	if (rc != 0) {
		theme_free(t);
		return NULL;
	}
	return t;
}

void theme_free(struct theme *t)
{
	if (!t)
		return;
	mst_set_free(t->set);
	val_free(t->prints);
	free(t->static_dirs[0]);
	free(t->static_dirs[1]);
	free(t);
}

int theme_has(const struct theme *t, const char *name)
{
	return mst_set_has(t->set, name);
}

uint64_t theme_serial(const struct theme *t)
{
	return t->serial;
}

int theme_copy_static(const struct theme *t, struct output *o, struct diag *d)
{
	for (int i = 0; i < 2; i++)
		if (t->static_dirs[i] && fs_is_dir(t->static_dirs[i]) &&
		    out_copy_tree(o, t->static_dirs[i], d) != 0)
			return -1;
	return 0;
}

char *render_file_name(const char *url)
{
	size_t n = strlen(url);
	if (n == 0 || url[n - 1] == '/')
		return xasprintf("%sindex.html", url);
	return xstrdup(url);
}

/* page.menu: site.menu with `current` set on the entry that is this page
 * (site.menu only changes in a full update, which renders every page). */
static void page_menu(const struct site *s, const struct page *p, struct value *page)
{
	const struct value *menu = val_get(s->site_data, "menu");
	if (!menu)
		return;
	struct value *list = val_list();
	for (size_t i = 0; i < val_len(menu); i++) {
		struct value *item = val_copy(val_at(menu, i));
		const char *url = val_get_cstr(item, "url");
		val_set_bool(item, "current", url && !strcmp(url, p->url));
		val_push(list, item);
	}
	val_set(page, "menu", list);
}

/* The bottom of every page's context stack: site, page, root. */
static struct value *context_base(const struct site *s, const struct page *p,
                                  const struct value *data)
{
	struct value *base = val_map();
	val_set(base, "site", val_ref(s->site_data));
	struct value *page = val_map();
	val_set_str(page, "kind", p->kind);
	val_set_str(page, "title", p->title);
	val_set_str(page, "url", p->url);
	site_set_permalink(s, page, p->url);
	const char *desc = val_get_cstr(data, "description");
	val_set_str(page, "description", desc ? desc : "");
	const char *content = val_get_cstr(data, "content"); /* HTML of a plain page */
	if (content)
		val_set_str(page, "content", content);
	page_menu(s, p, page);
	val_set(base, "page", page);
	buf root = BUF_INIT;
	/* a 404 page is served at any depth: its links must be absolute */
	if (!strcmp(p->kind, "404") && *s->cfg.base_url) {
		buf_puts(&root, s->cfg.base_url);
	} else {
		char *public = site_public_url(s, p->url); /* root from where the file is */
		url_root(&root, public);
		free(public);
	}
	val_set_str(base, "root", root.ptr);
	buf_free(&root);
	return base;
}

int theme_reach(const struct theme *t, const char *name)
{
	return mst_reach(t->set, name);
}

static void add_name(void *ctx, const char *name, size_t len)
{
	char *key = xstrndup(name, len);
	hs_put(ctx, key, 0, 0);
	free(key);
}

struct hs_table *theme_names(const struct theme *t, const char *name)
{
	struct hs_table *names = hs_table_new();
	mst_names(t->set, name, add_name, names);
	return names;
}

int render_page(const struct theme *t, const struct site *s, const struct page *p, buf *out,
                struct diag *d)
{
	return render_page_traced(t, s, p, out, d, NULL);
}

static void on_read(void *ctx, uint32_t obj, const char *key, size_t len)
{
	struct render_trace *tr = ctx;
	tr_log_read(tr->reads, obj, tr_bit(key, len));
}

void theme_slot(const char *name, size_t len, unsigned *obj, uint64_t *bit)
{
	uint32_t h = tr_hash(name, len);
	*bit = (uint64_t)1 << (h & 63);
	*obj = (h >> 6) % THEME_OBJS;
}

static void on_template(void *ctx, const char *name, size_t len)
{
	struct render_trace *tr = ctx;
	unsigned obj;
	uint64_t bit;
	theme_slot(name, len, &obj, &bit);
	tr_log_read(tr->reads, tr->theme_objs[obj], bit);
}

static void on_lambda(void *ctx)
{
	((struct render_trace *)ctx)->volatile_ = 1;
}

int render_page_traced(const struct theme *t, const struct site *s, const struct page *p,
                       buf *out, struct diag *d, struct render_trace *trace)
{
	struct value *own;
	const struct value *data = page_data(s, p, &own);
	if (!data) {
		diag_error(d, p->source, 0, 0, "page \"%s\": its data does not read back", p->url);
		return -1;
	}
	struct value *base = context_base(s, p, data);
	const struct value *ctx[2] = {base, data};
	struct mst_observer obs = {on_read, on_template, on_lambda, trace};
	int rc = mst_render_observed(t->set, p->template, ctx, 2, out, d, trace ? &obs : NULL);
	val_free(base);
	val_free(own);
	return rc;
}

const struct value *theme_prints(const struct theme *t)
{
	return t ? t->prints : NULL;
}

static void add_change(uint64_t bits[THEME_OBJS], const char *name, size_t len)
{
	unsigned obj;
	uint64_t bit;
	theme_slot(name, len, &obj, &bit);
	bits[obj] |= bit;
}

void theme_changes(const struct value *a, const struct theme *after, uint64_t bits[THEME_OBJS])
{
	memset(bits, 0, THEME_OBJS * sizeof *bits);
	const struct value *b = after->prints;
	for (size_t i = 0; i < val_len(b); i++) {
		size_t len;
		const char *name = val_key_at(b, i, &len);
		if (!val_equal(val_getn(a, name, len), val_at(b, i)))
			add_change(bits, name, len);
	}
	for (size_t i = 0; i < val_len(a); i++) {
		size_t len;
		const char *name = val_key_at(a, i, &len);
		if (!val_getn(b, name, len))
			add_change(bits, name, len);
	}
}

static const char *type_word(const struct value *v)
{
	switch (val_type(val_deref(v))) {
	case VAL_BOOL: return "bool";
	case VAL_NUM: return "number";
	case VAL_STR: return "string";
	case VAL_LIST: return "list";
	case VAL_MAP: return "map";
	case VAL_FUNC: return "lambda";
	default: return "null";
	}
}

/* Every path below v, one "kind<TAB>path<TAB>type" line each (into set,
 * to drop repeats). Free maps (params) and deep paths are not expanded. */
static void dump_paths(struct value *set, const char *kind, const char *path,
                       const struct value *v, int depth)
{
	v = val_deref(v);
	if (val_type(v) == VAL_MAP && val_below(v)) { /* a view: every layer */
		struct value *flat = val_flatten(v);
		dump_paths(set, kind, path, flat, depth);
		val_free(flat);
		return;
	}
	if (*path) {
		char *line = xasprintf("%s\t%s\t%s", kind, path, type_word(v));
		if (!val_get(set, line))
			val_set(set, line, val_null());
		free(line);
	}
	size_t plen = strlen(path);
	if (depth >= 4 || (plen >= 6 && strcmp(path + plen - 6, "params") == 0))
		return;
	if (val_type(v) == VAL_LIST) {
		char *sub = xasprintf("%s[]", path);
		for (size_t i = 0; i < val_len(v); i++)
			dump_paths(set, kind, sub, val_at(v, i), depth + 1);
		free(sub);
	} else if (val_type(v) == VAL_MAP) {
		for (size_t i = 0; i < val_len(v); i++) {
			size_t klen;
			const char *k = val_key_at(v, i, &klen);
			char *sub = *path ? xasprintf("%s.%.*s", path, (int)klen, k)
			                  : xasprintf("%.*s", (int)klen, k);
			dump_paths(set, kind, sub, val_at(v, i), depth + 1);
			free(sub);
		}
	}
}

void render_dump_vars(const struct site *s, FILE *fp)
{
	struct value *set = val_map();
	for (size_t i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		struct value *own;
		const struct value *data = page_data(s, p, &own);
		struct value *base = context_base(s, p, data);
		dump_paths(set, p->kind, "", base, 0);
		dump_paths(set, p->kind, "", data, 0);
		val_free(base);
		val_free(own);
	}
	for (size_t i = 0; i < val_len(set); i++)
		fprintf(fp, "%s\n", val_key_at(set, i, NULL));
	val_free(set);
}

char *render_page_file(const struct site *s, const char *url)
{
	return s->cfg.clean_urls ? render_file_name(url) : site_public_url(s, url);
}

/* One link without clean URLs: "../topics/x/" -> "../topics/x.html",
 * "../../" -> "../../index.html", "" -> "index.html"; with clean URLs and
 * relative_index, "../topics/x/" -> "../topics/x/index.html". Only links
 * into the site: relative ones, and (without clean URLs) absolute ones
 * under base_url. */
static void put_link(buf *out, const struct site *s, const char *v, size_t n)
{
	size_t base = strlen(s->cfg.base_url);
	size_t skip = 0;
	if (base && n >= base && !strncmp(v, s->cfg.base_url, base) && !s->cfg.clean_urls)
		skip = base; /* with clean URLs the host serves x/ itself */
	else if (memchr(v, ':', n) || (n && (v[0] == '/' || v[0] == '#' || v[0] == '?'))) {
		buf_put(out, v, n);
		return;
	}
	size_t path_end = skip;
	while (path_end < n && v[path_end] != '?' && v[path_end] != '#')
		path_end++;
	if (path_end > skip && v[path_end - 1] != '/') {
		buf_put(out, v, n);
		return;
	}
	if (s->cfg.clean_urls) { /* relative_index: the folder's index.html */
		buf_put(out, v, path_end);
		buf_puts(out, "index.html");
	} else if (path_end == skip) { /* "" or base_url itself: the home page */
		buf_put(out, v, skip);
		buf_puts(out, "index.html");
	} else {
		size_t stem = path_end - 1; /* without the slash */
		int dots = stem >= skip + 1 && v[stem - 1] == '.' &&
		           (stem == skip + 1 || v[stem - 2] == '/' || v[stem - 2] == '.');
		buf_put(out, v, dots ? path_end : stem);
		buf_puts(out, dots ? "index.html" : ".html");
	}
	buf_put(out, v + path_end, n - path_end);
}

void render_unclean_links(const struct site *s, const buf *html, buf *out)
{
	const char *p = html->ptr, *end = html->ptr + html->len;
	while (p < end) {
		const char *h = strstr(p, "href=\""), *r = strstr(p, "src=\"");
		const char *at = !h ? r : !r ? h : h < r ? h : r;
		if (!at) {
			buf_put(out, p, (size_t)(end - p));
			break;
		}
		const char *v = strchr(at, '"') + 1;
		const char *q = strchr(v, '"');
		if (!q) {
			buf_put(out, p, (size_t)(end - p));
			break;
		}
		buf_put(out, p, (size_t)(v - p));
		put_link(out, s, v, (size_t)(q - v));
		p = q;
	}
}
