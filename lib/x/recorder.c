/* recorder: clean HLS audio chunks, fetch them, journal them, assemble. */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "adts.h"
#include "err.h"
#include "http.h"
#include "io.h"
#include "mp4.h"
#include "recorder.h"
#include "remux.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

#define JOURNAL_MAGIC	"spaces-record journal 1\n"
#define AAC_FRAME	1024	/* samples in an ADTS frame */
#define SYNC_MS		1000	/* journal lines at most this late */

/* Monotonic milliseconds. */
static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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
		/* The tag's time is the wall clock where it sits. */
		if ((p->info.have & (SP_ID3_TIT3_NTP | SP_ID3_JSON_NTP)) &&
		    p->info.first_ntp > SP_NTP_UNIX && c->sample_rate > 0)
			c->ntp_ms = llround((p->info.first_ntp - SP_NTP_UNIX -
			    (double)p->info.first_ntp_sample /
			    c->sample_rate) * 1000);
	} else
		sp_chunk_release(c);
	free(p);
	return rc;
}

int
sp_chunk_decrypt(uint8_t *buf, size_t n, const uint8_t key[16],
    const uint8_t iv[16], size_t *len, char *err, size_t errlen)
{
	EVP_CIPHER_CTX *x;
	int a = 0, b = 0, ok;

	*len = 0;
	if (n == 0 || n % 16 != 0 || n > INT32_MAX)
		return sp_fail(err, errlen, "encrypted chunk of %zu bytes: not "
		    "whole AES blocks", n);
	if ((x = EVP_CIPHER_CTX_new()) == NULL)
		sp_errx(SP_EXIT_ENV, "out of memory");
	/* In place is allowed for CBC decryption; padding is checked. */
	ok = EVP_DecryptInit_ex(x, EVP_aes_128_cbc(), NULL, key, iv) == 1 &&
	    EVP_DecryptUpdate(x, buf, &a, buf, (int)n) == 1 &&
	    EVP_DecryptFinal_ex(x, buf + a, &b) == 1;
	EVP_CIPHER_CTX_free(x);
	if (!ok)
		return sp_fail(err, errlen, "cannot decrypt the chunk (wrong "
		    "key or IV, or bad padding)");
	*len = (size_t)a + (size_t)b;
	return 0;
}

void
sp_chunk_release(struct sp_chunk *c)
{
	free(c->data);
	memset(c, 0, sizeof(*c));
}

/*
 * The n numbers of s, separated by single spaces, into v: how many there
 * were (all of s used), or -1.
 */
static int
numbers(const char *s, uint64_t *v, int n)
{
	char *end;
	int i;

	for (i = 0; i < n && *s != '\0'; i++) {
		if (i > 0 && *s++ != ' ')
			return -1;
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v[i] = strtoull(s, &end, 10);
		if (errno != 0)
			return -1;
		s = end;
	}
	return *s == '\0' ? i : -1;
}

/* One "seq off len frames [ntp-ms]" line: 0, or -1. */
static int
parse_entry(const char *s, struct sp_jent *e)
{
	uint64_t v[5];
	int k = numbers(s, v, 5);

	if (k < 4 || (k == 5 && v[4] > INT64_MAX))
		return -1;
	e->seq = v[0];
	e->off = v[1];
	e->len = v[2];
	e->frames = v[3];
	e->ntp_ms = k == 5 ? (int64_t)v[4] : 0;
	return 0;
}

/* One "= format chunks bytes samples rate" line, checked against j. */
static int
parse_mark(struct sp_journal *j, const char *s)
{
	uint64_t v[4];
	size_t k = strcspn(s, " ");

	if (k == 0 || k >= sizeof(j->afmt) || s[k] != ' ' ||
	    numbers(s + k + 1, v, 4) != 4 || v[0] > j->n ||
	    v[0] < j->adone || v[3] == 0 || v[3] > 384000 ||
	    (j->afmt[0] && strncmp(j->afmt, s, k) != 0))
		return -1;
	memcpy(j->afmt, s, k);
	j->afmt[k] = '\0';
	j->adone = (size_t)v[0];
	j->abytes = v[1];
	j->asamples = v[2];
	j->arate = (unsigned)v[3];
	return 0;
}

/* s is n characters of set, 1 to max-1 of them. */
static int
only(const char *s, size_t n, const char *set, size_t max)
{
	return n > 0 && n < max && strspn(s, set) >= n;
}

#define DIGITS	"0123456789"
#define NAMECH	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	DIGITS "_"

static void
stage_push(struct sp_journal *j, const struct sp_stage_ev *e)
{
	if (j->nst == j->stcap) {
		j->stcap = j->stcap ? j->stcap * 2 : 16;
		j->st = sp_xreallocarray(j->st, j->stcap, sizeof(*j->st));
	}
	j->st[j->nst++] = *e;
}

/*
 * One stage line ("+ ms id [name]", "- ms id", "~ ms", its kind
 * character first) into j: 0, or -1.
 */
static int
parse_stage(struct sp_journal *j, const char *s)
{
	struct sp_stage_ev e;
	uint64_t ms;
	size_t k, n;
	char *end;

	memset(&e, 0, sizeof(e));
	e.kind = s[0] == '+' ? SP_STAGE_JOIN : s[0] == '-' ? SP_STAGE_LEAVE :
	    SP_STAGE_SEEN;
	s += 2;
	if (*s < '1' || *s > '9')
		return -1;
	errno = 0;
	ms = strtoull(s, &end, 10);
	if (errno != 0 || ms > INT64_MAX)
		return -1;
	e.ms = (int64_t)ms;
	s = end;
	if (e.kind == SP_STAGE_SEEN) {
		if (*s != '\0')
			return -1;
		j->seen_ms = e.ms;
		return 0;
	}
	if (*s++ != ' ')
		return -1;
	k = strcspn(s, " ");
	if (!only(s, k, DIGITS, sizeof(e.user_id)))
		return -1;
	memcpy(e.user_id, s, k);
	s += k;
	if (*s == ' ') {
		n = strlen(++s);
		if (e.kind != SP_STAGE_JOIN ||
		    !only(s, n, NAMECH, sizeof(e.username)))
			return -1;
		memcpy(e.username, s, n);
	} else if (*s != '\0')
		return -1;
	stage_push(j, &e);
	return 0;
}

/* Load the journal's whole, consistent lines; cut what follows them. */
static int
load(struct sp_journal *j, char *err, size_t errlen)
{
	struct stat st;
	char *buf, *p, *nl;
	size_t keep = 0, first_mark = 0, m = sizeof(JOURNAL_MAGIC) - 1;
	ssize_t got;
	struct sp_jent e;

	if (fstat(j->pfd, &st) != 0 || fstat(j->jfd, &st) != 0)
		return sp_fail(err, errlen, "cannot stat '%s': %s", j->path,
		    strerror(errno));
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
			if ((p[0] == '+' || p[0] == '-' || p[0] == '~') &&
			    p[1] == ' ') {
				/* Stage lines: anywhere, even in an
				 * assembly (older journals have none). */
				if (parse_stage(j, p) != 0)
					break;
			} else if (p[0] == '=' && p[1] == ' ') {
				if (parse_mark(j, p + 2) != 0)
					break;
				if (first_mark == 0)
					first_mark = (size_t)(p - buf);
			} else if (j->afmt[0] || parse_entry(p, &e) != 0 ||
			    e.off != j->end || e.len == 0 ||
			    e.off + e.len > (uint64_t)st.st_size ||
			    sp_journal_find(j, e.seq) != NULL)
				break;
			else {
				if (j->n == j->cap) {
					j->cap = j->cap ? j->cap * 2 : 64;
					j->e = sp_xreallocarray(j->e, j->cap,
					    sizeof(*j->e));
				}
				j->e[j->n++] = e;
				j->end += e.len;
				j->frames += e.frames;
			}
			keep = (size_t)(nl + 1 - buf);
		}
	}
	free(buf);
	j->synced = j->n;
	j->synced_ms = mono_ms();
	/* An assembly that consumed nothing yet starts again later. */
	if (j->afmt[0] && j->adone == 0) {
		keep = first_mark;
		j->afmt[0] = '\0';
		j->abytes = j->asamples = j->arate = 0;
	}
	if (keep == 0) {
		/* New or unreadable: start over. */
		if (ftruncate(j->jfd, 0) != 0 ||
		    pwrite(j->jfd, JOURNAL_MAGIC, m, 0) != (ssize_t)m)
			return sp_fail(err, errlen, "cannot write '%s': %s",
			    j->path, strerror(errno));
		keep = m;
	}
	if (ftruncate(j->jfd, (off_t)keep) != 0 ||
	    (!j->afmt[0] && ftruncate(j->pfd, (off_t)j->end) != 0) ||
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
	j->apath = sp_xasprintf("%s.asm", out);
	/* Never through a link planted at a working name (issue 19). */
	if ((j->jfd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0666)) == -1) {
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
	if ((j->pfd = open(j->part, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0666)) == -1) {
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
	char err[1];

	if (j->pfd != -1 && j->jfd != -1)
		(void)sp_journal_sync(j, err, sizeof(err));
	if (j->pfd != -1)
		close(j->pfd);
	if (j->jfd != -1)
		close(j->jfd);	/* drops the lock */
	free(j->part);
	free(j->path);
	free(j->apath);
	free(j->e);
	free(j->st);
	memset(j, 0, sizeof(*j));
	j->pfd = j->jfd = -1;
}

void
sp_journal_remove(struct sp_journal *j)
{
	j->synced = j->n;	/* nothing left worth a sync */
	/* The journal last: while it is there, the .part is resumable. */
	if (j->part)
		unlink(j->part);
	if (j->apath)
		unlink(j->apath);
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
sp_journal_sync(struct sp_journal *j, char *err, size_t errlen)
{
	char *buf;
	size_t i, len = 0;
	const struct sp_jent *e;

	j->synced_ms = mono_ms();
	if (j->synced == j->n)
		return 0;
	/* The bytes are on disk before the lines that vouch for them. */
	if (fdatasync(j->pfd) != 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->part,
		    strerror(errno));
	buf = sp_xmalloc((j->n - j->synced) * 128);
	for (i = j->synced; i < j->n; i++) {
		e = &j->e[i];
		len += (size_t)snprintf(buf + len, 128, "%" PRIu64 " %" PRIu64
		    " %" PRIu64 " %" PRIu64, e->seq, e->off, e->len,
		    e->frames);
		if (e->ntp_ms > 0)
			len += (size_t)snprintf(buf + len, 128, " %" PRId64,
			    e->ntp_ms);
		buf[len++] = '\n';
	}
	i = write_all(j->jfd, buf, len) != 0;
	free(buf);
	if (i)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->path,
		    strerror(errno));
	j->synced = j->n;
	return 0;
}

int
sp_journal_stage(struct sp_journal *j, int kind, const char *user_id,
    const char *username, int64_t ms, char *err, size_t errlen)
{
	struct sp_stage_ev e;
	char line[96];
	int n;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.ms = ms;
	if (ms <= 0)
		return sp_fail(err, errlen, "a stage event without a time");
	if (kind == SP_STAGE_SEEN)
		n = snprintf(line, sizeof(line), "~ %" PRId64 "\n", ms);
	else {
		if (user_id == NULL || !only(user_id, strlen(user_id),
		    DIGITS, sizeof(e.user_id)))
			return sp_fail(err, errlen, "a stage event without a "
			    "user id");
		snprintf(e.user_id, sizeof(e.user_id), "%s", user_id);
		if (kind == SP_STAGE_JOIN && username != NULL &&
		    only(username, strlen(username), NAMECH,
		    sizeof(e.username)))
			snprintf(e.username, sizeof(e.username), "%s",
			    username);
		n = snprintf(line, sizeof(line), "%c %" PRId64 " %s%s%s\n",
		    kind == SP_STAGE_JOIN ? '+' : '-', ms, e.user_id,
		    e.username[0] ? " " : "", e.username);
	}
	/* One write a line: a kill leaves it whole or cut (then dropped). */
	if (write_all(j->jfd, line, (size_t)n) != 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->path,
		    strerror(errno));
	if (kind == SP_STAGE_SEEN)
		j->seen_ms = ms;
	else
		stage_push(j, &e);
	return 0;
}

/* The person of user_id in the fold, or NULL. */
static json_t *
fold_find(json_t *people, const char *user_id)
{
	json_t *p;
	size_t i;

	json_array_foreach(people, i, p)
		if (strcmp(json_string_value(json_object_get(p, "user_id")),
		    user_id) == 0)
			return p;
	return NULL;
}

/* Close p's open session at ms. */
static void
fold_close(json_t *p, int64_t ms)
{
	json_t *ss = json_object_get(p, "sessions");
	json_t *last = json_array_get(ss, json_array_size(ss) - 1);
	json_t *open = json_object_get(p, "open");
	char at[SP_INSTANT_LEN];
	int64_t from = (int64_t)json_integer_value(open);

	if (open == NULL)
		return;
	if (ms > 0)
		json_object_set_new(last, "ended_at", json_string(
		    sp_fmt_instant(ms < from ? from : ms, at)));
	json_object_del(p, "open");
}

json_t *
sp_journal_speakers(const struct sp_journal *j, json_t **ids)
{
	const struct sp_stage_ev *e;
	json_t *people = json_array(), *p, *ss, *s, *v;
	char at[SP_INSTANT_LEN];
	size_t i, k;

	*ids = json_array();
	for (i = 0; i < j->nst; i++) {
		e = &j->st[i];
		p = fold_find(people, e->user_id);
		if (e->kind == SP_STAGE_LEAVE) {
			if (p != NULL)
				fold_close(p, e->ms);
			continue;
		}
		if (p == NULL) {
			p = json_pack("{s:s, s:[]}", "user_id", e->user_id,
			    "sessions");
			json_array_append_new(people, p);
			json_array_append_new(*ids, json_string(e->user_id));
		}
		if (e->username[0])
			json_object_set_new(p, "username",
			    json_string(e->username));
		if (json_object_get(p, "open") != NULL)
			continue;	/* joined twice: one session */
		json_array_append_new(json_object_get(p, "sessions"),
		    json_pack("{s:s}", "started_at", sp_fmt_instant(e->ms,
		    at)));
		json_object_set_new(p, "open", json_integer(e->ms));
	}
	json_array_foreach(people, i, p) {
		fold_close(p, j->seen_ms);
		/* DESIGN's core: first start, last end (in time order). */
		ss = json_object_get(p, "sessions");
		json_object_set(p, "start", json_object_get(json_array_get(ss,
		    0), "started_at"));
		json_array_foreach(ss, k, s)
			if ((v = json_object_get(s, "ended_at")) != NULL)
				json_object_set(p, "end", v);
	}
	return people;
}

void
sp_journal_on_stage(const struct sp_journal *j,
    void (*fn)(void *, const char *, const char *), void *ctx)
{
	const struct sp_stage_ev **on;
	size_t i, k, n = 0;

	on = sp_xcalloc(j->nst + 1, sizeof(*on));
	for (i = 0; i < j->nst; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(on[k]->user_id, j->st[i].user_id) == 0)
				break;
		if (j->st[i].kind == SP_STAGE_JOIN && k == n)
			on[n++] = &j->st[i];
		else if (j->st[i].kind == SP_STAGE_LEAVE && k < n) {
			memmove(on + k, on + k + 1, (n - k - 1) *
			    sizeof(*on));
			n--;
		}
	}
	for (k = 0; k < n; k++)
		fn(ctx, on[k]->user_id, on[k]->username);
	free(on);
}

int
sp_journal_add(struct sp_journal *j, uint64_t seq, const struct sp_chunk *c,
    char *err, size_t errlen)
{
	if (sp_journal_find(j, seq) != NULL)
		return 0;
	if (j->afmt[0])
		return sp_fail(err, errlen, "'%s': being assembled: no more "
		    "chunks", j->path);
	if (write_all(j->pfd, c->data, c->len) != 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->part,
		    strerror(errno));
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 64;
		j->e = sp_xreallocarray(j->e, j->cap, sizeof(*j->e));
	}
	j->e[j->n].seq = seq;
	j->e[j->n].off = j->end;
	j->e[j->n].len = c->len;
	j->e[j->n].frames = c->frames;
	j->e[j->n].ntp_ms = c->ntp_ms > 0 ? c->ntp_ms : 0;
	j->n++;
	j->end += c->len;
	j->frames += c->frames;
	/* One sync a second at most: a crash costs a second of chunks. */
	return mono_ms() - j->synced_ms >= SYNC_MS ? sp_journal_sync(j, err,
	    errlen) : 0;
}

static int
by_seq(const void *a, const void *b)
{
	const struct sp_jent *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
by_off(const void *a, const void *b)
{
	const struct sp_jent *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

int64_t
sp_journal_started(const struct sp_journal *j, unsigned rate)
{
	struct sp_jent *e;
	uint64_t samples = 0;
	int64_t t = 0;
	size_t i;

	if (j->n == 0 || rate == 0)
		return 0;
	e = sp_xreallocarray(NULL, j->n, sizeof(*e));
	memcpy(e, j->e, j->n * sizeof(*e));
	qsort(e, j->n, sizeof(*e), by_seq);
	for (i = 0; i < j->n; i++) {
		if (i > 0 && e[i].seq != e[i - 1].seq + 1)
			break;
		if (e[i].ntp_ms > 0) {
			t = e[i].ntp_ms - (int64_t)llround((double)samples *
			    1000 / rate);
			break;
		}
		samples += e[i].frames * AAC_FRAME;
	}
	free(e);
	return t;
}

/* Sync the .asm past window, mark it, punch window out of .part. */
#define WINDOW	(8u << 20)
#define VBUF	(1u << 20)	/* the .asm's stdio buffer */

/* One assembly. */
struct asmb {
	struct sp_journal *j;
	struct sp_jent	*e;		/* the entries, by seq */
	int		 m4a;
	uint8_t		*buf;
	size_t		 cap;
};

/* Read entry i of a into a->buf: 0, or -1 with err. */
static int
read_ent(struct asmb *a, size_t i, char *err, size_t errlen)
{
	if (a->e[i].len > a->cap) {
		a->cap = a->e[i].len;
		a->buf = sp_xrealloc(a->buf, a->cap);
	}
	if (pread(a->j->pfd, a->buf, a->e[i].len, (off_t)a->e[i].off) !=
	    (ssize_t)a->e[i].len)
		return sp_fail(err, errlen, "cannot read '%s'", a->j->part);
	return 0;
}

/*
 * The frames of entry i (in a->buf): for each, fn(ctx, frame, header).
 * 0, or -1 with err when a frame is damaged or fn fails.
 */
static int
each_frame(struct asmb *a, size_t i, int (*fn)(void *, const uint8_t *,
    const struct sp_adts_frame *), void *ctx, char *err, size_t errlen)
{
	struct sp_adts_frame f;
	size_t pos;

	for (pos = 0; pos < a->e[i].len; pos += f.length)
		if (sp_adts_header(a->buf + pos, a->e[i].len - pos, &f) != 0 ||
		    f.length > a->e[i].len - pos ||
		    (fn != NULL && fn(ctx, a->buf + pos, &f) != 0))
			return sp_fail(err, errlen, "'%s': chunk %" PRIu64
			    " is damaged", a->j->part, a->e[i].seq);
	return 0;
}

/* What the planning pass adds up. */
struct plan {
	struct sp_mp4_writer *w;
	uint64_t	 samples;
	unsigned	 rate;
	char		*err;
	size_t		 errlen;
};

static int
plan_frame(void *ctx, const uint8_t *frame, const struct sp_adts_frame *f)
{
	struct plan *pl = ctx;
	const uint8_t *au;
	uint8_t asc[8];
	size_t aulen, asclen;

	if (pl->rate == 0)
		pl->rate = f->sample_rate;
	pl->samples += f->samples;
	if (pl->err == NULL)
		return 0;	/* ADTS: nothing more to know */
	if (pl->w == NULL) {
		asclen = sp_mp4_asc_make(asc, sizeof(asc), f->profile + 1,
		    f->sample_rate, f->channels);
		if ((pl->w = sp_mp4_writer_new(asc, asclen, pl->err,
		    pl->errlen)) == NULL)
			return -1;
	}
	return sp_mp4_adts_au(frame, f->length, &au, &aulen, NULL) != 0 ||
	    sp_mp4_writer_add(pl->w, NULL, aulen, f->samples) != 0 ? -1 : 0;
}

static int
put_au(void *ctx, const uint8_t *frame, const struct sp_adts_frame *f)
{
	const uint8_t *au;
	size_t aulen;

	return sp_mp4_adts_au(frame, f->length, &au, &aulen, NULL) != 0 ||
	    fwrite(au, 1, aulen, ctx) != aulen ? -1 : 0;
}

static void
punch(int fd, uint64_t off, uint64_t len)
{
	(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    (off_t)off, (off_t)len);
}

/* Mark entries up to k as in the .asm (synced), then punch from. */
static int
mark(struct asmb *a, FILE *out, size_t from, size_t k, char *err,
    size_t errlen)
{
	struct sp_journal *j = a->j;
	struct sp_jent *w;
	char line[160];
	uint64_t end;
	off_t pos;
	size_t i, m;
	int n;

	if (fflush(out) != 0 || fdatasync(fileno(out)) != 0 ||
	    (pos = ftello(out)) < 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->apath,
		    strerror(errno));
	n = snprintf(line, sizeof(line), "= %s %zu %lld %" PRIu64 " %u\n",
	    j->afmt, k, (long long)pos, j->asamples, j->arate);
	if (write_all(j->jfd, line, (size_t)n) != 0 || fdatasync(j->jfd) != 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", j->path,
		    strerror(errno));
	j->adone = k;
	j->abytes = (uint64_t)pos;
	/*
	 * Where holes cannot be punched, .part keeps its space.  A block
	 * shared with a chunk still to come stays until the last window,
	 * which gives back the whole file.
	 */
	if (k == j->n && k > 0) {
		punch(j->pfd, 0, j->end);
		return 0;
	}
	/* The window's ranges in .part order, neighbours as one hole. */
	w = sp_xreallocarray(NULL, k - from + 1, sizeof(*w));
	memcpy(w, a->e + from, (k - from) * sizeof(*w));
	qsort(w, k - from, sizeof(*w), by_off);
	for (i = 0; i < k - from; i = m) {
		end = w[i].off + w[i].len;
		for (m = i + 1; m < k - from && w[m].off == end; m++)
			end += w[m].len;
		punch(j->pfd, w[i].off, end - w[i].off);
	}
	free(w);
	return 0;
}

/* Copy the entries from j->adone on to out, marking every window. */
static int
copy_rest(struct asmb *a, FILE *out, char *err, size_t errlen)
{
	struct sp_journal *j = a->j;
	size_t i, from = j->adone;
	uint64_t run = 0;

	for (i = j->adone; i < j->n; i++) {
		if (read_ent(a, i, err, errlen) != 0)
			return -1;
		if (a->m4a ? each_frame(a, i, put_au, out, err, errlen) != 0 :
		    fwrite(a->buf, 1, a->e[i].len, out) != a->e[i].len)
			return ferror(out) ? sp_fail(err, errlen, "cannot "
			    "write '%s': %s", j->apath, strerror(errno)) : -1;
		run += a->e[i].len;
		if (run >= WINDOW || i + 1 == j->n) {
			if (mark(a, out, from, i + 1, err, errlen) != 0)
				return -1;
			from = i + 1;
			run = 0;
		}
	}
	return 0;
}

/* The M4A writer's media: mark the header, then the chunks. */
static int
m4a_media(void *ctx, FILE *out, char *err, size_t errlen)
{
	struct asmb *a = ctx;

	return mark(a, out, 0, 0, err, errlen) != 0 ? -1 :
	    copy_rest(a, out, err, errlen);
}

/* A fresh assembly into out: plan every chunk, then write. */
static int
assemble_new(struct asmb *a, FILE *out, const struct sp_rec_tags *t,
    char *err, size_t errlen)
{
	struct sp_journal *j = a->j;
	struct plan pl;
	int64_t ms;
	size_t i;
	int rc = -1;

	memset(&pl, 0, sizeof(pl));
	if (a->m4a) {
		pl.err = err;
		pl.errlen = errlen;
	}
	for (i = 0; i < j->n; i++)
		if (read_ent(a, i, err, errlen) != 0 ||
		    each_frame(a, i, plan_frame, &pl, err, errlen) != 0)
			goto out;
	j->asamples = pl.samples;
	j->arate = pl.rate;
	if (!a->m4a) {
		rc = mark(a, out, 0, 0, err, errlen) != 0 ? -1 :
		    copy_rest(a, out, err, errlen);
		goto out;
	}
	sp_mp4_writer_tag(pl.w, SP_MP4_TITLE, t->title);
	sp_mp4_writer_tag(pl.w, SP_MP4_ARTIST, t->artist);
	sp_mp4_writer_tag(pl.w, SP_MP4_DATE, t->date);
	sp_mp4_writer_tag(pl.w, SP_MP4_COMMENT, t->comment);
	sp_mp4_writer_tag(pl.w, SP_MP4_ENCODER, "spaces-record");
	/* When the first sample was recorded, from the stream's NTP tags:
	 * the movie's creation time, which players show. */
	if ((ms = sp_journal_started(j, pl.rate)) > 0)
		sp_mp4_writer_time(pl.w, ms);
	sp_mp4_writer_media(pl.w, m4a_media, a);
	rc = sp_mp4_writer_finish(pl.w, out, err, errlen);
out:
	sp_mp4_writer_free(pl.w);
	return rc;
}

/*
 * A new .asm: a stale regular file of an earlier run (under the lock)
 * is replaced; anything else there (a link, a directory) is refused,
 * and the new one is created exclusively, so nothing is written through.
 */
static FILE *
create_asm(const char *path)
{
	struct stat st;
	FILE *fp;
	int fd;

	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			errno = EEXIST;
			return NULL;
		}
		(void)unlink(path);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0666)) == -1)
		return NULL;
	if ((fp = fdopen(fd, "wb")) == NULL)
		close(fd);
	return fp;
}

/* The .asm an earlier run began, never through a link. */
static FILE *
open_asm(const char *path)
{
	FILE *fp;
	int fd;

	if ((fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return NULL;
	if ((fp = fdopen(fd, "r+b")) == NULL)
		close(fd);
	return fp;
}

/* Put the finished .asm in place as target. */
static int
install(struct sp_journal *j, const char *target, int force, char *err,
    size_t errlen)
{
	if (force ? rename(j->apath, target) != 0 :
	    link(j->apath, target) != 0 || unlink(j->apath) != 0)
		return sp_fail(err, errlen, "cannot write '%s': %s", target,
		    strerror(errno));
	return 0;
}

int
sp_journal_assemble(struct sp_journal *j, const char *format,
    const struct sp_rec_tags *t, const char *target, int force,
    uint64_t *samples, unsigned *rate, char *err, size_t errlen)
{
	static const struct sp_rec_tags none;
	struct asmb a;
	struct stat st;
	FILE *out = NULL;
	char *vbuf;
	int rc = -1;

	*samples = 0;
	*rate = 0;
	if (j->n == 0)
		return sp_fail(err, errlen, "no audio captured");
	if (sp_journal_sync(j, err, errlen) != 0)
		return -1;
	if (j->afmt[0] && strcmp(j->afmt, format) != 0)
		return sp_fail(err, errlen, "'%s': an assembly as %s is under "
		    "way: run again with --format %s", j->path, j->afmt,
		    j->afmt);
	memset(&a, 0, sizeof(a));
	a.j = j;
	a.m4a = strcmp(format, "m4a") == 0;
	/* glibc takes a size only with a buffer: few writes, big ones. */
	vbuf = sp_xmalloc(VBUF);
	a.e = sp_xreallocarray(NULL, j->n, sizeof(*a.e));
	memcpy(a.e, j->e, j->n * sizeof(*a.e));
	qsort(a.e, j->n, sizeof(*a.e), by_seq);
	if (!j->afmt[0]) {
		snprintf(j->afmt, sizeof(j->afmt), "%s", format);
		if ((out = create_asm(j->apath)) == NULL) {
			sp_fail(err, errlen, "cannot create '%s': %s",
			    j->apath, strerror(errno));
			goto out;
		}
		setvbuf(out, vbuf, _IOFBF, VBUF);
		if (assemble_new(&a, out, t ? t : &none, err, errlen) != 0)
			goto out;
	} else if (j->adone < j->n || stat(j->apath, &st) == 0) {
		/* Resumed: the .asm holds the chunks before j->adone. */
		if ((out = open_asm(j->apath)) == NULL ||
		    fstat(fileno(out), &st) != 0) {
			sp_fail(err, errlen, "cannot open '%s': %s", j->apath,
			    strerror(errno));
			goto out;
		}
		setvbuf(out, vbuf, _IOFBF, VBUF);
		if ((uint64_t)st.st_size < j->abytes) {
			sp_fail(err, errlen, "'%s' is shorter than its journal "
			    "says", j->apath);
			goto out;
		}
		if (ftruncate(fileno(out), (off_t)j->abytes) != 0 ||
		    fseeko(out, (off_t)j->abytes, SEEK_SET) != 0 ||
		    copy_rest(&a, out, err, errlen) != 0)
			goto out;
	} else if (target == NULL || stat(target, &st) != 0) {
		/* Done before, and neither file is there. */
		sp_fail(err, errlen, "'%s' is gone", j->apath);
		goto out;
	} else
		target = NULL;	/* installed before */
	if (out != NULL && fclose(out) != 0) {
		out = NULL;
		sp_fail(err, errlen, "cannot write '%s': %s", j->apath,
		    strerror(errno));
		goto out;
	}
	out = NULL;
	if (target != NULL && install(j, target, force, err, errlen) != 0)
		goto out;
	*samples = j->asamples;
	*rate = j->arate;
	rc = 0;
out:
	if (out != NULL)
		fclose(out);
	free(vbuf);
	free(a.buf);
	free(a.e);
	return rc;
}

#define TS_PKT	188

int
sp_chunk_clean_ts(const uint8_t *buf, size_t n, struct sp_chunk *c,
    char *err, size_t errlen)
{
	size_t i, k;

	memset(c, 0, sizeof(*c));
	/* The first sync byte another packet's follows (or ends it). */
	for (i = 0; i < n; i++)
		if (buf[i] == 0x47 && (n - i <= TS_PKT ? n - i == TS_PKT :
		    buf[i + TS_PKT] == 0x47))
			break;
	if (i == n)
		return sp_fail(err, errlen, "no MPEG-TS packet");
	if ((n - i) % TS_PKT != 0)
		return sp_fail(err, errlen, "its last MPEG-TS packet is cut "
		    "short (%zu of %d bytes)", (n - i) % TS_PKT, TS_PKT);
	for (k = i; k < n; k += TS_PKT)
		if (buf[k] != 0x47)
			return sp_fail(err, errlen, "MPEG-TS packet %zu has "
			    "no sync byte", (k - i) / TS_PKT);
	c->len = n - i;
	c->data = sp_xmalloc(c->len);
	memcpy(c->data, buf + i, c->len);
	c->frames = c->len / TS_PKT;
	c->dropped = i;
	return 0;
}

int
sp_journal_remux(struct sp_journal *j, int kind, const struct sp_rec_tags *t,
    const char *target, int force, struct sp_remux_stats *st, char *err,
    size_t errlen)
{
	struct sp_remux *r = NULL;
	struct sp_jent *e;
	FILE *out;
	uint8_t *buf;
	size_t i, k, cap = 1 << 16;
	int rc = -1;

	if (j->n == 0)
		return sp_fail(err, errlen, "nothing captured");
	if (sp_journal_sync(j, err, errlen) != 0)
		return -1;
	if ((out = create_asm(j->apath)) == NULL)
		return sp_fail(err, errlen, "cannot create '%s': %s",
		    j->apath, strerror(errno));
	e = sp_xreallocarray(NULL, j->n, sizeof(*e));
	memcpy(e, j->e, j->n * sizeof(*e));
	qsort(e, j->n, sizeof(*e), by_seq);
	buf = sp_xmalloc(cap);
	if ((r = sp_remux_new((enum sp_remux_kind)kind, out, err, errlen)) ==
	    NULL)
		goto out;
	if (t != NULL) {
		sp_remux_tag(r, SP_MP4_TITLE, t->title);
		sp_remux_tag(r, SP_MP4_ARTIST, t->artist);
		sp_remux_tag(r, SP_MP4_DATE, t->date);
		sp_remux_tag(r, SP_MP4_COMMENT, t->comment);
	}
	sp_remux_tag(r, SP_MP4_ENCODER, "spaces-record");
	/* Each chunk a segment, fed in pieces: memory stays flat. */
	for (i = 0; i < j->n; i++) {
		for (k = 0; k < e[i].len; k += cap) {
			size_t m = e[i].len - k < cap ? e[i].len - k : cap;

			if (pread(j->pfd, buf, m, (off_t)(e[i].off + k)) !=
			    (ssize_t)m) {
				sp_fail(err, errlen, "cannot read '%s'",
				    j->part);
				goto out;
			}
			if (sp_remux_feed(r, buf, m, err, errlen) != 0)
				goto out;
		}
		if (sp_remux_end_segment(r, err, errlen) != 0)
			goto out;
	}
	if (sp_remux_finish(r, st, err, errlen) != 0)
		goto out;
	if (fflush(out) != 0 || fsync(fileno(out)) != 0) {
		sp_fail(err, errlen, "cannot write '%s': %s", j->apath,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	sp_remux_free(r);
	if (fclose(out) != 0 && rc == 0)
		rc = sp_fail(err, errlen, "cannot write '%s': %s", j->apath,
		    strerror(errno));
	free(buf);
	free(e);
	if (rc == 0 && target != NULL)
		rc = install(j, target, force, err, errlen);
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

/* An MPEG-TS packet stream (a video Space's chunk), not ADTS. */
static int
is_ts(const uint8_t *b, size_t n)
{
	return n >= 188 && b[0] == 0x47 && (n < 376 || b[188] == 0x47);
}

/*
 * Whether chunk c is of the recording's format (the first chunk sets
 * it): 1, or 0 with why in f->err.
 */
static int
same_format(struct sp_fetcher *fe, struct sp_fetch *f,
    const struct sp_chunk *c)
{
	if (fe->rate == 0) {
		fe->rate = c->sample_rate;
		fe->channels = c->channels;
		fe->profile = c->profile;
		return 1;
	}
	if (c->sample_rate == fe->rate && c->channels == fe->channels &&
	    c->profile == fe->profile)
		return 1;
	snprintf(f->err, sizeof(f->err), "%u Hz, %u channels, profile %u: "
	    "not the recording's %u Hz, %u channels, profile %u",
	    c->sample_rate, c->channels, c->profile, fe->rate, fe->channels,
	    fe->profile);
	return 0;
}

/* Journal the cleaned chunk c as f's (a failure is fatal), free it. */
static void
keep(struct sp_fetcher *fe, struct sp_fetch *f, struct sp_chunk *c)
{
	if (!fe->fatal && sp_journal_add(fe->journal, f->seq, c, fe->ferr,
	    sizeof(fe->ferr)) != 0)
		fe->fatal = 1;
	f->done = !fe->fatal;
	sp_chunk_release(c);
}

/* A video recording's chunk: journalled whole, or why not in f->err. */
static void
video_done(struct sp_fetcher *fe, struct sp_fetch *f, const uint8_t *b,
    size_t n)
{
	struct sp_adts_frame af;
	struct sp_chunk c;
	char e[160];

	if (!is_ts(b, n) && sp_adts_header(b, n, &af) == 0) {
		snprintf(f->err, sizeof(f->err), "an ADTS (audio) chunk, not "
		    "the recording's MPEG-TS");
		f->refused = 1;
	} else if (sp_chunk_clean_ts(b, n, &c, e, sizeof(e)) != 0)
		snprintf(f->err, sizeof(f->err), "%s", e);
	else {
		keep(fe, f, &c);
		return;
	}
	say(fe, f);
}

static void
done(void *ctx, int result, struct sp_http_resp *r, const char *why)
{
	struct job *jb = ctx;
	struct sp_fetcher *fe = jb->fe;
	struct sp_fetch *f = jb->f;
	struct sp_chunk c;
	char e[160];
	size_t len = r->len;

	f->tries++;
	f->status = result == SP_HTTP_OK ? r->status : 0;
	if (fe->tick != NULL)
		fe->tick(fe->ctx);
	if (f->status == 429 || f->status == 503) {
		long ra = sp_http_retry_after(r, (long)time(NULL));

		/* A 503's Retry-After is capped harder than a 429's. */
		if (ra > SP_HTTP_MAX_WAIT)
			ra = SP_HTTP_MAX_WAIT;
		if (f->status == 503 && ra > SP_HTTP_RETRY_AFTER_MAX)
			ra = SP_HTTP_RETRY_AFTER_MAX;
		if (ra > fe->wait)
			fe->wait = (double)ra;
	}
	if (result != SP_HTTP_OK)
		snprintf(f->err, sizeof(f->err), "%s", why);
	else if (r->status != 200)
		snprintf(f->err, sizeof(f->err), "HTTP %ld", r->status);
	else if (f->aes && sp_chunk_decrypt((uint8_t *)r->body, r->len,
	    f->key, f->iv, &len, e, sizeof(e)) != 0)
		snprintf(f->err, sizeof(f->err), "%s", e);
	else if (fe->video) {
		video_done(fe, f, (const uint8_t *)r->body, len);
		return;
	} else if (is_ts((const uint8_t *)r->body, len)) {
		snprintf(f->err, sizeof(f->err), "an MPEG-TS (video) chunk, "
		    "not ADTS audio");
		f->refused = 1;
	} else if (sp_chunk_clean((const uint8_t *)r->body, len, &c, e,
	    sizeof(e)) != 0)
		snprintf(f->err, sizeof(f->err), "%s", e);
	else if (!same_format(fe, f, &c)) {
		f->refused = 1;
		sp_chunk_release(&c);
	} else {
		keep(fe, f, &c);
		return;
	}
	say(fe, f);
}

/* A resumed recording's format: its first journalled chunk's. */
static void
journal_format(struct sp_fetcher *fe)
{
	struct sp_journal *j = fe->journal;
	struct sp_adts_frame f;
	uint8_t h[16];

	if (fe->rate != 0 || j->n == 0 || pread(j->pfd, h, sizeof(h),
	    (off_t)j->e[0].off) != (ssize_t)sizeof(h) ||
	    sp_adts_header(h, sizeof(h), &f) != 0)
		return;
	fe->rate = f.sample_rate;
	fe->channels = f.channels;
	fe->profile = f.profile;
}

int
sp_fetch_all(struct sp_fetcher *fe, struct sp_fetch *f, size_t n, char *err,
    size_t errlen)
{
	struct sp_http_multi *m;
	struct job *jobs = sp_xcalloc(n ? n : 1, sizeof(*jobs));
	struct timespec ts;
	double delay = fe->backoff, d;
	size_t i, left;
	int round;

	journal_format(fe);
	for (round = 0; ; round++) {
		fe->wait = 0;
		m = sp_http_multi_new(fe->http, fe->jobs);
		for (i = left = 0; i < n; i++) {
			if (f[i].done || sp_journal_find(fe->journal,
			    f[i].seq) != NULL) {
				f[i].done = 1;
				continue;
			}
			if (f[i].tries >= fe->tries || f[i].refused)
				continue;
			jobs[i].fe = fe;
			jobs[i].f = &f[i];
			sp_http_multi_add(m, f[i].url, NULL, done, &jobs[i]);
			left++;
		}
		if (left > 0)
			sp_http_multi_run(m);
		sp_http_multi_free(m);
		if (!fe->fatal && sp_journal_sync(fe->journal, fe->ferr,
		    sizeof(fe->ferr)) != 0)
			fe->fatal = 1;
		if (fe->fatal) {
			free(jobs);
			return sp_fail(err, errlen, "%s", fe->ferr);
		}
		for (i = left = 0; i < n; i++)
			left += !f[i].done && !f[i].refused &&
			    f[i].tries < fe->tries;
		if (left == 0)
			break;
		/* Back off before the next round, doubling, with a cap;
		 * longer when the server said how long. */
		d = fe->wait > delay ? fe->wait : delay;
		ts.tv_sec = (time_t)d;
		ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
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
