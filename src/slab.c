/* slab.c: see slab.h. */
#include "slab.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define SLAB_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_OFF 1
#endif
#endif
#ifndef SLAB_OFF
#define SLAB_OFF 0
#endif

#define CHUNK (64 * 1024)

/* 1..SLAB_MAX -> class 0..SLAB_MAX/16-1 */
static size_t class_of(size_t n)
{
	return (n - 1) / 16;
}

static void *take(struct slab *s, size_t n)
{
	size_t c = class_of(n);
	void *p = s->free[c];
	if (p) {
		memcpy(&s->free[c], p, sizeof p); /* the next free block */
		/* freed blocks go cold: the next take of this size reads the
		 * new head's link, so start fetching it now */
		__builtin_prefetch(s->free[c]);
		return p;
	}
	size_t size = (c + 1) * 16;
	if ((size_t)(s->end - s->next) < size) {
		/* the rest of the old chunk goes to the free lists */
		while ((size_t)(s->end - s->next) >= 16) {
			size_t rest = (size_t)(s->end - s->next);
			size_t k = class_of(rest < SLAB_MAX ? rest / 16 * 16 : SLAB_MAX);
			memcpy(s->next, &s->free[k], sizeof(void *));
			s->free[k] = s->next;
			s->next += (k + 1) * 16;
		}
		char *chunk = malloc(CHUNK);
		if (!chunk)
			return NULL;
		memcpy(chunk, &s->chunks, sizeof(void *));
		s->chunks = chunk;
		s->next = chunk + 16; /* the link, kept 16-byte aligned */
		s->end = chunk + CHUNK;
	}
	p = s->next;
	s->next += size;
	return p;
}

static void give(struct slab *s, void *p, size_t n)
{
	size_t c = class_of(n);
	memcpy(p, &s->free[c], sizeof p);
	s->free[c] = p;
}

void *slab_realloc(struct slab *s, void *p, size_t osize, size_t nsize)
{
	if (!p)
		osize = 0;
	if (SLAB_OFF || ((osize == 0 || osize > SLAB_MAX) && (nsize == 0 || nsize > SLAB_MAX))) {
		if (nsize == 0) {
			free(p);
			return NULL;
		}
		return realloc(p, nsize);
	}
	if (nsize == 0) { /* osize is a small block's */
		give(s, p, osize);
		return NULL;
	}
	if (osize && nsize <= SLAB_MAX && class_of(osize) == class_of(nsize))
		return p; /* the block already fits */
	void *q = nsize <= SLAB_MAX ? take(s, nsize) : malloc(nsize);
	if (!q)
		return nsize < osize ? p : NULL; /* a shrink never fails */
	if (osize) {
		memcpy(q, p, osize < nsize ? osize : nsize);
		if (osize <= SLAB_MAX)
			give(s, p, osize);
		else
			free(p);
	}
	return q;
}

void slab_release(struct slab *s)
{
	void *c = s->chunks;
	while (c) {
		void *next;
		memcpy(&next, c, sizeof next);
		free(c);
		c = next;
	}
	memset(s, 0, sizeof *s);
}
