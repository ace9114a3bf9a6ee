/* t_id3r: the ID3v2/ID3v1 reader and the MP3 info frame. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "chapters.h"
#include "id3r.h"
#include "id3w.h"
#include "t.h"
#include "tbuf.h"

/* A tag under construction, in tbuf.h's B. */
static size_t tagpos;
static unsigned tagv;
static struct sp_id3r T;

/* An ID3v2.<v> tag; tag_close fills in its size. */
static void
tag_open(unsigned v, unsigned flags)
{
	BN = 0;
	tagpos = BN;
	tagv = v;
	put("ID3", 3);
	putc8(v);
	putc8(0);
	putc8(flags);
	BN += 4;
}

static void
tag_close(void)
{
	syncsafe_at(tagpos + 6, (uint32_t)(BN - tagpos - 10));
}

/* A frame header; fr_close fills in the size (plain: v2.4 as be32). */
static size_t frpos;
static int plain;

static void
fr_open(const char *id, unsigned flags)
{
	frpos = BN;
	put(id, strlen(id));
	BN += tagv == 2 ? 3 : 4;
	if (tagv > 2) {
		putc8(0);
		putc8(flags);
	}
}

static void
fr_close(void)
{
	size_t hl = tagv == 2 ? 6 : 10;
	uint32_t n = (uint32_t)(BN - frpos - hl);

	if (tagv == 2) {
		B[frpos + 3] = n >> 16 & 0xFF;
		B[frpos + 4] = n >> 8 & 0xFF;
		B[frpos + 5] = n & 0xFF;
	} else if (tagv == 3 || plain)
		be32_at(frpos + 4, n);
	else
		syncsafe_at(frpos + 4, n);
}

/* A text frame: an encoding byte, then n bytes. */
static void
text(const char *id, unsigned enc, const void *s, size_t n)
{
	fr_open(id, 0);
	putc8(enc);
	put(s, n);
	fr_close();
}

#define TEXT(id, s)	text(id, 3, s, sizeof(s) - 1)

static int
parse(void)
{
	sp_id3r_release(&T);
	return sp_id3r_parse(&T, B, BN);
}

static const char *
get(const char *k)
{
	const char *v = sp_id3r_get(&T, k);

	return v ? v : "(none)";
}

static void
basics(void)
{
	static const uint8_t h[10] = { 'I', 'D', '3', 4, 0, 0x10, 0, 0, 1, 1 };
	uint8_t b[10];
	uint8_t u[] = { 1, 0xFF, 0, 0xE0, 0xFF, 0, 0, 0xFF };
	char out[64];
	size_t total = 0;
	int full = 0;

	/* Header: size 129 + 10, and 10 more for the v2.4 footer. */
	T_INT(sp_id3_size(h, 10, &total), 0);
	T_INT(total, 149);
	memcpy(b, h, 10);
	b[5] = 0;
	T_INT(sp_id3_size(b, 10, &total), 0);
	T_INT(total, 139);
	T_INT(sp_id3_size(h, 9, &total), -1);
	b[3] = 5;
	T_INT(sp_id3_size(b, 10, &total), -1);	/* v2.5 */
	b[3] = 3;
	b[5] = 0x10;				/* undefined in v2.3 */
	T_INT(sp_id3_size(b, 10, &total), -1);
	b[5] = 0;
	b[8] = 0x80;				/* not syncsafe */
	T_INT(sp_id3_size(b, 10, &total), -1);
	T_INT(sp_id3_syncsafe((const uint8_t *)"\x7f\x7f\x7f\x7f"),
	    (1 << 28) - 1);

	/* FF 00 was written for FF; a lone FF and a final FF stay. */
	T_INT(sp_id3_unsync(u, sizeof(u)), 6);
	T_OK(memcmp(u, "\x01\xff\xe0\xff\x00\xff", 6) == 0);

	/* The four encodings, and what each call uses. */
	T_INT(sp_id3_text(0, (const uint8_t *)"Caf\xe9\0x", 6, out,
	    sizeof(out), &full), 5);
	T_STR(out, "Caf\xc3\xa9");
	T_INT(sp_id3_text(1, (const uint8_t *)"\xff\xfeH\0i\0\0\0z", 9, out,
	    sizeof(out), &full), 8);
	T_STR(out, "Hi");
	/* U+1D11E as a surrogate pair, big-endian after a BOM. */
	T_INT(sp_id3_text(1, (const uint8_t *)"\xfe\xff\xd8\x34\xdd\x1e", 6,
	    out, sizeof(out), &full), 6);
	T_STR(out, "\xf0\x9d\x84\x9e");
	/* A lone surrogate, and UTF-16BE without a BOM. */
	T_INT(sp_id3_text(2, (const uint8_t *)"\xdc\x00\0A", 4, out,
	    sizeof(out), &full), 4);
	T_STR(out, "\xef\xbf\xbd" "A");
	/* Bad UTF-8 is U+FFFD, a byte at a time. */
	T_INT(sp_id3_text(3, (const uint8_t *)"a\xc3(\xe2\x82\xac", 6, out,
	    sizeof(out), &full), 6);
	T_STR(out, "a\xef\xbf\xbd(\xe2\x82\xac");
	T_INT(full, 0);
	/* Cut at a character: 3 bytes of room hold "a", not the euro sign. */
	T_INT(sp_id3_text(3, (const uint8_t *)"a\xe2\x82\xac", 4, out, 3,
	    &full), 4);
	T_STR(out, "a");
	T_INT(full, 1);
}

/* What we write, we read back. */
static void
roundtrip(void)
{
	struct sp_id3w_tags w = { "Episode 1", "Host", "Show", "Notes",
	    "2024-05-01" };
	struct sp_chapters c;
	unsigned char *tag;
	size_t n;

	sp_chapters_init(&c);
	sp_chapters_add(&c, 0, "Opening", NULL);
	sp_chapters_add(&c, 14, "The news", "https://example.com/n");
	sp_chapters_add(&c, 28.5, "", NULL);
	tag = sp_id3w_build(&w, &c, 67.861, &n);
	sp_id3r_release(&T);
	T_INT(sp_id3r_parse(&T, tag, n), 0);
	T_INT(T.version, 4);
	T_INT(T.tags_read, 1);
	T_INT(T.errors, 0);
	T_STR(get("title"), "Episode 1");
	T_STR(get("artist"), "Host");
	T_STR(get("album"), "Show");
	T_STR(get("comment"), "Notes");
	T_STR(get("date"), "2024-05-01");
	T_STR(get("encoder"), "spaces");
	T_INT(T.ntags, 6);
	T_INT(T.nchapters, 3);
	T_INT(T.chapters[0].start, 0);
	T_INT(T.chapters[0].end, 14000);
	T_STR(T.chapters[0].title, "Opening");
	T_OK(T.chapters[0].url == NULL);
	T_STR(T.chapters[1].title, "The news");
	T_STR(T.chapters[1].url, "https://example.com/n");
	T_INT(T.chapters[2].start, 28500);
	T_INT(T.chapters[2].end, 67861);
	T_STR(T.chapters[2].title, "");
	T_STR(T.chapters[2].id, "ch2");

	/* Cut short by the end of the file: what is there is read. */
	sp_id3r_release(&T);
	T_INT(sp_id3r_parse(&T, tag, 60), 0);
	T_INT(T.errors, SP_ID3R_ETRUNC);
	T_STR(get("title"), "Episode 1");
	T_INT(T.nchapters, 0);
	sp_id3r_release(&T);
	T_INT(sp_id3r_parse(&T, tag, 9), -1);
	T_INT(T.tags_read, 0);
	free(tag);
	sp_chapters_release(&c);
}

static void
versions(void)
{
	static const char l16[] = "\xff\xfeH\0o\0s\0t\0 \0A\0\0\0\xff\xfe"
	    "B\0\0\0";

	/* v2.2: three-letter ids and sizes. */
	tag_open(2, 0);
	text("TT2", 0, "Old\0", 4);
	text("TP1", 1, l16, sizeof(l16) - 1);
	fr_open("COM", 0);
	put("\0eng\0Said", 9);
	fr_close();
	fr_open("TXX", 0);
	put("\0Mood\0calm", 10);
	fr_close();
	fr_open("PIC", 0);
	put("\0JPG\3\0\xff\xd8", 8);
	fr_close();
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.version, 2);
	T_INT(T.errors, 0);
	T_STR(get("title"), "Old");
	/* Several strings are joined. */
	T_STR(get("artist"), "Host A; B");
	T_STR(get("comment"), "Said");
	T_STR(get("mood"), "calm");
	T_INT(T.ntags, 4);

	/* A v2.2 tag that says it is compressed cannot be read. */
	tag_open(2, 0x40);
	text("TT2", 0, "Old", 3);
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, SP_ID3R_ESKIP);
	T_INT(T.ntags, 0);

	/*
	 * v2.3, unsynchronised as a whole (frame headers too) with an
	 * extended header: FF 00 in the body stands for FF.
	 */
	tag_open(3, 0xC0);
	be32(6);
	put("\0\0\0\0\0\0", 6);
	fr_open("TIT2", 0);
	put("\0\xff\0\xe9t\xe9", 6);		/* Latin-1: y-umlaut, e-acute */
	fr_close();
	B[frpos + 7] = 5;			/* of the data undone */
	fr_open("TPE1", 0x20);			/* grouped: a group byte */
	put("\x07\x03Me", 4);
	fr_close();
	fr_open("TALB", 0x80);			/* compressed: not read */
	put("\0\0\0\x10xyzxyz", 10);
	fr_close();
	fr_open("TCON", 0);
	put("\0Talk", 5);
	fr_close();
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.version, 3);
	T_INT(T.errors, SP_ID3R_ESKIP);
	T_STR(get("title"), "\xc3\xbf\xc3\xa9t\xc3\xa9");
	T_STR(get("artist"), "Me");
	T_STR(get("album"), "(none)");
	T_STR(get("genre"), "Talk");

	/* v2.4: unsynchronised, grouped and length-prefixed frames. */
	tag_open(4, 0x40);
	put("\0\0\0\x06\x01\0", 6);		/* extended header */
	fr_open("TIT2", 0x43);
	put("\x09\0\0\0\x05\x03\xff\0\x41", 9);
	fr_close();
	fr_open("TPE1", 0x04);			/* encrypted */
	put("\x80\x03x", 3);
	fr_close();
	TEXT("TALB", "Album\0Two\0");
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, SP_ID3R_ESKIP);
	/* FF then A: not valid UTF-8, so U+FFFD then A. */
	T_STR(get("title"), "\xef\xbf\xbd" "A");
	T_STR(get("artist"), "(none)");
	T_STR(get("album"), "Album; Two");

	/* v2.4, every frame unsynchronised by the tag's flag. */
	tag_open(4, 0x80);
	text("TIT2", 0, "\xff\0\xff", 3);
	tag_close();
	T_INT(parse(), 0);
	T_STR(get("title"), "\xc3\xbf\xc3\xbf");

	/* iTunes: v2.4 sizes as plain integers; told apart by fit. */
	plain = 1;
	tag_open(4, 0);
	fr_open("TIT2", 0);
	putc8(0);
	/* 256 bytes: 00 00 01 00, 128 if read as syncsafe. */
	memset(B + BN, 'x', 255);
	BN += 255;
	fr_close();
	TEXT("TPE1", "After");
	tag_close();
	plain = 0;
	T_INT(parse(), 0);
	T_INT(T.errors, 0);
	T_INT(strlen(get("title")), 255);
	T_STR(get("artist"), "After");
}

static void
damage(void)
{
	char big[SP_ID3R_VALMAX + 100];
	size_t i;

	/* A bad frame id: the frames before it are kept. */
	tag_open(4, 0);
	TEXT("TIT2", "Kept");
	TEXT("TPE1", "Lost");
	B[frpos + 1] = 'p';
	TEXT("TALB", "Lost too");
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, SP_ID3R_EBAD);
	T_STR(get("title"), "Kept");
	T_INT(T.ntags, 1);

	/* A frame that says it runs past the tag. */
	tag_open(3, 0);
	TEXT("TIT2", "Kept");
	TEXT("TPE1", "Lost");
	be32_at(frpos + 4, 1000);
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, SP_ID3R_EBAD);
	T_INT(T.ntags, 1);

	/* An extended header larger than the tag. */
	tag_open(3, 0x40);
	be32(100);
	TEXT("TIT2", "Lost");
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, SP_ID3R_EBAD);
	T_INT(T.ntags, 0);

	/* Padding ends the frames; an unknown encoding is passed over. */
	tag_open(4, 0);
	text("TIT2", 7, "x", 1);
	TEXT("TPE1", "Me");
	memset(B + BN, 0, 50);
	BN += 50;
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, 0);
	T_STR(get("title"), "(none)");
	T_STR(get("artist"), "Me");

	/* A long value is cut at a character, never inside one. */
	for (i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	tag_open(4, 0);
	text("TIT2", 3, big, i);
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, SP_ID3R_ECUT);
	T_INT(strlen(get("title")), SP_ID3R_VALMAX);

	/* The first value of a key stays, in a tag and across tags. */
	tag_open(4, 0);
	TEXT("TIT2", "First");
	TEXT("TIT2", "Second");
	TEXT("TXXX", "\0");			/* no description: no key */
	TEXT("TXXX", "Mixed Case\0v");
	tag_close();
	T_INT(parse(), 0);
	T_STR(get("title"), "First");
	T_STR(get("mixed case"), "v");
	T_INT(T.ntags, 2);
	tag_open(3, 0);
	TEXT("TIT2", "Third");
	TEXT("TPE1", "Artist");
	tag_close();
	T_INT(sp_id3r_parse(&T, B, BN), 0);
	T_INT(T.tags_read, 2);
	T_INT(T.version, 4);
	T_STR(get("title"), "First");
	T_STR(get("artist"), "Artist");

	/* At most SP_ID3R_MAXTAGS keys. */
	tag_open(4, 0);
	for (i = 0; i < SP_ID3R_MAXTAGS + 10; i++) {
		fr_open("TXXX", 0);
		BN += (size_t)snprintf((char *)B + BN, 32, "%ck%zu%cv", 3,
		    i, 0);
		fr_close();
	}
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.ntags, SP_ID3R_MAXTAGS);
	T_INT(T.errors, SP_ID3R_ELIMIT);
}

/* A CHAP frame with an optional TIT2. */
static void
chap(const char *id, uint32_t start, uint32_t end, const char *title)
{
	size_t at;

	fr_open("CHAP", 0);
	at = frpos;
	put(id, strlen(id) + 1);
	be32(start);
	be32(end);
	be32(0xFFFFFFFF);
	be32(0xFFFFFFFF);
	if (title != NULL)
		text("TIT2", 3, title, strlen(title));
	frpos = at;
	fr_close();
}

/* A CTOC: flags, then the children, NULL-ended. */
static void
ctoc(const char *id, unsigned flags, ...)
{
	const char *kids[16], *k;
	va_list ap;
	size_t n = 0, i;

	va_start(ap, flags);
	while ((k = va_arg(ap, const char *)) != NULL)
		kids[n++] = k;
	va_end(ap);
	fr_open("CTOC", 0);
	put(id, strlen(id) + 1);
	putc8(flags);
	putc8((unsigned)n);
	for (i = 0; i < n; i++)
		put(kids[i], strlen(kids[i]) + 1);
	fr_close();
}

static void
chapters(void)
{
	size_t i;

	/* No CTOC: by start, frame order for equal starts. */
	tag_open(3, 0);
	chap("c", 2000, 3000, "C");
	chap("a", 0, 1000, NULL);
	chap("b", 1000, 2000, "B1");
	chap("b2", 1000, 2000, "B2");
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, 0);
	T_INT(T.nchapters, 4);
	T_STR(T.chapters[0].title, "");
	T_STR(T.chapters[1].title, "B1");
	T_STR(T.chapters[2].title, "B2");
	T_STR(T.chapters[3].title, "C");

	/*
	 * The top-level CTOC's order, a nested CTOC followed, a CTOC that
	 * lists itself or an unknown id harmless; the unlisted after, by
	 * start.  A CTOC not top-level is not the start.
	 */
	tag_open(4, 0);
	ctoc("side", 0x01, "x", NULL);
	chap("x", 5000, 6000, "Unlisted late");
	chap("p2", 3000, 4000, "Part two");
	chap("intro", 0, 1000, "Intro");
	chap("p1", 1000, 3000, "Part one");
	chap("y", 500, 600, "Unlisted early");
	ctoc("part", 0x01, "p1", "part", "p2", "nosuch", NULL);
	ctoc("toc", 0x03, "intro", "part", "toc", NULL);
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, 0);
	T_INT(T.nchapters, 5);
	T_STR(T.chapters[0].title, "Intro");
	T_STR(T.chapters[1].title, "Part one");
	T_STR(T.chapters[2].title, "Part two");
	T_STR(T.chapters[3].title, "Unlisted early");
	T_STR(T.chapters[4].title, "Unlisted late");
	T_INT(T.chapters[4].start, 5000);
	T_INT(T.chapters[4].end, 6000);

	/* A CHAP without its times, a CTOC whose children run out. */
	tag_open(4, 0);
	fr_open("CHAP", 0);
	put("short\0\0\0", 8);
	fr_close();
	fr_open("CTOC", 0);
	put("toc\0\x03\x05kid", 9);
	fr_close();
	chap("ok", 0, 1, "OK");
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.errors, SP_ID3R_EBAD);
	T_INT(T.nchapters, 1);
	T_STR(T.chapters[0].title, "OK");

	/* At most SP_ID3R_MAXCHAP, over all tags. */
	tag_open(4, 0);
	for (i = 0; i < SP_ID3R_MAXCHAP + 5; i++)
		chap("c", (uint32_t)i, (uint32_t)i + 1, NULL);
	tag_close();
	T_INT(parse(), 0);
	T_INT(T.nchapters, SP_ID3R_MAXCHAP);
	T_INT(T.errors, SP_ID3R_ELIMIT);
	T_INT(T.chapters[SP_ID3R_MAXCHAP - 1].start, SP_ID3R_MAXCHAP - 1);
}

static void
v1(void)
{
	uint8_t b[128];

	memset(b, 0, sizeof(b));
	memcpy(b, "TAGTitle\xe9", 9);
	memcpy(b + 33, "Artist   ", 9);
	memcpy(b + 93, "1999", 4);
	memcpy(b + 97, "Comment", 7);
	b[126] = 7;				/* v1.1: track 7 */
	b[127] = 12;
	sp_id3r_release(&T);
	T_INT(sp_id3r_v1(&T, b, sizeof(b)), 0);
	T_INT(T.v1, 1);
	T_STR(get("title"), "Title\xc3\xa9");
	T_STR(get("artist"), "Artist");
	T_STR(get("album"), "(none)");
	T_STR(get("date"), "1999");
	T_STR(get("comment"), "Comment");
	T_STR(get("track"), "7");
	T_INT(sp_id3r_v1(&T, b, 127), -1);
	/* After an ID3v2 tag, it fills in only what that lacks. */
	tag_open(4, 0);
	TEXT("TIT2", "From v2");
	tag_close();
	T_INT(parse(), 0);
	T_INT(sp_id3r_v1(&T, b, sizeof(b)), 0);
	T_STR(get("title"), "From v2");
	T_STR(get("artist"), "Artist");
	b[1] = 'X';
	T_INT(sp_id3r_v1(&T, b, sizeof(b)), -1);
}

/* An MPEG-1 layer III frame header: 48 kHz, the bitrate index, mono. */
static void
mp3_frame(size_t at, unsigned bri, int mono, size_t len)
{
	memset(B + at, 0, len);
	B[at] = 0xFF;
	B[at + 1] = 0xFB;
	B[at + 2] = (uint8_t)(bri << 4 | 1 << 2);
	B[at + 3] = mono ? 0xC4 : 0x44;
}

static void
mp3(void)
{
	struct sp_mp3_frame f;
	struct sp_mp3_info x;
	size_t i;

	/* 128 kb/s at 44.1 kHz: 417 bytes, 418 with padding. */
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfb\x90\x44", 4, &f), 0);
	T_INT(f.version, 1);
	T_INT(f.layer, 3);
	T_INT(f.bitrate, 128000);
	T_INT(f.sample_rate, 44100);
	T_INT(f.length, 417);
	T_INT(f.samples, 1152);
	T_INT(f.channels, 2);
	T_INT(f.crc, 0);
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfb\x92\xc4", 4, &f), 0);
	T_INT(f.length, 418);
	T_INT(f.channels, 1);
	/* MPEG-2 layer III, 64 kb/s at 24 kHz: 576 samples, 192 bytes. */
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xf3\x84\x44", 4, &f), 0);
	T_INT(f.version, 2);
	T_INT(f.samples, 576);
	T_INT(f.sample_rate, 24000);
	T_INT(f.length, 192);
	/* MPEG-2.5 at 8 kHz; layer II; layer I with a CRC. */
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xe3\x18\x44", 4, &f), 0);
	T_INT(f.version, 25);
	T_INT(f.sample_rate, 8000);
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfd\x90\x44", 4, &f), 0);
	T_INT(f.layer, 2);
	T_INT(f.bitrate, 160000);
	T_INT(f.length, 522);
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfe\x90\x44", 4, &f), 0);
	T_INT(f.layer, 1);
	T_INT(f.crc, 1);
	T_INT(f.samples, 384);
	T_INT(f.bitrate, 288000);
	T_INT(f.length, 312);
	/* Not frames: ADTS, free format, bad index, reserved rate. */
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xf1\x50\x80", 4, &f), -1);
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfb\x00\x44", 4, &f), -1);
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfb\xf0\x44", 4, &f), -1);
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfb\x9c\x44", 4, &f), -1);
	T_INT(sp_mp3_header((const uint8_t *)"\xff\xfb\x90", 3, &f), -1);

	/* LAME's Info frame (mono: after 17 bytes of side information). */
	BN = 0;
	put("junk", 4);
	mp3_frame(4, 9, 1, 384);		/* 128 kb/s, 48 kHz */
	memcpy(B + 4 + 4 + 17, "Info\0\0\0\x03\0\0\x0b\x0d\0\x0c\x6f\xc0", 16);
	T_INT(sp_mp3_info(B, 4 + 384, &x), 0);
	T_INT(x.offset, 4);
	T_STR(x.kind, "Info");
	T_INT(x.frames, 2829);
	T_INT(x.bytes, 815040);
	T_INT(x.frame.length, 384);
	/* Xing with the byte count only, stereo. */
	mp3_frame(0, 9, 0, 384);
	memcpy(B + 4 + 32, "Xing\0\0\0\x02\0\0\x10\0", 12);
	T_INT(sp_mp3_info(B, 384, &x), 0);
	T_STR(x.kind, "Xing");
	T_INT(x.frames, 0);
	T_INT(x.bytes, 4096);
	/* VBRI, 32 bytes after the header. */
	mp3_frame(0, 9, 0, 384);
	memcpy(B + 36, "VBRI\0\x01\0\0\0\0\0\0\x20\0\0\0\x01\0", 18);
	T_INT(sp_mp3_info(B, 384, &x), 0);
	T_STR(x.kind, "VBRI");
	T_INT(x.bytes, 8192);
	T_INT(x.frames, 256);
	/* No tag: a frame followed by a frame; a lone sync is not one. */
	mp3_frame(0, 9, 0, 384);
	mp3_frame(384, 9, 0, 384);
	T_INT(sp_mp3_info(B, 768, &x), 0);
	T_STR(x.kind, "");
	T_INT(x.offset, 0);
	T_INT(sp_mp3_info(B, 384, &x), -1);
	/* An info tag cut by the end of the bytes is not read past it. */
	mp3_frame(0, 9, 1, 384);
	memcpy(B + 4 + 17, "Xing\0\0\0\x03\0\0", 10);
	T_INT(sp_mp3_info(B, 4 + 17 + 10, &x), 0);
	T_INT(x.frames, 0);
	T_INT(x.bytes, 0);
	/* Past 4 KiB of junk, no frame is looked for. */
	for (i = 0; i < 5000; i++)
		B[i] = 'j';
	mp3_frame(5000, 9, 0, 384);
	mp3_frame(5384, 9, 0, 384);
	T_INT(sp_mp3_info(B, 5768, &x), -1);
}

int
main(void)
{
	sp_id3r_init(&T);
	basics();
	roundtrip();
	versions();
	damage();
	chapters();
	v1();
	mp3();
	sp_id3r_release(&T);
	return t_done();
}
