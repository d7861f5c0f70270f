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
struct st_step;

struct site_config {
	char *dir;        /* site folder as given, "" for the current one */
	char *title;
	char *base_url;   /* "https://example.org/briefs/" (always ends in "/"), or "" */
	char *language;
	char *timezone;   /* "+01:00" style offset or "UTC" */
	int tz_offset_min;
	char *theme;
	char *output;     /* output folder path (relative to cwd once resolved) */
	int unsafe;       /* raw HTML in Markdown */
	int clean_urls;   /* 1: "x/" is x/index.html; 0: x.html, for hosts without indexes */
	int drafts;       /* include draft: true */
	int future;       /* include articles dated or scheduled after `now` */
	long long now;    /* the build's "now" (epoch seconds): the clock, or --as-of */
	struct value *yaml; /* all of site.yml (a map) */
};

/* Shared views come in layers (see steps.h): layer[0] is what the engine
 * made (resolve), layer[1] what emit steps set, layer[2] what group steps
 * set, and the top map, which pages reference and templates read, what
 * finish steps and site hooks set. Each map lies over the one below it
 * (val_map_over), and all four carry the view's object id (track.h). */
#define VIEW_LAYERS 3

enum entity_kind { ENT_TOPIC, ENT_PERSON };

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
};

struct article {
	char *path;        /* display path: "content/articles/2017/x.md" */
	char *rel;         /* below content/articles, without ".md": "2017/x" */
	char *slug;
	int slug_line, slug_col; /* where front matter set the slug; 1:1 when it did not */
	char *url;         /* "articles/2017/x/" */
	char *title;
	struct date date;
	int draft;
	long long publish_at, expires; /* epoch seconds, 0 when not set */
	struct value *meta;  /* front matter map, as filters left it */
	struct value *data;  /* template view: the top layer, made by site_resolve */
	struct value *layer[VIEW_LAYERS];
	uint32_t obj;
	struct cmark_node *doc; /* body tree between parse and render, else NULL */
	char *html;          /* body HTML until moved into data */
	const struct value *content; /* or the body HTML as a string owned elsewhere
	                              * (serve's cache, see cache.h), referenced from data */
	size_t words;        /* words in the body (for word_count, reading_time) */
	size_t rank;         /* after site_resolve: position in the site, newest first */
	struct st_step *emit; /* its emit step (steps.c), once run */
	int body_line;       /* file line of the body's first line (node lines add to it) */
	struct entity **topics, **people;
	size_t n_topics, n_people;
	struct diag *diag;   /* this article's messages (merged in order later) */
};

struct page {
	uint64_t serial;   /* a new number for every page made: a page kept
	                    * from one update to the next keeps its number */
	char *url;         /* site-relative, "" for home, "topics/x/", "404.html" */
	char *template;    /* template name, e.g. "topic" */
	char *kind;        /* "home", "article", ... */
	char *title;
	struct value *data; /* top-level template keys of this page (owned) */
	char *source;      /* what made it (script or article path), for messages */
};

/* An object keyed steps make (site:object(kind, key)): a map of fields that
 * pages share, as they share articles, topics and people. */
struct sobject {
	char *kind, *key;
	struct value *view;  /* the top layer */
	struct value *layer[VIEW_LAYERS];
	uint32_t obj;
};

struct site {
	struct site_config cfg;
	struct article **articles; /* after site_resolve: newest first */
	size_t n_articles;
	struct entity **topics, **people;
	size_t n_topics, n_people;
	struct value *lookup;   /* "topic:<lower name/slug>" / "person:..." -> index */
	struct value *site_data; /* the template `site` map (the top layer) */
	struct value *site_layer[VIEW_LAYERS];
	uint32_t obj;
	struct track *track;    /* the ids of views (track.h) */
	struct page **pages;    /* every page, in order (not owned) */
	size_t n_pages, cap_pages;
	struct page **own;      /* the pages the site owns (others are the steps') */
	size_t n_own, cap_own;
	struct sobject **objects; /* in the order made */
	size_t n_objects;
	struct value *object_index; /* "kind\nkey" -> position in objects */
	struct diag *diag;
	char *tool_dir;         /* folder with the tool's own scripts/ and themes/ */
};

/* Reads SITE_DIR/site.yml. Returns NULL after reporting errors. */
struct site *site_open(const char *dir, struct diag *d);
void site_free(struct site *s);
void article_free(struct article *a);

/* Lists content/articles/ (recursively), people and topics; loads people
 * and topics. Article files are only listed here (parsed in parallel). */
int site_scan(struct site *s);

/* Reads and parses one article file: front matter, required keys, body tree.
 * Messages go to a->diag. Returns 0 or -1. Thread-safe (no shared writes). */
int article_parse(const struct site *s, struct article *a);
/* The same for the text of an article file already in memory (a->path is
 * only used in messages). */
int article_parse_text(const struct site *s, struct article *a, const char *text, size_t len);
/* Renders a->doc to a->html (and frees nothing: the caller releases doc). */
void article_render_body(const struct site *s, struct article *a);

/* After every article is parsed and filtered: drops drafts (unless asked),
 * resolves topic and people names to entities (creating implicit ones),
 * checks URL collisions, sorts newest first, builds template views.
 * Returns the number of errors. */
int site_resolve(struct site *s);

/* A new view of owner in layers over base (a map it takes): sets layer
 * and *obj, returns the top map. */
struct value *site_view_new(struct site *s, enum tr_kind kind, void *owner, struct value *base,
                            struct value **layer, uint32_t *obj);
/* Frees a view's four maps. */
void site_view_free(struct value *top, struct value **layer);
/* The map of the view whose top is top at stage 0..3 (3: the top itself),
 * or NULL when top is not a view. */
struct value *site_layer_of(const struct site *s, const struct value *top, int stage);

/* A page not yet in any site (owns data). page_free(NULL) is a no-op. */
struct page *page_new(const char *url, const char *template, const char *kind,
                      const char *title, struct value *data, const char *source);
void page_free(struct page *p);
/* Adds p (the site owns it from now on). */
void site_push_page(struct site *s, struct page *p);
/* Lists p, owned elsewhere, among the site's pages. */
void site_list_page(struct site *s, struct page *p);
/* The object kind/key, made empty on first use. Thread-safe. */
struct sobject *site_object(struct site *s, const char *kind, const char *key);

/* Adds a page (the site owns it). Returns it. */
struct page *site_add_page(struct site *s, const char *url, const char *template,
                           const char *kind, const char *title, struct value *data,
                           const char *source);

/* Adds the page of every (resolved) article: template "article", data
 * {article, description}. */
void site_add_article_pages(struct site *s);

/* Finds an entity by slug, name or alias (case-insensitive). */
struct entity *site_find(const struct site *s, enum entity_kind kind, const char *name);

/* Lower-case ASCII slug: "Kim Jong Un" -> "kim-jong-un"; keeps UTF-8 letters. */
char *slugify(const char *s);
/* Joins the site folder and a relative path for display and open(). */
char *site_path(const struct site *s, const char *rel);
/* The URL a page is reached at: its URL with clean URLs, else the file
 * ("topics/x/" -> "topics/x.html", "" -> "index.html"). Caller frees. */
char *site_public_url(const struct site *s, const char *url);
/* Sets map's "permalink": base_url + the public URL of url. */
void site_set_permalink(const struct site *s, struct value *map, const char *url);
/* The relative prefix from a page URL to the site root: "articles/x/" -> "../../". */
void url_root(buf *b, const char *page_url);

#endif
