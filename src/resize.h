/* resize.h: smaller copies of a raster image (PNG, JPEG, WebP) at given
 * widths, for srcset. Copies are kept in a cache folder keyed by the
 * source's bytes, so an unchanged image is decoded and scaled once, not
 * on every build or every save in serve. Built on libgd when the Makefile
 * found it (BRIEFING_HAVE_GD); without it nothing is resized, and
 * rsz_library says so. It reads and writes no file but the cache's. */
#ifndef BRIEFING_RESIZE_H
#define BRIEFING_RESIZE_H

#include <stddef.h>

#include "buf.h"

/* The library that resizes ("libgd 2.3.3"), or NULL in a build without. */
const char *rsz_library(void);

/* Whether copies are made of a file named name: .png, .jpg, .jpeg and
 * .webp. Not GIF (a copy would lose its animation), not SVG (it scales). */
int rsz_format(const char *name);

/* Whether copies are made of this file: rsz_format, and not a JPEG that
 * its EXIF orientation turns or mirrors (libgd would lose the turn, and
 * the copies would show it on its side). */
int rsz_can(const char *name, const void *bytes, size_t len);

/* Makes copies of the image in bytes at each of widths[0..n), every one
 * smaller than the image (height in proportion), in the format name's
 * extension says. With out, out[i] gets copy i (its contents replaced);
 * without, the copies are only made sure of. cache_dir (NULL or "": none)
 * is read first and written after a copy is made. Returns 0, or -1 when
 * the bytes cannot be decoded or encoded (a corrupt or truncated file);
 * that answer is kept in the cache too. Safe to call from many threads. */
int rsz_copies(const char *cache_dir, const char *name, const void *bytes, size_t len,
               const unsigned *widths, size_t n, buf *out);

#endif
