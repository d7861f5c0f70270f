/* Unit tests: img_size on hand-made headers of each format, and on
 * truncated and corrupt bytes, which must fail without reading past the
 * end (ASan checks that in `make asan`). */
#include <stdlib.h>

#include "../../src/imgsize.h"
#include "test.h"

static int size_of(const void *b, size_t n, unsigned *w, unsigned *h)
{
	/* a copy of exactly n bytes, so an overread is past a heap block */
	unsigned char *copy = malloc(n ? n : 1);
	memcpy(copy, b, n);
	int rc = img_size(copy, n, w, h);
	free(copy);
	return rc;
}

static const unsigned char png[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0, 0, 0x02, 0x80, 0, 0, 0x01, 0xE0, 8, 6, 0, 0, 0}; /* 640 x 480 */
static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 0x2C, 0x01, 0xC8, 0x00, 0, 0, 0};
static const unsigned char jpeg[] = {
	0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 'J', 'F',           /* APP0, 2 bytes of data */
	0xFF, 0xDB, 0x00, 0x03, 0x00,                          /* a table */
	0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x68, 0x04, 0xB0, 3 /* SOF0: 1200 x 360 */};
static const unsigned char webp_lossy[] = {
	'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ', 0, 0, 0, 0,
	0, 0, 0, 0x9D, 0x01, 0x2A, 0x20, 0x03, 0x58, 0x02, 0, 0}; /* 800 x 600 */
static const unsigned char webp_lossless[] = {
	'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'L', 0, 0, 0, 0,
	0x2F, 0x63, 0x40, 0x1D, 0x00, 0, 0, 0, 0, 0}; /* 100 x 118 */
static const unsigned char webp_ext[] = {
	'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 0, 0, 0, 0,
	0, 0, 0, 0, 0x3F, 0x01, 0x00, 0xC7, 0x00, 0x00}; /* 320 x 200 */

/* Checks that b[0..n) reads as w x h. */
#define CHECK_SIZE(b, n, w, h)                                  \
	do {                                                    \
		unsigned sw_ = 0, sh_ = 0;                      \
		CHECK_INT(size_of((b), (n), &sw_, &sh_), 0);    \
		CHECK_INT(sw_, (w));                            \
		CHECK_INT(sh_, (h));                            \
	} while (0)

static void every_format(void)
{
	CHECK_SIZE(png, sizeof png, 640, 480);
	CHECK_SIZE(gif, sizeof gif, 300, 200);
	CHECK_SIZE(jpeg, sizeof jpeg, 1200, 360);
	CHECK_SIZE(webp_lossy, sizeof webp_lossy, 800, 600);
	CHECK_SIZE(webp_lossless, sizeof webp_lossless, 100, 118);
	CHECK_SIZE(webp_ext, sizeof webp_ext, 320, 200);
}

static void svg_sizes(void)
{
	unsigned w = 0, h = 0;
	const char *both = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120px\" height='80'>";
	CHECK_SIZE(both, strlen(both), 120, 80);
	const char *box = "<svg viewBox=\"0 0 400 100.4\" xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>";
	CHECK_SIZE(box, strlen(box), 400, 100);
	const char *half = "<svg width=\"200\" viewBox=\"0,0,400,100\">";
	CHECK_SIZE(half, strlen(half), 200, 50);
	const char *percent = "<svg width=\"100%\" height=\"100%\">";
	CHECK_INT(size_of(percent, strlen(percent), &w, &h), -1);
	const char *stroke = "<svg stroke-width=\"2\" viewBox=\"0 0 10 20\">";
	CHECK_SIZE(stroke, strlen(stroke), 10, 20);
}

/* Every prefix of every header: an error or a size, never a crash. */
static void truncated_and_corrupt(void)
{
	const struct {
		const unsigned char *b;
		size_t n;
	} all[] = {{png, sizeof png}, {gif, sizeof gif}, {jpeg, sizeof jpeg},
	           {webp_lossy, sizeof webp_lossy}, {webp_lossless, sizeof webp_lossless},
	           {webp_ext, sizeof webp_ext}};
	unsigned w, h;
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		for (size_t n = 0; n < all[i].n; n++)
			size_of(all[i].b, n, &w, &h);
	CHECK_INT(size_of(png, 20, &w, &h), -1);
	CHECK_INT(size_of(jpeg, 14, &w, &h), -1);
	CHECK_INT(size_of("<svg width=\"1", 13, &w, &h), -1);
	CHECK_INT(size_of("<svg viewBox=\"0 0 1e999 5\">", 27, &w, &h), -1);
	unsigned char zero[sizeof png];
	memcpy(zero, png, sizeof png);
	memset(zero + 16, 0, 4); /* a width of 0 */
	CHECK_INT(size_of(zero, sizeof zero, &w, &h), -1);
	unsigned char loop[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00}; /* a length of 0 */
	CHECK_INT(size_of(loop, sizeof loop, &w, &h), -1);
	CHECK_INT(size_of("plain text", 10, &w, &h), -1);
	/* random bytes: only that nothing breaks */
	srand(20261206);
	unsigned char noise[256];
	for (int k = 0; k < 2000; k++) {
		size_t n = (size_t)(rand() % 256);
		for (size_t j = 0; j < n; j++)
			noise[j] = (unsigned char)rand();
		if (n > 8 && k % 4 == 0)
			memcpy(noise, png, 8);
		if (n > 3 && k % 4 == 1)
			memcpy(noise, jpeg, 3);
		size_of(noise, n, &w, &h);
	}
}

int main(void)
{
	RUN(every_format);
	RUN(svg_sizes);
	RUN(truncated_and_corrupt);
	return test_failed ? 1 : 0;
}
