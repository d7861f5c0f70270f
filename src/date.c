/* date.c: strict parsing of the two date forms we accept, and formatting. */
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "num.h"
#include "tz.h"

int64_t date_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t date_now(void)
{
	long long sde;
	if (num_parse(getenv("SOURCE_DATE_EPOCH"), 0, INT64_MAX / 2, &sde) == 0)
		return (int64_t)sde;
	return (int64_t)time(NULL);
}

void date_from_epoch(int64_t epoch, int offset_min, struct date *out)
{
	int64_t local = epoch + (int64_t)offset_min * 60;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	memset(out, 0, sizeof *out);
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->year = (int)(yoe + era * 400 + (out->month <= 2));
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->offset_min = offset_min;
	out->has_time = 1;
	out->epoch = epoch;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int date_parse(const char *s, int default_offset_min, struct date *out)
{
	return date_parse_zone(s, NULL, default_offset_min, out);
}

int date_parse_zone(const char *s, const struct tz *zone, int default_offset_min,
                    struct date *out)
{
	int written = 0; /* an offset (or Z) in s */
	struct date d;
	memset(&d, 0, sizeof d);
	if (strlen(s) < 10 || digits(s, 4, &d.year) || s[4] != '-' || digits(s + 5, 2, &d.month) ||
	    s[7] != '-' || digits(s + 8, 2, &d.day))
		return -1;
	if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
	    d.day > days_in_month(d.year, d.month))
		return -1;
	const char *p = s + 10;
	d.offset_min = default_offset_min;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		d.has_time = 1;
		p++;
		if (digits(p, 2, &d.hour) || p[2] != ':' || digits(p + 3, 2, &d.min))
			return -1;
		p += 5;
		if (*p == ':') {
			if (digits(p + 1, 2, &d.sec))
				return -1;
			p += 3;
			if (*p == '.') {
				p++;
				if (*p < '0' || *p > '9')
					return -1;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (d.hour > 23 || d.min > 59 || d.sec > 60)
			return -1;
		if (*p == 'Z' || *p == 'z') {
			d.offset_min = 0;
			written = 1;
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
				return -1;
			d.offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
			written = 1;
			p += 6;
		}
	}
	if (*p != '\0')
		return -1;
	if (d.sec == 60)
		d.sec = 59; /* leap second: close enough for ordering */
	if (zone && !written)
		d.offset_min = tz_offset_local(zone, date_days_from_civil(d.year, d.month, d.day) *
		                                         86400 + d.hour * 3600 + d.min * 60 + d.sec);
	d.epoch = date_days_from_civil(d.year, d.month, d.day) * 86400 + d.hour * 3600 + d.min * 60 +
	          d.sec - (int64_t)d.offset_min * 60;
	*out = d;
	return 0;
}

static const char *const month_names[] = {"January", "February", "March", "April", "May",
                                           "June", "July", "August", "September", "October",
                                           "November", "December"};

char *date_explain(const char *s)
{
	int y, m, d, hh, mm, ss = 0, oh = 0, om = 0;
	if (!s || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return NULL;
	if (m < 1 || m > 12)
		return xasprintf("\"%s\" has no month %d: a date is YYYY-MM-DD, the month "
		                 "second", s, m);
	if (y < 1 || d < 1 || d > days_in_month(y, m))
		return xasprintf("\"%s\" is not a day: %s %d has %d days", s, month_names[m - 1], y,
		                 days_in_month(y, m));
	/* Jekyll's "2017-09-30 10:00:00 -0500": a space before the offset,
	 * no colon in it */
	const char *p = s + 10;
	if ((*p != ' ' && *p != 'T') || digits(p + 1, 2, &hh) || p[3] != ':' || digits(p + 4, 2, &mm))
		return NULL;
	p += 6;
	if (*p == ':' && !digits(p + 1, 2, &ss))
		p += 3;
	while (*p == ' ')
		p++;
	char sign = *p;
	if ((sign == '+' || sign == '-') && !digits(p + 1, 2, &oh)) {
		p += 3;
		if (*p == ':')
			p++;
		if (digits(p, 2, &om))
			return NULL;
		p += 2;
	} else if (*p == 'Z' || !strcmp(p, "UTC")) {
		sign = 'Z';
		p += *p == 'Z' ? 1 : 3;
	} else {
		sign = 0;
	}
	if (*p || hh > 23 || mm > 59 || ss > 59)
		return NULL;
	char zone[12] = ""; /* (room for any int the compiler cannot rule out) */
	if (sign == 'Z')
		strcpy(zone, "Z");
	else if (sign)
		snprintf(zone, sizeof zone, "%c%02d:%02d", sign, oh % 100, om % 100);
	return xasprintf("\"%s\" is not a form briefing reads; write %.10sT%02d:%02d:%02d%s (RFC "
	                 "3339: a T between day and time%s), or the day alone, %.10s", s, s, hh, mm, ss,
	                 zone, sign && sign != 'Z' ? ", a colon in the offset" : "", s);
}

/* v in decimal, zero-padded to width digits, after sep (if not 0): the
 * fields of a date, written often enough (every page and feed entry) that
 * printf's parsing shows. */
static void put_num(buf *b, int sep, int v, int width)
{
	char tmp[16];
	int n = 0;
	if (sep)
		tmp[n++] = (char)sep;
	if (v < 0 || v > 99999) {
		buf_put(b, tmp, (size_t)n);
		buf_printf(b, "%0*d", width, v);
		return;
	}
	char digits[8];
	int k = 0;
	do {
		digits[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k < width)
		digits[k++] = '0';
	while (k)
		tmp[n++] = digits[--k];
	buf_put(b, tmp, (size_t)n);
}

void date_put_day(buf *b, const struct date *d)
{
	put_num(b, 0, d->year, 4);
	put_num(b, '-', d->month, 2);
	put_num(b, '-', d->day, 2);
}

void date_put_iso(buf *b, const struct date *d)
{
	date_put_day(b, d);
	put_num(b, 'T', d->hour, 2);
	put_num(b, ':', d->min, 2);
	put_num(b, ':', d->sec, 2);
	if (d->offset_min == 0) {
		buf_putc(b, 'Z');
		return;
	}
	int off = d->offset_min < 0 ? -d->offset_min : d->offset_min;
	put_num(b, d->offset_min < 0 ? '-' : '+', off / 60, 2);
	put_num(b, ':', off % 60, 2);
}

/* Month names for the languages a briefing site is most often written in;
 * any other language falls back to English. */
static const struct {
	const char *lang;
	const char *pattern; /* %d day, %s month, %Y year (in this order) */
	const char *months[12];
} calendars[] = {
	{"en", "%d %s %Y", {"January", "February", "March", "April", "May", "June", "July",
	                    "August", "September", "October", "November", "December"}},
	{"fr", "%d %s %Y", {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	                    "août", "septembre", "octobre", "novembre", "décembre"}},
	{"de", "%d. %s %Y", {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
	                     "August", "September", "Oktober", "November", "Dezember"}},
	{"es", "%d de %s de %Y", {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	                          "agosto", "septiembre", "octubre", "noviembre", "diciembre"}},
	{"it", "%d %s %Y", {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
	                    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}},
	{"pt", "%d de %s de %Y", {"janeiro", "fevereiro", "março", "abril", "maio", "junho",
	                          "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"}},
	{"nl", "%d %s %Y", {"januari", "februari", "maart", "april", "mei", "juni", "juli",
	                    "augustus", "september", "oktober", "november", "december"}},
};

static int calendar_of(const char *lang)
{
	for (size_t i = 0; lang && i < sizeof calendars / sizeof calendars[0]; i++) {
		size_t n = strlen(calendars[i].lang);
		if (strncmp(lang, calendars[i].lang, n) == 0 && (lang[n] == '\0' || lang[n] == '-' ||
		                                                  lang[n] == '_'))
			return (int)i;
	}
	return 0;
}

const char *date_month_name(int month, const char *lang)
{
	if (month < 1 || month > 12)
		return "";
	return calendars[calendar_of(lang)].months[month - 1];
}

void date_put_display_lang(buf *b, const struct date *d, const char *lang)
{
	int c = calendar_of(lang);
	for (const char *p = calendars[c].pattern; *p; p++) {
		if (p[0] == '%' && p[1] == 'd') {
			put_num(b, 0, d->day, 1);
			p++;
		} else if (p[0] == '%' && p[1] == 's') {
			buf_puts(b, calendars[c].months[d->month - 1]);
			p++;
		} else if (p[0] == '%' && p[1] == 'Y') {
			put_num(b, 0, d->year, 1);
			p++;
		} else {
			buf_putc(b, *p);
		}
	}
}

void date_put_display(buf *b, const struct date *d)
{
	date_put_display_lang(b, d, "en");
}

void date_put_rfc822(buf *b, const struct date *d)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t days_since = date_days_from_civil(d->year, d->month, d->day);
	int wd = (int)(((days_since % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
	int off = d->offset_min < 0 ? -d->offset_min : d->offset_min;
	buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", days[wd], d->day,
	           months[d->month - 1], d->year, d->hour, d->min, d->sec,
	           d->offset_min < 0 ? '-' : '+', off / 60, off % 60);
}
