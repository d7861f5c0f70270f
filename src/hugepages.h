/* hugepages.h: large builds spend much of their time in page faults as the
 * heap fills with small values. glibc (2.35 and later) backs its heap with
 * transparent huge pages when asked through GLIBC_TUNABLES, which it reads
 * only at start-up; hp_reexec asks for it by running the program again. */
#ifndef BRIEFING_HUGEPAGES_H
#define BRIEFING_HUGEPAGES_H

/* When the kernel gives huge pages only on request ("madvise" mode), glibc
 * can ask for them, GLIBC_TUNABLES says nothing of it yet and nothing rules
 * it out (a sanitizer or valgrind, BRIEFING_HUGEPAGES=0), executes
 * /proc/self/exe again with glibc.malloc.hugetlb=1 added; returns only
 * when it does not (or the exec fails, which is harmless). */
void hp_reexec(char **argv);

#endif
