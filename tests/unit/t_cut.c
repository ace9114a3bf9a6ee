/* t_cut: lossless cuts (M4A, Opus, ADTS) against ffprobe, ffmpeg, opusinfo. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "adts.h"
#include "cut.h"
#include "decode.h"
#include "mp4.h"
#include "xalloc.h"
#include "t.h"

/*
 * The oracles (declared test dependencies, never skipped): ffprobe's
 * duration_ts for M4A (it honours both ends of the edit list), ffmpeg's
 * decoder (it trims only the start of an edit list, so we compare its
 * first end - start samples), opusinfo and opusdec for Opus, ffprobe's
 * frame count for raw ADTS.  lib/decode (libfaad2, opusfile) decodes
 * both the source and the cut for the alignment checks, and ffmpeg does
 * the same as a second, independent decoder for AAC.
 */

static char tmpdir[256];

static char *
fixture(const char *rel)
{
	const char *top = getenv("TOP");

	return sp_xasprintf("%s/tests/data/%s", top ? top : ".", rel);
}

/* The text a command prints on stdout (new), NUL-terminated. */
static char *
run(const char *cmd)
{
	FILE *fp = popen(cmd, "r");
	char *s = sp_xmalloc(65536);
	size_t n = 0, k;

	s[0] = '\0';
	if (fp == NULL)
		return s;
	while (n < 65535 && (k = fread(s + n, 1, 65535 - n, fp)) > 0)
		n += k;
	s[n] = '\0';
	pclose(fp);
	return s;
}

static long long
probe_num(const char *file, const char *entry)
{
	char *cmd = sp_xasprintf("ffprobe -v error -select_streams a:0 "
	    "-show_entries %s -of csv=p=0 '%s' 2>&1", entry, file);
	char *s = run(cmd), *end;
	long long v = strtoll(s, &end, 10);

	if (end == s || (*end != '\n' && *end != '\0'))
		v = -1;
	free(s);
	free(cmd);
	return v;
}

/* Float PCM of a whole file, interleaved (new): *n frames. */
static float *
dec_ours(const char *file, uint64_t *n, unsigned *ch)
{
	struct sp_decoder *d = sp_decode_open(file, NULL, 0);
	size_t cap = 1 << 16, len = 0;
	float *v;
	long r;

	*n = 0;
	if (d == NULL)
		return NULL;
	*ch = sp_decode_info(d)->channels;
	v = sp_xreallocarray(NULL, cap, *ch * sizeof(float));
	for (;;) {
		if (len + 4096 > cap) {
			cap *= 2;
			v = sp_xreallocarray(v, cap, *ch * sizeof(float));
		}
		if ((r = sp_decode_read(d, v + len * *ch, 4096)) <= 0)
			break;
		len += (size_t)r;
	}
	sp_decode_close(d);
	*n = len;
	return v;
}

/* ffmpeg's float decode (new): *n frames of ch channels. */
static float *
dec_ffmpeg(const char *file, unsigned ch, uint64_t *n)
{
	char *cmd = sp_xasprintf("ffmpeg -nostdin -v error -i '%s' -f f32le "
	    "- 2>/dev/null", file);
	FILE *fp = popen(cmd, "r");
	size_t cap = 1 << 18, len = 0, k;
	float *v = sp_xreallocarray(NULL, cap, sizeof(float));

	free(cmd);
	while (fp && (k = fread(v + len, sizeof(float), cap - len, fp)) > 0)
		if ((len += k) == cap)
			v = sp_xreallocarray(v, cap *= 2, sizeof(float));
	if (fp)
		pclose(fp);
	*n = len / ch;
	return v;
}

/*
 * Compare n frames of cut against ref: the lag (within +-48 samples)
 * where the normalised cross-correlation peaks (lag 0 wins ties: a cut
 * equal to ref peaks there), and the SNR in dB from frame skip on (99
 * when equal).
 */
static int
align(const float *cut, const float *ref, uint64_t refn, uint64_t n,
    unsigned ch, uint64_t skip, double *snr)
{
	long lag, best = 0, i;
	double x, ec, er, bx = -2, sig = 0, err = 0, d;
	uint64_t j;

	for (i = 0; i <= 96; i++) {
		lag = i == 0 ? 0 : i <= 48 ? -i : i - 48;
		x = ec = er = 0;
		for (j = 0; j < n; j++) {
			long long k = (long long)j + lag;

			if (k >= 0 && (uint64_t)k < refn) {
				unsigned c;

				for (c = 0; c < ch; c++) {
					x += (double)cut[j * ch + c] *
					    ref[k * ch + c];
					ec += (double)cut[j * ch + c] *
					    cut[j * ch + c];
					er += (double)ref[k * ch + c] *
					    ref[k * ch + c];
				}
			}
		}
		x = ec > 0 && er > 0 ? x / sqrt(ec * er) : 0;
		if (x > bx + 1e-12) {
			bx = x;
			best = lag;
		}
	}
	for (j = skip * ch; j < n * ch; j++) {
		d = (double)cut[j] - ref[j];
		err += d * d;
		sig += (double)ref[j] * ref[j];
	}
	*snr = err == 0 ? 99 : 10 * log10(sig / err);
	return (int)best;
}

struct src {
	const char	*name;
	struct sp_cut_source *s;
	float		*ours, *ff;	/* the source decoded, whole */
	uint64_t	 nours, nff;
	unsigned	 ch;
};

static int
src_open(struct src *x, const char *name)
{
	char err[256], *p = fixture(name);

	memset(x, 0, sizeof(*x));
	x->name = name;
	x->s = sp_cut_open(p, err, sizeof(err));
	T_OK(x->s != NULL);
	if (x->s == NULL) {
		printf("# %s: %s\n", name, err);
		free(p);
		return -1;
	}
	x->ours = dec_ours(p, &x->nours, &x->ch);
	T_INT(x->nours, sp_cut_total(x->s));
	T_INT(x->ch, sp_cut_channels(x->s));
	if (strcmp(sp_cut_codec(x->s), "aac") == 0)
		x->ff = dec_ffmpeg(p, x->ch, &x->nff);
	free(p);
	return 0;
}

static void
src_close(struct src *x)
{
	sp_cut_close(x->s);
	free(x->ours);
	free(x->ff);
}

static char *
cut_to(struct src *x, const char *kind, uint64_t a, uint64_t b,
    const struct sp_cut_meta *meta, struct sp_cut_result *r)
{
	static unsigned seq;
	char err[256], *out = sp_xasprintf("%s/c%u.%s", tmpdir, seq++, kind);
	FILE *fp = fopen(out, "wb");
	int rc;

	rc = sp_cut(x->s, kind, a, b, meta, fp, r, err, sizeof(err));
	T_INT(rc, 0);
	if (rc != 0)
		printf("# %s\n", err);
	T_INT(fclose(fp), 0);
	return out;
}

static double worst_snr_ours = 99, worst_snr_ff = 99;

/*
 * The same frames as the M4A cut holds (from the warm-up frame f0), as
 * raw ADTS, decoded by ffmpeg (new): what the M4A must equal sample for
 * sample from offset skip on.  NULL when f0 lies in an MP4's priming.
 */
static float *
warmup_ref(struct src *x, uint64_t a, uint64_t b, uint64_t vstart,
    uint64_t *n, uint64_t *skip)
{
	struct sp_cut_result r;
	uint64_t f0 = (a + vstart) / 1024;
	char *out;
	float *v;

	f0 = f0 > 0 ? f0 - 1 : 0;
	/* ffmpeg does not take an ADTS stream of a frame or two for one. */
	if (f0 * 1024 < vstart || (b + vstart) / 1024 < f0 + 3)
		return NULL;
	out = cut_to(x, "aac", f0 * 1024 - vstart, b, NULL, &r);
	v = dec_ffmpeg(out, x->ch, n);
	*skip = a + vstart - f0 * 1024;
	unlink(out);
	free(out);
	return v;
}

/*
 * An M4A cut: duration_ts, no warnings, and the samples of [a, b): equal
 * to the same frames decoded by the same decoder from the same warm-up
 * frame, and close to the source's own decode (which had more frames
 * before: noise-substituted (PNS) bands draw from a random generator
 * whose state differs, so the SNR is finite where the encoder used PNS).
 */
static void
test_m4a(struct src *x, uint64_t a, uint64_t b, uint64_t vstart)
{
	struct sp_cut_result r;
	char *out, *cmd, *s;
	float *v, *w;
	uint64_t n, nw, skip;
	unsigned ch;
	double snr, snr0;
	int lag;

	printf("# m4a from %s [%llu, %llu)\n", x->name,
	    (unsigned long long)a, (unsigned long long)b);
	out = cut_to(x, "m4a", a, b, NULL, &r);
	T_INT(r.start, a);
	T_INT(r.end, b);
	T_INT(r.out_samples, b - a);
	T_INT(r.exact, 1);
	T_INT(probe_num(out, "stream=duration_ts"), (long long)(b - a));
	cmd = sp_xasprintf("ffprobe -v warning '%s' 2>&1 >/dev/null", out);
	s = run(cmd);
	T_STR(s, "");
	free(s);
	free(cmd);

	/* lib/decode honours the edit list at both ends. */
	v = dec_ours(out, &n, &ch);
	T_INT(n, b - a);
	if (v != NULL && n == b - a && x->nours >= b) {
		lag = align(v, x->ours + a * ch, x->nours - a, n, ch, 0, &snr0);
		align(v, x->ours + a * ch, x->nours - a, n, ch,
		    n > 240 ? 240 : 0, &snr);
		T_INT(lag, 0);
		printf("# libfaad2 vs the source: SNR %.1f dB, %.1f dB after "
		    "5 ms\n", snr0, snr);
		T_OK(snr > 15);
		if (snr < worst_snr_ours)
			worst_snr_ours = snr;
	} else
		T_OK(0);
	free(v);

	/* ffmpeg trims only the start: its first b - a samples. */
	v = dec_ffmpeg(out, x->ch, &n);
	T_OK(n >= b - a);
	if (n >= b - a && x->nff >= b) {
		lag = align(v, x->ff + a * ch, x->nff - a, b - a, ch, 0, &snr0);
		align(v, x->ff + a * ch, x->nff - a, b - a, ch,
		    b - a > 240 ? 240 : 0, &snr);
		T_INT(lag, 0);
		printf("# ffmpeg vs the source: SNR %.1f dB, %.1f dB after "
		    "5 ms\n", snr0, snr);
		T_OK(snr > 15);
		if (snr < worst_snr_ff)
			worst_snr_ff = snr;
		/* Bit for bit what the same frames give as ADTS. */
		if ((w = warmup_ref(x, a, b, vstart, &nw, &skip)) != NULL) {
			T_OK(nw >= skip + (b - a));
			if (nw >= skip + (b - a)) {
				align(v, w + skip * ch, nw - skip, b - a, ch, 0,
				    &snr);
				T_DBL(snr, 99, 0);
			}
			free(w);
		}
	} else
		T_OK(0);
	free(v);
	if (getenv("KEEP") == NULL)
		unlink(out);
	free(out);
}

/* Raw ADTS: whole frames, the real boundaries, no ID3 tags. */
static void
test_aac(struct src *x, uint64_t a, uint64_t b, uint64_t vstart)
{
	struct sp_cut_result r;
	char *out, *cmd, *s;
	uint64_t k0 = (a + vstart) / 1024, k1 = (b - 1 + vstart) / 1024, n;
	float *v;
	double snr;
	long long want_start = (long long)(k0 * 1024) - (long long)vstart;

	printf("# aac from %s [%llu, %llu)\n", x->name,
	    (unsigned long long)a, (unsigned long long)b);
	out = cut_to(x, "aac", a, b, NULL, &r);
	T_INT(r.exact, 0);
	T_INT(r.start, want_start < 0 ? 0 : want_start);
	T_OK(r.start <= a && r.end >= b && r.end - r.start <= r.out_samples);
	T_INT(r.out_samples, (k1 - k0 + 1) * 1024);
	cmd = sp_xasprintf("ffprobe -v error -count_frames -show_entries "
	    "stream=codec_name,nb_read_frames -of csv=p=0 '%s'", out);
	s = run(cmd);
	{
		char want[64];

		snprintf(want, sizeof(want), "aac,%llu\n",
		    (unsigned long long)(k1 - k0 + 1));
		T_STR(s, want);
	}
	free(s);
	free(cmd);
	cmd = sp_xasprintf("grep -c ID3 '%s'", out);
	s = run(cmd);
	T_STR(s, "0\n");
	free(s);
	free(cmd);
	/* Frame k0's first half decodes without its overlap: compare from
	 * the second frame on, at the real start. */
	v = dec_ffmpeg(out, x->ch, &n);
	T_INT(n, r.out_samples);
	if (want_start >= 0 && n > 2048 && x->nff >= r.start + n) {
		int lag = align(v + 1024 * x->ch, x->ff + (r.start + 1024) *
		    x->ch, x->nff - r.start - 1024, n - 1024, x->ch, 0, &snr);

		T_INT(lag, 0);
		printf("# ffmpeg, after the first frame: SNR %.1f dB\n", snr);
		T_OK(snr > 15);
	}
	free(v);
	if (getenv("KEEP") == NULL)
		unlink(out);
	free(out);
}

/* No warnings or errors from opusinfo, and the pre-skip it reads. */
static unsigned
opusinfo_preskip(const char *file)
{
	char *cmd = sp_xasprintf("opusinfo '%s' 2>&1", file);
	char *s = run(cmd), *p;
	unsigned pre = 0;

	if (strstr(s, "WARNING") || strstr(s, "ERROR"))
		printf("# opusinfo said:\n%s", s);
	else if ((p = strstr(s, "Pre-skip: ")) != NULL)
		pre = (unsigned)strtoul(p + 10, NULL, 10);
	free(s);
	free(cmd);
	return pre;
}

static void
test_opus(struct src *x, uint64_t a, uint64_t b)
{
	struct sp_cut_result r;
	char *out, *cmd, *s;
	float *v;
	uint64_t n;
	unsigned ch, pre;
	double snr;
	int lag;

	printf("# opus from %s [%llu, %llu)\n", x->name,
	    (unsigned long long)a, (unsigned long long)b);
	out = cut_to(x, "opus", a, b, NULL, &r);
	T_INT(r.exact, 1);
	T_INT(r.out_samples, b - a);
	pre = opusinfo_preskip(out);
	T_OK(pre > 0);
	/* The pre-roll: 80 ms, unless decoding from the stream start. */
	T_OK(pre >= 3840 || pre == 312 + a);
	/*
	 * ffmpeg 5.1 miscounts a cut that lies inside one packet (pre-skip
	 * ending in the packet the end trim also cuts: it applies the trim
	 * to the whole packet); opusdec gets it right.
	 */
	cmd = sp_xasprintf("ffmpeg -nostdin -v error -i '%s' -f s16le - "
	    "2>/dev/null | wc -c", out);
	s = run(cmd);
	if (b - a >= 2880)
		T_INT(strtoll(s, NULL, 10) / (2 * x->ch), b - a);
	free(s);
	free(cmd);
	cmd = sp_xasprintf("opusdec --quiet '%s' - 2>/dev/null | wc -c", out);
	s = run(cmd);
	T_INT(strtoll(s, NULL, 10) / (2 * x->ch), b - a);
	free(s);
	free(cmd);
	v = dec_ours(out, &n, &ch);
	T_INT(n, b - a);
	if (v && n == b - a && x->nours >= b) {
		lag = align(v, x->ours + a * ch, x->nours - a, n, ch,
		    n > 960 ? 960 : 0, &snr);
		T_INT(lag, 0);
		printf("# opusfile: SNR %.1f dB after 20 ms\n", snr);
		T_OK(snr > 30);
	} else
		T_OK(0);
	free(v);
	if (getenv("KEEP") == NULL)
		unlink(out);
	free(out);
}

/* Tags and chapters into both writers, as ffprobe reads them. */
static void
test_meta(struct src *aac, struct src *opus)
{
	struct sp_chapter cv[3] = {
		{ 0, "Intro", NULL, NULL, 0 },
		{ 0.5, "Second part", NULL, NULL, 0 },
		{ 99, "Beyond the clip", NULL, NULL, 0 }
	};
	struct sp_chapters chs = { cv, 3 };
	struct sp_cut_meta m = { "A title", "Host", "Spaces", "a comment",
	    "2024-05-01", &chs, 1714590000123LL, NULL };
	struct sp_cut_result r;
	char *out, *cmd, *s;

	printf("# tags and chapters\n");
	out = cut_to(aac, "m4a", 12345, 98765, &m, &r);
	cmd = sp_xasprintf("ffprobe -v error -show_entries format_tags="
	    "title,artist,album,comment,date:chapter=start:chapter_tags="
	    "title -of default=nw=1 '%s'", out);
	s = run(cmd);
	T_OK(strstr(s, "TAG:title=A title\n") && strstr(s, "TAG:artist=Host")
	    && strstr(s, "TAG:comment=a comment") &&
	    strstr(s, "TAG:date=2024-05-01"));
	T_OK(strstr(s, "start=0\nTAG:title=Intro\n") &&
	    strstr(s, "start=24000\nTAG:title=Second part\n") &&
	    !strstr(s, "Beyond"));
	free(s);
	free(cmd);
	/* The recording time: ffprobe's creation_time (mvhd, whole s). */
	cmd = sp_xasprintf("ffprobe -v error -show_entries format_tags="
	    "creation_time:stream_tags=creation_time -of default=nw=1 '%s'",
	    out);
	s = run(cmd);
	/* The movie, then the audio and chapter tracks. */
	T_STR(s, "TAG:creation_time=2024-05-01T19:00:00.000000Z\n"
	    "TAG:creation_time=2024-05-01T19:00:00.000000Z\n"
	    "TAG:creation_time=2024-05-01T19:00:00.000000Z\n");
	free(s);
	free(cmd);
	unlink(out);
	free(out);

	out = cut_to(opus, "opus", 12345, 98765, &m, &r);
	cmd = sp_xasprintf("ffprobe -v error -show_entries stream_tags="
	    "TITLE,ARTIST,ALBUM,DATE:chapter=start_time:chapter_tags=title "
	    "-of default=nw=1 '%s'", out);
	s = run(cmd);
	T_OK(strstr(s, "TAG:TITLE=A title\n") && strstr(s, "TAG:ARTIST=Host")
	    && strstr(s, "TAG:DATE=2024-05-01"));
	T_OK(strstr(s, "start_time=0.000000\nTAG:title=Intro\n") &&
	    strstr(s, "start_time=0.500000\nTAG:title=Second part\n") &&
	    !strstr(s, "Beyond"));
	if (!T_OK(opusinfo_preskip(out) > 0))
		printf("%s", s);
	free(s);
	free(cmd);
	unlink(out);
	free(out);
}

/* One source, many cuts: every one right (the open's index reused). */
static void
test_many(struct src *x)
{
	struct sp_cut_result r;
	char err[256], *out;
	const struct sp_mp4_info *mi;
	struct sp_mp4 *m;
	uint64_t total = sp_cut_total(x->s), a, b;
	unsigned i, ok = 0;
	FILE *fp;

	printf("# 20 cuts from one opened %s\n", x->name);
	for (i = 0; i < 20; i++) {
		a = (i * 7919u + 17) % (total / 2);
		b = a + 1 + (i * 104729u) % (total - a - 1);
		out = cut_to(x, "m4a", a, b, NULL, &r);
		fp = fopen(out, "rb");
		m = fp ? sp_mp4_open(fp, err, sizeof(err)) : NULL;
		if (m) {
			mi = sp_mp4_info(m);
			if (mi->duration_samples == b - a &&
			    mi->edit_media_time == (long long)(a % 1024 +
			    (a >= 1024 ? 1024 : 0)))
				ok++;
			else
				printf("# [%llu, %llu): %llu samples, media "
				    "time %lld\n", (unsigned long long)a,
				    (unsigned long long)b, (unsigned long long)
				    mi->duration_samples,
				    (long long)mi->edit_media_time);
			sp_mp4_close(m);
		}
		if (fp)
			fclose(fp);
		/* And the oracle on a few. */
		if (i % 5 == 0)
			T_INT(probe_num(out, "stream=duration_ts"),
			    (long long)(b - a));
		unlink(out);
		free(out);
	}
	T_INT(ok, 20);
}

static void
test_errors(struct src *aac, struct src *opus)
{
	struct sp_cut_result r;
	char err[256], *p;
	FILE *fp = fopen("/dev/null", "wb");
	uint64_t t = sp_cut_total(aac->s);

	printf("# errors\n");
	T_INT(sp_cut(aac->s, "m4a", 0, t + 1, NULL, fp, &r, err,
	    sizeof(err)), -1);
	printf("# %s\n", err);
	T_OK(strstr(err, "145408 samples") != NULL &&
	    strstr(err, "3.029 s") != NULL);
	T_INT(sp_cut(aac->s, "m4a", 5000, 5000, NULL, fp, &r, err,
	    sizeof(err)), -1);
	T_INT(sp_cut(aac->s, "m4a", 6000, 5000, NULL, fp, &r, err,
	    sizeof(err)), -1);
	printf("# %s\n", err);
	T_INT(sp_cut(opus->s, "opus", 0, sp_cut_total(opus->s) + 1, NULL, fp,
	    &r, err, sizeof(err)), -1);
	T_INT(sp_cut(aac->s, "opus", 0, 1000, NULL, fp, &r, err,
	    sizeof(err)), -1);
	T_OK(strstr(err, "--reencode") != NULL);
	T_INT(sp_cut(opus->s, "m4a", 0, 1000, NULL, fp, &r, err,
	    sizeof(err)), -1);
	T_INT(sp_cut(opus->s, "aac", 0, 1000, NULL, fp, &r, err,
	    sizeof(err)), -1);
	fclose(fp);

	/* A full disk, unbuffered so that the writes themselves fail. */
	fp = fopen("/dev/full", "wb");
	setvbuf(fp, NULL, _IONBF, 0);
	T_INT(sp_cut(aac->s, "m4a", 0, 50000, NULL, fp, &r, err,
	    sizeof(err)), -2);
	printf("# %s\n", err);
	T_INT(sp_cut(aac->s, "aac", 0, 50000, NULL, fp, &r, err,
	    sizeof(err)), -2);
	T_OK(strstr(err, "No space left") != NULL);
	T_INT(sp_cut(opus->s, "opus", 0, 50000, NULL, fp, &r, err,
	    sizeof(err)), -2);
	T_OK(strstr(err, "No space left") != NULL);
	fclose(fp);

	/* Not AAC or Opus; missing. */
	p = fixture("pcm/stereo-44k.mp3");
	T_OK(sp_cut_open(p, err, sizeof(err)) == NULL);
	T_STR(err, "not AAC or Opus: it needs --reencode");
	free(p);
	p = fixture("pcm/stereo-48k.flac");
	T_OK(sp_cut_open(p, err, sizeof(err)) == NULL);
	T_STR(err, "not AAC or Opus: it needs --reencode");
	free(p);
	p = fixture("pcm/mono-44k.ogg");
	T_OK(sp_cut_open(p, err, sizeof(err)) == NULL);
	T_STR(err, "not AAC or Opus: it needs --reencode");
	free(p);
	T_OK(sp_cut_open("/nonexistent.m4a", err, sizeof(err)) == NULL);
	T_OK(strstr(err, "No such file") != NULL);
}

int
main(void)
{
	struct src adts, tags, m4a, enc, opus, mono, ff;
	uint64_t t;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/t_cut.%ld", (long)getpid());
	if (mkdir(tmpdir, 0700) != 0) {
		perror(tmpdir);
		return 1;
	}

	/* ADTS to M4A, then MP4 to M4A. */
	if (src_open(&adts, "aac/speech-3s.aac") == 0) {
		t = sp_cut_total(adts.s);
		T_INT(t, 145408);
		T_STR(sp_cut_codec(adts.s), "aac");
		T_STR(sp_cut_format(adts.s), "adts");
		T_INT(sp_cut_rate(adts.s), 48000);
		test_m4a(&adts, 12345, 98765, 0);
		test_m4a(&adts, 1000, 50000, 0);
		test_m4a(&adts, 0, t, 0);
		test_m4a(&adts, t - 3000, t, 0);
		test_m4a(&adts, 1024, 2048, 0);	/* frame-aligned, one frame */
		test_m4a(&adts, 2047, 2049, 0);	/* across a frame boundary */
	}
	/* ID3 tags and junk between the frames. */
	if (src_open(&tags, "aac/space-chunks.aac") == 0) {
		test_m4a(&tags, 12345, 98765, 0);
		test_aac(&tags, 12345, 98765, 0);
		test_aac(&tags, 0, sp_cut_total(tags.s), 0);
		src_close(&tags);
	}
	if (src_open(&m4a, "mp4/speech.m4a") == 0) {
		t = sp_cut_total(m4a.s);
		T_INT(t, 145408);
		T_STR(sp_cut_format(m4a.s), "mp4");
		test_m4a(&m4a, 12345, 98765, 0);
		test_m4a(&m4a, 1000, 50000, 0);
		test_m4a(&m4a, 0, t, 0);
		test_m4a(&m4a, t - 3000, t, 0);
		test_aac(&m4a, 12345, 98765, 0);
		src_close(&m4a);
	}
	/* Re-encoded: priming 1024 and a trimmed end in the source's edit. */
	if (src_open(&enc, "mp4/enc.m4a") == 0) {
		t = sp_cut_total(enc.s);
		T_INT(t, 62400);
		test_m4a(&enc, 12345, 60000, 1024);
		test_m4a(&enc, 1000, 50000, 1024);
		test_m4a(&enc, 0, t, 1024);
		test_m4a(&enc, t - 3000, t, 1024);
		test_aac(&enc, 0, 5000, 1024);
		test_aac(&enc, 12345, 60000, 1024);
		src_close(&enc);
	}

	/* Opus. */
	if (src_open(&opus, "opus/stereo.opus") == 0) {
		t = sp_cut_total(opus.s);
		T_INT(t, 145408);
		T_STR(sp_cut_codec(opus.s), "opus");
		T_INT(sp_cut_rate(opus.s), 48000);
		test_opus(&opus, 12345, 98765);
		test_opus(&opus, 1000, 50000);
		test_opus(&opus, 0, t);
		test_opus(&opus, t - 3000, t);
		test_opus(&opus, 3839, 3841);
	}
	if (src_open(&mono, "opus/mono.opus") == 0) {
		test_opus(&mono, 48007, 48007 + 3 * 960 + 1);
		src_close(&mono);
	}
	if (src_open(&ff, "opus/ffmpeg.opus") == 0) {	/* 60 ms packets */
		test_opus(&ff, 70000, 140000);
		test_opus(&ff, 0, sp_cut_total(ff.s));
		src_close(&ff);
	}

	/* Raw ADTS from ADTS. */
	if (adts.s != NULL) {
		test_aac(&adts, 12345, 98765, 0);
		test_aac(&adts, 1000, 50000, 0);
		test_aac(&adts, 0, sp_cut_total(adts.s), 0);
		test_aac(&adts, sp_cut_total(adts.s) - 3000,
		    sp_cut_total(adts.s), 0);
	}

	if (adts.s != NULL && opus.s != NULL) {
		test_meta(&adts, &opus);
		test_many(&adts);
		test_errors(&adts, &opus);
	}
	printf("# worst SNR after 5 ms: libfaad2 %.1f dB, ffmpeg %.1f dB\n",
	    worst_snr_ours, worst_snr_ff);
	if (adts.s)
		src_close(&adts);
	if (opus.s)
		src_close(&opus);
	rmdir(tmpdir);
	return t_done();
}
