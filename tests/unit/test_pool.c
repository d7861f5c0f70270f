/* Unit tests: pool_run_blocks visits every item exactly once, whatever
 * the count, the block size and the number of threads, including the
 * sizes that run on the calling thread alone. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "../../src/pool.h"
#include "test.h"

struct visits {
	atomic_int *count;
	pthread_t *by; /* the thread of each item's visit */
};

static void visit(void *ctx, size_t i)
{
	struct visits *v = ctx;
	atomic_fetch_add(&v->count[i], 1);
	v->by[i] = pthread_self();
}

static void every_item_once(void)
{
	static const size_t counts[] = {0, 1, 3, 511, 512, 513, 2047, 2048, 10000};
	static const size_t blocks[] = {1, 7, 512, 100000};
	static const int workers[] = {1, 2, 5};
	for (size_t c = 0; c < sizeof counts / sizeof *counts; c++)
		for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++)
			for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
				size_t n = counts[c];
				struct visits v = {calloc(n + 1, sizeof *v.count),
				                   calloc(n + 1, sizeof *v.by)};
				pool_run_blocks(workers[w], n, blocks[b], visit, &v);
				size_t wrong = 0, here = 0;
				for (size_t i = 0; i < n; i++) {
					wrong += atomic_load(&v.count[i]) != 1;
					here += pthread_equal(v.by[i], pthread_self()) != 0;
				}
				CHECK_INT(wrong, 0);
				if ((n + blocks[b] - 1) / blocks[b] < 4) /* too few blocks to share */
					CHECK_INT(here, n);
				free(v.count);
				free(v.by);
			}
}

int main(void)
{
	RUN(every_item_once);
	return TEST_MAIN_END();
}
