/* lua_match.c: finds known names in text, whole words only, longest name
 * first, left to right, without overlaps. A name is up to N words joined by
 * single spaces; a trailing possessive ("'s") or full stop is not part of
 * it. Words are split at whitespace, , ; : ! ? ( ) [ ] " and at curly
 * quotes, apostrophes and dashes. The names live in Lua tables (the
 * userdata's user values), so lookups are Lua's string hashing. */
#include "lua_match.h"

#include <lauxlib.h>
#include <string.h>

#define MATCHER_MT "briefing.Matcher"
#define MAX_WORDS 16

struct matcher {
	int max_words;
};

/* Width of the separator at s[i] (0 when s[i] starts a word byte). */
static int sep_width(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ',' ||
	    c == ';' || c == ':' || c == '!' || c == '?' || c == '(' || c == ')' || c == '[' ||
	    c == ']' || c == '"')
		return 1;
	/* U+2013 U+2014 dashes, U+2018 U+2019 U+201C U+201D quotes */
	if (c == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
	    (s[i + 2] == 0x93 || s[i + 2] == 0x94 || s[i + 2] == 0x98 || s[i + 2] == 0x99 ||
	     s[i + 2] == 0x9C || s[i + 2] == 0x9D))
		return 3;
	return 0;
}

static size_t word_end(const unsigned char *s, size_t len, size_t i)
{
	while (i < len && !sep_width(s, len, i))
		i++;
	return i;
}

/* Is s[a..b) (or it without "'s" or ".") in the table at t? Leaves the
 * matched string on the stack and returns its length, or returns 0. */
static size_t lookup(lua_State *L, int t, const char *s, size_t n)
{
	size_t tries[3] = {n, 0, 0};
	int k = 1;
	if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's')
		tries[k++] = n - 2;
	else if (n > 1 && (s[n - 1] == '.' || s[n - 1] == '\''))
		tries[k++] = n - 1;
	for (int i = 0; i < k; i++) {
		lua_pushlstring(L, s, tries[i]);
		if (lua_rawget(L, t) != LUA_TNIL) {
			lua_pop(L, 1);
			lua_pushlstring(L, s, tries[i]);
			return tries[i];
		}
		lua_pop(L, 1);
	}
	return 0;
}

/* briefing.matcher({names}) -> matcher */
static int l_matcher(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	struct matcher *m = lua_newuserdatauv(L, sizeof *m, 2);
	m->max_words = 1;
	luaL_setmetatable(L, MATCHER_MT);
	lua_newtable(L); /* names */
	lua_newtable(L); /* first words */
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i);
		size_t len;
		const char *name = lua_tolstring(L, -1, &len);
		if (!name || !len || lua_type(L, -1) != LUA_TSTRING)
			return luaL_error(L, "matcher: item %d is not a name", (int)i);
		lua_pushboolean(L, 1);
		lua_rawset(L, -4);
		const unsigned char *s = (const unsigned char *)name;
		size_t first = word_end(s, len, 0);
		int words = 1;
		for (size_t p = first; p < len; p++)
			words += s[p] == ' ';
		if (words > m->max_words)
			m->max_words = words > MAX_WORDS ? MAX_WORDS : words;
		lua_pushlstring(L, name, first);
		lua_pushboolean(L, 1);
		lua_rawset(L, -3);
	}
	lua_setiuservalue(L, -3, 2);
	lua_setiuservalue(L, -2, 1);
	return 1;
}

/* matcher:scan(text) -> {s1, e1, name1, s2, e2, name2, ...} (1-based,
 * inclusive byte positions) */
static int l_scan(lua_State *L)
{
	struct matcher *m = luaL_checkudata(L, 1, MATCHER_MT);
	size_t len;
	const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 2, &len);
	lua_settop(L, 2);
	lua_getiuservalue(L, 1, 1);
	lua_getiuservalue(L, 1, 2);
	int names = 3, firsts = 4;
	lua_newtable(L);
	int out = 5;
	lua_Integer n = 0;
	size_t i = 0;
	while (i < len) {
		int w = sep_width(s, len, i);
		if (w) {
			i += (size_t)w;
			continue;
		}
		size_t start = i, ends[MAX_WORDS];
		ends[0] = word_end(s, len, i);
		if (!lookup(L, firsts, (const char *)s + start, ends[0] - start)) {
			i = ends[0];
			continue;
		}
		lua_pop(L, 1);
		int k = 1;
		while (k < m->max_words && ends[k - 1] + 1 < len && s[ends[k - 1]] == ' ' &&
		       !sep_width(s, len, ends[k - 1] + 1)) {
			ends[k] = word_end(s, len, ends[k - 1] + 1);
			k++;
		}
		size_t next = ends[0];
		for (int j = k - 1; j >= 0; j--) {
			size_t got = lookup(L, names, (const char *)s + start, ends[j] - start);
			if (got) {
				lua_pushinteger(L, (lua_Integer)start + 1);
				lua_rawseti(L, out, ++n);
				lua_pushinteger(L, (lua_Integer)(start + got));
				lua_rawseti(L, out, ++n);
				lua_rawseti(L, out, ++n); /* the name, left by lookup */
				next = ends[j];
				break;
			}
		}
		i = next;
	}
	lua_settop(L, out);
	return 1;
}

void lm_open(lua_State *L)
{
	if (luaL_newmetatable(L, MATCHER_MT)) {
		lua_newtable(L);
		lua_pushcfunction(L, l_scan);
		lua_setfield(L, -2, "scan");
		lua_setfield(L, -2, "__index");
		lua_pushliteral(L, "Matcher");
		lua_setfield(L, -2, "__name");
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, l_matcher);
	lua_setfield(L, -2, "matcher");
}
