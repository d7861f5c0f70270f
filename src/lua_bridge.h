/* lua_bridge.h: Lua states for filter scripts. One state per worker
 * thread (article filters) plus one on the main thread (site hooks); a
 * state is never shared between threads. Each state is sandboxed (no io,
 * no os.execute, no bytecode, text-only load, require only from the
 * site's and the tool's scripts/), memory-capped, and stopped by an
 * instruction budget per call, so a runaway filter cannot hang a build. */
#ifndef BRIEFING_LUA_BRIDGE_H
#define BRIEFING_LUA_BRIDGE_H

#include <stddef.h>

#include "diag.h"
#include "site.h"

/* The filter scripts of a site, in order, with their options: from
 * site.yml `filters:` when given, else the tool's scripts/ (*.lua) followed by
 * the site's own scripts/ (a site script replaces a tool script of the
 * same name). */
struct lb_scripts;
struct lb_scripts *lb_scripts_new(const struct site *s, struct diag *d);
void lb_scripts_free(struct lb_scripts *sc);
size_t lb_scripts_count(const struct lb_scripts *sc);
const char *lb_script_path(const struct lb_scripts *sc, size_t i);

struct lb;

/* A new state with every script loaded (each chunk run once, with its
 * options as `...`). main = 1 for the site-hook state. NULL on error
 * (reported to d). */
struct lb *lb_new(struct site *s, const struct lb_scripts *sc, int main, struct diag *d);
void lb_free(struct lb *lb);

/* Runs every script's node filters over a->doc, passing the article (its
 * metadata as `article.meta`, which filters may change; a->meta is replaced
 * by the result). Errors go to a->diag. Returns 0 or -1. */
int lb_filter_article(struct lb *lb, struct article *a);
/* Frees a->doc, first making Lua's node userdata for it dead. */
void lb_release_doc(struct lb *lb, struct article *a);

/* Main state: calls hook(site) of every script that has it, in order.
 * Returns 0 or -1 (errors reported to d). */
int lb_run_hook(struct lb *lb, const char *hook, struct diag *d);
/* Seconds script i has spent in site hooks so far (for -v). */
double lb_hook_seconds(const struct lb *lb, size_t i);
/* Zeroes them: an update reports its own times. */
void lb_hook_seconds_reset(struct lb *lb);
/* Does any script define hook? */
int lb_has_hook(struct lb *lb, const char *hook);
/* Main state: article(article, site) for every article, newest first. */
int lb_article_hooks(struct lb *lb, struct diag *d);
/* Main state: before_render(page, site), which may change the page's
 * title, template and data; or after_render(page, html, site), which may
 * return new HTML (html is replaced). Returns 0 or -1. */
int lb_page_hook(struct lb *lb, const char *hook, struct page *p, buf *html, struct diag *d);

/* Keyed steps (steps.h). Does script i have a function `name` ("start",
 * "emit")? The sorted names of the functions in its table `table`
 * ("group" or "finish"); caller frees each and the array. */
int lb_has_step(struct lb *lb, size_t script, const char *name);
char **lb_step_groups(struct lb *lb, size_t script, const char *table, size_t *n);
/* Before a stage of steps on this state: what it read of the site before
 * is forgotten; st (or NULL) holds the records site:records() and the
 * group steps read. */
struct st_state;
void lb_steps_begin(struct lb *lb, const struct st_state *st);
/* After a large update: the records lists and the items' caches go, and
 * the state collects its garbage (they come back when next read). */
void lb_trim(struct lb *lb);
/* Each calls the step with its outputs going to out (messages to
 * out->diag). Return 0 or -1. */
struct st_out;
struct st_record;
int lb_run_start(struct lb *lb, size_t script, struct st_out *out);
/* every script's emit, in order */
int lb_run_emit(struct lb *lb, struct article *a, struct st_out *out);
int lb_run_group(struct lb *lb, size_t script, const char *group, const char *key,
                 struct st_out *out);
/* Forgets what the state knows of p (an article, entity or view about to
 * be freed). */
void lb_forget(struct lb *lb, const void *p);
/* Main state: site.collections[group] = the non-nil summaries, for the
 * site hooks that run after the steps. */
void lb_set_collection(struct lb *lb, const char *group, struct value *const *summaries,
                       size_t n);
int lb_run_finish(struct lb *lb, size_t script, const char *group, const char *const *keys,
                  struct value *const *summaries, size_t n, struct st_out *out);

#endif
