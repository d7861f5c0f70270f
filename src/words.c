/* words.c: the word count and whole-word search over plain text. See
 * words.h for the rule; this file is the only place that counts words. */
#include "words.h"

#include <ctype.h>
#include <string.h>

static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r'); /* \t \n \v \f \r */
}

/* Adds the words that start in s to *n; *in says whether the text before
 * s ended inside a word, so a word split across nodes counts once. */
static void count_run(const char *s, int *in, size_t *n)
{
	for (; s && *s; s++) {
		int sp = is_space((unsigned char)*s);
		*n += !sp && !*in;
		*in = !sp;
	}
}

size_t words_count(const char *s)
{
	size_t n = 0;
	int in = 0;
	count_run(s, &in, &n);
	return n;
}

size_t words_in_doc(cmark_node *doc)
{
	size_t n = 0;
	int in = 0;
	if (!doc)
		return 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (t >= CMARK_NODE_FIRST_BLOCK && t <= CMARK_NODE_LAST_BLOCK)
			in = 0; /* a block starts or ends: a word ends */
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			in = 0;
		else if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK)
			count_run(cmark_node_get_literal(node), &in, &n);
	}
	cmark_iter_free(it);
	return n;
}

int words_contain(const char *text, const char *name, int fold_case)
{
	size_t n = strlen(name);
	if (!n)
		return 0;
	for (const char *p = fold_case ? strcasestr(text, name) : strstr(text, name); p;
	     p = fold_case ? strcasestr(p + 1, name) : strstr(p + 1, name))
		if ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return 1;
	return 0;
}
