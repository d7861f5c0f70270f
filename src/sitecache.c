/* sitecache.c: the site model in the build cache: every article as its
 * last parse left it, the implicit entities, the script objects and the
 * layers of every view, with the ids their objects had (track.h). It is
 * read into a site that site_open and site_scan just made from the same
 * settings and entity files (the cache is only read when those are
 * unchanged): entities with files are matched by slug, everything else is
 * made from the cache. Views are written after every object they can
 * reference, so that reading a reference finds its target made. */
#include <stdlib.h>
#include <string.h>

#include "cachefile.h"
#include "hashes.h"
#include "site.h"
#include "spill.h"

#define VIEW_MAPS (VIEW_LAYERS + 1)

static void save_date(struct cf_writer *w, const struct date *d)
{
	cf_i64(w, d->year);
	cf_i64(w, d->month);
	cf_i64(w, d->day);
	cf_i64(w, d->hour);
	cf_i64(w, d->min);
	cf_i64(w, d->sec);
	cf_i64(w, d->offset_min);
	cf_i64(w, d->has_time);
	cf_i64(w, d->epoch);
}

static void load_date(struct cf_reader *r, struct date *d)
{
	d->year = (int)cf_get_i64(r);
	d->month = (int)cf_get_i64(r);
	d->day = (int)cf_get_i64(r);
	d->hour = (int)cf_get_i64(r);
	d->min = (int)cf_get_i64(r);
	d->sec = (int)cf_get_i64(r);
	d->offset_min = (int)cf_get_i64(r);
	d->has_time = (int)cf_get_i64(r);
	d->epoch = cf_get_i64(r);
}

/* A view's four maps (the engine's without params, which points at the
 * owner's front matter and is made again on reading), each as bytes with
 * their length first: a reader keeps them and decodes a map the first
 * time something looks inside it (val_map_lazy). */
static void save_view(struct cf_writer *w, struct value *top, struct value *const *layer)
{
	cf_u64(w, top != NULL);
	if (!top)
		return;
	struct value *maps[VIEW_MAPS] = {layer[0], layer[1], layer[2], top};
	struct cf_writer m;
	cf_memory(&m);
	for (int i = 0; i < VIEW_MAPS; i++) {
		const struct value *map = maps[i];
		size_t n = val_len(map), skip = val_getn_own(map, "params", 6) && i == 0;
		buf_reset(&m.b);
		cf_u64(&m, n - skip);
		for (size_t k = 0; k < n; k++) {
			size_t len;
			const char *key = val_key_at(map, k, &len);
			if (i == 0 && len == 6 && !memcmp(key, "params", 6))
				continue;
			cf_bytes(&m, key, len);
			cf_value(&m, val_at(map, k));
		}
		cf_bytes(w, m.b.ptr, m.b.len);
	}
	w->failed |= m.failed;
	buf_free(&m.b);
	spill_tick(); /* its content may have been read from the spill */
}

/* One map of a view as the cache has it, until it is first opened. */
struct lazy_map {
	struct val_lazy z;
	const struct site *s;
	const char *bytes;
	size_t len;
	const struct value *meta; /* the engine's layer: params points at it */
};

static const struct value *view_of_owner(void *ctx, uint32_t id);

/* Adds the entries of a map's bytes to into, then params (a reference
 * to meta) when meta is not NULL; 0, or -1 when they do not decode. */
static int fill_map(const struct site *s, const char *bytes, size_t len,
                    const struct value *meta, struct value *into)
{
	struct cf_reader r = {.p = bytes, .end = bytes + len, .ok = 1, .view = view_of_owner,
	                      .ctx = (void *)s, .borrow = 1};
	uint64_t n = cf_get_u64(&r);
	for (uint64_t k = 0; k < n && cf_ok(&r); k++) {
		size_t klen;
		const char *key = cf_get_bytes(&r, &klen);
		struct value *v = cf_get_value(&r);
		if (cf_ok(&r))
			val_setn(into, key ? key : "", klen, v ? v : val_null());
	}
	if (!cf_ok(&r) || r.p != r.end)
		return -1;
	if (meta)
		val_set(into, "params", val_ref(meta));
	return 0;
}

static struct value *lazy_fill(struct val_lazy *z)
{
	struct lazy_map *l = (struct lazy_map *)z;
	struct value *m = val_map();
	fill_map(l->s, l->bytes, l->len, l->meta, m); /* (the checksum vouched for them) */
	return m;
}

static void lazy_free(struct val_lazy *z)
{
	free(z);
}

/* Gives the maps of a view made empty (load_shell) their bytes, to be
 * decoded on first use; params comes back as a reference to meta. A map
 * that already holds entries (an entity's, from the scan) is filled now. */
static void load_view(struct cf_reader *r, const struct site *s, struct value *top,
                      struct value *const *layer, const struct value *meta)
{
	if (cf_get_u64(r) != (top != NULL)) {
		r->ok = 0;
		return;
	}
	if (!top)
		return;
	struct value *maps[VIEW_MAPS] = {layer[0], layer[1], layer[2], top};
	for (int i = 0; i < VIEW_MAPS && cf_ok(r); i++) {
		size_t len;
		const char *bytes = cf_get_bytes(r, &len);
		const struct value *params = i == 0 ? meta : NULL;
		if (!cf_ok(r))
			break;
		if (val_len(maps[i])) {
			if (fill_map(s, bytes, len, params, maps[i]) != 0)
				r->ok = 0;
			continue;
		}
		struct lazy_map *l = xmalloc(sizeof *l);
		*l = (struct lazy_map){{lazy_fill, lazy_free}, s, bytes, len, params};
		val_map_lazy(maps[i], &l->z);
	}
}

/* load_view as an item, remembering where its bytes were. */
static void read_view(struct cf_reader *r, const struct site *s, struct view_bytes *c,
                      struct value *top, struct value *const *layer, const struct value *meta,
                      uint32_t obj)
{
	struct cf_reader sub, *in = cf_get_item(r, &sub);
	const char *from = in->p;
	load_view(in, s, top, layer, meta);
	*c = (struct view_bytes){from, (size_t)(in->p - from), top, obj};
	cf_item_end(r, in);
}

/* Are c's bytes still those of the view top of object obj? (The same
 * maps, the same object, no change since the cache's tick.) */
static int view_as_read(const struct site *s, const struct view_bytes *c,
                        const struct value *top, uint32_t obj)
{
	return s->cached_tick && c->at && c->view == top && c->obj == obj &&
	       (!top || !tr_changed_after(s->track, obj, s->cached_tick));
}

/* save_view, or the bytes read while the view is the same and unchanged. */
static void write_view(const struct site *s, struct cf_writer *w, const struct view_bytes *c,
                       struct value *top, struct value *const *layer, uint32_t obj)
{
	if (view_as_read(s, c, top, obj)) {
		cf_item_raw(w, c->at, c->len);
	} else {
		cf_item(w);
		save_view(w, top, layer);
	}
}

/* A view's maps, empty, with the id the cache gives it. */
static int load_shell(struct site *s, struct cf_reader *r, enum tr_kind kind, void *owner,
                      struct value **top, struct value **layer, uint32_t *obj)
{
	uint32_t id = (uint32_t)cf_get_u64(r);
	if (!cf_ok(r))
		return -1;
	if (!id) {
		*top = NULL;
		return 0;
	}
	if (tr_attach(s->track, id, kind, owner) != 0) {
		r->ok = 0;
		return -1;
	}
	*obj = id;
	if (!layer[0])
		layer[0] = val_map();
	val_free(val_take(layer[0], "content")); /* the cache's, when it has one */
	for (int i = 1; i < VIEW_LAYERS; i++)
		layer[i] = val_map_over(layer[i - 1]);
	*top = val_map_over(layer[VIEW_LAYERS - 1]);
	for (int i = 0; i < VIEW_LAYERS; i++)
		val_set_obj(layer[i], id);
	val_set_obj(*top, id);
	return 0;
}

static const struct value *view_of_id(void *ctx, uint32_t id);
static const struct value *view_of(const struct site *s, void *owner, enum tr_kind kind);

/* packed: the data as bytes with their length before them, which a
 * reader keeps without walking them (site_pack's bytes, or the tree's) */
static void save_page(struct cf_writer *w, const struct page *p, int packed)
{
	cf_u64(w, p != NULL);
	if (!p)
		return;
	cf_u64(w, p->serial);
	cf_str(w, p->url);
	cf_str(w, p->template);
	cf_str(w, p->kind);
	cf_str(w, p->title);
	cf_str(w, p->source);
	if (packed)
		site_save_packed(w, p->data, p->packed, p->packed_len);
	else
		cf_value(w, p->data);
}

/* A page; packed, its data stays the reader's bytes, not decoded until a
 * render reads them (page_data: the checksum vouches for them). */
static struct page *load_page(struct cf_reader *r, int packed)
{
	if (!cf_get_u64(r))
		return NULL;
	uint64_t serial = cf_get_u64(r);
	char *url = cf_get_str(r), *template = cf_get_str(r), *kind = cf_get_str(r);
	char *title = cf_get_str(r), *source = cf_get_str(r);
	const char *bytes = NULL;
	size_t len = 0;
	struct value *data = NULL;
	int ok;
	if (packed) {
		bytes = cf_get_bytes(r, &len);
		ok = cf_is_map(bytes, len);
	} else {
		ok = val_type(data = cf_get_value(r)) == VAL_MAP;
	}
	if (!cf_ok(r) || !url || !template || !kind || !title || !source || !ok) {
		r->ok = 0;
		free(url);
		free(template);
		free(kind);
		free(title);
		free(source);
		val_free(data);
		return NULL;
	}
	/* (26,000 pages at 10k briefs: their strings are taken, not copied) */
	struct page *p = page_take(serial, url, template, kind, title, source);
	if (packed) {
		p->packed = bytes;
		p->packed_len = len;
	} else {
		p->data = data;
	}
	return p;
}

struct page *page_load(struct cf_reader *r)
{
	return load_page(r, 0);
}

struct page *page_load_packed(struct cf_reader *r)
{
	return load_page(r, 1);
}

void page_save(struct cf_writer *w, const struct page *p)
{
	save_page(w, p, 0);
}

void page_save_packed(struct cf_writer *w, const struct page *p)
{
	save_page(w, p, 1);
}

char *site_pack(const struct value *v, size_t *len)
{
	struct cf_writer w;
	cf_memory(&w);
	cf_value(&w, v);
	if (w.failed) { /* a lambda */
		buf_free(&w.b);
		return NULL;
	}
	*len = w.b.len;
	return xrealloc(w.b.ptr, w.b.len ? w.b.len : 1); /* no spare room: kept long */
}

void site_save_packed(struct cf_writer *w, const struct value *tree, const char *packed,
                      size_t len)
{
	if (!tree) {
		cf_bytes(w, packed, packed ? len : 0);
		return;
	}
	char *bytes = site_pack(tree, &len);
	if (!bytes)
		w->failed = 1;
	cf_bytes(w, bytes, bytes ? len : 0);
	free(bytes);
}

void page_pack(struct page *p)
{
	if (!p->data)
		return;
	size_t len;
	char *bytes = site_pack(p->data, &len);
	if (!bytes)
		return;
	p->packed_len = len;
	p->packed = bytes;
	p->packed_own = 1;
	val_free(p->data);
	p->data = NULL;
}

/* view_of_id for a render thread: a template lambda (Lua, on the main
 * state) may make an object while another thread reads the table. */
static const struct value *view_of_owner(void *ctx, uint32_t id)
{
	struct site *s = ctx;
	enum tr_kind kind;
	void *owner = site_owner(s, id, &kind);
	return view_of(s, owner, kind);
}

/* ---- entity files' parses ---- */

int site_memo_make(struct parse_memo *m, const struct value *meta, const char *html)
{
	struct cf_writer w;
	cf_memory(&w);
	cf_value_at(&w, meta);
	cf_str(&w, html);
	if (w.failed) {
		buf_free(&w.b);
		return -1;
	}
	*m = (struct parse_memo){w.b.ptr, w.b.len, w.b.ptr};
	return 0;
}

int site_memo_read(const struct parse_memo *m, struct value **meta, char **html)
{
	struct cf_reader r = {.p = m->at, .end = m->at + m->len, .ok = 1, .borrow = 1};
	struct value *v = cf_get_value(&r);
	char *h = cf_get_str(&r);
	if (!cf_ok(&r) || r.p != r.end || val_type(v) != VAL_MAP || !h) {
		val_free(v);
		free(h);
		return -1;
	}
	*meta = v;
	*html = h;
	return 0;
}

/* The bytes of a number cf_u64 writes. */
static size_t varint_len(uint64_t v)
{
	size_t n = 1;
	while (v >>= 7)
		n++;
	return n;
}

static void save_memos_of(struct cf_writer *w, struct entity *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct parse_memo *m = &list[i]->memo;
		if (!m->at || !list[i]->path)
			continue;
		cf_str(w, list[i]->path);
		if (m->own) {
			cf_item(w);
			cf_bytes(w, m->at, m->len);
		} else { /* read from a cache file: its length is before it there */
			size_t pre = varint_len(m->len);
			cf_item_raw(w, m->at - pre, pre + m->len);
		}
	}
}

static size_t count_memos(struct entity *const *list, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += list[i]->memo.at && list[i]->path;
	return k;
}

void site_save_memos(const struct site *s, struct cf_writer *w)
{
	cf_u64(w, count_memos(s->topics, s->n_file_topics) +
	          count_memos(s->people, s->n_file_people));
	save_memos_of(w, s->topics, s->n_file_topics);
	save_memos_of(w, s->people, s->n_file_people);
}

int site_load_memos(struct cf_reader *r, struct hs_table **paths, struct parse_memo **memos)
{
	uint64_t n = cf_get_u64(r);
	if (!cf_ok(r) || n > (uint64_t)(r->end - r->p))
		return -1;
	*paths = hs_table_new();
	*memos = xcalloc(n ? n : 1, sizeof **memos);
	buf name = BUF_INIT;
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		const char *path = cf_get_str_in(r, &name);
		struct cf_reader sub, *from = cf_get_item(r, &sub);
		size_t len;
		const char *at = cf_get_bytes(from, &len);
		cf_item_end(r, from);
		if (!path || !at || !cf_ok(r)) {
			r->ok = 0;
			break;
		}
		(*memos)[i] = (struct parse_memo){at, len, NULL};
		hs_put(*paths, path, i, 0);
	}
	buf_free(&name);
	if (!cf_ok(r)) {
		hs_table_free(*paths);
		free(*memos);
		*paths = NULL;
		*memos = NULL;
		return -1;
	}
	return 0;
}

struct value *site_unpack(const struct site *s, const char *bytes, size_t len, int borrow)
{
	struct cf_reader r = {.p = bytes, .end = bytes + len, .ok = 1, .view = view_of_owner,
	                      .ctx = (void *)s, .borrow = borrow};
	struct value *v = cf_get_value(&r);
	if (!cf_ok(&r) || r.p != r.end) {
		val_free(v);
		return NULL;
	}
	return v;
}

/* p's packed data as a tree; borrow: its strings point into the bytes. */
static struct value *unpacked(const struct site *s, const struct page *p, int borrow)
{
	struct value *v = site_unpack(s, p->packed, p->packed_len, borrow);
	if (val_type(v) != VAL_MAP) {
		val_free(v);
		return NULL;
	}
	return v;
}

const struct value *page_data(const struct site *s, const struct page *p, struct value **own)
{
	*own = NULL;
	if (p->data || !p->packed)
		return p->data;
	/* (the page's bytes outlive a render's tree) */
	return *own = unpacked(s, p, 1);
}

void page_unpack(const struct site *s, struct page *p)
{
	if (p->data || !p->packed)
		return;
	struct value *own = unpacked(s, p, 0); /* the bytes go */
	p->data = own ? own : val_map();
	if (p->packed_own)
		free((char *)p->packed);
	p->packed = NULL;
	p->packed_len = 0;
	p->packed_own = 0;
}

int page_same_data(const struct page *a, const struct page *b)
{
	if (a->data || b->data)
		return a->data && b->data && val_equal(a->data, b->data);
	return a->packed_len == b->packed_len && !memcmp(a->packed, b->packed, a->packed_len);
}

static uint32_t entity_id(const struct entity *e)
{
	return e ? e->obj : 0;
}

/* Are a's view and page as the cache had them? (A step's write, a new
 * parse, a new base or a new page each make them differ.) */
static int as_read(const struct site *s, const struct article *a)
{
	return view_as_read(s, &a->cached, a->data, a->obj) && !a->fresh &&
	       a->page == a->cached_page && (!a->page || a->page->serial == a->cached_serial);
}

void site_save(const struct site *s, struct cf_writer *w)
{
	/* the objects: entities, implicit ones with what makes them, then
	 * script objects, then articles */
	cf_u64(w, s->obj);
	cf_u64(w, s->lookup_obj);
	cf_u64(w, s->n_topics + s->n_people);
	for (size_t i = 0; i < s->n_topics + s->n_people; i++) {
		const struct entity *e = i < s->n_topics ? s->topics[i] : s->people[i - s->n_topics];
		cf_u64(w, e->kind);
		cf_str(w, e->slug);
		cf_u64(w, e->path != NULL);
		if (!e->path)
			cf_str(w, e->name);
		cf_u64(w, e->data ? e->obj : 0);
	}
	cf_u64(w, s->n_objects);
	for (size_t i = 0; i < s->n_objects; i++) {
		cf_str(w, s->objects[i]->kind);
		cf_str(w, s->objects[i]->key);
		cf_u64(w, s->objects[i]->obj);
	}
	cf_u64(w, s->n_all);
	for (size_t i = 0; i < s->n_all; i++) {
		const struct article *a = s->all[i];
		cf_str(w, a->path);
		cf_u64(w, strlen(a->path) - strlen(a->rel) - (a->bundle ? 9 : 3));
		cf_i64(w, a->size);
		cf_i64(w, a->mtime_ns);
		cf_u64(w, a->ino);
		cf_u64(w, a->hash);
		cf_str(w, a->title);
		cf_str(w, a->slug);
		cf_i64(w, a->slug_line);
		cf_i64(w, a->slug_col);
		cf_str(w, a->url);
		save_date(w, &a->date);
		cf_i64(w, a->draft);
		cf_i64(w, a->publish_at);
		cf_i64(w, a->expires);
		if (s->cached_tick && !a->fresh && a->cached_meta) /* not parsed again since */
			cf_raw(w, a->cached_meta, a->cached_meta_len);
		else
			cf_value(w, a->meta);
		cf_u64(w, a->words);
		cf_i64(w, a->body_line);
		cf_i64(w, a->body_ok);
		diag_save(a->diag, w);
		cf_i64(w, a->published);
		cf_u64(w, a->rank);
		cf_i64(w, a->ranked);
		cf_u64(w, a->data ? a->obj : 0);
		cf_u64(w, a->n_topics);
		for (size_t k = 0; k < a->n_topics; k++)
			cf_u64(w, entity_id(a->topics[k]));
		cf_u64(w, a->n_people);
		for (size_t k = 0; k < a->n_people; k++)
			cf_u64(w, entity_id(a->people[k]));
	}
	/* the published articles, newest first */
	cf_u64(w, s->n_articles);
	for (size_t i = 0; i < s->n_articles; i++)
		cf_u64(w, s->articles[i]->scan);
	/* then the views, whose references point at the objects above */
	for (size_t i = 0; i < s->n_topics + s->n_people; i++) {
		const struct entity *e = i < s->n_topics ? s->topics[i] : s->people[i - s->n_topics];
		write_view(s, w, &e->cached, e->data, e->layer, e->obj);
	}
	for (size_t i = 0; i < s->n_objects; i++) {
		const struct sobject *o = s->objects[i];
		write_view(s, w, &o->cached, o->view, o->layer, o->obj);
	}
	for (size_t i = 0; i < s->n_all; i++) {
		const struct article *a = s->all[i];
		if (as_read(s, a)) {
			cf_item_raw(w, a->cached.at, a->cached.len);
			continue;
		}
		cf_item(w);
		save_view(w, a->data, a->layer);
		save_page(w, a->page, 0);
	}
	/* the site map: settings make its engine layer (kept to tell whether
	 * it changed: the year of the build is in it), the rest is steps' */
	struct value *base = val_copy(s->site_layer[0]);
	val_free(val_take(base, "params")); /* site.yml's, which is unchanged */
	cf_value(w, base);
	val_free(base);
	for (int i = 1; i <= VIEW_LAYERS; i++) {
		const struct value *m = i < VIEW_LAYERS ? s->site_layer[i] : s->site_data;
		cf_value(w, m);
	}
	/* when the briefs' pages were last checked against their summaries:
	 * an update after this one checks only those stamped since */
	cf_u64(w, s->resolved_at);
}

/* The view an object's owner has (NULL for none). */
static const struct value *view_of(const struct site *s, void *owner, enum tr_kind kind)
{
	if (!owner)
		return NULL;
	switch (kind) {
	case TR_ARTICLE: return ((struct article *)owner)->data;
	case TR_ENTITY: return ((struct entity *)owner)->data;
	case TR_OBJECT: return ((struct sobject *)owner)->view;
	case TR_SITE: return owner == s ? s->site_data : NULL;
	default: return NULL;
	}
}

static const struct value *view_of_id(void *ctx, uint32_t id)
{
	struct site *s = ctx;
	enum tr_kind kind;
	void *owner = tr_owner(s->track, id, &kind);
	return view_of(s, owner, kind);
}

/* The entity with object id, or NULL. */
static struct entity *entity_by_id(struct site *s, uint32_t id)
{
	enum tr_kind kind;
	void *owner = tr_owner(s->track, id, &kind);
	return owner && kind == TR_ENTITY ? owner : NULL;
}

/* The entities with files, by key (site_entity_key): position + 1 in
 * their list. */
static struct hs_table *file_entities(const struct site *s)
{
	struct hs_table *t = hs_table_new();
	for (size_t k = 0; k < 2; k++) {
		enum entity_kind kind = k ? ENT_PERSON : ENT_TOPIC;
		struct entity **list = k ? s->people : s->topics;
		size_t n = k ? s->n_file_people : s->n_file_topics;
		for (size_t i = 0; i < n; i++) {
			char *key = site_entity_key(kind, list[i]->slug);
			hs_put(t, key, i + 1, 0);
			free(key);
		}
	}
	return t;
}

static struct entity *file_entity(struct site *s, const struct hs_table *files, int kind,
                                  const char *slug)
{
	char *key = site_entity_key((enum entity_kind)kind, slug);
	uint64_t at;
	int found = hs_get(files, key, &at) && at;
	free(key);
	return found ? (kind == ENT_TOPIC ? s->topics : s->people)[at - 1] : NULL;
}

/* Entities: those with files are found among the scan's, implicit ones
 * are made again; the lists keep the scan's first, then the implicit. */
static int load_entities(struct site *s, struct cf_reader *r, struct entity ***order,
                         size_t *n_order)
{
	uint64_t n = cf_get_u64(r);
	if (!cf_ok(r) || n > (uint64_t)(r->end - r->p))
		return -1;
	*order = xcalloc(n ? n : 1, sizeof **order);
	*n_order = 0;
	s->implicit = hs_table_new();
	struct hs_table *files = file_entities(s);
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		int kind = (int)cf_get_u64(r);
		char *slug = cf_get_str(r);
		int has_file = (int)cf_get_u64(r);
		char *name = has_file ? NULL : cf_get_str(r);
		struct entity *e = NULL;
		if (!slug || (kind != ENT_TOPIC && kind != ENT_PERSON) || (!has_file && !name)) {
			r->ok = 0;
		} else if (has_file) {
			e = file_entity(s, files, kind, slug);
			if (!e)
				r->ok = 0; /* the scan does not have it: not the same files */
		} else {
			e = site_implicit_new((enum entity_kind)kind, slug, name);
			char *key = site_entity_key((enum entity_kind)kind, slug);
			hs_put(s->implicit, key, (uint64_t)(uintptr_t)e, 0);
			free(key);
			site_list_entity(s, e);
		}
		if (e && cf_ok(r)) {
			load_shell(s, r, TR_ENTITY, e, &e->data, e->layer, &e->obj);
			(*order)[(*n_order)++] = e;
		}
		free(slug);
		free(name);
	}
	hs_table_free(files);
	return cf_ok(r) ? 0 : -1;
}

static int load_objects(struct site *s, struct cf_reader *r)
{
	uint64_t n = cf_get_u64(r);
	if (!cf_ok(r) || n > (uint64_t)(r->end - r->p))
		return -1;
	for (uint64_t i = 0; i < n && cf_ok(r); i++) {
		char *kind = cf_get_str(r), *key = cf_get_str(r);
		if (!kind || !key) {
			r->ok = 0;
		} else {
			struct sobject *o = site_object(s, kind, key);
			/* made fresh by site_object: its id is the cache's */
			tr_kill(s->track, o->obj);
			site_view_free(o->view, o->layer);
			o->view = NULL;
			load_shell(s, r, TR_OBJECT, o, &o->view, o->layer, &o->obj);
		}
		free(kind);
		free(key);
	}
	return cf_ok(r) ? 0 : -1;
}

static struct article *load_article(struct site *s, struct cf_reader *r)
{
	char *path = cf_get_str(r);
	uint64_t prefix = cf_get_u64(r);
	if (!path || !cf_ok(r) || prefix + 3 > strlen(path)) {
		free(path);
		r->ok = 0;
		return NULL;
	}
	struct article *a = article_new(path, (size_t)prefix);
	a->fresh = 0;
	a->size = cf_get_i64(r);
	a->mtime_ns = cf_get_i64(r);
	a->ino = cf_get_u64(r);
	a->hash = cf_get_u64(r);
	a->title = cf_get_str(r);
	a->slug = cf_get_str(r);
	a->slug_line = (int)cf_get_i64(r);
	a->slug_col = (int)cf_get_i64(r);
	a->url = cf_get_str(r);
	a->url_hashed = NULL;
	load_date(r, &a->date);
	a->draft = (int)cf_get_i64(r);
	a->publish_at = cf_get_i64(r);
	a->expires = cf_get_i64(r);
	const char *meta = r->p;
	a->meta = cf_get_value(r);
	a->cached_meta = meta;
	a->cached_meta_len = (size_t)(r->p - meta);
	a->words = (size_t)cf_get_u64(r);
	a->body_line = (int)cf_get_i64(r);
	a->body_ok = (int)cf_get_i64(r);
	diag_free(a->diag);
	a->diag = diag_load(r);
	a->published = (int)cf_get_i64(r);
	a->rank = (size_t)cf_get_u64(r);
	a->ranked = cf_get_i64(r);
	if (cf_ok(r) && load_shell(s, r, TR_ARTICLE, a, &a->data, a->layer, &a->obj) != 0)
		r->ok = 0;
	for (int k = 0; k < 2 && cf_ok(r); k++) {
		uint64_t n = cf_get_u64(r);
		if (n > (uint64_t)(r->end - r->p)) {
			r->ok = 0;
			break;
		}
		struct entity **list = xcalloc(n ? n : 1, sizeof *list);
		for (uint64_t i = 0; i < n && cf_ok(r); i++)
			if (!(list[i] = entity_by_id(s, (uint32_t)cf_get_u64(r))))
				r->ok = 0;
		if (k == 0) {
			a->topics = list;
			a->n_topics = (size_t)n;
		} else {
			a->people = list;
			a->n_people = (size_t)n;
		}
	}
	if (!cf_ok(r) || (a->meta && val_type(a->meta) != VAL_MAP)) {
		r->ok = 0;
		article_free(a);
		return NULL;
	}
	return a;
}

int site_load(struct site *s, struct cf_reader *r)
{
	r->view = view_of_id;
	r->ctx = s;
	/* the site map and the lookups keep the maps site_open made, with the
	 * cache's ids */
	uint32_t site_id = (uint32_t)cf_get_u64(r), lookup_id = (uint32_t)cf_get_u64(r);
	if (!cf_ok(r) || tr_attach(s->track, site_id, TR_SITE, s) != 0 ||
	    tr_attach(s->track, lookup_id, TR_SITE, s) != 0)
		return -1;
	s->obj = site_id;
	s->lookup_obj = lookup_id;
	for (int i = 0; i < VIEW_LAYERS; i++)
		val_set_obj(s->site_layer[i], site_id);
	val_set_obj(s->site_data, site_id);
	struct entity **entities = NULL;
	size_t n_entities = 0;
	int rc = load_entities(s, r, &entities, &n_entities);
	if (rc == 0)
		rc = load_objects(s, r);
	/* the scan's articles give way to the cache's (the update after this
	 * one compares them with the files) */
	for (size_t i = 0; i < s->n_all; i++)
		article_free(s->all[i]);
	s->n_all = s->n_articles = 0;
	uint64_t n = rc == 0 ? cf_get_u64(r) : 0;
	if (rc == 0 && (!cf_ok(r) || n > (uint64_t)(r->end - r->p)))
		rc = -1;
	if (rc == 0) {
		s->all = xrealloc(s->all, (n ? n : 1) * sizeof *s->all);
		s->articles = xrealloc(s->articles, (n ? n : 1) * sizeof *s->articles);
		for (uint64_t i = 0; i < n && cf_ok(r); i++) {
			struct article *a = load_article(s, r);
			if (a) {
				a->scan = (size_t)i;
				a->cached_at = (size_t)i + 1;
				s->all[s->n_all++] = a;
			}
		}
		uint64_t np = cf_get_u64(r);
		if (np > s->n_all)
			r->ok = 0;
		for (uint64_t i = 0; i < np && cf_ok(r); i++) {
			uint64_t at = cf_get_u64(r);
			if (at >= s->n_all)
				r->ok = 0;
			else
				s->articles[s->n_articles++] = s->all[at];
		}
		rc = cf_ok(r) ? 0 : -1;
	}
	for (size_t i = 0; rc == 0 && i < n_entities; i++) {
		struct entity *e = entities[i];
		read_view(r, s, &e->cached, e->data, e->layer, e->meta, e->obj);
	}
	for (size_t i = 0; rc == 0 && i < s->n_objects; i++)
		read_view(r, s, &s->objects[i]->cached, s->objects[i]->view, s->objects[i]->layer, NULL,
		          s->objects[i]->obj);
	for (size_t i = 0; rc == 0 && cf_ok(r) && i < s->n_all; i++) {
		struct article *a = s->all[i];
		struct cf_reader sub, *in = cf_get_item(r, &sub);
		const char *from = in->p;
		load_view(in, s, a->data, a->layer, a->meta);
		a->page = page_load(in);
		a->cached = (struct view_bytes){from, (size_t)(in->p - from), a->data, a->obj};
		cf_item_end(r, in);
		a->cached_page = a->page;
		a->cached_serial = a->page ? a->page->serial : 0;
	}
	s->cached_tick = tr_now(s->track);
	s->n_cached = s->n_all;
	struct value *base = rc == 0 ? cf_get_value(r) : NULL;
	struct value *now = val_copy(s->site_layer[0]);
	val_free(val_take(now, "params"));
	if (cf_ok(r) && !val_equal(base, now))
		tr_changed(s->track, s->obj, TR_ALL);
	val_free(now);
	val_free(base);
	for (int i = 1; rc == 0 && cf_ok(r) && i <= VIEW_LAYERS; i++) {
		struct value *m = cf_get_value(r);
		struct value *into = i < VIEW_LAYERS ? s->site_layer[i] : s->site_data;
		for (size_t k = 0; cf_ok(r) && k < val_len(m); k++) {
			size_t len;
			const char *key = val_key_at(m, k, &len);
			val_setn(into, key, len, val_copy(val_at(m, k)));
		}
		val_free(m);
	}
	if (rc == 0)
		s->resolved_at = (uint32_t)cf_get_u64(r);
	free(entities);
	return rc == 0 && cf_ok(r) ? 0 : -1;
}
