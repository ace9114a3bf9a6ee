/* t_http: the libcurl wrapper against the loopback mock (tests/servers). */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http.h"
#include "xalloc.h"
#include "t.h"
#include "banned.h"

extern char **environ;

static pid_t mock_pid;
static char dir[64], base[128];

/* Start the mock server script in SCENARIO; base is its URL.  0/-1. */
static int
mock_of(const char *name, const char *scenario)
{
	const char *top = getenv("TOP");
	char *script, *port, *log, buf[32];
	char *argv[7];
	FILE *fp;
	int i;

	script = sp_xasprintf("%s/tests/servers/%s", top ? top : ".", name);
	port = sp_xasprintf("%s/port-%s", dir, scenario);
	log = sp_xasprintf("%s/log-%s", dir, scenario);
	argv[0] = "python3";
	argv[1] = script;
	argv[2] = (char *)scenario;
	argv[3] = port;
	argv[4] = log;
	argv[5] = "30";
	argv[6] = NULL;
	if (posix_spawnp(&mock_pid, "python3", NULL, NULL, argv, environ)) {
		free(script), free(port), free(log);
		return -1;
	}
	for (i = 0; i < 100 && (fp = fopen(port, "r")) == NULL; i++)
		usleep(100000);
	buf[0] = '\0';
	if (fp) {
		if (fgets(buf, sizeof(buf), fp) == NULL)
			buf[0] = '\0';
		fclose(fp);
	}
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(base, sizeof(base), "http://127.0.0.1:%s", buf);
	free(script), free(port), free(log);
	return fp ? 0 : -1;
}

static int
mock(const char *scenario)
{
	return mock_of("xapi-mock.py", scenario);
}

static void
unmock(void)
{
	kill(mock_pid, SIGTERM);
	waitpid(mock_pid, NULL, 0);
}

static int notices;
static int redacted, leaked;

static void
on_notice(void *ctx, const char *msg)
{
	notices++;
}

static void
on_verbose(void *ctx, const char *line)
{
	if (strstr(line, "Authorization: [redacted]"))
		redacted++;
	if (strstr(line, "s3cr3t"))
		leaked++;
}

static const char *auth[] = { "Authorization: Bearer test-token-s3cr3t",
    NULL };

static struct sp_http *
handle(size_t max_body)
{
	struct sp_http_opts o;

	memset(&o, 0, sizeof(o));
	o.retries = 2;
	o.backoff = 0.05;
	o.max_body = max_body;
	o.notice = on_notice;
	o.verbose = on_verbose;
	return sp_http_new(&o);
}

static int
get(struct sp_http *h, const char *path, struct sp_http_resp *r, char *err,
    size_t n)
{
	char *url = sp_xasprintf("%s%s", base, path);
	int rc = sp_http_get(h, url, auth, r, err, n);

	free(url);
	return rc;
}

static int
epipe_sink(void *ctx, const void *buf, size_t n)
{
	errno = EPIPE;
	return -1;
}

static int done_n, done_ok;

static void
on_done(void *ctx, int result, struct sp_http_resp *r, const char *err)
{
	done_n++;
	done_ok += result == SP_HTTP_OK && r->status == 200 &&
	    r->len > 0 && sp_http_header(r, "x-rate-limit-limit") != NULL;
}

int
main(void)
{
	struct sp_http *h;
	struct sp_http_multi *m;
	struct sp_http_resp r;
	char err[256], *url;
	time_t t0;
	int i;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(dir, sizeof(dir), "/tmp/t_http.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 3;
	memset(&r, 0, sizeof(r));

	/* 500 then 200: retried, headers of the last answer. */
	T_OK(mock("error500") == 0);
	h = handle(0);
	notices = 0;
	T_INT(get(h, "/2/spaces?ids=1zqKVXPQhvZJB", &r, err, sizeof(err)),
	    SP_HTTP_OK);
	T_INT(r.status, 200);
	T_INT(r.attempts, 2);
	T_INT(notices, 1);
	T_STR(sp_http_header(&r, "X-Rate-Limit-Limit"), "300");
	T_OK(r.body && strstr(r.body, "1zqKVXPQhvZJB") != NULL);
	T_OK(redacted > 0);
	T_INT(leaked, 0);
	/* The size limit. */
	sp_http_free(h);
	h = handle(100);
	T_INT(get(h, "/2/spaces?ids=1zqKVXPQhvZJB", &r, err, sizeof(err)),
	    SP_HTTP_ERROR);
	T_STR(err, "response larger than 100 bytes");
	T_INT(r.attempts, 1);
	sp_http_free(h);
	/* A sink on a closed pipe: a quiet stop, not an error. */
	h = handle(0);
	r.sink = epipe_sink;
	T_INT(get(h, "/2/spaces?ids=1zqKVXPQhvZJB", &r, err, sizeof(err)),
	    SP_HTTP_STOP);
	r.sink = NULL;
	/* Parallel transfers, at most 2 at a time. */
	m = sp_http_multi_new(h, 2);
	for (i = 0; i < 5; i++) {
		url = sp_xasprintf("%s/2/users?ids=6253282", base);
		sp_http_multi_add(m, url, auth, on_done, NULL);
		free(url);
	}
	T_INT(sp_http_multi_run(m), 0);
	T_INT(done_n, 5);
	T_INT(done_ok, 5);
	sp_http_multi_free(m);
	unmock();

	/* The cap holds: 4 transfers of 1 s, 2 at a time, take 2 s. */
	T_OK(mock("slowok") == 0);
	m = sp_http_multi_new(h, 2);
	done_n = done_ok = 0;
	for (i = 0; i < 4; i++) {
		url = sp_xasprintf("%s/2/users?ids=6253282", base);
		sp_http_multi_add(m, url, auth, on_done, NULL);
		free(url);
	}
	t0 = time(NULL);
	T_INT(sp_http_multi_run(m), 0);
	T_OK(time(NULL) - t0 >= 2);
	T_INT(done_ok, 4);
	sp_http_multi_free(m);
	unmock();

	/* A truncated body is retried. */
	T_OK(mock("truncated") == 0);
	T_INT(get(h, "/2/spaces?ids=1zqKVXPQhvZJB", &r, err, sizeof(err)),
	    SP_HTTP_OK);
	T_INT(r.attempts, 2);
	T_INT(r.status, 200);
	unmock();

	/* 429 with Retry-After: 2: waits, then the answer. */
	T_OK(mock("toomany") == 0);
	t0 = time(NULL);
	T_INT(get(h, "/2/spaces?ids=1zqKVXPQhvZJB", &r, err, sizeof(err)),
	    SP_HTTP_OK);
	T_INT(r.status, 200);
	T_OK(time(NULL) - t0 >= 2);
	unmock();

	/* Cookies from a Netscape cookies.txt, and a Referer. */
	T_OK(mock("ok") == 0);
	{
		struct sp_http_opts o;
		struct sp_http *hc;
		char *cf = sp_xasprintf("%s/cookies.txt", dir), line[512];
		char *lp = sp_xasprintf("%s/log-ok", dir);
		FILE *fp = fopen(cf, "w");
		int seen = 0;

		fputs("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\t"
		    "FALSE\t0\tauth_token\tcookie-s3cr3t\n", fp);
		fclose(fp);
		memset(&o, 0, sizeof(o));
		o.retries = -1;
		o.cookie_file = cf;
		o.referer = "https://x.com/";
		o.verbose = on_verbose;
		hc = sp_http_new(&o);
		leaked = 0;
		T_INT(get(hc, "/2/users?ids=6253282", &r, err, sizeof(err)),
		    SP_HTTP_OK);
		T_INT(r.status, 200);
		T_INT(leaked, 0);
		fp = fopen(lp, "r");
		while (fp && fgets(line, sizeof(line), fp))
			seen += strstr(line, "cookie=auth_token=cookie-s3cr3t")
			    != NULL;
		if (fp)
			fclose(fp);
		T_INT(seen, 1);
		sp_http_free(hc);
		free(cf);
		free(lp);
	}
	unmock();

	/* 503 every time: the last answer after the retries. */
	T_OK(mock("error503") == 0);
	T_INT(get(h, "/2/spaces?ids=x", &r, err, sizeof(err)), SP_HTTP_OK);
	T_INT(r.status, 503);
	T_INT(r.attempts, 3);
	unmock();
	sp_http_resp_release(&r);
	sp_http_free(h);

	/*
	 * Every wait a server asks for is capped, and every attempt has a
	 * deadline (issue 19): each of these took 900 s or 30 s before.
	 */
	T_OK(mock_of("hls-mock.py", "http") == 0);
	{
		struct sp_http_opts o;
		struct timespec s0, s1;
		double secs;

		memset(&o, 0, sizeof(o));
		o.retries = 1;
		o.backoff = 0.05;
		o.deadline = 2;
		o.retry_after_max = 1;
		h = sp_http_new(&o);
		clock_gettime(CLOCK_MONOTONIC, &s0);
		T_INT(get(h, "/http/trickle", &r, err, sizeof(err)),
		    SP_HTTP_ERROR);
		clock_gettime(CLOCK_MONOTONIC, &s1);
		secs = (double)(s1.tv_sec - s0.tv_sec) + (s1.tv_nsec -
		    s0.tv_nsec) / 1e9;
		T_OK(strstr(err, "timed out") != NULL);
		T_OK(secs < 10);
		clock_gettime(CLOCK_MONOTONIC, &s0);
		T_INT(get(h, "/http/503", &r, err, sizeof(err)), SP_HTTP_OK);
		T_INT(r.status, 200);
		T_INT(r.attempts, 2);
		sp_http_free(h);
		o.max_wait = 5;
		h = sp_http_new(&o);
		T_INT(get(h, "/http/window", &r, err, sizeof(err)),
		    SP_HTTP_OK);
		T_INT(get(h, "/http/window", &r, err, sizeof(err)),
		    SP_HTTP_ERROR);
		T_OK(strstr(err, "rate limit used up") != NULL);
		clock_gettime(CLOCK_MONOTONIC, &s1);
		secs = (double)(s1.tv_sec - s0.tv_sec) + (s1.tv_nsec -
		    s0.tv_nsec) / 1e9;
		T_OK(secs < 10);
		sp_http_resp_release(&r);
		sp_http_free(h);
	}
	unmock();

	/* Retry-After as seconds and as a date, x-rate-limit-reset. */
	{
		char *hv[] = { "Retry-After: 7" };
		char *hd[] = { "retry-after: Thu, 01 Jan 1970 00:01:40 GMT" };
		char *hr[] = { "x-rate-limit-reset: 130" };
		struct sp_http_resp q;

		memset(&q, 0, sizeof(q));
		q.headers = hv;
		q.nheaders = 1;
		T_INT(sp_http_retry_after(&q, 100), 7);
		q.headers = hd;
		T_INT(sp_http_retry_after(&q, 90), 10);
		q.headers = hr;
		T_INT(sp_http_retry_after(&q, 100), 30);
		T_INT(sp_http_retry_after(&q, 200), 0);
		q.nheaders = 0;
		T_INT(sp_http_retry_after(&q, 100), -1);
	}
	curl_global_cleanup();
	{
		char *cmd = sp_xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			T_OK(0);
		free(cmd);
	}
	return t_done();
}
