/* output.h: the output folder, written atomically. A build writes into a
 * fresh temporary folder beside the output and swaps it in at the end, so
 * a failed build leaves the previous site untouched. Every path written is
 * checked to stay inside the temporary folder; an output folder that looks
 * like it holds anything else (the site itself, a parent of it, $HOME, a
 * folder briefing did not make) is refused before anything is written. */
#ifndef BRIEFING_OUTPUT_H
#define BRIEFING_OUTPUT_H

#include <stddef.h>

#include "diag.h"

struct output;

/* Why dir (the output folder) must not be replaced by a build of the site
 * in site_dir ("it holds the site itself", ...), or NULL when it may be. */
const char *out_refused(const char *dir, const char *site_dir);
/* The folder the output dir lies in, where its new tree is made ("." for
 * a bare name). Caller frees. */
char *out_parent(const char *dir);
/* Prepares a build of dir (the output folder) for the site in site_dir.
 * Returns NULL after reporting why the folder is refused. */
struct output *out_begin(const char *dir, const char *site_dir, struct diag *d);
/* Live, for `serve`: files go straight into dir, each through a temporary
 * name and a rename, and only when its bytes differ from the manifest's
 * hash of what was written there before; out_commit then removes the files
 * an earlier build wrote that this one did not. The manifest (file ->
 * content hash, see hashes.h) is the caller's and outlives the build; gen
 * is this build's mark in it, different from the last build's. */
struct hs_table;
struct output *out_begin_live(const char *dir, const char *site_dir, struct hs_table *manifest,
                              unsigned gen, struct diag *d);
/* A new tree as out_begin makes, whose files are also listed in manifest
 * (emptied first) with their content hashes, for later live builds. */
struct output *out_begin_new(const char *dir, const char *site_dir, struct hs_table *manifest,
                             unsigned gen, struct diag *d);
/* Staged, for builds with a cache: like live, but new files wait under
 * temporary names beside their own until out_commit moves them all in
 * place; out_abort removes them, leaving the output as it was. A journal
 * file in dir marks the time between out_begin_staged and
 * out_journal_done (called once the build's cache is saved): a build
 * killed in between leaves it, and out_interrupted then tells the next
 * build not to trust the folder (it starts over in a new tree). */
struct output *out_begin_staged(const char *dir, const char *site_dir, struct hs_table *manifest,
                                unsigned gen, struct diag *d);
int out_interrupted(const char *dir);
void out_journal_done(const char *dir);
/* The mark of a page's file in a manifest (see out_write_page). */
#define OUT_PAGE 0x80000000u
/* Live: rel stays as the last build wrote it; anywhere else a no-op.
 * Thread-safe. A page's file needs no out_keep (see out_write_page). */
void out_keep(struct output *o, const char *rel);
/* Live: rel, a page's file, is no longer one: out_prune removes it unless
 * this build writes it again. Thread-safe. */
void out_forget(struct output *o, const char *rel);
/* Live: removes the files an earlier build wrote that this one did not
 * (out_commit does it too); elsewhere a no-op. */
void out_prune(struct output *o);
/* Live: files written and removed so far. */
void out_stats(const struct output *o, size_t *written, size_t *removed);
/* Writes rel (a relative path like "topics/x/index.html"). Thread-safe.
 * Returns 0 or -1 after reporting. */
int out_write(struct output *o, const char *rel, const char *data, size_t len, struct diag *d);
/* out_write for a page's file: with a manifest, the file stays through
 * later builds that neither write it nor out_forget it (the page was not
 * rendered again). */
int out_write_page(struct output *o, const char *rel, const char *data, size_t len,
                   struct diag *d);
/* Copies the files below src into the output root (static assets). */
int out_copy_tree(struct output *o, const char *src, struct diag *d);
/* Swaps the new tree in and starts removing the old one on a background
 * thread; frees o. Returns 0 or -1. */
int out_commit(struct output *o, struct diag *d);
/* Waits until the previous output tree is gone (call before exiting). */
void out_wait(void);
/* Before making its temporary folder, out_begin removes the ones that
 * builds killed half way left beside dir: only folders with briefing's
 * marker that no running build holds locked.
 * Drops the temporary folder; frees o. out_abort(NULL) is a no-op. */
void out_abort(struct output *o);
/* 1 when rel is a safe relative path (no "..", no leading "/", no NUL). */
int out_path_ok(const char *rel);

#endif
