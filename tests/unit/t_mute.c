/* t_mute: silent AAC frames (decoded by libfaad2), ranges and their gain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "mute.h"
#include "t.h"

/* An ADTS header for an AAC-LC frame of len bytes, 48 kHz, config cc. */
static void
adts(uint8_t h[7], unsigned cc, size_t len)
{
	size_t n = len + 7;

	h[0] = 0xFF;
	h[1] = 0xF1;
	h[2] = (uint8_t)((1 << 6) | (3 << 2) | (cc >> 2));
	h[3] = (uint8_t)(((cc & 3) << 6) | (n >> 11));
	h[4] = (uint8_t)((n >> 3) & 0xFF);
	h[5] = (uint8_t)(((n & 7) << 5) | 0x1F);
	h[6] = 0xFC;
}

/* Eight silent frames of configuration cc decode, undamaged, to zeros. */
static void
decodes_silent(unsigned cc)
{
	static const unsigned chans[8] = { 0, 1, 2, 3, 4, 5, 6, 8 };
	uint8_t f[SP_AAC_SILENT_MAX], h[7];
	char path[] = "/tmp/t_mute.XXXXXX", err[256];
	struct sp_decoder *d;
	float buf[1024 * 8];
	long got, i, total = 0, nonzero = 0;
	size_t len = sp_aac_silent(cc, f);
	FILE *fp;
	int fd, k;

	T_OK(len > 0 && len <= SP_AAC_SILENT_MAX);
	fd = mkstemp(path);
	fp = fdopen(fd, "wb");
	adts(h, cc, len);
	for (k = 0; k < 8; k++) {
		fwrite(h, 1, 7, fp);
		fwrite(f, 1, len, fp);
	}
	fclose(fp);
	d = sp_decode_open(path, err, sizeof(err));
	T_OK(d != NULL);
	if (d != NULL) {
		T_INT(sp_decode_info(d)->channels, chans[cc]);
		while ((got = sp_decode_read(d, buf, 1024)) > 0) {
			for (i = 0; i < got * (long)chans[cc]; i++)
				nonzero += buf[i] != 0;
			total += got;
		}
		T_INT(got, 0);
		T_INT(total, 8 * 1024);
		T_INT(nonzero, 0);
		T_INT(sp_decode_damaged(d), 0);
		sp_decode_close(d);
	}
	unlink(path);
}

static void
test_ranges(void)
{
	struct sp_ranges r;
	size_t cur = 0;

	sp_ranges_init(&r);
	sp_ranges_add(&r, 100, 200);
	sp_ranges_add(&r, 300, 400);
	sp_ranges_add(&r, 50, 60);
	sp_ranges_add(&r, 5, 5);		/* empty */
	T_INT((int)r.n, 3);
	T_INT((long long)r.v[0], 50);
	sp_ranges_add(&r, 150, 300);		/* joins two */
	T_INT((int)r.n, 2);
	T_INT((long long)r.v[2], 100);
	T_INT((long long)r.v[3], 400);
	sp_ranges_add(&r, 40, 50);		/* touches */
	T_INT((int)r.n, 2);
	T_INT((long long)r.v[0], 40);
	sp_ranges_add(&r, 1000, 1001);
	sp_ranges_add(&r, 0, 2000);		/* swallows all */
	T_INT((int)r.n, 1);
	T_INT((long long)r.v[1], 2000);
	T_OK(sp_ranges_meet(&r, 1999, 3000));
	T_OK(!sp_ranges_meet(&r, 2000, 3000));
	sp_ranges_release(&r);

	sp_ranges_add(&r, 100, 200);
	sp_ranges_add(&r, 210, 300);
	T_DBL(sp_ranges_gain(&r, 0, 10, &cur), 1, 0);
	T_DBL(sp_ranges_gain(&r, 90, 10, &cur), 1, 0);
	T_DBL(sp_ranges_gain(&r, 95, 10, &cur), 0.5, 1e-12);
	T_DBL(sp_ranges_gain(&r, 100, 10, &cur), 0, 0);
	T_DBL(sp_ranges_gain(&r, 199, 10, &cur), 0, 0);
	T_OK(sp_ranges_gain(&r, 200, 10, &cur) > 0);
	/* Between two close ranges: the lower of the two ramps. */
	T_DBL(sp_ranges_gain(&r, 205, 10, &cur), 0.5 - 0.5 * cos(M_PI * 0.5),
	    1e-12);
	T_DBL(sp_ranges_gain(&r, 299, 10, &cur), 0, 0);
	T_DBL(sp_ranges_gain(&r, 310, 10, &cur), 1, 0);
	T_INT((int)cur, 2);
	sp_ranges_release(&r);
}

int
main(void)
{
	unsigned cc;
	uint8_t f[SP_AAC_SILENT_MAX];

	T_INT(sp_aac_silent(0, f), 0);
	T_INT(sp_aac_silent(8, f), 0);
	for (cc = 1; cc <= 7; cc++)
		decodes_silent(cc);
	test_ranges();
	return t_done();
}
