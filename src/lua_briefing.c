/* lua_briefing.c: the `briefing` module scripts see: slugify, relative,
 * absolute_urls, date, data, content, json, fold, plain, terms, postings
 * (search terms, terms.h), log.*, version, the node
 * constructors (lua_node.h), matchers (lua_match.c) and, for filters,
 * briefing.site. Each function checks its arguments and raises errors
 * with luaL_error; none reaches outside the site folder. */
#include "lua_int.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "absurl.h"
#include "controls.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "markdown.h"
#include "yamlvalue.h"
#include "lua_match.h"
#include "lua_node.h"
#include "lua_site.h"
#include "jsonvalue.h"
#include "terms.h"
#include "lua_value.h"

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
	if (site_date_parse(lb_of(L)->site, s, &d) != 0) {
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
	size_t plen = strlen(path);
	if (fs_read(path, &text) != 0) {
		diag_error(d, path, 0, 0, "cannot read the file");
	} else {
		ctl_drop(&text, path, NULL); /* dropped without a word: data is not prose */
		if (plen > 5 && strcmp(path + plen - 5, ".json") == 0)
			v = jv_parse(text.ptr, text.len, path, d);
		else
			v = yv_parse(text.ptr, text.len, path, NULL, d);
	}
	buf_free(&text);
	free(path);
	if (!v) {
		/* "path:line:col: message": the error handler adds "error: " */
		struct diag_parts part;
		if (diag_parts(d, 0, &part) == 0 && part.path && part.message)
			lua_pushfstring(L, "%s:%d:%d: %s", part.path, part.line, part.col, part.message);
		else
			lua_pushstring(L, "bad data file");
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
		} else {
			ctl_drop(&text, path, NULL); /* reported by whoever reads the file for pages */
			if (fm_split(text.ptr, text.len, path, &parts, d) == 0)
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
			char *html = md_to_html(parts.body, parts.body_len, site_md_flags(s));
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

/* [-0, +1] pass (a terms.h text pass) over the string argument 1 */
static int push_pass(lua_State *L, void (*pass)(buf *, const char *, size_t))
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	buf b = BUF_INIT;
	pass(&b, s, len);
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

/* fold(text) -> text in ASCII lower case without accents, as the theme's
 * search.js folds a query (terms.h) */
static int l_fold(lua_State *L) { return push_pass(L, terms_fold); }

/* plain(html) -> text: each tag and entity a space */
static int l_plain(lua_State *L) { return push_pass(L, terms_plain); }

static void add_terms(lua_State *L, int index, struct terms *t)
{
	size_t len;
	if (lua_type(L, index) == LUA_TSTRING) {
		const char *s = lua_tolstring(L, index, &len);
		terms_add(t, s, len);
	}
}

/* terms(...) -> "term term ...": the search terms of every string
 * argument and every string in a list argument, folded, sorted by bytes,
 * each once. Other values are skipped, as fields a site may not set. */
static int l_terms(lua_State *L)
{
	int n = lua_gettop(L);
	struct terms t = TERMS_INIT;
	for (int i = 1; i <= n; i++) {
		if (lua_type(L, i) == LUA_TTABLE) {
			lua_Integer len = (lua_Integer)lua_rawlen(L, i);
			for (lua_Integer k = 1; k <= len; k++) {
				lua_rawgeti(L, i, k);
				add_terms(L, -1, &t);
				lua_pop(L, 1);
			}
		} else {
			add_terms(L, i, &t);
		}
	}
	buf b = BUF_INIT;
	terms_join(&t, &b);
	terms_free(&t);
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

/* __gc of a buf a C function fills while it may still raise a Lua error */
static int buf_gc(lua_State *L)
{
	buf_free(lua_touserdata(L, 1));
	return 0;
}

/* postings(list) -> {term = "0,3,1a", ...}: list[i] is the terms of
 * document i - 1, separated by spaces; each term's value is the documents
 * that hold it, ascending, delta-coded in base 36 (terms.h) */
static int l_postings(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	size_t n = (size_t)lua_rawlen(L, 1);
	/* both in Lua's memory, so that an error below frees them */
	struct terms_doc *docs = lua_newuserdatauv(L, (n ? n : 1) * sizeof *docs, 0);
	buf *out = lua_newuserdatauv(L, sizeof *out, 0);
	*out = (buf)BUF_INIT;
	if (luaL_newmetatable(L, "briefing.buf")) {
		lua_pushcfunction(L, buf_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	for (size_t i = 0; i < n; i++) {
		/* the strings stay alive in the list, which stays on the stack */
		if (lua_rawgeti(L, 1, (lua_Integer)i + 1) != LUA_TSTRING)
			return luaL_error(L, "briefing.postings: item %d of the list is a %s, not a string",
			                  (int)i + 1, luaL_typename(L, -1));
		docs[i].terms = lua_tolstring(L, -1, &docs[i].len);
		lua_pop(L, 1);
	}
	terms_postings(docs, n, out);
	int count = 0;
	for (const char *p = out->ptr, *end = out->ptr + out->len; p < end; p += strlen(p) + 1)
		count++;
	lua_createtable(L, 0, count / 2);
	for (const char *p = out->ptr, *end = out->ptr + out->len; p < end;) {
		size_t len = strlen(p);
		lua_pushlstring(L, p, len);
		p += len + 1;
		len = strlen(p);
		lua_pushlstring(L, p, len);
		p += len + 1;
		lua_rawset(L, -3);
	}
	buf_free(out);
	return 1;
}

/* log.warn([place,] ...), log.error, log.info -> (): the values, joined
 * by spaces, as a message at the calling script's line, or at place
 * {path, line, col} when the first argument is a table
 * (site:config_place gives one for site.yml). */
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

void lb_open_briefing(struct lb *lb)
{
	lua_State *L = lb->L;
	static const luaL_Reg fns[] = {
		{"slugify", l_slugify}, {"relative", l_relative}, {"date", l_date},
		{"absolute_urls", l_absolute_urls},
		{"data", l_data},       {"json", l_json},         {"content", l_content},
		{"fold", l_fold},       {"plain", l_plain},       {"terms", l_terms},
		{"postings", l_postings},
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
