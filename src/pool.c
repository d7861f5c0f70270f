/* pool.c: a fixed set of threads pulling item numbers from one atomic
 * counter. Work items in a build are coarse (an article, a page), so a
 * counter balances as well as a queue and cannot deadlock. */
#include "pool.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "num.h"

struct pool_run {
	atomic_size_t next;
	size_t n;
	pool_fn fn;
	void *ctx;
};

struct pool_worker {
	struct pool_run *run;
	int index;
	pthread_t thread;
};

static void *worker_main(void *arg)
{
	struct pool_worker *w = arg;
	struct pool_run *r = w->run;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n)
			break;
		r->fn(r->ctx, w->index, i);
	}
	return NULL;
}

void pool_run(int workers, size_t n, pool_fn fn, void *ctx)
{
	struct pool_run r = {.n = n, .fn = fn, .ctx = ctx};
	atomic_init(&r.next, 0);
	if (workers < 1)
		workers = 1;
	if ((size_t)workers > n)
		workers = n ? (int)n : 1;
	struct pool_worker *w = xcalloc((size_t)workers, sizeof *w);
	int started = 0;
	/* worker 0 is this thread; if a thread cannot start, the others
	 * simply take more items */
	for (int i = 1; i < workers; i++) {
		w[i].run = &r;
		w[i].index = i;
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
			break;
		started = i;
	}
	w[0].run = &r;
	w[0].index = 0;
	worker_main(&w[0]);
	for (int i = 1; i <= started; i++)
		pthread_join(w[i].thread, NULL);
	free(w);
}

struct blocks {
	size_t n, block;
	void (*fn)(void *ctx, size_t item);
	void *ctx;
};

static void run_block(void *ctx, int worker, size_t b)
{
	(void)worker;
	const struct blocks *bl = ctx;
	size_t end = (b + 1) * bl->block < bl->n ? (b + 1) * bl->block : bl->n;
	for (size_t i = b * bl->block; i < end; i++)
		bl->fn(bl->ctx, i);
}

void pool_run_blocks(int workers, size_t n, size_t block, void (*fn)(void *ctx, size_t item),
                     void *ctx)
{
	struct blocks bl = {n, block ? block : 1, fn, ctx};
	size_t count = (n + bl.block - 1) / bl.block;
	pool_run(count < 4 ? 1 : workers, count, run_block, &bl);
}

int pool_default_workers(void)
{
	long long jobs; /* $BRIEFING_JOBS when it is a number of threads */
	if (num_parse(getenv("BRIEFING_JOBS"), 1, INT_MAX, &jobs) == 0)
		return jobs > 64 ? 64 : (int)jobs;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > 16 ? 16 : (int)n;
}
