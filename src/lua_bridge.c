/* lua_bridge.c: the life of a Lua state (lb_new loads every script,
 * lb_free closes it), protected calls with a traceback whose failures
 * become path:line diagnostics, and template lambdas. What a state may
 * reach is lua_sandbox.c, the `briefing` module lua_briefing.c, the
 * script list lua_scripts.c, and the calls into scripts lua_hooks.c and
 * lua_steps.c. */
#include "lua_bridge.h"
#include "lua_int.h"

#include <ctype.h>
#include <pthread.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua_site.h"
#include "lua_value.h"

double lb_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct lb *lb_of(lua_State *L)
{
	return *(struct lb **)lua_getextraspace(L);
}

/* Message handler: the message plus a traceback. */
static int msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			msg = lua_tostring(L, -1);
		else
			msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* In a traceback, the colon after the path of the first Lua frame
 * ("\n\tpath:12: in ..."), or NULL. */
static const char *caller_position(const char *msg)
{
	for (const char *p = strstr(msg, "\n\t"); p; p = strstr(p + 1, "\n\t")) {
		const char *line = p + 2;
		if (line[0] == '[') /* "[C]: in ..." */
			continue;
		const char *colon = strchr(line, ':');
		const char *nl = strchr(line, '\n');
		if (colon && (!nl || colon < nl) && isdigit((unsigned char)colon[1]))
			return colon;
	}
	return NULL;
}

/* Turns "path:12: message\ntraceback" into a path:line diagnostic. */
static void report(struct diag *d, const char *msg, const char *context)
{
	const char *p = msg, *colon = NULL;
	while ((p = strchr(p, ':'))) {
		const char *q = p + 1;
		while (isdigit((unsigned char)*q))
			q++;
		if (q > p + 1 && q[0] == ':' && q[1] == ' ') {
			colon = p;
			break;
		}
		p++;
		if (strchr(msg, '\n') && p > strchr(msg, '\n'))
			break;
	}
	if (colon) {
		char *path = xstrndup(msg, (size_t)(colon - msg));
		int line = atoi(colon + 1);
		const char *rest = strchr(colon + 1, ':') + 2;
		diag_error(d, path, line, 0, "%s\n%s", rest, context);
		free(path);
	} else if ((colon = caller_position(msg)) != NULL) {
		/* raised by a C function: the Lua line that called it */
		const char *start = colon;
		while (start > msg && start[-1] != '\t')
			start--;
		char *path = xstrndup(start, (size_t)(colon - start));
		diag_error(d, path, atoi(colon + 1), 0, "%s\n%s", msg, context);
		free(path);
	} else {
		diag_error(d, NULL, 0, 0, "%s\n%s", msg, context);
	}
}

/* lua_pcall with the call's instruction budget started (and, for a
 * state on the watchdog, the watchdog told). */
static int budget_pcall(struct lb *lb, int nargs, int nresults, int msgh)
{
	lb->count = 0;
	if (lb->on_watchdog)
		budget_begin(&lb->budget);
	int rc = lua_pcall(lb->L, nargs, nresults, msgh);
	if (lb->on_watchdog)
		budget_end(&lb->budget);
	return rc;
}

int lb_call(struct lb *lb, int nargs, int nresults, struct diag *d, const char *context)
{
	lua_State *L = lb->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, msgh);
	lua_insert(L, base);
	struct diag *saved = lb->cur;
	lb->cur = d;
	int rc = budget_pcall(lb, nargs, nresults, base);
	lb->cur = saved;
	if (rc != LUA_OK) {
		report(d, lua_tostring(L, -1) ? lua_tostring(L, -1) : "unknown Lua error", context);
		lua_pop(L, 2);
		return -1;
	}
	lua_remove(L, base);
	return 0;
}

static const char *const node_types[] = {
	"Document", "BlockQuote", "List", "Item", "CodeBlock", "HtmlBlock", "CustomBlock",
	"Paragraph", "Heading", "ThematicBreak", "Text", "SoftBreak", "LineBreak", "Code",
	"HtmlInline", "CustomInline", "Emph", "Strong", "Link", "Image", NULL,
};

/* Does the script table at idx filter nodes? */
static int is_node_filter(lua_State *L, int idx)
{
	if (lua_rawgeti(L, idx, 1) == LUA_TTABLE) {
		lua_pop(L, 1);
		return 1;
	}
	lua_pop(L, 1);
	for (const char *const *t = node_types; *t; t++) {
		int f = lua_getfield(L, idx, *t) == LUA_TFUNCTION;
		lua_pop(L, 1);
		if (f)
			return 1;
	}
	return 0;
}

/* ---- template lambdas ---- */

struct lambda {
	struct lb *lb;
	int ref; /* the function, in the registry (released by lua_close) */
};

/* VAL_FUNC call: runs the Lua function on whichever render thread asks,
 * one call at a time. Returns the template text it gives. */
static int lambda_call(void *ud, const char *text, size_t len, buf *out)
{
	struct lambda *lam = ud;
	struct lb *lb = lam->lb;
	pthread_mutex_lock(&lb->lambda_lock);
	lua_State *L = lb->L;
	int top = lua_gettop(L);
	lua_pushcfunction(L, msgh);
	lua_rawgeti(L, LUA_REGISTRYINDEX, lam->ref);
	if (text)
		lua_pushlstring(L, text, len);
	int rc = budget_pcall(lb, text ? 1 : 0, 1, top + 1);
	if (rc != LUA_OK) {
		buf_puts(out, lua_tostring(L, -1) ? lua_tostring(L, -1) : "error");
	} else if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
		size_t n;
		const char *s = lua_tolstring(L, -1, &n);
		buf_put(out, s, n);
	} else if (!lua_isnil(L, -1) && lua_toboolean(L, -1)) {
		buf_printf(out, "a lambda must return a string, found %s", luaL_typename(L, -1));
		rc = -1;
	}
	lua_settop(L, top);
	pthread_mutex_unlock(&lb->lambda_lock);
	return rc == LUA_OK ? 0 : -1;
}

/* lv_lambda_push_fn: a lambda of this state back as its function. */
static int push_lambda(lua_State *L, const struct val_func *fn)
{
	if (!fn || fn->call != lambda_call || ((struct lambda *)fn->ud)->lb != lb_of(L))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, ((struct lambda *)fn->ud)->ref);
	return 1;
}

/* lv_lambda_fn: wraps the function at idx (main state only). */
static struct value *make_lambda(lua_State *L, int idx)
{
	struct lambda *lam = xmalloc(sizeof *lam);
	lam->lb = lb_of(L);
	lua_pushvalue(L, idx);
	lam->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return val_func((struct val_func){lambda_call, free, lam});
}

/* [-0, +1] Runs a script's chunk with its options as `...` and pushes
 * the table it returns ({} for nil). -1 after reporting to d (the stack
 * is then left as it is: the state is about to be closed). */
static int load_script(struct lb *lb, const struct lb_script *script, struct diag *d)
{
	lua_State *L = lb->L;
	if (lb_load_chunk(L, lb->scripts, script->path) != LUA_OK) {
		report(d, lua_tostring(L, -1), "while loading the script");
		return -1;
	}
	if (script->options)
		lv_push(L, script->options);
	else
		lua_pushnil(L);
	char *context = xasprintf("while loading %s", script->path);
	int rc = lb_call(lb, 1, 1, d, context);
	free(context);
	if (rc != 0)
		return -1;
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
	}
	if (!lua_istable(L, -1)) {
		diag_error(d, script->path, 0, 0,
		           "a filter script must return a table of functions, found a %s",
		           luaL_typename(L, -1));
		return -1;
	}
	return 0;
}

struct lb *lb_new(struct site *s, const struct lb_scripts *sc, int main, struct diag *d)
{
	struct lb *lb = xcalloc(1, sizeof *lb);
	lb->site = s;
	lb->scripts = sc;
	lb->main = main;
	lb->mem_limit = sc->memory_limit;
	lb->limit = sc->instruction_limit;
	lb->L = lb_sandbox_open(lb);
	if (!lb->L) {
		diag_error(d, NULL, 0, 0, "cannot create a Lua state");
		slab_release(&lb->slab);
		free(lb);
		return NULL;
	}
	lua_State *L = lb->L;
	pthread_mutex_init(&lb->lambda_lock, NULL);
	if (main) {
		lua_pushlightuserdata(L, (void *)(lv_lambda_fn)make_lambda);
		lua_setfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_KEY);
		lua_pushlightuserdata(L, (void *)(lv_lambda_push_fn)push_lambda);
		lua_setfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_PUSH_KEY);
	}
	lb->cur = d;
	ls_open(L);
	lb_open_briefing(lb);
	lb->is_filter = xcalloc(sc->n ? sc->n : 1, 1);
	lb->hook_time = xcalloc(sc->n ? sc->n : 1, sizeof(double));
	lua_createtable(L, (int)sc->n, 0);
	int scripts = lua_gettop(L);
	for (size_t i = 0; i < sc->n; i++) {
		if (load_script(lb, &sc->list[i], d) != 0) {
			lb_free(lb);
			return NULL;
		}
		lb->is_filter[i] = (char)is_node_filter(L, -1);
		lb->has_filters |= lb->is_filter[i];
		lua_rawseti(L, scripts, (lua_Integer)i + 1);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.scripts");
	lb->cur = NULL;
	return lb;
}

void lb_free(struct lb *lb)
{
	if (!lb)
		return;
	lb_sandbox_close(lb);
	pthread_mutex_destroy(&lb->lambda_lock);
	free(lb->is_filter);
	free(lb->hook_time);
	free(lb);
}
