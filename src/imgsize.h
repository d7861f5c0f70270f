/* imgsize.h: the pixel size of an image from the first bytes of its file
 * (PNG, JPEG, GIF, WebP, SVG), for the width and height of <img>. It
 * reads headers only, never decodes, and never reads past len: any bytes
 * at all are safe to give it. Files are read by the caller. */
#ifndef BRIEFING_IMGSIZE_H
#define BRIEFING_IMGSIZE_H

#include <stddef.h>

/* Bytes enough for every format but JPEG (whose size may come later) and
 * SVG (whose root element may follow a long prologue). */
#define IMG_HEAD 64

/* Sets *width and *height (both > 0) and returns 0, or returns -1 for
 * bytes that are no image it knows or say no usable size. */
int img_size(const unsigned char *buf, size_t len, unsigned *width, unsigned *height);

#endif
