/* spill.c: bytes in an unlinked file, read back through a map (spill.h).
 * Each worker fills a chunk of the file in memory and writes it whole;
 * a chunk whose write failed stays in memory and is read from there. */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"

struct chunk {
	uint64_t at;  /* where it starts in the file */
	char *bytes;  /* SPILL_CHUNK of them, or an item's own size */
	size_t used, cap;
};

struct spill {
	int fd;
	int workers;
	_Atomic uint64_t end;  /* of the file's reserved bytes */
	_Atomic uint64_t put;  /* bytes put */
	struct chunk *open;    /* one per worker: its chunk being filled */
	pthread_mutex_t lock;  /* for kept */
	struct chunk *kept;    /* chunks whose write failed, by at */
	size_t n_kept, cap_kept;
	const char *map;       /* after spill_seal */
	size_t map_len;
};

static _Atomic(struct spill *) sealed;
static _Atomic unsigned long ticks;

struct spill *spill_open(const char *dir, int workers)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	struct spill *sp = xcalloc(1, sizeof *sp);
	sp->fd = fd;
	sp->workers = workers > 0 ? workers : 1;
	sp->open = xcalloc((size_t)sp->workers, sizeof *sp->open);
	pthread_mutex_init(&sp->lock, NULL);
	return sp;
}

/* Writes a chunk's bytes where it was given room; a chunk that could not
 * be written is kept (its bytes stay ours), in order of at. */
static void flush(struct spill *sp, struct chunk *c)
{
	size_t done = 0;
	while (done < c->used) {
		ssize_t n = pwrite(sp->fd, c->bytes + done, c->used - done, (off_t)(c->at + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (done == c->used) {
		free(c->bytes);
	} else {
		pthread_mutex_lock(&sp->lock);
		if (sp->n_kept == sp->cap_kept) {
			sp->cap_kept = sp->cap_kept ? 2 * sp->cap_kept : 8;
			sp->kept = xrealloc(sp->kept, sp->cap_kept * sizeof *sp->kept);
		}
		size_t i = sp->n_kept++;
		while (i > 0 && sp->kept[i - 1].at > c->at) {
			sp->kept[i] = sp->kept[i - 1];
			i--;
		}
		sp->kept[i] = *c;
		pthread_mutex_unlock(&sp->lock);
	}
	*c = (struct chunk){0};
}

/* Room for n bytes in the file: a range no other put has. */
static struct chunk reserve(struct spill *sp, size_t n)
{
	struct chunk c = {.at = atomic_fetch_add(&sp->end, n), .bytes = xmalloc(n), .cap = n};
	return c;
}

void spill_put(struct spill *sp, int worker, const char *s, size_t len, uint64_t *at)
{
	struct chunk *c = &sp->open[worker >= 0 && worker < sp->workers ? worker : 0];
	size_t need = len + 1;
	atomic_fetch_add(&sp->put, need);
	if (need > SPILL_CHUNK / 4) { /* a large item: a chunk of its own */
		struct chunk own = reserve(sp, need);
		memcpy(own.bytes, s, len);
		own.bytes[len] = '\0';
		own.used = need;
		*at = own.at;
		flush(sp, &own);
		return;
	}
	if (c->bytes && c->cap - c->used < need)
		flush(sp, c);
	if (!c->bytes)
		*c = reserve(sp, SPILL_CHUNK);
	*at = c->at + c->used;
	memcpy(c->bytes + c->used, s, len);
	c->bytes[c->used + len] = '\0';
	c->used += need;
}

int spill_seal(struct spill *sp)
{
	for (int w = 0; w < sp->workers; w++)
		if (sp->open[w].bytes)
			flush(sp, &sp->open[w]);
	sp->map_len = (size_t)atomic_load(&sp->end);
	if (!sp->map_len)
		return 0;
	/* the file as long as the reserved room: a chunk's unused tail is a
	 * hole, and a read past the file's end would be a SIGBUS */
	if (ftruncate(sp->fd, (off_t)sp->map_len) != 0)
		return -1;
	void *m = mmap(NULL, sp->map_len, PROT_READ, MAP_SHARED, sp->fd, 0);
	if (m == MAP_FAILED)
		return -1;
	sp->map = m;
	atomic_store(&sealed, sp);
	return 0;
}

/* The kept chunk holding at, or NULL. */
static const struct chunk *kept_at(const struct spill *sp, uint64_t at)
{
	size_t lo = 0, hi = sp->n_kept;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct chunk *c = &sp->kept[mid];
		if (at < c->at)
			hi = mid;
		else if (at >= c->at + c->used)
			lo = mid + 1;
		else
			return c;
	}
	return NULL;
}

const char *spill_at(const struct spill *sp, uint64_t at)
{
	const struct chunk *c = sp->n_kept ? kept_at(sp, at) : NULL;
	return c ? c->bytes + (at - c->at) : sp->map + at;
}

char *spill_copy(const struct spill *sp, uint64_t at, size_t len)
{
	const struct chunk *c = sp->n_kept ? kept_at(sp, at) : NULL;
	if (c)
		return xstrndup(c->bytes + (at - c->at), len);
	char *s = xmalloc(len + 1);
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(sp->fd, s + done, len - done, (off_t)(at + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(s);
			return NULL;
		}
		done += (size_t)n;
	}
	s[len] = '\0';
	return s;
}

void spill_release(struct spill *sp)
{
	if (sp && sp->map)
		madvise((void *)sp->map, sp->map_len, MADV_DONTNEED);
}

void spill_tick(void)
{
	struct spill *sp = atomic_load(&sealed);
	if (sp && atomic_fetch_add(&ticks, 1) % SPILL_EVERY == SPILL_EVERY - 1)
		spill_release(sp);
}

uint64_t spill_size(const struct spill *sp)
{
	return sp ? atomic_load(&sp->put) : 0;
}

void spill_close(struct spill *sp)
{
	if (!sp)
		return;
	struct spill *was = sp;
	atomic_compare_exchange_strong(&sealed, &was, NULL);
	if (sp->map)
		munmap((void *)sp->map, sp->map_len);
	for (int w = 0; w < sp->workers; w++)
		free(sp->open[w].bytes);
	for (size_t i = 0; i < sp->n_kept; i++)
		free(sp->kept[i].bytes);
	free(sp->kept);
	free(sp->open);
	pthread_mutex_destroy(&sp->lock);
	close(sp->fd);
	free(sp);
}
