/* zipread: a zip archive's entries in one pass, over libarchive. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "xalloc.h"
#include "zipread.h"
#include "banned.h"

#define BLOCK (64 * 1024)

/*
 * A pipe is read in blocks of PIPEBLOCK and asked to hold as much (Linux's
 * F_SETPIPE_SZ; the default is 64 KiB).  Through a 64 KiB pipe a writer
 * such as cat(1), which writes 128 KiB at a time, and this reader take
 * turns every 64 KiB, and on a busy machine each turn waits for the
 * scheduler: listing 2 GB from cat took 1.9 s so (median of 9, the two
 * cores shared), 0.75 s through 1 MiB with splice (bench/archive.sh).
 */
#define PIPEBLOCK (1024 * 1024)

/* The central directory read whole only up to this size. */
#define CDMAX (64u << 20)

struct sp_zip {
	struct archive	*a;
	int		 fd;
	int64_t		 size;
	unsigned char	*buf;		/* a pipe's read buffer */
	int		 null;		/* /dev/null to splice to, or -1 */
	char		**odd;		/* names of non-regular Unix entries */
	size_t		 nodd;
	char		 err[512];
};

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

size_t
sp_zip_cd_walk(const void *buf, size_t n,
    void (*fn)(void *ctx, const char *name, size_t len, unsigned type),
    void *ctx)
{
	const unsigned char *p = buf;
	size_t off = 0, len, count = 0;
	uint32_t attr;

	/* APPNOTE 4.3.12: 46 bytes, then name, extra field and comment. */
	while (n - off >= 46 && memcmp(p + off, "PK\1\2", 4) == 0) {
		len = 46 + (size_t)le16(p + off + 28) + le16(p + off + 30) +
		    le16(p + off + 32);
		if (len > n - off)
			break;
		attr = le32(p + off + 38);
		fn(ctx, (const char *)p + off + 46, le16(p + off + 28),
		    p[off + 5] == 3 ? (attr >> 16) & 0170000 : 0);
		off += len;
		count++;
	}
	return count;
}

static void
note_odd(void *ctx, const char *name, size_t len, unsigned type)
{
	struct sp_zip *z = ctx;

	if (type == 0 || type == 0100000 || type == 0040000 ||
	    type == 0120000)
		return;
	z->odd = sp_xreallocarray(z->odd, z->nodd + 1, sizeof(*z->odd));
	z->odd[z->nodd++] = sp_xstrndup(name, len);
}

/* pread all of n bytes at off: 0, or -1. */
static int
pread_all(int fd, void *buf, size_t n, int64_t off)
{
	ssize_t r;
	size_t got = 0;

	while (got < n) {
		r = pread(fd, (char *)buf + got, n - got, (off_t)off + got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/*
 * Find the central directory of a seekable zip (the end record, and the
 * ZIP64 one when it points there) and note its non-regular entries.  Any
 * doubt leaves the list empty: libarchive then judges the zip alone.
 */
static void
scan_cd(struct sp_zip *z)
{
	unsigned char tail[65536 + 22], z64[56], *cd;
	size_t n = z->size < (int64_t)sizeof(tail) ? (size_t)z->size :
	    sizeof(tail), k;
	uint64_t cdoff, cdsize;

	if (n < 22 || pread_all(z->fd, tail, n, z->size - (int64_t)n) != 0)
		return;
	for (k = n - 22; k > 0 && memcmp(tail + k, "PK\5\6", 4) != 0; k--)
		;
	if (memcmp(tail + k, "PK\5\6", 4) != 0)
		return;
	cdsize = le32(tail + k + 12);
	cdoff = le32(tail + k + 16);
	if (k >= 20 && memcmp(tail + k - 20, "PK\6\7", 4) == 0 &&
	    (cdsize == 0xffffffff || cdoff == 0xffffffff)) {
		if (le64(tail + k - 12) > (uint64_t)z->size - 56 ||
		    pread_all(z->fd, z64, sizeof(z64), (int64_t)le64(tail + k -
		    12)) != 0 || memcmp(z64, "PK\6\6", 4) != 0)
			return;
		cdsize = le64(z64 + 40);
		cdoff = le64(z64 + 48);
	}
	if (cdsize == 0 || cdsize > CDMAX || cdoff > (uint64_t)z->size ||
	    cdsize > (uint64_t)z->size - cdoff)
		return;
	cd = sp_xmalloc(cdsize);
	if (pread_all(z->fd, cd, cdsize, (int64_t)cdoff) == 0)
		sp_zip_cd_walk(cd, cdsize, note_odd, z);
	free(cd);
}

int
sp_zip_name_safe(const char *name)
{
	const char *p = name;
	size_t n;

	if (*name == '\0' || *name == '/' || *name == '\\')
		return 0;
	/* Every component: not "..", and no backslash (a DOS path). */
	while (*p) {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		if (memchr(p, '\\', n) != NULL)
			return 0;
		p += n;
		while (*p == '/')
			p++;
	}
	return 1;
}

/* libarchive's read callback for a stream: a pipe, a socket, a tty. */
static la_ssize_t
stream_read(struct archive *a, void *ctx, const void **buf)
{
	struct sp_zip *z = ctx;
	ssize_t r;

	while ((r = read(z->fd, z->buf, PIPEBLOCK)) == -1 && errno == EINTR)
		;
	if (r == -1)
		archive_set_error(a, errno, "read error: %s", strerror(errno));
	*buf = z->buf;
	return r;
}

/*
 * libarchive's skip callback for a stream: the bytes of an entry not read
 * (all but the Spaces audio and a few data files, for a listing) are moved
 * from the pipe to /dev/null by splice(2), never copied here.  Returns the
 * bytes skipped, 0 when this cannot skip (not a pipe, an error, the end):
 * libarchive then reads and discards the rest, and meets any error or
 * the end itself.
 */
static la_int64_t
stream_skip(struct archive *a, void *ctx, la_int64_t n)
{
	struct sp_zip *z = ctx;
	la_int64_t done = 0;
	ssize_t r;

	(void)a;
#ifdef SPLICE_F_MOVE
	while (z->null != -1 && done < n) {
		r = splice(z->fd, NULL, z->null, NULL, (size_t)(n - done >
		    PIPEBLOCK ? PIPEBLOCK : n - done), SPLICE_F_MOVE);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == -1 && done == 0 && (errno == EINVAL ||
			    errno == ESPIPE)) {
				/* Not a pipe: read from now on. */
				close(z->null);
				z->null = -1;
			}
			break;
		}
		done += r;
	}
#else
	(void)z;
	(void)n;
	(void)r;
#endif
	return done;
}

struct sp_zip *
sp_zip_open(const char *path, char *err, size_t errlen)
{
	struct sp_zip *z = sp_xcalloc(1, sizeof(*z));
	struct stat st;
	int r;

	z->size = -1;
	z->null = -1;
	if (strcmp(path, "-") == 0)
		z->fd = STDIN_FILENO;
	else if ((z->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
		free(z);
		return NULL;
	}
	if (fstat(z->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		z->size = st.st_size;
		scan_cd(z);
	}
	z->a = archive_read_new();
	/* Streamable and seekable readers: libarchive picks by the input. */
	archive_read_support_format_zip(z->a);
	if (z->size >= 0)
		r = archive_read_open_fd(z->a, z->fd, BLOCK);
	else {
#ifdef F_SETPIPE_SZ
		/* Refused beyond /proc/sys/fs/pipe-max-size: then less. */
		if (fcntl(z->fd, F_SETPIPE_SZ, PIPEBLOCK) == -1)
			(void)fcntl(z->fd, F_SETPIPE_SZ, PIPEBLOCK / 4);
#endif
		z->buf = sp_xmalloc(PIPEBLOCK);
		z->null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		r = archive_read_open2(z->a, z, NULL, stream_read, stream_skip,
		    NULL);
	}
	if (r != ARCHIVE_OK) {
		snprintf(err, errlen, "'%s': %s", path,
		    archive_error_string(z->a) ? archive_error_string(z->a) :
		    "not a zip archive");
		sp_zip_close(z);
		return NULL;
	}
	return z;
}

int
sp_zip_next(struct sp_zip *z, struct sp_zip_entry *e)
{
	struct archive_entry *ae;
	size_t i;
	int r;

	memset(e, 0, sizeof(*e));
	r = archive_read_next_header(z->a, &ae);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		snprintf(z->err, sizeof(z->err), "%s",
		    archive_error_string(z->a) ? archive_error_string(z->a) :
		    "corrupt zip");
		return -1;
	}
	e->name = archive_entry_pathname(ae);
	if (e->name == NULL)
		e->name = "";
	e->size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : -1;
	switch (archive_entry_filetype(ae)) {
	case AE_IFREG:
		e->kind = SP_ZIP_FILE;
		break;
	case AE_IFDIR:
		e->kind = SP_ZIP_DIR;
		break;
	case AE_IFLNK:
		e->kind = SP_ZIP_UNSAFE;
		e->why = "a symbolic link";
		break;
	default:
		e->kind = SP_ZIP_UNSAFE;
		e->why = "not a regular file";
		break;
	}
	for (i = 0; e->kind == SP_ZIP_FILE && i < z->nodd; i++)
		if (strcmp(z->odd[i], e->name) == 0) {
			/* A FIFO or a device that libarchive calls a file. */
			e->kind = SP_ZIP_UNSAFE;
			e->why = "not a regular file";
		}
	if (e->kind != SP_ZIP_UNSAFE && !sp_zip_name_safe(e->name)) {
		e->kind = SP_ZIP_UNSAFE;
		e->why = "a path outside the archive";
	}
	return 1;
}

ssize_t
sp_zip_read(struct sp_zip *z, void *buf, size_t n)
{
	la_ssize_t r = archive_read_data(z->a, buf, n);

	if (r < 0) {
		snprintf(z->err, sizeof(z->err), "%s",
		    archive_error_string(z->a) ? archive_error_string(z->a) :
		    "read error");
		return -1;
	}
	return r;
}

const char *
sp_zip_error(struct sp_zip *z)
{
	return z->err;
}

int64_t
sp_zip_consumed(struct sp_zip *z)
{
	return archive_filter_bytes(z->a, -1);
}

int64_t
sp_zip_size(struct sp_zip *z)
{
	return z->size;
}

void
sp_zip_close(struct sp_zip *z)
{
	if (z == NULL)
		return;
	if (z->a)
		archive_read_free(z->a);
	if (z->fd > STDIN_FILENO)
		close(z->fd);
	if (z->null != -1)
		close(z->null);
	free(z->buf);
	while (z->nodd > 0)
		free(z->odd[--z->nodd]);
	free(z->odd);
	free(z);
}
