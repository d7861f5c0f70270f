/* render.h: a theme (compiled templates + static folders) and the page
 * renderer: page -> context stack -> HTML. The site's own templates/ and
 * static/ override the theme's file by file. Rendering is thread-safe. */
#ifndef BRIEFING_RENDER_H
#define BRIEFING_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "site.h"

struct theme;

/* Loads themes/<cfg.theme>/ from the site, else from the tool folder, and
 * the site's templates/. NULL after reporting errors. */
struct theme *theme_load(const struct site *s, struct diag *d);
void theme_free(struct theme *t);
int theme_has(const struct theme *t, const char *name);
/* A number no other theme loaded by this process has. */
uint64_t theme_serial(const struct theme *t);
/* mst_reach of template name: how deep into its data it can read (-1: no bound). */
int theme_reach(const struct theme *t, const char *name);
/* The set of keys template name can look up (mst_names), as a table whose
 * keys are the names (caller frees). */
struct hs_table *theme_names(const struct theme *t, const char *name);
/* Copies the theme's static/ and then the site's static/ into the output. */
int theme_copy_static(const struct theme *t, struct output *o, struct diag *d);

/* Renders page p to out. Returns 0 or -1 after reporting to d. */
int render_page(const struct theme *t, const struct site *s, const struct page *p, buf *out,
                struct diag *d);
/* Template names are spread over THEME_OBJS tracked objects of 64 bits
 * each, so that a page depends on the templates it looks for and, by
 * chance, on a few others: with one object, "layout" and "article" had
 * the same bit, and an edit of the article template rendered every page
 * again. theme_slot says which object and bit a name has. */
#define THEME_OBJS 16
void theme_slot(const char *name, size_t len, unsigned *obj, uint64_t *bit);

/* What a render read, for incremental builds: (object, field) for every
 * name looked up in a view, (theme object, template name) for every
 * template and partial looked for; volatile_ is set when a lambda ran. */
struct tr_log;
struct render_trace {
	struct tr_log *reads;
	const uint32_t *theme_objs; /* THEME_OBJS */
	int volatile_;
};
int render_page_traced(const struct theme *t, const struct site *s, const struct page *p,
                       buf *out, struct diag *d, struct render_trace *trace);
/* What a theme's templates were (name -> hash of file and text), and the
 * template names whose text or file differs in another load (before may
 * be NULL: all of them), as bits of each theme object (theme_slot). */
const struct value *theme_prints(const struct theme *t);
void theme_changes(const struct value *before, const struct theme *after,
                   uint64_t bits[THEME_OBJS]);
/* The output file of a page URL: "" -> "index.html", "x/" -> "x/index.html",
 * "404.html" -> "404.html". Caller frees. */
char *render_file_name(const char *url);
/* The output file of a page URL under the site's clean_urls setting. */
char *render_page_file(const struct site *s, const char *url);
/* Without clean URLs: html with every link into the site pointing at a
 * file ("x/" -> "x.html"), appended to out. */
void render_unclean_links(const struct site *s, const buf *html, buf *out);
/* Writes every variable path each page kind receives ("article\tarticle.title\tstring"),
 * for the documentation check (BRIEFING_DUMP_VARS). */
void render_dump_vars(const struct site *s, FILE *fp);

#endif
