/* capture: the recording engine: live polling, the end, the replay fill. */
#ifndef SP_CAPTURE_H
#define SP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct sp_http_resp;
struct sp_fetch;
struct sp_xweb_space;

/*
 * Everything the engine does to the world goes through these hooks, so a
 * test can script every answer and the clock (tests/unit/t_capture.c).
 */
struct sp_capture_io {
	/* GET url into r (status and body): 0, or -1 with err. */
	int	(*get)(void *ctx, const char *url, struct sp_http_resp *r,
		    char *err, size_t errlen);
	/*
	 * Fetch the n chunks of f (sp_fetch_all's contract: each one's done
	 * set when it is in the journal, refused when it must not be tried
	 * again); live: a live round, which tries each chunk less.  0, or
	 * -1 with err when nothing more can be recorded (the journal).
	 */
	int	(*fetch)(void *ctx, struct sp_fetch *f, size_t n, int live,
		    char *err, size_t errlen);
	/* Whether chunk seq is captured already (an earlier run's too). */
	int	(*have)(void *ctx, uint64_t seq);
	/*
	 * The Space's phase now (enum sp_xweb_phase), asked when the live
	 * playlist answers 404; NULL when there is no Space to ask (a
	 * playlist URL given), when a 404 is taken as the end.
	 */
	int	(*phase)(void *ctx);
	void	(*sleep)(void *ctx, double secs);
	double	(*now)(void *ctx);		/* monotonic seconds */
	/* A warning for a person (the engine says it once per event). */
	void	(*say)(void *ctx, const char *msg);
	/* The state changed ("live", "replay", ...), with the counts. */
	void	(*show)(void *ctx, const char *state, size_t total,
		    size_t missing);
	void	*ctx;
	/*
	 * The stage (issue 15), polled while live when o.stage_poll > 0;
	 * NULL: never.  stage asks AudioSpaceById into s (the engine
	 * releases it): 0; 429 when X rate-limits, with *wait the seconds
	 * it asks (-1: it did not say); or -1 with err.  stage_event
	 * journals a join, leave or sighting (SP_STAGE_*, recorder.h) at
	 * wall-clock ms: 0, or -1 with err (then the run stops).  wall is
	 * the wall clock in Unix ms.
	 */
	int	(*stage)(void *ctx, struct sp_xweb_space *s, double *wait,
		    char *err, size_t errlen);
	int	(*stage_event)(void *ctx, int kind, const char *user_id,
		    const char *username, int64_t ms, char *err,
		    size_t errlen);
	int64_t	(*wall)(void *ctx);
};

/* Defaults, documented in spaces-record(1). */
#define SP_CAPTURE_TARGET_MIN	1.0	/* s: shortest poll interval */
#define SP_CAPTURE_TARGET_MAX	30.0	/* s: longest; a larger
					   TARGETDURATION is clamped */
#define SP_CAPTURE_TARGET_DEF	4.0	/* s: when the playlist has none */
#define SP_CAPTURE_STALL	20	/* target durations with no new
					   chunk: the live stream stalled */
#define SP_CAPTURE_LIVE_POLLS	3	/* live rounds a chunk gets */
#define SP_CAPTURE_STAGE_POLL	30.0	/* s between stage polls */
#define SP_CAPTURE_STAGE_MAX	900.0	/* s: the longest backoff, X's
					   rate-limit window (15 min) */

struct sp_capture_opts {
	const char	*replay;	/* the replay playlist, or NULL: the
					   master beside the live one */
	double		 max_dur;	/* s of audio; 0: no limit */
	int		 replay_tries;	/* replay polls after the end */
	double		 replay_wait;	/* s between them */
	int		 stall;		/* target durations; 0: the default */
	double		 stage_poll;	/* s between stage polls; 0: no */
	/* Video (a master with picture sizes, .ts segments): */
	int		 video;		/* record it; 0: refuse it
					   (SP_CAPTURE_VIDEO) */
	uint64_t	 variant;	/* sp_hls_pick's want: 0 the best, a
					   height, or a BANDWIDTH */
	int		 audio_only;	/* prefer an audio-only variant */
};

/* A chunk heard of, by sequence number. */
struct sp_capture_chunk {
	uint64_t	 seq;
	char		*url;		/* owned */
	int		 key;		/* SP_HLS_KEY_* */
	char		*key_uri;	/* owned, or NULL */
	int		 has_iv;
	uint8_t		 iv[16];
	int		 live_polls;	/* live rounds that tried it */
	int		 refused;	/* not the recording's format */
};

struct sp_capture {
	struct sp_capture_io io;	/* set by the caller */
	struct sp_capture_opts o;	/* set by the caller */
	/* What the run found; sp_capture_release frees it. */
	struct sp_capture_chunk *c;
	size_t		 n, cap;
	size_t		 total;		/* chunks to fetch; 0: unknown */
	size_t		 missing;	/* listed, not captured */
	int		 stopped;	/* max_dur ran out */
	int		 stalled;	/* no new chunk for stall targets */
	int		 live;		/* the stream was live */
	/* Private. */
	const char	*state;		/* the last one shown */
	double		 t0;
	struct sp_capkey *keys;
	size_t		 nkeys;
	/* The stage: who is on it, when to ask next, the backoff. */
	struct sp_capperson *on;
	size_t		 non;
	double		 stage_next, stage_wait;
	int		 stage_told;
	size_t		 stage_polls;	/* answers read */
	/* A video stream's (o.video): what was picked. */
	int		 video;		/* the stream is video */
	int		 variant_told;	/* o.variant on audio, said */
	char		*vurl;		/* the variant playlist (owned), or
					   NULL: no master */
	unsigned	 width, height;	/* its RESOLUTION; 0: none */
	uint64_t	 bandwidth;	/* its BANDWIDTH; 0: none */
};

/* What sp_capture_run returns besides 0 and -1. */
enum {
	SP_CAPTURE_VIDEO = 1,	/* a video stream: not recorded (err says) */
	SP_CAPTURE_VARIANT	/* o.variant: no such variant (err says) */
};

/*
 * Whether the stream at playlist is video (1) or audio (0), from its
 * first answer (a master followed one level): its format decides the
 * output's.  -1 with err.
 */
int	sp_capture_probe(struct sp_capture *c, const char *playlist,
	    char *err, size_t errlen);

/*
 * Capture every chunk of the stream at playlist: a replay (ENDLIST) at
 * once, in parallel; a live one polled at its target duration (clamped
 * to [SP_CAPTURE_TARGET_MIN, SP_CAPTURE_TARGET_MAX]) until it ends, then
 * the chunks it lost filled from the replay.  A live playlist's 404 is
 * the end unless io.phase says the Space is still running, when polling
 * goes on; SP_CAPTURE_STALL target durations with no new chunk end it
 * as stalled.  Chunk URLs are built on the non_transcode directory of
 * the master (or of the playlist itself).  While live, with io.stage
 * and o.stage_poll, the stage is asked at most every o.stage_poll s
 * (one request at a time, between playlist polls; after a 429 or a
 * failure the interval doubles, up to SP_CAPTURE_STAGE_MAX, never less
 * than X's Retry-After) and each join and leave goes to io.stage_event;
 * when the live part ends, everyone still on stage leaves.  0 (see
 * stopped, stalled and the gaps), SP_CAPTURE_VIDEO, or -1 with err.
 *
 * With o.video a video stream is recorded: of a master's variants the
 * one sp_hls_pick gives for o.variant and o.audio_only (else
 * SP_CAPTURE_VARIANT), its chunks fetched from where its playlist names
 * them (the variant's own directory: the rung picked, not the original
 * on non_transcode), every later poll of a master taking the same pick.
 * Segments with an #EXT-X-MAP (fragmented MP4) are refused (-1).
 */
int	sp_capture_run(struct sp_capture *c, const char *playlist, char *err,
	    size_t errlen);

/*
 * Each missing range between the first and the last chunk known (a
 * chunk listed and not captured, or a number no playlist listed), in
 * order, to fn; more lists chunks captured by an earlier run (the
 * journal's), which count as known.  Returns how many.
 */
size_t	sp_capture_gaps(struct sp_capture *c, const uint64_t *more,
	    size_t nmore, void (*fn)(void *ctx, uint64_t lo, uint64_t hi),
	    void *ctx);

/*
 * Seed the stage with a person an earlier run saw join and not leave
 * (sp_journal_on_stage): the first poll that still sees them journals
 * no new join.
 */
void	sp_capture_on_stage(struct sp_capture *c, const char *user_id,
	    const char *username);

void	sp_capture_release(struct sp_capture *c);

#endif
