/* fuzz_decode: decode arbitrary bytes as a file: no crash, totals agree. */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static float buf[4096 * 8];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	struct sp_decoder *d;
	const struct sp_decode_info *in;
	uint64_t n = 0, total;
	int fd, known;
	long r;

	/* A memfd, named through /proc so the decoder opens it by path. */
	if ((fd = memfd_create("fuzz_decode", 0)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	d = sp_decode_open(path, err, sizeof(err));
	if (d == NULL) {
		if (err[0] == '\0')
			__builtin_trap();
		close(fd);
		return 0;
	}
	in = sp_decode_info(d);
	if (in->channels == 0 || in->sample_rate == 0 || in->format == NULL ||
	    in->codec == NULL)
		__builtin_trap();
	known = in->total_known;
	total = in->total;
	while ((r = sp_decode_read(d, buf, 4096 * 8 / in->channels)) > 0) {
		n += (uint64_t)r;
		/* Bounded: our own containers cannot outgrow their input. */
		if (n > (uint64_t)1 << 32)
			break;
	}
	/* An ADTS total comes from our own frame count: exact. */
	if (r == 0 && known && strcmp(in->format, "adts") == 0 && n != total)
		__builtin_trap();
	if (r == 0 && in->total != n)
		__builtin_trap();
	if (in->seekable && n > 0) {
		sp_decode_seek(d, n / 2);
		sp_decode_read(d, buf, 1);
	}
	sp_decode_close(d);
	close(fd);
	return 0;
}
