/* test_cachefile.c: the build cache's value encoding in memory; items
 * written whole or left in a base; and pages that hold their data packed
 * in that encoding until a render reads it, also as the cache saves and
 * reads them back; an entity file's parse kept with its positions. */
#include <stdlib.h>

#include "../../src/cachefile.h"
#include "../../src/diag.h"
#include "../../src/hashes.h"
#include "../../src/site.h"
#include "../../src/yamlvalue.h"
#include "test.h"

static struct value *sample(void)
{
	struct value *m = val_map();
	val_set_str(m, "title", "Talks resume");
	val_set_num(m, "count", 3);
	val_set_bool(m, "draft", 0);
	val_set(m, "none", val_null());
	struct value *list = val_list();
	for (int i = 0; i < 20; i++) {
		struct value *item = val_map();
		val_set_num(item, "n", i);
		val_set_str(item, "a key longer than fifteen bytes", "x");
		val_push(list, item);
	}
	val_set(m, "items", list);
	return m;
}

static void encode(struct cf_writer *w, const struct value *v)
{
	cf_memory(w);
	cf_value(w, v);
}

/* what cf_value wrote in memory reads back the same */
static void memory_round_trip(void)
{
	struct value *v = sample();
	struct cf_writer w;
	encode(&w, v);
	CHECK(!w.failed);
	struct cf_reader r = {.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1};
	struct value *back = cf_get_value(&r);
	CHECK(cf_ok(&r) && r.p == r.end);
	CHECK(val_equal(v, back));
	CHECK(cf_is_map(w.b.ptr, w.b.len));
	val_free(back);
	val_free(v);
	buf_free(&w.b);
}

/* a keyed step's page saved packed reads back as the same bytes, from a
 * tree or from bytes, without decoding them; a cut anywhere, or data that
 * is not a map, fails the read, and a reference to an object the site
 * does not have does not decode */
static void pages_saved_packed(void)
{
	struct site s = {0};
	struct page *tree = page_new("topics/x/", "topic", "topic", "X", sample(), "t.lua");
	struct page *bytes = page_new("topics/x/", "topic", "topic", "X", sample(), "t.lua");
	page_pack(bytes);
	for (int k = 0; k < 2; k++) {
		struct cf_writer w;
		cf_memory(&w);
		page_save_packed(&w, k ? bytes : tree);
		CHECK(!w.failed);
		struct cf_reader r = {.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1, .borrow = 1};
		struct page *back = page_load_packed(&r);
		CHECK(back && cf_ok(&r) && r.p == r.end);
		CHECK(back && !back->data && !back->packed_own && page_same_data(back, bytes));
		CHECK(back && back->packed > w.b.ptr && back->packed < w.b.ptr + w.b.len);
		int passed = 0;
		for (size_t cut = 0; cut < w.b.len; cut++) {
			struct cf_reader c = {.p = w.b.ptr, .end = w.b.ptr + cut, .ok = 1, .borrow = 1};
			struct page *p = page_load_packed(&c);
			passed += p != NULL;
			page_free(p);
		}
		CHECK_INT(passed, 0);
		page_free(back);
		buf_free(&w.b);
	}
	page_free(tree);
	page_free(bytes);

	struct value *l = val_list();
	val_push(l, val_num(1));
	struct page *list = page_new("x/", "page", "page", "", val_map(), "t.lua");
	val_free(list->data);
	list->data = l;
	struct cf_writer w;
	cf_memory(&w);
	page_save_packed(&w, list);
	struct cf_reader r = {.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1, .borrow = 1};
	CHECK(page_load_packed(&r) == NULL && !cf_ok(&r));
	buf_free(&w.b);
	page_free(list);

	struct value *target = val_map();
	val_set_obj(target, 7);
	struct value *m = val_map();
	val_set(m, "article", val_ref(target));
	size_t len;
	char *packed = site_pack(m, &len);
	CHECK(packed != NULL);
	CHECK(site_unpack(&s, packed, len, 1) == NULL); /* no object 7 here */
	free(packed);
	val_free(m);
	val_free(target);
}

/* a page packs its data, reads it back, and compares as bytes; a lambda
 * keeps the tree */
static int no_call(void *ud, const char *text, size_t len, buf *out)
{
	(void)ud, (void)text, (void)len, (void)out;
	return 0;
}

static void pages_pack(void)
{
	struct site s = {0};
	struct page *a = page_new("topics/x/", "topic", "topic", "X", sample(), "t.lua");
	struct page *b = page_new("topics/x/", "topic", "topic", "X", sample(), "t.lua");
	struct value *want = sample();
	page_pack(a);
	CHECK(a->data == NULL && a->packed && a->packed_own);
	struct value *own;
	const struct value *got = page_data(&s, a, &own);
	CHECK(got && got == own && val_equal(got, want));
	val_free(own);
	CHECK(!page_same_data(a, b)); /* packed against a tree */
	page_pack(b);
	CHECK(page_same_data(a, b));
	val_set_str(want, "title", "Talks stall");
	struct page *c = page_new("topics/x/", "topic", "topic", "X", want, "t.lua");
	page_pack(c);
	CHECK(!page_same_data(a, c));
	page_unpack(&s, c);
	CHECK(c->data && !c->packed);
	CHECK_STR(val_get_cstr(c->data, "title"), "Talks stall");

	struct value *lam = val_map();
	val_set(lam, "f", val_func((struct val_func){no_call, NULL, NULL}));
	struct page *d = page_new("x/", "page", "page", "", lam, "t.lua");
	page_pack(d);
	CHECK(d->data == lam && !d->packed);
	page_free(a);
	page_free(b);
	page_free(c);
	page_free(d);
}

/* Reads the items of a file written by items_in_base: each a string. */
static int read_items(struct cf_reader *r, char **got, int n)
{
	for (int i = 0; i < n; i++) {
		struct cf_reader sub, *in = cf_get_item(r, &sub);
		got[i] = cf_get_str(in);
		cf_item_end(r, in);
	}
	return cf_ok(r) && r->p == r->end;
}

/* an item whose bytes lie in the writer's base is written as where they
 * are: the reader finds them there; out of the base, or with no base, the
 * bytes are written; a reference past the base's end, a file read without
 * its base and an item read short each fail the reader */
static void items_in_base(void)
{
	struct cf_writer base;
	cf_memory(&base);
	cf_item(&base);
	cf_str(&base, "the first, in the base");
	size_t second = base.b.len;
	cf_item(&base);
	cf_str(&base, "the second, also there");
	struct cf_reader r = {.p = base.b.ptr, .end = base.b.ptr + base.b.len, .ok = 1};
	const char *at[2];
	size_t len[2];
	for (int i = 0; i < 2; i++) { /* (as a reader would find them) */
		struct cf_reader sub, *in = cf_get_item(&r, &sub);
		at[i] = in->p;
		free(cf_get_str(in));
		len[i] = (size_t)(in->p - at[i]);
		cf_item_end(&r, in);
	}
	CHECK(cf_ok(&r) && r.p == r.end && at[1] == base.b.ptr + second + 1);

	const char *elsewhere = "\x05new!"; /* a string's bytes, not the base's */
	struct cf_writer w;
	cf_memory(&w);
	w.base = base.b.ptr;
	w.base_len = base.b.len;
	cf_item_raw(&w, at[1], len[1]);
	cf_item_raw(&w, elsewhere, 5);
	cf_item(&w);
	cf_str(&w, "written here");
	cf_item_raw(&w, at[0], len[0]);
	CHECK(w.b.len < len[0] + len[1]); /* (the two from the base: a few bytes each) */

	char *got[4] = {0};
	r = (struct cf_reader){.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1, .base = base.b.ptr,
	                       .base_len = base.b.len};
	CHECK(read_items(&r, got, 4));
	CHECK_STR(got[0], "the second, also there");
	CHECK_STR(got[1], "new!");
	CHECK_STR(got[2], "written here");
	CHECK_STR(got[3], "the first, in the base");
	for (int i = 0; i < 4; i++)
		free(got[i]);

	r = (struct cf_reader){.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1};
	CHECK(!read_items(&r, got, 4)); /* no base */
	for (int i = 0; i < 4; i++)
		free(got[i]);
	r = (struct cf_reader){.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1, .base = base.b.ptr,
	                       .base_len = second};
	CHECK(!read_items(&r, got, 4)); /* the second item past the base's end */
	for (int i = 0; i < 4; i++)
		free(got[i]);

	struct cf_writer two; /* an item of two strings, read as one */
	cf_memory(&two);
	two.base = base.b.ptr;
	two.base_len = base.b.len;
	cf_item_raw(&two, at[0], len[0] + len[1]);
	r = (struct cf_reader){.p = two.b.ptr, .end = two.b.ptr + two.b.len, .ok = 1,
	                       .base = base.b.ptr, .base_len = base.b.len};
	CHECK(!read_items(&r, got, 1));
	free(got[0]);
	buf_free(&two.b);
	buf_free(&w.b);
	buf_free(&base.b);
}

/* Do a and b hold the same values at the same line:col, all the way
 * down? */
static int same_positions(const struct value *a, const struct value *b)
{
	if (val_line(a) != val_line(b) || val_col(a) != val_col(b) || val_type(a) != val_type(b))
		return 0;
	if (val_type(a) != VAL_LIST && val_type(a) != VAL_MAP)
		return 1;
	for (size_t i = 0; i < val_len(a); i++)
		if (!same_positions(val_at(a, i), val_at(b, i)))
			return 0;
	return val_len(a) == val_len(b);
}

/* a person file's parse, kept as the cache keeps it, reads back with
 * every value at its line:col and the same HTML, through the cache's
 * section of parses (by path); cf_value keeps no positions; bytes cut
 * short, two positions in a row or a value that is no map do not read */
static void memo_positions(void)
{
	static const char yaml[] = "name: \"Ada Keller\"\n"
	                           "aliases:\n"
	                           "  - \"Keller\"\n"
	                           "  - \"Envoy Keller\"\n"
	                           "role: {title: \"Envoy\", since: 2019}\n";
	struct diag *d = diag_new();
	struct yv_options opt = {.line_offset = 1};
	struct value *meta = yv_parse(yaml, sizeof yaml - 1, "people/ada.md", &opt, d);
	CHECK(meta && val_type(meta) == VAL_MAP);
	CHECK(val_line(val_at(val_get(meta, "aliases"), 1)) == 5);
	CHECK(val_col(val_get(val_get(meta, "role"), "since")) > 30);

	struct parse_memo m;
	CHECK(site_memo_make(&m, meta, "<p>Ada Keller</p>\n") == 0);
	struct entity e = {.kind = ENT_PERSON, .path = "content/people/ada.md", .memo = m};
	struct entity *people[] = {&e};
	struct site s = {.people = people, .n_people = 1, .n_file_people = 1};
	struct cf_writer w;
	cf_memory(&w);
	site_save_memos(&s, &w);
	struct cf_reader r = {.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1, .borrow = 1};
	struct hs_table *paths;
	struct parse_memo *memos;
	CHECK(site_load_memos(&r, &paths, &memos) == 0 && r.p == r.end);
	uint64_t at = 9;
	CHECK(hs_get(paths, "content/people/ada.md", &at) && at == 0);
	struct value *back = NULL;
	char *html = NULL;
	CHECK(site_memo_read(&memos[at], &back, &html) == 0);
	CHECK(val_equal(meta, back) && same_positions(meta, back));
	CHECK_STR(html, "<p>Ada Keller</p>\n");
	val_free(back);
	free(html);
	back = NULL;
	html = NULL;
	for (size_t cut = 0; cut < m.len; cut++) {
		struct parse_memo part = {m.at, cut, NULL};
		if (site_memo_read(&part, &back, &html) == 0)
			break;
	}
	CHECK(!back && !html); /* no cut reads */

	struct cf_writer plain; /* without positions */
	cf_memory(&plain);
	cf_value(&plain, meta);
	r = (struct cf_reader){.p = plain.b.ptr, .end = plain.b.ptr + plain.b.len, .ok = 1};
	back = cf_get_value(&r);
	CHECK(val_equal(meta, back) && val_line(val_get(back, "name")) == 0);
	CHECK(plain.b.len < m.len);
	val_free(back);

	static const char twice[] = {9, 1, 1, 9, 1, 1, 1}; /* T_AT, T_AT, T_NULL */
	r = (struct cf_reader){.p = twice, .end = twice + sizeof twice, .ok = 1};
	CHECK(!cf_get_value(&r) && !cf_ok(&r));
	static const char once[] = {9, 2, 3, 1}; /* T_AT 2:3, T_NULL */
	r = (struct cf_reader){.p = once, .end = once + sizeof once, .ok = 1};
	back = cf_get_value(&r);
	CHECK(back && val_type(back) == VAL_NULL && val_line(back) == 2 && val_col(back) == 3);
	val_free(back);
	struct parse_memo not_map = {once, sizeof once, NULL};
	CHECK(site_memo_read(&not_map, &back, &html) != 0);

	hs_table_free(paths);
	free(memos);
	buf_free(&plain.b);
	buf_free(&w.b);
	free(m.own);
	val_free(meta);
	diag_free(d);
}

int main(void)
{
	RUN(memory_round_trip);
	RUN(memo_positions);
	RUN(items_in_base);
	RUN(pages_saved_packed);
	RUN(pages_pack);
	return TEST_MAIN_END();
}
