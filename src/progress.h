/* progress.h: the progress bar of a long build on a terminal: one line,
 * "render [#####.....] 12034/23760 8512/s", redrawn at most ten times a
 * second from whichever worker finishes an item, shown only once the build
 * has run for a second, and erased at the end. Off (every call a no-op)
 * when the stream is not a terminal or the build is quiet. It only draws:
 * timings for the summary are kept by build.c. */
#ifndef BRIEFING_PROGRESS_H
#define BRIEFING_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

struct progress;

/* A bar on fp when on is set and fp is a terminal, else NULL, which every
 * function accepts. BRIEFING_PROGRESS_AFTER_MS replaces the 1 s wait (tests). */
struct progress *progress_new(FILE *fp, int on);
/* Starts a phase of total items; the bar shows name. Call between stages,
 * not while workers tick. */
void progress_phase(struct progress *p, const char *name, size_t total);
/* One item of the current phase is done. Thread-safe. */
void progress_tick(struct progress *p);
/* Erases the bar (if drawn) and frees p. */
void progress_end(struct progress *p);

#endif
