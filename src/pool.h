/* pool.h: runs one function over the items 0..n-1 on a few worker threads.
 * Items are handed out through an atomic counter (no queue, no locks);
 * each worker has its own index so it can use per-thread state (a Lua
 * state, a diag list). Workers never share mutable state through here. */
#ifndef BRIEFING_POOL_H
#define BRIEFING_POOL_H

#include <stddef.h>

/* fn(ctx, worker, item) for every item; worker is in 0..workers-1. */
typedef void (*pool_fn)(void *ctx, int worker, size_t item);

/* Runs fn over n items with `workers` threads (1 means: in this thread).
 * Returns when every item is done. */
void pool_run(int workers, size_t n, pool_fn fn, void *ctx);

/* fn(ctx, item) for every item, handed out in blocks of `block` items:
 * for many small items (a check of each of 26,000 pages), where one
 * counter step per item would cost as much as the item. Runs on this
 * thread alone when there are fewer than four blocks. */
void pool_run_blocks(int workers, size_t n, size_t block, void (*fn)(void *ctx, size_t item),
                     void *ctx);

/* Worker count: BRIEFING_JOBS if set, else the online CPUs (at most 16). */
int pool_default_workers(void);

#endif
