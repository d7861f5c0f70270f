/* yamlvalue.h: YAML text (one document) to a value tree, through libyaml.
 * Plain scalars resolve by the YAML 1.2 core schema (null, bool, int, float,
 * else string); quoted scalars are always strings; dates stay strings.
 * Aliases are expanded under a node budget; duplicate keys, non-scalar keys
 * and deep nesting are errors. Never reads files: callers pass the text. */
#ifndef BRIEFING_YAMLVALUE_H
#define BRIEFING_YAMLVALUE_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "value.h"

struct yv_options {
	int line_offset; /* added to every reported line (front matter starts at line 2) */
	int max_depth;   /* 0 = default (128) */
	long max_nodes;  /* 0 = default (1,000,000), counts alias expansion */
};

/* Parses text; an empty document gives a null value. On error reports
 * through d as path:line:col and returns NULL. Caller frees the result. */
struct value *yv_parse(const char *text, size_t len, const char *path,
                       const struct yv_options *opt, struct diag *d);

/* The front matter of a content file fm_split cut up, as a map: an empty
 * map when the file has none or it is empty; NULL after reporting to d
 * when it does not parse or is not a map of keys. For files whose front
 * matter is optional (people, topics, content read by scripts). */
struct value *yv_front_matter(const struct fm_parts *parts, const char *path, struct diag *d);

/* Appends s as a YAML double-quoted scalar, for the front matter that
 * `new` and `import` write: quotes and backslashes escaped, tab, newline
 * and carriage return as \t \n \r, every other control byte (and DEL) as
 * \xNN, so the text reads back as it was given; nothing is dropped. */
void yv_put_quoted(buf *b, const char *s);

#endif
