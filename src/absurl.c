/* absurl.c: see absurl.h. */
#include "absurl.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Length of the scheme and its colon at the start of s, or 0. */
static size_t scheme_len(const char *s, size_t len)
{
	if (!len || !isalpha((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ':')
			return i + 1;
		if (!isalnum(c) && c != '+' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

int url_is_absolute(const char *s)
{
	size_t n = scheme_len(s, strlen(s));
	return n && s[n] == '/' && s[n + 1] == '/';
}

int url_is_http(const char *s)
{
	if (!url_is_absolute(s))
		return 0;
	size_t n = strncasecmp(s, "https:", 6) == 0 ? 6 : strncasecmp(s, "http:", 5) == 0 ? 5 : 0;
	unsigned char host = (unsigned char)s[n + 2];
	return n && host > 0x20 && host != 0x7F && !strchr("/?#", host);
}

/* Appends path (of len bytes) to out with "." and ".." segments removed
 * (RFC 3986, 5.2.4); out already holds the scheme and authority, which
 * ".." never climbs above. */
static void put_path(buf *out, const char *path, size_t len)
{
	size_t floor = out->len;
	size_t i = 0;
	while (i < len) {
		size_t end = i + 1;
		while (end < len && path[end] != '/')
			end++;
		/* path[i] is '/'; the segment is path[i+1 .. end) */
		const char *seg = path + i + 1;
		size_t n = end - i - 1;
		int last = end == len;
		if (n == 1 && seg[0] == '.') {
			if (last)
				buf_putc(out, '/');
		} else if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out->len > floor && out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len > floor)
				out->len--; /* the slash before the dropped segment */
			if (last)
				buf_putc(out, '/');
			out->ptr[out->len] = '\0';
		} else {
			buf_put(out, path + i, end - i);
		}
		i = end;
	}
}

void url_resolve(buf *out, const char *base, const char *ref, size_t len)
{
	if (scheme_len(ref, len)) {
		buf_put(out, ref, len);
		return;
	}
	size_t blen = strlen(base);
	size_t scheme = scheme_len(base, blen);
	if (len >= 2 && ref[0] == '/' && ref[1] == '/') { /* network-path */
		buf_put(out, base, scheme);
		buf_put(out, ref, len);
		return;
	}
	/* the base's parts: authority ends at the first / after "//" */
	size_t auth_end = scheme;
	if (blen >= scheme + 2 && base[scheme] == '/' && base[scheme + 1] == '/') {
		auth_end = scheme + 2;
		while (auth_end < blen && !strchr("/?#", base[auth_end]))
			auth_end++;
	}
	size_t path_end = auth_end;
	while (path_end < blen && base[path_end] != '?' && base[path_end] != '#')
		path_end++;
	size_t query_end = path_end;
	while (query_end < blen && base[query_end] != '#')
		query_end++;
	if (len == 0) { /* the base itself, without its fragment */
		buf_put(out, base, query_end);
		return;
	}
	if (ref[0] == '#') {
		buf_put(out, base, query_end);
		buf_put(out, ref, len);
		return;
	}
	if (ref[0] == '?') {
		buf_put(out, base, path_end);
		buf_put(out, ref, len);
		return;
	}
	/* the ref's path, and what follows it */
	size_t rpath = 0;
	while (rpath < len && ref[rpath] != '?' && ref[rpath] != '#')
		rpath++;
	buf_put(out, base, auth_end);
	buf merged = BUF_INIT;
	if (ref[0] == '/') {
		buf_put(&merged, ref, rpath);
	} else {
		size_t dir = path_end;
		while (dir > auth_end && base[dir - 1] != '/')
			dir--;
		if (dir == auth_end)
			buf_putc(&merged, '/');
		else
			buf_put(&merged, base + auth_end, dir - auth_end);
		buf_put(&merged, ref, rpath);
	}
	put_path(out, merged.ptr, merged.len);
	buf_free(&merged);
	buf_put(out, ref + rpath, len - rpath);
}

/* A srcset value: candidates "url descriptors" separated by commas, each
 * url resolved, white space and descriptors kept. */
static void srcset_resolve(buf *out, const char *base, const char *v, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && (isspace((unsigned char)v[i]) || v[i] == ','))
			i++;
		buf_put(out, v + start, i - start);
		start = i;
		while (i < len && !isspace((unsigned char)v[i]))
			i++;
		size_t end = i; /* a url's own final commas separate it from the next */
		while (end > start && v[end - 1] == ',')
			end--;
		if (end > start)
			url_resolve(out, base, v + start, end - start);
		buf_put(out, v + end, i - end);
		start = i;
		while (i < len && v[i] != ',')
			i++;
		buf_put(out, v + start, i - start);
	}
}

void html_absolute_urls(buf *out, const char *html, size_t len, const char *base)
{
	size_t i = 0, copied = 0;
	while (i < len) {
		const char *p = memchr(html + i, '=', len - i);
		if (!p)
			break;
		size_t eq = (size_t)(p - html);
		i = eq + 1;
		size_t name = 0;
		if (eq >= 5 && !memcmp(html + eq - 4, "href", 4))
			name = 4;
		else if (eq >= 7 && !memcmp(html + eq - 6, "srcset", 6))
			name = 6;
		else if (eq >= 4 && !memcmp(html + eq - 3, "src", 3))
			name = 3;
		/* a whole attribute name, after white space, then ="value" */
		if (!name || !isspace((unsigned char)html[eq - name - 1]) || i >= len || html[i] != '"')
			continue;
		const char *v = html + i + 1;
		const char *q = memchr(v, '"', len - (i + 1));
		if (!q)
			break;
		size_t vlen = (size_t)(q - v);
		buf_put(out, html + copied, (size_t)(v - html) - copied);
		if (name == 6)
			srcset_resolve(out, base, v, vlen);
		else
			url_resolve(out, base, v, vlen);
		copied = (size_t)(q - html);
		i = copied + 1;
	}
	buf_put(out, html + copied, len - copied);
}
