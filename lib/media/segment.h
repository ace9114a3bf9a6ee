/* segment: speech stretches between silences, streaming over float PCM. */
#ifndef SP_SEGMENT_H
#define SP_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The level of each window (RMS over all channels, dBFS) is compared with
 * a threshold.  Hysteresis in time: a speech stretch ends only at a
 * silence of at least min_silence (it ends where that silence starts);
 * a stretch shorter than min_speech is dropped.  Boundaries fall on
 * window edges, so they are within one window of the truth.
 */
/* The defaults, for option parsers. */
#define SP_SEGMENT_THRESHOLD	(-40.0)	/* dBFS */
#define SP_SEGMENT_MIN_SILENCE	0.5	/* seconds */
#define SP_SEGMENT_MIN_SPEECH	0.3	/* seconds */

struct sp_segment_params {
	double	 threshold_db;	/* default -40 (ffmpeg silencedetect n) */
	double	 min_silence;	/* seconds, default 0.5 (silencedetect d) */
	double	 min_speech;	/* seconds, default 0.3 */
	double	 window;	/* seconds, default 0.02 (20 ms) */
};

/* Fill p with the defaults above. */
void	sp_segment_defaults(struct sp_segment_params *p);

/* Called once per speech stretch [start, end), in samples per channel
 * from the first sample fed, in order. */
typedef void sp_segment_fn(void *ctx, uint64_t start, uint64_t end);

struct sp_segmenter;

/* New, for sp_segment_free; p is copied (NULL: defaults).  NULL when a
 * parameter is out of range. */
struct sp_segmenter *sp_segment_new(unsigned channels, unsigned rate,
	    const struct sp_segment_params *p, sp_segment_fn *fn, void *ctx);
/* Feed frames x channels interleaved floats (borrowed); any split. */
void	sp_segment_add(struct sp_segmenter *s, const float *pcm,
	    size_t frames);
/*
 * The same in two steps, for callers that scan windows on threads of their
 * own: sp_segment_scan summarises one window's frames (at most
 * sp_segment_window of them: the sum of squares over every channel, and
 * the frame of its first sample above the threshold's amplitude, or
 * SIZE_MAX); it reads only the parameters of s, so threads may call it at
 * once.  sp_segment_push takes the summaries in order, each of a whole
 * window but the last.  sp_segment_add scans whole windows where they
 * lie, so any split of the input, and any split of the scanning, gives
 * the same result.
 */
size_t	sp_segment_window(const struct sp_segmenter *s);
void	sp_segment_scan(const struct sp_segmenter *s, const float *pcm,
	    size_t frames, double *sumsq, size_t *hot);
void	sp_segment_push(struct sp_segmenter *s, size_t frames, double sumsq,
	    size_t hot);
/* The end of the input: report the last stretch.  Once. */
void	sp_segment_finish(struct sp_segmenter *s);
void	sp_segment_free(struct sp_segmenter *s);

#endif
