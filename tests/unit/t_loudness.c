/* t_loudness: EBU R128 numbers against ffmpeg's ebur128 filter. */
#include <stdint.h>
#include <stdlib.h>

#include <ebur128.h>

#include "decode.h"
#include "loudness.h"
#include "t.h"

static void
measure(const char *rel, int dual, struct sp_loudness_result *r)
{
	char path[4096], err[256];
	const char *top = getenv("TOP");
	struct sp_decoder *d;
	struct sp_loudness *l;
	const struct sp_decode_info *in;
	static float buf[4096 * 2];
	long n;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/tests/data/%s", top ? top : ".", rel);
	d = sp_decode_open(path, err, sizeof(err));
	if (!T_OK(d != NULL))
		return;
	in = sp_decode_info(d);
	l = sp_loudness_new(in->channels, in->sample_rate, dual);
	T_OK(l != NULL);
	while ((n = sp_decode_read(d, buf, 4096)) > 0)
		sp_loudness_add(l, buf, (size_t)n);
	T_INT(sp_loudness_get(l, r), 0);
	printf("# %s: I %.2f LUFS, LRA %.2f LU, TP %.2f dBTP, SP %.2f dBFS\n",
	    rel, r->integrated, r->range, r->true_peak, r->sample_peak);
	sp_loudness_free(l);
	sp_decode_close(d);
}

/*
 * Our true peak (interpolating only where it can matter) against
 * libebur128's own, which interpolates everything: a sine at a quarter
 * of the rate whose samples miss its crests by 45 degrees (its true
 * peak is 3 dB over its samples), quiet noise with one loud click, and
 * noise, at 48, 44.1, 96 (2x, 25 taps a phase), 192 (none) and 8 kHz, mono
 * and stereo.
 */
static void
tp_against_libebur128(void)
{
	static float buf[192000 * 2 * 3];
	unsigned rates[] = { 48000, 44100, 96000, 192000, 8000 }, ch, r, kind;
	unsigned k;
	uint32_t seed = 1;
	double want, w, ours;
	size_t i, n;

	for (r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
		for (ch = 1; ch <= 2; ch++)
			for (kind = 0; kind < 3; kind++) {
				struct sp_loudness_result res;
				struct sp_loudness *l;
				ebur128_state *st;

				n = rates[r] * 3;
				for (i = 0; i < n; i++)
					for (k = 0; k < ch; k++) {
						double v;

						seed = seed * 1664525u + 1013904223u;
						v = ((double)(seed >> 8) /
						    (1u << 23) - 1) * 0.05;
						if (kind == 0)
							v = 0.5 * sin(M_PI / 2 *
							    i + M_PI / 4);
						else if (kind == 1 && i == n / 2)
							v = 0.9;
						buf[i * ch + k] = (float)v;
					}
				st = ebur128_init(ch, rates[r],
				    EBUR128_MODE_TRUE_PEAK);
				ebur128_add_frames_float(st, buf, n);
				for (want = 0, k = 0; k < ch; k++)
					if (ebur128_true_peak(st, k, &w) ==
					    EBUR128_SUCCESS && w > want)
						want = w;
				ebur128_destroy(&st);
				l = sp_loudness_new(ch, rates[r], 0);
				/* In uneven pieces, as decoders give them. */
				for (i = 0; i < n; i += 777)
					sp_loudness_add(l, buf + i * ch,
					    n - i < 777 ? n - i : 777);
				T_INT(sp_loudness_get(l, &res), 0);
				sp_loudness_free(l);
				ours = res.true_peak;
				printf("# TP %u Hz, %u ch, kind %u: ours %.6f, "
				    "libebur128 %.6f dBTP\n", rates[r], ch, kind,
				    ours, 20 * log10(want));
				T_DBL(ours, 20 * log10(want), 1e-4);
			}
}

int
main(void)
{
	struct sp_loudness_result r;
	struct sp_loudness *l;
	static float tone[48000 * 5 * 2];
	size_t i;

	/*
	 * ffmpeg 5.1.9's summary, printed to one decimal (so the bound is
	 * 0.1 plus its rounding, 0.05):
	 *   ffmpeg -nostats -i F -af ebur128=peak=true+sample -f null - 2>&1 |
	 *       sed -n '/Summary/,$p'
	 */
	measure("pcm/pauses.opus", 0, &r);	/* I -21.5 LRA 3.4 TP -2.1 */
	T_DBL(r.integrated, -21.5, 0.15);
	/*
	 * LRA is NOT within 0.1 here: 1.70 against ffmpeg's 3.4.  libebur128
	 * takes a 3 s short-term block every 1 s for LRA, ffmpeg every 0.1 s;
	 * on an 8 s input that is 6 blocks against 51.  Only bounded here.
	 */
	T_DBL(r.range, 3.4, 2.0);
	T_DBL(r.true_peak, -2.1, 0.15);
	T_DBL(r.sample_peak, -2.1, 0.15);
	measure("pcm/stereo-44k.mp3", 0, &r);	/* I -22.3 LRA 0.0 TP -5.9 */
	T_DBL(r.integrated, -22.3, 0.15);
	T_DBL(r.range, 0.0, 0.15);
	T_DBL(r.true_peak, -5.9, 0.15);
	T_DBL(r.sample_peak, -5.9, 0.15);
	/* Dual mono adds 3.01 dB (ebur128=dualmono=1: I -18.5). */
	measure("pcm/pauses.opus", 1, &r);
	T_DBL(r.integrated, -18.5, 0.15);

	/* A 997 Hz sine of peak 0.1 in both channels: each channel's mean
	 * square is 0.005, K-weighting adds 0.69 dB at 997 Hz, so
	 * -0.691 + 10 log10(2 x 0.005) + 0.69 = -20.0 LUFS. */
	for (i = 0; i < 48000 * 5; i++)
		tone[2 * i] = tone[2 * i + 1] =
		    (float)(0.1 * sin(2 * M_PI * 997 * i / 48000.0));
	l = sp_loudness_new(2, 48000, 0);
	T_INT(sp_loudness_add(l, tone, 48000 * 5), 0);
	T_INT(sp_loudness_get(l, &r), 0);
	T_DBL(r.integrated, -20.0, 0.05);
	T_DBL(r.sample_peak, -20.0, 0.01);
	T_DBL(r.true_peak, -20.0, 0.1);
	T_DBL(r.range, 0.0, 0.15);	/* histogram bins of 0.1 LU */
	sp_loudness_free(l);

	/* Silence: nothing to integrate. */
	memset(tone, 0, sizeof(tone));
	l = sp_loudness_new(2, 48000, 0);
	sp_loudness_add(l, tone, 48000);
	T_INT(sp_loudness_get(l, &r), 0);
	T_OK(isinf(r.integrated) && r.integrated < 0);
	T_OK(isinf(r.true_peak) && r.true_peak < 0);
	sp_loudness_free(l);
	T_OK(sp_loudness_new(0, 48000, 0) == NULL);
	tp_against_libebur128();
	return t_done();
}
