/* t_segment: speech/silence segmentation, synthetic and against ffmpeg. */
#include <stdint.h>
#include <stdlib.h>

#include "decode.h"
#include "segment.h"
#include "t.h"

struct got {
	size_t		 n;
	uint64_t	 start[16], end[16];
};

static void
on_seg(void *ctx, uint64_t start, uint64_t end)
{
	struct got *g = ctx;

	if (g->n < 16) {
		g->start[g->n] = start;
		g->end[g->n] = end;
	}
	g->n++;
}

static int
near(uint64_t a, double b, double tol)
{
	return fabs((double)a - b) <= tol;
}

/* Tone bursts and silences of known lengths at 48 kHz stereo. */
static void
synthetic(size_t step)
{
	/* seconds: silence, tone, ... */
	static const double plan[] = { 0.5, 1.0, 0.8, 0.7, 0.3, 0.5, 1.0,
	    0.1, 0.6 };
	size_t total = 0, i, j, at = 0;
	float *pcm;
	struct got g;
	struct sp_segmenter *s;

	for (i = 0; i < 9; i++)
		total += (size_t)(plan[i] * 48000);
	pcm = calloc(total * 2, sizeof(float));
	for (i = 0; i < 9; i++) {
		size_t n = (size_t)(plan[i] * 48000);

		for (j = 0; j < n && i % 2 == 1; j++)
			pcm[2 * (at + j)] = pcm[2 * (at + j) + 1] =
			    (float)(0.1 * sin(2 * M_PI * 440 * j / 48000.0));
		at += n;
	}
	memset(&g, 0, sizeof(g));
	s = sp_segment_new(2, 48000, NULL, on_seg, &g);
	for (i = 0; i < total; i += step)
		sp_segment_add(s, pcm + 2 * i, total - i < step ?
		    total - i : step);
	sp_segment_finish(s);
	sp_segment_free(s);
	/* [0.5, 1.5) and [2.3, 3.8): the 0.3 s gap is too short to split,
	 * the 0.1 s burst too short to keep.  One window: 960 samples. */
	T_INT(g.n, 2);
	T_OK(near(g.start[0], 0.5 * 48000, 960));
	T_OK(near(g.end[0], 1.5 * 48000, 960));
	T_OK(near(g.start[1], 2.3 * 48000, 960));
	T_OK(near(g.end[1], 3.8 * 48000, 960));
	free(pcm);
}

/*
 * A sample is hot when it is over 10^(dB/20) as a double, whatever the
 * float the scan compares with: at -40 dB (0.01, between two floats) and
 * at -6.0206 dB; the first hot one is found past a block of 32, and in
 * the last, short block.
 */
static void
scan_edges(void)
{
	static const double dbs[] = { -40, -20 * log10(2) };
	struct sp_segment_params p;
	struct sp_segmenter *s;
	float pcm[100];
	double sumsq, amp;
	size_t hot, k, at;

	for (k = 0; k < 2; k++) {
		sp_segment_defaults(&p);
		p.threshold_db = dbs[k];
		p.window = 100 / 48000.0;
		s = sp_segment_new(1, 48000, &p, NULL, NULL);
		amp = pow(10, dbs[k] / 20);
		for (at = 0; at < 100; at++)
			pcm[at] = 0;
		/* The largest float not over amp, and the next. */
		pcm[3] = (float)amp > amp ? nextafterf((float)amp, 0) :
		    (float)amp;
		pcm[40] = -pcm[3];
		sp_segment_scan(s, pcm, 100, &sumsq, &hot);
		T_INT(hot, SIZE_MAX);
		pcm[70] = -nextafterf(pcm[3], 1);
		sp_segment_scan(s, pcm, 100, &sumsq, &hot);
		T_INT(hot, 70);
		pcm[97] = nextafterf(pcm[3], 1);
		sp_segment_scan(s, pcm, 100, &sumsq, &hot);
		T_INT(hot, 70);
		pcm[70] = 0;
		sp_segment_scan(s, pcm, 100, &sumsq, &hot);
		T_INT(hot, 97);
		T_DBL(sumsq, 2 * (double)pcm[3] * pcm[3] + (double)pcm[97] *
		    pcm[97], 1e-15);
		sp_segment_free(s);
	}
}

int
main(void)
{
	char path[4096], err[256];
	const char *top = getenv("TOP");
	struct sp_segment_params p;
	struct sp_decoder *d;
	struct sp_segmenter *s;
	struct got g;
	static float buf[4096];
	long n;

	scan_edges();

	synthetic(48000 * 10);
	synthetic(1);
	synthetic(777);

	/*
	 * espeak-ng phrases with silences (pauses.opus, make-fixtures.sh)
	 * against ffmpeg 5.1.9:
	 *   ffmpeg -i pauses.opus -af silencedetect=n=-40dB:d=0.5 -f null -
	 * silence_start 1.104, silence_end 2.23858; 3.7599, 5.27342;
	 * 6.27412, 7.18773.  Our stretches must match within 30 ms.
	 */
	snprintf(path, sizeof(path), "%s/tests/data/pcm/pauses.opus",
	    top ? top : ".");
	d = sp_decode_open(path, err, sizeof(err));
	if (!T_OK(d != NULL))
		return t_done();
	memset(&g, 0, sizeof(g));
	sp_segment_defaults(&p);
	s = sp_segment_new(1, 48000, &p, on_seg, &g);
	while ((n = sp_decode_read(d, buf, 4096)) > 0)
		sp_segment_add(s, buf, (size_t)n);
	sp_segment_finish(s);
	for (size_t i = 0; i < g.n && i < 16; i++)
		printf("# speech %.4f - %.4f\n", g.start[i] / 48000.0,
		    g.end[i] / 48000.0);
	T_INT(g.n, 4);
	T_OK(near(g.end[0], 1.104 * 48000, 0.03 * 48000));
	T_OK(near(g.start[1], 2.23858 * 48000, 0.03 * 48000));
	T_OK(near(g.end[1], 3.7599 * 48000, 0.03 * 48000));
	T_OK(near(g.start[2], 5.27342 * 48000, 0.03 * 48000));
	T_OK(near(g.end[2], 6.27412 * 48000, 0.03 * 48000));
	T_OK(near(g.start[3], 7.18773 * 48000, 0.03 * 48000));
	sp_segment_free(s);
	sp_decode_close(d);

	p.window = 0;
	T_OK(sp_segment_new(1, 48000, &p, on_seg, &g) == NULL);

	return t_done();
}
