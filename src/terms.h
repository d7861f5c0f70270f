/* terms.h: the words of a text as search terms, for the search index
 * (scripts/search.lua through briefing.terms). Folded the way the theme's
 * search.js folds a query: ASCII lower case, accents off ("Hwasŏng" is
 * "hwasong") for Latin-1, Latin Extended-A, Greek and Cyrillic; other
 * scripts pass unchanged. The rules are those of scripts/lib/terms.lua,
 * byte for byte (tests/lua/terms.sh compares the two on random text);
 * this is the same thing at C speed. No allocation but the caller's. */
#ifndef BRIEFING_TERMS_H
#define BRIEFING_TERMS_H

#include <stddef.h>

#include "buf.h"

/* Appends s folded: ASCII lower case, the two-byte letters of the tables
 * to their base letter or small letter, combining marks U+0300-U+036F
 * removed. */
void terms_fold(buf *out, const char *s, size_t len);

/* Appends html as plain text: each tag (<...>) and entity (&name; &#n;)
 * becomes a space. */
void terms_plain(buf *out, const char *html, size_t len);

/* A set of terms being gathered: add texts, then join. */
struct terms {
	buf text;      /* folded texts, words separated by NUL */
	size_t *start; /* offsets in text of the words kept, each once */
	size_t n, cap;
	unsigned *set; /* open addressing: 1 + index into start, 0 empty */
	size_t n_slots;
};
#define TERMS_INIT {BUF_INIT, NULL, 0, 0, NULL, 0}

/* Adds the folded words of text: runs of ASCII letters and digits and
 * bytes 0x80 and up, two characters or more and at most 40 bytes.
 * Punctuation outside ASCII (Latin-1 signs, U+2000-U+206F, CJK) and ×, ÷
 * separate words. */
void terms_add(struct terms *t, const char *text, size_t len);
/* Appends the terms, sorted by bytes, each once, separated by spaces;
 * then empties t for the next use. */
void terms_join(struct terms *t, buf *out);
void terms_free(struct terms *t);

/* An inverted index: docs[i] is the terms of document i, separated by
 * spaces (as terms_join makes them). Appends to out, for each term in no
 * set order, the term and its documents, each followed by a NUL: the
 * documents that hold it as ascending numbers, each the difference from
 * the one before (the first from 0), in base 36, joined by commas ("0,3,1a"
 * is documents 0, 3 and 49). A term repeated in one document counts once. */
struct terms_doc {
	const char *terms;
	size_t len;
};
void terms_postings(const struct terms_doc *docs, size_t n, buf *out);

#endif
