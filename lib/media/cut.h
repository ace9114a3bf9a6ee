/* cut: lossless, sample-exact cuts of AAC (ADTS, M4A) and Ogg Opus. */
#ifndef SP_CUT_H
#define SP_CUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chapters.h"
#include "mute.h"

/*
 * Sample positions are those of lib/decode (and of spaces-info): for ADTS
 * the timeline of frames x 1024 samples aligned like ffmpeg's decoder
 * (frame f's output is [f * 1024, (f + 1) * 1024), the overlap of frames
 * f - 1 and f); for MP4 that timeline seen through the source's edit list
 * (sample 0 is the edit's media time); for Opus the decoded samples after
 * pre-skip, at 48 kHz.
 *
 * An AAC frame decodes right only after the frame before it (the MDCT
 * overlap), so an M4A cut carries one frame before the one holding start
 * and its edit list skips to start exactly: it decodes to the source's
 * samples [start, end).  An Opus cut carries at least SP_OPUS_PREROLL
 * samples of pre-roll in its pre-skip and trims the end with the final
 * granule (RFC 7845 4.2, 4.4).  Raw ADTS cannot say either, so it holds
 * whole frames and the result gives the real boundaries.
 */

/* An opened input, reused for many cuts: opened and indexed once. */
struct sp_cut_source;

/*
 * Open path, a seekable file (the caller spools pipes).  The content
 * decides: ADTS (ID3 tags dropped), MP4 with an AAC track, or Ogg Opus;
 * anything else gives NULL with err "not AAC or Opus: it needs
 * --reencode".  ADTS frames are indexed (8 bytes a frame: 1.3 MB for 3 h
 * at 48 kHz); MP4 keeps lib/mp4's tables; Opus keeps the headers only.
 * Returns a new source (sp_cut_close), or NULL with a message in err.
 */
struct sp_cut_source *sp_cut_open(const char *path, char *err,
	    size_t errlen);
/* "aac" or "opus" (static). */
const char *sp_cut_codec(const struct sp_cut_source *s);
/* "adts", "mp4" or "opus" (static): the container. */
const char *sp_cut_format(const struct sp_cut_source *s);
unsigned sp_cut_rate(const struct sp_cut_source *s);
unsigned sp_cut_channels(const struct sp_cut_source *s);
/* Samples per channel, as spaces-info and lib/decode report them. */
uint64_t sp_cut_total(const struct sp_cut_source *s);

/*
 * The real boundaries in source samples, clamped to [0, total], and the
 * samples the output decodes to.  exact 0 for raw ADTS (whole frames; an
 * ADTS cut from an MP4 may also hold priming before sample 0).
 */
struct sp_cut_result {
	uint64_t	 start, end;
	uint64_t	 out_samples;
	int		 exact;
};

/*
 * Tags (UTF-8; NULL or "" for none) and chapters, all borrowed.  Chapter
 * starts are seconds from the start of the cut (the caller shifts them);
 * those outside [0, end - start) are dropped.  M4A: iTunes tags and
 * chapters; Opus: TITLE, ARTIST, ALBUM, DESCRIPTION, DATE and
 * CHAPTERxxx(NAME); raw ADTS carries none.
 */
struct sp_cut_meta {
	const char	*title, *artist, *album, *comment, *date;
	const struct sp_chapters *chapters;
	/* When the cut's first sample was recorded, ms since 1970; M4A:
	 * the mvhd/tkhd/mdhd creation time.  Below 0: not known. */
	int64_t		 time;
	/*
	 * AAC-LC only, NULL for none: source sample ranges to silence.  Each
	 * frame whose decoded output meets one, and the frame before it (the
	 * MDCT overlap), is replaced by a silent frame of the same layout
	 * (lib/mute), so the ranges decode to zeros, frame-granular (up to
	 * 2047 samples more before a range and 1023 after).
	 */
	const struct sp_ranges *mute;
};

/*
 * Cut [start, end) (source samples) into fp (borrowed; it need not seek:
 * the M4A is built moov first from a temporary file, then written front
 * to back; fp is not flushed or closed):
 *   "m4a"  from AAC: sample-exact, with an edit list;
 *   "aac"  from AAC: raw ADTS frames, from the frame holding start to the
 *          frame holding end - 1 (exact 0);
 *   "opus" from Opus: sample-exact, pre-roll >= 80 ms.
 * meta may be NULL.  Returns 0 with *r filled; -1 with err for the input
 * or the request (end past the end: the message gives the real duration;
 * start >= end; a kind the codec cannot take losslessly; damaged input);
 * -2 with err when fp or a temporary file could not be written (a full
 * disk, a missing $TMPDIR): the environment, not the input.
 */
int	sp_cut(struct sp_cut_source *s, const char *kind, uint64_t start,
	    uint64_t end, const struct sp_cut_meta *meta, FILE *fp,
	    struct sp_cut_result *r, char *err, size_t errlen);

/* Free s and close its file; NULL is allowed. */
void	sp_cut_close(struct sp_cut_source *s);

#endif
