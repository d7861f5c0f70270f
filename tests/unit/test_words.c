/* Unit tests: words (the one word count, for summaries, bodies and
 * edition budgets, and whole-word search). */
#include <string.h>

#include "../../src/markdown.h"
#include "../../src/words.h"
#include "test.h"

static size_t body_words(const char *md)
{
	cmark_node *doc = md_parse(md, strlen(md), 0);
	size_t n = words_in_doc(doc);
	cmark_node_free(doc);
	return n;
}

static void plain_text(void)
{
	CHECK_INT(words_count(""), 0);
	CHECK_INT(words_count("   \t\n"), 0);
	CHECK_INT(words_count("one"), 1);
	CHECK_INT(words_count("  two  words "), 2);
	/* every ASCII space splits, \v and \f too */
	CHECK_INT(words_count("a\tb\nc\rd\ve\ff g"), 7);
	/* punctuation and non-ASCII bytes belong to the word they touch */
	CHECK_INT(words_count("U.S.-led talks, again."), 3);
	CHECK_INT(words_count("Kim\xc2\xa0Jong Un"), 2); /* U+00A0 does not split */
	CHECK_INT(words_count("déjà vu"), 2);
}

static void markdown_bodies(void)
{
	CHECK_INT(body_words("Hello world.\n"), 2);
	/* inline markup does not split a word */
	CHECK_INT(body_words("**Tr**ump said *no*.\n"), 3);
	CHECK_INT(body_words("[Tiller](x)son spoke\n"), 2);
	/* code spans and code blocks are words a reader reads */
	CHECK_INT(body_words("Call `f(x)` now\n"), 3);
	CHECK_INT(body_words("`a` `b` `c` d\n"), 4);
	CHECK_INT(body_words("Intro\n\n    int x = 1;\n"), 5);
	/* line breaks and block boundaries end a word */
	CHECK_INT(body_words("one\ntwo\n"), 2);
	CHECK_INT(body_words("one  \ntwo\n"), 2);
	CHECK_INT(body_words("# Title\nBody\n"), 2);
	CHECK_INT(body_words("- a\n- b\n\n> c\n"), 3);
	/* image descriptions count, raw HTML does not */
	CHECK_INT(body_words("![a map](m.png) here\n"), 3);
	CHECK_INT(body_words("<div class=\"x y z\"></div>\n\nword\n"), 1);
	CHECK_INT(words_in_doc(NULL), 0);
}

/* A summary and the same text as a body count the same. */
static void one_rule(void)
{
	static const char *const texts[] = {"The secretary said talks could start at once.",
	                                    "A, B and C.", "  spaced   out  ", "x"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		CHECK_INT(body_words(texts[i]), words_count(texts[i]));
}

static void whole_words(void)
{
	CHECK(words_contain("Rex Tillerson said", "Tillerson", 0));
	CHECK(!words_contain("Tillersons", "Tillerson", 0));
	CHECK(words_contain("on sanctions.", "Sanctions", 1));
	CHECK(!words_contain("on sanctions.", "Sanctions", 0));
	CHECK(!words_contain("anything", "", 0));
}

int main(void)
{
	RUN(plain_text);
	RUN(markdown_bodies);
	RUN(one_rule);
	RUN(whole_words);
	return TEST_MAIN_END();
}
