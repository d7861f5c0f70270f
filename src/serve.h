/* serve.h: `briefing serve`, a local preview server that rebuilds on
 * change and reloads open pages. */
#ifndef BRIEFING_SERVE_H
#define BRIEFING_SERVE_H

struct serve_opts {
	const char *site_dir;
	const char *tool_dir;
	const char *bind; /* "127.0.0.1" */
	int port;         /* 8080 */
	int verbose;      /* each rebuild's phase times */
};

/* Runs until SIGINT/SIGTERM. Returns the exit status. */
int serve_run(const struct serve_opts *o);

#endif
