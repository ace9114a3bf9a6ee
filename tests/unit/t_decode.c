/* t_decode: every input format to float PCM: totals, seeks, errors. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "adts.h"
#include "decode.h"
#include "io.h"
#include "t.h"

/*
 * The oracle totals (ffmpeg 5.1.9, Debian 12), samples per channel:
 *   F=...; ch=$(ffprobe -v error -show_entries stream=channels \
 *       -of csv=p=0 "$F"); echo $(( $(ffmpeg -v error -i "$F" -f s16le - |
 *       wc -c) / 2 / ch ))
 * for every file but the M4A, whose total is ffprobe's
 *   ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 F
 * (it honours both ends of the edit list; ffmpeg's decode gives 45056,
 * the priming trimmed but not the end padding).
 */
struct fx {
	const char	*path;
	const char	*format, *codec;
	unsigned	 rate, channels;
	uint64_t	 total;
	int		 known;		/* total known at open */
};

static const struct fx FX[] = {
	{ "aac/speech-3s.aac", "adts", "aac", 48000, 2, 145408, 1 },
	{ "aac/mono-44k.aac", "adts", "aac", 44100, 1, 46080, 1 },
	{ "aac/crc.aac", "adts", "aac", 44100, 1, 46080, 1 },
	{ "aac/space-chunks.aac", "adts", "aac", 48000, 2, 145408, 1 },
	{ "pcm/mono-44k.wav", "wav", "pcm", 44100, 1, 11025, 1 },
	{ "pcm/stereo-48k.flac", "flac", "flac", 48000, 2, 19200, 1 },
	{ "pcm/stereo-44k.mp3", "mp3", "mp3", 44100, 2, 88200, 1 },
	/* No Xing/LAME tag: libsndfile estimates 90498 at open. */
	{ "pcm/noxing-44k.mp3", "mp3", "mp3", 44100, 1, 89856, 0 },
	{ "pcm/mono-48k.opus", "opus", "opus", 48000, 1, 144000, 1 },
	{ "pcm/stereo-48k.opus", "opus", "opus", 48000, 2, 96000, 1 },
	{ "pcm/pauses.opus", "opus", "opus", 48000, 1, 386210, 1 },
	{ "pcm/mono-44k.ogg", "ogg", "vorbis", 44100, 1, 44100, 1 },
	{ "pcm/mono-44k.m4a", "mp4", "aac", 44100, 1, 44100, 1 },
};

static char *
fixture(const char *rel)
{
	static char buf[4096];
	const char *top = getenv("TOP");

	snprintf(buf, sizeof(buf), "%s/tests/data/%s", top ? top : ".", rel);
	return buf;
}

/* Decode d to its end in reads of step frames: new buffer, *n frames. */
static float *
slurp(struct sp_decoder *d, size_t step, uint64_t *n, int *bad)
{
	unsigned ch = sp_decode_info(d)->channels;
	size_t cap = 1 << 16, len = 0;
	float *all = malloc(cap * ch * sizeof(float));
	long r;

	*bad = 0;
	for (;;) {
		if (len + step > cap) {
			cap = 2 * (len + step);
			all = realloc(all, cap * ch * sizeof(float));
		}
		r = sp_decode_read(d, all + len * ch, step);
		if (r < 0)
			*bad = 1;
		if (r <= 0)
			break;
		if ((size_t)r > step)
			*bad = 1;
		len += (size_t)r;
	}
	*n = len;
	return all;
}

/*
 * How far a re-decode may stray: Opus, FLAC, WAV, Vorbis none.  AAC
 * after a seek: libfaad2 restarts two frames early, and noise-substituted
 * (PNS) bands draw on a random generator that a restart resets (measured
 * max 3.5e-4 on the ADTS fixtures, 6.2e-3 on mono-44k.m4a, correlation
 * > 0.9997; a one-sample misalignment is far larger).  MP3 and Vorbis through libsndfile 1.2.0: the first
 * samples vary by about 1e-5 between runs of the same decode (it
 * changes with the sanitizer's allocator: uninitialised state inside).
 */
static double tol;

static int
same(const float *a, const float *b, size_t n)
{
	size_t i;

	if (tol == 0)
		return memcmp(a, b, n * sizeof(float)) == 0;
	for (i = 0; i < n; i++)
		if (fabs((double)a[i] - b[i]) > tol)
			return 0;
	return 1;
}

/* Seek to a few places: what follows equals the full decode there. */
static void
seeks(struct sp_decoder *d, const float *all, uint64_t total)
{
	unsigned ch = sp_decode_info(d)->channels;
	uint64_t at[] = { 0, 1, 1023, 1024, 1025, 2047, 2048, 3000,
	    total / 3, total / 2 + 17, total - 1500, total - 1, total };
	float buf[2000 * 8];
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		uint64_t want = total - at[i] < 1000 ? total - at[i] : 1000;
		long r;

		if (sp_decode_seek(d, at[i]) != 0) {
			printf("# seek to %llu failed: %s\n",
			    (unsigned long long)at[i], sp_decode_error(d));
			ok = 0;
			continue;
		}
		r = sp_decode_read(d, buf, 1000);
		if (r != (long)want || sp_decode_tell(d) != at[i] + want ||
		    !same(buf, all + at[i] * ch, want * ch)) {
			printf("# seek to %llu: read %ld, want %llu\n",
			    (unsigned long long)at[i], r,
			    (unsigned long long)want);
			ok = 0;
		}
	}
	T_OK(ok);
	T_OK(sp_decode_seek(d, total + 1) == -1);
}

/* Our ADTS PCM against ffmpeg's, when ffmpeg is there. */
static void
versus_ffmpeg(const char *path, const float *all, uint64_t n, unsigned ch)
{
	char cmd[4200];
	FILE *p;
	float *ff;
	size_t m, i, lim;
	double sxy = 0, sxx = 0, syy = 0, maxd = 0;

	/* ffmpeg is a declared test dependency (.ci/deps): never skip. */
	if (!T_OK(system("command -v ffmpeg >/dev/null 2>&1") == 0))
		return;
	snprintf(cmd, sizeof(cmd), "ffmpeg -v error -nostdin -i '%s' "
	    "-f f32le -", path);
	if ((p = popen(cmd, "r")) == NULL)
		return;
	ff = malloc((n + 1) * ch * sizeof(float));
	m = fread(ff, sizeof(float) * ch, n + 1, p);
	pclose(p);
	T_INT(m, n);
	/* The first 0.1 s, our 1024 leading zeros included. */
	lim = n < 4800 ? n : 4800;
	for (i = 0; i < lim * ch; i++) {
		sxy += (double)all[i] * ff[i];
		sxx += (double)all[i] * all[i];
		syy += (double)ff[i] * ff[i];
		if (fabs(all[i] - ff[i]) > maxd)
			maxd = fabs(all[i] - ff[i]);
	}
	printf("# %s: corr %.6f, max diff %.5f\n", path,
	    sxy / sqrt(sxx * syy), maxd);
	T_OK(sxy / sqrt(sxx * syy) > 0.999);
	T_OK(maxd < 0.01);
	free(ff);
}

static void
one(const struct fx *f)
{
	char err[256];
	const char *path = fixture(f->path);
	struct sp_decoder *d = sp_decode_open(path, err, sizeof(err));
	const struct sp_decode_info *in;
	float *all, *bit;
	uint64_t n, m;
	int bad;

	printf("# %s\n", f->path);
	tol = strcmp(f->codec, "aac") == 0 ? 1e-2 :
	    strcmp(f->codec, "mp3") == 0 ||
	    strcmp(f->codec, "vorbis") == 0 ? 1e-4 : 0;
	if (!T_OK(d != NULL)) {
		printf("#   %s\n", err);
		return;
	}
	in = sp_decode_info(d);
	T_STR(in->format, f->format);
	T_STR(in->codec, f->codec);
	T_INT(in->sample_rate, f->rate);
	T_INT(in->channels, f->channels);
	T_INT(in->total_known, f->known);
	if (f->known)
		T_INT(in->total, f->total);
	T_OK(in->seekable);
	all = slurp(d, 4096, &n, &bad);
	T_OK(!bad);
	T_INT(n, f->total);
	T_INT(in->total, f->total);
	T_INT(in->total_known, 1);
	T_INT(sp_decode_damaged(d), 0);
	T_INT(sp_decode_read(d, all, 1), 0);
	seeks(d, all, n);
	if (strcmp(f->format, "adts") == 0) {
		size_t i;
		int zero = 1;

		for (i = 0; i < 1024 * f->channels; i++)
			zero &= all[i] == 0.0f;
		T_OK(zero);
		versus_ffmpeg(path, all, n, f->channels);
	}
	sp_decode_close(d);

	/* One frame at a time gives the same samples. */
	d = sp_decode_open(path, err, sizeof(err));
	if (T_OK(d != NULL)) {
		bit = slurp(d, 1, &m, &bad);
		T_OK(!bad && m == n && same(bit, all, n * f->channels));
		free(bit);
		sp_decode_close(d);
	}
	free(all);
}

/* Decode path from standard input fed through a pipe. */
static void
from_pipe(const char *rel, const char *format, uint64_t total, int known)
{
	int fds[2], saved, st;
	pid_t pid;
	char err[256];
	struct sp_decoder *d;
	const struct sp_decode_info *in;
	float *all;
	uint64_t n;
	int bad;

	printf("# %s from a pipe\n", rel);
	fflush(stdout);
	if (pipe(fds) != 0 || (pid = fork()) < 0)
		return;
	if (pid == 0) {
		int fd = open(fixture(rel), O_RDONLY);
		char buf[4096];
		ssize_t k;

		close(fds[0]);
		while (fd >= 0 && (k = read(fd, buf, sizeof(buf))) > 0)
			if (write(fds[1], buf, (size_t)k) != k)
				break;
		_exit(0);
	}
	close(fds[1]);
	saved = dup(0);
	dup2(fds[0], 0);
	close(fds[0]);
	clearerr(stdin);
	d = sp_decode_open("-", err, sizeof(err));
	if (T_OK(d != NULL)) {
		in = sp_decode_info(d);
		T_STR(in->format, format);
		T_INT(in->total_known, known);
		T_INT(in->seekable, known);
		all = slurp(d, 999, &n, &bad);
		T_OK(!bad);
		T_INT(n, total);
		T_INT(in->total, total);
		if (!known)
			T_INT(sp_decode_seek(d, 0), -1);
		free(all);
		sp_decode_close(d);
	} else
		printf("#   %s\n", err);
	waitpid(pid, &st, 0);
	dup2(saved, 0);
	close(saved);
	clearerr(stdin);
}

/* Write n bytes of b to a new temporary file: its name (static). */
static const char *
tmpwrite(const void *b, size_t n)
{
	static char name[64];
	int fd;

	snprintf(name, sizeof(name), "/tmp/t_decode.XXXXXX");
	if ((fd = mkstemp(name)) < 0)
		return "/nonexistent";
	if (write(fd, b, n) != (ssize_t)n)
		name[0] = '\0';
	close(fd);
	return name;
}

static unsigned char *
load(const char *rel, size_t *n)
{
	FILE *fp = fopen(fixture(rel), "rb");
	unsigned char *b = malloc(1 << 20);

	*n = fp ? fread(b, 1, 1 << 20, fp) : 0;
	if (fp)
		fclose(fp);
	return b;
}

/* Open and decode to the end: -1 when the open fails, else frames read
 * (-2 when a read failed). */
static long long
decode_all(const char *path, char *err, size_t errlen, uint64_t *damaged)
{
	struct sp_decoder *d = sp_decode_open(path, err, errlen);
	float buf[4096 * 2];
	long long n = 0;
	long r;
	unsigned ch;

	if (d == NULL)
		return -1;
	ch = sp_decode_info(d)->channels;
	while ((r = sp_decode_read(d, buf, ch > 2 ? 1 : 4096)) > 0)
		n += r;
	if (r < 0)
		n = -2;
	if (damaged != NULL)
		*damaged = sp_decode_damaged(d);
	sp_decode_close(d);
	return n;
}

static void
broken(void)
{
	char err[256];
	unsigned char *b, junk[5000];
	size_t n, i;
	const char *t;
	uint64_t dmg = 0;
	long long r;

	printf("# broken inputs\n");
	err[0] = '\0';
	T_INT(decode_all("/nonexistent/x.aac", err, sizeof(err), NULL), -1);
	T_OK(strstr(err, "No such file") != NULL);

	t = tmpwrite("", 0);
	T_INT(decode_all(t, err, sizeof(err), NULL), -1);
	T_STR(err, "empty file");
	unlink(t);

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 7919 >> 3);
	t = tmpwrite(junk, sizeof(junk));
	T_INT(decode_all(t, err, sizeof(err), NULL), -1);
	T_OK(strncmp(err, "not a supported audio file", 26) == 0);
	unlink(t);

	/* ADTS cut inside its last frame: that frame is not counted. */
	b = load("aac/speech-3s.aac", &n);
	t = tmpwrite(b, n - 100);
	T_INT(decode_all(t, err, sizeof(err), NULL), 141 * 1024);
	unlink(t);
	/* The payloads of frames 40 and 41 garbled: they decode as
	 * silence, the length stays.  Headers are left alone. */
	{
		struct sp_adts_frame fr;
		size_t off = 0, k = 0, j;

		while (off < n && sp_adts_header(b + off, n - off, &fr) == 0) {
			if (k == 40 || k == 41)
				for (j = off + fr.header_len + 2;
				    j < off + fr.length; j++)
					b[j] = (unsigned char)(j * 37);
			off += fr.length;
			k++;
		}
		T_INT(k, 142);
	}
	t = tmpwrite(b, n);
	r = decode_all(t, err, sizeof(err), &dmg);
	T_INT(r, 142 * 1024);
	T_OK(dmg > 0);
	unlink(t);
	free(b);

	/* A WAV header cut short. */
	b = load("pcm/mono-44k.wav", &n);
	t = tmpwrite(b, 30);
	T_INT(decode_all(t, err, sizeof(err), NULL), -1);
	unlink(t);
	free(b);

	/* FLAC and Opus cut in half: the audio before the cut. */
	b = load("pcm/stereo-48k.flac", &n);
	t = tmpwrite(b, n / 2);
	r = decode_all(t, err, sizeof(err), NULL);
	T_OK(r == -1 || r == -2 || (r >= 0 && r < 19200));
	unlink(t);
	free(b);
	b = load("pcm/mono-48k.opus", &n);
	t = tmpwrite(b, n / 2);
	r = decode_all(t, err, sizeof(err), NULL);
	T_OK(r > 0 && r < 144000);
	unlink(t);
	/* Only the first page (OpusHead): no OpusTags. */
	t = tmpwrite(b, 47);
	T_INT(decode_all(t, err, sizeof(err), NULL), -1);
	unlink(t);
	free(b);
}

/*
 * The scan of an ADTS file is kept for the next open of the same file: a
 * second open agrees with the first, seeks and all; the file rewritten
 * (another size, another time) is scanned again.
 */
static void
rescan(void)
{
	float a[2048 * 2], b[2048 * 2];
	struct sp_decoder *d, *e;
	unsigned char *buf;
	const char *t;
	char err[256];
	size_t n;
	FILE *fp;

	buf = load("aac/space-chunks.aac", &n);
	t = tmpwrite(buf, n);
	d = sp_decode_open(t, err, sizeof(err));
	e = sp_decode_open(t, err, sizeof(err));
	T_OK(d != NULL && e != NULL);
	if (d && e) {
		T_INT(sp_decode_info(e)->total, sp_decode_info(d)->total);
		T_INT(sp_decode_seek(d, 70000), 0);
		T_INT(sp_decode_seek(e, 70000), 0);
		T_INT(sp_decode_read(d, a, 2048), 2048);
		T_INT(sp_decode_read(e, b, 2048), 2048);
		T_OK(memcmp(a, b, sizeof(a)) == 0);
	}
	if (d)
		sp_decode_close(d);
	if (e)
		sp_decode_close(e);
	/* Twice as long, and a second later at least by the size. */
	if (T_OK((fp = fopen(t, "ab")) != NULL)) {
		T_OK(fwrite(buf, 1, n, fp) == n);
		fclose(fp);
	}
	d = sp_decode_open(t, err, sizeof(err));
	T_OK(d != NULL && sp_decode_info(d)->total == 2 * 145408);
	if (d) {
		T_INT(sp_decode_seek(d, 145408 + 70000), 0);
		T_INT(sp_decode_read(d, b, 2048), 2048);
		T_OK(memcmp(a, b, sizeof(a)) == 0);
		sp_decode_close(d);
	}
	unlink(t);
	free(buf);
}

/*
 * sp_decode_keep: a file, or a name that is not there, is read where it
 * is; a named pipe is kept, byte for byte; a pipe that is not audio is
 * refused with a message.
 */
static void
keep(void)
{
	char dir[] = "/tmp/t_decode_keep.XXXXXX", fifo[64], err[256], *sp;
	unsigned char *buf, *got;
	size_t n, m;
	int envfail, st;
	pid_t pid;
	FILE *fp;

	T_INT(sp_decode_keep(fixture("aac/speech-3s.aac"), &sp, &envfail, err,
	    sizeof(err)), 0);
	T_OK(sp == NULL);
	T_INT(sp_decode_keep("/nonexistent", &sp, &envfail, err,
	    sizeof(err)), 0);
	T_OK(sp == NULL);
	if (!T_OK(mkdtemp(dir) != NULL))
		return;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	buf = load("aac/speech-3s.aac", &n);
	T_OK(mkfifo(fifo, 0600) == 0);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		FILE *w = fopen(fifo, "wb");

		_exit(w != NULL && fwrite(buf, 1, n, w) == n &&
		    fclose(w) == 0 ? 0 : 1);
	}
	T_INT(sp_decode_keep(fifo, &sp, &envfail, err, sizeof(err)), 0);
	waitpid(pid, &st, 0);
	T_OK(sp != NULL);
	if (sp != NULL && (fp = fopen(sp, "rb")) != NULL) {
		got = malloc(n + 1);
		m = fread(got, 1, n + 1, fp);
		fclose(fp);
		T_OK(m == n && memcmp(got, buf, n) == 0);
		free(got);
	}
	sp_spool_remove(sp);
	if ((pid = fork()) == 0) {
		FILE *w = fopen(fifo, "wb");

		_exit(w != NULL && fputs("not audio at all, just words\n",
		    w) >= 0 && fclose(w) == 0 ? 0 : 1);
	}
	err[0] = '\0';
	T_INT(sp_decode_keep(fifo, &sp, &envfail, err, sizeof(err)), -1);
	waitpid(pid, &st, 0);
	T_OK(sp == NULL && envfail == 0 && err[0] != '\0');
	unlink(fifo);
	rmdir(dir);
	free(buf);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(FX) / sizeof(FX[0]); i++)
		one(&FX[i]);
	from_pipe("aac/space-chunks.aac", "adts", 145408, 0);
	from_pipe("pcm/mono-48k.opus", "opus", 144000, 0);
	from_pipe("pcm/stereo-48k.flac", "flac", 19200, 1);
	from_pipe("pcm/mono-44k.m4a", "mp4", 44100, 1);
	broken();
	rescan();
	keep();
	return t_done();
}
