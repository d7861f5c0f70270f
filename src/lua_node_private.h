/* lua_node_private.h: what the two halves of the lua_node module share,
 * lua_node.c (nodes, their ownership, constructors) and lua_walk.c (the
 * filter walk); no other module includes it. */
#ifndef BRIEFING_LUA_NODE_PRIVATE_H
#define BRIEFING_LUA_NODE_PRIVATE_H

#include <cmark.h>
#include <lua.h>

/* Node type names as filters spell them ("Link"): the name of type t or
 * NULL, the type of a name or -1, and the name of n's type ("None" when
 * unknown). */
const char *ln_type_name_of(int t);
int ln_type_of_name(const char *name);
const char *ln_type_name(cmark_node *n);
/* Text, Code, CodeBlock, HtmlBlock, HtmlInline: nodes with a literal. */
int ln_has_literal(cmark_node_type t);

/* Applies a filter function's result (at index result) to node n: nil or
 * n keeps it, a node replaces it, a list splices, {} deletes. *replaced
 * is set when n left the tree. Raises a Lua error on anything else. */
void ln_apply_result(lua_State *L, cmark_node *n, int result, int *replaced);

/* Around every walk: while one runs, subtrees that lose their last
 * userdata are queued instead of freed. ln_walk_reset ends a walk that a
 * Lua error cut short. */
void ln_walk_begin(lua_State *L);
void ln_walk_end(lua_State *L);
void ln_walk_reset(lua_State *L);

/* node:walk(filter [, extra]) -> node, in the node metatable's methods. */
int ln_walk_method(lua_State *L);

#endif
