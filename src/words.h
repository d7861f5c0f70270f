/* words.h: the two word-level text tests the editorial commands share
 * (check, import): counting words and finding a name as a whole word. */
#ifndef BRIEFING_WORDS_H
#define BRIEFING_WORDS_H

#include <stddef.h>

/* Runs of non-space characters in s. */
size_t words_count(const char *s);
/* Does text contain name, not as part of a longer word? fold_case: ignore
 * ASCII case. */
int words_contain(const char *text, const char *name, int fold_case);

#endif
