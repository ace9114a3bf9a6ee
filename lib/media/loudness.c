/* loudness: EBU R128 / ITU-R BS.1770 measurement: libebur128, our true peak. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ebur128.h>

#include "loudness.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The true peak (ITU-R BS.1770 Annex 2): 4x oversampling below 96 kHz, 2x
 * below 192 kHz, by the interpolator libebur128 uses (a Hann-windowed
 * sinc of 49 taps, split into phases).  Ours, for speed: a run of samples
 * whose largest magnitude, times the largest sum of a phase's |taps|,
 * cannot pass the peak found so far cannot raise it, so it is not
 * interpolated at all; most of speech is such, and the result is the
 * same as interpolating everything.
 */
#define TP_TAPS		49
#define TP_MAXF		4
#define TP_HIST		((TP_TAPS + 1) / 2)	/* taps of a phase at 2x: 25 */

struct tp {
	unsigned	 factor;	/* 1: none (192 kHz and up) */
	unsigned	 n[TP_MAXF];	/* taps of each phase */
	double		 h[TP_MAXF][TP_HIST];
	unsigned	 at[TP_MAXF][TP_HIST];	/* the input each tap takes */
	double		 gain;		/* max over phases of sum |h| */
	float		*hist;		/* channels x TP_HIST, oldest first */
	double		*peak;		/* per channel, linear */
};

struct sp_loudness {
	ebur128_state	*st;
	unsigned	 channels;
	int		 parts;
	struct tp	 tp;
};

static void
tp_init(struct tp *t, unsigned channels, unsigned rate)
{
	unsigned j, f;
	double m, c, sum;

	t->factor = rate < 96000 ? 4 : rate < 192000 ? 2 : 1;
	t->hist = sp_xcalloc((size_t)channels * TP_HIST, sizeof(*t->hist));
	t->peak = sp_xcalloc(channels, sizeof(*t->peak));
	if (t->factor == 1)
		return;
	for (j = 0; j < TP_TAPS; j++) {
		m = (double)j - (TP_TAPS - 1) / 2.0;
		c = fabs(m) > 1e-10 ? sin(m * M_PI / t->factor) /
		    (m * M_PI / t->factor) : 1.0;
		c *= 0.5 * (1 - cos(2 * M_PI * j / (TP_TAPS - 1)));
		if (fabs(c) > 1e-10) {
			f = j % t->factor;
			t->h[f][t->n[f]] = c;
			t->at[f][t->n[f]] = j / t->factor;
			t->n[f]++;
		}
	}
	for (f = 0; f < t->factor; f++) {
		for (sum = 0, j = 0; j < t->n[f]; j++)
			sum += fabs(t->h[f][j]);
		if (sum > t->gain)
			t->gain = sum;
	}
}

/* Interpolate channel ch of frames at pcm, its history before. */
static void
tp_run(struct tp *t, unsigned channels, unsigned ch, const float *pcm,
    size_t frames)
{
	float x[TP_HIST + 256];
	double *pk = &t->peak[ch], v, most;
	size_t i, k, n;
	unsigned f, j;

	for (i = 0; i < frames; i += n) {
		n = frames - i < 256 ? frames - i : 256;
		memcpy(x, t->hist + (size_t)ch * TP_HIST, sizeof(float) *
		    TP_HIST);
		for (k = 0; k < n; k++)
			x[TP_HIST + k] = pcm[(i + k) * channels + ch];
		for (most = 0, k = 0; k < TP_HIST + n; k++)
			if (fabs(x[k]) > most)
				most = fabs(x[k]);
		if (most > *pk)
			*pk = most;
		/* The bound: no output of these inputs can pass *pk. */
		if (t->factor > 1 && most * t->gain > *pk)
			for (k = 0; k < n; k++)
				for (f = 0; f < t->factor; f++) {
					v = 0;
					for (j = 0; j < t->n[f]; j++)
						v += t->h[f][j] *
						    x[k + TP_HIST - t->at[f][j]];
					if (fabs(v) > *pk)
						*pk = fabs(v);
				}
		memcpy(t->hist + (size_t)ch * TP_HIST, x + n, sizeof(float) *
		    TP_HIST);
	}
}

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
		mode |= EBUR128_MODE_I | EBUR128_MODE_SAMPLE_PEAK;
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
	if (parts & SP_LOUDNESS_GATED)
		tp_init(&l->tp, channels, rate);
	return l;
}

int
sp_loudness_add(struct sp_loudness *l, const float *pcm, size_t frames)
{
	unsigned c;

	if (frames == 0)
		return 0;
	if (l->parts & SP_LOUDNESS_GATED)
		for (c = 0; c < l->channels; c++)
			tp_run(&l->tp, l->channels, c, pcm, frames);
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
		if (ls[i]->parts & SP_LOUDNESS_GATED) {
			gated[ng++] = ls[i]->st;
			for (c = 0; c < ls[i]->channels; c++)
				if (ls[i]->tp.peak[c] > tp)
					tp = ls[i]->tp.peak[c];
		}
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
		for (c = 0; c < ls[0]->channels; c++)
			if (ebur128_sample_peak(gated[i], c, &v) ==
			    EBUR128_SUCCESS && v > sp)
				sp = v;
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
	free(l->tp.hist);
	free(l->tp.peak);
	free(l);
}
