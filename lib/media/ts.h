/* ts: a streaming MPEG-TS demuxer (ISO/IEC 13818-1): PAT, PMT, PES. */
#ifndef SP_TS_H
#define SP_TS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Bytes go in by sp_ts_feed in pieces of any size; whole PES packets come
 * out through a callback, their payload borrowed until it returns.  The
 * demuxer keeps one 188-byte packet of carry-over and, per elementary
 * stream, the PES being assembled (at most SP_TS_PESMAX bytes: a bigger
 * one is dropped and counted), so memory does not grow with the input.
 *
 * Timestamps are unwrapped: each stream's PTS and DTS, and the PCR, are
 * 64-bit counts of 90 kHz ticks that go on past 2^33 (26.5 h) instead of
 * wrapping, taken as the nearest value to the stream's previous one.
 *
 * Continuity counters are checked per PID: a missing packet is a gap
 * (counted, with the byte offset of the first; the PES it cut is dropped),
 * a repeated packet is dropped as the standard says (2.4.3.3), and a
 * packet with discontinuity_indicator set starts afresh.  Loss of sync
 * (junk between packets, a cut packet) is skipped and counted.
 */

#define SP_TS_PACKET	188
#define SP_TS_MAXES	8		/* elementary streams kept */
#define SP_TS_PESMAX	(8u << 20)	/* bytes in one PES, at most */

/* Stream types (ISO/IEC 13818-1 Table 2-34) the toolkit names. */
#define SP_TS_AAC_ADTS	0x0f
#define SP_TS_H264	0x1b
#define SP_TS_HEVC	0x24
#define SP_TS_MP3	0x03
#define SP_TS_MP2	0x04
#define SP_TS_ID3	0x15

struct sp_ts_pes {
	unsigned	 pid;
	unsigned	 stream_type;	/* from the PMT */
	unsigned	 stream_id;	/* PES stream_id (0xE0 video, 0xC0 audio) */
	int		 has_pts, has_dts; /* has_dts 0: dts == pts */
	int64_t		 pts, dts;	/* unwrapped 90 kHz ticks */
	int		 random_access;	/* adaptation field flag, first packet */
	uint64_t	 offset;	/* input byte offset of its first packet */
	const uint8_t	*data;		/* the elementary stream bytes (borrowed) */
	size_t		 len;
};

struct sp_ts_es {
	unsigned	 pid, stream_type;
};

struct sp_ts_stats {
	uint64_t	 bytes;		/* fed */
	uint64_t	 packets;	/* 188-byte packets read */
	uint64_t	 skipped;	/* bytes skipped to find sync */
	uint64_t	 cc_gaps;	/* continuity breaks (missing packets) */
	uint64_t	 first_gap;	/* byte offset of the first, if any */
	uint64_t	 duplicates;	/* repeated packets dropped */
	uint64_t	 pes;		/* PES packets delivered */
	uint64_t	 pes_dropped;	/* cut by a gap, oversized or malformed */
	uint64_t	 psi_errors;	/* PAT/PMT with a bad CRC or length */
	uint64_t	 tei;		/* packets flagged transport_error */
	int		 has_pcr;
	int64_t		 pcr_first, pcr_last; /* unwrapped 90 kHz (base) */
	unsigned	 pmt_pid;	/* 0 until a PAT is seen */
	unsigned	 program;	/* program_number used */
};

struct sp_ts;

typedef void sp_ts_pes_fn(void *ctx, const struct sp_ts_pes *p);

/* A new demuxer calling on_pes(ctx, ...) for every PES; never NULL. */
struct sp_ts *sp_ts_new(sp_ts_pes_fn *on_pes, void *ctx);
void	sp_ts_free(struct sp_ts *t);

/* Feed n bytes (any split).  Always 0: damage is counted in the stats. */
int	sp_ts_feed(struct sp_ts *t, const uint8_t *buf, size_t n);

/* The input ended: deliver the PES packets still being assembled
 * (a PES with no length ends at the next start or here). */
void	sp_ts_flush(struct sp_ts *t);

/* The counters so far (borrowed). */
const struct sp_ts_stats *sp_ts_stats(const struct sp_ts *t);

/* The elementary streams of the last PMT: their count, *es borrowed. */
size_t	sp_ts_streams(const struct sp_ts *t, const struct sp_ts_es **es);

/* A name for a stream type ("h264", "aac", ... or "0x%02x" in buf). */
const char *sp_ts_type_name(unsigned stream_type, char *buf, size_t n);

/* 1 when b starts like MPEG-TS: sync bytes 188 apart (3 packets, or as
 * many whole packets as n holds, at least 2). */
int	sp_ts_sniff(const uint8_t *b, size_t n);

/* Unwrap a 33-bit timestamp v against the previous unwrapped one
 * (prev < 0: none yet): the value nearest prev congruent to v mod 2^33. */
int64_t	sp_ts_unwrap(int64_t prev, uint64_t v);

#endif
