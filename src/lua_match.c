/* lua_match.c: briefing.matcher(names) -> a matcher with :scan(text) and
 * :find(node [, options]), the Lua face of match.c; and the `when` test
 * the node walk runs in C before calling a filter (lua_node.h, LN_WHEN).
 * Every function here starts with the Lua stack it takes and gives. */
#include "lua_match.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lua_node.h"
#include "match.h"

#define MATCHER_MT "briefing.Matcher"

/* The userdata: the C matcher, and what find found before any of it
 * becomes a Lua value (a Lua error then cannot leave a cmark iterator or
 * a C array behind). Both are freed by __gc. */
struct lmatcher {
	struct matcher *m;
	struct found {
		cmark_node *node, *end_node; /* end_node: where a wrapped name ends */
		size_t start, len, end;      /* end: in end_node, just past the name */
	} *found;
	size_t found_cap;
	buf run;          /* the text of Text nodes joined across soft breaks */
	struct piece {
		cmark_node *node;
		size_t at; /* where its literal starts in run */
	} *pieces;
	size_t pieces_cap;
};

/* (matcher) -> () */
static int matcher_gc(lua_State *L)
{
	struct lmatcher *u = lua_touserdata(L, 1);
	match_free(u->m);
	free(u->found);
	buf_free(&u->run);
	free(u->pieces);
	u->m = NULL;
	u->found = NULL;
	u->pieces = NULL;
	u->found_cap = u->pieces_cap = 0;
	return 0;
}

/* briefing.matcher({names}) -> matcher */
static int l_matcher(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_rawgeti(L, 1, i) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
			return luaL_error(L, "matcher: item %d is not a name", (int)i);
		lua_pop(L, 1);
	}
	struct lmatcher *u = lua_newuserdatauv(L, sizeof *u, 0);
	memset(u, 0, sizeof *u);
	buf_init(&u->run);
	luaL_setmetatable(L, MATCHER_MT);
	u->m = match_new();
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i);
		size_t len;
		const char *name = lua_tolstring(L, -1, &len);
		match_add(u->m, name, len);
		lua_pop(L, 1);
	}
	return 1;
}

/* The walk's `when` test (struct ln_when): does the node's text hold a
 * name? Keeps the matches, so the filter's own matcher:scan of the same
 * text (the usual next step) does not scan it again. */
static int when_test(void *object, const char *text, size_t len)
{
	struct lmatcher *u = object;
	return match_test(u->m, text, len);
}

static const struct ln_when matcher_when = {when_test};

/* Pushes a name as the text holds it, a line break as a space. */
static void push_name(lua_State *L, const char *s, size_t len)
{
	if (!memchr(s, '\n', len)) {
		lua_pushlstring(L, s, len);
		return;
	}
	luaL_Buffer b;
	char *p = luaL_buffinitsize(L, &b, len);
	for (size_t i = 0; i < len; i++)
		p[i] = s[i] == '\n' ? ' ' : s[i];
	luaL_pushresultsize(&b, len);
}

/* matcher:scan(text) -> {s1, e1, name1, s2, e2, name2, ...} (1-based,
 * inclusive byte positions), or nil when nothing matched */
static int l_scan(lua_State *L)
{
	struct lmatcher *u = luaL_checkudata(L, 1, MATCHER_MT);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	int out = 0;
	lua_Integer n = 0;
	size_t pos = 0, start, got, h = 0, n_hits = 0;
	const struct match_hit *hits = NULL;
	/* the text the node walk just tested: its matches are known */
	int known = match_last(u->m, s, len, &hits, &n_hits);
	for (;;) {
		if (known) {
			if (h == n_hits)
				break;
			start = hits[h].start;
			got = hits[h++].len;
		} else if (!(got = match_next(u->m, s, len, &pos, &start))) {
			break;
		}
		if (!out) {
			lua_createtable(L, known ? (int)n_hits * 3 : 3, 0);
			out = lua_gettop(L);
		}
		lua_pushinteger(L, (lua_Integer)start + 1);
		lua_rawseti(L, out, ++n);
		lua_pushinteger(L, (lua_Integer)(start + got));
		lua_rawseti(L, out, ++n);
		push_name(L, s + start, got);
		lua_rawseti(L, out, ++n);
	}
	if (!out)
		lua_pushnil(L);
	return 1;
}

/* Sets one field of the table at the top of the stack to an integer. */
static void set_int(lua_State *L, const char *key, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, key);
}

/* The options of find: {skip = {node types}, once = boolean}. */
static void find_options(lua_State *L, int idx, char skip[32], int *once)
{
	*once = 0;
	if (lua_isnoneornil(L, idx))
		return;
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		if (key && !strcmp(key, "skip"))
			ln_check_types(L, lua_gettop(L), skip, "find: skip");
		else if (key && !strcmp(key, "once"))
			*once = lua_toboolean(L, -1);
		else
			luaL_error(L, "find: unknown option %s (expected skip or once)",
			           key ? lua_pushfstring(L, "\"%s\"", key) : luaL_typename(L, -2));
		lua_pop(L, 1);
	}
}

/* The Text node after a soft break after node, or NULL: where a
 * hard-wrapped paragraph goes on. */
static cmark_node *wrapped_next(cmark_node *node)
{
	cmark_node *br = cmark_node_next(node);
	if (!br || cmark_node_get_type(br) != CMARK_NODE_SOFTBREAK)
		return NULL;
	cmark_node *next = cmark_node_next(br);
	return next && cmark_node_get_type(next) == CMARK_NODE_TEXT ? next : NULL;
}

/* Joins the Text nodes from first across soft breaks into u->run ("\n"
 * for each break), noting where each starts; returns the last node. */
static cmark_node *join_run(struct lmatcher *u, cmark_node *first, size_t *n_pieces)
{
	buf_truncate(&u->run, 0);
	size_t n = 0;
	for (cmark_node *t = first; t; t = wrapped_next(t)) {
		if (n == u->pieces_cap) {
			u->pieces_cap = u->pieces_cap ? u->pieces_cap * 2 : 8;
			u->pieces = xrealloc(u->pieces, u->pieces_cap * sizeof *u->pieces);
		}
		if (n)
			buf_putc(&u->run, '\n');
		u->pieces[n++] = (struct piece){t, u->run.len};
		buf_puts(&u->run, cmark_node_get_literal(t));
	}
	*n_pieces = n;
	return u->pieces[n - 1].node;
}

/* The piece of u->run that holds byte at (the last one starting at or
 * before it). */
static const struct piece *piece_at(const struct lmatcher *u, size_t n, size_t at)
{
	size_t i = 0;
	while (i + 1 < n && u->pieces[i + 1].at <= at)
		i++;
	return &u->pieces[i];
}

static void add_found(struct lmatcher *u, size_t *n, struct found f)
{
	if (*n == u->found_cap) {
		u->found_cap = u->found_cap ? u->found_cap * 2 : 16;
		u->found = xrealloc(u->found, u->found_cap * sizeof *u->found);
	}
	u->found[(*n)++] = f;
}

/* matcher:find(node [, {skip = {types}, once = true}]) -> {{node = Text,
 * first = i, last = j, name = s [, last_node = Text]}, ...}: every match
 * in the Text nodes at or below node, in document order, positions in
 * each node's text as for scan; nothing below a node whose type is in
 * skip; with once, only the first match of each name. A name that a
 * soft break splits (a hard-wrapped paragraph: Text, SoftBreak, Text) is
 * one match: it starts at first in node and ends at last in last_node,
 * and its name has a space for the break. One call instead of a Lua
 * function per Text node. */
static int l_find(lua_State *L)
{
	struct lmatcher *u = luaL_checkudata(L, 1, MATCHER_MT);
	cmark_node *root = ln_check(L, 2);
	char skip[32] = {0};
	int once;
	find_options(L, 3, skip, &once);
	if (once)
		match_once_begin(u->m);
	size_t n = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		int t = cmark_node_get_type(node);
		if (node != root && t >= 0 && t < 32 && skip[t]) {
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			continue;
		}
		const char *text = t == CMARK_NODE_TEXT ? cmark_node_get_literal(node) : NULL;
		if (!text)
			continue;
		size_t n_pieces = 1;
		if (node != root && wrapped_next(node)) { /* scan the joined text */
			cmark_node *last = join_run(u, node, &n_pieces);
			cmark_iter_reset(it, last, CMARK_EVENT_ENTER);
			text = u->run.ptr;
		}
		size_t len = n_pieces > 1 ? u->run.len : strlen(text), pos = 0, start, got;
		while ((got = once ? match_next_once(u->m, text, len, &pos, &start)
		                   : match_next(u->m, text, len, &pos, &start))) {
			if (n_pieces == 1) {
				add_found(u, &n, (struct found){node, NULL, start, got, 0});
				continue;
			}
			const struct piece *a = piece_at(u, n_pieces, start),
			                   *b = piece_at(u, n_pieces, start + got - 1);
			add_found(u, &n, (struct found){a->node, a == b ? NULL : b->node,
			                                start - a->at, got, start + got - b->at});
		}
	}
	cmark_iter_free(it);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		const struct found *f = &u->found[i];
		lua_createtable(L, 0, 5);
		ln_push(L, f->node);
		lua_setfield(L, -2, "node");
		set_int(L, "first", (lua_Integer)f->start + 1);
		const char *lit = cmark_node_get_literal(f->node) + f->start;
		if (f->end_node) { /* the name as the joined text had it */
			buf name = BUF_INIT;
			buf_puts(&name, lit);
			for (cmark_node *t = wrapped_next(f->node); t; t = wrapped_next(t)) {
				buf_putc(&name, '\n');
				if (t == f->end_node) {
					buf_put(&name, cmark_node_get_literal(t), f->end);
					break;
				}
				buf_puts(&name, cmark_node_get_literal(t));
			}
			push_name(L, name.ptr, name.len);
			buf_free(&name);
			lua_setfield(L, -2, "name");
			ln_push(L, f->end_node);
			lua_setfield(L, -2, "last_node");
			set_int(L, "last", (lua_Integer)f->end);
		} else {
			set_int(L, "last", (lua_Integer)(f->start + f->len));
			push_name(L, lit, f->len);
			lua_setfield(L, -2, "name");
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

void lm_open(lua_State *L)
{
	static const luaL_Reg methods[] = {{"scan", l_scan}, {"find", l_find}, {NULL, NULL}};
	static const luaL_Reg meta[] = {{"__gc", matcher_gc}, {NULL, NULL}};
	if (luaL_newmetatable(L, MATCHER_MT)) {
		luaL_setfuncs(L, meta, 0);
		luaL_newlib(L, methods);
		lua_setfield(L, -2, "__index");
		lua_pushliteral(L, "Matcher");
		lua_setfield(L, -2, "__name");
		lua_pushlightuserdata(L, (void *)&matcher_when);
		lua_setfield(L, -2, LN_WHEN);
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, l_matcher);
	lua_setfield(L, -2, "matcher");
}
