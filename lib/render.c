/* render: the transcode path of a clip: decode, mix, fade, normalise, encode. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "loudness.h"
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
	size_t want, j;

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

int
sp_render(struct sp_decoder *d, uint64_t start, uint64_t end,
    const struct sp_render_opts *o, struct sp_encoder *e,
    struct sp_render_result *r, char *err, size_t errlen)
{
	const struct sp_decode_info *i = sp_decode_info(d);
	struct sp_loudness_result lr;
	struct sp_loudness *m;
	double gain = 0;
	uint64_t done;

	memset(r, 0, sizeof(*r));
	if (start >= end)
		return sp_fail(err, errlen, "an empty clip");
	if (o->normalise) {
		m = sp_loudness_new(sp_render_channels(d, o), i->sample_rate,
		    0);
		if (m == NULL)
			return sp_fail(err, errlen, "cannot measure loudness at "
			    "%u Hz", i->sample_rate);
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
		if (isfinite(lr.integrated)) {
			gain = o->target - lr.integrated;
			/* A linear gain only: the ceiling caps it. */
			if (isfinite(lr.true_peak) &&
			    lr.true_peak + gain > o->ceiling) {
				gain = o->ceiling - lr.true_peak;
				r->missed = o->target - (lr.integrated + gain);
			}
		}
		r->gain = gain;
	}
	if (pass(d, start, end, o, pow(10, gain / 20), NULL, e,
	    o->normalise ? end - start : 0, &done, err, errlen) != 0)
		return -1;
	r->samples = done;
	return 0;
}
