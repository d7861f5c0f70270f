/* htmltext.c: see htmltext.h. One pass over the bytes: a tag is read
 * whole (name and attributes), text between tags is decoded and kept
 * unless inside a skipped element. */
#include "htmltext.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ht_is_html(const char *text, size_t len)
{
	size_t n = len < 1024 ? len : 1024;
	static const char *const marks[] = {"<!doctype html", "<html", "<head", "<body"};
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 4; k++) {
			size_t m = strlen(marks[k]);
			if (i + m <= len && !strncasecmp(text + i, marks[k], m))
				return 1;
		}
	return 0;
}

/* Elements whose text is not the article's. */
static const char *const skipped[] = {"script", "style", "nav", "header", "footer", "aside",
                                      "form", "noscript", "svg", "button", "select", "template",
                                      "figcaption", NULL};
/* Elements that end a paragraph. */
static const char *const blocks[] = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                                     "li", "ul", "ol", "article", "section", "main", "blockquote",
                                     "tr", "table", "pre", "hr", "dd", "dt", "figure", NULL};

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

/* Appends the UTF-8 of code point c (invalid ones as U+FFFD). */
static void put_utf8(buf *b, unsigned long c)
{
	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || (c < 0x20 && c != '\t' && c != '\n'))
		c = c == 0 || c >= 0x20 ? 0xFFFD : ' ';
	if (c < 0x80) {
		buf_putc(b, (int)c);
	} else if (c < 0x800) {
		buf_putc(b, (int)(0xC0 | c >> 6));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		buf_putc(b, (int)(0xE0 | c >> 12));
		buf_putc(b, (int)(0x80 | (c >> 6 & 0x3F)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	} else {
		buf_putc(b, (int)(0xF0 | c >> 18));
		buf_putc(b, (int)(0x80 | (c >> 12 & 0x3F)));
		buf_putc(b, (int)(0x80 | (c >> 6 & 0x3F)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	}
}

/* Decodes the text s[0..n) (entities, whitespace runs as one space) onto b. */
static void put_text(buf *b, const char *s, size_t n)
{
	static const struct { const char *name; unsigned long c; } named[] = {
		{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
		{"nbsp", ' '}, {"rsquo", 0x2019}, {"lsquo", 0x2018}, {"rdquo", 0x201D},
		{"ldquo", 0x201C}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"hellip", 0x2026},
	};
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			if (b->len && b->ptr[b->len - 1] != ' ' && b->ptr[b->len - 1] != '\n')
				buf_putc(b, ' ');
			continue;
		}
		if (c != '&') {
			buf_putc(b, c);
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
		if (!semi) {
			buf_putc(b, '&');
			continue;
		}
		size_t len = (size_t)(semi - (s + i + 1));
		const char *e = s + i + 1;
		int done = 0;
		if (len > 1 && e[0] == '#') {
			char *end;
			unsigned long v = (e[1] == 'x' || e[1] == 'X') ? strtoul(e + 2, &end, 16)
			                                               : strtoul(e + 1, &end, 10);
			if (end == semi) {
				put_utf8(b, v);
				done = 1;
			}
		}
		for (size_t k = 0; !done && k < sizeof named / sizeof *named; k++)
			if (strlen(named[k].name) == len && !strncmp(named[k].name, e, len)) {
				put_utf8(b, named[k].c);
				done = 1;
			}
		if (done)
			i += len + 1;
		else
			buf_putc(b, '&');
	}
}

/* Ends the paragraph being written (a blank line), once. */
static void end_paragraph(buf *b)
{
	while (b->len && b->ptr[b->len - 1] == ' ')
		buf_truncate(b, b->len - 1);
	if (b->len && b->ptr[b->len - 1] != '\n')
		buf_puts(b, "\n\n");
}

/* The value of attribute name in the tag t[0..n) ("<meta ...>"), decoded,
 * or NULL. Caller frees. */
static char *attribute(const char *t, size_t n, const char *name)
{
	size_t k = strlen(name);
	for (size_t i = 1; i + k + 1 < n; i++) {
		if (strncasecmp(t + i, name, k) || !isspace((unsigned char)t[i - 1]))
			continue;
		size_t j = i + k;
		while (j < n && isspace((unsigned char)t[j]))
			j++;
		if (j >= n || t[j] != '=')
			continue;
		j++;
		while (j < n && isspace((unsigned char)t[j]))
			j++;
		char q = j < n && (t[j] == '"' || t[j] == '\'') ? t[j++] : 0;
		size_t start = j;
		while (j < n && (q ? t[j] != q : !isspace((unsigned char)t[j]) && t[j] != '>'))
			j++;
		buf v = BUF_INIT;
		put_text(&v, t + start, j - start);
		return buf_detach(&v, NULL);
	}
	return NULL;
}

/* The text of the element that starts after the tag ending at *i, up to
 * its closing tag </name>, decoded; *i moves past it. */
static char *element_text(const char *h, size_t len, size_t *i, const char *name)
{
	buf v = BUF_INIT;
	size_t k = strlen(name);
	size_t j = *i;
	while (j < len && !(h[j] == '<' && j + 2 + k <= len && h[j + 1] == '/' &&
	                    !strncasecmp(h + j + 2, name, k)))
		j++;
	/* tags inside a headline (<h1><a>..</a></h1>) are dropped */
	for (size_t p = *i; p < j;) {
		const char *lt = memchr(h + p, '<', j - p);
		size_t stop = lt ? (size_t)(lt - h) : j;
		put_text(&v, h + p, stop - p);
		if (!lt)
			break;
		const char *gt = memchr(lt, '>', j - stop);
		p = gt ? (size_t)(gt - h) + 1 : j;
	}
	*i = j;
	while (v.len && v.ptr[v.len - 1] == ' ')
		buf_truncate(&v, v.len - 1);
	return buf_detach(&v, NULL);
}

void ht_read(const char *h, size_t len, struct ht_page *out)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->text);
	char *og = NULL, *h1 = NULL, *title = NULL;
	int skip = 0; /* depth inside skipped elements */
	char skip_name[16] = "";
	size_t i = 0;
	while (i < len) {
		if (h[i] != '<') {
			const char *lt = memchr(h + i, '<', len - i);
			size_t stop = lt ? (size_t)(lt - h) : len;
			if (!skip)
				put_text(&out->text, h + i, stop - i);
			i = stop;
			continue;
		}
		if (i + 4 <= len && !strncmp(h + i, "<!--", 4)) {
			const char *end = memmem(h + i + 4, len - i - 4, "-->", 3);
			i = end ? (size_t)(end - h) + 3 : len;
			continue;
		}
		const char *gt = memchr(h + i, '>', len - i);
		size_t tag_end = gt ? (size_t)(gt - h) + 1 : len;
		const char *t = h + i;
		size_t tn = tag_end - i;
		int closing = tn > 1 && t[1] == '/';
		char name[16];
		size_t k = 0;
		for (size_t p = 1 + (size_t)closing; p < tn && k < sizeof name - 1 &&
		                                     (isalnum((unsigned char)t[p]) || t[p] == '!');
		     p++)
			name[k++] = (char)tolower((unsigned char)t[p]);
		name[k] = '\0';
		i = tag_end;
		if (skip) {
			if (!strcmp(name, skip_name))
				skip += closing ? -1 : 1;
			continue;
		}
		if (!closing && in_list(skipped, name)) {
			skip = 1;
			snprintf(skip_name, sizeof skip_name, "%s", name);
			continue;
		}
		if (!closing && !strcmp(name, "meta")) {
			char *prop = attribute(t, tn, "property");
			if (!prop)
				prop = attribute(t, tn, "name");
			if (prop && !strcasecmp(prop, "og:title") && !og)
				og = attribute(t, tn, "content");
			else if (prop && !strcasecmp(prop, "article:published_time") && !out->published)
				out->published = attribute(t, tn, "content");
			free(prop);
		} else if (!closing && !strcmp(name, "title") && !title) {
			title = element_text(h, len, &i, "title");
		} else if (!closing && !strcmp(name, "h1") && !h1) {
			h1 = element_text(h, len, &i, "h1");
			end_paragraph(&out->text); /* the headline is not body text */
		} else if (in_list(blocks, name)) {
			end_paragraph(&out->text);
		}
	}
	end_paragraph(&out->text);
	out->headline = og && *og ? og : h1 && *h1 ? h1 : title && *title ? title : NULL;
	if (out->headline != og)
		free(og);
	if (out->headline != h1)
		free(h1);
	if (out->headline != title)
		free(title);
}

void ht_free(struct ht_page *page)
{
	if (!page)
		return;
	free(page->headline);
	free(page->published);
	buf_free(&page->text);
}
