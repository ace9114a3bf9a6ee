/* fuzz_hls: the m3u8 parser and the chunk cleaner on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
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
			    strncmp(pl.segs[i].uri, "http", 4) != 0 ||
			    (pl.segs[i].key == SP_HLS_KEY_AES128) !=
			    (pl.segs[i].key_uri != NULL) ||
			    (pl.segs[i].key_uri != NULL &&
			    strncmp(pl.segs[i].key_uri, "http", 4) != 0))
				__builtin_trap();
		/* Every variant kept is resolved; a pick is one of them,
		 * of the height or bandwidth asked, and there is one when a
		 * variant not audio-only is listed. */
		{
			const struct sp_hls_var *v;
			size_t k, video = 0;

			for (k = 0; k < pl.nvars; k++) {
				if (strncmp(pl.vars[k].uri, "http", 4) != 0)
					__builtin_trap();
				video += !pl.vars[k].audio_only;
			}
			v = sp_hls_pick(&pl, 0, 0);
			if ((v != NULL) != (video > 0) || (v != NULL &&
			    (v < pl.vars || v >= pl.vars + pl.nvars)))
				__builtin_trap();
			v = sp_hls_pick(&pl, 720, 0);
			if (v != NULL && v->height != 720)
				__builtin_trap();
			v = sp_hls_pick(&pl, 800000, 1);
			if (v != NULL && !v->audio_only &&
			    v->bandwidth != 800000)
				__builtin_trap();
		}
		/* A master that lists variants has picked one of them. */
		if (pl.master && (pl.variant != NULL) != (pl.nvariants > 0) &&
		    pl.variant != NULL)
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
		/* URL rewriting: a string back, never a transcode
		 * directory made up. */
		{
			char *m = sp_hls_master_url(s);
			char *t = sp_hls_non_transcode(s);

			if (m == NULL || t == NULL || strlen(t) > size + 4 ||
			    strlen(m) > size + 20)
				__builtin_trap();
			free(m);
			free(t);
		}
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
