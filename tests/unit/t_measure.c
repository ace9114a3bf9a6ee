/* t_measure: loudness in parallel spans equals one pass, on every kind. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sndfile.h>

#include "measure.h"
#include "t.h"

#define RATE	48000
#define SECS	100

/* A deterministic noise in [-1, 1]. */
static double
noise(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (double)(*s >> 8) / (1u << 23) - 1;
}

/*
 * kind 0: speech-like (noise bursts of varying level, with pauses);
 * 1: music-like (chords with a slow swell, a loud peak late);
 * 2: digital silence.  Stereo float WAV at path.
 */
static int
write_wav(const char *path, int kind)
{
	SF_INFO si = { 0 };
	SNDFILE *sf;
	static float buf[RATE * 2];
	uint32_t seed = 7;
	double t, env, v;
	long i, s;

	si.samplerate = RATE;
	si.channels = 2;
	si.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
	if ((sf = sf_open(path, SFM_WRITE, &si)) == NULL)
		return -1;
	for (s = 0; s < SECS; s++) {
		for (i = 0; i < RATE; i++) {
			t = s + (double)i / RATE;
			if (kind == 0) {
				/* 0.3 s syllables, a pause every 4 s. */
				env = fmod(t, 4) > 3.2 ? 0 :
				    0.1 + 0.4 * fabs(sin(t * 10.5));
				env *= 0.5 + 0.5 * sin(t * 0.05);
				v = env * noise(&seed);
			} else if (kind == 1) {
				env = 0.2 + 0.15 * sin(t * 0.3);
				v = env * (sin(2 * M_PI * 220 * t) +
				    0.5 * sin(2 * M_PI * 277.2 * t) +
				    0.3 * sin(2 * M_PI * 329.6 * t)) / 1.8;
				if (s == SECS - 20 && i < 2400)
					v = 0.97 * sin(2 * M_PI * 11999 * t);
			} else
				v = 0;
			buf[2 * i] = (float)v;
			buf[2 * i + 1] = (float)(kind == 0 ? -v : v * 0.8);
		}
		if (sf_writef_float(sf, buf, RATE) != RATE) {
			sf_close(sf);
			return -1;
		}
	}
	return sf_close(sf);
}

/* One pass and n spans agree within 0.05 LU and 0.05 dB. */
static void
agree(const char *path, const char *what)
{
	struct sp_loudness_result one, many;
	char err[256];
	unsigned n;

	sp_measure_set_jobs(1);
	T_INT(sp_measure_loudness(path, 0, NULL, NULL, &one, NULL, err,
	    sizeof(err)), 0);
	for (n = 2; n <= 3; n++) {
		sp_measure_set_jobs(n);
		T_INT(sp_measure_loudness(path, 0, NULL, NULL, &many, NULL,
		    err, sizeof(err)), 0);
		printf("# %s, %u spans: I %.3f / %.3f LUFS, LRA %.3f / %.3f "
		    "LU, TP %.3f / %.3f dBTP\n", what, n, one.integrated,
		    many.integrated, one.range, many.range, one.true_peak,
		    many.true_peak);
		if (isinf(one.integrated)) {
			T_OK(isinf(many.integrated) && isinf(many.true_peak));
			continue;
		}
		T_DBL(many.integrated, one.integrated, 0.05);
		T_DBL(many.true_peak, one.true_peak, 0.05);
		T_DBL(many.sample_peak, one.sample_peak, 0.05);
		T_DBL(many.range, one.range, 0.05);
	}
}

/* n copies of tests/data/aac/space-chunks.aac, one ADTS stream, at path. */
static int
cat_aac(const char *path, int n)
{
	char in[4096], buf[65536];
	FILE *fi, *fo;
	size_t got;
	int k, rc = 0;

	snprintf(in, sizeof(in), "%s/tests/data/aac/space-chunks.aac",
	    getenv("TOP") ? getenv("TOP") : ".");
	if ((fo = fopen(path, "wb")) == NULL)
		return -1;
	for (k = 0; k < n && rc == 0; k++) {
		if ((fi = fopen(in, "rb")) == NULL) {
			rc = -1;
			break;
		}
		while ((got = fread(buf, 1, sizeof(buf), fi)) > 0)
			if (fwrite(buf, 1, got, fo) != got)
				rc = -1;
		fclose(fi);
	}
	return fclose(fo) != 0 ? -1 : rc;
}

/* The progress of a parallel measure reaches about the whole input. */
static void
on_progress(void *ctx, uint64_t done)
{
	*(uint64_t *)ctx = done;
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	const char *kinds[] = { "speech-like", "music-like", "silence" };
	struct sp_loudness_result r;
	char path[512], err[256];
	uint64_t done = 0, damaged = 7;
	int k;

	for (k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/t_measure.%d.%d.wav", tmp,
		    (int)getpid(), k);
		if (!T_OK(write_wav(path, k) == 0))
			continue;
		agree(path, kinds[k]);
		if (k == 0) {
			sp_measure_set_jobs(3);
			T_INT(sp_measure_loudness(path, 0, on_progress, &done,
			    &r, &damaged, err, sizeof(err)), 0);
			T_OK(done > (uint64_t)RATE * SECS * 9 / 10 &&
			    done < (uint64_t)RATE * SECS * 11 / 10);
			T_INT(damaged, 0);
		}
		remove(path);
	}

	/* AAC spans restart the decoder two frames early. */
	snprintf(path, sizeof(path), "%s/t_measure.%d.aac", tmp,
	    (int)getpid());
	if (T_OK(cat_aac(path, 40) == 0))
		agree(path, "AAC, 40 x space-chunks.aac");
	remove(path);

	/* Errors name the file's trouble; no spans are left running. */
	sp_measure_set_jobs(4);
	err[0] = '\0';
	T_INT(sp_measure_loudness("/nonexistent.wav", 0, NULL, NULL, &r, NULL,
	    err, sizeof(err)), -1);
	T_OK(err[0] != '\0');
	sp_measure_set_jobs(0);
	T_OK(sp_measure_jobs() >= 1);
	return t_done();
}
