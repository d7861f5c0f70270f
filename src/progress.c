/* progress.c: a one-line progress bar. Workers bump an atomic counter; the
 * one that finds the last drawing 100 ms old and wins a try-lock redraws,
 * so no thread ever waits on the terminal. */
#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "num.h"

#define SHOW_AFTER_MS 1000 /* short builds never show a bar */
#define REDRAW_MS 100
#define BAR_WIDTH 30

struct progress {
	FILE *fp;
	pthread_mutex_t draw;
	long long start_ms;        /* the build's start */
	long long phase_ms;        /* the current phase's start */
	atomic_llong last_draw_ms;
	atomic_size_t done;
	size_t total;
	char name[16];
	int drawn;                 /* a line is on the screen (under draw) */
	long long show_after_ms;
};

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct progress *progress_new(FILE *fp, int on)
{
	if (!on || !fp || !isatty(fileno(fp)))
		return NULL;
	struct progress *p = xcalloc(1, sizeof *p);
	/* a test switch (briefing(1), ENVIRONMENT): the bar on a short build */
	long long after;
	p->show_after_ms = num_parse(getenv("BRIEFING_PROGRESS_AFTER_MS"), 0, 3600000, &after) == 0
	                 ? after : SHOW_AFTER_MS;
	p->fp = fp;
	pthread_mutex_init(&p->draw, NULL);
	p->start_ms = p->phase_ms = now_ms();
	atomic_init(&p->last_draw_ms, 0);
	atomic_init(&p->done, 0);
	return p;
}

/* Under p->draw. */
static void draw(struct progress *p, long long now)
{
	size_t done = atomic_load(&p->done);
	size_t total = p->total;
	size_t fill = total ? (done > total ? total : done) * BAR_WIDTH / total : 0;
	double secs = (double)(now - p->phase_ms) / 1000.0;
	buf line = BUF_INIT;
	buf_printf(&line, "\r\033[K%-8s", p->name);
	if (!total) { /* a serial phase: no count to show */
		buf_printf(&line, " %.1f s", (double)(now - p->start_ms) / 1000.0);
		goto out;
	}
	buf_puts(&line, " [");
	for (size_t i = 0; i < BAR_WIDTH; i++)
		buf_putc(&line, i < fill ? '#' : '.');
	buf_printf(&line, "] %zu/%zu", done, total);
	if (secs > 0.05)
		buf_printf(&line, " %.0f/s", (double)done / secs);
out:
	fwrite(line.ptr, 1, line.len, p->fp);
	fflush(p->fp);
	buf_free(&line);
	p->drawn = 1;
}

static void maybe_draw(struct progress *p)
{
	long long now = now_ms();
	if (now - p->start_ms < p->show_after_ms || now - atomic_load(&p->last_draw_ms) < REDRAW_MS)
		return;
	if (pthread_mutex_trylock(&p->draw) != 0)
		return; /* another worker is drawing */
	atomic_store(&p->last_draw_ms, now);
	draw(p, now);
	pthread_mutex_unlock(&p->draw);
}

void progress_phase(struct progress *p, const char *name, size_t total)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->draw);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->total = total;
	p->phase_ms = now_ms();
	atomic_store(&p->done, 0);
	long long now = now_ms();
	if (now - p->start_ms >= p->show_after_ms) { /* a new phase shows at once */
		atomic_store(&p->last_draw_ms, now);
		draw(p, now);
	}
	pthread_mutex_unlock(&p->draw);
}

void progress_tick(struct progress *p)
{
	if (!p)
		return;
	atomic_fetch_add(&p->done, 1);
	maybe_draw(p);
}

void progress_end(struct progress *p)
{
	if (!p)
		return;
	if (p->drawn) {
		fputs("\r\033[K", p->fp);
		fflush(p->fp);
	}
	pthread_mutex_destroy(&p->draw);
	free(p);
}
