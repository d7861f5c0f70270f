/* slab.h: small blocks for one owner at a time (a Lua state). The owner
 * says each block's size when it frees or resizes it, as lua_Alloc does,
 * so blocks carry no header: sizes up to SLAB_MAX bytes come from free
 * lists, one per 16-byte class, carved from 64 KiB chunks; bigger ones
 * from malloc. Nothing is given back before slab_release, which frees
 * every chunk. Not thread-safe: one slab per state, used by one thread
 * at a time. Under AddressSanitizer every block is malloc's, so the
 * sanitizer still sees each one. */
#ifndef BRIEFING_SLAB_H
#define BRIEFING_SLAB_H

#include <stddef.h>

#define SLAB_MAX 512

struct slab {
	void *free[SLAB_MAX / 16]; /* free list per class: 16, 32, ... 512 bytes */
	char *next, *end;          /* the unused part of the newest chunk */
	void *chunks;              /* every chunk, linked through its first word */
};

/* The allocation function of a lua_Alloc: osize is the block's size
 * (ignored when p is NULL), nsize 0 frees. Returns NULL only if malloc
 * does, and never when a block shrinks. */
void *slab_realloc(struct slab *s, void *p, size_t osize, size_t nsize);

/* Frees every chunk (the blocks in them are gone) and empties s. */
void slab_release(struct slab *s);

#endif
