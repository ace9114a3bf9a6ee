/* t_measure: loudness in parallel spans equals one pass, on every kind. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sndfile.h>

#include "decode.h"
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
write_wav(const char *path, int kind, int format)
{
	SF_INFO si = { 0 };
	SNDFILE *sf;
	static float buf[RATE * 2];
	uint32_t seed = 7;
	double t, env, v;
	long i, s;

	si.samplerate = RATE;
	si.channels = 2;
	si.format = format;
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

/* n copies of tests/data/aac/NAME, one ADTS stream, at path. */
static int
cat_aac(const char *path, const char *name, int n)
{
	char in[4096], buf[65536];
	FILE *fi, *fo;
	size_t got;
	int k, rc = 0;

	snprintf(in, sizeof(in), "%s/tests/data/aac/%s",
	    getenv("TOP") ? getenv("TOP") : ".", name);
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

/* A shape: mono, half the level, a 5 s linear fade-in from 7 s. */
static void
halve(void *ctx, const float *in, float *out, size_t frames, uint64_t pos)
{
	size_t j;
	double g;

	(void)ctx;
	for (j = 0; j < frames; j++) {
		g = 0.5 * fmin(1, (double)(pos + j - 7 * RATE) / (5 * RATE));
		out[j] = (float)((in[2 * j] + in[2 * j + 1] * 0.3) * g);
	}
}

/* A range of the input, shaped, in spans: as one pass of it. */
static void
agree_range(const char *path)
{
	struct sp_measure_shape sh = { 1, halve, NULL };
	struct sp_loudness_result one, many, whole;
	char err[256];
	unsigned n;

	sp_measure_set_jobs(1);
	T_INT(sp_measure_loudness_range(path, 7 * RATE, 93 * RATE, &sh, 0,
	    NULL, NULL, &one, NULL, err, sizeof(err)), 0);
	T_INT(sp_measure_loudness(path, 0, NULL, NULL, &whole, NULL, err,
	    sizeof(err)), 0);
	/* One pass is the meter fed [7 s, 93 s) shaped, by hand. */
	{
		struct sp_decoder *d = sp_decode_open(path, err, sizeof(err));
		struct sp_loudness *l = sp_loudness_new(1, RATE, 0);
		struct sp_loudness_result hand;
		static float in[4800 * 2], out[4800];
		uint64_t at = 7 * RATE;

		T_OK(d != NULL && l != NULL && sp_decode_seek(d, at) == 0);
		while (d && l && at < 93 * RATE &&
		    sp_decode_read(d, in, 4800) == 4800) {
			halve(NULL, in, out, 4800, at);
			sp_loudness_add(l, out, 4800);
			at += 4800;
		}
		T_OK(l != NULL && sp_loudness_get(l, &hand) == 0);
		T_DBL(hand.integrated, one.integrated, 1e-9);
		T_DBL(hand.true_peak, one.true_peak, 1e-9);
		T_DBL(hand.range, one.range, 1e-9);
		sp_loudness_free(l);
		if (d)
			sp_decode_close(d);
	}
	/* The shape is not a no-op: it measures other than the file. */
	T_OK(fabs(one.integrated - whole.integrated) > 1);
	for (n = 2; n <= 3; n++) {
		sp_measure_set_jobs(n);
		T_INT(sp_measure_loudness_range(path, 7 * RATE, 93 * RATE, &sh,
		    0, NULL, NULL, &many, NULL, err, sizeof(err)), 0);
		printf("# range 7-93 s, shaped, %u jobs: I %.3f / %.3f LUFS, "
		    "LRA %.3f / %.3f LU, TP %.3f / %.3f dBTP\n", n,
		    one.integrated, many.integrated, one.range, many.range,
		    one.true_peak, many.true_peak);
		T_DBL(many.integrated, one.integrated, 0.05);
		T_DBL(many.true_peak, one.true_peak, 0.05);
		T_DBL(many.range, one.range, 0.05);
	}
}

/* Speech stretches, as found. */
struct runs {
	size_t		 n;
	uint64_t	 start[256], end[256];
};

static void
on_run(void *ctx, uint64_t start, uint64_t end)
{
	struct runs *r = ctx;

	if (r->n < 256) {
		r->start[r->n] = start;
		r->end[r->n] = end;
	}
	r->n++;
}

/*
 * Silences in chunks on n threads find the stretches one pass does: the
 * very samples where the decoder's seek is exact (WAV, FLAC), within
 * tol samples for AAC.
 */
static void
same_stretches(const char *path, const char *what,
    const struct sp_segment_params *p, uint64_t tol)
{
	struct runs one, many;
	char err[256];
	unsigned n;
	size_t i, off;

	memset(&one, 0, sizeof(one));
	sp_measure_set_jobs(1);
	T_INT(sp_measure_silences(path, p, on_run, &one, NULL, err,
	    sizeof(err)), 0);
	for (n = 2; n <= 3; n++) {
		memset(&many, 0, sizeof(many));
		sp_measure_set_jobs(n);
		T_INT(sp_measure_silences(path, p, on_run, &many, NULL, err,
		    sizeof(err)), 0);
		for (i = off = 0; i < one.n && i < many.n && i < 256; i++)
			if (llabs((long long)(one.start[i] - many.start[i])) >
			    (long long)tol || llabs((long long)(one.end[i] -
			    many.end[i])) > (long long)tol)
				off++;
		printf("# %s, %g s windows, %u threads: %zu / %zu stretches, "
		    "%zu off by more than %llu samples\n", what, p->window, n,
		    one.n, many.n, off, (unsigned long long)tol);
		T_INT(many.n, one.n);
		T_INT(off, 0);
	}
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
	struct sp_segment_params sp;
	char path[512], err[256];
	uint64_t done = 0, damaged = 7;
	int k;

	for (k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/t_measure.%d.%d.wav", tmp,
		    (int)getpid(), k);
		if (!T_OK(write_wav(path, k, SF_FORMAT_WAV | SF_FORMAT_FLOAT) == 0))
			continue;
		agree(path, kinds[k]);
		/* 60 s chunks: two; 6 s chunks: seventeen. */
		sp_segment_defaults(&sp);
		same_stretches(path, kinds[k], &sp, 0);
		sp.window = 0.002;
		same_stretches(path, kinds[k], &sp, 0);
		if (k == 0) {
			agree_range(path);
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
	if (T_OK(cat_aac(path, "space-chunks.aac", 40) == 0))
		agree(path, "AAC, 40 x space-chunks.aac");
	remove(path);
	/* Speech with short pauses: some 160 stretches in 109 s. */
	if (T_OK(cat_aac(path, "speech-3s.aac", 40) == 0)) {
		sp_segment_defaults(&sp);
		sp.threshold_db = -30;
		sp.min_silence = 0.1;
		same_stretches(path, "AAC speech", &sp, 0);
		sp.window = 0.002;
		same_stretches(path, "AAC speech", &sp, 0);
	}
	remove(path);

	/* A FLAC cut short fails as one pass does, on any thread. */
	snprintf(path, sizeof(path), "%s/t_measure.%d.flac", tmp,
	    (int)getpid());
	if (T_OK(write_wav(path, 0, SF_FORMAT_FLAC | SF_FORMAT_PCM_16) == 0)) {
		FILE *fp = fopen(path, "r+");
		struct runs got;
		unsigned n;

		T_OK(fp != NULL && fseek(fp, 0, SEEK_END) == 0 &&
		    ftruncate(fileno(fp), ftell(fp) / 2) == 0);
		if (fp)
			fclose(fp);
		sp_segment_defaults(&sp);
		for (n = 1; n <= 3; n++) {
			sp_measure_set_jobs(n);
			err[0] = '\0';
			memset(&got, 0, sizeof(got));
			T_INT(sp_measure_silences(path, &sp, on_run, &got, NULL,
			    err, sizeof(err)), -1);
			printf("# cut FLAC, %u threads: %s\n", n, err);
			T_OK(err[0] != '\0');
		}
	}
	remove(path);

	/* Errors name the file's trouble; no spans are left running. */
	sp_measure_set_jobs(4);
	err[0] = '\0';
	T_INT(sp_measure_loudness("/nonexistent.wav", 0, NULL, NULL, &r, NULL,
	    err, sizeof(err)), -1);
	T_OK(err[0] != '\0');
	err[0] = '\0';
	T_INT(sp_measure_silences("/nonexistent.wav", NULL, on_run, NULL,
	    NULL, err, sizeof(err)), -1);
	T_OK(err[0] != '\0');
	sp_measure_set_jobs(0);
	T_OK(sp_measure_jobs() >= 1);
	return t_done();
}
