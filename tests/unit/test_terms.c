/* Unit tests: terms (search terms of a text, and the inverted index the
 * search page loads). tests/lua/terms.sh compares the folding with the
 * plain-Lua rules on random text; these pin the cases by name. */
#include <stdlib.h>
#include <string.h>

#include "../../src/terms.h"
#include "test.h"

static char *fold(const char *s)
{
	buf b = BUF_INIT;
	terms_fold(&b, s, strlen(s));
	return buf_detach(&b, NULL);
}

static char *terms_of(const char *a, const char *b)
{
	struct terms t = TERMS_INIT;
	buf out = BUF_INIT;
	terms_add(&t, a, strlen(a));
	if (b)
		terms_add(&t, b, strlen(b));
	terms_join(&t, &out);
	terms_free(&t);
	return buf_detach(&out, NULL);
}

#define CHECK_FREE(call, want)          \
	do {                            \
		char *got_ = (call);    \
		CHECK_STR(got_, want);  \
		free(got_);             \
	} while (0)

static void folding(void)
{
	CHECK_FREE(fold("Hwasŏng ÉCOLE Ünal"), "hwasong ecole unal");
	CHECK_FREE(fold("ÆØÞŒ Łódź"), "æøþœ łodz");
	CHECK_FREE(fold("ΩΜΈΓΑ Ϊ ΰ"), "ωμεγα ι υ");
	CHECK_FREE(fold("МОСКВА Ёж Й"), "москва еж и");
	/* decomposed accents: the combining mark is dropped */
	CHECK_FREE(fold("Cafe\xcc\x81"), "cafe");
	/* other scripts and stray bytes pass as they are */
	CHECK_FREE(fold("中文 한국 \xc3"), "中文 한국 \xc3");
}

static void words(void)
{
	CHECK_FREE(terms_of("Kim met Trump; KIM spoke.", "trump"), "kim met spoke trump");
	/* one-character words are not terms; two-character ones are */
	CHECK_FREE(terms_of("a I é UN 15 x", NULL), "15 un");
	/* separators outside ASCII */
	CHECK_FREE(terms_of("war—peace ×2 «non» talks…over 、中国", NULL),
	           "non over peace talks war 中国");
	/* U+00A0 separates; a 41-byte word is dropped */
	CHECK_FREE(terms_of("Kim\xc2\xa0Jong aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL),
	           "jong kim");
	CHECK_FREE(terms_of("", ""), "");
}

static void plain(void)
{
	buf b = BUF_INIT;
	const char *html = "<p>a&amp;b&#8217;s <em>c</em> &nbsp x<y</p";
	terms_plain(&b, html, strlen(html));
	CHECK_STR(b.ptr, " a b s  c  &nbsp x<y</p");
	buf_free(&b);
}

/* the index as "term=coded" lines, sorted */
static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *index_of(const char **docs, size_t n)
{
	struct terms_doc d[8];
	for (size_t i = 0; i < n; i++)
		d[i] = (struct terms_doc){docs[i], strlen(docs[i])};
	buf out = BUF_INIT, lines = BUF_INIT;
	terms_postings(d, n, &out);
	char *items[64];
	size_t k = 0;
	for (const char *p = out.ptr; p < out.ptr + out.len && k < 64;) {
		const char *term = p, *coded = p + strlen(p) + 1;
		buf item = BUF_INIT;
		buf_printf(&item, "%s=%s", term, coded);
		items[k++] = buf_detach(&item, NULL);
		p = coded + strlen(coded) + 1;
	}
	qsort(items, k, sizeof *items, by_str);
	for (size_t i = 0; i < k; i++) {
		buf_puts(&lines, items[i]);
		buf_putc(&lines, ' ');
		free(items[i]);
	}
	buf_free(&out);
	return buf_detach(&lines, NULL);
}

static void postings(void)
{
	const char *docs[] = {"kim talks", "", "talks", "kim", "trump", "kim kim talks"};
	/* kim in 0, 3, 5: deltas 0,3,2; talks in 0, 2, 5 */
	CHECK_FREE(index_of(docs, 6), "kim=0,3,2 talks=0,2,3 trump=4 ");
	/* deltas past 35 take two base-36 digits */
	const char *many[50];
	for (int i = 0; i < 50; i++)
		many[i] = i == 0 || i == 3 || i == 49 ? "x" : "";
	struct terms_doc d[50];
	for (int i = 0; i < 50; i++)
		d[i] = (struct terms_doc){many[i], strlen(many[i])};
	buf out = BUF_INIT;
	terms_postings(d, 50, &out);
	CHECK(out.len == 9 && !memcmp(out.ptr, "x\0" "0,3,1a", 9));
	buf_free(&out);
	CHECK_FREE(index_of(docs, 0), "");
}

static int by_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Many words, in orders that make a quicksort split badly (sorted,
 * reversed, all alike but the end), long common heads (the sort compares
 * the first eight bytes as a number first): the join is qsort's order. */
static void many_words(void)
{
	enum { N = 3000 };
	static const char *const heads[] = {"", "governmen", "ab", "zzzzzzzzzzzz", "abcdefgh"};
	for (int order = 0; order < 3; order++) {
		char *words[N];
		buf text = BUF_INIT;
		for (int i = 0; i < N; i++) {
			int k = order == 0 ? i : order == 1 ? N - 1 - i : (i * 7919) % N;
			words[i] = xasprintf("%s%c%d", heads[k % 5], 'a' + k % 26, k);
			buf_puts(&text, words[i]);
			buf_putc(&text, i % 3 ? ' ' : '.');
		}
		struct terms t = TERMS_INIT;
		buf out = BUF_INIT;
		terms_add(&t, text.ptr, text.len);
		terms_join(&t, &out);
		qsort(words, N, sizeof *words, by_strcmp);
		buf want = BUF_INIT;
		for (int i = 0; i < N; i++) {
			if (i)
				buf_putc(&want, ' ');
			buf_puts(&want, words[i]);
			free(words[i]);
		}
		CHECK_STR(out.ptr, want.ptr);
		buf_free(&want);
		buf_free(&out);
		buf_free(&text);
		terms_free(&t);
	}
}

int main(void)
{
	RUN(folding);
	RUN(words);
	RUN(plain);
	RUN(postings);
	RUN(many_words);
	return TEST_MAIN_END();
}
