/* render: the transcode path of a clip: decode, mix, fade, normalise, encode. */
#ifndef SP_RENDER_H
#define SP_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "encode.h"

struct sp_render_opts {
	int	 mono;		/* average the channels */
	double	 fade_in;	/* seconds, 0: none */
	double	 fade_out;
	int	 normalise;	/* two-pass loudness to target */
	double	 target;	/* LUFS */
	double	 ceiling;	/* dBTP the true peak may reach */
	/* Called after each chunk with the samples handled so far, over
	 * both passes when normalising (2 x the clip); may be NULL. */
	void	(*progress)(void *ctx, uint64_t done);
	void	*ctx;
};

struct sp_render_result {
	uint64_t samples;	/* written, per channel */
	int	 measured;	/* the fields below are set */
	double	 loudness;	/* LUFS before the gain */
	double	 true_peak;	/* dBTP before the gain */
	double	 gain;		/* dB applied */
	double	 missed;	/* LU short of the target, 0 when met */
};

/* The channel count the encoder must be made for. */
unsigned sp_render_channels(const struct sp_decoder *d,
	    const struct sp_render_opts *o);

/*
 * Write samples [start, end) of d, processed, into e (the caller made it
 * for the decoder's rate and sp_render_channels; it finishes it).  With
 * o->normalise, the clip is decoded twice: once to measure its loudness
 * and true peak after mixing and fades, once to write it with one linear
 * gain: target - loudness, lowered so the true peak stays at or under
 * the ceiling (never a compressor); r->missed says by how much the
 * ceiling kept it from the target.  0, or -1 with err.
 */
int	sp_render(struct sp_decoder *d, uint64_t start, uint64_t end,
	    const struct sp_render_opts *o, struct sp_encoder *e,
	    struct sp_render_result *r, char *err, size_t errlen);

#endif
