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

struct sp_zip {
	struct archive	*a;
	int		 fd;
	int64_t		 size;
	char		 err[512];
};

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

struct sp_zip *
sp_zip_open(const char *path, char *err, size_t errlen)
{
	struct sp_zip *z = sp_xcalloc(1, sizeof(*z));
	struct stat st;

	z->size = -1;
	if (strcmp(path, "-") == 0)
		z->fd = STDIN_FILENO;
	else if ((z->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
		free(z);
		return NULL;
	}
	if (fstat(z->fd, &st) == 0 && S_ISREG(st.st_mode))
		z->size = st.st_size;
	z->a = archive_read_new();
	/* Streamable and seekable readers: libarchive picks by the input. */
	archive_read_support_format_zip(z->a);
	if (archive_read_open_fd(z->a, z->fd, BLOCK) != ARCHIVE_OK) {
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
	free(z);
}
