/* lua_value.c: conversions between value trees and Lua values. */
#include "lua_value.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 100

static void push_depth(lua_State *L, const struct value *v, int depth, lv_ref_fn ref)
{
	if (ref && val_type(v) == VAL_REF && ref(L, val_deref(v)))
		return;
	v = val_deref(v);
	if (depth > MAX_DEPTH) {
		lua_pushnil(L);
		return;
	}
	luaL_checkstack(L, 4, "value too deep");
	switch (val_type(v)) {
	case VAL_BOOL: lua_pushboolean(L, val_get_bool(v)); break;
	case VAL_NUM: {
		double d = val_get_num(v);
		if (d == floor(d) && fabs(d) < 9007199254740992.0)
			lua_pushinteger(L, (lua_Integer)d);
		else
			lua_pushnumber(L, d);
		break;
	}
	case VAL_STR: {
		size_t len;
		const char *s = val_get_str(v, &len);
		lua_pushlstring(L, s, len);
		break;
	}
	case VAL_LIST:
		lua_createtable(L, (int)val_len(v), 0);
		for (size_t i = 0; i < val_len(v); i++) {
			push_depth(L, val_at(v, i), depth + 1, ref);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case VAL_MAP:
		lua_createtable(L, 0, (int)val_len(v));
		for (size_t i = 0; i < val_len(v); i++) {
			size_t klen;
			const char *k = val_key_at(v, i, &klen);
			lua_pushlstring(L, k, klen);
			push_depth(L, val_at(v, i), depth + 1, ref);
			lua_rawset(L, -3);
		}
		break;
	case VAL_FUNC: {
		/* a lambda made from a Lua function goes back as that function */
		lua_getfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_PUSH_KEY);
		lv_lambda_push_fn push = (lv_lambda_push_fn)lua_touserdata(L, -1);
		lua_pop(L, 1);
		if (!push || !push(L, val_get_func(v)))
			lua_pushnil(L);
		break;
	}
	default: lua_pushnil(L); break;
	}
}

void lv_push(lua_State *L, const struct value *v)
{
	push_depth(L, v, 0, NULL);
}

void lv_push_refs(lua_State *L, const struct value *v, lv_ref_fn ref)
{
	push_depth(L, v, 0, ref);
}

/* Is the table at idx an array 1..n (n >= 0)? */
static int is_array(lua_State *L, int idx, lua_Integer *n)
{
	lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
	lua_Integer count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (!lua_isinteger(L, -1)) {
			lua_pop(L, 1);
			return 0;
		}
		lua_Integer k = lua_tointeger(L, -1);
		if (k < 1 || k > len) {
			lua_pop(L, 1);
			return 0;
		}
		count++;
	}
	*n = len;
	return count == len;
}

/* First pass: raises on anything that cannot convert, so the second pass
 * never longjmps out of a half-built tree (which would leak it). */
static void check(lua_State *L, int idx, const char *what, int depth)
{
	idx = lua_absindex(L, idx);
	if (depth > MAX_DEPTH)
		luaL_error(L, "%s: nested deeper than %d levels (a table that contains itself?)", what,
		           MAX_DEPTH);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
	case LUA_TBOOLEAN:
	case LUA_TNUMBER:
	case LUA_TSTRING:
		return;
	case LUA_TUSERDATA:
		if (luaL_getmetafield(L, idx, LV_VIEW_FIELD) == LUA_TLIGHTUSERDATA) {
			lua_pop(L, 1);
			return;
		}
		break;
	case LUA_TFUNCTION: {
		int ok = lua_getfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_KEY) == LUA_TLIGHTUSERDATA;
		lua_pop(L, 1);
		if (ok)
			return;
		luaL_error(L, "%s: a function can only be a template lambda in page data made by "
		              "site hooks", what);
		return;
	}
	case LUA_TTABLE:
		luaL_checkstack(L, 6, "table too deep");
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			int kt = lua_type(L, -2);
			if (kt != LUA_TSTRING && kt != LUA_TNUMBER)
				luaL_error(L, "%s: table keys must be strings, found a %s", what,
				           luaL_typename(L, -2));
			check(L, -1, what, depth + 1);
			lua_pop(L, 1);
		}
		return;
	default:
		break;
	}
	luaL_error(L, "%s: cannot use a %s here", what, luaL_typename(L, idx));
}

static struct value *convert(lua_State *L, int idx);

struct pair {
	const char *key; /* a string key stays alive in the table */
	size_t len;
	char *own;       /* a number key's text, made here */
	struct value *v;
};

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* A table that is not a list: keys in sorted order, since Lua's table
 * order changes from run to run and output (JSON, templates over maps)
 * must not. */
static struct value *convert_map(lua_State *L, int idx)
{
	struct pair stack[16], *pairs = stack;
	size_t n = 0, cap = sizeof stack / sizeof stack[0];
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (n == cap) {
			cap *= 2;
			if (pairs == stack) {
				pairs = xmalloc(cap * sizeof *pairs);
				memcpy(pairs, stack, sizeof stack);
			} else {
				pairs = xrealloc(pairs, cap * sizeof *pairs);
			}
		}
		struct pair *p = &pairs[n++];
		p->own = NULL;
		if (lua_type(L, -2) == LUA_TSTRING) {
			p->key = lua_tolstring(L, -2, &p->len);
		} else { /* tolstring on the key itself would confuse lua_next */
			lua_pushvalue(L, -2);
			const char *k = lua_tolstring(L, -1, &p->len);
			p->own = xstrndup(k, p->len);
			p->key = p->own;
			lua_pop(L, 1);
		}
		p->v = convert(L, -1);
		lua_pop(L, 1);
	}
	qsort(pairs, n, sizeof *pairs, pair_cmp);
	struct value *map = val_map_sized(n);
	for (size_t i = 0; i < n; i++) {
		val_setn(map, pairs[i].key, pairs[i].len, pairs[i].v);
		free(pairs[i].own);
	}
	if (pairs != stack)
		free(pairs);
	return map;
}

static struct value *convert(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN: return val_bool(lua_toboolean(L, idx));
	case LUA_TNUMBER: return val_num((double)lua_tonumber(L, idx));
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		return val_str(s, len);
	}
	case LUA_TUSERDATA: {
		luaL_getmetafield(L, idx, LV_VIEW_FIELD);
		lv_view_fn fn = (lv_view_fn)lua_touserdata(L, -1);
		lua_pop(L, 1);
		const struct value *view = fn(L, idx);
		return view ? val_ref(view) : val_null();
	}
	case LUA_TFUNCTION: {
		lua_getfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_KEY);
		lv_lambda_fn make = (lv_lambda_fn)lua_touserdata(L, -1);
		lua_pop(L, 1);
		return make(L, idx);
	}
	case LUA_TTABLE: {
		lua_Integer n;
		/* an empty table is an empty list: "no items" is what it means in page
		 * data and front matter far more often than "no keys" */
		if (is_array(L, idx, &n)) {
			struct value *list = val_list_sized((size_t)n);
			for (lua_Integer i = 1; i <= n; i++) {
				lua_rawgeti(L, idx, i);
				val_push(list, convert(L, -1));
				lua_pop(L, 1);
			}
			return list;
		}
		return convert_map(L, idx);
	}
	default: return val_null();
	}
}

static int same_depth(lua_State *L, int idx, const struct value *v, int depth)
{
	if (depth > MAX_DEPTH || !lua_checkstack(L, 4))
		return 0;
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		return val_type(v) == VAL_BOOL && !val_get_bool(v) == !lua_toboolean(L, idx);
	case LUA_TNUMBER:
		return val_type(v) == VAL_NUM && val_get_num(v) == (double)lua_tonumber(L, idx);
	case LUA_TSTRING: {
		size_t len, vlen;
		const char *s = lua_tolstring(L, idx, &len);
		const char *t = val_type(v) == VAL_STR ? val_get_str(v, &vlen) : NULL;
		return t && len == vlen && memcmp(s, t, len) == 0;
	}
	case LUA_TTABLE: {
		lua_Integer n;
		if (is_array(L, idx, &n)) {
			if (val_type(v) != VAL_LIST || val_len(v) != (size_t)n)
				return 0;
			for (lua_Integer i = 1; i <= n; i++) {
				lua_rawgeti(L, idx, i);
				int same = same_depth(L, -1, val_at(v, (size_t)i - 1), depth + 1);
				lua_pop(L, 1);
				if (!same)
					return 0;
			}
			return 1;
		}
		if (val_type(v) != VAL_MAP)
			return 0;
		size_t count = 0;
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			size_t klen;
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &klen) : NULL;
			const struct value *item = k ? val_getn(v, k, klen) : NULL;
			if (!item || !same_depth(L, -1, item, depth + 1)) {
				lua_pop(L, 2);
				return 0;
			}
			count++;
			lua_pop(L, 1);
		}
		return count == val_len(v);
	}
	default:
		return 0;
	}
}

int lv_same(lua_State *L, int idx, const struct value *v)
{
	return same_depth(L, idx, v, 0);
}

struct value *lv_to_value(lua_State *L, int idx, const char *what)
{
	check(L, idx, what, 0);
	return convert(L, idx);
}
