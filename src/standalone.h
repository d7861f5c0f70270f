/* standalone.h: pages that are not briefs (each file of content/pages: About,
 * Corrections, a newsletter sign-up) and the site's menu (site.yml
 * `menu:` and the pages that ask for a place in it). Rendering is the
 * theme's; this module only makes the pages and the `site.menu` list. */
#ifndef BRIEFING_STANDALONE_H
#define BRIEFING_STANDALONE_H

#include "site.h"

/* Reads content/pages/, adds one page per file at "<slug>/" (the site owns
 * them), and sets `menu` and `menu_custom` in the site's template map when
 * there is a menu. Problems go to s->diag. Part of the scan: every change
 * to these files or to site.yml is a full update. */
void sp_load(struct site *s);

#endif
