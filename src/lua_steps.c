/* lua_steps.c: calling the keyed steps of scripts (steps.h): start and
 * finish once per script, emit once per article, group once per key.
 * Each call runs with the step's st_out set on the state (lua_site.c),
 * so what the script writes goes there, not into the site. */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua_int.h"
#include "lua_site.h"
#include "lua_value.h"
#include "steps.h"

/* [-0, +1] Script i's table (as loaded). */
static void push_script(lua_State *L, size_t i)
{
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.scripts");
	lua_rawgeti(L, -1, (lua_Integer)i + 1);
	lua_remove(L, -2);
}

int lb_has_step(struct lb *lb, size_t script, const char *name)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	push_script(L, script);
	int found = lua_getfield(L, -1, name) == LUA_TFUNCTION;
	lua_settop(L, top);
	return found;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **lb_step_groups(struct lb *lb, size_t script, const char *table, size_t *n)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	char **names = NULL;
	*n = 0;
	push_script(L, script);
	if (lua_getfield(L, -1, table) == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (lua_type(L, -2) == LUA_TSTRING && lua_isfunction(L, -1)) {
				names = xrealloc(names, (*n + 1) * sizeof *names);
				names[(*n)++] = xstrdup(lua_tostring(L, -2));
			}
			lua_pop(L, 1);
		}
	}
	lua_settop(L, top);
	if (*n)
		qsort(names, *n, sizeof *names, cmp_name);
	return names;
}

#define STATE_KEY "briefing.steps"         /* registry: the st_state */
#define LISTS_KEY "briefing.records_lists"  /* registry: "group\nkey" -> records */

static void push_record(lua_State *L, const struct site *s, const struct st_record *r);

/* [-0, +1] The records of group/key as the array steps get, made once per
 * stage on this state: {{article = a or nil, value = v or nil}, ...}. The
 * running step depends on them. */
static void push_records(lua_State *L, const char *group, const char *key)
{
	lua_getfield(L, LUA_REGISTRYINDEX, STATE_KEY);
	const struct st_state *st = lua_touserdata(L, -1);
	lua_pop(L, 1);
	struct st_key *k = st ? st_find(st, group, key) : NULL;
	struct st_out *out = ls_step_out(L);
	if (out && k)
		tr_log_read(&out->reads, st_key_obj(k), 1);
	lua_getfield(L, LUA_REGISTRYINDEX, LISTS_KEY);
	lua_pushfstring(L, "%s\n%s", group, key);
	lua_pushvalue(L, -1);
	if (lua_rawget(L, -3) == LUA_TTABLE) {
		lua_replace(L, -3);
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 1);
	size_t n = 0;
	struct st_record *const *recs = st_key_records(k, &n);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		push_record(L, st_site(st), recs[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_pushvalue(L, -1);
	lua_insert(L, -3); /* records, name, records */
	lua_rawset(L, -4);
	lua_remove(L, -2);
}

/* site:records(group, key) -> the records filed under group/key, the
 * same table for every call in one stage (read it, do not change it) */
static int l_records(lua_State *L)
{
	const char *group = luaL_checkstring(L, 2);
	if (lua_type(L, 3) != LUA_TSTRING && lua_type(L, 3) != LUA_TNUMBER)
		return luaL_error(L, "records: the key must be a string or a number, found %s",
		                  luaL_typename(L, 3));
	push_records(L, group, lua_tostring(L, 3));
	return 1;
}

void lb_steps_begin(struct lb *lb, const struct st_state *st)
{
	lua_State *L = lb->L;
	ls_drop_caches(L, lb->site);
	lua_pushlightuserdata(L, (void *)st);
	lua_setfield(L, LUA_REGISTRYINDEX, STATE_KEY);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, LISTS_KEY);
	ls_push_step_site(L, lb->site);
	lua_pushcfunction(L, l_records);
	lua_setfield(L, -2, "records");
	ls_set_entity_lists(L, lb->site);
	lua_pop(L, 1);
}

static void trim_caches(struct lb *lb)
{
	ls_trim(lb->L);
	lb->trimmed_at = lb->mem;
}

/* After a stage: the lists site:records made go too, nothing reads them
 * again (kept, the last stage's would stay to the end of the build). */
void lb_trim(struct lb *lb)
{
	lua_newtable(lb->L);
	lua_setfield(lb->L, LUA_REGISTRYINDEX, LISTS_KEY);
	trim_caches(lb);
}

/* A state that grew by lb->trim_at bytes since its last trim lets its
 * caches go between two steps: what a stage's steps read of every brief
 * would otherwise stay in each worker's state to the end of the stage,
 * and its slab keeps the largest size the state ever had. At 10k briefs
 * a state stays under the default (64 MiB, BRIEFING_TRIM_MB); at 100k
 * this bounds each state's memory. Trimming more often costs more time
 * than it saves memory: each trim walks every item and collects. */
static void trim_if_big(struct lb *lb)
{
	/* the lists stay: later steps of the stage read them again (related.lua's
	 * topic and person lists, rebuilt after every trim, made its stage 6x
	 * slower at 100k briefs) */
	if (lb->mem > lb->trimmed_at + lb->trim_at)
		trim_caches(lb);
}

/* emit(group, key [, value]) -> () ; upvalues: st_out, article */
static int l_emit(lua_State *L)
{
	struct st_out *out = lua_touserdata(L, lua_upvalueindex(1));
	struct article *a = lua_touserdata(L, lua_upvalueindex(2));
	const char *group = luaL_checkstring(L, 1);
	if (lua_type(L, 2) != LUA_TSTRING && lua_type(L, 2) != LUA_TNUMBER)
		return luaL_error(L, "emit: the key must be a string or a number, found %s",
		                  luaL_typename(L, 2));
	const char *key = lua_tostring(L, 2);
	if (!*group)
		return luaL_error(L, "emit: the group name is empty");
	struct value *v = lua_isnoneornil(L, 3) ? NULL : lv_to_value(L, 3, "emit");
	st_out_record(out, group, key, a, v);
	return 0;
}

/* [-0, +1] The emit function for out and a. */
static void push_emit(lua_State *L, struct st_out *out, struct article *a)
{
	lua_pushlightuserdata(L, out);
	lua_pushlightuserdata(L, a);
	lua_pushcclosure(L, l_emit, 2);
}

/* Calls the function at the top with nargs below... in step mode. */
static int step_call(struct lb *lb, int nargs, int nresults, struct st_out *out,
                     const char *context)
{
	ls_set_step(lb->L, out);
	int rc = lb_call(lb, nargs, nresults, out->diag, context);
	ls_set_step(lb->L, NULL);
	return rc;
}

int lb_run_start(struct lb *lb, size_t script, struct st_out *out)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	push_script(L, script);
	lua_getfield(L, -1, "start");
	ls_push_step_site(L, lb->site);
	push_emit(L, out, NULL);
	char *context = xasprintf("while running start() of %s", lb->scripts->list[script].path);
	double t = lb_now();
	int rc = step_call(lb, 2, 0, out, context);
	lb->hook_time[script] += lb_now() - t;
	free(context);
	lua_settop(L, top);
	return rc;
}

int lb_run_emit(struct lb *lb, struct article *a, struct st_out *out)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	int rc = 0;
	/* one step for all scripts: a later script reads what an earlier one set */
	ls_set_step(L, out);
	for (size_t i = 0; i < lb->scripts->n && rc == 0; i++) {
		push_script(L, i);
		if (lua_getfield(L, -1, "emit") != LUA_TFUNCTION) {
			lua_settop(L, top);
			continue;
		}
		ls_push_article(L, a);
		push_emit(L, out, a);
		char *context = xasprintf("while running emit() of %s for %s",
		                          lb->scripts->list[i].path, a->path);
		double t = lb_now();
		rc = lb_call(lb, 2, 0, out->diag, context);
		lb->hook_time[i] += lb_now() - t;
		free(context);
		lua_settop(L, top);
	}
	ls_set_step(L, NULL);
	trim_if_big(lb);
	return rc;
}

/* [-0, +1] {article = a or nil, value = v or nil} */
static void push_record(lua_State *L, const struct site *s, const struct st_record *r)
{
	lua_createtable(L, 0, 2);
	if (r->article) {
		ls_push_article(L, r->article);
		lua_setfield(L, -2, "article");
	}
	struct value *own;
	const struct value *v = st_record_value(s, r, &own);
	if (v) {
		ls_push_data(L, v);
		lua_setfield(L, -2, "value");
	}
	val_free(own);
}

/* What a group step is called with, made inside the protected call: the
 * records of a big key can pass the state's memory cap, and an error
 * outside a protected call would end the process (Lua's panic). */
struct group_args {
	const char *group, *key;
	struct st_out *out;
};

/* (fn, group_args, site) -> () : calls fn(key, records, site) and keeps
 * what it returns as the step's summary (converted here, where an error
 * in the conversion is reported like one in the script) */
static int group_k(lua_State *L)
{
	const struct group_args *args = lua_touserdata(L, 2);
	lua_pushvalue(L, 1);
	lua_pushstring(L, args->key);
	push_records(L, args->group, args->key);
	lua_pushvalue(L, 3);
	lua_call(L, 3, 1);
	if (!lua_isnil(L, -1))
		args->out->summary = lv_to_value(L, -1, "the summary a group step returns");
	return 0;
}

int lb_run_group(struct lb *lb, size_t script, const char *group, const char *key,
                 struct st_out *out)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	struct group_args args = {group, key, out};
	lua_pushcfunction(L, group_k);
	push_script(L, script);
	lua_getfield(L, -1, "group");
	lua_getfield(L, -1, group);
	lua_replace(L, -3);
	lua_pop(L, 1);
	lua_pushlightuserdata(L, &args);
	ls_push_step_site(L, lb->site);
	char *context = xasprintf("while running group.%s() of %s for key \"%s\"", group,
	                          lb->scripts->list[script].path, key);
	double t = lb_now();
	int rc = step_call(lb, 3, 0, out, context);
	lb->hook_time[script] += lb_now() - t;
	free(context);
	/* the key's own list goes with its step: kept to the end of the stage,
	 * a worker state held every list it was given (each month's search
	 * terms, each edition's briefs) and at 100k briefs passed its memory
	 * cap; lists other steps read with site:records stay shared */
	lua_getfield(L, LUA_REGISTRYINDEX, LISTS_KEY);
	lua_pushfstring(L, "%s\n%s", group, key);
	lua_pushnil(L);
	lua_rawset(L, -3);
	lua_settop(L, top);
	trim_if_big(lb);
	return rc;
}

/* What a finish step is called with, made inside the protected call. */
struct finish_args {
	const char *const *keys;
	struct value *const *summaries;
	size_t n;
};

/* (fn, finish_args, site) -> () : calls fn(summaries, site) */
static int finish_k(lua_State *L)
{
	const struct finish_args *args = lua_touserdata(L, 2);
	lua_pushvalue(L, 1);
	lua_createtable(L, (int)args->n, 0);
	for (size_t i = 0; i < args->n; i++) {
		lua_createtable(L, 0, 2);
		lua_pushstring(L, args->keys[i]);
		lua_setfield(L, -2, "key");
		if (args->summaries[i]) {
			ls_push_data(L, args->summaries[i]);
			lua_setfield(L, -2, "value");
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_pushvalue(L, 3);
	lua_call(L, 2, 0);
	return 0;
}

int lb_run_finish(struct lb *lb, size_t script, const char *group, const char *const *keys,
                  struct value *const *summaries, size_t n, struct st_out *out)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	struct finish_args args = {keys, summaries, n};
	lua_pushcfunction(L, finish_k);
	push_script(L, script);
	lua_getfield(L, -1, "finish");
	lua_getfield(L, -1, group);
	lua_replace(L, -3);
	lua_pop(L, 1);
	lua_pushlightuserdata(L, &args);
	ls_push_step_site(L, lb->site);
	char *context = xasprintf("while running finish.%s() of %s", group,
	                          lb->scripts->list[script].path);
	double t = lb_now();
	int rc = step_call(lb, 3, 0, out, context);
	lb->hook_time[script] += lb_now() - t;
	free(context);
	lua_settop(L, top);
	return rc;
}

void lb_set_collection(struct lb *lb, const char *group, struct value *const *summaries,
                       size_t n)
{
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	if (lua_getfield(L, LUA_REGISTRYINDEX, "briefing.site_table") == LUA_TTABLE &&
	    lua_getfield(L, -1, "collections") == LUA_TTABLE) {
		lua_createtable(L, (int)n, 0);
		lua_Integer k = 0;
		for (size_t i = 0; i < n; i++) {
			if (!summaries[i])
				continue;
			ls_push_data(L, summaries[i]);
			lua_rawseti(L, -2, ++k);
		}
		lua_setfield(L, -2, group);
	}
	lua_settop(L, top);
}

void lb_forget(struct lb *lb, const void *p)
{
	ls_forget(lb->L, p);
}
