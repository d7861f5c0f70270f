/* Unit tests: the spelling distance of the lint pass (lint.c), the
 * plain words for dates date_parse refuses (date_explain) and for the
 * YAML mistakes editors make most (yamlvalue.c). */
#include <stdlib.h>

#include "../../src/date.h"
#include "../../src/diag.h"
#include "../../src/value.h"
#include "../../src/yamlvalue.h"
#include "../../src/lint.h"
#include "test.h"

static void distance_counts_typos(void)
{
	CHECK_INT(lint_distance("Trade", "Trade"), 0);
	CHECK_INT(lint_distance("Trdae", "Trade"), 1); /* two letters swapped */
	CHECK_INT(lint_distance("timeZone", "timezone"), 0);
	CHECK_INT(lint_distance("why-it-matters", "why_it_matters"), 0);
	CHECK_INT(lint_distance("sumary", "summary"), 1);
	CHECK_INT(lint_distance("baseURL", "base_url"), 1);
	CHECK_INT(lint_distance("", "abc"), 3);
	char big[100];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(lint_distance(big, "a") > 3); /* long text is never a typo */
}

static void explain(const char *date, const char *want)
{
	char *got = date_explain(date);
	CHECK_STR(got, want);
	free(got);
}

static void dates_in_plain_words(void)
{
	explain("2026-02-30", "\"2026-02-30\" is not a day: February 2026 has 28 days");
	explain("2024-02-30", "\"2024-02-30\" is not a day: February 2024 has 29 days");
	explain("2017-04-31", "\"2017-04-31\" is not a day: April 2017 has 30 days");
	explain("2017-13-01", "\"2017-13-01\" has no month 13: a date is YYYY-MM-DD, the month second");
	explain("2017-09-30 10:00:00 -0500",
	        "\"2017-09-30 10:00:00 -0500\" is not a form briefing reads; write "
	        "2017-09-30T10:00:00-05:00 (RFC 3339: a T between day and time, a colon in the "
	        "offset), or the day alone, 2017-09-30");
	explain("2017-09-30 10:00 UTC",
	        "\"2017-09-30 10:00 UTC\" is not a form briefing reads; write 2017-09-30T10:00:00Z "
	        "(RFC 3339: a T between day and time), or the day alone, 2017-09-30");
	/* nothing more to say than the forms */
	CHECK(date_explain("tuesday") == NULL);
	CHECK(date_explain("") == NULL);
	CHECK(date_explain(NULL) == NULL);
	CHECK(date_explain("2017-09-30 25:00:00 -0500") == NULL);
	CHECK(date_explain("2017-09-30 10:00:00 -05") == NULL);
}

/* The one message yv_parse gives for text. */
static void yaml_says(const char *text, const char *want)
{
	struct diag *d = diag_new();
	struct yv_options opt = {0};
	struct value *v = yv_parse(text, strlen(text), "f.yml", &opt, d);
	CHECK(v == NULL);
	CHECK_STR(diag_message(d, 0, NULL), want);
	val_free(v);
	diag_free(d);
}

static void yaml_in_plain_words(void)
{
	yaml_says("title: \"T\"\n\tdate: 2017-10-01\n",
	          "f.yml:2:1: error: tabs are not allowed in YAML; indent with spaces");
	yaml_says("title: Trump: the deal\n",
	          "f.yml:1:13: error: a colon followed by a space cannot be in a value without "
	          "quotes; put the title in quotes: title: \"Trump: the deal\"");
	/* not "key: value" alone on its line: the general advice */
	yaml_says("points:\n  - a: b: c\n",
	          "f.yml:2:9: error: a colon followed by a space cannot be in a value without "
	          "quotes; put the value in quotes");
}

int main(void)
{
	RUN(distance_counts_typos);
	RUN(dates_in_plain_words);
	RUN(yaml_in_plain_words);
	return TEST_MAIN_END();
}
