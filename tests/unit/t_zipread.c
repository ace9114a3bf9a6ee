/*
 * t_zipread: zips from a pipe (read once, skipped entries spliced away)
 * and from a socket (skipped by reading) against the same zips read from
 * a file: stored, deflated, with data descriptors, ZIP64, made by
 * python3's zipfile; and a pipe that ends early.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zipread.h"
#include "t.h"
#include "tfile.h"

/*
 * The zips: every entry twice the size of the pipe's block or more where
 * it can be, so that skips and reads cross blocks; a stored entry with
 * no data descriptor (skipped by splice from a pipe), deflated ones, an
 * empty file, a directory.  dd.zip is written to a stream, so zipfile
 * puts the sizes in data descriptors; z64.zip has ZIP64 extra fields.
 */
static const char script[] =
"import random, sys, zipfile\n"
"d = sys.argv[1]\n"
"r = random.Random(18)\n"
"noise = bytes(r.getrandbits(8) for _ in range(1 << 16)) * 40\n"
"text = b''.join(b'{\"n\": %d, \"s\": \"speaker\"},\\n' % i\n"
"    for i in range(90000))\n"
"ents = [('data/manifest.js', b'window.__THAR_CONFIG = {}\\n', 8),\n"
"    ('data/tweets_media/big.jpg', noise + b'tail', 0),\n"
"    ('data/tweets.js', text, 8),\n"
"    ('data/empty.js', b'', 0),\n"
"    ('data/spaces_media/space-1ypKdEXvkMLGW_0.ts', noise[:1500001], 0),\n"
"    ('data/deflated-noise.bin', noise[:2500000], 8),\n"
"    ('data/last.js', b'[ ]\\n', 8)]\n"
"class NoSeek:\n"
"    def __init__(s, f): s.f = f\n"
"    def write(s, b): return s.f.write(b)\n"
"    def flush(s): s.f.flush()\n"
"for name, wrap, z64 in (('a', 0, 0), ('dd', 1, 0), ('z64', 0, 1)):\n"
"    with open('%s/%s.zip' % (d, name), 'wb') as f:\n"
"        with zipfile.ZipFile(NoSeek(f) if wrap else f, 'w') as z:\n"
"            z.writestr(zipfile.ZipInfo('data/dir/'), b'')\n"
"            for n, b, c in ents:\n"
"                i = zipfile.ZipInfo(n, (2024, 7, 5, 15, 17, 40))\n"
"                i.compress_type = c\n"
"                with z.open(i, 'w', force_zip64=bool(z64)) as w:\n"
"                    w.write(b)\n";

#define MAXENT 16

struct walk {
	int		 n;
	char		 name[MAXENT][64];
	int		 kind[MAXENT];
	int64_t		 size[MAXENT];
	uint64_t	 hash[MAXENT];	/* of the bytes read; 0: not read */
	int64_t		 bytes[MAXENT];
	int		 failed;	/* a call returned -1 */
	int64_t		 consumed;
};

/*
 * Walk the zip at path: read the entries whose index has bit (1 << i) in
 * mask, skip the others.
 */
static void
walk(const char *path, unsigned mask, struct walk *w)
{
	struct sp_zip_entry e;
	struct sp_zip *z;
	unsigned char buf[3000];
	char err[600];
	uint64_t h;
	ssize_t r;
	int k;

	memset(w, 0, sizeof(*w));
	if ((z = sp_zip_open(path, err, sizeof(err))) == NULL) {
		printf("# %s\n", err);
		w->failed = 1;
		return;
	}
	while (w->n < MAXENT && (k = sp_zip_next(z, &e)) != 0) {
		if (k < 0) {
			w->failed = 1;
			break;
		}
		snprintf(w->name[w->n], sizeof(w->name[0]), "%s", e.name);
		w->kind[w->n] = e.kind;
		w->size[w->n] = e.size;
		if (mask & 1u << w->n) {
			/* FNV-1a, never 0 for what was read. */
			h = 14695981039346656037u;
			while ((r = sp_zip_read(z, buf, sizeof(buf))) > 0) {
				for (k = 0; k < r; k++)
					h = (h ^ buf[k]) * 1099511628211u;
				w->bytes[w->n] += r;
			}
			if (r < 0) {
				printf("# %s\n", sp_zip_error(z));
				w->failed = 1;
			}
			w->hash[w->n] = h | 1;
		}
		w->n++;
	}
	w->consumed = sp_zip_consumed(z);
	sp_zip_close(z);
}

/*
 * The first len bytes (all: -1) of the file at path through a pipe (or a
 * socket) on stdin, written 7001 bytes at a time by a child; walk it.
 */
static void
walk_stream(const char *path, int sock, int64_t len, unsigned mask,
    struct walk *w, int *pipesize)
{
	int fds[2], in, saved;
	pid_t pid;
	size_t n;
	uint8_t *b = t_slurp(path, &n);

	if (len >= 0 && (size_t)len < n)
		n = (size_t)len;
	if ((sock ? socketpair(AF_UNIX, SOCK_STREAM, 0, fds) : pipe(fds)) !=
	    0) {
		perror("pipe");
		exit(1);
	}
	/* A socketpair's ends both read and write: fds[0] reads here. */
	if ((pid = fork()) == 0) {
		size_t off = 0;
		ssize_t r;

		close(fds[0]);
		while (off < n && (r = write(fds[1], b + off, n - off > 7001 ?
		    7001 : n - off)) > 0)
			off += (size_t)r;
		_exit(0);
	}
	close(fds[1]);
	free(b);
	saved = dup(STDIN_FILENO);
	in = fds[0];
	dup2(in, STDIN_FILENO);
	close(in);
	walk("-", mask, w);
	if (pipesize)
		*pipesize = fcntl(STDIN_FILENO, F_GETPIPE_SZ);
	dup2(saved, STDIN_FILENO);
	close(saved);
	waitpid(pid, NULL, 0);
}

static int
same(const struct walk *a, const struct walk *b, unsigned mask)
{
	int i, ok = a->n == b->n && !a->failed && !b->failed;

	for (i = 0; ok && i < a->n; i++) {
		ok = strcmp(a->name[i], b->name[i]) == 0 &&
		    a->kind[i] == b->kind[i];
		/* A streamed entry with a data descriptor has no size yet. */
		ok = ok && (a->size[i] == b->size[i] || b->size[i] == -1);
		if (ok && (mask & 1u << i))
			ok = a->hash[i] == b->hash[i] &&
			    a->bytes[i] == b->bytes[i];
		if (!ok)
			printf("# entry %d '%s' differs\n", i, a->name[i]);
	}
	return ok;
}

int
main(void)
{
	static const char *zips[] = { "a", "dd", "z64" };
	/* Read all, read none, read every other (both ways). */
	static const unsigned masks[] = { 0xffff, 0, 0x5555, 0xaaaa };
	struct walk want, got;
	char dir[256], cmd[1024], path[300], maxsz[32] = "";
	size_t i, j;
	int64_t total, consumed;
	int psz = 0, fd;
	FILE *fp;

	/* A pipe that hangs fails the test instead of the suite. */
	alarm(120);
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof(dir), "%s/t_zipread.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/mk.py", dir);
	if ((fp = fopen(path, "w")) == NULL || fputs(script, fp) == EOF ||
	    fclose(fp) != 0)
		return 1;
	snprintf(cmd, sizeof(cmd), "python3 '%s' '%s'", path, dir);
	if (t_run(cmd) != 0)
		return 1;

	for (i = 0; i < sizeof(zips) / sizeof(zips[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.zip", dir, zips[i]);
		walk(path, 0xffff, &want);
		T_INT(want.n, 8);
		T_OK(!want.failed);
		T_STR(want.name[2], "data/tweets_media/big.jpg");
		T_INT(want.size[2], 40 * 65536 + 4);
		T_INT(want.bytes[2], 40 * 65536 + 4);
		T_INT(want.kind[0], SP_ZIP_DIR);
		for (j = 0; j < sizeof(masks) / sizeof(masks[0]); j++) {
			walk_stream(path, 0, -1, masks[j], &got, &psz);
			printf("# %s.zip from a pipe, mask %#x\n", zips[i],
			    masks[j]);
			T_OK(same(&want, &got, masks[j]));
			/* Every byte up to the central directory went by. */
			T_OK(got.consumed > 40 * 65536 + 2500000);
			consumed = got.consumed;
			walk_stream(path, 1, -1, masks[j], &got, NULL);
			printf("# %s.zip from a socket, mask %#x\n", zips[i],
			    masks[j]);
			T_OK(same(&want, &got, masks[j]));
			/*
			 * libarchive finds the next header past stray bytes:
			 * a skip off by a few shows here only.
			 */
			T_INT(got.consumed, consumed);
		}
	}

	/* The pipe was asked to hold 1 MiB, where the system allows it. */
	if ((fd = open("/proc/sys/fs/pipe-max-size", O_RDONLY)) != -1) {
		ssize_t r = read(fd, maxsz, sizeof(maxsz) - 1);

		maxsz[r > 0 ? r : 0] = '\0';
		close(fd);
	}
	if (strtol(maxsz, NULL, 10) >= 1048576)
		T_INT(psz, 1048576);
	else
		printf("# pipe-max-size '%s': pipe size not checked\n", maxsz);

	/*
	 * Cut short inside an entry that is skipped (a splice meets the
	 * end), one that is read, and a deflated one: an error, never a
	 * quiet end.
	 */
	snprintf(path, sizeof(path), "%s/a.zip", dir);
	total = 0;
	{
		struct stat st;

		if (stat(path, &st) == 0)
			total = st.st_size;
	}
	{
		static const int64_t cuts[] = { 100000, 2000000, 2700000,
		    3000000 };

		for (j = 0; j < sizeof(cuts) / sizeof(cuts[0]); j++) {
			walk_stream(path, 0, cuts[j], 0, &got, NULL);
			printf("# a.zip cut at %lld, skipping\n",
			    (long long)cuts[j]);
			T_OK(got.failed);
			walk_stream(path, 0, cuts[j], 0xffff, &got, NULL);
			printf("# a.zip cut at %lld, reading\n",
			    (long long)cuts[j]);
			T_OK(got.failed);
		}
	}
	T_OK(total > 3000000);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	t_run(cmd);
	return t_done();
}
