/* t_xapi: API answers to records, error lines, operands, redaction. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http.h"
#include "json.h"
#include "xapi.h"
#include "t.h"
#include "banned.h"

static int
conv(const char *body, enum sp_xapi_kind k, json_t **recs, json_t **probs)
{
	char err[256];

	return sp_xapi_convert(body, strlen(body), k, recs, probs, err,
	    sizeof(err));
}

static char *
err_of(long status, const char *body, long reset)
{
	static char err[512];

	sp_xapi_error(status, body, body ? strlen(body) : 0, reset, err,
	    sizeof(err));
	return err;
}

static void
t_convert(void)
{
	json_t *r, *p, *s;

	/* The docs' example, with integer ids: strings come out. */
	T_INT(conv("{\"data\":{\"id\":\"1zqKVXPQhvZJB\",\"state\":\"live\","
	    "\"creator_id\":2244994945,\"host_ids\":[2244994945,\"6253282\"],"
	    "\"participant_count\":420,\"isTicketed\":false},"
	    "\"includes\":{\"users\":[{\"id\":\"2244994945\",\"name\":\"Twitter"
	    " Dev\",\"username\":\"TwitterDev\"}]}}", SP_XAPI_SPACES, &r, &p),
	    0);
	T_INT(json_array_size(r), 1);
	s = json_array_get(r, 0);
	T_STR(sp_rec_type(s), "space");
	T_STR(sp_json_str(s, "creator_id"), "2244994945");
	T_STR(json_string_value(json_array_get(json_object_get(s,
	    "host_ids"), 0)), "2244994945");
	T_STR(sp_json_str(json_object_get(s, "creator"), "username"),
	    "TwitterDev");
	T_STR(sp_json_str(json_array_get(json_object_get(s, "hosts"), 1),
	    "user_id"), "6253282");
	T_OK(json_object_get(json_array_get(json_object_get(s, "hosts"), 1),
	    "username") == NULL);
	T_OK(json_is_false(json_object_get(s, "is_ticketed")));
	T_STR(sp_json_str(s, "source"), "api");
	T_STR(sp_json_str(s, "url"), "https://x.com/i/spaces/1zqKVXPQhvZJB");
	T_INT(json_array_size(p), 0);
	json_decref(r);
	json_decref(p);

	/* Partial errors beside data. */
	T_INT(conv("{\"data\":[{\"id\":\"a\"}],\"errors\":[{\"resource_id\":"
	    "\"b\",\"resource_type\":\"space\",\"title\":\"Not Found Error\","
	    "\"detail\":\"Could not find space with id: [b].\",\"type\":"
	    "\"https://api.x.com/2/problems/resource-not-found\"}]}",
	    SP_XAPI_SPACES, &r, &p), 0);
	T_INT(json_array_size(r), 1);
	T_INT(json_array_size(p), 1);
	T_STR(sp_json_str(json_array_get(p, 0), "id"), "b");
	T_STR(sp_json_str(json_array_get(p, 0), "type"), "resource-not-found");
	json_decref(r);
	json_decref(p);

	/* Users: tweet_count or post_count, the country when sure. */
	T_INT(conv("{\"data\":{\"id\":\"1\",\"username\":\"u\",\"location\":"
	    "\"Austin, TX\",\"public_metrics\":{\"followers_count\":6210,"
	    "\"following_count\":5,\"tweet_count\":7}}}", SP_XAPI_USERS, &r,
	    &p), 0);
	s = json_array_get(r, 0);
	T_STR(sp_json_str(s, "country"), "US");
	T_STR(sp_json_str(s, "country_basis"), "profile-location");
	T_INT(json_integer_value(json_object_get(s, "followers_count")), 6210);
	T_INT(json_integer_value(json_object_get(s, "post_count")), 7);
	json_decref(r);
	json_decref(p);
	T_INT(conv("{\"data\":{\"id\":\"1\",\"location\":\"Earth\"}}",
	    SP_XAPI_USERS, &r, &p), 0);
	T_OK(json_object_get(json_array_get(r, 0), "country") == NULL);
	T_OK(json_object_get(json_array_get(r, 0), "followers_count") == NULL);
	json_decref(r);
	json_decref(p);

	/* Not an answer. */
	T_INT(conv("[1]", SP_XAPI_USERS, &r, &p), -1);
	T_INT(conv("{\"x\":1}", SP_XAPI_USERS, &r, &p), -1);
	T_INT(conv("<html>", SP_XAPI_USERS, &r, &p), -1);
	T_OK(r == NULL && p == NULL);
	/* No id: no record. */
	T_INT(conv("{\"data\":[{\"state\":\"live\"},7,null]}", SP_XAPI_SPACES,
	    &r, &p), 0);
	T_INT(json_array_size(r), 0);
	json_decref(r);
	json_decref(p);
}

static void
t_errors(void)
{
	T_STR(err_of(401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank"
	    "\",\"status\":401,\"detail\":\"Unauthorized\"}", -1),
	    "the bearer token was rejected (HTTP 401: Unauthorized)");
	T_STR(err_of(401, NULL, -1),
	    "the bearer token was rejected (HTTP 401: Unauthorized)");
	T_STR(err_of(429, "{\"title\":\"UsageCapExceeded\",\"detail\":\"Usage "
	    "cap exceeded: Monthly product cap\",\"type\":\"https://api.twitter"
	    ".com/2/problems/usage-capped\",\"period\":\"Monthly\",\"scope\":"
	    "\"Product\"}", 100), "usage cap exceeded (HTTP 429: Usage cap "
	    "exceeded: Monthly product cap)");
	T_STR(err_of(429, "{\"errors\":[{\"code\":88,\"message\":\"Rate limit "
	    "exceeded\"}]}", 5), "rate limited (HTTP 429: Rate limit exceeded)"
	    "; the window resets in 5s");
	T_STR(err_of(403, "{\"title\":\"Client Forbidden\",\"detail\":\"no\","
	    "\"reason\":\"client-not-enrolled\",\"type\":\"https://api.twitter"
	    ".com/2/problems/client-forbidden\"}", -1), "this token's app has "
	    "no access to this endpoint (HTTP 403: no)");
	/* /2/users/me with an app-only token; the other way round. */
	T_STR(err_of(403, "{\"title\":\"Unsupported Authentication\","
	    "\"detail\":\"Authenticating with OAuth 2.0 Application-Only is "
	    "forbidden for this endpoint.  Supported authentication types are "
	    "[OAuth 1.0a User Context, OAuth 2.0 User Context].\",\"type\":"
	    "\"https://api.twitter.com/2/problems/unsupported-authentication"
	    "\",\"status\":403}", -1), "this needs a user-context token, not "
	    "an app-only one: put an OAuth 2.0 user access token in "
	    "SPACES_BEARER_TOKEN or --token-file (HTTP 403: "
	    "unsupported-authentication)");
	T_STR(err_of(403, "{\"title\":\"Unsupported Authentication\","
	    "\"detail\":\"Authenticating with OAuth 1.0a User Context is "
	    "forbidden for this endpoint.\",\"type\":\"https://api.twitter."
	    "com/2/problems/unsupported-authentication\"}", -1), "access "
	    "denied (HTTP 403: Authenticating with OAuth 1.0a User Context is "
	    "forbidden for this endpoint.)");
	T_STR(err_of(403, NULL, -1), "access denied (HTTP 403: Forbidden)");
	T_STR(err_of(400, "{\"title\":\"Invalid Request\",\"detail\":\"bad\\n"
	    "line\"}", -1), "the API refused the request (HTTP 400: bad line)");
	T_STR(err_of(502, "<html>", -1), "the API failed (HTTP 502)");
	T_OK(sp_xapi_usage_capped("{\"type\":\"x/usage-capped\"}", 25));
	T_OK(!sp_xapi_usage_capped("{\"title\":\"Too Many Requests\"}", 30));
	T_OK(!sp_xapi_usage_capped("", 0));
}

static void
t_args(void)
{
	char b[64];
	enum sp_xapi_who who;

	T_INT(sp_xapi_user_arg("@TwitterDev", b, sizeof(b), &who), 0);
	T_STR(b, "TwitterDev");
	T_INT(who, SP_XAPI_HANDLE);
	T_INT(sp_xapi_user_arg("2244994945", b, sizeof(b), &who), 0);
	T_INT(who, SP_XAPI_ID);
	T_INT(sp_xapi_user_arg("@123", b, sizeof(b), &who), 0);
	T_INT(who, SP_XAPI_HANDLE);
	/* "@me" is the token's account; "me" and "@Me" are handles. */
	T_INT(sp_xapi_user_arg("@me", b, sizeof(b), &who), 0);
	T_INT(who, SP_XAPI_ME);
	T_STR(b, "me");
	T_INT(sp_xapi_user_arg("me", b, sizeof(b), &who), 0);
	T_INT(who, SP_XAPI_HANDLE);
	T_STR(b, "me");
	T_INT(sp_xapi_user_arg("@Me", b, sizeof(b), &who), 0);
	T_INT(who, SP_XAPI_HANDLE);
	T_INT(sp_xapi_user_arg("@me", b, 2, &who), -1);
	T_INT(sp_xapi_user_arg("@", b, sizeof(b), &who), -1);
	T_INT(sp_xapi_user_arg("a b", b, sizeof(b), &who), -1);
	T_INT(sp_xapi_user_arg("sixteen_chars_xx", b, sizeof(b), &who), -1);
	T_INT(sp_xapi_user_arg("12345678901234567890", b, sizeof(b), &who),
	    -1);
	T_INT(sp_xapi_space_arg("1ypKdEXvkMLGW", b, sizeof(b)), 0);
	T_STR(b, "1ypKdEXvkMLGW");
	T_INT(sp_xapi_space_arg("https://x.com/i/spaces/1ypKdEXvkMLGW?s=20", b,
	    sizeof(b)), 0);
	T_STR(b, "1ypKdEXvkMLGW");
	T_INT(sp_xapi_space_arg("1ypKdEXvkMLGW/peek", b, sizeof(b)), -1);
	T_INT(sp_xapi_space_arg("12345678901234", b, sizeof(b)), -1);
	T_INT(sp_xapi_space_arg("https://x.com/home", b, sizeof(b)), -1);
	T_INT(sp_xapi_space_arg("", b, sizeof(b)), -1);
}

static void
t_redact(void)
{
	char *s;

	T_STR(s = sp_http_redact("Authorization: Bearer abc"),
	    "Authorization: [redacted]");
	free(s);
	T_STR(s = sp_http_redact("cookie: a=b"), "cookie: [redacted]");
	free(s);
	T_STR(s = sp_http_redact("Set-Cookie: a=b"), "Set-Cookie: [redacted]");
	free(s);
	T_STR(s = sp_http_redact("Accept: */*"), "Accept: */*");
	free(s);
	T_STR(s = sp_http_redact("GET /x HTTP/1.1"), "GET /x HTTP/1.1");
	free(s);
}

static void
t_init(void)
{
	struct sp_xapi x;
	char err[128];

	T_INT(sp_xapi_init(&x, NULL, "http://h/", "tok", err, sizeof(err)), 0);
	T_STR(x.base, "http://h");
	T_STR(x.auth, "Authorization: Bearer tok");
	sp_xapi_release(&x);
	T_INT(sp_xapi_init(&x, NULL, "http://h", "a\r\nX: y", err,
	    sizeof(err)), -1);
	T_INT(sp_xapi_init(&x, NULL, "http://h", "", err, sizeof(err)), -1);
}

int
main(void)
{
	t_convert();
	t_errors();
	t_args();
	t_redact();
	t_init();
	return t_done();
}
