/* lua_int.h: the inside of a Lua state (struct lb), shared by the files
 * of the lua_bridge module: lua_bridge.c (states, protected calls),
 * lua_scripts.c (the script list), lua_sandbox.c (allowlist and limits),
 * lua_briefing.c (the `briefing` module), lua_hooks.c (filters and site
 * hooks) and lua_steps.c (keyed steps). Not for the rest of the tool. */
#ifndef BRIEFING_LUA_INT_H
#define BRIEFING_LUA_INT_H

#include <lua.h>
#include <pthread.h>

#include "lua_bridge.h"
#include "lua_budget.h"
#include "slab.h"

struct lb_script {
	char *path;             /* as shown in messages */
	char *name;             /* file name, "mentions.lua" */
	struct value *options;  /* map or NULL */
};

struct lb_chunks;

struct lb_scripts {
	struct lb_script *list;
	size_t n;
	long long instruction_limit;
	size_t memory_limit;
	struct lb_chunks *chunks; /* what lb_load_chunk compiled */
};

/* Loads the Lua file at path as a chunk onto L's stack (luaL_loadfilex's
 * result): parsed from its text the first time the states of sc load it,
 * and from the bytecode that parse made (with its debug information, so
 * messages name the file and line) for every state after. Thread-safe. */
int lb_load_chunk(lua_State *L, const struct lb_scripts *sc, const char *path);

struct lb {
	lua_State *L;
	struct site *site;
	const struct lb_scripts *scripts;
	int main;
	int has_filters;        /* some script filters nodes */
	char *is_filter;        /* per script */
	size_t mem, mem_limit;
	size_t trim_at;         /* trim between steps after growing this much */
	size_t trimmed_at;      /* mem after the last lb_trim */
	struct slab slab;       /* the state's small blocks */
	long long count, limit; /* instructions in the current call */
	struct diag *cur;       /* where log.* and errors go now */
	int site_pushed;
	double *hook_time;      /* per script: seconds in its site hooks */
	int on_watchdog;        /* the budget is counted once a call runs long */
	struct budget_slot budget; /* with on_watchdog: this state's slot */
	pthread_mutex_t lambda_lock; /* template lambdas run from render threads */
};

/* The state's lb (kept in the state's extra space). */
struct lb *lb_of(lua_State *L);
/* Calls the function below nargs arguments in protected mode with a
 * traceback and the instruction budget; a failure is reported to d with
 * context ("while ...") and returns -1. */
int lb_call(struct lb *lb, int nargs, int nresults, struct diag *d, const char *context);
double lb_now(void);

/* lua_scripts.c: the path of scripts/NAME in the site, else in the tool's
 * scripts/, or NULL; caller frees. */
char *lb_find_script(const struct site *s, const char *name);

/* lua_sandbox.c: a new state for lb (its extra space pointing to lb) with
 * the memory cap, the instruction budget and the allowed libraries, or
 * NULL. lb_sandbox_close closes it and frees what it held. */
lua_State *lb_sandbox_open(struct lb *lb);
void lb_sandbox_close(struct lb *lb);

/* lua_briefing.c: [-0, +0] the global `briefing` (also kept in the
 * registry as "briefing.module"). */
void lb_open_briefing(struct lb *lb);

#endif
