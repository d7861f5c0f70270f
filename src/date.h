/* date.h: article dates: "YYYY-MM-DD" or RFC 3339 ("2017-12-12T09:30:00-05:00").
 * A date keeps the local calendar day and offset as written, because an
 * edition is the day the editor wrote, not the UTC day. Date-only values
 * and times without an offset take the site's zone (tz.h: the offset in
 * force on that date) or its fixed default offset. */
#ifndef BRIEFING_DATE_H
#define BRIEFING_DATE_H

#include <stdint.h>

#include "buf.h"

struct date {
	int year, month, day, hour, min, sec;
	int offset_min;   /* minutes east of UTC */
	int has_time;     /* 0 for "YYYY-MM-DD" */
	int64_t epoch;    /* seconds since 1970-01-01T00:00:00Z */
};

/* Returns 0 on success, -1 if s is not a valid date. default_offset_min
 * applies to date-only values and to date-times without an offset. */
int date_parse(const char *s, int default_offset_min, struct date *out);
/* Why s, which date_parse refused, is not a date, in plain words, when
 * there is more to say than the forms: a day that does not exist
 * (2026-02-30), Jekyll's "2017-09-30 10:00:00 -0500" (with the form to
 * write instead). NULL otherwise; caller frees. */
char *date_explain(const char *s);
/* The same, where a value without an offset takes the one zone gives its
 * wall-clock time (default_offset_min when zone is NULL). */
struct tz;
int date_parse_zone(const char *s, const struct tz *zone, int default_offset_min,
                    struct date *out);
/* 2017-12-12 */
void date_put_day(buf *b, const struct date *d);
/* 2017-12-12T09:30:00-05:00 (or Z) */
void date_put_iso(buf *b, const struct date *d);
/* 12 December 2017 */
void date_put_display(buf *b, const struct date *d);
/* The same in a site language ("fr", "de-AT", ...): "12 décembre 2017",
 * "12. Dezember 2017"; unknown languages get English. */
void date_put_display_lang(buf *b, const struct date *d, const char *lang);
const char *date_month_name(int month, const char *lang);
/* RFC 822 as RSS wants it: "Tue, 12 Dec 2017 10:00:00 -0500". */
void date_put_rfc822(buf *b, const struct date *d);
/* Days since 1970-01-01 for a civil date (proleptic Gregorian). */
int64_t date_days_from_civil(int y, int m, int d);
/* Fills a struct date (UTC) from epoch seconds. */
void date_from_epoch(int64_t epoch, int offset_min, struct date *out);
/* "Now" in epoch seconds for everything that stamps or compares a date:
 * $SOURCE_DATE_EPOCH when it holds a whole number of seconds, so builds
 * and tests are reproducible (reproducible-builds.org), else the clock. */
int64_t date_now(void);

#endif
