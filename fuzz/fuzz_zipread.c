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

/* The entries of z read to their end (with skip, the even ones skipped). */
static void
walk(struct sp_zip *z, int skip)
{
	struct sp_zip_entry e;
	char buf[4096];
	int k = 0;

	while (k++ < 64 && sp_zip_next(z, &e) > 0) {
		if (e.name == NULL || (e.kind == SP_ZIP_UNSAFE) != (e.why !=
		    NULL))
			__builtin_trap();
		if (e.kind == SP_ZIP_FILE && (!skip || k % 2))
			while (sp_zip_read(z, buf, sizeof(buf)) > 0)
				;
	}
	sp_zip_close(z);
}

/*
 * The input as a zip file on disk (so the central directory is read and
 * entries are skipped by seeking), every entry read to its end; as
 * a zip stream on stdin, from a pipe that holds it whole (read once,
 * every other entry skipped by splice); and as a central directory alone.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/fuzz_zipread.XXXXXX", fdpath[64];
	static int fd = -1;
	struct sp_zip *z;
	char err[600];
	size_t n = 0;
	int p[2];

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
	if ((z = sp_zip_open(fdpath, err, sizeof(err))) != NULL)
		walk(z, 0);
	/* 64 KiB: what any pipe holds, written before it is read. */
	if (size <= 65536 && pipe(p) == 0) {
		if (write(p[1], data, size) == (ssize_t)size &&
		    dup2(p[0], STDIN_FILENO) == STDIN_FILENO) {
			close(p[1]);
			p[1] = -1;
			if ((z = sp_zip_open("-", err, sizeof(err))) != NULL)
				walk(z, 1);
		}
		/* stdin stays this pipe's end, at its end, till the next. */
		if (p[0] != STDIN_FILENO)
			close(p[0]);
		if (p[1] != -1)
			close(p[1]);
	}
	return 0;
}
