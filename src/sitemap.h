/* sitemap.h: sitemap.xml (a sitemap index past 50,000 URLs, as the
 * protocol requires) and robots.txt pointing at it, for sites with a
 * base_url (the protocol wants absolute URLs). */
#ifndef BRIEFING_SITEMAP_H
#define BRIEFING_SITEMAP_H

#include <stdint.h>

#include "diag.h"
#include "output.h"
#include "site.h"

/* Writes sitemap.xml (and sitemap-N.xml parts) and robots.txt listing the
 * HTML pages of s (not feeds, not 404.html). Returns 0 or -1.
 * stamp (or NULL) is a fingerprint of what the files say, kept by the
 * caller between builds into one folder: when it matches and may_keep
 * (the output is updated in place, the files there are this stamp's), the
 * files are kept as they are instead of made again. Caches its parts of
 * the stamp in pages and articles (page.listed, article.lastmod). */
int sitemap_write(struct site *s, struct output *o, size_t per_file, uint64_t *stamp,
                  int may_keep, struct diag *d);

#endif
