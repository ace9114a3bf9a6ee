/* remux: MPEG-TS segments (H.264 + AAC) to MP4, TS, M4A or ADTS, unencoded. */
#ifndef SP_REMUX_H
#define SP_REMUX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The path from a video Space's HLS segments to files, for spaces-record
 * (which fetches, orders and journals the segments) and for anyone with
 * the segments on disk.  Nothing is decoded or encoded:
 *
 *   SP_REMUX_MP4  H.264 + AAC in MP4 (lib/mp4v): avcC from the stream's
 *                 SPS/PPS, IDR frames as sync samples, composition
 *                 offsets from PTS - DTS, an edit list that starts each
 *                 track at its first presented sample and delays the
 *                 later-starting one, so audio and video stay aligned;
 *   SP_REMUX_TS   the segments as they came, cleaned: bytes before the
 *                 first sync byte and a cut last packet are dropped;
 *   SP_REMUX_M4A  the audio alone in M4A (lib/mp4's writer);
 *   SP_REMUX_AAC  the audio alone as the ADTS frames it was sent as.
 *
 * Segments go in order, each whole or in pieces (sp_remux_feed, then
 * sp_remux_end_segment): the boundary matters, for a packet cut at a
 * segment's end is told from one followed by junk there.  Timestamps run
 * on across segments; a backward jump, or a forward one of more than
 * SP_REMUX_JUMP, is a discontinuity and is closed up (counted), a shorter
 * forward jump (lost segments) is kept as a gap on the time line.  Video
 * before the first IDR frame cannot be decoded and is dropped (counted).
 *
 * Memory is flat: the demuxer's per-stream PES buffers and the sample
 * tables (about 6 bytes a sample: 2.5 MB for an hour at 30 fps).
 */

#define SP_REMUX_JUMP	(30 * 90000)	/* 90 kHz ticks */

enum sp_remux_kind { SP_REMUX_MP4, SP_REMUX_TS, SP_REMUX_M4A, SP_REMUX_AAC };

struct sp_remux_stats {
	uint64_t	 segments, bytes;
	int		 has_video, has_audio;
	uint64_t	 video_frames, keyframes, audio_frames;
	uint64_t	 dropped_leading; /* video before the first IDR */
	unsigned	 width, height, profile, level;
	double		 fps;		/* from the SPS; 0 unknown */
	unsigned	 sample_rate, channels;
	double		 video_seconds, audio_seconds;
	uint64_t	 cc_gaps, pes_dropped, skipped, discontinuities;
	int		 b_frames;	/* composition offsets were needed */
	int		 ps_changed;	/* SPS/PPS changed: 'avc3' written */
};

/* The kind a name says ("mp4", "ts", "m4a", "aac"), or -1. */
int	sp_remux_kind(const char *name);

struct sp_remux;

/* A remuxer writing kind to out (borrowed; for MP4 a file that seeks). */
struct sp_remux *sp_remux_new(enum sp_remux_kind kind, FILE *out,
	    char *err, size_t errlen);
void	sp_remux_free(struct sp_remux *r);

/* Tag the MP4 or M4A output (lib/mp4's enum sp_mp4_tag; value UTF-8,
 * copied): title, artist... as spaces-record tags its recordings.  Other
 * kinds carry no tags: ignored.  Call before sp_remux_finish. */
void	sp_remux_tag(struct sp_remux *r, int t, const char *value);

/* Bytes of the current segment: 0, or -1 with err (a write error, or
 * a stream the kind cannot take: no H.264 or AAC, HEVC, MP3...). */
int	sp_remux_feed(struct sp_remux *r, const uint8_t *buf, size_t n,
	    char *err, size_t errlen);
/* The current segment is complete. */
int	sp_remux_end_segment(struct sp_remux *r, char *err, size_t errlen);
/* One whole segment: feed and end. */
int	sp_remux_segment(struct sp_remux *r, const uint8_t *buf, size_t n,
	    char *err, size_t errlen);

/* Write what is left (the MP4 moov, the M4A): 0 with *st filled (may be
 * NULL), or -1 with err. */
int	sp_remux_finish(struct sp_remux *r, struct sp_remux_stats *st,
	    char *err, size_t errlen);

/*
 * The segment files in[0..nin) (paths; "-" is stdin) in order into out
 * through sp_atomic_open ("-" is stdout: an MP4 goes through a temporary
 * file first; force replaces an existing file): 0, or -1 with err and no
 * file under out.
 */
int	sp_remux_files(char *const *in, size_t nin, const char *out,
	    enum sp_remux_kind kind, int force, struct sp_remux_stats *st,
	    char *err, size_t errlen);

#endif
