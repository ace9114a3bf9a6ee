/* spaces-record: capture a Space's HLS audio, gap-proof and resumable. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "err.h"
#include "hls.h"
#include "http.h"
#include "io.h"
#include "json.h"
#include "recorder.h"
#include "strnum.h"
#include "template.h"
#include "xalloc.h"
#include "banned.h"

static const char usage_text[] =
"usage: spaces-record [-fjqv] [-o template] [--format m4a|aac] [--jobs N]\n"
"                     [--replay URL] --playlist URL\n";

enum {
	OPT_FORMAT = 256, OPT_JOBS, OPT_PLAYLIST, OPT_REPLAY, OPT_VERSION
};

static const struct option longopts[] = {
	{ "force",		no_argument,		NULL, 'f' },
	{ "format",		required_argument,	NULL, OPT_FORMAT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "jobs",		required_argument,	NULL, OPT_JOBS },
	{ "json",		no_argument,		NULL, 'j' },
	{ "output",		required_argument,	NULL, 'o' },
	{ "playlist",		required_argument,	NULL, OPT_PLAYLIST },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "replay",		required_argument,	NULL, OPT_REPLAY },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 }
};

/* Every chunk heard of, by sequence number. */
struct seen {
	uint64_t	 seq;
	char		*url;		/* owned */
	int		 live_polls;	/* live polls that tried it */
};

struct rec {
	int		 quiet, verbose;
	struct sp_http	*http;
	struct sp_fetcher fe;
	struct sp_journal j;
	struct seen	*s;
	size_t		 ns, cap;
	const char	*id, *ext;
};

static void __attribute__((noreturn))
usage(void)
{
	fputs(usage_text, stderr);
	exit(SP_EXIT_USAGE);
}

static double
env_num(const char *name, double min, double max, double def)
{
	const char *s = getenv(name), *errstr;
	double v;

	if (s == NULL || *s == '\0')
		return def;
	if (sp_strtod(s, min, max, &v, &errstr) != 0)
		sp_errx(SP_EXIT_USAGE, "%s '%s': %s (%g to %g)", name, s,
		    errstr, min, max);
	return v;
}

static void
verbose_cb(void *ctx, const char *line)
{
	fprintf(stderr, "%s\n", line);
}

static void
notice_cb(void *ctx, const char *msg)
{
	struct rec *r = ctx;

	if (!r->quiet)
		sp_warnx("%s", msg);
}

/* A chunk failed once: only -v wants to hear about every retry. */
static void
fetch_warn(void *ctx, const char *msg)
{
	struct rec *r = ctx;

	if (r->verbose)
		sp_warnx("%s", msg);
}

static void
snooze(double secs)
{
	struct timespec ts;

	if (secs <= 0)
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static struct seen *
find(struct rec *r, uint64_t seq)
{
	size_t i;

	for (i = r->ns; i-- > 0; )
		if (r->s[i].seq == seq)
			return &r->s[i];
	return NULL;
}

/* Note a chunk; a replay URL replaces a live one (the live may be gone). */
static struct seen *
note(struct rec *r, const struct sp_hls_seg *g)
{
	struct seen *e;

	if ((e = find(r, g->seq)) != NULL) {
		free(e->url);
		e->url = sp_xstrdup(g->uri);
		return e;
	}
	if (r->ns == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->s = sp_xreallocarray(r->s, r->cap, sizeof(*r->s));
	}
	e = &r->s[r->ns++];
	e->seq = g->seq;
	e->url = sp_xstrdup(g->uri);
	e->live_polls = 0;
	return e;
}

/*
 * GET a playlist and parse it, following a master to its first media
 * playlist.  0; 1 when the server says 404 (ended, or not there yet);
 * -1 with err.
 */
static int
get_playlist(struct rec *r, const char *url, struct sp_hls *pl, char *err,
    size_t errlen)
{
	struct sp_http_resp resp;
	char *next = NULL;
	int depth, rc = -1;

	memset(&resp, 0, sizeof(resp));
	for (depth = 0; depth < 3; depth++) {
		if (sp_http_get(r->http, url, NULL, &resp, err, errlen) !=
		    SP_HTTP_OK)
			break;
		if (resp.status == 404 || resp.status == 410) {
			rc = 1;
			break;
		}
		if (resp.status != 200) {
			sp_fail(err, errlen, "'%s': HTTP %ld", url,
			    resp.status);
			break;
		}
		if (sp_hls_parse(resp.body, resp.len, url, pl, err, errlen) !=
		    0)
			break;
		if (!pl->master) {
			rc = 0;
			break;
		}
		if (pl->variant == NULL) {
			sp_fail(err, errlen, "'%s': a master playlist with no "
			    "media playlist", url);
			sp_hls_release(pl);
			break;
		}
		free(next);
		url = next = sp_xstrdup(pl->variant);
		sp_hls_release(pl);
		sp_http_resp_release(&resp);
	}
	if (depth == 3)
		sp_fail(err, errlen, "master playlists nested too deep");
	sp_http_resp_release(&resp);
	free(next);
	return rc;
}

/* Fetch the chunks in r->s that match pick, all retries or live ones. */
static int
fetch(struct rec *r, int live, char *err, size_t errlen)
{
	struct sp_fetch *f = sp_xcalloc(r->ns ? r->ns : 1, sizeof(*f));
	struct sp_fetcher fe = r->fe;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < r->ns; i++) {
		if (sp_journal_find(&r->j, r->s[i].seq) != NULL)
			continue;
		/* Live, a chunk gets a few polls; the replay fills the rest. */
		if (live && r->s[i].live_polls++ >= 3)
			continue;
		f[n].seq = r->s[i].seq;
		f[n].url = r->s[i].url;
		n++;
	}
	if (live)
		fe.tries = 2;
	rc = n ? sp_fetch_all(&fe, f, n, err, errlen) : 0;
	free(f);
	return rc < 0 ? -1 : 0;
}

/* The master playlist beside a dynamic one: same directory, no query. */
static char *
master_of(const char *url)
{
	size_t k = strcspn(url, "?#");
	char *base = sp_xstrndup(url, k), *slash, *m;

	if ((slash = strrchr(base, '/')) != NULL)
		slash[1] = '\0';
	m = sp_xasprintf("%smaster_playlist.m3u8", base);
	free(base);
	return m;
}

static uint64_t
max_seq(const struct sp_hls *pl)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < pl->nsegs; i++)
		if (pl->segs[i].seq > m)
			m = pl->segs[i].seq;
	return m;
}

/*
 * Poll the live playlist at its target duration until it ends (404 or
 * ENDLIST), fetching new chunks as they appear.  0, or -1 with err.
 */
static int
live(struct rec *r, const char *url, struct sp_hls *first, char *err,
    size_t errlen)
{
	struct sp_hls pl = *first;
	double wait;
	size_t i;
	int rc;

	memset(first, 0, sizeof(*first));
	for (;;) {
		for (i = 0; i < pl.nsegs; i++)
			if (find(r, pl.segs[i].seq) == NULL)
				note(r, &pl.segs[i]);
		if (fetch(r, 1, err, errlen) != 0) {
			sp_hls_release(&pl);
			return -1;
		}
		wait = pl.target > 0 ? pl.target : 4;
		if (pl.endlist) {
			sp_hls_release(&pl);
			return 0;
		}
		sp_hls_release(&pl);
		snooze(wait);
		if ((rc = get_playlist(r, url, &pl, err, errlen)) == 1)
			return 0;	/* the Space ended */
		if (rc != 0) {
			/* Off the air: the replay may still have it all. */
			sp_warnx("%s: going on with the replay", err);
			return 0;
		}
	}
}

/*
 * After the live part: the replay playlist, polled while it is 404 or
 * shorter than what was seen live, then every missing chunk from it.
 */
static int
fill(struct rec *r, const char *url, uint64_t live_max, int tries,
    double wait, char *err, size_t errlen)
{
	struct sp_hls pl, best;
	int i, rc, got = 0;
	size_t k;

	memset(&best, 0, sizeof(best));
	for (i = 0; i < tries; i++) {
		if (i > 0)
			snooze(wait);
		rc = get_playlist(r, url, &pl, err, errlen);
		if (rc != 0) {
			if (!r->quiet && rc < 0)
				sp_warnx("replay: %s", err);
			continue;
		}
		sp_hls_release(&best);
		best = pl;
		got = 1;
		if (best.nsegs > 0 && max_seq(&best) >= live_max)
			break;
	}
	if (!got) {
		if (!r->quiet)
			sp_warnx("'%s': no replay playlist after %d tries",
			    url, tries);
		return 0;
	}
	for (k = 0; k < best.nsegs; k++)
		if (sp_journal_find(&r->j, best.segs[k].seq) == NULL)
			note(r, &best.segs[k]);
		else if (find(r, best.segs[k].seq) == NULL)
			note(r, &best.segs[k]);
	sp_hls_release(&best);
	return fetch(r, 0, err, errlen);
}

static const char *
lookup(void *ctx, const char *key)
{
	struct rec *r = ctx;

	if (strcmp(key, "id") == 0)
		return r->id;
	if (strcmp(key, "ext") == 0)
		return r->ext;
	return NULL;
}

/* The playlist's name without directory, query or extension: new. */
static char *
playlist_id(const char *url)
{
	size_t k = strcspn(url, "?#");
	char *s = sp_xstrndup(url, k), *b, *dot, *id;

	b = strrchr(s, '/') ? strrchr(s, '/') + 1 : s;
	if ((dot = strrchr(b, '.')) != NULL)
		*dot = '\0';
	id = sp_xstrdup(*b ? b : "space");
	free(s);
	return id;
}

static void
emit(json_t *rec)
{
	sp_ndjson_write(stdout, rec);
	fflush(stdout);
	json_decref(rec);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
gap_out(int json, uint64_t lo, uint64_t hi)
{
	json_t *g;

	sp_warnx("gap: chunks %" PRIu64 "-%" PRIu64 " missing", lo, hi);
	if (!json)
		return;
	g = sp_rec_new("gap", "record");
	json_object_set_new(g, "from", json_integer((json_int_t)lo));
	json_object_set_new(g, "to", json_integer((json_int_t)hi));
	emit(g);
}

/*
 * Report each missing range between the first and last chunk known: a
 * chunk listed but not captured, or a number no playlist listed.
 */
static size_t
gaps(struct rec *r, int json)
{
	uint64_t *q, lo = 0, hi = 0, x;
	size_t i, n = 0, ngaps = 0;
	int open = 0;

	q = sp_xcalloc(r->ns + r->j.n + 1, sizeof(*q));
	for (i = 0; i < r->ns; i++)
		q[n++] = r->s[i].seq;
	for (i = 0; i < r->j.n; i++)
		q[n++] = r->j.e[i].seq;
	qsort(q, n, sizeof(*q), cmp_u64);
	for (i = 0; i < n; i++) {
		x = q[i];
		if (i > 0 && x == q[i - 1])
			continue;
		if (i > 0 && x > q[i - 1] + 1) {
			if (!open)
				lo = q[i - 1] + 1;
			hi = x - 1;
			open = 1;
		}
		if (sp_journal_find(&r->j, x) == NULL) {
			if (!open)
				lo = x;
			hi = x;
			open = 1;
		} else if (open) {
			gap_out(json, lo, hi);
			ngaps++;
			open = 0;
		}
	}
	if (open) {
		gap_out(json, lo, hi);
		ngaps++;
	}
	free(q);
	return ngaps;
}

int
main(int argc, char *argv[])
{
	static const char *const keys[] = { "id", "ext", NULL };
	struct sp_http_opts ho;
	struct rec r;
	struct sp_hls pl;
	struct stat st;
	const char *tmpl = "%(id)s.%(ext)s", *format = "m4a";
	const char *playlist = NULL, *replay = NULL, *errstr;
	char err[1024], *out = NULL, *id = NULL, *master = NULL;
	long long v;
	uint64_t samples = 0, live_max = 0;
	unsigned rate = 0;
	size_t i, ngaps = 0;
	int ch, json = 0, force = 0, jobs = 4, rc, tries;
	int status = SP_EXIT_OK;
	double wait;
	json_t *rec;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	memset(&r, 0, sizeof(r));
	memset(&ho, 0, sizeof(ho));
	while ((ch = getopt_long(argc, argv, "fhjo:qv", longopts, NULL)) != -1)
		switch (ch) {
		case 'f':
			force = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return sp_close_stdout() ? SP_EXIT_ENV : SP_EXIT_OK;
		case 'j':
			json = 1;
			break;
		case 'o':
			tmpl = optarg;
			break;
		case 'q':
			r.quiet = 1;
			break;
		case 'v':
			r.verbose = 1;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "m4a") != 0 &&
			    strcmp(optarg, "aac") != 0)
				sp_errx(SP_EXIT_USAGE, "--format '%s': not m4a "
				    "or aac", optarg);
			format = optarg;
			break;
		case OPT_JOBS:
			if (sp_strtoll(optarg, 1, 64, &v, &errstr) != 0)
				sp_errx(SP_EXIT_USAGE, "--jobs '%s': %s (1 to "
				    "64)", optarg, errstr);
			jobs = (int)v;
			break;
		case OPT_PLAYLIST:
			playlist = optarg;
			break;
		case OPT_REPLAY:
			replay = optarg;
			break;
		case OPT_VERSION:
			printf("spaces-record %s\n", SP_VERSION);
			return sp_close_stdout() ? SP_EXIT_ENV : SP_EXIT_OK;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	/* Space URLs, ids and "-" are not resolved yet: --playlist only. */
	if (argc != 0 || playlist == NULL)
		usage();
	if (sp_template_check(tmpl, keys, err, sizeof(err)) != 0)
		sp_errx(SP_EXIT_USAGE, "-o '%s': %s", tmpl, err);
	r.id = id = playlist_id(playlist);
	r.ext = format;
	if ((out = sp_template_expand(tmpl, lookup, &r, err, sizeof(err))) ==
	    NULL)
		sp_errx(SP_EXIT_USAGE, "-o '%s': %s", tmpl, err);

	ho.retries = (int)env_num("SPACES_RETRIES", 0, 20, SP_HTTP_RETRIES);
	ho.backoff = env_num("SPACES_BACKOFF", 0.001, 60, SP_HTTP_BACKOFF);
	ho.low_speed_time = (long)env_num("SPACES_TIMEOUT", 1, 3600,
	    SP_HTTP_LOW_SPEED_TIME);
	ho.connect_timeout = ho.low_speed_time < SP_HTTP_CONNECT_TIMEOUT ?
	    ho.low_speed_time : SP_HTTP_CONNECT_TIMEOUT;
	ho.verbose = r.verbose ? verbose_cb : NULL;
	ho.notice = notice_cb;
	ho.ctx = &r;
	tries = (int)env_num("SPACES_REPLAY_TRIES", 1, 1000, 20);
	wait = env_num("SPACES_REPLAY_WAIT", 0, 3600, 10);

	/* A finished output is not recorded again (cron runs often). */
	if (!force && stat(out, &st) == 0) {
		char *jp = sp_xasprintf("%s.journal", out);
		int have = access(jp, F_OK) == 0;

		free(jp);
		if (!have) {
			if (!r.quiet)
				sp_warnx("'%s': already recorded", out);
			goto done;
		}
	}
	rc = sp_journal_open(&r.j, out, err, sizeof(err));
	if (rc == SP_JOURNAL_LOCKED) {
		if (!r.quiet)
			sp_warnx("'%s': already recording", out);
		goto done;
	}
	if (rc != 0) {
		sp_warnx("%s", err);
		status = SP_EXIT_ENV;
		goto done;
	}
	if (r.j.n > 0 && !r.quiet)
		sp_warnx("'%s': resuming after %zu chunks", out, r.j.n);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		sp_errx(SP_EXIT_ENV, "cannot start libcurl");
	r.http = sp_http_new(&ho);
	r.fe.http = r.http;
	r.fe.journal = &r.j;
	r.fe.jobs = jobs;
	r.fe.tries = ho.retries + 1;
	r.fe.backoff = ho.backoff;
	r.fe.warn = fetch_warn;
	r.fe.ctx = &r;

	rc = get_playlist(&r, playlist, &pl, err, sizeof(err));
	if (rc != 0) {
		if (rc == 1)
			sp_warnx("'%s': not found (HTTP 404)", playlist);
		else
			sp_warnx("%s", err);
		status = SP_EXIT_ENV;
		goto close;
	}
	if (pl.endlist) {
		/* A replay: every chunk is there, fetch them in parallel. */
		for (i = 0; i < pl.nsegs; i++)
			note(&r, &pl.segs[i]);
		sp_hls_release(&pl);
		if (fetch(&r, 0, err, sizeof(err)) != 0)
			goto fatal;
	} else {
		live_max = max_seq(&pl);
		if (live(&r, playlist, &pl, err, sizeof(err)) != 0)
			goto fatal;
		for (i = 0; i < r.ns; i++)
			if (r.s[i].seq > live_max)
				live_max = r.s[i].seq;
		if (replay == NULL)
			replay = master = master_of(playlist);
		if (fill(&r, replay, live_max, tries, wait, err,
		    sizeof(err)) != 0)
			goto fatal;
	}
	ngaps = gaps(&r, json);
	if (r.j.n == 0) {
		sp_warnx("'%s': no audio captured", playlist);
		status = SP_EXIT_ENV;
		goto close;
	}
	if (sp_journal_assemble(&r.j, out, format, NULL, force, &samples,
	    &rate, err, sizeof(err)) != 0)
		goto fatal;
	if (json) {
		rec = sp_rec_new("space", "record");
		json_object_set_new(rec, "path", json_string(out));
		json_object_set_new(rec, "chunks", json_integer(
		    (json_int_t)r.j.n));
		json_object_set_new(rec, "samples", json_integer(
		    (json_int_t)samples));
		json_object_set_new(rec, "duration", json_real(rate ?
		    (double)samples / rate : 0));
		json_object_set_new(rec, "gaps", json_integer(
		    (json_int_t)ngaps));
		emit(rec);
	}
	sp_journal_remove(&r.j);
	status = ngaps ? SP_EXIT_NO : SP_EXIT_OK;
	goto close;
fatal:
	sp_warnx("%s", err);
	status = SP_EXIT_ENV;
close:
	sp_journal_close(&r.j);
	sp_http_free(r.http);
	curl_global_cleanup();
done:
	for (i = 0; i < r.ns; i++)
		free(r.s[i].url);
	free(r.s);
	free(master);
	free(out);
	free(id);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
