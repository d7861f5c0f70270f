/* Unit tests: the cmark tree seen from Lua (lua_node*.c): fields, edits,
 * constructors, the filter walk and its return semantics, ownership
 * across garbage collection, and use after release. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

#include "../../src/lua_match.h"
#include "../../src/lua_node.h"
#include "../../src/markdown.h"
#include "test.h"

static lua_State *L;
static cmark_node *doc;

static void setup(const char *md)
{
	L = luaL_newstate();
	luaL_openlibs(L);
	lua_newtable(L);
	ln_open(L);
	lm_open(L);
	lua_setglobal(L, "briefing");
	doc = md_parse(md, strlen(md), 0);
	ln_push(L, doc);
	lua_setglobal(L, "doc");
}

/* Runs code; returns NULL or the error message (static copy). */
static const char *run(const char *code)
{
	static char err[512];
	if (luaL_dostring(L, code) == LUA_OK)
		return NULL;
	snprintf(err, sizeof err, "%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	return err;
}

/* Walks doc with the filter table in global `f` and extra `x`. */
static const char *walk(void)
{
	static char err[512];
	lua_pushcfunction(L, ln_walk_k);
	lua_getglobal(L, "f");
	ln_push(L, doc);
	lua_getglobal(L, "x");
	if (lua_pcall(L, 3, 0, 0) == LUA_OK)
		return NULL;
	snprintf(err, sizeof err, "%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	return err;
}

static char *html(void)
{
	return md_render(doc, 0);
}

static void teardown(void)
{
	ln_release_tree(L, doc);
	lua_close(L);
}

#define CHECK_RUN(code) \
	do { \
		const char *e_ = run(code); \
		if (e_) { \
			printf("#   %s:%d: lua error: %s\n", __FILE__, __LINE__, e_); \
			test_failed_checks++; \
		} \
	} while (0)

#define CHECK_HTML(want) \
	do { \
		char *h_ = html(); \
		CHECK_STR(h_, want); \
		free(h_); \
	} while (0)

static void fields(void)
{
	setup("# Title\n\nSee [the site](http://x.org \"T\") and `code`.\n\n1. a\n2. b\n");
	CHECK_RUN("local h = doc.first_child\n"
	          "assert(h.t == 'Heading' and h.type == 'Heading' and h.level == 1)\n"
	          "assert(h:text() == 'Title')\n"
	          "local p = h.next\n"
	          "assert(p.t == 'Paragraph' and p.parent == doc and p.prev == h)\n"
	          "local link = p.first_child.next\n"
	          "assert(link.t == 'Link' and link.url == 'http://x.org' and link.title == 'T')\n"
	          "assert(link:text() == 'the site')\n"
	          "assert(link.level == nil and p.literal == nil)\n"
	          "local list = doc.last_child\n"
	          "assert(list.list_type == 'ordered' and list.start == 1 and list.tight)\n"
	          "assert(#list:children() == 2)\n"
	          "assert(h.start_line == 1)\n"
	          "h.level = 2; link.url = 'https://y.org'; p.first_child.literal = 'Read '\n");
	CHECK(run("doc.first_child.level = 9") != NULL);
	CHECK(run("doc.first_child.url = 'x'") != NULL);
	CHECK_HTML("<h2>Title</h2>\n<p>Read <a href=\"https://y.org\" title=\"T\">the site</a> and "
	           "<code>code</code>.</p>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n");
	teardown();
}

static void identity(void)
{
	setup("a *b* c\n");
	CHECK_RUN("local e = doc.first_child.first_child.next\n"
	          "assert(e == doc.first_child.first_child.next)\n"
	          "local seen = {}; seen[e] = true; assert(seen[doc.first_child.first_child.next])\n");
	teardown();
}

static void upper_bottomup(void)
{
	setup("Hello *world*, [link](u).\n");
	CHECK_RUN("f = { Text = function(n) n.literal = n.literal:upper() end }");
	CHECK(walk() == NULL);
	CHECK_HTML("<p>HELLO <em>WORLD</em>, <a href=\"u\">LINK</a>.</p>\n");
	teardown();
}

static void splice_and_delete(void)
{
	setup("Go [here](u) now. ![img](i.png)\n\n---\n");
	CHECK_RUN("f = { Link = function(n) return n:children() end,\n"
	          "      Image = function() return {} end,\n"
	          "      ThematicBreak = function() return briefing.Paragraph('end') end }");
	CHECK(walk() == NULL);
	CHECK_HTML("<p>Go here now. </p>\n<p>end</p>\n");
	teardown();
}

static void order(void)
{
	setup("a *b*\n");
	CHECK_RUN("log = {}\n"
	          "local function rec(n) log[#log + 1] = n.t end\n"
	          "f = { Document = rec, Paragraph = rec, Text = rec, Emph = rec }");
	CHECK(walk() == NULL);
	CHECK_RUN("assert(table.concat(log, ',') == 'Text,Text,Emph,Paragraph,Document', table.concat(log, ','))");
	CHECK_RUN("log = {}; f.traverse = 'topdown'");
	CHECK(walk() == NULL);
	CHECK_RUN("assert(table.concat(log, ',') == 'Document,Paragraph,Text,Emph,Text', table.concat(log, ','))");
	teardown();
}

static void constructors_and_extra(void)
{
	setup("Meet Kim today.\n");
	CHECK_RUN("x = { url = 'people/kim/' }\n"
	          "f = { Text = function(n, extra)\n"
	          "  local s, e = n.literal:find('Kim')\n"
	          "  if not s then return nil end\n"
	          "  return { briefing.Text(n.literal:sub(1, s - 1)),\n"
	          "           briefing.Link('Kim', extra.url, 'Kim Jong Un'),\n"
	          "           briefing.Text(n.literal:sub(e + 1)) }\n"
	          "end }");
	CHECK(walk() == NULL);
	CHECK_HTML("<p>Meet <a href=\"people/kim/\" title=\"Kim Jong Un\">Kim</a> today.</p>\n");
	CHECK_RUN("local b = briefing.BlockQuote({ briefing.Heading(3, {'x ', briefing.Emph('y')}), 'z' })\n"
	          "doc:append(b)\n"
	          "doc:append(briefing.List({'one', 'two'}, {type = 'ordered', start = 3}))\n"
	          "doc:append(briefing.CodeBlock('print(1)\\n', 'lua'))\n"
	          "assert(briefing.stringify(b) == 'x y\\nz', briefing.stringify(b))");
	CHECK_HTML("<p>Meet <a href=\"people/kim/\" title=\"Kim Jong Un\">Kim</a> today.</p>\n"
	           "<blockquote>\n<h3>x <em>y</em></h3>\n<p>z</p>\n</blockquote>\n"
	           "<ol start=\"3\">\n<li>one</li>\n<li>two</li>\n</ol>\n"
	           "<pre><code class=\"language-lua\">print(1)\n</code></pre>\n");
	teardown();
}

static void invalid_trees(void)
{
	setup("*a*\n");
	const char *e = run("doc.first_child.first_child:append(briefing.Paragraph('p'))");
	CHECK(e && strstr(e, "cannot put a Paragraph inside an Emph"));
	e = run("doc.first_child:append(doc)");
	CHECK(e && strstr(e, "cannot put"));
	e = run("local p = doc.first_child; p.first_child:append(p)");
	CHECK(e && strstr(e, "cannot put"));
	CHECK_RUN("f = { Emph = function() return 42 end }");
	e = walk();
	CHECK(e && strstr(e, "must return nil, a node or a list of nodes"));
	CHECK_RUN("f = { Document = function() return {} end }");
	e = walk();
	CHECK(e && strstr(e, "cannot replace the Document"));
	CHECK_HTML("<p><em>a</em></p>\n");
	teardown();
}

static void ownership_gc(void)
{
	setup("one *two three* four\n\nsecond\n");
	/* cut a subtree out, drop it, keep only a grandchild alive */
	CHECK_RUN("local emph = doc.first_child.first_child.next\n"
	          "keep = emph.first_child\n"
	          "emph:remove(); emph = nil\n"
	          "collectgarbage('collect'); collectgarbage('collect')\n"
	          "assert(keep.literal == 'two three' and keep.parent == nil)\n"
	          "doc.last_child:append(keep)\n"
	          "local c = doc.last_child:clone(); c.first_child.literal = 'copy'\n"
	          "doc:append(c)\n"
	          "local orphan = briefing.Strong({'x', briefing.Emph('y')}); orphan = nil\n"
	          "collectgarbage('collect')");
	CHECK_HTML("<p>one  four</p>\n<p>secondtwo three</p>\n<p>copytwo three</p>\n");
	teardown();
}

static void after_release(void)
{
	setup("text\n");
	CHECK_RUN("saved = doc.first_child.first_child");
	ln_release_tree(L, doc);
	doc = NULL;
	const char *e = run("return saved.literal");
	CHECK(e && strstr(e, "no longer part of a document"));
	/* found by fuzz_luanode: the error came after the text so far was in
	 * a C buffer, which leaked (seen under `make asan` or valgrind) */
	e = run("return briefing.stringify({'kept text', saved})");
	CHECK(e && strstr(e, "no longer part of a document"));
	CHECK_RUN("collectgarbage('collect')");
	lua_close(L);
}

static void filter_lists_and_walk(void)
{
	setup("a [b](u) c\n");
	CHECK_RUN("f = { { Text = function(n) n.literal = n.literal .. '1' end },\n"
	          "      { Text = function(n) n.literal = n.literal .. '2' end } }");
	CHECK(walk() == NULL);
	CHECK_HTML("<p>a 12<a href=\"u\">b12</a> c12</p>\n");
	CHECK_RUN("local link = doc.first_child.first_child.next\n"
	          "link:walk({ Text = function(n) n.literal = 'B' end })");
	CHECK_HTML("<p>a 12<a href=\"u\">B</a> c12</p>\n");
	teardown();
}

static void skipping_inside(void)
{
	setup("# Head *x*\n\na [b *c*](u) ![i](p) **s** d\n");
	/* nothing inside a skipped type is walked; the node itself still is */
	CHECK_RUN("seen = {}\n"
	          "f = { skip = { 'Link', 'Heading', 'Image' },\n"
	          "      Text = function(n) seen[#seen + 1] = n.literal end,\n"
	          "      Link = function(n) seen[#seen + 1] = 'link ' .. n.url end }");
	CHECK(walk() == NULL);
	CHECK_RUN("assert(table.concat(seen, '|') == 'a |link u| | |s| d', table.concat(seen, '|'))");
	/* topdown: the same, and a replacement of a skipped type is not entered */
	CHECK_RUN("seen = {}\n"
	          "f = { traverse = 'topdown', skip = { 'Emph' },\n"
	          "      Text = function(n) seen[#seen + 1] = n.literal end,\n"
	          "      Strong = function(n) return briefing.Emph({ briefing.Text('new') }) end }");
	CHECK(walk() == NULL);
	CHECK_RUN("assert(table.concat(seen, '|') == 'Head |a |b | |i| | d', table.concat(seen, '|'))");
	CHECK_RUN("f = { skip = { 'Nothing' }, Text = function() end }");
	const char *err = walk();
	CHECK(err && strstr(err, "skip: item 1: expected a node type such as \"Link\", found \"Nothing\""));
	CHECK_RUN("f = { skip = 'Link', Text = function() end }");
	err = walk();
	CHECK(err && strstr(err, "skip: expected a list of node types, found string"));
	teardown();
}

/* Functions come from the filter table's own keys, or through its
 * __index; a filter of the Document alone still runs on it. */
static void filter_keys(void)
{
	setup("a *b*\n");
	CHECK_RUN("base = { Text = function(n) n.literal = n.literal:upper() end }\n"
	          "f = setmetatable({ traverse = 'bottomup', [1.5] = 'x', Nothing = print }, { __index = base })");
	CHECK(walk() == NULL);
	CHECK_HTML("<p>A <em>B</em></p>\n");
	CHECK_RUN("seen = 0\n"
	          "f = { Document = function(d) seen = seen + 1; d.first_child.first_child.literal = 'z ' end }");
	CHECK(walk() == NULL);
	CHECK_RUN("assert(seen == 1, seen)");
	CHECK_HTML("<p>z <em>B</em></p>\n");
	teardown();
}

static void removing_next_sibling(void)
{
	setup("a *b* c *d* e\n");
	CHECK_RUN("f = { Text = function(n) if n.next then n.next:remove() end end }");
	CHECK(walk() == NULL);
	CHECK_RUN("collectgarbage('collect')");
	CHECK_HTML("<p>a  c  e</p>\n");
	/* a list holding the node itself keeps it, with the others around it */
	CHECK_RUN("f = { Text = function(n) if n.literal:find('e$') then\n"
	          "  return { briefing.Text('<'), n, briefing.Text('>'), briefing.Text('!') } end end }");
	CHECK(walk() == NULL);
	CHECK_HTML("<p>a  c &lt; e&gt;!</p>\n");
	teardown();
}

/* node:split cuts a Text node in place; the node keeps what comes
 * before the piece, so ranges split from the last keep their positions. */
static void splitting_text(void)
{
	setup("a Kim and Kim Jong Un here\n");
	CHECK_RUN("local t = doc.first_child.first_child\n"
	          "local p = t:split(3, 5)\n"
	          "assert(p.literal == 'Kim' and p.prev == t and t.literal == 'a ', t.literal)\n"
	          "assert(p.next.literal == ' and Kim Jong Un here', p.next.literal)\n"
	          "p:replace(briefing.Link(p.literal, 'k/'))");
	CHECK_HTML("<p>a <a href=\"k/\">Kim</a> and Kim Jong Un here</p>\n");
	/* from 1: the node itself is the piece; the whole text: unchanged */
	CHECK_RUN("local t = doc.first_child.first_child\n"
	          "assert(t:split(1, 2) == t and t.literal == 'a ')\n"
	          "assert(t:split(1, 1) == t and t.literal == 'a' and t.next.literal == ' ')");
	CHECK_HTML("<p>a <a href=\"k/\">Kim</a> and Kim Jong Un here</p>\n");
	CHECK_RUN("collectgarbage('collect')");
	/* two ranges of one node, the later first; up to the last byte */
	CHECK_RUN("local t = doc.first_child.first_child.next.next.next\n"
	          "assert(t.literal == ' and Kim Jong Un here', t.literal)\n"
	          "local e = t:split(18, 21); assert(e.literal == 'here' and e.next == nil)\n"
	          "t:split(6, 16):replace(briefing.Strong('K'))");
	CHECK_HTML("<p>a <a href=\"k/\">Kim</a> and <strong>K</strong> here</p>\n");
	static const struct {
		const char *code, *err;
	} bad[] = {
		{"doc.first_child.first_child:split(0, 1)", "split: bytes 0 to 1 are not within the text (1 bytes)"},
		{"doc.first_child.first_child:split(1, 2)", "split: bytes 1 to 2 are not within the text (1 bytes)"},
		{"doc.first_child.first_child:split(1, 0)", "split: bytes 1 to 0 are not within"},
		{"doc.first_child:split(1, 1)", "split: expected a Text node, found a Paragraph"},
		{"briefing.Text('abc'):split(1, 1)", "split: the Text node is not in a tree"},
		{"doc.first_child.first_child:split('x', 1)", "bad argument #1 to 'split'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *err = run(bad[i].code);
		if (!err || !strstr(err, bad[i].err)) {
			printf("#   %s: got %s\n", bad[i].code, err ? err : "no error");
			test_failed_checks++;
		}
	}
	teardown();
}

/* matcher:find reports every name in the Text below a node, in document
 * order, outside skipped types; with split, linking all of them. */
static void finding_names(void)
{
	setup("# Kim heading\n\nKim met [Kim](u) and **Kim Jong Un**'s aide; Kim and Kim.\n");
	CHECK_RUN("m = briefing.matcher({ 'Kim', 'Kim Jong Un' })\n"
	          "function show(hits)\n"
	          "  local out = {}\n"
	          "  for _, h in ipairs(hits) do\n"
	          "    out[#out + 1] = h.node.literal:sub(h.first, h.last) .. '@' .. h.first .. '-' .. h.last .. '=' .. h.name\n"
	          "  end\n"
	          "  return table.concat(out, ',')\n"
	          "end\n"
	          "local got = show(m:find(doc, { skip = { 'Link', 'Heading' } }))\n"
	          "assert(got == 'Kim@1-3=Kim,Kim Jong Un@1-11=Kim Jong Un,Kim@10-12=Kim,Kim@18-20=Kim', got)\n"
	          "got = show(m:find(doc))\n"
	          "assert(got == 'Kim@1-3=Kim,Kim@1-3=Kim,Kim@1-3=Kim,Kim Jong Un@1-11=Kim Jong Un,Kim@10-12=Kim,Kim@18-20=Kim', got)\n"
	          "local link = doc.first_child.next.first_child.next\n"
	          "assert(link.t == 'Link')\n"
	          "got = show(m:find(link, { skip = { 'Link' } }))\n"
	          "assert(got == 'Kim@1-3=Kim', got)\n"
	          "assert(#m:find(doc.first_child.next.first_child.next.next) == 0)\n"
	          "got = show(m:find(doc, { skip = { 'Link', 'Heading' }, once = true }))\n"
	          "assert(got == 'Kim@1-3=Kim,Kim Jong Un@1-11=Kim Jong Un', got)\n"
	          "got = show(m:find(doc, { once = true }))\n"
	          "assert(got == 'Kim@1-3=Kim,Kim Jong Un@1-11=Kim Jong Un', got)\n"
	          "got = show(m:find(doc.first_child.next, { once = true, skip = {} }))\n"
	          "assert(got == 'Kim@1-3=Kim,Kim Jong Un@1-11=Kim Jong Un', got)\n"
	          "local hits = m:find(doc, { skip = { 'Link', 'Heading' } })\n"
	          "assert(hits[1].node == doc.first_child.next.first_child)\n"
	          "for i = #hits, 1, -1 do\n"
	          "  local h = hits[i]\n"
	          "  h.node:split(h.first, h.last):replace(briefing.Link(h.name, 'p/'))\n"
	          "end");
	CHECK_HTML("<h1>Kim heading</h1>\n"
	           "<p><a href=\"p/\">Kim</a> met <a href=\"u\">Kim</a> and <strong><a href=\"p/\">Kim "
	           "Jong Un</a></strong>'s aide; <a href=\"p/\">Kim</a> and <a href=\"p/\">Kim</a>.</p>\n");
	const char *err = run("m:find(doc, { skip = 'Link' })");
	CHECK(err && strstr(err, "find: skip: expected a list of node types, found string"));
	err = run("m:find(doc, { 'Link' })");
	CHECK(err && strstr(err, "find: unknown option number (expected skip or once)"));
	err = run("m:find(doc, { skp = {} })");
	CHECK(err && strstr(err, "find: unknown option \"skp\" (expected skip or once)"));
	err = run("m:find(doc, 'Link')");
	CHECK(err && strstr(err, "bad argument #2 to 'find' (table expected, got string)"));
	err = run("m:find(doc, { skip = { 'Linc' } })");
	CHECK(err && strstr(err, "find: skip: item 1: expected a node type such as \"Link\", found \"Linc\""));
	err = run("m:find('Kim')");
	CHECK(err && strstr(err, "bad argument #1 to 'find'"));
	teardown();
}

int main(void)
{
	RUN(fields);
	RUN(identity);
	RUN(upper_bottomup);
	RUN(splice_and_delete);
	RUN(order);
	RUN(constructors_and_extra);
	RUN(invalid_trees);
	RUN(ownership_gc);
	RUN(after_release);
	RUN(filter_lists_and_walk);
	RUN(removing_next_sibling);
	RUN(skipping_inside);
	RUN(filter_keys);
	RUN(splitting_text);
	RUN(finding_names);
	return TEST_MAIN_END();
}
