/* lua_node_fields.c: what a script reads, writes and calls on a node
 * userdata: node.t, .url, .level and the other fields (__index,
 * __newindex) and the methods (children, text, walk, append, remove,
 * replace, clone, split). Ownership and edits are lua_node.c. */
#include "lua_node.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lua_node_private.h"

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

void ln_put_text(buf *b, cmark_node *root)
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
	ln_put_text(&b, n);
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

static int m_edit(lua_State *L, enum ln_place how)
{
	cmark_node *n = ln_check(L, 1), *child = ln_check(L, 2);
	ln_edit(L, n, child, how);
	lua_settop(L, 1);
	return 1;
}
/* node:append(child) -> node, and the same for prepend/insert_before/insert_after */
static int m_append(lua_State *L) { return m_edit(L, LN_APPEND); }
static int m_prepend(lua_State *L) { return m_edit(L, LN_PREPEND); }
static int m_insert_before(lua_State *L) { return m_edit(L, LN_BEFORE); }
static int m_insert_after(lua_State *L) { return m_edit(L, LN_AFTER); }

/* node:remove() -> node (now free-standing) */
static int m_remove(lua_State *L)
{
	cmark_node *n = ln_check(L, 1);
	if (cmark_node_get_type(n) == CMARK_NODE_DOCUMENT)
		return luaL_error(L, "cannot remove the Document");
	ln_detach(L, n);
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
	ln_push_owned(L, clone_tree(n));
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
		                  ln_article_for(ln_type_name(n)), ln_type_name(n));
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
	ln_push(L, piece);
	return 1;
}

static const luaL_Reg methods[] = {
	{"children", m_children}, {"text", m_text}, {"walk", ln_walk_method},
	{"append", m_append}, {"prepend", m_prepend}, {"insert_before", m_insert_before},
	{"insert_after", m_insert_after}, {"remove", m_remove}, {"replace", m_replace},
	{"clone", m_clone}, {"split", m_split}, {NULL, NULL},
};

/* (node, key) -> value */
int ln_index(lua_State *L)
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
int ln_newindex(lua_State *L)
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
		return luaL_error(L, "cannot set \"%s\" on %s %s", k, ln_article_for(ln_type_name(n)),
		                  ln_type_name(n));
	return 0;
}
