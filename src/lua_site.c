/* lua_site.c: articles, topics and people as userdata, and the `site`
 * table given to hooks. Userdata hold a pointer into the site model, which
 * outlives every Lua state, so they need no __gc. */
#include "lua_site.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua_value.h"
#include "output.h"
#include "steps.h"

#define ARTICLE_MT "briefing.Article"
#define ENTITY_MT "briefing.Entity"
#define OBJECT_MT "briefing.Object"
#define VIEWS_KEY "briefing.views" /* registry: view map pointer -> userdata */
#define SITE_KEY "briefing.site_ptr"
#define STEP_KEY "briefing.step_out"   /* registry: the running step's st_out */
#define TOUCHED_KEY "briefing.touched" /* registry: items the running step wrote */
#define STEP_SITE_KEY "briefing.step_site"
#define GEN_KEY "briefing.cache_gen" /* registry: the items' caches' generation */

/* kept in an item's cache for a field that is not there */
static const char absent;

struct item {
	struct article *article; /* exactly one of these is set */
	struct entity *entity;
	struct sobject *object;
	int writable;            /* main state after resolve */
	const unsigned *genp;    /* the state's cache generation (ls_drop_caches) */
	unsigned gen;            /* the generation of this item's cache table */
};

/* [-0, +1] The item's cache of fields read (the table of uservalue 1): a
 * new one when the state's caches were dropped since it was filled. */
static void push_cache(lua_State *L, int idx, struct item *it)
{
	if (lua_getiuservalue(L, idx, 1) != LUA_TTABLE || it->gen != *it->genp) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setiuservalue(L, idx, 1);
		it->gen = *it->genp;
	}
}

static struct site *site_of(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, SITE_KEY);
	struct site *s = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return s;
}

static struct value *item_view(const struct item *it)
{
	return it->article ? it->article->data : it->entity ? it->entity->data : it->object->view;
}

/* The layer of an item's view that a step of `stage` reads (what earlier
 * stages made), or its top outside steps. */
static const struct value *item_layer(const struct item *it, int stage)
{
	if (stage < 1 || stage > VIEW_LAYERS)
		return item_view(it);
	struct value *const *layer = it->article ? it->article->layer
	                             : it->entity ? it->entity->layer : it->object->layer;
	return layer[stage - 1];
}

static const struct value *view_of(lua_State *L, int idx)
{
	struct item *it = lua_touserdata(L, idx);
	return it ? item_view(it) : NULL;
}

/* The outputs of the step running on this state, or NULL. */
struct st_out *ls_step_out(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, STEP_KEY);
	struct st_out *out = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return out;
}

static const char *item_mt(const struct item *it)
{
	return it->article ? ARTICLE_MT : it->entity ? ENTITY_MT : OBJECT_MT;
}

/* [-0, +1] The one userdata for an article, entity or object. */
static void push_any(lua_State *L, struct article *a, struct entity *e, struct sobject *o,
                     int writable)
{
	const void *key = a ? (const void *)a : e ? (const void *)e : (const void *)o;
	lua_getfield(L, LUA_REGISTRYINDEX, VIEWS_KEY);
	if (lua_rawgetp(L, -1, key) != LUA_TNIL) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);
	struct item *it = lua_newuserdatauv(L, sizeof *it, 1);
	it->article = a;
	it->entity = e;
	it->object = o;
	it->writable = writable;
	lua_getfield(L, LUA_REGISTRYINDEX, GEN_KEY);
	it->genp = lua_touserdata(L, -1);
	lua_pop(L, 1);
	it->gen = *it->genp;
	luaL_setmetatable(L, item_mt(it));
	lua_pushvalue(L, -1);
	lua_rawsetp(L, -3, key);
	/* template views point back here so references become userdata again */
	const struct value *view = item_view(it);
	if (view) {
		lua_pushvalue(L, -1);
		lua_rawsetp(L, -3, view);
	}
	lua_remove(L, -2);
}

static void push_item(lua_State *L, struct article *a, struct entity *e, int writable)
{
	push_any(L, a, e, NULL, writable);
}

/* [-0, +1 or 0] The userdata of a view, if the target is one: the one
 * this state made, or, for an item it has not met yet (an article that a
 * summary or record value names, on a state that never listed it), a new
 * one found by the view's object id. */
static int push_view(lua_State *L, const struct value *target)
{
	lua_getfield(L, LUA_REGISTRYINDEX, VIEWS_KEY);
	if (lua_rawgetp(L, -1, target) != LUA_TNIL) {
		lua_remove(L, -2);
		return 1;
	}
	lua_pop(L, 2);
	uint32_t id = val_obj(target);
	struct site *s = id ? site_of(L) : NULL;
	enum tr_kind kind;
	void *owner = s ? site_owner(s, id, &kind) : NULL;
	if (!owner)
		return 0;
	switch (kind) {
	case TR_ARTICLE: push_any(L, owner, NULL, NULL, 0); return 1;
	case TR_ENTITY: push_any(L, NULL, owner, NULL, 0); return 1;
	case TR_OBJECT: push_any(L, NULL, NULL, owner, 0); return 1;
	default: return 0;
	}
}

/* [-0, +1] A value from a template view: references to article or entity
 * views become their userdata, everything else a plain Lua value. */
static void push_data(lua_State *L, const struct value *v)
{
	lv_push_refs(L, v, push_view);
}

/* [-0, +1] An array of entity userdata. */
static void push_entities(lua_State *L, struct entity **list, size_t n, int writable)
{
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		push_item(L, NULL, list[i], writable);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* [-0, +1] An item's field: fields first, then the template view, then
 * the front matter. Returns 1 when the value may be kept (see item_index). */
static int push_field(lua_State *L, struct item *it, const char *key, int stage)
{
	const struct value *meta, *data = item_layer(it, stage);
	if (it->article) {
		struct article *a = it->article;
		meta = a->meta;
		if (strcmp(key, "topics") == 0) {
			push_entities(L, a->topics, a->n_topics, it->writable);
			return 1; /* fixed once resolved: the same table every time */
		}
		if (strcmp(key, "people") == 0) {
			push_entities(L, a->people, a->n_people, it->writable);
			return 1;
		}
		if (strcmp(key, "path") == 0) {
			lua_pushstring(L, a->path);
			return 1;
		}
	} else if (it->object) {
		const struct value *v = val_get(data, key);
		if (v)
			push_data(L, v);
		else
			lua_pushnil(L);
		return !lua_istable(L, -1);
	} else {
		struct entity *e = it->entity;
		meta = e->meta;
		if (strcmp(key, "name") == 0) {
			lua_pushstring(L, e->name);
			return 1;
		}
		if (strcmp(key, "slug") == 0) {
			lua_pushstring(L, e->slug);
			return 1;
		}
		if (strcmp(key, "url") == 0) {
			lua_pushstring(L, e->url);
			return 1;
		}
		if (strcmp(key, "kind") == 0) {
			lua_pushstring(L, e->kind == ENT_TOPIC ? "topic" : "person");
			return 1;
		}
		if (strcmp(key, "path") == 0) {
			if (e->path)
				lua_pushstring(L, e->path);
			else
				lua_pushnil(L);
			return 1;
		}
		if (strcmp(key, "aliases") == 0) {
			const struct value *al = val_get(meta, "aliases");
			if (val_type(al) == VAL_LIST)
				lv_push(L, al);
			else
				lua_newtable(L);
			return 0;
		}
		if (strcmp(key, "title") == 0 && !val_get(data, "title")) {
			lua_pushstring(L, e->name);
			return 1;
		}
	}
	if (strcmp(key, "meta") == 0) {
		lv_push(L, meta);
		return 0;
	}
	const struct value *v = val_get(data, key);
	if (v)
		push_data(L, v);
	else if ((v = val_get(meta, key)) != NULL)
		lv_push(L, v);
	else
		lua_pushnil(L);
	/* a table is a new copy on each read: changing it changes nothing */
	return !lua_istable(L, -1);
}

#define KEEP_MAX 512 /* bytes: a longer string is not kept */

/* (item, key) -> value. Scripts read the same fields many times (a.day,
 * a.people in every grouping script), so what push_field allows is kept
 * in the item's user value and dropped when a hook sets the field. */
static int item_index(lua_State *L)
{
	struct item *it = lua_touserdata(L, 1);
	size_t klen;
	const char *key = luaL_checklstring(L, 2, &klen);
	struct st_out *step = ls_step_out(L);
	if (step) /* even when the value is kept below: the step read it */
		tr_log_read(&step->reads, val_obj(item_view(it)), tr_bit(key, klen));
	push_cache(L, 1, it);
	lua_pushvalue(L, 2);
	int t = lua_rawget(L, -2);
	if (t == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == &absent) {
		lua_pushnil(L);
		return 1;
	}
	if (t != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	/* a long text (a body) is read once, by one step: keeping it in
	 * every item would hold every body in every state to the end */
	if (push_field(L, it, key, step ? step->stage : 0) &&
	    !(lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > KEEP_MAX)) {
		lua_pushvalue(L, 2);
		if (lua_isnil(L, -2))
			lua_pushlightuserdata(L, (void *)&absent);
		else
			lua_pushvalue(L, -2);
		lua_rawset(L, -4);
	}
	return 1;
}

/* Remembers that the running step set key of the item at idx, so the
 * value it reads back is dropped from the item's cache when the step
 * ends (other steps on this state must not see it). */
static void touch(lua_State *L, int idx, int key)
{
	lua_getfield(L, LUA_REGISTRYINDEX, TOUCHED_KEY);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	lua_pushvalue(L, idx);
	lua_rawseti(L, -2, n + 1);
	lua_pushvalue(L, key);
	lua_rawseti(L, -2, n + 2);
	lua_pop(L, 1);
}

/* (item, key, value) -> (). Writes into the template view; in a keyed
 * step, into the step's outputs, and the step reads its own value back. */
static int item_newindex(lua_State *L)
{
	struct item *it = lua_touserdata(L, 1);
	const char *key = luaL_checkstring(L, 2);
	struct st_out *out = ls_step_out(L);
	if (!it->writable && !out)
		return luaL_error(L, "cannot set \"%s\": articles, topics and people can only be "
		                     "changed by site hooks", key);
	static const char *const fixed[] = {"url", "slug", "path", "kind", "topics", "people", NULL};
	for (const char *const *f = fixed; !it->object && *f; f++)
		if (strcmp(key, *f) == 0)
			return luaL_error(L, "cannot set \"%s\": it is fixed once articles are resolved",
			                  key);
	struct value *data = item_view(it);
	struct value *v = lua_isnil(L, 3) ? NULL : lv_to_value(L, 3, key);
	push_cache(L, 1, it); /* what item_index keeps */
	lua_pushvalue(L, 2);
	if (out) {
		if (lua_isnil(L, 3))
			lua_pushlightuserdata(L, (void *)&absent);
		else
			lua_pushvalue(L, 3);
		lua_rawset(L, -3);
		touch(L, 1, 2);
		st_out_write(out, data, key, v);
		return 0;
	}
	lua_pushnil(L);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	if (!v)
		val_free(val_take(data, key));
	else
		val_set(data, key, v);
	return 0;
}

static int item_tostring(lua_State *L)
{
	struct item *it = lua_touserdata(L, 1);
	if (it->object)
		lua_pushfstring(L, "Object(%s %s)", it->object->kind, it->object->key);
	else if (it->article)
		lua_pushfstring(L, "Article(%s)", it->article->url);
	else
		lua_pushfstring(L, "%s(%s)", it->entity->kind == ENT_TOPIC ? "Topic" : "Person",
		                it->entity->name);
	return 1;
}

void ls_open(lua_State *L)
{
	static const char *const names[] = {ARTICLE_MT, ENTITY_MT, OBJECT_MT};
	static const luaL_Reg item_meta[] = {
		{"__index", item_index}, {"__newindex", item_newindex},
		{"__tostring", item_tostring}, {"__metatable", NULL}, /* false: hidden */
		{NULL, NULL},
	};
	for (int i = 0; i < 3; i++) {
		luaL_newmetatable(L, names[i]);
		luaL_setfuncs(L, item_meta, 0);
		lua_pushlightuserdata(L, (void *)(lv_view_fn)view_of);
		lua_setfield(L, -2, LV_VIEW_FIELD);
		lua_pop(L, 1);
	}
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, VIEWS_KEY);
	*(unsigned *)lua_newuserdatauv(L, sizeof(unsigned), 0) = 0;
	lua_setfield(L, LUA_REGISTRYINDEX, GEN_KEY);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, TOUCHED_KEY);
}

void ls_set_step(lua_State *L, struct st_out *out)
{
	if (!out) { /* the step is over: what it wrote leaves the items' caches */
		lua_getfield(L, LUA_REGISTRYINDEX, TOUCHED_KEY);
		lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
		for (lua_Integer i = 1; i + 1 <= n; i += 2) {
			lua_rawgeti(L, -1, i);
			if (lua_getiuservalue(L, -1, 1) == LUA_TTABLE) {
				lua_rawgeti(L, -3, i + 1);
				lua_pushnil(L);
				lua_rawset(L, -3);
			}
			lua_pop(L, 2);
		}
		lua_pop(L, 1);
		lua_newtable(L);
		lua_setfield(L, LUA_REGISTRYINDEX, TOUCHED_KEY);
	}
	lua_pushlightuserdata(L, out);
	lua_setfield(L, LUA_REGISTRYINDEX, STEP_KEY);
}

void ls_trim(lua_State *L)
{
	/* each item is in the views table twice (by owner and by view) */
	lua_getfield(L, LUA_REGISTRYINDEX, VIEWS_KEY);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (lua_type(L, -1) == LUA_TUSERDATA) {
			lua_pushnil(L);
			lua_setiuservalue(L, -2, 1);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	lua_gc(L, LUA_GCCOLLECT);
}

void ls_drop_caches(lua_State *L, const struct site *s)
{
	/* every cache is dropped when next used (push_cache): a walk over
	 * every item of the state, at each stage, cost more than the steps */
	lua_getfield(L, LUA_REGISTRYINDEX, GEN_KEY);
	(*(unsigned *)lua_touserdata(L, -1))++;
	lua_pop(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, VIEWS_KEY);
	/* entities met before their views existed (filters run before
	 * resolve) are found from their views from now on */
	for (size_t k = 0; k < 2; k++) {
		struct entity **list = k ? s->people : s->topics;
		size_t n = k ? s->n_people : s->n_topics;
		for (size_t i = 0; i < n; i++) {
			if (!list[i]->data || lua_rawgetp(L, -1, list[i]) == LUA_TNIL) {
				if (list[i]->data)
					lua_pop(L, 1);
				continue;
			}
			lua_rawsetp(L, -2, list[i]->data);
		}
	}
	lua_pop(L, 1);
}

/* site:topic(name) / site:person(name) -> entity or nil */
static int site_lookup(lua_State *L, enum entity_kind kind)
{
	const char *name = luaL_checkstring(L, 2);
	struct site *s = site_of(L);
	struct st_out *step = ls_step_out(L);
	if (step) /* implicit entities come and go with the articles naming them */
		tr_log_read(&step->reads, s->lookup_obj, 1);
	struct entity *e = site_find(s, kind, name);
	if (e)
		push_item(L, NULL, e, lua_toboolean(L, lua_upvalueindex(1)));
	else
		lua_pushnil(L);
	return 1;
}
static int site_topic(lua_State *L) { return site_lookup(L, ENT_TOPIC); }
static int site_person(lua_State *L) { return site_lookup(L, ENT_PERSON); }

/* site:person_names() -> names, people, aliased, slugs: every person's
 * name and then its aliases (those that are strings), in the order of
 * the site's people list (site.people, as this state has it); for each
 * name the place of its person in that list and whether it is an alias;
 * and every person's slug. One call for what 12,000 field reads of 3,000
 * people gave (mentions.lua's index). */
static int site_person_names(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_getfield(L, 1, "people"); /* (a step's read of it is recorded there) */
	int list = lua_gettop(L);
	lua_Integer n = luaL_len(L, list);
	lua_createtable(L, (int)n, 0);
	lua_createtable(L, (int)n, 0);
	lua_createtable(L, (int)n, 0);
	lua_createtable(L, (int)n, 0);
	lua_Integer at = 0;
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, list, i);
		const struct item *it = luaL_testudata(L, -1, ENTITY_MT);
		lua_pop(L, 1);
		const struct entity *e = it ? it->entity : NULL;
		if (!e)
			return luaL_error(L, "site.people[%d] is not a person", (int)i);
		const struct value *al = val_get(e->meta, "aliases");
		size_t count = val_type(al) == VAL_LIST ? val_len(al) : 0;
		for (size_t k = 0; k <= count; k++) {
			size_t len = strlen(e->name);
			const char *name = k ? val_get_str(val_at(al, k - 1), &len) : e->name;
			if (!name)
				continue;
			at++;
			lua_pushlstring(L, name, len);
			lua_rawseti(L, -5, at);
			lua_pushinteger(L, i);
			lua_rawseti(L, -4, at);
			lua_pushboolean(L, k > 0);
			lua_rawseti(L, -3, at);
		}
		lua_pushstring(L, e->slug);
		lua_rawseti(L, -2, i);
	}
	return 4;
}

/* Page URLs: "" (home), "x/y/" (a folder page) or "x/y.html" (a file). */
static int page_url_ok(const char *url)
{
	if (!*url)
		return 1;
	size_t n = strlen(url);
	char *path = url[n - 1] == '/' ? xasprintf("%sindex.html", url) : xstrdup(url);
	int ok = out_path_ok(path) && !strchr(url, '?') && !strchr(url, '#');
	free(path);
	return ok;
}

static const char *opt_string(lua_State *L, int t, const char *key, const char *dflt)
{
	lua_getfield(L, t, key);
	const char *s = lua_isnil(L, -1) ? dflt : lua_tostring(L, -1);
	if (!s && !lua_isnil(L, -1))
		luaL_error(L, "add_page: %s must be a string, found %s", key, luaL_typename(L, -1));
	lua_pop(L, 1); /* strings stay alive in the table */
	return s;
}

/* site:add_page{url=, template=, kind=, title=, data=} -> () */
static int site_add_page_l(lua_State *L)
{
	luaL_checktype(L, 2, LUA_TTABLE);
	struct st_out *out = ls_step_out(L);
	if (!out && !lua_toboolean(L, lua_upvalueindex(1)))
		return luaL_error(L, "add_page: pages are added by site hooks and keyed steps only");
	const char *url = opt_string(L, 2, "url", NULL);
	if (!url)
		return luaL_error(L, "add_page: missing url");
	if (!page_url_ok(url))
		return luaL_error(L, "add_page: invalid url \"%s\" (expected a relative path "
		                     "like \"topics/x/\" inside the site)", url);
	const char *template = opt_string(L, 2, "template", "page");
	const char *kind = opt_string(L, 2, "kind", template);
	const char *title = opt_string(L, 2, "title", "");
	if (!*template || strchr(template, '/'))
		return luaL_error(L, "add_page: invalid template name \"%s\"", template);
	lua_getfield(L, 2, "data");
	struct value *data = lua_isnil(L, -1) ? val_map() : lv_to_value(L, -1, "page data");
	if (val_type(data) != VAL_MAP) {
		val_free(data);
		return luaL_error(L, "add_page: data must be a table of names");
	}
	lua_Debug ar;
	const char *source = "";
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar) && ar.source[0] == '@')
		source = ar.source + 1;
	struct page *p = page_new(url, template, kind, title, data, source);
	if (out)
		st_out_page(out, p);
	else
		site_push_page(site_of(L), p);
	return 0;
}

/* site:set_data(key, value) -> () : a key of the `site` template map */
static int site_set_data(lua_State *L)
{
	const char *key = luaL_checkstring(L, 2);
	struct st_out *out = ls_step_out(L);
	if (!out && !lua_toboolean(L, lua_upvalueindex(1)))
		return luaL_error(L, "set_data: only site hooks and keyed steps set site data");
	static const char *const fixed[] = {"title", "base_url", "language", "description",
	                                    "params", "build_year", "clean_urls", NULL};
	for (const char *const *f = fixed; *f; f++)
		if (!strcmp(key, *f))
			return luaL_error(L, "set_data: \"%s\" comes from site.yml and cannot be set", key);
	struct site *s = site_of(L);
	struct value *v = lua_isnil(L, 3) ? NULL : lv_to_value(L, 3, key);
	if (out)
		st_out_site(out, s->site_data, key, v);
	else if (!v)
		val_free(val_take(s->site_data, key));
	else
		val_set(s->site_data, key, v);
	return 0;
}

/* site:object(kind, key) -> the object kind/key, made empty on first use:
 * a map of fields keyed steps set (an edition, a thread, a source) that
 * pages can share, like articles, topics and people. */
static int site_object_l(lua_State *L)
{
	const char *kind = luaL_checkstring(L, 2);
	const char *key = luaL_checkstring(L, 3);
	if (!*kind || strchr(kind, '\n') || strchr(key, '\n'))
		return luaL_error(L, "object: expected a kind and a key without line breaks");
	struct sobject *o = site_object(site_of(L), kind, key);
	push_any(L, NULL, NULL, o, 0);
	return 1;
}

/* site:config_place(key, ...) -> {path = "site/site.yml", line, col}: where
 * the value at that path of keys (numbers index lists, from 1) starts in
 * site.yml, for messages about a setting (briefing.log.error(place, msg));
 * nil when the path is not there. */
static int site_config_place(lua_State *L)
{
	struct site *s = site_of(L);
	const struct value *v = s->cfg.yaml;
	int n = lua_gettop(L);
	for (int i = 2; v && i <= n; i++) {
		if (lua_type(L, i) == LUA_TNUMBER && val_type(v) == VAL_LIST) {
			lua_Integer at = luaL_checkinteger(L, i);
			v = at >= 1 && (size_t)at <= val_len(v) ? val_at(v, (size_t)at - 1) : NULL;
		} else if (val_type(v) == VAL_MAP) {
			v = val_get(v, luaL_checkstring(L, i));
		} else {
			v = NULL;
		}
	}
	if (!v || val_line(v) <= 0) {
		lua_pushnil(L);
		return 1;
	}
	char *path = site_path(s, "site.yml");
	lua_createtable(L, 0, 3);
	lua_pushstring(L, path);
	lua_setfield(L, -2, "path");
	lua_pushinteger(L, val_line(v));
	lua_setfield(L, -2, "line");
	lua_pushinteger(L, val_col(v));
	lua_setfield(L, -2, "col");
	free(path);
	return 1;
}

void ls_push_site(lua_State *L, struct site *s, int main)
{
	lua_pushlightuserdata(L, s);
	lua_setfield(L, LUA_REGISTRYINDEX, SITE_KEY);
	lua_newtable(L);
	lua_pushstring(L, s->cfg.title);
	lua_setfield(L, -2, "title");
	lua_pushstring(L, s->cfg.base_url);
	lua_setfield(L, -2, "base_url");
	lua_pushstring(L, s->cfg.language);
	lua_setfield(L, -2, "language");
	lua_pushstring(L, s->cfg.timezone);
	lua_setfield(L, -2, "timezone");
	lua_pushboolean(L, s->cfg.clean_urls);
	lua_setfield(L, -2, "clean_urls");
	const char *desc = val_get_cstr(s->site_data, "description");
	lua_pushstring(L, desc ? desc : "");
	lua_setfield(L, -2, "description");
	lv_push(L, s->cfg.yaml);
	lua_setfield(L, -2, "config");
	const struct value *params = val_get(s->cfg.yaml, "params");
	if (val_type(params) == VAL_MAP)
		lv_push(L, params);
	else
		lua_newtable(L);
	lua_setfield(L, -2, "params");
	push_entities(L, s->topics, s->n_topics, main);
	lua_setfield(L, -2, "topics");
	push_entities(L, s->people, s->n_people, main);
	lua_setfield(L, -2, "people");
	lua_createtable(L, main ? (int)s->n_articles : 0, 0);
	for (size_t i = 0; main && i < s->n_articles; i++) {
		push_item(L, s->articles[i], NULL, 1);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "articles");
	/* groupings scripts make (editions, threads, ...) for later scripts */
	lua_newtable(L);
	lua_setfield(L, -2, "collections");
	lua_pushboolean(L, main);
	lua_pushcclosure(L, site_topic, 1);
	lua_setfield(L, -2, "topic");
	lua_pushboolean(L, main);
	lua_pushcclosure(L, site_person, 1);
	lua_setfield(L, -2, "person");
	lua_pushcfunction(L, site_person_names);
	lua_setfield(L, -2, "person_names");
	/* direct on the main state's hooks; elsewhere only inside a step */
	lua_pushboolean(L, main);
	lua_pushcclosure(L, site_add_page_l, 1);
	lua_setfield(L, -2, "add_page");
	lua_pushboolean(L, main);
	lua_pushcclosure(L, site_set_data, 1);
	lua_setfield(L, -2, "set_data");
	lua_pushcfunction(L, site_object_l);
	lua_setfield(L, -2, "object");
	lua_pushcfunction(L, site_config_place);
	lua_setfield(L, -2, "config_place");
}

/* __index of the steps' site: (site, key) -> site.topics or site.people,
 * made on first read after ls_set_entity_lists and kept in the registry.
 * A step that reads one depends on the lists' members and order (bit 2 of
 * the site's lookup object, stamped by resolve when they change). */
static int step_site_index(lua_State *L)
{
	const char *key = lua_tostring(L, 2);
	int topics = key && strcmp(key, "topics") == 0;
	if (!topics && !(key && strcmp(key, "people") == 0)) {
		lua_pushnil(L);
		return 1;
	}
	struct site *s = site_of(L);
	struct st_out *step = ls_step_out(L);
	if (step)
		tr_log_read(&step->reads, s->lookup_obj, 2);
	const char *reg = topics ? "briefing.step_topics" : "briefing.step_people";
	if (lua_getfield(L, LUA_REGISTRYINDEX, reg) != LUA_TTABLE) {
		lua_pop(L, 1);
		if (topics)
			push_entities(L, s->topics, s->n_topics, 0);
		else
			push_entities(L, s->people, s->n_people, 0);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, reg);
	}
	return 1;
}

void ls_push_step_site(lua_State *L, struct site *s)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, STEP_SITE_KEY) == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	ls_push_site(L, s, 0);
	lua_pushnil(L);
	lua_setfield(L, -2, "topics");
	lua_pushnil(L);
	lua_setfield(L, -2, "people");
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, step_site_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, STEP_SITE_KEY);
}

/* [-0, +1] Where each front-matter key's value starts in the file, so
 * filters can warn at the right line: {key = line, ["key[i]"] = line of
 * the i-th item (from 1) of a list}. Only filters get it: the positions
 * are gone once filters have rewritten the front matter. */
static void push_meta_lines(lua_State *L, const struct value *meta)
{
	lua_newtable(L);
	buf name = BUF_INIT;
	for (size_t i = 0; i < val_len(meta); i++) {
		size_t klen;
		const char *key = val_key_at(meta, i, &klen);
		const struct value *v = val_at(meta, i);
		lua_pushlstring(L, key, klen);
		lua_pushinteger(L, val_line(v));
		lua_settable(L, -3);
		for (size_t j = 0; val_type(v) == VAL_LIST && j < val_len(v); j++) {
			buf_reset(&name);
			buf_printf(&name, "%s[%zu]", key, j + 1);
			lua_pushinteger(L, val_line(val_at(v, j)));
			lua_setfield(L, -2, name.ptr);
		}
	}
	buf_free(&name);
}

/* __index of a table with a lazy field: (table, key) -> the field, made
 * and kept on first read, else nil. Upvalues: name, make, ud. */
static int lazy_index(lua_State *L)
{
	if (!lua_rawequal(L, 2, lua_upvalueindex(1)))
		return 0;
	ls_make_fn make = (ls_make_fn)lua_touserdata(L, lua_upvalueindex(2));
	make(L, lua_touserdata(L, lua_upvalueindex(3)));
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

void ls_set_lazy(lua_State *L, const char *name, ls_make_fn make, const void *ud)
{
	lua_createtable(L, 0, 1);
	lua_pushstring(L, name);
	lua_pushlightuserdata(L, (void *)make);
	lua_pushlightuserdata(L, (void *)ud);
	lua_pushcclosure(L, lazy_index, 3);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
}

/* [-0, +1] A date as put writes it. */
static void push_date(lua_State *L, const struct date *d, void (*put)(buf *, const struct date *))
{
	buf b = BUF_INIT;
	put(&b, d);
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
}

/* __index of an article argument: (table, key) -> the field, made from
 * the article (upvalue 1) on first read and kept in the table. Filters
 * read few of these, and each string pushed is a string interned. */
static int article_arg_index(lua_State *L)
{
	const struct article *a = lua_touserdata(L, lua_upvalueindex(1));
	const char *k = lua_tostring(L, 2);
	if (!k || lua_type(L, 2) != LUA_TSTRING)
		return 0;
	if (!strcmp(k, "title"))
		lua_pushstring(L, a->title);
	else if (!strcmp(k, "slug"))
		lua_pushstring(L, a->slug);
	else if (!strcmp(k, "url"))
		lua_pushstring(L, a->url);
	else if (!strcmp(k, "path"))
		lua_pushstring(L, a->path);
	else if (!strcmp(k, "date"))
		push_date(L, &a->date, date_put_iso);
	else if (!strcmp(k, "day"))
		push_date(L, &a->date, date_put_day);
	else if (!strcmp(k, "line_offset"))
		lua_pushinteger(L, a->body_line ? a->body_line - 1 : 0);
	else if (!strcmp(k, "meta_lines"))
		/* from the front matter as parsed, which stays a->meta until
		 * every filter has run */
		push_meta_lines(L, a->meta);
	else
		return 0;
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

void ls_push_article_arg(lua_State *L, const struct article *a)
{
	lua_createtable(L, 0, 2);
	lv_push(L, a->meta);
	lua_setfield(L, -2, "meta");
	lua_createtable(L, 0, 1);
	lua_pushlightuserdata(L, (void *)a);
	lua_pushcclosure(L, article_arg_index, 1);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
}

void ls_push_article(lua_State *L, struct article *a)
{
	push_item(L, a, NULL, 1);
}

void ls_push_data(lua_State *L, const struct value *v)
{
	push_data(L, v);
}

void ls_set_entity_lists(lua_State *L, struct site *s)
{
	(void)s; /* made again on first read (step_site_index) */
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.step_topics");
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.step_people");
}

void ls_forget(lua_State *L, const void *p)
{
	lua_getfield(L, LUA_REGISTRYINDEX, VIEWS_KEY);
	lua_pushnil(L);
	lua_rawsetp(L, -2, p);
	lua_pop(L, 1);
}
