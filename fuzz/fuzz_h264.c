/* fuzz_h264: NAL splitting, SPS/PPS parsing and avcC on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h264.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nal, *sps = NULL, *pps = NULL;
	size_t pos = 0, len, sl = 0, pl = 0, cap, last = 0;
	struct sp_h264_sps s;
	uint8_t avcc[2048], *out;
	unsigned flags, a, b;
	long k;

	while (sp_h264_nal_next(data, size, &pos, &nal, &len)) {
		/* Inside the input, in order, never empty. */
		if (nal < data + last || len == 0 || nal + len > data + size ||
		    pos > size)
			__builtin_trap();
		last = (size_t)(nal - data) + len;
		if (sp_h264_sps_parse(nal, len, &s) == 0) {
			if (s.width == 0 || s.height == 0 || s.width > 16384 ||
			    s.height > 32768 || s.sps_id > 31 ||
			    (s.timing && sp_h264_fps(&s) <= 0))
				__builtin_trap();
			sps = nal;
			sl = len;
		}
		if (sp_h264_pps_parse(nal, len, &a, &b) == 0) {
			pps = nal;
			pl = len;
		}
	}
	if (sps != NULL && pps != NULL) {
		size_t n = sp_h264_avcc(avcc, sizeof(avcc), sps, sl, pps, pl);

		if (n > 0 && (sp_h264_avcc_sps(avcc, n, &s) != 0 ||
		    avcc[0] != 1))
			__builtin_trap();
	}
	(void)sp_h264_avcc_sps(data, size, &s);
	/* The documented capacity always suffices, and the result walks. */
	cap = size + size / 2 + 16;
	if ((out = malloc(cap)) == NULL)
		return 0;
	k = sp_h264_to_avc(data, size, out, cap, &flags);
	if (k < 0 || (k > 0 && sp_h264_avc_flags(out, (size_t)k) !=
	    (int)flags))
		__builtin_trap();
	free(out);
	return 0;
}
