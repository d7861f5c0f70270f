/* watch.h: finds what changed in a site's sources for `briefing serve`:
 * content/, scripts/, templates/, themes/, static/, data/ and site.yml.
 * Uses inotify (folders created later are watched too) and falls back to
 * polling sizes and mtimes when inotify is not available. A burst of
 * events (an editor's write-temp-then-rename save, a script writing many
 * files) is reported as one change once it has been quiet for a moment.
 * It does not build anything: it only says which paths changed. */
#ifndef BRIEFING_WATCH_H
#define BRIEFING_WATCH_H

#include <signal.h>
#include <stddef.h>

struct watch;

/* What one settled burst changed. */
struct watch_changes {
	char **paths;  /* site-relative ("content/articles/x.md"), sorted, unique */
	size_t n;
	int all;       /* 1: cannot tell which (polling, lost events): assume everything */
};

/* Starts watching SITE_DIR ("" or "." for the current folder). Never NULL:
 * without inotify (or with BRIEFING_WATCH=poll) it polls. */
struct watch *watch_new(const char *site_dir);
void watch_free(struct watch *w);
/* "inotify" or "polling". */
const char *watch_method(const struct watch *w);
/* Blocks until a change has settled (no event for quiet_ms) or *stop is
 * set. Returns 1 with *ch filled (free with watch_changes_free), or 0 when
 * stopped. */
int watch_wait(struct watch *w, volatile sig_atomic_t *stop, int quiet_ms,
               struct watch_changes *ch);
void watch_changes_free(struct watch_changes *ch);
/* 1 for names editors use for temporary and backup files (".#x", "x~",
 * ".x.swp", "4913", "#x#"), which never trigger a rebuild. */
int watch_ignored_name(const char *name);

#endif
