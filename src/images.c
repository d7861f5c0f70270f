/* images.c: a brief's own images. Sizes come from the file headers
 * (imgsize.c), so a page never jumps as its images load; the files are
 * copied beside the page, where a relative src finds them in the page,
 * and, once made absolute, in feeds and emails. */
#include "images.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "hashes.h"
#include "imgsize.h"
#include "resize.h"

char *img_folder(const struct article *a)
{
	size_t n = strlen(a->path);
	if (n > 3 && !strcmp(a->path + n - 3, ".md"))
		n -= a->bundle ? 9 : 3; /* "x/index.md" -> "x" */
	return xstrndup(a->path, n);
}

/* A src that names a file in the brief's folder: relative, no scheme, no
 * "..", no query. */
static int local_src(const char *src, size_t n)
{
	if (n == 0 || src[0] == '/' || src[0] == '#')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (src[i] == ':' || src[i] == '?' || src[i] == '&' || src[i] == '%' || src[i] == '\\')
			return 0;
		if (src[i] == '.' && i + 1 < n && src[i + 1] == '.')
			return 0;
	}
	return 1;
}

/* The size of folder/src, or -1. Reads at most 64 KiB: enough for any
 * header we read (a JPEG's frame follows its metadata). */
static int size_of(const char *folder, const char *src, size_t n, unsigned *w, unsigned *h)
{
	if (!local_src(src, n))
		return -1;
	char *rel = xstrndup(src, n);
	char *path = fs_join(folder, rel);
	free(rel);
	FILE *fp = fopen(path, "rb");
	free(path);
	if (!fp)
		return -1;
	unsigned char *head = xmalloc(65536);
	size_t got = fread(head, 1, 65536, fp);
	fclose(fp);
	int rc = img_size(head, got, w, h);
	free(head);
	return rc;
}

/* ---- resized copies for srcset ---- */

/* A file name that srcset and an attribute can hold as it is: no folder,
 * no comma or space (srcset's separators), nothing to escape. */
static int plain_name(const char *name)
{
	if (!*name || *name == '.')
		return 0;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-+~", *p))
			return 0;
	return 1;
}

/* "chart.png" at 480 -> "chart-480w.png". Caller frees. */
static char *copy_name(const char *name, unsigned w)
{
	const char *dot = strrchr(name, '.');
	return xasprintf("%.*s-%uw%s", (int)(dot - name), name, w, dot);
}

/* The widths of the copies of folder/name (bytes): the site's widths
 * under the image's own (*own), less those whose copy name is a file
 * the author put there (theirs wins). 0 without resizing, for a name or
 * format we make no copies of (rsz_can), or bytes that give no size. */
static size_t plan_copies(const struct site *s, const char *folder, const char *name,
                          const buf *bytes, unsigned *own, unsigned *widths)
{
	unsigned h;
	if (!s->cfg.resize || !plain_name(name) || !rsz_can(name, bytes->ptr, bytes->len) ||
	    img_size((const unsigned char *)bytes->ptr, bytes->len, own, &h) != 0)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < s->cfg.n_img_widths && s->cfg.img_widths[i] < *own; i++) {
		char *copy = copy_name(name, s->cfg.img_widths[i]);
		char *path = fs_join(folder, copy);
		if (!fs_exists(path))
			widths[n++] = s->cfg.img_widths[i];
		free(path);
		free(copy);
	}
	return n;
}

/* The widths srcset lists for folder/name, with the copies made sure of
 * (in the cache): 0 for none. An image libgd cannot read gets a warning
 * in d (when not NULL) and none. */
static size_t srcset_widths(const struct site *s, const char *folder, const char *name,
                            unsigned *own, unsigned *widths, struct diag *d)
{
	if (!s->cfg.resize || !plain_name(name) || !rsz_format(name))
		return 0;
	char *path = fs_join(folder, name);
	buf bytes = BUF_INIT;
	size_t n = fs_read(path, &bytes) == 0 ? plan_copies(s, folder, name, &bytes, own, widths) : 0;
	if (n && rsz_copies(s->cfg.img_cache, name, bytes.ptr, bytes.len, widths, n, NULL) != 0) {
		if (d)
			diag_warn(d, path, 0, 0,
			          "cannot decode this image (corrupt, truncated or over 40 megapixels); "
			          "it gets no smaller copies for srcset");
		n = 0;
	}
	buf_free(&bytes);
	free(path);
	return n;
}

/* srcset and sizes for the <img> of folder/name, when it has copies. */
static void put_srcset(const struct site *s, const char *folder, const char *name, buf *out,
                       struct diag *d)
{
	unsigned own, widths[SITE_MAX_WIDTHS];
	size_t n = srcset_widths(s, folder, name, &own, widths, d);
	if (!n)
		return;
	buf_puts(out, " srcset=\"");
	for (size_t i = 0; i < n; i++) {
		char *copy = copy_name(name, widths[i]);
		buf_printf(out, "%s %uw, ", copy, widths[i]);
		free(copy);
	}
	buf_printf(out, "%s %uw\" sizes=\"", name, own);
	buf_put_html(out, s->cfg.img_sizes, strlen(s->cfg.img_sizes));
	buf_putc(out, '"');
}

/* Writes the copies of folder/name (bytes) beside it in the output. */
static int write_copies(const struct site *s, const char *folder, const char *name,
                        const buf *bytes, const char *public, struct output *o, struct diag *d)
{
	unsigned own, widths[SITE_MAX_WIDTHS];
	size_t n = plan_copies(s, folder, name, bytes, &own, widths);
	buf copies[SITE_MAX_WIDTHS];
	for (size_t i = 0; i < n; i++)
		buf_init(&copies[i]);
	/* one that cannot be read was reported where its srcset was left out */
	int rc = 0;
	if (n && rsz_copies(s->cfg.img_cache, name, bytes->ptr, bytes->len, widths, n, copies) == 0) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			char *copy = copy_name(name, widths[i]);
			char *rel = xasprintf("%s%s", public, copy);
			rc = out_write(o, rel, copies[i].ptr, copies[i].len, d);
			free(rel);
			free(copy);
		}
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&copies[i]);
	return rc;
}

void img_dress(const struct site *s, const char *html, const char *folder, buf *out,
               struct diag *d)
{
	const char *at = html;
	int seen = 0;
	for (;;) {
		const char *tag = strstr(at, "<img ");
		if (!tag) {
			buf_puts(out, at);
			return;
		}
		const char *end = strchr(tag, '>');
		if (!end) {
			buf_puts(out, at);
			return;
		}
		buf_put(out, at, (size_t)(tag - at) + 4); /* through "<img" */
		size_t len = (size_t)(end - tag);
		char *inner = xstrndup(tag, len);
		const char *src = strstr(inner, " src=\"");
		unsigned w, h;
		if (!strstr(inner, " width=") && src) {
			src += 6;
			const char *q = strchr(src, '"');
			if (q && size_of(folder, src, (size_t)(q - src), &w, &h) == 0) {
				buf_printf(out, " width=\"%u\" height=\"%u\"", w, h);
				char *name = xstrndup(src, (size_t)(q - src));
				if (!strstr(inner, " srcset="))
					put_srcset(s, folder, name, out, d);
				free(name);
			}
		}
		if (seen++ && !strstr(inner, " loading="))
			buf_puts(out, " loading=\"lazy\"");
		free(inner);
		at = tag + 4;
	}
}

static int keep_asset(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && !(n > 3 && !strcmp(name + n - 3, ".md"));
}

int img_copy(const struct site *s, const struct article *a, struct output *o, struct diag *d)
{
	char *folder = img_folder(a);
	/* a folder the last listing did not see is not looked for: a build
	 * from the cache would otherwise stat every brief's (10,000 calls) */
	uint64_t seen;
	if ((s->folders && !hs_get(s->folders, folder, &seen)) || !fs_is_dir(folder)) {
		free(folder);
		return 0;
	}
	/* beside the page's file: x/ with clean URLs, the folder of x.html without */
	char *public = site_public_url(s, a->url);
	char *slash = strrchr(public, '/');
	slash[1] = '\0';
	size_t n;
	char **names = fs_list(folder, keep_asset, &n);
	int rc = 0;
	buf bytes = BUF_INIT;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *path = fs_join(folder, names[i]);
		buf_reset(&bytes);
		if (!fs_inside(*s->cfg.dir ? s->cfg.dir : ".", path)) {
			diag_error(d, path, 0, 0, "symlink points outside the site folder; refusing to copy it");
			rc = -1;
		} else if (!fs_is_dir(path)) {
			if (fs_read(path, &bytes) != 0) {
				diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
				rc = -1;
			} else {
				char *rel = xasprintf("%s%s", public, names[i]);
				rc = out_write(o, rel, bytes.ptr ? bytes.ptr : "", bytes.len, d);
				free(rel);
				if (rc == 0)
					rc = write_copies(s, folder, names[i], &bytes, public, o, d);
			}
		}
		free(path);
	}
	buf_free(&bytes);
	fs_free_names(names, n);
	free(public);
	free(folder);
	return rc < 0 ? rc : 1;
}

static const char *media_type(const char *name)
{
	static const char *const types[][2] = {
		{".png", "image/png"},   {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
		{".gif", "image/gif"},   {".webp", "image/webp"}, {".svg", "image/svg+xml"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (!strcasecmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

static int is_web_address(const char *s)
{
	return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7);
}

int img_check_lead(const struct site *s, const struct article *a)
{
	static const char *const keys[] = {"image", "image_alt", "image_caption", "image_credit"};
	int rc = 0;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const struct value *v = val_get(a->meta, keys[i]);
		if (v && val_type(v) != VAL_STR && val_type(v) != VAL_NULL) {
			diag_error(a->diag, a->path, val_line(v), val_col(v), "%s: expected text, found a %s",
			           keys[i], val_type_name(val_type(v)));
			rc = -1;
		}
	}
	const struct value *v = val_get(a->meta, "image");
	const char *image = val_get_str(v, NULL);
	if (!image || !*image || is_web_address(image))
		return rc;
	char *folder = img_folder(a);
	char *path = fs_join(folder, image);
	if (!local_src(image, strlen(image)) || !fs_exists(path) || fs_is_dir(path)) {
		diag_error(a->diag, a->path, val_line(v), val_col(v),
		           "image: expected a file in %s/ or an http(s) address, found \"%s\"", folder,
		           image);
		rc = -1;
	} else {
		/* its copies made now, on the parse threads, and a broken one reported */
		unsigned own, widths[SITE_MAX_WIDTHS];
		srcset_widths(s, folder, image, &own, widths, a->diag);
	}
	free(path);
	free(folder);
	return rc;
}

/* The lead image's srcset (a list of url and width, site-relative like
 * url, the original last) and sizes, when it has copies. */
static void put_lead_srcset(const struct site *s, const char *folder, const char *image,
                            const char *public, struct value *v)
{
	unsigned own, widths[SITE_MAX_WIDTHS + 1];
	size_t n = srcset_widths(s, folder, image, &own, widths, NULL);
	if (!n)
		return;
	widths[n] = own;
	struct value *list = val_list_sized(n + 1);
	for (size_t i = 0; i <= n; i++) {
		struct value *item = val_map();
		char *copy = i < n ? copy_name(image, widths[i]) : xstrdup(image);
		char *url = xasprintf("%s%s", public, copy);
		val_set_str(item, "url", url);
		val_set_num(item, "width", widths[i]);
		val_push(list, item);
		free(url);
		free(copy);
	}
	val_set(v, "srcset", list);
	val_set_str(v, "sizes", s->cfg.img_sizes);
}

struct value *img_lead(const struct site *s, const struct article *a)
{
	const char *image = val_get_cstr(a->meta, "image");
	if (!image || !*image)
		return NULL;
	struct value *v = val_map();
	const char *alt = val_get_cstr(a->meta, "image_alt");
	const char *caption = val_get_cstr(a->meta, "image_caption");
	const char *credit = val_get_cstr(a->meta, "image_credit");
	/* every key set, so that a section never finds one further out */
	val_set_str(v, "alt", alt ? alt : "");
	val_set_str(v, "caption", caption ? caption : "");
	val_set_str(v, "credit", credit ? credit : "");
	val_set_str(v, "type", media_type(image));
	val_set_bool(v, "has_caption", (caption && *caption) || (credit && *credit));
	if (is_web_address(image)) { /* no length: feeds say 0 or nothing */
		val_set_str(v, "external", image);
		val_set_str(v, "permalink", image);
		return v;
	}
	val_set_bool(v, "external", 0);
	char *public = site_public_url(s, a->url);
	strrchr(public, '/')[1] = '\0';
	char *url = xasprintf("%s%s", public, image);
	val_set_str(v, "url", url);
	char *permalink = xasprintf("%s%s", s->cfg.base_url, url);
	val_set_str(v, "permalink", permalink);
	char *folder = img_folder(a);
	char *path = fs_join(folder, image);
	struct stat st;
	val_set_num(v, "length", stat(path, &st) == 0 ? (double)st.st_size : 0);
	unsigned w, h;
	if (size_of(folder, image, strlen(image), &w, &h) == 0) {
		val_set_num(v, "width", w);
		val_set_num(v, "height", h);
	}
	put_lead_srcset(s, folder, image, public, v);
	free(path);
	free(folder);
	free(permalink);
	free(url);
	free(public);
	return v;
}
