/* spaces-record: capture a Space's HLS audio, gap-proof and resumable. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "decode.h"
#include "encode.h"
#include "args.h"
#include "err.h"
#include "hls.h"
#include "http.h"
#include "io.h"
#include "json.h"
#include "oggopus.h"
#include "options.h"
#include "progress.h"
#include "recorder.h"
#include "template.h"
#include "timefmt.h"
#include "xalloc.h"
#include "xweb.h"
#include "banned.h"

enum {
	OPT_FORMAT = 256, OPT_JOBS, OPT_MAXDUR, OPT_PLAYLIST, OPT_REPLAY,
	OPT_WAIT
};

static const struct sp_opt optlist[] = {
	{ 'f', "force", NULL, SP_VAL_NONE, NULL, "replace an existing output" },
	{ 'j', "json", NULL, SP_VAL_NONE, NULL,
	    "print space and gap records" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL, "print no notices" },
	{ 'v', "verbose", NULL, SP_VAL_NONE, NULL,
	    "show the requests and failed chunks" },
	{ 'o', "output", "template", SP_VAL_TEXT,
	    "- %(id)s.m4a %(date)s-%(id)s.m4a %(title)s.m4a",
	    "the output file name template (- for stdout)" },
	{ 'c', "cookies", "cookies.txt", SP_VAL_FILE, "txt",
	    "the cookies of a logged-in session" },
	{ OPT_WAIT, "wait", NULL, SP_VAL_NONE, NULL,
	    "wait for a scheduled Space to start" },
	{ OPT_MAXDUR, "max-duration", "D", SP_VAL_DURATION, "30m 1h 2h 4h",
	    "stop a live capture after this long" },
	{ OPT_JOBS, "jobs", "N", SP_VAL_NUMBER, "1 2 4 8",
	    "transfers at a time" },
	{ OPT_FORMAT, "format", "m4a|aac|opus", SP_VAL_CHOICE, "m4a aac opus",
	    "the output format" },
	{ OPT_REPLAY, "replay", "URL", SP_VAL_TEXT, NULL,
	    "the replay playlist that fills the gaps" },
	{ OPT_PLAYLIST, "playlist", "URL", SP_VAL_TEXT, NULL,
	    "the live, master or replay playlist" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-record",
	"spaces-record [-fjqv] [-o template] [-c cookies.txt] [--wait] "
	"[--max-duration D] [--jobs N] [--format m4a|aac|opus] "
	"space-url|space-id|- ...\n"
	"spaces-record [-fjqv] [-o template] [--max-duration D] [--jobs N] "
	"[--format m4a|aac|opus] [--replay URL] --playlist URL",
	optlist, SP_VAL_TEXT, "-", 0, NULL, NULL, NULL
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
	double		 max_dur;	/* --max-duration, s; 0: none */
	double		 t0;		/* when the capture started */
	int		 stopped;	/* --max-duration ran out */
	/* The status line on a terminal. */
	struct sp_progress bar;
	const char	*state;		/* waiting, live, replay, ... */
	size_t		 total;		/* chunks to fetch; 0: unknown */
	size_t		 missing;	/* listed, given up on for now */
};

/* One thing to record: a Space (by id) or a playlist. */
struct job {
	char		*id;		/* Space id, or NULL */
	char		*playlist;	/* the stream (owned), once known */
	char		*title, *creator, *creator_name;	/* or NULL */
	char		*creator_id;				/* or NULL */
	long long	 started_at;	/* Unix ms; 0: unknown */
};

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(&optspec);
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

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The status line: "live  0:12:34  251 chunks  12.3 MB  0 missing".
 * now: draw it at once (a change of state).
 */
static void
show(struct rec *r, int at_once)
{
	char line[256], count[48];
	long secs = (long)(now() - r->t0);

	if (!r->bar.on)
		return;
	if (r->total > 0)
		snprintf(count, sizeof(count), "%zu/%zu chunks", r->j.n,
		    r->total);
	else
		snprintf(count, sizeof(count), "%zu chunks", r->j.n);
	snprintf(line, sizeof(line), "%s  %ld:%02ld:%02ld  %s  %.1f MB  %zu "
	    "missing", r->state, secs / 3600, secs / 60 % 60, secs % 60,
	    count, (double)r->j.end / 1e6, r->missing);
	sp_progress_line(&r->bar, line, at_once);
}

static void
set_state(struct rec *r, const char *state)
{
	r->state = state;
	show(r, 1);
}

static void
fetch_tick(void *ctx)
{
	show(ctx, 0);
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
	if (rc < 0)
		return -1;
	for (i = r->missing = 0; i < r->ns; i++)
		r->missing += sp_journal_find(&r->j, r->s[i].seq) == NULL;
	show(r, 1);
	return 0;
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
	set_state(r, "live");
	for (;;) {
		for (i = 0; i < pl.nsegs; i++)
			if (find(r, pl.segs[i].seq) == NULL)
				note(r, &pl.segs[i]);
		if (fetch(r, 1, err, errlen) != 0) {
			sp_hls_release(&pl);
			return -1;
		}
		wait = pl.target > 0 ? pl.target : 4;
		if (r->max_dur > 0 && now() - r->t0 >= r->max_dur) {
			r->stopped = 1;
			sp_hls_release(&pl);
			return 0;
		}
		if (r->max_dur > 0 && now() + wait - r->t0 > r->max_dur)
			wait = r->max_dur - (now() - r->t0);
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
	set_state(r, "replay fill");
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


/* What the options say, for every operand. */
struct opts {
	int		 json, force, wait;
	int		 to_stdout;		/* -o -: working files named
						   by the default template */
	const char	*tmpl, *format, *replay;
	const char	*cookies, *web, *query_id, *features;
	const char	*const *headers;	/* for the web endpoints */
	double		 wait_poll, wait_max;
	int		 tries;			/* replay playlist polls */
	double		 replay_wait;
};

/* The template's fields for one output. */
struct tvals {
	const char	*id, *ext, *title, *date;
};

static const char *
lookup(void *ctx, const char *key)
{
	struct tvals *t = ctx;

	if (strcmp(key, "id") == 0)
		return t->id;
	if (strcmp(key, "ext") == 0)
		return t->ext;
	if (strcmp(key, "title") == 0)
		return t->title;
	if (strcmp(key, "date") == 0)
		return t->date;
	return NULL;
}

static void
job_free(struct job *jb)
{
	free(jb->id);
	free(jb->playlist);
	free(jb->title);
	free(jb->creator);
	free(jb->creator_name);
	free(jb->creator_id);
}

static void
set_str(char **dst, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	free(*dst);
	*dst = sp_xstrdup(s);
}

/*
 * The space records on standard input (spaces-lookup -j): each one's id,
 * and what it says of the Space, as jobs.  Exits 2 on a bad record.
 */
static void
read_records(struct job **jobs, size_t *n, size_t *cap)
{
	struct sp_ndjson rd;
	json_t *rec, *c;
	const char *t, *s;
	char id[SP_XWEB_IDMAX], buf[64];
	int64_t ms;
	int rc;
	struct job *jb;

	sp_ndjson_init(&rd, stdin, "-");
	while ((rc = sp_ndjson_next(&rd, &rec)) != 0) {
		if (rc == -2)
			sp_err(SP_EXIT_ENV, "-: read error");
		if (rc == -1)
			sp_errx(SP_EXIT_USAGE, "%s", rd.err);
		t = sp_rec_type(rec);
		if (t != NULL && strcmp(t, "space") != 0) {
			json_decref(rec);
			continue;	/* users, problems: not ours */
		}
		if (sp_json_id(rec, "id", buf, sizeof(buf)) != 0 ||
		    sp_xweb_space_id(buf, id, sizeof(id)) != 0)
			sp_errx(SP_EXIT_USAGE, "-: line %zu: a space record "
			    "with no valid id", rd.lineno);
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			*jobs = sp_xreallocarray(*jobs, *cap, sizeof(**jobs));
		}
		jb = &(*jobs)[(*n)++];
		memset(jb, 0, sizeof(*jb));
		jb->id = sp_xstrdup(id);
		set_str(&jb->title, sp_json_str(rec, "title"));
		if (sp_json_id(rec, "creator_id", buf, sizeof(buf)) == 0)
			set_str(&jb->creator_id, buf);
		c = json_object_get(rec, "creator");
		if (json_is_object(c)) {
			set_str(&jb->creator, sp_json_str(c, "username"));
			set_str(&jb->creator_name, sp_json_str(c, "name"));
		}
		if ((s = sp_json_str(rec, "started_at")) != NULL &&
		    sp_parse_instant(s, "UTC", &ms) == 0 && ms > 0)
			jb->started_at = ms;
		json_decref(rec);
	}
	sp_ndjson_release(&rd);
}

/* GET url from the web endpoints: its status and body in resp.  0/-1. */
static int
web_get(struct rec *r, const struct opts *o, const char *url,
    struct sp_http_resp *resp, char *err, size_t errlen)
{
	memset(resp, 0, sizeof(*resp));
	return sp_http_get(r->http, url, o->headers, resp, err, errlen) ==
	    SP_HTTP_OK ? 0 : -1;
}

static const char *
why(long status)
{
	if (status == 401 || status == 403)
		return " (not logged in? give your cookies with -c or "
		    "SPACES_COOKIES)";
	if (status == 404)
		return " (no such Space, or a stale query id: see "
		    "SPACES_WEB_QUERY_ID)";
	return "";
}

/*
 * The stream of Space jb->id through the web endpoints, and what they
 * say of it (x-formats 3.1-3.3).  SP_EXIT_OK with jb->playlist, or an
 * exit status after a message.
 */
static int
resolve(struct rec *r, const struct opts *o, struct job *jb)
{
	struct sp_http_resp resp;
	struct sp_xweb_space s;
	char err[512], when[SP_INSTANT_LEN], *url = NULL;
	double t0 = now();
	int told = 0, status = SP_EXIT_ENV;

	memset(&s, 0, sizeof(s));
	r->t0 = t0;
	url = sp_xweb_space_url(o->web, o->query_id, jb->id, o->features);
	for (;;) {
		if (web_get(r, o, url, &resp, err, sizeof(err)) != 0) {
			sp_warnx("%s: AudioSpaceById: %s", jb->id, err);
			goto out;
		}
		if (resp.status != 200) {
			sp_warnx("%s: AudioSpaceById: HTTP %ld%s", jb->id,
			    resp.status, why(resp.status));
			sp_http_resp_release(&resp);
			goto out;
		}
		if (sp_xweb_parse_space(resp.body, resp.len, &s, err,
		    sizeof(err)) != 0) {
			sp_warnx("%s: %s", jb->id, err);
			sp_http_resp_release(&resp);
			goto out;
		}
		sp_http_resp_release(&resp);
		if (sp_xweb_phase(&s) != SP_XWEB_SCHEDULED)
			break;
		if (!o->wait) {
			sp_warnx("%s: scheduled%s%s, not started yet (--wait "
			    "waits for it)", jb->id, s.scheduled_start ?
			    " for " : "", s.scheduled_start ? sp_fmt_instant(
			    s.scheduled_start, when) : "");
			status = SP_EXIT_NO;
			goto out;
		}
		if (now() - t0 >= o->wait_max) {
			sp_warnx("%s: still not started after %.0f s of "
			    "waiting", jb->id, o->wait_max);
			status = SP_EXIT_NO;
			goto out;
		}
		if (!told && !r->quiet) {
			if (s.scheduled_start)
				sp_warnx("%s: waiting for the Space to start "
				    "(scheduled for %s)", jb->id,
				    sp_fmt_instant(s.scheduled_start, when));
			else
				sp_warnx("%s: waiting for the Space to start",
				    jb->id);
		}
		told = 1;
		set_state(r, "waiting");
		sp_xweb_space_release(&s);
		snooze(o->wait_poll);
	}
	set_str(&jb->title, s.title);
	set_str(&jb->creator, s.creator_screen_name);
	set_str(&jb->creator_name, s.creator_name);
	set_str(&jb->creator_id, s.creator_id);
	if (s.started_at)
		jb->started_at = s.started_at;
	switch (sp_xweb_phase(&s)) {
	case SP_XWEB_CANCELED:
		sp_warnx("%s: the Space was canceled", jb->id);
		status = SP_EXIT_NO;
		goto out;
	case SP_XWEB_ENDED:
		if (s.replay == 0) {
			sp_warnx("%s: the Space has ended and has no replay",
			    jb->id);
			status = SP_EXIT_NO;
			goto out;
		}
		break;
	default:
		break;
	}
	if (s.media_key == NULL) {
		sp_warnx("%s: AudioSpaceById: no media_key (state %s)",
		    jb->id, s.state ? s.state : "unknown");
		status = s.state != NULL ? SP_EXIT_NO : SP_EXIT_ENV;
		goto out;
	}
	free(url);
	url = sp_xweb_status_url(o->web, s.media_key);
	if (web_get(r, o, url, &resp, err, sizeof(err)) != 0) {
		sp_warnx("%s: live_video_stream/status: %s", jb->id, err);
		goto out;
	}
	if (resp.status != 200) {
		sp_warnx("%s: live_video_stream/status: HTTP %ld%s", jb->id,
		    resp.status, resp.status == 401 || resp.status == 403 ?
		    why(resp.status) : "");
		sp_http_resp_release(&resp);
		goto out;
	}
	jb->playlist = sp_xweb_parse_status(resp.body, resp.len, err,
	    sizeof(err));
	sp_http_resp_release(&resp);
	if (jb->playlist == NULL) {
		sp_warnx("%s: %s", jb->id, err);
		goto out;
	}
	if (r->verbose)
		sp_warnx("%s: %s, stream found", jb->id, s.state ? s.state :
		    "state unknown");
	status = SP_EXIT_OK;
out:
	sp_xweb_space_release(&s);
	free(url);
	return status;
}

/*
 * Decode the AAC at from, encode it as Ogg Opus to out (atomically) with
 * the tags in t.  0, or -1 with err.
 */
static int
to_opus(const char *from, const char *out, const struct sp_rec_tags *t,
    int force, uint64_t *samples, char *err, size_t errlen)
{
	struct sp_decoder *d;
	const struct sp_decode_info *in;
	struct sp_encoder *e = NULL;
	struct sp_enc_opts eo;
	struct sp_opus_tags ot;
	struct sp_atomic a;
	float *buf = NULL;
	long got;
	uint64_t total = 0;
	int rc = -1, opened = 0;

	sp_opus_tags_init(&ot);
	if ((d = sp_decode_open(from, err, errlen)) == NULL)
		return -1;
	in = sp_decode_info(d);
	if (t->title)
		sp_opus_tags_add(&ot, "TITLE", t->title);
	if (t->artist)
		sp_opus_tags_add(&ot, "ARTIST", t->artist);
	if (t->date)
		sp_opus_tags_add(&ot, "DATE", t->date);
	if (t->comment)
		sp_opus_tags_add(&ot, "COMMENT", t->comment);
	sp_opus_tags_add(&ot, "ENCODER", "spaces-record");
	memset(&eo, 0, sizeof(eo));
	eo.format = SP_ENC_OPUS;
	eo.rate = in->sample_rate;
	eo.channels = in->channels > 2 ? 2 : in->channels;
	eo.opus_tags = &ot;
	if (in->channels < 1 || in->channels > 2) {
		sp_fail(err, errlen, "'%s': %u channels", from, in->channels);
		goto out;
	}
	if (sp_atomic_open(&a, out, force) != 0) {
		sp_fail(err, errlen, "cannot open '%s': %s", out,
		    strerror(errno));
		goto out;
	}
	opened = 1;
	if ((e = sp_encode_new(a.fp, &eo, err, errlen)) == NULL)
		goto out;
	buf = sp_xcalloc(4096 * in->channels, sizeof(*buf));
	while ((got = sp_decode_read(d, buf, 4096)) > 0) {
		if (sp_encode_write(e, buf, (size_t)got) != 0) {
			sp_fail(err, errlen, "%s", sp_encode_error(e));
			goto out;
		}
		total += (uint64_t)got;
	}
	if (got < 0) {
		sp_fail(err, errlen, "'%s': %s", from, sp_decode_error(d));
		goto out;
	}
	if (sp_encode_finish(e) != 0) {
		sp_fail(err, errlen, "%s", sp_encode_error(e));
		goto out;
	}
	if (sp_atomic_commit(&a) != 0) {
		sp_fail(err, errlen, "cannot write '%s': %s", out,
		    strerror(errno));
		opened = 0;
		goto out;
	}
	opened = 0;
	*samples = sp_encode_output_frames(&eo, total);
	rc = 0;
out:
	if (opened)
		sp_atomic_abort(&a);
	sp_encode_free(e);
	sp_decode_close(d);
	sp_opus_tags_release(&ot);
	free(buf);
	return rc;
}

/* Note the replay's chunks, the first --max-duration of them. */
static void
note_replay(struct rec *r, const struct sp_hls *pl)
{
	double t = 0;
	size_t i;

	for (i = 0; i < pl->nsegs; i++) {
		if (r->max_dur > 0 && t >= r->max_dur) {
			r->stopped = 1;
			break;
		}
		note(r, &pl->segs[i]);
		t += pl->segs[i].duration > 0 ? pl->segs[i].duration :
		    pl->target;
	}
	r->total = r->ns;
}

/* The space record of a finished output. */
static void
print_space(struct rec *r, const struct job *jb, const char *out,
    uint64_t samples, unsigned rate, int64_t start, size_t ngaps)
{
	char date[SP_INSTANT_LEN];
	struct stat st;
	json_t *rec, *c, *a;

	rec = sp_rec_new("space", "record");
	if (jb->id != NULL)
		json_object_set_new(rec, "id", json_string(jb->id));
	if (jb->title != NULL)
		json_object_set_new(rec, "title", json_string(jb->title));
	if (jb->creator_id != NULL)
		json_object_set_new(rec, "creator_id",
		    json_string(jb->creator_id));
	if (jb->creator != NULL || jb->creator_name != NULL) {
		c = json_object();
		if (jb->creator != NULL)
			json_object_set_new(c, "username",
			    json_string(jb->creator));
		if (jb->creator_name != NULL)
			json_object_set_new(c, "name",
			    json_string(jb->creator_name));
		json_object_set_new(rec, "creator", c);
	}
	if (jb->started_at)
		json_object_set_new(rec, "started_at",
		    json_string(sp_fmt_instant(jb->started_at, date)));
	json_object_set_new(rec, "path", json_string(out));
	json_object_set_new(rec, "chunks", json_integer((json_int_t)r->j.n));
	json_object_set_new(rec, "samples", json_integer((json_int_t)samples));
	json_object_set_new(rec, "duration", json_real(rate ?
	    (double)samples / rate : 0));
	json_object_set_new(rec, "gaps", json_integer((json_int_t)ngaps));
	if (r->stopped)
		json_object_set_new(rec, "stopped", json_true());
	/* DESIGN's audio list, with the first sample's wall clock. */
	a = json_object();
	json_object_set_new(a, "path", json_string(out));
	if (stat(out, &st) == 0)
		json_object_set_new(a, "bytes", json_integer(
		    (json_int_t)st.st_size));
	json_object_set_new(a, "duration", json_real(rate ?
	    (double)samples / rate : 0));
	if (start > 0)
		json_object_set_new(a, "started_at",
		    json_string(sp_fmt_instant(start, date)));
	json_object_set_new(rec, "audio", json_pack("[o]", a));
	emit(rec);
}

/* Capture every chunk of the stream into the journal: 0, or -1. */
static int
capture(struct rec *r, const struct opts *o, const char *playlist,
    char *err, size_t errlen)
{
	struct sp_hls pl;
	const char *replay = o->replay;
	char *master = NULL;
	uint64_t live_max;
	size_t i;
	int rc;

	rc = get_playlist(r, playlist, &pl, err, errlen);
	if (rc == 1)
		sp_fail(err, errlen, "'%s': not found (HTTP 404)", playlist);
	if (rc != 0)
		return -1;
	if (pl.endlist) {
		/* A replay: every chunk is there, fetch them in parallel. */
		note_replay(r, &pl);
		sp_hls_release(&pl);
		set_state(r, "replay");
		return fetch(r, 0, err, errlen);
	}
	live_max = max_seq(&pl);
	if (live(r, playlist, &pl, err, errlen) != 0)
		return -1;
	for (i = 0; i < r->ns; i++)
		if (r->s[i].seq > live_max)
			live_max = r->s[i].seq;
	if (r->stopped)
		return 0;
	if (replay == NULL)
		replay = master = master_of(playlist);
	rc = fill(r, replay, live_max, o->tries, o->replay_wait, err, errlen);
	free(master);
	return rc;
}

/* Copy the file at path to stdout: 0, or -1 with err. */
static int
to_stdout(const char *path, char *err, size_t errlen)
{
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "rb")) == NULL)
		return sp_fail(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
	rc = sp_copy(fp, stdout) != 0 || fflush(stdout) != 0;
	fclose(fp);
	return rc ? sp_fail(err, errlen, "write error: %s", strerror(errno)) :
	    0;
}

/*
 * Record one job to out (with -o -, the name of its working files).  An
 * exit status, after any message.
 */
static int
record(struct rec *r, const struct opts *o, const struct job *jb,
    const char *out)
{
	struct sp_rec_tags tags;
	struct stat st;
	char err[1024], date[SP_INSTANT_LEN];
	uint64_t samples = 0;
	unsigned rate = 0;
	int64_t start;
	size_t i, ngaps = 0;
	int rc, status = SP_EXIT_OK, opus = strcmp(o->format, "opus") == 0;

	/* A finished output is not recorded again (cron runs often). */
	if (!o->force && !o->to_stdout && stat(out, &st) == 0) {
		char *jp = sp_xasprintf("%s.journal", out);
		int have = access(jp, F_OK) == 0;

		free(jp);
		if (!have) {
			if (!r->quiet)
				sp_warnx("'%s': already recorded", out);
			return SP_EXIT_OK;
		}
	}
	/* A template may name directories, as yt-dlp's do: make them. */
	if (strchr(out, '/') != NULL) {
		char *dir = sp_xstrndup(out, (size_t)(strrchr(out, '/') - out));

		rc = *dir != '\0' ? sp_mkdirs(dir) : 0;
		if (rc != 0)
			sp_warn("cannot make directory '%s'", dir);
		free(dir);
		if (rc != 0)
			return SP_EXIT_ENV;
	}
	rc = sp_journal_open(&r->j, out, err, sizeof(err));
	if (rc == SP_JOURNAL_LOCKED) {
		if (!r->quiet)
			sp_warnx("'%s': already recording", out);
		return SP_EXIT_OK;
	}
	if (rc != 0) {
		sp_warnx("%s", err);
		return SP_EXIT_ENV;
	}
	r->fe.journal = &r->j;
	r->t0 = now();
	r->stopped = 0;
	r->total = r->missing = 0;
	if (r->j.afmt[0]) {
		/* Killed while assembling: the chunks are all here. */
		if (!r->quiet)
			sp_warnx("'%s': resuming the assembly of %zu chunks",
			    out, r->j.n);
	} else {
		if (r->j.n > 0 && !r->quiet)
			sp_warnx("'%s': resuming after %zu chunks", out,
			    r->j.n);
		if (capture(r, o, jb->playlist, err, sizeof(err)) != 0)
			goto fatal;
		if (r->stopped && !r->quiet)
			sp_warnx("'%s': --max-duration reached: keeping what "
			    "was captured", out);
	}
	set_state(r, "finishing");
	ngaps = gaps(r, o->json);
	if (r->j.n == 0) {
		sp_warnx("'%s': no audio captured", jb->playlist);
		status = SP_EXIT_ENV;
		goto close;
	}
	memset(&tags, 0, sizeof(tags));
	tags.title = jb->title;
	tags.artist = jb->creator_name ? jb->creator_name : jb->creator;
	tags.date = jb->started_at ? sp_fmt_instant(jb->started_at, date) :
	    NULL;
	tags.comment = jb->id;
	if (opus) {
		/* The AAC, assembled beside the output, is transcoded. */
		if (sp_journal_assemble(&r->j, "aac", &tags, NULL, 1, &samples,
		    &rate, err, sizeof(err)) != 0)
			goto fatal;
		start = sp_journal_started(&r->j, rate);
		if (to_opus(r->j.apath, o->to_stdout ? "-" : out, &tags,
		    o->force, &samples, err, sizeof(err)) != 0)
			goto fatal;
		rate = 48000;
	} else if (o->to_stdout) {
		/* Assembled beside the working files, then poured out. */
		if (sp_journal_assemble(&r->j, o->format, &tags, NULL, 1,
		    &samples, &rate, err, sizeof(err)) != 0)
			goto fatal;
		start = sp_journal_started(&r->j, rate);
		if (to_stdout(r->j.apath, err, sizeof(err)) != 0)
			goto fatal;
	} else {
		if (sp_journal_assemble(&r->j, o->format, &tags, out, o->force,
		    &samples, &rate, err, sizeof(err)) != 0)
			goto fatal;
		start = sp_journal_started(&r->j, rate);
	}
	sp_progress_hide(&r->bar);
	if (o->json)
		print_space(r, jb, out, samples, rate, start, ngaps);
	sp_journal_remove(&r->j);
	status = ngaps ? SP_EXIT_NO : SP_EXIT_OK;
	goto close;
fatal:
	sp_warnx("%s", err);
	status = SP_EXIT_ENV;
close:
	sp_progress_hide(&r->bar);
	sp_journal_close(&r->j);
	for (i = 0; i < r->ns; i++)
		free(r->s[i].url);
	free(r->s);
	r->s = NULL;
	r->ns = r->cap = 0;
	return status;
}

/* x-csrf-token carries ct0, a secret: -v shows it redacted. */
static void
verbose_web_cb(void *ctx, const char *line)
{
	if (strncasecmp(line, "> x-csrf-token:", 15) == 0 ||
	    strncasecmp(line, "x-csrf-token:", 13) == 0)
		fprintf(stderr, "%.*s [redacted]\n", (int)(strchr(line, ':') -
		    line + 1), line);
	else
		verbose_cb(ctx, line);
}

int
main(int argc, char *argv[])
{
	static const char *const keys[] = { "id", "ext", "title", "date",
	    NULL };
	struct sp_http_opts ho;
	struct rec r;
	struct opts o;
	struct job *jobs = NULL;
	struct tvals tv;
	const char *playlist = NULL, *bearer;
	char err[1024], *out, *id, *ct0 = NULL, *hdr[8], date[SP_INSTANT_LEN];
	size_t i, njobs = 0, cap = 0, nh = 0;
	int ch, jobn = 4, rc, status = SP_EXIT_OK, stdin_used = 0;
	time_t tnow;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	memset(&r, 0, sizeof(r));
	memset(&ho, 0, sizeof(ho));
	memset(&o, 0, sizeof(o));
	o.tmpl = "%(id)s.%(ext)s";
	o.format = "m4a";
	while ((ch = sp_getopt(&optspec, argc, argv)) !=
	    -1)
		switch (ch) {
		case 'c':
			o.cookies = optarg;
			break;
		case 'f':
			o.force = 1;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'o':
			o.tmpl = optarg;
			break;
		case 'q':
			r.quiet = 1;
			break;
		case 'v':
			r.verbose = 1;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "m4a") != 0 &&
			    strcmp(optarg, "aac") != 0 &&
			    strcmp(optarg, "opus") != 0)
				sp_errx(SP_EXIT_USAGE, "--format '%s': not m4a, "
				    "aac or opus", optarg);
			o.format = optarg;
			break;
		case OPT_JOBS:
			jobn = (int)sp_arg_int("--jobs", optarg, 1, 64);
			break;
		case OPT_MAXDUR:
			if (sp_parse_duration(optarg, &r.max_dur) != 0 ||
			    r.max_dur <= 0)
				sp_errx(SP_EXIT_USAGE, "--max-duration '%s': "
				    "not a positive duration", optarg);
			break;
		case OPT_PLAYLIST:
			playlist = optarg;
			break;
		case OPT_REPLAY:
			o.replay = optarg;
			break;
		case OPT_WAIT:
			o.wait = 1;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if ((argc == 0) == (playlist == NULL))
		usage();
	if (strcmp(o.tmpl, "-") == 0) {
		if (o.json)
			sp_errx(SP_EXIT_USAGE, "-o - and -j both want stdout");
		o.to_stdout = 1;
		o.tmpl = "%(id)s.%(ext)s";
	}
	if (sp_template_check(o.tmpl, keys, err, sizeof(err)) != 0)
		sp_errx(SP_EXIT_USAGE, "-o '%s': %s", o.tmpl, err);
	if (o.cookies == NULL && (o.cookies = getenv("SPACES_COOKIES")) !=
	    NULL && *o.cookies == '\0')
		o.cookies = NULL;
	if (o.cookies != NULL && access(o.cookies, R_OK) != 0)
		sp_err(SP_EXIT_USAGE, "cookies '%s'", o.cookies);

	/* Every operand is checked before any work. */
	if (playlist != NULL) {
		jobs = sp_xcalloc(1, sizeof(*jobs));
		jobs[0].playlist = sp_xstrdup(playlist);
		njobs = 1;
	}
	for (i = 0; i < (size_t)argc; i++) {
		char sid[SP_XWEB_IDMAX];

		if (strcmp(argv[i], "-") == 0) {
			if (stdin_used++)
				sp_errx(SP_EXIT_USAGE, "'-' given twice");
			read_records(&jobs, &njobs, &cap);
			continue;
		}
		if (sp_xweb_space_id(argv[i], sid, sizeof(sid)) != 0)
			sp_errx(SP_EXIT_USAGE, "'%s': not a Space URL or id",
			    argv[i]);
		if (njobs == cap) {
			cap = cap ? cap * 2 : 8;
			jobs = sp_xreallocarray(jobs, cap, sizeof(*jobs));
		}
		memset(&jobs[njobs], 0, sizeof(*jobs));
		jobs[njobs++].id = sp_xstrdup(sid);
	}

	if (o.to_stdout && njobs > 1)
		sp_errx(SP_EXIT_USAGE, "-o - writes one recording, not %zu",
		    njobs);
	sp_http_env(&ho);
	ho.verbose = r.verbose ? verbose_web_cb : NULL;
	ho.notice = notice_cb;
	ho.ctx = &r;
	o.tries = (int)sp_env_int("SPACES_REPLAY_TRIES", 1, 1000, 20);
	o.replay_wait = sp_env_num("SPACES_REPLAY_WAIT", 0, 3600, 10);
	o.wait_poll = sp_env_num("SPACES_WAIT_POLL", 0.01, 3600, 30);
	o.wait_max = sp_env_num("SPACES_WAIT_MAX", 0, 14 * 86400, 86400);
	o.web = getenv("SPACES_WEB_URL");
	if (o.web == NULL || *o.web == '\0')
		o.web = "https://x.com";
	o.query_id = getenv("SPACES_WEB_QUERY_ID");
	if (o.query_id == NULL || *o.query_id == '\0')
		o.query_id = "rC2zlE1t7SHbVG8obPZliQ";
	o.features = getenv("SPACES_WEB_FEATURES");
	if (o.features != NULL && *o.features == '\0')
		o.features = NULL;
	ho.referer = o.web;
	if ((bearer = getenv("SPACES_WEB_BEARER")) != NULL && *bearer)
		hdr[nh++] = sp_xasprintf("Authorization: Bearer %s", bearer);
	/* The cookies go to the web endpoints only, never printed. */
	if (o.cookies != NULL &&
	    (hdr[nh] = sp_xweb_cookie_header(o.cookies, o.web)) != NULL)
		nh++;
	if (o.cookies != NULL &&
	    (ct0 = sp_xweb_cookie(o.cookies, "ct0")) != NULL) {
		hdr[nh++] = sp_xasprintf("x-csrf-token: %s", ct0);
		hdr[nh++] = sp_xstrdup("x-twitter-auth-type: OAuth2Session");
	}
	hdr[nh++] = sp_xstrdup("x-twitter-active-user: yes");
	hdr[nh++] = sp_xstrdup("x-twitter-client-language: en");
	hdr[nh] = NULL;
	o.headers = (const char *const *)hdr;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		sp_errx(SP_EXIT_ENV, "cannot start libcurl");
	r.http = sp_http_new(&ho);
	r.fe.http = r.http;
	r.fe.jobs = jobn;
	r.fe.tries = ho.retries + 1;
	r.fe.backoff = ho.backoff;
	r.fe.warn = fetch_warn;
	r.fe.tick = fetch_tick;
	r.fe.ctx = &r;
	r.state = "starting";
	sp_progress_init(&r.bar, "record", 0, r.quiet);

	for (i = 0; i < njobs; i++) {
		struct job *jb = &jobs[i];

		if (jb->playlist == NULL &&
		    (rc = resolve(&r, &o, jb)) != SP_EXIT_OK) {
			if (rc > status)
				status = rc;
			continue;
		}
		id = jb->id ? sp_xstrdup(jb->id) : playlist_id(jb->playlist);
		if (jb->started_at)
			sp_fmt_instant(jb->started_at, date);
		else {
			tnow = time(NULL);
			sp_fmt_instant((int64_t)tnow * 1000, date);
		}
		date[10] = '\0';	/* YYYY-MM-DD */
		tv.id = id;
		tv.ext = o.format;
		tv.title = jb->title ? jb->title : id;
		tv.date = date;
		if ((out = sp_template_expand(o.tmpl, lookup, &tv, err,
		    sizeof(err))) == NULL) {
			sp_warnx("-o '%s': %s", o.tmpl, err);
			rc = SP_EXIT_USAGE;
		} else
			rc = record(&r, &o, jb, out);
		if (rc > status)
			status = rc;
		free(out);
		free(id);
	}

	sp_progress_end(&r.bar);
	sp_http_free(r.http);
	curl_global_cleanup();
	for (i = 0; i < njobs; i++)
		job_free(&jobs[i]);
	free(jobs);
	for (i = 0; i < nh; i++)
		free(hdr[i]);
	free(ct0);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
