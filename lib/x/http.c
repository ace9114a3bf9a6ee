/* http: one libcurl wrapper: timeouts, retries, rate limits, size limits. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "args.h"
#include "err.h"
#include "http.h"
#include "strnum.h"
#include "xalloc.h"
#include "banned.h"

#ifndef SP_VERSION
#define SP_VERSION "0"
#endif

/* A path whose rate-limit window is used up, until reset (Unix s). */
struct window {
	char	*key;
	long	 reset;
};

struct sp_http {
	struct sp_http_opts o;
	CURL	*easy;
	char	*ua;
	struct window *win;
	size_t	 nwin;
	uint64_t rnd;
};

/* One transfer in flight: where its bytes and headers go. */
struct xfer {
	struct sp_http *h;
	struct sp_http_resp *r;
	size_t	 cap;
	int	 toobig;	/* the body passed max_body */
	int	 sunk;		/* bytes went to the sink */
	int	 sink_errno;
	struct curl_slist *hdrs;
	char	 errbuf[CURL_ERROR_SIZE];
};

static long
now_s(void)
{
	return (long)time(NULL);
}

static void
snooze(double s)
{
	struct timespec ts, rem;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR)
		ts = rem;
}

/* xorshift64: jitter needs spread, not secrecy. */
static double
rnd01(struct sp_http *h)
{
	h->rnd ^= h->rnd << 13;
	h->rnd ^= h->rnd >> 7;
	h->rnd ^= h->rnd << 17;
	return (double)(h->rnd >> 11) / 9007199254740992.0;
}

static void
notice(struct sp_http *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
notice(struct sp_http *h, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (h->o.notice == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	h->o.notice(h->o.ctx, buf);
}

char *
sp_http_redact(const char *line)
{
	static const char *secret[] = { "authorization", "cookie",
	    "set-cookie", "proxy-authorization" };
	const char *colon = strchr(line, ':');
	size_t i, k;

	if (colon != NULL) {
		k = (size_t)(colon - line);
		for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
			if (strlen(secret[i]) == k &&
			    strncasecmp(line, secret[i], k) == 0)
				return sp_xasprintf("%.*s: [redacted]",
				    (int)k, line);
	}
	return sp_xstrdup(line);
}

/* curl's debug stream: header lines only, redacted, one per hook call. */
static int
debug_cb(CURL *c, curl_infotype type, char *data, size_t size, void *ctx)
{
	struct sp_http *h = ctx;
	const char *dir;
	char *line, *red, *p, *e;

	switch (type) {
	case CURLINFO_TEXT:
		dir = "*";
		break;
	case CURLINFO_HEADER_IN:
		dir = "<";
		break;
	case CURLINFO_HEADER_OUT:
		dir = ">";
		break;
	default:
		return 0;
	}
	line = sp_xstrndup(data, size);
	for (p = line; *p != '\0'; p = e) {
		e = p + strcspn(p, "\r\n");
		if (e > p) {
			char save = *e;

			*e = '\0';
			red = sp_http_redact(p);
			/* A header block's lines, and curl's own notes. */
			{
				char *msg = sp_xasprintf("%s %s", dir, red);

				h->o.verbose(h->o.ctx, msg);
				free(msg);
			}
			free(red);
			*e = save;
		}
		e += strspn(e, "\r\n");
	}
	free(line);
	return 0;
}

static size_t
header_cb(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	struct sp_http_resp *r = x->r;
	size_t n = size * nmemb, a, b;
	size_t i;

	/* A new status line (after 100 Continue): drop the block before. */
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		for (i = 0; i < r->nheaders; i++)
			free(r->headers[i]);
		r->nheaders = 0;
		return n;
	}
	a = 0;
	b = n;
	while (b > a && isspace((unsigned char)data[b - 1]))
		b--;
	if (b == a || memchr(data, ':', b) == NULL)
		return n;
	if (r->nheaders >= 200)		/* bounded: a hostile server */
		return n;
	r->headers = sp_xreallocarray(r->headers, r->nheaders + 1,
	    sizeof(*r->headers));
	r->headers[r->nheaders++] = sp_xstrndup(data + a, b - a);
	return n;
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	struct sp_http_resp *r = x->r;
	size_t n = size * nmemb;

	if (r->sink != NULL) {
		if (n == 0)
			return 0;
		x->sunk = 1;
		if (r->sink(r->sink_ctx, data, n) != 0) {
			x->sink_errno = errno ? errno : EIO;
			return 0;
		}
		return n;
	}
	if (n > x->h->o.max_body || r->len > x->h->o.max_body - n) {
		x->toobig = 1;
		return 0;
	}
	if (r->len + n + 1 > x->cap) {
		while (r->len + n + 1 > x->cap)
			x->cap = x->cap ? x->cap * 2 : 16384;
		r->body = sp_xrealloc(r->body, x->cap);
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

const char *
sp_http_header(const struct sp_http_resp *r, const char *name)
{
	size_t i, k = strlen(name);
	const char *v;

	for (i = r->nheaders; i-- > 0;) {
		if (strncasecmp(r->headers[i], name, k) != 0 ||
		    r->headers[i][k] != ':')
			continue;
		v = r->headers[i] + k + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		return v;
	}
	return NULL;
}

void
sp_http_resp_release(struct sp_http_resp *r)
{
	size_t i;

	free(r->body);
	for (i = 0; i < r->nheaders; i++)
		free(r->headers[i]);
	free(r->headers);
	r->body = NULL;
	r->len = 0;
	r->headers = NULL;
	r->nheaders = 0;
	r->status = 0;
}

long
sp_http_retry_after(const struct sp_http_resp *r, long now)
{
	const char *v, *errstr;
	long long n;
	time_t t;

	if ((v = sp_http_header(r, "retry-after")) != NULL) {
		if (sp_strtoll(v, 0, 86400 * 7, &n, &errstr) == 0)
			return (long)n;
		if ((t = curl_getdate(v, NULL)) != -1)
			return t > now ? (long)(t - now) : 0;
	}
	if ((v = sp_http_header(r, "x-rate-limit-reset")) != NULL &&
	    sp_strtoll(v, 0, 1LL << 40, &n, &errstr) == 0)
		return n > now ? (long)(n - now) : 0;
	return -1;
}

struct sp_http *
sp_http_new(const struct sp_http_opts *o)
{
	struct sp_http *h = sp_xcalloc(1, sizeof(*h));

	if (o != NULL)
		h->o = *o;
	else
		h->o.retries = -1;
	if (h->o.connect_timeout <= 0)
		h->o.connect_timeout = SP_HTTP_CONNECT_TIMEOUT;
	if (h->o.low_speed_time <= 0)
		h->o.low_speed_time = SP_HTTP_LOW_SPEED_TIME;
	if (h->o.retries < 0)
		h->o.retries = SP_HTTP_RETRIES;
	if (h->o.backoff <= 0)
		h->o.backoff = SP_HTTP_BACKOFF;
	if (h->o.max_body == 0)
		h->o.max_body = SP_HTTP_MAX_BODY;
	if (h->o.max_wait <= 0)
		h->o.max_wait = SP_HTTP_MAX_WAIT;
	if (h->o.retry_after_max <= 0)
		h->o.retry_after_max = SP_HTTP_RETRY_AFTER_MAX;
	if (h->o.deadline <= 0)
		h->o.deadline = h->o.low_speed_time * SP_HTTP_DEADLINE_X;
	h->ua = o && o->user_agent ? sp_xstrdup(o->user_agent) :
	    sp_xstrdup("spaces/" SP_VERSION);
	h->rnd = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^
	    0x9e3779b97f4a7c15ULL;
	if ((h->easy = curl_easy_init()) == NULL)
		sp_errx(SP_EXIT_ENV, "cannot start libcurl");
	return h;
}

void
sp_http_free(struct sp_http *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->nwin; i++)
		free(h->win[i].key);
	free(h->win);
	if (h->easy)
		curl_easy_cleanup(h->easy);
	free(h->ua);
	free(h);
}

/*
 * The rate-limit window key of a url: everything before the query, and
 * before the name in a path such as /2/users/by/username/NAME, since the
 * API counts an endpoint, not a resource.
 */
static char *
win_key(const char *url)
{
	size_t k = strcspn(url, "?#");
	const char *p = strstr(url, "/by/username/");

	if (p != NULL && (size_t)(p - url) < k)
		k = (size_t)(p - url) + strlen("/by/username/");
	return sp_xstrndup(url, k);
}

static struct window *
win_find(struct sp_http *h, const char *key)
{
	size_t i;

	for (i = 0; i < h->nwin; i++)
		if (strcmp(h->win[i].key, key) == 0)
			return &h->win[i];
	return NULL;
}

/* Remember an x-rate-limit-remaining of 0 for the next request. */
static void
win_note(struct sp_http *h, const char *url, const struct sp_http_resp *r)
{
	const char *rem = sp_http_header(r, "x-rate-limit-remaining");
	const char *rst = sp_http_header(r, "x-rate-limit-reset");
	const char *errstr;
	long long left, reset;
	struct window *w;
	char *key;

	if (rem == NULL || rst == NULL ||
	    sp_strtoll(rem, 0, 1LL << 40, &left, &errstr) != 0 ||
	    sp_strtoll(rst, 0, 1LL << 40, &reset, &errstr) != 0)
		return;
	key = win_key(url);
	if ((w = win_find(h, key)) == NULL) {
		if (left > 0) {
			free(key);
			return;
		}
		h->win = sp_xreallocarray(h->win, h->nwin + 1,
		    sizeof(*h->win));
		w = &h->win[h->nwin++];
		w->key = key;
	} else
		free(key);
	w->reset = left > 0 ? 0 : (long)reset;
}

static void
set_common(struct sp_http *h, CURL *c, struct xfer *x, const char *url,
    const char *const *headers)
{
	size_t i;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	/* A server trickling a byte at a time passes the low-speed check:
	 * the whole attempt has a deadline too. */
	curl_easy_setopt(c, CURLOPT_TIMEOUT, h->o.deadline);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* TLS verification is never turned off; these are the defaults. */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->o.connect_timeout);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)SP_HTTP_LOW_SPEED);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->o.low_speed_time);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->ua);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    x->r->sink ? (curl_off_t)0 : (curl_off_t)h->o.max_body);
	if (h->o.cookie_file)
		curl_easy_setopt(c, CURLOPT_COOKIEFILE, h->o.cookie_file);
	if (h->o.referer)
		curl_easy_setopt(c, CURLOPT_REFERER, h->o.referer);
	x->hdrs = NULL;
	for (i = 0; headers && headers[i]; i++)
		x->hdrs = curl_slist_append(x->hdrs, headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	if (h->o.verbose) {
		curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
		curl_easy_setopt(c, CURLOPT_DEBUGDATA, h);
		curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	}
}

/* The reason for a failed transfer, or NULL when the status tells. */
static int
fail_reason(struct sp_http *h, struct xfer *x, CURLcode rc, char *err,
    size_t n)
{
	if (x->toobig || rc == CURLE_FILESIZE_EXCEEDED)
		return sp_fail(err, n, "response larger than %zu bytes",
		    h->o.max_body);
	if (x->sink_errno)
		return sp_fail(err, n, "%s", strerror(x->sink_errno));
	if (rc == CURLE_PARTIAL_FILE)
		return sp_fail(err, n, "truncated response");
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return sp_fail(err, n, "timed out: %s", x->errbuf[0] ?
		    x->errbuf : curl_easy_strerror(rc));
	return sp_fail(err, n, "%s", x->errbuf[0] ? x->errbuf :
	    curl_easy_strerror(rc));
}

/* Worth another try: a network fault rather than our own refusal. */
static int
transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return 1;
	default:
		return 0;
	}
}

static double
backoff(struct sp_http *h, int attempt)
{
	double d = h->o.backoff;
	int i;

	for (i = 1; i < attempt && d < SP_HTTP_BACKOFF_MAX; i++)
		d *= 2;
	if (d > SP_HTTP_BACKOFF_MAX)
		d = SP_HTTP_BACKOFF_MAX;
	/* Full jitter in the upper half: clients that failed together
	 * do not come back together. */
	return d * (0.5 + 0.5 * rnd01(h));
}

static int request(struct sp_http *h, const char *url,
    const char *const *headers, const char *body, size_t len,
    struct sp_http_resp *r, char *err, size_t n);

int
sp_http_get(struct sp_http *h, const char *url, const char *const *headers,
    struct sp_http_resp *r, char *err, size_t n)
{
	return request(h, url, headers, NULL, 0, r, err, n);
}

int
sp_http_post(struct sp_http *h, const char *url, const char *const *headers,
    const char *body, size_t len, struct sp_http_resp *r, char *err,
    size_t n)
{
	return request(h, url, headers, body ? body : "", len, r, err, n);
}

/* body NULL: a GET; else a POST of len bytes. */
static int
request(struct sp_http *h, const char *url, const char *const *headers,
    const char *body, size_t len, struct sp_http_resp *r, char *err,
    size_t n)
{
	struct xfer x;
	struct window *w;
	CURLcode rc;
	char *key, reason[CURL_ERROR_SIZE + 64];
	long wait, now;
	int attempt, waits = 0;
	double d;

	sp_http_resp_release(r);
	key = win_key(url);
	w = win_find(h, key);
	free(key);
	if (w != NULL && w->reset > (now = now_s())) {
		if (h->o.no_wait || w->reset - now > h->o.max_wait)
			return sp_fail(err, n, "rate limit used up until %lds "
			    "from now", w->reset - now);
		notice(h, "rate limit used up: waiting %lds for the reset",
		    w->reset - now + 1);
		snooze((double)(w->reset - now + 1));
	}
	for (attempt = 1;; attempt++) {
		sp_http_resp_release(r);
		memset(&x, 0, sizeof(x));
		x.h = h;
		x.r = r;
		curl_easy_reset(h->easy);
		set_common(h, h->easy, &x, url, headers);
		if (body != NULL) {
			curl_easy_setopt(h->easy, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(h->easy, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)len);
		}
		rc = curl_easy_perform(h->easy);
		curl_slist_free_all(x.hdrs);
		r->attempts = attempt;
		if (x.sink_errno == EPIPE)
			return SP_HTTP_STOP;
		if (rc != CURLE_OK) {
			fail_reason(h, &x, rc, reason, sizeof(reason));
			if (!transient(rc) || x.toobig || x.sunk ||
			    attempt > h->o.retries)
				return sp_fail(err, n, "%s%s", reason,
				    attempt > 1 ? " (after retries)" : "");
			d = backoff(h, attempt);
			notice(h, "%s: retrying in %.1fs", reason, d);
			snooze(d);
			continue;
		}
		curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &r->status);
		win_note(h, url, r);
		if (r->status == 429) {
			if (h->o.no_wait || waits >= 3 || (h->o.wait_429 &&
			    !h->o.wait_429(h->o.ctx, r)))
				return SP_HTTP_OK;
			wait = sp_http_retry_after(r, now_s());
			if (wait > h->o.max_wait)
				return SP_HTTP_OK;
			if (wait < 0)
				wait = (long)backoff(h, attempt + 2) + 1;
			notice(h, "rate limited: waiting %lds for the reset",
			    wait + 1);
			/* The reset second itself may still be in the window. */
			snooze((double)wait + 1);
			waits++;
			attempt--;
			continue;
		}
		if (r->status >= 500 && r->status <= 599 && !x.sunk &&
		    attempt <= h->o.retries) {
			d = backoff(h, attempt);
			/* Obeyed up to a cap: a 5xx is not a rate limit. */
			wait = sp_http_retry_after(r, now_s());
			if (wait > h->o.retry_after_max)
				wait = h->o.retry_after_max;
			if (wait > d)
				d = (double)wait;
			notice(h, "HTTP %ld: retrying in %.1fs", r->status, d);
			snooze(d);
			continue;
		}
		return SP_HTTP_OK;
	}
}

/* The multi handle: a queue, at most max transfers in flight. */
struct job {
	char	*url;
	char	**hdrs;
	void	(*done)(void *, int, struct sp_http_resp *, const char *);
	void	*ctx;
	CURL	*easy;
	struct xfer x;
	struct sp_http_resp r;
};

struct sp_http_multi {
	struct sp_http *h;
	CURLM	*multi;
	int	 max;
	struct job **q;
	size_t	 nq;
};

struct sp_http_multi *
sp_http_multi_new(struct sp_http *h, int max)
{
	struct sp_http_multi *m = sp_xcalloc(1, sizeof(*m));

	m->h = h;
	m->max = max > 0 ? max : 1;
	if ((m->multi = curl_multi_init()) == NULL)
		sp_errx(SP_EXIT_ENV, "cannot start libcurl");
	curl_multi_setopt(m->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)m->max);
	return m;
}

static void
job_free(struct job *j)
{
	size_t i;

	if (j->easy)
		curl_easy_cleanup(j->easy);
	curl_slist_free_all(j->x.hdrs);
	for (i = 0; j->hdrs && j->hdrs[i]; i++)
		free(j->hdrs[i]);
	free(j->hdrs);
	free(j->url);
	sp_http_resp_release(&j->r);
	free(j);
}

void
sp_http_multi_free(struct sp_http_multi *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nq; i++)
		if (m->q[i]) {
			if (m->q[i]->easy)
				curl_multi_remove_handle(m->multi,
				    m->q[i]->easy);
			job_free(m->q[i]);
		}
	free(m->q);
	curl_multi_cleanup(m->multi);
	free(m);
}

void
sp_http_multi_add(struct sp_http_multi *m, const char *url,
    const char *const *headers,
    void (*done)(void *, int, struct sp_http_resp *, const char *), void *ctx)
{
	struct job *j = sp_xcalloc(1, sizeof(*j));
	size_t i, k = 0;

	j->url = sp_xstrdup(url);
	while (headers && headers[k])
		k++;
	j->hdrs = sp_xcalloc(k + 1, sizeof(*j->hdrs));
	for (i = 0; i < k; i++)
		j->hdrs[i] = sp_xstrdup(headers[i]);
	j->done = done;
	j->ctx = ctx;
	m->q = sp_xreallocarray(m->q, m->nq + 1, sizeof(*m->q));
	m->q[m->nq++] = j;
}

int
sp_http_multi_run(struct sp_http_multi *m)
{
	struct sp_http *h = m->h;
	struct job *j;
	CURLMsg *msg;
	size_t next = 0, i;
	int running = 0, active = 0, left, failed = 0, res;
	char reason[CURL_ERROR_SIZE + 64];

	for (;;) {
		while (active < m->max && next < m->nq) {
			j = m->q[next++];
			if ((j->easy = curl_easy_init()) == NULL)
				sp_errx(SP_EXIT_ENV, "cannot start libcurl");
			j->x.h = h;
			j->x.r = &j->r;
			set_common(h, j->easy, &j->x, j->url,
			    (const char *const *)j->hdrs);
			curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
			curl_multi_add_handle(m->multi, j->easy);
			active++;
		}
		if (active == 0)
			break;
		curl_multi_perform(m->multi, &running);
		while ((msg = curl_multi_info_read(m->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&j);
			j->r.attempts = 1;
			reason[0] = '\0';
			if (j->x.sink_errno == EPIPE)
				res = SP_HTTP_STOP;
			else if (msg->data.result != CURLE_OK) {
				fail_reason(h, &j->x, msg->data.result,
				    reason, sizeof(reason));
				res = SP_HTTP_ERROR;
			} else {
				curl_easy_getinfo(j->easy,
				    CURLINFO_RESPONSE_CODE, &j->r.status);
				res = SP_HTTP_OK;
			}
			failed += res != SP_HTTP_OK;
			curl_multi_remove_handle(m->multi, j->easy);
			j->done(j->ctx, res, &j->r, reason);
			for (i = 0; i < m->nq; i++)
				if (m->q[i] == j)
					m->q[i] = NULL;
			job_free(j);
			active--;
		}
		if (running > 0)
			curl_multi_poll(m->multi, NULL, 0, 1000, NULL);
	}
	return failed;
}

char *
sp_http_escape(const char *s)
{
	/* Since libcurl 7.82 the handle argument is not used. */
	char *c = curl_easy_escape(NULL, s, 0), *o;

	if (c == NULL)
		sp_errx(SP_EXIT_ENV, "out of memory");
	o = sp_xstrdup(c);
	curl_free(c);
	return o;
}

void
sp_http_env(struct sp_http_opts *o)
{
	o->retries = (int)sp_env_int("SPACES_RETRIES", 0, 20,
	    SP_HTTP_RETRIES);
	o->backoff = sp_env_num("SPACES_BACKOFF", 0.001, 60, SP_HTTP_BACKOFF);
	o->low_speed_time = (long)sp_env_int("SPACES_TIMEOUT", 1, 3600,
	    SP_HTTP_LOW_SPEED_TIME);
	o->connect_timeout = o->low_speed_time < SP_HTTP_CONNECT_TIMEOUT ?
	    o->low_speed_time : SP_HTTP_CONNECT_TIMEOUT;
}
