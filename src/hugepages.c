/* hugepages.c: see hugepages.h. */
#include "hugepages.h"

#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HP_SANITIZED 1 /* the sanitizer's allocator, not glibc's */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HP_SANITIZED 1
#endif
#endif

#ifndef HP_SANITIZED
/* Does the kernel give huge pages only to memory that asks (the mode in
 * which the tunable makes a difference)? */
static int madvise_mode(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (!f)
		return 0;
	char line[128] = "";
	int ok = fgets(line, sizeof line, f) && strstr(line, "[madvise]");
	fclose(f);
	return ok;
}

/* glibc 2.35 brought the tunable; older ones would ignore it. */
static int glibc_has_tunable(void)
{
	int major = 0, minor = 0;
	return sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) == 2 &&
	       (major > 2 || (major == 2 && minor >= 35));
}
#endif

void hp_reexec(char **argv)
{
#ifdef HP_SANITIZED
	(void)argv;
#else
	const char *off = getenv("BRIEFING_HUGEPAGES");
	const char *tunables = getenv("GLIBC_TUNABLES");
	const char *preload = getenv("LD_PRELOAD");
	if ((off && !strcmp(off, "0")) || (tunables && strstr(tunables, "glibc.malloc.hugetlb")) ||
	    (preload && strstr(preload, "vgpreload")) || !glibc_has_tunable() || !madvise_mode())
		return;
	char *value = tunables && *tunables ? xasprintf("%s:glibc.malloc.hugetlb=1", tunables)
	                                     : xstrdup("glibc.malloc.hugetlb=1");
	if (setenv("GLIBC_TUNABLES", value, 1) == 0)
		execv("/proc/self/exe", argv);
	/* still here: run as we are, and do not leave the setting to children
	 * that did not ask for it */
	if (tunables)
		setenv("GLIBC_TUNABLES", tunables, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	free(value);
#endif
}
