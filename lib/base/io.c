/* io: "-" for stdin/stdout, atomic output files, checked stdout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
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

/*
 * Temporary files to remove when a signal or exit() ends the process
 * before they were committed or dropped.  The handler may run in any
 * thread at any moment, so the registry is lock-free: slots in chunks
 * that are never freed, each claimed and emptied by atomic exchange.
 * The handler only reads, lstat()s and unlink()s, which are
 * async-signal-safe.  The file's device and inode are kept, so a name
 * its owner removed (and some other process reused) is left alone.
 */
#define TEMP_SLOTS	32
static char temp_claimed;	/* a slot being filled in */
#define CLAIMED		(&temp_claimed)

struct temp_slot {
	_Atomic(char *)	 path;	/* new: NULL, CLAIMED or a name */
	dev_t		 dev;
	ino_t		 ino;
};
struct temp_chunk {
	struct temp_slot		 slot[TEMP_SLOTS];
	_Atomic(struct temp_chunk *)	 next;
};
static struct temp_chunk temps;
static atomic_int temp_hooked;
static const int temp_signals[] = { SIGHUP, SIGINT, SIGTERM };

static void
temp_unlink_all(void)
{
	struct temp_chunk *c;
	struct stat st;
	char *p;
	int i;

	for (c = &temps; c; c = atomic_load(&c->next))
		for (i = 0; i < TEMP_SLOTS; i++) {
			p = atomic_load(&c->slot[i].path);
			if (p == NULL || p == CLAIMED)
				continue;
			if (lstat(p, &st) == 0 && st.st_dev == c->slot[i].dev &&
			    st.st_ino == c->slot[i].ino)
				unlink(p);
		}
}

static void
temp_on_signal(int sig)
{
	int e = errno;

	temp_unlink_all();
	/* Die of the same signal, so the parent sees how we ended. */
	signal(sig, SIG_DFL);
	raise(sig);
	errno = e;
}

static void
temp_at_exit(void)
{
	temp_unlink_all();
}

/* Catch the signals a command has left at their default, once. */
static void
temp_hook(void)
{
	struct sigaction sa, old;
	size_t i;

	if (atomic_exchange(&temp_hooked, 1))
		return;
	atexit(temp_at_exit);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = temp_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(temp_signals) / sizeof(temp_signals[0]); i++)
		sigaddset(&sa.sa_mask, temp_signals[i]);
	for (i = 0; i < sizeof(temp_signals) / sizeof(temp_signals[0]); i++)
		if (sigaction(temp_signals[i], NULL, &old) == 0 &&
		    !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL)
			sigaction(temp_signals[i], &sa, NULL);
}

void
sp_temp_add(const char *path)
{
	struct temp_chunk *c, *n, *expect;
	struct stat st;
	char *copy, *none;
	int i;

	if (lstat(path, &st) != 0)
		return;
	temp_hook();
	copy = sp_xstrdup(path);
	for (c = &temps;; c = n) {
		for (i = 0; i < TEMP_SLOTS; i++) {
			none = NULL;
			if (!atomic_compare_exchange_strong(&c->slot[i].path,
			    &none, CLAIMED))
				continue;
			c->slot[i].dev = st.st_dev;
			c->slot[i].ino = st.st_ino;
			atomic_store(&c->slot[i].path, copy);
			return;
		}
		if ((n = atomic_load(&c->next)) != NULL)
			continue;
		n = sp_xcalloc(1, sizeof(*n));
		expect = NULL;
		if (!atomic_compare_exchange_strong(&c->next, &expect, n)) {
			free(n);	/* another thread added one */
			n = expect;
		}
	}
}

void
sp_temp_forget(const char *path)
{
	struct temp_chunk *c;
	char *p;
	int i;

	for (c = &temps; c; c = atomic_load(&c->next))
		for (i = 0; i < TEMP_SLOTS; i++) {
			p = atomic_load(&c->slot[i].path);
			if (p == NULL || p == CLAIMED || strcmp(p, path) != 0)
				continue;
			if (atomic_compare_exchange_strong(&c->slot[i].path,
			    &p, NULL)) {
				free(p);
				return;
			}
		}
}

void
sp_temp_cleanup(void)
{
	temp_unlink_all();
}

FILE *
sp_open_in(const char *path)
{
	struct stat st;
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return stdin;
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	/* A directory opens, then fails to read: say what it is now. */
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		errno = EISDIR;
		return NULL;
	}
	return fp;
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
	sp_temp_add(a->tmp);
	/* mkstemp makes 0600; give the file the usual umask-based mode. */
	{
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	if ((a->fp = fdopen(fd, "wb")) == NULL) {
		e = errno;
		close(fd);
		sp_temp_forget(a->tmp);
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
		sp_temp_forget(a->tmp);
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
	if (a->tmp)
		sp_temp_forget(a->tmp);
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
		sp_temp_forget(a->tmp);
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

void
sp_spool_remove(char *path)
{
	if (path == NULL)
		return;
	sp_temp_forget(path);
	unlink(path);
	free(path);
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
