/* zipread: a zip archive's entries in one pass, over libarchive. */
#ifndef SP_ZIPREAD_H
#define SP_ZIPREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum sp_zip_kind {
	SP_ZIP_FILE,		/* a regular file: read it or skip it */
	SP_ZIP_DIR,
	SP_ZIP_UNSAFE,		/* "..", an absolute path, a link, a device */
};

struct sp_zip_entry {
	const char	*name;		/* borrowed until the next entry */
	enum sp_zip_kind kind;
	int64_t		 size;		/* -1 when the zip does not say */
	const char	*why;		/* for SP_ZIP_UNSAFE: static text */
};

struct sp_zip;

/*
 * Open a zip file, or "-" for a zip stream on stdin.  A file that can seek
 * is read through its central directory and entries not read are skipped
 * by seeking; a pipe is read once, front to back, in 1 MiB blocks, and the
 * bytes of entries not read go to /dev/null by splice(2), never copied.
 * NULL with err set.
 */
struct sp_zip *sp_zip_open(const char *path, char *err, size_t errlen);
/* 1 with e filled, 0 at the end, -1 on a corrupt or truncated zip. */
int	sp_zip_next(struct sp_zip *z, struct sp_zip_entry *e);
/*
 * Read the current entry's data: bytes read, 0 at its end, -1 on a bad
 * CRC, a truncated entry or a read error (sp_zip_error says which).
 */
ssize_t	sp_zip_read(struct sp_zip *z, void *buf, size_t n);
/* Why the last call failed (borrowed). */
const char *sp_zip_error(struct sp_zip *z);
/* Bytes of the archive consumed so far, and its size (-1: a pipe). */
int64_t	sp_zip_consumed(struct sp_zip *z);
int64_t	sp_zip_size(struct sp_zip *z);
void	sp_zip_close(struct sp_zip *z);

/*
 * Walk a zip central directory held in buf (n bytes, from its first
 * "PK\1\2" header): fn gets each entry's name (len bytes, not
 * NUL-terminated) and, for entries made on Unix, the file type bits of its
 * mode (S_IFMT of the external attributes; 0 otherwise).  Stops at the
 * first header that is not whole.  Returns the number of entries walked.
 * sp_zip_open uses it on seekable files: libarchive reports a FIFO or a
 * device as a regular file, the central directory says what it is.
 */
size_t	sp_zip_cd_walk(const void *buf, size_t n,
	    void (*fn)(void *ctx, const char *name, size_t len, unsigned type),
	    void *ctx);

/* 1 when an entry name stays inside the archive's tree: no "..", not absolute. */
int	sp_zip_name_safe(const char *name);

#endif
