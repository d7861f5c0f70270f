/* serve.h: `briefing serve`, a local preview server that rebuilds on
 * change and reloads open pages. */
#ifndef BRIEFING_SERVE_H
#define BRIEFING_SERVE_H

struct serve_opts {
	const char *site_dir;
	const char *tool_dir;
	const char *bind; /* "127.0.0.1" */
	int port;         /* 8080 */
	const char *base_url; /* NULL: http://bind:port/ */
	int drafts, future;   /* 1 1 by default; --published: 0 0 */
	int quiet;        /* only the address, errors and warnings */
	int verbose;      /* each rebuild's phase times */
	int open;         /* open a browser on the preview */
};

/* Runs until SIGINT/SIGTERM. Returns the exit status. */
int serve_run(const struct serve_opts *o);

#endif
