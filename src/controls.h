/* controls.h: C0 control characters in text files (a form feed or a
 * vertical tab pasted from a PDF). HTML, XML 1.0 and feeds cannot carry
 * them, so they are dropped where a file is read, each reported at its
 * path:line:col. Tab, LF and CR stay; NUL is left to the Markdown and
 * YAML readers (cmark makes it U+FFFD). */
#ifndef BRIEFING_CONTROLS_H
#define BRIEFING_CONTROLS_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

/* Does text hold a control character that ctl_drop drops? */
int ctl_any(const char *text, size_t len);
/* Drops them from b in place; with d, warns at path:line:col for each
 * (the first few, then how many more). Returns how many it dropped. */
size_t ctl_drop(buf *b, const char *path, struct diag *d);

#endif
