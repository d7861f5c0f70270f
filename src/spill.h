/* spill.h: bytes kept in an unlinked file instead of the heap, read back
 * through one read-only map. For the body HTML of a clean build's briefs
 * (issue 18): the largest thing a build holds from parse to render, 290 MB
 * at 100k, read once by the brief's page and a few other readers.
 *
 * The file is made with O_TMPFILE, so it has no name and goes with the
 * process whatever happens. Its pages live in the page cache: on a disk
 * they are written back and dropped when memory is short; on a tmpfs they
 * stay in memory, outside the process. The map's resident pages count in
 * the process's resident size until spill_release gives them back; a
 * later read maps them again from the file, so releasing is safe at any
 * time, while other threads read. */
#ifndef BRIEFING_SPILL_H
#define BRIEFING_SPILL_H

#include <stddef.h>
#include <stdint.h>

struct spill;

/* A new, empty file in the folder dir, for puts from workers 0 to
 * workers - 1; NULL when the file system cannot make one (the caller
 * keeps the bytes on the heap). */
struct spill *spill_open(const char *dir, int workers);
/* Appends len bytes at s and a NUL; *at is where they start. Each worker
 * gathers its puts in a chunk of SPILL_CHUNK bytes of the file, written
 * when full: one write for hundreds of bodies. Until spill_seal; two
 * threads never pass the same worker. A chunk that could not be written
 * (a full disk) stays in memory, and spill_at finds its bytes there. */
#define SPILL_CHUNK ((size_t)1 << 20)
void spill_put(struct spill *sp, int worker, const char *s, size_t len, uint64_t *at);
/* Writes the workers' last chunks and maps the file, once, after the last
 * put: 0, or -1 when it cannot be mapped (read the bytes back with
 * spill_copy instead). It becomes the one spill_tick counts for. */
int spill_seal(struct spill *sp);
/* The NUL-terminated bytes put at at, in the map: valid until spill_close. */
const char *spill_at(const struct spill *sp, uint64_t at);
/* The same bytes copied to the heap (caller frees); NULL on failure. */
char *spill_copy(const struct spill *sp, uint64_t at, size_t len);
/* Gives back the map's resident pages. */
void spill_release(struct spill *sp);
/* One more item read from the sealed spill (a page rendered, a step run, a
 * view saved); every SPILL_EVERY of them, spill_release. Any thread; does
 * nothing when no spill is sealed. */
#define SPILL_EVERY 1024
void spill_tick(void);
/* Bytes put so far (with their NULs). */
uint64_t spill_size(const struct spill *sp);
void spill_close(struct spill *sp);

#endif
