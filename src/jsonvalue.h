/* jsonvalue.h: JSON text (JSON files in data/) to a value tree, through Debian's
 * jansson: every escape RFC 8259 allows, surrogate pairs included; null
 * is a null value (nil in Lua); control characters other than tab, LF
 * and CR are dropped from strings. Duplicate keys, a NUL character and
 * nesting deeper than 128 are errors. Never reads files. */
#ifndef BRIEFING_JSONVALUE_H
#define BRIEFING_JSONVALUE_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

/* Parses text; on error reports through d as path:line:col and returns
 * NULL. Caller frees the result. */
struct value *jv_parse(const char *text, size_t len, const char *path, struct diag *d);

#endif
