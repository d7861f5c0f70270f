/* scaffold.h: `briefing new`: files an editor starts from (an article, a
 * person, a topic, a whole starter site), with the front matter the theme
 * and filters use. Never overwrites anything. */
#ifndef BRIEFING_SCAFFOLD_H
#define BRIEFING_SCAFFOLD_H

struct new_opts {
	const char *kind;      /* "article", "person", "topic", "site" */
	const char *name;      /* title, name, or the site folder */
	const char *site_dir;  /* for article, person, topic */
	const char **topics;   /* article: --topic (NULL-terminated) */
	const char **people;   /* article: --person */
};

/* Returns the exit status (0 created, 1 refused or failed, 2 usage). */
int scaffold_new(const struct new_opts *o);

#endif
