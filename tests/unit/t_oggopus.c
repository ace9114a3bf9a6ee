/* t_oggopus: the Ogg Opus reader and writer against opusinfo/ffmpeg. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>

#include "oggopus.h"
#include "xalloc.h"
#include "t.h"

/*
 * Oracle numbers for the fixtures (tests/data/opus, see make-fixtures.sh),
 * measured with ffmpeg 5.1.9 and opus-tools 0.2 on Debian 12:
 *   ffmpeg -v error -i F -f s16le - | wc -c     (/ 2 / channels = samples)
 *     mono, chapters, ffmpeg: 290816 -> 145408;  stereo: 581632 -> 145408;
 *     surround (6 ch): 288000 -> 24000
 *   opusdec --quiet --rate 48000 F - | wc -c    (the same byte counts)
 *   opusinfo F: Pre-skip: 312 for all; Playback length 0m:03.029s
 *     (0m:00.500s surround); surround: Streams: 4, Coupled: 2, Channel
 *     Mapping Family: 1 Map: [0, 4, 1, 2, 3, 5]
 *   ffprobe -v error -count_packets -show_entries stream=nb_read_packets F
 *     152 (opusenc ones), 51 (ffmpeg.opus: 60 ms packets), 26 (surround)
 *   grep -ao OggS F | wc -l: 6 pages (opusenc), 5 (ffmpeg), 3 (surround)
 *   ffprobe -v error -show_chapters chapters.opus: 0 "Welcome",
 *     1.250 "Audio files", 2.500 "Tags"
 */
#define SAMPLES		145408
#define PRESKIP		312

static char dir[4096];

/* A whole file in memory. */
struct buf {
	uint8_t		*p;
	size_t		 n;
};

/* A memory source handed out step bytes at a time. */
struct src {
	const uint8_t	*p;
	size_t		 n, off, step;
	int		 fail_at;	/* -1, or the call that fails */
	int		 calls;
};

static ssize_t
src_read(void *ctx, void *b, size_t n)
{
	struct src *s = ctx;
	size_t k = s->n - s->off;

	if (s->fail_at >= 0 && s->calls++ == s->fail_at) {
		errno = EIO;
		return -1;
	}
	if (k > n)
		k = n;
	if (s->step > 0 && k > s->step)
		k = s->step;
	memcpy(b, s->p + s->off, k);
	s->off += k;
	return (ssize_t)k;
}

static char *
path(const char *name)
{
	return sp_xasprintf("%s/%s", dir, name);
}

static struct buf
slurp(const char *name)
{
	struct buf b = { NULL, 0 };
	char *p = path(name);
	FILE *fp = fopen(p, "rb");
	size_t k;

	if (fp == NULL) {
		printf("# cannot open %s\n", p);
		free(p);
		return b;
	}
	b.p = sp_xmalloc(1 << 20);
	k = fread(b.p, 1, 1 << 20, fp);
	b.n = k;
	fclose(fp);
	free(p);
	return b;
}

/* What reading a whole stream gave. */
struct got {
	uint64_t	 packets, durations;
	int64_t		 first_granule, last_granule;
	int		 monotonic, last_flag, rc;
	uint64_t	 hash;
	struct sp_opus_summary sum;
	struct sp_opus_head head;
	char		 err[64];
};

/* Read every packet of r into g, then free r. */
static void
drain(struct sp_opus_reader *r, struct got *g)
{
	struct sp_opus_packet p;
	int64_t prev = INT64_MIN;
	size_t i;
	int rc;

	memset(g, 0, sizeof(*g));
	g->monotonic = 1;
	g->hash = 14695981039346656037u;
	while ((rc = sp_opus_next(r, &p)) == 1) {
		if (g->packets == 0)
			g->first_granule = p.granule;
		if (p.granule < prev)
			g->monotonic = 0;
		if (p.index != g->packets)
			g->monotonic = 0;
		prev = p.granule;
		g->packets++;
		g->durations += p.duration;
		g->last_granule = p.granule;
		g->last_flag = p.last;
		for (i = 0; i < p.len; i++)
			g->hash = (g->hash ^ p.data[i]) * 0x100000001B3u;
		g->hash = (g->hash ^ (uint64_t)p.granule) * 0x100000001B3u;
	}
	g->rc = rc;
	g->sum = *sp_opus_reader_summary(r);
	g->head = *sp_opus_reader_head(r);
	snprintf(g->err, sizeof(g->err), "%s", sp_opus_reader_error(r) ?
	    sp_opus_reader_error(r) : "");
	sp_opus_reader_free(r);
}

static void
read_mem(const uint8_t *p, size_t n, size_t step, struct got *g)
{
	struct src s = { p, n, 0, step, -1, 0 };

	drain(sp_opus_reader_new(src_read, &s), g);
}

/* Byte offsets of the pages of a clean stream. */
static size_t
page_offsets(const struct buf *b, size_t *off, size_t max)
{
	size_t i = 0, n = 0, k, body;

	while (i + 27 <= b->n && n < max) {
		off[n++] = i;
		body = 0;
		for (k = 0; k < b->p[i + 26]; k++)
			body += b->p[i + 27 + k];
		i += 27 + b->p[i + 26] + body;
	}
	return n;
}

/* Run a shell command and count the bytes it prints; -1 on failure. */
static long
count_output(const char *cmd)
{
	char b[65536];
	FILE *fp = popen(cmd, "r");
	long n = 0;
	size_t k;

	if (fp == NULL)
		return -1;
	while ((k = fread(b, 1, sizeof(b), fp)) > 0)
		n += (long)k;
	if (pclose(fp) != 0)
		return -1;
	return n;
}

/* The text a command prints (new), or NULL. */
static char *
run(const char *cmd)
{
	FILE *fp = popen(cmd, "r");
	char *s = sp_xmalloc(65536);
	size_t n = 0, k;

	if (fp == NULL) {
		free(s);
		return NULL;
	}
	while (n < 65535 && (k = fread(s + n, 1, 65535 - n, fp)) > 0)
		n += k;
	s[n] = '\0';
	pclose(fp);
	return s;
}

/* Decode with opusdec (libopus, no dither) into 16-bit samples (new). */
static int16_t *
decode(const char *file, long *nsamples)
{
	char *cmd = sp_xasprintf("opusdec --quiet --no-dither --rate 48000 "
	    "'%s' - 2>/dev/null", file);
	FILE *fp = popen(cmd, "r");
	int16_t *s = NULL;
	size_t n = 0, cap = 0, k;

	free(cmd);
	*nsamples = -1;
	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 1 << 16;
			s = sp_xreallocarray(s, cap, sizeof(*s));
		}
		k = fread(s + n, sizeof(*s), cap - n, fp);
		if (k == 0)
			break;
		n += k;
	}
	if (pclose(fp) == 0)
		*nsamples = (long)n;
	return s;
}

static void
test_sniff(void)
{
	struct buf b = slurp("mono.opus"), a = slurp("../aac/speech-3s.aac");

	T_INT(sp_opus_sniff(b.p, b.n), 1);
	T_INT(sp_opus_sniff(b.p, 30), 0);	/* too short to see the packet */
	T_INT(sp_opus_sniff(b.p, 27 + 1 + 8), 1);
	T_INT(sp_opus_sniff(a.p, a.n), 0);
	T_INT(sp_opus_sniff("OggS", 4), 0);
	b.p[28] = 'X';
	T_INT(sp_opus_sniff(b.p, b.n), 0);
	free(b.p);
	free(a.p);
}

static void
test_fixture(const char *name, unsigned channels, uint64_t packets,
    uint64_t pages, int64_t samples, unsigned dur)
{
	struct buf b = slurp(name);
	struct got g, h;
	char *p;
	FILE *fp;

	printf("# %s\n", name);
	read_mem(b.p, b.n, 0, &g);
	T_INT(g.rc, 0);
	T_STR(g.err, "");
	T_INT(g.sum.flags, 0);
	T_INT(g.head.channels, channels);
	T_INT(g.head.preskip, PRESKIP);
	T_INT(g.head.version, 1);
	T_INT(g.sum.samples, samples);		/* ffmpeg's and opusdec's */
	T_INT(g.sum.last_granule, samples + PRESKIP);
	T_INT(g.sum.start_granule, 0);
	T_INT(g.sum.packets, packets);		/* ffprobe's */
	T_INT(g.packets, packets);
	T_INT(g.sum.pages, pages);
	T_INT(g.sum.stream_pages, pages);
	T_INT(g.sum.streams, 1);
	T_INT(g.sum.bad_crc + g.sum.holes + g.sum.seq_gaps + g.sum.lost, 0);
	T_INT(g.sum.bytes, b.n);
	T_INT(g.durations, packets * dur);
	T_INT(g.sum.end_trim, (int64_t)(packets * dur) - samples - PRESKIP);
	T_INT(g.first_granule, dur);
	T_OK(g.monotonic && g.last_flag);

	/* Any split of the input reads the same. */
	read_mem(b.p, b.n, 1, &h);
	T_OK(h.hash == g.hash && memcmp(&h.sum, &g.sum, sizeof(h.sum)) == 0);
	read_mem(b.p, b.n, 4093, &h);
	T_OK(h.hash == g.hash && memcmp(&h.sum, &g.sum, sizeof(h.sum)) == 0);

	/* From a pipe. */
	p = sp_xasprintf("cat '%s/%s'", dir, name);
	fp = popen(p, "r");
	free(p);
	drain(sp_opus_reader_file(fp), &h);
	pclose(fp);
	T_OK(h.hash == g.hash && memcmp(&h.sum, &g.sum, sizeof(h.sum)) == 0);
	free(b.p);
}

static void
test_tags(void)
{
	struct buf b = slurp("chapters.opus");
	struct src s = { b.p, b.n, 0, 0, -1, 0 };
	struct sp_opus_reader *r = sp_opus_reader_new(src_read, &s);
	const struct sp_opus_tags *t = sp_opus_reader_tags(r);
	struct sp_opus_chapter *c;
	struct sp_opus_tags u;
	size_t n;

	T_STR(t->vendor, "libopus 1.3.1, libopusenc 0.2.1");
	T_STR(sp_opus_tags_get(t, "title"), "chapters");
	T_STR(sp_opus_tags_get(t, "ARTIST"), "spaces");
	T_STR(sp_opus_tags_get(t, "ENCODER"), "opusenc from opus-tools 0.2");
	T_OK(sp_opus_tags_get(t, "CHAPTER") == NULL);
	T_INT(t->nextra, 0);
	n = sp_opus_chapters(t, &c);
	T_INT(n, 3);				/* as ffprobe -show_chapters */
	if (n == 3) {
		T_INT(c[0].ms, 0);
		T_STR(c[0].name, "Welcome");
		T_INT(c[1].ms, 1250);
		T_STR(c[1].name, "Audio files");
		T_INT(c[2].ms, 2500);
		T_STR(c[2].name, "Tags");
	}
	sp_opus_chapters_free(c, n);

	sp_opus_tags_copy(&u, t);
	T_INT(sp_opus_tags_remove(&u, "CHAPTER"), 6);
	T_INT(sp_opus_chapters(&u, &c), 0);
	T_OK(c == NULL);
	T_INT(sp_opus_tags_add_chapter(&u, 2, 3723004, "Later"), 0);
	T_INT(sp_opus_tags_add_chapter(&u, 1, 5, NULL), 0);
	T_INT(sp_opus_tags_add_chapter(&u, 1000, 5, NULL), -1);
	T_STR(u.comments[u.ncomments - 3], "CHAPTER002=01:02:03.004");
	sp_opus_tags_add(&u, "CHAPTER003", "1:00:00.5");
	sp_opus_tags_add(&u, "CHAPTER004", "00:61:00.000");	/* bad */
	n = sp_opus_chapters(&u, &c);
	T_INT(n, 3);
	if (n == 3) {
		T_INT(c[0].ms, 5);
		T_STR(c[0].name, "");
		T_INT(c[1].ms, 3723004);
		T_STR(c[1].name, "Later");
		T_INT(c[2].ms, 3600500);
	}
	sp_opus_chapters_free(c, n);
	sp_opus_tags_release(&u);
	sp_opus_reader_free(r);
	free(b.p);
}

static void
test_surround(void)
{
	struct buf b = slurp("surround.opus");
	struct got g;
	static const uint8_t map[6] = { 0, 4, 1, 2, 3, 5 };

	read_mem(b.p, b.n, 0, &g);
	T_INT(g.head.family, 1);
	T_INT(g.head.streams, 4);
	T_INT(g.head.coupled, 2);
	T_OK(memcmp(g.head.mapping, map, 6) == 0);
	free(b.p);
}

/* Damaged copies: bad CRC, a lost page, junk, truncation, chains. */
static void
test_damage(void)
{
	struct buf b = slurp("stereo.opus"), m = slurp("mono.opus");
	size_t off[16], n = page_offsets(&b, off, 16), len;
	uint8_t *c = sp_xmalloc(b.n + m.n + 100);
	struct got g;
	struct src s;

	T_INT(n, 6);
	/* One byte flipped in the body of page 3: libogg rejects it. */
	memcpy(c, b.p, b.n);
	c[off[3] + 200] ^= 0x20;
	read_mem(c, b.n, 0, &g);
	T_INT(g.rc, 0);
	T_INT(g.sum.bad_crc, 1);
	T_INT(g.sum.holes, 1);
	T_INT(g.sum.skipped, off[4] - off[3]);
	T_INT(g.sum.seq_gaps, 1);
	T_INT(g.sum.lost, 1);
	T_INT(g.sum.pages, 5);
	T_INT(g.packets, 102);
	T_OK(g.monotonic);
	T_INT(g.sum.samples, SAMPLES);	/* granules still tell the end */
	T_INT(g.sum.flags, SP_OPUS_ECRC | SP_OPUS_EJUNK | SP_OPUS_ESEQ |
	    SP_OPUS_ELOST);

	/* Page 3 cut out cleanly: a gap, no CRC error. */
	memcpy(c, b.p, off[3]);
	memcpy(c + off[3], b.p + off[4], b.n - off[4]);
	read_mem(c, b.n - (off[4] - off[3]), 0, &g);
	T_INT(g.sum.bad_crc + g.sum.holes, 0);
	T_INT(g.sum.seq_gaps, 1);
	T_INT(g.sum.flags, SP_OPUS_ESEQ | SP_OPUS_ELOST);

	/* Junk before the first page. */
	memset(c, 'O', 100);
	memcpy(c + 100, b.p, b.n);
	read_mem(c, b.n + 100, 7, &g);
	T_INT(g.sum.holes, 1);
	T_INT(g.sum.skipped, 100);
	T_INT(g.sum.bad_crc, 0);
	T_INT(g.sum.samples, SAMPLES);
	T_INT(g.sum.flags, SP_OPUS_EJUNK);

	/* Cut short in the last page. */
	read_mem(b.p, b.n - 100, 0, &g);
	T_INT(g.rc, 0);
	T_INT(g.sum.flags, SP_OPUS_ETRUNC | SP_OPUS_EJUNK);
	T_INT(g.sum.skipped, b.n - 100 - off[5]);
	T_INT(g.sum.last_granule, 144000);
	T_INT(g.sum.samples, 144000 - PRESKIP);
	T_INT(g.last_flag, 0);

	/* Chained: stereo then mono; the first is read. */
	memcpy(c, b.p, b.n);
	memcpy(c + b.n, m.p, m.n);
	read_mem(c, b.n + m.n, 0, &g);
	T_INT(g.sum.streams, 2);
	T_INT(g.sum.flags, SP_OPUS_ECHAIN);
	T_INT(g.head.channels, 2);
	T_INT(g.sum.pages, 12);
	T_INT(g.sum.stream_pages, 6);
	T_INT(g.sum.samples, SAMPLES);
	T_INT(g.packets, 152);

	/* Not Ogg, empty, no OpusTags, a read error. */
	read_mem((const uint8_t *)"hello", 5, 0, &g);
	T_INT(g.rc, -1);
	T_STR(g.err, "not an Ogg file");
	read_mem(c, 0, 0, &g);
	T_INT(g.rc, -1);
	T_INT(g.sum.flags, SP_OPUS_ENOTOGG);
	read_mem(b.p, off[1], 0, &g);
	T_INT(g.rc, -1);
	T_STR(g.err, "no OpusTags packet");
	memcpy(c, b.p, b.n);
	c[off[0] + 28 + 9] = 3;	/* 3 channels with family 0 */
	len = b.n;
	s = (struct src){ c, len, 0, 0, -1, 0 };
	s.p = c;
	/* The CRC is now wrong: the page goes; no Opus stream is left. */
	read_mem(c, len, 0, &g);
	T_INT(g.rc, -1);
	T_INT(g.sum.bad_crc, 1);
	s = (struct src){ b.p, b.n, 0, 0, 3, 0 };
	drain(sp_opus_reader_new(src_read, &s), &g);
	T_INT(g.rc, -1);
	T_STR(g.err, "read error");
	T_OK(g.sum.flags & SP_OPUS_EREAD);
	free(c);
	free(b.p);
	free(m.p);
}

/* A stream's packets in memory. */
struct pk {
	uint8_t		*data;
	size_t		 len;
	unsigned	 dur;
	int64_t		 start, end;	/* granules */
};

static size_t
load_packets(const char *name, struct pk **out, struct sp_opus_head *h,
    struct sp_opus_tags *t, int64_t *start_granule)
{
	struct buf b = slurp(name);
	struct src s = { b.p, b.n, 0, 0, -1, 0 };
	struct sp_opus_reader *r = sp_opus_reader_new(src_read, &s);
	struct sp_opus_packet p;
	struct pk *v = NULL;
	size_t n = 0;

	*h = *sp_opus_reader_head(r);
	sp_opus_tags_copy(t, sp_opus_reader_tags(r));
	while (sp_opus_next(r, &p) == 1) {
		v = sp_xreallocarray(v, n + 1, sizeof(*v));
		v[n].data = sp_xmalloc(p.len);
		memcpy(v[n].data, p.data, p.len);
		v[n].len = p.len;
		v[n].dur = p.duration;
		/* A trimmed last packet starts where the one before ended. */
		v[n].start = n > 0 ? v[n - 1].end : p.granule - p.duration;
		v[n].end = p.granule;
		n++;
	}
	*start_granule = sp_opus_reader_summary(r)->start_granule;
	sp_opus_reader_free(r);
	free(b.p);
	*out = v;
	return n;
}

static void
free_packets(struct pk *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].data);
	free(v);
}

/* No warnings or errors from opusinfo, which also checks the granules. */
static int
opusinfo_clean(const char *file, unsigned preskip)
{
	char *cmd = sp_xasprintf("opusinfo '%s' 2>&1", file);
	char *out = run(cmd), want[64];
	int ok;

	snprintf(want, sizeof(want), "Pre-skip: %u\n", preskip);
	ok = out != NULL && strstr(out, "WARNING") == NULL &&
	    strstr(out, "ERROR") == NULL && strstr(out, want) != NULL;
	if (!ok)
		printf("# opusinfo said:\n%s", out ? out : "(nothing)\n");
	free(out);
	free(cmd);
	return ok;
}

static long
ffmpeg_samples(const char *file, unsigned channels)
{
	char *cmd = sp_xasprintf("ffmpeg -v error -i '%s' -f s16le - "
	    "2>/dev/null", file);
	long n = count_output(cmd);

	free(cmd);
	return n < 0 ? n : n / (2 * (long)channels);
}

/*
 * Keep samples [S, E) of the decoded fixture, losslessly, as spaces-clip
 * will (audio.md 1.2): start at the last packet starting at least 80 ms
 * before S, pre-skip the difference, end on the first packet reaching E
 * and trim it with the final granule.
 */
static void
test_cut(const char *name, int64_t S, int64_t E)
{
	struct sp_opus_head h, oh;
	struct sp_opus_tags t;
	struct sp_opus_writer *w;
	struct pk *v;
	struct got g;
	size_t n, k, m, i;
	int64_t g0, gS, gE, pre;
	char *out = sp_xasprintf("/tmp/t_oggopus.%ld.%lld.opus",
	    (long)getpid(), (long long)S);
	int16_t *ref, *cut;
	long nref, ncut, j;
	double sig = 0, err = 0, d;
	FILE *fp;

	printf("# cut %s [%lld, %lld)\n", name, (long long)S, (long long)E);
	n = load_packets(name, &v, &h, &t, &g0);
	gS = g0 + h.preskip + S;
	gE = g0 + h.preskip + E;
	for (k = 0, i = 0; i < n; i++)
		if (v[i].start <= gS - SP_OPUS_PREROLL)
			k = i;
	for (m = 0; m < n && v[m].end < gE; m++)
		;
	m++;			/* packets [k, m) */
	pre = gS - v[k].start;
	T_OK(pre <= 65535 && m <= n);
	T_OK(k == 0 || pre >= SP_OPUS_PREROLL);

	oh = h;
	oh.preskip = (unsigned)pre;
	sp_opus_tags_add_chapter(&t, 1, 0, "Cut");
	fp = fopen(out, "wb");
	w = sp_opus_writer_new(fp, &oh, &t, 0x5ACE, 0);
	T_OK(w != NULL);
	for (i = k; w != NULL && i < m; i++)
		if (sp_opus_writer_packet(w, v[i].data, v[i].len, v[i].dur) != 0)
			break;
	T_INT(i, m);
	T_INT(sp_opus_writer_finish(w, pre + (E - S)), 0);
	sp_opus_writer_free(w);
	T_INT(fclose(fp), 0);

	/* The oracles: opusinfo, opusdec and ffmpeg. */
	T_OK(opusinfo_clean(out, (unsigned)pre));
	ref = decode(out, &ncut);
	free(ref);
	T_INT(ncut, (E - S) * h.channels);
	T_INT(ffmpeg_samples(out, h.channels), E - S);

	/* And we read back what we wrote. */
	fp = fopen(out, "rb");
	drain(sp_opus_reader_file(fp), &g);
	fclose(fp);
	T_INT(g.sum.flags, 0);
	T_INT(g.sum.samples, E - S);
	T_INT(g.head.preskip, pre);
	T_INT(g.packets, m - k);
	T_INT(g.sum.serial, 0x5ACE);
	T_OK(g.last_flag && g.monotonic);

	/*
	 * Same decoder both sides: the cut lines up with the source at S
	 * (the cross-correlation peaks at lag 0) and, once the decoder has
	 * converged (SILK needs some 15 ms more than the 80 ms pre-roll on
	 * this speech), it matches the source.
	 */
	{
		char *src = path(name);

		ref = decode(src, &nref);
		free(src);
	}
	cut = decode(out, &ncut);
	if (ref != NULL && cut != NULL && ncut == (E - S) * h.channels &&
	    nref >= E * (long)h.channels) {
		long lag, best = -99, c0 = (long)h.channels;
		double x, bx = -1;

		for (lag = -48; lag <= 48; lag++) {
			for (x = 0, j = 0; j < ncut; j++)
				if (S * c0 + j + lag * c0 >= 0 &&
				    S * c0 + j + lag * c0 < nref)
					x += (double)cut[j] *
					    ref[S * c0 + j + lag * c0];
			if (x > bx) {
				bx = x;
				best = lag;
			}
		}
		T_INT(best, 0);
		for (j = 960 * c0; j < ncut; j++) {
			d = (double)cut[j] - ref[S * c0 + j];
			err += d * d;
			sig += (double)cut[j] * cut[j];
		}
		printf("# SNR after 20 ms against the source at %lld: "
		    "%.1f dB\n", (long long)S, 10 * log10(sig / (err + 1e-9)));
		T_OK(10 * log10(sig / (err + 1e-9)) > 30);
	} else
		T_OK(0);
	free(ref);
	free(cut);
	if (getenv("KEEP") == NULL)
		unlink(out);
	free(out);
	sp_opus_tags_release(&t);
	free_packets(v, n);
}

/* A whole copy through the writer, with chapters, as the players see it. */
static void
test_rewrite(const char *name)
{
	struct sp_opus_head h;
	struct sp_opus_tags t;
	struct sp_opus_writer *w;
	struct pk *v;
	size_t n, i;
	int64_t g0;
	char *out = sp_xasprintf("/tmp/t_oggopus.%ld.w.opus", (long)getpid());
	char *cmd, *s, *src = path(name);
	FILE *fp;
	struct got g;

	printf("# rewrite %s\n", name);
	n = load_packets(name, &v, &h, &t, &g0);
	sp_opus_tags_remove(&t, "CHAPTER");
	sp_opus_tags_add_chapter(&t, 1, 0, "Start");
	sp_opus_tags_add_chapter(&t, 2, 250, "Middle bit");
	fp = fopen(out, "wb");
	w = sp_opus_writer_new(fp, &h, &t, 7, 0);
	for (i = 0; i < n; i++)
		sp_opus_writer_packet(w, v[i].data, v[i].len, 0);
	T_INT(sp_opus_writer_finish(w, v[n - 1].end), 0);
	T_OK(sp_opus_writer_pages(w) >= 5);
	sp_opus_writer_free(w);
	fclose(fp);
	T_OK(opusinfo_clean(out, h.preskip));
	T_INT(ffmpeg_samples(out, h.channels), ffmpeg_samples(src,
	    h.channels));
	/* Bit-identical decode, by ffmpeg, to the source's. */
	cmd = sp_xasprintf("for f in '%s' '%s'; do ffmpeg -v error -i \"$f\" "
	    "-f s16le - | md5sum; done | uniq | wc -l", out, src);
	s = run(cmd);
	T_STR(s, "1\n");
	free(s);
	free(cmd);
	cmd = sp_xasprintf("ffprobe -v error -show_chapters -of "
	    "csv=p=0 '%s'", out);
	s = run(cmd);
	T_OK(s != NULL && strstr(s, "1,1/1000,0,0.000000,250,0.250000,"
	    "Start\n2,1/1000,250,0.250000,") != NULL &&
	    strstr(s, "Middle bit\n") != NULL);
	free(s);
	free(cmd);
	fp = fopen(out, "rb");
	drain(sp_opus_reader_file(fp), &g);
	fclose(fp);
	T_INT(g.sum.flags, 0);
	T_INT(g.packets, n);
	T_INT(g.sum.serial, 7);
	unlink(out);
	free(out);
	free(src);
	sp_opus_tags_release(&t);
	free_packets(v, n);
}

/* Misuse of the writer. */
static void
test_writer_errors(void)
{
	struct sp_opus_head h;
	struct sp_opus_tags t;
	struct sp_opus_writer *w;
	struct pk *v;
	size_t n;
	int64_t g0;
	FILE *fp;

	n = load_packets("mono.opus", &v, &h, &t, &g0);
	fp = fopen("/dev/null", "wb");
	h.channels = 3;
	errno = 0;
	T_OK(sp_opus_writer_new(fp, &h, &t, 1, 0) == NULL && errno == EINVAL);
	h.channels = 1;
	w = sp_opus_writer_new(fp, &h, NULL, 1, 0);
	T_OK(w != NULL);
	T_INT(sp_opus_writer_finish(w, -1), -1);	/* no packet */
	T_INT(sp_opus_writer_packet(w, v[0].data, 0, 0), -1);
	T_INT(sp_opus_writer_packet(w, v[0].data, v[0].len, 480), -1);
	T_INT(sp_opus_writer_packet(w, v[0].data, v[0].len, 960), 0);
	T_INT(sp_opus_writer_packet(w, v[1].data, v[1].len, 0), 0);
	T_INT(sp_opus_writer_granule(w), 1920);
	T_INT(sp_opus_writer_finish(w, 960), -1);	/* whole packet cut */
	T_INT(sp_opus_writer_finish(w, 1921), -1);	/* past the end */
	T_INT(sp_opus_writer_finish(w, 1000), 0);
	sp_opus_writer_free(w);
	fclose(fp);

	/*
	 * Streams that start at granule 48000 (RFC 7845 4.5): 60 packets on
	 * two pages, the end trimmed by 600; then 10 packets on one EOS page,
	 * where start offset and end trim cannot be told apart: the page is
	 * read as starting later (opusfile does the same: 9288 samples).
	 */
	{
		char *out = sp_xasprintf("/tmp/t_oggopus.%ld.s.opus",
		    (long)getpid());
		struct got g;
		long nd;
		int16_t *pcm;
		int pass;
		size_t np[2] = { 60, 10 };
		int64_t end[2] = { 48000 + 57000, 48000 + 9000 };
		int64_t start[2] = { 48000, 47400 };
		int64_t trim[2] = { 600, 0 };

		for (pass = 0; pass < 2; pass++) {
			fp = fopen(out, "wb");
			w = sp_opus_writer_new(fp, &h, &t, 9, 48000);
			for (n = 0; n < np[pass]; n++)
				sp_opus_writer_packet(w, v[n].data, v[n].len,
				    0);
			T_INT(sp_opus_writer_finish(w, end[pass]), 0);
			T_INT(sp_opus_writer_pages(w), pass == 0 ? 4 : 3);
			sp_opus_writer_free(w);
			fclose(fp);
			fp = fopen(out, "rb");
			drain(sp_opus_reader_file(fp), &g);
			fclose(fp);
			T_INT(g.sum.flags, 0);
			T_INT(g.sum.start_granule, start[pass]);
			T_INT(g.first_granule, start[pass] + 960);
			T_INT(g.sum.end_trim, trim[pass]);
			T_INT(g.sum.samples, end[pass] - start[pass] -
			    PRESKIP);
			pcm = decode(out, &nd);		/* opusfile agrees */
			T_INT(nd, end[pass] - start[pass] - PRESKIP);
			free(pcm);
			T_OK(opusinfo_clean(out, PRESKIP));
		}
		unlink(out);
		free(out);
	}

	/* A full disk. */
	fp = fopen("/dev/full", "wb");
	if (fp != NULL) {
		w = sp_opus_writer_new(fp, &h, &t, 1, 0);
		if (w != NULL) {
			for (n = 0; n < 10; n++)
				sp_opus_writer_packet(w, v[n].data, v[n].len,
				    0);
			T_INT(sp_opus_writer_finish(w, -1), -1);
			T_INT(errno, ENOSPC);
			sp_opus_writer_free(w);
		} else
			T_INT(errno, ENOSPC);
		fclose(fp);
	}
	sp_opus_tags_release(&t);
	free_packets(v, 152);
}

int
main(void)
{
	const char *top = getenv("TOP");

	snprintf(dir, sizeof(dir), "%s/tests/data/opus", top ? top : ".");
	test_sniff();
	test_fixture("mono.opus", 1, 152, 6, SAMPLES, 960);
	test_fixture("stereo.opus", 2, 152, 6, SAMPLES, 960);
	test_fixture("chapters.opus", 1, 152, 6, SAMPLES, 960);
	test_fixture("ffmpeg.opus", 1, 51, 5, SAMPLES, 2880);
	test_fixture("surround.opus", 6, 26, 3, 24000, 960);
	test_tags();
	test_surround();
	test_damage();
	test_rewrite("stereo.opus");
	test_rewrite("surround.opus");
	test_cut("stereo.opus", 12345, 98765);
	test_cut("stereo.opus", 1000, 50000);	/* pre-roll from the start */
	test_cut("stereo.opus", 100001, SAMPLES);	/* to the very end */
	test_cut("mono.opus", 48007, 48007 + 3 * 960 + 1);	/* one page */
	test_cut("ffmpeg.opus", 70000, 140000);	/* 60 ms packets */
	test_writer_errors();
	return t_done();
}
