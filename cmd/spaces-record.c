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
#include "capture.h"
#include "err.h"
#include "hls.h"
#include "http.h"
#include "io.h"
#include "json.h"
#include "oggopus.h"
#include "options.h"
#include "progress.h"
#include "recorder.h"
#include "remux.h"
#include "template.h"
#include "timefmt.h"
#include "xalloc.h"
#include "xweb.h"
#include "banned.h"

enum {
	OPT_FORMAT = 256, OPT_JOBS, OPT_MAXDUR, OPT_PLAYLIST, OPT_REPLAY,
	OPT_WAIT, OPT_AUDIO_ONLY, OPT_VARIANT
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
	{ OPT_FORMAT, "format", "m4a|aac|opus|mp4|ts", SP_VAL_CHOICE,
	    "m4a aac opus mp4 ts", "the output format" },
	{ OPT_REPLAY, "replay", "URL", SP_VAL_TEXT, NULL,
	    "the replay playlist that fills the gaps" },
	{ OPT_PLAYLIST, "playlist", "URL", SP_VAL_TEXT, NULL,
	    "the live, master or replay playlist" },
	{ OPT_AUDIO_ONLY, "audio-only", NULL, SP_VAL_NONE, NULL,
	    "of a video Space, record the audio alone" },
	{ OPT_VARIANT, "variant", "HEIGHT|BANDWIDTH", SP_VAL_NUMBER,
	    "360 720 1080", "of a video Space, the variant to record" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-record",
	"spaces-record [-fjqv] [-o template] [-c cookies.txt] [--wait] "
	"[--max-duration D] [--jobs N] [--format m4a|aac|opus|mp4|ts] "
	"[--audio-only] [--variant HEIGHT|BANDWIDTH] "
	"space-url|space-id|- ...\n"
	"spaces-record [-fjqv] [-o template] [--max-duration D] [--jobs N] "
	"[--format m4a|aac|opus|mp4|ts] [--audio-only] "
	"[--variant HEIGHT|BANDWIDTH] [--replay URL] --playlist URL",
	optlist, SP_VAL_TEXT, "-", 0, NULL, NULL, NULL
};

struct opts;
struct job;

struct rec {
	int		 quiet, verbose;
	int		 tries;		/* a chunk's attempts */
	struct sp_http	*http;
	struct sp_fetcher fe;
	struct sp_journal j;
	struct sp_capture cap;		/* the engine, per output */
	double		 max_dur;	/* --max-duration, s; 0: none */
	double		 t0;		/* when the capture started */
	/* What the phase hook needs: the Space being recorded. */
	const struct opts *o;
	const struct job *jb;
	/* The status line on a terminal. */
	struct sp_progress bar;
	const char	*state;		/* waiting, live, replay, ... */
	size_t		 total;		/* chunks to fetch; 0: unknown */
	size_t		 missing;	/* listed, given up on for now */
	/* The stage polls' own handle: one try, a 429 handed back. */
	struct sp_http	*http_stage;
	/* A video Space's recording: the remux's account. */
	struct sp_remux_stats vst;
	int		 has_vst;
};

/* One thing to record: a Space (by id) or a playlist. */
struct job {
	char		*id;		/* Space id, or NULL */
	char		*playlist;	/* the stream (owned), once known */
	char		*title, *creator, *creator_name;	/* or NULL */
	char		*creator_id;				/* or NULL */
	long long	 started_at;	/* Unix ms; 0: unknown */
	int		 video;		/* a video Space (its stream) */
	const char	*format;	/* its output format */
};

static void	video_fields(const struct rec *, json_t *);
static int	video_format(const char *);

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

static void
gap_out(void *ctx, uint64_t lo, uint64_t hi)
{
	const int *json = ctx;
	json_t *g;

	sp_warnx("gap: chunks %" PRIu64 "-%" PRIu64 " missing", lo, hi);
	if (!*json)
		return;
	g = sp_rec_new("gap", "record");
	json_object_set_new(g, "from", json_integer((json_int_t)lo));
	json_object_set_new(g, "to", json_integer((json_int_t)hi));
	emit(g);
}

/* What the options say, for every operand. */
struct opts {
	int		 json, force, wait;
	int		 to_stdout;		/* -o -: working files named
						   by the default template */
	const char	*tmpl, *format, *replay;
	const char	*cookies, *web, *api, *query_id, *bearer;
	char		*features;		/* compact JSON (owned) */
	char		*hdr[12];		/* for the web endpoints */
	size_t		 nh;
	int		 guest;			/* no cookies: a guest token */
	int		 guest_done;		/* asked for one already */
	double		 wait_poll, wait_max;
	int		 tries;			/* replay playlist polls */
	double		 replay_wait;
	int		 stall;			/* SPACES_STALL */
	double		 speakers_poll;		/* SPACES_SPEAKERS_POLL */
	/* Video Spaces: */
	int		 fixed;			/* the format was asked for */
	int		 audio_only;		/* --audio-only */
	uint64_t	 variant;		/* --variant; 0: the best */
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
	return sp_http_get(r->http, url, (const char *const *)o->hdr, resp,
	    err, errlen) == SP_HTTP_OK ? 0 : -1;
}

/*
 * Why an endpoint said status, and what to change, after X's own
 * message when the body has one: into buf.
 */
static const char *
why(const struct opts *o, const struct sp_http_resp *resp, char *buf,
    size_t n)
{
	char msg[200];
	long code;
	const char *hint = "";

	if (resp->status == 400)
		hint = "; the feature flags X wants change: set "
		    "SPACES_WEB_FEATURES to the web client's current map (a "
		    "JSON object, or @FILE)";
	else if (resp->status == 404)
		hint = "; a stale query id: set SPACES_WEB_QUERY_ID to the "
		    "web client's current AudioSpaceById id";
	else if ((resp->status == 401 || resp->status == 403) && o->guest)
		hint = "; X wants a login for this: give your cookies with -c "
		    "or SPACES_COOKIES";
	else if (resp->status == 401 || resp->status == 403)
		hint = "; X refused the cookies: export them again from a "
		    "logged-in browser (or SPACES_WEB_BEARER is wrong)";
	if (resp->body != NULL && sp_xweb_error(resp->body, resp->len, &code,
	    msg, sizeof(msg)) == 0 && msg[0] != '\0')
		snprintf(buf, n, " (X says: %s%s%s)", msg, code == 336 &&
		    resp->status != 400 ? "; set SPACES_WEB_FEATURES" : "",
		    hint);
	else
		snprintf(buf, n, "%s%s%s", *hint ? " (" : "", *hint ? hint + 2 :
		    "", *hint ? ")" : "");
	return buf;
}

/*
 * Without cookies: a guest token, once a run (X answers repeated
 * activations with 429: twspace-dl#82), as x-guest-token.  0, or an
 * exit status after a message.
 */
static int
guest(struct rec *r, struct opts *o)
{
	struct sp_http_resp resp;
	const char *h[4];
	char err[512], buf[512], *url, *auth, *tok;
	int rc = SP_EXIT_ENV;

	if (!o->guest || o->guest_done)
		return SP_EXIT_OK;
	o->guest_done = 1;
	url = sp_xweb_guest_url(o->api);
	auth = sp_xasprintf("Authorization: Bearer %s", o->bearer);
	h[0] = auth;
	h[1] = "User-Agent: " SP_XWEB_UA;
	h[2] = NULL;
	memset(&resp, 0, sizeof(resp));
	if (sp_http_post(r->http, url, h, NULL, 0, &resp, err, sizeof(err)) !=
	    SP_HTTP_OK)
		sp_warnx("guest/activate: %s", err);
	else if (resp.status != 200)
		sp_warnx("guest/activate: HTTP %ld%s (without cookies X needs "
		    "a guest token: give your cookies with -c)", resp.status,
		    why(o, &resp, buf, sizeof(buf)));
	else if ((tok = sp_xweb_parse_guest(resp.body, resp.len, err,
	    sizeof(err))) == NULL)
		sp_warnx("%s", err);
	else {
		o->hdr[o->nh++] = sp_xasprintf("x-guest-token: %s", tok);
		o->hdr[o->nh] = NULL;
		free(tok);
		rc = SP_EXIT_OK;
	}
	sp_http_resp_release(&resp);
	free(url);
	free(auth);
	return rc;
}

/* AudioSpaceById for id into s: 0, or an exit status after a message. */
static int
space(struct rec *r, const struct opts *o, const char *id,
    struct sp_xweb_space *s)
{
	struct sp_http_resp resp;
	char err[512], buf[768], *url;
	int rc = SP_EXIT_ENV;

	memset(s, 0, sizeof(*s));
	url = sp_xweb_space_url(o->web, o->query_id, id, o->features);
	if (web_get(r, o, url, &resp, err, sizeof(err)) != 0)
		sp_warnx("%s: AudioSpaceById: %s", id, err);
	else if (resp.status != 200)
		sp_warnx("%s: AudioSpaceById: HTTP %ld%s", id, resp.status,
		    why(o, &resp, buf, sizeof(buf)));
	else if (sp_xweb_parse_space(resp.body, resp.len, s, err,
	    sizeof(err)) != 0)
		sp_warnx("%s: %s%s", id, err, o->guest && strstr(err,
		    "uthoriz") != NULL ? " (X wants a login for this: give "
		    "your cookies with -c or SPACES_COOKIES)" : "");
	else
		rc = SP_EXIT_OK;
	sp_http_resp_release(&resp);
	free(url);
	return rc;
}

/* The capture's phase hook: the Space's state now, asked again. */
static int
phase_cb(void *ctx)
{
	struct rec *r = ctx;
	struct sp_xweb_space s;
	int ph;

	if (space(r, r->o, r->jb->id, &s) != SP_EXIT_OK)
		return SP_XWEB_UNKNOWN;
	ph = sp_xweb_phase(&s);
	if (r->verbose)
		sp_warnx("%s: the live playlist is gone; the Space is %s",
		    r->jb->id, s.state ? s.state : "in an unknown state");
	sp_xweb_space_release(&s);
	return ph;
}

/*
 * The stream of Space jb->id through the web endpoints, and what they
 * say of it (x-formats 3.1-3.3, 4.1).  SP_EXIT_OK with jb->playlist, or
 * an exit status after a message.
 */
static int
resolve(struct rec *r, struct opts *o, struct job *jb)
{
	struct sp_http_resp resp;
	struct sp_xweb_space s;
	char err[512], buf[768], when[SP_INSTANT_LEN], *url = NULL;
	double t0 = now();
	int told = 0, status, geo;

	memset(&s, 0, sizeof(s));
	r->t0 = t0;
	if ((status = guest(r, o)) != SP_EXIT_OK)
		return status;
	status = SP_EXIT_ENV;
	for (;;) {
		if (space(r, o, jb->id, &s) != SP_EXIT_OK)
			goto out;
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
		/* yt-dlp#7455: a TimedOut Space can get its replay later. */
		if (s.replay == 0 || s.media_key == NULL) {
			if (s.state && strcasecmp(s.state, "TimedOut") == 0)
				sp_warnx("%s: the Space timed out and has no "
				    "replay yet (X may publish one later: try "
				    "again)", jb->id);
			else
				sp_warnx("%s: the Space has ended and has no "
				    "replay", jb->id);
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
	url = sp_xweb_status_url(o->web, s.media_key);
	if (web_get(r, o, url, &resp, err, sizeof(err)) != 0) {
		sp_warnx("%s: live_video_stream/status: %s", jb->id, err);
		goto out;
	}
	if (resp.status != 200) {
		sp_warnx("%s: live_video_stream/status: HTTP %ld%s", jb->id,
		    resp.status, resp.status == 404 ? "" : why(o, &resp, buf,
		    sizeof(buf)));
		sp_http_resp_release(&resp);
		goto out;
	}
	jb->playlist = sp_xweb_parse_status(resp.body, resp.len, err,
	    sizeof(err), &geo);
	sp_http_resp_release(&resp);
	if (jb->playlist == NULL) {
		sp_warnx("%s: %s", jb->id, err);
		goto out;
	}
	/* yt-dlp tells an audio Space by its /audio-space/ directory. */
	jb->video = strstr(jb->playlist, "/audio-space/") == NULL;
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

/*
 * The speakers the stage polls saw, in the archive's shape, when they
 * saw anything: spaces-speakers makes turns of basis "web" of them.
 */
static void
speakers_out(struct rec *r, json_t *rec)
{
	json_t *sp, *ids;

	if (r->j.nst == 0 && r->j.seen_ms == 0)
		return;
	sp = sp_journal_speakers(&r->j, &ids);
	json_object_set_new(rec, "speakers", sp);
	json_object_set_new(rec, "speaker_ids", ids);
	json_object_set_new(rec, "speakers_basis", json_string("web"));
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
	if (r->cap.stopped)
		json_object_set_new(rec, "stopped", json_true());
	if (r->cap.stalled)
		json_object_set_new(rec, "stalled", json_true());
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
	speakers_out(r, rec);
	if (r->has_vst)
		video_fields(r, rec);
	emit(rec);
}

/* A video Space's recording, for -j: what the remux wrote. */
static void
video_fields(const struct rec *r, json_t *rec)
{
	const struct sp_remux_stats *v = &r->vst;
	json_t *o = json_object();

	if (r->cap.height)
		json_object_set_new(o, "variant_height",
		    json_integer((json_int_t)r->cap.height));
	if (r->cap.bandwidth)
		json_object_set_new(o, "variant_bandwidth",
		    json_integer((json_int_t)r->cap.bandwidth));
	if (v->has_video) {
		json_object_set_new(o, "width", json_integer(v->width));
		json_object_set_new(o, "height", json_integer(v->height));
		json_object_set_new(o, "frames",
		    json_integer((json_int_t)v->video_frames));
		json_object_set_new(o, "keyframes",
		    json_integer((json_int_t)v->keyframes));
		json_object_set_new(o, "duration",
		    json_real(v->video_seconds));
	}
	json_object_set_new(o, "segments",
	    json_integer((json_int_t)v->segments));
	json_object_set_new(o, "discontinuities",
	    json_integer((json_int_t)v->discontinuities));
	json_object_set_new(rec, "video", o);
}

/*
 * A video Space's chunks into out (or, with out NULL, the .asm) as
 * format, through lib/media/remux: 0, or -1 with err.
 */
static int
remux_out(struct rec *r, const char *format, const struct sp_rec_tags *t,
    const char *out, int force, uint64_t *samples, unsigned *rate,
    char *err, size_t errlen)
{
	if (sp_journal_remux(&r->j, sp_remux_kind(format), t, out, force,
	    &r->vst, err, errlen) != 0)
		return -1;
	r->has_vst = 1;
	*samples = r->vst.audio_frames * 1024;
	*rate = r->vst.sample_rate;
	return 0;
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

/* The engine's hooks (lib/capture.h). */
static int
get_cb(void *ctx, const char *url, struct sp_http_resp *resp, char *err,
    size_t errlen)
{
	struct rec *r = ctx;

	memset(resp, 0, sizeof(*resp));
	return sp_http_get(r->http, url, NULL, resp, err, errlen) ==
	    SP_HTTP_OK ? 0 : -1;
}

static int
fetch_cb(void *ctx, struct sp_fetch *f, size_t n, int live, char *err,
    size_t errlen)
{
	struct rec *r = ctx;
	int rc;

	/* Live, a chunk gets fewer tries: the replay fills the rest. */
	if (live)
		r->fe.tries = 2;
	rc = sp_fetch_all(&r->fe, f, n, err, errlen) < 0 ? -1 : 0;
	r->fe.tries = r->tries;
	return rc;
}

static int
have_cb(void *ctx, uint64_t seq)
{
	struct rec *r = ctx;

	return sp_journal_find(&r->j, seq) != NULL;
}

static void
sleep_cb(void *ctx, double secs)
{
	snooze(secs);
}

static double
now_cb(void *ctx)
{
	return now();
}

static void
say_cb(void *ctx, const char *msg)
{
	struct rec *r = ctx;

	if (!r->quiet)
		sp_warnx("%s", msg);
}

static void
show_cb(void *ctx, const char *state, size_t total, size_t missing)
{
	struct rec *r = ctx;

	r->total = total;
	r->missing = missing;
	set_state(r, state);
}

/*
 * The engine's stage hook: AudioSpaceById once, on the stage handle (a
 * 429 comes back at once, with X's wait).
 */
static int
stage_cb(void *ctx, struct sp_xweb_space *s, double *wait, char *err,
    size_t errlen)
{
	struct rec *r = ctx;
	struct sp_http_resp resp;
	char *url;
	long ra;
	int rc = -1;

	*wait = -1;
	url = sp_xweb_space_url(r->o->web, r->o->query_id, r->jb->id,
	    r->o->features);
	memset(&resp, 0, sizeof(resp));
	if (sp_http_get(r->http_stage, url, (const char *const *)r->o->hdr,
	    &resp, err, errlen) != SP_HTTP_OK)
		rc = -1;
	else if (resp.status == 429) {
		ra = sp_http_retry_after(&resp, (long)time(NULL));
		*wait = ra >= 0 ? (double)ra : -1;
		rc = 429;
	} else if (resp.status != 200)
		sp_fail(err, errlen, "HTTP %ld", resp.status);
	else
		rc = sp_xweb_parse_space(resp.body, resp.len, s, err, errlen);
	sp_http_resp_release(&resp);
	free(url);
	return rc;
}

static int
stage_event_cb(void *ctx, int kind, const char *user_id,
    const char *username, int64_t ms, char *err, size_t errlen)
{
	struct rec *r = ctx;

	if (r->verbose && kind != SP_STAGE_SEEN)
		sp_warnx("%s: %s%s %s the stage", r->jb->id, username &&
		    *username ? "@" : "", username && *username ? username :
		    user_id, kind == SP_STAGE_JOIN ? "joined" : "left");
	return sp_journal_stage(&r->j, kind, user_id, username, ms, err,
	    errlen);
}

static int64_t
wall_cb(void *ctx)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
seed_stage(void *ctx, const char *user_id, const char *username)
{
	sp_capture_on_stage(ctx, user_id, username);
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
	const char *format = jb->format ? jb->format : o->format;
	int rc, status = SP_EXIT_OK, opus = strcmp(format, "opus") == 0;

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
	r->total = r->missing = 0;
	r->o = o;
	r->jb = jb;
	memset(&r->cap, 0, sizeof(r->cap));
	r->cap.io.get = get_cb;
	r->cap.io.fetch = fetch_cb;
	r->cap.io.have = have_cb;
	r->cap.io.phase = jb->id != NULL ? phase_cb : NULL;
	r->cap.io.sleep = sleep_cb;
	r->cap.io.now = now_cb;
	r->cap.io.say = say_cb;
	r->cap.io.show = show_cb;
	r->cap.io.ctx = r;
	r->cap.o.replay = o->replay;
	r->cap.o.max_dur = r->max_dur;
	r->cap.o.replay_tries = o->tries;
	r->cap.o.replay_wait = o->replay_wait;
	r->cap.o.stall = o->stall;
	/* Speakers: a Space's stage, asked while live (issue 15). */
	if (jb->id != NULL && o->speakers_poll > 0) {
		r->cap.io.stage = stage_cb;
		r->cap.io.stage_event = stage_event_cb;
		r->cap.io.wall = wall_cb;
		r->cap.o.stage_poll = o->speakers_poll;
		sp_journal_on_stage(&r->j, seed_stage, &r->cap);
	}
	r->cap.o.video = jb->video;
	r->cap.o.variant = o->variant;
	r->cap.o.audio_only = o->audio_only || !video_format(format);
	r->fe.video = jb->video;
	r->has_vst = 0;
	if (r->j.afmt[0]) {
		/* Killed while assembling: the chunks are all here. */
		if (!r->quiet)
			sp_warnx("'%s': resuming the assembly of %zu chunks",
			    out, r->j.n);
	} else {
		if (r->j.n > 0 && !r->quiet)
			sp_warnx("'%s': resuming after %zu chunks", out,
			    r->j.n);
		rc = sp_capture_run(&r->cap, jb->playlist, err, sizeof(err));
		if (rc == SP_CAPTURE_VIDEO || rc == SP_CAPTURE_VARIANT) {
			sp_warnx("%s", err);
			sp_progress_hide(&r->bar);
			sp_journal_remove(&r->j);
			sp_capture_release(&r->cap);
			return SP_EXIT_USAGE;
		}
		if (rc != 0)
			goto fatal;
		if (r->cap.stopped && !r->quiet)
			sp_warnx("'%s': --max-duration reached: keeping what "
			    "was captured", out);
	}
	set_state(r, "finishing");
	{
		uint64_t *more = sp_xcalloc(r->j.n + 1, sizeof(*more));

		for (i = 0; i < r->j.n; i++)
			more[i] = r->j.e[i].seq;
		ngaps = sp_capture_gaps(&r->cap, more, r->j.n, gap_out,
		    (void *)&o->json);
		free(more);
	}
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
	if (jb->video && !opus) {
		/* MPEG-TS chunks remuxed; -o -: beside, then poured out. */
		if (remux_out(r, format, &tags, o->to_stdout ? NULL : out,
		    o->force, &samples, &rate, err, sizeof(err)) != 0 ||
		    (o->to_stdout && to_stdout(r->j.apath, err,
		    sizeof(err)) != 0))
			goto fatal;
		start = 0;
	} else if (opus) {
		/* The AAC, assembled beside the output, is transcoded. */
		if (jb->video ? remux_out(r, "aac", &tags, NULL, 1, &samples,
		    &rate, err, sizeof(err)) != 0 :
		    sp_journal_assemble(&r->j, "aac", &tags, NULL, 1, &samples,
		    &rate, err, sizeof(err)) != 0)
			goto fatal;
		start = sp_journal_started(&r->j, rate);
		if (to_opus(r->j.apath, o->to_stdout ? "-" : out, &tags,
		    o->force, &samples, err, sizeof(err)) != 0)
			goto fatal;
		rate = 48000;
	} else if (o->to_stdout) {
		/* Assembled beside the working files, then poured out. */
		if (sp_journal_assemble(&r->j, format, &tags, NULL, 1,
		    &samples, &rate, err, sizeof(err)) != 0)
			goto fatal;
		start = sp_journal_started(&r->j, rate);
		if (to_stdout(r->j.apath, err, sizeof(err)) != 0)
			goto fatal;
	} else {
		if (sp_journal_assemble(&r->j, format, &tags, out, o->force,
		    &samples, &rate, err, sizeof(err)) != 0)
			goto fatal;
		start = sp_journal_started(&r->j, rate);
	}
	sp_progress_hide(&r->bar);
	if (o->json)
		print_space(r, jb, out, samples, rate, start, ngaps);
	sp_journal_remove(&r->j);
	status = ngaps || r->cap.stalled ? SP_EXIT_NO : SP_EXIT_OK;
	if (r->cap.stalled)
		sp_warnx("'%s': incomplete: the live stream stalled", out);
	goto close;
fatal:
	sp_warnx("%s", err);
	status = SP_EXIT_ENV;
close:
	sp_progress_hide(&r->bar);
	sp_journal_close(&r->j);
	sp_capture_release(&r->cap);
	return status;
}

/* A cookies file must be a readable file: else exit 2 (issue 19). */
static void
check_cookies(const char *path)
{
	struct stat st;
	FILE *fp;

	if (path == NULL)
		return;
	if (stat(path, &st) != 0)
		sp_err(SP_EXIT_USAGE, "cookies '%s'", path);
	if (!S_ISREG(st.st_mode))
		sp_errx(SP_EXIT_USAGE, "cookies '%s': not a cookies.txt file "
		    "(a %s)", path, S_ISDIR(st.st_mode) ? "directory" :
		    "special file");
	if ((fp = fopen(path, "r")) == NULL)
		sp_err(SP_EXIT_USAGE, "cookies '%s'", path);
	fclose(fp);
}

/*
 * The format the output template's own extension asks for: "-o x.opus"
 * records Opus; one spaces-record cannot write (x.mp3) is a usage error,
 * as is one that contradicts --format.
 */
static const char *
out_format(const char *tmpl, const char *format, int given, int *fixed)
{
	static const char *const ours[] = { "m4a", "aac", "opus", "mp4",
	    "ts", NULL };
	static const char *const others[] = { "mp3", "flac", "wav", "ogg",
	    "oga", "webm", "mka", "mkv", "mov", NULL };
	const char *slash = strrchr(tmpl, '/'), *dot = strrchr(tmpl, '.');
	int i;

	if (dot == NULL || (slash != NULL && dot < slash) ||
	    strchr(dot, '%') != NULL)
		return format;
	dot++;
	for (i = 0; ours[i] != NULL; i++)
		if (strcasecmp(dot, ours[i]) == 0) {
			if (given && strcmp(format, ours[i]) != 0)
				sp_errx(SP_EXIT_USAGE, "-o '%s': a .%s name "
				    "for --format %s", tmpl, dot, format);
			*fixed = 1;
			return ours[i];
		}
	for (i = 0; others[i] != NULL; i++)
		if (strcasecmp(dot, others[i]) == 0)
			sp_errx(SP_EXIT_USAGE, "-o '%s': spaces-record writes "
			    "m4a, aac, opus, mp4 or ts, not %s (record, then "
			    "convert with spaces-clip)", tmpl, dot);
	return format;
}

/* Whether format carries the picture (a video Space's mp4 or ts). */
static int
video_format(const char *format)
{
	return strcmp(format, "mp4") == 0 || strcmp(format, "ts") == 0;
}

/*
 * Whether the playlist job jb is video, and its format: mp4 for video
 * unless --audio-only or a format was asked for, m4a for audio.  An exit
 * status.
 */
static int
job_format(struct rec *r, const struct opts *o, struct job *jb)
{
	char err[1024];
	int v;

	/* A playlist: under /audio-space/ it is audio (yt-dlp's rule, as
	 * for a Space), else its first answer tells. */
	if (jb->id == NULL && strstr(jb->playlist, "/audio-space/") == NULL) {
		memset(&r->cap, 0, sizeof(r->cap));
		r->cap.io.get = get_cb;
		r->cap.io.ctx = r;
		v = sp_capture_probe(&r->cap, jb->playlist, err, sizeof(err));
		sp_capture_release(&r->cap);
		if (v < 0) {
			sp_warnx("%s", err);
			return SP_EXIT_ENV;
		}
		jb->video = v;
	}
	jb->format = o->fixed ? o->format : jb->video && !o->audio_only ?
	    "mp4" : "m4a";
	if (!jb->video && video_format(jb->format)) {
		sp_warnx("'%s': an audio Space: .%s is for video Spaces "
		    "(record m4a, aac or opus)", jb->id ? jb->id :
		    jb->playlist, jb->format);
		return SP_EXIT_USAGE;
	}
	return SP_EXIT_OK;
}

/* x-csrf-token carries ct0, a secret: -v shows it redacted. */
static void
verbose_web_cb(void *ctx, const char *line)
{
	if (strncasecmp(line, "> x-csrf-token:", 15) == 0 ||
	    strncasecmp(line, "x-csrf-token:", 13) == 0 ||
	    strncasecmp(line, "> x-guest-token:", 16) == 0)
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
	const char *playlist = NULL, *fspec;
	char err[1024], *out, *id, *ct0 = NULL, date[SP_INSTANT_LEN];
	size_t i, njobs = 0, cap = 0;
	int ch, jobn = 4, rc, status = SP_EXIT_OK, stdin_used = 0;
	int format_given = 0;
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
			    strcmp(optarg, "opus") != 0 &&
			    !video_format(optarg))
				sp_errx(SP_EXIT_USAGE, "--format '%s': not m4a, "
				    "aac, opus, mp4 or ts", optarg);
			o.format = optarg;
			format_given = 1;
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
		case OPT_AUDIO_ONLY:
			o.audio_only = 1;
			break;
		case OPT_VARIANT:
			o.variant = (uint64_t)sp_arg_int("--variant", optarg, 1,
			    (long long)1 << 40);
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
	check_cookies(o.cookies);
	o.format = out_format(o.tmpl, o.format, format_given, &o.fixed);
	o.fixed |= format_given;
	if (o.audio_only && o.fixed && video_format(o.format))
		sp_errx(SP_EXIT_USAGE, "--audio-only writes m4a, aac or opus, "
		    "not %s", o.format);

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
	o.stall = (int)sp_env_int("SPACES_STALL", 1, 1000, SP_CAPTURE_STALL);
	o.replay_wait = sp_env_num("SPACES_REPLAY_WAIT", 0, 3600, 10);
	o.wait_poll = sp_env_num("SPACES_WAIT_POLL", 0.01, 3600, 30);
	o.wait_max = sp_env_num("SPACES_WAIT_MAX", 0, 14 * 86400, 86400);
	o.speakers_poll = sp_env_num("SPACES_SPEAKERS_POLL", 0, 86400,
	    SP_CAPTURE_STAGE_POLL);
	o.web = sp_env_str("SPACES_WEB_URL", "https://x.com");
	o.api = sp_env_str("SPACES_WEB_API_URL", "https://api.x.com");
	o.query_id = sp_env_str("SPACES_WEB_QUERY_ID", SP_XWEB_QUERY_ID);
	o.bearer = sp_env_str("SPACES_WEB_BEARER", SP_XWEB_BEARER);
	fspec = getenv("SPACES_WEB_FEATURES");
	if ((o.features = sp_xweb_features(fspec && *fspec ? fspec : NULL,
	    err, sizeof(err))) == NULL)
		sp_errx(SP_EXIT_USAGE, "SPACES_WEB_FEATURES: %s", err);
	ho.referer = o.web;
	/* What X's web client sends (x-formats 4.1): the bearer always. */
	o.hdr[o.nh++] = sp_xasprintf("Authorization: Bearer %s", o.bearer);
	o.hdr[o.nh++] = sp_xstrdup("User-Agent: " SP_XWEB_UA);
	/* The cookies go to the web endpoints only, never printed; ct0
	 * is the one the Cookie header carries for the same host. */
	if (o.cookies != NULL &&
	    (o.hdr[o.nh] = sp_xweb_cookie_header(o.cookies, o.web)) != NULL)
		o.nh++;
	else if (o.cookies != NULL && !r.quiet)
		sp_warnx("'%s': no cookies for %s: going on as a guest",
		    o.cookies, o.web);
	o.guest = o.nh == 2;
	if (!o.guest && (ct0 = sp_xweb_cookie(o.cookies, o.web, "ct0")) !=
	    NULL) {
		o.hdr[o.nh++] = sp_xasprintf("x-csrf-token: %s", ct0);
		o.hdr[o.nh++] = sp_xstrdup("x-twitter-auth-type: "
		    "OAuth2Session");
	}
	o.hdr[o.nh++] = sp_xstrdup("x-twitter-active-user: yes");
	o.hdr[o.nh++] = sp_xstrdup("x-twitter-client-language: en");
	o.hdr[o.nh] = NULL;	/* guest() adds x-guest-token here */

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		sp_errx(SP_EXIT_ENV, "cannot start libcurl");
	r.http = sp_http_new(&ho);
	{
		/* Stage polls wait for nobody: the engine backs off. */
		struct sp_http_opts hs = ho;

		hs.retries = 0;
		hs.no_wait = 1;
		r.http_stage = sp_http_new(&hs);
	}
	r.fe.http = r.http;
	r.fe.jobs = jobn;
	r.fe.tries = r.tries = ho.retries + 1;
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
		if ((rc = job_format(&r, &o, jb)) != SP_EXIT_OK) {
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
		tv.ext = jb->format;
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
	sp_http_free(r.http_stage);
	curl_global_cleanup();
	for (i = 0; i < njobs; i++)
		job_free(&jobs[i]);
	free(jobs);
	for (i = 0; i < o.nh; i++)
		free(o.hdr[i]);
	free(o.features);
	free(ct0);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
