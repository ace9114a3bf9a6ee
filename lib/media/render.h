/* render: the transcode path of a clip: decode, mix, fade, normalise, encode. */
#ifndef SP_RENDER_H
#define SP_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "encode.h"
#include "loudness.h"
#include "mute.h"

/*
 * A file within SP_RENDER_TOLERANCE LU of its target is on target: the
 * tolerance EBU R 128 (v4.0, 2020) gives a QC measurement of a finished
 * programme, and twice the 0.1 LU that ffmpeg's ebur128 prints.  A lossy
 * encoder misses by more (LAME 3.100 writes 0.45 dB under its input, flat;
 * Opus at 32 kb/s loses 0.6 LU of speech, most above 4 kHz), one
 * correction by far less (0.01 LU on speech).  A correction that aims at
 * the true-peak ceiling aims SP_RENDER_MARGIN dB under it: a codec's peaks
 * do not scale exactly with the gain (Opus's not at all closely).
 */
#define SP_RENDER_TOLERANCE	0.2
#define SP_RENDER_MARGIN	0.1

struct sp_render_opts {
	int	 mono;		/* average the channels */
	double	 fade_in;	/* seconds, 0: none */
	double	 fade_out;
	int	 normalise;	/* two-pass loudness to target */
	double	 target;	/* LUFS */
	double	 ceiling;	/* dBTP the true peak may reach */
	/* With normalise: apply gain (dB) in one pass instead of measuring
	 * first, as a correction does. */
	int	 gain_given;
	double	 gain;
	/* Source sample ranges made silence, exactly, with raised-cosine
	 * fades of mute_fade samples outside each (lib/mute); NULL: none. */
	const struct sp_ranges *mute;
	uint64_t mute_fade;
	/* Called after each chunk with the samples handled so far, over
	 * both passes when measuring (sp_render_work); may be NULL. */
	void	(*progress)(void *ctx, uint64_t done);
	void	*ctx;
	/* The file the decoder reads, when it is one: the measuring pass
	 * then runs in spans on every core (sp_measure_loudness_range);
	 * NULL: on the decoder, in one pass. */
	const char *path;
};

struct sp_render_result {
	uint64_t samples;	/* written, per channel */
	int	 measured;	/* loudness and true_peak are set */
	double	 loudness;	/* LUFS before the gain */
	double	 true_peak;	/* dBTP before the gain */
	double	 gain;		/* dB applied (with normalise) */
};

/* The channel count the encoder must be made for. */
unsigned sp_render_channels(const struct sp_decoder *d,
	    const struct sp_render_opts *o);

/* The samples sp_render hands to o->progress for a clip of n. */
uint64_t sp_render_work(const struct sp_render_opts *o, uint64_t n);

/*
 * Write samples [start, end) of d, processed, into e (the caller made it
 * for the decoder's rate and sp_render_channels; it finishes it).  With
 * o->normalise, the clip is decoded twice: once to measure its loudness
 * and true peak after mixing and fades, once to write it with one linear
 * gain, sp_render_aim's (never a compressor).  With o->gain_given too,
 * once, at o->gain.  0, or -1 with err.
 */
int	sp_render(struct sp_decoder *d, uint64_t start, uint64_t end,
	    const struct sp_render_opts *o, struct sp_encoder *e,
	    struct sp_render_result *r, char *err, size_t errlen);

/*
 * The gain (dB) that brings audio measured m (borrowed) with gain applied
 * to o->target, lowered if need be so that its true peak stays margin dB
 * under o->ceiling (*capped is then 1, else 0).  Audio without a loudness
 * (silence, under 0.4 s) keeps gain.
 */
double	sp_render_aim(const struct sp_render_opts *o, double gain,
	    const struct sp_loudness_result *m, double margin, int *capped);

/*
 * An encoded file made with gain measures m: 1 when it needs another
 * encode, at the gain set in *next (sp_render_aim, SP_RENDER_MARGIN under
 * the ceiling): its true peak is over the ceiling (sp_render_over), or
 * the gain would move by more than SP_RENDER_TOLERANCE.  0: keep it.
 */
int	sp_render_correct(const struct sp_render_opts *o, double gain,
	    const struct sp_loudness_result *m, double *next);

/* 1 when true_peak is over o->ceiling by what two decimals show (0.005). */
int	sp_render_over(const struct sp_render_opts *o, double true_peak);

/*
 * 1 when a file measured b is better than one measured a: under the
 * ceiling where a is over; both over, a lower true peak; both under,
 * nearer the target.  Else 0 (a tie keeps a).
 */
int	sp_render_better(const struct sp_render_opts *o,
	    const struct sp_loudness_result *a,
	    const struct sp_loudness_result *b);

/*
 * Decode the audio file at path to its end (lib/decode, a chunk at a
 * time) and measure it into m, as written: mono counted once, like
 * ffmpeg's ebur128.  progress, if not NULL, gets the samples decoded so
 * far.  0, or -1 with err.
 */
int	sp_render_measure(const char *path, void (*progress)(void *, uint64_t),
	    void *ctx, struct sp_loudness_result *m, char *err, size_t errlen);

#endif
