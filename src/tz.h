/* tz.h: named time zones ("America/New_York") read from the system's
 * tzdata (TZif files in /usr/share/zoneinfo), so that each date gets the
 * UTC offset in force on that date, daylight saving included. Read-only
 * after loading, so threads may share one; no TZ variable, no libc
 * time-zone state. Fixed offsets ("+05:30") are not zones: see site.c. */
#ifndef BRIEFING_TZ_H
#define BRIEFING_TZ_H

#include <stddef.h>
#include <stdint.h>

struct tz;

/* The zone of that name, or NULL when the name is not a zone (unsafe
 * characters, "..", no such file, not a TZif file). Caller frees. */
struct tz *tz_load(const char *name);
/* A zone from the bytes of a TZif file (version 1 to 4), or NULL. */
struct tz *tz_parse(const char *data, size_t len);
/* tz_free(NULL) is a no-op. */
void tz_free(struct tz *z);

/* Minutes east of UTC in force at utc (seconds since the epoch). Past the
 * file's last transition the last offset holds. */
int tz_offset_at(const struct tz *z, int64_t utc);
/* The offset for a wall-clock time in the zone, given as seconds since
 * the epoch as if it were UTC. A time skipped by a spring-forward change
 * takes the offset before it; a repeated one, the earlier (summer) one. */
int tz_offset_local(const struct tz *z, int64_t local);

#endif
