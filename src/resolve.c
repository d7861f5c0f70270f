/* resolve.c: after parsing and filtering, turns articles' topic and people
 * names into entities (creating implicit ones), gives every article its URL
 * (reporting collisions), orders articles newest first and builds the
 * template views of articles, topics and people, and adds the article
 * pages. Serial: it writes the shared site model. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "site.h"

static struct entity *resolve_name(struct site *s, enum entity_kind kind, const char *name)
{
	struct entity *e = site_find(s, kind, name);
	if (e)
		return e;
	char *slug = slugify(name);
	if (!*slug) {
		free(slug);
		return NULL;
	}
	buf key = BUF_INIT;
	buf_printf(&key, "%s:%s", kind == ENT_TOPIC ? "topic" : "person", slug);
	/* an implicit entity: no file of its own; the index is the next slot */
	size_t index = kind == ENT_TOPIC ? s->n_topics : s->n_people;
	e = xcalloc(1, sizeof *e);
	e->kind = kind;
	e->slug = slug;
	e->name = xstrdup(name);
	e->url = xasprintf("%s/%s/", kind == ENT_TOPIC ? "topics" : "people", slug);
	e->meta = val_map();
	e->layer[0] = val_map();
	if (kind == ENT_TOPIC) {
		s->topics = xrealloc(s->topics, (s->n_topics + 1) * sizeof *s->topics);
		s->topics[s->n_topics++] = e;
	} else {
		s->people = xrealloc(s->people, (s->n_people + 1) * sizeof *s->people);
		s->people[s->n_people++] = e;
	}
	val_set(s->lookup, key.ptr, val_num((double)index));
	buf_reset(&key);
	buf_printf(&key, "%s:", kind == ENT_TOPIC ? "topic" : "person");
	for (const char *p = name; *p; p++)
		buf_putc(&key, (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	if (!val_get(s->lookup, key.ptr))
		val_set(s->lookup, key.ptr, val_num((double)index));
	buf_free(&key);
	return e;
}

static void resolve_refs(struct site *s, struct article *a, enum entity_kind kind)
{
	struct value *names = val_get(a->meta, kind == ENT_TOPIC ? "topics" : "people");
	size_t n = val_len(names);
	struct entity **list = xcalloc(n ? n : 1, sizeof *list);
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = val_get_str(val_at(names, i), NULL);
		struct entity *e = name ? resolve_name(s, kind, name) : NULL;
		if (!e)
			continue;
		int dup = 0;
		for (size_t j = 0; j < count; j++)
			dup |= list[j] == e;
		if (!dup)
			list[count++] = e;
	}
	if (kind == ENT_TOPIC) {
		a->topics = list;
		a->n_topics = count;
	} else {
		a->people = list;
		a->n_people = count;
	}
}

static int newest_first(const void *pa, const void *pb)
{
	const struct article *a = *(struct article *const *)pa, *b = *(struct article *const *)pb;
	if (a->date.epoch != b->date.epoch)
		return a->date.epoch > b->date.epoch ? -1 : 1;
	return strcmp(a->path, b->path);
}

static void build_entity_view(struct site *s, struct entity *e)
{
	struct value *d = e->layer[0] ? e->layer[0] : val_map();
	if (!e->data)
		e->data = site_view_new(s, TR_ENTITY, e, d, e->layer, &e->obj);
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
	if (!val_get(d, "content"))
		val_set_str(d, "content", "");
	val_set(d, "params", val_ref(e->meta));
	val_set_bool(d, "has_page", e->path != NULL);
}

static void build_article_view(struct site *s, struct article *a)
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
	static const char *const keys[] = {"summary", "source", "source_url", NULL};
	for (const char *const *k = keys; *k; k++) {
		struct value *v = val_get(a->meta, *k);
		if (v && val_type(v) != VAL_NULL && val_type(v) != VAL_LIST && val_type(v) != VAL_MAP) {
			buf_reset(&b);
			val_put_scalar(&b, v);
			val_set_str(d, *k, b.ptr);
		}
	}
	struct value *topics = val_list(), *people = val_list();
	for (size_t i = 0; i < a->n_topics; i++)
		val_push(topics, val_ref(a->topics[i]->data));
	for (size_t i = 0; i < a->n_people; i++)
		val_push(people, val_ref(a->people[i]->data));
	val_set(d, "topics", topics);
	val_set(d, "people", people);
	val_set(d, "params", val_ref(a->meta));
	val_set_bool(d, "draft", a->draft);
	if (a->content) {
		val_set(d, "content", val_ref(a->content));
	} else {
		char *html = a->html ? a->html : xstrdup("");
		a->html = NULL;
		val_set(d, "content", val_str_own(html, strlen(html)));
	}
	buf_free(&b);
	if (!a->data) {
		a->data = site_view_new(s, TR_ARTICLE, a, d, a->layer, &a->obj);
	} else { /* a view pages may hold: its engine layer is replaced under it */
		val_free(a->layer[0]);
		a->layer[0] = d;
		val_set_obj(d, a->obj);
		val_set_below(a->layer[1], d);
	}
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

static void entity_view_one(void *ctx, int worker, size_t i)
{
	(void)worker;
	struct site *s = ctx;
	build_entity_view(s, i < s->n_topics ? s->topics[i] : s->people[i - s->n_topics]);
}

static void article_view_one(void *ctx, int worker, size_t i)
{
	(void)worker;
	struct site *s = ctx;
	build_article_view(s, s->articles[i]);
}

int site_resolve(struct site *s)
{
	int errors = 0;
	size_t kept = 0;
	struct value *urls = val_map();
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		diag_merge(s->diag, a->diag);
		int failed = !a->meta || !a->title || (!a->html && !a->doc && !a->content);
		if (failed || (a->draft && !s->cfg.drafts) || !scheduled_in(s, a)) {
			s->articles[i] = NULL;
			a->doc = NULL; /* released by the filter stage */
			errors += failed;
			article_free(a);
			continue;
		}
		/* filters may have changed the title */
		const char *title = val_get_cstr(a->meta, "title");
		if (title && strcmp(title, a->title) != 0) {
			free(a->title);
			a->title = xstrdup(title);
		}
		struct value *other = val_get(urls, a->url);
		if (other) {
			diag_error(s->diag, a->path, a->slug_line, a->slug_col,
			           "article URL \"%s\" is already used by %s; give one of them another slug",
			           a->url, val_get_str(other, NULL));
			errors++;
		} else {
			val_set(urls, a->url, val_cstr(a->path));
		}
		s->articles[kept++] = a;
	}
	s->n_articles = kept;
	val_free(urls);
	for (size_t i = 0; i < s->n_articles; i++) {
		resolve_refs(s, s->articles[i], ENT_TOPIC);
		resolve_refs(s, s->articles[i], ENT_PERSON);
	}
	if (s->n_articles)
		qsort(s->articles, s->n_articles, sizeof *s->articles, newest_first);
	for (size_t i = 0; i < s->n_articles; i++)
		s->articles[i]->rank = i;
	/* the views are independent of each other (an article's view points
	 * at its entities' maps, which exist from the scan): built in parallel */
	int workers = pool_default_workers();
	pool_run(workers, s->n_topics + s->n_people, entity_view_one, s);
	pool_run(workers, s->n_articles, article_view_one, s);
	return errors;
}

struct page *page_new(const char *url, const char *template, const char *kind,
                      const char *title, struct value *data, const char *source)
{
	static _Atomic uint64_t serials;
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

void page_free(struct page *p)
{
	if (!p)
		return;
	free(p->url);
	free(p->template);
	free(p->kind);
	free(p->title);
	free(p->source);
	val_free(p->data);
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

void site_add_article_pages(struct site *s)
{
	for (size_t i = 0; i < s->n_articles; i++) {
		struct article *a = s->articles[i];
		struct value *data = val_map();
		val_set(data, "article", val_ref(a->data));
		const char *summary = val_get_cstr(a->data, "summary");
		if (summary)
			val_set_str(data, "description", summary);
		site_add_page(s, a->url, "article", "article", a->title, data, a->path);
	}
}
