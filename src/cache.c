/* cache.c: the serve cache's articles (path -> parsed and filtered copy),
 * the change rules that drop them, and the two hash tables build.c and
 * output.c use. The copies are only read while a build runs; they are
 * replaced or dropped between the parse stage and the next build, when no
 * site model refers to them. */
#include "cache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fsutil.h"
#include "hashes.h"

struct cache_article {
	char *path;
	off_t size;
	struct timespec mtime;
	uint64_t hash;        /* of the file's bytes */
	/* what article_parse and the filters left */
	char *title, *slug, *url;
	struct date date;
	int draft;
	long long publish_at, expires;
	struct value *meta;
	struct value *content; /* body HTML, a string */
	size_t words;
	int body_line;
};

struct build_cache {
	char *config;
	struct hs_table *index;  /* article path -> slot in articles */
	struct cache_article **articles;
	size_t n_articles, cap_articles;
	int drop_articles;       /* set by cache_changed, applied by cache_begin */
	int templates_changed;
	int templates_pending;
	struct hs_table *pages;
	struct hs_table *manifest;
	unsigned gen;
	int no_hashing;          /* page hashing did not pay */
};

static void snapshot_free(struct cache_article *snap)
{
	if (!snap)
		return;
	free(snap->path);
	free(snap->title);
	free(snap->slug);
	free(snap->url);
	val_free(snap->meta);
	val_free(snap->content);
	free(snap);
}

struct build_cache *cache_new(void)
{
	struct build_cache *c = xcalloc(1, sizeof *c);
	c->index = hs_table_new();
	c->pages = hs_table_new();
	c->manifest = hs_table_new();
	c->templates_changed = 1;
	return c;
}

static void drop_articles(struct build_cache *c)
{
	for (size_t i = 0; i < c->n_articles; i++)
		snapshot_free(c->articles[i]);
	c->n_articles = 0;
	hs_clear(c->index);
}

void cache_free(struct build_cache *c)
{
	if (!c)
		return;
	drop_articles(c);
	free(c->articles);
	hs_table_free(c->index);
	hs_table_free(c->pages);
	hs_table_free(c->manifest);
	free(c->config);
	free(c);
}

static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

void cache_changed(struct build_cache *c, char *const *paths, size_t n, int all)
{
	if (all) {
		c->drop_articles = 1;
		c->templates_pending = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *p = paths[i];
		if (under(p, "templates") || under(p, "themes"))
			c->templates_pending = 1;
		else if (under(p, "static") || under(p, "content/articles"))
			; /* articles are checked one by one; static files are copied */
		else if (under(p, "content") && !under(p, "content/people") &&
		         !under(p, "content/topics"))
			; /* nothing reads other files under content/ */
		else
			c->drop_articles = 1; /* scripts/, data/, site.yml, people, topics: filters read them */
	}
}

unsigned cache_begin(struct build_cache *c, const char *config)
{
	if (!c->config || strcmp(c->config, config) != 0) {
		free(c->config);
		c->config = xstrdup(config);
		c->drop_articles = 1;
		c->templates_pending = 1;
		hs_clear(c->pages);
	}
	if (c->drop_articles)
		drop_articles(c);
	c->drop_articles = 0;
	c->templates_changed = c->templates_pending;
	return ++c->gen;
}

void cache_end(struct build_cache *c, int ok)
{
	if (ok)
		c->templates_pending = 0;
}

int cache_templates_changed(const struct build_cache *c)
{
	return c->templates_changed;
}

int cache_page_hashing(const struct build_cache *c)
{
	return !c->no_hashing;
}

int cache_judge_hashing(struct build_cache *c, double hash_s, double saved_s)
{
	if (hash_s > saved_s)
		c->no_hashing = 1;
	return !c->no_hashing;
}

struct hs_table *cache_pages(struct build_cache *c)
{
	return c->pages;
}

struct hs_table *cache_manifest(struct build_cache *c)
{
	return c->manifest;
}

/* Reads path and hashes it; 0 when it cannot be read. */
static uint64_t file_hash(const char *path)
{
	buf text = BUF_INIT;
	uint64_t h = fs_read(path, &text) == 0 ? hs_bytes(text.ptr, text.len, 0) : 0;
	buf_free(&text);
	return h;
}

int cache_restore(const struct build_cache *c, struct article *a)
{
	uint64_t slot;
	if (!hs_get(c->index, a->path, &slot))
		return 0;
	struct cache_article *snap = c->articles[slot];
	struct stat st;
	if (stat(a->path, &st) != 0)
		return 0;
	if (st.st_size != snap->size || st.st_mtim.tv_sec != snap->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != snap->mtime.tv_nsec) {
		/* touched: the same bytes still need no parse (the stamp stays
		 * stale, so the file is hashed again next time; that is cheap) */
		if (st.st_size != snap->size || file_hash(a->path) != snap->hash)
			return 0;
	}
	a->title = xstrdup(snap->title);
	a->slug = xstrdup(snap->slug);
	a->url = xstrdup(snap->url);
	a->url_hashed = NULL;
	a->date = snap->date;
	a->draft = snap->draft;
	a->publish_at = snap->publish_at;
	a->expires = snap->expires;
	a->meta = val_copy(snap->meta);
	a->content = snap->content;
	a->words = snap->words;
	a->body_line = snap->body_line;
	a->body_ok = 1;
	return 1;
}

static int same_stamp(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

struct cache_article *cache_snapshot(struct article *a, const struct stat *before)
{
	if (!a->html || !a->meta || !a->title || !a->slug || !a->url ||
	    diag_count(a->diag, DIAG_NOTE) + diag_count(a->diag, DIAG_WARNING) +
	    diag_count(a->diag, DIAG_ERROR))
		return NULL; /* messages must show on every build: parse it every time */
	struct stat after;
	buf text = BUF_INIT;
	if (fs_read(a->path, &text) != 0 || stat(a->path, &after) != 0 || !same_stamp(before, &after)) {
		buf_free(&text); /* saved again meanwhile: the bytes hashed may not be those parsed */
		return NULL;
	}
	struct cache_article *snap = xcalloc(1, sizeof *snap);
	snap->path = xstrdup(a->path);
	snap->size = before->st_size;
	snap->mtime = before->st_mtim;
	snap->hash = hs_bytes(text.ptr, text.len, 0);
	buf_free(&text);
	snap->title = xstrdup(a->title);
	snap->slug = xstrdup(a->slug);
	snap->url = xstrdup(a->url);
	snap->date = a->date;
	snap->draft = a->draft;
	snap->publish_at = a->publish_at;
	snap->expires = a->expires;
	snap->meta = val_copy(a->meta);
	snap->content = val_str_own(a->html, strlen(a->html));
	a->html = NULL;
	a->content = snap->content;
	snap->words = a->words;
	snap->body_line = a->body_line;
	return snap;
}

int cache_unchanged(const struct build_cache *c, const char *site_dir, char *const *paths,
                    size_t n, int all)
{
	if (all || !n || c->drop_articles || c->templates_pending)
		return 0;
	const char *dir = strcmp(site_dir, ".") == 0 ? "" : site_dir;
	for (size_t i = 0; i < n; i++) {
		if (!under(paths[i], "content/articles"))
			return 0;
		char *path = fs_join(dir, paths[i]);
		size_t len = strlen(path);
		struct stat st;
		int same = 0;
		uint64_t slot;
		if (len > 3 && strcmp(path + len - 3, ".md") == 0) {
			same = hs_get(c->index, path, &slot) && stat(path, &st) == 0 &&
			       S_ISREG(st.st_mode) && st.st_size == c->articles[slot]->size &&
			       file_hash(path) == c->articles[slot]->hash;
		} else {
			/* not an article: only a file that is there now is surely not a
			 * folder of articles moved away */
			same = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
		}
		free(path);
		if (!same)
			return 0;
	}
	return 1;
}

void cache_store(struct build_cache *c, struct cache_article *snap)
{
	uint64_t slot;
	if (hs_get(c->index, snap->path, &slot)) {
		snapshot_free(c->articles[slot]);
		c->articles[slot] = snap;
		return;
	}
	if (c->n_articles == c->cap_articles) {
		c->cap_articles = c->cap_articles ? c->cap_articles * 2 : 256;
		c->articles = xrealloc(c->articles, c->cap_articles * sizeof *c->articles);
	}
	hs_put(c->index, snap->path, c->n_articles, 0);
	c->articles[c->n_articles++] = snap;
}
