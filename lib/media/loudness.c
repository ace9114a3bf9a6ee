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
};

struct sp_loudness *
sp_loudness_new(unsigned channels, unsigned rate, int dual_mono)
{
	struct sp_loudness *l;
	ebur128_state *st;

	/* Histogram mode keeps memory constant whatever the length. */
	st = ebur128_init(channels, rate, EBUR128_MODE_I | EBUR128_MODE_LRA |
	    EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_SAMPLE_PEAK |
	    EBUR128_MODE_HISTOGRAM);
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
	double v, tp = 0, sp = 0;
	unsigned c;

	if (ebur128_loudness_global(l->st, &r->integrated) != EBUR128_SUCCESS)
		return -1;
	if (ebur128_loudness_range(l->st, &r->range) != EBUR128_SUCCESS)
		r->range = 0;
	for (c = 0; c < l->channels; c++) {
		if (ebur128_true_peak(l->st, c, &v) == EBUR128_SUCCESS &&
		    v > tp)
			tp = v;
		if (ebur128_sample_peak(l->st, c, &v) == EBUR128_SUCCESS &&
		    v > sp)
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
