/* yamlvalue.c: libyaml event stream -> value tree. */
#include "yamlvalue.h"

#include "controls.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct anchor {
	char *name;
	struct value *v; /* owned copy of the anchored node */
};

struct parser {
	yaml_parser_t yp;
	const char *text; /* the input, for positions of reader errors */
	size_t len;
	const char *path;
	int line_offset, max_depth;
	long max_nodes, nodes;
	struct diag *d;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	int failed;
};

__attribute__((format(printf, 3, 4)))
static void fail(struct parser *p, yaml_mark_t mark, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(p->d, DIAG_ERROR, p->path, (int)mark.line + 1 + p->line_offset,
	          (int)mark.column + 1, fmt, ap);
	va_end(ap);
}

/* The line of the input a mark is on (its length in *len), and the byte
 * at the mark's column in *at (NULL past the end). */
static const char *mark_line(const struct parser *p, yaml_mark_t mark, size_t *len,
                             const char **at)
{
	const char *line = p->text, *end = p->text + p->len;
	for (size_t l = 0; l < mark.line && line < end; l++) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		line = nl ? nl + 1 : end;
	}
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	*len = (size_t)((nl ? nl : end) - line);
	const char *c = line;
	for (size_t col = 0; col < mark.column && c < line + *len; col++)
		do
			c++;
		while (c < line + *len && ((unsigned char)*c & 0xC0) == 0x80);
	*at = c < line + *len ? c : NULL;
	return line;
}

/* libyaml's words for the mistakes editors make most, said plainly:
 * 1 when reported. */
static int plain_error(struct parser *p, const char *problem, yaml_mark_t mark)
{
	size_t len;
	const char *at;
	const char *line = mark_line(p, mark, &len, &at);
	if (strstr(problem, "cannot start any token") && at && *at == '\t') {
		fail(p, mark, "tabs are not allowed in YAML; indent with spaces");
		return 1;
	}
	if (!strcmp(problem, "mapping values are not allowed in this context")) {
		/* "title: Trump: the deal": the key is what starts the line */
		const char *colon = memchr(line, ':', len);
		size_t key = colon ? (size_t)(colon - line) : 0;
		while (key && line[0] == ' ' && (line++, len--, key--))
			;
		if (!colon || !key || memchr(line, '"', len) || memchr(line, ' ', key) ||
		    line[0] == '-') { /* not "key: value" on a line of its own */
			fail(p, mark, "a colon followed by a space cannot be in a value without quotes; "
			     "put the value in quotes");
			return 1;
		}
		const char *value = line + key + 1;
		size_t vlen = len - key - 1;
		while (vlen && (*value == ' ' || *value == '\t'))
			value++, vlen--;
		while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\r'))
			vlen--;
		fail(p, mark, "a colon followed by a space cannot be in a value without quotes; "
		     "put the %.*s in quotes: %.*s: \"%.*s\"", (int)key, line, (int)key, line,
		     (int)vlen, value);
		return 1;
	}
	return 0;
}

static int next_event(struct parser *p, yaml_event_t *ev)
{
	if (yaml_parser_parse(&p->yp, ev))
		return 1;
	const char *problem = p->yp.problem ? p->yp.problem : "malformed YAML";
	yaml_mark_t mark = p->yp.problem_mark;
	if (p->yp.error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset, not a line: count lines up
		 * to it, and characters (UTF-8 lead bytes) since the last one */
		size_t off = p->yp.problem_offset < p->len ? p->yp.problem_offset : p->len;
		if (strstr(problem, "trailing")) /* point at the sequence's first byte */
			do
				off--;
			while (off > 0 && ((unsigned char)p->text[off] & 0xC0) == 0x80);
		mark.line = 0;
		mark.column = 0;
		for (size_t i = 0; i < off; i++) {
			unsigned char c = (unsigned char)p->text[i];
			if (c == '\n') {
				mark.line++;
				mark.column = 0;
			} else if ((c & 0xC0) != 0x80) {
				mark.column++;
			}
		}
		fail(p, mark, "invalid text: %s", problem);
		return 0;
	}
	if (plain_error(p, problem, mark))
		return 0;
	if (p->yp.context && p->yp.context_mark.line != mark.line) {
		/* "while scanning a quoted scalar": point at where it started,
		 * which is where the editor has to look */
		fail(p, p->yp.context_mark, "%s that starts here: %s at %d:%d", p->yp.context, problem,
		     (int)mark.line + 1 + p->line_offset, (int)mark.column + 1);
	} else if (p->yp.context) {
		fail(p, mark, "%s (%s)", problem, p->yp.context);
	} else {
		fail(p, mark, "%s", problem);
	}
	return 0;
}

static int is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* YAML 1.2 core schema resolution of a plain scalar. */
static struct value *resolve_plain(const char *s, size_t len)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"true", "True", "TRUE", NULL};
	static const char *const falses[] = {"false", "False", "FALSE", NULL};
	if (is_one_of(s, nulls))
		return val_null();
	if (is_one_of(s, trues))
		return val_bool(1);
	if (is_one_of(s, falses))
		return val_bool(0);
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (*p >= '0' && *p <= '9') {
		char *end;
		errno = 0;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o') && s == p) {
			long long n = strtoll(p + 2, &end, p[1] == 'x' ? 16 : 8);
			if (*end == '\0' && end != p + 2 && errno == 0)
				return val_num((double)n);
			return val_str(s, len);
		}
		/* decimal integer or float: digits, optional fraction, optional exponent */
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (*q == '.') {
			q++;
			while (*q >= '0' && *q <= '9')
				q++;
		}
		if (*q == 'e' || *q == 'E') {
			const char *e = q + 1;
			if (*e == '+' || *e == '-')
				e++;
			if (*e >= '0' && *e <= '9') {
				while (*e >= '0' && *e <= '9')
					e++;
				q = e;
			}
		}
		if (*q == '\0') {
			double d = strtod(s, &end);
			if (*end == '\0' && isfinite(d))
				return val_num(d);
		}
		return val_str(s, len);
	}
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		char *end;
		double d = strtod(s, &end);
		if (*end == '\0')
			return val_num(d);
	}
	if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 || strcmp(p, ".INF") == 0)
		return val_num(*s == '-' ? -INFINITY : INFINITY);
	if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, ".NAN") == 0)
		return val_num(NAN);
	return val_str(s, len);
}

static long count_nodes(const struct value *v)
{
	long n = 1;
	enum val_type t = val_type(v);
	if (t == VAL_LIST || t == VAL_MAP)
		for (size_t i = 0; i < val_len(v); i++)
			n += count_nodes(val_at(v, i));
	return n;
}

static void remember_anchor(struct parser *p, const yaml_char_t *name, const struct value *v)
{
	if (!name)
		return;
	for (size_t i = 0; i < p->n_anchors; i++) {
		if (strcmp(p->anchors[i].name, (const char *)name) == 0) {
			val_free(p->anchors[i].v);
			p->anchors[i].v = val_copy(v);
			return;
		}
	}
	if (p->n_anchors == p->cap_anchors) {
		p->cap_anchors = p->cap_anchors ? p->cap_anchors * 2 : 8;
		p->anchors = xrealloc(p->anchors, p->cap_anchors * sizeof *p->anchors);
	}
	p->anchors[p->n_anchors].name = xstrdup((const char *)name);
	p->anchors[p->n_anchors].v = val_copy(v);
	p->n_anchors++;
}

static struct value *parse_node(struct parser *p, yaml_event_t *ev, int depth);

static int count_node(struct parser *p, yaml_mark_t mark, long n)
{
	p->nodes += n;
	if (p->nodes > p->max_nodes) {
		fail(p, mark, "document too large: more than %ld nodes (alias expansion?)", p->max_nodes);
		return 0;
	}
	return 1;
}

static struct value *parse_sequence(struct parser *p, yaml_event_t *start, int depth)
{
	struct value *list = val_list();
	val_set_pos(list, (int)start->start_mark.line + 1 + p->line_offset,
	            (int)start->start_mark.column + 1);
	for (;;) {
		yaml_event_t ev;
		if (!next_event(p, &ev))
			break;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return list;
		}
		struct value *item = parse_node(p, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item)
			break;
		val_push(list, item);
	}
	val_free(list);
	return NULL;
}

/* A "\0" escape would cut the text short wherever it is used as a C
 * string (a slug, a title, a file name): refused where it is written. */
static int has_nul_at(struct parser *p, const yaml_event_t *ev)
{
	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length) == NULL)
		return 0;
	fail(p, ev->start_mark, "expected text without NUL characters, found \"\\0\" in a string");
	return 1;
}

/* A quoted scalar's text. An escape such as "\f" or "\x01" can write a
 * control character no page or feed can hold: dropped, with a warning. */
static struct value *quoted(struct parser *p, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	if (!ctl_any(s, len))
		return val_str(s, len);
	buf b = BUF_INIT;
	buf_put(&b, s, len);
	ctl_drop(&b, p->path, NULL);
	diag_add(p->d, DIAG_WARNING, p->path, (int)ev->start_mark.line + 1 + p->line_offset,
	         (int)ev->start_mark.column + 1,
	         "control character in a quoted string (dropped): HTML and feeds cannot hold it");
	struct value *v = val_str(b.ptr, b.len);
	buf_free(&b);
	return v;
}

static struct value *parse_mapping(struct parser *p, yaml_event_t *start, int depth)
{
	struct value *map = val_map();
	val_set_pos(map, (int)start->start_mark.line + 1 + p->line_offset,
	            (int)start->start_mark.column + 1);
	for (;;) {
		yaml_event_t ev;
		if (!next_event(p, &ev))
			break;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return map;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			fail(p, ev.start_mark, "expected a plain key, found a %s",
			     ev.type == YAML_ALIAS_EVENT ? "alias" : "list or map");
			yaml_event_delete(&ev);
			break;
		}
		if (has_nul_at(p, &ev)) {
			yaml_event_delete(&ev);
			break;
		}
		char *key = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
		size_t klen = ev.data.scalar.length;
		yaml_mark_t kmark = ev.start_mark;
		yaml_event_delete(&ev);
		if (val_getn(map, key, klen)) {
			fail(p, kmark, "duplicate key \"%s\"", key);
			free(key);
			break;
		}
		if (!next_event(p, &ev)) {
			free(key);
			break;
		}
		struct value *item = parse_node(p, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item) {
			free(key);
			break;
		}
		val_setn(map, key, klen, item);
		free(key);
	}
	val_free(map);
	return NULL;
}

static struct value *parse_node(struct parser *p, yaml_event_t *ev, int depth)
{
	if (depth > p->max_depth) {
		fail(p, ev->start_mark, "nesting deeper than %d levels", p->max_depth);
		return NULL;
	}
	struct value *v = NULL;
	const yaml_char_t *anchor = NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (!count_node(p, ev->start_mark, 1) || has_nul_at(p, ev))
			return NULL;
		anchor = ev->data.scalar.anchor;
		if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    !(ev->data.scalar.tag && strcmp((const char *)ev->data.scalar.tag, YAML_STR_TAG) == 0))
			v = resolve_plain((const char *)ev->data.scalar.value, ev->data.scalar.length);
		else
			v = quoted(p, ev);
		val_set_pos(v, (int)ev->start_mark.line + 1 + p->line_offset,
		            (int)ev->start_mark.column + 1);
		break;
	case YAML_SEQUENCE_START_EVENT:
		if (!count_node(p, ev->start_mark, 1))
			return NULL;
		anchor = ev->data.sequence_start.anchor;
		v = parse_sequence(p, ev, depth);
		break;
	case YAML_MAPPING_START_EVENT:
		if (!count_node(p, ev->start_mark, 1))
			return NULL;
		anchor = ev->data.mapping_start.anchor;
		v = parse_mapping(p, ev, depth);
		break;
	case YAML_ALIAS_EVENT:
		for (size_t i = p->n_anchors; i-- > 0;) {
			if (strcmp(p->anchors[i].name, (const char *)ev->data.alias.anchor) == 0) {
				if (!count_node(p, ev->start_mark, count_nodes(p->anchors[i].v)))
					return NULL;
				v = val_copy(p->anchors[i].v);
				val_set_pos(v, (int)ev->start_mark.line + 1 + p->line_offset,
				            (int)ev->start_mark.column + 1);
				return v;
			}
		}
		fail(p, ev->start_mark, "unknown alias \"%s\"", (const char *)ev->data.alias.anchor);
		return NULL;
	default:
		fail(p, ev->start_mark, "unexpected YAML event");
		return NULL;
	}
	if (v && anchor)
		remember_anchor(p, anchor, v);
	return v;
}

struct value *yv_parse(const char *text, size_t len, const char *path,
                       const struct yv_options *opt, struct diag *d)
{
	struct parser p;
	memset(&p, 0, sizeof p);
	p.text = text;
	p.len = len;
	p.path = path;
	p.d = d;
	p.line_offset = opt ? opt->line_offset : 0;
	p.max_depth = opt && opt->max_depth ? opt->max_depth : 128;
	p.max_nodes = opt && opt->max_nodes ? opt->max_nodes : 1000000;
	if (!yaml_parser_initialize(&p.yp)) {
		diag_error(d, path, 0, 0, "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p.yp, YAML_UTF8_ENCODING);

	struct value *result = NULL;
	int documents = 0;
	yaml_event_t ev;
	while (!p.failed && next_event(&p, &ev)) {
		yaml_event_type_t type = ev.type;
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (type == YAML_DOCUMENT_START_EVENT && ++documents > 1) {
			fail(&p, ev.start_mark, "expected one YAML document, found a second one");
			yaml_event_delete(&ev);
			break;
		}
		if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
		    type == YAML_MAPPING_START_EVENT || type == YAML_ALIAS_EVENT) {
			struct value *v = parse_node(&p, &ev, 0);
			if (v) {
				val_free(result);
				result = v;
			}
		}
		yaml_event_delete(&ev);
	}
	for (size_t i = 0; i < p.n_anchors; i++) {
		free(p.anchors[i].name);
		val_free(p.anchors[i].v);
	}
	free(p.anchors);
	yaml_parser_delete(&p.yp);
	if (p.failed) {
		val_free(result);
		return NULL;
	}
	return result ? result : val_null();
}

struct value *yv_front_matter(const struct fm_parts *parts, const char *path, struct diag *d)
{
	if (!parts->yaml)
		return val_map();
	struct yv_options opt = {.line_offset = parts->yaml_line - 1};
	struct value *meta = yv_parse(parts->yaml, parts->yaml_len, path, &opt, d);
	if (meta && val_type(meta) == VAL_NULL) {
		val_free(meta);
		return val_map();
	}
	if (meta && val_type(meta) != VAL_MAP) {
		diag_error(d, path, val_line(meta), val_col(meta),
		           "front matter must be a map of keys, found a %s",
		           val_type_name(val_type(meta)));
		val_free(meta);
		return NULL;
	}
	return meta;
}

void yv_put_quoted(buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\t' || c == '\n' || c == '\r')
			buf_printf(b, "\\%c", c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		else if (c < 0x20 || c == 0x7F)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}
