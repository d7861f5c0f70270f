/* steps.c: the keyed steps of steps.h, kept between updates. An update
 * goes stage by stage: it finds the steps that never ran or read
 * something that changed since (track.h), runs those (in parallel where
 * they are many), then applies the difference between each one's new and
 * old results in a fixed order: start and emit in script and site order,
 * group steps in (script, group, key) order, finish steps in (script,
 * group) order. A field or record that comes out the same keeps its stamp,
 * so nothing that read it runs again. */
#include "steps.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cachefile.h"
#include "hashes.h"
#include "lua_bridge.h"
#include "pool.h"
#include "spill.h"

#define GROW(arr, n, cap)                                                      \
	do {                                                                   \
		if ((n) == (cap)) {                                            \
			(cap) = (cap) ? (cap) * 2 : 8;                         \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));        \
		}                                                              \
	} while (0)

/* ---- one step's results ---- */

void st_out_init(struct st_out *o, int stage)
{
	memset(o, 0, sizeof *o);
	o->diag = diag_new();
	o->stage = stage;
}

static void free_writes(struct st_write *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(w[i].field);
		val_free(w[i].value);
	}
	free(w);
}

void st_out_clear(struct st_out *o)
{
	for (size_t i = 0; i < o->n_recs; i++) {
		if (!o->recs[i].shared)
			free(o->recs[i].group); /* and its key, in the same block */
		val_free(o->recs[i].value);
		if (o->recs[i].packed_own)
			free((char *)o->recs[i].packed);
	}
	free(o->recs);
	free_writes(o->writes, o->n_writes);
	free_writes(o->site_sets, o->n_site_sets);
	for (size_t i = 0; i < o->n_pages; i++)
		page_free(o->pages[i]);
	free(o->pages);
	val_free(o->summary);
	diag_free(o->diag);
	tr_log_free(&o->reads);
	memset(o, 0, sizeof *o);
}

void st_out_record(struct st_out *o, const char *group, const char *key, struct article *a,
                   struct value *value)
{
	GROW(o->recs, o->n_recs, o->cap_recs);
	size_t lg = strlen(group) + 1, lk = strlen(key) + 1;
	char *names = xmalloc(lg + lk); /* one block: a step files thousands */
	memcpy(names, group, lg);
	memcpy(names + lg, key, lk);
	struct st_record *r = &o->recs[o->n_recs];
	*r = (struct st_record){.group = names, .key = names + lg, .article = a, .value = value,
	                        .seq = (uint32_t)o->n_recs & 0x3fffffff};
	o->n_recs++;
	/* held as bytes: a tenth of a tree's size, compared with memcmp */
	size_t len;
	char *packed = value ? site_pack(value, &len) : NULL;
	if (packed && len <= UINT32_MAX) {
		r->packed = packed;
		r->packed_len = (uint32_t)len;
		r->packed_own = 1;
		val_free(value);
		r->value = NULL;
	} else {
		free(packed);
	}
}

const struct value *st_record_value(const struct site *s, const struct st_record *r,
                                    struct value **own)
{
	*own = NULL;
	if (r->value || !r->packed)
		return r->value;
	/* (the bytes outlive the tree: the caller frees it first) */
	return *own = site_unpack(s, r->packed, r->packed_len, 1);
}

/* A step's arrays once it ran: kept as long as its results, so without
 * the room they grew by (before its records are filed by address). */
static void st_out_fit(struct st_out *o)
{
#define FIT(arr, n, cap)                                                       	do {                                                                   		if ((cap) > (n)) {                                             			(arr) = (n) ? xrealloc((arr), (n) * sizeof *(arr)) : (free(arr), NULL); 			(cap) = (n);                                           		}                                                              	} while (0)
	FIT(o->recs, o->n_recs, o->cap_recs);
	FIT(o->writes, o->n_writes, o->cap_writes);
	FIT(o->site_sets, o->n_site_sets, o->cap_site_sets);
	FIT(o->pages, o->n_pages, o->cap_pages);
#undef FIT
}

void st_out_write(struct st_out *o, struct value *view, const char *field, struct value *value)
{
	GROW(o->writes, o->n_writes, o->cap_writes);
	o->writes[o->n_writes++] = (struct st_write){view, val_obj(view), xstrdup(field), value};
}

void st_out_site(struct st_out *o, struct value *site_map, const char *key, struct value *value)
{
	GROW(o->site_sets, o->n_site_sets, o->cap_site_sets);
	o->site_sets[o->n_site_sets++] = (struct st_write){site_map, val_obj(site_map), xstrdup(key),
	                                                   value};
}

void st_out_page(struct st_out *o, struct page *p)
{
	page_pack(p); /* held as bytes until rendered: a tenth the size of a tree */
	GROW(o->pages, o->n_pages, o->cap_pages);
	o->pages[o->n_pages++] = p;
}

/* ---- the state ---- */

struct st_step {
	size_t script;
	const char *group;      /* its group's name */
	struct st_key *key;     /* group steps; NULL for start, emit and finish */
	struct article *article; /* emit steps */
	struct st_out out;      /* its last results; out.ran is when */
	struct tr_deps deps;    /* what it read */
	int ran;                /* it has run at least once */
	int stale;              /* runs in this update */
	struct st_out *next;    /* this update's results, until applied */
	const char *cached;     /* the build cache's bytes for it, while it has not */
	size_t cached_len;      /* run since they were read (saved again as they are) */
};

struct st_key {
	const char *group, *key;  /* its name's */
	struct st_name *name;
	struct st_record **recs;
	size_t n, cap;
	struct st_record **before; /* the list at the start of this update */
	size_t n_before;
	int touched;
	uint32_t obj;            /* changes when its records do */
	struct st_step **steps;  /* per script: its group.G step, or NULL */
};

struct st_group {           /* a group one script handles */
	size_t script;
	char *name;
	int has_group, has_finish;
	uint32_t obj;            /* changes when a summary does, or a key comes or goes */
	struct st_step *finish;
	int changed;             /* this update */
};

struct st_state {
	struct site *s;
	const struct lb_scripts *sc;
	size_t n_scripts;
	char *has_start, *has_emit;
	struct st_group *groups;  /* sorted by script, then name */
	size_t n_groups;
	struct st_step **starts;  /* per script, or NULL */
	struct st_key **keys;     /* sorted by group, then key */
	size_t n_keys, cap_keys;
	/* per object, layer and field (owner_key): how many steps set it (low
	 * 32 bits) and the last update that set it (high 32 bits) */
	struct hs_ids *owners;
	uint32_t update;          /* this update's number, from 1 */
	struct hs_table *field_ids; /* field name -> its number + 1 */
	char **fields;            /* by number */
	size_t n_fields, cap_fields;
	struct st_key **touched;
	size_t n_touched, cap_touched;
	struct st_out *retired;   /* old results, freed once no key lists them */
	size_t n_retired, cap_retired;
	/* the names of records, one block per key (shared records): those read
	 * from the build cache, and those saved to it, numbered as it numbers
	 * them; and the table that finds them */
	struct st_name **names;
	size_t n_names, cap_names;
	struct hs_table *name_ids; /* "group\x1fkey" -> its number + 1 */
	buf scratch;               /* for key_name */
	/* the cache's owners and names tables, saved again as read while the
	 * one has not changed and the other has not grown */
	const char *owners_at, *names_at;
	size_t owners_len, names_len, n_names_read;
	int owners_changed;
	/* the key lists of a state just read, being filed on a thread
	 * (st_settle waits for it) */
	struct filer *filer;
	pthread_t filer_thread;
	int filer_threaded;
	/* no step's results hold a message: the last replay found none and no
	 * step that ran since made one (replay_messages is then skipped: it
	 * visits 26,000 steps at 10k) */
	int silent;
	/* the group steps in order (group_list), while keys_made is what it
	 * was: keys made or freed count up keys_made (none made: none listed) */
	struct st_step **glist;
	size_t n_glist;
	uint64_t keys_made, glist_at;
};

/* "group\0key\0", the names the records of one key share (those read
 * from the cache, and all of them once saved); number is its place in
 * the state's names, which is the cache's number for it. */
struct st_name {
	uint32_t number;
	uint32_t key_at; /* where the key starts in text (after group's NUL) */
	char text[];
};

static void free_retired(struct st_state *st);
static void load_writes(struct st_state *st, struct st_out *o);

/* o's summary, decoded from the cache's bytes the first time it is asked
 * for (a finish step asks for its group's; most are never asked for).
 * On the main thread. */
static struct value *summary_of(const struct st_state *st, const struct st_out *o)
{
	struct st_out *w = (struct st_out *)o; /* (filled in once: the same value) */
	if (!w->summary && w->summary_len)
		w->summary = site_unpack(st->s, w->summary_at, w->summary_len, 1);
	w->summary_len = 0;
	return w->summary;
}

const struct site *st_site(const struct st_state *st)
{
	return st->s;
}

static void step_free(struct st_step *p)
{
	if (!p)
		return;
	st_out_clear(&p->out);
	if (p->next)
		st_out_clear(p->next);
	free(p->next);
	tr_deps_free(&p->deps);
	free(p);
}

static struct st_step *step_new(size_t script, const char *group, int stage)
{
	struct st_step *p = xcalloc(1, sizeof *p);
	p->script = script;
	p->group = group;
	st_out_init(&p->out, stage);
	return p;
}

static int group_cmp(const void *a, const void *b)
{
	const struct st_group *x = a, *y = b;
	if (x->script != y->script)
		return x->script < y->script ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Adds the names of script i's table `table` to the groups. */
static void add_groups(struct st_state *st, struct lb *lb, size_t i, const char *table)
{
	size_t n;
	char **names = lb_step_groups(lb, i, table, &n);
	for (size_t k = 0; k < n; k++) {
		struct st_group *g = NULL;
		for (size_t j = 0; j < st->n_groups && !g; j++)
			if (st->groups[j].script == i && !strcmp(st->groups[j].name, names[k]))
				g = &st->groups[j];
		if (!g) {
			st->groups = xrealloc(st->groups, (st->n_groups + 1) * sizeof *st->groups);
			g = &st->groups[st->n_groups++];
			memset(g, 0, sizeof *g);
			g->script = i;
			g->name = names[k];
			g->obj = tr_add(st->s->track, TR_GROUP, st);
		} else {
			free(names[k]);
		}
		if (!strcmp(table, "group"))
			g->has_group = 1;
		else
			g->has_finish = 1;
	}
	free(names);
}

struct st_state *st_new(struct site *s, const struct lb_scripts *sc, struct lb *any)
{
	struct st_state *st = xcalloc(1, sizeof *st);
	st->s = s;
	st->sc = sc;
	st->n_scripts = lb_scripts_count(sc);
	size_t n = st->n_scripts ? st->n_scripts : 1;
	st->has_start = xcalloc(n, 1);
	st->has_emit = xcalloc(n, 1);
	st->starts = xcalloc(n, sizeof *st->starts);
	for (size_t i = 0; i < st->n_scripts; i++) {
		st->has_start[i] = (char)lb_has_step(any, i, "start");
		st->has_emit[i] = (char)lb_has_step(any, i, "emit");
		add_groups(st, any, i, "group");
		add_groups(st, any, i, "finish");
	}
	if (st->n_groups)
		qsort(st->groups, st->n_groups, sizeof *st->groups, group_cmp);
	st->owners = hs_ids_new();
	st->field_ids = hs_table_new();
	st->scratch = (buf)BUF_INIT;
	return st;
}

static void key_free(struct st_state *st, struct st_key *k)
{
	st->keys_made++;
	for (size_t i = 0; i < st->n_scripts; i++)
		step_free(k->steps[i]);
	free(k->steps);
	free(k->recs);
	free(k->before);
	free(k);
}

void st_free(struct st_state *st)
{
	if (!st)
		return;
	st_settle(st);
	for (size_t i = 0; i < st->n_keys; i++)
		key_free(st, st->keys[i]);
	free(st->keys);
	free(st->glist);
	for (size_t i = 0; i < st->n_scripts; i++)
		step_free(st->starts[i]);
	free(st->starts);
	for (size_t i = 0; i < st->n_groups; i++) {
		free(st->groups[i].name);
		step_free(st->groups[i].finish);
	}
	free(st->groups);
	for (size_t i = 0; st->s && i < st->s->n_articles; i++) {
		step_free(st->s->articles[i]->emit);
		st->s->articles[i]->emit = NULL;
	}
	free(st->has_start);
	free(st->has_emit);
	hs_ids_free(st->owners);
	hs_table_free(st->field_ids);
	for (size_t i = 0; i < st->n_fields; i++)
		free(st->fields[i]);
	free(st->fields);
	free(st->touched);
	free_retired(st);
	free(st->retired);
	for (size_t i = 0; i < st->n_names; i++)
		free(st->names[i]);
	free(st->names);
	hs_table_free(st->name_ids);
	buf_free(&st->scratch);
	free(st);
}

/* ---- keys ---- */

static int key_cmp(const struct st_key *k, const char *group, const char *key)
{
	int c = strcmp(k->group, group);
	return c ? c : strcmp(k->key, key);
}

/* The position of group/key in st->keys, or where it would go. */
static size_t key_pos(const struct st_state *st, const char *group, const char *key, int *found)
{
	size_t lo = 0, hi = st->n_keys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(st->keys[mid], group, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < st->n_keys && key_cmp(st->keys[lo], group, key) == 0;
	return lo;
}

struct st_key *st_find(const struct st_state *st, const char *group, const char *key)
{
	int found;
	size_t at = key_pos(st, group, key, &found);
	return found ? st->keys[at] : NULL;
}

struct st_record *const *st_key_records(const struct st_key *k, size_t *n)
{
	*n = k ? k->n : 0;
	return k ? k->recs : NULL;
}

uint32_t st_key_obj(const struct st_key *k)
{
	return k ? k->obj : 0;
}

static void touch(struct st_state *st, struct st_key *k)
{
	if (k->touched)
		return;
	k->touched = 1;
	free(k->before);
	k->before = k->n ? xmalloc(k->n * sizeof *k->before) : NULL;
	if (k->n)
		memcpy(k->before, k->recs, k->n * sizeof *k->before);
	k->n_before = k->n;
	GROW(st->touched, st->n_touched, st->cap_touched);
	st->touched[st->n_touched++] = k;
}

static struct st_name *shared_name(struct st_state *st, const char *group, const char *key);

static void add_record(struct st_state *st, struct st_record *r)
{
	int found;
	size_t at = key_pos(st, r->group, r->key, &found);
	struct st_key *k;
	if (found) {
		k = st->keys[at];
	} else {
		k = xcalloc(1, sizeof *k);
		k->name = shared_name(st, r->group, r->key);
		k->group = k->name->text;
		k->key = k->name->text + k->name->key_at;
		k->obj = tr_add(st->s->track, TR_KEY, k);
		k->steps = xcalloc(st->n_scripts ? st->n_scripts : 1, sizeof *k->steps);
		GROW(st->keys, st->n_keys, st->cap_keys);
		memmove(st->keys + at + 1, st->keys + at, (st->n_keys - at) * sizeof *st->keys);
		st->keys[at] = k;
		st->n_keys++;
		st->keys_made++;
		for (size_t i = 0; i < st->n_groups; i++)
			if (!strcmp(st->groups[i].name, k->group))
				st->groups[i].changed = 1; /* a key came */
	}
	touch(st, k);
	GROW(k->recs, k->n, k->cap);
	k->recs[k->n++] = r;
}

static void remove_record(struct st_state *st, struct st_record *r)
{
	struct st_key *k = st_find(st, r->group, r->key);
	if (!k)
		return;
	touch(st, k);
	for (size_t i = 0; i < k->n; i++)
		if (k->recs[i] == r) {
			memmove(k->recs + i, k->recs + i + 1, (k->n - i - 1) * sizeof *k->recs);
			k->n--;
			break;
		}
}

static int rec_cmp(const void *pa, const void *pb)
{
	const struct st_record *a = *(struct st_record *const *)pa;
	const struct st_record *b = *(struct st_record *const *)pb;
	/* records without an article (from start) first, then site order */
	size_t ra = a->article ? a->article->rank + 1 : 0, rb = b->article ? b->article->rank + 1 : 0;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->script != b->script)
		return a->script < b->script ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int same_record(const struct site *s, const struct st_record *a,
                       const struct st_record *b)
{
	if (a == b)
		return 1;
	if (a->article != b->article)
		return 0;
	if (!a->value && !b->value) /* packed, or none: the same bytes */
		return a->packed_len == b->packed_len &&
		       (!a->packed_len || !memcmp(a->packed, b->packed, a->packed_len));
	struct value *own_a, *own_b;
	int same = val_equal(st_record_value(s, a, &own_a), st_record_value(s, b, &own_b));
	val_free(own_a);
	val_free(own_b);
	return same;
}

/* Sorts the keys whose records changed and stamps those whose list is not
 * what it was. Returns the keys left empty to the caller's list. */
static void settle_keys(struct st_state *st)
{
	for (size_t t = 0; t < st->n_touched; t++) {
		struct st_key *k = st->touched[t];
		if (k->n > 1)
			qsort(k->recs, k->n, sizeof *k->recs, rec_cmp);
		int same = k->n == k->n_before;
		for (size_t i = 0; same && i < k->n; i++)
			same = same_record(st->s, k->recs[i], k->before[i]);
		if (!same)
			tr_changed(st->s->track, k->obj, 1);
		k->touched = 0;
		free(k->before);
		k->before = NULL;
		k->n_before = 0;
	}
	st->n_touched = 0;
}

/* ---- applying results ---- */

/* Owners are counted per object, layer and field: object ids are never
 * reused, so a count outlives no view it could be mistaken for. The key:
 * the object's id, the layer in 4 bits, the field's number in 28. */
static uint64_t owner_key(struct st_state *st, uint32_t obj, int stage, const char *field)
{
	uint64_t id;
	if (!hs_get(st->field_ids, field, &id)) {
		GROW(st->fields, st->n_fields, st->cap_fields);
		st->fields[st->n_fields++] = xstrdup(field);
		id = st->n_fields;
		hs_put(st->field_ids, field, id, 0);
	}
	return (uint64_t)obj << 32 | (uint64_t)(stage & 15) << 28 | ((id - 1) & 0x0fffffff);
}

#define OWNERS(v) ((v) & 0xffffffffu)
#define WRITTEN(v) ((uint32_t)((v) >> 32))

static int write_cmp(const void *pa, const void *pb)
{
	const struct st_write *a = pa, *b = pb;
	if (a->obj != b->obj)
		return a->obj < b->obj ? -1 : 1;
	return strcmp(a->field, b->field);
}

/* Sorts writes by view and field (stable: a merge sort of positions),
 * keeping the last of a step's writes to one field and dropping nil
 * writes: a step that sets a field to nil does not set it. */
static void settle_writes(struct st_write *w, size_t *n)
{
	if (*n > 1) {
		size_t *order = xmalloc(*n * sizeof *order), *tmp = xmalloc(*n * sizeof *tmp);
		for (size_t i = 0; i < *n; i++)
			order[i] = i;
		for (size_t width = 1; width < *n; width *= 2) {
			for (size_t lo = 0; lo < *n; lo += 2 * width) {
				size_t mid = lo + width < *n ? lo + width : *n;
				size_t hi = lo + 2 * width < *n ? lo + 2 * width : *n;
				size_t i = lo, j = mid, k = lo;
				while (i < mid && j < hi)
					tmp[k++] = write_cmp(&w[order[j]], &w[order[i]]) < 0 ? order[j++]
					                                                     : order[i++];
				while (i < mid)
					tmp[k++] = order[i++];
				while (j < hi)
					tmp[k++] = order[j++];
			}
			memcpy(order, tmp, *n * sizeof *order);
		}
		struct st_write *sorted = xmalloc(*n * sizeof *sorted);
		for (size_t i = 0; i < *n; i++)
			sorted[i] = w[order[i]];
		memcpy(w, sorted, *n * sizeof *w);
		free(sorted);
		free(tmp);
		free(order);
	}
	size_t out = 0;
	for (size_t i = 0; i < *n; i++) {
		int last = i + 1 == *n || write_cmp(&w[i], &w[i + 1]) != 0;
		if (!last || !w[i].value) {
			free(w[i].field);
			val_free(w[i].value);
			continue;
		}
		w[out++] = w[i];
	}
	*n = out;
}

/* Applies the difference between a step's old writes (already in the
 * layers) and its new ones; who names the step in messages. */
static void apply_writes(struct st_state *st, struct st_write *old, size_t n_old,
                         struct st_write *nw, size_t n_new, int stage, const char *who)
{
	struct site *s = st->s;
	size_t i = 0, j = 0, entries = hs_ids_count(st->owners);
	while (i < n_old || j < n_new) {
		int c = i == n_old ? 1 : j == n_new ? -1 : write_cmp(&old[i], &nw[j]);
		struct st_write *w = c <= 0 ? &old[i] : &nw[j];
		/* by id: an old write's view may be gone (its article failed) */
		uint32_t id = w->obj;
		struct value *map = site_layer_by_id(s, id, stage);
		uint64_t bit = tr_bit(w->field, strlen(w->field));
		uint64_t *slot = hs_ids_at(st->owners, owner_key(st, id, stage, w->field));
		uint64_t owners = OWNERS(*slot);
		if (c < 0) { /* no longer set by this step */
			if (owners <= 1 && map) {
				val_free(val_take(map, w->field));
				tr_changed(s->track, id, bit);
			}
			*slot = (*slot & ~(uint64_t)0xffffffffu) | (owners ? owners - 1 : 0);
			st->owners_changed |= owners != 0;
			i++;
			continue;
		}
		struct value *cur = map ? val_getn_own(map, w->field, strlen(w->field)) : NULL;
		/* two steps may set one field, to the same value: a different one
		 * from a step run in this same update is an error, else the new
		 * value stands (the others, run again, will say the same) */
		int twice = WRITTEN(*slot) == st->update;
		if (map && !val_equal(cur, nw[j].value)) {
			if (twice)
				diag_error(s->diag, NULL, 0, 0, "field \"%s\" is set to different values by "
				           "%s and another step", nw[j].field, who);
			else {
				val_set(map, nw[j].field, nw[j].value);
				nw[j].value = NULL;
				tr_changed(s->track, id, bit);
			}
		}
		if (c != 0) { /* newly set by this step */
			owners++;
			st->owners_changed = 1;
		} else {
			i++;
		}
		*slot = (uint64_t)st->update << 32 | owners;
		j++;
	}
	st->owners_changed |= hs_ids_count(st->owners) != entries;
	for (size_t k = 0; k < n_new; k++) { /* what the layers now own */
		val_free(nw[k].value);
		nw[k].value = NULL;
	}
}

static int same_page(const struct page *a, const struct page *b)
{
	return !strcmp(a->url, b->url) && !strcmp(a->template, b->template) &&
	       !strcmp(a->kind, b->kind) && !strcmp(a->title, b->title) &&
	       !strcmp(a->source, b->source) && page_same_data(a, b);
}

/* New pages that equal old ones (same URL, same everything) are the old
 * ones again: their serial stays, so the page is not rendered again. */
static void keep_pages(struct st_out *old, struct st_out *nw)
{
	for (size_t j = 0; j < nw->n_pages; j++) {
		for (size_t i = 0; i < old->n_pages; i++) {
			if (old->pages[i] && same_page(old->pages[i], nw->pages[j])) {
				page_free(nw->pages[j]);
				nw->pages[j] = old->pages[i];
				old->pages[i] = NULL;
				break;
			}
		}
	}
}

/* Starts p's results for this update (p->next), made at tick now. */
static struct st_out *begin_run(struct st_step *p, int stage, uint32_t now)
{
	if (p->next)
		st_out_clear(p->next);
	else
		p->next = xmalloc(sizeof *p->next);
	st_out_init(p->next, stage);
	p->next->ran = now;
	return p->next;
}

/* Makes p's new results (p->next) its results: the difference is applied
 * to the views, and the old results are retired (their records may still
 * be in the key lists being settled: they are freed at the end of the
 * update). */
static void apply_step(struct st_state *st, struct st_step *p, const char *who)
{
	struct st_out *nw = p->next;
	load_writes(st, &p->out);
	settle_writes(nw->writes, &nw->n_writes);
	settle_writes(nw->site_sets, &nw->n_site_sets);
	apply_writes(st, p->out.writes, p->out.n_writes, nw->writes, nw->n_writes, nw->stage, who);
	apply_writes(st, p->out.site_sets, p->out.n_site_sets, nw->site_sets, nw->n_site_sets,
	             nw->stage, who);
	keep_pages(&p->out, nw);
	tr_log_merge(&nw->reads);
	tr_deps_take(&p->deps, &nw->reads);
	if (diag_message(nw->diag, 0, NULL))
		st->silent = 0;
	GROW(st->retired, st->n_retired, st->cap_retired);
	st->retired[st->n_retired++] = p->out;
	p->out = *nw;
	free(nw);
	p->next = NULL;
	p->ran = 1;
	p->cached = NULL;
}

static void free_retired(struct st_state *st)
{
	for (size_t i = 0; i < st->n_retired; i++)
		st_out_clear(&st->retired[i]);
	st->n_retired = 0;
}

/* Takes back everything a step made (its key or article is gone). */
static void retract_step(struct st_state *st, struct st_step *p, const char *who)
{
	begin_run(p, p->out.stage, p->out.ran);
	for (size_t i = 0; i < p->out.n_recs; i++)
		remove_record(st, &p->out.recs[i]);
	apply_step(st, p, who);
}

/* ---- running ---- */

struct run {
	struct st_state *st;
	struct lb **workers;
	struct st_step **todo;
	size_t n;
};

static int stale(const struct st_state *st, const struct st_step *p)
{
	return !p->ran || tr_deps_stale(st->s->track, &p->deps, p->out.ran);
}

/* Which of steps[0..n) are stale, checked on up to workers threads (the
 * deps of 26,000 steps at 10k briefs: 14 ms on one): an array of n flags
 * to free. */
struct stale_job {
	const struct st_state *st;
	struct st_step *const *steps;
	unsigned char *flags;
};

static void stale_one(void *ctx, size_t i)
{
	const struct stale_job *j = ctx;
	j->flags[i] = (unsigned char)stale(j->st, j->steps[i]);
}

static unsigned char *stale_steps(const struct st_state *st, struct st_step *const *steps,
                                  size_t n, int workers)
{
	struct stale_job j = {st, steps, xcalloc(n ? n : 1, 1)};
	pool_run_blocks(workers, n, 512, stale_one, &j);
	return j.flags;
}

static void emit_one(void *ctx, int worker, size_t i)
{
	struct run *r = ctx;
	struct st_step *p = r->todo[i];
	lb_run_emit(r->workers[worker], p->article, p->next);
	st_out_fit(p->next);
	spill_tick(); /* the emit may have read its article's content */
}

static void group_one(void *ctx, int worker, size_t i)
{
	struct run *r = ctx;
	struct st_step *p = r->todo[i];
	lb_run_group(r->workers[worker], p->script, p->group, p->key->key, p->next);
	/* a step depends on its own records */
	tr_log_read(&p->next->reads, p->key->obj, 1);
	st_out_fit(p->next);
	spill_tick(); /* a feed's or an edition's step may read its briefs' content */
}

static char *emit_who(const struct article *a)
{
	return xasprintf("emit() for %s", a->path);
}

static char *group_who(const struct st_state *st, const struct st_step *p)
{
	if (!p->key)
		return xasprintf("finish.%s() of %s", p->group, lb_script_path(st->sc, p->script));
	return xasprintf("group.%s() of %s for key \"%s\"", p->group,
	                 lb_script_path(st->sc, p->script), p->key->key);
}

void st_forget(struct st_state *st, struct article *a)
{
	struct st_step *p = a->emit;
	if (!p)
		return;
	st_settle(st);
	char *who = emit_who(a);
	retract_step(st, p, who);
	free(who);
	settle_keys(st);
	free_retired(st);
	step_free(p);
	a->emit = NULL;
}

/* start (the first update only) and emit (stale articles). */
static void run_first_stage(struct st_state *st, struct lb **workers, int nworkers,
                            struct st_stats *stats)
{
	struct site *s = st->s;
	uint32_t now = tr_now(s->track);
	for (size_t i = 0; i < st->n_scripts; i++) {
		if (!st->has_start[i] || st->starts[i])
			continue;
		struct st_step *p = step_new(i, NULL, 1);
		st->starts[i] = p;
		struct st_out *o = begin_run(p, 1, now);
		lb_run_start(workers[0], i, o);
		for (size_t k = 0; k < o->n_recs; k++) {
			o->recs[k].script = (uint32_t)i;
			add_record(st, &o->recs[k]);
		}
		char *who = xasprintf("start() of %s", lb_script_path(st->sc, i));
		apply_step(st, p, who);
		free(who);
	}
	int any = 0;
	for (size_t i = 0; i < st->n_scripts; i++)
		any |= st->has_emit[i];
	struct run r = {.st = st, .workers = workers};
	if (any) {
		r.todo = xcalloc(s->n_articles ? s->n_articles : 1, sizeof *r.todo);
		for (size_t i = 0; i < s->n_articles; i++) {
			struct article *a = s->articles[i];
			if (!a->emit) {
				a->emit = step_new(0, NULL, 1);
				a->emit->article = a;
			}
			r.todo[i] = a->emit;
		}
		unsigned char *flags = stale_steps(st, r.todo, s->n_articles, nworkers);
		for (size_t i = 0; i < s->n_articles; i++)
			if (flags[i]) {
				begin_run(r.todo[i], 1, now);
				r.todo[r.n++] = r.todo[i];
			}
		free(flags);
		pool_run(nworkers, r.n, emit_one, &r);
	}
	/* an article with a new date moves in the lists of its records, even
	 * when its emit step did not run again */
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		if (!a->moved || !a->emit || a->emit->next)
			continue;
		for (size_t k = 0; k < a->emit->out.n_recs; k++) {
			struct st_key *key = st_find(st, a->emit->out.recs[k].group,
			                             a->emit->out.recs[k].key);
			if (key)
				touch(st, key);
		}
	}
	/* in site order: records out and in, then the writes */
	for (size_t i = 0; i < r.n; i++) {
		struct st_step *p = r.todo[i];
		for (size_t k = 0; k < p->out.n_recs; k++)
			remove_record(st, &p->out.recs[k]);
		for (size_t k = 0; k < p->next->n_recs; k++)
			add_record(st, &p->next->recs[k]);
		char *who = emit_who(p->article);
		apply_step(st, p, who);
		free(who);
	}
	settle_keys(st);
	free(r.todo);
	if (stats)
		stats->emits += r.n;
}

/* Drops the keys left without records, and their group steps. */
static void drop_empty_keys(struct st_state *st)
{
	size_t out = 0;
	for (size_t i = 0; i < st->n_keys; i++) {
		struct st_key *k = st->keys[i];
		if (k->n) {
			st->keys[out++] = k;
			continue;
		}
		for (size_t g = 0; g < st->n_scripts; g++) {
			struct st_step *p = k->steps[g];
			if (!p)
				continue;
			char *who = group_who(st, p);
			retract_step(st, p, who);
			free(who);
			for (size_t j = 0; j < st->n_groups; j++)
				if (st->groups[j].script == g && !strcmp(st->groups[j].name, k->group))
					st->groups[j].changed = 1; /* a key went */
		}
		tr_kill(st->s->track, k->obj);
		key_free(st, k);
	}
	st->n_keys = out;
}

/* The group steps, in (script, group, key) order. */
static struct st_step **group_steps(struct st_state *st, size_t *n)
{
	struct st_step **list = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t gi = 0; gi < st->n_groups; gi++) {
		struct st_group *g = &st->groups[gi];
		if (!g->has_group)
			continue;
		int found;
		size_t k = key_pos(st, g->name, "", &found);
		for (; k < st->n_keys && !strcmp(st->keys[k]->group, g->name); k++) {
			struct st_key *key = st->keys[k];
			struct st_step *p = key->steps[g->script];
			if (!p) {
				p = step_new(g->script, g->name, 2);
				p->key = key;
				key->steps[g->script] = p;
			}
			GROW(list, *n, cap);
			list[(*n)++] = p;
		}
	}
	return list;
}

/* group_steps, made again only after keys came or went (the list is the
 * state's: 16,000 keys at 10k, walked by run_groups and again for the
 * pages). */
static struct st_step *const *group_list(struct st_state *st, size_t *n)
{
	if (st->glist_at != st->keys_made) {
		free(st->glist);
		st->glist = group_steps(st, &st->n_glist);
		st->glist_at = st->keys_made;
	}
	*n = st->n_glist;
	return st->glist;
}

static struct st_group *group_of(struct st_state *st, size_t script, const char *name)
{
	for (size_t i = 0; i < st->n_groups; i++)
		if (st->groups[i].script == script && !strcmp(st->groups[i].name, name))
			return &st->groups[i];
	return NULL;
}

static void run_groups(struct st_state *st, struct lb **workers, int nworkers,
                       struct st_stats *stats)
{
	struct site *s = st->s;
	uint32_t now = tr_now(s->track);
	size_t n;
	struct st_step *const *list = group_list(st, &n);
	struct run r = {.st = st, .workers = workers};
	r.todo = xcalloc(n ? n : 1, sizeof *r.todo);
	unsigned char *flags = stale_steps(st, list, n, nworkers);
	for (size_t i = 0; i < n; i++)
		if (flags[i]) {
			begin_run(list[i], 2, now);
			r.todo[r.n++] = list[i];
		}
	free(flags);
	if (r.n) {
		for (int w = 0; w < nworkers; w++)
			lb_steps_begin(workers[w], st);
		pool_run(nworkers, r.n, group_one, &r);
	}
	for (size_t i = 0; i < r.n; i++) {
		struct st_step *p = r.todo[i];
		struct value *before = summary_of(st, &p->out);
		int changed = !p->ran || !val_equal(before, p->next->summary);
		char *who = group_who(st, p);
		apply_step(st, p, who);
		free(who);
		if (changed) {
			struct st_group *g = group_of(st, p->script, p->group);
			if (g)
				g->changed = 1;
		}
	}
	for (size_t i = 0; i < st->n_groups; i++)
		if (st->groups[i].changed) {
			tr_changed(s->track, st->groups[i].obj, 1);
			st->groups[i].changed = 0;
		}
	free(r.todo);
	if (stats)
		stats->groups += r.n;
}

static void run_finish(struct st_state *st, struct lb *main, struct st_stats *stats)
{
	struct site *s = st->s;
	uint32_t now = tr_now(s->track);
	int begun = 0;
	for (size_t gi = 0; gi < st->n_groups; gi++) {
		struct st_group *g = &st->groups[gi];
		if (!g->has_finish)
			continue;
		if (!g->finish)
			g->finish = step_new(g->script, g->name, 3);
		struct st_step *p = g->finish;
		if (!stale(st, p))
			continue;
		if (!begun) {
			lb_steps_begin(main, st);
			begun = 1;
		}
		/* the summaries of the script's group.G steps, in key order */
		size_t n = 0, cap = 0;
		const char **keys = NULL;
		struct value **sums = NULL;
		int found;
		size_t k = key_pos(st, g->name, "", &found);
		for (; k < st->n_keys && !strcmp(st->keys[k]->group, g->name); k++) {
			struct st_step *q = st->keys[k]->steps[g->script];
			if (!q)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				keys = xrealloc(keys, cap * sizeof *keys);
				sums = xrealloc(sums, cap * sizeof *sums);
			}
			keys[n] = st->keys[k]->key;
			sums[n++] = summary_of(st, &q->out);
		}
		struct st_out *o = begin_run(p, 3, now);
		lb_run_finish(main, g->script, g->name, keys, sums, n, o);
		tr_log_read(&o->reads, g->obj, 1);
		free(keys);
		free(sums);
		char *who = group_who(st, p);
		apply_step(st, p, who);
		free(who);
		if (stats)
			stats->finishes++;
	}
	if (begun)
		lb_steps_begin(main, NULL);
}

static int replay(struct site *s, const struct st_step *p)
{
	if (!p || !diag_message(p->out.diag, 0, NULL))
		return 0;
	diag_append(s->diag, p->out.diag);
	return 1;
}

/* The messages of every step, in step order, into s->diag. */
static void replay_messages(struct st_state *st)
{
	struct site *s = st->s;
	if (st->silent)
		return;
	int any = 0;
	for (size_t i = 0; i < st->n_scripts; i++)
		any |= replay(s, st->starts[i]);
	for (size_t i = 0; i < s->n_articles; i++)
		any |= replay(s, s->articles[i]->emit);
	size_t n;
	struct st_step *const *list = group_list(st, &n);
	for (size_t i = 0; i < n; i++)
		any |= replay(s, list[i]);
	for (size_t i = 0; i < st->n_groups; i++)
		any |= replay(s, st->groups[i].finish);
	st->silent = !any;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* After a stage that ran this many steps, the states let go of what they
 * read (items' caches, records lists, garbage) before the next: each
 * state would otherwise hold what its steps read of every article to the
 * end of the build. A small update keeps it (the next one reads it). */
#define TRIM_STEPS 512

static size_t s_ran(const struct st_stats *stats)
{
	return stats->emits + stats->groups + stats->finishes;
}

static void trim(struct lb **workers, int nworkers, struct lb *main)
{
	for (int w = 0; w < nworkers; w++)
		lb_trim(workers[w]);
	if (main)
		lb_trim(main);
}

int st_update(struct st_state *st, struct lb **workers, int nworkers, struct lb *main,
              struct st_stats *stats)
{
	struct site *s = st->s;
	double t0 = now_s();
	st_settle(st);
	int errors = diag_count(s->diag, DIAG_ERROR);
	struct st_stats own = {0};
	if (!stats)
		stats = &own;
	for (int w = 0; w < nworkers; w++)
		lb_steps_begin(workers[w], NULL);
	st->update++; /* what this update sets (apply_writes) */
	size_t ran = s_ran(stats);
	run_first_stage(st, workers, nworkers, stats);
	if (s_ran(stats) - ran >= TRIM_STEPS)
		trim(workers, nworkers, NULL);
	ran = s_ran(stats);
	drop_empty_keys(st);
	run_groups(st, workers, nworkers, stats);
	run_finish(st, main, stats);
	free_retired(st);
	replay_messages(st);
	if (s_ran(stats) - ran >= TRIM_STEPS)
		trim(workers, nworkers, main);
	stats->seconds = now_s() - t0;
	return diag_count(s->diag, DIAG_ERROR) == errors ? 0 : -1;
}

void st_pages(const struct st_state *st, void (*add)(void *ctx, struct page *p), void *ctx)
{
	struct site *s = st->s;
	for (size_t i = 0; i < st->n_scripts; i++)
		for (size_t k = 0; st->starts[i] && k < st->starts[i]->out.n_pages; k++)
			add(ctx, st->starts[i]->out.pages[k]);
	for (size_t i = 0; i < s->n_articles; i++) {
		struct st_step *p = s->articles[i]->emit;
		for (size_t k = 0; p && k < p->out.n_pages; k++)
			add(ctx, p->out.pages[k]);
	}
	size_t n;
	struct st_step *const *list = group_list((struct st_state *)st, &n);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < list[i]->out.n_pages; k++)
			add(ctx, list[i]->out.pages[k]);
	for (size_t i = 0; i < st->n_groups; i++) {
		struct st_step *p = st->groups[i].finish;
		for (size_t k = 0; p && k < p->out.n_pages; k++)
			add(ctx, p->out.pages[k]);
	}
}

/* The group steps of g that ran, in key order (caller frees the list). */
static struct st_step **ran_steps(const struct st_state *st, const struct st_group *g, size_t *n)
{
	struct st_step **list = NULL;
	size_t cap = 0;
	int found;
	*n = 0;
	size_t k = key_pos(st, g->name, "", &found);
	for (; k < st->n_keys && !strcmp(st->keys[k]->group, g->name); k++) {
		struct st_step *q = st->keys[k]->steps[g->script];
		if (q) {
			GROW(list, *n, cap);
			list[(*n)++] = q;
		}
	}
	return list;
}

void st_collections(const struct st_state *st, struct lb *main)
{
	for (size_t gi = 0; gi < st->n_groups; gi++) {
		const struct st_group *g = &st->groups[gi];
		if (!g->has_group)
			continue;
		size_t n;
		struct st_step **list = ran_steps(st, g, &n);
		struct value **sums = xcalloc(n ? n : 1, sizeof *sums);
		for (size_t i = 0; i < n; i++)
			sums[i] = summary_of(st, &list[i]->out);
		lb_set_collection(main, g->name, sums, n);
		free(sums);
		free(list);
	}
}

void st_summaries(const struct st_state *st, const char *group,
                  void (*each)(void *ctx, const char *key, const struct value *summary),
                  void *ctx)
{
	for (size_t gi = 0; st && gi < st->n_groups; gi++) {
		const struct st_group *g = &st->groups[gi];
		if (!g->has_group || strcmp(g->name, group) != 0)
			continue;
		size_t n;
		struct st_step **list = ran_steps(st, g, &n);
		for (size_t i = 0; i < n; i++)
			each(ctx, list[i]->key->key, summary_of(st, &list[i]->out));
		free(list);
	}
}

/* ---- the build cache ---- */

/* "group\x1fkey", the name of a key in a table of them. */
static const char *key_name(buf *b, const char *group, const char *key)
{
	buf_reset(b);
	buf_puts(b, group);
	buf_putc(b, 0x1f);
	buf_puts(b, key);
	return b->ptr;
}

/* Adds group/key to the names, with the next number. */
static struct st_name *new_name(struct st_state *st, const char *group, const char *key)
{
	size_t lg = strlen(group) + 1, lk = strlen(key) + 1;
	struct st_name *n = xmalloc(sizeof *n + lg + lk);
	n->number = (uint32_t)st->n_names;
	n->key_at = (uint32_t)lg;
	memcpy(n->text, group, lg);
	memcpy(n->text + lg, key, lk);
	GROW(st->names, st->n_names, st->cap_names);
	st->names[st->n_names++] = n;
	if (st->name_ids)
		hs_put(st->name_ids, key_name(&st->scratch, group, key), st->n_names, 0);
	return n;
}

/* The names of group/key, as the records read from the cache share them
 * and the cache numbers them (made on first use; never dropped, so that
 * a step saved as the bytes read keeps its numbers). A key has its
 * name: the table of all of them is made only for a name no key has
 * (a new key's), which a warm build seldom meets. */
static struct st_name *shared_name(struct st_state *st, const char *group, const char *key)
{
	struct st_key *k = st_find(st, group, key);
	if (k)
		return k->name;
	uint64_t id;
	if (!st->name_ids) {
		st->name_ids = hs_table_new();
		for (size_t i = 0; i < st->n_names; i++) {
			const char *g = st->names[i]->text;
			hs_put(st->name_ids, key_name(&st->scratch, g, g + st->names[i]->key_at), i + 1, 0);
		}
	}
	if (hs_get(st->name_ids, key_name(&st->scratch, group, key), &id))
		return st->names[id - 1];
	return new_name(st, group, key);
}

static struct st_name *name_of(const struct st_record *r)
{
	return (struct st_name *)(void *)(r->group - offsetof(struct st_name, text));
}

/* Reading steps: two strings looked at and let go, without allocating
 * (a cache holds hundreds of thousands of records). */
struct scratch {
	buf a, b;
};

static void save_out(struct cf_writer *w, const struct st_out *o)
{
	cf_u64(w, (uint64_t)o->stage);
	cf_u64(w, o->ran);
	cf_u64(w, o->n_recs);
	for (size_t i = 0; i < o->n_recs; i++) {
		const struct st_record *r = &o->recs[i];
		cf_u64(w, name_of(r)->number); /* (share_names made every record's shared) */
		cf_u64(w, r->article ? r->article->scan + 1 : 0);
		/* (a tree: one site_pack could not encode, a lambda) */
		site_save_packed(w, r->value, r->packed, r->packed_len);
		cf_u64(w, r->seq);
		cf_u64(w, r->script);
	}
	if (o->writes_at) { /* as read: never decoded */
		cf_raw(w, o->writes_at, o->writes_len);
	} else {
		cf_u64(w, o->n_writes);
		for (size_t i = 0; i < o->n_writes; i++) {
			cf_u64(w, o->writes[i].obj);
			cf_str(w, o->writes[i].field);
		}
		cf_u64(w, o->n_site_sets);
		for (size_t i = 0; i < o->n_site_sets; i++)
			cf_str(w, o->site_sets[i].field);
	}
	cf_u64(w, o->n_pages);
	for (size_t i = 0; i < o->n_pages; i++)
		page_save_packed(w, o->pages[i]);
	/* with its length first: a reader keeps the bytes (summary_of) */
	site_save_packed(w, o->summary, o->summary_at, o->summary_len);
	diag_save(o->diag, w);
}

/* A step's bytes as the cache had them are still its bytes when it has
 * not run since and every article is where the cache had it (a record
 * names its article by its place in the scan). */
static int same_places(const struct site *s)
{
	if (!s->cached_tick || s->n_all != s->n_cached)
		return 0;
	for (size_t i = 0; i < s->n_all; i++)
		if (s->all[i]->cached_at != i + 1 || s->all[i]->scan != i)
			return 0;
	return 1;
}

/* st: when the state was not read from a cache, or a test wants every
 * byte encoded again (BRIEFING_CACHE_REENCODE), writes kept as bytes are
 * decoded first. */
static void save_step(struct cf_writer *w, struct st_state *st, struct st_step *p, int same)
{
	if (same && p->cached) {
		cf_item_raw(w, p->cached, p->cached_len);
		return;
	}
	if (!st->s->cached_tick)
		load_writes(st, &p->out);
	cf_item(w);
	cf_u64(w, (uint64_t)p->ran);
	save_out(w, &p->out);
	tr_deps_save(&p->deps, w);
}

struct owner {
	uint64_t key, value;
};

struct owner_list {
	struct owner *at;
	size_t n;
};

static void list_owner(void *ctx, uint64_t key, uint64_t value)
{
	struct owner_list *l = ctx;
	l->at[l->n++] = (struct owner){key, value};
}

static int owner_cmp(const void *pa, const void *pb)
{
	const struct owner *a = pa, *b = pb;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* The owners table, an item: its field names, then the counts; the bytes
 * read while no count changed. */
static void save_owners(const struct st_state *st, struct cf_writer *w)
{
	if (st->s->cached_tick && st->owners_at && !st->owners_changed) {
		cf_item_raw(w, st->owners_at, st->owners_len);
		return;
	}
	cf_item(w);
	cf_u64(w, st->n_fields);
	for (size_t i = 0; i < st->n_fields; i++)
		cf_str(w, st->fields[i]);
	/* in key order: the table's own order depends on how it was filled,
	 * and a file encoded afresh must give the bytes of one saved as read */
	struct owner_list l = {xmalloc((hs_ids_count(st->owners) + 1) * sizeof *l.at), 0};
	hs_ids_each(st->owners, list_owner, &l);
	qsort(l.at, l.n, sizeof *l.at, owner_cmp);
	cf_u64(w, l.n);
	for (size_t i = 0; i < l.n; i++) {
		cf_u64(w, l.at[i].key >> 28);         /* the object and the layer */
		cf_u64(w, l.at[i].key & 0x0fffffff); /* the field, by number */
		cf_u64(w, OWNERS(l.at[i].value));
	}
	free(l.at);
}

/* The records' names, an item (they give them by number); the bytes read
 * while no name came. */
static void save_names(const struct st_state *st, struct cf_writer *w)
{
	if (st->s->cached_tick && st->names_at && st->n_names == st->n_names_read) {
		cf_item_raw(w, st->names_at, st->names_len);
		return;
	}
	cf_item(w);
	cf_u64(w, st->n_names);
	for (size_t i = 0; i < st->n_names; i++) {
		const char *group = st->names[i]->text;
		cf_str(w, group);
		cf_str(w, group + strlen(group) + 1);
	}
}

/* Makes the names of every record the state's shared ones, so that each
 * has its number in the table the cache writes before the steps. */
static void share_out(struct st_state *st, struct st_out *o)
{
	for (size_t i = 0; i < o->n_recs; i++) {
		struct st_record *r = &o->recs[i];
		if (r->shared)
			continue;
		struct st_name *n = shared_name(st, r->group, r->key);
		size_t lg = strlen(r->group) + 1;
		free(r->group);
		r->group = n->text;
		r->key = n->text + lg;
		r->shared = 1;
	}
}

static void share_names(struct st_state *st)
{
	for (size_t i = 0; i < st->n_scripts; i++)
		if (st->starts[i])
			share_out(st, &st->starts[i]->out);
	for (size_t i = 0; i < st->s->n_all; i++)
		if (st->s->all[i]->emit)
			share_out(st, &st->s->all[i]->emit->out);
	for (size_t i = 0; i < st->n_keys; i++)
		for (size_t g = 0; g < st->n_scripts; g++)
			if (st->keys[i]->steps[g])
				share_out(st, &st->keys[i]->steps[g]->out);
	for (size_t i = 0; i < st->n_groups; i++)
		if (st->groups[i].finish)
			share_out(st, &st->groups[i].finish->out);
}

void st_save(struct st_state *st, struct cf_writer *w)
{
	st_settle(st);
	int same = same_places(st->s);
	share_names(st);
	cf_u64(w, st->n_groups);
	for (size_t i = 0; i < st->n_groups; i++) {
		cf_u64(w, st->groups[i].script);
		cf_str(w, st->groups[i].name);
		cf_u64(w, st->groups[i].obj);
	}
	save_owners(st, w);
	save_names(st, w);
	for (size_t i = 0; i < st->n_scripts; i++) {
		cf_u64(w, st->starts[i] != NULL);
		if (st->starts[i])
			save_step(w, st, st->starts[i], same);
	}
	const struct site *s = st->s;
	for (size_t i = 0; i < s->n_all; i++) {
		cf_u64(w, s->all[i]->emit != NULL);
		if (s->all[i]->emit)
			save_step(w, st, s->all[i]->emit, same);
	}
	cf_u64(w, st->n_keys);
	for (size_t i = 0; i < st->n_keys; i++) {
		const struct st_key *k = st->keys[i];
		cf_u64(w, k->name->number);
		cf_u64(w, k->obj);
		for (size_t g = 0; g < st->n_scripts; g++) {
			cf_u64(w, k->steps[g] != NULL);
			if (k->steps[g])
				save_step(w, st, k->steps[g], same);
		}
	}
	for (size_t i = 0; i < st->n_groups; i++) {
		cf_u64(w, st->groups[i].finish != NULL);
		if (st->groups[i].finish)
			save_step(w, st, st->groups[i].finish, same);
	}
}

/* Reads the writes and site sets save_out wrote into o, or passes over
 * them when o is NULL (scratch unused: safe on any thread). Returns how
 * many there were, -1 on bad bytes. */
static long read_writes(struct site *s, struct cf_reader *r, struct st_out *o, buf *scratch)
{
	long count = 0;
	for (int sets = 0; sets < 2; sets++) {
		uint64_t n = cf_get_u64(r);
		for (uint64_t i = 0; i < n && cf_ok(r); i++, count++) {
			uint32_t id = sets ? 0 : (uint32_t)cf_get_u64(r);
			const char *field = NULL;
			if (o ? !(field = cf_get_str_in(r, scratch)) : !cf_skip_str(r)) {
				r->ok = 0;
			} else if (o && !sets) { /* by id alone: the view may be gone */
				st_out_write(o, NULL, field, NULL);
				o->writes[o->n_writes - 1].obj = id;
			} else if (o) {
				st_out_site(o, s->site_data, field, NULL);
			}
		}
	}
	return cf_ok(r) ? count : -1;
}

/* The writes of o that load_out passed over, as st_write entries. On the
 * main thread. */
static void load_writes(struct st_state *st, struct st_out *o)
{
	if (!o->writes_at)
		return;
	struct cf_reader r = {.p = o->writes_at, .end = o->writes_at + o->writes_len, .ok = 1,
	                      .borrow = 1};
	o->writes_at = NULL;
	/* (the bytes were read once in load_out: they cannot be bad) */
	read_writes(st->s, &r, o, &st->scratch);
}

/* Safe on many threads at once: reads the state's names and the site's
 * articles, changes neither. */
static int load_out(const struct st_state *st, struct cf_reader *r, struct st_out *o)
{
	struct site *s = st->s;
	st_out_init(o, (int)cf_get_u64(r));
	o->ran = (uint32_t)cf_get_u64(r);
	uint64_t n = cf_get_u64(r);
	if (!cf_ok(r) || n > (uint64_t)(r->end - r->p))
		r->ok = 0;
	else if (n) {
		o->recs = xcalloc(n, sizeof *o->recs);
		o->cap_recs = n;
	}
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		uint64_t number = cf_get_u64(r), at = cf_get_u64(r);
		size_t len; /* the value, kept as the cache's bytes (0: none) */
		const char *value = cf_get_bytes(r, &len);
		uint32_t seq = (uint32_t)cf_get_u64(r), script = (uint32_t)cf_get_u64(r);
		struct article *a = at && at <= s->n_all ? s->all[at - 1] : NULL;
		if (number >= st->n_names || (at && !a) || len > UINT32_MAX)
			r->ok = 0;
		if (!cf_ok(r))
			break;
		struct st_name *name = st->names[number];
		o->recs[o->n_recs++] = (struct st_record){
			.group = name->text, .key = name->text + name->key_at, .article = a,
			.packed = len ? value : NULL, .packed_len = (uint32_t)len,
			.seq = seq & 0x3fffffff, .shared = 1, .script = script};
	}
	/* the writes are looked at only when the step runs again: passed
	 * over here, their bytes kept (87,000 strings at 10k briefs) */
	const char *writes = r->p;
	if (read_writes(s, r, NULL, NULL) > 0) {
		o->writes_at = writes;
		o->writes_len = (size_t)(r->p - writes);
	}
	n = cf_get_u64(r);
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		struct page *p = page_load_packed(r);
		if (p)
			st_out_page(o, p);
	}
	o->summary_at = cf_get_bytes(r, &o->summary_len);
	diag_free(o->diag);
	o->diag = diag_load(r);
	st_out_fit(o);
	return cf_ok(r) ? 0 : -1;
}

static struct st_step *read_step(const struct st_state *st, struct cf_reader *r, size_t script,
                                 const char *group)
{
	struct st_step *p = step_new(script, group, 1);
	st_out_clear(&p->out);
	const char *from = r->p;
	p->ran = (int)cf_get_u64(r);
	if (load_out(st, r, &p->out) != 0 || tr_deps_load(&p->deps, r) != 0) {
		step_free(p);
		return NULL;
	}
	p->cached = from;
	p->cached_len = (size_t)(r->p - from);
	return p;
}

/* A step item (save_step) whose bytes lie in the base: decoded on the pool
 * once every item is found (the steps of 10k briefs took 50 ms to decode
 * on one thread), then put in its place. */
struct later {
	struct cf_reader in;
	size_t script;
	const char *group;
	struct st_step **slot;
	struct st_key *key;
	struct article *article;
	struct st_step *p; /* decoded, or NULL when its bytes are bad */
};

struct laters {
	const struct st_state *st;
	struct later *v;
	size_t n, cap;
};

static void place(struct st_step *p, struct st_step **slot, struct st_key *k, struct article *a)
{
	p->key = k;
	p->article = a;
	*slot = p;
}

/* A step as an item (save_step), into *slot: decoded now when its bytes
 * are in this file, noted in l when they are in the base. */
static int take_step(struct st_state *st, struct cf_reader *r, struct laters *l,
                     struct st_step **slot, size_t script, const char *group, struct st_key *k,
                     struct article *a)
{
	struct cf_reader sub, *in = cf_get_item(r, &sub);
	if (in != r && cf_ok(r)) {
		GROW(l->v, l->n, l->cap);
		l->v[l->n++] = (struct later){sub, script, group, slot, k, a, NULL};
		return 0;
	}
	struct st_step *p = read_step(st, in, script, group);
	cf_item_end(r, in);
	if (p && !cf_ok(r)) {
		step_free(p);
		p = NULL;
	}
	if (p)
		place(p, slot, k, a);
	return p ? 0 : -1;
}

static void decode_later(void *ctx, size_t i)
{
	struct laters *l = ctx;
	struct later *x = &l->v[i];
	x->p = read_step(l->st, &x->in, x->script, x->group);
	if (x->p && x->in.p != x->in.end) {
		step_free(x->p);
		x->p = NULL;
	}
}

/* Decodes the steps take_step left for later and puts them in their
 * places. Returns -1 when one's bytes are bad. */
static int decode_laters(struct laters *l)
{
	pool_run_blocks(pool_default_workers(), l->n, 256, decode_later, l);
	int ok = 1;
	for (size_t i = 0; i < l->n; i++) {
		struct later *x = &l->v[i];
		if (x->p)
			place(x->p, x->slot, x->key, x->article);
		else
			ok = 0;
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
	return ok ? 0 : -1;
}

/* The filing of records under their keys at reading (file_records). */
struct filing {
	struct st_key *const *key_of; /* by the number of a name */
	size_t *last;                 /* by the number of a name: the step last filed + 1 */
	unsigned char *unsure;        /* by the number of a name: order not known */
	size_t at;                    /* the step being filed, counting from 1 */
};

/* Files a step's records under their keys. Steps filed in site order
 * (ordered: start steps, then briefs by rank) keep each key's list in
 * rec_cmp's order when each step's own records are; a key whose records
 * may be out of it is noted as unsure, for sorting. */
static void file_records(struct st_step *p, struct filing *f, int ordered)
{
	f->at++;
	for (size_t i = 0; i < p->out.n_recs; i++) {
		struct st_record *rec = &p->out.recs[i];
		uint32_t no = name_of(rec)->number;
		struct st_key *k = f->key_of[no];
		if (!k)
			continue;
		if (!ordered || (f->last[no] == f->at && rec_cmp(&k->recs[k->n - 1], &rec) > 0))
			f->unsure[no] = 1;
		f->last[no] = f->at;
		GROW(k->recs, k->n, k->cap);
		k->recs[k->n++] = rec;
	}
}

/* Are a key's records in the order rec_cmp gives? */
static int sorted(struct st_record *const *recs, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (rec_cmp(&recs[i - 1], &recs[i]) > 0)
			return 0;
	return 1;
}

static void count_records(const struct st_step *p, size_t *count)
{
	for (size_t i = 0; p && i < p->out.n_recs; i++)
		count[name_of(&p->out.recs[i])->number]++;
}

/* The records read from the cache, to file under their keys: made by
 * st_load, filed on a thread beside the rest of the reading and the
 * update's first stages (file_all), until st_settle. */
struct filer {
	struct st_state *st;
	struct st_key **key_of;  /* by the number of a name */
	size_t names;
	struct st_step **steps;  /* in filing order */
	size_t n;
	size_t n_ordered;        /* the first ones are filed in site order */
};

/* Gives each key's list the room its records will take: 190,000 records
 * at 10k briefs grew 16,000 lists by doubling, in 21,000 reallocations. */
static void presize_keys(const struct filer *fl)
{
	size_t *count = xcalloc(fl->names, sizeof *count);
	for (size_t i = 0; i < fl->n; i++)
		count_records(fl->steps[i], count);
	for (size_t no = 0; no < fl->names; no++) {
		struct st_key *k = fl->key_of[no];
		if (k && count[no] > k->cap) {
			k->recs = xrealloc(k->recs, count[no] * sizeof *k->recs);
			k->cap = count[no];
		}
	}
	free(count);
}

/* Files every record of the steps read under its key, then sorts the
 * lists that may be out of rec_cmp's order. Touches only the keys' lists
 * and reads only the steps' records and the articles' ranks, which
 * nothing changes before st_settle. */
static void *file_all(void *arg)
{
	struct filer *fl = arg;
	presize_keys(fl);
	struct filing f = {fl->key_of, xcalloc(fl->names, sizeof *f.last), xcalloc(fl->names, 1), 0};
	for (size_t i = 0; i < fl->n; i++)
		file_records(fl->steps[i], &f, i < fl->n_ordered);
	const struct st_state *st = fl->st;
	for (size_t i = 0; i < st->n_keys; i++) {
		struct st_key *k = st->keys[i];
		if (k->n > 1 && f.unsure[k->name->number] && !sorted(k->recs, k->n))
			qsort(k->recs, k->n, sizeof *k->recs, rec_cmp);
	}
	free(f.last);
	free(f.unsure);
	return NULL;
}

void st_settle(struct st_state *st)
{
	struct filer *fl = st->filer;
	if (!fl)
		return;
	if (st->filer_threaded)
		pthread_join(st->filer_thread, NULL);
	free(fl->key_of);
	free(fl->steps);
	free(fl);
	st->filer = NULL;
	st->filer_threaded = 0;
}

/* Starts filing the records read (file_all): the start steps' (no
 * article: first), then the briefs' by rank, then the others'; each
 * key's list in rec_cmp's order when the ranks go up. Takes key_of. */
static void start_filing(struct st_state *st, struct st_key **key_of)
{
	const struct site *s = st->s;
	struct filer *fl = xcalloc(1, sizeof *fl);
	size_t cap = st->n_scripts + s->n_all + 1;
	*fl = (struct filer){st, key_of, st->n_names ? st->n_names : 1,
	                     xcalloc(cap, sizeof *fl->steps), 0, 0};
	for (size_t i = 0; i < st->n_scripts; i++)
		if (st->starts[i])
			fl->steps[fl->n++] = st->starts[i];
	unsigned char *filed = xcalloc(s->n_all ? s->n_all : 1, 1);
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		if (a->emit && a->scan < s->n_all && s->all[a->scan] == a && !filed[a->scan]) {
			fl->steps[fl->n++] = a->emit;
			filed[a->scan] = 1;
		}
	}
	int ordered = 1;
	for (size_t i = 1; i < s->n_articles && ordered; i++)
		ordered = s->articles[i - 1]->rank < s->articles[i]->rank;
	fl->n_ordered = ordered ? fl->n : 0;
	for (size_t i = 0; i < s->n_all; i++)
		if (s->all[i]->emit && !filed[i])
			fl->steps[fl->n++] = s->all[i]->emit; /* (not ordered) */
	free(filed);
	st->filer = fl;
	st->filer_threaded = pthread_create(&st->filer_thread, NULL, file_all, fl) == 0;
	if (!st->filer_threaded)
		file_all(fl);
}

/* The owners table (save_owners), remembering its bytes. */
static int load_owners(struct st_state *st, struct cf_reader *r, struct scratch *t)
{
	struct cf_reader sub, *in = cf_get_item(r, &sub);
	const char *from = in->p;
	uint64_t n = cf_get_u64(in);
	if (!cf_ok(in) || n > (uint64_t)(in->end - in->p)) {
		in->ok = 0;
		n = 0;
	}
	/* the field numbers of the file, as numbers of this state's fields */
	uint32_t *field = xcalloc(n ? n : 1, sizeof *field);
	for (uint64_t i = 0; i < n && cf_ok(in); i++) {
		const char *name = cf_get_str_in(in, &t->a);
		if (name)
			field[i] = (uint32_t)(owner_key(st, 1, 0, name) & 0x0fffffff);
		else
			in->ok = 0;
	}
	uint64_t count = cf_get_u64(in);
	for (uint64_t i = 0; i < count && cf_ok(in); i++) {
		uint64_t at = cf_get_u64(in), f = cf_get_u64(in), owners = cf_get_u64(in);
		if (!cf_ok(in) || !(at >> 4) || at >> 4 > UINT32_MAX || f >= n)
			in->ok = 0;
		else
			*hs_ids_at(st->owners, at << 28 | field[f]) = owners & 0xffffffffu;
	}
	free(field);
	st->owners_at = from;
	st->owners_len = (size_t)(in->p - from);
	st->owners_changed = 0;
	cf_item_end(r, in);
	return cf_ok(r) ? 0 : -1;
}

/* The names table (save_names), remembering its bytes. */
static int load_names(struct st_state *st, struct cf_reader *r, struct scratch *t)
{
	struct cf_reader sub, *in = cf_get_item(r, &sub);
	const char *from = in->p;
	uint64_t n = cf_get_u64(in);
	if (!cf_ok(in) || n > (uint64_t)(in->end - in->p))
		in->ok = 0;
	for (uint64_t i = 0; i < n && cf_ok(in); i++) {
		const char *group = cf_get_str_in(in, &t->a), *key = cf_get_str_in(in, &t->b);
		if (!group || !key)
			in->ok = 0;
		else /* (by number: the table of names is made when it is needed) */
			new_name(st, group, key);
	}
	st->names_at = from;
	st->names_len = (size_t)(in->p - from);
	st->n_names_read = st->n_names;
	cf_item_end(r, in);
	return cf_ok(r) ? 0 : -1;
}

static int load_state(struct st_state *st, struct cf_reader *r, struct scratch *t)
{
	struct site *s = st->s;
	uint64_t n = cf_get_u64(r);
	if (!cf_ok(r) || n != st->n_groups)
		return -1;
	for (size_t i = 0; i < st->n_groups && cf_ok(r); i++) {
		size_t script = (size_t)cf_get_u64(r);
		char *name = cf_get_str(r);
		uint32_t id = (uint32_t)cf_get_u64(r);
		struct st_group *g = &st->groups[i];
		if (!name || g->script != script || strcmp(g->name, name) ||
		    tr_attach(s->track, id, TR_GROUP, st) != 0)
			r->ok = 0;
		else
			g->obj = id;
		free(name);
	}
	if (load_owners(st, r, t) != 0 || load_names(st, r, t) != 0)
		return -1;
	struct laters l = {.st = st};
	for (size_t i = 0; i < st->n_scripts && cf_ok(r); i++)
		if (cf_get_u64(r) && take_step(st, r, &l, &st->starts[i], i, NULL, NULL, NULL) != 0)
			r->ok = 0;
	for (size_t i = 0; i < s->n_all && cf_ok(r); i++)
		if (cf_get_u64(r) &&
		    take_step(st, r, &l, &s->all[i]->emit, 0, NULL, NULL, s->all[i]) != 0)
			r->ok = 0;
	/* the keys, by the number of their names (key_of: the other way) */
	struct st_key **key_of = xcalloc(st->n_names ? st->n_names : 1, sizeof *key_of);
	n = cf_get_u64(r);
	if (!cf_ok(r) || n > (uint64_t)(r->end - r->p))
		r->ok = 0;
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		uint64_t number = cf_get_u64(r);
		uint32_t obj = (uint32_t)cf_get_u64(r);
		if (!cf_ok(r) || number >= st->n_names || key_of[number]) {
			r->ok = 0;
			break;
		}
		struct st_key *k = xcalloc(1, sizeof *k);
		k->name = st->names[number];
		k->group = k->name->text;
		k->key = k->name->text + k->name->key_at;
		k->obj = obj;
		k->steps = xcalloc(st->n_scripts ? st->n_scripts : 1, sizeof *k->steps);
		GROW(st->keys, st->n_keys, st->cap_keys);
		st->keys[st->n_keys++] = k;
		st->keys_made++;
		key_of[number] = k;
		if (tr_attach(s->track, k->obj, TR_KEY, k) != 0 ||
		    (st->n_keys > 1 && key_cmp(st->keys[st->n_keys - 2], k->group, k->key) >= 0)) {
			r->ok = 0;
			break;
		}
		for (size_t g = 0; g < st->n_scripts && cf_ok(r); g++) {
			if (!cf_get_u64(r))
				continue;
			struct st_group *grp = group_of(st, g, k->group);
			if (!grp || take_step(st, r, &l, &k->steps[g], g, grp->name, k, NULL) != 0)
				r->ok = 0;
		}
	}
	for (size_t i = 0; i < st->n_groups && cf_ok(r); i++)
		if (cf_get_u64(r) && take_step(st, r, &l, &st->groups[i].finish, st->groups[i].script,
		                               st->groups[i].name, NULL, NULL) != 0)
			r->ok = 0;
	if (!cf_ok(r))
		free(l.v); /* (nothing placed yet: nothing to free) */
	else if (decode_laters(&l) != 0)
		r->ok = 0;
	if (!cf_ok(r)) {
		free(key_of);
		return -1;
	}
	start_filing(st, key_of);
	return 0;
}

int st_load(struct st_state *st, struct cf_reader *r)
{
	struct scratch t = {BUF_INIT, BUF_INIT};
	st->silent = 0; /* the cache's steps may hold messages */
	int rc = load_state(st, r, &t);
	buf_free(&t.a);
	buf_free(&t.b);
	return rc;
}
