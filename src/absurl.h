/* absurl.h: relative links made absolute, for HTML read away from its
 * page (feed readers resolve a feed entry's links against the feed, or
 * against nothing). */
#ifndef BRIEFING_ABSURL_H
#define BRIEFING_ABSURL_H

#include <stddef.h>

#include "buf.h"

/* Whether s starts with a scheme and an authority ("https://host..."),
 * as a base for url_resolve must. */
int url_is_absolute(const char *s);

/* Whether s is an absolute http or https address with a host: the one
 * test for every address a person gives (source_url, --base-url, --url).
 * The scheme is matched without regard to case, as RFC 3986 says. */
int url_is_http(const char *s);

/* Appends ref resolved against the absolute URL base (RFC 3986, section
 * 5.2: "x", "../x", "/x", "//host/x", "?q", "#f"); a ref with a scheme
 * ("https:", "mailto:") is appended as it is. */
void url_resolve(buf *out, const char *base, const char *ref, size_t len);

/* Appends html with the value of every href="..." and src="..." resolved
 * against base, and every URL of a srcset="...". Values stay as they were written (HTML-escaped); only
 * double-quoted attributes are read, as cmark writes them. */
void html_absolute_urls(buf *out, const char *html, size_t len, const char *base);

#endif
