/* oggopus: Ogg Opus (RFC 7845) page reader and writer over libogg. */
#ifndef SP_OGGOPUS_H
#define SP_OGGOPUS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Pre-roll a decoder needs before a cut (RFC 7845 4.6, 5.1): 80 ms. */
#define SP_OPUS_PREROLL		3840
/* The largest audio packet the reader accepts, and OpusTags packet. */
#define SP_OPUS_MAXPACKET	(1L << 20)
#define SP_OPUS_MAXTAGS		(16L << 20)

/* The identification header, OpusHead (RFC 7845 5.1). */
struct sp_opus_head {
	unsigned	 version;	/* byte 8: 1; readers take 0-15 */
	unsigned	 channels;	/* 1-255 */
	unsigned	 preskip;	/* 48 kHz samples to drop at the start */
	uint32_t	 input_rate;	/* Hz, informational; 0: unknown */
	int		 gain;		/* output gain, Q7.8 dB */
	unsigned	 family;	/* channel mapping family */
	/* Family != 0: the table; family 0 fills in 1 stream, ch - 1 coupled. */
	unsigned	 streams;
	unsigned	 coupled;
	uint8_t		 mapping[255];
};

/*
 * The comment header, OpusTags (RFC 7845 5.2).  Comments are "NAME=value"
 * strings, NUL-terminated (a comment holding a NUL byte is cut there).
 * Every pointer is owned by the struct: sp_opus_tags_release frees them.
 */
struct sp_opus_tags {
	char		*vendor;
	char		**comments;
	size_t		 ncomments;
	/* Binary data after the comments when its first byte's LSB is 1
	 * (editors keep it, 5.2); NULL otherwise. */
	uint8_t		*extra;
	size_t		 nextra;
};

void	sp_opus_tags_init(struct sp_opus_tags *t);
void	sp_opus_tags_release(struct sp_opus_tags *t);
/* Deep copy of src into dst (dst is initialised here; release it). */
void	sp_opus_tags_copy(struct sp_opus_tags *dst,
	    const struct sp_opus_tags *src);
/* Set the vendor string (copied). */
void	sp_opus_tags_set_vendor(struct sp_opus_tags *t, const char *vendor);
/* Append "name=value" (copied). */
void	sp_opus_tags_add(struct sp_opus_tags *t, const char *name,
	    const char *value);
/* The value of the first comment named name (case-insensitive), borrowed
 * from t, or NULL. */
const char *sp_opus_tags_get(const struct sp_opus_tags *t, const char *name);
/* Drop every comment named name, or every CHAPTERxxx* one when name is
 * "CHAPTER"; returns how many went. */
size_t	sp_opus_tags_remove(struct sp_opus_tags *t, const char *name);

/*
 * Chapters as Vorbis comments: CHAPTERxxx=HH:MM:SS.mmm and CHAPTERxxxNAME
 * (the Ogg chapter extension ffmpeg and players read), at millisecond
 * precision, counted from the start of the decoded audio.
 */
struct sp_opus_chapter {
	uint64_t	 ms;		/* start */
	char		*name;		/* new; "" when there is none */
};
/*
 * The chapters in t, sorted by number, into *out (new: free each name
 * and the array with sp_opus_chapters_free).  Returns how many; malformed
 * times are skipped.
 */
size_t	sp_opus_chapters(const struct sp_opus_tags *t,
	    struct sp_opus_chapter **out);
void	sp_opus_chapters_free(struct sp_opus_chapter *c, size_t n);
/* Append chapter number num (1-999): CHAPTERnnn and, unless name is NULL,
 * CHAPTERnnnNAME.  -1 when num is out of range. */
int	sp_opus_tags_add_chapter(struct sp_opus_tags *t, unsigned num,
	    uint64_t ms, const char *name);
/*
 * Append the chapters of c that start before end (seconds) and are not
 * hidden, numbered from 1, at most 999: CHAPTERnnn, CHAPTERnnnNAME and,
 * with a url, CHAPTERnnnURL (the extension's three).  Hidden ones ("toc":
 * false) are markers the extension has no place for.  Returns how many.
 */
struct sp_chapters;
unsigned sp_opus_tags_add_chapters(struct sp_opus_tags *t,
	    const struct sp_chapters *c, double end);

/* 1 when b starts an Ogg page whose first packet begins "OpusHead". */
int	sp_opus_sniff(const void *b, size_t n);

/* Samples (at 48 kHz) in one Opus packet from its TOC; 0 when invalid. */
unsigned sp_opus_packet_samples(const uint8_t *p, size_t n);

/* Problems the reader saw (sp_opus_summary.flags).  Only SP_OPUS_EFATAL
 * ones stop it; the rest are reported and the read goes on. */
enum {
	SP_OPUS_ENOTOGG = 1 << 0,	/* no Ogg page at all (fatal) */
	SP_OPUS_ENOTOPUS = 1 << 1,	/* no Opus stream (fatal) */
	SP_OPUS_EHEAD = 1 << 2,		/* OpusHead malformed (fatal) */
	SP_OPUS_ETAGS = 1 << 3,		/* OpusTags missing/malformed (fatal) */
	SP_OPUS_EREAD = 1 << 4,		/* the read callback failed (fatal) */
	SP_OPUS_EBIG = 1 << 5,		/* a packet beyond the limits (fatal) */
	SP_OPUS_ECRC = 1 << 6,		/* pages with a bad CRC */
	SP_OPUS_EJUNK = 1 << 7,		/* bytes that are no page (holes) */
	SP_OPUS_ESEQ = 1 << 8,		/* page sequence number gaps */
	SP_OPUS_ELOST = 1 << 9,		/* packets lost to a gap */
	SP_OPUS_EGRANULE = 1 << 10,	/* a page granule disagrees */
	SP_OPUS_ESTART = 1 << 11,	/* 1st audio granule < its samples */
	SP_OPUS_ETRIM = 1 << 12,	/* end trim longer than a packet */
	SP_OPUS_EPACKET = 1 << 13,	/* an audio packet with a bad TOC */
	SP_OPUS_ELAYOUT = 1 << 14,	/* headers not on their own pages */
	SP_OPUS_ETRUNC = 1 << 15,	/* no EOS page: cut short */
	SP_OPUS_ECHAIN = 1 << 16,	/* more logical streams (chained or
					 * multiplexed); only the first read */
	SP_OPUS_EFATAL = SP_OPUS_ENOTOGG | SP_OPUS_ENOTOPUS | SP_OPUS_EHEAD |
	    SP_OPUS_ETAGS | SP_OPUS_EREAD | SP_OPUS_EBIG
};

/* One audio packet of the first Opus stream. */
struct sp_opus_packet {
	const uint8_t	*data;		/* borrowed until the next call */
	size_t		 len;
	uint64_t	 index;		/* 0 for the first audio packet */
	unsigned	 duration;	/* 48 kHz samples per its TOC */
	/*
	 * The granule position at its end (RFC 7845 4): worked back from
	 * its page's granule, or forward from the previous page's on the
	 * last page, where the final one may be smaller (the end trim).
	 * Never decreases.  The packet starts at granule - duration except
	 * for a trimmed last one: there, at the previous packet's granule.
	 */
	int64_t		 granule;
	uint32_t	 page;		/* sequence number of its last page */
	int		 last;		/* the last packet of the stream */
};

/* What the reader saw; final once sp_opus_next returned 0 or -1. */
struct sp_opus_summary {
	uint64_t	 pages;		/* good pages, all streams */
	uint64_t	 stream_pages;	/* of them, in the stream read */
	uint64_t	 bad_crc;	/* pages libogg rejected for their CRC */
	uint64_t	 holes;		/* runs of bytes libogg skipped */
	uint64_t	 skipped;	/* bytes in them */
	uint64_t	 seq_gaps;	/* sequence number jumps */
	uint64_t	 lost;		/* holes in the packet sequence */
	uint64_t	 packets;	/* audio packets */
	uint64_t	 streams;	/* logical streams (BOS pages) seen */
	int64_t		 start_granule;	/* granule where the audio begins */
	int64_t		 last_granule;	/* of the last packet */
	int64_t		 end_trim;	/* samples the last granule cuts */
	/*
	 * Exact decoded length at 48 kHz: last granule - start granule -
	 * pre-skip, 0 when negative.  For a stream starting at granule 0 it
	 * is last granule - pre-skip, what opusinfo and ffmpeg decode.
	 */
	int64_t		 samples;
	uint64_t	 bytes;		/* read from the source so far */
	uint32_t	 serial;	/* of the stream read */
	unsigned	 flags;		/* SP_OPUS_E* */
};

/* Read callback: up to n bytes into buf; 0 at the end, -1 on error. */
typedef ssize_t	sp_opus_read_fn(void *ctx, void *buf, size_t n);

struct sp_opus_reader;

/*
 * A streaming reader of the first Opus stream of an Ogg source (a pipe
 * will do: it never seeks).  Memory is bounded by one page's packets and
 * libogg's buffers.  The reader is new (sp_opus_reader_free); ctx and fp
 * are borrowed.  Reading begins at once: the headers are parsed here.
 * Always returns a reader; sp_opus_reader_error says if it failed.
 */
struct sp_opus_reader *sp_opus_reader_new(sp_opus_read_fn *rd, void *ctx);
struct sp_opus_reader *sp_opus_reader_file(FILE *fp);
void	sp_opus_reader_free(struct sp_opus_reader *r);
/* NULL when all is well so far, else a message (borrowed) for the first
 * fatal problem, e.g. "no OpusHead packet"; the flags say more. */
const char *sp_opus_reader_error(const struct sp_opus_reader *r);
/* Borrowed from r; valid once the headers were read (no error). */
const struct sp_opus_head *sp_opus_reader_head(const struct sp_opus_reader *r);
const struct sp_opus_tags *sp_opus_reader_tags(const struct sp_opus_reader *r);
/*
 * The next audio packet into *p: 1, or 0 at the end of the source, or -1
 * on a fatal problem.  After the stream's last packet it reads the rest of
 * the source to count pages and streams, so the summary is complete.
 */
int	sp_opus_next(struct sp_opus_reader *r, struct sp_opus_packet *p);
/* Borrowed from r. */
const struct sp_opus_summary *sp_opus_reader_summary(
	    const struct sp_opus_reader *r);

struct sp_opus_writer;

/*
 * A writer of one Ogg Opus stream to fp (borrowed; e.g. sp_atomic's).
 * It writes OpusHead (version 1, from h: channels, preskip, input_rate,
 * gain, family and its table) and OpusTags (from t) on their own pages.
 * Granule positions start at start_granule (0 normally; > 0 for a stream
 * that starts later, RFC 7845 4.5) and advance by each packet's duration;
 * pages close at ~4 KiB or 1 s.  serial 0 picks a random one.  Returns a
 * new writer (sp_opus_writer_free), or NULL with errno (EINVAL: a bad
 * head; or the write error).
 */
struct sp_opus_writer *sp_opus_writer_new(FILE *fp,
	    const struct sp_opus_head *h, const struct sp_opus_tags *t,
	    uint32_t serial, int64_t start_granule);
/* Add one packet (copied); duration 0: from its TOC.  -1 and errno
 * (EINVAL for an invalid packet, or the write error). */
int	sp_opus_writer_packet(struct sp_opus_writer *w, const uint8_t *p,
	    size_t n, unsigned duration);
/*
 * End the stream: the last packet goes out with EOS on the last page,
 * whose granule is end_granule, or the running total when end_granule is
 * negative.  A smaller end_granule trims the end (4.4): it must lie within
 * the last packet.  Flushes fp.  -1 and errno (EINVAL: no packet, or
 * end_granule outside the last packet; or the write error).
 */
int	sp_opus_writer_finish(struct sp_opus_writer *w, int64_t end_granule);
/* The granule after the packets so far (before any trim). */
int64_t	sp_opus_writer_granule(const struct sp_opus_writer *w);
uint64_t sp_opus_writer_pages(const struct sp_opus_writer *w);
void	sp_opus_writer_free(struct sp_opus_writer *w);

#endif
