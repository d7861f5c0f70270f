/* lua_sandbox.c: what a script may reach and how much it may use. The
 * libraries are an allowlist (base, string, table, math, utf8, os for
 * dates; no io, no bytecode, text-only load, require only from the
 * site's and the tool's scripts/); every allocation is capped per state;
 * every call runs on an instruction budget (counted from the first
 * instruction, or by the watchdog of lua_budget.c once a call runs long).
 * The `briefing` module is lua_briefing.c. */
#include "lua_int.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

#include "buf.h"

#define HOOK_STEP 1000
/* A budget this small could run out within the watchdog's grace period
 * (see lua_budget.h): it is counted from the first instruction instead. */
#define EXACT_UP_TO 50000000LL

/* Every allocation of the state goes through here: a cap per state keeps
 * one runaway filter from taking the machine down. */
static void *lb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lb *lb = ud;
	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		slab_realloc(&lb->slab, ptr, osize, 0);
		lb->mem -= osize;
		return NULL;
	}
	if (nsize > osize && lb->mem - osize + nsize > lb->mem_limit)
		return NULL;
	void *p = slab_realloc(&lb->slab, ptr, osize, nsize);
	if (p)
		lb->mem = lb->mem - osize + nsize;
	return p;
}

/* Every HOOK_STEP instructions of a counted call. */
static void count_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	struct lb *lb = lb_of(L);
	lb->count += HOOK_STEP;
	if (lb->count > lb->limit) {
		lb->count = 0; /* let the error handler run */
		luaL_where(L, 0);
		lua_pushfstring(L, "instruction limit exceeded (%I instructions; an endless loop?)",
		                (lua_Integer)lb->limit);
		lua_concat(L, 2);
		lua_error(L);
	}
}


/* print(...) goes to stderr: stdout belongs to the tool */
static int l_print(lua_State *L)
{
	int n = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);
		if (i > 1)
			fputc('\t', stderr);
		fwrite(s, 1, len, stderr);
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	return 0;
}

/* load(chunk [, name [, mode [, env]]]) with text chunks only */
static int l_load(lua_State *L)
{
	lua_settop(L, 4);
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.raw_load");
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushliteral(L, "t");
	int n = 3;
	if (!lua_isnone(L, 4) && !lua_isnil(L, 4)) {
		lua_pushvalue(L, 4);
		n = 4;
	}
	lua_call(L, n, 2);
	return 2;
}

/* require(name): a module from the site's or the tool's scripts/ */
static int l_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, "briefing.loaded");
	if (lua_getfield(L, -1, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	/* "lib.paginate" -> scripts/lib/paginate.lua; parts are plain names */
	int ok = *name && name[0] != '.';
	buf rel = BUF_INIT;
	for (const char *p = name; *p && ok; p++) {
		if (*p == '.') {
			ok = p[1] && p[1] != '.';
			buf_putc(&rel, '/');
		} else {
			ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-';
			buf_putc(&rel, *p);
		}
	}
	buf_puts(&rel, ".lua");
	char *path = ok ? lb_find_script(lb_of(L)->site, rel.ptr) : NULL;
	buf_free(&rel);
	if (!path)
		return luaL_error(L, "module \"%s\" not found in the site's or the tool's scripts/",
		                  name);
	int rc = lb_load_chunk(L, lb_of(L)->scripts, path);
	free(path);
	if (rc != LUA_OK)
		return lua_error(L);
	lua_pushstring(L, name);
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, name);
	return 1;
}

/* The libraries a script may use, less what reaches outside the state. */
static void open_libs(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
		{LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_OSLIBNAME, luaopen_os},
		{NULL, NULL},
	};
	for (const luaL_Reg *l = libs; l->func; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	/* os: time and dates only */
	lua_getglobal(L, "os");
	static const char *const os_off[] = {"execute", "exit", "getenv", "remove", "rename",
	                                     "setlocale", "tmpname", NULL};
	for (const char *const *k = os_off; *k; k++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *k);
	}
	lua_pop(L, 1);
	lua_getglobal(L, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	static const char *const base_off[] = {"dofile", "loadfile", NULL};
	for (const char *const *k = base_off; *k; k++) {
		lua_pushnil(L);
		lua_setglobal(L, *k);
	}
	/* the real load stays in the registry, out of scripts' reach */
	lua_getglobal(L, "load");
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.raw_load");
	static const luaL_Reg globals[] = {
		{"load", l_load}, {"print", l_print}, {"require", l_require}, {NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, globals, 0);
	lua_pop(L, 1);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.loaded");
}

lua_State *lb_sandbox_open(struct lb *lb)
{
	lua_State *L = lua_newstate(lb_alloc, lb);
	if (!L)
		return NULL;
	*(struct lb **)lua_getextraspace(L) = lb;
	const char *mb = getenv("BRIEFING_TRIM_MB"); /* a test trims after every step */
	char *end = NULL;
	long v = mb ? strtol(mb, &end, 10) : -1;
	lb->trim_at = v >= 0 && end && !*end ? (size_t)v << 20 : (size_t)64 << 20;
	if (lb->limit <= EXACT_UP_TO) {
		lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
	} else {
		budget_register(&lb->budget, L, count_hook, HOOK_STEP);
		lb->on_watchdog = 1;
	}
	lua_gc(L, LUA_GCGEN, 0, 0); /* many short-lived node userdata */
	open_libs(L);
	return L;
}

void lb_sandbox_close(struct lb *lb)
{
	if (lb->on_watchdog)
		budget_unregister(&lb->budget);
	lua_close(lb->L);
	slab_release(&lb->slab);
}
