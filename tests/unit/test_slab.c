/* Unit tests: slab (the Lua states' small-block allocator). */
#include "../../src/slab.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

/* Fills a block with a pattern of its own, to tell blocks apart. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31u + i);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed * 31u + i))
			return 0;
	return 1;
}

/* Sizes on each side of the class and the malloc boundary keep their
 * bytes when they grow or shrink across it, and are 16-byte aligned. */
static void resize_across_boundaries(void)
{
	static const size_t sizes[] = {1, 15, 16, 17, 31, 32, 33, 255, 256, 257, 511, 512,
	                               513, 1000, 4096, 70000};
	size_t n = sizeof sizes / sizeof *sizes;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			struct slab s = {0};
			unsigned char *p = slab_realloc(&s, NULL, 5 /* a type tag */, sizes[a]);
			CHECK(p && (uintptr_t)p % 16 == 0);
			fill(p, sizes[a], (unsigned)a);
			unsigned char *q = slab_realloc(&s, p, sizes[a], sizes[b]);
			CHECK(q && (uintptr_t)q % 16 == 0);
			size_t kept = sizes[a] < sizes[b] ? sizes[a] : sizes[b];
			CHECK(intact(q, kept, (unsigned)a));
			CHECK(slab_realloc(&s, q, sizes[b], 0) == NULL);
			slab_release(&s);
		}
}

/* Many live blocks of mixed sizes, freed and reallocated at random,
 * never overlap: each keeps its pattern to the end. */
static void random_blocks_never_overlap(void)
{
	enum { N = 3000, ROUNDS = 60000 };
	static unsigned char *blk[N];
	static size_t len[N];
	static unsigned tag[N];
	struct slab s = {0};
	unsigned r = 12345;
	int bad = 0;
	for (int i = 0; i < ROUNDS; i++) {
		r = r * 1103515245u + 12345u;
		size_t k = (r >> 8) % N;
		size_t size = (r >> 4) % 8 == 0 ? 1 + (r >> 12) % 2000 : 1 + (r >> 12) % 600;
		if (blk[k] && !intact(blk[k], len[k], tag[k]))
			bad++;
		if ((r >> 20) % 5 == 0 && blk[k]) { /* free */
			slab_realloc(&s, blk[k], len[k], 0);
			blk[k] = NULL;
			continue;
		}
		int had = blk[k] != NULL;
		blk[k] = slab_realloc(&s, blk[k], had ? len[k] : 0, size);
		if (had && !intact(blk[k], len[k] < size ? len[k] : size, tag[k]))
			bad++;
		len[k] = size;
		tag[k] = (unsigned)i;
		fill(blk[k], size, tag[k]);
	}
	for (size_t k = 0; k < N; k++)
		if (blk[k] && !intact(blk[k], len[k], tag[k]))
			bad++;
	CHECK_INT(bad, 0);
	for (size_t k = 0; k < N; k++)
		slab_realloc(&s, blk[k], len[k], 0);
	slab_release(&s);
	CHECK(s.chunks == NULL && s.next == NULL);
}

/* A freed small block is the next one given out in its class. */
static void freed_blocks_are_reused(void)
{
	struct slab s = {0};
	void *a = slab_realloc(&s, NULL, 0, 40);
	void *b = slab_realloc(&s, NULL, 0, 40);
	CHECK(a != b);
	slab_realloc(&s, a, 40, 0);
	void *c = slab_realloc(&s, NULL, 0, 33);
#if !defined(__SANITIZE_ADDRESS__)
	CHECK(c == a);
#endif
	slab_realloc(&s, b, 40, 0);
	slab_realloc(&s, c, 33, 0);
	slab_release(&s);
}

int main(void)
{
	RUN(resize_across_boundaries);
	RUN(random_blocks_never_overlap);
	RUN(freed_blocks_are_reused);
	return TEST_MAIN_END();
}
