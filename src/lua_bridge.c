/* lua_bridge.c: creating, sandboxing and calling Lua states. Everything a
 * script can reach is listed here: a subset of the base, string, table,
 * math, utf8 and os libraries, and the `briefing` module. */
#include "lua_bridge.h"
#include "lua_int.h"

#include <ctype.h>
#include <pthread.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "absurl.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "markdown.h"
#include "yamlvalue.h"
#include "lua_match.h"
#include "lua_node.h"
#include "lua_site.h"
#include "lua_value.h"
#include "lua_budget.h"
#include "slab.h"

#define DEFAULT_INSTRUCTIONS 200000000LL /* per call: seconds of work, not hours */
#define DEFAULT_MEMORY_MB 512
#define HOOK_STEP 1000
/* A budget this small could run out within the watchdog's grace period
 * (see lua_budget.h): it is counted from the first instruction instead. */
#define EXACT_UP_TO 50000000LL

/* ---- the script list ---- */

static char *find_script(const struct site *s, const char *name)
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

/* Sorted *.lua names in dir (caller frees). */
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

struct lb_scripts *lb_scripts_new(const struct site *s, struct diag *d)
{
	struct lb_scripts *sc = xcalloc(1, sizeof *sc);
	char *yml = site_path(s, "site.yml");
	int errors = diag_count(d, DIAG_ERROR);
	sc->instruction_limit = DEFAULT_INSTRUCTIONS;
	sc->memory_limit = (size_t)DEFAULT_MEMORY_MB << 20;
	const struct value *lua = val_get(s->cfg.yaml, "lua");
	if (lua && val_type(lua) == VAL_MAP) {
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
	const struct value *filters = val_get(s->cfg.yaml, "filters");
	if (val_type(filters) != VAL_LIST) {
		default_scripts(s, sc);
		free(yml);
		if (diag_count(d, DIAG_ERROR) > errors) {
			lb_scripts_free(sc);
			return NULL;
		}
		return sc;
	}
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
		char *path = script_name_ok(name) ? find_script(s, name) : NULL;
		if (!path) {
			diag_error(d, yml, val_line(f), val_col(f),
			           "filters: no script \"%s\" in the site's or the tool's scripts/ folder",
			           name);
			continue;
		}
		add_script(sc, path, name, options);
	}
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

/* ---- the state ---- */

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

/* Runs the function below nargs arguments at the top in protected mode with
 * a traceback and the instruction budget. Reports failures to d. */
/* lua_pcall with the call's instruction budget started (and, for a
 * watched state, the watchdog told). */
static int budget_pcall(struct lb *lb, int nargs, int nresults, int msgh)
{
	lb->count = 0;
	if (lb->watched)
		budget_begin(&lb->watch);
	int rc = lua_pcall(lb->L, nargs, nresults, msgh);
	if (lb->watched)
		budget_end(&lb->watch);
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

/* ---- the briefing module ---- */

/* (text) -> slug */
static int l_slugify(lua_State *L)
{
	char *s = slugify(luaL_checkstring(L, 1));
	lua_pushstring(L, s);
	free(s);
	return 1;
}

/* (from_url, to_url) -> relative link from one page to another */
static int l_relative(lua_State *L)
{
	const char *from = luaL_checkstring(L, 1), *to = luaL_checkstring(L, 2);
	buf b = BUF_INIT;
	/* from where the page really is: "articles/x.html" without clean URLs */
	char *public = site_public_url(lb_of(L)->site, from);
	url_root(&b, public);
	free(public);
	buf_puts(&b, to);
	if (!b.len)
		buf_puts(&b, "./");
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

/* (html, base) -> html with every href and src resolved against base */
static int l_absolute_urls(lua_State *L)
{
	size_t len;
	const char *html = luaL_checklstring(L, 1, &len);
	const char *base = luaL_checkstring(L, 2);
	if (!url_is_absolute(base))
		return luaL_argerror(L, 2, lua_pushfstring(L, "expected an absolute URL such as "
		                                              "\"https://example.org/x/\", found \"%s\"",
		                                              base));
	buf b = BUF_INIT;
	html_absolute_urls(&b, html, len, base);
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

/* (text) -> {year, month, day, hour, minute, second, date, iso, display,
 * timestamp} or nil, message */
static int l_date(lua_State *L)
{
	const char *s = luaL_checkstring(L, 1);
	struct date d;
	if (date_parse(s, lb_of(L)->site->cfg.tz_offset_min, &d) != 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "expected YYYY-MM-DD or RFC 3339, found \"%s\"", s);
		return 2;
	}
	lua_createtable(L, 0, 10);
	const struct { const char *k; int v; } nums[] = {
		{"year", d.year}, {"month", d.month}, {"day", d.day},
		{"hour", d.hour}, {"minute", d.min}, {"second", d.sec},
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		lua_pushinteger(L, nums[i].v);
		lua_setfield(L, -2, nums[i].k);
	}
	buf b = BUF_INIT;
	date_put_day(&b, &d);
	lua_pushlstring(L, b.ptr, b.len);
	lua_setfield(L, -2, "date");
	buf_reset(&b);
	date_put_iso(&b, &d);
	lua_pushlstring(L, b.ptr, b.len);
	lua_setfield(L, -2, "iso");
	buf_reset(&b);
	date_put_display_lang(&b, &d, lb_of(L)->site->cfg.language);
	lua_pushlstring(L, b.ptr, b.len);
	lua_setfield(L, -2, "display");
	buf_free(&b);
	lua_pushinteger(L, (lua_Integer)d.epoch);
	lua_setfield(L, -2, "timestamp");
	return 1;
}

/* (name) -> the value of data/NAME (.yml, .yaml or .json), or an error.
 * Only plain names inside the site's data/ folder. */
static int l_data(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	if (!*name || strchr(name, '/') || strchr(name, '\\') || name[0] == '.')
		return luaL_error(L, "briefing.data: expected a file name in data/, found \"%s\"", name);
	struct site *s = lb_of(L)->site;
	static const char *const exts[] = {"", ".yml", ".yaml", ".json"};
	char *path = NULL;
	for (size_t i = 0; i < 4 && !path; i++) {
		char *rel = xasprintf("data/%s%s", name, exts[i]);
		path = site_path(s, rel);
		free(rel);
		if (!fs_exists(path) || fs_is_dir(path)) {
			free(path);
			path = NULL;
		}
	}
	if (!path)
		return luaL_error(L, "briefing.data: no data/%s(.yml|.yaml|.json) in the site", name);
	if (!fs_inside(s->cfg.dir, path)) {
		lua_pushfstring(L, "briefing.data: %s is a symlink to outside the site folder; "
		                "refusing to follow it", path);
		free(path);
		return lua_error(L);
	}
	buf text = BUF_INIT;
	struct diag *d = diag_new();
	struct value *v = NULL;
	if (fs_read(path, &text) == 0)
		v = yv_parse(text.ptr, text.len, path, NULL, d);
	else
		diag_error(d, path, 0, 0, "cannot read the file");
	buf_free(&text);
	free(path);
	if (!v) {
		lua_pushstring(L, diag_message(d, 0, NULL) ? diag_message(d, 0, NULL) : "bad data file");
		diag_free(d);
		return lua_error(L);
	}
	diag_free(d);
	lv_push(L, v);
	val_free(v);
	return 1;
}

static int is_md(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/* (folder) -> {{slug=, path=, line=, meta={...}, content=html}, ...}: the
 * Markdown files of content/FOLDER (not recursive), sorted by name; {} when
 * the folder does not exist. For kinds of content the engine does not know
 * (edition front pages, organisations): the scripts give them meaning. A
 * file that does not parse raises an error naming it. */
static int l_content(lua_State *L)
{
	const char *folder = luaL_checkstring(L, 1);
	if (!*folder || strchr(folder, '/') || strchr(folder, '\\') || folder[0] == '.' ||
	    !strcmp(folder, "articles"))
		return luaL_error(L, "briefing.content: expected a folder name in content/ (not "
		                     "articles), found \"%s\"", folder);
	struct site *s = lb_of(L)->site;
	char *rel = xasprintf("content/%s", folder);
	char *dir = site_path(s, rel);
	free(rel);
	size_t n = 0;
	char **names = fs_list(dir, is_md, &n);
	lua_createtable(L, (int)n, 0);
	int list = lua_gettop(L);
	struct diag *d = diag_new();
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i]);
		buf text = BUF_INIT;
		struct fm_parts parts;
		struct value *meta = NULL;
		if (fs_read(path, &text) != 0) {
			diag_error(d, path, 0, 0, "cannot read the file");
		} else if (fm_split(text.ptr, text.len, path, &parts, d) == 0) {
			meta = yv_front_matter(&parts, path, d);
		}
		if (meta) {
			lua_createtable(L, 0, 5);
			lua_pushlstring(L, names[i], strlen(names[i]) - 3);
			lua_setfield(L, -2, "slug");
			lua_pushstring(L, path);
			lua_setfield(L, -2, "path");
			lua_pushinteger(L, parts.body_line);
			lua_setfield(L, -2, "line");
			lv_push(L, meta);
			lua_setfield(L, -2, "meta");
			char *html = md_to_html(parts.body, parts.body_len, s->cfg.unsafe);
			lua_pushstring(L, html);
			free(html);
			lua_setfield(L, -2, "content");
			lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
			val_free(meta);
		}
		buf_free(&text);
		free(path);
		if (diag_message(d, 0, NULL))
			break;
	}
	fs_free_names(names, n);
	free(dir);
	if (diag_message(d, 0, NULL)) {
		lua_pushstring(L, diag_message(d, 0, NULL));
		diag_free(d);
		return lua_error(L);
	}
	diag_free(d);
	return 1;
}

/* (value) -> JSON text (tables as objects or arrays; "<", ">", "&" escaped
 * so the text is safe inside HTML too) */
static int l_json(lua_State *L)
{
	luaL_checkany(L, 1);
	struct value *v = lv_to_value(L, 1, "briefing.json");
	buf b = BUF_INIT;
	val_to_json(&b, v);
	val_free(v);
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

/* ([place,] ...) -> (): the arguments joined by spaces, reported at the
 * calling script's line, or at place {path, line, col} when the first
 * argument is a table (site:config_place gives one for site.yml). */
static int l_log(lua_State *L, enum diag_level level)
{
	struct lb *lb = lb_of(L);
	int n = lua_gettop(L);
	int first = lua_istable(L, 1) ? 2 : 1;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = first; i <= n; i++) {
		if (i > first)
			luaL_addchar(&b, ' ');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	const char *msg = lua_tostring(L, -1);
	const char *path = NULL;
	int line = 0, col = 0;
	lua_Debug ar;
	if (first == 2) {
		lua_getfield(L, 1, "path");
		lua_getfield(L, 1, "line");
		lua_getfield(L, 1, "col");
		path = lua_tostring(L, -3); /* stays on the stack until we return */
		line = (int)lua_tointeger(L, -2);
		col = (int)lua_tointeger(L, -1);
	} else if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.source[0] == '@') {
		path = ar.source + 1;
		line = ar.currentline;
	}
	if (lb->cur)
		diag_add(lb->cur, level, path, line, col, "%s", msg);
	else if (col > 0)
		fprintf(stderr, "%s:%d:%d: %s\n", path ? path : "lua", line, col, msg);
	else
		fprintf(stderr, "%s:%d: %s\n", path ? path : "lua", line, msg);
	return 0;
}
static int l_warn(lua_State *L) { return l_log(L, DIAG_WARNING); }
static int l_error(lua_State *L) { return l_log(L, DIAG_ERROR); }
static int l_info(lua_State *L) { return l_log(L, DIAG_NOTE); }

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
	char *path = ok ? find_script(lb_of(L)->site, rel.ptr) : NULL;
	buf_free(&rel);
	if (!path)
		return luaL_error(L, "module \"%s\" not found in the site's or the tool's scripts/",
		                  name);
	int rc = luaL_loadfilex(L, path, "t");
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

static void open_sandbox(lua_State *L)
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
	lua_register(L, "load", l_load);
	lua_register(L, "print", l_print);
	lua_register(L, "require", l_require);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.loaded");
}

static void open_briefing(lua_State *L, struct lb *lb)
{
	static const luaL_Reg fns[] = {
		{"slugify", l_slugify}, {"relative", l_relative}, {"date", l_date},
		{"absolute_urls", l_absolute_urls},
		{"data", l_data},       {"json", l_json},         {"content", l_content},
		{NULL, NULL},
	};
	luaL_newlib(L, fns);
	static const luaL_Reg log[] = {
		{"warn", l_warn}, {"error", l_error}, {"info", l_info}, {NULL, NULL},
	};
	luaL_newlib(L, log);
	lua_setfield(L, -2, "log");
	lua_pushstring(L, BRIEFING_VERSION);
	lua_setfield(L, -2, "version");
	ln_open(L);
	lm_open(L);
	if (!lb->main) {
		/* what filters see: they run before resolve, so only the entities
		 * with files (steps get a site table of their own) */
		ls_push_site(L, lb->site, 0);
		lua_setfield(L, -2, "site");
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, "briefing.module");
	lua_setglobal(L, "briefing");
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

struct lb *lb_new(struct site *s, const struct lb_scripts *sc, int main, struct diag *d)
{
	struct lb *lb = xcalloc(1, sizeof *lb);
	lb->site = s;
	lb->scripts = sc;
	lb->main = main;
	lb->mem_limit = sc->memory_limit;
	lb->limit = sc->instruction_limit;
	lb->L = lua_newstate(lb_alloc, lb);
	if (!lb->L) {
		diag_error(d, NULL, 0, 0, "cannot create a Lua state");
		slab_release(&lb->slab);
		free(lb);
		return NULL;
	}
	lua_State *L = lb->L;
	*(struct lb **)lua_getextraspace(L) = lb;
	if (lb->limit <= EXACT_UP_TO) {
		lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
	} else {
		budget_register(&lb->watch, L, count_hook, HOOK_STEP);
		lb->watched = 1;
	}
	lua_gc(L, LUA_GCGEN, 0, 0); /* many short-lived node userdata */
	pthread_mutex_init(&lb->lambda_lock, NULL);
	if (main) {
		lua_pushlightuserdata(L, (void *)(lv_lambda_fn)make_lambda);
		lua_setfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_KEY);
		lua_pushlightuserdata(L, (void *)(lv_lambda_push_fn)push_lambda);
		lua_setfield(L, LUA_REGISTRYINDEX, LV_LAMBDA_PUSH_KEY);
	}
	lb->cur = d;
	open_sandbox(L);
	ls_open(L);
	open_briefing(L, lb);
	lb->is_filter = xcalloc(sc->n ? sc->n : 1, 1);
	lb->hook_time = xcalloc(sc->n ? sc->n : 1, sizeof(double));
	lua_createtable(L, (int)sc->n, 0);
	int scripts = lua_gettop(L);
	for (size_t i = 0; i < sc->n; i++) {
		const struct lb_script *script = &sc->list[i];
		if (luaL_loadfilex(L, script->path, "t") != LUA_OK) {
			report(d, lua_tostring(L, -1), "while loading the script");
			lb_free(lb);
			return NULL;
		}
		if (script->options)
			lv_push(L, script->options);
		else
			lua_pushnil(L);
		char *context = xasprintf("while loading %s", script->path);
		int rc = lb_call(lb, 1, 1, d, context);
		free(context);
		if (rc != 0) {
			lb_free(lb);
			return NULL;
		}
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			lua_newtable(L);
		}
		if (!lua_istable(L, -1)) {
			diag_error(d, script->path, 0, 0,
			           "a filter script must return a table of functions, found a %s",
			           luaL_typename(L, -1));
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
	if (lb->watched)
		budget_unregister(&lb->watch);
	lua_close(lb->L);
	slab_release(&lb->slab);
	pthread_mutex_destroy(&lb->lambda_lock);
	free(lb->is_filter);
	free(lb->hook_time);
	free(lb);
}

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
	struct hook_call hc = {.hook = hook, .page = p, .html = html};
	char *context = xasprintf("while running %s() for page \"%s\"", hook, p->url);
	int rc = item_hook(lb, &hc, d, context);
	free(context);
	return rc;
}
