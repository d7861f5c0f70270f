/* Unit tests: num_parse (the checked parser for numbers the user types)
 * and date_now (SOURCE_DATE_EPOCH or the clock), which reads through it. */
#include <stdlib.h>

#include "../../src/date.h"
#include "../../src/num.h"
#include "test.h"

static void whole_numbers_in_range(void)
{
	long long n = -1;
	CHECK_INT(num_parse("2", 1, 256, &n), 0);
	CHECK_INT(n, 2);
	CHECK_INT(num_parse("-5", -10, 10, &n), 0);
	CHECK_INT(n, -5);
	CHECK_INT(num_parse("+7", 0, 10, &n), 0);
	CHECK_INT(n, 7);
	CHECK_INT(num_parse("0", 0, 0, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(num_parse("9223372036854775807", 0, 9223372036854775807LL, &n), 0);
}

/* atoi read all of these as a number; none of them is one */
static void trailing_or_leading_junk_is_an_error(void)
{
	static const char *const bad[] = {"2x", "x2", "", " 2", "2 ", "0x10", "1e3", "2.5",
	                                  "-", "+", "--2", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		long long n = 42;
		if (num_parse(bad[i], -1000, 1000, &n) != -1 || n != 42) {
			printf("#   \"%s\" was read as a number\n", bad[i]);
			CHECK(0);
		}
	}
	long long n = 42;
	CHECK_INT(num_parse(NULL, 0, 1, &n), -1);
}

static void out_of_range_is_an_error(void)
{
	long long n = 42;
	CHECK_INT(num_parse("0", 1, 256, &n), -1);
	CHECK_INT(num_parse("257", 1, 256, &n), -1);
	CHECK_INT(num_parse("-1", 0, 10, &n), -1);
	CHECK_INT(n, 42);
}

static void date_now_reads_source_date_epoch(void)
{
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	CHECK_INT(date_now(), 1700000000);
	/* not a number: the clock, not 1970 (strtoll gave 0 here) */
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	CHECK(date_now() > 1700000000);
	setenv("SOURCE_DATE_EPOCH", "", 1);
	CHECK(date_now() > 1700000000);
	unsetenv("SOURCE_DATE_EPOCH");
	CHECK(date_now() > 1700000000);
}

int main(void)
{
	RUN(whole_numbers_in_range);
	RUN(trailing_or_leading_junk_is_an_error);
	RUN(out_of_range_is_an_error);
	RUN(date_now_reads_source_date_epoch);
	return TEST_MAIN_END();
}
