/* num.h: whole numbers read from text the user typed (flags, environment,
 * site.yml strings), checked the way strtonum(3) checks them: the whole
 * text is the number, and it lies in a range. No hand parsers, no atoi. */
#ifndef BRIEFING_NUM_H
#define BRIEFING_NUM_H

/* Reads s as a decimal integer, optionally signed, with nothing before or
 * after it ("2x", " 2", "" and "0x10" are not numbers). Returns 0 and sets
 * *out when it is one within [min, max]; -1 otherwise, *out untouched. */
int num_parse(const char *s, long long min, long long max, long long *out);

#endif
