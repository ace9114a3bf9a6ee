/* t_h264: NAL splitting, SPS/PPS and avcC against ffprobe and ffmpeg. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "tfile.h"
#include "h264.h"
#include "banned.h"

static char tmpdir[512];

static void
test_nal_next(void)
{
	static const uint8_t b[] = {
		0xAA, 0xBB,			/* junk before */
		0, 0, 0, 1, 0x09, 0xF0,		/* AUD, 4-byte code */
		0, 0, 1, 0x67, 1, 2, 0, 0,	/* SPS, trailing zeros */
		0, 0, 1, 0x65, 0, 0, 3, 1, 9,	/* IDR with 00 00 03 */
		0, 0, 1,			/* empty */
		0, 0, 0, 1, 0x41		/* slice to the end */
	};
	const uint8_t *nal;
	size_t pos = 0, len;

	T_INT(sp_h264_nal_next(b, sizeof(b), &pos, &nal, &len), 1);
	T_INT(nal - b, 6);
	T_INT(len, 2);
	T_INT(sp_h264_nal_next(b, sizeof(b), &pos, &nal, &len), 1);
	T_INT(nal[0], 0x67);
	T_INT(len, 3);
	T_INT(sp_h264_nal_next(b, sizeof(b), &pos, &nal, &len), 1);
	T_INT(nal[0], 0x65);
	T_INT(len, 6);
	T_INT(sp_h264_nal_next(b, sizeof(b), &pos, &nal, &len), 1);
	T_INT(nal[0], 0x41);
	T_INT(len, 1);
	T_INT(sp_h264_nal_next(b, sizeof(b), &pos, &nal, &len), 0);
	pos = 0;
	T_INT(sp_h264_nal_next(b, 5, &pos, &nal, &len), 0);

	{
		uint8_t out[64];
		unsigned f;
		long k = sp_h264_to_avc(b, sizeof(b), out, sizeof(out), &f);

		/* AUD dropped: SPS 3, IDR 6, slice 1, each + 4. */
		T_INT(k, 3 + 6 + 1 + 12);
		T_INT(f, SP_H264_F_SPS | SP_H264_F_IDR | SP_H264_F_SLICE);
		T_INT(out[3], 3);
		T_INT(out[4], 0x67);
		T_INT(sp_h264_avc_flags(out, (size_t)k), (int)f);
		T_INT(sp_h264_avc_flags(out, (size_t)k - 1), -1);
		T_INT(sp_h264_to_avc(b, sizeof(b), out, 10, &f), -1);
	}
}

/* The first SPS and PPS of an Annex-B file. */
static int
first_ps(const uint8_t *b, size_t n, const uint8_t **sps, size_t *sl,
    const uint8_t **pps, size_t *pl)
{
	const uint8_t *nal;
	size_t pos = 0, len;

	*sps = *pps = NULL;
	while (sp_h264_nal_next(b, n, &pos, &nal, &len)) {
		if ((nal[0] & 0x1F) == SP_H264_SPS && *sps == NULL) {
			*sps = nal;
			*sl = len;
		}
		if ((nal[0] & 0x1F) == SP_H264_PPS && *pps == NULL) {
			*pps = nal;
			*pl = len;
		}
	}
	return *sps && *pps ? 0 : -1;
}

/*
 * Encode a few frames with libx264 as raw Annex B and an MP4; our SPS
 * fields against ffprobe's and our avcC against the one ffmpeg wrote.
 */
static void
test_encoded(const char *size, const char *rate, const char *x264,
    unsigned w, unsigned h, unsigned profile, double fps, int reorder)
{
	char cmd[2048], p264[600], pmp4[600];
	const uint8_t *sps, *pps;
	struct sp_h264_sps s, s2;
	uint8_t *b, *m, avcc[1024];
	size_t n, mn, sl = 0, pl = 0, k, i;
	unsigned pid, sid;

	snprintf(p264, sizeof(p264), "%s/v.264", tmpdir);
	snprintf(pmp4, sizeof(pmp4), "%s/v.mp4", tmpdir);
	snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -v error -y -f lavfi "
	    "-i testsrc2=size=%s:rate=%s -frames:v 8 -c:v libx264 "
	    "-preset ultrafast %s -pix_fmt yuv420p '%s' && ffmpeg -nostdin "
	    "-v error -y -i '%s' -c copy '%s'", size, rate, x264, p264, p264,
	    pmp4);
	if (t_run(cmd) != 0) {
		T_OK(0);
		return;
	}
	b = t_slurp(p264, &n);
	T_INT(first_ps(b, n, &sps, &sl, &pps, &pl), 0);
	if (sps == NULL || pps == NULL) {
		free(b);
		return;
	}
	T_INT(sp_h264_sps_parse(sps, sl, &s), 0);
	T_INT(s.width, w);
	T_INT(s.height, h);
	T_INT(s.profile_idc, profile);
	T_DBL(sp_h264_fps(&s), fps, 1e-9);
	T_INT(s.has_reorder, 1);
	T_INT(s.max_num_reorder_frames, reorder);
	T_INT(sp_h264_pps_parse(pps, pl, &pid, &sid), 0);
	T_INT(pid, 0);
	T_INT(sid, s.sps_id);
	/* ffmpeg's avcC (in its MP4) equals ours byte for byte. */
	k = sp_h264_avcc(avcc, sizeof(avcc), sps, sl, pps, pl);
	T_OK(k > 0);
	m = t_slurp(pmp4, &mn);
	for (i = 4; i + 4 <= mn; i++)
		if (memcmp(m + i, "avcC", 4) == 0)
			break;
	if (T_OK(i + 4 <= mn)) {
		size_t bl = (size_t)m[i - 4] << 24 | (size_t)m[i - 3] << 16 |
		    (size_t)m[i - 2] << 8 | m[i - 1];

		T_INT(bl - 8, k);
		T_OK(bl - 8 == k && i + 4 + k <= mn &&
		    memcmp(m + i + 4, avcc, k) == 0);
		T_INT(sp_h264_avcc_sps(m + i + 4, bl - 8, &s2), 0);
		T_INT(s2.width, w);
	}
	T_INT(sp_h264_avcc(avcc, 10, sps, sl, pps, pl), 0);
	/* Cut short anywhere: refused or read, never past the end. */
	for (i = 1; i < sl; i++)
		(void)sp_h264_sps_parse(sps, i, &s2);
	T_INT(sp_h264_sps_parse(sps, 3, &s2), -1);
	free(m);
	free(b);
}

/* Cropping and the ffprobe view of the fixture stream. */
static void
test_ffprobe(void)
{
	/* 1080 lines are coded as 1088 and cropped. */
	test_encoded("1920x1080", "25", "-bf 0", 1920, 1080, 66, 25, 0);
	test_encoded("320x240", "30", "-bf 2 -x264-params bframes=2:"
	    "b-pyramid=none", 320, 240, 77, 30, 1);
	test_encoded("176x144", "30000/1001", "-profile:v baseline", 176,
	    144, 66, 30000.0 / 1001, 0);
	/* High: the avcC carries chroma and depth fields. */
	test_encoded("320x240", "30", "-preset veryfast -bf 2", 320, 240,
	    100, 30, 2);
}

static void
test_names(void)
{
	T_STR(sp_h264_profile_name(100), "High");
	T_STR(sp_h264_profile_name(66), "Baseline");
	T_STR(sp_h264_profile_name(1), "unknown");
	{
		static const uint8_t notsps[] = { 0x68, 0xCE, 0x38, 0x80 };
		struct sp_h264_sps s;
		unsigned a, b;

		T_INT(sp_h264_sps_parse(notsps, sizeof(notsps), &s), -1);
		T_INT(sp_h264_pps_parse(notsps, sizeof(notsps), &a, &b), 0);
		T_INT(sp_h264_pps_parse(notsps, 1, &a, &b), -1);
	}
}

int
main(void)
{
	char cmd[600];

	snprintf(tmpdir, sizeof(tmpdir), "%s/t_h264.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_nal_next();
	test_names();
	test_ffprobe();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
