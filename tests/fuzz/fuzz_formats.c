/* libFuzzer target for the small readers of outside formats: a saved
 * HTML page (htmltext.c, for import), a TZif file (tz.c), JSON data
 * (jsonvalue.c) and slugify. The same bytes go to each. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/diag.h"
#include "../../src/htmltext.h"
#include "../../src/jsonvalue.h"
#include "../../src/site.h"
#include "../../src/tz.h"
#include "../../src/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	buf text = BUF_INIT; /* NUL-terminated, as the callers' buffers are */
	buf_put(&text, data, size);
	struct ht_page page;
	ht_read(text.ptr, text.len, &page);
	ht_free(&page);
	struct tz *z = tz_parse(text.ptr, text.len);
	if (z) {
		tz_offset_at(z, 1500000000);
		tz_offset_local(z, -1500000000);
	}
	tz_free(z);
	struct diag *d = diag_new();
	val_free(jv_parse(text.ptr, text.len, "fuzz.json", d));
	diag_free(d);
	free(slugify(text.ptr));
	buf_free(&text);
	return 0;
}
