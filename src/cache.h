/* cache.h: what `briefing serve` keeps between rebuilds so that one saved
 * file costs less than a whole build:
 *   - every article as parse + filters left it (front matter and body
 *     HTML), checked against the file's size, mtime and content hash; all
 *     dropped when anything the filters may read changes (scripts/, data/,
 *     site.yml, content/people/, content/topics/);
 *   - for every page, the hash of all its template can see (hashes.h), so
 *     a page whose inputs and templates did not change is not rendered;
 *   - the manifest of output files and their content hashes, so only
 *     changed files are written (output.h, live mode).
 * It holds no site model: each rebuild still scans, resolves and runs the
 * site hooks, which may read any article. */
#ifndef BRIEFING_CACHE_H
#define BRIEFING_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "site.h"

struct build_cache;
struct hs_table;

struct build_cache *cache_new(void);
void cache_free(struct build_cache *c);

/* Tells the cache what changed since the last build: site-relative paths,
 * or all (unknown, or a forced full rebuild). */
void cache_changed(struct build_cache *c, char *const *paths, size_t n, int all);

/* 1 when none of the changes can change the site: every path is an article
 * whose bytes are those cached (a save without an edit) or a plain file
 * under content/articles that is not an article. site_dir as given to the
 * build. Call before cache_changed. */
int cache_unchanged(const struct build_cache *c, const char *site_dir, char *const *paths,
                    size_t n, int all);

/* Starts a build whose settings (drafts, future, base URL, ...) are summed
 * up in config; a different config from last time empties the cache.
 * Returns this build's mark (for the manifest). */
unsigned cache_begin(struct build_cache *c, const char *config);
/* After a build that got as far as writing: what changed is now seen. */
void cache_end(struct build_cache *c, int ok);

/* Fills a (path set by the scan) from the cache when its file is unchanged.
 * Returns 1 when restored. Thread-safe against other cache_restore calls. */
int cache_restore(const struct build_cache *c, struct article *a);
/* A copy of a freshly parsed and filtered article to keep (NULL when it
 * cannot be kept: messages, errors, no body, or the file changed since
 * before, its stat taken ahead of the parse). a's body HTML moves into the
 * copy and a->content points at it. Thread-safe. */
struct stat;
struct cache_article *cache_snapshot(struct article *a, const struct stat *before);
/* Keeps snap (from cache_snapshot), replacing any older copy. Serial. */
void cache_store(struct build_cache *c, struct cache_article *snap);

/* Did a template (templates/, themes/) change since the last build? Then
 * every page is rendered again. */
int cache_templates_changed(const struct build_cache *c);
/* Are pages hashed to find unchanged ones? On until a build finds that
 * hashing took longer (hash_s) than rendering the pages it let through
 * would have (saved_s): on a large site whose templates reach far through
 * cross-linked data it can cost more than rendering. Returns whether
 * hashing stays on. */
int cache_page_hashing(const struct build_cache *c);
int cache_judge_hashing(struct build_cache *c, double hash_s, double saved_s);
/* page file -> hash of its inputs at the last build (0: always render) */
struct hs_table *cache_pages(struct build_cache *c);
/* output file -> content hash */
struct hs_table *cache_manifest(struct build_cache *c);

#endif
