/* mp4v: ISO-BMFF with an H.264 video track and an AAC track: write, read. */
#ifndef SP_MP4V_H
#define SP_MP4V_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The audio-only M4A of lib/mp4 stays as it is; this module is for the
 * files with video (ISO/IEC 14496-12 and -15).  Video media time is in
 * 90 kHz ticks (MPEG-TS's clock, so a remux keeps every timestamp), audio
 * media time in samples at its rate, and the movie timescale is 90 kHz,
 * so edits are exact for both.
 */
#define SP_MP4V_TIMESCALE	90000

enum { SP_MP4V_VIDEO, SP_MP4V_AUDIO, SP_MP4V_NTRACKS };

/*
 * WRITER.  Samples go straight to out (borrowed; a regular file: it must
 * seek, for the mdat size is written last) after ftyp and an mdat header,
 * and the moov follows them.  Memory holds the sample tables only: about
 * 6 bytes a sample plus 20 per chunk (a chunk is a run of samples of one
 * track), a few MB for an hour.
 *
 *	w = sp_mp4v_writer_new(out, err, sizeof(err));
 *	sp_mp4v_writer_video(w, avcc, len, width, height, sar_num, sar_den);
 *	sp_mp4v_writer_audio(w, asc, len);
 *	sp_mp4v_writer_add_video(w, data, size, dts, pts, sync); (any order
 *	sp_mp4v_writer_add_audio(w, au, size, 1024);              between them)
 *	sp_mp4v_writer_finish(w, err, sizeof(err));
 *	sp_mp4v_writer_free(w);
 */
struct sp_mp4v_writer;

struct sp_mp4v_writer *sp_mp4v_writer_new(FILE *out, char *err,
	    size_t errlen);
void	sp_mp4v_writer_free(struct sp_mp4v_writer *w);

/* The video track's avcC (copied), picture size and pixel aspect ratio
 * (0 0: square): 0, or -1 with err when the avcC is not one. */
int	sp_mp4v_writer_video(struct sp_mp4v_writer *w, const uint8_t *avcc,
	    size_t n, unsigned width, unsigned height, unsigned sar_num,
	    unsigned sar_den, char *err, size_t errlen);
/* The audio track's AudioSpecificConfig (copied): 0, or -1 with err. */
int	sp_mp4v_writer_audio(struct sp_mp4v_writer *w, const uint8_t *asc,
	    size_t n, char *err, size_t errlen);

/*
 * One access unit of video (4-byte NAL lengths) with its decoding and
 * presentation times in 90 kHz ticks; DTS must increase.  The last
 * sample lasts as long as the one before it, or last_duration when set.
 * 0, or -1 (write error, or a DTS that does not increase: EINVAL).
 */
int	sp_mp4v_writer_add_video(struct sp_mp4v_writer *w, const void *data,
	    size_t size, int64_t dts, int64_t pts, int sync);
void	sp_mp4v_writer_last_duration(struct sp_mp4v_writer *w, uint32_t d);
/* The stream changes its SPS or PPS on the way (a new resolution): the
 * sample entry is then 'avc3', whose parameter sets may come in band
 * (ISO/IEC 14496-15 5.4.2), rather than 'avc1'. */
void	sp_mp4v_writer_inband(struct sp_mp4v_writer *w);
/* One raw AAC access unit lasting duration samples: 0, or -1. */
int	sp_mp4v_writer_add_audio(struct sp_mp4v_writer *w, const void *data,
	    size_t size, uint32_t duration);

/*
 * The edit list of track t: play its media from media_time (media units)
 * for duration media units (0: to the end), after delay movie units of
 * nothing (an empty edit).  Without a call: video plays from its first
 * presentation time, audio from 0, and each is delayed by how much later
 * it starts than the other (sp_mp4v_writer_starts).
 */
void	sp_mp4v_writer_edit(struct sp_mp4v_writer *w, int t, uint64_t delay,
	    int64_t media_time, uint64_t duration);
/* Where the tracks start on a common 90 kHz clock (the first audio PTS,
 * the smallest video PTS), for the default edits; unset: both 0. */
void	sp_mp4v_writer_starts(struct sp_mp4v_writer *w, int64_t video,
	    int64_t audio);

/* iTunes-style tag t (lib/mp4's enum sp_mp4_tag) set to value (UTF-8,
 * copied; NULL or "" removes it), in the moov's udta. */
void	sp_mp4v_writer_tag(struct sp_mp4v_writer *w, int t,
	    const char *value);

/* Write the moov and the mdat size: 0, or -1 with err. */
int	sp_mp4v_writer_finish(struct sp_mp4v_writer *w, char *err,
	    size_t errlen);

/*
 * READER: a non-fragmented MP4 or MOV with any tracks; those with an avc1
 * or mp4a sample entry are indexed.  Memory: 24 bytes a sample of those
 * (6.5 MB for an hour of 30 fps video and 48 kHz AAC).
 */
struct sp_mp4v_track {
	char		 handler[5];	/* "vide", "soun", ... */
	char		 codec[5];	/* sample entry: "avc1", "mp4a", ... */
	uint32_t	 id, timescale;
	uint64_t	 nsamples;
	uint64_t	 media_duration; /* sum of sample durations */
	unsigned	 width, height;	/* sample entry */
	uint8_t		 avcc[1024];
	size_t		 avcc_len;
	uint8_t		 asc[64];
	size_t		 asc_len;
	uint64_t	 nsync;		/* sync samples (all when no stss) */
	int		 has_ctts;
	/* The first media edit (empty edits before it summed into delay,
	 * in media units); has_edit 0: none, play all from 0. */
	int		 has_edit;
	uint64_t	 edit_delay;
	int64_t		 edit_media_time;
	uint64_t	 edit_duration;	/* media units; 0: to the end */
	/* Per sample, indexed tracks only (owned). */
	uint64_t	*off;
	uint32_t	*size;
	int64_t		*dts;
	int32_t		*cto;		/* composition offset */
	uint8_t		*sync;		/* 1 a sync sample */
};

struct sp_mp4v {
	FILE		*fp;		/* borrowed */
	uint32_t	 movie_timescale;
	char		 brand[5];
	struct sp_mp4v_track *tracks;
	size_t		 ntracks;
	int		 fragmented;
};

/* Read fp's moov: new, or NULL with err ("fragmented MP4: not
 * supported", "not an MP4", a damaged table). */
struct sp_mp4v *sp_mp4v_open(FILE *fp, char *err, size_t errlen);
void	sp_mp4v_close(struct sp_mp4v *m);
/* 1 when fp is an MP4 with a video track of any codec (its headers only
 * are read: cheap), else 0. */
int	sp_mp4v_has_video(FILE *fp);
/* The first track with handler h ("vide" or "soun") that was indexed:
 * its index, or -1. */
int	sp_mp4v_find(const struct sp_mp4v *m, const char *h);
/* Read sample i of track t into buf (n bytes): its size, or -1. */
long	sp_mp4v_read(struct sp_mp4v *m, size_t t, uint64_t i, void *buf,
	    size_t n);

#endif
