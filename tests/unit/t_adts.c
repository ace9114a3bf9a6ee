/* t_adts: the ADTS frame parser and its ID3 tags. */
#include <stdint.h>
#include <stdlib.h>

#include "adts.h"
#include "t.h"
#include "tbuf.h"

/* What the callbacks saw. */
struct seen {
	uint64_t	 frames, samples, bytes;
	uint64_t	 last_off;	/* of the last frame */
	int		 ordered;	/* frames came in increasing offsets */
	unsigned	 ntags;
	struct sp_id3_tag tags[4];	/* the first four */
};

static struct sp_adts P;		/* 29 KB: not on the stack */
static struct seen S;

static void
on_frame(void *ctx, uint64_t off, const struct sp_adts_frame *f,
    const uint8_t *data)
{
	struct seen *s = ctx;

	if (s->frames > 0 && off <= s->last_off)
		s->ordered = 0;
	/* The bytes passed are the frame's own. */
	if (data[0] != 0xFF || (data[1] & 0xF0) != 0xF0)
		s->ordered = 0;
	s->frames++;
	s->samples += f->samples;
	s->bytes += f->length;
	s->last_off = off;
}

static void
on_tag(void *ctx, const struct sp_id3_tag *t)
{
	struct seen *s = ctx;

	if (s->ntags < 4)
		s->tags[s->ntags] = *t;
	s->ntags++;
}

/* Parse b in pieces of step bytes (0: all at once) into P and S. */
static int
parse(const uint8_t *b, size_t n, size_t step)
{
	size_t i, k;

	memset(&S, 0, sizeof(S));
	S.ordered = 1;
	sp_adts_init(&P);
	P.ctx = &S;
	P.on_frame = on_frame;
	P.on_tag = on_tag;
	if (step == 0)
		sp_adts_feed(&P, b, n);
	else
		for (i = 0; i < n; i += k) {
			k = n - i < step ? n - i : step;
			sp_adts_feed(&P, b + i, k);
		}
	return sp_adts_finish(&P);
}

/* Every byte in exactly one bin, and the callbacks agree with the sums. */
static int
accounted(size_t n)
{
	const struct sp_adts_info *i = &P.info;

	return i->bytes == n && i->audio_bytes + i->id3_bytes +
	    i->id3v1_bytes + i->junk_bytes + i->trunc_bytes == n &&
	    S.frames == i->frames && S.samples == i->samples &&
	    S.bytes == i->audio_bytes && S.ordered && S.ntags == i->id3_tags;
}

static int
same(const struct sp_adts_info *a, const struct sp_adts_info *b)
{
	return a->frames == b->frames && a->samples == b->samples &&
	    a->crc_frames == b->crc_frames && a->changes == b->changes &&
	    a->sample_rate == b->sample_rate && a->channels == b->channels &&
	    a->profile == b->profile && a->duration == b->duration &&
	    a->audio_bytes == b->audio_bytes && a->id3_bytes == b->id3_bytes &&
	    a->id3v1_bytes == b->id3v1_bytes &&
	    a->junk_bytes == b->junk_bytes && a->lead_junk == b->lead_junk &&
	    a->trunc_bytes == b->trunc_bytes && a->id3_tags == b->id3_tags &&
	    a->errors == b->errors && a->have == b->have &&
	    a->first_pts == b->first_pts &&
	    a->first_pts_sample == b->first_pts_sample &&
	    a->first_ntp == b->first_ntp &&
	    a->first_ntp_sample == b->first_ntp_sample;
}

/* The same summary however the input is cut. */
static int
splits_agree(const uint8_t *b, size_t n)
{
	static const size_t steps[] = { 1, 2, 3, 7, 10, 129, 1000, 4097,
	    8201, 9000 };
	struct sp_adts_info all;
	size_t i;

	parse(b, n, 0);
	all = P.info;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		parse(b, n, steps[i]);
		if (!same(&all, &P.info) || !accounted(n))
			return 0;
	}
	return 1;
}

/*
 * An ADTS frame of len bytes, header included; raw is the number of raw
 * data blocks minus one.  The payload holds no byte that starts an item.
 */
static void
frame(unsigned mpeg2, unsigned crc, unsigned profile, unsigned sr,
    unsigned ch, unsigned len, unsigned raw)
{
	size_t i, hl = crc ? 9 + 2 * raw : 7;

	putc8(0xFF);
	putc8(0xF0 | mpeg2 << 3 | !crc);
	putc8(profile << 6 | sr << 2 | ch >> 2);
	putc8((ch & 3) << 6 | len >> 11);
	putc8((len >> 3) & 0xFF);
	putc8((len & 7) << 5 | 0x1F);
	putc8(0xFC | raw);
	for (i = 7; i < len; i++)
		putc8(i < hl ? 0 : 0x11 + i % 64);
}

/* LC, 48 kHz, stereo, no CRC, one block. */
static void
lc(unsigned len)
{
	frame(0, 0, 1, 3, 2, len, 0);
}

/* An ID3v2.<v> tag header with a body of size bytes. */
static void
id3(unsigned v, unsigned flags, uint32_t size)
{
	put("ID3", 3);
	putc8(v);
	putc8(0);
	putc8(flags);
	syncsafe(size);
}

/* A frame header: v2.4 sizes are syncsafe, v2.3 plain. */
static void
fhdr(unsigned v, const char *id, uint32_t size, unsigned flags)
{
	put(id, 4);
	if (v == 4)
		syncsafe(size);
	else
		be32(size);
	putc8(0);
	putc8(flags);
}

#define PTS_OWNER "com.apple.streaming.transportStreamTimestamp"

/* The 73-byte tag that opens each Spaces chunk. */
static void
priv(uint64_t pts)
{
	int i;

	id3(4, 0, 63);
	fhdr(4, "PRIV", 53, 0);
	put(PTS_OWNER, sizeof(PTS_OWNER));
	for (i = 7; i >= 0; i--)
		putc8(pts >> (8 * i) & 0xFF);
}

static uint8_t *
slurp(const char *name, size_t *n)
{
	char path[1024];
	const char *top = getenv("TOP");
	uint8_t *b;
	FILE *fp;
	long len;

	snprintf(path, sizeof(path), "%s/tests/data/aac/%s",
	    top != NULL ? top : ".", name);
	if ((fp = fopen(path, "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		printf("# cannot open %s\n", path);
		exit(1);
	}
	b = malloc((size_t)len + 1);
	if (b == NULL || fread(b, 1, (size_t)len, fp) != (size_t)len)
		exit(1);
	fclose(fp);
	*n = (size_t)len;
	return b;
}

static void
fixtures(void)
{
	uint8_t *b, *speech;
	size_t n, sn;

	/*
	 * The oracle: ffprobe -v error -count_frames -show_entries
	 * stream=nb_read_frames,sample_rate,channels F (ffmpeg 5.1.9), and
	 * the sample count of ffmpeg -i F -f s16le - (bytes / 2 / channels):
	 * speech-3s.aac 142 frames, 581632 bytes = 145408 samples, 48000 Hz,
	 * 2 ch; mono-44k.aac and crc.aac 45 frames, 92160 bytes = 46080
	 * samples, 44100 Hz, 1 ch; space-chunks.aac 142 frames, 581632 bytes.
	 */
	speech = slurp("speech-3s.aac", &sn);
	T_INT(parse(speech, sn, 0), 0);
	T_INT(P.info.frames, 142);
	T_INT(P.info.samples, 145408);
	T_INT(P.info.sample_rate, 48000);
	T_INT(P.info.channels, 2);
	T_INT(P.info.profile + 1, 2);		/* AAC LC */
	T_INT(P.info.mpeg2, 0);
	T_DBL(P.info.duration, 145408 / 48000.0, 0);
	T_INT(P.info.audio_bytes, sn);
	T_INT(P.info.errors, 0);
	T_INT(P.info.crc_frames, 0);
	T_OK(accounted(sn));
	T_OK(splits_agree(speech, sn));
	T_STR(P.err, "");

	b = slurp("mono-44k.aac", &n);
	T_INT(parse(b, n, 0), 0);
	T_INT(P.info.frames, 45);
	T_INT(P.info.samples, 46080);
	T_INT(P.info.sample_rate, 44100);
	T_INT(P.info.channels, 1);
	T_DBL(P.info.duration, 46080 / 44100.0, 0);
	T_INT(P.info.errors, 0);
	T_OK(splits_agree(b, n));
	free(b);

	b = slurp("crc.aac", &n);
	T_INT(parse(b, n, 0), 0);
	T_INT(P.info.frames, 45);
	T_INT(P.info.crc_frames, 45);
	T_INT(P.info.samples, 46080);
	T_INT(P.info.errors, 0);
	T_INT(P.info.audio_bytes, n);
	T_OK(splits_agree(b, n));
	free(b);

	/* Two chunks; 20 junk bytes before the second; Hydra tags. */
	b = slurp("space-chunks.aac", &n);
	T_INT(parse(b, n, 0), 0);
	T_INT(P.info.frames, 142);
	T_INT(P.info.samples, 145408);
	T_INT(P.info.audio_bytes, sn);
	T_INT(P.info.id3_tags, 3);
	T_INT(P.info.id3_bytes, 73 + 159 + 73);
	T_INT(P.info.junk_bytes, 20);
	T_INT(P.info.lead_junk, 0);
	T_INT(P.info.errors, SP_ADTS_EJUNK);
	T_STR(P.err, "junk at byte 17489");
	T_OK(accounted(n));
	T_INT(P.info.first_pts, 0x1C9DDE382);
	T_INT(P.info.first_pts_sample, 0);
	T_DBL(P.info.first_ntp, 3856965984.391, 0);
	T_INT(P.info.first_ntp_sample, 10 * 1024);
	T_INT(P.info.have, SP_ID3_PTS | SP_ID3_TIT3_NTP | SP_ID3_JSON_NTP);
	T_INT(S.ntags, 3);
	T_INT(S.tags[0].offset, 0);
	T_INT(S.tags[0].size, 73);
	T_INT(S.tags[0].have, SP_ID3_PTS);
	T_INT(S.tags[1].offset, 2565);
	T_INT(S.tags[1].size, 159);
	T_INT(S.tags[1].version, 4);
	T_INT(S.tags[1].have, SP_ID3_TIT3 | SP_ID3_TIT3_NTP | SP_ID3_JSON |
	    SP_ID3_JSON_NTP | SP_ID3_PARTICIPANTS | SP_ID3_AUDIO_LEVEL);
	T_STR(S.tags[1].tit3, "3856965984.391");
	T_DBL(S.tags[1].tit3_ntp, 3856965984.391, 0);
	T_STR(S.tags[1].json, "{\"HydraVersion\":4,\"ntp\":3856965984.391}");
	T_DBL(S.tags[1].json_ntp, 3856965984.391, 0);
	T_STR(S.tags[1].participants, "[]");
	T_STR(S.tags[1].audio_level, "[0]");
	T_INT(S.tags[2].offset, 17489 + 20);
	T_INT(S.tags[2].pts, 0x1C9DDE382 + 71 * 1920);
	T_INT(S.tags[2].sample, 71 * 1024);
	T_OK(splits_agree(b, n));
	free(b);

	/* The same file fed a byte at a time: the same tags. */
	b = slurp("space-chunks.aac", &n);
	T_INT(parse(b, n, 1), 0);
	T_INT(S.ntags, 3);
	T_STR(S.tags[1].json, "{\"HydraVersion\":4,\"ntp\":3856965984.391}");
	T_INT(S.tags[2].pts, 0x1C9DDE382 + 71 * 1920);

	/* A truncated last frame: detected, not counted. */
	T_INT(parse(b, n - 100, 0), 0);
	T_INT(P.info.frames, 141);
	T_OK(P.info.errors & SP_ADTS_ETRUNC);
	T_OK(P.info.trunc_bytes > 0 && P.info.trunc_bytes < 8192);
	T_OK(accounted(n - 100));
	T_OK(splits_agree(b, n - 100));
	/* Cut inside the header of the last frame, too. */
	parse(speech, sn, 0);
	n = S.last_off + 3;
	T_INT(parse(speech, n, 0), 0);
	T_INT(P.info.frames, 141);
	T_INT(P.info.trunc_bytes, 3);
	T_INT(P.info.errors, SP_ADTS_ETRUNC);
	T_OK(accounted(n));
	free(b);
	free(speech);
}

static void
rates(void)
{
	static const unsigned hz[] = { 96000, 88200, 64000, 48000, 44100,
	    32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350 };
	struct sp_adts_frame f;
	unsigned sr, i;
	int ok;

	/* Every sampling_frequency_index, 3 frames each. */
	for (sr = 0, ok = 1; sr < 13; sr++) {
		BN = 0;
		for (i = 0; i < 3; i++)
			frame(0, 0, 1, sr, 2, 100 + i, 0);
		if (parse(B, BN, 0) != 0 || P.info.frames != 3 ||
		    P.info.sample_rate != hz[sr] || P.info.sr_index != sr ||
		    P.info.duration != 3072.0 / hz[sr] || P.info.errors != 0 ||
		    sp_adts_rate(sr) != hz[sr]) {
			printf("# sampling_frequency_index %u\n", sr);
			ok = 0;
		}
	}
	T_OK(ok);
	/* 13-15 are reserved: not a header. */
	for (sr = 13, ok = 1; sr < 16; sr++) {
		BN = 0;
		frame(0, 0, 1, sr, 2, 100, 0);
		if (sp_adts_header(B, BN, &f) != -1 || sp_adts_rate(sr) != 0)
			ok = 0;
	}
	T_OK(ok);

	/* Every channel_configuration; 7 means 8 channels. */
	for (i = 0, ok = 1; i < 8; i++) {
		BN = 0;
		frame(0, 0, 1, 3, i, 50, 0);
		frame(0, 0, 1, 3, i, 50, 0);
		if (parse(B, BN, 0) != 0 || P.info.chan_config != i ||
		    P.info.channels != (i == 7 ? 8 : i) || P.info.frames != 2)
			ok = 0;
	}
	T_OK(ok);
}

static void
headers(void)
{
	struct sp_adts_frame f;
	size_t total;

	/* The header from x-formats §3.9, frame_length 0x1F. */
	static const uint8_t h[] = { 0xFF, 0xF1, 0x4C, 0x80, 0x03, 0xFF, 0xFC };
	T_INT(sp_adts_header(h, 7, &f), 0);
	T_INT(f.profile, 1);
	T_INT(f.sample_rate, 48000);
	T_INT(f.channels, 2);
	T_INT(f.length, 31);
	T_INT(f.fullness, 0x7FF);
	T_INT(f.header_len, 7);
	T_INT(f.crc, 0);
	T_INT(f.blocks, 1);
	T_INT(sp_adts_header(h, 6, &f), -1);

	/* MPEG-2, Main, CRC, 4 raw blocks: header 9 + 2 * 3 bytes. */
	BN = 0;
	frame(1, 1, 0, 4, 1, 400, 3);
	T_INT(sp_adts_header(B, BN, &f), 0);
	T_INT(f.mpeg2, 1);
	T_INT(f.crc, 1);
	T_INT(f.profile, 0);
	T_INT(f.blocks, 4);
	T_INT(f.samples, 4096);
	T_INT(f.header_len, 15);

	/* frame_length must cover the header. */
	BN = 0;
	frame(0, 0, 1, 3, 2, 7, 0);
	T_INT(sp_adts_header(B, BN, &f), 0);
	BN = 0;
	frame(0, 0, 1, 3, 2, 6, 0);
	T_INT(sp_adts_header(B, 7, &f), -1);
	BN = 0;
	frame(0, 1, 1, 3, 2, 9, 0);
	T_INT(sp_adts_header(B, BN, &f), 0);
	B[5] = (8 & 7) << 5 | 0x1F;		/* frame_length 8 < 9 */
	T_INT(sp_adts_header(B, 7, &f), -1);
	BN = 0;
	frame(0, 1, 1, 3, 2, 14, 3);		/* needs 15 */
	T_INT(sp_adts_header(B, 7, &f), -1);

	/* Layer must be 0. */
	BN = 0;
	lc(100);
	B[1] |= 2;
	T_INT(sp_adts_header(B, 7, &f), -1);

	/* ID3 tag headers: versions, flags, syncsafe sizes, footer. */
	T_INT(sp_id3_size((const uint8_t *)"ID3\4\0\0\0\0\0\77", 10, &total),
	    0);
	T_INT(total, 73);
	T_INT(sp_id3_size((const uint8_t *)"ID3\4\0\20\0\0\2\1", 10, &total),
	    0);
	T_INT(total, 10 + 257 + 10);
	T_INT(sp_id3_size((const uint8_t *)"ID3\3\0\20\0\0\2\1", 10, &total),
	    -1);			/* no footer flag in v2.3 */
	T_INT(sp_id3_size((const uint8_t *)"ID3\3\0\200\1\0\0\0", 10,
	    &total), 0);
	T_INT(total, 10 + (1 << 21));
	T_INT(sp_id3_size((const uint8_t *)"ID3\2\0\0\0\0\0\0", 10, &total),
	    0);
	T_INT(sp_id3_size((const uint8_t *)"ID3\4\0\0\0\0\200\0", 10,
	    &total), -1);		/* not syncsafe */
	T_INT(sp_id3_size((const uint8_t *)"ID3\5\0\0\0\0\0\0", 10, &total),
	    -1);
	T_INT(sp_id3_size((const uint8_t *)"ID3\4\377\0\0\0\0\0", 10,
	    &total), -1);
	T_INT(sp_id3_size((const uint8_t *)"ID3\4\0\0\0\0\0", 9, &total), -1);
}

static void
blocks(void)
{
	/* 4 raw blocks per frame (CRC and not): 4096 samples each. */
	BN = 0;
	frame(0, 0, 1, 3, 2, 300, 3);
	frame(0, 1, 1, 3, 2, 300, 3);
	frame(0, 1, 1, 3, 2, 300, 1);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 3);
	T_INT(P.info.samples, 4096 + 4096 + 2048);
	T_INT(P.info.crc_frames, 2);
	T_DBL(P.info.duration, 10240 / 48000.0, 0);
	T_INT(P.info.errors, 0);
	T_OK(accounted(BN));
	T_OK(splits_agree(B, BN));
}

/* Tags built in place: open, add frames, close to fill in the sizes. */
static size_t tagpos, frpos;
static unsigned tagv;

static void
tag_open(unsigned v)
{
	tagpos = BN;
	tagv = v;
	BN += 10;
}

static void
tag_close(unsigned flags)
{
	uint32_t size = BN - tagpos - 10;

	memcpy(B + tagpos, "ID3", 3);
	B[tagpos + 3] = tagv;
	B[tagpos + 4] = 0;
	B[tagpos + 5] = flags;
	syncsafe_at(tagpos + 6, size);
	if (flags & 0x10) {
		put("3DI\4\0", 5);
		putc8(flags);
		syncsafe(size);
	}
}

static void
fr_open(const char *id)
{
	frpos = BN;
	memcpy(B + BN, id, 4);
	BN += 10;
}

static void
fr_close(unsigned flags)
{
	uint32_t size = BN - frpos - 10;

	if (tagv == 4)
		syncsafe_at(frpos + 4, size);
	else {
		B[frpos + 4] = size >> 24;
		B[frpos + 5] = size >> 16 & 0xFF;
		B[frpos + 6] = size >> 8 & 0xFF;
		B[frpos + 7] = size & 0xFF;
	}
	B[frpos + 8] = 0;
	B[frpos + 9] = flags;
}

static void
puts8(const char *s)
{
	put(s, strlen(s));
}

/* ASCII s as UTF-16, little-endian or not, with a BOM or not, and NUL. */
static void
u16(const char *s, int le, int bom, int nul)
{
	if (bom)
		put(le ? "\377\376" : "\376\377", 2);
	for (; *s != '\0' || nul-- > 0; s += *s != '\0') {
		putc8(le ? (uint8_t)*s : 0);
		putc8(le ? 0 : (uint8_t)*s);
	}
}

static void
tags(void)
{
	size_t n;

	/* Tags at the start, between frames and at the end, with a footer. */
	BN = 0;
	priv(12345);
	lc(200);
	tag_open(4);
	fr_open("TXXX");
	putc8(3);
	put("HydraAudioLevel\0[46]", 20);
	memset(B + BN, 0, 269);			/* frame 290: syncsafe 2 34 */
	BN += 269;
	fr_close(0);
	tag_close(0x10);
	lc(200);
	lc(210);
	tag_open(3);				/* v2.3: plain frame sizes */
	fr_open("TIT3");
	putc8(0);
	puts8("3856965984.5");
	memset(B + BN, ' ', 137);		/* 150 = 0x96: not syncsafe */
	BN += 137;
	fr_close(0);
	memset(B + BN, 0, 40);			/* padding */
	BN += 40;
	tag_close(0);
	n = BN;
	T_INT(B[273 + 10 + 6], 2);		/* the sizes written above */
	T_INT(B[273 + 10 + 7], 34);
	T_INT(B[273 + 320 + 410 + 10 + 7], 0x96);
	T_INT(parse(B, n, 0), 0);
	T_INT(P.info.frames, 3);
	T_INT(P.info.id3_tags, 3);
	T_INT(P.info.id3_bytes, 73 + 320 + 210);
	T_INT(P.info.errors, 0);
	T_INT(P.info.lead_junk + P.info.junk_bytes, 0);
	T_OK(accounted(n));
	T_INT(S.tags[0].pts, 12345);
	T_INT(S.tags[1].offset, 273);
	T_INT(S.tags[1].size, 320);
	T_INT(S.tags[1].sample, 1024);
	T_STR(S.tags[1].audio_level, "[46]");
	T_INT(S.tags[1].have, SP_ID3_AUDIO_LEVEL);
	T_INT(S.tags[2].version, 3);
	T_INT(S.tags[2].sample, 3072);
	/* TIT3 with trailing blanks is text, not a number. */
	T_INT(S.tags[2].have, SP_ID3_TIT3);
	T_INT(P.info.have, SP_ID3_PTS);
	T_OK(splits_agree(B, n));

	/* An ID3v1 trailer at the very end. */
	memset(B + BN, 'x', 128);
	memcpy(B + BN, "TAG", 3);
	BN += 128;
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.id3v1_bytes, 128);
	T_INT(P.info.errors, 0);
	T_OK(accounted(BN));
	T_OK(splits_agree(B, BN));
	/* Not at the very end: junk. */
	putc8('x');
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.id3v1_bytes, 0);
	T_INT(P.info.junk_bytes, 129);
	T_INT(P.info.errors, SP_ADTS_EJUNK);
	T_OK(splits_agree(B, BN));

	/* A tag whose size runs past the end. */
	BN = 0;
	lc(100);
	lc(100);
	id3(4, 0, 5000);
	fhdr(4, "TIT3", 5, 0);
	put("\0003.25", 5);
	memset(B + BN, 0, 100);
	BN += 100;
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 2);
	T_INT(P.info.id3_tags, 0);
	T_INT(P.info.errors, SP_ADTS_ETRUNCTAG);
	T_INT(P.info.trunc_bytes, 10 + 15 + 100);
	T_INT(P.info.have, 0);
	T_STR(P.err, "the ID3 tag at byte 200 is cut short by the end");
	T_OK(accounted(BN));
	T_OK(splits_agree(B, BN));
	/* Cut inside its header. */
	T_INT(parse(B, 200 + 6, 0), 0);
	T_INT(P.info.errors, SP_ADTS_ETRUNCTAG);
	T_INT(P.info.trunc_bytes, 6);

	/* Text encodings: Latin-1, UTF-16 with BOMs, UTF-16BE, bad UTF-8. */
	BN = 0;
	tag_open(4);
	fr_open("TIT3");			/* Latin-1; the first string */
	put("\0\3411.5\0xx", 8);
	fr_close(0);
	fr_open("TXXX");			/* UTF-16, LE then BE */
	putc8(1);
	u16("JSONMetadata", 1, 1, 1);
	u16("{}", 0, 1, 1);
	put("\330\75\336\0", 4);		/* after the NUL: not read */
	fr_close(0);
	fr_open("TXXX");			/* UTF-16BE, no BOM */
	putc8(2);
	u16("HydraA", 0, 0, 1);
	u16("[1]", 0, 0, 0);
	fr_close(0);
	fr_open("TXXX");			/* malformed UTF-8 */
	putc8(3);
	put("HydraParticipants\0\300\355\240\200\342\202\254", 25);
	fr_close(0);
	tag_close(0);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_STR(S.tags[0].tit3, "\303\2411.5");
	T_STR(S.tags[0].json, "{}");
	T_STR(S.tags[0].audio_level, "");	/* description HydraA: no */
	T_STR(S.tags[0].participants,
	    "\357\277\275\357\277\275\357\277\275\357\277\275\342\202\254");
	T_INT(S.tags[0].have, SP_ID3_TIT3 | SP_ID3_JSON | SP_ID3_PARTICIPANTS);
	T_INT(P.info.errors, 0);

	/* A surrogate pair; v2.4 unsynchronisation and a data length. */
	BN = 0;
	tag_open(4);
	fr_open("TXXX");
	putc8(2);
	u16("HydraAudioLevel", 0, 0, 1);
	put("\330\75\336\0\0!", 6);		/* U+1F600, "!" */
	fr_close(0);
	fr_open("TIT3");
	put("\0\0\0\7", 4);			/* data length indicator */
	put("\0007.\377\0000\377\000", 8);	/* "7.\xff0\xff" unsynced */
	fr_close(0x03);
	tag_close(0);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_STR(S.tags[0].audio_level, "\360\237\230\200!");
	T_STR(S.tags[0].tit3, "7.\303\2770\303\277");
	T_INT(S.tags[0].have, SP_ID3_AUDIO_LEVEL | SP_ID3_TIT3);
	T_INT(P.info.errors, 0);
	/* A v2.4 tag-wide unsynchronisation flag means the same. */
	B[5] = 0x80;
	B[frpos + 9] = 0x01;			/* the TIT3 frame's flags */
	T_INT(parse(B, BN, 0), 0);
	T_STR(S.tags[0].tit3, "7.\303\2770\303\277");

	/* JSONMetadata's ntp when there is no TIT3; a long text is cut. */
	BN = 0;
	tag_open(4);
	put("\0\0\0\6\1\0", 6);			/* extended header */
	fr_open("TXXX");
	put("\3JSONMetadata\0{\"ntp\":123.25} ", 29);
	fr_close(0);
	fr_open("TXXX");
	put("\0HydraParticipants\0", 19);
	memset(B + BN, 'p', 5000);
	BN += 5000;
	fr_close(0);
	tag_close(0x40);
	lc(100);
	priv(7);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_INT(S.tags[0].have, SP_ID3_JSON | SP_ID3_JSON_NTP |
	    SP_ID3_PARTICIPANTS | SP_ID3_CUT);
	T_DBL(S.tags[0].json_ntp, 123.25, 0);
	T_INT(strlen(S.tags[0].participants), SP_ID3_TEXTMAX - 19);
	T_INT(P.info.have, SP_ID3_JSON_NTP | SP_ID3_PTS);
	T_DBL(P.info.first_ntp, 123.25, 0);
	T_INT(P.info.first_ntp_sample, 0);
	T_INT(P.info.first_pts, 7);
	T_INT(P.info.first_pts_sample, 1024);
	T_INT(P.info.errors, 0);
	T_OK(splits_agree(B, BN));
	/* The same in v2.3: its extended header size leaves itself out. */
	BN = 0;
	tag_open(3);
	put("\0\0\0\6\0\0\0\0\0\0", 10);
	fr_open("TXXX");
	put("\0JSONMetadata\0{\"ntp\":1}", 23);
	fr_close(0);
	fr_open("PRIV");			/* another owner: ignored */
	put("com.example\0\0\0\0\0\0\0\0\1", 20);
	fr_close(0);
	tag_close(0x40);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_INT(S.tags[0].have, SP_ID3_JSON | SP_ID3_JSON_NTP);
	T_DBL(S.tags[0].json_ntp, 1, 0);
	T_INT(P.info.errors, 0);
	/* Compressed and encrypted frames are not read. */
	B[20 + 9] = 0x80;
	T_INT(parse(B, BN, 0), 0);
	T_INT(S.tags[0].have, 0);
	T_INT(P.info.errors, 0);

	/* Malformed frames inside a tag: skipped whole, flagged. */
	BN = 0;
	id3(4, 0, 30);
	fhdr(4, "TIT3", 100, 0);		/* larger than the tag */
	memset(B + BN, 0x20, 20);
	BN += 20;
	lc(100);
	id3(4, 0, 20);
	put("ti t", 4);				/* not a frame id */
	memset(B + BN, 0x20, 16);
	BN += 16;
	lc(100);
	id3(4, 0, 20);
	put("TIT3\0\0\0\200\0\0", 10);		/* not syncsafe */
	memset(B + BN, 0x20, 10);
	BN += 10;
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 3);
	T_INT(P.info.id3_tags, 3);
	T_INT(P.info.errors, SP_ADTS_EBADTAG);
	T_STR(P.err, "the ID3 tag at byte 0 is malformed");
	T_OK(accounted(BN));
	T_OK(splits_agree(B, BN));

	/* v2.2, and v2.3 with unsynchronisation: skipped whole. */
	BN = 0;
	id3(2, 0, 20);
	put("TT2\0\0\5\0abcd", 11);
	memset(B + BN, 0, 9);
	BN += 9;
	lc(100);
	id3(3, 0x80, 20);
	fhdr(3, "TIT3", 10, 0);
	put("\0001.0000000", 10);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.id3_tags, 2);
	T_INT(P.info.have, 0);
	T_INT(P.info.errors, 0);
	T_INT(S.tags[0].version, 2);
	T_OK(accounted(BN));
}

/* Less travelled paths of the frame and tag readers. */
static void
edges(void)
{
	size_t i;

	/* A frame then the ID3v1 trailer; a frame then "TA" at the end. */
	BN = 0;
	lc(100);
	lc(100);
	memset(B + BN, 0, 128);
	memcpy(B + BN, "TAG", 3);
	BN += 128;
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 2);
	T_INT(P.info.id3v1_bytes, 128);
	T_OK(splits_agree(B, BN));
	T_INT(parse(B, 202, 0), 0);
	T_INT(P.info.frames, 2);
	T_INT(P.info.junk_bytes, 2);
	T_INT(P.info.errors, SP_ADTS_EJUNK);

	/* A chunk cut mid-frame and the next one starting with a frame. */
	BN = 0;
	lc(300);
	lc(300);
	BN -= 100;
	lc(250);
	lc(250);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 3);
	T_INT(P.info.junk_bytes, 200);
	T_OK(splits_agree(B, BN));
	/* A whole frame followed by junk is kept. */
	BN = 0;
	lc(300);
	lc(300);
	put("junk", 4);
	lc(250);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 3);
	T_INT(P.info.junk_bytes, 4);
	T_INT(P.info.errors, SP_ADTS_EJUNK);
	T_OK(splits_agree(B, BN));

	/* UTF-8 of every length, overlong and cut forms; unknown TXXX. */
	BN = 0;
	tag_open(4);
	fr_open("TIT3");
	put("\3a\303\251\342\202\254\360\237\230\200\300\257\340\200\257"
	    "\364\220\200\200\342\202", 22);
	fr_close(0);
	fr_open("TIT3");			/* a second one: not read */
	put("\0x", 2);
	fr_close(0);
	fr_open("TXXX");
	put("\0Other\0x", 8);
	fr_close(0);
	fr_open("TXXX");			/* not JSON */
	put("\0JSONMetadata\0{ntp", 18);
	fr_close(0);
	fr_open("TXXX");			/* bad encoding byte */
	put("\4HydraAudioLevel\0[1]", 20);
	fr_close(0);
	fr_open("TXXX");			/* a description too long */
	putc8(0);
	for (i = 0; i < 70; i++)
		putc8('d');
	put("\0[1]", 4);
	fr_close(0);
	fr_open("TIT2");			/* a frame we do not read */
	put("\0title", 6);
	fr_close(0);
	tag_close(0);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_STR(S.tags[0].tit3, "a\303\251\342\202\254\360\237\230\200"
	    "\357\277\275\357\277\275"			/* C0 AF */
	    "\357\277\275\357\277\275\357\277\275"	/* E0 80 AF */
	    "\357\277\275\357\277\275\357\277\275\357\277\275" /* F4 90 80 80 */
	    "\357\277\275\357\277\275");		/* E2 82, cut */
	T_STR(S.tags[0].json, "{ntp");
	T_INT(S.tags[0].have, SP_ID3_TIT3 | SP_ID3_JSON);
	T_INT(P.info.errors, 0);

	/* Latin-1 that grows past the limit in UTF-8 is cut. */
	BN = 0;
	tag_open(4);
	fr_open("TIT3");
	putc8(0);
	memset(B + BN, 0xE9, 3000);
	BN += 3000;
	fr_close(0);
	tag_close(0);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_INT(strlen(S.tags[0].tit3), SP_ID3_TEXTMAX - 2);
	T_INT(S.tags[0].have, SP_ID3_TIT3 | SP_ID3_CUT);

	/* Extended headers too large or not syncsafe; a compressed frame. */
	BN = 0;
	id3(4, 0x40, 20);
	put("\0\0\1\0", 4);
	memset(B + BN, 0, 16);
	BN += 16;
	lc(100);
	id3(4, 0x40, 20);
	put("\0\0\0\200", 4);
	memset(B + BN, 0, 16);
	BN += 16;
	lc(100);
	id3(4, 0x40, 3);
	put("abc", 3);
	lc(100);
	tag_open(4);
	fr_open("TIT3");
	put("\0001.5", 4);
	fr_close(0x08);
	tag_close(0);
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 4);
	T_INT(P.info.id3_tags, 4);
	T_INT(P.info.have, 0);
	T_INT(P.info.errors, SP_ADTS_EBADTAG);
	T_OK(accounted(BN));
	T_OK(splits_agree(B, BN));
}

static void
junk(void)
{
	size_t i;

	/* Junk before the first sync, with false syncs in it. */
	BN = 0;
	put("\377\361junk ID3 TAG \377", 16);
	frame(0, 0, 1, 3, 2, 60, 0);		/* a valid header... */
	put("not followed by a frame", 23);	/* ...but nothing after */
	for (i = 0; i < 5; i++)
		lc(100 + i);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 5);
	T_INT(P.info.lead_junk, 16 + 60 + 23);
	T_INT(P.info.junk_bytes, 16 + 60 + 23);
	T_INT(P.info.errors, 0);
	T_OK(accounted(BN));
	T_OK(splits_agree(B, BN));

	/* A chunk cut mid-frame, then the next chunk: resync at its tag. */
	BN = 0;
	priv(1);
	lc(300);
	lc(300);
	BN -= 150;
	priv(2);
	lc(300);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 2);
	T_INT(P.info.id3_tags, 2);
	T_INT(P.info.junk_bytes, 150);
	T_INT(P.info.errors, SP_ADTS_EJUNK);
	T_STR(P.err, "junk at byte 373");
	T_INT(S.tags[1].pts, 2);
	T_OK(splits_agree(B, BN));

	/* Garbage only: an error, not a crash. */
	for (i = 0; i < 5000; i++)
		B[i] = (uint8_t)(i * 2654435761u >> 13);
	T_INT(parse(B, 5000, 0), -1);
	T_OK(P.info.errors & SP_ADTS_ENOFRAME);
	T_STR(P.err, "no ADTS frame found");
	T_INT(P.info.frames, 0);
	T_OK(accounted(5000));
	T_OK(splits_agree(B, 5000));
	T_INT(parse(B, 0, 0), -1);
	T_INT(P.info.bytes, 0);
	T_INT(sp_adts_feed(&P, B, 1), -1);	/* after the end */

	/* A lone truncated frame; and a frame then three header bytes. */
	BN = 0;
	lc(100);
	T_INT(parse(B, 50, 0), -1);
	T_INT(P.info.trunc_bytes, 50);
	T_INT(P.info.errors, SP_ADTS_ETRUNC | SP_ADTS_ENOFRAME);
	T_INT(parse(B, 3, 0), -1);
	T_INT(P.info.trunc_bytes, 3);
	lc(100);
	T_INT(parse(B, 103, 0), 0);
	T_INT(P.info.frames, 1);
	T_INT(P.info.trunc_bytes, 3);
	T_INT(P.info.errors, SP_ADTS_ETRUNC);
	T_OK(splits_agree(B, 103));

	/* A change of rate and channels is counted, not hidden. */
	BN = 0;
	lc(100);
	lc(100);
	frame(0, 0, 1, 4, 1, 100, 0);		/* 44.1 kHz mono */
	lc(100);
	T_INT(parse(B, BN, 0), 0);
	T_INT(P.info.frames, 4);
	T_INT(P.info.changes, 2);
	T_INT(P.info.errors, SP_ADTS_ECHANGE);
	T_INT(P.info.sample_rate, 48000);
	T_DBL(P.info.duration, 2048 / 48000.0 + 1024 / 44100.0 +
	    1024 / 48000.0, 1e-12);
	T_STR(P.err, "the audio format changes at byte 200");
	T_OK(splits_agree(B, BN));
}

int
main(void)
{
	fixtures();
	rates();
	headers();
	blocks();
	tags();
	edges();
	junk();
	return t_done();
}
