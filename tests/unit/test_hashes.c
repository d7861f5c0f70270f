/* test_hashes.c: content hashes for incremental rebuilds: bytes, value
 * trees to a depth and over a key set (cyclic references included), the
 * named-hash table, and the template reach and names they rely on. */
#include <stdlib.h>

#include "../../src/hashes.h"
#include "../../src/mustache.h"
#include "test.h"

static void bytes_differ(void)
{
	CHECK(hs_bytes("abc", 3, 0) == hs_bytes("abc", 3, 0));
	CHECK(hs_bytes("abc", 3, 0) != hs_bytes("abd", 3, 0));
	CHECK(hs_bytes("abcdefgh1", 9, 0) != hs_bytes("abcdefgh2", 9, 0));
	CHECK(hs_bytes("", 0, 0) != hs_bytes("\0", 1, 0));
}

/* the checksum of long inputs: a flipped bit anywhere, in any of the four
 * lanes or the tail, and a changed length are all seen */
static void bulk_sees_every_byte(void)
{
	static char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 7);
	uint64_t base = hs_bulk(data, sizeof data, 0);
	CHECK(base == hs_bulk(data, sizeof data, 0));
	CHECK(base != hs_bulk(data, sizeof data - 1, 0));
	CHECK(base != hs_bulk(data, sizeof data, 1));
	int missed = 0;
	for (size_t i = 0; i < sizeof data; i++) {
		data[i] ^= 4;
		missed += hs_bulk(data, sizeof data, 0) == base;
		data[i] ^= 4;
	}
	CHECK(missed == 0);
	CHECK(hs_bulk("", 0, 0) != hs_bulk("\0", 1, 0));
}

/* an article and a topic that refer to each other, as site data does */
static void values_with_cycles(void)
{
	struct value *article = val_map(), *topic = val_map();
	val_set_str(article, "title", "First");
	val_set_str(topic, "title", "Sanctions");
	struct value *topics = val_list(), *articles = val_list();
	val_push(topics, val_ref(topic));
	val_push(articles, val_ref(article));
	val_set(article, "topics", topics);
	val_set(topic, "articles", articles);
	struct value *page = val_map();
	val_set(page, "article", val_ref(article));

	struct hs_memo *m = hs_memo_new();
	uint64_t deep = hs_value(m, page, 50, NULL, 0); /* terminates despite the cycle */
	uint64_t shallow = hs_value(m, page, 3, NULL, 1);
	hs_memo_free(m);
	CHECK(deep != 0 && shallow != 0);

	/* a change below the depth is not seen; within it, it is */
	val_set_str(topic, "title", "Sanctions, renamed");
	m = hs_memo_new();
	struct hs_memo *fresh = hs_memo_new();
	CHECK(hs_value(m, page, 2, NULL, 0) == hs_value(fresh, page, 2, NULL, 0));
	hs_memo_free(fresh);
	uint64_t deep2 = hs_value(m, page, 50, NULL, 1);
	hs_memo_free(m);
	CHECK(deep2 != deep);

	/* keys no template reads are not hashed */
	struct hs_table *keys = hs_table_new();
	hs_put(keys, "article", 0, 0);
	hs_put(keys, "title", 0, 0);
	m = hs_memo_new();
	uint64_t k1 = hs_value(m, page, 50, keys, 0);
	hs_memo_free(m);
	val_set_str(article, "unread", "anything");
	val_set_str(topic, "title", "Renamed again"); /* under "topics", not in keys */
	m = hs_memo_new();
	uint64_t k2 = hs_value(m, page, 50, keys, 0);
	hs_memo_free(m);
	CHECK(k1 == k2);
	val_set_str(article, "title", "Second");
	m = hs_memo_new();
	CHECK(hs_value(m, page, 50, keys, 0) != k1);
	hs_memo_free(m);
	hs_table_free(keys);
	val_free(page);
	val_free(article);
	val_free(topic);
}

static int noop(void *ud, const char *text, size_t len, buf *out)
{
	(void)ud, (void)text, (void)len, (void)out;
	return 0;
}

static void lambdas_are_opaque(void)
{
	struct value *page = val_map();
	struct value *inner = val_map();
	val_set(inner, "upper", val_func((struct val_func){noop, NULL, NULL}));
	val_set(page, "inner", inner);
	struct hs_memo *m = hs_memo_new();
	CHECK(hs_value(m, page, 5, NULL, 0) == 0);
	CHECK(hs_value(m, page, 1, NULL, 1) != 0); /* out of reach: no matter */
	hs_memo_free(m);
	val_free(page);
}

static void table_sweep(void)
{
	struct hs_table *t = hs_table_new();
	char key[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "page/%d", i);
		hs_put(t, key, (uint64_t)i, i % 2 ? 2 : 1);
	}
	CHECK_INT(hs_count(t), 1000);
	uint64_t h = 0;
	CHECK(hs_get(t, "page/7", &h) && h == 7);
	hs_sweep(t, 2, 0, NULL, NULL);
	CHECK_INT(hs_count(t), 500);
	CHECK(!hs_get(t, "page/8", &h));
	CHECK(hs_get(t, "page/9", &h) && h == 9);
	int kept = 0;
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "page/%d", i);
		kept += hs_get(t, key, &h) && h == (uint64_t)i && i % 2;
	}
	CHECK_INT(kept, 500);
	hs_table_free(t);
}

/* entries whose mark has a bit of keep stay through a sweep for another
 * mark; hs_find gives the mark */
static void table_sweep_keep(void)
{
	struct hs_table *t = hs_table_new();
	hs_put(t, "old", 1, 1);
	hs_put(t, "page", 2, 1 | 0x80000000u);
	hs_put(t, "new", 3, 2);
	hs_sweep(t, 2, 0x80000000u, NULL, NULL);
	CHECK_INT(hs_count(t), 2);
	uint64_t h = 0;
	unsigned mark = 0;
	CHECK(!hs_find(t, "old", &h, &mark));
	CHECK(hs_find(t, "page", &h, &mark) && h == 2 && mark == (1 | 0x80000000u));
	CHECK(hs_find(t, "new", &h, &mark) && h == 3 && mark == 2);
	hs_clear_bits(t, 0x80000000u);
	CHECK(hs_find(t, "page", &h, &mark) && mark == 1);
	hs_sweep(t, 3, 0, NULL, NULL); /* without keep: only the mark counts */
	CHECK_INT(hs_count(t), 0);
	hs_table_free(t);
}

static void count_key(void *ctx, const char *key, uint64_t value, unsigned mark)
{
	(void)key;
	(void)mark;
	((uint64_t *)ctx)[0]++;
	((uint64_t *)ctx)[1] += value;
}

/* every key is found again as the table grows (entries move without
 * their keys being hashed again), a second put changes the value, keys
 * that share a prefix stay apart, and each entry is visited once */
static void table_grows(void)
{
	struct hs_table *t = hs_table_new();
	char key[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "%d/index.html", i);
		hs_put(t, key, (uint64_t)i, 0);
	}
	hs_put(t, "7/index.html", 70000, 0);
	hs_put(t, "7/index.htm", 1, 0);
	CHECK_INT(hs_count(t), 20001);
	int found = 0;
	uint64_t v = 0;
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "%d/index.html", i);
		found += hs_get(t, key, &v) && v == (i == 7 ? 70000u : (uint64_t)i);
	}
	CHECK_INT(found, 20000);
	CHECK(hs_get(t, "7/index.htm", &v) && v == 1);
	CHECK(!hs_get(t, "7/index", &v) && !hs_get(t, "20000/index.html", &v));
	uint64_t seen[2] = {0, 0};
	hs_each(t, count_key, seen);
	CHECK(seen[0] == 20001 && seen[1] == 19999ull * 20000 / 2 - 7 + 70000 + 1);
	hs_table_free(t);
}

static void add_name(void *ctx, const char *name, size_t len)
{
	buf *b = ctx;
	buf_put(b, name, len);
	buf_putc(b, ' ');
}

static void template_reach(void)
{
	struct mst_set *set = mst_set_new();
	struct diag *d = diag_new();
	const char *card = "<a href=\"{{url}}\">{{title}}</a>";
	const char *list = "{{#articles}}{{>card}}{{#topics}}{{name}}{{/topics}}{{/articles}}";
	const char *self = "{{#kids}}{{>self}}{{/kids}}";
	const char *dyn = "{{>*which}}";
	CHECK(mst_set_add(set, "card", card, strlen(card), NULL, d) == 0);
	CHECK(mst_set_add(set, "list", list, strlen(list), NULL, d) == 0);
	CHECK(mst_set_add(set, "self", self, strlen(self), NULL, d) == 0);
	CHECK(mst_set_add(set, "dyn", dyn, strlen(dyn), NULL, d) == 0);
	CHECK_INT(mst_reach(set, "card"), 1);
	/* articles (1) + item (1) + topics (1) + item (1) + name (1) */
	CHECK_INT(mst_reach(set, "list"), 5);
	CHECK_INT(mst_reach(set, "self"), -1);
	CHECK_INT(mst_reach(set, "dyn"), -1);
	buf names = BUF_INIT;
	mst_names(set, "list", add_name, &names);
	CHECK(strstr(names.ptr, "articles ") && strstr(names.ptr, "url ") &&
	      strstr(names.ptr, "name ") && !strstr(names.ptr, "card"));
	buf_free(&names);
	diag_free(d);
	mst_set_free(set);
}

/* duplicates among many names: the first value wins, every later one
 * finds it; a set sized for few names still takes many */
static void seen_finds_duplicates(void)
{
	char names[3000][16];
	struct hs_seen *set = hs_seen_new(10);
	for (int i = 0; i < 3000; i++) {
		snprintf(names[i], sizeof names[i], "articles/%d/", i % 1000);
		long first = hs_seen_add(set, names[i], i);
		CHECK_INT(first, i < 1000 ? -1 : i % 1000);
	}
	CHECK_INT(hs_seen_add(set, "", 7), -1);
	CHECK_INT(hs_seen_add(set, "", 8), 7);
	hs_seen_free(set);
	hs_seen_free(NULL);
}

static void sum_each(void *ctx, uint64_t key, uint64_t value)
{
	uint64_t *sums = ctx;
	sums[0] += key;
	sums[1] += value;
}

/* numbers by number: keys that share their low bits (object ids shifted
 * up, as the steps make them) stay apart through growth; an absent key
 * reads 0; each visits every key once */
static void ids_keep_every_key(void)
{
	struct hs_ids *t = hs_ids_new();
	uint64_t keys = 0, values = 0;
	for (uint64_t i = 1; i <= 5000; i++) {
		uint64_t key = i << 32 | (i % 3) << 28;
		*hs_ids_at(t, key) += i * 7;
		keys += key;
		values += i * 7;
	}
	CHECK_INT(hs_ids_count(t), 5000);
	CHECK(hs_ids_get(t, (uint64_t)4321 << 32 | (uint64_t)(4321 % 3) << 28) == 4321 * 7);
	CHECK(hs_ids_get(t, (uint64_t)4321 << 32) == 0);
	CHECK(hs_ids_get(t, 5001ull << 32) == 0);
	*hs_ids_at(t, 1ull << 32 | 1ull << 28) += 1; /* there: no new key */
	CHECK_INT(hs_ids_count(t), 5000);
	uint64_t sums[2] = {0, 0};
	hs_ids_each(t, sum_each, sums);
	CHECK(sums[0] == keys && sums[1] == values + 1);
	hs_ids_free(t);
	hs_ids_free(NULL);
}

int main(void)
{
	RUN(bytes_differ);
	RUN(bulk_sees_every_byte);
	RUN(values_with_cycles);
	RUN(lambdas_are_opaque);
	RUN(table_sweep);
	RUN(table_sweep_keep);
	RUN(table_grows);
	RUN(seen_finds_duplicates);
	RUN(ids_keep_every_key);
	RUN(template_reach);
	return TEST_MAIN_END();
}
