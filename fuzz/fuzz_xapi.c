/* fuzz_xapi: X API v2 answers to user and space records, and error lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json.h"
#include "xapi.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every record is typed, has a string id and says it came from the API. */
static void
check(json_t *recs, const char *type)
{
	json_t *v, *e;
	const char *k;
	size_t i;

	json_array_foreach(recs, i, v) {
		if (sp_rec_type(v) == NULL || strcmp(sp_rec_type(v), type) != 0)
			__builtin_trap();
		if (!json_is_string(json_object_get(v, "id")) ||
		    json_string_length(json_object_get(v, "id")) == 0)
			__builtin_trap();
		if (strcmp(sp_json_str(v, "source"), "api") != 0)
			__builtin_trap();
		/* Ids are strings, keys snake_case. */
		json_object_foreach(v, k, e) {
			size_t n = strlen(k);
			const char *c;

			if (n > 3 && strcmp(k + n - 3, "_id") == 0 &&
			    !json_is_string(e))
				__builtin_trap();
			for (c = k; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					__builtin_trap();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *recs, *probs;
	char err[300];
	size_t k;
	int kind;

	if (size < 1)
		return 0;
	kind = data[0] & 1;
	data++;
	size--;
	if (sp_xapi_convert((const char *)data, size, kind ? SP_XAPI_SPACES :
	    SP_XAPI_USERS, &recs, &probs, err, sizeof(err)) == 0) {
		check(recs, kind ? "space" : "user");
		json_decref(recs);
		json_decref(probs);
	} else if (err[0] == '\0' || recs != NULL || probs != NULL)
		__builtin_trap();
	/* The error line is one line, whatever the body. */
	sp_xapi_error(400 + (long)(size % 200), (const char *)data, size, -1,
	    err, sizeof(err));
	k = strlen(err);
	if (k == 0 || memchr(err, '\n', k) != NULL)
		__builtin_trap();
	return 0;
}
