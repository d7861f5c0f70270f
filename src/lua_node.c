/* lua_node.c: cmark nodes as Lua userdata (fields, methods, checked
 * edits) and the node constructors; the filter walk is lua_walk.c.
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
static const char *article_for(const char *name)
{
	return strchr("AEIOU", name[0]) ? "an" : "a";
}

static int is_block_container(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	return t == CMARK_NODE_DOCUMENT || t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_ITEM ||
	       t == CMARK_NODE_CUSTOM_BLOCK;
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
static void detach(lua_State *L, cmark_node *n)
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

static int cannot_put_type(lua_State *L, const char *c, cmark_node *parent)
{
	const char *p = parent ? ln_type_name(parent) : NULL;
	if (!p)
		return luaL_error(L, "cannot put %s %s beside a node that has no parent",
		                  article_for(c), c);
	return luaL_error(L, "cannot put %s %s inside %s %s", article_for(c), c, article_for(p), p);
}

static int cannot_put(lua_State *L, cmark_node *child, cmark_node *parent)
{
	return cannot_put_type(L, ln_type_name(child), parent);
}

static int is_ancestor(cmark_node *a, cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (n == a)
			return 1;
	return 0;
}

enum edit { APPEND, PREPEND, BEFORE, AFTER };

/* Puts child at a place relative to target, or raises a Lua error. */
static void edit(lua_State *L, cmark_node *target, cmark_node *child, enum edit how)
{
	cmark_node *parent = how == APPEND || how == PREPEND ? target : cmark_node_parent(target);
	if (!parent || child == target || is_ancestor(child, parent) ||
	    cmark_node_get_type(child) == CMARK_NODE_DOCUMENT)
		cannot_put(L, child, parent);
	int ok = 0;
	switch (how) {
	case APPEND: ok = cmark_node_append_child(target, child); break;
	case PREPEND: ok = cmark_node_prepend_child(target, child); break;
	case BEFORE: ok = cmark_node_insert_before(target, child); break;
	case AFTER: ok = cmark_node_insert_after(target, child); break;
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
		edit(L, n, r, BEFORE);
		detach(L, n);
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
			edit(L, n, r, BEFORE);
		} else {
			edit(L, cursor, r, AFTER);
			cursor = r;
		}
	}
	if (!kept)
		detach(L, n);
	*replaced = !kept;
}

/* ---- reading and writing fields ---- */

static int push_opt_string(lua_State *L, const char *s)
{
	if (s)
		lua_pushstring(L, s);
	else
		lua_pushliteral(L, "");
	return 1;
}

int ln_has_literal(cmark_node_type t)
{
	return t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK ||
	       t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE;
}

static int is_link(cmark_node_type t)
{
	return t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
}

static void put_text(buf *b, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER) {
			if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK)
				buf_puts(b, cmark_node_get_literal(n));
			else if (t == CMARK_NODE_SOFTBREAK)
				buf_putc(b, ' ');
			else if (t == CMARK_NODE_LINEBREAK)
				buf_putc(b, '\n');
		} else if (n != root && (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) &&
		           cmark_node_next(n)) {
			buf_putc(b, '\n');
		}
	}
	cmark_iter_free(it);
}

/* node:children() -> {nodes} */
static int m_children(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	lua_newtable(L);
	int i = 1;
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		ln_push(L, c);
		lua_rawseti(L, -2, i++);
	}
	return 1;
}

/* node:text() -> plain text of the subtree */
static int m_text(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	buf b = BUF_INIT;
	put_text(&b, n);
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

static int m_edit(lua_State *L, enum edit how)
{
	cmark_node *n = ln_check(L, 1), *child = ln_check(L, 2);
	edit(L, n, child, how);
	lua_settop(L, 1);
	return 1;
}
/* node:append(child) -> node, and the same for prepend/insert_before/insert_after */
static int m_append(lua_State *L) { return m_edit(L, APPEND); }
static int m_prepend(lua_State *L) { return m_edit(L, PREPEND); }
static int m_insert_before(lua_State *L) { return m_edit(L, BEFORE); }
static int m_insert_after(lua_State *L) { return m_edit(L, AFTER); }

/* node:remove() -> node (now free-standing) */
static int m_remove(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	if (cmark_node_get_type(n) == CMARK_NODE_DOCUMENT)
		return luaL_error(L, "cannot remove the Document");
	detach(L, n);
	lua_settop(L, 1);
	return 1;
}

static cmark_node *clone_tree(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	cmark_node *c = cmark_node_new(t);
	if (ln_has_literal(t))
		cmark_node_set_literal(c, cmark_node_get_literal(n));
	if (is_link(t)) {
		cmark_node_set_url(c, cmark_node_get_url(n));
		cmark_node_set_title(c, cmark_node_get_title(n));
	}
	switch (t) {
	case CMARK_NODE_HEADING: cmark_node_set_heading_level(c, cmark_node_get_heading_level(n)); break;
	case CMARK_NODE_CODE_BLOCK: cmark_node_set_fence_info(c, cmark_node_get_fence_info(n)); break;
	case CMARK_NODE_LIST:
		cmark_node_set_list_type(c, cmark_node_get_list_type(n));
		cmark_node_set_list_start(c, cmark_node_get_list_start(n));
		cmark_node_set_list_tight(c, cmark_node_get_list_tight(n));
		cmark_node_set_list_delim(c, cmark_node_get_list_delim(n));
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_CUSTOM_INLINE:
		cmark_node_set_on_enter(c, cmark_node_get_on_enter(n));
		cmark_node_set_on_exit(c, cmark_node_get_on_exit(n));
		break;
	default: break;
	}
	for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
		cmark_node_append_child(c, clone_tree(k));
	return c;
}

/* node:clone() -> a deep copy, free-standing */
static int m_clone(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	if (cmark_node_get_type(n) == CMARK_NODE_DOCUMENT)
		return luaL_error(L, "cannot clone the Document");
	push_ud(L, clone_tree(n))->owned = 1;
	return 1;
}

/* node:replace(node_or_list) -> () */
static int m_replace(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	if (!lua_istable(L, 2))
		ln_check(L, 2);
	int replaced = 0;
	ln_apply_result(L, n, 2, &replaced);
	return 0;
}

/* node:split(first, last) -> node. Bytes first..last of a Text node (as
 * in string.sub) become a Text node of their own, in the tree where they
 * were: the node itself when first is 1, else a new node after it. The
 * bytes before first stay in the node and those after last go into a new
 * Text after the piece, so the positions of earlier bytes in the node
 * stay valid: split many ranges of one node from the last to the first. */
static int m_split(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	lua_Integer first = luaL_checkinteger(L, 2), last = luaL_checkinteger(L, 3);
	if (cmark_node_get_type(n) != CMARK_NODE_TEXT)
		return luaL_error(L, "split: expected a Text node, found %s %s",
		                  article_for(ln_type_name(n)), ln_type_name(n));
	if (!cmark_node_parent(n))
		return luaL_error(L, "split: the Text node is not in a tree");
	const char *lit = cmark_node_get_literal(n);
	size_t len = lit ? strlen(lit) : 0;
	if (first < 1 || last < first || (lua_Unsigned)last > len)
		return luaL_error(L, "split: bytes %I to %I are not within the text (%d bytes)",
		                  first, last, (int)len);
	if (first == 1 && (size_t)last == len) {
		lua_settop(L, 1);
		return 1;
	}
	char *copy = xstrndup(lit, len); /* set_literal frees lit */
	cmark_node *piece = n;
	if ((size_t)last < len) {
		cmark_node *after = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(after, copy + last);
		cmark_node_insert_after(n, after);
		copy[last] = '\0';
	}
	if (first > 1) {
		piece = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(piece, copy + first - 1);
		cmark_node_insert_after(n, piece);
		copy[first - 1] = '\0';
	}
	cmark_node_set_literal(n, copy);
	free(copy);
	push_ud(L, piece);
	return 1;
}

static const luaL_Reg methods[] = {
	{"children", m_children}, {"text", m_text}, {"walk", ln_walk_method},
	{"append", m_append}, {"prepend", m_prepend}, {"insert_before", m_insert_before},
	{"insert_after", m_insert_after}, {"remove", m_remove}, {"replace", m_replace},
	{"clone", m_clone}, {"split", m_split}, {NULL, NULL},
};

/* (node, key) -> value */
static int node_index(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	const char *k = luaL_checkstring(L, 2);
	cmark_node_type t = cmark_node_get_type(n);
	/* the fields filters read most, before the method table */
	if (k[0] == 't' && k[1] == '\0') {
		lua_pushstring(L, ln_type_name(n));
		return 1;
	}
	if (!strcmp(k, "literal") && ln_has_literal(t))
		return push_opt_string(L, cmark_node_get_literal(n));
	if (!strcmp(k, "parent")) {
		ln_push(L, cmark_node_parent(n));
		return 1;
	}
	for (const luaL_Reg *m = methods; m->name; m++)
		if (!strcmp(k, m->name)) {
			lua_pushcfunction(L, m->func);
			return 1;
		}
	if (!strcmp(k, "type"))
		lua_pushstring(L, ln_type_name(n));
	else if (!strcmp(k, "level") && t == CMARK_NODE_HEADING)
		lua_pushinteger(L, cmark_node_get_heading_level(n));
	else if (!strcmp(k, "url") && is_link(t))
		return push_opt_string(L, cmark_node_get_url(n));
	else if (!strcmp(k, "title") && is_link(t))
		return push_opt_string(L, cmark_node_get_title(n));
	else if (!strcmp(k, "literal") && ln_has_literal(t))
		return push_opt_string(L, cmark_node_get_literal(n));
	else if (!strcmp(k, "info") && t == CMARK_NODE_CODE_BLOCK)
		return push_opt_string(L, cmark_node_get_fence_info(n));
	else if (!strcmp(k, "list_type") && t == CMARK_NODE_LIST)
		lua_pushstring(L, cmark_node_get_list_type(n) == CMARK_ORDERED_LIST ? "ordered"
		                                                                     : "bullet");
	else if (!strcmp(k, "start") && t == CMARK_NODE_LIST)
		lua_pushinteger(L, cmark_node_get_list_start(n));
	else if (!strcmp(k, "tight") && t == CMARK_NODE_LIST)
		lua_pushboolean(L, cmark_node_get_list_tight(n));
	else if (!strcmp(k, "delim") && t == CMARK_NODE_LIST)
		lua_pushstring(L, cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? "paren"
		                                                                     : "period");
	else if (!strcmp(k, "start_line"))
		lua_pushinteger(L, cmark_node_get_start_line(n));
	else if (!strcmp(k, "start_column"))
		lua_pushinteger(L, cmark_node_get_start_column(n));
	else if (!strcmp(k, "end_line"))
		lua_pushinteger(L, cmark_node_get_end_line(n));
	else if (!strcmp(k, "end_column"))
		lua_pushinteger(L, cmark_node_get_end_column(n));
	else if (!strcmp(k, "parent"))
		ln_push(L, cmark_node_parent(n));
	else if (!strcmp(k, "next"))
		ln_push(L, cmark_node_next(n));
	else if (!strcmp(k, "prev"))
		ln_push(L, cmark_node_previous(n));
	else if (!strcmp(k, "first_child"))
		ln_push(L, cmark_node_first_child(n));
	else if (!strcmp(k, "last_child"))
		ln_push(L, cmark_node_last_child(n));
	else
		lua_pushnil(L);
	return 1;
}

/* (node, key, value) -> () */
static int node_newindex(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	const char *k = luaL_checkstring(L, 2);
	cmark_node_type t = cmark_node_get_type(n);
	int ok = 0;
	if (!strcmp(k, "level") && t == CMARK_NODE_HEADING) {
		lua_Integer lv = luaL_checkinteger(L, 3);
		if (lv < 1 || lv > 6)
			return luaL_error(L, "level: expected 1 to 6, found %d", (int)lv);
		ok = cmark_node_set_heading_level(n, (int)lv);
	} else if (!strcmp(k, "url") && is_link(t)) {
		ok = cmark_node_set_url(n, luaL_checkstring(L, 3));
	} else if (!strcmp(k, "title") && is_link(t)) {
		ok = cmark_node_set_title(n, luaL_checkstring(L, 3));
	} else if (!strcmp(k, "literal") && ln_has_literal(t)) {
		ok = cmark_node_set_literal(n, luaL_checkstring(L, 3));
	} else if (!strcmp(k, "info") && t == CMARK_NODE_CODE_BLOCK) {
		ok = cmark_node_set_fence_info(n, luaL_checkstring(L, 3));
	} else if (!strcmp(k, "list_type") && t == CMARK_NODE_LIST) {
		const char *v = luaL_checkstring(L, 3);
		if (strcmp(v, "bullet") && strcmp(v, "ordered"))
			return luaL_error(L, "list_type: expected \"bullet\" or \"ordered\"");
		ok = cmark_node_set_list_type(n, !strcmp(v, "ordered") ? CMARK_ORDERED_LIST
		                                                       : CMARK_BULLET_LIST);
	} else if (!strcmp(k, "start") && t == CMARK_NODE_LIST) {
		ok = cmark_node_set_list_start(n, (int)luaL_checkinteger(L, 3));
	} else if (!strcmp(k, "tight") && t == CMARK_NODE_LIST) {
		ok = cmark_node_set_list_tight(n, lua_toboolean(L, 3));
	} else if (!strcmp(k, "delim") && t == CMARK_NODE_LIST) {
		const char *v = luaL_checkstring(L, 3);
		ok = cmark_node_set_list_delim(n, !strcmp(v, "paren") ? CMARK_PAREN_DELIM
		                                                      : CMARK_PERIOD_DELIM);
	}
	if (!ok)
		return luaL_error(L, "cannot set \"%s\" on %s %s", k, article_for(ln_type_name(n)),
		                  ln_type_name(n));
	return 0;
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

/* ---- constructors ---- */

/* [-0, +1] A new free-standing node owned by its userdata. */
static cmark_node *new_node(lua_State *L, cmark_node_type t)
{
	cmark_node *n = cmark_node_new(t);
	push_ud(L, n)->owned = 1;
	return n;
}

/* Appends content (a string, a node, or a list of them) at idx to parent,
 * which is at the top of the stack. Strings become Text, wrapped in a
 * Paragraph inside block containers. */
static void add_one(lua_State *L, cmark_node *parent, int idx)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		/* new nodes no Lua value refers to: no userdata for them */
		cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(text, lua_tostring(L, idx));
		cmark_node *put = text;
		if (is_block_container(parent)) {
			put = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(put, text);
		}
		if (!cmark_node_append_child(parent, put)) {
			cmark_node_free(put);
			cannot_put_type(L, put == text ? "Text" : "Paragraph", parent);
		}
		return;
	}
	edit(L, parent, ln_check(L, idx), APPEND);
}

static void add_content(lua_State *L, cmark_node *parent, int idx)
{
	if (lua_isnoneornil(L, idx))
		return;
	if (lua_istable(L, idx)) {
		lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, idx, i);
			add_one(L, parent, lua_gettop(L));
			lua_pop(L, 1);
		}
		return;
	}
	if (lua_type(L, idx) != LUA_TSTRING && !test_ud(L, idx))
		luaL_error(L, "expected a string, a node or a list of them, found %s",
		           luaL_typename(L, idx));
	add_one(L, parent, idx);
}

static int literal_node(lua_State *L, cmark_node_type t)
{
	const char *s = luaL_checkstring(L, 1);
	cmark_node *n = new_node(L, t);
	cmark_node_set_literal(n, s);
	return 1;
}
/* (text) -> node, for each literal node type */
static int c_text(lua_State *L) { return literal_node(L, CMARK_NODE_TEXT); }
static int c_code(lua_State *L) { return literal_node(L, CMARK_NODE_CODE); }
static int c_html_inline(lua_State *L) { return literal_node(L, CMARK_NODE_HTML_INLINE); }
static int c_html_block(lua_State *L) { return literal_node(L, CMARK_NODE_HTML_BLOCK); }

/* (text [, info]) -> CodeBlock */
static int c_code_block(lua_State *L)
{
	const char *s = luaL_checkstring(L, 1), *info = luaL_optstring(L, 2, NULL);
	cmark_node *n = new_node(L, CMARK_NODE_CODE_BLOCK);
	cmark_node_set_literal(n, s);
	if (info)
		cmark_node_set_fence_info(n, info);
	return 1;
}

static int empty_node(lua_State *L, cmark_node_type t)
{
	new_node(L, t);
	return 1;
}
/* () -> node */
static int c_softbreak(lua_State *L) { return empty_node(L, CMARK_NODE_SOFTBREAK); }
static int c_linebreak(lua_State *L) { return empty_node(L, CMARK_NODE_LINEBREAK); }
static int c_thematic_break(lua_State *L) { return empty_node(L, CMARK_NODE_THEMATIC_BREAK); }

static int container(lua_State *L, cmark_node_type t, int content)
{
	cmark_node *n = new_node(L, t);
	add_content(L, n, content);
	return 1;
}
/* (content) -> node */
static int c_emph(lua_State *L) { return container(L, CMARK_NODE_EMPH, 1); }
static int c_strong(lua_State *L) { return container(L, CMARK_NODE_STRONG, 1); }
static int c_paragraph(lua_State *L) { return container(L, CMARK_NODE_PARAGRAPH, 1); }
static int c_block_quote(lua_State *L) { return container(L, CMARK_NODE_BLOCK_QUOTE, 1); }
static int c_item(lua_State *L) { return container(L, CMARK_NODE_ITEM, 1); }

static int link_like(lua_State *L, cmark_node_type t)
{
	const char *url = luaL_checkstring(L, 2), *title = luaL_optstring(L, 3, NULL);
	cmark_node *n = new_node(L, t);
	cmark_node_set_url(n, url);
	if (title)
		cmark_node_set_title(n, title);
	add_content(L, n, 1);
	return 1;
}
/* (content, url [, title]) -> Link / Image */
static int c_link(lua_State *L) { return link_like(L, CMARK_NODE_LINK); }
static int c_image(lua_State *L) { return link_like(L, CMARK_NODE_IMAGE); }

/* (level, content) -> Heading */
static int c_heading(lua_State *L)
{
	lua_Integer level = luaL_checkinteger(L, 1);
	if (level < 1 || level > 6)
		return luaL_error(L, "Heading: level must be 1 to 6, found %d", (int)level);
	cmark_node *n = new_node(L, CMARK_NODE_HEADING);
	cmark_node_set_heading_level(n, (int)level);
	add_content(L, n, 2);
	return 1;
}

/* (items [, {type=, start=, tight=, delim=}]) -> List. Strings and lists
 * of blocks become items. */
static int c_list(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	cmark_node *n = new_node(L, CMARK_NODE_LIST);
	int list = lua_gettop(L);
	cmark_node_set_list_type(n, CMARK_BULLET_LIST);
	cmark_node_set_list_tight(n, 1);
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "type");
		const char *t = lua_tostring(L, -1);
		if (t && !strcmp(t, "ordered")) {
			cmark_node_set_list_type(n, CMARK_ORDERED_LIST);
			cmark_node_set_list_start(n, 1);
		}
		lua_getfield(L, 2, "start");
		if (lua_isinteger(L, -1))
			cmark_node_set_list_start(n, (int)lua_tointeger(L, -1));
		lua_getfield(L, 2, "tight");
		if (!lua_isnil(L, -1))
			cmark_node_set_list_tight(n, lua_toboolean(L, -1));
		lua_getfield(L, 2, "delim");
		const char *dl = lua_tostring(L, -1);
		if (dl)
			cmark_node_set_list_delim(n, !strcmp(dl, "paren") ? CMARK_PAREN_DELIM
			                                                  : CMARK_PERIOD_DELIM);
		lua_pop(L, 4);
	}
	lua_Integer len = (lua_Integer)lua_rawlen(L, 1);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, 1, i);
		int item = lua_gettop(L);
		if (test_ud(L, item) &&
		    cmark_node_get_type(ln_check(L, item)) == CMARK_NODE_ITEM) {
			edit(L, n, ln_check(L, item), APPEND);
		} else {
			cmark_node *it = new_node(L, CMARK_NODE_ITEM);
			add_content(L, it, item);
			edit(L, n, it, APPEND);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	lua_settop(L, list);
	return 1;
}

/* (node or list) -> plain text */
static int l_stringify(lua_State *L)
{
	lua_Integer len = lua_istable(L, 1) ? (lua_Integer)lua_rawlen(L, 1) : 0;
	/* every node of a list checked before the buffer holds anything: an
	 * error raised after that would leak it */
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, 1, i);
		if (test_ud(L, -1))
			ln_check(L, -1);
		lua_pop(L, 1);
	}
	buf b = BUF_INIT;
	if (lua_istable(L, 1)) {
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, 1, i);
			if (lua_type(L, -1) == LUA_TSTRING)
				buf_puts(&b, lua_tostring(L, -1));
			else if (test_ud(L, -1))
				put_text(&b, ln_check(L, -1));
			lua_pop(L, 1);
		}
	} else if (lua_type(L, 1) == LUA_TSTRING) {
		buf_puts(&b, lua_tostring(L, 1));
	} else {
		put_text(&b, ln_check(L, 1));
	}
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

void ln_open(lua_State *L)
{
	static const luaL_Reg node_meta[] = {
		{"__index", node_index}, {"__newindex", node_newindex}, {"__gc", node_gc},
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
	static const luaL_Reg ctors[] = {
		{"Text", c_text}, {"Code", c_code}, {"HtmlInline", c_html_inline},
		{"HtmlBlock", c_html_block}, {"CodeBlock", c_code_block}, {"SoftBreak", c_softbreak},
		{"LineBreak", c_linebreak}, {"ThematicBreak", c_thematic_break}, {"Emph", c_emph},
		{"Strong", c_strong}, {"Paragraph", c_paragraph}, {"BlockQuote", c_block_quote},
		{"Item", c_item}, {"Link", c_link}, {"Image", c_image}, {"Heading", c_heading},
		{"List", c_list}, {"stringify", l_stringify}, {NULL, NULL},
	};
	luaL_setfuncs(L, ctors, 0);
}
