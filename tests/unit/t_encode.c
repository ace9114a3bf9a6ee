/* t_encode: the encoders against ffmpeg, ffprobe and opusinfo. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encode.h"
#include "oggopus.h"
#include "xalloc.h"
#include "t.h"

/*
 * Oracle numbers, measured with ffmpeg 5.1.9, opus-tools 0.2, libopus
 * 1.3.1, libsamplerate 0.2.2, libsndfile 1.2.0 + LAME 3.100 on Debian 12,
 * for 1.5 s + 37 frames of tone + noise:
 *   ffmpeg -v error -i F -f s16le - | wc -c / (2 x ch):
 *     Opus 48 kHz, FLAC, WAV (file and pipe), MP3 to a file: exactly the
 *     frames given (72037 at 48 kHz, 66187 at 44.1 kHz); MP3 honours the
 *     LAME Info frame's delay and padding.
 *     Opus from 44.1 kHz: 72040 = round(66187 x 48000 / 44100).
 *     MP3 to a pipe (no Info frame): whole frames, 73728 (64 x 1152, 48
 *     kHz stereo) and 67968 (59 x 1152, 44.1 kHz mono); the tone comes
 *     1105 samples late (LAME's 576 + the decoder's 529).
 *   Correlation with the tone at lag 0: Opus 0.982 mono / 0.995 stereo,
 *     MP3 > 0.997, FLAC and WAV 1.0000 (within one 16-bit step).
 *   opusinfo: Pre-skip: 312, no warnings.
 *   ffprobe format bit_rate on 6 s of speech-like sound: Opus 29741
 *     (32 asked), 65623 (64), 46773 (48, from 44.1 kHz); MP3 96414,
 *     128509, 64254, 192828 (the Info frame and Ogg pages are counted).
 *   ffmpeg -v warning on WAV from a pipe: "Ignoring maximum wav data
 *     size" and a "corrupt" last packet, the same as for ffmpeg's own
 *     WAV written to a pipe; the samples are all there.
 */
#define TONE_L		440.0
#define TONE_R		660.0

static char tmpdir[64];
static int serial;

static char *
tmpname(const char *ext)
{
	return sp_xasprintf("%s/%d.%s", tmpdir, serial++, ext);
}

static const char *
ext_of(enum sp_enc_format f)
{
	switch (f) {
	case SP_ENC_OPUS:
		return "opus";
	case SP_ENC_MP3:
		return "mp3";
	case SP_ENC_FLAC:
		return "flac";
	default:
		return "wav";
	}
}

/* Cheap deterministic noise in [-1, 1]. */
static double
noise(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (double)(*s >> 8) / (double)(1u << 23) - 1.0;
}

/* Tones (440 Hz left, 660 Hz right) at 0.5 plus noise at 0.05. */
static float *
gen_tone(size_t n, unsigned ch, unsigned rate)
{
	float *x = sp_xreallocarray(NULL, n * ch + 1, sizeof(float));
	uint32_t s = 12345;
	size_t i;
	unsigned c;

	for (i = 0; i < n; i++)
		for (c = 0; c < ch; c++)
			x[i * ch + c] = (float)(0.5 * sin(2 * M_PI *
			    (c ? TONE_R : TONE_L) * (double)i / rate) +
			    0.05 * noise(&s));
	return x;
}

/*
 * Speech-like: a gliding 100-200 Hz pulse-ish voice (harmonics falling
 * off), a 4 Hz syllable envelope with pauses, and breath noise.
 */
static float *
gen_speech(size_t n, unsigned ch, unsigned rate)
{
	float *x = sp_xreallocarray(NULL, n * ch + 1, sizeof(float));
	uint32_t s = 777;
	double ph = 0, t, f0, env, v;
	size_t i;
	unsigned c, h;

	for (i = 0; i < n; i++) {
		t = (double)i / rate;
		f0 = 150 + 50 * sin(2 * M_PI * 0.7 * t);
		ph += 2 * M_PI * f0 / rate;
		env = sin(2 * M_PI * 4 * t);
		env = env > 0 ? env : 0;
		if (fmod(t, 2.0) > 1.6)
			env = 0;		/* a pause */
		v = 0;
		for (h = 1; h <= 20; h++)
			v += sin(h * ph) / h;
		v = 0.25 * env * v + 0.03 * (0.3 + env) * noise(&s);
		for (c = 0; c < ch; c++)
			x[i * ch + c] = (float)(c ? 0.9 * v : v);
	}
	return x;
}

/* Encode n frames of x into fp, in uneven pieces. */
static int
encode_fp(FILE *fp, const struct sp_enc_opts *o, const float *x, size_t n,
    char *msg, size_t msglen)
{
	struct sp_encoder *e;
	size_t off = 0, k, step = 997;
	int rc = 0;

	msg[0] = '\0';
	if ((e = sp_encode_new(fp, o, msg, msglen)) == NULL)
		return -1;
	while (off < n && rc == 0) {
		k = n - off < step ? n - off : step;
		rc = sp_encode_write(e, x + off * o->channels, k);
		off += k;
		step = step == 997 ? 4801 : 997;
	}
	if (rc == 0)
		rc = sp_encode_finish(e);
	if (rc != 0)
		snprintf(msg, msglen, "%s", sp_encode_error(e));
	sp_encode_free(e);
	return rc;
}

static int
encode_file(const char *path, const struct sp_enc_opts *o, const float *x,
    size_t n)
{
	char msg[256];
	FILE *fp = fopen(path, "wb");
	int rc;

	if (fp == NULL)
		return -1;
	rc = encode_fp(fp, o, x, n, msg, sizeof(msg));
	if (rc != 0)
		printf("# encode: %s\n", msg);
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

/* Through popen("cat > path"): fp is a pipe that cannot seek. */
static int
encode_pipe(const char *path, const struct sp_enc_opts *o, const float *x,
    size_t n)
{
	char msg[256], *cmd = sp_xasprintf("cat > '%s'", path);
	FILE *fp = popen(cmd, "w");
	int rc;

	free(cmd);
	if (fp == NULL)
		return -1;
	T_OK(fseeko(fp, 0, SEEK_CUR) != 0);	/* really a pipe */
	rc = encode_fp(fp, o, x, n, msg, sizeof(msg));
	if (rc != 0)
		printf("# encode: %s\n", msg);
	if (pclose(fp) != 0)
		rc = -1;
	return rc;
}

/* All of a command's output, NUL-terminated (new), or NULL. */
static char *
run(const char *cmd, size_t *len)
{
	FILE *fp = popen(cmd, "r");
	char *b = NULL;
	size_t n = 0, cap = 0, k;

	if (fp == NULL)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			b = sp_xrealloc(b, cap + 1);
		}
		k = fread(b + n, 1, cap - n, fp);
		n += k;
	} while (k > 0);
	b[n] = '\0';
	if (pclose(fp) != 0) {
		free(b);
		return NULL;
	}
	if (len != NULL)
		*len = n;
	return b;
}

/*
 * ffmpeg's decode to 16-bit PCM (new; *n frames).  NULL when ffmpeg
 * failed or said anything at level "error".
 */
static int16_t *
ffmpeg_decode(const char *file, unsigned ch, size_t *n)
{
	char *err = sp_xasprintf("%s.err", file), *msg;
	char *cmd = sp_xasprintf("ffmpeg -nostdin -v error -i '%s' -f s16le - "
	    "2>'%s'", file, err);
	size_t len = 0, elen = 0;
	char *b = run(cmd, &len);

	free(cmd);
	cmd = sp_xasprintf("cat '%s'", err);
	msg = run(cmd, &elen);
	if (b == NULL || msg == NULL || elen > 0) {
		printf("# ffmpeg on %s said: %s\n", file, msg ? msg : "?");
		free(b);
		b = NULL;
	}
	unlink(err);
	free(msg);
	free(cmd);
	free(err);
	*n = len / (2 * ch);
	return (int16_t *)(void *)b;
}

/* Normalised correlation of channel c of the decode with x at lag. */
static double
corr(const int16_t *d, size_t nd, const float *x, size_t nx, unsigned ch,
    unsigned c, long lag)
{
	double sxy = 0, sxx = 0, syy = 0, a, b;
	size_t i;

	for (i = 0; i < nx; i++) {
		long j = (long)i + lag;

		if (j < 0 || (size_t)j >= nd)
			continue;
		a = x[i * ch + c];
		b = d[(size_t)j * ch + c] / 32768.0;
		sxy += a * b;
		sxx += a * a;
		syy += b * b;
	}
	return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

/* The lag in [0, max) with the best correlation on channel 0. */
static long
best_lag(const int16_t *d, size_t nd, const float *x, size_t nx,
    unsigned ch, long max, double *best)
{
	long lag, at = 0;
	double r;

	*best = -2;
	for (lag = 0; lag < max; lag++)
		if ((r = corr(d, nd, x, nx, ch, 0, lag)) > *best) {
			*best = r;
			at = lag;
		}
	return at;
}

/* No warnings or errors from opusinfo, which also checks the granules. */
static int
opusinfo_clean(const char *file)
{
	char *cmd = sp_xasprintf("opusinfo '%s' 2>&1", file);
	char *out = run(cmd, NULL);
	int ok;

	ok = out != NULL && strstr(out, "WARNING") == NULL &&
	    strstr(out, "ERROR") == NULL &&
	    strstr(out, "Pre-skip: 312\n") != NULL;
	if (!ok)
		printf("# opusinfo said:\n%s", out ? out : "(nothing)\n");
	free(out);
	free(cmd);
	return ok;
}

/* ffprobe's format bit_rate in b/s, or -1. */
static long
ffprobe_bitrate(const char *file)
{
	char *cmd = sp_xasprintf("ffprobe -v error -show_entries "
	    "format=bit_rate -of csv=p=0 '%s'", file);
	char *out = run(cmd, NULL);
	long r = out != NULL ? strtol(out, NULL, 10) : -1;

	free(out);
	free(cmd);
	return r;
}

static struct sp_enc_opts
opts(enum sp_enc_format f, unsigned rate, unsigned ch)
{
	struct sp_enc_opts o;

	memset(&o, 0, sizeof(o));
	o.format = f;
	o.rate = rate;
	o.channels = ch;
	return o;
}

/*
 * Length and signal: 1.5 s (+ 37 frames, so nothing is frame-aligned) of
 * tone + noise, to a file or a pipe, decoded by ffmpeg.
 */
static void
test_one(enum sp_enc_format f, unsigned rate, unsigned ch, int pipe)
{
	struct sp_enc_opts o = opts(f, rate, ch);
	size_t n = rate * 3 / 2 + 37, nd = 0, want, nref;
	unsigned orate = f == SP_ENC_OPUS ? 48000 : rate, c;
	float *x = gen_tone(n, ch, rate), *ref;
	char *path = tmpname(ext_of(f));
	int16_t *d;
	double r, worst = 1, maxerr = 0;
	long lag = 0;
	size_t i;

	printf("# %s %u Hz %u ch%s\n", ext_of(f), rate, ch,
	    pipe ? " to a pipe" : "");
	T_INT(pipe ? encode_pipe(path, &o, x, n) : encode_file(path, &o, x, n),
	    0);
	want = (size_t)sp_encode_output_frames(&o, n);
	if (f == SP_ENC_OPUS) {
		T_OK(opusinfo_clean(path));
		if (rate != 48000)
			T_INT(want, (n * 48000 + rate / 2) / rate);
	}
	d = ffmpeg_decode(path, ch, &nd);
	T_OK(d != NULL);
	if (f == SP_ENC_MP3 && pipe) {
		/* No Info frame: LAME's delay and padding stay in. */
		printf("# mp3 pipe: ffmpeg decodes %zu for %zu (+%zu)\n",
		    nd, n, nd - n);
		T_OK(nd > n);
	} else
		T_INT(nd, want);
	/* The reference at the output rate: the same tones, no noise. */
	nref = orate == rate ? n : want;
	ref = orate == rate ? gen_tone(n, ch, rate) :
	    gen_tone(nref, ch, orate);
	if (orate != rate) {
		/* Without the noise a resampled tone is just the tone. */
		for (i = 0; i < nref * ch; i++)
			ref[i] = (float)(0.5 * sin(2 * M_PI *
			    (i % ch ? TONE_R : TONE_L) * (double)(i / ch) /
			    orate));
	}
	if (d != NULL && f == SP_ENC_MP3 && pipe) {
		lag = best_lag(d, nd, ref, nref, ch, 3000, &r);
		printf("# mp3 pipe: best lag %ld (r %.4f)\n", lag, r);
		T_OK(lag > 0);
	}
	for (c = 0; d != NULL && c < ch; c++) {
		r = corr(d, nd, ref, nref, ch, c, lag);
		if (r < worst)
			worst = r;
		T_OK(r > 0.9);
	}
	if (d != NULL && !(f == SP_ENC_MP3 && pipe)) {
		/* And no lag beats lag 0. */
		long bl = best_lag(d, nd, ref, nref, ch, 64, &r);

		T_INT(bl, 0);
	}
	/* Lossless ones: sample-exact to 16 bits. */
	if (d != NULL && (f == SP_ENC_FLAC || f == SP_ENC_WAV)) {
		for (i = 0; i < n * ch && i < nd * ch; i++) {
			double e = fabs(d[i] / 32768.0 - x[i]);

			if (e > maxerr)
				maxerr = e;
		}
		T_OK(maxerr <= 1.0 / 32768);
	}
	printf("# decoded %zu, want %zu, correlation %.4f\n", nd, want,
	    worst);
	free(ref);
	free(d);
	free(x);
	unlink(path);
	free(path);
}

static void
test_lengths(void)
{
	enum sp_enc_format f;
	unsigned ch;

	for (f = SP_ENC_OPUS; f <= SP_ENC_WAV; f++)
		for (ch = 1; ch <= 2; ch++) {
			test_one(f, 48000, ch, 0);
			test_one(f, 44100, ch, 0);
		}
	for (f = SP_ENC_OPUS; f <= SP_ENC_WAV; f++) {
		test_one(f, 48000, 2, 1);
		test_one(f, 44100, 1, 1);
	}
}

/* Short inputs: under one frame, under the pre-skip, a single frame. */
static void
test_short(void)
{
	static const size_t ns[] = { 1, 100, 960, 961 };
	static const unsigned rates[] = { 48000, 44100, 16000 };
	size_t i, j, nd;
	float *x = gen_tone(1000, 1, 48000);
	char *path;
	int16_t *d;

	for (j = 0; j < sizeof(rates) / sizeof(rates[0]); j++) {
		for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
			struct sp_enc_opts o = opts(SP_ENC_OPUS, rates[j], 1);

			path = tmpname("opus");
			T_INT(encode_file(path, &o, x, ns[i]), 0);
			T_OK(opusinfo_clean(path));
			d = ffmpeg_decode(path, 1, &nd);
			T_INT(nd, (ns[i] * 48000 + rates[j] / 2) / rates[j]);
			free(d);
			unlink(path);
			free(path);
		}
	}
	free(x);
}

/* Bitrate on 6 s of speech-like sound, within 15 % of the asked. */
static void
test_bitrate(void)
{
	static const struct {
		enum sp_enc_format f;
		unsigned ch, rate, kbps, want;
	} c[] = {
		{ SP_ENC_OPUS, 1, 48000, 0, 32 },
		{ SP_ENC_OPUS, 2, 48000, 0, 64 },
		{ SP_ENC_OPUS, 1, 44100, 48, 48 },
		{ SP_ENC_MP3, 1, 44100, 0, 96 },
		{ SP_ENC_MP3, 2, 48000, 0, 128 },
		{ SP_ENC_MP3, 1, 48000, 64, 64 },
		{ SP_ENC_MP3, 2, 44100, 192, 192 },
	};
	size_t i, n;
	float *x;
	char *path;
	long br;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct sp_enc_opts o = opts(c[i].f, c[i].rate, c[i].ch);

		o.bitrate = c[i].kbps;
		n = (size_t)c[i].rate * 6;
		x = gen_speech(n, c[i].ch, c[i].rate);
		path = tmpname(ext_of(c[i].f));
		T_INT(encode_file(path, &o, x, n), 0);
		br = ffprobe_bitrate(path);
		printf("# %s %u ch %u Hz asked %u: %ld b/s\n",
		    ext_of(c[i].f), c[i].ch, c[i].rate, c[i].want, br);
		T_OK(br > c[i].want * 850 && br < c[i].want * 1150);
		unlink(path);
		free(path);
		free(x);
	}
}

/* Opus headers and tags, read back by our reader and by ffprobe. */
static void
test_opus_tags(void)
{
	struct sp_enc_opts o = opts(SP_ENC_OPUS, 44100, 2);
	struct sp_opus_tags t;
	struct sp_opus_reader *r;
	const struct sp_opus_head *h;
	const struct sp_opus_tags *rt;
	float *x = gen_tone(44100, 2, 44100);
	char *path = tmpname("opus"), *cmd, *out;
	FILE *fp;

	sp_opus_tags_init(&t);
	sp_opus_tags_set_vendor(&t, "Lavf59");
	sp_opus_tags_add(&t, "TITLE", "Episode 1");
	sp_opus_tags_add_chapter(&t, 1, 0, "Intro");
	sp_opus_tags_add_chapter(&t, 2, 500, "Talk");
	o.opus_tags = &t;
	T_INT(encode_file(path, &o, x, 44100), 0);
	sp_opus_tags_release(&t);
	fp = fopen(path, "rb");
	r = sp_opus_reader_file(fp);
	T_OK(sp_opus_reader_error(r) == NULL);
	h = sp_opus_reader_head(r);
	rt = sp_opus_reader_tags(r);
	T_INT(h->input_rate, 44100);
	T_INT(h->preskip, 312);
	T_INT(h->channels, 2);
	T_OK(strncmp(rt->vendor, "libopus", 7) == 0);
	T_STR(sp_opus_tags_get(rt, "TITLE"), "Episode 1");
	T_STR(sp_opus_tags_get(rt, "CHAPTER002NAME"), "Talk");
	sp_opus_reader_free(r);
	fclose(fp);
	cmd = sp_xasprintf("ffprobe -v error -show_chapters -of "
	    "csv=p=0 '%s'", path);
	out = run(cmd, NULL);
	T_OK(out != NULL && strstr(out, "0.500000") != NULL &&
	    strstr(out, "Talk") != NULL);
	free(out);
	free(cmd);
	unlink(path);
	free(path);
	free(x);
}

/* Some bytes at or near the start and end of a file (new). */
static unsigned char *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *b;
	long len;

	*n = 0;
	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (len = ftell(fp)) < 0) {
		if (fp)
			fclose(fp);
		return NULL;
	}
	rewind(fp);
	b = sp_xmalloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, fp);
	fclose(fp);
	return b;
}

/*
 * MP3: no ID3 of our own (the caller writes one first), a LAME Info
 * frame at the start of our stream when the output can seek, and a
 * stream that starts where fp stood: after the caller's tag.
 */
static void
test_mp3_tags(void)
{
	static const unsigned char id3[20] = { 'I', 'D', '3', 4, 0, 0,
	    0, 0, 0, 10 };			/* 10 bytes of padding */
	struct sp_enc_opts o = opts(SP_ENC_MP3, 44100, 1);
	size_t n = 44100 + 37, nb, nd;
	float *x = gen_tone(n, 1, 44100);
	char *path = tmpname("mp3"), msg[256];
	unsigned char *b;
	int16_t *d;
	FILE *fp;

	T_INT(encode_file(path, &o, x, n), 0);
	b = slurp(path, &nb);
	T_OK(b != NULL && nb > 200);
	if (b != NULL && nb > 200) {
		T_OK(memcmp(b, "ID3", 3) != 0);
		T_OK(memcmp(b + nb - 128, "TAG", 3) != 0);
		T_OK(b[0] == 0xFF && (b[1] & 0xE0) == 0xE0);
		/* Info (CBR) tag after the side info of mono MPEG-1. */
		T_OK(memcmp(b + 4 + 17, "Info", 4) == 0);
		T_OK(memmem(b, 400, "LAME", 4) != NULL);
	}
	free(b);
	unlink(path);

	/* After the caller's ID3 tag. */
	fp = fopen(path, "wb");
	fwrite(id3, 1, sizeof(id3), fp);
	T_INT(encode_fp(fp, &o, x, n, msg, sizeof(msg)), 0);
	fclose(fp);
	b = slurp(path, &nb);
	T_OK(b != NULL && nb > 200 && memcmp(b, id3, sizeof(id3)) == 0 &&
	    memcmp(b + 20 + 4 + 17, "Info", 4) == 0);
	free(b);
	d = ffmpeg_decode(path, 1, &nd);
	T_INT(nd, n);
	free(d);
	unlink(path);
	free(path);
	free(x);
}

/* WAV to a pipe: our header with unknown sizes. */
static void
test_wav_pipe_header(void)
{
	struct sp_enc_opts o = opts(SP_ENC_WAV, 44100, 2);
	float *x = gen_tone(1000, 2, 44100);
	char *path = tmpname("wav");
	unsigned char *b;
	size_t nb;

	T_INT(encode_pipe(path, &o, x, 1000), 0);
	b = slurp(path, &nb);
	T_INT(nb, 44 + 1000 * 4);
	T_OK(b != NULL && memcmp(b, "RIFF\xff\xff\xff\xffWAVEfmt ", 16) == 0 &&
	    memcmp(b + 36, "data\xff\xff\xff\xff", 8) == 0);
	free(b);
	/* And to a file: exact sizes. */
	T_INT(encode_file(path, &o, x, 1000), 0);
	b = slurp(path, &nb);
	T_OK(b != NULL && nb >= 44 + 4000 &&
	    b[4] + (b[5] << 8) + (b[6] << 16) == (int)nb - 8);
	free(b);
	unlink(path);
	free(path);
	free(x);
}

/* 24-bit FLAC and WAV. */
static void
test_24bit(void)
{
	enum sp_enc_format f;
	char *path, *cmd, *out;

	for (f = SP_ENC_FLAC; f <= SP_ENC_WAV; f++) {
		struct sp_enc_opts o = opts(f, 48000, 2);
		float *x = gen_tone(4800, 2, 48000);
		size_t nd;
		int16_t *d;

		o.bits = 24;
		path = tmpname(ext_of(f));
		T_INT(encode_file(path, &o, x, 4800), 0);
		cmd = sp_xasprintf("ffprobe -v error -show_entries "
		    "stream=bits_per_raw_sample,bits_per_sample -of csv=p=0 "
		    "'%s'", path);
		out = run(cmd, NULL);
		T_OK(out != NULL && strstr(out, "24") != NULL);
		d = ffmpeg_decode(path, 2, &nd);
		T_INT(nd, 4800);
		free(d);
		free(out);
		free(cmd);
		unlink(path);
		free(path);
		free(x);
		o.bits = 20;
		T_OK(sp_encode_new(stdout, &o, NULL, 0) == NULL);
	}
}

/* A full disk, and options that cannot work. */
static void
test_errors(void)
{
	enum sp_enc_format f;
	struct sp_enc_opts o;
	char msg[256];
	float *x = gen_tone(48000, 2, 48000);
	FILE *fp;

	for (f = SP_ENC_OPUS; f <= SP_ENC_WAV; f++) {
		o = opts(f, 48000, 2);
		fp = fopen("/dev/full", "w");
		T_OK(fp != NULL);
		if (fp == NULL)
			continue;
		T_INT(encode_fp(fp, &o, x, 48000, msg, sizeof(msg)), -1);
		printf("# %s to /dev/full: %s\n", ext_of(f), msg);
		T_OK(strstr(msg, "No space left on device") != NULL);
		fclose(fp);
	}
	o = opts(SP_ENC_OPUS, 48000, 3);
	T_OK(sp_encode_new(stdout, &o, msg, sizeof(msg)) == NULL);
	T_STR(msg, "3 channels not supported (1 or 2)");
	o = opts(SP_ENC_OPUS, 48000, 1);
	o.bitrate = 600;
	T_OK(sp_encode_new(stdout, &o, msg, sizeof(msg)) == NULL);
	T_OK(strstr(msg, "out of range") != NULL);
	/* No MP3 at 400 kb/s: the nearest, 320, is taken. */
	o = opts(SP_ENC_MP3, 48000, 1);
	o.bitrate = 400;
	fp = fopen("/dev/null", "w");
	T_OK(fp != NULL);
	if (fp != NULL) {
		struct sp_encoder *e = sp_encode_new(fp, &o, msg, sizeof(msg));

		T_OK(e != NULL);
		sp_encode_free(e);
		fclose(fp);
	}
	o = opts(SP_ENC_MP3, 96000, 1);
	T_OK(sp_encode_new(stdout, &o, msg, sizeof(msg)) == NULL);
	printf("# mp3 at 96 kHz: %s\n", msg);
	T_OK(msg[0] != '\0');
	o = opts(SP_ENC_WAV, 4000, 1);
	T_OK(sp_encode_new(stdout, &o, msg, sizeof(msg)) == NULL);
	free(x);
}

/* The MPEG bitrate for what was asked: the nearest the rate has. */
static void
test_mp3_bitrate(void)
{
	printf("# mp3 bitrates\n");
	T_INT(sp_encode_mp3_bitrate(48000, 6), 32);
	T_INT(sp_encode_mp3_bitrate(48000, 400), 320);
	T_INT(sp_encode_mp3_bitrate(48000, 510), 320);
	T_INT(sp_encode_mp3_bitrate(48000, 128), 128);
	T_INT(sp_encode_mp3_bitrate(44100, 100), 96);
	T_INT(sp_encode_mp3_bitrate(44100, 36), 40);	/* a tie: higher */
	T_INT(sp_encode_mp3_bitrate(32000, 300), 320);
	T_INT(sp_encode_mp3_bitrate(24000, 6), 8);
	T_INT(sp_encode_mp3_bitrate(22050, 150), 144);
	T_INT(sp_encode_mp3_bitrate(16000, 400), 160);
	T_INT(sp_encode_mp3_bitrate(11025, 100), 64);
	T_INT(sp_encode_mp3_bitrate(8000, 12), 16);
}

int
main(void)
{
	char tmpl[] = "/tmp/t_encode.XXXXXX";

	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s", tmpl);
	test_lengths();
	test_short();
	test_bitrate();
	test_mp3_bitrate();
	test_opus_tags();
	test_mp3_tags();
	test_wav_pipe_header();
	test_24bit();
	test_errors();
	rmdir(tmpdir);
	return t_done();
}
