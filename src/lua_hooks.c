/* lua_hooks.c: calling the scripts' functions: node filters over an
 * article, site hooks with the site, and the per-item hooks (article,
 * before_render, after_render). The states themselves and protected calls
 * are lua_bridge.c; keyed steps are lua_steps.c. */
#include "lua_int.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua_node.h"
#include "lua_site.h"
#include "lua_value.h"

/* (article table, &out, a->meta) -> () : article.meta as a new value in
 * *out, or *out untouched when the filters left it as it was */
static int meta_back(lua_State *L)
{
	struct value **out = lua_touserdata(L, 2);
	const struct value *before = lua_touserdata(L, 3);
	lua_getfield(L, 1, "meta");
	if (!lua_istable(L, -1))
		return luaL_error(L, "filters must leave article.meta a table, found %s",
		                  luaL_typename(L, -1));
	/* unchanged front matter (most articles, for most filters) stays the
	 * parsed tree, with the line of every key for later messages */
	if (!lv_same(L, -1, before))
		*out = lv_to_value(L, -1, "article.meta");
	return 0;
}

int lb_filter_article(struct lb *lb, struct article *a)
{
	if (!lb->has_filters || !a->doc)
		return 0;
	int line, col;
	if (ln_too_deep(a->doc, &line, &col)) {
		diag_error(a->diag, a->path, line ? a->body_line - 1 + line : 1, col ? col : 1,
		           "Markdown nested more than %d levels deep (lists, quotes or emphasis); "
		           "filters stop here", LN_MAX_DEPTH);
		return -1;
	}
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	char *context = xasprintf("while filtering %s", a->path);
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.scripts");
	int scripts = lua_gettop(L);
	ls_push_article_arg(L, a);
	int arg = lua_gettop(L);
	int rc = 0;
	for (size_t i = 0; i < lb->scripts->n && rc == 0; i++) {
		if (!lb->is_filter[i])
			continue;
		lua_pushcfunction(L, ln_walk_k);
		lua_rawgeti(L, scripts, (lua_Integer)i + 1);
		ln_push(L, a->doc);
		lua_pushvalue(L, arg);
		rc = lb_call(lb, 3, 0, a->diag, context);
	}
	if (rc == 0) {
		struct value *meta = NULL;
		lua_pushcfunction(L, meta_back);
		lua_pushvalue(L, arg);
		lua_pushlightuserdata(L, &meta);
		lua_pushlightuserdata(L, a->meta);
		rc = lb_call(lb, 3, 0, a->diag, context);
		if (rc == 0 && meta) {
			val_free(a->meta);
			a->meta = meta;
		}
	}
	free(context);
	lua_settop(L, top);
	return rc;
}

void lb_release_doc(struct lb *lb, struct article *a)
{
	if (!a->doc)
		return;
	ln_release_tree(lb->L, a->doc);
	a->doc = NULL;
}

/* The main state sees the site once articles are resolved: made on the
 * first hook call, then kept as briefing.site and in the registry. */
static void push_site_once(struct lb *lb)
{
	if (lb->site_pushed)
		return;
	lua_State *L = lb->L;
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.module");
	ls_push_site(L, lb->site, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.site_table");
	lua_setfield(L, -2, "site");
	lua_pop(L, 1);
	lb->site_pushed = 1;
}

int lb_run_hook(struct lb *lb, const char *hook, struct diag *d)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	push_site_once(lb);
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.scripts");
	int scripts = lua_gettop(L);
	int rc = 0;
	for (size_t i = 0; i < lb->scripts->n && rc == 0; i++) {
		lua_rawgeti(L, scripts, (lua_Integer)i + 1);
		if (lua_getfield(L, -1, hook) != LUA_TFUNCTION) {
			lua_pop(L, 2);
			continue;
		}
		lua_remove(L, -2);
		lua_getfield(L, LUA_REGISTRYINDEX, "briefing.site_table");
		char *context = xasprintf("while running %s() of %s", hook, lb->scripts->list[i].path);
		double t = lb_now();
		rc = lb_call(lb, 1, 0, d, context);
		lb->hook_time[i] += lb_now() - t;
		free(context);
	}
	lua_settop(L, top);
	return rc;
}

double lb_hook_seconds(const struct lb *lb, size_t i)
{
	return i < lb->scripts->n ? lb->hook_time[i] : 0;
}

void lb_hook_seconds_reset(struct lb *lb)
{
	for (size_t i = 0; i < lb->scripts->n; i++)
		lb->hook_time[i] = 0;
}

int lb_has_hook(struct lb *lb, const char *hook)
{
	lua_State *L = lb->L;
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.scripts");
	int found = 0;
	for (lua_Integer i = 1; !found && i <= (lua_Integer)lua_rawlen(L, -1); i++) {
		lua_rawgeti(L, -1, i);
		found = lua_getfield(L, -1, hook) == LUA_TFUNCTION;
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	return found;
}

/* One item's hooks, all scripts in order, inside one protected call. */
struct hook_call {
	const char *hook;
	struct article *article; /* "article" */
	struct page *page;       /* "before_render", "after_render" */
	buf *html;               /* "after_render" */
};

static void set_string_field(lua_State *L, int t, const char *key, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, t, key);
}

/* a before_render page's data, made from its template data on first use */
static void push_page_data(lua_State *L, const void *p)
{
	ls_push_data(L, ((const struct page *)p)->data);
}

/* (hook_call) -> () */
static int hook_k(lua_State *L)
{
	struct hook_call *hc = lua_touserdata(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.scripts");
	int scripts = lua_gettop(L);
	int page = 0;
	if (hc->page) {
		lua_createtable(L, 0, 5);
		page = lua_gettop(L);
		set_string_field(L, page, "url", hc->page->url);
		set_string_field(L, page, "kind", hc->page->kind);
		set_string_field(L, page, "template", hc->page->template);
		set_string_field(L, page, "title", hc->page->title);
		if (!hc->html) {
			/* page.data is made on first use: most pages' hooks never read it */
			ls_set_lazy(L, "data", push_page_data, hc->page);
		}
	}
	for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, scripts); i++) {
		lua_rawgeti(L, scripts, i);
		if (lua_getfield(L, -1, hc->hook) != LUA_TFUNCTION) {
			lua_pop(L, 2);
			continue;
		}
		lua_remove(L, -2);
		int nargs = 1;
		if (hc->article)
			ls_push_article(L, hc->article);
		else
			lua_pushvalue(L, page);
		if (hc->html) {
			lua_pushlstring(L, hc->html->ptr, hc->html->len);
			nargs++;
		}
		lua_getfield(L, LUA_REGISTRYINDEX, "briefing.site_table");
		double t = lb_now();
		lua_call(L, nargs + 1, 1);
		struct lb *lb = lb_of(L);
		lb->hook_time[i - 1] += lb_now() - t;
		if (hc->html && lua_type(L, -1) == LUA_TSTRING) {
			size_t n;
			const char *h = lua_tolstring(L, -1, &n);
			buf_reset(hc->html);
			buf_put(hc->html, h, n);
		} else if (hc->html && !lua_isnil(L, -1)) {
			return luaL_error(L, "after_render must return nil or the new HTML, found %s",
			                  luaL_typename(L, -1));
		}
		lua_pop(L, 1);
	}
	if (hc->page && !hc->html) {
		/* before_render may change what and how the page renders */
		lua_getfield(L, page, "template");
		lua_getfield(L, page, "title");
		lua_pushliteral(L, "data");
		lua_rawget(L, page); /* nil unless a hook touched it */
		const char *template = lua_tostring(L, -3), *title = lua_tostring(L, -2);
		if (!template || !*template || strchr(template, '/'))
			return luaL_error(L, "before_render: page.template must be a template name");
		if (!lua_isnil(L, -1)) {
			if (!lua_istable(L, -1))
				return luaL_error(L, "before_render: page.data must stay a table");
			struct value *data = lv_to_value(L, -1, "page data");
			val_free(hc->page->data);
			hc->page->data = data;
		}
		free(hc->page->template);
		hc->page->template = xstrdup(template);
		free(hc->page->title);
		hc->page->title = xstrdup(title ? title : "");
	}
	return 0;
}

static int item_hook(struct lb *lb, struct hook_call *hc, struct diag *d, const char *context)
{
	lua_State *L = lb->L;
	push_site_once(lb);
	lua_pushcfunction(L, hook_k);
	lua_pushlightuserdata(L, hc);
	return lb_call(lb, 1, 0, d, context);
}

int lb_article_hooks(struct lb *lb, struct diag *d)
{
	struct site *s = lb->site;
	for (size_t i = 0; i < s->n_articles; i++) {
		struct hook_call hc = {.hook = "article", .article = s->articles[i]};
		char *context = xasprintf("while running article() for %s", s->articles[i]->path);
		int rc = item_hook(lb, &hc, d, context);
		free(context);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int lb_page_hook(struct lb *lb, const char *hook, struct page *p, buf *html, struct diag *d)
{
	if (!html) /* before_render: page.data, a tree the hook may change */
		page_unpack(lb->site, p);
	struct hook_call hc = {.hook = hook, .page = p, .html = html};
	char *context = xasprintf("while running %s() for page \"%s\"", hook, p->url);
	int rc = item_hook(lb, &hc, d, context);
	free(context);
	return rc;
}
