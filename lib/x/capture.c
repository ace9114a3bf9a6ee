/* capture: the recording engine: live polling, the end, the replay fill. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "err.h"
#include "hls.h"
#include "http.h"
#include "recorder.h"
#include "xalloc.h"
#include "xweb.h"
#include "banned.h"

/* An AES key fetched once per URI (tslazer caches them likewise). */
struct sp_capkey {
	char	*uri;
	uint8_t	 key[16];
	int	 ok;
};

/* One person on the stage. */
struct sp_capperson {
	char	 user_id[SP_XWEB_UIDMAX];
	char	 username[SP_XWEB_NAMEMAX];
};

enum { GOT = 0, GONE = 100 };	/* get_playlist's answers besides -1 and
				   SP_CAPTURE_VIDEO */

static void
say(struct sp_capture *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct sp_capture *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (c->io.say == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->io.say(c->io.ctx, buf);
}

static void
show(struct sp_capture *c, const char *state)
{
	c->state = state;
	if (c->io.show != NULL)
		c->io.show(c->io.ctx, state, c->total, c->missing);
}

static struct sp_capture_chunk *
find(struct sp_capture *c, uint64_t seq)
{
	size_t i;

	for (i = c->n; i-- > 0; )
		if (c->c[i].seq == seq)
			return &c->c[i];
	return NULL;
}

/*
 * Note a chunk; a later playlist's URL replaces an earlier one (the live
 * one may be gone).  1 when it is new.
 */
static int
note(struct sp_capture *c, const struct sp_hls_seg *g)
{
	struct sp_capture_chunk *e;
	int fresh = 0;

	if ((e = find(c, g->seq)) == NULL) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 256;
			c->c = sp_xreallocarray(c->c, c->cap, sizeof(*c->c));
		}
		e = &c->c[c->n++];
		memset(e, 0, sizeof(*e));
		e->seq = g->seq;
		fresh = 1;
	} else {
		free(e->url);
		free(e->key_uri);
	}
	/* Never from a transcode directory: re-encoded or missing there;
	 * a video variant's are its own (the rung picked). */
	e->url = c->video ? sp_xstrdup(g->uri) :
	    sp_hls_non_transcode(g->uri);
	e->key = g->key;
	e->key_uri = g->key_uri ? sp_xstrdup(g->key_uri) : NULL;
	e->has_iv = g->has_iv;
	memcpy(e->iv, g->iv, sizeof(e->iv));
	return fresh;
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

static int
is_video(const struct sp_hls *pl, const char *url, char *err, size_t errlen)
{
	if (!pl->video)
		return 0;
	sp_fail(err, errlen, "'%s': a video stream (picture sizes or MPEG-TS "
	    "segments) where audio was expected", url);
	return 1;
}

/*
 * The variant of master pl (at) to record, into c->vurl and the rest:
 * 0, or SP_CAPTURE_VARIANT with err.
 */
static int
pick(struct sp_capture *c, const struct sp_hls *pl, const char *at,
    char *err, size_t errlen)
{
	const struct sp_hls_var *v;
	char list[256];
	size_t i, k = 0;

	v = sp_hls_pick(pl, c->o.variant, c->o.audio_only);
	if (v == NULL && c->vurl != NULL) {
		/* Picked before (live), not in this master (the replay's):
		 * the same height, else the best. */
		if ((v = sp_hls_pick(pl, c->height, 0)) == NULL)
			v = sp_hls_pick(pl, 0, c->o.audio_only);
		if (v != NULL && c->o.variant != 0)
			say(c, "'%s': no variant %" PRIu64 ": taking %up %"
			    PRIu64, at, c->o.variant, v->height, v->bandwidth);
	}
	if (v == NULL) {
		list[0] = '\0';
		for (i = 0; i < pl->nvars && k < sizeof(list); i++)
			k += (size_t)snprintf(list + k, sizeof(list) - k,
			    "%s%up %" PRIu64, i ? ", " : "",
			    pl->vars[i].height, pl->vars[i].bandwidth);
		sp_fail(err, errlen, "'%s': no variant %" PRIu64 " (it lists "
		    "%s)", at, c->o.variant, pl->nvars ? list : "none");
		return SP_CAPTURE_VARIANT;
	}
	if (c->vurl == NULL || strcmp(c->vurl, v->uri) != 0) {
		free(c->vurl);
		c->vurl = sp_xstrdup(v->uri);
	}
	c->width = v->width;
	c->height = v->height;
	c->bandwidth = v->bandwidth;
	return 0;
}

/*
 * GET a playlist and parse it: a master is followed to its newest media
 * playlist, whose chunks are resolved against the master's non_transcode
 * directory as every peer does.  GOT; GONE when the server says 404 or
 * 410 (ended, or not there yet); SP_CAPTURE_VIDEO or -1 with err.
 */
static int
get_playlist(struct sp_capture *c, const char *url, struct sp_hls *pl,
    char *err, size_t errlen)
{
	struct sp_http_resp resp;
	char *next = NULL, *base = sp_hls_non_transcode(url);
	const char *at = url;
	int depth, rc = -1;

	memset(&resp, 0, sizeof(resp));
	memset(pl, 0, sizeof(*pl));
	for (depth = 0; depth < 3; depth++) {
		if (c->io.get(c->io.ctx, at, &resp, err, errlen) != 0)
			break;
		if (resp.status == 404 || resp.status == 410) {
			rc = GONE;
			break;
		}
		if (resp.status != 200) {
			sp_fail(err, errlen, "'%s': HTTP %ld", at, resp.status);
			break;
		}
		if (sp_hls_parse(resp.body, resp.len, base, pl, err, errlen) !=
		    0)
			break;
		if (!c->o.video && is_video(pl, at, err, errlen)) {
			sp_hls_release(pl);
			rc = SP_CAPTURE_VIDEO;
			break;
		}
		if (pl->video)
			c->video = 1;
		if (pl->map) {
			sp_fail(err, errlen, "'%s': fragmented MP4 segments "
			    "(#EXT-X-MAP): only MPEG-TS ones are recorded", at);
			sp_hls_release(pl);
			break;
		}
		if (!pl->master) {
			if (!c->video && c->o.variant != 0 &&
			    !c->variant_told) {
				say(c, "'%s': audio only: --variant %" PRIu64
				    " is for video Spaces", at, c->o.variant);
				c->variant_told = 1;
			}
			rc = GOT;
			break;
		}
		if (c->video) {
			/* The variant picked; its chunks are its own. */
			if ((rc = pick(c, pl, at, err, errlen)) != 0) {
				sp_hls_release(pl);
				break;
			}
			rc = -1;
			free(next);
			at = next = sp_xstrdup(c->vurl);
			free(base);
			base = sp_xstrdup(c->vurl);
			sp_hls_release(pl);
			sp_http_resp_release(&resp);
			continue;
		}
		if (pl->variant == NULL) {
			sp_fail(err, errlen, "'%s': a master playlist with no "
			    "media playlist", at);
			sp_hls_release(pl);
			break;
		}
		free(next);
		at = next = sp_xstrdup(pl->variant);
		sp_hls_release(pl);
		sp_http_resp_release(&resp);
		/* base stays the master's: the chunks are there. */
	}
	if (depth == 3)
		sp_fail(err, errlen, "master playlists nested too deep");
	sp_http_resp_release(&resp);
	free(next);
	free(base);
	return rc;
}

/* The key at uri, fetched once: 0, or -1 with err. */
static int
key_of(struct sp_capture *c, const char *uri, uint8_t key[16], char *err,
    size_t errlen)
{
	struct sp_http_resp r;
	struct sp_capkey *k;
	size_t i;

	for (i = 0; i < c->nkeys; i++)
		if (strcmp(c->keys[i].uri, uri) == 0) {
			if (!c->keys[i].ok)
				return sp_fail(err, errlen, "key '%s' "
				    "unavailable", uri);
			memcpy(key, c->keys[i].key, 16);
			return 0;
		}
	c->keys = sp_xreallocarray(c->keys, c->nkeys + 1, sizeof(*c->keys));
	k = &c->keys[c->nkeys++];
	memset(k, 0, sizeof(*k));
	k->uri = sp_xstrdup(uri);
	memset(&r, 0, sizeof(r));
	if (c->io.get(c->io.ctx, uri, &r, err, errlen) != 0)
		return -1;
	if (r.status != 200 || r.len != 16) {
		sp_fail(err, errlen, "key '%s': %s", uri, r.status != 200 ?
		    "not there" : "not 16 bytes");
		sp_http_resp_release(&r);
		return -1;
	}
	memcpy(k->key, r.body, 16);
	k->ok = 1;
	memcpy(key, k->key, 16);
	sp_http_resp_release(&r);
	return 0;
}

/* The IV of a segment without one: its sequence number (RFC 8216). */
static void
seq_iv(uint64_t seq, uint8_t iv[16])
{
	int i;

	memset(iv, 0, 16);
	for (i = 0; i < 8; i++)
		iv[15 - i] = (uint8_t)(seq >> (8 * i));
}

static void
count_missing(struct sp_capture *c)
{
	size_t i;

	for (i = c->missing = 0; i < c->n; i++)
		c->missing += !c->io.have(c->io.ctx, c->c[i].seq);
}

/* Fetch the chunks noted and not captured (live: each a few rounds). */
static int
fetch(struct sp_capture *c, int live, char *err, size_t errlen)
{
	struct sp_fetch *f = sp_xcalloc(c->n ? c->n : 1, sizeof(*f));
	struct sp_capture_chunk **who = sp_xcalloc(c->n ? c->n : 1,
	    sizeof(*who));
	struct sp_capture_chunk *e;
	char kerr[256];
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		e = &c->c[i];
		if (e->refused || c->io.have(c->io.ctx, e->seq))
			continue;
		if (live && e->live_polls++ >= SP_CAPTURE_LIVE_POLLS)
			continue;
		if (e->key == SP_HLS_KEY_OTHER) {
			say(c, "chunk %" PRIu64 ": encrypted with a method "
			    "other than AES-128: left out", e->seq);
			e->refused = 1;
			continue;
		}
		memset(&f[n], 0, sizeof(f[n]));
		if (e->key == SP_HLS_KEY_AES128) {
			if (key_of(c, e->key_uri, f[n].key, kerr,
			    sizeof(kerr)) != 0) {
				say(c, "chunk %" PRIu64 ": %s", e->seq, kerr);
				continue;
			}
			f[n].aes = 1;
			if (e->has_iv)
				memcpy(f[n].iv, e->iv, 16);
			else
				seq_iv(e->seq, f[n].iv);
		}
		f[n].seq = e->seq;
		f[n].url = e->url;
		who[n++] = e;
	}
	if (n > 0)
		rc = c->io.fetch(c->io.ctx, f, n, live, err, errlen);
	for (i = 0; rc == 0 && i < n; i++)
		if (f[i].refused && !who[i]->refused) {
			who[i]->refused = 1;
			say(c, "chunk %" PRIu64 ": refused: %s", f[i].seq,
			    f[i].err);
		}
	free(f);
	free(who);
	count_missing(c);
	if (c->state != NULL)
		show(c, c->state);
	return rc;
}

static double
clamp_target(double t)
{
	if (!(t > 0))
		return SP_CAPTURE_TARGET_DEF;
	if (t < SP_CAPTURE_TARGET_MIN)
		return SP_CAPTURE_TARGET_MIN;
	if (t > SP_CAPTURE_TARGET_MAX)
		return SP_CAPTURE_TARGET_MAX;
	return t;
}

static double
elapsed(struct sp_capture *c)
{
	return c->io.now(c->io.ctx) - c->t0;
}

void
sp_capture_on_stage(struct sp_capture *c, const char *user_id,
    const char *username)
{
	struct sp_capperson *p;
	size_t i;

	for (i = 0; i < c->non; i++)
		if (strcmp(c->on[i].user_id, user_id) == 0)
			return;
	c->on = sp_xreallocarray(c->on, c->non + 1, sizeof(*c->on));
	p = &c->on[c->non++];
	snprintf(p->user_id, sizeof(p->user_id), "%s", user_id);
	snprintf(p->username, sizeof(p->username), "%s",
	    username ? username : "");
}

static int
stage_ev(struct sp_capture *c, int kind, const struct sp_capperson *p,
    int64_t ms, char *err, size_t errlen)
{
	return c->io.stage_event(c->io.ctx, kind, p ? p->user_id : NULL,
	    p ? p->username : NULL, ms, err, errlen);
}

/* Everyone on stage leaves at wall-clock ms (the live part ended). */
static int
stage_close(struct sp_capture *c, char *err, size_t errlen)
{
	int64_t ms;
	size_t i;

	if (c->io.stage == NULL || c->o.stage_poll <= 0 || c->non == 0)
		return 0;
	ms = c->io.wall(c->io.ctx);
	for (i = 0; i < c->non; i++)
		if (stage_ev(c, SP_STAGE_LEAVE, &c->on[i], ms, err,
		    errlen) != 0)
			return -1;
	if (stage_ev(c, SP_STAGE_SEEN, NULL, ms, err, errlen) != 0)
		return -1;
	c->non = 0;
	return 0;
}

/* The stage now against the one before: joins, then leaves, at ms. */
static int
stage_diff(struct sp_capture *c, const struct sp_xweb_space *s, char *err,
    size_t errlen)
{
	struct sp_capperson p;
	int64_t ms = c->io.wall(c->io.ctx);
	size_t i, k;

	for (i = 0; i < c->non; ) {
		for (k = 0; k < s->nstage; k++)
			if (strcmp(s->stage[k].user_id, c->on[i].user_id) == 0)
				break;
		if (k < s->nstage) {
			i++;
			continue;
		}
		if (stage_ev(c, SP_STAGE_LEAVE, &c->on[i], ms, err,
		    errlen) != 0)
			return -1;
		memmove(c->on + i, c->on + i + 1, (c->non - i - 1) *
		    sizeof(*c->on));
		c->non--;
	}
	for (k = 0; k < s->nstage; k++) {
		for (i = 0; i < c->non; i++)
			if (strcmp(s->stage[k].user_id, c->on[i].user_id) == 0)
				break;
		if (i < c->non)
			continue;
		snprintf(p.user_id, sizeof(p.user_id), "%s",
		    s->stage[k].user_id);
		snprintf(p.username, sizeof(p.username), "%s",
		    s->stage[k].username);
		if (stage_ev(c, SP_STAGE_JOIN, &p, ms, err, errlen) != 0)
			return -1;
		sp_capture_on_stage(c, p.user_id, p.username);
	}
	return stage_ev(c, SP_STAGE_SEEN, NULL, ms, err, errlen);
}

/*
 * Ask who is on stage when it is time (twspace-crawler re-asks
 * AudioSpaceById on a timer likewise; tslazer every 10 s).  A 429 or a
 * failure doubles the interval (at least X's Retry-After, at most
 * SP_CAPTURE_STAGE_MAX); an answer puts it back.  0, or -1 with err
 * when the journal cannot be written.
 */
static int
stage_poll(struct sp_capture *c, char *err, size_t errlen)
{
	struct sp_xweb_space s;
	char why[256];
	double t, wait = -1, d;
	int rc;

	if (c->io.stage == NULL || c->o.stage_poll <= 0)
		return 0;
	t = c->io.now(c->io.ctx);
	if (c->stage_polls + c->stage_told > 0 && t < c->stage_next)
		return 0;
	memset(&s, 0, sizeof(s));
	why[0] = '\0';
	rc = c->io.stage(c->io.ctx, &s, &wait, why, sizeof(why));
	if (rc == 0 && s.has_stage) {
		c->stage_polls++;
		c->stage_wait = 0;
		c->stage_next = t + c->o.stage_poll;
		if (c->stage_told)
			say(c, "speakers: AudioSpaceById answers again");
		c->stage_told = 0;
		rc = stage_diff(c, &s, err, errlen);
		sp_xweb_space_release(&s);
		return rc;
	}
	if (rc == 0) {
		snprintf(why, sizeof(why), "no participants in the answer");
		sp_xweb_space_release(&s);
	}
	d = c->stage_wait > 0 ? c->stage_wait * 2 : c->o.stage_poll * 2;
	if (wait > d)
		d = wait;
	if (d > SP_CAPTURE_STAGE_MAX)
		d = SP_CAPTURE_STAGE_MAX;
	c->stage_wait = d;
	c->stage_next = t + d;
	if (!c->stage_told++)
		say(c, "speakers: AudioSpaceById: %s: asking again in %.0f s "
		    "(and less often while it fails)", rc == 429 ?
		    "rate-limited (HTTP 429)" : why, d);
	return 0;
}

/*
 * Poll the live playlist at its target duration until it ends: ENDLIST,
 * a 404 while the Space is no longer running, or a stall.  0, or -1.
 */
static int
live(struct sp_capture *c, const char *url, struct sp_hls *first, char *err,
    size_t errlen)
{
	struct sp_hls pl = *first;
	double wait = clamp_target(pl.target), last_new;
	int stall = c->o.stall > 0 ? c->o.stall : SP_CAPTURE_STALL;
	int rc, told = 0, phase;
	size_t i;

	memset(first, 0, sizeof(*first));
	c->live = 1;
	show(c, "live");
	last_new = c->io.now(c->io.ctx);
	for (;;) {
		for (i = 0; i < pl.nsegs; i++)
			if (note(c, &pl.segs[i]))
				last_new = c->io.now(c->io.ctx);
		if (pl.target > 0)
			wait = clamp_target(pl.target);
		if (fetch(c, 1, err, errlen) != 0 ||
		    stage_poll(c, err, errlen) != 0) {
			sp_hls_release(&pl);
			return -1;
		}
		if (pl.endlist) {
			sp_hls_release(&pl);
			return 0;
		}
		sp_hls_release(&pl);
		if (c->o.max_dur > 0 && elapsed(c) >= c->o.max_dur) {
			c->stopped = 1;
			return 0;
		}
		if (c->io.now(c->io.ctx) - last_new >= stall * wait) {
			c->stalled = 1;
			say(c, "'%s': no new chunk for %.0f s (%d target "
			    "durations): the live stream stalled", url,
			    stall * wait, stall);
			return 0;
		}
		if (c->o.max_dur > 0 && elapsed(c) + wait > c->o.max_dur)
			c->io.sleep(c->io.ctx, c->o.max_dur - elapsed(c));
		else
			c->io.sleep(c->io.ctx, wait);
		rc = get_playlist(c, url, &pl, err, errlen);
		if (rc == SP_CAPTURE_VIDEO || rc == SP_CAPTURE_VARIANT)
			return rc;
		if (rc == GONE) {
			/* Ended, or the host's connection dropped
			 * (twspace-crawler SpaceWatcher): ask the Space. */
			phase = c->io.phase ? c->io.phase(c->io.ctx) :
			    SP_XWEB_UNKNOWN;
			if (phase != SP_XWEB_LIVE)
				return 0;
			if (!told)
				say(c, "'%s': not found while the Space is "
				    "still running: polling on", url);
			told = 1;
			memset(&pl, 0, sizeof(pl));
			continue;
		}
		if (rc != GOT) {
			/* Off the air: the replay may still have it all. */
			say(c, "%s: going on with the replay", err);
			return 0;
		}
	}
}

/* The chunks of a replay playlist, the first max_dur of them. */
static void
note_replay(struct sp_capture *c, const struct sp_hls *pl)
{
	double t = 0;
	size_t i;

	for (i = 0; i < pl->nsegs; i++) {
		if (c->o.max_dur > 0 && t >= c->o.max_dur) {
			c->stopped = 1;
			break;
		}
		note(c, &pl->segs[i]);
		t += pl->segs[i].duration > 0 ? pl->segs[i].duration :
		    pl->target;
	}
	c->total = c->n;
}

/*
 * After the live part: the replay playlist, polled while it is 404 or
 * shorter than what was seen live (tslazer#5: it can be 404 for a
 * minute or more; twspace-crawler polls until it holds the last live
 * chunk), then every missing chunk from it.
 */
static int
fill(struct sp_capture *c, const char *url, uint64_t live_max, int tries,
    char *err, size_t errlen)
{
	struct sp_hls pl, best;
	int i, rc, got = 0;
	size_t k;

	memset(&best, 0, sizeof(best));
	show(c, "replay fill");
	for (i = 0; i < tries; i++) {
		if (i > 0)
			c->io.sleep(c->io.ctx, c->o.replay_wait);
		rc = get_playlist(c, url, &pl, err, errlen);
		if (rc == SP_CAPTURE_VIDEO || rc == SP_CAPTURE_VARIANT)
			return rc;
		if (rc != GOT) {
			if (rc < 0)
				say(c, "replay: %s", err);
			continue;
		}
		sp_hls_release(&best);
		best = pl;
		got = 1;
		if (best.nsegs > 0 && max_seq(&best) >= live_max)
			break;
	}
	if (!got) {
		say(c, "'%s': no replay playlist after %d tries", url, tries);
		return 0;
	}
	for (k = 0; k < best.nsegs; k++)
		note(c, &best.segs[k]);
	sp_hls_release(&best);
	return fetch(c, 0, err, errlen);
}

int
sp_capture_run(struct sp_capture *c, const char *playlist, char *err,
    size_t errlen)
{
	struct sp_hls pl;
	char *master = NULL;
	const char *replay = c->o.replay;
	uint64_t live_max;
	size_t i;
	int rc;

	c->t0 = c->io.now(c->io.ctx);
	c->stopped = c->stalled = c->live = 0;
	rc = get_playlist(c, playlist, &pl, err, errlen);
	if (rc == GONE)
		return sp_fail(err, errlen, "'%s': not found (HTTP 404)",
		    playlist);
	if (rc != GOT)
		return rc == SP_CAPTURE_VIDEO || rc == SP_CAPTURE_VARIANT ?
		    rc : -1;
	if (pl.endlist) {
		/* A replay: every chunk is there, fetch them in parallel. */
		note_replay(c, &pl);
		sp_hls_release(&pl);
		show(c, "replay");
		return fetch(c, 0, err, errlen);
	}
	live_max = max_seq(&pl);
	c->stage_polls = 0;
	c->stage_told = 0;
	c->stage_wait = 0;
	if ((rc = live(c, playlist, &pl, err, errlen)) != 0 ||
	    (rc = stage_close(c, err, errlen)) != 0)
		return rc;
	for (i = 0; i < c->n; i++)
		if (c->c[i].seq > live_max)
			live_max = c->c[i].seq;
	if (c->stopped)
		return 0;
	if (replay == NULL)
		replay = master = sp_hls_master_url(playlist);
	/* A stalled stream has likely no replay yet: one look. */
	rc = fill(c, replay, live_max, c->stalled ? 1 : c->o.replay_tries,
	    err, errlen);
	free(master);
	return rc;
}

int
sp_capture_probe(struct sp_capture *c, const char *playlist, char *err,
    size_t errlen)
{
	struct sp_hls pl;
	int rc, video = c->o.video;

	/* Refusing video tells it at the first answer that shows it. */
	c->o.video = 0;
	rc = get_playlist(c, playlist, &pl, err, errlen);
	c->o.video = video;
	if (rc == SP_CAPTURE_VIDEO)
		return 1;
	if (rc == GONE)
		return sp_fail(err, errlen, "'%s': not found (HTTP 404)",
		    playlist);
	if (rc != GOT)
		return -1;
	sp_hls_release(&pl);
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t
sp_capture_gaps(struct sp_capture *c, const uint64_t *more, size_t nmore,
    void (*fn)(void *, uint64_t, uint64_t), void *ctx)
{
	uint64_t *q, lo = 0, hi = 0, x;
	size_t i, n = 0, ngaps = 0;
	int open = 0;

	q = sp_xcalloc(c->n + nmore + 1, sizeof(*q));
	for (i = 0; i < c->n; i++)
		q[n++] = c->c[i].seq;
	for (i = 0; i < nmore; i++)
		q[n++] = more[i];
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
		if (!c->io.have(c->io.ctx, x)) {
			if (!open)
				lo = x;
			hi = x;
			open = 1;
		} else if (open) {
			fn(ctx, lo, hi);
			ngaps++;
			open = 0;
		}
	}
	if (open) {
		fn(ctx, lo, hi);
		ngaps++;
	}
	free(q);
	return ngaps;
}

void
sp_capture_release(struct sp_capture *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->c[i].url);
		free(c->c[i].key_uri);
	}
	free(c->c);
	for (i = 0; i < c->nkeys; i++)
		free(c->keys[i].uri);
	free(c->keys);
	free(c->on);
	free(c->vurl);
	c->vurl = NULL;
	c->c = NULL;
	c->keys = NULL;
	c->on = NULL;
	c->n = c->cap = c->nkeys = c->non = 0;
}
