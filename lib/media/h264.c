/* h264: H.264 Annex-B NAL units, SPS/PPS parsing, avcC (ISO/IEC 14496-15). */
#include <string.h>

#include "h264.h"
#include "banned.h"

/* An RBSP bit reader: emulation prevention bytes (00 00 03) are removed
 * into buf first; reading past the end sets bad. */
struct bits {
	uint8_t		 buf[SP_H264_PSMAX];
	size_t		 n, pos;	/* in bytes, bits */
	int		 bad;
};

static void
bits_init(struct bits *r, const uint8_t *p, size_t n)
{
	size_t i, zeros = 0;

	r->n = r->pos = 0;
	r->bad = 0;
	for (i = 0; i < n && r->n < sizeof(r->buf); i++) {
		if (zeros >= 2 && p[i] == 3) {
			zeros = 0;
			continue;
		}
		zeros = p[i] == 0 ? zeros + 1 : 0;
		r->buf[r->n++] = p[i];
	}
}

static unsigned
bit(struct bits *r)
{
	unsigned v;

	if (r->pos >= r->n * 8) {
		r->bad = 1;
		return 0;
	}
	v = r->buf[r->pos / 8] >> (7 - r->pos % 8) & 1;
	r->pos++;
	return v;
}

static uint32_t
u(struct bits *r, unsigned k)
{
	uint32_t v = 0;

	while (k--)
		v = v << 1 | bit(r);
	return v;
}

/* ue(v): at most 32 leading zeros make sense; more is damage. */
static uint32_t
ue(struct bits *r)
{
	unsigned z = 0;

	while (bit(r) == 0) {
		if (r->bad || ++z > 31) {
			r->bad = 1;
			return 0;
		}
	}
	return (uint32_t)((1ull << z) - 1 + u(r, z));
}

static int32_t
se(struct bits *r)
{
	uint32_t k = ue(r);

	return k & 1 ? (int32_t)((k + 1) / 2) : -(int32_t)(k / 2);
}

int
sp_h264_nal_next(const uint8_t *b, size_t n, size_t *pos,
    const uint8_t **nal, size_t *len)
{
	size_t i = *pos, start, end;

	for (;;) {
		/* Find a start code 00 00 01 at or after i. */
		while (i + 3 <= n && !(b[i] == 0 && b[i + 1] == 0 &&
		    b[i + 2] == 1))
			i++;
		if (i + 3 > n) {
			*pos = n;
			return 0;
		}
		start = i + 3;
		/* It ends at 00 00 00 or 00 00 01 (7.4.1: neither occurs
		 * inside a NAL unit) or at the end. */
		for (i = start; i + 3 <= n; i++)
			if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] <= 1)
				break;
		if (i + 3 > n)
			i = n;
		end = i;
		/* Trailing zero bytes belong to the next start code. */
		while (end > start && b[end - 1] == 0)
			end--;
		if (end > start)
			break;
	}
	*pos = i;
	*nal = b + start;
	*len = end - start;
	return 1;
}

static void
skip_scaling_list(struct bits *r, unsigned size)
{
	int last = 8, next = 8;
	unsigned j;

	for (j = 0; j < size && !r->bad; j++) {
		if (next != 0)
			next = (last + se(r) + 256) % 256;
		last = next == 0 ? last : next;
	}
}

static void
skip_hrd(struct bits *r)
{
	uint32_t cnt = ue(r), i;

	if (cnt > 31) {
		r->bad = 1;
		return;
	}
	u(r, 8);
	for (i = 0; i <= cnt && !r->bad; i++) {
		ue(r);
		ue(r);
		bit(r);
	}
	u(r, 20);
}

static void
vui(struct bits *r, struct sp_h264_sps *s)
{
	int nal_hrd, vcl_hrd;

	if (bit(r)) {			/* aspect_ratio_info_present */
		static const unsigned sar[17][2] = { {0, 0}, {1, 1},
		    {12, 11}, {10, 11}, {16, 11}, {40, 33}, {24, 11},
		    {20, 11}, {32, 11}, {80, 33}, {18, 11}, {15, 11},
		    {64, 33}, {160, 99}, {4, 3}, {3, 2}, {2, 1} };
		unsigned idc = u(r, 8);

		if (idc == 255) {
			s->sar_num = u(r, 16);
			s->sar_den = u(r, 16);
		} else if (idc < 17) {
			s->sar_num = sar[idc][0];
			s->sar_den = sar[idc][1];
		}
	}
	if (bit(r))			/* overscan_info_present */
		bit(r);
	if (bit(r)) {			/* video_signal_type_present */
		u(r, 4);
		if (bit(r))
			u(r, 24);
	}
	if (bit(r)) {			/* chroma_loc_info_present */
		ue(r);
		ue(r);
	}
	if (bit(r)) {			/* timing_info_present */
		s->num_units_in_tick = u(r, 32);
		s->time_scale = u(r, 32);
		s->fixed_frame_rate = (int)bit(r);
		s->timing = !r->bad && s->num_units_in_tick != 0 &&
		    s->time_scale != 0;
	}
	nal_hrd = (int)bit(r);
	if (nal_hrd)
		skip_hrd(r);
	vcl_hrd = (int)bit(r);
	if (vcl_hrd)
		skip_hrd(r);
	if (nal_hrd || vcl_hrd)
		bit(r);			/* low_delay_hrd */
	bit(r);				/* pic_struct_present */
	if (bit(r)) {			/* bitstream_restriction */
		bit(r);
		ue(r);
		ue(r);
		ue(r);
		ue(r);
		s->max_num_reorder_frames = ue(r);
		s->max_dec_frame_buffering = ue(r);
		s->has_reorder = !r->bad && s->max_num_reorder_frames <= 16;
	}
}

int
sp_h264_sps_parse(const uint8_t *nal, size_t n, struct sp_h264_sps *s)
{
	struct bits r;
	uint32_t wmbs, hmap, crop[4] = {0, 0, 0, 0}, cx, cy, i;
	int sep = 0;

	memset(s, 0, sizeof(*s));
	if (n < 4 || (nal[0] & 0x1F) != SP_H264_SPS)
		return -1;
	bits_init(&r, nal + 1, n - 1);
	s->profile_idc = u(&r, 8);
	s->constraints = u(&r, 8);
	s->level_idc = u(&r, 8);
	s->sps_id = ue(&r);
	s->chroma_format_idc = 1;
	s->bit_depth_luma = s->bit_depth_chroma = 8;
	if (s->sps_id > 31)
		return -1;
	switch (s->profile_idc) {
	case 100: case 110: case 122: case 244: case 44: case 83: case 86:
	case 118: case 128: case 138: case 139: case 134: case 135:
		s->chroma_format_idc = ue(&r);
		if (s->chroma_format_idc > 3)
			return -1;
		if (s->chroma_format_idc == 3)
			sep = (int)bit(&r);
		s->bit_depth_luma = 8 + ue(&r);
		s->bit_depth_chroma = 8 + ue(&r);
		if (s->bit_depth_luma > 14 || s->bit_depth_chroma > 14)
			return -1;
		bit(&r);		/* qpprime_y_zero_transform_bypass */
		if (bit(&r)) {		/* seq_scaling_matrix_present */
			for (i = 0; i < (s->chroma_format_idc != 3 ? 8u :
			    12u); i++)
				if (bit(&r))
					skip_scaling_list(&r, i < 6 ? 16 : 64);
		}
		break;
	default:
		break;
	}
	if (ue(&r) > 12)		/* log2_max_frame_num_minus4 */
		return -1;
	s->poc_type = ue(&r);
	if (s->poc_type == 0) {
		if (ue(&r) > 12)
			return -1;
	} else if (s->poc_type == 1) {
		uint32_t cycle;

		bit(&r);
		se(&r);
		se(&r);
		if ((cycle = ue(&r)) > 255)
			return -1;
		for (i = 0; i < cycle && !r.bad; i++)
			se(&r);
	} else if (s->poc_type != 2)
		return -1;
	s->max_num_ref_frames = ue(&r);
	bit(&r);			/* gaps_in_frame_num_allowed */
	wmbs = ue(&r) + 1;
	hmap = ue(&r) + 1;
	s->frame_mbs_only = (int)bit(&r);
	if (!s->frame_mbs_only)
		bit(&r);		/* mb_adaptive_frame_field */
	bit(&r);			/* direct_8x8_inference */
	if (bit(&r))
		for (i = 0; i < 4; i++)
			crop[i] = ue(&r);
	if (r.bad || wmbs > 1024 || hmap > 1024)
		return -1;
	if (s->chroma_format_idc == 0 || sep) {
		cx = 1;
		cy = 2 - (uint32_t)s->frame_mbs_only;
	} else {
		cx = s->chroma_format_idc == 3 ? 1 : 2;
		cy = (s->chroma_format_idc == 1 ? 2 : 1) *
		    (2 - (uint32_t)s->frame_mbs_only);
	}
	s->width = wmbs * 16;
	s->height = (2 - (uint32_t)s->frame_mbs_only) * hmap * 16;
	if ((uint64_t)cx * (crop[0] + (uint64_t)crop[1]) >= s->width ||
	    (uint64_t)cy * (crop[2] + (uint64_t)crop[3]) >= s->height)
		return -1;
	s->width -= cx * (crop[0] + crop[1]);
	s->height -= cy * (crop[2] + crop[3]);
	if (bit(&r))			/* vui_parameters_present */
		vui(&r, s);
	/* A damaged VUI leaves the picture size good: keep what was read
	 * before the damage, drop the timing if the read ran out. */
	if (r.bad) {
		s->timing = 0;
		s->has_reorder = 0;
	}
	return 0;
}

int
sp_h264_pps_parse(const uint8_t *nal, size_t n, unsigned *pps_id,
    unsigned *sps_id)
{
	struct bits r;

	if (n < 2 || (nal[0] & 0x1F) != SP_H264_PPS)
		return -1;
	bits_init(&r, nal + 1, n - 1);
	*pps_id = ue(&r);
	*sps_id = ue(&r);
	return r.bad || *pps_id > 255 || *sps_id > 31 ? -1 : 0;
}

double
sp_h264_fps(const struct sp_h264_sps *s)
{
	if (!s->timing)
		return 0;
	return (double)s->time_scale / 2.0 / (double)s->num_units_in_tick;
}

const char *
sp_h264_profile_name(unsigned p)
{
	switch (p) {
	case 66:
		return "Baseline";
	case 77:
		return "Main";
	case 88:
		return "Extended";
	case 100:
		return "High";
	case 110:
		return "High 10";
	case 122:
		return "High 4:2:2";
	case 244:
		return "High 4:4:4 Predictive";
	case 44:
		return "CAVLC 4:4:4 Intra";
	default:
		return "unknown";
	}
}

size_t
sp_h264_avcc(uint8_t *out, size_t cap, const uint8_t *sps, size_t sps_len,
    const uint8_t *pps, size_t pps_len)
{
	struct sp_h264_sps s;
	size_t need = 11 + sps_len + pps_len, at;
	int ext;

	if (sps_len > 0xFFFF || pps_len > 0xFFFF || pps_len < 1 ||
	    sp_h264_sps_parse(sps, sps_len, &s) != 0)
		return 0;
	/* The high profiles carry the chroma and depth fields too
	 * (ISO/IEC 14496-15 5.3.3.1.2). */
	ext = s.profile_idc == 100 || s.profile_idc == 110 ||
	    s.profile_idc == 122 || s.profile_idc == 144;
	if (ext)
		need += 4;
	if (need > cap)
		return 0;
	out[0] = 1;
	out[1] = sps[1];
	out[2] = sps[2];
	out[3] = sps[3];
	out[4] = 0xFC | 3;		/* lengthSizeMinusOne 3 */
	out[5] = 0xE0 | 1;
	out[6] = (uint8_t)(sps_len >> 8);
	out[7] = (uint8_t)sps_len;
	memcpy(out + 8, sps, sps_len);
	at = 8 + sps_len;
	out[at++] = 1;
	out[at++] = (uint8_t)(pps_len >> 8);
	out[at++] = (uint8_t)pps_len;
	memcpy(out + at, pps, pps_len);
	at += pps_len;
	if (ext) {
		out[at++] = (uint8_t)(0xFC | s.chroma_format_idc);
		out[at++] = (uint8_t)(0xF8 | (s.bit_depth_luma - 8));
		out[at++] = (uint8_t)(0xF8 | (s.bit_depth_chroma - 8));
		out[at++] = 0;
	}
	return at;
}

int
sp_h264_avcc_sps(const uint8_t *a, size_t n, struct sp_h264_sps *s)
{
	size_t len;

	if (n < 8 || a[0] != 1 || (a[5] & 0x1F) == 0)
		return -1;
	len = (size_t)a[6] << 8 | a[7];
	if (len > n - 8)
		return -1;
	return sp_h264_sps_parse(a + 8, len, s);
}

static unsigned
nal_flag(unsigned type)
{
	switch (type) {
	case SP_H264_IDR:
		return SP_H264_F_IDR | SP_H264_F_SLICE;
	case SP_H264_SLICE:
	case 2:
		return SP_H264_F_SLICE;
	case SP_H264_SPS:
		return SP_H264_F_SPS;
	case SP_H264_PPS:
		return SP_H264_F_PPS;
	default:
		return 0;
	}
}

long
sp_h264_to_avc(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
    unsigned *flags)
{
	const uint8_t *nal;
	size_t pos = 0, len, at = 0;

	*flags = 0;
	while (sp_h264_nal_next(in, n, &pos, &nal, &len)) {
		unsigned type = nal[0] & 0x1F;

		if (type == SP_H264_AUD || type == SP_H264_FILLER)
			continue;
		if (len > cap - at || cap - at - len < 4)
			return -1;
		out[at] = (uint8_t)(len >> 24);
		out[at + 1] = (uint8_t)(len >> 16);
		out[at + 2] = (uint8_t)(len >> 8);
		out[at + 3] = (uint8_t)len;
		memcpy(out + at + 4, nal, len);
		at += 4 + len;
		*flags |= nal_flag(type);
	}
	return (long)at;
}

int
sp_h264_avc_flags(const uint8_t *s, size_t n)
{
	size_t at = 0;
	unsigned f = 0;

	while (at < n) {
		size_t len;

		if (n - at < 5)
			return -1;
		len = (size_t)s[at] << 24 | (size_t)s[at + 1] << 16 |
		    (size_t)s[at + 2] << 8 | s[at + 3];
		if (len == 0 || len > n - at - 4)
			return -1;
		f |= nal_flag(s[at + 4] & 0x1F);
		at += 4 + len;
	}
	return (int)f;
}
