/* track.h: what an incremental build knows of every shared map a step or
 * a page can read: article, topic and person views, script objects, the
 * site map and each key's records. Each is an object with an id; each
 * field name falls on one of 64 bits (a hash, so two names may share a
 * bit: that only costs a needless re-run). A clock ticks once per stage
 * of a build; a field that changes takes the current tick. A step or a
 * page that read (object, bits) at tick t is stale once any of those bits
 * changed after t, or the object is gone. */
#ifndef BRIEFING_TRACK_H
#define BRIEFING_TRACK_H

#include <stddef.h>
#include <stdint.h>

struct track;

enum tr_kind { TR_ARTICLE, TR_ENTITY, TR_OBJECT, TR_SITE, TR_KEY, TR_GROUP };

struct track *tr_new(void);
void tr_free(struct track *t);

/* A new object (ids start at 1 and are never reused); owner is what the
 * caller keeps for it (an article, an entity...). Thread-safe. */
uint32_t tr_add(struct track *t, enum tr_kind kind, void *owner);
/* The object is gone: every field counts as changed now. */
void tr_kill(struct track *t, uint32_t id);
/* The owner given to tr_add (NULL once killed), and its kind. */
void *tr_owner(const struct track *t, uint32_t id, enum tr_kind *kind);

uint64_t tr_bit(const char *name, size_t len);
/* The hash tr_bit takes its bit from (the low six bits); the bits above
 * are free to spread names over several objects (render.h's theme). */
uint32_t tr_hash(const char *name, size_t len);
#define TR_ALL (~(uint64_t)0)

/* The current tick, and the next one (made current). */
uint32_t tr_now(const struct track *t);
uint32_t tr_tick(struct track *t);
/* Fields (bits) of object id changed at the current tick. Not thread-safe. */
void tr_changed(struct track *t, uint32_t id, uint64_t bits);

/* Has any field of object id changed after tick since (or is it gone or
 * unknown)? */
int tr_changed_after(const struct track *t, uint32_t id, uint32_t since);

/* What a step or a page read. */
struct tr_dep {
	uint32_t obj;
	uint64_t bits;
};

/* A log of reads, as they happen (one per thread; no locks). */
struct tr_log {
	struct tr_dep *d;
	size_t n, cap;
};
void tr_log_read(struct tr_log *l, uint32_t obj, uint64_t bits);
/* Whether tr_log_read logs anything, for the whole process (default 1). A
 * build that keeps no state for another (no cache, not serve) turns it off:
 * nothing would ever read its logs. */
void tr_log_enable(int on);
int tr_log_enabled(void);
/* Sorts the log by object and merges each object's bits: the deps. */
void tr_log_merge(struct tr_log *l);
void tr_log_free(struct tr_log *l);

/* Has any of deps changed after tick since? Thread-safe against other
 * readers (not against tr_changed). */
int tr_stale(const struct track *t, const struct tr_dep *deps, size_t n, uint32_t since);

/* A step's or a page's deps: an array (d), or, read from the build cache,
 * the n (object, bits) pairs as it wrote them (at, len bytes), decoded
 * each time they are checked. 26,000 pages and 16,000 steps at 10k
 * briefs hold 770,000 of them, and a build checks each once. */
struct tr_deps {
	struct tr_dep *d;
	const char *at;
	uint32_t n, len;
};
/* Takes a merged log (tr_log_merge) as the deps, freeing what they were. */
void tr_deps_take(struct tr_deps *deps, struct tr_log *l);
void tr_deps_free(struct tr_deps *deps);
/* tr_stale over deps; bytes that do not decode count as a change. */
int tr_deps_stale(const struct track *t, const struct tr_deps *deps, uint32_t since);
struct cf_writer;
struct cf_reader;
void tr_deps_save(const struct tr_deps *deps, struct cf_writer *w);
/* Keeps the bytes of r's pairs, which must outlive deps (the mapped
 * cache). 0, or -1 when r has not that many. */
int tr_deps_load(struct tr_deps *deps, struct cf_reader *r);

/* The build cache: every object's stamps and the clock. After tr_load the
 * objects have no owners: tr_attach gives each its owner back (its kind
 * must be the one saved; an id used twice is refused). */
void tr_save(const struct track *t, struct cf_writer *w);
int tr_load(struct track *t, struct cf_reader *r);
int tr_attach(struct track *t, uint32_t id, enum tr_kind kind, void *owner);

#endif
