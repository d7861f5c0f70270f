/* tz.c: see tz.h. Reads the 64-bit section of a TZif file (RFC 8536):
 * transition times and the offset each one starts; the POSIX rule in the
 * footer is not read (Debian's files list transitions through 2037). */
#include "tz.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"

struct tz {
	size_t n;        /* transitions */
	int64_t *at;     /* when each starts, ascending */
	int *offset;     /* minutes east of UTC from then on */
	int first;       /* the offset before the first transition */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The counts of a header at p: isutcnt isstdcnt leapcnt timecnt typecnt
 * charcnt. Returns the size of the data block that follows it for times
 * of tsize bytes, or 0 when the header is not one. */
static size_t header(const unsigned char *p, size_t left, uint32_t cnt[6], size_t tsize)
{
	if (left < 44 || memcmp(p, "TZif", 4) != 0)
		return 0;
	for (int i = 0; i < 6; i++) {
		cnt[i] = be32(p + 20 + 4 * i);
		if (cnt[i] > 100000)
			return 0;
	}
	if (!cnt[4])
		return 0;
	return cnt[3] * tsize + cnt[3] + cnt[4] * 6 + cnt[5] + cnt[2] * (tsize + 4) + cnt[1] +
	       cnt[0];
}

struct tz *tz_parse(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	uint32_t cnt[6];
	size_t block = header(p, len, cnt, 4);
	if (!block || 44 + block > len)
		return NULL;
	size_t tsize = 4;
	if (p[4] >= '2') { /* skip the 32-bit part, read the 64-bit one */
		p += 44 + block;
		len -= 44 + block;
		block = header(p, len, cnt, 8);
		if (!block || 44 + block > len)
			return NULL;
		tsize = 8;
	}
	const unsigned char *times = p + 44, *idx = times + cnt[3] * tsize,
	                    *types = idx + cnt[3];
	struct tz *z = xcalloc(1, sizeof *z);
	z->n = cnt[3];
	z->at = xcalloc(z->n + 1, sizeof *z->at);
	z->offset = xcalloc(z->n + 1, sizeof *z->offset);
	for (size_t i = 0; i < z->n; i++) {
		z->at[i] = tsize == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
		if (idx[i] >= cnt[4] || (i && z->at[i] <= z->at[i - 1])) {
			tz_free(z);
			return NULL;
		}
		z->offset[i] = (int32_t)be32(types + 6 * idx[i]) / 60;
	}
	/* before the first transition: the first standard-time type (RFC 8536
	 * 3.2 says type 0) */
	z->first = (int32_t)be32(types) / 60;
	return z;
}

struct tz *tz_load(const char *name)
{
	if (!name || !*name || name[0] == '/' || strstr(name, ".."))
		return NULL;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || strchr("/_+-", *c)))
			return NULL;
	char *path = xasprintf("/usr/share/zoneinfo/%s", name);
	buf b = BUF_INIT;
	struct tz *z = fs_is_dir(path) || fs_read(path, &b) != 0 ? NULL : tz_parse(b.ptr, b.len);
	buf_free(&b);
	free(path);
	return z;
}

void tz_free(struct tz *z)
{
	if (!z)
		return;
	free(z->at);
	free(z->offset);
	free(z);
}

int tz_offset_at(const struct tz *z, int64_t utc)
{
	if (!z->n || utc < z->at[0])
		return z->first;
	size_t lo = 0, hi = z->n; /* the last transition at or before utc */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return z->offset[lo];
}

int tz_offset_local(const struct tz *z, int64_t local)
{
	/* the offsets in force a day either side of the time cover every
	 * change near it: the earlier one fits unless the time was skipped */
	int before = tz_offset_at(z, local - 86400), after = tz_offset_at(z, local + 86400);
	if (tz_offset_at(z, local - (int64_t)before * 60) == before)
		return before;
	if (tz_offset_at(z, local - (int64_t)after * 60) == after)
		return after;
	return before;
}
