/* lua_scripts.c: which filter scripts a site runs, in order, with their
 * options and the state limits of site.yml `lua:`; also where a script
 * or a required module is found. Reads site.yml's value tree only; the
 * states that run the scripts are lua_bridge.c. */
#include "lua_bridge.h"
#include "lua_int.h"

#include <ctype.h>
#include <lauxlib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"

#define DEFAULT_INSTRUCTIONS 200000000LL /* per call: seconds of work, not hours */
#define DEFAULT_MEMORY_MB 512

char *lb_find_script(const struct site *s, const char *name)
{
	char *rel = xasprintf("scripts/%s", name);
	char *path = site_path(s, rel);
	free(rel);
	if (fs_exists(path))
		return path;
	free(path);
	if (s->tool_dir) {
		char *dir = fs_join(s->tool_dir, "scripts");
		path = fs_join(dir, name);
		free(dir);
		if (fs_exists(path))
			return path;
		free(path);
	}
	return NULL;
}

static int script_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 5 || strcmp(name + n - 4, ".lua") != 0 || name[0] == '.')
		return 0;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	return 1;
}

static void add_script(struct lb_scripts *sc, char *path, const char *name,
                       const struct value *options)
{
	sc->list = xrealloc(sc->list, (sc->n + 1) * sizeof *sc->list);
	sc->list[sc->n].path = path;
	sc->list[sc->n].name = xstrdup(name);
	sc->list[sc->n].options = options ? val_copy(options) : NULL;
	sc->n++;
}

/* No `filters:` list: the *.lua of the tool and of the site, in name order. */
static void default_scripts(const struct site *s, struct lb_scripts *sc)
{
	size_t nt = 0, ns = 0;
	char *tool = s->tool_dir ? fs_join(s->tool_dir, "scripts") : NULL;
	char *own = site_path(s, "scripts");
	char **tnames = tool ? fs_list(tool, script_name_ok, &nt) : NULL;
	char **snames = fs_list(own, script_name_ok, &ns);
	/* the tool's scripts first (a site script of the same name replaces
	 * one in place), then the site's other scripts */
	for (size_t i = 0; i < nt; i++) {
		int replaced = 0;
		for (size_t j = 0; j < ns; j++)
			replaced |= strcmp(snames[j], tnames[i]) == 0;
		add_script(sc, fs_join(replaced ? own : tool, tnames[i]), tnames[i], NULL);
	}
	for (size_t j = 0; j < ns; j++) {
		int seen = 0;
		for (size_t i = 0; i < nt; i++)
			seen |= strcmp(snames[j], tnames[i]) == 0;
		if (!seen)
			add_script(sc, fs_join(own, snames[j]), snames[j], NULL);
	}
	fs_free_names(tnames, nt);
	fs_free_names(snames, ns);
	free(tool);
	free(own);
}

/* site.yml `lua:`: the instruction budget per call and the memory cap. */
static void read_limits(const struct site *s, struct lb_scripts *sc, const char *yml,
                        struct diag *d)
{
	sc->instruction_limit = DEFAULT_INSTRUCTIONS;
	sc->memory_limit = (size_t)DEFAULT_MEMORY_MB << 20;
	const struct value *lua = val_get(s->cfg.yaml, "lua");
	if (!lua || val_type(lua) != VAL_MAP)
		return;
	const struct value *v = val_get(lua, "instruction_limit");
	if (v && (val_type(v) != VAL_NUM || val_get_num(v) < 1000 || val_get_num(v) > 1e15))
		diag_error(d, yml, val_line(v), val_col(v),
		           "lua.instruction_limit: expected a number from 1000 to 10^15");
	else if (v)
		sc->instruction_limit = (long long)val_get_num(v);
	v = val_get(lua, "memory_limit_mb");
	if (v && (val_type(v) != VAL_NUM || val_get_num(v) < 8 || val_get_num(v) > 65536))
		diag_error(d, yml, val_line(v), val_col(v),
		           "lua.memory_limit_mb: expected a number from 8 to 65536");
	else if (v)
		sc->memory_limit = (size_t)val_get_num(v) << 20;
}

/* site.yml `filters:`, a list of names or {script:, options:}, in order. */
static void listed_scripts(const struct site *s, struct lb_scripts *sc,
                           const struct value *filters, const char *yml, struct diag *d)
{
	for (size_t i = 0; i < val_len(filters); i++) {
		const struct value *f = val_at(filters, i), *options = NULL;
		const char *name = val_get_str(f, NULL);
		if (val_type(f) == VAL_MAP) {
			name = val_get_cstr(f, "script");
			options = val_get(f, "options");
			if (options && val_type(options) != VAL_MAP && val_type(options) != VAL_NULL) {
				diag_error(d, yml, val_line(options), val_col(options),
				           "filters: options must be a map, found a %s",
				           val_type_name(val_type(options)));
				continue;
			}
		}
		if (!name) {
			diag_error(d, yml, val_line(f), val_col(f),
			           "filters: expected a script name or {script: NAME, options: {...}}");
			continue;
		}
		char *path = script_name_ok(name) ? lb_find_script(s, name) : NULL;
		if (!path) {
			diag_error(d, yml, val_line(f), val_col(f),
			           "filters: no script \"%s\" in the site's or the tool's scripts/ folder",
			           name);
			continue;
		}
		add_script(sc, path, name, options);
	}
}

/* ---- compiled chunks ---- */

/* The bytecode of each file loaded so far: every state of a build loads
 * the same scripts and modules, and parsing them (3,300 lines of the
 * default scripts) took 3 ms a state. */
struct lb_chunks {
	pthread_mutex_t lock;
	struct lb_chunk {
		char *path;
		buf bytes;
	} *v;
	size_t n, cap;
};

static int put_bytes(lua_State *L, const void *p, size_t n, void *ud)
{
	(void)L;
	buf_put(ud, p, n);
	return 0;
}

/* The chunk of path, or NULL; under the lock. */
static const struct lb_chunk *find_chunk(const struct lb_chunks *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].path, path) == 0)
			return &c->v[i];
	return NULL;
}

int lb_load_chunk(lua_State *L, const struct lb_scripts *sc, const char *path)
{
	struct lb_chunks *c = sc->chunks;
	pthread_mutex_lock(&c->lock);
	const struct lb_chunk *known = find_chunk(c, path);
	if (known) {
		/* (the bytes never change once listed; the list may move) */
		const char *bytes = known->bytes.ptr;
		size_t len = known->bytes.len;
		pthread_mutex_unlock(&c->lock);
		char *name = xasprintf("@%s", path);
		int rc = luaL_loadbufferx(L, bytes, len, name, "b");
		free(name);
		return rc;
	}
	pthread_mutex_unlock(&c->lock);
	int rc = luaL_loadfilex(L, path, "t");
	if (rc != LUA_OK)
		return rc;
	buf bytes = BUF_INIT;
	if (lua_dump(L, put_bytes, &bytes, 0) != 0 || !bytes.len) {
		buf_free(&bytes);
		return rc;
	}
	pthread_mutex_lock(&c->lock);
	if (!find_chunk(c, path)) { /* (another thread may have listed it since) */
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 32;
			c->v = xrealloc(c->v, c->cap * sizeof *c->v);
		}
		c->v[c->n++] = (struct lb_chunk){xstrdup(path), bytes};
	} else {
		buf_free(&bytes);
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

static void chunks_free(struct lb_chunks *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
		buf_free(&c->v[i].bytes);
	}
	free(c->v);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

struct lb_scripts *lb_scripts_new(const struct site *s, struct diag *d)
{
	struct lb_scripts *sc = xcalloc(1, sizeof *sc);
	sc->chunks = xcalloc(1, sizeof *sc->chunks);
	pthread_mutex_init(&sc->chunks->lock, NULL);
	char *yml = site_path(s, "site.yml");
	int errors = diag_count(d, DIAG_ERROR);
	read_limits(s, sc, yml, d);
	const struct value *filters = val_get(s->cfg.yaml, "filters");
	if (val_type(filters) == VAL_LIST)
		listed_scripts(s, sc, filters, yml, d);
	else
		default_scripts(s, sc);
	free(yml);
	if (diag_count(d, DIAG_ERROR) > errors) {
		lb_scripts_free(sc);
		return NULL;
	}
	return sc;
}

void lb_scripts_free(struct lb_scripts *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->n; i++) {
		free(sc->list[i].path);
		free(sc->list[i].name);
		val_free(sc->list[i].options);
	}
	free(sc->list);
	chunks_free(sc->chunks);
	free(sc);
}

size_t lb_scripts_count(const struct lb_scripts *sc)
{
	return sc->n;
}

const char *lb_script_path(const struct lb_scripts *sc, size_t i)
{
	return i < sc->n ? sc->list[i].path : NULL;
}
