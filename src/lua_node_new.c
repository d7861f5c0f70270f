/* lua_node_new.c: the node constructors of the `briefing` module
 * (briefing.Text, .Link, .List, ...) and briefing.stringify. A new node
 * is free-standing and owned by its userdata until it is put in a tree. */
#include "lua_node.h"

#include <lauxlib.h>
#include <string.h>

#include "buf.h"
#include "lua_node_private.h"

static int is_block_container(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	return t == CMARK_NODE_DOCUMENT || t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_ITEM ||
	       t == CMARK_NODE_CUSTOM_BLOCK;
}


/* [-0, +1] A new free-standing node owned by its userdata. */
static cmark_node *new_node(lua_State *L, cmark_node_type t)
{
	cmark_node *n = cmark_node_new(t);
	ln_push_owned(L, n);
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
			ln_cannot_put_type(L, put == text ? "Text" : "Paragraph", parent);
		}
		return;
	}
	ln_edit(L, parent, ln_check(L, idx), LN_APPEND);
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
	if (lua_type(L, idx) != LUA_TSTRING && !ln_is_node(L, idx))
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
		if (ln_is_node(L, item) &&
		    cmark_node_get_type(ln_check(L, item)) == CMARK_NODE_ITEM) {
			ln_edit(L, n, ln_check(L, item), LN_APPEND);
		} else {
			cmark_node *it = new_node(L, CMARK_NODE_ITEM);
			add_content(L, it, item);
			ln_edit(L, n, it, LN_APPEND);
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
		if (ln_is_node(L, -1))
			ln_check(L, -1);
		lua_pop(L, 1);
	}
	buf b = BUF_INIT;
	if (lua_istable(L, 1)) {
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, 1, i);
			if (lua_type(L, -1) == LUA_TSTRING)
				buf_puts(&b, lua_tostring(L, -1));
			else if (ln_is_node(L, -1))
				ln_put_text(&b, ln_check(L, -1));
			lua_pop(L, 1);
		}
	} else if (lua_type(L, 1) == LUA_TSTRING) {
		buf_puts(&b, lua_tostring(L, 1));
	} else {
		ln_put_text(&b, ln_check(L, 1));
	}
	lua_pushlstring(L, b.ptr, b.len);
	buf_free(&b);
	return 1;
}

void ln_open_constructors(lua_State *L)
{
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
