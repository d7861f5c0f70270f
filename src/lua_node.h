/* lua_node.h: the cmark tree seen from Lua as lazy userdata. A node
 * userdata reads and writes the C node directly (never a copy); the same C
 * node always gives the same userdata, so nodes compare with ==. Nodes
 * built by constructors or cut out of a tree belong to their userdata and
 * are freed by the garbage collector; nodes in a tree belong to the tree.
 * Also here: the node constructors of the `briefing` module
 * (lua_node_new.c) and the walk that applies a filter table, with
 * pandoc's return semantics (lua_walk.c). */
#ifndef BRIEFING_LUA_NODE_H
#define BRIEFING_LUA_NODE_H

#include <stddef.h>

#include <cmark.h>
#include <lua.h>

/* [-0, +0] Adds the constructors (briefing.Text, .Link, ...) and
 * briefing.stringify to the table at the top of the stack, and registers
 * the node metatable. Call once per state. */
void ln_open(lua_State *L);

/* [-0, +1] Pushes the userdata for n (creating it once). */
void ln_push(lua_State *L, cmark_node *n);
/* Checks that argument idx is a live node; raises a Lua error otherwise. */
cmark_node *ln_check(lua_State *L, int idx);

/* Reads a list of node type names ({"Link", "Heading"}) at idx into
 * types[type] = 1; nil or none is the empty list. Anything else raises a
 * Lua error that starts with `what`. */
void ln_check_types(lua_State *L, int idx, char types[32], const char *what);

/* lua_CFunction for lua_pcall. Stack in: (filter table, document node,
 * extra). Walks the tree calling filter[node type](node, extra);
 * `traverse = "topdown"` in the filter table selects top-down, bottom-up
 * is the default. Returns nothing. */
int ln_walk_k(lua_State *L);

/* A test the walk runs in C before calling a filter's function for a node
 * with text (filter.when[type]), saving the Lua call for most nodes: any
 * full userdata whose metatable holds, under LN_WHEN, a light userdata
 * pointing to one of these (briefing.matcher is one). test gets the
 * userdata's block and the node's text; 0 skips the call. */
struct ln_when {
	int (*test)(void *object, const char *text, size_t len);
};
#define LN_WHEN "__briefing_when"

/* The walk recurses in C, so it refuses trees nested deeper than this
 * (cmark itself nests without limit). */
#define LN_MAX_DEPTH 1000
/* Returns 1 and the source position of the first node of doc's tree that
 * lies more than LN_MAX_DEPTH levels below doc (the walk would stop
 * there), else 0. Iterative: linear time, any depth. */
int ln_too_deep(cmark_node *doc, int *line, int *col);

/* Makes every userdata pointing into doc's tree dead (using it raises an
 * error), then frees doc. For the tree's owner (C) once it is rendered. */
void ln_release_tree(lua_State *L, cmark_node *doc);

#endif
