/* segment: speech stretches between silences, streaming over float PCM. */
#include <math.h>
#include <stdlib.h>

#include "segment.h"
#include "xalloc.h"
#include "banned.h"

struct sp_segmenter {
	unsigned	 channels;
	uint64_t	 win;		/* window length, samples */
	double		 thresh;	/* mean square at the threshold */
	uint64_t	 min_sil, min_speech;	/* samples */
	sp_segment_fn	*fn;
	void		*ctx;

	uint64_t	 pos;		/* samples fed */
	uint64_t	 wstart;	/* start of the current window */
	double		 acc;		/* sum of squares in it */
	int		 in_speech;
	uint64_t	 start;		/* of the current stretch */
	uint64_t	 quiet_from;	/* start of the quiet run in it */
	int		 quiet;		/* a quiet run is going on */
	int		 finished;
	/*
	 * Onsets: a window's RMS crosses the threshold some 20-50 ms after
	 * the first sample does (a rising voice), while ffmpeg's silencedetect
	 * ends a silence at the first sample above it.  So keep, for the
	 * last LOOKBACK windows, where their first sample above the
	 * threshold's amplitude sat, and start a stretch there.
	 */
	double		 amp;		/* the threshold as an amplitude */
	uint64_t	 first_hot;	/* in the current window; UINT64_MAX */
	uint64_t	 hot[8];	/* of the previous windows, ring */
	unsigned	 nhot;
};

#define LOOKBACK	5	/* windows, 100 ms at the default */

void
sp_segment_defaults(struct sp_segment_params *p)
{
	p->threshold_db = SP_SEGMENT_THRESHOLD;
	p->min_silence = SP_SEGMENT_MIN_SILENCE;
	p->min_speech = SP_SEGMENT_MIN_SPEECH;
	p->window = 0.02;
}

struct sp_segmenter *
sp_segment_new(unsigned channels, unsigned rate,
    const struct sp_segment_params *p, sp_segment_fn *fn, void *ctx)
{
	struct sp_segment_params def;
	struct sp_segmenter *s;

	if (p == NULL) {
		sp_segment_defaults(&def);
		p = &def;
	}
	if (channels == 0 || rate == 0 || !(p->window > 0) ||
	    !(p->min_silence >= 0) || !(p->min_speech >= 0) ||
	    !(p->threshold_db <= 0) || p->window * rate < 1 ||
	    p->min_silence > 86400 || p->min_speech > 86400 ||
	    p->window > 60)
		return NULL;
	s = sp_xcalloc(1, sizeof(*s));
	s->channels = channels;
	s->win = (uint64_t)llround(p->window * rate);
	/* RMS in dBFS against a full-scale square: 20 log10(rms). */
	s->thresh = pow(10, p->threshold_db / 10);
	s->amp = pow(10, p->threshold_db / 20);
	s->first_hot = UINT64_MAX;
	s->min_sil = (uint64_t)llround(p->min_silence * rate);
	s->min_speech = (uint64_t)llround(p->min_speech * rate);
	s->fn = fn;
	s->ctx = ctx;
	return s;
}

static void
emit(struct sp_segmenter *s, uint64_t end)
{
	if (end > s->start && end - s->start >= s->min_speech && s->fn)
		s->fn(s->ctx, s->start, end);
	s->in_speech = 0;
	s->quiet = 0;
}

/* One window [wstart, wend) with mean square ms. */
static void
window(struct sp_segmenter *s, uint64_t wend, double ms)
{
	if (ms > s->thresh) {
		if (!s->in_speech) {
			unsigned k;

			s->in_speech = 1;
			s->start = s->wstart;
			/* Back over the quiet windows just before with a
			 * sample above the threshold, without a gap. */
			for (k = 1; k <= LOOKBACK && k <= s->nhot; k++) {
				uint64_t h = s->hot[(s->nhot - k) % 8];

				if (h == UINT64_MAX)
					break;
				s->start = h;
			}
			if (k == 1 && s->first_hot != UINT64_MAX)
				s->start = s->first_hot;
		}
		s->quiet = 0;
		return;
	}
	if (!s->in_speech)
		return;
	if (!s->quiet) {
		s->quiet = 1;
		s->quiet_from = s->wstart;
	}
	if (wend - s->quiet_from >= s->min_sil)
		emit(s, s->quiet_from);
}

void
sp_segment_add(struct sp_segmenter *s, const float *pcm, size_t frames)
{
	size_t i;
	unsigned c;

	if (s->finished)
		return;
	for (i = 0; i < frames; i++) {
		for (c = 0; c < s->channels; c++) {
			double v = pcm[i * s->channels + c];

			s->acc += v * v;
			if (s->first_hot == UINT64_MAX && fabs(v) > s->amp)
				s->first_hot = s->pos;
		}
		s->pos++;
		if (s->pos - s->wstart == s->win) {
			window(s, s->pos, s->acc / (double)(s->win *
			    s->channels));
			s->hot[s->nhot++ % 8] = s->first_hot;
			if (s->nhot == 16)
				s->nhot = 8;
			s->first_hot = UINT64_MAX;
			s->wstart = s->pos;
			s->acc = 0;
		}
	}
}

void
sp_segment_finish(struct sp_segmenter *s)
{
	if (s->finished)
		return;
	s->finished = 1;
	if (s->pos > s->wstart)
		window(s, s->pos, s->acc / (double)((s->pos - s->wstart) *
		    s->channels));
	if (s->in_speech)
		emit(s, s->quiet ? s->quiet_from : s->pos);
}

void
sp_segment_free(struct sp_segmenter *s)
{
	free(s);
}
