/* fuzz_mp4v: the video MP4 reader on arbitrary bytes, every sample read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp4v.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16];
	struct sp_mp4v *m;
	char err[128];
	FILE *fp;
	size_t t;
	uint64_t i;

	if (size == 0 || (fp = fmemopen((void *)(uintptr_t)data, size,
	    "rb")) == NULL)
		return 0;
	if ((m = sp_mp4v_open(fp, err, sizeof(err))) == NULL) {
		if (memchr(err, 0, sizeof(err)) == NULL || err[0] == '\0')
			__builtin_trap();
		fclose(fp);
		return 0;
	}
	for (t = 0; t < m->ntracks; t++) {
		const struct sp_mp4v_track *k = &m->tracks[t];

		if (k->avcc_len > sizeof(k->avcc) ||
		    k->asc_len > sizeof(k->asc) || k->nsync > k->nsamples)
			__builtin_trap();
		if (k->off == NULL)
			continue;
		for (i = 0; i < k->nsamples; i++) {
			/* Indexed samples lie inside the file. */
			if (k->off[i] > size || k->size[i] > size - k->off[i])
				__builtin_trap();
			if (k->size[i] <= sizeof(buf) && sp_mp4v_read(m, t, i,
			    buf, sizeof(buf)) != (long)k->size[i])
				__builtin_trap();
		}
	}
	(void)sp_mp4v_find(m, "vide");
	sp_mp4v_close(m);
	fclose(fp);
	return 0;
}
