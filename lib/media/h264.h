/* h264: H.264 Annex-B NAL units, SPS/PPS parsing, avcC (ISO/IEC 14496-15). */
#ifndef SP_H264_H
#define SP_H264_H

#include <stddef.h>
#include <stdint.h>

/* NAL unit types (ITU-T H.264 Table 7-1) the toolkit uses. */
#define SP_H264_SLICE	1
#define SP_H264_IDR	5
#define SP_H264_SEI	6
#define SP_H264_SPS	7
#define SP_H264_PPS	8
#define SP_H264_AUD	9
#define SP_H264_FILLER	12

#define SP_H264_PSMAX	512	/* bytes kept of one SPS or PPS */

/* What a sequence parameter set says (7.3.2.1.1, E.1.1). */
struct sp_h264_sps {
	unsigned	 profile_idc, constraints, level_idc;
	unsigned	 sps_id;
	unsigned	 chroma_format_idc;	/* 1 (4:2:0) unless said */
	unsigned	 bit_depth_luma, bit_depth_chroma;
	unsigned	 poc_type, max_num_ref_frames;
	int		 frame_mbs_only;	/* 0: interlaced coding allowed */
	unsigned	 width, height;		/* after cropping, pixels */
	unsigned	 sar_num, sar_den;	/* 0 0 when not said */
	int		 timing;		/* VUI timing_info_present */
	uint32_t	 num_units_in_tick, time_scale;
	int		 fixed_frame_rate;
	int		 has_reorder;		/* bitstream_restriction */
	unsigned	 max_num_reorder_frames, max_dec_frame_buffering;
};

/*
 * The next NAL unit of an Annex-B byte stream after *pos (0 to start):
 * 1 with *nal (borrowed, its header byte first, start code and trailing
 * zero bytes left out) and *len, *pos moved past it; 0 when none is left.
 * Bytes before the first start code are skipped.
 */
int	sp_h264_nal_next(const uint8_t *b, size_t n, size_t *pos,
	    const uint8_t **nal, size_t *len);

/* Parse an SPS NAL unit (header byte included, emulation prevention
 * bytes in place): 0, or -1 when it is cut short or out of range. */
int	sp_h264_sps_parse(const uint8_t *nal, size_t n,
	    struct sp_h264_sps *s);

/* Parse the ids of a PPS NAL unit: 0, or -1. */
int	sp_h264_pps_parse(const uint8_t *nal, size_t n, unsigned *pps_id,
	    unsigned *sps_id);

/* Frames per second the SPS's VUI timing says (time_scale / 2 /
 * num_units_in_tick), or 0 when it says nothing. */
double	sp_h264_fps(const struct sp_h264_sps *s);

/* "Baseline", "Main", "High", ... (static) for a profile_idc. */
const char *sp_h264_profile_name(unsigned profile_idc);

/*
 * Build an AVCDecoderConfigurationRecord (avcC) from one SPS and one PPS
 * NAL unit into out (cap bytes): its length, or 0 when it does not fit or
 * the SPS is not one.  NAL lengths are 4 bytes in the samples.
 */
size_t	sp_h264_avcc(uint8_t *out, size_t cap, const uint8_t *sps,
	    size_t sps_len, const uint8_t *pps, size_t pps_len);

/* The first SPS of an avcC, parsed: 0, or -1. */
int	sp_h264_avcc_sps(const uint8_t *avcc, size_t n,
	    struct sp_h264_sps *s);

/*
 * Rewrite one access unit from Annex B to 4-byte length prefixes
 * (ISO/IEC 14496-15), dropping access unit delimiters and filler data,
 * into out (cap >= n + n / 2 + 16 always suffices): the length written
 * (0 when no NAL unit is left), or -1 when out is too small.  *flags
 * gets SP_H264_F_* bits for what the unit held.
 */
#define SP_H264_F_IDR	1	/* an IDR slice: a sync sample */
#define SP_H264_F_SPS	2
#define SP_H264_F_PPS	4
#define SP_H264_F_SLICE	8	/* any coded slice */
long	sp_h264_to_avc(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
	    unsigned *flags);

/* Walk a length-prefixed (4-byte) sample: SP_H264_F_* bits, or -1 when
 * the lengths do not add up. */
int	sp_h264_avc_flags(const uint8_t *s, size_t n);

#endif
