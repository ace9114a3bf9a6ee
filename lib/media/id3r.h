/* id3r: read ID3v2 and ID3v1 tags (text, chapters) and the MP3 info frame. */
#ifndef SP_ID3R_H
#define SP_ID3R_H

#include <stddef.h>
#include <stdint.h>

/* Bytes kept of one value (cut at a character, SP_ID3R_ECUT). */
#define SP_ID3R_VALMAX	(64u << 10)
/* Tags and chapters kept in all; more are left out (SP_ID3R_ELIMIT). */
#define SP_ID3R_MAXTAGS	256
#define SP_ID3R_MAXCHAP	1024
/* The most a caller need read of one tag: enough for chapters and text
 * behind a large cover picture, bounded for a 256 MiB syncsafe size. */
#define SP_ID3R_READMAX	(16u << 20)

/* UTF-8, owned by the sp_id3r. */
struct sp_id3r_tag {
	char		*key;		/* "title", "artist", ... see below */
	char		*value;		/* never empty */
};

struct sp_id3r_chapter {
	uint32_t	 start, end;	/* ms, as the CHAP frame says */
	char		*title;		/* its TIT2; "" when untitled */
	char		*url;		/* its WXXX, or NULL */
	char		*id;		/* element id, raw bytes */
};

/* Problems seen (sp_id3r.errors); what could be read is kept. */
enum {
	SP_ID3R_ETRUNC = 1 << 0,	/* a tag runs past the bytes given */
	SP_ID3R_EBAD = 1 << 1,		/* malformed frames: rest passed over */
	SP_ID3R_ESKIP = 1 << 2,		/* compressed or encrypted frames (or
					   a compressed v2.2 tag), not read */
	SP_ID3R_ECUT = 1 << 3,		/* a value cut at SP_ID3R_VALMAX */
	SP_ID3R_ELIMIT = 1 << 4		/* tags or chapters past the limits */
};

/*
 * What the tags of a file say, merged: the first tag read gives a key its
 * value, later ones cannot change it; chapters are appended tag by tag.
 *
 * Keys, from the frames of v2.3/v2.4 (v2.2): TIT2 (TT2) title, TPE1 (TP1)
 * artist, TALB (TAL) album, TPE2 (TP2) album_artist, TCOM (TCM) composer,
 * TCON (TCO) genre, TRCK (TRK) track, TPOS (TPA) disc, TPUB (TPB)
 * publisher, TCOP (TCR) copyright, TENC (TEN) encoded_by, TSSE (TSS)
 * encoder, TLAN (TLA) language, TDRC, TYER (TYE) date, COMM (COM) with an
 * empty description comment; a COMM or TXXX (TXX) with a description has
 * it, ASCII lower-cased, as its key.  Other frames are passed over.  A
 * frame of several strings (v2.4) gives them joined with "; ".
 *
 * Chapters: every CHAP frame (with its TIT2 and WXXX subframes), in the
 * order the top-level CTOC lists them (nested CTOCs followed), then those
 * it does not list, by start; without a top-level CTOC, all by start.
 */
struct sp_id3r {
	unsigned	 tags_read;	/* ID3v2 tags parsed */
	unsigned	 version;	/* of the first: 2, 3, 4; 0 none */
	int		 v1;		/* an ID3v1 tag was read */
	struct sp_id3r_tag *tags;
	size_t		 ntags;
	struct sp_id3r_chapter *chapters;
	size_t		 nchapters;
	unsigned	 errors;	/* SP_ID3R_E* bits */
};

void	sp_id3r_init(struct sp_id3r *t);
/* Free everything; t is empty and usable after. */
void	sp_id3r_release(struct sp_id3r *t);

/*
 * Read the ID3v2 tag at b into t.  n may be less than the tag (a file cut
 * short, or a caller that read SP_ID3R_READMAX): what is there is read and
 * SP_ID3R_ETRUNC set.  Sizes and counts in the tag are checked against what
 * remains, never trusted.  Returns 0, or -1 when b does not start with an
 * ID3v2 tag header (t unchanged).
 */
int	sp_id3r_parse(struct sp_id3r *t, const uint8_t *b, size_t n);

/*
 * Read an ID3v1 tag (n = 128 bytes, "TAG" first) into t: title, artist,
 * album, date (the year), comment, track (v1.1).  Returns 0, or -1 when
 * it is not one.
 */
int	sp_id3r_v1(struct sp_id3r *t, const uint8_t *b, size_t n);

/* The value of key, borrowed; NULL when absent. */
const char *sp_id3r_get(const struct sp_id3r *t, const char *key);

/*
 * Pieces shared with the ADTS parser (lib/adts.c).
 *
 * sp_id3_size: parse the ID3v2 tag header at b: 0 with *total the whole
 * tag's size (header, body and any footer), or -1 when it is not one.
 */
int	sp_id3_size(const uint8_t *b, size_t n, size_t *total);

/* The 28-bit value of a syncsafe integer (7 bits a byte). */
uint32_t sp_id3_syncsafe(const uint8_t *b);

/* Undo unsynchronisation (FF 00 was written for FF) in place: new length. */
size_t	sp_id3_unsync(uint8_t *d, size_t n);

/*
 * A frame of a version 3 or 4 tag with format flags flags: -1 when its
 * data cannot be read (compressed or encrypted), else the bytes before
 * the data (group id, data length indicator).  *unsync (may be NULL) is
 * set when the frame alone is unsynchronised (v2.4).
 */
int	sp_id3_frame_skip(unsigned version, unsigned flags, int *unsync);
#define SP_ID3_F24_UNSYNC	0x02	/* that frame format flag */

/*
 * Decode one string in ID3 text encoding enc (0 Latin-1, 1 UTF-16 with a
 * BOM, 2 UTF-16BE, 3 UTF-8; malformed input gives U+FFFD) from s, up to
 * its terminator or the end, into dst (cap > 0 bytes) as NUL-terminated
 * UTF-8, cut at a character to fit.  Returns the bytes of s used,
 * terminator included; sets *full when dst was too small.  3 * n + 1
 * bytes always suffice.
 */
size_t	sp_id3_text(unsigned enc, const uint8_t *s, size_t n, char *dst,
	    size_t cap, int *full);

/* One MPEG audio frame header (layer I, II or III). */
struct sp_mp3_frame {
	unsigned	 version;	/* 1, 2, or 25 for MPEG 2.5 */
	unsigned	 layer;		/* 1-3 */
	unsigned	 crc;		/* 1: a CRC follows the header */
	unsigned	 bitrate;	/* bits per second */
	unsigned	 sample_rate;	/* Hz */
	unsigned	 channels;	/* 1 or 2 */
	unsigned	 length;	/* bytes, header included */
	unsigned	 samples;	/* per frame */
};

/* Parse the frame header at b: 0, or -1 when it is not one (free format
 * and reserved values are not). */
int	sp_mp3_header(const uint8_t *b, size_t n, struct sp_mp3_frame *f);

/* What the Xing/Info (LAME) or VBRI frame that opens an MP3 says. */
struct sp_mp3_info {
	uint64_t	 offset;	/* of the first frame in the bytes */
	struct sp_mp3_frame frame;	/* the first frame */
	char		 kind[5];	/* "Xing", "Info", "VBRI"; "" none */
	/* 0 when unknown: */
	uint32_t	 frames;	/* audio frames after it */
	uint32_t	 bytes;		/* of the stream, it included */
};

/*
 * Find the first frame in b (the bytes after the ID3v2 tags, up to 4 KiB
 * of junk before it): a valid header followed by another, or one that
 * holds an info tag.  Returns 0 (kind "" when it has no tag), or -1 when
 * there is no frame.
 */
int	sp_mp3_info(const uint8_t *b, size_t n, struct sp_mp3_info *x);

#endif
