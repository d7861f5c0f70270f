/* Unit tests: buf, value, yamlvalue. */
#include "../../src/buf.h"
#include "../../src/diag.h"
#include "../../src/value.h"
#include "../../src/yamlvalue.h"
#include "test.h"

#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void buf_basics(void)
{
	buf b = BUF_INIT;
	CHECK_STR(b.ptr, "");
	buf_puts(&b, "a<b>");
	buf_printf(&b, "%d", 42);
	CHECK_STR(b.ptr, "a<b>42");
	buf_reset(&b);
	buf_put_html(&b, "<a href=\"x\">&'</a>", 18);
	CHECK_STR(b.ptr, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	char *s = buf_detach(&b, NULL);
	CHECK_STR(b.ptr, "");
	free(s);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%0300d", i);
	CHECK_INT(b.len, 300000);
	buf_free(&b);
}

/* The escapers against a byte-at-a-time reference, for every byte value,
 * alone and in a run, appended to text already in the buffer. */
static void escape_every_byte(void)
{
	buf got = BUF_INIT, want = BUF_INIT;
	for (int c = 0; c < 256; c++) {
		char in[5] = {'a', (char)c, 'b', (char)c, (char)c};
		const char *html;
		switch (c) {
		case '&': html = "&amp;"; break;
		case '<': html = "&lt;"; break;
		case '>': html = "&gt;"; break;
		case '"': html = "&quot;"; break;
		case '\'': html = "&#39;"; break;
		default: html = NULL;
		}
		char json[8];
		if (c == '"' || c == '\\')
			snprintf(json, sizeof json, "\\%c", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			snprintf(json, sizeof json, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			snprintf(json, sizeof json, "\\u%04x", c);
		else
			snprintf(json, sizeof json, "%c", c);
		for (int kind = 0; kind < 2; kind++) {
			buf_reset(&got);
			buf_reset(&want);
			buf_puts(&got, "x");
			buf_puts(&want, "x");
			if (kind == 0)
				buf_put_html(&got, in, sizeof in);
			else
				val_put_json_chars(&got, in, sizeof in);
			for (size_t i = 0; i < sizeof in; i++) {
				if (in[i] != (char)c)
					buf_putc(&want, in[i]);
				else if (kind == 1)
					buf_puts(&want, json);
				else if (html)
					buf_puts(&want, html);
				else
					buf_putc(&want, c);
			}
			CHECK(got.len == want.len && memcmp(got.ptr, want.ptr, got.len) == 0);
			CHECK(got.ptr[got.len] == '\0');
		}
	}
	/* long text: the run before, between and after the escapes */
	buf_reset(&got);
	buf_put_html(&got, "0123456789<0123456789>0123456789", 32);
	CHECK_STR(got.ptr, "0123456789&lt;0123456789&gt;0123456789");
	buf_reset(&got);
	val_put_json_chars(&got, "0123456789<0123456789\x01", 22);
	CHECK_STR(got.ptr, "0123456789\\u003c0123456789\\u0001");
	buf_free(&got);
	buf_free(&want);
}

static void value_maps(void)
{
	struct value *m = val_map();
	char key[16];
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		val_set(m, key, val_num(i));
	}
	CHECK_INT(val_len(m), 100);
	CHECK_INT(val_get_num(val_get(m, "k57")), 57);
	val_set(m, "k57", val_cstr("x"));
	CHECK_STR(val_get_cstr(m, "k57"), "x");
	CHECK_INT(val_len(m), 100);
	struct value *t = val_take(m, "k3");
	CHECK_INT(val_get_num(t), 3);
	val_free(t);
	CHECK(val_get(m, "k3") == NULL);
	CHECK_INT(val_get_num(val_get(m, "k99")), 99);
	CHECK_STR(val_key_at(m, 0, NULL), "k0");
	struct value *r = val_ref(m);
	CHECK_INT(val_get_num(val_get(r, "k98")), 98);
	val_free(r);
	val_free(m);
}

static struct value *parse(const char *text, struct diag *d)
{
	return yv_parse(text, strlen(text), "x.yml", NULL, d);
}

/* Sets keys prefix0..prefix<n-1> to 0..n-1 (n past HASH_FROM: an index). */
static void fill(struct value *m, const char *prefix, int n)
{
	char key[32];
	for (int i = 0; i < n; i++) {
		snprintf(key, sizeof key, "%s%d", prefix, i);
		val_set(m, key, val_num(i));
	}
}

/* A layered map whose own keys are indexed, with an object id: below,
 * index and id live together out of the node and must not disturb each
 * other, nor survive a copy that should not have them. */
/* a map that let go of its spare room still finds every key (short and
 * long, through its hash index) and grows again */
static void value_map_fit(void)
{
	struct value *m = val_map();
	fill(m, "long key number ", 20);
	val_set_str(m, "k", "short");
	val_map_fit(m);
	CHECK_INT(val_len(m), 21);
	CHECK_STR(val_get_cstr(m, "k"), "short");
	CHECK(val_get(m, "long key number 19") != NULL);
	val_set_str(m, "later", "x");
	CHECK_STR(val_get_cstr(m, "later"), "x");
	CHECK(val_get(m, "long key number 0") != NULL);
	struct value *e = val_map();
	val_map_fit(e);
	val_set_str(e, "one", "1");
	CHECK_STR(val_get_cstr(e, "one"), "1");
	val_free(e);
	val_free(m);
}

static void value_layered_maps(void)
{
	struct value *low = val_map();
	fill(low, "k", 30);
	val_set_str(low, "shared", "low");
	struct value *top = val_map_over(low);
	CHECK(val_below(top) == low);
	CHECK_INT(val_obj(top), 0);
	val_set_obj(top, 7);
	fill(top, "t", 20);
	val_set_str(top, "shared", "top");
	CHECK_INT(val_obj(top), 7);
	CHECK(val_below(top) == low);
	CHECK_INT(val_len(top), 21);
	CHECK_INT(val_get_num(val_get(top, "t19")), 19);
	CHECK_INT(val_get_num(val_get(top, "k29")), 29);
	CHECK_STR(val_get_cstr(top, "shared"), "top");
	CHECK(val_getn_own(top, "k29", 3) == NULL);
	CHECK(val_get(top, "nowhere") == NULL);

	struct value *flat = val_flatten(top);
	CHECK_INT(val_len(flat), 51);
	CHECK(val_below(flat) == NULL);
	CHECK_STR(val_get_cstr(flat, "shared"), "top");
	CHECK_INT(val_get_num(val_get(flat, "k0")), 0);
	val_free(flat);

	/* a copy keeps what it lies over but not the id */
	struct value *copy = val_copy(top);
	CHECK(val_below(copy) == low);
	CHECK_INT(val_obj(copy), 0);
	CHECK(val_equal(copy, top));
	CHECK_INT(val_get_num(val_get(copy, "k7")), 7);
	CHECK_INT(val_get_num(val_get(copy, "t7")), 7);
	val_free(copy);

	/* a copy of a plain map lies over nothing */
	copy = val_copy(low);
	CHECK(val_below(copy) == NULL);
	CHECK(val_equal(copy, low));
	val_free(copy);

	/* cut loose: the id and the index stay */
	val_set_below(top, NULL);
	CHECK(val_below(top) == NULL);
	CHECK(val_get(top, "k1") == NULL);
	CHECK_INT(val_get_num(val_get(top, "t13")), 13);
	CHECK_INT(val_obj(top), 7);
	val_set_below(top, low);
	CHECK_INT(val_get_num(val_get(top, "k1")), 1);
	val_set_obj(top, 0);
	CHECK_INT(val_obj(top), 0);
	CHECK(val_below(top) == low);

	/* only maps carry an id; setting one on anything else does nothing */
	struct value *s = val_cstr("x"), *l = val_list(), *m = val_map();
	val_set_obj(s, 3);
	val_set_obj(l, 3);
	val_set_obj(m, 0);
	CHECK_INT(val_obj(s), 0);
	CHECK_INT(val_obj(l), 0);
	CHECK_INT(val_obj(m), 0);
	CHECK(val_below(s) == NULL);
	val_set_below(s, low);
	CHECK(val_below(s) == NULL);
	val_free(s);
	val_free(l);
	val_free(m);
	val_free(top);
	val_free(low);
}

/* Taking keys one by one from an indexed map down past HASH_FROM: every
 * key left is still found, every key taken is gone, the id stays. */
static void value_take_indexed(void)
{
	struct value *m = val_map();
	val_set_obj(m, 11);
	fill(m, "k", 40);
	char key[32];
	for (int gone = 0; gone < 40; gone++) {
		/* from both ends and the middle, so positions shift */
		int i = gone % 3 == 0 ? gone / 3 : gone % 3 == 1 ? 39 - gone / 3 : 20 + gone / 3;
		snprintf(key, sizeof key, "k%d", i);
		struct value *t = val_take(m, key);
		if (!t) { /* the middle walk met an end: take the first left */
			const char *first = val_key_at(m, 0, NULL);
			CHECK(first != NULL);
			snprintf(key, sizeof key, "%s", first);
			t = val_take(m, key);
		}
		CHECK(t != NULL);
		val_free(t);
		CHECK(val_get(m, key) == NULL);
		CHECK_INT(val_len(m), 39 - gone);
		for (size_t j = 0; j < val_len(m); j++) {
			const char *k = val_key_at(m, j, NULL);
			CHECK(val_get(m, k) == val_at(m, j));
		}
	}
	CHECK(val_take(m, "k0") == NULL);
	CHECK_INT(val_obj(m), 11);
	fill(m, "again", 13);
	CHECK_INT(val_get_num(val_get(m, "again12")), 12);
	val_free(m);
}

/* Columns are kept in 16 bits: a column past 65535 reads as 65535. */
static void value_column_saturates(void)
{
	struct value *v = val_null();
	val_set_pos(v, 100000, 65535);
	CHECK_INT(val_line(v), 100000);
	CHECK_INT(val_col(v), 65535);
	val_set_pos(v, 3, 70000);
	CHECK_INT(val_line(v), 3);
	CHECK_INT(val_col(v), 65535);
	val_set_pos(v, 2, 9);
	CHECK_INT(val_col(v), 9);
	val_free(v);

	/* from YAML: the last item of a line 75,000 bytes long (at column 75,005) */
	buf text = BUF_INIT;
	buf_puts(&text, "a: [");
	for (int i = 0; i < 25000; i++)
		buf_puts(&text, "1, ");
	buf_puts(&text, "2]\nb: x\n");
	struct diag *d = diag_new();
	struct value *y = parse(text.ptr, d);
	struct value *a = val_get(y, "a");
	CHECK_INT(val_len(a), 25001);
	CHECK_INT(val_col(val_at(a, 1)), 8);
	CHECK_INT(val_col(val_at(a, 25000)), 65535);
	CHECK_INT(val_line(val_at(a, 25000)), 1);
	CHECK_INT(val_col(val_get(y, "b")), 4);
	val_free(y);
	diag_free(d);
	buf_free(&text);
}

/* Maps from an arena get their ext from the heap, also when the arena
 * is no longer in use; val_free and val_arena_free free each byte once
 * (`make asan` checks). */
static void value_arena_maps(void)
{
	struct val_arena *a = val_arena_new();
	val_arena_use(a);
	struct value *low = val_map_sized(4);
	fill(low, "k", 30); /* outgrows its arena entries: an index too */
	struct value *top = val_map_over(low);
	val_set_obj(top, 5);
	struct value *list = val_list_sized(2);
	for (int i = 0; i < 10; i++)
		val_push(list, val_cstr("item"));
	val_set(top, "list", list);
	struct value *later = val_map_sized(2);
	val_arena_use(NULL);
	val_set_obj(later, 6); /* the arena is off now */
	val_set_below(later, top);
	fill(later, "x", 14);
	CHECK_INT(val_obj(later), 6);
	CHECK_INT(val_obj(top), 5);
	CHECK_INT(val_get_num(val_get(later, "k29")), 29);
	CHECK_INT(val_get_num(val_get(later, "x13")), 13);
	CHECK_INT(val_len(val_get(later, "list")), 10);
	struct value *copy = val_copy(later); /* on the heap, over the arena's top */
	CHECK(val_below(copy) == top);
	CHECK_INT(val_get_num(val_get(copy, "k3")), 3);
	val_free(copy);
	val_free(later);
	val_free(top);
	val_free(low);
	val_arena_free(a);
}

static void value_numbers(void)
{
	buf b = BUF_INIT;
	val_format_num(&b, 1.21);
	buf_putc(&b, ' ');
	val_format_num(&b, 85);
	buf_putc(&b, ' ');
	val_format_num(&b, -0.5);
	buf_putc(&b, ' ');
	val_format_num(&b, 0.1 + 0.2);
	CHECK_STR(b.ptr, "1.21 85 -0.5 0.30000000000000004");
	buf_free(&b);
}

/* Found by fuzz_frontmatter: a YAML number far outside long long was cast
 * to one before its size was checked (undefined behaviour; UBSan under
 * `make asan` stops here). */
static void value_huge_numbers(void)
{
	buf b = BUF_INIT;
	val_format_num(&b, 1.8477e99);
	buf_putc(&b, ' ');
	val_format_num(&b, -1e300);
	buf_putc(&b, ' ');
	val_format_num(&b, 1e15);
	buf_putc(&b, ' ');
	val_format_num(&b, 123456789012345.0);
	CHECK_STR(b.ptr, "1.8477e+99 -1e+300 1e+15 123456789012345");
	buf_free(&b);
	struct diag *d = diag_new();
	const char *yaml = "n: 000000000000000001847777777777777777777777777777777777777777\n";
	struct value *v = yv_parse(yaml, strlen(yaml), "x.yml", NULL, d);
	buf json = BUF_INIT;
	val_to_json(&json, v);
	CHECK_STR(json.ptr, "{\"n\":1.8477777777777778e+42}");
	buf_free(&json);
	val_free(v);
	diag_free(d);
}

static void yaml_types(void)
{
	struct diag *d = diag_new();
	struct value *v = parse("a: 1.210\nb: true\nc: ~\nd: '5'\ne: 2024-01-02\nf: [x, 'y']\n"
	                        "g: {h: -3}\ni: 0x1f\nj: hello world\n", d);
	CHECK(v != NULL);
	CHECK_INT(val_type(val_get(v, "a")), VAL_NUM);
	CHECK(val_get_num(val_get(v, "a")) == 1.21);
	CHECK_INT(val_type(val_get(v, "b")), VAL_BOOL);
	CHECK_INT(val_type(val_get(v, "c")), VAL_NULL);
	CHECK_STR(val_get_cstr(v, "d"), "5");
	CHECK_STR(val_get_cstr(v, "e"), "2024-01-02");
	CHECK_INT(val_len(val_get(v, "f")), 2);
	CHECK_INT(val_get_num(val_get(val_get(v, "g"), "h")), -3);
	CHECK_INT(val_get_num(val_get(v, "i")), 31);
	CHECK_STR(val_get_cstr(v, "j"), "hello world");
	CHECK_INT(val_line(val_get(v, "j")), 9);
	CHECK_INT(val_col(val_get(v, "j")), 4);
	buf b = BUF_INIT;
	val_to_json(&b, val_get(v, "f"));
	CHECK_STR(b.ptr, "[\"x\",\"y\"]");
	buf_free(&b);
	val_free(v);
	diag_free(d);
}

static void yaml_errors(void)
{
	struct diag *d = diag_new();
	struct yv_options opt = {.line_offset = 1};
	struct value *v = yv_parse("title: a\ntitle: b\n", 18, "c.md", &opt, d);
	CHECK(v == NULL);
	CHECK_STR(diag_message(d, 0, NULL), "c.md:3:1: error: duplicate key \"title\"");
	v = parse("a: \"unclosed\n", d);
	CHECK(v == NULL);
	CHECK(strstr(diag_message(d, 1, NULL), "x.yml:") == diag_message(d, 1, NULL));
	/* billion laughs: each level multiplies by 9 */
	const char *bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	                   "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	                   "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	                   "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n";
	v = parse(bomb, d);
	CHECK(v == NULL);
	CHECK(strstr(diag_message(d, 2, NULL), "too large") != NULL);
	buf deep = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_putc(&deep, '[');
	v = parse(deep.ptr, d);
	CHECK(v == NULL);
	CHECK(strstr(diag_message(d, 3, NULL), "nesting deeper") != NULL);
	buf_free(&deep);
	/* reader errors at the bad byte's line and column, not at 1:1 */
	v = parse("a: 1\nb: \"caf\xe9\"\n", d);
	CHECK(v == NULL);
	CHECK_STR(diag_message(d, 4, NULL), "x.yml:2:8: error: invalid text: invalid trailing UTF-8 octet");
	/* "\0" would cut a string short where it is used as a C string */
	v = parse("a: 1\nb: \"x\\0y\"\n", d);
	CHECK(v == NULL);
	CHECK_STR(diag_message(d, 5, NULL),
	          "x.yml:2:4: error: expected text without NUL characters, found \"\\0\" in a string");
	v = parse("", d);
	CHECK_INT(val_type(v), VAL_NULL);
	val_free(v);
	diag_free(d);
}

/* A lazy map: filled once, on the first look from any thread, layered
 * lookups included; one never looked into is freed without filling. */
struct counted {
	struct val_lazy z;
	int *fills, *frees;
};

static struct value *fill_two(struct val_lazy *z)
{
	struct counted *c = (struct counted *)z;
	(*c->fills)++;
	struct value *m = val_map();
	val_set_str(m, "title", "Talks resume");
	for (int i = 0; i < 20; i++) { /* past the size that gets an index */
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		val_set_num(m, key, i);
	}
	return m;
}

static void free_counted(struct val_lazy *z)
{
	struct counted *c = (struct counted *)z;
	(*c->frees)++;
	free(c);
}

static struct value *lazy_map(int *fills, int *frees)
{
	struct counted *c = xmalloc(sizeof *c);
	*c = (struct counted){{fill_two, free_counted}, fills, frees};
	struct value *m = val_map();
	val_map_lazy(m, &c->z);
	return m;
}

static void *look(void *m)
{
	return (void *)val_get_cstr(m, "title");
}

static void value_lazy_maps(void)
{
	int fills = 0, frees = 0;
	struct value *m = lazy_map(&fills, &frees);
	CHECK_INT(fills, 0);
	size_t before = val_lazy_filled();
	CHECK_INT((int)val_len(m), 21);
	CHECK_INT(fills, 1);
	CHECK_INT(frees, 1);
	CHECK_INT((int)(val_lazy_filled() - before), 1);
	CHECK_STR(val_get_cstr(m, "title"), "Talks resume");
	CHECK(val_get_num(val_get(m, "k19")) == 19);
	CHECK_INT(fills, 1);
	val_free(m);

	m = lazy_map(&fills, &frees);
	val_free(m); /* never opened */
	/* a map with room but no entries takes the filled ones (and lets
	 * its room go: make asan sees a leak otherwise) */
	struct counted *room = xmalloc(sizeof *room);
	*room = (struct counted){{fill_two, free_counted}, &fills, &frees};
	m = val_map();
	val_set_str(m, "gone", "x");
	val_free(val_take(m, "gone"));
	val_map_lazy(m, &room->z);
	CHECK_STR(val_get_cstr(m, "title"), "Talks resume");
	val_free(m);
	fills--, frees--;
	CHECK_INT(fills, 1);
	CHECK_INT(frees, 2);

	/* below a layer: a lookup that misses above fills it */
	struct value *below = lazy_map(&fills, &frees);
	struct value *top = val_map_over(below);
	val_set_str(top, "summary", "s");
	CHECK_STR(val_get_cstr(top, "summary"), "s");
	CHECK_INT(fills, 1);
	CHECK_STR(val_get_cstr(top, "title"), "Talks resume");
	CHECK_INT(fills, 2);
	val_free(top);
	val_free(below);

	/* copies, comparisons and writes see the entries */
	struct value *a = lazy_map(&fills, &frees), *b = lazy_map(&fills, &frees);
	struct value *c = val_copy(a);
	CHECK(val_equal(c, b));
	val_set_str(b, "title", "Talks stall");
	CHECK(!val_equal(c, b));
	CHECK_INT(fills, 4);
	val_free(a);
	val_free(b);
	val_free(c);

	/* threads that look at once: one fill, both see it */
	for (int round = 0; round < 50; round++) {
		int f = 0, g = 0;
		struct value *shared = lazy_map(&f, &g);
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, look, shared);
		int seen = 0;
		for (int i = 0; i < 4; i++) {
			void *r;
			pthread_join(t[i], &r);
			seen += r && !strcmp(r, "Talks resume");
		}
		CHECK_INT(seen, 4);
		CHECK_INT(f, 1);
		val_free(shared);
	}
}

int main(void)
{
	RUN(buf_basics);
	RUN(escape_every_byte);
	RUN(value_maps);
	RUN(value_map_fit);
	RUN(value_layered_maps);
	RUN(value_take_indexed);
	RUN(value_column_saturates);
	RUN(value_arena_maps);
	RUN(value_lazy_maps);
	RUN(value_numbers);
	RUN(value_huge_numbers);
	RUN(yaml_types);
	RUN(yaml_errors);
	return TEST_MAIN_END();
}
