/* Unit tests: frontmatter, date, slugify, url_root, diag. */
#include <stdlib.h>

#include "../../src/date.h"
#include "../../src/diag.h"
#include "../../src/frontmatter.h"
#include "../../src/site.h"
#include "test.h"

static void split_basic(void)
{
	struct diag *d = diag_new();
	struct fm_parts p;
	const char *t = "---\ntitle: x\n---\nbody\n";
	CHECK_INT(fm_split(t, strlen(t), "a.md", &p, d), 0);
	CHECK(p.yaml == t + 4);
	CHECK_INT(p.yaml_len, 9);
	CHECK_INT(p.yaml_line, 2);
	CHECK_STR(p.body, "body\n");
	CHECK_INT(p.body_line, 4);
	diag_free(d);
}

static void split_bom_crlf(void)
{
	struct diag *d = diag_new();
	struct fm_parts p;
	const char *t = "\xEF\xBB\xBF---\r\ntitle: x\r\n---  \r\nbody";
	CHECK_INT(fm_split(t, strlen(t), "a.md", &p, d), 0);
	CHECK(p.yaml != NULL);
	CHECK_INT(p.yaml_len, 10);
	CHECK_STR(p.body, "body");
	diag_free(d);
}

static void split_none_and_unclosed(void)
{
	struct diag *d = diag_new();
	struct fm_parts p;
	const char *t = "# Just markdown\n";
	CHECK_INT(fm_split(t, strlen(t), "a.md", &p, d), 0);
	CHECK(p.yaml == NULL);
	CHECK(p.body == t);
	const char *u = "---\ntitle: x\n";
	CHECK_INT(fm_split(u, strlen(u), "b.md", &p, d), -1);
	CHECK_STR(diag_message(d, 0, NULL),
	          "b.md:1:1: error: front matter is not closed: expected a line \"---\" after it");
	CHECK_INT(fm_split("", 0, "c.md", &p, d), 0);
	CHECK_INT(p.body_len, 0);
	diag_free(d);
}

static void dates(void)
{
	struct date dt;
	buf b = BUF_INIT;
	CHECK_INT(date_parse("2017-12-12", -300, &dt), 0);
	CHECK_INT(dt.has_time, 0);
	date_put_iso(&b, &dt);
	CHECK_STR(b.ptr, "2017-12-12T00:00:00-05:00");
	CHECK_INT(dt.epoch, 1513054800);
	CHECK_INT(date_parse("2017-12-12T09:30:00+09:00", 0, &dt), 0);
	buf_reset(&b);
	date_put_display(&b, &dt);
	CHECK_STR(b.ptr, "12 December 2017");
	CHECK_INT(dt.epoch, 1513038600);
	CHECK_INT(date_parse("2024-02-29T23:59:59.5Z", 0, &dt), 0);
	buf_reset(&b);
	date_put_iso(&b, &dt);
	CHECK_STR(b.ptr, "2024-02-29T23:59:59Z");
	/* padding: a year below 1000, single-digit fields, a half-hour offset */
	CHECK_INT(date_parse("0099-03-01T01:02:03+05:30", 0, &dt), 0);
	buf_reset(&b);
	date_put_iso(&b, &dt);
	CHECK_STR(b.ptr, "0099-03-01T01:02:03+05:30");
	buf_reset(&b);
	date_put_display(&b, &dt);
	CHECK_STR(b.ptr, "1 March 99");
	buf_reset(&b);
	date_put_rfc822(&b, &dt);
	CHECK_STR(b.ptr, "Sun, 01 Mar 0099 01:02:03 +0530");
	CHECK_INT(date_parse("tuesday", 0, &dt), -1);
	CHECK_INT(date_parse("2023-02-29", 0, &dt), -1);
	CHECK_INT(date_parse("2017-13-01", 0, &dt), -1);
	CHECK_INT(date_parse("2017-12-12T25:00:00Z", 0, &dt), -1);
	CHECK_INT(date_parse("2017-12-12T10:00:00+05", 0, &dt), -1);
	CHECK_INT(date_parse("2017-12-12junk", 0, &dt), -1);
	date_from_epoch(1513054800, -300, &dt);
	CHECK_INT(dt.year, 2017);
	CHECK_INT(dt.month, 12);
	CHECK_INT(dt.day, 12);
	CHECK_INT(dt.hour, 0);
	buf_free(&b);
}

static void slugs(void)
{
	char *s;
	CHECK_STR(s = slugify("Kim Jong Un"), "kim-jong-un");
	free(s);
	CHECK_STR(s = slugify("U.S. Congress"), "us-congress");
	free(s);
	CHECK_STR(s = slugify("  Q&A: \"maximum pressure\"  "), "q-a-maximum-pressure");
	free(s);
	CHECK_STR(s = slugify("speeches-remarks"), "speeches-remarks");
	free(s);
	CHECK_STR(s = slugify("Non\xC2\xA0" "breaking"), "non-breaking");
	free(s);
	CHECK_STR(s = slugify("Émigrés"), "\xC3\xA9migr\xC3\xA9s"); /* lower case beyond ASCII */
	free(s);
	CHECK_STR(s = slugify("../../etc"), "etc");
	free(s);
}

static void roots(void)
{
	buf b = BUF_INIT;
	url_root(&b, "articles/2017/x/");
	CHECK_STR(b.ptr, "../../../");
	buf_reset(&b);
	url_root(&b, "");
	CHECK_STR(b.ptr, "");
	buf_reset(&b);
	url_root(&b, "404.html");
	CHECK_STR(b.ptr, "");
	buf_free(&b);
}

static void diag_order(void)
{
	struct diag *a = diag_new(), *b = diag_new();
	diag_error(a, "x.md", 3, 7, "first %d", 1);
	diag_warn(b, "y.md", 0, 0, "second");
	diag_error(b, NULL, 0, 0, "third");
	diag_merge(a, b);
	CHECK_INT(diag_count(a, DIAG_ERROR), 2);
	CHECK_INT(diag_count(a, DIAG_WARNING), 1);
	CHECK_STR(diag_message(a, 0, NULL), "x.md:3:7: error: first 1");
	CHECK_STR(diag_message(a, 1, NULL), "y.md: warning: second");
	CHECK_STR(diag_message(a, 2, NULL), "briefing: error: third");
	CHECK(diag_message(b, 0, NULL) == NULL);
	diag_free(a);
	diag_free(b);
}

static void display_languages(void)
{
	struct date d;
	CHECK_INT(date_parse("2017-12-12", 0, &d), 0);
	const char *langs[] = {"en", "fr", "de-AT", "es", "pt_BR", "xx"};
	const char *want[] = {"12 December 2017", "12 décembre 2017", "12. Dezember 2017",
	                      "12 de diciembre de 2017", "12 de dezembro de 2017", "12 December 2017"};
	for (int i = 0; i < 6; i++) {
		buf b = BUF_INIT;
		date_put_display_lang(&b, &d, langs[i]);
		CHECK_STR(b.ptr, want[i]);
		buf_free(&b);
	}
	CHECK_STR(date_month_name(3, "de"), "März");
}

int main(void)
{
	RUN(split_basic);
	RUN(display_languages);
	RUN(split_bom_crlf);
	RUN(split_none_and_unclosed);
	RUN(dates);
	RUN(slugs);
	RUN(roots);
	RUN(diag_order);
	return TEST_MAIN_END();
}
