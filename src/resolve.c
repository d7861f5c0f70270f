/* resolve.c: after parsing and filtering, keeps the published articles,
 * turns their topic and people names into entities (making implicit
 * ones), gives every article its URL (reporting collisions), orders them
 * newest first, and keeps the views of articles and entities and the
 * article pages up to date. It runs after every build's parse, full or
 * incremental: what it remakes it compares with what was there, so that
 * only fields that really changed are stamped (track.h). Serial: it
 * writes the shared site model. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hashes.h"
#include "images.h"
#include "pool.h"
#include "site.h"
#include "track.h"

static void bury_value(void *p) { val_free(p); }
static void bury_page(void *p) { page_free(p); }
static void bury_entity(void *p) { entity_free(p); }
static void bury_article(void *p) { article_free(p); }

/* A view's four maps go to the grave (pages may still reference them
 * until the update is over); its object is gone. */
static void bury_view(struct site *s, struct value **top, struct value **layer, uint32_t obj)
{
	if (!*top)
		return;
	tr_kill(s->track, obj);
	site_bury(s, *top, bury_value);
	for (int i = 0; i < VIEW_LAYERS; i++) {
		site_bury(s, layer[i], bury_value);
		layer[i] = NULL;
	}
	*top = NULL;
}

/* The bits of the fields that differ between two maps (own keys only),
 * leaving out skip (NULL: none). */
static uint64_t map_diff(const struct value *old, const struct value *nw, const char *skip)
{
	uint64_t bits = 0;
	for (size_t i = 0; i < val_len(nw); i++) {
		size_t len;
		const char *k = val_key_at(nw, i, &len);
		if (skip && strlen(skip) == len && !memcmp(k, skip, len))
			continue;
		if (!val_equal(val_getn_own(old, k, len), val_at(nw, i)))
			bits |= tr_bit(k, len);
	}
	for (size_t i = 0; i < val_len(old); i++) {
		size_t len;
		const char *k = val_key_at(old, i, &len);
		if (!val_getn_own(nw, k, len))
			bits |= tr_bit(k, len);
	}
	return bits;
}

/* Puts base under a view as its engine layer: a new view, or the old
 * base replaced (buried) and the fields that differ stamped. */
static void set_base(struct site *s, enum tr_kind kind, void *owner, struct value **top,
                     struct value **layer, uint32_t *obj, struct value *base, uint64_t extra)
{
	if (!*top) {
		*top = site_view_new(s, kind, owner, base, layer, obj);
		return;
	}
	uint64_t bits = map_diff(layer[0], base, "content") | extra;
	/* a new base, perhaps with its keys in another order: not the cache's */
	if (kind == TR_ARTICLE)
		((struct article *)owner)->cached.at = NULL;
	else if (kind == TR_ENTITY)
		((struct entity *)owner)->cached.at = NULL;
	site_bury(s, layer[0], bury_value);
	layer[0] = base;
	val_set_obj(base, *obj);
	val_set_below(layer[1], base);
	tr_changed(s->track, *obj, bits);
}

/* ---- entities ---- */

struct entity *site_implicit_new(enum entity_kind kind, const char *slug, const char *name)
{
	struct entity *e = xcalloc(1, sizeof *e);
	e->kind = kind;
	e->slug = xstrdup(slug);
	e->name = xstrdup(name);
	e->url = xasprintf("%s/%s/", kind == ENT_TOPIC ? "topics" : "people", slug);
	e->meta = val_map();
	return e;
}

void site_list_entity(struct site *s, struct entity *e)
{
	if (e->kind == ENT_TOPIC) {
		s->topics = xrealloc(s->topics, (s->n_topics + 1) * sizeof *s->topics);
		s->topics[s->n_topics++] = e;
	} else {
		s->people = xrealloc(s->people, (s->n_people + 1) * sizeof *s->people);
		s->people[s->n_people++] = e;
	}
}

/* Lists e (an implicit entity) in the site and registers its slug and
 * name for lookups. */
static void list_implicit(struct site *s, struct entity *e)
{
	size_t index = e->kind == ENT_TOPIC ? s->n_topics : s->n_people;
	site_list_entity(s, e);
	const char *prefix = e->kind == ENT_TOPIC ? "topic:" : "person:";
	buf key = BUF_INIT;
	buf_printf(&key, "%s%s", prefix, e->slug);
	val_set(s->lookup, key.ptr, val_num((double)index));
	buf_reset(&key);
	buf_puts(&key, prefix);
	for (const char *p = e->name; *p; p++)
		buf_putc(&key, (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	if (!val_get(s->lookup, key.ptr))
		val_set(s->lookup, key.ptr, val_num((double)index));
	buf_free(&key);
}

char *site_entity_key(enum entity_kind kind, const char *slug)
{
	return xasprintf("%c:%s", kind == ENT_TOPIC ? 't' : 'p', slug);
}

/* The entity a name means: one with a file, one an earlier article named
 * (in this resolve), or a new implicit one (the one of the last resolve
 * with that slug, when there was one, taken from prev). */
static struct entity *resolve_name(struct site *s, enum entity_kind kind, const char *name,
                                   struct hs_table *prev)
{
	struct entity *e = site_find(s, kind, name);
	if (e)
		return e;
	char *slug = slugify(name);
	if (!*slug) {
		free(slug);
		return NULL;
	}
	char *key = site_entity_key(kind, slug);
	uint64_t was;
	if (prev && hs_get(prev, key, &was) && was) {
		e = (struct entity *)(uintptr_t)was;
		hs_put(prev, key, 0, 0);
		if (strcmp(e->name, name) != 0) { /* named first by another spelling now */
			free(e->name);
			e->name = xstrdup(name);
			e->line = -1; /* its view is remade */
			tr_changed(s->track, s->lookup_obj, TR_ALL);
		}
	} else {
		e = site_implicit_new(kind, slug, name);
	}
	hs_put(s->implicit, key, (uint64_t)(uintptr_t)e, 0);
	free(key);
	free(slug);
	list_implicit(s, e);
	return e;
}

/* Resolves a's names of kind; returns 1 when its list is not what it was. */
static int resolve_refs(struct site *s, struct article *a, enum entity_kind kind,
                        struct hs_table *prev)
{
	struct value *names = val_get(a->meta, kind == ENT_TOPIC ? "topics" : "people");
	size_t n = val_len(names);
	struct entity **list = xcalloc(n ? n : 1, sizeof *list);
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = val_get_str(val_at(names, i), NULL);
		struct entity *e = name ? resolve_name(s, kind, name, prev) : NULL;
		if (!e)
			continue;
		int dup = 0;
		for (size_t j = 0; j < count; j++)
			dup |= list[j] == e;
		if (!dup)
			list[count++] = e;
	}
	struct entity ***old = kind == ENT_TOPIC ? &a->topics : &a->people;
	size_t *n_old = kind == ENT_TOPIC ? &a->n_topics : &a->n_people;
	int changed = count != *n_old || (count && memcmp(*old, list, count * sizeof *list) != 0);
	free(*old);
	*old = list;
	*n_old = count;
	return changed;
}

static struct value *entity_base(struct site *s, struct entity *e)
{
	struct value *d = val_map();
	const struct value *content = e->layer[0] ? val_get(e->layer[0], "content") : NULL;
	val_set(d, "content", content ? val_copy(content) : val_cstr(""));
	val_set_str(d, "kind", e->kind == ENT_TOPIC ? "topic" : "person");
	val_set_str(d, e->kind == ENT_TOPIC ? "title" : "name", e->name);
	val_set_str(d, "slug", e->slug);
	val_set_str(d, "url", e->url);
	site_set_permalink(s, d, e->url);
	static const char *const topic_keys[] = {"description", NULL};
	static const char *const person_keys[] = {"role", "country", NULL};
	for (const char *const *k = e->kind == ENT_TOPIC ? topic_keys : person_keys; *k; k++) {
		struct value *v = val_get(e->meta, *k);
		buf b = BUF_INIT;
		val_put_scalar(&b, v);
		val_set_str(d, *k, b.ptr);
		buf_free(&b);
	}
	if (e->kind == ENT_PERSON) {
		struct value *aliases = val_get(e->meta, "aliases");
		val_set(d, "aliases", aliases ? val_copy(aliases) : val_list());
	}
	val_set(d, "params", val_ref(e->meta));
	val_set_bool(d, "has_page", e->path != NULL);
	return d;
}

/* Makes an entity's view, or remakes it when its name changed. */
static void entity_view(struct site *s, struct entity *e)
{
	if (e->data && e->line != -1)
		return;
	e->line = 0;
	struct value *base = entity_base(s, e);
	if (!e->data) {
		val_free(e->layer[0]); /* the content the scan read, copied into base */
		e->layer[0] = NULL;
	}
	set_base(s, TR_ENTITY, e, &e->data, e->layer, &e->obj, base, 0);
}

static void entity_view_one(void *ctx, int worker, size_t i)
{
	(void)worker;
	struct site *s = ctx;
	entity_view(s, i < s->n_topics ? s->topics[i] : s->people[i - s->n_topics]);
}

static void forget_implicit(void *ctx, const char *key, uint64_t ptr)
{
	(void)key;
	struct site *s = ctx;
	struct entity *e = (struct entity *)(uintptr_t)ptr;
	if (!e)
		return;
	s->n_buried_implicit++;
	bury_view(s, &e->data, e->layer, e->obj);
	site_bury(s, e, bury_entity);
}

/* Lists the entities with files again and resolves every published
 * article's names in scan order, as a first build would; implicit entities
 * keep their identity, those no longer named go. Returns nothing: articles
 * whose lists changed get a->fresh |= 2. */
static void resolve_names(struct site *s, struct article **pub, size_t n)
{
	/* the lists as they were: steps that read them depend on their order */
	size_t n_was = s->n_topics + s->n_people;
	struct entity **was = xcalloc(n_was ? n_was : 1, sizeof *was);
	if (s->n_topics)
		memcpy(was, s->topics, s->n_topics * sizeof *was);
	if (s->n_people)
		memcpy(was + s->n_topics, s->people, s->n_people * sizeof *was);
	size_t was_topics = s->n_topics;
	struct hs_table *prev = s->implicit;
	s->implicit = hs_table_new();
	val_free(s->lookup);
	s->lookup = val_copy(s->file_lookup);
	s->n_topics = s->n_file_topics;
	s->n_people = s->n_file_people;
	for (size_t i = 0; i < n; i++) {
		struct article *a = pub[i];
		int changed = resolve_refs(s, a, ENT_TOPIC, prev);
		changed |= resolve_refs(s, a, ENT_PERSON, prev);
		if (changed)
			a->fresh |= 2;
	}
	/* implicit entities no article names any more (those taken were
	 * zeroed in prev); a name may now find another entity */
	if (prev) {
		size_t before = s->n_buried_implicit;
		hs_sweep(prev, 1, 0, forget_implicit, s);
		if (s->n_buried_implicit != before || hs_count(s->implicit) != hs_count(prev))
			tr_changed(s->track, s->lookup_obj, TR_ALL);
	}
	hs_table_free(prev);
	if (was_topics != s->n_topics || n_was != s->n_topics + s->n_people ||
	    (s->n_topics && memcmp(was, s->topics, s->n_topics * sizeof *was)) ||
	    (s->n_people && memcmp(was + s->n_topics, s->people, s->n_people * sizeof *was)))
		tr_changed(s->track, s->lookup_obj, 2);
	free(was);
}

/* Did a's topics or people change with its last parse? */
static int names_changed(const struct article *a)
{
	if (!(a->fresh & 1))
		return 0;
	if (!a->old_meta)
		return 1;
	static const char *const keys[] = {"topics", "people"};
	for (int k = 0; k < 2; k++) {
		const struct value *was = val_get(a->old_meta, keys[k]);
		const struct value *is = val_get(a->meta, keys[k]);
		if ((was == NULL) != (is == NULL) || (was && !val_equal(was, is)))
			return 1;
	}
	return 0;
}

/* ---- articles ---- */

static int newest_first(const void *pa, const void *pb)
{
	const struct article *a = *(struct article *const *)pa, *b = *(struct article *const *)pb;
	if (a->date.epoch != b->date.epoch)
		return a->date.epoch > b->date.epoch ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* The body HTML an article's view holds: just parsed (a->html, taken), a
 * string owned elsewhere (a->content), or the one its old view held
 * (moved over: it did not change). *changed says whether it differs from
 * what the view showed. */
static struct value *body_of(struct article *a, int *changed)
{
	struct value *old = a->layer[0] ? val_take(a->layer[0], "content") : NULL;
	struct value *v;
	if (a->html) {
		v = val_str_own(a->html, strlen(a->html));
		a->html = NULL;
	} else if (a->spilled) {
		v = val_str_borrow(a->spilled, a->spilled_len);
		a->spilled = NULL;
	} else if (a->content) {
		v = val_ref(a->content);
	} else {
		*changed = 0;
		return old ? old : val_cstr("");
	}
	*changed = !old || !val_equal(val_deref(old), val_deref(v));
	val_free(old);
	return v;
}

/* updated_iso, updated_rfc822 and updated_timestamp: front matter's
 * `updated` (checked by the parse), else the date; updated_display only
 * when the brief was changed after it was dated. */
static void put_updated(const struct site *s, const struct article *a, struct value *d)
{
	struct date when = a->date;
	const char *stamp = val_get_cstr(a->meta, "updated");
	int later = stamp && date_parse(stamp, s->cfg.tz_offset_min, &when) == 0 &&
	            when.epoch > a->date.epoch;
	if (!later)
		when = a->date;
	buf b = BUF_INIT;
	date_put_iso(&b, &when);
	val_set_str(d, "updated_iso", b.ptr);
	buf_reset(&b);
	if (later) {
		date_put_display_lang(&b, &when, s->cfg.language);
		val_set_str(d, "updated_display", b.ptr);
		buf_reset(&b);
	}
	date_put_rfc822(&b, &when);
	val_set_str(d, "updated_rfc822", b.ptr);
	val_set_num(d, "updated_timestamp", (double)when.epoch);
	buf_free(&b);
}

/* json_ld: schema.org NewsArticle for the brief's <script
 * type="application/ld+json">; val_to_json escapes < > & so the text
 * cannot close the script. */
static void put_json_ld(const struct site *s, const struct article *a, struct value *d)
{
	struct value *ld = val_map();
	val_set_str(ld, "@context", "https://schema.org");
	val_set_str(ld, "@type", "NewsArticle");
	val_set_str(ld, "headline", a->title);
	const char *summary = val_get_cstr(a->meta, "summary");
	if (summary)
		val_set_str(ld, "description", summary);
	val_set_str(ld, "datePublished", val_get_cstr(d, "date_iso"));
	val_set_str(ld, "dateModified", val_get_cstr(d, "updated_iso"));
	if (*s->cfg.base_url) {
		const char *url = val_get_cstr(d, "permalink");
		val_set_str(ld, "url", url);
		val_set_str(ld, "mainEntityOfPage", url);
	}
	if (a->n_topics)
		val_set_str(ld, "articleSection", a->topics[0]->name);
	struct value *keywords = val_list();
	for (size_t i = 0; i < a->n_topics; i++)
		val_push(keywords, val_cstr(a->topics[i]->name));
	val_set(ld, "keywords", keywords);
	val_set_str(ld, "inLanguage", s->cfg.language);
	const char *image = val_get_cstr(val_get(d, "image"), "permalink");
	if (image)
		val_set_str(ld, "image", image);
	struct value *publisher = val_map();
	val_set_str(publisher, "@type", "Organization");
	val_set_str(publisher, "name", s->cfg.title);
	if (*s->cfg.base_url)
		val_set_str(publisher, "url", s->cfg.base_url);
	val_set(ld, "publisher", publisher);
	buf b = BUF_INIT;
	val_to_json(&b, ld);
	val_set_str(d, "json_ld", b.ptr);
	buf_free(&b);
	val_free(ld);
}

static struct value *article_base(const struct site *s, struct article *a, struct value *body)
{
	struct value *d = val_map();
	buf b = BUF_INIT;
	val_set_str(d, "kind", "article");
	val_set_str(d, "title", a->title);
	val_set_str(d, "slug", a->slug);
	val_set_str(d, "url", a->url);
	site_set_permalink(s, d, a->url);
	val_set_str(d, "path", a->path);
	date_put_iso(&b, &a->date);
	val_set_str(d, "date_iso", b.ptr);
	buf_reset(&b);
	date_put_display_lang(&b, &a->date, s->cfg.language);
	val_set_str(d, "date_display", b.ptr);
	buf_reset(&b);
	date_put_rfc822(&b, &a->date);
	val_set_str(d, "date_rfc822", b.ptr);
	val_set_num(d, "year", a->date.year);
	val_set_str(d, "month_name", date_month_name(a->date.month, s->cfg.language));
	val_set_num(d, "word_count", (double)a->words);
	size_t minutes = (a->words + 115) / 230; /* at 230 words a minute */
	val_set_num(d, "reading_time", (double)(minutes ? minutes : 1));
	buf_reset(&b);
	date_put_day(&b, &a->date);
	val_set_str(d, "day", b.ptr);
	val_set_num(d, "timestamp", (double)a->date.epoch);
	put_updated(s, a, d);
	static const char *const keys[] = {"summary", "source", "source_url", NULL};
	for (const char *const *k = keys; *k; k++) {
		struct value *v = val_get(a->meta, *k);
		if (v && val_type(v) != VAL_NULL && val_type(v) != VAL_LIST && val_type(v) != VAL_MAP) {
			buf_reset(&b);
			val_put_scalar(&b, v);
			val_set_str(d, *k, b.ptr);
		}
	}
	struct value *topics = val_list_sized(a->n_topics), *people = val_list_sized(a->n_people);
	for (size_t i = 0; i < a->n_topics; i++)
		val_push(topics, val_ref(a->topics[i]->data));
	for (size_t i = 0; i < a->n_people; i++)
		val_push(people, val_ref(a->people[i]->data));
	val_set(d, "topics", topics);
	val_set(d, "people", people);
	val_set(d, "params", val_ref(a->meta));
	val_set_bool(d, "draft", a->draft);
	struct value *image = img_lead(s, a);
	if (image)
		val_set(d, "image", image);
	put_json_ld(s, a, d);
	val_set(d, "content", body);
	val_map_fit(d); /* ten thousand of them, kept to the end */
	buf_free(&b);
	return d;
}

/* (Re)makes a's view; a fresh parse may have left another front matter,
 * so params (a reference to it) counts as changed then. */
static void article_view(struct site *s, struct article *a)
{
	int body_changed;
	struct value *body = body_of(a, &body_changed);
	struct value *base = article_base(s, a, body);
	uint64_t extra = body_changed ? tr_bit("content", 7) : 0;
	if (a->fresh & 1) {
		/* a field not in the view is read from the front matter: its keys
		 * count as fields too */
		extra |= tr_bit("params", 6) | map_diff(a->old_meta, a->meta, NULL);
		if (!a->old_meta && a->data) /* parsed when the last parse had failed */
			extra = TR_ALL;
	}
	a->old_meta = NULL;
	set_base(s, TR_ARTICLE, a, &a->data, a->layer, &a->obj, base, extra);
}

static void article_view_one(void *ctx, int worker, size_t i)
{
	(void)worker;
	struct site *s = ctx;
	struct article *a = s->articles[i];
	if (a->fresh || !a->data)
		article_view(s, a);
}

/* An article's page: template "article", data {article, description};
 * the same page as before while its title and summary stay. */
static void article_page(struct site *s, struct article *a)
{
	const char *summary = val_get_cstr(a->data, "summary");
	struct page *p = a->page;
	if (p && !strcmp(p->title, a->title) && !strcmp(p->url, a->url) &&
	    !strcmp(p->source, a->path) &&
	    val_equal(val_get(p->data, "description"), summary ? val_get(a->data, "summary") : NULL))
		return;
	struct value *data = val_map();
	val_set(data, "article", val_ref(a->data));
	if (summary)
		val_set_str(data, "description", summary);
	site_bury(s, a->page, bury_page);
	a->page = page_new(a->url, "article", "article", a->title, data, a->path);
}

/* Is a due at the build's "now"? Future dates and publish_at wait unless
 * --future; expires always applies. */
static int scheduled_in(const struct site *s, const struct article *a)
{
	if (a->expires && a->expires <= s->cfg.now)
		return 0;
	if (s->cfg.future)
		return 1;
	return a->date.epoch <= s->cfg.now && (!a->publish_at || a->publish_at <= s->cfg.now);
}

/* An article that is no longer published: its view and page go. */
static void unpublish(struct site *s, struct article *a)
{
	s->names_dirty |= a->published;
	bury_view(s, &a->data, a->layer, a->obj);
	site_bury(s, a->page, bury_page);
	a->page = NULL;
	a->published = 0;
	/* it names no one until it is published again (and resolved): an
	 * implicit person only it named goes at the end of this update */
	free(a->topics);
	a->topics = NULL;
	a->n_topics = 0;
	free(a->people);
	a->people = NULL;
	a->n_people = 0;
}

void site_drop_article(struct site *s, struct article *a)
{
	unpublish(s, a);
	site_bury(s, a, bury_article);
}

void article_reset(struct site *s, struct article *a)
{
	site_bury(s, a->meta, bury_value);
	a->old_meta = a->meta; /* compared with the new one in article_view */
	a->meta = NULL;
	free(a->title);
	free(a->slug);
	free(a->url);
	free(a->html);
	a->title = a->slug = a->url = a->html = NULL;
	a->spilled = NULL;
	a->url_hashed = NULL;
	a->content = NULL;
	a->body_ok = 0;
	a->draft = 0;
	a->publish_at = a->expires = 0;
	a->words = 0;
	a->body_line = 0;
	memset(&a->date, 0, sizeof a->date);
	diag_free(a->diag);
	a->diag = diag_new();
	a->fresh = 1;
	a->cached.at = NULL;
	a->cached_meta = NULL;
}

/* A brief's page changes with its title, URL and path (only when it is
 * parsed: fresh) and its summary, which a step may also set: made again
 * for those, and for the rest whose summary changed since the last time. */
static void make_pages(struct site *s)
{
	struct tr_dep summary = {0, tr_bit("summary", 7)};
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		summary.obj = a->obj;
		if (!a->page || a->fresh || !s->resolved_at ||
		    tr_stale(s->track, &summary, 1, s->resolved_at))
			article_page(s, a);
	}
}

int site_resolve(struct site *s)
{
	int errors = 0;
	size_t kept = 0;
	/* the hashes of the article URLs taken so far, each kept with its
	 * brief: the URLs are read only when two hashes meet (a map of 100k
	 * URLs made each update was a tenth of a one-edit update) */
	struct hs_ids *urls = hs_ids_sized(s->n_all);
	s->articles = xrealloc(s->articles, (s->n_all ? s->n_all : 1) * sizeof *s->articles);
	for (size_t i = 0; i < s->n_all; i++) {
		struct article *a = s->all[i];
		diag_append(s->diag, a->diag);
		int hidden = a->draft && !s->cfg.drafts; /* not filtered nor rendered */
		int failed = !a->meta || !a->title || (!a->body_ok && !hidden);
		if (failed || hidden || !scheduled_in(s, a)) {
			errors += failed;
			if (a->published)
				unpublish(s, a);
			continue;
		}
		s->names_dirty |= !a->published || names_changed(a);
		/* filters may have changed the title, when they ran: a->fresh */
		const char *title = a->fresh ? val_get_cstr(a->meta, "title") : NULL;
		if (title && strcmp(title, a->title) != 0) {
			free(a->title);
			a->title = xstrdup(title);
		}
		if (a->url_hashed != a->url) {
			a->url_hash = hs_bytes(a->url, strlen(a->url), 0x75726c) | 1;
			a->url_hashed = a->url;
		}
		size_t first = kept;
		if (!hs_ids_add(urls, a->url_hash)) /* the same hash: the same URL? */
			for (first = 0; first < kept && strcmp(s->articles[first]->url, a->url); first++)
				;
		if (first < kept) {
			diag_error(s->diag, a->path, a->slug_line, a->slug_col,
			           "article URL \"%s\" is already used by %s; give one of them another slug",
			           a->url, s->articles[first]->path);
			errors++;
		}
		s->articles[kept++] = a;
	}
	s->n_articles = kept;
	hs_ids_free(urls);
	/* in scan order, as a first build names them; when the same articles
	 * name the same names as last time, the result is what it was */
	if (s->names_dirty || !s->implicit || !s->lookup)
		resolve_names(s, s->articles, s->n_articles);
	s->names_dirty = 0;
	if (s->n_articles)
		qsort(s->articles, s->n_articles, sizeof *s->articles, newest_first);
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		a->rank = i;
		/* a new date moves it in every list it is in (steps.c re-sorts) */
		a->moved = a->published && a->ranked != a->date.epoch;
		a->ranked = a->date.epoch;
		a->published = 1;
	}
	/* views are independent of each other (an article's view points at its
	 * entities' tops, made first): made in parallel */
	int workers = pool_default_workers();
	pool_run(workers, s->n_topics + s->n_people, entity_view_one, s);
	pool_run(workers, s->n_articles, article_view_one, s);
	make_pages(s);
	for (size_t i = 0; i < s->n_all; i++) /* unpublished ones too: parsed is parsed */
		s->all[i]->fresh = 0;
	/* one tick back: what changes later at this same tick (a step in the
	 * same stage) still counts as after it */
	s->resolved_at = tr_now(s->track) > 1 ? tr_now(s->track) - 1 : 0;
	return errors;
}

void site_steps_done(struct site *s)
{
	make_pages(s);
	s->resolved_at = tr_now(s->track); /* (nothing changes after the steps) */
}

static _Atomic uint64_t serials;

void page_serial_at_least(uint64_t n)
{
	uint64_t cur = atomic_load(&serials);
	while (cur < n && !atomic_compare_exchange_weak(&serials, &cur, n))
		;
}

struct page *page_new(const char *url, const char *template, const char *kind,
                      const char *title, struct value *data, const char *source)
{
	struct page *p = xcalloc(1, sizeof *p);
	p->serial = ++serials;
	p->url = xstrdup(url);
	p->template = xstrdup(template);
	p->kind = xstrdup(kind ? kind : template);
	p->title = xstrdup(title ? title : "");
	p->data = data ? data : val_map();
	p->source = xstrdup(source ? source : "");
	return p;
}

struct page *page_take(uint64_t serial, char *url, char *template, char *kind, char *title,
                       char *source)
{
	struct page *p = xcalloc(1, sizeof *p);
	p->serial = serial;
	page_serial_at_least(serial);
	p->url = url;
	p->template = template;
	p->kind = kind;
	p->title = title;
	p->source = source;
	return p;
}

void page_free(struct page *p)
{
	if (!p)
		return;
	free(p->url);
	free(p->template);
	free(p->kind);
	free(p->title);
	free(p->source);
	free(p->file);
	val_free(p->data);
	if (p->packed_own)
		free((char *)p->packed);
	free(p);
}

void site_list_page(struct site *s, struct page *p)
{
	if (s->n_pages == s->cap_pages) {
		s->cap_pages = s->cap_pages ? s->cap_pages * 2 : 256;
		s->pages = xrealloc(s->pages, s->cap_pages * sizeof *s->pages);
	}
	s->pages[s->n_pages++] = p;
}

void site_push_page(struct site *s, struct page *p)
{
	if (s->n_own == s->cap_own) {
		s->cap_own = s->cap_own ? s->cap_own * 2 : 256;
		s->own = xrealloc(s->own, s->cap_own * sizeof *s->own);
	}
	s->own[s->n_own++] = p;
	site_list_page(s, p);
}

struct page *site_add_page(struct site *s, const char *url, const char *template,
                           const char *kind, const char *title, struct value *data,
                           const char *source)
{
	struct page *p = page_new(url, template, kind, title, data, source);
	site_push_page(s, p);
	return p;
}

static pthread_mutex_t objects_lock = PTHREAD_MUTEX_INITIALIZER;

struct sobject *site_object(struct site *s, const char *kind, const char *key)
{
	char *name = xasprintf("%s\n%s", kind, key);
	pthread_mutex_lock(&objects_lock);
	if (!s->object_index)
		s->object_index = val_map();
	const struct value *at = val_get(s->object_index, name);
	struct sobject *o;
	if (at) {
		o = s->objects[(size_t)val_get_num(at)];
	} else {
		o = xcalloc(1, sizeof *o);
		o->kind = xstrdup(kind);
		o->key = xstrdup(key);
		o->view = site_view_new(s, TR_OBJECT, o, val_map(), o->layer, &o->obj);
		s->objects = xrealloc(s->objects, (s->n_objects + 1) * sizeof *s->objects);
		val_set(s->object_index, name, val_num((double)s->n_objects));
		s->objects[s->n_objects++] = o;
	}
	pthread_mutex_unlock(&objects_lock);
	free(name);
	return o;
}

void *site_owner(struct site *s, uint32_t id, enum tr_kind *kind)
{
	pthread_mutex_lock(&objects_lock); /* site_object may be growing the table */
	void *owner = s->track ? tr_owner(s->track, id, kind) : NULL;
	pthread_mutex_unlock(&objects_lock);
	return owner;
}

