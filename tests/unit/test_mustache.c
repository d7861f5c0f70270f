/* Unit tests: Mustache errors with positions, missing partials, recursion
 * limits, escaping, and rendering one compiled set from several threads. */
#include <pthread.h>
#include <stdlib.h>

#include "../../src/mustache.h"
#include "../../src/yamlvalue.h"
#include "test.h"

static const char *compile_error(const char *text)
{
	static char msg[512];
	struct mst_set *set = mst_set_new();
	struct diag *d = diag_new();
	int rc = mst_set_add(set, "t", text, strlen(text), "themes/x/t.mustache", d);
	const char *m = diag_message(d, 0, NULL);
	snprintf(msg, sizeof msg, "%s", rc == 0 ? "(compiled)" : m ? m : "(no message)");
	diag_free(d);
	mst_set_free(set);
	return msg;
}

static void errors(void)
{
	CHECK_STR(compile_error("<ul>\n{{#people}}\n  <li>{{name}}</li>\n"),
	          "themes/x/t.mustache:4:1: error: unclosed section \"people\" opened at 2:1");
	CHECK_STR(compile_error("a\n  {{#a}}{{/b}}"),
	          "themes/x/t.mustache:2:9: error: closing tag \"b\" does not match \"a\" opened at 2:3");
	CHECK_STR(compile_error("x {{/a}}"), "themes/x/t.mustache:1:3: error: unexpected closing tag \"a\"");
	CHECK_STR(compile_error("é {{name"), "themes/x/t.mustache:1:3: error: unclosed tag: expected \"}}\"");
	CHECK_STR(compile_error("{{= a =}}"),
	          "themes/x/t.mustache:1:1: error: invalid delimiter tag: expected {{=OPEN CLOSE=}}");
	CHECK_STR(compile_error("{{ }}"), "themes/x/t.mustache:1:1: error: empty tag name");
	CHECK_STR(compile_error("{{<layout}}{{$x}}y{{/x}}"),
	          "themes/x/t.mustache:1:25: error: unclosed parent \"layout\" opened at 1:1");
}

static struct value *data(const char *yaml)
{
	struct diag *d = diag_new();
	struct value *v = yv_parse(yaml, strlen(yaml), "data", NULL, d);
	diag_free(d);
	return v;
}

static char *render(struct mst_set *set, const char *name, const struct value *v, int *rc)
{
	buf out = BUF_INIT;
	struct diag *d = diag_new();
	const struct value *ctx[1] = {v};
	*rc = mst_render(set, name, ctx, 1, &out, d);
	diag_free(d);
	return buf_detach(&out, NULL);
}

static void add(struct mst_set *set, const char *name, const char *text)
{
	struct diag *d = diag_new();
	mst_set_add(set, name, text, strlen(text), name, d);
	diag_free(d);
}

static void partials_and_escaping(void)
{
	struct mst_set *set = mst_set_new();
	add(set, "page", "[{{>missing}}]{{title}}|{{{title}}}|{{&title}}|{{n}}|{{yes}}|{{#empty}}E{{/empty}}");
	add(set, "loop", "{{>loop}}");
	struct value *v = data("title: \"<a href='x'>&\\\"</a>\"\nn: 1.210\nyes: true\nempty: \"\"\n");
	int rc;
	char *out = render(set, "page", v, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(out, "[]&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;|<a href='x'>&\"</a>|"
	               "<a href='x'>&\"</a>|1.21|true|");
	free(out);
	out = render(set, "loop", v, &rc);
	CHECK_INT(rc, -1);
	free(out);
	val_free(v);
	mst_set_free(set);
}

static void loop_flags(void)
{
	struct mst_set *set = mst_set_new();
	add(set, "t", "{{#rows}}{{#cells}}{{^@first}},{{/@first}}{{.}}{{/cells}}{{^@last}};{{/@last}}{{/rows}}|{{@first}}");
	struct value *v = data("rows: [{cells: [a, b]}, {cells: [c]}, {cells: [d, e, f]}]\n");
	int rc;
	char *out = render(set, "t", v, &rc);
	CHECK_STR(out, "a,b;c;d,e,f|");
	free(out);
	val_free(v);
	mst_set_free(set);
}

static void json_templates(void)
{
	struct mst_set *set = mst_set_new();
	add(set, "x.json", "{\"t\": \"{{t}}\", \"raw\": {{{n}}}}");
	add(set, "x.html", "{{t}}");
	struct value *v = data("t: \"a \\\"q\\\" \\\\ <b> & \\n end\"\nn: 3\n");
	int rc;
	char *out = render(set, "x.json", v, &rc);
	CHECK_STR(out, "{\"t\": \"a \\\"q\\\" \\\\ \\u003cb\\u003e \\u0026 \\n end\", \"raw\": 3}");
	free(out);
	out = render(set, "x.html", v, &rc);
	CHECK_STR(out, "a &quot;q&quot; \\ &lt;b&gt; &amp; \n end");
	free(out);
	val_free(v);
	mst_set_free(set);
}

/* A second name for a template shares its tree: it renders the same,
 * stays when the first name is given another text (the theme's
 * "theme/NAME" under a site's own NAME), and escapes by its own name. */
static void aliases(void)
{
	struct mst_set *set = mst_set_new();
	add(set, "home", "<h1>{{t}}</h1>{{>card}}");
	add(set, "card", "[{{t}}]");
	CHECK_INT(mst_set_alias(set, "theme/home", "home"), 0);
	CHECK_INT(mst_set_alias(set, "theme/x.json", "card"), 0);
	CHECK_INT(mst_set_alias(set, "theme/none", "none"), -1);
	CHECK(!mst_set_has(set, "theme/none"));
	add(set, "home", "<main>{{<theme/home}}{{/theme/home}}</main>");
	struct value *v = data("t: \"a \\\"b\\\" & c\"\n");
	int rc;
	char *out = render(set, "home", v, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(out, "<main><h1>a &quot;b&quot; &amp; c</h1>[a &quot;b&quot; &amp; c]</main>");
	free(out);
	out = render(set, "theme/x.json", v, &rc);
	CHECK_STR(out, "[a \\\"b\\\" \\u0026 c]");
	free(out);
	val_free(v);
	mst_set_free(set);
}

static struct mst_set *shared;
static struct value *shared_data;
static char *expected;

static void *worker(void *arg)
{
	int *bad = arg;
	for (int i = 0; i < 200; i++) {
		int rc;
		char *out = render(shared, "list", shared_data, &rc);
		*bad += rc != 0 || strcmp(out, expected) != 0;
		free(out);
	}
	return NULL;
}

static void threads(void)
{
	shared = mst_set_new();
	add(shared, "item", "  <li>{{name}}</li>\n");
	add(shared, "list", "{{<frame}}{{$body}}\n<ul>\n{{#people}}\n  {{>item}}\n{{/people}}\n</ul>\n{{/body}}{{/frame}}");
	add(shared, "frame", "<main>\n  {{$body}}\n  {{/body}}\n</main>\n");
	shared_data = data("people: [{name: Ann}, {name: Bo}, {name: \"C&D\"}]\n");
	int rc;
	expected = render(shared, "list", shared_data, &rc);
	CHECK_STR(expected, "<main>\n  <ul>\n      <li>Ann</li>\n      <li>Bo</li>\n      <li>C&amp;D</li>\n  </ul>\n</main>\n");
	pthread_t t[4];
	int bad[4] = {0};
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, &bad[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(bad[0] + bad[1] + bad[2] + bad[3], 0);
	free(expected);
	val_free(shared_data);
	mst_set_free(shared);
}

int main(void)
{
	RUN(errors);
	RUN(partials_and_escaping);
	RUN(loop_flags);
	RUN(json_templates);
	RUN(aliases);
	RUN(threads);
	return TEST_MAIN_END();
}
