/* imgsize.c: image sizes from file headers. Each reader checks the
 * length before every read; sizes of 0 or above 65535 * 4 are refused
 * (no image a brief shows is that large; a corrupt header often is). */
#include "imgsize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIDE 262140u

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned le16(const unsigned char *p) { return (unsigned)p[1] << 8 | p[0]; }
static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int done(unsigned long w, unsigned long h, unsigned *width, unsigned *height)
{
	if (w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE)
		return -1;
	*width = (unsigned)w;
	*height = (unsigned)h;
	return 0;
}

/* PNG: the IHDR chunk comes first. */
static int png(const unsigned char *b, size_t n, unsigned *w, unsigned *h)
{
	if (n < 24 || memcmp(b + 12, "IHDR", 4) != 0)
		return -1;
	return done(be32(b + 16), be32(b + 20), w, h);
}

/* GIF: the logical screen size follows the signature. */
static int gif(const unsigned char *b, size_t n, unsigned *w, unsigned *h)
{
	return n < 10 ? -1 : done(le16(b + 6), le16(b + 8), w, h);
}

/* JPEG: walk the segments to the first start-of-frame (SOF0..SOF15 but
 * DHT, JPG and DAC, which share the range). */
static int jpeg(const unsigned char *b, size_t n, unsigned *w, unsigned *h)
{
	size_t i = 2;
	while (i + 4 <= n) {
		if (b[i] != 0xFF)
			return -1;
		unsigned marker = b[i + 1];
		if (marker == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
			i += 2; /* markers without a length */
			continue;
		}
		unsigned len = be16(b + i + 2);
		if (len < 2)
			return -1;
		if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
		    marker != 0xCC) {
			if (i + 9 > n)
				return -1;
			return done(be16(b + i + 7), be16(b + i + 5), w, h);
		}
		if (marker == 0xD9 || marker == 0xDA) /* end, or image data: no frame */
			return -1;
		i += 2 + (size_t)len;
	}
	return -1;
}

/* WebP: a RIFF file whose first chunk is VP8 (lossy), VP8L (lossless) or
 * VP8X (extended). */
static int webp(const unsigned char *b, size_t n, unsigned *w, unsigned *h)
{
	if (n < 30)
		return -1;
	const unsigned char *c = b + 12, *d = b + 20;
	if (!memcmp(c, "VP8 ", 4)) {
		if (d[3] != 0x9D || d[4] != 0x01 || d[5] != 0x2A)
			return -1;
		return done(le16(d + 6) & 0x3FFF, le16(d + 8) & 0x3FFF, w, h);
	}
	if (!memcmp(c, "VP8L", 4)) {
		if (d[0] != 0x2F)
			return -1;
		unsigned long bits = (unsigned long)d[1] | (unsigned long)d[2] << 8 |
		                     (unsigned long)d[3] << 16 | (unsigned long)d[4] << 24;
		return done((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, w, h);
	}
	if (!memcmp(c, "VP8X", 4)) {
		unsigned long cw = (unsigned long)d[4] | (unsigned long)d[5] << 8 | (unsigned long)d[6] << 16;
		unsigned long ch = (unsigned long)d[7] | (unsigned long)d[8] << 8 | (unsigned long)d[9] << 16;
		return done(cw + 1, ch + 1, w, h);
	}
	return -1;
}

/* The value of attribute name in the tag tag[0..n), as a number of
 * pixels ("120", "120px", "120.5"); 0 when missing or in other units. */
static unsigned long svg_length(const char *tag, size_t n, const char *name)
{
	size_t k = strlen(name);
	for (size_t i = 1; i + k + 2 < n; i++) {
		unsigned char before = (unsigned char)tag[i - 1];
		if ((before != ' ' && before != '\t' && before != '\n' && before != '\r') ||
		    memcmp(tag + i, name, k) != 0)
			continue;
		size_t j = i + k;
		while (j < n && (tag[j] == ' ' || tag[j] == '\t' || tag[j] == '\n' || tag[j] == '\r'))
			j++;
		if (j >= n || tag[j] != '=')
			continue;
		j++;
		while (j < n && (tag[j] == ' ' || tag[j] == '\t' || tag[j] == '\n' || tag[j] == '\r'))
			j++;
		if (j >= n || (tag[j] != '"' && tag[j] != '\''))
			return 0;
		char quote = tag[j++];
		unsigned long v = 0;
		size_t digits = 0;
		while (j < n && tag[j] >= '0' && tag[j] <= '9' && digits < 7) {
			v = v * 10 + (unsigned long)(tag[j++] - '0');
			digits++;
		}
		if (j < n && tag[j] == '.') /* a fraction is dropped */
			while (++j < n && tag[j] >= '0' && tag[j] <= '9')
				;
		if (j + 2 < n && tag[j] == 'p' && tag[j + 1] == 'x')
			j += 2;
		return digits && j < n && tag[j] == quote ? v : 0;
	}
	return 0;
}

/* The four numbers of a viewBox="minx miny width height": its size. */
static int svg_viewbox(const char *tag, size_t n, unsigned long *vw, unsigned long *vh)
{
	const char *at = NULL;
	for (size_t i = 0; i + 9 < n && !at; i++)
		if (!memcmp(tag + i, "viewBox", 7) && (tag[i + 7] == '=' || tag[i + 7] == ' '))
			at = tag + i + 7;
	if (!at)
		return -1;
	const char *end = tag + n;
	while (at < end && *at != '"' && *at != '\'')
		at++;
	if (at >= end)
		return -1;
	at++;
	double v[4];
	for (int k = 0; k < 4; k++) {
		while (at < end && (*at == ' ' || *at == ',' || *at == '\t' || *at == '\n'))
			at++;
		/* a bounded copy: strtod must not run past the tag */
		char num[32];
		size_t m = 0;
		while (at < end && m < sizeof num - 1 && ((*at >= '0' && *at <= '9') || *at == '.' ||
		                                          *at == '-' || *at == '+' || *at == 'e'))
			num[m++] = *at++;
		num[m] = '\0';
		char *stop;
		v[k] = strtod(num, &stop);
		if (m == 0 || *stop)
			return -1;
	}
	if (!(v[2] >= 1 && v[3] >= 1 && v[2] < MAX_SIDE && v[3] < MAX_SIDE))
		return -1;
	*vw = (unsigned long)(v[2] + 0.5);
	*vh = (unsigned long)(v[3] + 0.5);
	return 0;
}

/* SVG: width and height of the root <svg> in pixels, else its viewBox. */
static int svg(const unsigned char *b, size_t n, unsigned *w, unsigned *h)
{
	const char *text = (const char *)b, *tag = NULL;
	for (size_t i = 0; i + 5 <= n && !tag; i++)
		if (!memcmp(text + i, "<svg", 4) && (text[i + 4] == ' ' || text[i + 4] == '\n' ||
		                                      text[i + 4] == '\t' || text[i + 4] == '\r' ||
		                                      text[i + 4] == '>'))
			tag = text + i;
	if (!tag)
		return -1;
	const char *close = memchr(tag, '>', n - (size_t)(tag - text));
	if (!close)
		return -1;
	size_t len = (size_t)(close - tag) + 1;
	unsigned long sw = svg_length(tag, len, "width"), sh = svg_length(tag, len, "height");
	unsigned long vw, vh;
	if (sw && sh)
		return done(sw, sh, w, h);
	if (svg_viewbox(tag, len, &vw, &vh) != 0)
		return -1;
	if (sw) /* one side given: the other keeps the viewBox's ratio */
		return done(sw, sw * vh / vw, w, h);
	if (sh)
		return done(sh * vw / vh, sh, w, h);
	return done(vw, vh, w, h);
}

int img_size(const unsigned char *b, size_t n, unsigned *width, unsigned *height)
{
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return png(b, n, width, height);
	if (n >= 6 && (!memcmp(b, "GIF87a", 6) || !memcmp(b, "GIF89a", 6)))
		return gif(b, n, width, height);
	if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return jpeg(b, n, width, height);
	if (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
		return webp(b, n, width, height);
	return svg(b, n, width, height);
}
