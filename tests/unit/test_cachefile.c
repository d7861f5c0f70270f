/* test_cachefile.c: the build cache's value encoding in memory, and
 * pages that hold their data packed in that encoding until a render
 * reads it, also as the cache saves and reads them back. */
#include <stdlib.h>

#include "../../src/cachefile.h"
#include "../../src/site.h"
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
	struct cf_reader r = {w.b.ptr, w.b.ptr + w.b.len, 1, NULL, NULL, 0};
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
		struct cf_reader r = {w.b.ptr, w.b.ptr + w.b.len, 1, NULL, NULL, 1};
		struct page *back = page_load_packed(&r);
		CHECK(back && cf_ok(&r) && r.p == r.end);
		CHECK(back && !back->data && !back->packed_own && page_same_data(back, bytes));
		CHECK(back && back->packed > w.b.ptr && back->packed < w.b.ptr + w.b.len);
		int passed = 0;
		for (size_t cut = 0; cut < w.b.len; cut++) {
			struct cf_reader c = {w.b.ptr, w.b.ptr + cut, 1, NULL, NULL, 1};
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
	struct cf_reader r = {w.b.ptr, w.b.ptr + w.b.len, 1, NULL, NULL, 1};
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

int main(void)
{
	RUN(memory_round_trip);
	RUN(pages_saved_packed);
	RUN(pages_pack);
	return TEST_MAIN_END();
}
