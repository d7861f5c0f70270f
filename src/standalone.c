/* standalone.c: the files of content/pages become pages at "<slug>/" with the
 * theme's "page" template, and site.yml's `menu:` with the pages' `menu`
 * weights becomes the `site.menu` list the navigation renders. Briefs,
 * editions and indexes are not made here (the scripts make those). */
#include "standalone.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* The built-in sections a menu may name, where the default scripts put them. */
static const struct {
	const char *name, *title, *url;
} sections[] = {
	{"latest", "Latest", ""},       {"editions", "Editions", "editions/"},
	{"topics", "Topics", "topics/"}, {"people", "People", "people/"},
	{"stories", "Stories", "threads/"}, {"sources", "Sources", "sources/"},
	{"search", "Search", "search/"},
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

/* One entry of the menu while it is put together. */
struct entry {
	struct value *item; /* {title, url | external} */
	double weight;
	size_t order;       /* ties keep the order entries were made in */
	char *page;         /* the page's slug for a page's own weight, else NULL */
};

struct menu {
	struct entry *e;
	size_t n, cap;
};

static void menu_add(struct menu *m, struct value *item, double weight, const char *page)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->e = xrealloc(m->e, m->cap * sizeof *m->e);
	}
	val_set_num(item, "weight", weight);
	m->e[m->n] = (struct entry){item, weight, m->n, page ? xstrdup(page) : NULL};
	m->n++;
}

static struct value *menu_link(const char *title, const char *url)
{
	struct value *item = val_map();
	val_set_str(item, "title", title);
	/* an address with a scheme leaves the site; any other is site-relative */
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
	if (colon && (!slash || colon < slash)) {
		val_set_str(item, "external", url);
	} else {
		while (*url == '/')
			url++;
		val_set_str(item, "url", url);
		val_set_bool(item, "external", 0); /* a section never finds one further out */
	}
	return item;
}

static int page_ok_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
	       (c & 0x80);
}

/* What is wrong with a page file's front matter, or NULL; *at is the value. */
static const char *page_problem(const struct value *meta, const char *slug, struct value **at)
{
	struct value *weight = val_get(meta, "menu"), *draft = val_get(meta, "draft");
	*at = NULL;
	if (!val_get_cstr(meta, "title"))
		return (*at = val_get(meta, "title")) ? "title: expected a string"
		                                      : "missing required key \"title\"";
	if (weight && val_type(weight) != VAL_NUM)
		return *at = weight, "menu: expected a number (the page's place in the menu, lowest first)";
	if (draft && val_type(draft) != VAL_BOOL)
		return *at = draft, "draft: expected true or false";
	int ok = *slug != '\0';
	for (const char *c = slug; *c; c++)
		ok &= page_ok_char((unsigned char)*c);
	if (!ok || (val_get(meta, "slug") && !val_get_cstr(meta, "slug")))
		return *at = val_get(meta, "slug"), "slug: expected a name made of letters, digits and dashes";
	return NULL;
}

/* One file of content/pages (taken), made into a page; its menu weight,
 * if any, goes to m and its slug to slugs. */
static void load_page(struct site *s, char *path, struct menu *m, struct value *slugs)
{
	char *html = NULL;
	struct value *meta = site_load_file(s, path, &html, s->diag);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *stem = xstrndup(base, strlen(base) - 3);
	const char *named = meta ? val_get_cstr(meta, "slug") : NULL;
	char *slug = slugify(named ? named : stem);
	struct value *at;
	const char *bad = meta ? page_problem(meta, slug, &at) : NULL;
	if (bad)
		diag_error(s->diag, path, at ? val_line(at) : 1, at ? val_col(at) : 1, "%s", bad);
	if (meta && !bad && (!val_get_bool(val_get(meta, "draft")) || s->cfg.drafts)) {
		const char *title = val_get_cstr(meta, "title");
		struct value *weight = val_get(meta, "menu");
		char *url = xasprintf("%s/", slug);
		struct value *data = val_map();
		val_set(data, "content", val_str_own(html, strlen(html)));
		html = NULL;
		const char *desc = val_get_cstr(meta, "description");
		if (desc)
			val_set_str(data, "description", desc);
		val_set(slugs, slug, val_cstr(val_get_cstr(meta, "menu_title") ? val_get_cstr(meta, "menu_title") : title));
		const char *short_title = val_get_cstr(meta, "menu_title");
		if (weight)
			menu_add(m, menu_link(short_title ? short_title : title, url), val_get_num(weight), slug);
		site_push_page(s, page_new(url, "page", "page", title, data, path));
		val_set(data, "params", meta); /* data owns it from here */
		meta = NULL;
		free(url);
	}
	val_free(meta);
	free(html);
	free(stem);
	free(slug);
	free(path);
}

/* One entry of site.yml's menu: a page or section name, or a map with
 * page, section or url, and title and weight. NULL after an error. */
static struct value *menu_entry(struct site *s, const struct value *v, const struct value *slugs,
                                const char *yml, double *weight)
{
	const char *name = val_get_str(v, NULL), *title = NULL, *url = NULL;
	const struct value *w = NULL;
	if (val_type(v) == VAL_MAP) {
		name = val_get_cstr(v, "page") ? val_get_cstr(v, "page") : val_get_cstr(v, "section");
		title = val_get_cstr(v, "title");
		url = val_get_cstr(v, "url");
		w = val_get(v, "weight");
		if (w && val_type(w) != VAL_NUM) {
			diag_error(s->diag, yml, val_line(w), val_col(w),
			           "menu: weight: expected a number, found a %s", val_type_name(val_type(w)));
			return NULL;
		}
		if (w)
			*weight = val_get_num(w);
		if (url && !name)
			return menu_link(title ? title : url, url);
	}
	if (!name) {
		diag_error(s->diag, yml, val_line(v), val_col(v),
		           "menu: expected a page or section name, or a map with page, section or "
		           "url, found a %s", val_type_name(val_type(v)));
		return NULL;
	}
	const char *page_title = val_get_cstr(slugs, name);
	if (page_title && !(val_type(v) == VAL_MAP && val_get(v, "section"))) {
		char *page_url = xasprintf("%s/", name);
		struct value *item = menu_link(title ? title : page_title, page_url);
		free(page_url);
		return item;
	}
	for (size_t i = 0; i < N_SECTIONS; i++)
		if (!strcmp(name, sections[i].name))
			return menu_link(title ? title : sections[i].title, sections[i].url);
	diag_error(s->diag, yml, val_line(v), val_col(v),
	           "menu: no page or section \"%s\" (expected a file content/pages/%s.md, or one of "
	           "latest, editions, topics, people, stories, sources, search)", name, name);
	return NULL;
}

static int by_weight(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* site.yml's menu entries (weights 10, 20, ... unless given) into m, the
 * pages it names into named; returns whether site.yml has a menu. */
static int site_menu(struct site *s, struct menu *m, const struct value *slugs,
                     struct value *named)
{
	struct value *list = val_get(s->cfg.yaml, "menu");
	if (!list || val_type(list) == VAL_NULL)
		return 0;
	char *yml = site_path(s, "site.yml");
	if (val_type(list) != VAL_LIST)
		diag_error(s->diag, yml, val_line(list), val_col(list),
		           "menu: expected a list of pages, sections and links, found a %s",
		           val_type_name(val_type(list)));
	for (size_t i = 0; val_type(list) == VAL_LIST && i < val_len(list); i++) {
		double weight = 10.0 * (double)(i + 1);
		struct value *item = menu_entry(s, val_at(list, i), slugs, yml, &weight);
		if (item)
			menu_add(m, item, weight, NULL);
		const struct value *v = val_at(list, i);
		const char *page = val_type(v) == VAL_MAP ? val_get_cstr(v, "page") : val_get_str(v, NULL);
		if (item && page && val_get(slugs, page))
			val_set(named, page, val_bool(1));
	}
	free(yml);
	return 1;
}

void sp_load(struct site *s)
{
	size_t n;
	char **files = site_list_md(s, "content/pages", &n);
	struct menu pages = {0}, m = {0};
	struct value *slugs = val_map(), *named = val_map(); /* page slug -> title, -> true */
	for (size_t i = 0; i < n; i++)
		load_page(s, files[i], &pages, slugs);
	free(files);
	int custom = site_menu(s, &m, slugs, named);
	/* a page site.yml places keeps that place; the others join by weight */
	for (size_t i = 0; i < pages.n; i++) {
		if (!val_get(named, pages.e[i].page))
			menu_add(&m, pages.e[i].item, pages.e[i].weight, NULL);
		else
			val_free(pages.e[i].item);
		free(pages.e[i].page);
	}
	if (m.n) /* qsort(NULL, 0) is undefined */
		qsort(m.e, m.n, sizeof *m.e, by_weight);
	struct value *list = val_list();
	for (size_t i = 0; i < m.n; i++)
		val_push(list, m.e[i].item);
	if (m.n || custom) {
		val_set(s->site_layer[0], "menu", list);
		val_set_bool(s->site_layer[0], "menu_custom", custom);
	} else {
		val_free(list);
	}
	free(m.e);
	free(pages.e);
	val_free(slugs);
	val_free(named);
}
