/* io: "-" for stdin/stdout, atomic output files, checked stdout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "io.h"
#include "xalloc.h"
#include "banned.h"

void
sp_io_init(void)
{
	signal(SIGPIPE, SIG_DFL);
}

FILE *
sp_open_in(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	return fopen(path, "rb");
}

int
sp_close_in(FILE *fp)
{
	int bad = ferror(fp);

	if (fp == stdin)
		return bad ? -1 : 0;
	if (fclose(fp) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

int
sp_atomic_open(struct sp_atomic *a, const char *path, int force)
{
	const char *slash;
	int fd, e;

	memset(a, 0, sizeof(*a));
	a->force = force;
	if (strcmp(path, "-") == 0) {
		a->fp = stdout;
		a->path = sp_xstrdup(path);
		return 0;
	}
	if (!force && access(path, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	/* Beside the target, so the rename stays on one file system. */
	slash = strrchr(path, '/');
	if (slash)
		a->tmp = sp_xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path),
		    path, slash + 1);
	else
		a->tmp = sp_xasprintf(".%s.XXXXXX", path);
	if ((fd = mkstemp(a->tmp)) == -1)
		goto fail;
	/* mkstemp makes 0600; give the file the usual umask-based mode. */
	{
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	if ((a->fp = fdopen(fd, "wb")) == NULL) {
		e = errno;
		close(fd);
		unlink(a->tmp);
		errno = e;
		goto fail;
	}
	a->path = sp_xstrdup(path);
	return 0;
fail:
	e = errno;
	free(a->tmp);
	a->tmp = NULL;
	errno = e;
	return -1;
}

int
sp_atomic_finish(struct sp_atomic *a)
{
	int e, bad;

	if (a->tmp == NULL || a->fp == NULL)
		return 0;
	bad = fflush(a->fp) != 0 || ferror(a->fp) || fsync(fileno(a->fp));
	e = errno;
	if (fclose(a->fp) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	a->fp = NULL;
	if (bad) {
		unlink(a->tmp);
		free(a->tmp);
		a->tmp = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

void
sp_atomic_set_path(struct sp_atomic *a, const char *path)
{
	free(a->path);
	a->path = sp_xstrdup(path);
}

int
sp_atomic_commit(struct sp_atomic *a)
{
	int e, bad;

	if (a->tmp == NULL && a->fp == stdout) {
		bad = fflush(a->fp) != 0 || ferror(a->fp);
		free(a->path);
		a->path = NULL;
		return bad ? -1 : 0;
	}
	bad = sp_atomic_finish(a) != 0 || a->tmp == NULL;
	e = errno;
	if (!bad) {
		if (a->force)
			bad = rename(a->tmp, a->path) != 0;
		else if ((bad = link(a->tmp, a->path) != 0) == 0)
			/* link() refuses to replace a file made meanwhile. */
			unlink(a->tmp);
		e = errno;
		if (bad)
			unlink(a->tmp);
	}
	free(a->tmp);
	free(a->path);
	a->tmp = a->path = NULL;
	errno = e;
	return bad ? -1 : 0;
}

void
sp_atomic_abort(struct sp_atomic *a)
{
	if (a->tmp) {
		if (a->fp)
			fclose(a->fp);
		unlink(a->tmp);
	}
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

int
sp_close_stdout(void)
{
	int bad, e;

	bad = fflush(stdout) != 0 || ferror(stdout);
	e = errno;
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (!bad)
		return 0;
	if (e == EPIPE)
		return 0;
	errno = e;
	sp_warn("write error");
	return -1;
}

int
sp_copy(FILE *from, FILE *to)
{
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

char *
sp_spool(FILE *fp)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd, e, bad;
	FILE *out;

	path = sp_xasprintf("%s/spaces.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1 || (out = fdopen(fd, "wb")) == NULL) {
		e = errno;
		if (fd != -1) {
			close(fd);
			unlink(path);
		}
		free(path);
		errno = e;
		return NULL;
	}
	bad = sp_copy(fp, out) != 0;
	e = errno;
	if (fclose(out) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		unlink(path);
		free(path);
		errno = e ? e : EIO;
		return NULL;
	}
	return path;
}

int
sp_mkdirs(const char *path)
{
	char *p = sp_xstrdup(path), *s = p;
	struct stat st;
	int rc = 0;

	for (;;) {
		while (*s == '/')
			s++;
		s += strcspn(s, "/");
		if (*s == '\0')
			break;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
		if (rc)
			break;
	}
	if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
		rc = -1;
	if (rc == 0 && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

int
sp_same_file_content(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	char ba[BUFSIZ], bb[BUFSIZ];
	size_t na, nb;
	int same = -1;

	if (fa && fb) {
		do {
			na = fread(ba, 1, sizeof(ba), fa);
			nb = fread(bb, 1, sizeof(bb), fb);
		} while (na == nb && na > 0 && memcmp(ba, bb, na) == 0);
		if (ferror(fa) || ferror(fb))
			same = -1;
		else
			same = na == nb && na == 0;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

char *
sp_exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n;
	char *slash;

	if ((n = readlink("/proc/self/exe", buf, sizeof(buf) - 1)) <= 0)
		return NULL;
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) == NULL)
		return NULL;
	*slash = '\0';
	return sp_xstrdup(buf[0] ? buf : "/");
}
