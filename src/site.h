/* site.h: the site model: configuration (site.yml), the content scan, and
 * the articles, topics and people it holds, plus the pages to render.
 * Grouping (editions, indexes) is not done here: the Lua scripts do it
 * through lua_site.c. This module loads, resolves names to entities and
 * builds each item's template view. The structs are shared by the pipeline
 * stages (site, lua_site, render), which is why they are public. */
#ifndef BRIEFING_SITE_H
#define BRIEFING_SITE_H

#include <stddef.h>

#include "date.h"
#include "diag.h"
#include "track.h"
#include "value.h"

struct cmark_node;
struct hs_table;
struct st_step;

#define SITE_MAX_WIDTHS 8

struct site_config {
	char *dir;        /* site folder as given, "" for the current one */
	char *title;
	char *base_url;   /* "https://example.org/briefs/" (always ends in "/"), or "" */
	char *language;
	char *timezone;   /* "UTC", "+01:00" style offset or a zone name */
	int tz_offset_min; /* the fixed offset, or the zone's offset now */
	struct tz *zone;  /* the named zone (owned), or NULL */
	char *theme;
	char *output;     /* output folder path (relative to cwd once resolved) */
	int unsafe;       /* raw HTML in Markdown */
	int smart;        /* typographic quotes and dashes (`smart:`, default on) */
	int robots;       /* write robots.txt (`robots:`, default on) */
	int clean_urls;   /* 1: "x/" is x/index.html; 0: x.html, for hosts without indexes */
	int relative_index; /* with clean_urls: links to "x/" written "x/index.html", so the
	                     * output opens from disk (relative_index: true, --for-file) */
	int drafts;       /* include draft: true */
	int future;       /* include articles dated or scheduled after `now` */
	long long now;    /* the build's "now" (epoch seconds): the clock, or --as-of */
	/* images: resized copies for srcset (site.yml `images:`) */
	int srcset;       /* `srcset:`, default on (it does nothing without libgd) */
	unsigned img_widths[SITE_MAX_WIDTHS]; /* `widths:`, ascending, no repeats */
	size_t n_img_widths;
	char *img_sizes;  /* `sizes:`, the <img> sizes attribute as written (unescaped) */
	int resize;       /* this run makes the copies: build or serve, srcset on, libgd */
	char *img_cache;  /* the folder that keeps them, or NULL (made anew each time) */
	struct value *yaml; /* all of site.yml (a map) */
};

/* Shared views come in layers (see steps.h): layer[0] is what the engine
 * made (resolve), layer[1] what emit steps set, layer[2] what group steps
 * set, and the top map, which pages reference and templates read, what
 * finish steps and site hooks set. Each map lies over the one below it
 * (val_map_over), and all four carry the view's object id (track.h). */
#define VIEW_LAYERS 3

enum entity_kind { ENT_TOPIC, ENT_PERSON };

/* A view's bytes as the build cache had them (sitecache.c; an article's
 * page's bytes follow its view's), saved again as they are while the view
 * is the one read and has not changed since. */
struct view_bytes {
	const char *at;           /* NULL: not read from the cache, or a new base */
	size_t len;
	const struct value *view; /* the top layer they were read into */
	uint32_t obj;
};

/* A topic or person file's parse as a build cache keeps it: its front
 * matter, each value with its line:col, then its body's HTML (site_memo
 * in sitecache.c). at points into own, or into a cache file read. */
struct parse_memo {
	const char *at; /* NULL: none (the file is parsed again next time) */
	size_t len;
	char *own;
};

/* A topic or a person: from a file in content/topics or content/people,
 * or implicit (named by an article without a file of its own). */
struct entity {
	enum entity_kind kind;
	char *slug;
	char *name;        /* topic title or person name */
	char *url;         /* "topics/sanctions/" */
	char *path;        /* source file, NULL when implicit */
	struct value *meta; /* front matter map (never NULL) */
	struct value *data; /* template view: the top layer, NULL until resolved */
	struct value *layer[VIEW_LAYERS];
	uint32_t obj;
	int line;          /* where it was first named, for messages */
	struct view_bytes cached;
	struct parse_memo memo; /* its file's parse, for the next build cache */
};

struct article {
	char *path;        /* display path: "content/articles/2017/x.md" */
	char *rel;         /* below content/articles, without ".md": "2017/x" */
	int bundle;        /* a page bundle, "2017/x/index.md": rel is "2017/x", its
	                    * images are the files beside index.md */
	char *slug;
	int slug_line, slug_col; /* where front matter set the slug; 1:1 when it did not */
	char *url;         /* "articles/2017/x/" */
	uint64_t url_hash; /* resolve.c: of url, when url_hashed is url */
	const char *url_hashed;
	char *title;
	struct date date;
	int draft;
	long long publish_at, expires; /* epoch seconds, 0 when not set */
	struct value *meta;  /* front matter map, as filters left it */
	struct value *old_meta; /* the last parse's, until the view is remade (buried) */
	struct value *data;  /* template view: the top layer, made by site_resolve */
	struct value *layer[VIEW_LAYERS];
	uint32_t obj;
	struct cmark_node *doc; /* body tree between parse and render, else NULL */
	char *html;          /* body HTML until moved into data */
	const struct value *content; /* or the body HTML as a string owned elsewhere
	                              * (serve's cache, see cache.h), referenced from data */
	const char *spilled; /* or in the build's spill (spill.h), until moved into data */
	size_t spilled_len;
	uint64_t spill_at;   /* where parse_one put it (in_spill) until the spill is sealed */
	int in_spill;
	size_t words;        /* words in the body (for word_count, reading_time) */
	size_t rank;         /* after site_resolve: position in the site, newest first */
	size_t scan;         /* position in the scan (s->all) */
	int fresh;           /* parsed (1) or its entities changed (2) since the last
	                      * site_resolve: its view is remade */
	int body_ok;         /* its body was parsed and rendered */
	int assets;          /* its image folder: 0 not looked at since it was parsed,
	                      * 1 none, 2 copied (build.c's finish) */
	uint64_t lastmod;    /* sitemap.c: a hash of what makes its lastmod, 0 not yet */
	long long ranked;    /* the date its rank was last found with */
	int moved;           /* its place in the site changed in the last resolve */
	long long size, mtime_ns; /* its file when it was parsed, */
	unsigned long long ino;   /* to tell a changed one without reading it */
	uint64_t hash;       /* and its bytes */
	int published;       /* in s->articles after the last site_resolve */
	struct page *page;   /* its page, while published (owned) */
	struct st_step *emit; /* its emit step (steps.c), once run */
	int body_line;       /* file line of the body's first line (node lines add to it) */
	struct entity **topics, **people;
	size_t n_topics, n_people;
	struct diag *diag;   /* this article's messages (merged in order later) */
	/* The build cache's bytes for its view and page (sitecache.c): saved
	 * again as they are while both stay as they were read (same maps, same
	 * page, no field changed since the cache's tick). */
	struct view_bytes cached;
	const struct page *cached_page;
	uint64_t cached_serial;
	size_t cached_at;    /* its position in the cache's scan + 1; 0: not read from it */
	/* and its front matter's, saved again as they are until it is parsed
	 * again (NULL: none) */
	const char *cached_meta;
	size_t cached_meta_len;
};

struct page {
	uint64_t serial;   /* a new number for every page made: a page kept
	                    * from one update to the next keeps its number */
	char *url;         /* site-relative, "" for home, "topics/x/", "404.html" */
	char *template;    /* template name, e.g. "topic" */
	char *kind;        /* "home", "article", ... */
	char *title;
	struct value *data; /* top-level template keys of this page (owned), or NULL
	                     * while they are packed: */
	const char *packed; /* the same encoded as the build cache writes a value
	                     * (page_pack): a keyed step's page holds bytes, not a
	                     * tree, until a render reads them (page_data) */
	size_t packed_len;
	int packed_own;     /* packed is the page's (else the mapped cache's) */
	char *source;      /* what made it (script or article path), for messages */
	char *file;        /* its output file, once build.c asked (page_file), for */
	int file_clean;    /* this clean_urls */
	uint64_t file_hash; /* of file, never 0 */
	uint64_t theme_ok; /* build.c: the serial of the theme its template was found in */
	uint64_t listed;   /* sitemap.c: its part of the sitemap's fingerprint, 0 not yet */
	void *rec;         /* pages.c: its record, found in the set of rec_epoch */
	uint64_t rec_epoch;
};

/* An object keyed steps make (site:object(kind, key)): a map of fields that
 * pages share, as they share articles, topics and people. */
struct sobject {
	char *kind, *key;
	struct value *view;  /* the top layer */
	struct value *layer[VIEW_LAYERS];
	uint32_t obj;
	struct view_bytes cached;
};

struct site {
	struct site_config cfg;
	struct article **all;      /* every article file, in scan order (owned) */
	size_t n_all;
	struct article **articles; /* the scan's order, then after site_resolve the
	                            * published ones, newest first */
	size_t n_articles;
	struct entity **topics, **people; /* those with files first, then implicit ones */
	size_t n_topics, n_people;
	size_t n_file_topics, n_file_people;
	struct value *lookup;   /* "topic:<lower name/slug>" / "person:..." -> index */
	struct value *file_lookup; /* the same for entities with files only */
	struct hs_table *folders;  /* the folders the last listing of content/articles
	                            * found (site_list_articles), NULL before one */
	struct hs_table *implicit; /* "t:slug" / "p:slug" -> implicit entity, between resolves */
	size_t n_buried_implicit;
	int names_dirty;        /* the published set changed: resolve names again */
	struct grave *grave;    /* what goes once an update is over */
	struct value *site_data; /* the template `site` map (the top layer) */
	struct value *site_layer[VIEW_LAYERS];
	uint32_t obj;
	uint32_t lookup_obj;    /* changes when names find other entities (implicit ones came or went) */
	struct track *track;    /* the ids of views (track.h) */
	uint32_t resolved_at;   /* when briefs' pages last met their summaries (0: never) */
	uint32_t cached_tick;   /* the clock when the build cache was read (0: not read) */
	size_t n_cached;        /* the articles it had */
	struct page **pages;    /* every page, in order (not owned) */
	size_t n_pages, cap_pages;
	struct page **own;      /* the pages the site owns (others are the steps') */
	size_t n_own, cap_own;
	struct sobject **objects; /* in the order made */
	size_t n_objects;
	struct value *object_index; /* "kind\nkey" -> position in objects */
	struct diag *diag;
	char *tool_dir;         /* folder with the tool's own scripts/ and themes/ */
	/* a build cache's parses of entity files, by path, for the next scan
	 * to decode instead of parsing (it frees them); and whether the scan
	 * keeps each file's parse on its entity for the next cache */
	struct hs_table *memo_paths; /* path -> index in memos */
	struct parse_memo *memos;   /* borrowed bytes */
	int keep_memos;
	size_t n_memos_read;        /* files the last scans did not parse */
};

/* Things that may still be referenced until an update is over (old views,
 * front matter, pages): site_bury keeps p and frees it with fn at
 * site_dig. */
struct grave;
void site_bury(struct site *s, void *p, void (*fn)(void *));
void site_dig(struct site *s);
/* Calls fn(ctx, p) for everything buried (to forget it elsewhere first). */
void site_grave_each(const struct site *s, void (*fn)(void *ctx, const void *p), void *ctx);

/* Reads SITE_DIR/site.yml. Returns NULL after reporting errors. */
struct site *site_open(const char *dir, struct diag *d);
void site_free(struct site *s);

/* A date in the site's time zone: a value without an offset takes the
 * one in force on its own day (date_parse_zone). */
int site_date_parse(const struct site *s, const char *text, struct date *out);
/* Now (date_now) as a date in the site's time zone. */
void site_date_now(const struct site *s, struct date *out);

/* What the command line sets over site.yml (build and serve flags). */
struct site_overrides {
	const char *tool_dir; /* the tool's scripts/ and themes/, or NULL (copied) */
	const char *base_url; /* NULL: site.yml's; a missing final "/" is added */
	const char *output;   /* NULL: site.yml's */
	int drafts;           /* include draft: true */
	int future;           /* include future-dated and scheduled articles */
	int clean_urls;       /* -1: site.yml's; 0 or 1 */
	int relative_index;   /* -1: site.yml's; 1: --for-file */
	long long now;        /* the build's "now" (epoch seconds); 0: the clock */
	int resize;           /* make resized copies for srcset (build, serve; not check) */
	const char *img_cache; /* where they are kept (NULL: nowhere) */
};
/* Applies o to s's configuration and to the template `site` map; once,
 * right after site_open. The strings are copied. */
void site_override(struct site *s, const struct site_overrides *o);
/* An article for the file at path (taken; its name starts at prefix, past
 * "content/articles/"), not yet parsed. */
struct article *article_new(char *path, size_t prefix);
void article_free(struct article *a);
void entity_free(struct entity *e);

/* The Markdown files directly in the site's folder rel ("content/pages"),
 * in name order, as paths to free (an array to free; NULL when none).
 * Symlinks out of the site are refused, in s->diag. */
char **site_list_md(struct site *s, const char *rel, size_t *n);
/* Reads a content file: its front matter map, and its body as HTML in
 * *html (caller frees both). NULL after reporting to d. Thread-safe. */
struct value *site_load_file(const struct site *s, const char *path, char **html,
                             struct diag *d);

/* Lists content/articles/ (recursively), people and topics; loads people
 * and topics. Article files are only listed here (parsed in parallel). */
int site_scan(struct site *s);
/* site_scan without the articles (a build that reads them from its cache
 * lists them when it compares them with the files). */
int site_scan_entities(struct site *s);
/* The article files under content/articles/, in scan order (each folder's
 * names sorted, depth first), as paths to free; *prefix is where the name
 * below content/articles/ starts in each. Problems go to s->diag. */
char **site_list_articles(struct site *s, size_t *n, size_t *prefix);

/* Reads and parses one article file: front matter, required keys, body tree.
 * Messages go to a->diag. Returns 0 or -1. Thread-safe (no shared writes). */
int article_parse(const struct site *s, struct article *a);
/* The same for the text of an article file already in memory (a->path is
 * only used in messages). */
int article_parse_text(const struct site *s, struct article *a, const char *text, size_t len);
/* Renders a->doc to a->html (and frees nothing: the caller releases doc). */
void article_render_body(const struct site *s, struct article *a);

/* After articles are parsed and filtered (all of them, or those fresh
 * since the last call): keeps the published ones (drafts only when asked,
 * scheduled ones when due), resolves topic and people names to entities
 * (making implicit ones, and dropping those no article names any more),
 * checks URL collisions, sorts newest first, and brings views and article
 * pages up to date: a view is remade for a fresh article or one whose
 * entities changed, and every field that differs is stamped (track.h).
 * Each article's messages are added to s->diag. Returns the errors. */
int site_resolve(struct site *s);
/* After the steps: the pages of briefs whose summary a step changed are
 * made again, and the next update looks only at summaries changed after
 * now (else it opens every view a first build's steps wrote to). */
void site_steps_done(struct site *s);
/* Forgets article a (its file is gone): its view and page are buried. */
void site_drop_article(struct site *s, struct article *a);
/* Resets a for a new parse of its file: what it held is buried. */
void article_reset(struct site *s, struct article *a);

/* A new view of owner in layers over base (a map it takes): sets layer
 * and *obj, returns the top map. */
struct value *site_view_new(struct site *s, enum tr_kind kind, void *owner, struct value *base,
                            struct value **layer, uint32_t *obj);
/* "t:slug" or "p:slug": an entity's key in s->implicit (caller frees). */
char *site_entity_key(enum entity_kind kind, const char *slug);
/* A new implicit entity (no file): slug, name, URL and an empty meta. */
struct entity *site_implicit_new(enum entity_kind kind, const char *slug, const char *name);
/* Appends e to the site's topics or people (by its kind). */
void site_list_entity(struct site *s, struct entity *e);
/* Frees a view's four maps. */
void site_view_free(struct value *top, struct value **layer);
/* The map of the view whose top is top at stage 0..3 (3: the top itself),
 * or NULL when top is not a view. */
struct value *site_layer_of(const struct site *s, const struct value *top, int stage);
/* The same by the view's object id (NULL once it is gone). */
struct value *site_layer_by_id(const struct site *s, uint32_t id, int stage);

/* A page not yet in any site (owns data). page_free(NULL) is a no-op. */
struct page *page_new(const char *url, const char *template, const char *kind,
                      const char *title, struct value *data, const char *source);
/* A page as the build cache had it: takes the five strings (malloc'd),
 * with its serial, and neither data nor packed bytes yet. */
struct page *page_take(uint64_t serial, char *url, char *template, char *kind, char *title,
                       char *source);
void page_free(struct page *p);
/* Adds p (the site owns it from now on). */
void site_push_page(struct site *s, struct page *p);
/* Lists p, owned elsewhere, among the site's pages. */
void site_list_page(struct site *s, struct page *p);
/* The object kind/key, made empty on first use. Thread-safe. */
struct sobject *site_object(struct site *s, const char *kind, const char *key);
/* The owner of a view's object id (an article, entity or object), or NULL;
 * safe while steps on other threads make objects. */
void *site_owner(struct site *s, uint32_t id, enum tr_kind *kind);

/* The build cache (sitecache.c): every article, entity, script object and
 * view with its object id. site_load reads into a site fresh from
 * site_open and site_scan of the same files, after tr_load; it returns 0,
 * or -1 for a cache that does not fit (the site is then to be dropped). */
struct cf_writer;
struct cf_reader;
void site_save(const struct site *s, struct cf_writer *w);
int site_load(struct site *s, struct cf_reader *r);
/* The entities' parses (parse_memo), path and bytes each; site_load_memos
 * reads them into *paths and *memos (to free, or to give to a site as its
 * memo_paths and memos before its scan). The bytes are items: in a base,
 * they stay there. -1 for bytes that do not read. */
void site_save_memos(const struct site *s, struct cf_writer *w);
int site_load_memos(struct cf_reader *r, struct hs_table **paths, struct parse_memo **memos);
/* A file's parse as bytes (its memo's own), or from them: 0, or -1 for
 * bytes that do not decode (meta and html untouched) or a value that
 * cannot be kept. Strings of the meta made point into the bytes. */
int site_memo_make(struct parse_memo *m, const struct value *meta, const char *html);
int site_memo_read(const struct parse_memo *m, struct value **meta, char **html);
void page_save(struct cf_writer *w, const struct page *p); /* NULL allowed */
struct page *page_load(struct cf_reader *r);
/* A keyed step's page: its data packed, with their length (page_load_packed
 * keeps the cache's bytes as they are, not decoded). */
void page_save_packed(struct cf_writer *w, const struct page *p);
struct page *page_load_packed(struct cf_reader *r);
/* v encoded as the build cache writes a value (cf_value), in a block of
 * *len bytes the caller frees; NULL when it cannot be (a lambda). */
char *site_pack(const struct value *v, size_t *len);
/* A value with its length first, as a reader keeps it without decoding:
 * tree encoded when there is one (else w fails: a lambda), else packed as
 * it is (none when NULL). */
void site_save_packed(struct cf_writer *w, const struct value *tree, const char *packed,
                      size_t len);
/* Bytes site_pack made (or the cache holds) as a tree, references found
 * by object id (safe on many threads at once); borrow: its strings point
 * into the bytes, which must outlive it. NULL when they do not decode. */
struct value *site_unpack(const struct site *s, const char *bytes, size_t len, int borrow);
/* Encodes p's data and frees the tree; data that cannot be encoded (a
 * lambda) stays a tree. */
void page_pack(struct page *p);
/* p's data: the tree, or one decoded from its bytes into *own (the
 * caller frees it; NULL when they do not decode). Safe on many threads at
 * once. */
const struct value *page_data(const struct site *s, const struct page *p, struct value **own);
/* Makes p's data a tree for good (a whole-site hook may change it). */
void page_unpack(const struct site *s, struct page *p);
/* Do two pages hold the same data? (Packed: the same bytes.) */
int page_same_data(const struct page *a, const struct page *b);
/* Later pages get serials above n (pages read back keep theirs). */
void page_serial_at_least(uint64_t n);

/* Adds a page (the site owns it). Returns it. */
struct page *site_add_page(struct site *s, const char *url, const char *template,
                           const char *kind, const char *title, struct value *data,
                           const char *source);

/* Finds an entity by slug, name or alias (case-insensitive). */
struct entity *site_find(const struct site *s, enum entity_kind kind, const char *name);

/* The slug of a name or title, the one rule for C and briefing.slugify:
 * "Kim Jong Un" -> "kim-jong-un", "Élysée" -> "élysée" (lower case for
 * Latin-1, Latin Extended-A, Greek and Cyrillic; other letters kept),
 * apostrophes and full stops dropped, every other ASCII mark, %, curly
 * quote, guillemet, dash and ellipsis parting words. Caller frees. */
char *slugify(const char *s);
/* Joins the site folder and a relative path for display and open(). */
char *site_path(const struct site *s, const char *rel);
/* The URL a page is reached at: its URL with clean URLs, else the file
 * ("topics/x/" -> "topics/x.html", "" -> "index.html"). Caller frees. */
char *site_public_url(const struct site *s, const char *url);
/* The Markdown flags (markdown.h) site.yml asks for: unsafe, smart. */
int site_md_flags(const struct site *s);
/* Sets map's "permalink": base_url + the public URL of url. */
void site_set_permalink(const struct site *s, struct value *map, const char *url);
/* The relative prefix from a page URL to the site root: "articles/x/" -> "../../". */
void url_root(buf *b, const char *page_url);

#endif
