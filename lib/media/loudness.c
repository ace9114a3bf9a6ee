/* loudness: EBU R128 / ITU-R BS.1770 measurement over libebur128. */
#include <math.h>
#include <stdlib.h>

#include <ebur128.h>

#include "loudness.h"
#include "xalloc.h"
#include "banned.h"

struct sp_loudness {
	ebur128_state	*st;
	unsigned	 channels;
	int		 parts;
};

struct sp_loudness *
sp_loudness_new(unsigned channels, unsigned rate, int dual_mono)
{
	return sp_loudness_new_parts(channels, rate, dual_mono,
	    SP_LOUDNESS_GATED | SP_LOUDNESS_RANGE);
}

struct sp_loudness *
sp_loudness_new_parts(unsigned channels, unsigned rate, int dual_mono,
    int parts)
{
	struct sp_loudness *l;
	ebur128_state *st;
	int mode = EBUR128_MODE_HISTOGRAM;

	/* Histogram mode keeps memory constant whatever the length. */
	if (parts & SP_LOUDNESS_GATED)
		mode |= EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK |
		    EBUR128_MODE_SAMPLE_PEAK;
	if (parts & SP_LOUDNESS_RANGE)
		mode |= EBUR128_MODE_LRA;
	st = ebur128_init(channels, rate, mode);
	if (st == NULL)
		return NULL;
	if (dual_mono && channels == 1 &&
	    ebur128_set_channel(st, 0, EBUR128_DUAL_MONO) != EBUR128_SUCCESS) {
		ebur128_destroy(&st);
		return NULL;
	}
	l = sp_xcalloc(1, sizeof(*l));
	l->st = st;
	l->channels = channels;
	l->parts = parts;
	return l;
}

int
sp_loudness_add(struct sp_loudness *l, const float *pcm, size_t frames)
{
	if (frames == 0)
		return 0;
	return ebur128_add_frames_float(l->st, pcm, frames) ==
	    EBUR128_SUCCESS ? 0 : -1;
}

static double
db(double lin)
{
	return lin > 0 ? 20 * log10(lin) : -HUGE_VAL;
}

int
sp_loudness_get(struct sp_loudness *l, struct sp_loudness_result *r)
{
	return sp_loudness_get_multiple(&l, 1, r);
}

int
sp_loudness_get_multiple(struct sp_loudness **ls, size_t n,
    struct sp_loudness_result *r)
{
	ebur128_state *gated[128], *range[128];
	double v, tp = 0, sp = 0;
	size_t i, ng = 0, nr = 0;
	unsigned c;

	if (n > sizeof(gated) / sizeof(gated[0]))
		return -1;
	for (i = 0; i < n; i++) {
		if (ls[i]->parts & SP_LOUDNESS_GATED)
			gated[ng++] = ls[i]->st;
		if (ls[i]->parts & SP_LOUDNESS_RANGE)
			range[nr++] = ls[i]->st;
	}
	/* The gates see every block of every meter, as one long one would. */
	if (ng == 0 || ebur128_loudness_global_multiple(gated, ng,
	    &r->integrated) != EBUR128_SUCCESS)
		return -1;
	if (nr == 0 || ebur128_loudness_range_multiple(range, nr,
	    &r->range) != EBUR128_SUCCESS)
		r->range = 0;
	for (i = 0; i < ng; i++)
		for (c = 0; c < ls[0]->channels; c++) {
			if (ebur128_true_peak(gated[i], c, &v) ==
			    EBUR128_SUCCESS && v > tp)
				tp = v;
			if (ebur128_sample_peak(gated[i], c, &v) ==
			    EBUR128_SUCCESS && v > sp)
				sp = v;
		}
	r->true_peak = db(tp);
	r->sample_peak = db(sp);
	return 0;
}

void
sp_loudness_free(struct sp_loudness *l)
{
	if (l == NULL)
		return;
	ebur128_destroy(&l->st);
	free(l);
}
