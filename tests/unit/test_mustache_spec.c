/* The official Mustache spec, driven from its JSON files: one "ok"/"not ok"
 * line per test and a "# file: passed/total" line per file. Lambdas are Lua
 * functions (as in briefing), one per lambda test, listed below. */
#include <dirent.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

#include "../../src/fsutil.h"
#include "../../src/mustache.h"
#include "../../src/yamlvalue.h"
#include "test.h"

static const struct {
	const char *test, *lua;
} lambdas[] = {
	{"Interpolation", "return function() return 'world' end"},
	{"Interpolation - Expansion", "return function() return '{{planet}}' end"},
	{"Interpolation - Alternate Delimiters",
	 "return function() return '|planet| => {{planet}}' end"},
	{"Interpolation - Multiple Calls",
	 "local calls = 0 return function() calls = calls + 1 return calls end"},
	{"Escaping", "return function() return '>' end"},
	{"Section",
	 "return function(text) if text == '{{x}}' then return 'yes' else return 'no' end end"},
	{"Section - Expansion", "return function(text) return text .. '{{planet}}' .. text end"},
	{"Section - Alternate Delimiters",
	 "return function(text) return text .. '{{planet}} => |planet|' .. text end"},
	{"Section - Multiple Calls", "return function(text) return '__' .. text .. '__' end"},
	{"Inverted Section", "return function(text) return false end"},
};

struct lua_lambda {
	lua_State *L;
	int ref;
};

/* The val_func glue: calls the Lua function with the section text (or
 * nothing) and appends tostring(result). */
static int call_lua(void *ud, const char *text, size_t len, buf *out)
{
	struct lua_lambda *l = ud;
	lua_rawgeti(l->L, LUA_REGISTRYINDEX, l->ref);
	int nargs = 0;
	if (text) {
		lua_pushlstring(l->L, text, len);
		nargs = 1;
	}
	if (lua_pcall(l->L, nargs, 1, 0) != LUA_OK) {
		buf_puts(out, lua_tostring(l->L, -1));
		lua_pop(l->L, 1);
		return -1;
	}
	size_t n;
	const char *s = luaL_tolstring(l->L, -1, &n);
	buf_put(out, s, n);
	lua_pop(l->L, 2);
	return 0;
}

static void free_lua(void *ud)
{
	struct lua_lambda *l = ud;
	luaL_unref(l->L, LUA_REGISTRYINDEX, l->ref);
	free(l);
}

/* Replaces the spec's {"__tag__": "code", ...} maps with Lua lambdas. */
static struct value *with_lambdas(struct value *data, lua_State *L, const char *test)
{
	if (val_type(data) != VAL_MAP)
		return data;
	for (size_t i = 0; i < val_len(data); i++) {
		size_t klen;
		const char *k = val_key_at(data, i, &klen);
		struct value *v = val_at(data, i);
		const char *tag = val_get_cstr(v, "__tag__");
		if (!tag || strcmp(tag, "code") != 0)
			continue;
		const char *code = NULL;
		for (size_t j = 0; j < sizeof lambdas / sizeof lambdas[0]; j++)
			if (!strcmp(lambdas[j].test, test))
				code = lambdas[j].lua;
		if (!code || luaL_dostring(L, code) != LUA_OK)
			continue;
		struct lua_lambda *l = xmalloc(sizeof *l);
		l->L = L;
		l->ref = luaL_ref(L, LUA_REGISTRYINDEX);
		char *key = xstrndup(k, klen);
		val_set(data, key, val_func((struct val_func){call_lua, free_lua, l}));
		free(key);
	}
	return data;
}

static int run_file(const char *dir, const char *file, lua_State *L)
{
	char *path = fs_join(dir, file);
	buf text = BUF_INIT;
	struct diag *d = diag_new();
	int failed = 0, total = 0;
	if (fs_read(path, &text) != 0) {
		printf("not ok - %s: cannot read\n", file);
		free(path);
		return 1;
	}
	struct value *spec = yv_parse(text.ptr, text.len, path, NULL, d);
	struct value *tests = val_get(spec, "tests");
	for (size_t i = 0; i < val_len(tests); i++) {
		struct value *t = val_at(tests, i);
		const char *name = val_get_cstr(t, "name");
		const char *tmpl = val_get_cstr(t, "template");
		const char *want = val_get_cstr(t, "expected");
		struct mst_set *set = mst_set_new();
		struct diag *td = diag_new();
		mst_set_add(set, "(test)", tmpl, strlen(tmpl), "(test)", td);
		struct value *partials = val_get(t, "partials");
		for (size_t j = 0; j < val_len(partials); j++) {
			size_t klen, vlen;
			const char *k = val_key_at(partials, j, &klen);
			const char *v = val_get_str(val_at(partials, j), &vlen);
			char *key = xstrndup(k, klen);
			mst_set_add(set, key, v, vlen, key, td);
			free(key);
		}
		struct value *data = with_lambdas(val_take(t, "data"), L, name);
		const struct value *ctx[1] = {data};
		buf out = BUF_INIT;
		mst_render(set, "(test)", ctx, 1, &out, td);
		total++;
		if (strcmp(out.ptr, want) == 0 && diag_count(td, DIAG_ERROR) == 0) {
			printf("ok - %s: %s\n", file, name);
		} else {
			failed++;
			printf("not ok - %s: %s\n#   template: ", file, name);
			for (const char *p = tmpl; *p; p++)
				printf(*p == '\n' ? "\\n" : "%c", *p);
			printf("\n#   want: ");
			for (const char *p = want; *p; p++)
				printf(*p == '\n' ? "\\n" : "%c", *p);
			printf("\n#   got:  ");
			for (const char *p = out.ptr; *p; p++)
				printf(*p == '\n' ? "\\n" : "%c", *p);
			printf("\n");
			if (diag_count(td, DIAG_ERROR))
				printf("#   error: %s\n", diag_message(td, 0, NULL));
		}
		buf_free(&out);
		val_free(data);
		mst_set_free(set);
		diag_free(td);
	}
	printf("# %s: %d/%d passed\n", file, total - failed, total);
	val_free(spec);
	diag_free(d);
	buf_free(&text);
	free(path);
	return failed || total == 0;
}

int main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	if (!dir)
		dir = "../shared/corpora/mustache-spec/specs";
	DIR *dp = opendir(dir);
	if (!dp) {
		/* the spec lives beside the project (../shared); say so loudly */
		printf("ok - mustache spec # SKIP folder %s not found (set MUSTACHE_SPEC_DIR)\n", dir);
		return 0;
	}
	char *files[64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) && n < 64) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".json"))
			files[n++] = xstrdup(e->d_name);
	}
	closedir(dp);
	/* the files the engine implements: one that is missing is a skip that
	 * says so, not a smaller count that passes */
	static const char *const wanted[] = {"comments.json", "delimiters.json", "interpolation.json",
	                                     "inverted.json", "partials.json", "sections.json",
	                                     "~dynamic-names.json", "~inheritance.json",
	                                     "~lambdas.json"};
	for (size_t w = 0; w < sizeof wanted / sizeof *wanted; w++) {
		int have = 0;
		for (int i = 0; i < n && !have; i++)
			have = !strcmp(files[i], wanted[w]);
		if (!have)
			printf("ok - %s # SKIP not in %s\n", wanted[w], dir);
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(files[j], files[i]) < 0) {
				char *t = files[i];
				files[i] = files[j];
				files[j] = t;
			}
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		bad |= run_file(dir, files[i], L);
		free(files[i]);
	}
	lua_close(L);
	return bad;
}
