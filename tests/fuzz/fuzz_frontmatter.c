/* libFuzzer target for what an article file goes through before Lua: the
 * front matter split, YAML to value (with its alias and depth budgets),
 * the value's JSON text, and the body through cmark. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/diag.h"
#include "../../src/frontmatter.h"
#include "../../src/markdown.h"
#include "../../src/value.h"
#include "../../src/yamlvalue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct diag *d = diag_new();
	struct fm_parts parts;
	if (fm_split(text, size, "fuzz.md", &parts, d) == 0) {
		if (parts.yaml) {
			struct yv_options opts = {.line_offset = parts.yaml_line - 1, .max_depth = 64,
			                       .max_nodes = 100000};
			struct value *v = yv_parse(parts.yaml, parts.yaml_len, "fuzz.md", &opts, d);
			buf json = BUF_INIT;
			val_to_json(&json, v);
			buf_free(&json);
			val_free(v);
		}
		char *html = md_to_html(parts.body, parts.body_len, MD_SMART);
		free(html);
	}
	for (int i = 0; diag_message(d, i, NULL); i++)
		;
	diag_free(d);
	return 0;
}
