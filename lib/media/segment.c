/* segment: speech stretches between silences, streaming over float PCM. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"
#include "xalloc.h"
#include "banned.h"

#define LOOKBACK	5	/* windows, 100 ms at the default */
#define RING		8	/* hot[] entries, >= LOOKBACK */

struct sp_segmenter {
	unsigned	 channels;
	size_t		 win;		/* window length, sample frames */
	double		 thresh;	/* mean square at the threshold */
	uint64_t	 min_sil, min_speech;	/* samples */
	sp_segment_fn	*fn;
	void		*ctx;

	uint64_t	 pos;		/* frames of whole windows pushed */
	float		*part;		/* a window not yet whole */
	size_t		 npart;		/* its frames */
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
	float		 amp;		/* the threshold as an amplitude */
	uint64_t	 hot[RING];	/* of the previous windows, ring */
	unsigned	 nhot;
};

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
	double amp;
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
	s->win = (size_t)llround(p->window * rate);
	s->part = sp_xcalloc(s->win * channels, sizeof(*s->part));
	/* RMS in dBFS against a full-scale square: 20 log10(rms). */
	s->thresh = pow(10, p->threshold_db / 10);
	/* As an amplitude, the largest float not over 10^(dB/20): a float
	 * is over one exactly when it is over the other. */
	amp = pow(10, p->threshold_db / 20);
	s->amp = (float)amp;
	if (s->amp > amp)
		s->amp = nextafterf(s->amp, 0);
	s->min_sil = (uint64_t)llround(p->min_silence * rate);
	s->min_speech = (uint64_t)llround(p->min_speech * rate);
	s->fn = fn;
	s->ctx = ctx;
	return s;
}

size_t
sp_segment_window(const struct sp_segmenter *s)
{
	return s->win;
}

void
sp_segment_scan(const struct sp_segmenter *s, const float *pcm,
    size_t frames, double *sumsq, size_t *hot)
{
	size_t n = frames * s->channels, i;
	double a0 = 0, a1 = 0, a2 = 0, a3 = 0;

	/* Four sums: no chain of dependent adds; the order is fixed. */
	for (i = 0; i + 4 <= n; i += 4) {
		a0 += (double)pcm[i] * pcm[i];
		a1 += (double)pcm[i + 1] * pcm[i + 1];
		a2 += (double)pcm[i + 2] * pcm[i + 2];
		a3 += (double)pcm[i + 3] * pcm[i + 3];
	}
	for (; i < n; i++)
		a0 += (double)pcm[i] * pcm[i];
	*sumsq = (a0 + a1) + (a2 + a3);
	/* Blocks of 32 tested at once, then the one block sample by
	 * sample. */
	*hot = SIZE_MAX;
	for (i = 0; i < n; i += 32) {
		size_t j;
		int over = 0;

		if (n - i >= 32)
			for (j = 0; j < 32; j++)
				over |= fabsf(pcm[i + j]) > s->amp;
		else
			over = 1;
		if (!over)
			continue;
		for (j = i; j < n && j < i + 32; j++)
			if (fabsf(pcm[j]) > s->amp) {
				*hot = j / s->channels;
				return;
			}
	}
}

static void
emit(struct sp_segmenter *s, uint64_t end)
{
	if (end > s->start && end - s->start >= s->min_speech && s->fn)
		s->fn(s->ctx, s->start, end);
	s->in_speech = 0;
	s->quiet = 0;
}

void
sp_segment_push(struct sp_segmenter *s, size_t frames, double sumsq,
    size_t hot)
{
	uint64_t wstart = s->pos, wend = s->pos + frames;
	uint64_t first = hot == SIZE_MAX ? UINT64_MAX : wstart + hot;
	unsigned k;

	if (s->finished || frames == 0)
		return;
	s->pos = wend;
	if (sumsq / ((double)frames * s->channels) > s->thresh) {
		if (!s->in_speech) {
			s->in_speech = 1;
			s->start = wstart;
			/* Back over the quiet windows just before with a
			 * sample above the threshold, without a gap. */
			for (k = 1; k <= LOOKBACK && k <= s->nhot; k++) {
				uint64_t h = s->hot[(s->nhot - k) % RING];

				if (h == UINT64_MAX)
					break;
				s->start = h;
			}
			if (k == 1 && first != UINT64_MAX)
				s->start = first;
		}
		s->quiet = 0;
	} else if (s->in_speech) {
		if (!s->quiet) {
			s->quiet = 1;
			s->quiet_from = wstart;
		}
		if (wend - s->quiet_from >= s->min_sil)
			emit(s, s->quiet_from);
	}
	s->hot[s->nhot++ % RING] = first;
	if (s->nhot == 2 * RING)
		s->nhot = RING;
}

void
sp_segment_add(struct sp_segmenter *s, const float *pcm, size_t frames)
{
	unsigned ch = s->channels;
	double sumsq;
	size_t n, hot;

	if (s->finished)
		return;
	/* Whole windows are scanned where they lie, the rest kept, so
	 * that any split of the input gives the same sums. */
	while (frames > 0) {
		if (s->npart == 0 && frames >= s->win) {
			sp_segment_scan(s, pcm, s->win, &sumsq, &hot);
			sp_segment_push(s, s->win, sumsq, hot);
			pcm += s->win * ch;
			frames -= s->win;
			continue;
		}
		n = s->win - s->npart < frames ? s->win - s->npart : frames;
		memcpy(s->part + s->npart * ch, pcm, n * ch * sizeof(*pcm));
		s->npart += n;
		pcm += n * ch;
		frames -= n;
		if (s->npart == s->win) {
			sp_segment_scan(s, s->part, s->win, &sumsq, &hot);
			sp_segment_push(s, s->win, sumsq, hot);
			s->npart = 0;
		}
	}
}

void
sp_segment_finish(struct sp_segmenter *s)
{
	double sumsq;
	size_t hot;

	if (s->finished)
		return;
	if (s->npart > 0) {
		sp_segment_scan(s, s->part, s->npart, &sumsq, &hot);
		sp_segment_push(s, s->npart, sumsq, hot);
		s->npart = 0;
	}
	s->finished = 1;
	if (s->in_speech)
		emit(s, s->quiet ? s->quiet_from : s->pos);
}

void
sp_segment_free(struct sp_segmenter *s)
{
	if (s == NULL)
		return;
	free(s->part);
	free(s);
}
