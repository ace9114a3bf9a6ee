/* fuzz_json: the NDJSON reader on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_ndjson r;
	json_t *rec;
	FILE *fp;
	size_t last = 0;
	int n;

	if (size == 0 || (fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	sp_ndjson_init(&r, fp, "fuzz");
	while ((n = sp_ndjson_next(&r, &rec)) != 0 && n != -2) {
		/* Line numbers only grow; records are objects. */
		if (r.lineno <= last || (n == 1 && !json_is_object(rec)))
			__builtin_trap();
		if (n == -1 && (rec != NULL || r.err[0] == '\0'))
			__builtin_trap();
		last = r.lineno;
		if (n == 1) {
			sp_rec_type(rec);
			json_decref(rec);
		}
	}
	sp_ndjson_release(&r);
	fclose(fp);
	return 0;
}
