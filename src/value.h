/* value.h: the typed value tree shared by front matter, site.yml, Lua and
 * templates: null, bool, number, string, list, map (insertion-ordered),
 * plus two links out of the tree: a weak reference to a value owned
 * elsewhere (an article seen from a topic page) and a function (a template
 * lambda). Each value remembers the line:col it was read from.
 *
 * Ownership: a tree owns its children. val_ref() does not own its target;
 * the target must outlive every reference (site-owned data outlives pages).
 * A finished tree may be read by many threads at once; it is never mutated
 * while others read it. */
#ifndef BRIEFING_VALUE_H
#define BRIEFING_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum val_type { VAL_NULL, VAL_BOOL, VAL_NUM, VAL_STR, VAL_LIST, VAL_MAP, VAL_REF, VAL_FUNC };

struct value;

/* A lambda: call() receives the section's raw text (text == NULL for an
 * interpolation) and appends the replacement template text to out.
 * Returns 0, or -1 with an error message appended to out instead. */
struct val_func {
	int (*call)(void *ud, const char *text, size_t len, buf *out);
	void (*free)(void *ud); /* may be NULL */
	void *ud;
};

struct value *val_null(void);
struct value *val_bool(int b);
struct value *val_num(double d);
struct value *val_str(const char *s, size_t len);
struct value *val_cstr(const char *s);
struct value *val_str_own(char *s, size_t len); /* takes s (malloc'd, NUL-terminated) */
/* A string over bytes owned elsewhere (NUL-terminated, alive as long as
 * the value): never copied, never freed by it. */
struct value *val_str_borrow(const char *s, size_t len);
struct value *val_list(void);
struct value *val_map(void);
/* An empty list or map with room for n items, for a caller that knows n. */
struct value *val_list_sized(size_t n);
struct value *val_map_sized(size_t n);
/* Lets go of a map's spare room (kept long, it will not grow): up to half
 * of what its entries take. */
void val_map_fit(struct value *map);
struct value *val_ref(const struct value *target);
struct value *val_func(struct val_func fn);
void val_free(struct value *v);
struct value *val_copy(const struct value *v); /* deep; references stay references */
/* Same type and contents, map keys in the same order; references are
 * equal when they point at the same value, lambdas never. */
int val_equal(const struct value *a, const struct value *b);

/* A map filled on first use: the first look inside it (from any thread;
 * once, under a lock) calls fill(z), which returns a new map holding its
 * entries, and takes them; then z->free(z). Until then it holds nothing,
 * and freeing it only calls z->free(z). The map owns z. For views read
 * back from the build cache, most of which a warm build never opens. */
struct val_lazy {
	struct value *(*fill)(struct val_lazy *z);
	void (*free)(struct val_lazy *z);
};
void val_map_lazy(struct value *map, struct val_lazy *z);
/* How many lazy maps have been filled (for -v and tests). */
size_t val_lazy_filled(void);

/* An arena: while a thread uses one, the values it makes (nodes, and the
 * item and entry arrays of lists and maps made with a size) come from it,
 * in large blocks. val_free of such a value frees what it owns on the
 * heap but not the arena's bytes; those go with val_arena_free, once no
 * value from it is in use. For many values read at once (the cache). */
struct val_arena;
struct val_arena *val_arena_new(void);
void val_arena_use(struct val_arena *a); /* NULL: the heap again */
void val_arena_free(struct val_arena *a);

/* Type of v itself (VAL_REF for a reference); NULL reads as VAL_NULL. */
enum val_type val_type(const struct value *v);
/* Follows references; returns v unchanged for anything else. */
const struct value *val_deref(const struct value *v);

int val_get_bool(const struct value *v);
double val_get_num(const struct value *v);
const char *val_get_str(const struct value *v, size_t *len); /* NULL unless a string */
const struct val_func *val_get_func(const struct value *v);

/* Lists and maps (after deref): item count and item i. */
size_t val_len(const struct value *v);
struct value *val_at(const struct value *v, size_t i);
const char *val_key_at(const struct value *v, size_t i, size_t *len);

/* Map lookup; NULL when absent or v is not a map. A map may lie over
 * another (val_map_over): a key it lacks is looked up below. */
struct value *val_get(const struct value *map, const char *key);
struct value *val_getn(const struct value *map, const char *key, size_t len);
/* Only the map's own keys, not those below it. */
struct value *val_getn_own(const struct value *map, const char *key, size_t len);

/* Layered maps: an empty map over below (owned elsewhere; it must outlive
 * the map). Lookups that miss go on down; val_len, val_at and val_key_at
 * see only the map's own keys, val_flatten all of them (a new map, each
 * key once, the upper layer winning). */
struct value *val_map_over(struct value *below);
void val_set_below(struct value *map, struct value *below);
struct value *val_below(const struct value *map);
struct value *val_flatten(const struct value *map);

/* The id of the tracked object a map is the view of (track.h), 0 when
 * none. Only maps carry one: val_set_obj on anything else does nothing.
 * Not copied by val_copy. */
void val_set_obj(struct value *v, uint32_t id);
uint32_t val_obj(const struct value *v);
/* String field of a map, or NULL. */
const char *val_get_cstr(const struct value *map, const char *key);

/* Mutation (owner only). Both take ownership of item. */
void val_push(struct value *list, struct value *item);
void val_set(struct value *map, const char *key, struct value *item);
void val_setn(struct value *map, const char *key, size_t len, struct value *item);
/* Removes key and returns its value to the caller (or NULL). */
struct value *val_take(struct value *map, const char *key);
/* Convenience setters. */
void val_set_str(struct value *map, const char *key, const char *s);
void val_set_num(struct value *map, const char *key, double d);
void val_set_bool(struct value *map, const char *key, int b);

/* A column past 65535 (a line longer than 64 KiB) is kept as 65535. */
void val_set_pos(struct value *v, int line, int col);
int val_line(const struct value *v);
int val_col(const struct value *v);

/* Shortest text that reads back as the same double ("1.21", "85", "-0.5"). */
void val_format_num(buf *out, double d);
/* Appends v as a scalar: strings as is, numbers formatted, bools true/false. */
void val_put_scalar(buf *out, const struct value *v);
/* A type name for messages: "string", "list", ... */
const char *val_type_name(enum val_type t);
/* The inside of a JSON string for s: quotes, backslashes and control
 * bytes escaped, and < > & as \u003c-style escapes. */
void val_put_json_chars(buf *out, const char *s, size_t len);
/* JSON text of v (for debugging, tests and JSON outputs). */
void val_to_json(buf *out, const struct value *v);

#endif
