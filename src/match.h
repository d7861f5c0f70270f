/* match.h: finds known names in text, whole words only, longest name
 * first, left to right, without overlaps. Plain C for `briefing check`
 * and for the Lua binding (lua_match.c, briefing.matcher); no Lua here.
 * A name is up to 16 pieces joined by single spaces or hyphens ("Moon
 * Jae-in"); a trailing possessive ("'s", "'") or full stop is not part of
 * it. Words are split at ASCII whitespace, , ; : ! ? ( ) [ ] " and at the
 * curly quotes and dashes U+2013 U+2014 U+2018 U+2019 U+201C U+201D; a
 * word may also start after a hyphen and a name end before one ("Kim Jong
 * Un-Trump" holds both), and a line break in the text may stand for a
 * space in a name (a hard-wrapped "Kim\nJong Un"). */
#ifndef BRIEFING_MATCH_H
#define BRIEFING_MATCH_H

#include <stddef.h>

struct matcher;

/* One match in a text: where it starts and how long it is (bytes). */
struct match_hit {
	size_t start, len;
};

struct matcher *match_new(void);
/* Adds a name of len bytes (an empty one is ignored). */
void match_add(struct matcher *m, const char *name, size_t len);
/* match_free(NULL) is a no-op. */
void match_free(struct matcher *m);

/* The next name in text at or after *pos (which counts as a word start):
 * returns its length (0 at the end of text), sets *start to where it
 * begins and moves *pos past the words it used. */
size_t match_next(const struct matcher *m, const char *text, size_t len, size_t *pos,
                  size_t *start);

/* The same, reporting each name only once between match_once_begin and
 * the next match_once_begin: later matches of a reported name are
 * passed over. */
void match_once_begin(struct matcher *m);
size_t match_next_once(struct matcher *m, const char *text, size_t len, size_t *pos,
                       size_t *start);

/* Does text hold any name? The matches of the last text that had some are
 * kept: match_last gives them back for the same text without a scan. */
int match_test(struct matcher *m, const char *text, size_t len);
/* When text is the last text match_test found names in, sets *hits and
 * *n to its matches (valid until the next match_test) and returns 1;
 * else returns 0. */
int match_last(const struct matcher *m, const char *text, size_t len,
               const struct match_hit **hits, size_t *n);

#endif
