/* lua_value.c: conversions between value trees and Lua values. */
#include "lua_value.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
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

/* Lua -> value in one pass. Nothing here raises a Lua error: a problem
 * is recorded in the conv, the half-built tree is freed on the way out,
 * and lv_to_value raises once nothing is left to leak. */
enum conv_err { CONV_OK, CONV_DEPTH, CONV_KEY, CONV_FUNC, CONV_TYPE };

struct conv {
	lua_State *L;
	enum conv_err err;
	const char *err_type; /* the Lua type name the error is about */
	const void *view_mt;  /* the last metatable that had a view function */
	lv_view_fn view;
	int lambdas;          /* -1 not looked up yet, 0 none, 1 make is set */
	lv_lambda_fn make;
};

struct pair {
	const char *key;  /* a string key stays alive in the table */
	size_t len;
	lua_Integer ikey; /* an integer key, when key is NULL */
	struct value *v;
	char *text;       /* a number key in a map, as Lua writes it (made here) */
};

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void free_pairs(struct pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		val_free(pairs[i].v);
		free(pairs[i].text);
	}
}

/* A number key of a map, written as tostring() writes it (3, 2.5, 1e+20):
 * the pair's key is then a copy of text. */
static void set_key_text(struct pair *p, const char *text)
{
	p->text = xstrdup(text);
	p->key = p->text;
	p->len = strlen(p->text);
}

static void float_key(lua_State *L, int idx, struct pair *p)
{
	char text[64];
	snprintf(text, sizeof text - 2, LUA_NUMBER_FMT, (LUAI_UACNUMBER)lua_tonumber(L, idx));
	if (text[strspn(text, "-0123456789")] == '\0')
		strcat(text, ".0");
	set_key_text(p, text);
}

static void integer_key(struct pair *p)
{
	char text[32];
	snprintf(text, sizeof text, LUA_INTEGER_FMT, (LUAI_UACINT)p->ikey);
	set_key_text(p, text);
}

static struct value *convert(struct conv *c, int idx, int depth);

static struct value *convert_table(struct conv *c, int idx, int depth)
{
	lua_State *L = c->L;
	if (depth > MAX_DEPTH || !lua_checkstack(L, 4)) {
		c->err = CONV_DEPTH;
		return NULL;
	}
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	struct pair stack[24], *pairs = stack; /* most tables are small */
	size_t np = 0, cap = sizeof stack / sizeof stack[0];
	int array = 1; /* keys so far are 1..n */
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		int kt = lua_type(L, -2);
		if (kt != LUA_TSTRING && kt != LUA_TNUMBER) {
			c->err = CONV_KEY;
			c->err_type = luaL_typename(L, -2);
			lua_pop(L, 2);
			break;
		}
		if (np == cap) {
			cap *= 2;
			if (pairs == stack) {
				pairs = xmalloc(cap * sizeof *pairs);
				memcpy(pairs, stack, sizeof stack);
			} else {
				pairs = xrealloc(pairs, cap * sizeof *pairs);
			}
		}
		struct pair *p = &pairs[np];
		p->key = NULL;
		p->len = 0;
		p->ikey = 0;
		p->text = NULL;
		if (kt == LUA_TSTRING)
			p->key = lua_tolstring(L, -2, &p->len);
		else if (lua_isinteger(L, -2))
			p->ikey = lua_tointeger(L, -2);
		else
			float_key(L, -2, p);
		if (p->key || p->ikey < 1 || p->ikey > n)
			array = 0;
		p->v = convert(c, -1, depth + 1);
		lua_pop(L, 1);
		if (!p->v) {
			lua_pop(L, 1);
			break;
		}
		np++;
	}
	struct value *out = NULL;
	if (c->err) {
		free_pairs(pairs, np);
	} else if (array && (lua_Integer)np == n) {
		/* an empty table is an empty list: "no items" is what it means in
		 * page data and front matter far more often than "no keys". Items
		 * come in key order from the array part, so this sort is a check. */
		for (size_t i = 1; i < np; i++)
			for (size_t j = i; j > 0 && pairs[j - 1].ikey > pairs[j].ikey; j--) {
				struct pair t = pairs[j];
				pairs[j] = pairs[j - 1];
				pairs[j - 1] = t;
			}
		out = val_list_sized(np);
		for (size_t i = 0; i < np; i++)
			val_push(out, pairs[i].v);
	} else {
		/* keys in sorted order: Lua's table order changes from run to run,
		 * and output (JSON, templates over maps) must not */
		for (size_t i = 0; i < np; i++)
			if (!pairs[i].key)
				integer_key(&pairs[i]);
		qsort(pairs, np, sizeof *pairs, pair_cmp);
		out = val_map_sized(np);
		for (size_t i = 0; i < np; i++) {
			val_setn(out, pairs[i].key, pairs[i].len, pairs[i].v);
			free(pairs[i].text);
		}
	}
	if (pairs != stack)
		free(pairs);
	return out;
}

static struct value *convert(struct conv *c, int idx, int depth)
{
	lua_State *L = c->L;
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TNIL: return val_null();
	case LUA_TBOOLEAN: return val_bool(lua_toboolean(L, idx));
	case LUA_TNUMBER: return val_num((double)lua_tonumber(L, idx));
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		return val_str(s, len);
	}
	case LUA_TTABLE: return convert_table(c, idx, depth);
	case LUA_TUSERDATA:
		if (lua_getmetatable(L, idx)) {
			const void *mt = lua_topointer(L, -1);
			if (mt != c->view_mt) {
				lua_pushliteral(L, LV_VIEW_FIELD);
				int t = lua_rawget(L, -2);
				c->view = t == LUA_TLIGHTUSERDATA ? (lv_view_fn)lua_touserdata(L, -1) : NULL;
				c->view_mt = c->view ? mt : NULL;
				lua_pop(L, 1);
			}
			lua_pop(L, 1);
			if (c->view_mt == mt) {
				const struct value *view = c->view(L, idx);
				return view ? val_ref(view) : val_null();
			}
		}
		break;
	case LUA_TFUNCTION:
		if (c->lambdas < 0) {
			lua_getfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_KEY);
			c->make = (lv_lambda_fn)lua_touserdata(L, -1);
			c->lambdas = c->make != NULL;
			lua_pop(L, 1);
		}
		if (c->lambdas)
			return c->make(L, idx);
		c->err = CONV_FUNC;
		return NULL;
	default: break;
	}
	c->err = CONV_TYPE;
	c->err_type = luaL_typename(L, idx);
	return NULL;
}

struct value *lv_to_value(lua_State *L, int idx, const char *what)
{
	struct conv c = {.L = L, .lambdas = -1};
	struct value *v = convert(&c, idx, 0);
	switch (c.err) {
	case CONV_OK: return v;
	case CONV_DEPTH:
		luaL_error(L, "%s: nested deeper than %d levels (a table that contains itself?)", what,
		           MAX_DEPTH);
		break;
	case CONV_KEY:
		luaL_error(L, "%s: table keys must be strings, found a %s", what, c.err_type);
		break;
	case CONV_FUNC:
		luaL_error(L, "%s: a function can only be a template lambda in page data made by "
		              "site hooks", what);
		break;
	case CONV_TYPE: luaL_error(L, "%s: cannot use a %s here", what, c.err_type); break;
	}
	return NULL;
}

int lv_same(lua_State *L, int idx, const struct value *v)
{
	return same_depth(L, idx, v, 0);
}
