/* resize.c: see resize.h. One decode per image whose copies are not all
 * in the cache; the copies are scaled from it with libgd and encoded in
 * the source's format. The cache is content-addressed (hash and length of
 * the source, width, format), so sites and builds share it safely, and a
 * file is written under a temporary name and renamed into place, so a
 * reader never sees half a copy. */
#include "resize.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "hashes.h"
#include "imgsize.h"

#ifdef BRIEFING_HAVE_GD
#include <dlfcn.h>
#include <gd.h>
#include <pthread.h>
#endif

/* Bump when the copies would come out differently (filter, quality). */
#define RSZ_TAG "v1"
/* Pixels we decode at most: a small file may claim a huge canvas. */
#define RSZ_MAX_PIXELS 40000000ULL

enum fmt { F_NONE, F_PNG, F_JPEG, F_WEBP };

static enum fmt format_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || strchr(dot, '/'))
		return F_NONE;
	char ext[8];
	size_t n = strlen(dot + 1);
	if (n >= sizeof ext)
		return F_NONE;
	for (size_t i = 0; i <= n; i++)
		ext[i] = (char)tolower((unsigned char)dot[1 + i]);
	if (!strcmp(ext, "png"))
		return F_PNG;
	if (!strcmp(ext, "jpg") || !strcmp(ext, "jpeg"))
		return F_JPEG;
	if (!strcmp(ext, "webp"))
		return F_WEBP;
	return F_NONE;
}

int rsz_format(const char *name)
{
	return format_of(name) != F_NONE;
}

static unsigned get16(const unsigned char *p, int big)
{
	return big ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

/* The EXIF orientation of a JPEG (1 upright, 2-8 mirrored or turned), 1
 * without one. Reads APP1 segments up to the first frame, never past len. */
static unsigned jpeg_orientation(const unsigned char *b, size_t len)
{
	size_t i = 2;
	while (i + 4 <= len && b[i] == 0xFF) {
		unsigned marker = b[i + 1], seg = get16(b + i + 2, 1);
		if (marker == 0xDA || (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
		                       marker != 0xC8 && marker != 0xCC) || seg < 2)
			return 1;
		const unsigned char *t = b + i + 10; /* TIFF header, after "Exif\0\0" */
		size_t tlen = seg >= 8 && i + 2 + seg <= len ? seg - 8 : 0;
		if (marker == 0xE1 && tlen >= 8 && !memcmp(b + i + 4, "Exif\0\0", 6) &&
		    (t[0] == 'M' || t[0] == 'I')) {
			int big = t[0] == 'M';
			size_t ifd = big ? (size_t)t[4] << 24 | (size_t)t[5] << 16 | (size_t)t[6] << 8 | t[7]
			                 : (size_t)t[7] << 24 | (size_t)t[6] << 16 | (size_t)t[5] << 8 | t[4];
			if (ifd > tlen - 2)
				return 1;
			unsigned n = get16(t + ifd, big);
			for (unsigned k = 0; k < n && ifd + 2 + 12 * (size_t)(k + 1) <= tlen; k++) {
				const unsigned char *e = t + ifd + 2 + 12 * (size_t)k;
				if (get16(e, big) == 0x0112)
					return get16(e + 8, big);
			}
			return 1;
		}
		i += 2 + seg;
	}
	return 1;
}

int rsz_can(const char *name, const void *bytes, size_t len)
{
	enum fmt f = format_of(name);
	return f != F_NONE && (f != F_JPEG || jpeg_orientation(bytes, len) <= 1);
}

static const char *const ext_of[] = {"", "png", "jpg", "webp"};

/* The cache file of the copy at width w (w 0: the "cannot decode" mark).
 * Caller frees. */
static char *cache_path(const char *dir, uint64_t h, size_t len, unsigned w, enum fmt f)
{
	if (!w)
		return xasprintf("%s/%s-%016llx-%zu.bad", dir, RSZ_TAG, (unsigned long long)h, len);
	return xasprintf("%s/%s-%016llx-%zu-%u.%s", dir, RSZ_TAG, (unsigned long long)h, len, w,
	                 ext_of[f]);
}

/* Writes data to path through a temporary name, so that two threads or two
 * builds making the same copy never leave a torn file. A cache that cannot
 * be written is no error: the copy is made again next time. */
static void cache_store(const char *path, const void *data, size_t len)
{
	static atomic_uint counter;
	char *tmp = xasprintf("%s.%ld-%u.tmp", path, (long)getpid(), atomic_fetch_add(&counter, 1));
	if (fs_write(tmp, data, len) == 0 && rename(tmp, path) == 0) {
		free(tmp);
		return;
	}
	unlink(tmp);
	free(tmp);
}

#ifdef BRIEFING_HAVE_GD

const char *rsz_library(void)
{
	return "libgd " GD_VERSION_STRING;
}

/* libgd is opened on the first image to decode, not linked: it brings
 * some sixty libraries (HEIF, AV1, X11...) whose loading took 20 ms from
 * every command, a build with nothing to resize included. GD_SONAME is
 * the library the Makefile found. */
#ifndef GD_SONAME
#define GD_SONAME "libgd.so.3"
#endif

#define GD_FUNCS(X)                                                                     \
	X(gdSetErrorMethod) X(gdImageCreateFromPngPtr) X(gdImageCreateFromJpegPtr)          \
	X(gdImageCreateFromWebpPtr) X(gdImagePaletteToTrueColor) X(gdImageDestroy)          \
	X(gdImageSetInterpolationMethod) X(gdImageScale) X(gdImageAlphaBlending)            \
	X(gdImageSaveAlpha) X(gdImagePngPtrEx) X(gdImageJpegPtr) X(gdImageWebpPtrEx) X(gdFree)

static struct {
	void *lib;
#define GD_FIELD(f) __typeof__(&f) f;
	GD_FUNCS(GD_FIELD)
#undef GD_FIELD
} gd;

/* libgd reports through one global handler, to stderr by default; we say
 * what went wrong ourselves, once, with the file's name. */
static void quiet(int priority, const char *fmt, va_list ap)
{
	(void)priority, (void)fmt, (void)ap;
}

/* Opens libgd and finds its functions; gd.lib stays NULL when it cannot,
 * which is said once here (the library removed since the build). */
static void load_gd(void)
{
	void *lib = dlopen(GD_SONAME, RTLD_NOW | RTLD_LOCAL);
	int ok = lib != NULL;
#define GD_FIND(f) ok = ok && (*(void **)&gd.f = dlsym(lib, #f)) != NULL;
	GD_FUNCS(GD_FIND)
#undef GD_FIND
	if (!ok) { /* dlerror names the library when it did not open */
		const char *why = dlerror();
		fprintf(stderr, "briefing: warning: %s%s%s; images get no smaller copies\n",
		        lib ? GD_SONAME : "", lib ? ": " : "", why ? why : "cannot be opened");
		if (lib)
			dlclose(lib);
		return;
	}
	gd.gdSetErrorMethod(quiet);
	gd.lib = lib;
}

/* Whether libgd is open, opening it the first time (any thread). */
static int have_gd(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, load_gd);
	return gd.lib != NULL;
}

static gdImagePtr decode(enum fmt f, const void *bytes, size_t len)
{
	unsigned w, h;
	if (len > (size_t)0x7fffffff || img_size(bytes, len, &w, &h) != 0 ||
	    (unsigned long long)w * h > RSZ_MAX_PIXELS)
		return NULL;
	void *data = (void *)bytes; /* libgd only reads it */
	gdImagePtr im = f == F_PNG ? gd.gdImageCreateFromPngPtr((int)len, data)
	                : f == F_JPEG ? gd.gdImageCreateFromJpegPtr((int)len, data)
	                              : gd.gdImageCreateFromWebpPtr((int)len, data);
	if (im && !gdImageTrueColor(im) && !gd.gdImagePaletteToTrueColor(im)) {
		gd.gdImageDestroy(im);
		return NULL;
	}
	return im;
}

/* The copy of im at width w, encoded, into out. Returns 0 or -1. */
static int encode_scaled(gdImagePtr im, enum fmt f, unsigned w, buf *out)
{
	unsigned sw = (unsigned)gdImageSX(im), sh = (unsigned)gdImageSY(im);
	unsigned h = (unsigned)(((unsigned long long)sh * w + sw / 2) / sw);
	if (!h)
		h = 1;
	gd.gdImageSetInterpolationMethod(im, GD_TRIANGLE);
	gdImagePtr small = gd.gdImageScale(im, w, h);
	if (!small)
		return -1;
	gd.gdImageAlphaBlending(small, 0);
	gd.gdImageSaveAlpha(small, 1);
	int size = 0;
	void *data = f == F_PNG ? gd.gdImagePngPtrEx(small, &size, 9)
	             : f == F_JPEG ? gd.gdImageJpegPtr(small, &size, 82)
	                           : gd.gdImageWebpPtrEx(small, &size, 80);
	gd.gdImageDestroy(small);
	if (!data || size <= 0) {
		gd.gdFree(data);
		return -1;
	}
	buf_reset(out);
	buf_put(out, data, (size_t)size);
	gd.gdFree(data);
	return 0;
}

int rsz_copies(const char *cache_dir, const char *name, const void *bytes, size_t len,
               const unsigned *widths, size_t n, buf *out)
{
	enum fmt f = format_of(name);
	if (f == F_NONE)
		return -1;
	int cached = cache_dir && *cache_dir;
	uint64_t h = cached ? hs_bulk(bytes, len, 20) : 0;
	char *bad = cached ? cache_path(cache_dir, h, len, 0, f) : NULL;
	int known_bad = bad && fs_exists(bad), rc = known_bad ? -1 : 0, no_gd = 0;
	gdImagePtr im = NULL;
	buf scratch = BUF_INIT;
	for (size_t i = 0; i < n && rc == 0; i++) {
		buf *copy = out ? &out[i] : &scratch;
		char *path = cached ? cache_path(cache_dir, h, len, widths[i], f) : NULL;
		if (path && (out ? fs_read(path, copy) == 0 : fs_exists(path))) {
			free(path);
			continue;
		}
		if (!im && !have_gd()) {
			rc = -1, no_gd = 1; /* not the image's fault: no mark */
			free(path);
			break;
		}
		if (!im)
			im = decode(f, bytes, len);
		if (!im || widths[i] >= (unsigned)gdImageSX(im) || encode_scaled(im, f, widths[i], copy) != 0)
			rc = -1;
		else if (path)
			cache_store(path, copy->ptr, copy->len);
		free(path);
	}
	if (rc != 0 && bad && !known_bad && !no_gd)
		cache_store(bad, "", 0);
	if (im)
		gd.gdImageDestroy(im);
	buf_free(&scratch);
	free(bad);
	return rc;
}

#else /* no libgd: nothing is resized */

const char *rsz_library(void)
{
	return NULL;
}

int rsz_copies(const char *cache_dir, const char *name, const void *bytes, size_t len,
               const unsigned *widths, size_t n, buf *out)
{
	(void)cache_path, (void)cache_store;
	return -1;
}

#endif
