/* import.h: `briefing import`, scraped text into a draft brief. */
#ifndef BRIEFING_IMPORT_H
#define BRIEFING_IMPORT_H

struct import_opts {
	const char *file;
	const char *site_dir;
	const char *title;  /* NULL: the first sentence */
	const char *date;   /* NULL: now */
	const char *source;
	const char *url;
};

int import_run(const struct import_opts *o);

#endif
