/* fuzz_measure: silences and loudness of arbitrary bytes on 2 threads. */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "measure.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	uint64_t	 last;		/* end of the stretch before */
	size_t		 n;
};

static void
on_stretch(void *ctx, uint64_t start, uint64_t end)
{
	struct seen *s = ctx;

	/* In order, not empty, not overlapping. */
	if (end <= start || start < s->last)
		__builtin_trap();
	s->last = end;
	s->n++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_segment_params p;
	struct sp_loudness_result r;
	struct seen s;
	char path[64], err[256];
	int fd, rc;

	if ((fd = memfd_create("fuzz_measure", 0)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* Short windows: chunks of 3000 x 0.2 ms (0.6 s), so that a small
	 * input has several and the workers take turns (under 5 kHz a
	 * window is under a sample: refused, with a message). */
	sp_segment_defaults(&p);
	p.window = 0.0002;
	p.min_silence = 0.01;
	p.min_speech = 0;
	sp_measure_set_jobs(2);
	memset(&s, 0, sizeof(s));
	err[0] = '\0';
	rc = sp_measure_silences(path, &p, on_stretch, &s, NULL, err,
	    sizeof(err));
	if (rc != 0 && err[0] == '\0')
		__builtin_trap();
	err[0] = '\0';
	rc = sp_measure_loudness(path, 0, NULL, NULL, &r, NULL, err,
	    sizeof(err));
	if (rc != 0 && err[0] == '\0')
		__builtin_trap();
	close(fd);
	return 0;
}
