/* loudness: EBU R128 / ITU-R BS.1770 measurement: libebur128, our true peak. */
#ifndef SP_LOUDNESS_H
#define SP_LOUDNESS_H

#include <stddef.h>

struct sp_loudness;

/* The results; a value that cannot be measured (too short, silence) is
 * -HUGE_VAL (integrated, peaks) or 0 (range). */
struct sp_loudness_result {
	double	 integrated;	/* LUFS */
	double	 range;		/* LRA, LU */
	double	 true_peak;	/* dBTP, the maximum over channels */
	double	 sample_peak;	/* dBFS, the maximum over channels */
};

/*
 * A new meter for interleaved float frames at rate Hz; free it with
 * sp_loudness_free.  dual_mono: count a mono channel twice (+3.01 dB, the
 * "-16 stereo = -19 mono" convention; ffmpeg's ebur128=dualmono=1).
 * Memory is bounded (histogram mode).  NULL when libebur128 refuses the
 * parameters.
 */
struct sp_loudness *sp_loudness_new(unsigned channels, unsigned rate,
	    int dual_mono);
/*
 * A meter of some of the measures only: SP_LOUDNESS_GATED (integrated
 * loudness and the peaks), SP_LOUDNESS_RANGE (LRA), or both.
 */
enum { SP_LOUDNESS_GATED = 1, SP_LOUDNESS_RANGE = 2 };
struct sp_loudness *sp_loudness_new_parts(unsigned channels, unsigned rate,
	    int dual_mono, int parts);
/* Feed frames x channels floats (borrowed).  0, or -1. */
int	sp_loudness_add(struct sp_loudness *l, const float *pcm, size_t frames);
/* The results so far.  0, or -1. */
int	sp_loudness_get(struct sp_loudness *l, struct sp_loudness_result *r);
/*
 * The results of n meters (at most 128) of the same rate and channels, fed
 * consecutive spans of one input: each measure from the meters that have
 * it, as one meter fed the whole input would give it when the spans'
 * blocks tile the input (lib/media/measure.c says how).  0, or -1.
 */
int	sp_loudness_get_multiple(struct sp_loudness **ls, size_t n,
	    struct sp_loudness_result *r);
void	sp_loudness_free(struct sp_loudness *l);

#endif
