/* t_capture: the recording engine against scripted answers and a clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "http.h"
#include "recorder.h"
#include "xalloc.h"
#include "xweb.h"
#include "t.h"

#define NT	"https://p/hls/T/non_transcode/r/d/audio-space/"
#define TR	"https://p/hls/T/transcode/r/d/eyJhbGc.eyJIZWln.c2ln/" \
	"audio-space/"

/* One scripted answer for the URLs that contain key, in turn. */
struct answer {
	const char	*key;
	long		 status;
	const char	*body;
};

struct fake {
	const struct answer *a;		/* NULL-keyed at the end */
	int		 used[64];	/* answers given, per entry */
	double		 clock, max_sleep;
	int		 sleeps;
	const int	*phases;	/* phase answers, -1 ended */
	int		 nphase;
	uint64_t	 have[256];
	size_t		 nhave;
	uint64_t	 refuse;	/* a seq to refuse; 0: none */
	char		 log[8192];	/* every URL asked for */
	int		 aes, keyfetches;
	uint8_t		 lastiv[16];
	char		 said[2048];
	/* The stage: scripted answers (status 200 with a body, 429 with
	 * a wait, -1 a failure), in turn, the last one repeating. */
	const struct stage_answer *st;
	int		 nst, stage_asks;
	char		 events[1024];	/* "J<id>:<name>@<s> S@<s> ..." */
};

struct stage_answer {
	int		 rc;		/* 0, 429, -1 */
	double		 wait;
	const char	*body;
};

/*
 * The answer for url: the first entry whose key it contains and which
 * is not used up (an entry followed by one of the same key is used
 * once; the last of a key repeats).
 */
static int
get(void *ctx, const char *url, struct sp_http_resp *r, char *err,
    size_t errlen)
{
	struct fake *f = ctx;
	size_t i;

	strncat(f->log, url, sizeof(f->log) - strlen(f->log) - 2);
	strncat(f->log, "\n", sizeof(f->log) - strlen(f->log) - 1);
	if (strstr(url, "key") != NULL)
		f->keyfetches++;
	for (i = 0; f->a[i].key != NULL; i++) {
		if (strstr(url, f->a[i].key) == NULL)
			continue;
		if (f->used[i] && f->a[i + 1].key != NULL &&
		    strcmp(f->a[i + 1].key, f->a[i].key) == 0)
			continue;
		f->used[i]++;
		r->status = f->a[i].status;
		r->len = strlen(f->a[i].body);
		r->body = sp_xstrdup(f->a[i].body);
		return 0;
	}
	r->status = 404;
	r->body = sp_xstrdup("");
	return 0;
}

static int
have(void *ctx, uint64_t seq)
{
	struct fake *f = ctx;
	size_t i;

	for (i = 0; i < f->nhave; i++)
		if (f->have[i] == seq)
			return 1;
	return 0;
}

static int
fetch(void *ctx, struct sp_fetch *fl, size_t n, int live, char *err,
    size_t errlen)
{
	struct fake *f = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		strncat(f->log, fl[i].url, sizeof(f->log) - strlen(f->log) -
		    2);
		strncat(f->log, "\n", sizeof(f->log) - strlen(f->log) - 1);
		if (fl[i].aes) {
			f->aes++;
			memcpy(f->lastiv, fl[i].iv, 16);
		}
		if (f->refuse != 0 && fl[i].seq == f->refuse) {
			fl[i].refused = 1;
			snprintf(fl[i].err, sizeof(fl[i].err), "44100 Hz");
			continue;
		}
		if (!have(f, fl[i].seq) && f->nhave < 256)
			f->have[f->nhave++] = fl[i].seq;
		fl[i].done = 1;
	}
	return 0;
}

static int
phase(void *ctx)
{
	struct fake *f = ctx;

	if (f->nphase == 0)
		return SP_XWEB_ENDED;
	f->nphase--;
	return *f->phases++;
}

static void
sleep_(void *ctx, double s)
{
	struct fake *f = ctx;

	f->clock += s;
	f->sleeps++;
	if (s > f->max_sleep)
		f->max_sleep = s;
}

static double
now(void *ctx)
{
	return ((struct fake *)ctx)->clock;
}

static void
say(void *ctx, const char *msg)
{
	struct fake *f = ctx;

	strncat(f->said, msg, sizeof(f->said) - strlen(f->said) - 2);
	strncat(f->said, "\n", sizeof(f->said) - strlen(f->said) - 1);
}

static int
stage(void *ctx, struct sp_xweb_space *s, double *wait, char *err,
    size_t errlen)
{
	struct fake *f = ctx;
	const struct stage_answer *a = &f->st[f->stage_asks < f->nst ?
	    f->stage_asks : f->nst - 1];

	f->stage_asks++;
	*wait = a->wait;
	if (a->rc != 0) {
		snprintf(err, errlen, "scripted failure");
		return a->rc;
	}
	return sp_xweb_parse_space(a->body, strlen(a->body), s, err,
	    errlen);
}

#define WALL0	1700000000000LL

static int
stage_event(void *ctx, int kind, const char *uid, const char *uname,
    int64_t ms, char *err, size_t errlen)
{
	struct fake *f = ctx;
	size_t k = strlen(f->events);

	snprintf(f->events + k, sizeof(f->events) - k, "%c%s%s%s@%lld ",
	    kind == SP_STAGE_JOIN ? 'J' : kind == SP_STAGE_LEAVE ? 'L' : 'S',
	    uid ? uid : "", uname && *uname ? ":" : "", uname ? uname : "",
	    (long long)(ms - WALL0) / 1000);
	return 0;
}

static int64_t
wall(void *ctx)
{
	return WALL0 + (int64_t)(((struct fake *)ctx)->clock * 1000);
}

static void
setup(struct sp_capture *c, struct fake *f, const struct answer *a)
{
	memset(c, 0, sizeof(*c));
	memset(f, 0, sizeof(*f));
	f->a = a;
	c->io.get = get;
	c->io.fetch = fetch;
	c->io.have = have;
	c->io.phase = phase;
	c->io.sleep = sleep_;
	c->io.now = now;
	c->io.say = say;
	c->io.ctx = f;
	c->o.replay_tries = 20;
	c->o.replay_wait = 10;
}

static char gapbuf[256];

static void
on_gap(void *ctx, uint64_t lo, uint64_t hi)
{
	size_t k = strlen(gapbuf);

	snprintf(gapbuf + k, sizeof(gapbuf) - k, "%llu-%llu ",
	    (unsigned long long)lo, (unsigned long long)hi);
}

/* A live window of chunks a..b-1, with the given target duration. */
static char *
window(int a, int b, const char *target, int end)
{
	char *s = sp_xasprintf("#EXTM3U\n#EXT-X-TARGETDURATION:%s\n"
	    "#EXT-X-MEDIA-SEQUENCE:%d\n", target, a), *n;
	int i;

	for (i = a; i < b; i++) {
		n = sp_xasprintf("%s#EXTINF:3,\nchunk_1_%d_a.aac?type=live\n",
		    s, i);
		free(s);
		s = n;
	}
	if (end) {
		n = sp_xasprintf("%s#EXT-X-ENDLIST\n", s);
		free(s);
		s = n;
	}
	return s;
}

static const char master[] =
"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n"
"/hls/T/transcode/r/d/eyJhbGc.eyJIZWln.c2ln/audio-space/playlist_100.m3u8\n"
"#EXT-X-STREAM-INF:BANDWIDTH=1\n"
"/hls/T/transcode/r/d/eyJhbGc.eyJIZWln.c2ln/audio-space/playlist_200.m3u8\n";

int
main(void)
{
	struct sp_capture c;
	struct fake f;
	char err[256];
	char *w0 = window(0, 3, "3", 0), *w1 = window(2, 5, "3", 0);
	char *w2 = window(5, 8, "3", 0), *all = window(0, 8, "3", 1);
	char *old = window(0, 2, "3", 1), *big = window(0, 3,
	    "99999999999", 0);
	char *ww = window(0, 3, "3", 0);
	uint64_t more[] = { 9 };
	int running[] = { SP_XWEB_LIVE, SP_XWEB_LIVE };

	/* A replay through the master: the newest sub-playlist, its chunks
	 * from the master's non_transcode directory, never /transcode/. */
	{
		const struct answer a[] = {
			{ "master_playlist", 200, master },
			{ "playlist_100", 200, "" },
			{ "playlist_200", 200, NULL },
			{ NULL, 0, NULL }
		};
		struct answer b[4];

		memcpy(b, a, sizeof(a));
		b[1].body = old;
		b[2].body = all;
		setup(&c, &f, b);
		T_INT(sp_capture_run(&c, NT "master_playlist.m3u8", err,
		    sizeof(err)), 0);
		T_INT(c.n, 8);
		T_INT(f.nhave, 8);
		T_OK(strstr(f.log, "playlist_100") == NULL);
		T_OK(strstr(f.log, TR "playlist_200.m3u8") != NULL);
		T_OK(strstr(f.log, NT "chunk_1_7_a.aac") != NULL);
		T_OK(strstr(f.log, "/transcode/r/d/eyJhbGc.eyJIZWln.c2ln/"
		    "audio-space/chunk") == NULL);
		T_INT(c.live, 0);
		sp_capture_release(&c);
	}

	/*
	 * Live: two windows; a 404 while the Space runs (polling goes on);
	 * a third window; a 404 once it has ended; the replay 404 twice
	 * (tslazer#5), then short, then whole.
	 */
	{
		struct answer a[] = {
			{ "dynamic", 200, NULL }, { "dynamic", 200, NULL },
			{ "dynamic", 404, "" }, { "dynamic", 200, NULL },
			{ "dynamic", 404, "" },
			{ "master", 200, master },
			{ "playlist_200", 404, "" }, { "playlist_200", 404, "" },
			{ "playlist_200", 200, NULL },
			{ "playlist_200", 200, NULL },
			{ NULL, 0, NULL }
		};

		a[0].body = w0;
		a[1].body = w1;
		a[3].body = w2;
		a[8].body = old;
		a[9].body = all;
		setup(&c, &f, a);
		f.phases = running;
		f.nphase = 1;
		T_INT(sp_capture_run(&c, NT "dynamic_playlist.m3u8?type=live",
		    err, sizeof(err)), 0);
		T_INT(c.live, 1);
		T_INT(c.stalled, 0);
		T_INT(f.nhave, 8);
		T_INT(f.nphase, 0);	/* asked once while running */
		T_OK(strstr(f.said, "still running: polling on") != NULL);
		/* 4 polls of 3 s, 3 replay waits of 10 s. */
		T_DBL(f.clock, 4 * 3 + 3 * 10, 1e-9);
		T_INT(sp_capture_gaps(&c, NULL, 0, on_gap, NULL), 0);
		sp_capture_release(&c);
	}

	/* A stall: the same window for ever; it ends after the stall count
	 * of target durations, one look at the replay, the gap listed. */
	{
		struct answer a[] = {
			{ "dynamic", 200, NULL },
			{ NULL, 0, NULL }
		};

		a[0].body = ww;
		setup(&c, &f, a);
		f.refuse = 1;
		c.o.stall = 5;
		T_INT(sp_capture_run(&c, NT "dynamic_playlist.m3u8?type=live",
		    err, sizeof(err)), 0);
		T_INT(c.stalled, 1);
		T_DBL(f.clock, 15, 1e-9);
		T_OK(strstr(f.said, "the live stream stalled") != NULL);
		T_OK(strstr(f.said, "chunk 1: refused: 44100 Hz") != NULL);
		T_OK(strstr(f.said, "no replay playlist after 1 tries") !=
		    NULL);
		gapbuf[0] = '\0';
		f.have[f.nhave++] = 9;	/* an earlier run's chunk */
		T_INT(sp_capture_gaps(&c, more, 1, on_gap, NULL), 2);
		T_STR(gapbuf, "1-1 3-8 ");
		sp_capture_release(&c);
	}

	/* A TARGETDURATION of 3170 years: every wait is clamped. */
	{
		struct answer a[] = {
			{ "dynamic", 200, NULL }, { "dynamic", 404, "" },
			{ "master", 404, "" },
			{ NULL, 0, NULL }
		};

		a[0].body = big;
		setup(&c, &f, a);
		c.io.phase = NULL;	/* a playlist URL: 404 is the end */
		c.o.replay_tries = 2;
		T_INT(sp_capture_run(&c, NT "dynamic_playlist.m3u8", err,
		    sizeof(err)), 0);
		T_DBL(f.max_sleep, SP_CAPTURE_TARGET_MAX, 1e-9);
		T_INT(f.nhave, 3);
		sp_capture_release(&c);
	}

	/* A video master: refused, nothing fetched. */
	{
		const struct answer a[] = {
			{ "master", 200, "#EXTM3U\n#EXT-X-STREAM-INF:"
			    "BANDWIDTH=1,RESOLUTION=1280x720\nv.m3u8\n" },
			{ NULL, 0, NULL }
		};

		setup(&c, &f, a);
		T_INT(sp_capture_run(&c, NT "master_dynamic_playlist.m3u8",
		    err, sizeof(err)), SP_CAPTURE_VIDEO);
		T_OK(strstr(err, "video") != NULL);
		T_INT(f.nhave, 0);
		sp_capture_release(&c);
	}

	/* A video master recorded: the best rung (height, then bandwidth),
	 * its chunks from its own directory, the replay master beside the
	 * live one (master_master_playlist); --variant picks another; one
	 * not listed is SP_CAPTURE_VARIANT; probe tells video from audio. */
	{
		static const char vm[] = "#EXTM3U\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n"
		    "/hls/T/transcode/r/d/J360/dynamic_playlist.m3u8\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=2750000,RESOLUTION=1280x720\n"
		    "/hls/T/transcode/r/d/J720/dynamic_playlist.m3u8\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=1500000,RESOLUTION=1280x720\n"
		    "/hls/T/transcode/r/d/J720L/dynamic_playlist.m3u8\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\n"
		    "/hls/T/transcode/r/d/JA/dynamic_playlist.m3u8\n";
		static const char vr[] = "#EXTM3U\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n"
		    "/hls/T/transcode/r/d/J360/playlist_9.m3u8\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=2750000,RESOLUTION=1280x720\n"
		    "/hls/T/transcode/r/d/J720/playlist_9.m3u8\n";
		const struct answer a[] = {
			{ "master_dynamic", 200, vm },
			{ "master_master", 200, vr },
			{ "dynamic_playlist", 200, "#EXTM3U\n"
			    "#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
			    "#EXTINF:2,\nchunk_1_0_v.ts?type=live\n"
			    "#EXTINF:2,\nchunk_2_1_v.ts?type=live\n" },
			{ "dynamic_playlist", 404, "" },
			{ "playlist_9", 200, "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n"
			    "#EXTINF:2,\nc0.ts\n#EXTINF:2,\nc1.ts\n"
			    "#EXTINF:2,\nc2.ts\n#EXT-X-ENDLIST\n" },
			{ "a.m3u8", 200, "#EXTM3U\n#EXTINF:1,\nchunk_1_0_a.aac\n"
			    "#EXT-X-ENDLIST\n" },
			{ NULL, 0, NULL }
		};
		const struct answer fm[] = {
			{ "v.m3u8", 200, "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n"
			    "#EXTINF:2,\nc0.m4s\n#EXT-X-ENDLIST\n" },
			{ NULL, 0, NULL }
		};
		const char *vnt = "https://p/hls/T/non_transcode/r/d/";
		char *u = sp_xasprintf("%smaster_dynamic_playlist.m3u8?type="
		    "live", vnt);

		setup(&c, &f, a);
		c.io.phase = NULL;
		c.o.replay_tries = 1;
		T_INT(sp_capture_probe(&c, u, err, sizeof(err)), 1);
		c.o.video = 1;
		T_INT(sp_capture_run(&c, u, err, sizeof(err)), 0);
		T_INT(c.video, 1);
		T_INT(c.height, 720);
		T_INT((int)c.bandwidth, 2750000);
		T_INT(f.nhave, 3);
		T_OK(strstr(f.log, "p/hls/T/transcode/r/d/J720/chunk_1_0_v.ts"
		    "?type=live\n") != NULL);
		T_OK(strstr(f.log, "p/hls/T/transcode/r/d/J720/c2.ts\n") !=
		    NULL);
		T_OK(strstr(f.log, "J360/c") == NULL);
		T_OK(strstr(f.log, "non_transcode/r/d/master_master_playlist"
		    ".m3u8\n") != NULL);
		T_OK(strstr(f.log, "non_transcode/r/d/c") == NULL);
		sp_capture_release(&c);

		setup(&c, &f, a);
		c.io.phase = NULL;
		c.o.video = 1;
		c.o.variant = 360;
		T_INT(sp_capture_run(&c, u, err, sizeof(err)), 0);
		T_INT(c.height, 360);
		T_OK(strstr(f.log, "J360/c2.ts") != NULL);
		T_OK(strstr(f.log, "J720/c") == NULL);
		sp_capture_release(&c);

		setup(&c, &f, a);
		c.o.video = 1;
		c.o.variant = 1500000;	/* a bandwidth */
		T_INT(sp_capture_run(&c, u, err, sizeof(err)), 0);
		T_OK(strstr(f.log, "J720L/dynamic") != NULL);
		/* The replay lacks it: the same height, and a word. */
		T_OK(strstr(f.log, "J720/playlist_9") != NULL);
		T_OK(strstr(f.said, "no variant 1500000") != NULL);
		sp_capture_release(&c);

		setup(&c, &f, a);
		c.o.video = 1;
		c.o.audio_only = 1;	/* the audio-only variant */
		T_INT(sp_capture_run(&c, u, err, sizeof(err)), 0);
		T_OK(strstr(f.log, "JA/dynamic") != NULL);
		sp_capture_release(&c);

		setup(&c, &f, a);
		c.o.video = 1;
		c.o.variant = 480;
		T_INT(sp_capture_run(&c, u, err, sizeof(err)),
		    SP_CAPTURE_VARIANT);
		T_OK(strstr(err, "no variant 480 (it lists 360p 800000, "
		    "720p 2750000, 720p 1500000, 0p 64000)") != NULL);
		T_INT(f.nhave, 0);
		sp_capture_release(&c);
		free(u);

		/* Audio: probe says 0; --variant is said to be of no use,
		 * once; fMP4 segments refused by name. */
		setup(&c, &f, a);
		T_INT(sp_capture_probe(&c, NT "a.m3u8", err,
		    sizeof(err)), 0);
		sp_capture_release(&c);
		setup(&c, &f, a);
		c.o.video = 1;
		c.o.variant = 720;
		T_INT(sp_capture_run(&c, NT "a.m3u8", err, sizeof(err)), 0);
		T_INT(c.video, 0);
		T_INT(f.nhave, 1);
		T_OK(strstr(f.said, "audio only: --variant 720 is for video "
		    "Spaces") != NULL);
		T_OK(strstr(strstr(f.said, "--variant") + 1, "--variant") ==
		    NULL);
		sp_capture_release(&c);
		setup(&c, &f, fm);
		c.o.video = 1;
		T_INT(sp_capture_run(&c, "https://p/v.m3u8", err,
		    sizeof(err)), -1);
		T_OK(strstr(err, "#EXT-X-MAP") != NULL);
		sp_capture_release(&c);
	}

	/* AES-128: the key fetched once; the IV from the sequence number
	 * when the tag has none (RFC 8216 5.2); a key that is not 16
	 * bytes leaves its chunks out. */
	{
		const struct answer a[] = {
			{ "p.m3u8", 200, "#EXTM3U\n"
			    "#EXT-X-KEY:METHOD=AES-128,URI=\"key\"\n"
			    "chunk_1_5_a.aac\nchunk_1_6_a.aac\n"
			    "#EXT-X-KEY:METHOD=AES-128,URI=\"badkey\"\n"
			    "chunk_1_7_a.aac\n#EXT-X-ENDLIST\n" },
			{ "badkey", 200, "short" },
			{ "key", 200, "0123456789abcdef" },
			{ NULL, 0, NULL }
		};

		setup(&c, &f, a);
		T_INT(sp_capture_run(&c, NT "p.m3u8", err, sizeof(err)), 0);
		T_INT(f.aes, 2);
		T_INT(f.keyfetches, 2);
		T_INT(f.lastiv[15], 6);
		T_INT(f.lastiv[0], 0);
		T_INT(f.nhave, 2);
		T_OK(strstr(f.said, "chunk 7: key") != NULL);
		sp_capture_release(&c);
	}

	/* Not there at all: an error naming it. */
	{
		const struct answer a[] = { { NULL, 0, NULL } };

		setup(&c, &f, a);
		T_INT(sp_capture_run(&c, NT "x.m3u8", err, sizeof(err)), -1);
		T_OK(strstr(err, "not found") != NULL);
		sp_capture_release(&c);
	}
	/*
	 * The stage while live, polled every 3 s (the target duration): the
	 * host and alice (a listener never counts); a 429 asking for 7 s
	 * (the next poll no sooner: 12 s); bob instead of alice; bob as an
	 * admin who also speaks (one person); the end: everyone leaves.
	 */
	{
		char *v[6];
		struct answer a[9];
		const struct stage_answer st[] = {
			{ 0, -1, "{\"data\":{\"audioSpace\":{\"metadata\":"
			    "{\"state\":\"Running\"},\"participants\":{"
			    "\"total\":3,\"admins\":[{\"periscope_user_id\":"
			    "\"1abc\",\"start\":1700000000000,"
			    "\"twitter_screen_name\":\"host\",\"user_results"
			    "\":{\"rest_id\":\"11\",\"result\":{\"rest_id"
			    "\":\"11\"}}}],\"speakers\":[{"
			    "\"twitter_screen_name\":\"alice\",\"user_results"
			    "\":{\"rest_id\":\"22\"}},{\"twitter_screen_name"
			    "\":\"noid\"}],\"listeners\":[{"
			    "\"twitter_screen_name\":\"lis\",\"user_results"
			    "\":{\"rest_id\":\"99\"}}]}}}}" },
			{ 429, 7, NULL },
			{ 0, -1, "{\"data\":{\"audioSpace\":{\"metadata\":"
			    "{},\"participants\":{\"admins\":[{"
			    "\"user_results\":{\"result\":{\"rest_id\":11,"
			    "\"legacy\":{\"screen_name\":\"host\"}}}}],"
			    "\"speakers\":[{\"user\":{\"rest_id\":\"33\"},"
			    "\"twitter_screen_name\":\"bob\"}]}}}}" },
			{ 0, -1, "{\"data\":{\"audioSpace\":{\"metadata\":"
			    "{},\"participants\":{\"admins\":[{"
			    "\"user_results\":{\"rest_id\":\"11\"}},{"
			    "\"user_results\":{\"rest_id\":\"33\"}}],"
			    "\"speakers\":[{\"user_results\":{\"rest_id\":"
			    "\"33\"}}]}}}}" },
		};
		int i;

		for (i = 0; i < 6; i++) {
			v[i] = window(i, i + 3, "3", 0);
			a[i].key = "dynamic";
			a[i].status = 200;
			a[i].body = v[i];
		}
		a[6].key = "dynamic";
		a[6].status = 404;
		a[6].body = "";
		a[7].key = "master";
		a[7].status = 404;
		a[7].body = "";
		a[8].key = NULL;
		setup(&c, &f, a);
		c.o.replay_tries = 1;
		c.io.stage = stage;
		c.io.stage_event = stage_event;
		c.io.wall = wall;
		c.o.stage_poll = 3;
		f.st = st;
		f.nst = 4;
		T_INT(sp_capture_run(&c, NT "dynamic_playlist.m3u8?type=live",
		    err, sizeof(err)), 0);
		T_STR(f.events, "J11:host@0 J22:alice@0 S@0 L22:alice@12 "
		    "J33:bob@12 S@12 S@15 L11:host@18 L33:bob@18 S@18 ");
		T_INT(f.stage_asks, 4);		/* at 0, 3 (429), 12, 15 */
		T_OK(strstr(f.said, "rate-limited (HTTP 429): asking again in "
		    "7 s") != NULL);
		T_OK(strstr(f.said, "answers again") != NULL);
		T_INT(c.non, 0);
		sp_capture_release(&c);
		for (i = 0; i < 6; i++)
			free(v[i]);

		/* Failures: the interval doubles (6, 12, 24 s), one
		 * warning; a resumed run's host is still there (no new
		 * join), bob is new.  Polling off: never asked. */
		{
			const struct stage_answer bad[] = {
				{ -1, -1, NULL }
			};
			struct answer b[3];
			char *e = window(0, 3, "3", 0);

			b[0].key = "dynamic";
			b[0].status = 200;
			b[0].body = e;
			b[1].key = "master";
			b[1].status = 404;
			b[1].body = "";
			b[2].key = NULL;
			setup(&c, &f, b);
			c.o.stall = 15;		/* 45 s of the same window */
			c.o.replay_tries = 1;
			c.io.stage = stage;
			c.io.stage_event = stage_event;
			c.io.wall = wall;
			c.o.stage_poll = 3;
			f.st = bad;
			f.nst = 1;
			T_INT(sp_capture_run(&c, NT "dynamic_playlist.m3u8",
			    err, sizeof(err)), 0);
			T_INT(c.stalled, 1);
			T_INT(f.stage_asks, 4);	/* at 0, 6, 18, 42 */
			T_STR(f.events, "");
			T_OK(strstr(f.said, "scripted failure: asking again "
			    "in 6 s") != NULL);
			T_OK(strstr(f.said, "in 12 s") == NULL);
			sp_capture_release(&c);

			setup(&c, &f, b);
			c.o.stall = 2;
			c.o.replay_tries = 1;
			c.io.stage = stage;
			c.io.stage_event = stage_event;
			c.io.wall = wall;
			c.o.stage_poll = 3;
			f.st = &st[2];
			f.nst = 1;
			sp_capture_on_stage(&c, "11", "host");
			T_INT(sp_capture_run(&c, NT "dynamic_playlist.m3u8",
			    err, sizeof(err)), 0);
			T_STR(f.events, "J33:bob@0 S@0 S@3 S@6 L11:host@6 "
			    "L33:bob@6 S@6 ");
			sp_capture_release(&c);

			setup(&c, &f, b);
			c.o.stall = 2;
			c.io.stage = stage;
			c.io.stage_event = stage_event;
			c.io.wall = wall;
			f.st = st;
			f.nst = 1;
			T_INT(sp_capture_run(&c, NT "dynamic_playlist.m3u8",
			    err, sizeof(err)), 0);
			T_INT(f.stage_asks, 0);
			sp_capture_release(&c);
			free(e);
		}
	}
	free(w0), free(w1), free(w2), free(all), free(old), free(big);
	free(ww);
	return t_done();
}
