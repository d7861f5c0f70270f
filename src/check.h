/* check.h: `briefing check`, an editorial linter over a site's content. */
#ifndef BRIEFING_CHECK_H
#define BRIEFING_CHECK_H

struct check_opts {
	const char *site_dir;
	const char *tool_dir; /* the tool's scripts/ and themes/ (build_opts) */
	int json; /* --format json: one object per message */
	int strict; /* --strict: warnings fail too */
};

/* Prints file:line:col messages; returns 1 when there are errors (or,
 * strict, warnings). */
int check_run(const struct check_opts *o);

#endif
