/* Unit tests: match (the name finder behind briefing.matcher, `when`
 * and briefing check). The scanner skips most bytes without looking at
 * words; these tests hold it to a plain reading of the rules, done here
 * the slow way: split the text into words, try every word start. */
#include "../../src/match.h"
#include "test.h"

#include <stdlib.h>

/* ---- the rules, read slowly ---- */

/* Separator width at s[i], from the rules: ASCII whitespace and , ; : ! ?
 * ( ) [ ] ", and the UTF-8 of U+2013 U+2014 U+2018 U+2019 U+201C U+201D. */
static int ref_sep(const unsigned char *s, size_t len, size_t i)
{
	if (strchr(" \t\n\r\f\v,;:!?()[]\"", s[i]) && s[i])
		return 1;
	static const unsigned char third[] = {0x93, 0x94, 0x98, 0x99, 0x9C, 0x9D};
	if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80)
		for (size_t k = 0; k < sizeof third; k++)
			if (s[i + 2] == third[k])
				return 3;
	return 0;
}

struct ref {
	const char **names;
	size_t n;
	int max_words;
};

static int ref_has(const struct ref *r, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->names[i]) == n && memcmp(r->names[i], s, n) == 0)
			return 1;
	return 0;
}

/* The length of the name s[0..n) holds, with "'s", "'" or "." trimmed; a
 * line break in s stands for the space in the name. */
static size_t ref_name(const struct ref *r, const unsigned char *text, size_t n)
{
	unsigned char s[512];
	if (n > sizeof s)
		return 0;
	for (size_t i = 0; i < n; i++)
		s[i] = text[i] == '\n' ? ' ' : text[i];
	if (ref_has(r, s, n))
		return n;
	if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's' && ref_has(r, s, n - 2))
		return n - 2;
	if (n > 1 && (s[n - 1] == '.' || s[n - 1] == '\'') && ref_has(r, s, n - 1))
		return n - 1;
	return 0;
}

struct hit {
	size_t start, len;
};

/* Every match: words are read from the start of the text, a hyphen
 * starting a word as a separator does; at each word, the most pieces
 * (runs of word bytes up to a hyphen or the word's end) joined by single
 * spaces, hyphens or line breaks that make a name win. */
static size_t ref_scan(const struct ref *r, const char *text, struct hit *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), n = 0, i = 0;
	while (i < len) {
		int w = ref_sep(s, len, i);
		if (w || s[i] == '-') {
			i += w ? (size_t)w : 1;
			continue;
		}
		size_t ends[16];
		int k = 0;
		size_t e = i;
		for (;;) {
			while (e < len && !ref_sep(s, len, e) && s[e] != '-')
				e++;
			ends[k++] = e;
			if (k == r->max_words || e + 1 >= len || !strchr(" -\n", s[e]) ||
			    ref_sep(s, len, e + 1) || s[e + 1] == '-')
				break;
			e++;
		}
		size_t got = 0;
		int j = k - 1;
		for (; j >= 0 && !got; j--)
			got = ref_name(r, s + i, ends[j] - i);
		if (got && n < cap) {
			out[n++] = (struct hit){i, got};
			i = ends[j + 1];
		} else {
			i = ends[0];
		}
	}
	return n;
}

/* ---- the tests ---- */

static const char *names[] = {"Kim",   "Kim Jong Un", "Trump",      "Rex Tillerson",
                              "U.S.",  "Moon Jae-in", "Él",         "Ann Lee Ko Ru",
                              "Lee",   "Ko Ru",       "O'Neil",     "Xi"};
#define N_NAMES (sizeof names / sizeof *names)

static struct matcher *make(void)
{
	struct matcher *m = match_new();
	for (size_t i = 0; i < N_NAMES; i++)
		match_add(m, names[i], strlen(names[i]));
	return m;
}

static size_t scan(struct matcher *m, const char *text, struct hit *out, size_t cap)
{
	size_t pos = 0, start, got, n = 0, len = strlen(text);
	while ((got = match_next(m, text, len, &pos, &start)) && n < cap)
		out[n++] = (struct hit){start, got};
	return n;
}

static int same(const char *text, struct matcher *m)
{
	struct ref r = {names, N_NAMES, 4};
	struct hit a[64], b[64];
	size_t na = scan(m, text, a, 64), nb = ref_scan(&r, text, b, 64);
	if (na != nb) {
		printf("#   \"%s\": %zu matches, the rules say %zu\n", text, na, nb);
		return 0;
	}
	for (size_t i = 0; i < na; i++)
		if (a[i].start != b[i].start || a[i].len != b[i].len) {
			printf("#   \"%s\": match %zu at %zu+%zu, the rules say %zu+%zu\n", text, i,
			       a[i].start, a[i].len, b[i].start, b[i].len);
			return 0;
		}
	return 1;
}

static void examples(void)
{
	struct matcher *m = make();
	struct hit h[8];
	CHECK_INT(scan(m, "Kim Jong Un met Kim.", h, 8), 2);
	CHECK_INT(h[0].start, 0);
	CHECK_INT(h[0].len, 11);
	CHECK_INT(h[1].start, 16);
	CHECK_INT(h[1].len, 3);
	CHECK_INT(scan(m, "Trumpet and Trump's plan", h, 8), 1);
	CHECK_INT(h[0].start, 12);
	CHECK_INT(h[0].len, 5);
	CHECK_INT(scan(m, "\xE2\x80\x9CRex Tillerson\xE2\x80\x9D said; Rex  Tillerson", h, 8), 1);
	CHECK_INT(h[0].start, 3);
	CHECK_INT(scan(m, "Kim\xE2\x80\x94Trump", h, 8), 2);
	CHECK_INT(h[1].start, 6);
	CHECK_INT(scan(m, "xKim yTrump Kimchi", h, 8), 0);
	CHECK_INT(scan(m, "nothing here", h, 8), 0);
	CHECK_INT(scan(m, "", h, 8), 0);
	/* a dash's bytes split words; a truncated one is part of a word */
	CHECK_INT(scan(m, "a\xE2\x80\x93Xi", h, 8), 1);
	CHECK_INT(scan(m, "a\xE2\x80Xi", h, 8), 0);
	CHECK_INT(scan(m, "Xi\xE2\x80", h, 8), 0);
	/* a hard-wrapped name is one name; so is one joined to another by a
	 * hyphen, and a name with a hyphen of its own */
	CHECK_INT(scan(m, "government of Kim\nJong Un depends", h, 8), 1);
	CHECK_INT(h[0].start, 14);
	CHECK_INT(h[0].len, 11);
	CHECK_INT(scan(m, "the Kim Jong Un-Trump summit", h, 8), 2);
	CHECK_INT(h[0].len, 11);
	CHECK_INT(h[1].start, 16);
	CHECK_INT(h[1].len, 5);
	CHECK_INT(scan(m, "Trump-Kim Jong Un talks, Moon Jae-in's view", h, 8), 3);
	CHECK_INT(h[1].start, 6);
	CHECK_INT(h[1].len, 11);
	CHECK_INT(h[2].len, 11);
	CHECK_INT(scan(m, "Moon Jae--in, Kim\n\nJong", h, 8), 1);
	CHECK_INT(h[0].len, 3);
	match_free(m);
}

/* Random texts built from names, pieces of names, separators, endings and
 * broken UTF-8 find what the slow reading finds, match for match. */
static void agrees_with_rules(void)
{
	static const char *pieces[] = {
		"Kim", "Jong", "Un", "Trump", "Trumpet", "Rex", "Tillerson", "U.S", ".", "'s", "'",
		"Moon", "Jae-in", "\xC3\x89l", "Ann", "Lee", "Ko", "Ru", "O'Neil", "Xi", "x", "the",
		" ", " ", " ", "  ", ",", ";", "(", ")", "\"", "\n", "\xE2\x80\x94", "\xE2\x80\x99",
		"\xE2\x80\x9C", "\xE2\x80", "\xE2", "\x80\x94", "\x93", "-", "said", "K", "im",
	};
	size_t np = sizeof pieces / sizeof *pieces;
	struct matcher *m = make();
	unsigned seed = 12345;
	char text[512];
	int bad = 0;
	for (int t = 0; t < 50000 && bad < 5; t++) {
		size_t len = 0;
		int parts = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
		for (int p = 0; p < parts; p++) {
			seed = seed * 1103515245u + 12345u;
			const char *piece = pieces[(seed >> 16) % np];
			size_t pl = strlen(piece);
			if (len + pl >= sizeof text)
				break;
			memcpy(text + len, piece, pl);
			len += pl;
		}
		text[len] = '\0';
		if (!same(text, m))
			bad++;
	}
	CHECK(bad == 0);
	match_free(m);
}

/* Continuing from a match's end finds the rest, as one scan does. */
static void resumes(void)
{
	struct matcher *m = make();
	const char *text = "Trump's aide met Kim, then Lee\xE2\x80\x99s Ko Ru.";
	size_t pos = 0, start, got, len = strlen(text);
	CHECK_INT(match_next(m, text, len, &pos, &start), 5);
	CHECK_INT(pos, 7);
	CHECK_INT(match_next(m, text, len, &pos, &start), 3);
	CHECK_INT(start, 17);
	CHECK_INT(match_next(m, text, len, &pos, &start), 3);
	CHECK_INT(start, 27);
	got = match_next(m, text, len, &pos, &start);
	CHECK_INT(got, 5);
	CHECK_INT(match_next(m, text, len, &pos, &start), 0);
	CHECK_INT(pos, len);
	match_free(m);
}

int main(void)
{
	RUN(examples);
	RUN(agrees_with_rules);
	RUN(resumes);
	return TEST_MAIN_END();
}
