/* render: the transcode path of a clip: decode, mix, fade, normalise, encode. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "loudness.h"
#include "measure.h"
#include "render.h"
#include "xalloc.h"
#include "banned.h"

#define CHUNK 4096

unsigned
sp_render_channels(const struct sp_decoder *d, const struct sp_render_opts *o)
{
	return o->mono ? 1 : sp_decode_info(d)->channels;
}

/*
 * One pass over [start, end): decode, mix down, fade, scale by gain, and
 * hand each chunk to the meter or the encoder.
 */
static int
pass(struct sp_decoder *d, uint64_t start, uint64_t end,
    const struct sp_render_opts *o, double gain, struct sp_loudness *meter,
    struct sp_encoder *e, uint64_t before, uint64_t *done, char *err,
    size_t errlen)
{
	const struct sp_decode_info *i = sp_decode_info(d);
	unsigned ch = i->channels, out = sp_render_channels(d, o), c;
	uint64_t pos = start, n = end - start, k;
	double rate = i->sample_rate, fi = o->fade_in * rate;
	double fo = o->fade_out * rate, t, g;
	float *buf, *mix;
	long got = 0;
	size_t want, j, cursor = 0;

	if (sp_decode_seek(d, start) != 0)
		return sp_fail(err, errlen, "cannot seek to sample %llu: %s",
		    (unsigned long long)start, sp_decode_error(d));
	buf = sp_xcalloc((size_t)CHUNK * ch, sizeof(*buf));
	mix = sp_xcalloc((size_t)CHUNK * out, sizeof(*mix));
	*done = 0;
	while (pos < end) {
		want = end - pos < CHUNK ? (size_t)(end - pos) : CHUNK;
		if ((got = sp_decode_read(d, buf, want)) <= 0)
			break;
		for (j = 0; j < (size_t)got; j++) {
			k = pos - start + j;
			/* Fades: raised-cosine ramps, gentle on speech. */
			g = gain;
			if (fi > 0 && k < fi) {
				t = k / fi;
				g *= 0.5 - 0.5 * cos(M_PI * t);
			}
			if (fo > 0 && n - k <= fo) {
				t = (n - k) / fo;
				g *= 0.5 - 0.5 * cos(M_PI * t);
			}
			if (o->mute)
				g *= sp_ranges_gain(o->mute, pos + j,
				    o->mute_fade, &cursor);
			if (out == 1 && ch > 1) {
				double s = 0;

				for (c = 0; c < ch; c++)
					s += buf[j * ch + c];
				mix[j] = (float)(s / ch * g);
			} else
				for (c = 0; c < out; c++)
					mix[j * out + c] = (float)(buf[j * ch +
					    c] * g);
		}
		if (meter && sp_loudness_add(meter, mix, (size_t)got) != 0) {
			free(buf);
			free(mix);
			return sp_fail(err, errlen, "the loudness meter failed");
		}
		if (e && sp_encode_write(e, mix, (size_t)got) != 0) {
			free(buf);
			free(mix);
			return sp_fail(err, errlen, "%s", sp_encode_error(e));
		}
		pos += (uint64_t)got;
		*done += (uint64_t)got;
		if (o->progress)
			o->progress(o->ctx, before + *done);
	}
	free(buf);
	free(mix);
	if (got < 0)
		return sp_fail(err, errlen, "%s", sp_decode_error(d));
	if (pos < end)
		return sp_fail(err, errlen, "the input ended %llu samples early",
		    (unsigned long long)(end - pos));
	return 0;
}

/* A meter for what is written (mono counted once), or NULL with err. */
static struct sp_loudness *
meter(unsigned channels, unsigned rate, char *err, size_t errlen)
{
	struct sp_loudness *l = sp_loudness_new(channels, rate, 0);

	if (l == NULL)
		sp_fail(err, errlen, "cannot measure loudness at %u Hz, %u "
		    "channels", rate, channels);
	return l;
}

uint64_t
sp_render_work(const struct sp_render_opts *o, uint64_t n)
{
	return o->normalise && !o->gain_given ? 2 * n : n;
}

double
sp_render_aim(const struct sp_render_opts *o, double gain,
    const struct sp_loudness_result *m, double margin, int *capped)
{
	double next;

	*capped = 0;
	if (!isfinite(m->integrated))
		return gain;
	next = gain + o->target - m->integrated;
	/* A linear gain only: the ceiling caps it. */
	if (isfinite(m->true_peak) &&
	    m->true_peak + next - gain > o->ceiling - margin) {
		next = gain + o->ceiling - margin - m->true_peak;
		*capped = 1;
	}
	return next;
}

int
sp_render_over(const struct sp_render_opts *o, double true_peak)
{
	/* The records and notes print dB to two decimals. */
	return true_peak > o->ceiling + 0.005;
}

int
sp_render_correct(const struct sp_render_opts *o, double gain,
    const struct sp_loudness_result *m, double *next)
{
	int capped;

	*next = sp_render_aim(o, gain, m, SP_RENDER_MARGIN, &capped);
	if (!isfinite(m->integrated))
		return 0;
	return sp_render_over(o, m->true_peak) ||
	    fabs(*next - gain) > SP_RENDER_TOLERANCE;
}

int
sp_render_better(const struct sp_render_opts *o,
    const struct sp_loudness_result *a, const struct sp_loudness_result *b)
{
	int over_a = sp_render_over(o, a->true_peak);
	int over_b = sp_render_over(o, b->true_peak);

	if (over_a != over_b)
		return over_a;
	if (over_a)
		return b->true_peak < a->true_peak;
	return fabs(b->integrated - o->target) <
	    fabs(a->integrated - o->target);
}

int
sp_render_measure(const char *path, void (*progress)(void *, uint64_t),
    void *ctx, struct sp_loudness_result *m, char *err, size_t errlen)
{
	return sp_measure_loudness(path, 0, progress, ctx, m, NULL, err,
	    errlen);
}

int
sp_render(struct sp_decoder *d, uint64_t start, uint64_t end,
    const struct sp_render_opts *o, struct sp_encoder *e,
    struct sp_render_result *r, char *err, size_t errlen)
{
	const struct sp_decode_info *i = sp_decode_info(d);
	struct sp_loudness_result lr;
	struct sp_loudness *m;
	double gain = o->normalise && o->gain_given ? o->gain : 0;
	uint64_t done;
	int capped;

	memset(r, 0, sizeof(*r));
	if (start >= end)
		return sp_fail(err, errlen, "an empty clip");
	if (o->normalise && !o->gain_given) {
		if ((m = meter(sp_render_channels(d, o), i->sample_rate, err,
		    errlen)) == NULL)
			return -1;
		if (pass(d, start, end, o, 1.0, m, NULL, 0, &done, err,
		    errlen) != 0) {
			sp_loudness_free(m);
			return -1;
		}
		if (sp_loudness_get(m, &lr) != 0) {
			sp_loudness_free(m);
			return sp_fail(err, errlen, "the loudness meter failed");
		}
		sp_loudness_free(m);
		r->measured = 1;
		r->loudness = lr.integrated;
		r->true_peak = lr.true_peak;
		gain = sp_render_aim(o, 0, &lr, 0, &capped);
	}
	r->gain = gain;
	if (pass(d, start, end, o, pow(10, gain / 20), NULL, e,
	    sp_render_work(o, end - start) - (end - start), &done, err,
	    errlen) != 0)
		return -1;
	r->samples = done;
	return 0;
}
