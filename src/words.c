/* words.c: word counts and whole-word search over plain text. */
#include "words.h"

#include <ctype.h>
#include <string.h>

size_t words_count(const char *s)
{
	size_t n = 0;
	int in = 0;
	for (; *s; s++) {
		int sp = isspace((unsigned char)*s);
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

int words_contain(const char *text, const char *name, int fold_case)
{
	size_t n = strlen(name);
	if (!n)
		return 0;
	for (const char *p = fold_case ? strcasestr(text, name) : strstr(text, name); p;
	     p = fold_case ? strcasestr(p + 1, name) : strstr(p + 1, name))
		if ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return 1;
	return 0;
}
