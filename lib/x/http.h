/* http: one libcurl wrapper: timeouts, retries, rate limits, size limits. */
#ifndef SP_HTTP_H
#define SP_HTTP_H

#include <stddef.h>

/*
 * Defaults (DESIGN §6).  A transfer that moves fewer than
 * SP_HTTP_LOW_SPEED bytes a second for low_speed_time seconds is a
 * network error, and network errors, 5xx answers and truncated bodies
 * are retried with exponential backoff and jitter.
 */
#define SP_HTTP_CONNECT_TIMEOUT	10	/* seconds */
#define SP_HTTP_LOW_SPEED_TIME	30	/* seconds */
#define SP_HTTP_LOW_SPEED	1	/* bytes per second */
#define SP_HTTP_RETRIES		4	/* attempts after the first */
#define SP_HTTP_BACKOFF		0.5	/* first delay, seconds */
#define SP_HTTP_BACKOFF_MAX	30.0	/* longest delay, seconds */
#define SP_HTTP_MAX_BODY	(16u << 20)	/* bytes per response */
#define SP_HTTP_MAX_WAIT	(16 * 60)	/* longest rate-limit wait, s */
#define SP_HTTP_RETRY_AFTER_MAX	60	/* longest 5xx Retry-After, s */
#define SP_HTTP_DEADLINE_X	4	/* an attempt's whole time: this
					   many low_speed_times */

/* What sp_http_get and the multi handle return. */
enum {
	SP_HTTP_OK = 0,		/* a response, whatever its status */
	SP_HTTP_ERROR = -1,	/* no response: err says why */
	SP_HTTP_STOP = -2	/* the sink hit a closed pipe: stop quietly */
};

struct sp_http_resp;

struct sp_http_opts {
	long	 connect_timeout;	/* seconds; 0: the default */
	long	 low_speed_time;	/* seconds; 0: the default */
	long	 deadline;		/* seconds one attempt may take in
					   all (a trickle included); 0:
					   SP_HTTP_DEADLINE_X low_speed_times */
	int	 retries;		/* -1: the default */
	double	 backoff;		/* first delay in seconds; 0: default */
	size_t	 max_body;		/* 0: the default */
	long	 max_wait;		/* 0: the default */
	long	 retry_after_max;	/* a 5xx's longest wait; 0:
					   SP_HTTP_RETRY_AFTER_MAX */
	int	 no_wait;		/* on 429, hand the answer back at once */
	const char *cookie_file;	/* Netscape cookies.txt (borrowed) */
	const char *referer;		/* borrowed */
	const char *user_agent;		/* borrowed; NULL: spaces/VERSION */
	/*
	 * The request and response headers, one line a call, with the
	 * values of Authorization, Cookie and Set-Cookie redacted.
	 */
	void	(*verbose)(void *ctx, const char *line);
	/* Why the handle sleeps (a rate limit, a retry), for a person. */
	void	(*notice)(void *ctx, const char *msg);
	/*
	 * Whether a 429 answer is a wait-and-retry (return 1) or final
	 * (return 0: a usage cap is not lifted by waiting).  NULL: wait.
	 */
	int	(*wait_429)(void *ctx, const struct sp_http_resp *r);
	void	*ctx;			/* passed to the three hooks */
};

/* One response: the last attempt's status, headers and body. */
struct sp_http_resp {
	long	 status;		/* HTTP status */
	char	*body;			/* owned, NUL-terminated; NULL with a sink */
	size_t	 len;
	char	**headers;		/* owned: "name: value", trimmed */
	size_t	 nheaders;
	int	 attempts;		/* how many requests it took */
	/*
	 * Optional: the body goes here instead of memory, as it arrives.
	 * Return 0, or -1 with errno (EPIPE makes the transfer SP_HTTP_STOP).
	 * A transfer that has sent bytes to a sink is not retried.
	 */
	int	(*sink)(void *ctx, const void *buf, size_t n);
	void	*sink_ctx;
};

struct sp_http;

/* A new handle (sp_http_free frees it); the caller pairs curl_global_*. */
struct sp_http *sp_http_new(const struct sp_http_opts *o);
void	sp_http_free(struct sp_http *h);

/*
 * GET url with the extra header lines (NULL-terminated, borrowed; may be
 * NULL), into r (set sink first if wanted; r is reset otherwise).
 * Retries as above; on 429 waits until Retry-After or x-rate-limit-reset
 * (at most max_wait) unless no_wait or wait_429 says no, when the 429
 * is returned.  An x-rate-limit-remaining of 0 makes the next request
 * to the same path wait for the reset first (at most max_wait: a reset
 * further away fails the request).  A 5xx's Retry-After is obeyed up
 * to SP_HTTP_RETRY_AFTER_MAX.  Every attempt ends after the deadline.
 * Returns SP_HTTP_OK, SP_HTTP_STOP, or SP_HTTP_ERROR with a one-line
 * reason in err.
 */
int	sp_http_get(struct sp_http *h, const char *url,
	    const char *const *headers, struct sp_http_resp *r, char *err,
	    size_t n);

/*
 * POST body (len bytes; NULL and 0 for an empty body) to url, otherwise
 * as sp_http_get (a 5xx or a network error is retried: the callers'
 * requests are idempotent, as activating a guest token is).
 */
int	sp_http_post(struct sp_http *h, const char *url,
	    const char *const *headers, const char *body, size_t len,
	    struct sp_http_resp *r, char *err, size_t n);

/* The value of a response header (borrowed), case-insensitive, or NULL. */
const char *sp_http_header(const struct sp_http_resp *r, const char *name);

/* Free what r owns, keeping its sink. */
void	sp_http_resp_release(struct sp_http_resp *r);

/*
 * Seconds to wait before a retry after r (Retry-After in seconds or as
 * an HTTP date, else x-rate-limit-reset against now), or -1 when r says
 * nothing usable.  now is a Unix time in seconds.
 */
long	sp_http_retry_after(const struct sp_http_resp *r, long now);

/*
 * Parallel transfers over a curl multi handle, at most max at a time
 * (each one tried once: retries are the caller's).  Add the transfers,
 * then run: done is called once per transfer, in completion order, with
 * its SP_HTTP_* result and reason.  url and headers are copied.
 */
struct sp_http_multi;

struct sp_http_multi *sp_http_multi_new(struct sp_http *h, int max);
void	sp_http_multi_free(struct sp_http_multi *m);
void	sp_http_multi_add(struct sp_http_multi *m, const char *url,
	    const char *const *headers,
	    void (*done)(void *ctx, int result, struct sp_http_resp *r,
	    const char *err), void *ctx);
/* Returns the number of transfers that did not give SP_HTTP_OK. */
int	sp_http_multi_run(struct sp_http_multi *m);

/* The redaction the verbose hook applies, for one header line (new). */
char	*sp_http_redact(const char *line);

/*
 * s percent-encoded for a URL query value or path segment: everything but
 * the unreserved characters of RFC 3986 (libcurl's curl_easy_escape).
 * New string.
 */
char	*sp_http_escape(const char *s);

/*
 * The network settings every command takes from the environment:
 * SPACES_RETRIES, SPACES_BACKOFF and SPACES_TIMEOUT (which also bounds
 * the connect timeout, and makes each attempt's whole deadline:
 * SP_HTTP_DEADLINE_X times it), into o.
 */
void	sp_http_env(struct sp_http_opts *o);

#endif
