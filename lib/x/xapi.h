/* xapi: the X API v2 Spaces and users endpoints, as NDJSON records. */
#ifndef SP_XAPI_H
#define SP_XAPI_H

#include <stddef.h>

#include <jansson.h>

#include "http.h"

#define SP_XAPI_URL	"https://api.x.com"
#define SP_XAPI_BATCH	100	/* ids per request (the API's maximum) */

/* What a response body holds. */
enum sp_xapi_kind {
	SP_XAPI_USERS,
	SP_XAPI_SPACES
};

/* What a call returns. */
enum {
	SP_XAPI_OK = 0,		/* every record printed */
	SP_XAPI_PARTIAL = 1,	/* some ids were not found (warned) */
	SP_XAPI_FAIL = -1	/* err says why: exit 3 */
};

struct sp_xapi {
	struct sp_http *http;		/* borrowed */
	char	*base;			/* owned, without a trailing slash */
	char	*auth;			/* owned: the Authorization line */
	/* A per-id problem inside a 200 answer, for a warning. */
	void	(*warn)(void *ctx, const char *msg);
	/* Each record as it comes (stolen by the callee). */
	void	(*emit)(void *ctx, json_t *rec);
	void	*ctx;
	const char *state;		/* live, scheduled or NULL for all */
};

/*
 * Set up x over http.  token is copied into the Authorization header and
 * must be printable ASCII without blanks: returns -1 with err otherwise.
 */
int	sp_xapi_init(struct sp_xapi *x, struct sp_http *http, const char *base,
	    const char *token, char *err, size_t n);
void	sp_xapi_release(struct sp_xapi *x);

/* What a USER operand names, in the order they are looked up. */
enum sp_xapi_who {
	SP_XAPI_ME,		/* "@me": the token's own account */
	SP_XAPI_ID,		/* a numeric user id */
	SP_XAPI_HANDLE		/* a handle, "me" included */
};

/*
 * USER operands: "@handle", "handle", a numeric id ("@123" is the
 * handle 123) or "@me".  Returns 0, or -1 for a malformed one.  On
 * success *who says which, and the bare name or id is in buf.
 */
int	sp_xapi_user_arg(const char *s, char *buf, size_t n,
	    enum sp_xapi_who *who);
/* A Space id or an x.com/i/spaces/ID URL: 0 with the id in buf, or -1. */
int	sp_xapi_space_arg(const char *s, char *buf, size_t n);

/* Each emits records and warns through x; SP_XAPI_* as above. */
int	sp_xapi_users(struct sp_xapi *x, char *const *users, size_t n,
	    char *err, size_t en);
int	sp_xapi_spaces(struct sp_xapi *x, char *const *ids, size_t n,
	    char *err, size_t en);
int	sp_xapi_creators(struct sp_xapi *x, char *const *users, size_t n,
	    char *err, size_t en);
int	sp_xapi_search(struct sp_xapi *x, const char *query, char *err,
	    size_t en);

/*
 * The parser, apart from the network: a 200 body to records.  Sets
 * *records (new array of user or space records) and *problems (new
 * array of {"id","title","detail","type"} per-id errors) and returns 0,
 * or -1 with err when the body is not an API answer.
 */
int	sp_xapi_convert(const char *body, size_t len, enum sp_xapi_kind kind,
	    json_t **records, json_t **problems, char *err, size_t n);

/*
 * A non-2xx answer as one line for a person: "the bearer token was
 * rejected (HTTP 401: Unauthorized)", a usage cap, no access, an
 * app-only token where only a user-context one will do, ...
 * Always returns -1 (sp_fail).
 */
int	sp_xapi_error(long status, const char *body, size_t len, long reset_in,
	    char *err, size_t n);

/* For sp_http_opts.wait_429: wait unless the 429 is a usage cap. */
int	sp_xapi_wait_429(void *ctx, const struct sp_http_resp *r);

/* 1 when a 429 body is a usage cap (waiting does not lift it), else 0. */
int	sp_xapi_usage_capped(const char *body, size_t len);

#endif
