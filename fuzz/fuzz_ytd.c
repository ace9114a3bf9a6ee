/* fuzz_ytd: the archive data-file reader on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ytd.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t	*p;
	size_t		 len, off, step;
};

static ssize_t
readin(void *ctx, void *buf, size_t n)
{
	struct in *in = ctx;
	size_t k = in->len - in->off;

	if (k > n)
		k = n;
	if (in->step && k > in->step)
		k = in->step;
	memcpy(buf, in->p + in->off, k);
	in->off += k;
	return (ssize_t)k;
}

/* FNV-1a over what a call gave back, to compare two readings. */
static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

/* Read the input in reads of step bytes, checking the invariants. */
static uint64_t
readall(const uint8_t *data, size_t size, size_t step)
{
	struct in in = { data, size, 0, step };
	struct sp_ytd *y = sp_ytd_new(readin, &in);
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t calls, last = 0;
	json_t *item;
	char *s, prev[256] = "";
	int rc;

	/* Every call but the last two consumes a byte at least. */
	for (calls = 0; calls < size + 3; calls++) {
		rc = sp_ytd_next(y, &item);
		h = mix(h, &rc, sizeof(rc));
		if (rc == 1) {
			if (!json_is_object(item) ||
			    sp_ytd_count(y) != last + 1 ||
			    sp_ytd_error(y)[0] != '\0')
				__builtin_trap();
			if (sp_ytd_wrapper(y))
				h = mix(h, sp_ytd_wrapper(y),
				    strlen(sp_ytd_wrapper(y)));
			if ((s = json_dumps(item, JSON_COMPACT |
			    JSON_ENCODE_ANY)) != NULL) {
				h = mix(h, s, strlen(s));
				free(s);
			}
			json_decref(item);
			last++;
			prev[0] = '\0';
			continue;
		}
		/* Nothing returned, the count kept, an error says why. */
		if (item != NULL || sp_ytd_count(y) != last ||
		    sp_ytd_wrapper(y) != NULL)
			__builtin_trap();
		if (rc == 0) {
			if (sp_ytd_error(y)[0] != '\0' ||
			    sp_ytd_next(y, &item) != 0)
				__builtin_trap();
			break;
		}
		/* Errors are line-numbered; a sticky one repeats itself. */
		if (rc != -1 || strncmp(sp_ytd_error(y), "line ", 5) != 0)
			__builtin_trap();
		if (strcmp(prev, sp_ytd_error(y)) == 0)
			break;
		snprintf(prev, sizeof(prev), "%s", sp_ytd_error(y));
		h = mix(h, prev, strlen(prev));
	}
	if (calls == size + 3)
		__builtin_trap();	/* no progress */
	if (sp_ytd_global(y))
		h = mix(h, sp_ytd_global(y), strlen(sp_ytd_global(y)));
	sp_ytd_free(y);
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* However the input is cut into reads, the results are the same. */
	if (readall(data, size, 0) != readall(data, size, 1) ||
	    readall(data, size, 0) != readall(data, size, 5))
		__builtin_trap();
	return 0;
}
