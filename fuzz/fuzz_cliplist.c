/* fuzz_cliplist: clip lists (clip records and "START END [TITLE]" lines). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliplist.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
bad(void *ctx, size_t line, const char *why)
{
	size_t *last = ctx;

	/* Bad lines come in order, each with a reason. */
	if (line <= *last || why == NULL || *why == '\0')
		__builtin_trap();
	*last = line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_cliplist l;
	size_t last = 0, i;
	char *name, err[100];
	FILE *fp;

	if (size == 0 || (fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	sp_cliplist_init(&l);
	sp_cliplist_read(&l, fp, bad, &last);
	fclose(fp);
	for (i = 0; i < l.n; i++) {
		if (!(l.v[i].start >= 0) || l.v[i].line == 0)
			__builtin_trap();
		/* Every clip's title makes a name. */
		if ((name = sp_clip_name("%02n-%t-%s.m4a", i + 1, l.v[i].title,
		    l.v[i].start, err, sizeof(err))) == NULL)
			__builtin_trap();
		free(name);
	}
	sp_cliplist_release(&l);
	return 0;
}
