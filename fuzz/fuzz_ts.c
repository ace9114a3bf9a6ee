/* fuzz_ts: the MPEG-TS demuxer on arbitrary bytes, whole and in pieces. */
#include <stdint.h>
#include <string.h>

#include "remux.h"
#include "ts.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sums {
	uint64_t	 pes, bytes;
	int64_t		 last[8192];
	uint8_t		 seen[8192];
};

static struct sums s;

static void
on_pes(void *ctx, const struct sp_ts_pes *p)
{
	struct sums *m = ctx;
	volatile uint8_t x = 0;
	size_t i;

	/* The payload is readable to its end and bounded. */
	if (p->len > SP_TS_PESMAX || p->pid >= 8192 || p->pts < 0 ||
	    p->dts < 0)
		__builtin_trap();
	for (i = 0; i < p->len; i++)
		x ^= p->data[i];
	(void)x;
	/* Unwrapped timestamps never jump by more than half the wrap (but
	 * for the first period, below which they are not taken). */
	if (p->has_pts && m->seen[p->pid] &&
	    m->last[p->pid] >= (INT64_C(1) << 33) &&
	    (p->dts - m->last[p->pid] > (INT64_C(1) << 32) ||
	    m->last[p->pid] - p->dts > (INT64_C(1) << 32)))
		__builtin_trap();
	if (p->has_pts) {
		m->last[p->pid] = p->dts;
		m->seen[p->pid] = 1;
	}
	m->pes++;
	m->bytes += p->len;
}

static void
check(const struct sp_ts *t, size_t size)
{
	const struct sp_ts_stats *st = sp_ts_stats(t);
	const struct sp_ts_es *es;

	if (st->bytes != size || st->packets * 188 + st->skipped > size ||
	    sp_ts_streams(t, &es) > SP_TS_MAXES)
		__builtin_trap();
}

/* The remux to each kind, in memory (the MP4 writer seeks back). */
static void
remux(const uint8_t *data, size_t size)
{
	static char out[8 << 20];
	struct sp_remux_stats st;
	struct sp_remux *r;
	char err[256];
	FILE *fp;
	int k;

	for (k = SP_REMUX_MP4; k <= SP_REMUX_AAC; k++) {
		if ((fp = fmemopen(out, sizeof(out), "w+")) == NULL)
			return;
		if ((r = sp_remux_new(k, fp, err, sizeof(err))) != NULL) {
			/* Two segments: the input's halves. */
			if (sp_remux_segment(r, data, size / 2, err,
			    sizeof(err)) == 0 && sp_remux_segment(r, data +
			    size / 2, size - size / 2, err, sizeof(err)) == 0 &&
			    sp_remux_finish(r, &st, err, sizeof(err)) == 0 &&
			    (st.keyframes > st.video_frames ||
			    st.segments != 2))
				__builtin_trap();
			sp_remux_free(r);
		}
		fclose(fp);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_ts *t;
	size_t step, at;

	memset(&s, 0, sizeof(s));
	t = sp_ts_new(on_pes, &s);
	sp_ts_feed(t, data, size);
	sp_ts_flush(t);
	check(t, size);
	sp_ts_free(t);

	/* In pieces of a size the input picks. */
	step = size > 0 ? (size_t)data[0] * 3 + 1 : 1;
	memset(&s, 0, sizeof(s));
	t = sp_ts_new(on_pes, &s);
	for (at = 0; at < size; at += step)
		sp_ts_feed(t, data + at, size - at < step ? size - at : step);
	sp_ts_flush(t);
	check(t, size);
	sp_ts_free(t);
	remux(data, size);
	return 0;
}
