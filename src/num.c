/* num.c: see num.h. */
#include "num.h"

#include <errno.h>
#include <stdlib.h>

int num_parse(const char *s, long long min, long long max, long long *out)
{
	if (!s)
		return -1;
	/* strtoll skips leading space and takes "+"; only a sign may lead */
	const char *digits = s + (*s == '-' || *s == '+');
	if (*digits < '0' || *digits > '9')
		return -1;
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}
