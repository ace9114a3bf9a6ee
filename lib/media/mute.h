/* mute: silence for stretches of a clip: silent AAC frames, sample ranges. */
#ifndef SP_MUTE_H
#define SP_MUTE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of the longest silent raw data block (7.1: 5 elements). */
#define SP_AAC_SILENT_MAX	32

/*
 * A silent AAC-LC raw data block (no ADTS header) for ADTS channel
 * configuration 1-7 (ISO/IEC 14496-3 Table 1.19: SCE, CPE, SCE+CPE, ...,
 * with an LFE in 6 and 7): every element with max_sfb 0, so no spectral
 * data, then ID_END.  It decodes to 1024 zero samples per channel once
 * the frame before it is silent too (the MDCT overlap).  Returns its
 * length, or 0 for another configuration.
 */
size_t	sp_aac_silent(unsigned chan_config, uint8_t buf[SP_AAC_SILENT_MAX]);

/* Sample ranges [a, b) as pairs, sorted and disjoint (v owned). */
struct sp_ranges {
	uint64_t	*v;		/* 2 * n */
	size_t		 n, cap;
};

void	sp_ranges_init(struct sp_ranges *r);
void	sp_ranges_release(struct sp_ranges *r);
/* Add [a, b) (nothing when empty), joining what overlaps or touches. */
void	sp_ranges_add(struct sp_ranges *r, uint64_t a, uint64_t b);
/* 1 when [a, b) meets a range. */
int	sp_ranges_meet(const struct sp_ranges *r, uint64_t a, uint64_t b);

/*
 * The gain of muting at sample s: 0 inside a range, a raised-cosine ramp
 * over the fade samples on either side (outside the range), else 1.
 * *cursor (start it at 0) makes a run over rising s cost O(1) a sample.
 */
double	sp_ranges_gain(const struct sp_ranges *r, uint64_t s, uint64_t fade,
	    size_t *cursor);

#endif
