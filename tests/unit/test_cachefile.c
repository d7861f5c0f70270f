/* test_cachefile.c: the build cache's value encoding in memory, the
 * check that steps over a map without making it, and pages that hold
 * their data packed in that encoding until a render reads it. */
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

/* what cf_value wrote in memory reads back the same, and skipping it
 * ends where reading it ends */
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
	struct cf_reader s = {w.b.ptr, w.b.ptr + w.b.len, 1, NULL, NULL, 0};
	CHECK_INT(cf_skip_map(&s), 0);
	CHECK(s.p == s.end);
	val_free(back);
	val_free(v);
	buf_free(&w.b);
}

/* a cut anywhere, a list where a map should be, or a reference the
 * reader cannot find fails the check */
static void skip_refuses_bad_bytes(void)
{
	struct value *v = sample();
	struct cf_writer w;
	encode(&w, v);
	int passed = 0;
	for (size_t cut = 0; cut < w.b.len; cut++) {
		struct cf_reader r = {w.b.ptr, w.b.ptr + cut, 1, NULL, NULL, 0};
		passed += cf_skip_map(&r) == 0;
	}
	CHECK_INT(passed, 0);
	buf_free(&w.b);
	val_free(v);

	struct value *l = val_list();
	val_push(l, val_num(1));
	encode(&w, l);
	struct cf_reader r = {w.b.ptr, w.b.ptr + w.b.len, 1, NULL, NULL, 0};
	CHECK_INT(cf_skip_map(&r), -1);
	buf_free(&w.b);
	val_free(l);

	struct value *target = val_map();
	val_set_obj(target, 7);
	struct value *m = val_map();
	val_set(m, "article", val_ref(target));
	encode(&w, m);
	CHECK(!w.failed);
	struct cf_reader none = {w.b.ptr, w.b.ptr + w.b.len, 1, NULL, NULL, 0};
	CHECK_INT(cf_skip_map(&none), -1); /* no way to find object 7 */
	buf_free(&w.b);
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
	RUN(skip_refuses_bad_bytes);
	RUN(pages_pack);
	return TEST_MAIN_END();
}
