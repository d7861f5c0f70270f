/* lua_walk.c: the filter walk over a cmark tree: a filter table's
 * functions by node type, called bottom-up (or top-down) with pandoc's
 * return semantics (ln_apply_result), `skip` and `when` honoured. The
 * nodes themselves and their ownership are lua_node.c; the parts of the
 * module share lua_node_private.h. No node is freed while a walk runs
 * (ln_walk_begin/end), so the raw sibling pointers here stay valid. */
#include "lua_node.h"

#include <lauxlib.h>
#include <string.h>

#include "lua_node_private.h"

/* One walk of one filter table: its functions by node type, looked up
 * once per walk instead of once per node. */
struct walk {
	int fns;      /* stack index of a table: node type number -> function */
	int extra;    /* stack index of the extra argument */
	int topdown;
	int depth;    /* nesting below the walk's root */
	int descend;  /* some function is for a node type below the Document */
	char has[32]; /* has[type]: the filter has a function for it */
	char skip[32]; /* filter.skip: the walk does not enter these nodes */
	/* filter.when[type]: call only if test(object, text) says so */
	const struct ln_when *when[32];
	void *when_object[32];
};


/* Calls the filter's function for n, if any; leaves its result on the
 * stack (nil when there is none). */
static void call_filter(lua_State *L, struct walk *w, cmark_node *n)
{
	int t = cmark_node_get_type(n);
	if (t < 0 || t >= 32 || !w->has[t]) {
		lua_pushnil(L);
		return;
	}
	if (w->when[t]) { /* a C-side test saves the Lua call for most nodes */
		const char *lit = cmark_node_get_literal(n);
		if (!lit || !w->when[t]->test(w->when_object[t], lit, strlen(lit))) {
			lua_pushnil(L);
			return;
		}
	}
	lua_rawgeti(L, w->fns, t);
	ln_push(L, n);
	lua_pushvalue(L, w->extra);
	lua_call(L, 2, 1);
}

static void walk_children(lua_State *L, struct walk *w, cmark_node *parent);

/* The walk goes into n's children unless the filter skips n's type. */
static void walk_inside(lua_State *L, struct walk *w, cmark_node *n)
{
	int t = cmark_node_get_type(n);
	if (w->descend && (t < 0 || t >= 32 || !w->skip[t]))
		walk_children(L, w, n);
}

/* Nodes the iterator enters without a matching exit. */
static int is_leaf(cmark_node_type t)
{
	switch (t) {
	case CMARK_NODE_HTML_BLOCK: case CMARK_NODE_THEMATIC_BREAK: case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_TEXT: case CMARK_NODE_SOFTBREAK: case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE: case CMARK_NODE_HTML_INLINE:
		return 1;
	default:
		return 0;
	}
}

int ln_too_deep(cmark_node *doc, int *line, int *col)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int depth = -1, found = 0; /* doc itself is at depth 0 */
	*line = *col = 0;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		int here = depth + 1;
		if (cmark_node_get_start_line(n) > 0) { /* inlines may have none */
			*line = cmark_node_get_start_line(n);
			*col = cmark_node_get_start_column(n);
		}
		if (here > LN_MAX_DEPTH)
			found = 1;
		else if (!is_leaf(cmark_node_get_type(n)))
			depth = here;
	}
	cmark_iter_free(it);
	return found;
}

static void walk_node(lua_State *L, struct walk *w, cmark_node *n)
{
	if (w->depth > LN_MAX_DEPTH)
		luaL_error(L, "the document is nested more than %d levels deep; filters stop here",
		           LN_MAX_DEPTH);
	int t = cmark_node_get_type(n);
	if (t >= 0 && t < 32 && !w->has[t]) {
		/* most nodes: no function to call, no result to apply */
		w->depth++;
		walk_inside(L, w, n);
		w->depth--;
		return;
	}
	luaL_checkstack(L, 8, "document too deep");
	w->depth++;
	int replaced = 0;
	if (w->topdown) {
		call_filter(L, w, n);
		int result = lua_gettop(L);
		ln_apply_result(L, n, result, &replaced);
		if (!replaced) {
			walk_inside(L, w, n);
		} else if (lua_istable(L, result)) {
			lua_Integer len = (lua_Integer)lua_rawlen(L, result);
			for (lua_Integer i = 1; i <= len; i++) {
				lua_rawgeti(L, result, i);
				walk_inside(L, w, ln_check(L, -1));
				lua_pop(L, 1);
			}
		} else {
			walk_inside(L, w, ln_check(L, result));
		}
		lua_pop(L, 1);
	} else {
		walk_inside(L, w, n);
		call_filter(L, w, n);
		ln_apply_result(L, n, lua_gettop(L), &replaced);
		lua_pop(L, 1);
	}
	w->depth--;
}

static void walk_children(lua_State *L, struct walk *w, cmark_node *parent)
{
	cmark_node *child = cmark_node_first_child(parent);
	while (child) {
		/* no node is freed during a walk (see struct ln_state), so this
		 * pointer stays valid whatever the filter does */
		cmark_node *next = cmark_node_next(child);
		walk_node(L, w, child);
		if (next && cmark_node_parent(next) != parent) {
			/* the filter moved the next sibling away: go on after the
			 * current node if it is still here, else stop at this level */
			next = cmark_node_parent(child) == parent ? cmark_node_next(child) : NULL;
		}
		child = next;
	}
}

/* The `when` test of the value at idx (see struct ln_when), or NULL. */
static const struct ln_when *when_test(lua_State *L, int idx)
{
	const struct ln_when *test = NULL;
	if (lua_type(L, idx) == LUA_TUSERDATA && lua_getmetatable(L, idx)) {
		lua_pushliteral(L, LN_WHEN);
		if (lua_rawget(L, -2) == LUA_TLIGHTUSERDATA)
			test = lua_touserdata(L, -1);
		lua_pop(L, 2);
	}
	return test;
}

static int is_topdown(lua_State *L, int filter)
{
	lua_getfield(L, filter, "traverse");
	const char *t = lua_tostring(L, -1);
	int top = t && !strcmp(t, "topdown");
	if (t && !top && strcmp(t, "bottomup"))
		luaL_error(L, "traverse: expected \"topdown\" or \"bottomup\", found \"%s\"", t);
	lua_pop(L, 1);
	return top;
}

/* One pass of one filter table over the tree below (and, when whole, at)
 * root. */
static void walk_one(lua_State *L, int filter, cmark_node *root, int extra, int whole)
{
	struct walk w = {.extra = extra, .topdown = is_topdown(L, filter)};
	lua_createtable(L, 32, 0);
	w.fns = lua_gettop(L);
	int any = 0;
	if (lua_getmetatable(L, filter)) {
		/* a filter may inherit functions through __index: ask for each */
		lua_pop(L, 1);
		for (int t = 0; t < 32; t++) {
			const char *name = ln_type_name_of(t);
			if (!name)
				continue;
			if (lua_getfield(L, filter, name) == LUA_TFUNCTION) {
				w.has[t] = 1;
				lua_rawseti(L, w.fns, t);
			} else {
				lua_pop(L, 1);
			}
		}
	} else {
		/* a plain table: its few keys, not a lookup per node type */
		lua_pushnil(L);
		while (lua_next(L, filter)) {
			if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TFUNCTION) {
				int t = ln_type_of_name(lua_tostring(L, -2));
				if (t >= 0) {
					w.has[t] = 1;
					lua_pushvalue(L, -1);
					lua_rawseti(L, w.fns, t);
				}
			}
			lua_pop(L, 1);
		}
	}
	for (int t = 0; t < 32; t++) {
		any |= w.has[t];
		/* a filter of the Document alone need not visit the rest */
		w.descend |= w.has[t] && t != CMARK_NODE_DOCUMENT;
	}
	/* when = { Text = briefing.matcher{...} }: the function runs only on
	 * nodes whose text holds one of the names (any value with an LN_WHEN
	 * test in its metatable; others are left out, as before) */
	if (lua_getfield(L, filter, "when") == LUA_TTABLE) {
		for (int t = 0; t < 32; t++) {
			const char *name = ln_type_name_of(t);
			if (!name || !ln_has_literal((cmark_node_type)t))
				continue;
			lua_getfield(L, -1, name);
			/* kept alive by the filter table */
			if ((w.when[t] = when_test(L, -1)))
				w.when_object[t] = lua_touserdata(L, -1);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	/* skip = { "Link", "Heading" }: nothing inside those nodes is walked */
	lua_getfield(L, filter, "skip");
	ln_check_types(L, lua_gettop(L), w.skip, "skip");
	lua_pop(L, 1);
	if (any) {
		if (whole)
			walk_node(L, &w, root);
		else
			walk_children(L, &w, root);
	}
	lua_pop(L, 1);
}

/* Runs a filter (a table of functions, or a list of such tables). */
static void walk_filters(lua_State *L, int filter, cmark_node *root, int extra, int whole)
{
	ln_walk_begin(L);
	if (lua_rawgeti(L, filter, 1) == LUA_TTABLE) {
		lua_pop(L, 1);
		lua_Integer len = (lua_Integer)lua_rawlen(L, filter);
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, filter, i);
			if (!lua_istable(L, -1))
				luaL_error(L, "filter list item %d is %s, expected a table", (int)i,
				           luaL_typename(L, -1));
			walk_one(L, lua_gettop(L), root, extra, whole);
			lua_pop(L, 1);
		}
	} else {
		lua_pop(L, 1);
		walk_one(L, filter, root, extra, whole);
	}
	ln_walk_end(L);
}

/* (filter, document, extra) -> () */
int ln_walk_k(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	cmark_node *doc = ln_check(L, 2);
	lua_settop(L, 3);
	ln_walk_reset(L); /* an earlier walk may have ended in an error */
	walk_filters(L, 1, doc, 3, 1);
	return 0;
}

/* node:walk(filter [, extra]) -> node. Walks the node's descendants. */
int ln_walk_method(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 3);
	walk_filters(L, 2, n, 3, 0);
	lua_settop(L, 1);
	return 1;
}

