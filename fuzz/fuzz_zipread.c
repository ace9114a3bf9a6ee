/* fuzz_zipread: a zip file through zipread: central directory, entries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zipread.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
count(void *ctx, const char *name, size_t len, unsigned type)
{
	size_t *n = ctx;

	/* The name lies inside the buffer: touch every byte of it. */
	if (len > 0 && memchr(name, '\0', len) == name + len)
		__builtin_trap();
	*n += type & 1;
}

/*
 * The input as a zip file on disk (so the central directory is read and
 * entries are skipped by seeking), every entry read to its end; and the
 * input as a central directory alone.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/fuzz_zipread.XXXXXX", fdpath[64];
	static int fd = -1;
	struct sp_zip_entry e;
	struct sp_zip *z;
	char buf[4096], err[600];
	size_t n = 0;
	int k = 0;

	if (fd == -1) {
		/* Unlinked at once: reached through /proc, nothing left. */
		if ((fd = mkstemp(path)) == -1 || unlink(path) != 0)
			abort();
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	sp_zip_cd_walk(data, size, count, &n);
	if ((z = sp_zip_open(fdpath, err, sizeof(err))) == NULL)
		return 0;
	while (k++ < 64 && sp_zip_next(z, &e) > 0) {
		if (e.name == NULL || (e.kind == SP_ZIP_UNSAFE) != (e.why !=
		    NULL))
			__builtin_trap();
		if (e.kind == SP_ZIP_FILE)
			while (sp_zip_read(z, buf, sizeof(buf)) > 0)
				;
	}
	sp_zip_close(z);
	return 0;
}
