/* loudness: EBU R128 / ITU-R BS.1770 measurement over libebur128. */
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
/* Feed frames x channels floats (borrowed).  0, or -1. */
int	sp_loudness_add(struct sp_loudness *l, const float *pcm, size_t frames);
/* The results so far.  0, or -1. */
int	sp_loudness_get(struct sp_loudness *l, struct sp_loudness_result *r);
void	sp_loudness_free(struct sp_loudness *l);

#endif
