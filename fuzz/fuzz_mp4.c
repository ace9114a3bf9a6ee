/* fuzz_mp4: the M4A reader on arbitrary bytes, every sample read back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp4.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_info(const struct sp_mp4_info *in, size_t size)
{
	size_t i;

	if (memchr(in->title, 0, sizeof(in->title)) == NULL ||
	    memchr(in->artist, 0, sizeof(in->artist)) == NULL ||
	    memchr(in->album, 0, sizeof(in->album)) == NULL ||
	    memchr(in->comment, 0, sizeof(in->comment)) == NULL ||
	    memchr(in->date, 0, sizeof(in->date)) == NULL ||
	    memchr(in->encoder, 0, sizeof(in->encoder)) == NULL ||
	    memchr(in->brand, 0, sizeof(in->brand)) == NULL)
		__builtin_trap();
	if (in->sample_rate == 0 || in->timescale == 0 ||
	    in->asc_len == 0 || in->asc_len > SP_MP4_ASCMAX ||
	    in->object_type == 0)
		__builtin_trap();
	/* A sample takes at least... nothing, but its size entry does. */
	if (in->nsamples > size || in->max_sample > size)
		__builtin_trap();
	if (in->has_edit && in->edit_media_time < 0)
		__builtin_trap();
	if ((in->nchapters == 0) != (in->chapters == NULL) &&
	    in->nchapters != 0)
		__builtin_trap();
	for (i = 0; i < in->nchapters; i++)
		if (in->chapters[i].title == NULL)
			__builtin_trap();
	if (in->timescale == in->sample_rate &&
	    in->duration_samples > in->media_duration)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sp_mp4_info *in;
	struct sp_mp4 *m;
	uint64_t i, off, sum = 0, idx, start, t;
	uint32_t sz, dur, maxsz = 0;
	uint8_t *buf;
	char err[128];
	FILE *fp;
	long k;

	if (size == 0)
		return 0;
	if ((fp = fmemopen((void *)data, size, "rb")) == NULL)
		return 0;
	err[0] = 'x';
	m = sp_mp4_open(fp, err, sizeof(err));
	if (m == NULL) {
		/* A refusal always says why. */
		if (err[0] == '\0' || memchr(err, 0, sizeof(err)) == NULL)
			__builtin_trap();
		fclose(fp);
		return 0;
	}
	in = sp_mp4_info(m);
	check_info(in, size);
	buf = malloc(size);
	for (i = 0; i < in->nsamples; i++) {
		if (sp_mp4_sample(m, i, &off, &sz, &dur) != 0)
			__builtin_trap();
		/* Every sample's bytes lie inside the file. */
		if (off > size || sz > size - off)
			__builtin_trap();
		k = sp_mp4_read_sample(m, i, buf, size);
		if (k != (long)sz || memcmp(buf, data + off, sz) != 0)
			__builtin_trap();
		if (sz > maxsz)
			maxsz = sz;
		sum += dur;
	}
	if (sum != in->media_duration || maxsz != in->max_sample ||
	    sp_mp4_sample(m, in->nsamples, &off, &sz, &dur) != -1)
		__builtin_trap();
	/* Time lookups land on the sample that holds the time. */
	for (t = 0; t < 4 && in->media_duration > 0; t++) {
		uint64_t want = in->media_duration / 4 * t + t;

		if (want >= in->media_duration)
			continue;
		if (sp_mp4_find(m, want, &idx, &start) != 0 ||
		    idx >= in->nsamples || start > want ||
		    sp_mp4_sample(m, idx, NULL, NULL, &dur) != 0 ||
		    start + dur <= want)
			__builtin_trap();
	}
	if (sp_mp4_find(m, in->media_duration, &idx, &start) != -1)
		__builtin_trap();
	free(buf);
	sp_mp4_close(m);
	fclose(fp);
	return 0;
}
