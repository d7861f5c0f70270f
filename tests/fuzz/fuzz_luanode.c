/* libFuzzer target for the cmark tree seen from Lua (lua_node*.c) and the
 * filter entry points (lua_hooks.c). The input is Markdown, a NUL byte,
 * then a program: the bytes after the NUL pick statements from a fixed menu
 * (field reads and writes, constructors, edits, walks, replace/splice/delete
 * results, garbage collection), so the generated filter is always valid Lua.
 * It is written as the only filter script of a scratch site and run as the
 * build runs filters: lb_new, lb_filter_article, the body render,
 * lb_release_doc, twice over one state, so nodes kept from the first
 * article meet the second. Lua errors are expected; sanitizer reports are
 * findings. BRIEFING_FUZZ_SHOW=1 prints each generated script. The scratch
 * site is build-fuzz/luanode.XXXXXX below the current folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/diag.h"
#include "../../src/fsutil.h"
#include "../../src/lua_bridge.h"
#include "../../src/markdown.h"
#include "../../src/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], *script_path;
static struct site *site;
static struct lb_scripts *scripts;

/* ---- the program reader ---- */

struct prog {
	const uint8_t *p, *end;
	buf lua;
	int budget; /* statements left: keeps scripts short */
};

static unsigned next(struct prog *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

static const char *const node_types[] = {
	"Document", "BlockQuote", "List", "Item", "CodeBlock", "HtmlBlock", "CustomBlock",
	"Paragraph", "Heading", "ThematicBreak", "Text", "SoftBreak", "LineBreak", "Code",
	"HtmlInline", "CustomInline", "Emph", "Strong", "Link", "Image",
};
#define N_TYPES (sizeof node_types / sizeof node_types[0])

/* Content for a constructor: a string, a node, a list of them, or nil. */
static void content(struct prog *g, unsigned a, unsigned b)
{
	static const char *const forms[] = {
		"s(%u)", "p(%u, node)", "{s(%u), p(%u, node)}", "{p(%u, node), p(%u, node)}", "nil",
		"{p(%u, node), \"t\", briefing.Text(s(%u))}",
	};
	buf_printf(&g->lua, forms[a % 6], b, a + b);
}

/* A filter's result: keep, replace, splice, delete, or something wrong. */
static void result(struct prog *g, unsigned k)
{
	static const char *const forms[] = {
		"nil", "node", "p(%u, node)", "{}", "{node, p(%u, node)}", "{p(%u, node), node}",
		"briefing.Text(s(%u))", "s(%u)", "{s(%u)}", "briefing.Paragraph(s(%u))",
		"{p(%u, node), p(%u, node)}", "briefing.Emph({node})",
	};
	unsigned f = k % 12;
	buf_printf(&g->lua, forms[f], k / 12, k / 12 + 1);
}

static void filter_table(struct prog *g, int depth);

static void statement(struct prog *g, int depth)
{
	unsigned op = next(g), a = next(g), b = next(g);
	int wrap = op & 0x80;
	if (g->budget-- <= 0)
		return;
	if (wrap)
		buf_puts(&g->lua, "pcall(function() ");
	switch (op % 42) {
	case 0: buf_puts(&g->lua, "add(node)"); break;
	case 1:
		buf_printf(&g->lua, "local n = p(%u, node); local _ = {n.t, n.type, n.literal, n.url, "
		           "n.title, n.level, n.info, n.list_type, n.start, n.tight, n.delim, "
		           "n.start_line, n.start_column, n.end_line, n.end_column, n.nonsense}", a);
		break;
	case 2: buf_printf(&g->lua, "p(%u, node).level = %d", a, (int)(b % 9) - 1); break;
	case 3: buf_printf(&g->lua, "p(%u, node).url = s(%u)", a, b); break;
	case 4: buf_printf(&g->lua, "p(%u, node).title = s(%u)", a, b); break;
	case 5: buf_printf(&g->lua, "p(%u, node).literal = s(%u)", a, b); break;
	case 6: buf_printf(&g->lua, "p(%u, node).info = s(%u)", a, b); break;
	case 7:
		buf_printf(&g->lua, "p(%u, node).list_type = \"%s\"", a,
		           b % 3 == 0 ? "ordered" : b % 3 == 1 ? "bullet" : "other");
		break;
	case 8:
		buf_printf(&g->lua, "local n = p(%u, node); n.start = %d; n.tight = %s; n.delim = \"%s\"",
		           a, (int)b - 128, b & 1 ? "true" : "false", b & 2 ? "paren" : "period");
		break;
	case 9: buf_printf(&g->lua, "add(briefing.Text(s(%u)))", a); break;
	case 10: buf_printf(&g->lua, "add(briefing.Code(s(%u)))", a); break;
	case 11:
		buf_printf(&g->lua, "add(briefing.%s(s(%u)))", b & 1 ? "HtmlInline" : "HtmlBlock", a);
		break;
	case 12: buf_printf(&g->lua, "add(briefing.CodeBlock(s(%u), s(%u)))", a, b); break;
	case 13: {
		static const char *const empty[] = {"SoftBreak", "LineBreak", "ThematicBreak"};
		buf_printf(&g->lua, "add(briefing.%s())", empty[a % 3]);
		break;
	}
	case 14: case 15: case 16: case 17: case 18: {
		static const char *const ctor[] = {"Emph", "Strong", "Paragraph", "BlockQuote", "Item"};
		buf_printf(&g->lua, "add(briefing.%s(", ctor[op % 42 - 14]);
		content(g, a, b);
		buf_puts(&g->lua, "))");
		break;
	}
	case 19: case 20:
		buf_printf(&g->lua, "add(briefing.%s(", op % 42 == 19 ? "Link" : "Image");
		content(g, a, b);
		buf_printf(&g->lua, ", s(%u)%s))", b, a & 1 ? ", s(1)" : "");
		break;
	case 21:
		buf_printf(&g->lua, "add(briefing.Heading(%d, ", (int)(a % 8));
		content(g, a / 8, b);
		buf_puts(&g->lua, "))");
		break;
	case 22:
		buf_puts(&g->lua, "add(briefing.List({");
		content(g, a, b);
		buf_puts(&g->lua, ", ");
		content(g, b, a);
		buf_printf(&g->lua, "}, {type = \"%s\", start = %d, tight = %s, delim = \"paren\"}))",
		           a & 1 ? "ordered" : "bullet", (int)b - 3, b & 1 ? "true" : "false");
		break;
	case 23: case 24: case 25: case 26: {
		static const char *const how[] = {"append", "prepend", "insert_before", "insert_after"};
		buf_printf(&g->lua, "p(%u, node):%s(p(%u, node))", a, how[op % 42 - 23], b);
		break;
	}
	case 27: buf_printf(&g->lua, "add(p(%u, node):remove())", a); break;
	case 28: buf_printf(&g->lua, "add(p(%u, node):clone())", a); break;
	case 29:
		buf_printf(&g->lua, "p(%u, node):replace(", a);
		result(g, b);
		buf_puts(&g->lua, ")");
		break;
	case 30:
		buf_printf(&g->lua, "for _, c in ipairs(p(%u, node):children()) do add(c) end", a);
		break;
	case 31:
		buf_printf(&g->lua, "local _ = p(%u, node):text() .. briefing.stringify(p(%u, node)) "
		           ".. tostring(p(%u, node)) .. briefing.stringify({s(%u), p(%u, node)})",
		           a, b, a + 1, a, b + 2);
		break;
	case 32: {
		static const char *const nav[] = {"parent", "next", "prev", "first_child", "last_child"};
		buf_printf(&g->lua, "add(p(%u, node).%s)", a, nav[b % 5]);
		break;
	}
	case 33:
		if (depth < 2) {
			buf_printf(&g->lua, "p(%u, node):walk(", a);
			filter_table(g, depth + 1);
			buf_puts(&g->lua, ", article)");
		} else {
			buf_puts(&g->lua, "add(node)");
		}
		break;
	case 34: buf_puts(&g->lua, "collectgarbage()"); break;
	case 35: buf_printf(&g->lua, "if #P > 0 then table.remove(P, %u %% #P + 1) end", a); break;
	case 36: buf_printf(&g->lua, "P = {}; collectgarbage(\"step\", %u)", a); break;
	case 37: {
		static const char *const meta[] = {
			"s(%u)", "%u", "{1, 2, s(%u)}", "p(%u, node)", "nil", "{x = {y = s(%u)}}",
		};
		buf_printf(&g->lua, "article.meta[s(%u)] = ", a);
		buf_printf(&g->lua, meta[b % 6], b / 6);
		break;
	}
	case 38: buf_printf(&g->lua, "p(%u, node).literal = p(%u, node):text()", a, b); break;
	case 39:
		buf_printf(&g->lua, "add(p(%u, node):split(%u, %u))", a, b % 7 + 1, b % 7 + 1 + a % 5);
		break;
	case 40:
		buf_printf(&g->lua,
		           "do local h = briefing.matcher({s(%u), \"Donald Trump\", \"Kim\"}):find("
		           "p(%u, node), {skip = {\"%s\"}, once = %s}) for i = #h, 1, -1 do "
		           "add(h[i].node:split(h[i].first, h[i].last)) end end",
		           a, b, node_types[a % N_TYPES], b & 1 ? "true" : "false");
		break;
	default: buf_printf(&g->lua, "node = p(%u, node)", a); break;
	}
	buf_puts(&g->lua, wrap ? " end)\n" : "\n");
}

/* { traverse = ..., [when = ...,] Type = function(node, article) ... end, ... } */
static void filter_table(struct prog *g, int depth)
{
	unsigned flags = next(g);
	buf_printf(&g->lua, "{traverse = \"%s\",\n", flags & 1 ? "topdown" : "bottomup");
	if (flags & 2)
		buf_printf(&g->lua, "when = {Text = briefing.matcher({s(%u), \"Donald Trump\"})},\n",
		           flags >> 2);
	unsigned handlers = 1 + (flags >> 4) % 4;
	for (unsigned h = 0; h < handlers; h++) {
		buf_printf(&g->lua, "%s = function(node, article)\n", node_types[next(g) % N_TYPES]);
		unsigned n = next(g) % 6;
		for (unsigned i = 0; i < n; i++)
			statement(g, depth);
		buf_puts(&g->lua, "return ");
		result(g, next(g));
		buf_puts(&g->lua, "\nend,\n");
	}
	buf_puts(&g->lua, "}");
}

static void generate(struct prog *g)
{
	buf_puts(&g->lua,
	         "local P = {}\n"
	         "local S = {\"\", \"x\", \"a b\", \"<i>&amp;</i>\", \"https://e.org/?q=1&r=<2>\",\n"
	         "  \"javascript:alert(1)\", \"\\n\\n# h\\n\", string.rep(\"ab\", 300),\n"
	         "  \"Donald Trump\", \"\\u{e9}\\xff\", \"a\\0b\", \"*x* [y](z)\"}\n"
	         "local function s(i) return S[i % #S + 1] end\n"
	         "local function p(i, node)\n"
	         "  if #P == 0 then return node end\n"
	         "  return P[i % #P + 1]\n"
	         "end\n"
	         "local function add(x)\n"
	         "  if x ~= nil then P[#P + 1] = x end\n"
	         "  if #P > 64 then table.remove(P, 1) end\n"
	         "end\n");
	/* some nodes made when the script loads, outside any walk */
	unsigned n = next(g) % 4;
	for (unsigned i = 0; i < n; i++) {
		buf_puts(&g->lua, "pcall(function() local node = nil\n");
		statement(g, 2);
		buf_puts(&g->lua, "end)\n");
	}
	unsigned tables = 1 + next(g) % 2;
	buf_puts(&g->lua, tables > 1 ? "return {" : "return ");
	for (unsigned i = 0; i < tables; i++) {
		filter_table(g, 0);
		buf_puts(&g->lua, i + 1 < tables ? ",\n" : "\n");
	}
	if (tables > 1)
		buf_puts(&g->lua, "}\n");
}

/* ---- the scratch site ---- */

static void write_file(const char *path, const char *text, size_t len)
{
	if (fs_write(path, text, len) != 0) {
		perror(path);
		abort();
	}
}

static void init(void)
{
	/* in the fuzz build folder, not /tmp: the folder is made again for
	 * every input, which a shared /tmp would make unsafe */
	snprintf(dir, sizeof dir, "build-fuzz/luanode.XXXXXX");
	fs_mkdirs("build-fuzz");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		abort();
	}
	static const char yml[] = "title: Fuzz\n"
	                          "filters: [fuzz.lua]\n"
	                          "lua:\n"
	                          "  instruction_limit: 200000\n"
	                          "  memory_limit_mb: 64\n";
	char *p = fs_join(dir, "site.yml");
	write_file(p, yml, sizeof yml - 1);
	free(p);
	p = fs_join(dir, "scripts");
	fs_mkdirs(p);
	free(p);
	script_path = fs_join(dir, "scripts/fuzz.lua");
	write_file(script_path, "return {}\n", 10);
	struct diag *d = diag_new();
	site = site_open(dir, d);
	scripts = site ? lb_scripts_new(site, d) : NULL;
	if (!scripts) {
		diag_print(d, stderr);
		abort();
	}
	diag_free(d);
	/* from here on the folder exists only while lb_new reads the script
	 * (libFuzzer does not always run atexit handlers) */
	fs_rmtree(dir);
}

/* One article through the filters, as build.c's parse_one does it. */
static void filter_one(struct lb *lb, const char *md, size_t len)
{
	struct article *a = xcalloc(1, sizeof *a);
	a->path = xstrdup("content/articles/fuzz.md");
	a->rel = xstrdup("fuzz");
	a->slug = xstrdup("fuzz");
	a->url = xstrdup("articles/fuzz/");
	a->title = xstrdup("Fuzz");
	a->meta = val_map();
	val_set_str(a->meta, "title", "Fuzz");
	a->diag = diag_new();
	a->body_line = 4;
	a->doc = md_parse(md, len, MD_SMART);
	if (lb_filter_article(lb, a) == 0)
		article_render_body(site, a);
	lb_release_doc(lb, a);
	for (int i = 0; diag_message(a->diag, i, NULL); i++)
		;
	article_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!site)
		init();
	if (size > 16384)
		return 0;
	const uint8_t *nul = memchr(data, 0, size);
	size_t md_len = nul ? (size_t)(nul - data) : size;
	struct prog g = {.p = nul ? nul + 1 : data + size, .end = data + size, .lua = BUF_INIT,
	                 .budget = 48};
	unsigned flags = next(&g);
	generate(&g);
	if (getenv("BRIEFING_FUZZ_SHOW"))
		fprintf(stderr, "%s\n", g.lua.ptr);
	write_file(script_path, g.lua.ptr, g.lua.len);
	buf_free(&g.lua);

	struct diag *d = diag_new();
	site->cfg.unsafe = flags & 1;
	struct lb *lb = lb_new(site, scripts, 0, d);
	fs_rmtree(dir);
	if (lb) {
		filter_one(lb, (const char *)data, md_len);
		if (!(flags & 2))
			filter_one(lb, (const char *)data, md_len);
		lb_free(lb);
	}
	for (int i = 0; diag_message(d, i, NULL); i++)
		;
	diag_free(d);
	return 0;
}
