/* words.h: the one word count (summaries, article bodies, edition
 * budgets: `check` and the built pages agree) and whole-word search over
 * plain text, for the editorial commands (check, import). */
#ifndef BRIEFING_WORDS_H
#define BRIEFING_WORDS_H

#include <stddef.h>

#include <cmark.h>

/* The rule, one place: a word is a run of bytes that are not ASCII white
 * space (space, \t, \n, \v, \f, \r). Punctuation and non-ASCII letters
 * are part of the word they touch ("U.S.-led" is one word, U+00A0 does
 * not split). Words in s, a plain string. */
size_t words_count(const char *s);
/* Words a reader sees in a Markdown body, by the same rule over the text
 * of Text, Code and CodeBlock nodes (image descriptions included, raw
 * HTML not). Inline markup does not split a word ("**Tr**ump" is one);
 * line breaks and block boundaries do. article.word_count and the edition
 * budget of `check` are this number. */
size_t words_in_doc(cmark_node *doc);
/* Does text contain name, not as part of a longer word? fold_case: ignore
 * ASCII case. */
int words_contain(const char *text, const char *name, int fold_case);

#endif
