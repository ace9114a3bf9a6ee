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

/* What a pass does to each sample of a clip: fades, mutes, mix, gain. */
struct shaping {
	const struct sp_render_opts *o;
	uint64_t	 start, n;	/* the clip */
	unsigned	 ch, out;
	double		 fi, fo;	/* fades, samples */
	double		 gain;
};

static void
shaping(struct shaping *sh, const struct sp_decoder *d,
    const struct sp_render_opts *o, uint64_t start, uint64_t end,
    double gain)
{
	const struct sp_decode_info *i = sp_decode_info(d);

	sh->o = o;
	sh->start = start;
	sh->n = end - start;
	sh->ch = i->channels;
	sh->out = sp_render_channels(d, o);
	sh->fi = o->fade_in * i->sample_rate;
	sh->fo = o->fade_out * i->sample_rate;
	sh->gain = gain;
}

/* frames of buf, the first at sample pos, into mix. */
static void
shape(const struct shaping *sh, const float *buf, float *mix, size_t frames,
    uint64_t pos, size_t *cursor)
{
	const struct sp_render_opts *o = sh->o;
	unsigned ch = sh->ch, out = sh->out, c;
	uint64_t k;
	double t, g;
	size_t j;

	for (j = 0; j < frames; j++) {
		k = pos - sh->start + j;
		/* Fades: raised-cosine ramps, gentle on speech. */
		g = sh->gain;
		if (sh->fi > 0 && k < sh->fi) {
			t = k / sh->fi;
			g *= 0.5 - 0.5 * cos(M_PI * t);
		}
		if (sh->fo > 0 && sh->n - k <= sh->fo) {
			t = (sh->n - k) / sh->fo;
			g *= 0.5 - 0.5 * cos(M_PI * t);
		}
		if (o->mute)
			g *= sp_ranges_gain(o->mute, pos + j, o->mute_fade,
			    cursor);
		if (out == 1 && ch > 1) {
			double s = 0;

			for (c = 0; c < ch; c++)
				s += buf[j * ch + c];
			mix[j] = (float)(s / ch * g);
		} else
			for (c = 0; c < out; c++)
				mix[j * out + c] = (float)(buf[j * ch + c] * g);
	}
}

/* sp_measure_shape's: blocks come on several threads, so a cursor a
 * call (it only saves a search from the first range). */
static void
shape_block(void *ctx, const float *in, float *out, size_t frames,
    uint64_t pos)
{
	size_t cursor = 0;

	shape(ctx, in, out, frames, pos, &cursor);
}

/*
 * One pass over [start, end): decode, shape, and hand each chunk to the
 * meter or the encoder.
 */
static int
pass(struct sp_decoder *d, uint64_t start, uint64_t end,
    const struct sp_render_opts *o, double gain, struct sp_loudness *meter,
    struct sp_encoder *e, uint64_t before, uint64_t *done, char *err,
    size_t errlen)
{
	struct shaping sh;
	uint64_t pos = start;
	float *buf, *mix;
	long got = 0;
	size_t want, cursor = 0;

	if (sp_decode_seek(d, start) != 0)
		return sp_fail(err, errlen, "cannot seek to sample %llu: %s",
		    (unsigned long long)start, sp_decode_error(d));
	shaping(&sh, d, o, start, end, gain);
	buf = sp_xcalloc((size_t)CHUNK * sh.ch, sizeof(*buf));
	mix = sp_xcalloc((size_t)CHUNK * sh.out, sizeof(*mix));
	*done = 0;
	while (pos < end) {
		want = end - pos < CHUNK ? (size_t)(end - pos) : CHUNK;
		if ((got = sp_decode_read(d, buf, want)) <= 0)
			break;
		shape(&sh, buf, mix, (size_t)got, pos, &cursor);
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

/*
 * The loudness of [start, end) as the encoder will get it at gain 1: in
 * spans on every core when the file is known, else in one pass of d.
 */
static int
measure_clip(struct sp_decoder *d, uint64_t start, uint64_t end,
    const struct sp_render_opts *o, struct sp_loudness_result *lr,
    char *err, size_t errlen)
{
	struct sp_measure_shape ms;
	struct sp_loudness *m;
	struct shaping sh;
	uint64_t done;
	int rc;

	if (o->path) {
		shaping(&sh, d, o, start, end, 1.0);
		ms.channels = sh.out;
		ms.fn = shape_block;
		ms.ctx = &sh;
		return sp_measure_loudness_range(o->path, start, end, &ms, 0,
		    o->progress, o->ctx, lr, NULL, err, errlen);
	}
	if ((m = meter(sp_render_channels(d, o),
	    sp_decode_info(d)->sample_rate, err, errlen)) == NULL)
		return -1;
	rc = pass(d, start, end, o, 1.0, m, NULL, 0, &done, err, errlen);
	if (rc == 0 && sp_loudness_get(m, lr) != 0)
		rc = sp_fail(err, errlen, "the loudness meter failed");
	sp_loudness_free(m);
	return rc;
}

int
sp_render(struct sp_decoder *d, uint64_t start, uint64_t end,
    const struct sp_render_opts *o, struct sp_encoder *e,
    struct sp_render_result *r, char *err, size_t errlen)
{
	struct sp_loudness_result lr;
	double gain = o->normalise && o->gain_given ? o->gain : 0;
	uint64_t done;
	int capped;

	memset(r, 0, sizeof(*r));
	if (start >= end)
		return sp_fail(err, errlen, "an empty clip");
	if (o->normalise && !o->gain_given) {
		if (measure_clip(d, start, end, o, &lr, err, errlen) != 0)
			return -1;
		r->measured = 1;
	}
	if (r->measured) {
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
