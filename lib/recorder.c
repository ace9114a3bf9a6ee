/* recorder: clean HLS audio chunks, fetch them, journal them, assemble. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adts.h"
#include "err.h"
#include "http.h"
#include "io.h"
#include "mp4.h"
#include "recorder.h"
#include "xalloc.h"
#include "banned.h"

#define JOURNAL_MAGIC	"spaces-record journal 1\n"

/* What the frame callback collects. */
struct clean {
	struct sp_chunk	*c;
	size_t		 cap;
};

static void
on_frame(void *ctx, uint64_t off, const struct sp_adts_frame *f,
    const uint8_t *data)
{
	struct clean *k = ctx;
	struct sp_chunk *c = k->c;

	if (c->len + f->length > k->cap) {
		k->cap = (c->len + f->length) * 2;
		c->data = sp_xrealloc(c->data, k->cap);
	}
	memcpy(c->data + c->len, data, f->length);
	c->len += f->length;
	c->frames++;
	c->samples += f->samples;
}

int
sp_chunk_clean(const uint8_t *buf, size_t n, struct sp_chunk *c, char *err,
    size_t errlen)
{
	struct sp_adts *p = sp_xcalloc(1, sizeof(*p));	/* 29 KB */
	struct clean k;
	unsigned bad;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	k.c = c;
	k.cap = 0;
	sp_adts_init(p);
	p->ctx = &k;
	p->on_frame = on_frame;
	sp_adts_feed(p, buf, n);
	if (sp_adts_finish(p) != 0)
		rc = sp_fail(err, errlen, "no ADTS frame (%zu bytes)", n);
	else if ((bad = p->info.errors & (SP_ADTS_ETRUNC | SP_ADTS_ETRUNCTAG |
	    SP_ADTS_ECHANGE)) != 0)
		rc = sp_fail(err, errlen, "damaged audio: %s", bad &
		    SP_ADTS_ETRUNC ? "last frame cut short" : bad &
		    SP_ADTS_ETRUNCTAG ? "ID3 tag cut short" :
		    "format changes inside the chunk");
	if (rc == 0) {
		c->dropped = n - c->len;
		c->sample_rate = p->info.sample_rate;
		c->channels = p->info.channels;
		c->profile = p->info.profile;
	} else
		sp_chunk_release(c);
	free(p);
	return rc;
}

void
sp_chunk_release(struct sp_chunk *c)
{
	free(c->data);
	memset(c, 0, sizeof(*c));
}

/* One "seq off len frames" line: 0, or -1. */
static int
parse_line(const char *s, struct sp_jent *e)
{
	uint64_t v[4];
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v[i] = strtoull(s, &end, 10);
		if (errno != 0 || end == s)
			return -1;
		s = end;
		if (i < 3 && *s++ != ' ')
			return -1;
	}
	if (*s != '\0')
		return -1;
	e->seq = v[0];
	e->off = v[1];
	e->len = v[2];
	e->frames = v[3];
	return 0;
}

/* Load the journal's whole, consistent lines; cut what follows them. */
static int
load(struct sp_journal *j, char *err, size_t errlen)
{
	struct stat st;
	char *buf, *p, *nl;
	size_t keep = 0, m = sizeof(JOURNAL_MAGIC) - 1;
	ssize_t got;
	struct sp_jent e;

	if (fstat(j->jfd, &st) != 0 || fstat(j->pfd, &st) != 0)
		return sp_fail(err, errlen, "cannot stat '%s': %s", j->path,
		    strerror(errno));
	if (fstat(j->jfd, &st) != 0)
		return -1;
	buf = sp_xmalloc((size_t)st.st_size + 1);
	got = pread(j->jfd, buf, (size_t)st.st_size, 0);
	if (got < 0) {
		free(buf);
		return sp_fail(err, errlen, "cannot read '%s': %s", j->path,
		    strerror(errno));
	}
	buf[got] = '\0';
	if ((size_t)got >= m && memcmp(buf, JOURNAL_MAGIC, m) == 0) {
		keep = m;
		fstat(j->pfd, &st);
		for (p = buf + m; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			*nl = '\0';
			if (parse_line(p, &e) != 0 || e.off != j->end ||
			    e.len == 0 || e.off + e.len > (uint64_t)st.st_size ||
			    sp_journal_find(j, e.seq) != NULL)
				break;
			if (j->n == j->cap) {
				j->cap = j->cap ? j->cap * 2 : 64;
				j->e = sp_xreallocarray(j->e, j->cap,
				    sizeof(*j->e));
			}
			j->e[j->n++] = e;
			j->end += e.len;
			j->frames += e.frames;
			keep = (size_t)(nl + 1 - buf);
		}
	}
	free(buf);
	if (keep == 0) {
		/* New or unreadable: start over. */
		if (ftruncate(j->jfd, 0) != 0 ||
		    pwrite(j->jfd, JOURNAL_MAGIC, m, 0) != (ssize_t)m)
			return sp_fail(err, errlen, "cannot write '%s': %s",
			    j->path, strerror(errno));
		keep = m;
	}
	if (ftruncate(j->jfd, (off_t)keep) != 0 ||
	    ftruncate(j->pfd, (off_t)j->end) != 0 ||
	    lseek(j->jfd, 0, SEEK_END) < 0 || lseek(j->pfd, 0, SEEK_END) < 0)
		return sp_fail(err, errlen, "cannot truncate '%s': %s",
		    j->part, strerror(errno));
	return 0;
}

int
sp_journal_open(struct sp_journal *j, const char *out, char *err,
    size_t errlen)
{
	memset(j, 0, sizeof(*j));
	j->pfd = -1;
	j->part = sp_xasprintf("%s.part", out);
	j->path = sp_xasprintf("%s.journal", out);
	if ((j->jfd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) ==
	    -1) {
		sp_fail(err, errlen, "cannot open '%s': %s", j->path,
		    strerror(errno));
		sp_journal_close(j);
		return -1;
	}
	if (flock(j->jfd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		sp_journal_close(j);
		if (e == EWOULDBLOCK)
			return SP_JOURNAL_LOCKED;
		return sp_fail(err, errlen, "cannot lock '%s': %s", out,
		    strerror(e));
	}
	if ((j->pfd = open(j->part, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) ==
	    -1) {
		sp_fail(err, errlen, "cannot open '%s': %s", j->part,
		    strerror(errno));
		sp_journal_close(j);
		return -1;
	}
	if (load(j, err, errlen) != 0) {
		sp_journal_close(j);
		return -1;
	}
	return 0;
}

void
sp_journal_close(struct sp_journal *j)
{
	if (j->pfd != -1)
		close(j->pfd);
	if (j->jfd != -1)
		close(j->jfd);	/* drops the lock */
	free(j->part);
	free(j->path);
	free(j->e);
	memset(j, 0, sizeof(*j));
	j->pfd = j->jfd = -1;
}

void
sp_journal_remove(struct sp_journal *j)
{
	/* The journal last: while it is there, the .part is resumable. */
	if (j->part)
		unlink(j->part);
	if (j->path)
		unlink(j->path);
	sp_journal_close(j);
}

const struct sp_jent *
sp_journal_find(const struct sp_journal *j, uint64_t seq)
{
	size_t i;

	for (i = j->n; i-- > 0; )
		if (j->e[i].seq == seq)
			return &j->e[i];
	return NULL;
}

static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
sp_journal_add(struct sp_journal *j, uint64_t seq, const struct sp_chunk *c,
    char *err, size_t errlen)
{
	char line[128];
	int k;

	if (sp_journal_find(j, seq) != NULL)
		return 0;
	/* The bytes are on disk before the line that vouches for them. */
	if (write_all(j->pfd, c->data, c->len) != 0 || fdatasync(j->pfd) != 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->part,
		    strerror(errno));
	k = snprintf(line, sizeof(line), "%" PRIu64 " %" PRIu64 " %zu %"
	    PRIu64 "\n", seq, j->end, c->len, c->frames);
	if (write_all(j->jfd, line, (size_t)k) != 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->path,
		    strerror(errno));
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 64;
		j->e = sp_xreallocarray(j->e, j->cap, sizeof(*j->e));
	}
	j->e[j->n].seq = seq;
	j->e[j->n].off = j->end;
	j->e[j->n].len = c->len;
	j->e[j->n].frames = c->frames;
	j->n++;
	j->end += c->len;
	j->frames += c->frames;
	return 0;
}

static int
by_seq(const void *a, const void *b)
{
	const struct sp_jent *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
sp_journal_assemble(struct sp_journal *j, const char *out,
    const char *format, const char *title, int force, uint64_t *samples,
    unsigned *rate, char *err, size_t errlen)
{
	struct sp_rec_tags t;

	memset(&t, 0, sizeof(t));
	t.title = title;
	return sp_journal_assemble_tags(j, out, format, &t, force, samples,
	    rate, err, errlen);
}

int
sp_journal_assemble_tags(struct sp_journal *j, const char *out,
    const char *format, const struct sp_rec_tags *tags, int force,
    uint64_t *samples, unsigned *rate, char *err, size_t errlen)
{
	struct sp_jent *e;
	struct sp_mp4_writer *w = NULL;
	struct sp_atomic a;
	struct sp_adts_frame f;
	const uint8_t *au;
	uint8_t *buf = NULL, asc[8];
	size_t i, pos, aulen, asclen, cap = 0;
	int m4a = strcmp(format, "m4a") == 0, rc = -1;

	*samples = 0;
	*rate = 0;
	if (j->n == 0)
		return sp_fail(err, errlen, "no audio captured");
	e = sp_xreallocarray(NULL, j->n, sizeof(*e));
	memcpy(e, j->e, j->n * sizeof(*e));
	qsort(e, j->n, sizeof(*e), by_seq);
	memset(&a, 0, sizeof(a));
	if (!m4a && sp_atomic_open(&a, out, force) != 0) {
		sp_fail(err, errlen, "cannot create '%s': %s", out,
		    strerror(errno));
		free(e);
		return -1;
	}
	for (i = 0; i < j->n; i++) {
		if (e[i].len > cap) {
			cap = e[i].len;
			buf = sp_xrealloc(buf, cap);
		}
		if (pread(j->pfd, buf, e[i].len, (off_t)e[i].off) !=
		    (ssize_t)e[i].len) {
			sp_fail(err, errlen, "cannot read '%s'", j->part);
			goto out;
		}
		for (pos = 0; pos < e[i].len; pos += f.length) {
			if (sp_adts_header(buf + pos, e[i].len - pos, &f) !=
			    0 || f.length > e[i].len - pos) {
				sp_fail(err, errlen, "'%s': chunk %" PRIu64
				    " is damaged", j->part, e[i].seq);
				goto out;
			}
			if (*rate == 0)
				*rate = f.sample_rate;
			*samples += f.samples;
			if (!m4a)
				continue;
			if (w == NULL) {
				asclen = sp_mp4_asc_make(asc, sizeof(asc),
				    f.profile + 1, f.sample_rate, f.channels);
				if ((w = sp_mp4_writer_new(asc, asclen, err,
				    errlen)) == NULL)
					goto out;
			}
			if (sp_mp4_adts_au(buf + pos, f.length, &au, &aulen,
			    NULL) != 0 || sp_mp4_writer_add(w, au, aulen,
			    f.samples) != 0) {
				sp_fail(err, errlen, "cannot add chunk %" PRIu64
				    " to the M4A", e[i].seq);
				goto out;
			}
		}
		if (!m4a && fwrite(buf, 1, e[i].len, a.fp) != e[i].len) {
			sp_fail(err, errlen, "cannot write '%s': %s", out,
			    strerror(errno));
			goto out;
		}
	}
	if (m4a) {
		sp_mp4_writer_tag(w, SP_MP4_TITLE, tags->title);
		sp_mp4_writer_tag(w, SP_MP4_ARTIST, tags->artist);
		sp_mp4_writer_tag(w, SP_MP4_DATE, tags->date);
		sp_mp4_writer_tag(w, SP_MP4_COMMENT, tags->comment);
		sp_mp4_writer_tag(w, SP_MP4_ENCODER, "spaces-record");
		if (sp_mp4_writer_commit(w, out, force, err, errlen) != 0)
			goto out;
	} else if (sp_atomic_commit(&a) != 0) {
		sp_fail(err, errlen, "cannot write '%s': %s", out,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && !m4a)
		sp_atomic_abort(&a);
	sp_mp4_writer_free(w);
	free(buf);
	free(e);
	return rc;
}

/* The multi handle's answer for one chunk. */
struct job {
	struct sp_fetcher *fe;
	struct sp_fetch	*f;
};

static void
say(struct sp_fetcher *fe, struct sp_fetch *f)
{
	char msg[256];

	if (fe->warn == NULL)
		return;
	snprintf(msg, sizeof(msg), "chunk %" PRIu64 ": %s (attempt %d)",
	    f->seq, f->err, f->tries);
	fe->warn(fe->ctx, msg);
}

static void
done(void *ctx, int result, struct sp_http_resp *r, const char *why)
{
	struct job *jb = ctx;
	struct sp_fetcher *fe = jb->fe;
	struct sp_fetch *f = jb->f;
	struct sp_chunk c;
	char e[160];

	f->tries++;
	f->status = result == SP_HTTP_OK ? r->status : 0;
	if (result != SP_HTTP_OK)
		snprintf(f->err, sizeof(f->err), "%s", why);
	else if (r->status != 200)
		snprintf(f->err, sizeof(f->err), "HTTP %ld", r->status);
	else if (sp_chunk_clean((const uint8_t *)r->body, r->len, &c, e,
	    sizeof(e)) != 0)
		snprintf(f->err, sizeof(f->err), "%s", e);
	else {
		if (!fe->fatal && sp_journal_add(fe->journal, f->seq, &c,
		    fe->ferr, sizeof(fe->ferr)) != 0)
			fe->fatal = 1;
		f->done = !fe->fatal;
		sp_chunk_release(&c);
		return;
	}
	say(fe, f);
}

int
sp_fetch_all(struct sp_fetcher *fe, struct sp_fetch *f, size_t n, char *err,
    size_t errlen)
{
	struct sp_http_multi *m;
	struct job *jobs = sp_xcalloc(n ? n : 1, sizeof(*jobs));
	struct timespec ts;
	double delay = fe->backoff;
	size_t i, left;
	int round;

	for (round = 0; ; round++) {
		m = sp_http_multi_new(fe->http, fe->jobs);
		for (i = left = 0; i < n; i++) {
			if (f[i].done || sp_journal_find(fe->journal,
			    f[i].seq) != NULL) {
				f[i].done = 1;
				continue;
			}
			if (f[i].tries >= fe->tries)
				continue;
			jobs[i].fe = fe;
			jobs[i].f = &f[i];
			sp_http_multi_add(m, f[i].url, NULL, done, &jobs[i]);
			left++;
		}
		if (left > 0)
			sp_http_multi_run(m);
		sp_http_multi_free(m);
		if (fe->fatal) {
			free(jobs);
			return sp_fail(err, errlen, "%s", fe->ferr);
		}
		for (i = left = 0; i < n; i++)
			left += !f[i].done && f[i].tries < fe->tries;
		if (left == 0)
			break;
		/* Back off before the next round, doubling, with a cap. */
		ts.tv_sec = (time_t)delay;
		ts.tv_nsec = (long)((delay - (double)ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		if ((delay *= 2) > SP_HTTP_BACKOFF_MAX)
			delay = SP_HTTP_BACKOFF_MAX;
	}
	free(jobs);
	for (i = left = 0; i < n; i++)
		left += !f[i].done;
	return (int)left;
}
