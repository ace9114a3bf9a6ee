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
	uint64_t		 start, end;	/* samples per channel */
	int			 dual_mono;
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
	uint64_t at, from_gated, from_range;
	float *buf;
	long got = 0;
	size_t want;

	s->rc = -1;
	if ((d = sp_decode_open(s->path, s->err, sizeof(s->err))) == NULL)
		return NULL;
	i = sp_decode_info(d);
	/* One span alone is one pass: one meter measures it all. */
	s->gated = sp_loudness_new_parts(i->channels, i->sample_rate,
	    s->dual_mono, s->n == 1 ? SP_LOUDNESS_GATED | SP_LOUDNESS_RANGE :
	    SP_LOUDNESS_GATED);
	s->range = s->n == 1 ? NULL : sp_loudness_new_parts(i->channels,
	    i->sample_rate, s->dual_mono, SP_LOUDNESS_RANGE);
	if (s->gated == NULL || (s->n > 1 && s->range == NULL)) {
		sp_fail(s->err, sizeof(s->err), "cannot measure loudness at "
		    "%u Hz, %u channels", i->sample_rate, i->channels);
		sp_decode_close(d);
		return NULL;
	}
	from_gated = s->start - (s->start ? GATED_LEAD(i->sample_rate) : 0);
	from_range = s->start - (s->start ? RANGE_LEAD(i->sample_rate) : 0);
	if (from_range > 0 && sp_decode_seek(d, from_range) != 0) {
		sp_fail(s->err, sizeof(s->err), "cannot seek: %s",
		    sp_decode_error(d));
		sp_decode_close(d);
		return NULL;
	}
	buf = sp_xcalloc((size_t)BLOCK * i->channels, sizeof(*buf));
	for (at = from_range; at < s->end; at += (uint64_t)got) {
		want = s->end - at < BLOCK ? (size_t)(s->end - at) : BLOCK;
		if ((got = sp_decode_read(d, buf, want)) <= 0)
			break;
		if (feed(s->gated, buf, i->channels, at, got, from_gated) ||
		    (s->range && feed(s->range, buf, i->channels, at, got,
		    from_range))) {
			got = -2;
			break;
		}
		if (s->progress && at + (uint64_t)got > s->start)
			s->progress(s->ctx, (at + (uint64_t)got - s->start) *
			    s->n);
	}
	free(buf);
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
	if (!sp_decode_info(d)->total_known || !sp_decode_info(d)->seekable)
		n = 1;
	while (n > 1 && total / n < min)
		n--;
	sp_decode_close(d);

	per = n > 1 ? total / n / rate * rate : total;
	memset(spans, 0, sizeof(spans));
	for (k = 0; k < n; k++) {
		spans[k].path = path;
		spans[k].dual_mono = dual_mono;
		spans[k].start = (uint64_t)k * per;
		spans[k].end = k + 1 == n ? UINT64_MAX : (uint64_t)(k + 1) * per;
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
