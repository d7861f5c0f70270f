/* test.h: a tiny unit-test harness. Each test prints "ok - name" or
 * "not ok - name" (TAP-like); tests/run counts them across all programs. */
#ifndef BRIEFING_TEST_H
#define BRIEFING_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed_checks __attribute__((unused));
static int test_passed __attribute__((unused)), test_failed __attribute__((unused));

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			test_failed_checks++;                                            \
		}                                                                        \
	} while (0)

#define CHECK_STR(got, want)                                                              \
	do {                                                                              \
		const char *g_ = (got), *w_ = (want);                                     \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                  \
			printf("#   %s:%d: %s\n#     got:  \"%s\"\n#     want: \"%s\"\n", __FILE__, \
			       __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");     \
			test_failed_checks++;                                             \
		}                                                                         \
	} while (0)

#define CHECK_INT(got, want)                                                               \
	do {                                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);                   \
		if (g_ != w_) {                                                            \
			printf("#   %s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got, \
			       g_, w_);                                                    \
			test_failed_checks++;                                              \
		}                                                                          \
	} while (0)

#define RUN(fn)                                                   \
	do {                                                      \
		test_failed_checks = 0;                           \
		fn();                                             \
		if (test_failed_checks) {                         \
			printf("not ok - %s\n", #fn);             \
			test_failed++;                            \
		} else {                                          \
			printf("ok - %s\n", #fn);                 \
			test_passed++;                            \
		}                                                 \
	} while (0)

#define TEST_MAIN_END() (fflush(stdout), test_failed ? 1 : 0)

#endif
