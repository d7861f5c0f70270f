/* lint.h: warnings about content that builds but is probably a mistake
 * (misspelled names and keys, empty titles, comma-separated name strings,
 * two files for one name, content that makes no page), shared by build,
 * serve and check. Codes (diag_code) are listed in briefing(1). */
#ifndef BRIEFING_LINT_H
#define BRIEFING_LINT_H

struct article;
struct diag;
struct matcher;
struct site;
struct value;

struct lint_opts {
	int editorial;          /* check's rules too: names without files, people
	                         * named but not listed, summaries, empty bodies,
	                         * future dates */
	long summary_words;     /* check: summary_words (editorial) */
	int derives_summary;    /* summaries: {words: N} is not 0 (structured.lua) */
	struct matcher *names;  /* people's names and aliases (editorial) */
	struct value *owners;   /* name -> list of indexes into s->people */
};

/* Reads what the rules need from the site (its files, site.yml); call on
 * one thread, then lint_article may run on many. */
void lint_opts_init(struct lint_opts *o, const struct site *s, int editorial);
void lint_opts_free(struct lint_opts *o);

/* An article just parsed (a->meta and a->doc as written, before filters):
 * warnings go to a->diag. file: the file's text, for the column of a
 * name in the body. */
void lint_article(const struct site *s, const struct lint_opts *o, struct article *a,
                  const char *file);

/* site.yml's keys, people and topics with one name, content/'s stray
 * files and folders: warnings to d; with editorial (check), also aliases
 * two people share (normal on a large site, where mentions.lua settles
 * them by the article's people list: not a build warning). */
void lint_site(const struct site *s, int editorial, struct diag *d);

/* Edit distance, case-insensitive, "-" the same as "_", a swap of two
 * letters one edit. */
int lint_distance(const char *a, const char *b);

/* A word budget from site.yml (check: summary_words, editions: words): a
 * whole number, as a number or a string of digits; anything else is
 * reported (when d is not NULL) and dflt stands. */
long lint_word_budget(const struct site *s, const struct value *v, const char *key, long dflt,
                      struct diag *d);

#endif
