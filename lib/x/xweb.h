/* xweb: a Space id or URL to its stream, through X's web endpoints. */
#ifndef SP_XWEB_H
#define SP_XWEB_H

#include <stddef.h>

/*
 * The pipeline of the reference (x-formats §3.1-3.3):
 *
 *   GET <web>/i/api/graphql/<queryId>/AudioSpaceById?variables=..&features=..
 *	-> data.audioSpace.metadata (state, media_key, title, creator, times)
 *   GET <web>/i/api/1.1/live_video_stream/status/<media_key>
 *	-> source.noRedirectPlaybackUrl or source.location: the playlist
 *
 * Parsing tolerates the known variations (times as numbers or strings
 * of ms, creator names under result.legacy or result.core, a location
 * wrapped in .../authorized_status/...?url=<real url>) and never makes a
 * value up: what is absent stays NULL or 0.
 */

#define SP_XWEB_IDMAX	32
#define SP_XWEB_UIDMAX	24	/* an X user id: up to 20 digits */
#define SP_XWEB_NAMEMAX	32	/* a screen name: 1-15 [A-Za-z0-9_] */
#define SP_XWEB_STAGEMAX 64	/* stage members kept; X allows 13 */

/*
 * What X's own web client sends, as the peers send it (x-formats 4.1):
 * the public bearer of the web app (yt-dlp TwitterBaseIE._AUTH, tslazer
 * set_headers), the AudioSpaceById query id of tslazer (2025-11), and a
 * browser's User-Agent (tslazer's).  Each has an environment override
 * in spaces-record, since X rotates them.
 */
#define SP_XWEB_BEARER	"AAAAAAAAAAAAAAAAAAAAANRILgAAAAAAnNwIzUej" \
	"RCOuH5E6I8xnZz4puTs%3D1Zv7ttfk8LF81IUq16cHjhLTvJu4FA33AGWWjCpTnA"
#define SP_XWEB_QUERY_ID "rC2zlE1t7SHbVG8obPZliQ"
#define SP_XWEB_UA	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) " \
	"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 " \
	"Safari/537.36"

/* The feature-flag map AudioSpaceById needs (tslazer, 2025-11): JSON. */
extern const char sp_xweb_default_features[];

/*
 * The features to send: spec NULL gives the default map; "@FILE" the
 * JSON in FILE; else spec itself.  It must be a non-empty JSON object
 * of booleans (X answers 400, code 336, to a missing flag).  New
 * compact JSON, or NULL with err.
 */
char	*sp_xweb_features(const char *spec, char *err, size_t errlen);

/* The guest-token URL under api (e.g. "https://api.x.com"): new. */
char	*sp_xweb_guest_url(const char *api);

/* The guest_token of an activate.json answer: new, or NULL with err. */
char	*sp_xweb_parse_guest(const char *body, size_t len, char *err,
	    size_t errlen);

/*
 * The first error of an answer {"errors":[{"code":N,"message":"..."}]}:
 * 0 with *code (0 when absent) and msg (control characters dropped,
 * cut to n), or -1 when the body holds none.
 */
int	sp_xweb_error(const char *body, size_t len, long *code, char *msg,
	    size_t n);

/*
 * One person on the stage (participants.admins or .speakers of
 * AudioSpaceById: twspace-crawler AudioSpaceParticipant, its
 * buildUserByParticipant).  Listeners are never kept.
 */
struct sp_xweb_person {
	/* The X id: user_results.result.rest_id, user_results.rest_id
	 * or user.rest_id. */
	char	 user_id[SP_XWEB_UIDMAX];
	/* twitter_screen_name, or the user's legacy/core screen_name;
	 * "" unknown. */
	char	 username[SP_XWEB_NAMEMAX];
	int	 admin;			/* a host or co-host */
};

/* What spaces-record needs of a Space. */
struct sp_xweb_space {
	char	*id;			/* rest_id, or NULL */
	char	*state;			/* "Running", "Ended", ... or NULL */
	char	*media_key;		/* or NULL */
	char	*title;			/* or NULL */
	char	*creator_id;		/* rest_id, or NULL */
	char	*creator_name;		/* display name, or NULL */
	char	*creator_screen_name;	/* or NULL */
	long long started_at;		/* Unix ms; 0: absent */
	long long scheduled_start;	/* Unix ms; 0: absent */
	long long created_at;		/* Unix ms; 0: absent */
	long long ended_at;		/* Unix ms; 0: absent */
	int	 replay;		/* is_space_available_for_replay:
					   1, 0, or -1 when absent */
	/*
	 * Who is on stage: the admins, then the speakers, each person once,
	 * those without an X id left out; has_stage is 0 when the answer
	 * has no participants object (nothing is known then).
	 */
	struct sp_xweb_person *stage;	/* owned, nstage of them */
	size_t	 nstage;
	int	 has_stage;
};

/* What a state means for a recorder. */
enum sp_xweb_phase {
	SP_XWEB_UNKNOWN,	/* no state, or one not known here */
	SP_XWEB_SCHEDULED,	/* NotStarted, PrePublished */
	SP_XWEB_LIVE,		/* Running */
	SP_XWEB_ENDED,		/* Ended, TimedOut */
	SP_XWEB_CANCELED	/* Canceled */
};

/*
 * The Space id of arg: a bare id ([0-9A-Za-z]{1,13}) or an http(s) URL
 * on x.com, twitter.com (www., mobile. too) of the form
 * /i/spaces/<id>[/...][?...].  0 with id, or -1.
 */
int	sp_xweb_space_id(const char *arg, char *id, size_t n);

/* The AudioSpaceById URL under web (e.g. "https://x.com"): new.
 * features is a JSON object (as text); NULL: "{}". */
char	*sp_xweb_space_url(const char *web, const char *query_id,
	    const char *space_id, const char *features);
/* The live_video_stream/status URL under web: new. */
char	*sp_xweb_status_url(const char *web, const char *media_key);

/*
 * Parse an AudioSpaceById response (len bytes, need not be NUL-ended)
 * into s (sp_xweb_space_release frees it).  0; or -1 with err when it is
 * not JSON, has GraphQL errors and no audioSpace, or has no metadata.
 */
int	sp_xweb_parse_space(const char *body, size_t len,
	    struct sp_xweb_space *s, char *err, size_t errlen);
void	sp_xweb_space_release(struct sp_xweb_space *s);

enum sp_xweb_phase sp_xweb_phase(const struct sp_xweb_space *s);

/*
 * The playlist URL in a live_video_stream/status response: new, or NULL
 * with err (not JSON, no source URL, not an http(s) URL, or X's
 * .../live_video_stream/geoblocked/... answer, as yt-dlp checks: then
 * *geo is set when geo is not NULL).
 */
char	*sp_xweb_parse_status(const char *body, size_t len, char *err,
	    size_t errlen, int *geo);

/*
 * The value of cookie name in the Netscape cookies file at path (lines
 * "domain flag path secure expiry name value", '#HttpOnly_' prefixes
 * allowed) for url's host as the Cookie header matches it (NULL: any
 * host; the last one wins): new, or NULL.  Used for ct0, the
 * x-csrf-token, which must be the ct0 the Cookie header carries.
 */
char	*sp_xweb_cookie(const char *path, const char *url, const char *name);

/*
 * A request header "Cookie: n=v; ..." with every cookie of the file at
 * path whose domain matches url's host (domain-match, a leading '.'
 * ignored): new, or NULL when there is none.
 */
char	*sp_xweb_cookie_header(const char *path, const char *url);

#endif
