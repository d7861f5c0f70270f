/* Unit tests: slugify (site.c), the one slug rule behind file names, URLs
 * and briefing.slugify: Unicode lower case, typographic marks dropped. */
#include <stdlib.h>

#include "../../src/site.h"
#include "test.h"

static int slug_is(const char *in, const char *want)
{
	char *got = slugify(in);
	int same = strcmp(got, want) == 0;
	if (!same)
		printf("#   slugify(\"%s\") = \"%s\", want \"%s\"\n", in, got, want);
	free(got);
	return same;
}

static void ascii(void)
{
	CHECK(slug_is("Kim Jong Un", "kim-jong-un"));
	CHECK(slug_is("O'Brien at the U.S. desk", "obrien-at-the-us-desk"));
	CHECK(slug_is("  Talks, again!  ", "talks-again"));
	CHECK(slug_is("GDP up 3% in Q2", "gdp-up-3-in-q2"));
	CHECK(slug_is("", ""));
}

static void unicode_lower_case(void)
{
	CHECK(slug_is("\xC3\x89lys\xC3\xA9" "e", "\xC3\xA9lys\xC3\xA9" "e"));             /* Élysée */
	CHECK(slug_is("\xC3\x9C" "BER \xC3\x85LAND", "\xC3\xBC" "ber-\xC3\xA5land"));      /* ÜBER ÅLAND */
	CHECK(slug_is("\xC5\x81\xC3\xB3" "d\xC5\xBA", "\xC5\x82\xC3\xB3" "d\xC5\xBA"));    /* Łódź */
	CHECK(slug_is("\xC5\xA0" "koda \xC5\xB8", "\xC5\xA1" "koda-\xC3\xBF"));             /* Škoda Ÿ */
	CHECK(slug_is("\xC4\xB0stanbul", "istanbul"));                                       /* İstanbul */
	CHECK(slug_is("\xCE\x91\xCE\x98\xCE\x89\xCE\x9D\xCE\x91", "\xCE\xB1\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1")); /* ΑΘΉΝΑ */
	CHECK(slug_is("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xD0\x81", "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0-\xD1\x91")); /* Москва Ё */
	CHECK(slug_is("\xC3\x97", "\xC3\x97"));                       /* × has no case */
	CHECK(slug_is("\xE5\x8C\x97\xE4\xBA\xAC", "\xE5\x8C\x97\xE4\xBA\xAC")); /* 北京 kept */
	CHECK(slug_is("a\xFF" "b", "a\xFF" "b"));                     /* a stray byte stays */
}

static void typographic_marks(void)
{
	CHECK(slug_is("Kim\xE2\x80\x99s \xE2\x80\x9C" "big\xE2\x80\x9D offer", "kims-big-offer"));
	CHECK(slug_is("\xC2\xAB Le Monde \xC2\xBB", "le-monde"));
	CHECK(slug_is("2017\xE2\x80\x93" "2018 \xE2\x80\x94 a review", "2017-2018-a-review"));
	CHECK(slug_is("Wait\xE2\x80\xA6 what", "wait-what"));
	CHECK(slug_is("\xE2\x80\xB9x\xE2\x80\xBA", "x"));
	CHECK(slug_is("no\xC2\xA0" "break", "no-break"));
}

int main(void)
{
	RUN(ascii);
	RUN(unicode_lower_case);
	RUN(typographic_marks);
	return TEST_MAIN_END();
}
