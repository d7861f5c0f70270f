/* Unit tests: spill (bytes in an unlinked file, read through a map). */
#include "../../src/spill.h"
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>

#define ITEMS 3000

/* Item i: a length of its own (some past a quarter chunk, which get a
 * chunk each) and bytes of its own, a NUL among them now and then. */
static size_t item_len(size_t i)
{
	return i % 97 == 0 ? SPILL_CHUNK / 3 + i : i % 13 == 0 ? 0 : (i * 37) % 3000;
}

static void item_fill(char *p, size_t len, size_t i)
{
	for (size_t k = 0; k < len; k++)
		p[k] = (char)((i * 7 + k * 3) % 251);
}

struct job {
	struct spill *sp;
	int worker;
	uint64_t *at;
};

/* Worker w puts the items i with i % 2 == w, as a parse's two workers do. */
static void *put_half(void *arg)
{
	struct job *j = arg;
	char *tmp = malloc(SPILL_CHUNK);
	for (size_t i = (size_t)j->worker; i < ITEMS; i += 2) {
		size_t len = item_len(i);
		item_fill(tmp, len, i);
		spill_put(j->sp, j->worker, tmp, len, &j->at[i]);
	}
	free(tmp);
	return NULL;
}

/* Every item comes back as put, NUL after it, through the map and through
 * a copy, from two threads' puts; and again after the map's pages went. */
static int check_all(struct spill *sp, const uint64_t *at, int mapped)
{
	char *want = malloc(SPILL_CHUNK);
	int bad = 0;
	for (size_t i = 0; i < ITEMS; i++) {
		size_t len = item_len(i);
		item_fill(want, len, i);
		if (mapped) {
			const char *got = spill_at(sp, at[i]);
			bad += memcmp(got, want, len) != 0 || got[len] != '\0';
		}
		char *copy = spill_copy(sp, at[i], len);
		bad += !copy || memcmp(copy, want, len) != 0 || copy[len] != '\0';
		free(copy);
	}
	free(want);
	return bad;
}

static void puts_from_two_workers_read_back(void)
{
	struct spill *sp = spill_open(".", 2);
	CHECK(sp != NULL);
	if (!sp)
		return;
	uint64_t *at = calloc(ITEMS, sizeof *at);
	pthread_t t[2];
	struct job jobs[2] = {{sp, 0, at}, {sp, 1, at}};
	for (int w = 0; w < 2; w++)
		pthread_create(&t[w], NULL, put_half, &jobs[w]);
	for (int w = 0; w < 2; w++)
		pthread_join(t[w], NULL);
	uint64_t bytes = 0;
	for (size_t i = 0; i < ITEMS; i++)
		bytes += item_len(i) + 1;
	CHECK_INT(spill_size(sp), bytes);
	CHECK_INT(spill_seal(sp), 0);
	CHECK_INT(check_all(sp, at, 1), 0);
	spill_release(sp);
	CHECK_INT(check_all(sp, at, 1), 0);
	for (int i = 0; i < 3 * SPILL_EVERY; i++) /* releases on the way, reads the same */
		spill_tick();
	CHECK_INT(check_all(sp, at, 1), 0);
	spill_close(sp);
	spill_tick(); /* nothing sealed any more: a no-op */
	free(at);
}

/* A file that cannot grow past 1.5 MiB (RLIMIT_FSIZE, as a full disk):
 * the chunks that could not be written stay in memory, the map cannot be
 * made, and every item still reads back through spill_copy. */
static void unwritable_chunks_stay_in_memory(void)
{
	struct rlimit was, small;
	getrlimit(RLIMIT_FSIZE, &was);
	small = was;
	small.rlim_cur = SPILL_CHUNK + SPILL_CHUNK / 2;
	signal(SIGXFSZ, SIG_IGN);
	struct spill *sp = spill_open(".", 2);
	CHECK(sp != NULL);
	if (!sp)
		return;
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &small), 0);
	uint64_t *at = calloc(ITEMS, sizeof *at);
	struct job jobs[2] = {{sp, 0, at}, {sp, 1, at}};
	put_half(&jobs[0]);
	put_half(&jobs[1]);
	CHECK_INT(spill_seal(sp), -1);
	setrlimit(RLIMIT_FSIZE, &was);
	CHECK_INT(check_all(sp, at, 0), 0);
	spill_close(sp);
	free(at);
	signal(SIGXFSZ, SIG_DFL);
}

static void no_folder_no_spill(void)
{
	CHECK(spill_open("/nonexistent/folder", 2) == NULL);
}

int main(void)
{
	RUN(puts_from_two_workers_read_back);
	RUN(unwritable_chunks_stay_in_memory);
	RUN(no_folder_no_spill);
	return TEST_MAIN_END();
}
