/* mp4: ISO-BMFF (M4A) for one AAC audio track: read and write. */
#ifndef SP_MP4_H
#define SP_MP4_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * READER CONTRACT (the decode module and spaces-info code against this;
 * the implementer may add fields and functions, not change these).
 *
 * The reader takes a FILE opened for reading that can seek (a pipe is
 * first copied to a temporary file by the caller).  It reads the boxes
 * wherever they sit (moov before or after mdat), and fragmented files
 * (moof/traf/trun).  Memory: the sample tables are kept compactly (sizes
 * 4 bytes per sample, chunk offsets and sample-to-chunk runs as stored),
 * never one struct per sample.
 */

#define SP_MP4_ASCMAX	64	/* AudioSpecificConfig bytes kept */
#define SP_MP4_TAGMAX	1024	/* bytes kept of each text tag */

struct sp_mp4_chapter {
	uint64_t	 start;		/* in media timescale units, on the
					   presentation timeline (0 is the
					   first sample after the priming) */
	char		*title;		/* owned by the sp_mp4 */
};

struct sp_mp4_info {
	uint32_t	 timescale;	/* mdhd: media time units per second */
	uint32_t	 movie_timescale; /* mvhd */
	uint32_t	 sample_rate;	/* from the AudioSpecificConfig */
	uint32_t	 channels;
	unsigned	 object_type;	/* 2: AAC-LC */
	uint8_t		 asc[SP_MP4_ASCMAX];
	size_t		 asc_len;
	uint64_t	 nsamples;	/* access units (AAC frames) */
	uint64_t	 media_duration; /* sum of sample durations, media units */
	/*
	 * The edit list's first real edit (ffprobe honours the same): the
	 * media time where play starts (encoder priming, e.g. 1024 or 2112)
	 * and how long it plays, both in media timescale units.  has_edit 0:
	 * no edit list: play everything from 0.
	 */
	int		 has_edit;
	int64_t		 edit_media_time;
	uint64_t	 edit_duration;
	/* The exact duration in samples at sample_rate: the edit when there
	 * is one, else media_duration (scaled when the timescale differs). */
	uint64_t	 duration_samples;
	int		 fragmented;
	uint64_t	 avg_bitrate;	/* esds, 0 when not given */
	/* iTunes tags (udta/meta/ilst): "" when absent. */
	char		 title[SP_MP4_TAGMAX], artist[SP_MP4_TAGMAX];
	char		 album[SP_MP4_TAGMAX], comment[SP_MP4_TAGMAX];
	char		 date[SP_MP4_TAGMAX], encoder[SP_MP4_TAGMAX];
	struct sp_mp4_chapter *chapters;	/* owned */
	size_t		 nchapters;
	/* Added after the contract. */
	/* Leading empty edits (media_time -1): silence before the first
	 * sample, media timescale units.  ffprobe's duration_ts leaves it
	 * out, and so does duration_samples. */
	uint64_t	 edit_delay;
	/* Samples dropped because their data lies past the end of the file
	 * (a cut download); the tables hold only the complete ones. */
	uint64_t	 truncated;
	uint32_t	 track_id;	/* of the track used */
	unsigned	 ntracks;	/* all tracks in the moov */
	uint32_t	 max_sample;	/* largest access unit, bytes */
	char		 brand[5];	/* ftyp major brand; "" without ftyp */
	/* 1: the esds had no AudioSpecificConfig, so asc was made for
	 * AAC-LC from the sample entry's rate and channels. */
	int		 asc_guessed;
	/* The mvhd creation time, seconds since 1904-01-01 UTC; 0: none. */
	uint64_t	 creation_time;
};

struct sp_mp4;

/* Open and index fp (borrowed; kept for sp_mp4_sample reads).  NULL with
 * err when it is not an MP4 with exactly one AAC audio track to use. */
struct sp_mp4 *sp_mp4_open(FILE *fp, char *err, size_t errlen);
void	sp_mp4_close(struct sp_mp4 *m);
const struct sp_mp4_info *sp_mp4_info(const struct sp_mp4 *m);

/* Where access unit i (0-based) is: file offset, size, and duration in
 * media timescale units.  -1 when i is out of range. */
int	sp_mp4_sample(const struct sp_mp4 *m, uint64_t i, uint64_t *offset,
	    uint32_t *size, uint32_t *duration);

/* Read access unit i into buf (at most n bytes): its size, or -1. */
long	sp_mp4_read_sample(struct sp_mp4 *m, uint64_t i, void *buf, size_t n);

/* 1 when the first bytes look like ISO-BMFF (a box named ftyp, or moov,
 * or mdat... at offset 4), for content sniffing. */
int	sp_mp4_sniff(const unsigned char *b, size_t n);

/*
 * Added reader functions.
 */

/* The sample holding media time t (media units, 0 = the first sample):
 * 0 with *index and its start time *start, or -1 when t is past the end. */
int	sp_mp4_find(const struct sp_mp4 *m, uint64_t t, uint64_t *index,
	    uint64_t *start);

/*
 * Parse an AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): object type
 * (escape 31 read), sample rate (index or explicit 24-bit value) and
 * channels (configuration 1-6, 7 -> 8; 0 -> 0: a PCE says).  HE-AAC
 * with explicit signalling gives object type 5 (SBR) or 29 (PS) and the
 * output (extension) rate; PS over a mono core gives 2 channels.
 * 0, or -1 when it is too short or the index is reserved.
 */
int	sp_mp4_asc_parse(const uint8_t *asc, size_t n, unsigned *object_type,
	    unsigned *sample_rate, unsigned *channels);

/*
 * Build an AudioSpecificConfig into out (n >= 5 always suffices): the
 * length written (2 for AAC-LC at a tabled rate, 5 with an explicit
 * rate), or 0 when the object type (1-95) or channels (1-6, 8) cannot be
 * said.
 */
size_t	sp_mp4_asc_make(uint8_t *out, size_t n, unsigned object_type,
	    unsigned sample_rate, unsigned channels);

/*
 * The raw access unit inside the ADTS frame at frame (n bytes available):
 * 0 with *au pointing into frame (borrowed) after its 7- or 9-byte header
 * and *au_len its length; -1 when frame is not a whole ADTS frame or
 * holds more than one raw data block (those cannot be split without a
 * decoder).  *hdr (may be NULL) receives the parsed header.
 */
struct sp_adts_frame;
int	sp_mp4_adts_au(const uint8_t *frame, size_t n, const uint8_t **au,
	    size_t *au_len, struct sp_adts_frame *hdr);

/*
 * WRITER: one AAC track into an M4A written moov first ("fast start":
 * ftyp, moov, mdat).  Samples go to an unlinked temporary file in
 * $TMPDIR (or /tmp) as they are added (or come from the caller at
 * finish, see sp_mp4_writer_media); memory holds only their sizes and
 * durations.  The output is written front to back, never sought, so
 * sp_mp4_writer_finish may write to a pipe.  Times are in units of the
 * sample rate (the media and movie timescale both equal it, so edits are
 * exact).
 *
 *	w = sp_mp4_writer_new(asc, asc_len, err, sizeof(err));
 *	for each access unit: sp_mp4_writer_add(w, au, len, 1024);
 *	sp_mp4_writer_edit(w, 1024, nsamples_wanted);
 *	sp_mp4_writer_tag(w, SP_MP4_TITLE, "...");
 *	sp_mp4_writer_chapter(w, 0, "Intro");
 *	sp_mp4_writer_commit(w, "out.m4a", 0, err, sizeof(err));
 *	sp_mp4_writer_free(w);
 */
enum sp_mp4_tag {
	SP_MP4_TITLE,		/* (c)nam */
	SP_MP4_ARTIST,		/* (c)ART */
	SP_MP4_ALBUM,		/* (c)alb */
	SP_MP4_COMMENT,		/* (c)cmt */
	SP_MP4_DATE,		/* (c)day */
	SP_MP4_ENCODER,		/* (c)too */
	SP_MP4_NTAGS
};

struct sp_mp4_writer;

/* A writer for the stream asc describes (copied): new, or NULL with err
 * when the ASC cannot be parsed. */
struct sp_mp4_writer *sp_mp4_writer_new(const uint8_t *asc, size_t asc_len,
	    char *err, size_t errlen);
/* Release w and its temporary file (whether or not it was finished). */
void	sp_mp4_writer_free(struct sp_mp4_writer *w);

/* Append one raw access unit (data copied to the temporary file) lasting
 * duration samples (1024 for AAC-LC).  0, or -1 with errno on a write
 * error or an empty or oversized unit (EINVAL); w then refuses to finish.
 * With data NULL only the size is noted (no temporary file): every unit
 * is then added so, and sp_mp4_writer_media says who writes the data. */
int	sp_mp4_writer_add(struct sp_mp4_writer *w, const void *data,
	    size_t size, uint32_t duration);

/*
 * The edit list: skip priming samples at the start (encoder delay, e.g.
 * 1024 for ffmpeg's encoder, 2112 for Apple's), then play play samples
 * (0: to the end of the media).  Without a call: priming 0, play all.
 * Checked against the media at finish.
 */
void	sp_mp4_writer_edit(struct sp_mp4_writer *w, uint64_t priming,
	    uint64_t play);

/* Set tag t to value (UTF-8, copied); NULL or "" removes it. */
void	sp_mp4_writer_tag(struct sp_mp4_writer *w, enum sp_mp4_tag t,
	    const char *value);

/*
 * When the audio was recorded, ms since 1970 (UTC), at its first sample
 * played: the creation and modification times of the mvhd, tkhd and
 * mdhd boxes (seconds since 1904, version 1 boxes past 2040), which
 * ffprobe shows as creation_time.  Below 0 (the default): none, zeros.
 * The (c)day tag is the caller's (SP_MP4_DATE), as it may say less.
 */
void	sp_mp4_writer_time(struct sp_mp4_writer *w, int64_t ms);

/*
 * Add a chapter starting start samples into the presentation (after the
 * priming) titled title (UTF-8, copied).  Chapters are sorted by start at
 * finish; any out of the presentation are dropped.  Written both as a
 * QuickTime chapter text track (tref 'chap': Apple) and a Nero 'chpl' box
 * (ffmpeg, foobar2000; at most 255 chapters, titles cut to 255 bytes).
 */
void	sp_mp4_writer_chapter(struct sp_mp4_writer *w, uint64_t start,
	    const char *title);

/*
 * For units added without data: at finish, after the header, media is
 * called to write the units' data (exactly their sizes, in order) to
 * out; 0, or -1 with err.
 */
void	sp_mp4_writer_media(struct sp_mp4_writer *w,
	    int (*media)(void *ctx, FILE *out, char *err, size_t errlen),
	    void *ctx);

/* Always use 64-bit chunk offsets (co64), for tests; else only when an
 * offset passes 4 GiB. */
void	sp_mp4_writer_force_co64(struct sp_mp4_writer *w, int on);

/*
 * Write the whole file to out (borrowed; written from its current
 * position, which is taken as the file's start when it cannot be told).
 * 0; -1 with err for a use the writer cannot take (no samples, priming
 * or play past the media); -2 with err when the temporary file or out
 * could not be written (the environment, not the input).  out is not
 * flushed or closed.
 */
int	sp_mp4_writer_finish(struct sp_mp4_writer *w, FILE *out, char *err,
	    size_t errlen);

/*
 * Write the file to path through sp_atomic_open/sp_atomic_commit ("-" is
 * stdout; force replaces an existing file): 0, or -1 with err and no
 * file under path.
 */
int	sp_mp4_writer_commit(struct sp_mp4_writer *w, const char *path,
	    int force, char *err, size_t errlen);

#endif
