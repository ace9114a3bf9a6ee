/* measure: the loudness of a file, measured in spans on every core. */
#ifndef SP_MEASURE_H
#define SP_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "loudness.h"
#include "segment.h"

/* A span is at least this long, in seconds: shorter inputs use fewer. */
#define SP_MEASURE_MIN_SPAN	30.0

/*
 * How many spans at most to measure at once: n, or 0 (the default) for
 * the online CPUs.  For the whole process, as a command's --jobs says.
 */
void	sp_measure_set_jobs(unsigned n);
/* The number in effect. */
unsigned sp_measure_jobs(void);

/*
 * Measure the loudness of the audio file path (any format sp_decode_open
 * reads) into r: the input is cut into up to sp_measure_jobs() spans of
 * at least SP_MEASURE_MIN_SPAN seconds, each decoded and measured by a
 * thread of its own, and the meters merged (sp_loudness_get_multiple):
 * within 0.05 LU and 0.05 dB of one pass.  An input that cannot seek, or
 * whose seek decodes up to the target (Vorbis), is measured in one pass.
 * dual_mono as sp_loudness_new.  progress, when not NULL, is called now
 * and then with an estimate of the samples done (per channel, of the
 * whole input).  *damaged gets the count of AAC frames decoded as silence
 * (may be NULL).  0, or -1 with the reason in err.
 */
int	sp_measure_loudness(const char *path, int dual_mono,
	    void (*progress)(void *, uint64_t), void *ctx,
	    struct sp_loudness_result *r, uint64_t *damaged, char *err,
	    size_t errlen);

/*
 * What is measured, when not the decoded samples themselves: fn turns
 * frames of them (the decoder's channels, interleaved), the first at
 * sample pos of the input, into frames of channels each in out.  It is
 * called on several threads at once, with blocks in order within a span.
 */
struct sp_measure_shape {
	unsigned	 channels;
	void		(*fn)(void *ctx, const float *in, float *out,
			    size_t frames, uint64_t pos);
	void		*ctx;
};

/*
 * As sp_measure_loudness, of samples [lo, hi) of the input only (hi past
 * the end: to the end), shaped by shape (NULL: as decoded); the spans
 * start on whole seconds from lo.  The input must seek when lo > 0.
 */
int	sp_measure_loudness_range(const char *path, uint64_t lo, uint64_t hi,
	    const struct sp_measure_shape *shape, int dual_mono,
	    void (*progress)(void *, uint64_t), void *ctx,
	    struct sp_loudness_result *r, uint64_t *damaged, char *err,
	    size_t errlen);

/*
 * Find the speech stretches of the audio file path, as one pass of
 * sp_segment_add would (p as sp_segment_new; fn is called in order, on
 * this thread): the input is cut into chunks of whole windows, scanned by
 * up to sp_measure_jobs() threads with a decoder each, and pushed in
 * order into one segmenter, at most two chunks a thread held at once.
 * Equal to one pass where the decoder's seek is (see sp_decode_seek); an
 * input that cannot seek, or whose seek decodes (Vorbis), is scanned in
 * one pass.
 * *damaged as sp_measure_loudness (may be NULL).  0, or -1 with err.
 */
int	sp_measure_silences(const char *path,
	    const struct sp_segment_params *p, sp_segment_fn *fn, void *ctx,
	    uint64_t *damaged, char *err, size_t errlen);

#endif
