/* adts: a streaming ADTS (AAC) frame parser that skips and reads ID3 tags. */
#ifndef SP_ADTS_H
#define SP_ADTS_H

#include <stddef.h>
#include <stdint.h>

#include "id3r.h"	/* sp_id3_size and the other ID3v2 basics */

/*
 * Bytes the parser holds back between calls: one whole frame (at most
 * 8191 bytes) and the start of what follows it, which proves the sync.
 */
#define SP_ADTS_BUFSZ	(8192 + 64)
/* NTP seconds (from 1900) at the Unix epoch. */
#define SP_NTP_UNIX	2208988800.0
/* Longest text kept from an ID3 frame, NUL included; longer is cut. */
#define SP_ID3_TEXTMAX	4096

/* One ADTS frame header (ISO/IEC 13818-7, 14496-3 1.A.2). */
struct sp_adts_frame {
	unsigned	 mpeg2;		/* the ID bit: 0 MPEG-4, 1 MPEG-2 */
	unsigned	 crc;		/* 1: protection_absent is 0 */
	unsigned	 profile;	/* 0-3; object type = profile + 1 */
	unsigned	 sr_index;	/* 0-12 */
	unsigned	 sample_rate;	/* Hz */
	unsigned	 chan_config;	/* 0-7; 0: a PCE in the payload says */
	unsigned	 channels;	/* 1-6, 8 for 7; 0 for chan_config 0 */
	unsigned	 length;	/* frame_length: header included */
	unsigned	 header_len;	/* 7; with a CRC 9 + 2 * (blocks - 1) */
	unsigned	 fullness;	/* buffer fullness; 0x7FF: VBR */
	unsigned	 blocks;	/* raw data blocks: 1-4 */
	unsigned	 samples;	/* 1024 * blocks */
};

/* What one ID3v2 tag said (the fields Spaces audio uses). */
struct sp_id3_tag {
	uint64_t	 offset;	/* of its "ID3" in the stream */
	uint64_t	 size;		/* header, body and footer */
	uint64_t	 sample;	/* audio samples before it */
	unsigned	 version;	/* 2, 3 or 4 (ID3v2.x) */
	unsigned	 have;		/* SP_ID3_* bits: the fields set */
	uint64_t	 pts;		/* PRIV PTS: 33 bits, 90 kHz */
	double		 tit3_ntp;	/* TIT3 read as NTP seconds */
	double		 json_ntp;	/* "ntp" of TXXX JSONMetadata */
	/* UTF-8, NUL-terminated; "" when absent. */
	char		 tit3[SP_ID3_TEXTMAX];
	char		 json[SP_ID3_TEXTMAX];		/* TXXX JSONMetadata */
	char		 participants[SP_ID3_TEXTMAX]; /* HydraParticipants */
	char		 audio_level[SP_ID3_TEXTMAX];	/* HydraAudioLevel */
};

enum {
	SP_ID3_PTS = 1 << 0,
	SP_ID3_TIT3 = 1 << 1,
	SP_ID3_TIT3_NTP = 1 << 2,	/* TIT3 is a number */
	SP_ID3_JSON = 1 << 3,
	SP_ID3_JSON_NTP = 1 << 4,	/* JSONMetadata has a numeric "ntp" */
	SP_ID3_PARTICIPANTS = 1 << 5,
	SP_ID3_AUDIO_LEVEL = 1 << 6,
	SP_ID3_CUT = 1 << 7		/* a text above was cut short */
};

/* Problems seen (sp_adts_info.errors); the parse goes on after each. */
enum {
	SP_ADTS_ENOFRAME = 1 << 0,	/* no ADTS frame at all */
	SP_ADTS_ETRUNC = 1 << 1,	/* the last frame is cut short */
	SP_ADTS_ETRUNCTAG = 1 << 2,	/* an ID3 tag runs past the end */
	SP_ADTS_EJUNK = 1 << 3,		/* junk after the first frame/tag */
	SP_ADTS_ECHANGE = 1 << 4,	/* rate/channels/profile changed */
	SP_ADTS_EBADTAG = 1 << 5	/* an ID3 tag's frames are malformed */
};

/*
 * The summary.  After sp_adts_finish every byte fed lands in exactly one
 * of audio_bytes, id3_bytes, id3v1_bytes, junk_bytes and trunc_bytes
 * (before it, the bytes still held are in none).
 */
struct sp_adts_info {
	/* The stream's parameters, from its first frame. */
	unsigned	 mpeg2;
	unsigned	 profile;	/* object type = profile + 1 (2: LC) */
	unsigned	 sr_index;
	unsigned	 sample_rate;	/* Hz; 0 until a frame is seen */
	unsigned	 chan_config;
	unsigned	 channels;
	uint64_t	 frames;
	uint64_t	 crc_frames;	/* of which CRC-protected */
	uint64_t	 samples;	/* 1024 per raw data block */
	double		 duration;	/* samples / sample_rate, per run of
					   frames when the format changes */
	uint64_t	 changes;	/* frames unlike the frame before */
	uint64_t	 bytes;		/* fed */
	uint64_t	 audio_bytes;	/* in frames counted above */
	uint64_t	 id3_bytes;	/* in whole ID3v2 tags */
	uint64_t	 id3v1_bytes;	/* a 128-byte ID3v1 trailer */
	uint64_t	 junk_bytes;	/* passed over looking for a sync */
	uint64_t	 lead_junk;	/* of which before any frame/tag */
	uint64_t	 trunc_bytes;	/* a cut last frame or tag */
	uint64_t	 id3_tags;
	unsigned	 errors;	/* SP_ADTS_E* bits */
	/* The first PTS and NTP time in the tags, and where they sat. */
	unsigned	 have;		/* SP_ID3_PTS, _TIT3_NTP, _JSON_NTP */
	uint64_t	 first_pts;
	uint64_t	 first_pts_sample;	/* samples before its tag */
	double		 first_ntp;	/* TIT3's if a number, else JSON's */
	uint64_t	 first_ntp_sample;
};

/*
 * The parser.  Set ctx and the optional callbacks after sp_adts_init; what
 * a callback receives is borrowed and valid only during the call.  All
 * memory is inside the struct (about 29 KB: keep it off small stacks); it
 * holds no allocation, so there is nothing to release.
 *
 * A frame counts when its header is valid and a frame, an ID3v2 tag,
 * "TAG" or the end follows where frame_length says.  After a frame or a
 * tag, a frame followed by junk still counts unless a tag or a frame like
 * it starts inside it (a chunk cut short, the next chunk starting there);
 * the junk is then counted and flagged.  Elsewhere, bytes up to the next
 * such item are junk.  At the end, a frame or tag header that runs past
 * the end at the start or right after a frame or tag is a cut item
 * (SP_ADTS_ETRUNC, SP_ADTS_ETRUNCTAG), not counted.  ID3v2.2 tags and
 * v2.3 tags with unsynchronisation are skipped without being read.
 */
struct sp_adts {
	struct sp_adts_info info;
	void		*ctx;
	/* Each accepted frame, its first byte's offset and its bytes. */
	void		(*on_frame)(void *ctx, uint64_t offset,
			    const struct sp_adts_frame *f, const uint8_t *data);
	/* Each whole ID3v2 tag, after its last byte. */
	void		(*on_tag)(void *ctx, const struct sp_id3_tag *t);
	char		 err[128];	/* the first problem, in words */

	/* Private. */
	int		 state, tstate, locked, finished;
	struct sp_adts_frame last;	/* the previous frame */
	double		 dur_done;	/* seconds before the last change */
	uint64_t	 seg_samples;	/* samples since then */
	uint64_t	 pos;		/* offset of the next byte to parse */
	uint64_t	 tag_seen;	/* bytes of this tag parsed so far */
	uint64_t	 tag_rest;	/* bytes of it still to come */
	uint64_t	 body_left;	/* of which frames may occupy */
	uint64_t	 skip;
	unsigned	 tag_flags;
	unsigned	 fr_flags;
	size_t		 fr_size, fr_keep;
	char		 fr_id[5];
	struct sp_id3_tag tag;
	size_t		 len;		/* bytes held in buf */
	uint8_t		 buf[SP_ADTS_BUFSZ];
	uint8_t		 scratch[SP_ID3_TEXTMAX];
};

void	sp_adts_init(struct sp_adts *p);

/*
 * Parse the next n bytes of the stream; any split works, down to one byte
 * a call.  Calls the callbacks for what the bytes complete.  Returns 0,
 * or -1 after sp_adts_finish.
 */
int	sp_adts_feed(struct sp_adts *p, const uint8_t *buf, size_t n);

/*
 * The end of the stream: decide what the held bytes are and complete
 * p->info.  Returns 0, or -1 when no ADTS frame was found (p->err says).
 */
int	sp_adts_finish(struct sp_adts *p);

/*
 * The wall clock of the stream's first sample, in Unix ms, from the first
 * NTP time in its tags (X's TIT3 or JSONMetadata "ntp") backed up over the
 * samples before that tag: 0, or -1 when the tags give no time.
 */
int	sp_adts_started_ms(const struct sp_adts_info *i, int64_t *ms);

/* Parse the frame header at b: 0, or -1 when it is not one. */
int	sp_adts_header(const uint8_t *b, size_t n, struct sp_adts_frame *f);

/* The sample rate of an index, or 0 for 13-15. */
unsigned sp_adts_rate(unsigned sr_index);

#endif
