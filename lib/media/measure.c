/* measure: the loudness of a file, measured in spans on every core. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "err.h"
#include "loudness.h"
#include "measure.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_JOBS	64	/* sp_loudness_get_multiple's limit */
#define BLOCK		4096	/* sample frames a read */

/*
 * A span [start, end) is measured by two meters whose blocks tile the
 * input with the neighbours' as one pass's would: libebur128's gating
 * blocks are 400 ms every 100 ms, its range blocks 3 s every 1 s, from the
 * first sample a meter sees.  Spans start on whole seconds, and a span's
 * meters start early by a block less its step, so their first block is
 * the first that ends past the start: the ones before belong to the span
 * before.  (Peaks are maxima: the lead-in counts them twice, harmlessly.)
 */
#define GATED_LEAD(rate)	((uint64_t)(rate) * 3 / 10)
#define RANGE_LEAD(rate)	((uint64_t)(rate) * 2)

struct span {
	const char		*path;
	uint64_t		 lo;		/* the range's start */
	uint64_t		 start, end;	/* samples per channel */
	int			 dual_mono;
	const struct sp_measure_shape *shape;	/* may be NULL */
	/* The span on the calling thread reports for all. */
	void			(*progress)(void *, uint64_t);
	void			*ctx;
	unsigned		 n;
	struct sp_loudness	*gated, *range;
	uint64_t		 damaged;
	int			 rc;
	char			 err[256];
};

static unsigned jobs;	/* 0: the online CPUs */

void
sp_measure_set_jobs(unsigned n)
{
	jobs = n;
}

unsigned
sp_measure_jobs(void)
{
	long n = jobs > 0 ? (long)jobs : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

/* Feed the samples of buf that fall at or after from into l. */
static int
feed(struct sp_loudness *l, const float *buf, unsigned ch, uint64_t at,
    long got, uint64_t from)
{
	uint64_t skip = from > at ? from - at : 0;

	if (skip >= (uint64_t)got)
		return 0;
	return sp_loudness_add(l, buf + skip * ch, (size_t)((uint64_t)got -
	    skip));
}

/* Decode the span and its lead-in into the span's own meters. */
static void *
run(void *arg)
{
	struct span *s = arg;
	const struct sp_decode_info *i;
	struct sp_decoder *d;
	uint64_t at, from_gated, from_range, lead;
	unsigned ch;
	float *buf, *shaped = NULL, *m;
	long got = 0;
	size_t want;

	s->rc = -1;
	if ((d = sp_decode_open(s->path, s->err, sizeof(s->err))) == NULL)
		return NULL;
	i = sp_decode_info(d);
	ch = s->shape ? s->shape->channels : i->channels;
	/* One span alone is one pass: one meter measures it all. */
	s->gated = sp_loudness_new_parts(ch, i->sample_rate,
	    s->dual_mono, s->n == 1 ? SP_LOUDNESS_GATED | SP_LOUDNESS_RANGE :
	    SP_LOUDNESS_GATED);
	s->range = s->n == 1 ? NULL : sp_loudness_new_parts(ch,
	    i->sample_rate, s->dual_mono, SP_LOUDNESS_RANGE);
	if (s->gated == NULL || (s->n > 1 && s->range == NULL)) {
		sp_fail(s->err, sizeof(s->err), "cannot measure loudness at "
		    "%u Hz, %u channels", i->sample_rate, ch);
		sp_decode_close(d);
		return NULL;
	}
	lead = s->start > s->lo ? GATED_LEAD(i->sample_rate) : 0;
	from_gated = s->start - lead;
	lead = s->start > s->lo ? RANGE_LEAD(i->sample_rate) : 0;
	from_range = s->start - lead;
	if (from_range > 0 && sp_decode_seek(d, from_range) != 0) {
		sp_fail(s->err, sizeof(s->err), "cannot seek: %s",
		    sp_decode_error(d));
		sp_decode_close(d);
		return NULL;
	}
	buf = sp_xcalloc((size_t)BLOCK * i->channels, sizeof(*buf));
	if (s->shape)
		shaped = sp_xcalloc((size_t)BLOCK * ch, sizeof(*shaped));
	for (at = from_range; at < s->end; at += (uint64_t)got) {
		want = s->end - at < BLOCK ? (size_t)(s->end - at) : BLOCK;
		if ((got = sp_decode_read(d, buf, want)) <= 0)
			break;
		m = buf;
		if (s->shape) {
			s->shape->fn(s->shape->ctx, buf, shaped, (size_t)got,
			    at);
			m = shaped;
		}
		if (feed(s->gated, m, ch, at, got, from_gated) ||
		    (s->range && feed(s->range, m, ch, at, got,
		    from_range))) {
			got = -2;
			break;
		}
		if (s->progress && at + (uint64_t)got > s->start)
			s->progress(s->ctx, (at + (uint64_t)got - s->start) *
			    s->n);
	}
	free(buf);
	free(shaped);
	if (got == -2)
		sp_fail(s->err, sizeof(s->err), "the loudness meter failed");
	else if (got < 0)
		sp_fail(s->err, sizeof(s->err), "%s", sp_decode_error(d));
	else
		s->rc = 0;
	s->damaged = sp_decode_damaged(d);
	sp_decode_close(d);
	return NULL;
}

int
sp_measure_loudness(const char *path, int dual_mono,
    void (*progress)(void *, uint64_t), void *ctx,
    struct sp_loudness_result *r, uint64_t *damaged, char *err,
    size_t errlen)
{
	return sp_measure_loudness_range(path, 0, UINT64_MAX, NULL, dual_mono,
	    progress, ctx, r, damaged, err, errlen);
}

int
sp_measure_loudness_range(const char *path, uint64_t lo, uint64_t hi,
    const struct sp_measure_shape *shape, int dual_mono,
    void (*progress)(void *, uint64_t), void *ctx,
    struct sp_loudness_result *r, uint64_t *damaged, char *err,
    size_t errlen)
{
	struct sp_loudness *meters[2 * MAX_JOBS];
	struct span spans[MAX_JOBS];
	pthread_t tids[MAX_JOBS];
	int started[MAX_JOBS];
	struct sp_decoder *d;
	uint64_t total, per, min, rate;
	unsigned n, k;
	size_t nm = 0;
	int rc = 0;

	if ((d = sp_decode_open(path, err, errlen)) == NULL)
		return -1;
	total = sp_decode_info(d)->total;
	rate = sp_decode_info(d)->sample_rate;
	min = (uint64_t)(SP_MEASURE_MIN_SPAN * rate);
	n = sp_measure_jobs();
	/* Spans need an exact length to cut and a seek to start them. */
	if (!sp_decode_info(d)->total_known || !sp_decode_info(d)->seekable ||
	    sp_decode_info(d)->seek_decodes)
		n = 1;
	else if (hi > total)
		hi = total;
	total = n > 1 && hi > lo ? hi - lo : 0;
	while (n > 1 && total / n < min)
		n--;
	sp_decode_close(d);

	/* The spans start on whole seconds from lo. */
	per = n > 1 ? total / n / rate * rate : total;
	memset(spans, 0, sizeof(spans));
	for (k = 0; k < n; k++) {
		spans[k].path = path;
		spans[k].dual_mono = dual_mono;
		spans[k].shape = shape;
		spans[k].lo = lo;
		spans[k].start = lo + (uint64_t)k * per;
		spans[k].end = k + 1 < n ? lo + (uint64_t)(k + 1) * per : hi;
		spans[k].n = n;
	}
	spans[n - 1].progress = progress;
	spans[n - 1].ctx = ctx;
	/* The last span runs here: one thread fewer, and n = 1 makes none. */
	for (k = 0; k + 1 < n; k++)
		started[k] = pthread_create(&tids[k], NULL, run,
		    &spans[k]) == 0;
	run(&spans[n - 1]);
	for (k = 0; k + 1 < n; k++) {
		if (started[k])
			pthread_join(tids[k], NULL);
		else
			run(&spans[k]);
	}

	if (damaged)
		*damaged = 0;
	for (k = 0; k < n; k++) {
		if (spans[k].rc != 0 && rc == 0)
			rc = sp_fail(err, errlen, "%s", spans[k].err);
		if (spans[k].gated)
			meters[nm++] = spans[k].gated;
		if (spans[k].range)
			meters[nm++] = spans[k].range;
		if (damaged)
			*damaged += spans[k].damaged;
	}
	if (rc == 0 && sp_loudness_get_multiple(meters, nm, r) != 0)
		rc = sp_fail(err, errlen, "the loudness meter failed");
	for (k = 0; k < n; k++) {
		sp_loudness_free(spans[k].gated);
		sp_loudness_free(spans[k].range);
	}
	return rc;
}

/*
 * Silences: the input is cut into chunks of CHUNK_WINDOWS whole windows;
 * worker w scans chunks w, w + n, w + 2n... with a decoder of its own
 * into slot (chunk mod 2n), and the calling thread pushes the slots'
 * summaries in chunk order into the one segmenter.  A worker waits for
 * its slot to be pushed before it fills it again: memory is bounded by
 * the slots, whatever the length.  A worker's error is told in its slot,
 * so the first one in the input's order is the one reported, as one pass
 * would.
 */
#define CHUNK_WINDOWS	3000	/* 60 s at 20 ms: a seek's pre-roll is
				   1 s at most (Opus) */

struct slot {
	uint64_t	 chunk;		/* the one it may hold next */
	int		 ready;		/* it holds it */
	size_t		 nwin;		/* windows in it */
	size_t		 last;		/* frames of the last one */
	int		 end;		/* the input ended in it */
	char		*err;		/* the worker failed in it */
	double		 sumsq[CHUNK_WINDOWS];
	size_t		 hot[CHUNK_WINDOWS];
};

struct scan {
	struct sp_segmenter	*sg;
	unsigned		 n;		/* workers */
	uint64_t		 chunks;	/* in the input, at most */
	struct slot		*slots;		/* 2n */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	int			 stop;		/* the reader is done */
};

struct worker {
	struct scan		*sc;
	unsigned		 w;
	struct sp_decoder	*d;	/* NULL: err says why */
	char			 err[256];
};

/* Fill chunk c into sl; 0, or -1 with the reason in sl->err. */
static int
scan_chunk(struct worker *wk, struct slot *sl, uint64_t c, float *buf,
    uint64_t *at)
{
	size_t win = sp_segment_window(wk->sc->sg), k;
	unsigned ch = wk->d ? sp_decode_info(wk->d)->channels : 1;
	uint64_t from = c * CHUNK_WINDOWS * win;
	long got = 0, n = 0;

	sl->nwin = 0;
	if (wk->d == NULL) {
		sl->err = sp_xstrdup(wk->err);
		return -1;
	}
	if (from != *at && sp_decode_seek(wk->d, from) != 0) {
		sl->err = sp_xstrdup(sp_decode_error(wk->d));
		return -1;
	}
	for (k = 0, *at = from; k < CHUNK_WINDOWS; k++) {
		/* Read until the window is whole, the end, or an error. */
		for (got = 0; (size_t)got < win; got += n)
			if ((n = sp_decode_read(wk->d, buf + (size_t)got * ch,
			    win - (size_t)got)) <= 0)
				break;
		if (n < 0) {
			got = -1;
			break;
		}
		if (got == 0)
			break;
		*at += (uint64_t)got;
		sp_segment_scan(wk->sc->sg, buf, (size_t)got, &sl->sumsq[k],
		    &sl->hot[k]);
		sl->nwin++;
		sl->last = (size_t)got;
		if ((size_t)got < win)
			break;
	}
	if (got < 0) {
		sl->err = sp_xstrdup(sp_decode_error(wk->d));
		return -1;
	}
	sl->end = k < CHUNK_WINDOWS;
	return 0;
}

static void *
scan_run(void *arg)
{
	struct worker *wk = arg;
	struct scan *sc = wk->sc;
	struct slot *sl;
	uint64_t c, at = 0;
	float *buf;
	int rc = 0;

	buf = sp_xcalloc(sp_segment_window(sc->sg) * (wk->d ?
	    sp_decode_info(wk->d)->channels : 1), sizeof(*buf));
	for (c = wk->w; c < sc->chunks && rc == 0; c += sc->n) {
		sl = &sc->slots[c % (2 * sc->n)];
		pthread_mutex_lock(&sc->mu);
		while (!sc->stop && (sl->chunk != c || sl->ready))
			pthread_cond_wait(&sc->cv, &sc->mu);
		pthread_mutex_unlock(&sc->mu);
		if (sc->stop)
			break;
		rc = scan_chunk(wk, sl, c, buf, &at);
		pthread_mutex_lock(&sc->mu);
		sl->ready = 1;
		pthread_cond_broadcast(&sc->cv);
		pthread_mutex_unlock(&sc->mu);
	}
	free(buf);
	return NULL;
}

/* Push the chunks in order as the workers fill them; 0, or -1 with err. */
static int
scan_push(struct scan *sc, char *err, size_t errlen)
{
	size_t win = sp_segment_window(sc->sg), k;
	struct slot *sl;
	uint64_t c;
	int end = 0, rc = 0;

	for (c = 0; c < sc->chunks && !end && rc == 0; c++) {
		sl = &sc->slots[c % (2 * sc->n)];
		pthread_mutex_lock(&sc->mu);
		while (!sl->ready)
			pthread_cond_wait(&sc->cv, &sc->mu);
		pthread_mutex_unlock(&sc->mu);
		for (k = 0; k < sl->nwin; k++)
			sp_segment_push(sc->sg, k + 1 == sl->nwin ? sl->last :
			    win, sl->sumsq[k], sl->hot[k]);
		if (sl->err)
			rc = sp_fail(err, errlen, "%s", sl->err);
		/* The input ended early: what follows is not there. */
		end = sl->end;
		pthread_mutex_lock(&sc->mu);
		sl->ready = 0;
		sl->chunk = c + 2 * sc->n;
		pthread_cond_broadcast(&sc->cv);
		pthread_mutex_unlock(&sc->mu);
	}
	pthread_mutex_lock(&sc->mu);
	sc->stop = 1;
	pthread_cond_broadcast(&sc->cv);
	pthread_mutex_unlock(&sc->mu);
	return rc;
}

/* One pass over d, on this thread. */
static int
one_pass(struct sp_decoder *d, struct sp_segmenter *sg, char *err,
    size_t errlen)
{
	float *buf;
	long got;

	buf = sp_xcalloc((size_t)BLOCK * sp_decode_info(d)->channels,
	    sizeof(*buf));
	while ((got = sp_decode_read(d, buf, BLOCK)) > 0)
		sp_segment_add(sg, buf, (size_t)got);
	free(buf);
	if (got < 0)
		return sp_fail(err, errlen, "%s", sp_decode_error(d));
	return 0;
}

int
sp_measure_silences(const char *path, const struct sp_segment_params *p,
    sp_segment_fn *fn, void *ctx, uint64_t *damaged, char *err,
    size_t errlen)
{
	struct worker wk[MAX_JOBS];
	pthread_t tids[MAX_JOBS];
	const struct sp_decode_info *i;
	struct scan sc;
	struct sp_decoder *d;
	unsigned k, started = 0;
	int rc = 0;

	if ((d = sp_decode_open(path, err, errlen)) == NULL)
		return -1;
	i = sp_decode_info(d);
	memset(&sc, 0, sizeof(sc));
	if ((sc.sg = sp_segment_new(i->channels, i->sample_rate, p, fn,
	    ctx)) == NULL) {
		sp_decode_close(d);
		return sp_fail(err, errlen, "bad silence parameters");
	}
	sc.chunks = i->total / ((uint64_t)CHUNK_WINDOWS *
	    sp_segment_window(sc.sg)) + 1;
	sc.n = sp_measure_jobs();
	if (sc.n > sc.chunks)
		sc.n = (unsigned)sc.chunks;
	if (!i->seekable || !i->total_known || i->seek_decodes || sc.n < 2) {
		rc = one_pass(d, sc.sg, err, errlen);
		if (damaged)
			*damaged = sp_decode_damaged(d);
		sp_decode_close(d);
		goto done;
	}

	sc.slots = sp_xcalloc(2 * sc.n, sizeof(*sc.slots));
	for (k = 0; k < 2 * sc.n; k++)
		sc.slots[k].chunk = k;
	pthread_mutex_init(&sc.mu, NULL);
	pthread_cond_init(&sc.cv, NULL);
	memset(wk, 0, sizeof(wk));
	for (k = 0; k < sc.n; k++) {
		wk[k].sc = &sc;
		wk[k].w = k;
		wk[k].d = k == 0 ? d : sp_decode_open(path, wk[k].err,
		    sizeof(wk[k].err));
		if (pthread_create(&tids[k], NULL, scan_run, &wk[k]) != 0)
			break;
		started++;
	}
	if (started == sc.n)
		rc = scan_push(&sc, err, errlen);
	else {
		/* No thread for every worker: stop them, and one pass. */
		pthread_mutex_lock(&sc.mu);
		sc.stop = 1;
		pthread_cond_broadcast(&sc.cv);
		pthread_mutex_unlock(&sc.mu);
	}
	if (damaged)
		*damaged = 0;
	for (k = 0; k < started; k++)
		pthread_join(tids[k], NULL);
	if (started < sc.n)
		rc = sp_decode_seek(d, 0) != 0 ? sp_fail(err, errlen, "%s",
		    sp_decode_error(d)) : one_pass(d, sc.sg, err, errlen);
	for (k = 0; k < sc.n; k++) {
		if (wk[k].d && damaged)
			*damaged += sp_decode_damaged(wk[k].d);
		if (wk[k].d)
			sp_decode_close(wk[k].d);
	}
	for (k = 0; k < 2 * sc.n; k++)
		free(sc.slots[k].err);
	pthread_cond_destroy(&sc.cv);
	pthread_mutex_destroy(&sc.mu);
	free(sc.slots);
done:
	if (rc == 0)
		sp_segment_finish(sc.sg);
	sp_segment_free(sc.sg);
	return rc;
}
