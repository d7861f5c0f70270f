/* libFuzzer target for the Mustache compiler and renderer. The input is
 * split at 0x01 bytes: the first piece is the template "t", the others
 * partials "a", "b", "c", ... Data holds the kinds of values templates
 * meet: strings that name partials, lists, maps, numbers, a lambda. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/diag.h"
#include "../../src/mustache.h"
#include "../../src/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sections get their text back wrapped; interpolations a tag. */
static int echo(void *ud, const char *text, size_t len, buf *out)
{
	if (!text) {
		buf_puts(out, "<{{s}}>");
		return 0;
	}
	if (len % 7 == 3) {
		buf_puts(out, "no");
		return -1;
	}
	buf_putc(out, '[');
	buf_put(out, text, len);
	buf_putc(out, ']');
	return 0;
}

static struct value *make_data(void)
{
	struct value *m = val_map(), *l = val_list(), *inner = val_map();
	val_set_str(m, "s", "x<&>\"'\n  y");
	val_set_str(m, "name", "a");
	val_set_str(m, "e", "");
	val_set_num(m, "n", 1.21);
	val_set_bool(m, "t", 1);
	val_set_bool(m, "f", 0);
	val_set(m, "z", val_null());
	val_push(l, val_cstr("b"));
	val_push(l, val_num(2));
	val_set_str(inner, "name", "c");
	val_set(inner, "self", val_ref(m));
	val_push(l, inner);
	val_set(m, "l", l);
	val_set(m, "fn", val_func((struct val_func){echo, NULL, NULL}));
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct value *ctx;
	if (!ctx)
		ctx = make_data();
	if (size > 8192)
		return 0;
	struct mst_set *set = mst_set_new();
	struct diag *d = diag_new();
	const char *p = (const char *)data, *end = p + size;
	char name[2] = "t";
	for (int i = 0; p <= end && i < 8; i++) {
		const char *sep = memchr(p, 1, (size_t)(end - p));
		size_t n = sep ? (size_t)(sep - p) : (size_t)(end - p);
		mst_set_add(set, name, p, n, name, d);
		name[0] = (char)('a' + i);
		if (!sep)
			break;
		p = sep + 1;
	}
	if (mst_set_has(set, "t")) {
		buf out = BUF_INIT;
		const struct value *stack[1] = {ctx};
		mst_render(set, "t", stack, 1, &out, d);
		buf_free(&out);
	}
	diag_free(d);
	mst_set_free(set);
	return 0;
}
