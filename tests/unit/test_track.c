/* test_track.c: deps, as an array and as the build cache's bytes read back
 * without decoding: both tell the same objects changed, and bytes that do
 * not decode count as a change, never as none. */
#include <stdlib.h>

#include "../../src/buf.h"
#include "../../src/cachefile.h"
#include "../../src/track.h"
#include "test.h"

static int dummy[3];

/* three objects; deps on field "title" of the first and everything of the
 * third, taken at tick `since` */
static struct track *sample(struct tr_deps *deps, uint32_t *id, uint32_t *since)
{
	struct track *t = tr_new();
	for (int i = 0; i < 3; i++)
		id[i] = tr_add(t, TR_ARTICLE, &dummy[i]);
	*since = tr_tick(t);
	struct tr_log l = {0};
	tr_log_read(&l, id[2], TR_ALL);
	tr_log_read(&l, id[0], tr_bit("title", 5));
	tr_log_merge(&l);
	*deps = (struct tr_deps){0};
	tr_deps_take(deps, &l);
	return t;
}

/* the deps saved, then read back as bytes */
static void reread(const struct tr_deps *deps, struct tr_deps *out, struct cf_writer *w)
{
	cf_memory(w);
	cf_u64(w, 7);
	tr_deps_save(deps, w);
	cf_u64(w, 9); /* what follows them is where the reader ends up */
	struct cf_reader r = {.p = w->b.ptr, .end = w->b.ptr + w->b.len, .ok = 1, .borrow = 1};
	CHECK_INT(cf_get_u64(&r), 7);
	*out = (struct tr_deps){0};
	CHECK_INT(tr_deps_load(out, &r), 0);
	CHECK_INT(cf_get_u64(&r), 9);
	CHECK(cf_ok(&r));
	CHECK(out->at != NULL);
	CHECK(out->d == NULL);
}

static void deps_packed_agree(void)
{
	struct tr_deps deps, packed;
	uint32_t id[3], since;
	struct track *t = sample(&deps, id, &since);
	struct cf_writer w;
	reread(&deps, &packed, &w);
	CHECK_INT(packed.n, 2);
	CHECK(!tr_deps_stale(t, &deps, since));
	CHECK(!tr_deps_stale(t, &packed, since));
	tr_tick(t);
	tr_changed(t, id[1], TR_ALL); /* not read */
	tr_changed(t, id[0], tr_bit("body", 4)); /* a field not read */
	CHECK(!tr_deps_stale(t, &deps, since));
	CHECK(!tr_deps_stale(t, &packed, since));
	tr_changed(t, id[2], tr_bit("date", 4));
	CHECK(tr_deps_stale(t, &deps, since));
	CHECK(tr_deps_stale(t, &packed, since));
	/* a packed dep saved again gives the same bytes */
	struct cf_writer w2;
	cf_memory(&w2);
	tr_deps_save(&packed, &w2);
	struct cf_writer w3;
	cf_memory(&w3);
	tr_deps_save(&deps, &w3);
	CHECK_INT(w2.b.len, w3.b.len);
	CHECK(w2.b.len == w3.b.len && memcmp(w2.b.ptr, w3.b.ptr, w2.b.len) == 0);
	buf_free(&w.b);
	buf_free(&w2.b);
	buf_free(&w3.b);
	tr_deps_free(&deps);
	tr_deps_free(&packed);
	tr_free(t);
}

/* too few bytes for the pairs: the load fails; bytes that pass the load
 * but do not decode (a number longer than 64 bits) are stale */
static void deps_bad_bytes(void)
{
	struct tr_deps deps, packed;
	uint32_t id[3], since;
	struct track *t = sample(&deps, id, &since);
	struct cf_writer w;
	cf_memory(&w);
	tr_deps_save(&deps, &w);
	for (size_t cut = 1; cut < w.b.len; cut++) {
		struct cf_reader r = {.p = w.b.ptr, .end = w.b.ptr + cut, .ok = 1, .borrow = 1};
		packed = (struct tr_deps){0};
		CHECK_INT(tr_deps_load(&packed, &r), -1);
		CHECK(!cf_ok(&r));
	}
	/* two pairs, the first object id eleven bytes long */
	static const char bad[] = "\x02\x81\x81\x81\x81\x81\x81\x81\x81\x81\x81\x01\x01\x01\x01";
	struct cf_reader r = {.p = bad, .end = bad + sizeof bad - 1, .ok = 1, .borrow = 1};
	packed = (struct tr_deps){0};
	CHECK_INT(tr_deps_load(&packed, &r), 0);
	CHECK(r.p == r.end);
	CHECK(tr_deps_stale(t, &packed, since));
	/* more pairs said than bytes could hold */
	static const char many[] = "\x7f\x01\x01";
	r = (struct cf_reader){.p = many, .end = many + sizeof many - 1, .ok = 1, .borrow = 1};
	CHECK_INT(tr_deps_load(&packed, &r), -1);
	buf_free(&w.b);
	tr_deps_free(&deps);
	tr_free(t);
}

/* none read: nothing to be stale about, and no bytes kept */
static void deps_empty(void)
{
	struct track *t = tr_new();
	uint32_t since = tr_tick(t);
	struct tr_deps deps = {0}, packed;
	struct cf_writer w;
	cf_memory(&w);
	tr_deps_save(&deps, &w);
	struct cf_reader r = {.p = w.b.ptr, .end = w.b.ptr + w.b.len, .ok = 1, .borrow = 1};
	packed = (struct tr_deps){0};
	CHECK_INT(tr_deps_load(&packed, &r), 0);
	CHECK(packed.at == NULL && packed.n == 0);
	CHECK(!tr_deps_stale(t, &packed, since));
	buf_free(&w.b);
	tr_free(t);
}

int main(void)
{
	RUN(deps_packed_agree);
	RUN(deps_bad_bytes);
	RUN(deps_empty);
	return TEST_MAIN_END();
}
