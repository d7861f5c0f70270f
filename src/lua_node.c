/* lua_node.c: cmark nodes as Lua userdata: one userdata per node, who
 * owns which node, and checked tree edits. What scripts read and call on
 * a node is lua_node_fields.c, the constructors lua_node_new.c, the filter
 * walk lua_walk.c; they share lua_node_private.h.
 * Ownership rule (the invariant everything here keeps): a node with a
 * parent belongs to its tree; a node without a parent belongs to its
 * userdata (owned = 1) unless it is a document the C side holds. */
#include "lua_node.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lua_node_private.h"

#define NODE_MT "briefing.Node"
/* Registry keys are the addresses of these (a lookup by pointer is cheaper
 * than by name, and push_ud runs for every node a filter sees). */
static const char cache_key; /* weak values: lightuserdata(node) -> userdata */

struct lnode {
	cmark_node *node; /* NULL once the tree is released */
	int owned;
};

static const char *const type_names[] = {
	[CMARK_NODE_NONE] = "None",
	[CMARK_NODE_DOCUMENT] = "Document",
	[CMARK_NODE_BLOCK_QUOTE] = "BlockQuote",
	[CMARK_NODE_LIST] = "List",
	[CMARK_NODE_ITEM] = "Item",
	[CMARK_NODE_CODE_BLOCK] = "CodeBlock",
	[CMARK_NODE_HTML_BLOCK] = "HtmlBlock",
	[CMARK_NODE_CUSTOM_BLOCK] = "CustomBlock",
	[CMARK_NODE_PARAGRAPH] = "Paragraph",
	[CMARK_NODE_HEADING] = "Heading",
	[CMARK_NODE_THEMATIC_BREAK] = "ThematicBreak",
	[CMARK_NODE_TEXT] = "Text",
	[CMARK_NODE_SOFTBREAK] = "SoftBreak",
	[CMARK_NODE_LINEBREAK] = "LineBreak",
	[CMARK_NODE_CODE] = "Code",
	[CMARK_NODE_HTML_INLINE] = "HtmlInline",
	[CMARK_NODE_CUSTOM_INLINE] = "CustomInline",
	[CMARK_NODE_EMPH] = "Emph",
	[CMARK_NODE_STRONG] = "Strong",
	[CMARK_NODE_LINK] = "Link",
	[CMARK_NODE_IMAGE] = "Image",
};

/* The node type a filter key names ("Link"), or -1. */
int ln_type_of_name(const char *name)
{
	for (int t = 0; t < 32 && t < (int)(sizeof type_names / sizeof type_names[0]); t++)
		if (type_names[t] && !strcmp(type_names[t], name))
			return t;
	return -1;
}

const char *ln_type_name_of(int t)
{
	return t >= 0 && t < (int)(sizeof type_names / sizeof type_names[0]) ? type_names[t] : NULL;
}

const char *ln_type_name(cmark_node *n)
{
	int t = cmark_node_get_type(n);
	if (t < 0 || t >= (int)(sizeof type_names / sizeof type_names[0]) || !type_names[t])
		return "None";
	return type_names[t];
}

/* "a Paragraph", "an Emph" */
const char *ln_article_for(const char *name)
{
	return strchr("AEIOU", name[0]) ? "an" : "a";
}

void ln_check_types(lua_State *L, int idx, char types[32], const char *what)
{
	if (lua_isnoneornil(L, idx))
		return;
	if (!lua_istable(L, idx))
		luaL_error(L, "%s: expected a list of node types, found %s", what,
		           luaL_typename(L, idx));
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, idx, i);
		const char *name = lua_tostring(L, -1);
		int t = name ? ln_type_of_name(name) : -1;
		if (t < 0)
			luaL_error(L, "%s: item %d: expected a node type such as \"Link\", found %s",
			           what, (int)i,
			           name ? lua_pushfstring(L, "\"%s\"", name) : luaL_typename(L, -1));
		types[t] = 1;
		lua_pop(L, 1);
	}
}

/* ---- per-state bookkeeping ---- */

static const char state_key;
static void free_deferred(lua_State *L);

/* While a walk runs, no node is freed: a finalizer that would free a
 * removed subtree queues it instead, so the walk's raw pointers to
 * siblings stay valid without pinning every node in Lua. */
struct ln_state {
	int walking;
	cmark_node **deferred;
	size_t n, cap;
};

static struct ln_state *get_state(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &state_key);
	struct ln_state *st = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return st;
}

/* __gc of the state (last of all at lua_close): whatever is still queued. */
static int state_gc(lua_State *L)
{
	struct ln_state *st = lua_touserdata(L, 1);
	for (size_t i = 0; i < st->n; i++)
		if (!cmark_node_parent(st->deferred[i]))
			cmark_node_free(st->deferred[i]);
	free(st->deferred);
	st->deferred = NULL;
	st->n = st->cap = 0;
	return 0;
}

/* The walk says when it starts and ends (walks nest: node:walk inside a
 * filter); deferred subtrees are freed when the outermost one ends. */
void ln_walk_begin(lua_State *L)
{
	get_state(L)->walking++;
}

void ln_walk_end(lua_State *L)
{
	struct ln_state *st = get_state(L);
	if (--st->walking == 0)
		free_deferred(L);
}

/* An earlier walk ended in a Lua error and never said it ended. */
void ln_walk_reset(lua_State *L)
{
	struct ln_state *st = get_state(L);
	if (st->walking) {
		st->walking = 0;
		free_deferred(L);
	}
}

/* ---- userdata and the cache ---- */

/* The node metatable is also kept under this address in the registry: a
 * lookup by pointer, cheaper than luaL_checkudata's by name, and filters
 * read node fields very often. */
static const char node_mt_key;

/* [-0, +0] The node userdata at idx, or NULL. */
static struct lnode *test_ud(lua_State *L, int idx)
{
	struct lnode *u = lua_touserdata(L, idx);
	if (!u || !lua_getmetatable(L, idx))
		return NULL;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &node_mt_key);
	int ok = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return ok ? u : NULL;
}

static struct lnode *push_ud(lua_State *L, cmark_node *n)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key);
	if (lua_rawgetp(L, -1, n) == LUA_TUSERDATA) {
		lua_remove(L, -2);
		return lua_touserdata(L, -1);
	}
	lua_pop(L, 1);
	struct lnode *u = lua_newuserdatauv(L, sizeof *u, 0);
	u->node = n;
	u->owned = 0;
	/* a mark for ln_release_tree: this node has had a userdata (which
	 * may be gone since: only ever compared with NULL, never followed) */
	cmark_node_set_user_data(n, u);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &node_mt_key);
	lua_setmetatable(L, -2);
	lua_pushvalue(L, -1);
	lua_rawsetp(L, -3, n);
	lua_remove(L, -2);
	return u;
}

void ln_push(lua_State *L, cmark_node *n)
{
	if (n)
		push_ud(L, n);
	else
		lua_pushnil(L);
}

static struct lnode *check_ud(lua_State *L, int idx)
{
	struct lnode *u = test_ud(L, idx);
	if (!u)
		luaL_typeerror(L, idx, "Node");
	if (!u->node)
		luaL_error(L, "node is no longer part of a document (its article was rendered)");
	return u;
}

cmark_node *ln_check(lua_State *L, int idx)
{
	return check_ud(L, idx)->node;
}

int ln_is_node(lua_State *L, int idx)
{
	return test_ud(L, idx) != NULL;
}

void ln_push_owned(lua_State *L, cmark_node *n)
{
	push_ud(L, n)->owned = 1;
}

/* The userdata of n if one is alive, else NULL. */
static struct lnode *cached(lua_State *L, cmark_node *n)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key);
	lua_rawgetp(L, -1, n);
	struct lnode *u = lua_touserdata(L, -1);
	lua_pop(L, 2);
	return u;
}

static void uncache(lua_State *L, cmark_node *n)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key);
	lua_pushnil(L);
	lua_rawsetp(L, -2, n);
	lua_pop(L, 1);
}

/* Cuts n out of its tree; its userdata (made if needed) now owns it. */
void ln_detach(lua_State *L, cmark_node *n)
{
	cmark_node_unlink(n);
	struct lnode *u = push_ud(L, n);
	u->owned = 1;
	lua_pop(L, 1);
}

/* A node being put into a tree stops being owned by its userdata. */
static void adopted(lua_State *L, cmark_node *n)
{
	struct lnode *u = cached(L, n);
	if (u)
		u->owned = 0;
}

/* Frees the subtree below an owned root, except for descendants that
 * still have a live userdata: those are cut loose and owned by it. */
static void free_owned(lua_State *L, cmark_node *root)
{
	cmark_node **keep = NULL;
	size_t n = 0;
	cmark_node *cur = cmark_node_first_child(root);
	while (cur) {
		struct lnode *u = cached(L, cur);
		cmark_node *next = NULL;
		if (u) {
			keep = xrealloc(keep, (n + 1) * sizeof *keep);
			keep[n++] = cur;
		} else {
			uncache(L, cur);
			next = cmark_node_first_child(cur);
		}
		if (!next) {
			/* climb until a next sibling exists, staying below root */
			cmark_node *up = cur;
			while (up != root && !cmark_node_next(up))
				up = cmark_node_parent(up);
			next = up == root ? NULL : cmark_node_next(up);
		}
		cur = next;
	}
	for (size_t i = 0; i < n; i++) {
		cmark_node_unlink(keep[i]);
		cached(L, keep[i])->owned = 1;
	}
	free(keep);
	uncache(L, root);
	cmark_node_free(root);
}

/* __gc. When the state closes, weak entries are not cleared before
 * finalizers run, so each userdata takes itself out of the cache here:
 * an owner finalized later must not think this one is still alive. */
static int node_gc(lua_State *L)
{
	struct lnode *u = lua_touserdata(L, 1);
	cmark_node *n = u->node;
	if (!n)
		return 0;
	u->node = NULL;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key);
	if (lua_rawgetp(L, -1, n) == LUA_TUSERDATA && lua_touserdata(L, -1) == u) {
		lua_pushnil(L);
		lua_rawsetp(L, -3, n);
	}
	lua_pop(L, 2);
	if (u->owned && !cmark_node_parent(n)) {
		struct ln_state *st = get_state(L);
		if (st && st->walking) {
			if (st->n == st->cap) {
				st->cap = st->cap ? st->cap * 2 : 16;
				st->deferred = xrealloc(st->deferred, st->cap * sizeof *st->deferred);
			}
			st->deferred[st->n++] = n;
		} else {
			free_owned(L, n);
		}
	}
	return 0;
}

/* Frees the subtrees queued during a walk, unless they found a new owner
 * (a userdata made for them since) or a place in a tree. */
static void free_deferred(lua_State *L)
{
	struct ln_state *st = get_state(L);
	while (st && st->n) {
		cmark_node *n = st->deferred[--st->n];
		if (cmark_node_parent(n))
			continue;
		struct lnode *u = cached(L, n);
		if (u)
			u->owned = 1;
		else
			free_owned(L, n);
	}
}

void ln_release_tree(lua_State *L, cmark_node *doc)
{
	if (!doc)
		return;
	struct ln_state *st = get_state(L);
	if (st)
		st->walking = 0; /* a walk that raised an error never said it ended */
	free_deferred(L);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		if (!cmark_node_get_user_data(n)) /* never had a userdata */
			continue;
		if (lua_rawgetp(L, -1, n) == LUA_TUSERDATA) {
			struct lnode *u = lua_touserdata(L, -1);
			u->node = NULL;
			u->owned = 0;
			lua_pushnil(L);
			lua_rawsetp(L, -3, n);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/* ---- checked tree edits ---- */

int ln_cannot_put_type(lua_State *L, const char *c, cmark_node *parent)
{
	const char *p = parent ? ln_type_name(parent) : NULL;
	if (!p)
		return luaL_error(L, "cannot put %s %s beside a node that has no parent",
		                  ln_article_for(c), c);
	return luaL_error(L, "cannot put %s %s inside %s %s", ln_article_for(c), c, ln_article_for(p), p);
}

static int cannot_put(lua_State *L, cmark_node *child, cmark_node *parent)
{
	return ln_cannot_put_type(L, ln_type_name(child), parent);
}

static int is_ancestor(cmark_node *a, cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (n == a)
			return 1;
	return 0;
}

/* Puts child at a place relative to target, or raises a Lua error. */
void ln_edit(lua_State *L, cmark_node *target, cmark_node *child, enum ln_place how)
{
	cmark_node *parent = how == LN_APPEND || how == LN_PREPEND ? target : cmark_node_parent(target);
	if (!parent || child == target || is_ancestor(child, parent) ||
	    cmark_node_get_type(child) == CMARK_NODE_DOCUMENT)
		cannot_put(L, child, parent);
	int ok = 0;
	switch (how) {
	case LN_APPEND: ok = cmark_node_append_child(target, child); break;
	case LN_PREPEND: ok = cmark_node_prepend_child(target, child); break;
	case LN_BEFORE: ok = cmark_node_insert_before(target, child); break;
	case LN_AFTER: ok = cmark_node_insert_after(target, child); break;
	}
	if (!ok)
		cannot_put(L, child, parent);
	adopted(L, child);
}

/* Applies a filter function's result (at index result) to node n:
 * nil or n keeps it, a node replaces it, a list splices, {} deletes.
 * *replaced is set when n left the tree. */
void ln_apply_result(lua_State *L, cmark_node *n, int result, int *replaced)
{
	*replaced = 0;
	if (lua_isnil(L, result))
		return;
	if (lua_isuserdata(L, result)) {
		cmark_node *r = ln_check(L, result);
		if (r == n)
			return;
		if (cmark_node_get_type(n) == CMARK_NODE_DOCUMENT)
			luaL_error(L, "a filter cannot replace the Document");
		ln_edit(L, n, r, LN_BEFORE);
		ln_detach(L, n);
		*replaced = 1;
		return;
	}
	if (!lua_istable(L, result))
		luaL_error(L, "a %s filter must return nil, a node or a list of nodes, found %s",
		           ln_type_name(n), luaL_typename(L, result));
	if (cmark_node_get_type(n) == CMARK_NODE_DOCUMENT)
		luaL_error(L, "a filter cannot replace the Document");
	lua_Integer len = (lua_Integer)lua_rawlen(L, result);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, result, i);
		if (!test_ud(L, -1))
			luaL_error(L, "a %s filter returned a list with %s at position %d; expected nodes",
			           ln_type_name(n), luaL_typename(L, -1), (int)i);
		lua_pop(L, 1);
	}
	/* n itself may be in the list: what comes before it goes before it */
	cmark_node *cursor = n;
	int kept = 0;
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, result, i);
		cmark_node *r = ln_check(L, -1);
		lua_pop(L, 1);
		if (r == n) {
			kept = 1;
		} else if (!kept) {
			ln_edit(L, n, r, LN_BEFORE);
		} else {
			ln_edit(L, cursor, r, LN_AFTER);
			cursor = r;
		}
	}
	if (!kept)
		ln_detach(L, n);
	*replaced = !kept;
}

static int node_tostring(lua_State *L)
{
	struct lnode *u = luaL_checkudata(L, 1, NODE_MT);
	if (!u->node) {
		lua_pushliteral(L, "Node(released)");
		return 1;
	}
	cmark_node_type t = cmark_node_get_type(u->node);
	if (ln_has_literal(t))
		lua_pushfstring(L, "%s(\"%s\")", ln_type_name(u->node), cmark_node_get_literal(u->node));
	else
		lua_pushstring(L, ln_type_name(u->node));
	return 1;
}

void ln_open(lua_State *L)
{
	static const luaL_Reg node_meta[] = {
		{"__index", ln_index}, {"__newindex", ln_newindex}, {"__gc", node_gc},
		{"__tostring", node_tostring}, {"__metatable", NULL}, /* false: hidden */
		{NULL, NULL},
	};
	static const luaL_Reg state_meta[] = {{"__gc", state_gc}, {NULL, NULL}};
	if (luaL_newmetatable(L, NODE_MT)) {
		luaL_setfuncs(L, node_meta, 0);
		lua_pushliteral(L, "Node");
		lua_setfield(L, -2, "__name");
	}
	lua_rawsetp(L, LUA_REGISTRYINDEX, &node_mt_key);
	struct ln_state *st = lua_newuserdatauv(L, sizeof *st, 0);
	memset(st, 0, sizeof *st);
	luaL_newlib(L, state_meta);
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &state_key);
	lua_newtable(L);
	lua_newtable(L);
	lua_pushliteral(L, "v");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &cache_key);
	ln_open_constructors(L);
}
