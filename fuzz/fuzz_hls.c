/* fuzz_hls: the m3u8 parser and the chunk cleaner on arbitrary bytes. */
#include <stdint.h>
#include <string.h>

#include "hls.h"
#include "recorder.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_hls pl;
	struct sp_chunk c;
	char err[128];
	uint64_t seq;
	size_t i;

	if (sp_hls_parse((const char *)data, size, "http://h/a/b/p.m3u8", &pl,
	    err, sizeof(err)) == 0) {
		/* Every segment has a resolved URI; a master has none. */
		if (pl.master && pl.nsegs != 0)
			__builtin_trap();
		for (i = 0; i < pl.nsegs; i++)
			if (pl.segs[i].uri == NULL ||
			    strncmp(pl.segs[i].uri, "http", 4) != 0)
				__builtin_trap();
		sp_hls_release(&pl);
	}
	if (sp_hls_parse((const char *)data, size, NULL, &pl, err,
	    sizeof(err)) == 0)
		sp_hls_release(&pl);
	if (size > 0 && size < 4096) {
		char s[4096];

		memcpy(s, data, size);
		s[size] = '\0';
		(void)sp_hls_chunk_seq(s, &seq);
	}
	/* The cleaner keeps only whole frames, never more than it got. */
	if (sp_chunk_clean(data, size, &c, err, sizeof(err)) == 0) {
		if (c.len + c.dropped != size || c.frames == 0 ||
		    c.data[0] != 0xFF)
			__builtin_trap();
		sp_chunk_release(&c);
	}
	return 0;
}
