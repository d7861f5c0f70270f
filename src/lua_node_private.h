/* lua_node_private.h: what the parts of the lua_node module share:
 * lua_node.c (userdata, ownership, checked edits), lua_node_fields.c
 * (fields and methods), lua_node_new.c (constructors) and lua_walk.c (the
 * filter walk); no other module includes it. */
#ifndef BRIEFING_LUA_NODE_PRIVATE_H
#define BRIEFING_LUA_NODE_PRIVATE_H

#include <cmark.h>
#include <lua.h>

#include "buf.h"

/* Node type names as filters spell them ("Link"): the name of type t or
 * NULL, the type of a name or -1, and the name of n's type ("None" when
 * unknown). */
const char *ln_type_name_of(int t);
int ln_type_of_name(const char *name);
const char *ln_type_name(cmark_node *n);
/* Text, Code, CodeBlock, HtmlBlock, HtmlInline: nodes with a literal. */
int ln_has_literal(cmark_node_type t);

/* "a Paragraph", "an Emph": the article for a type name in messages. */
const char *ln_article_for(const char *name);

/* Is the value at idx a node userdata (live or released)? */
int ln_is_node(lua_State *L, int idx);
/* [-0, +1] Pushes a new userdata that owns n, a node with no parent. */
void ln_push_owned(lua_State *L, cmark_node *n);

/* Checked tree edits (lua_node.c): each puts child at a place relative
 * to target and hands it to the tree, or raises a Lua error naming both
 * types. ln_detach cuts n out of its tree; its userdata then owns it. */
enum ln_place { LN_APPEND, LN_PREPEND, LN_BEFORE, LN_AFTER };
void ln_edit(lua_State *L, cmark_node *target, cmark_node *child, enum ln_place how);
void ln_detach(lua_State *L, cmark_node *n);
/* Raises "cannot put a TYPE inside a PARENT" (or beside a parentless node). */
int ln_cannot_put_type(lua_State *L, const char *type, cmark_node *parent);

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

/* lua_node_fields.c: __index (node, key) -> value, methods included, and
 * __newindex (node, key, value) -> () of the node metatable. */
int ln_index(lua_State *L);
int ln_newindex(lua_State *L);
/* Appends the plain text of root's subtree to b (node:text()). */
void ln_put_text(buf *b, cmark_node *root);

/* lua_node_new.c: [-0, +0] adds the constructors and stringify to the
 * table at the top of the stack. */
void ln_open_constructors(lua_State *L);

#endif
