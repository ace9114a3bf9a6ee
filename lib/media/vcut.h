/* vcut: lossless cuts of video MP4 (H.264 + AAC), starting at a keyframe. */
#ifndef SP_VCUT_H
#define SP_VCUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * H.264 frames decode only from a sync (IDR) frame on, so a cut carries
 * the video from the last keyframe at or before the start and its edit
 * list skips to the start: players (and ffprobe) begin at the asked time,
 * with the pre-roll decoded but not shown.  The AAC track is cut as
 * lib/cut cuts M4A: one frame of pre-roll, sample-exact through the edit
 * list.  Times are seconds on the source's presentation time line (its
 * edit lists applied), 0 being its earliest track's start.  Nothing is
 * decoded or encoded.
 */
struct sp_vcut_source;

/* Open the MP4 at path (a file that seeks): new, or NULL with err when
 * it holds no H.264 track. */
struct sp_vcut_source *sp_vcut_open(const char *path, char *err,
	    size_t errlen);
void	sp_vcut_close(struct sp_vcut_source *s);
/* Seconds the source presents (its longest track). */
double	sp_vcut_length(const struct sp_vcut_source *s);

struct sp_vcut_result {
	double		 keyframe;	/* where the carried video starts */
	uint64_t	 video_frames;	/* carried, pre-roll included */
	uint64_t	 audio_frames;
	uint64_t	 audio_samples;	/* the audio the edit presents */
	double		 duration;	/* end - start */
};

/* Cut [start, end) into out (borrowed; must seek), tagged with tags
 * (lib/mp4's enum sp_mp4_tag order, borrowed; NULL or NULL entries for
 * none): 0 with *r, or -1 with err (start not before end, end past the
 * end, a read or write error). */
int	sp_vcut(struct sp_vcut_source *s, double start, double end,
	    const char *const *tags, FILE *out, struct sp_vcut_result *r,
	    char *err, size_t errlen);

#endif
