/* steps.c: the keyed steps of steps.h, stage by stage. Each stage runs
 * its steps (in parallel where they are many), then applies what they
 * made in a fixed order: start and emit outputs in script and article
 * order, group outputs in (script, group, key) order, finish outputs in
 * (script, group) order. Steps of one stage never see each other's
 * writes; a stage sees everything the stages before it applied. */
#include "steps.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua_bridge.h"
#include "pool.h"

void st_out_init(struct st_out *o, int stage)
{
	memset(o, 0, sizeof *o);
	o->diag = diag_new();
	o->stage = stage;
}

void st_out_clear(struct st_out *o)
{
	for (size_t i = 0; i < o->n_recs; i++) {
		free(o->recs[i].group);
		free(o->recs[i].key);
		val_free(o->recs[i].value);
	}
	free(o->recs);
	for (size_t i = 0; i < o->n_writes; i++) {
		free(o->writes[i].field);
		val_free(o->writes[i].value);
	}
	free(o->writes);
	for (size_t i = 0; i < o->n_site_sets; i++) {
		free(o->site_sets[i].field);
		val_free(o->site_sets[i].value);
	}
	free(o->site_sets);
	for (size_t i = 0; i < o->n_pages; i++)
		page_free(o->pages[i]);
	free(o->pages);
	val_free(o->summary);
	diag_free(o->diag);
	memset(o, 0, sizeof *o);
}

#define GROW(arr, n, cap)                                                      \
	do {                                                                   \
		if ((n) == (cap)) {                                            \
			(cap) = (cap) ? (cap) * 2 : 8;                         \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));        \
		}                                                              \
	} while (0)

void st_out_record(struct st_out *o, const char *group, const char *key, struct article *a,
                   struct value *value)
{
	GROW(o->recs, o->n_recs, o->cap_recs);
	o->recs[o->n_recs++] = (struct st_record){xstrdup(group), xstrdup(key), a, value};
}

void st_out_write(struct st_out *o, struct value *view, const char *field, struct value *value)
{
	GROW(o->writes, o->n_writes, o->cap_writes);
	o->writes[o->n_writes++] = (struct st_write){view, xstrdup(field), value};
}

void st_out_site(struct st_out *o, struct value *site_map, const char *key, struct value *value)
{
	GROW(o->site_sets, o->n_site_sets, o->cap_site_sets);
	o->site_sets[o->n_site_sets++] = (struct st_write){site_map, xstrdup(key), value};
}

void st_out_page(struct st_out *o, struct page *p)
{
	GROW(o->pages, o->n_pages, o->cap_pages);
	o->pages[o->n_pages++] = p;
}

/* ---- one run ---- */

/* A group step: script i's group.G for one key, over records [from, to). */
struct gstep {
	size_t script;
	const char *group, *key;
	size_t from, to;
};

struct run {
	struct site *s;
	struct lb **workers;
	int nworkers;
	struct st_out *emits;      /* per article */
	struct st_table table;     /* every record, sorted by group, key, article */
	struct gstep *gsteps;
	size_t n_gsteps;
	struct st_out *gouts;      /* per group step */
	struct value *owners;      /* "view:field" -> what set it, for clashes */
};

static void emit_one(void *ctx, int worker, size_t i)
{
	struct run *r = ctx;
	lb_run_emit(r->workers[worker], r->s->articles[i], &r->emits[i]);
}

static void group_one(void *ctx, int worker, size_t i)
{
	struct run *r = ctx;
	struct gstep *g = &r->gsteps[i];
	lb_run_group(r->workers[worker], g->script, g->group, g->key, &r->gouts[i]);
}

static int key_cmp(const struct st_record *a, const char *group, const char *key)
{
	int c = strcmp(a->group, group);
	return c ? c : strcmp(a->key, key);
}

struct st_record *const *st_table_find(const struct st_table *t, const char *group,
                                       const char *key, size_t *n)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) { /* the first record not before group/key */
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(t->recs[mid], group, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < t->n && key_cmp(t->recs[end], group, key) == 0)
		end++;
	*n = end - lo;
	return t->recs + lo;
}

static int rec_cmp(const void *pa, const void *pb)
{
	const struct st_record *a = *(struct st_record *const *)pa;
	const struct st_record *b = *(struct st_record *const *)pb;
	int c = strcmp(a->group, b->group);
	if (c)
		return c;
	if ((c = strcmp(a->key, b->key)))
		return c;
	/* records without an article (from start) first, then site order */
	size_t ra = a->article ? a->article->rank + 1 : 0, rb = b->article ? b->article->rank + 1 : 0;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return a < b ? -1 : a > b; /* one output's records lie in emission order */
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Applies o's writes, pages and site data to the site; a field two steps
 * both set is an error naming both. */
static void apply(struct run *r, struct st_out *o, const char *who)
{
	struct site *s = r->s;
	buf key = BUF_INIT;
	for (size_t i = 0; i < o->n_writes + o->n_site_sets; i++) {
		struct st_write *w = i < o->n_writes ? &o->writes[i] : &o->site_sets[i - o->n_writes];
		struct value *map = site_layer_of(s, w->view, o->stage);
		if (!map)
			continue;
		buf_reset(&key);
		buf_printf(&key, "%p\n%s", (void *)map, w->field);
		const struct value *before = val_get(r->owners, key.ptr);
		if (before && strcmp(val_get_str(before, NULL), who) != 0) {
			/* two steps may set one field, to the same value */
			if (!val_equal(val_getn_own(map, w->field, strlen(w->field)), w->value))
				diag_error(s->diag, NULL, 0, 0, "field \"%s\" is set to different values by "
				           "%s and %s", w->field, val_get_str(before, NULL), who);
			continue;
		}
		if (!before)
			val_set(r->owners, key.ptr, val_cstr(who));
		if (w->value)
			val_set(map, w->field, w->value);
		else
			val_free(val_take(map, w->field));
		w->value = NULL;
	}
	buf_free(&key);
	for (size_t i = 0; i < o->n_pages; i++)
		site_push_page(s, o->pages[i]);
	o->n_pages = 0;
	diag_merge(s->diag, o->diag);
}

/* The records of every output, sorted. */
static void collect(struct run *r, struct st_out *starts, size_t n_starts)
{
	size_t n = 0;
	for (size_t i = 0; i < n_starts; i++)
		n += starts[i].n_recs;
	for (size_t i = 0; r->emits && i < r->s->n_articles; i++)
		n += r->emits[i].n_recs;
	r->table.recs = xcalloc(n ? n : 1, sizeof *r->table.recs);
	for (size_t i = 0; i < n_starts; i++)
		for (size_t j = 0; j < starts[i].n_recs; j++)
			r->table.recs[r->table.n++] = &starts[i].recs[j];
	for (size_t i = 0; r->emits && i < r->s->n_articles; i++)
		for (size_t j = 0; j < r->emits[i].n_recs; j++)
			r->table.recs[r->table.n++] = &r->emits[i].recs[j];
	if (r->table.n)
		qsort(r->table.recs, r->table.n, sizeof *r->table.recs, rec_cmp);
}

/* The group steps: for each script, each group it handles, each key. */
static void plan_groups(struct run *r, struct lb *lb, size_t n_scripts)
{
	size_t cap = 0;
	for (size_t i = 0; i < n_scripts; i++) {
		size_t ng;
		char **groups = lb_step_groups(lb, i, "group", &ng);
		for (size_t g = 0; g < ng; g++) {
			/* the records of group g: one binary search would do; a scan is
			 * fine for a few groups */
			for (size_t k = 0; k < r->table.n;) {
				if (strcmp(r->table.recs[k]->group, groups[g]) != 0) {
					k++;
					continue;
				}
				size_t end = k + 1;
				while (end < r->table.n && !strcmp(r->table.recs[end]->group, groups[g]) &&
				       !strcmp(r->table.recs[end]->key, r->table.recs[k]->key))
					end++;
				GROW(r->gsteps, r->n_gsteps, cap);
				r->gsteps[r->n_gsteps++] = (struct gstep){i, r->table.recs[k]->group, r->table.recs[k]->key,
				                                          k, end};
				k = end;
			}
			free(groups[g]);
		}
		free(groups);
	}
}

int st_run(struct site *s, const struct lb_scripts *sc, struct lb **workers, int nworkers,
           struct lb *main, double *seconds)
{
	size_t n_scripts = lb_scripts_count(sc);
	struct run r = {.s = s, .workers = workers, .nworkers = nworkers};
	r.owners = val_map();
	int errors = diag_count(s->diag, DIAG_ERROR);
	for (int w = 0; w < nworkers; w++)
		lb_steps_begin(workers[w], NULL);
	double t0 = now_s();

	/* start: once per script, then emit: once per article */
	struct st_out *starts = xcalloc(n_scripts ? n_scripts : 1, sizeof *starts);
	int any_emit = 0;
	for (size_t i = 0; i < n_scripts; i++) {
		st_out_init(&starts[i], 1);
		if (lb_has_step(workers[0], i, "start"))
			lb_run_start(workers[0], i, &starts[i]);
		any_emit |= lb_has_step(workers[0], i, "emit");
	}
	if (any_emit) {
		r.emits = xcalloc(s->n_articles ? s->n_articles : 1, sizeof *r.emits);
		for (size_t i = 0; i < s->n_articles; i++)
			st_out_init(&r.emits[i], 1);
		pool_run(nworkers, s->n_articles, emit_one, &r);
	}
	char *who = NULL;
	for (size_t i = 0; i < n_scripts; i++) {
		who = xasprintf("start() of %s", lb_script_path(sc, i));
		apply(&r, &starts[i], who);
		free(who);
	}
	for (size_t i = 0; r.emits && i < s->n_articles; i++) {
		who = xasprintf("emit() for %s", s->articles[i]->path);
		apply(&r, &r.emits[i], who);
		free(who);
	}

	/* group: once per key, in parallel */
	collect(&r, starts, n_scripts);
	plan_groups(&r, workers[0], n_scripts);
	r.gouts = xcalloc(r.n_gsteps ? r.n_gsteps : 1, sizeof *r.gouts);
	for (size_t i = 0; i < r.n_gsteps; i++)
		st_out_init(&r.gouts[i], 2);
	if (diag_count(s->diag, DIAG_ERROR) == errors) {
		for (int w = 0; w < nworkers; w++)
			lb_steps_begin(workers[w], &r.table);
		pool_run(nworkers, r.n_gsteps, group_one, &r);
	}
	for (size_t i = 0; i < r.n_gsteps; i++) {
		who = xasprintf("group.%s() of %s for key \"%s\"", r.gsteps[i].group,
		                lb_script_path(sc, r.gsteps[i].script), r.gsteps[i].key);
		apply(&r, &r.gouts[i], who);
		free(who);
	}

	/* finish: once per script and group, over the summaries of its keys */
	if (diag_count(s->diag, DIAG_ERROR) == errors) {
		lb_steps_begin(main, &r.table);
		struct st_out *fouts = NULL;
		char **fwho = NULL;
		size_t n_f = 0;
		for (size_t i = 0; i < n_scripts; i++) {
			size_t ng;
			char **groups = lb_step_groups(main, i, "finish", &ng);
			for (size_t g = 0; g < ng; g++) {
				size_t n = 0;
				for (size_t k = 0; k < r.n_gsteps; k++)
					n += r.gsteps[k].script == i && !strcmp(r.gsteps[k].group, groups[g]);
				char **keys = xcalloc(n ? n : 1, sizeof *keys);
				struct value **sums = xcalloc(n ? n : 1, sizeof *sums);
				n = 0;
				for (size_t k = 0; k < r.n_gsteps; k++)
					if (r.gsteps[k].script == i && !strcmp(r.gsteps[k].group, groups[g])) {
						keys[n] = (char *)r.gsteps[k].key;
						sums[n++] = r.gouts[k].summary;
					}
				fouts = xrealloc(fouts, (n_f + 1) * sizeof *fouts);
				fwho = xrealloc(fwho, (n_f + 1) * sizeof *fwho);
				st_out_init(&fouts[n_f], 3);
				fwho[n_f] = xasprintf("finish.%s() of %s", groups[g], lb_script_path(sc, i));
				lb_run_finish(main, i, groups[g], keys, sums, n, &fouts[n_f]);
				n_f++;
				free(keys);
				free(sums);
				free(groups[g]);
			}
			free(groups);
		}
		for (size_t i = 0; i < n_f; i++) {
			apply(&r, &fouts[i], fwho[i]);
			st_out_clear(&fouts[i]);
			free(fwho[i]);
		}
		free(fouts);
		free(fwho);
		lb_steps_begin(main, NULL);
	}
	/* the site hooks after the steps find each group's summaries */
	for (size_t k = 0; k < r.n_gsteps;) {
		size_t end = k;
		while (end < r.n_gsteps && r.gsteps[end].script == r.gsteps[k].script &&
		       !strcmp(r.gsteps[end].group, r.gsteps[k].group))
			end++;
		struct value **sums = xcalloc(end - k, sizeof *sums);
		for (size_t i = k; i < end; i++)
			sums[i - k] = r.gouts[i].summary;
		lb_set_collection(main, r.gsteps[k].group, sums, end - k);
		free(sums);
		k = end;
	}
	if (seconds)
		*seconds = now_s() - t0;

	for (size_t i = 0; i < n_scripts; i++)
		st_out_clear(&starts[i]);
	free(starts);
	for (size_t i = 0; r.emits && i < s->n_articles; i++)
		st_out_clear(&r.emits[i]);
	free(r.emits);
	for (size_t i = 0; i < r.n_gsteps; i++)
		st_out_clear(&r.gouts[i]);
	free(r.gouts);
	free(r.gsteps);
	free(r.table.recs);
	val_free(r.owners);
	return diag_count(s->diag, DIAG_ERROR) == errors ? 0 : -1;
}
