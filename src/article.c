/* article.c: one article file -> front matter map + body tree. Runs on
 * worker threads: it reads only the site's configuration and writes only
 * the article it is given. Validation of the keys the model relies on
 * happens here, so every error names the key's line and column. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "absurl.h"
#include "controls.h"
#include "frontmatter.h"
#include "images.h"
#include "fsutil.h"
#include "markdown.h"
#include "site.h"
#include "words.h"
#include "yamlvalue.h"

static void type_error(struct article *a, const struct value *v, const char *key, const char *want)
{
	diag_error(a->diag, a->path, val_line(v), val_col(v), "%s: expected %s, found a %s", key, want,
	           val_type_name(val_type(v)));
}

/* A scalar key as a string (numbers and bools are written out). NULL if absent. */
static char *scalar(struct article *a, const char *key, int *bad)
{
	struct value *v = val_get(a->meta, key);
	if (!v || val_type(v) == VAL_NULL)
		return NULL;
	if (val_type(v) == VAL_LIST || val_type(v) == VAL_MAP) {
		type_error(a, v, key, "a string");
		*bad = 1;
		return NULL;
	}
	buf b = BUF_INIT;
	val_put_scalar(&b, v);
	return buf_detach(&b, NULL);
}

/* What a message says was found: the text of a scalar in quotes, else
 * "a list" or "a map". Caller frees. */
static char *found(const struct value *v)
{
	buf b = BUF_INIT;
	if (val_type(v) == VAL_LIST || val_type(v) == VAL_MAP) {
		buf_printf(&b, "a %s", val_type_name(val_type(v)));
	} else {
		buf_putc(&b, '"');
		val_put_scalar(&b, v);
		buf_putc(&b, '"');
	}
	return buf_detach(&b, NULL);
}

static int hex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A file name with %XX escapes stands for the URL segment they spell
 * ("biden-%e2%81%a0harris" is U+2060 in a link): the page goes where such
 * links lead. Names whose escapes decode to "/", control bytes or bad
 * UTF-8 stay as they are. */
static char *slug_from_file(const char *name)
{
	if (!strchr(name, '%'))
		return xstrdup(name);
	buf b = BUF_INIT;
	for (const char *p = name; *p; p++) {
		int h, l;
		if (p[0] == '%' && (h = hex((unsigned char)p[1])) >= 0 && (l = hex((unsigned char)p[2])) >= 0) {
			buf_putc(&b, h * 16 + l);
			p += 2;
		} else {
			buf_putc(&b, *p);
		}
	}
	int ok = 1;
	for (size_t i = 0; i < b.len && ok; i++) {
		unsigned char c = (unsigned char)b.ptr[i];
		ok = c >= 0x20 && c != 0x7F && c != '/' && c != '\\';
		if (c >= 0x80) { /* a whole, well-formed UTF-8 sequence */
			int n = c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : -1;
			ok = n > 0 && i + (size_t)n < b.len + 1;
			for (int k = 1; ok && k <= n; k++)
				ok = i + (size_t)k < b.len && ((unsigned char)b.ptr[i + k] & 0xC0) == 0x80;
			if (ok)
				i += (size_t)n;
		}
	}
	if (!ok || !b.len) {
		buf_free(&b);
		return xstrdup(name);
	}
	return buf_detach(&b, NULL);
}

/* A slug is one path segment: not ".", "..", "%2e%2e" (which browsers
 * read as ".."), and without "/", "\\" or control characters. */
static int valid_slug(const char *s)
{
	if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	size_t n = strlen(s);
	if (n <= 6) { /* a dot segment spelt with %2e */
		char low[7];
		for (size_t i = 0; i <= n; i++)
			low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
		if (!strcmp(low, "%2e") || !strcmp(low, "%2e%2e") || !strcmp(low, ".%2e") ||
		    !strcmp(low, "%2e."))
			return 0;
	}
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
			return 0;
	return 1;
}

static void check_name_list(struct article *a, const char *key, int *bad)
{
	struct value *v = val_get(a->meta, key);
	if (!v || val_type(v) == VAL_NULL)
		return;
	if (val_type(v) == VAL_STR) {
		/* "topics: Sanctions" means a list of one */
		struct value *list = val_list();
		val_push(list, val_copy(v));
		val_set_pos(list, val_line(v), val_col(v));
		val_set(a->meta, key, list);
		return;
	}
	if (val_type(v) != VAL_LIST) {
		type_error(a, v, key, "a list of names");
		*bad = 1;
		return;
	}
	for (size_t i = 0; i < val_len(v); i++) {
		struct value *item = val_at(v, i);
		size_t len;
		const char *name = val_get_str(item, &len);
		if (!name || len == 0 || strlen(name) != len) {
			diag_error(a->diag, a->path, val_line(item), val_col(item),
			           "%s: expected a name, found %s", key,
			           name ? "an empty or invalid string" : val_type_name(val_type(item)));
			*bad = 1;
		}
	}
}

int article_parse(const struct site *s, struct article *a)
{
	buf text = BUF_INIT;
	if (fs_read(a->path, &text) != 0) {
		diag_error(a->diag, a->path, 0, 0, "cannot read: %s", strerror(errno));
		buf_free(&text);
		return -1;
	}
	int rc = article_parse_text(s, a, text.ptr, text.len);
	buf_free(&text);
	return rc;
}

/* Step 1: the front matter as a map in a->meta; -1 after reporting. */
static int read_front_matter(struct article *a, const char *text, size_t len,
                             struct fm_parts *parts)
{
	if (fm_split(text, len, a->path, parts, a->diag) != 0)
		return -1;
	if (!parts->yaml) {
		diag_error(a->diag, a->path, 1, 1,
		           "expected front matter: a \"---\" line, then at least title and date");
		return -1;
	}
	struct yv_options opt = {.line_offset = parts->yaml_line - 1};
	a->meta = yv_parse(parts->yaml, parts->yaml_len, a->path, &opt, a->diag);
	if (!a->meta)
		return -1;
	if (val_type(a->meta) != VAL_MAP) {
		diag_error(a->diag, a->path, parts->yaml_line, 1,
		           "front matter must be a map of keys, found a %s",
		           val_type_name(val_type(a->meta)));
		val_free(a->meta);
		a->meta = NULL;
		return -1;
	}
	return 0;
}

/* The date v (the value of key) into *out: 0, or -1 after reporting. */
static int read_date(const struct site *s, struct article *a, const struct value *v,
                     const char *key, struct date *out)
{
	const char *stamp = val_get_str(v, NULL);
	if (stamp && site_date_parse(s, stamp, out) == 0)
		return 0;
	char *why = date_explain(stamp);
	if (why) {
		diag_error(a->diag, a->path, val_line(v), val_col(v), "%s: %s", key, why);
		free(why);
		return -1;
	}
	char *what = found(v);
	diag_error(a->diag, a->path, val_line(v), val_col(v),
	           "%s: expected YYYY-MM-DD or RFC 3339, found %s", key, what);
	free(what);
	return -1;
}

/* Step 2: title, date, draft and the schedule (hidden before publish_at,
 * and from expires on). */
static void read_dates(const struct site *s, struct article *a, int *bad)
{
	a->title = scalar(a, "title", bad);
	if (!a->title && !*bad)
		diag_error(a->diag, a->path, 1, 1, "missing required key \"title\"");
	const struct value *date = val_get(a->meta, "date");
	if (!date) {
		diag_error(a->diag, a->path, 1, 1, "missing required key \"date\"");
		*bad = 1;
	} else if (read_date(s, a, date, "date", &a->date) != 0) {
		*bad = 1;
	}
	struct value *draft = val_get(a->meta, "draft");
	if (draft && val_type(draft) != VAL_BOOL && val_type(draft) != VAL_NULL) {
		type_error(a, draft, "draft", "true or false");
		*bad = 1;
	}
	a->draft = val_get_bool(draft);
	/* updated is read again where the view is made (resolve.c) */
	const struct value *updated = val_get(a->meta, "updated");
	struct date changed;
	if (updated && val_type(updated) != VAL_NULL &&
	    read_date(s, a, updated, "updated", &changed) != 0)
		*bad = 1;
	else if (updated && val_type(updated) != VAL_NULL && changed.epoch < a->date.epoch)
		diag_warn(a->diag, a->path, val_line(updated), val_col(updated),
		          "updated: %s is before the brief's date", val_get_str(updated, NULL));
	if (img_check_lead(s, a) != 0)
		*bad = 1;
	static const char *const sched[] = {"publish_at", "expires"};
	long long *epoch[] = {&a->publish_at, &a->expires};
	for (int i = 0; i < 2; i++) {
		const struct value *v = val_get(a->meta, sched[i]);
		struct date when;
		if (!v || val_type(v) == VAL_NULL)
			continue;
		if (read_date(s, a, v, sched[i], &when) == 0)
			*epoch[i] = when.epoch;
		else
			*bad = 1;
	}
}

/* Step 3: the slug (front matter, else the file name, %XX decoded) and
 * the URL; the folders below content/articles are URL segments too. */
static void read_slug(struct article *a, int *bad)
{
	char *slug = scalar(a, "slug", bad);
	struct value *slug_value = val_get(a->meta, "slug");
	if (slug && !valid_slug(slug)) {
		diag_error(a->diag, a->path, val_line(slug_value), val_col(slug_value),
		           "slug: expected a name without \"/\", \"\\\", \"..\" or control characters, "
		           "found \"%s\"", slug);
		*bad = 1;
	}
	a->slug_line = slug && val_line(slug_value) ? val_line(slug_value) : 1;
	a->slug_col = slug && val_line(slug_value) ? val_col(slug_value) : 1;
	if (!slug) {
		const char *base = strrchr(a->rel, '/');
		slug = slug_from_file(base ? base + 1 : a->rel);
		if (!valid_slug(slug)) {
			diag_error(a->diag, a->path, 1, 1,
			           "the file name gives the slug \"%s\", which cannot be a page name; "
			           "rename the file or set slug:", slug);
			*bad = 1;
		}
	}
	for (const char *seg = a->rel, *end; (end = strchr(seg, '/')); seg = end + 1) {
		char *folder = xstrndup(seg, (size_t)(end - seg));
		if (!valid_slug(folder) && !*bad) {
			diag_error(a->diag, a->path, 1, 1, "the folder name \"%s\" cannot be part of a "
			           "page address; rename the folder", folder);
			*bad = 1;
		}
		free(folder);
	}
	a->slug = slug;
	const char *slash = strrchr(a->rel, '/');
	a->url = slash ? xasprintf("articles/%.*s/%s/", (int)(slash - a->rel), a->rel, a->slug)
	               : xasprintf("articles/%s/", a->slug);
	a->url_hashed = NULL; /* (the old URL's address may be the new one's) */
}

/* Step 4: the optional keys whose type the model relies on. */
static void check_optional_keys(struct article *a, int *bad)
{
	struct value *url = val_get(a->meta, "source_url");
	const char *us = val_get_str(url, NULL);
	if (url && val_type(url) != VAL_NULL && !(us && !*us) && /* "" means none */
	    (!us || !url_is_http(us))) {
		char *what = found(url);
		diag_error(a->diag, a->path, val_line(url), val_col(url),
		           "source_url: expected an http:// or https:// address, found %s", what);
		free(what);
		*bad = 1;
	}
	struct value *summary = val_get(a->meta, "summary");
	if (summary && val_type(summary) != VAL_STR && val_type(summary) != VAL_NULL) {
		type_error(a, summary, "summary", "a string");
		*bad = 1;
	}
	check_name_list(a, "topics", bad);
	check_name_list(a, "people", bad);
}

int article_parse_text(const struct site *s, struct article *a, const char *text, size_t len)
{
	struct fm_parts parts;
	int bad = 0;
	/* the text without control characters, if it had some; a file that
	 * does not even start with front matter is reported as such alone */
	buf clean = BUF_INIT;
	int fenced = (len >= 3 && memcmp(text, "---", 3) == 0) ||
	             (len >= 6 && memcmp(text, "\xEF\xBB\xBF---", 6) == 0);
	if (fenced && ctl_any(text, len)) {
		buf_put(&clean, text, len);
		ctl_drop(&clean, a->path, a->diag);
		text = clean.ptr;
		len = clean.len;
	}
	int rc = read_front_matter(a, text, len, &parts);
	if (rc != 0) {
		buf_free(&clean);
		return -1;
	}
	read_dates(s, a, &bad);
	read_slug(a, &bad);
	check_optional_keys(a, &bad);
	a->body_line = parts.body_line;
	if (!bad && a->title)
		a->doc = md_parse(parts.body, parts.body_len, site_md_flags(s));
	buf_free(&clean);
	return a->doc ? 0 : -1;
}

void article_render_body(const struct site *s, struct article *a)
{
	if (!a->doc)
		return;
	a->words = words_in_doc(a->doc);
	char *html = md_render(a->doc, site_md_flags(s));
	if (html && strstr(html, "<img ")) { /* sizes from the files beside the brief */
		char *folder = img_folder(a);
		buf dressed = BUF_INIT;
		img_dress(s, html, folder, &dressed, a->diag);
		free(html);
		free(folder);
		html = buf_detach(&dressed, NULL);
	}
	a->html = html;
	a->body_ok = a->html != NULL;
}
