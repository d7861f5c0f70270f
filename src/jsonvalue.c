/* jsonvalue.c: see jsonvalue.h. jansson parses; this file only turns its
 * tree into ours, keeping the order of an object's members. */
#include "jsonvalue.h"

#include <jansson.h>

#include "controls.h"

#define MAX_DEPTH 128

/* The value of j, or NULL when it nests deeper than MAX_DEPTH. */
static struct value *convert(json_t *j, int depth)
{
	if (depth > MAX_DEPTH)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		struct value *m = val_map();
		for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it)) {
			struct value *v = convert(json_object_iter_value(it), depth + 1);
			if (!v) {
				val_free(m);
				return NULL;
			}
			val_setn(m, json_object_iter_key(it), json_object_iter_key_len(it), v);
		}
		return m;
	}
	case JSON_ARRAY: {
		struct value *l = val_list_sized(json_array_size(j));
		size_t i;
		json_t *item;
		json_array_foreach(j, i, item) {
			struct value *v = convert(item, depth + 1);
			if (!v) {
				val_free(l);
				return NULL;
			}
			val_push(l, v);
		}
		return l;
	}
	case JSON_STRING: {
		/* an escape such as "\f" makes a control character no page or
		 * feed can hold: dropped, as in every other text (controls.h) */
		if (!ctl_any(json_string_value(j), json_string_length(j)))
			return val_str(json_string_value(j), json_string_length(j));
		buf b = BUF_INIT;
		buf_put(&b, json_string_value(j), json_string_length(j));
		ctl_drop(&b, NULL, NULL);
		struct value *v = val_str(b.ptr, b.len);
		buf_free(&b);
		return v;
	}
	case JSON_INTEGER: return val_num((double)json_integer_value(j));
	case JSON_REAL: return val_num(json_real_value(j));
	case JSON_TRUE: return val_bool(1);
	case JSON_FALSE: return val_bool(0);
	default: return val_null();
	}
}

struct value *jv_parse(const char *text, size_t len, const char *path, struct diag *d)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		diag_error(d, path, err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1,
		           "invalid JSON: %s", err.text);
		return NULL;
	}
	struct value *v = convert(root, 0);
	json_decref(root);
	if (!v)
		diag_error(d, path, 1, 1, "invalid JSON: nested deeper than %d", MAX_DEPTH);
	return v;
}
