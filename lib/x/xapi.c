/* xapi: the X API v2 Spaces and users endpoints, as NDJSON records. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "country.h"
#include "err.h"
#include "http.h"
#include "json.h"
#include "xalloc.h"
#include "xapi.h"
#include "banned.h"

/* Every field the API documents (reference §2.2); the id lists come
 * through the expansions, which 2.167 no longer lists as fields. */
#define SPACE_FIELDS "created_at,ended_at,id,is_ticketed,lang," \
	"participant_count,scheduled_start,started_at,state,subscriber_count," \
	"title,updated_at"
#define SPACE_EXPANSIONS "creator_id,host_ids,invited_user_ids," \
	"speaker_ids,topic_ids"
#define USER_FIELDS "created_at,description,location,name,protected," \
	"public_metrics,username,verified"
#define SPACE_QUERY "space.fields=" SPACE_FIELDS "&expansions=" \
	SPACE_EXPANSIONS "&user.fields=" USER_FIELDS \
	"&topic.fields=id,name,description"

int
sp_xapi_init(struct sp_xapi *x, struct sp_http *http, const char *base,
    const char *token, char *err, size_t n)
{
	const char *p;
	size_t k;

	memset(x, 0, sizeof(*x));
	if (token == NULL || *token == '\0')
		return sp_fail(err, n, "the bearer token is empty");
	/* A header cannot carry a line break: never send a broken one. */
	for (p = token; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return sp_fail(err, n, "the bearer token holds a "
			    "character a header cannot carry");
	x->http = http;
	k = strlen(base);
	while (k > 0 && base[k - 1] == '/')
		k--;
	x->base = sp_xstrndup(base, k);
	x->auth = sp_xasprintf("Authorization: Bearer %s", token);
	return 0;
}

void
sp_xapi_release(struct sp_xapi *x)
{
	if (x->auth) {
		/* Do not leave the token lying in freed memory. */
		memset(x->auth, 0, strlen(x->auth));
		free(x->auth);
	}
	free(x->base);
	x->auth = x->base = NULL;
}

int
sp_xapi_user_arg(const char *s, char *buf, size_t n, enum sp_xapi_who *who)
{
	size_t k;
	int digits = 1, at = *s == '@';

	/* "me" may be a handle (1 to 15 characters): only "@me" is special. */
	if (strcmp(s, "@me") == 0 && n > 2) {
		memcpy(buf, "me", 3);
		*who = SP_XAPI_ME;
		return 0;
	}
	if (at)
		s++;
	k = strlen(s);
	if (k == 0 || k >= n || k > 19)
		return -1;
	for (size_t i = 0; i < k; i++) {
		if (!isascii((unsigned char)s[i]) ||
		    !(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return -1;
		if (!isdigit((unsigned char)s[i]))
			digits = 0;
	}
	if ((at || !digits) && k > 15)
		return -1;
	memcpy(buf, s, k + 1);
	*who = digits && !at ? SP_XAPI_ID : SP_XAPI_HANDLE;
	return 0;
}

int
sp_xapi_space_arg(const char *s, char *buf, size_t n)
{
	const char *p;
	size_t k, i;
	int url = 0;

	/* https://x.com/i/spaces/ID or .../ID/peek: the id after spaces/ */
	if (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) {
		if ((p = strstr(s, "/spaces/")) == NULL)
			return -1;
		s = p + 8;
		url = 1;
	}
	k = url ? strcspn(s, "/?#") : strlen(s);
	if (k == 0 || k > 13 || k >= n)
		return -1;
	for (i = 0; i < k; i++)
		if (!isascii((unsigned char)s[i]) ||
		    !isalnum((unsigned char)s[i]))
			return -1;
	memcpy(buf, s, k);
	buf[k] = '\0';
	return 0;
}

/* Text from a server, made safe for one line on a terminal. */
static void
clean(char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			s[i] = ' ';
	if (i > max) {
		s[max - 3] = '.';
		s[max - 2] = '.';
		s[max - 1] = '.';
		s[max] = '\0';
	}
}

/* "https://api.x.com/2/problems/usage-capped" -> "usage-capped" */
static const char *
problem_type(const json_t *o)
{
	const char *t = sp_json_str(o, "type"), *p;

	if (t == NULL)
		return "";
	p = strrchr(t, '/');
	return p ? p + 1 : t;
}

/* camelCase to snake_case, so keys stay snake_case whatever comes. */
static char *
snake(const char *k)
{
	char *o = sp_xmalloc(strlen(k) * 2 + 1), *p = o;

	for (; *k; k++) {
		if (isupper((unsigned char)*k)) {
			if (p > o && p[-1] != '_')
				*p++ = '_';
			*p++ = (char)tolower((unsigned char)*k);
		} else
			*p++ = *k == '-' ? '_' : *k;
	}
	*p = '\0';
	return o;
}

static int
ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* A user as a Space names it: {"user_id","username","name"}. */
static json_t *
user_ref(const json_t *users, const char *id)
{
	json_t *o = json_object(), *u = json_object_get(users, id);

	json_object_set_new(o, "user_id", json_string(id));
	if (sp_json_str(u, "username"))
		json_object_set_new(o, "username",
		    json_string(sp_json_str(u, "username")));
	if (sp_json_str(u, "name"))
		json_object_set_new(o, "name",
		    json_string(sp_json_str(u, "name")));
	return o;
}

/* data[].foo_ids resolved through includes.users into rec[key]. */
static void
resolve_users(json_t *rec, const char *ids_key, const char *key,
    const json_t *users)
{
	json_t *ids = json_object_get(rec, ids_key), *a, *v;
	size_t i;

	if (!json_is_array(ids))
		return;
	a = json_array();
	json_array_foreach(ids, i, v)
		json_array_append_new(a, user_ref(users,
		    json_string_value(v)));
	json_object_set_new(rec, key, a);
}

static json_t *
space_record(const json_t *d, const json_t *users, const json_t *topics)
{
	json_t *rec, *v, *a, *e, *t;
	const char *k, *ck;
	char id[64], *sk, *url;
	size_t i;

	if (!json_is_object(d) || sp_json_id(d, "id", id, sizeof(id)) != 0)
		return NULL;
	rec = sp_rec_new("space", NULL);
	json_object_foreach((json_t *)d, k, v) {
		sk = snake(k);
		if (strcmp(sk, "type") == 0 || strcmp(sk, "source") == 0) {
			char *x = sp_xasprintf("x_%s", sk);

			free(sk);
			sk = x;
		}
		if (strcmp(sk, "id") == 0 || ends_with(sk, "_id")) {
			if (sp_json_idv(v, id, sizeof(id)) == 0)
				json_object_set_new(rec, sk, json_string(id));
		} else if (ends_with(sk, "_ids") && json_is_array(v)) {
			a = json_array();
			json_array_foreach(v, i, e)
				if (sp_json_idv(e, id, sizeof(id)) == 0)
					json_array_append_new(a,
					    json_string(id));
			json_object_set_new(rec, sk, a);
		} else
			json_object_set_new(rec, sk, json_deep_copy(v));
		free(sk);
	}
	if ((ck = sp_json_str(rec, "creator_id")) != NULL)
		json_object_set_new(rec, "creator", user_ref(users, ck));
	resolve_users(rec, "host_ids", "hosts", users);
	resolve_users(rec, "speaker_ids", "speakers", users);
	resolve_users(rec, "invited_user_ids", "invited_users", users);
	if (!json_object_get(rec, "topics") &&
	    json_is_array(v = json_object_get(rec, "topic_ids"))) {
		a = json_array();
		json_array_foreach(v, i, e) {
			t = json_object();
			json_object_set_new(t, "id", json_copy(e));
			if ((ck = sp_json_str(json_object_get(topics,
			    json_string_value(e)), "name")) != NULL)
				json_object_set_new(t, "name", json_string(ck));
			if ((ck = sp_json_str(json_object_get(topics,
			    json_string_value(e)), "description")) != NULL)
				json_object_set_new(t, "description",
				    json_string(ck));
			json_array_append_new(a, t);
		}
		json_object_set_new(rec, "topics", a);
	}
	url = sp_xasprintf("https://x.com/i/spaces/%s",
	    sp_json_str(rec, "id"));
	json_object_set_new(rec, "url", json_string(url));
	free(url);
	json_object_set_new(rec, "source", json_string("api"));
	return rec;
}

static void
copy_str(json_t *rec, const json_t *d, const char *from, const char *to)
{
	const char *s = sp_json_str(d, from);

	if (s != NULL)
		json_object_set_new(rec, to, json_string(s));
}

static void
copy_int(json_t *rec, const json_t *d, const char *from, const char *to)
{
	json_t *v = json_object_get(d, from);

	if (json_is_integer(v) && json_integer_value(v) >= 0)
		json_object_set_new(rec, to, json_integer(
		    json_integer_value(v)));
}

static json_t *
user_record(const json_t *d)
{
	json_t *rec, *pm, *v;
	const char *loc, *cc;
	char id[64];

	if (!json_is_object(d) || sp_json_id(d, "id", id, sizeof(id)) != 0)
		return NULL;
	rec = sp_rec_new("user", NULL);
	json_object_set_new(rec, "id", json_string(id));
	copy_str(rec, d, "username", "username");
	copy_str(rec, d, "name", "name");
	pm = json_object_get(d, "public_metrics");
	copy_int(rec, pm, "followers_count", "followers_count");
	copy_int(rec, pm, "following_count", "following_count");
	/* 2.167 says post_count, the docs and the 2022 spec tweet_count. */
	copy_int(rec, pm, "tweet_count", "post_count");
	copy_int(rec, pm, "post_count", "post_count");
	copy_int(rec, pm, "listed_count", "listed_count");
	copy_int(rec, pm, "like_count", "like_count");
	copy_int(rec, pm, "media_count", "media_count");
	if ((loc = sp_json_str(d, "location")) != NULL) {
		json_object_set_new(rec, "location", json_string(loc));
		if ((cc = sp_country_from_location(loc)) != NULL) {
			json_object_set_new(rec, "country", json_string(cc));
			json_object_set_new(rec, "country_basis",
			    json_string("profile-location"));
		}
	}
	copy_str(rec, d, "created_at", "created_at");
	copy_str(rec, d, "description", "description");
	if (json_is_boolean(v = json_object_get(d, "protected")))
		json_object_set(rec, "protected", v);
	if (json_is_boolean(v = json_object_get(d, "verified")))
		json_object_set(rec, "verified", v);
	json_object_set_new(rec, "source", json_string("api"));
	return rec;
}

/* includes.users (or topics) as an object keyed by id. */
static json_t *
by_id(const json_t *list)
{
	json_t *m = json_object(), *v;
	char id[64];
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_object(v) &&
		    sp_json_id(v, "id", id, sizeof(id)) == 0)
			json_object_set(m, id, v);
	return m;
}

int
sp_xapi_convert(const char *body, size_t len, enum sp_xapi_kind kind,
    json_t **records, json_t **problems, char *err, size_t n)
{
	json_t *root, *data, *inc, *users, *topics, *errs, *v, *rec, *p;
	json_error_t je;
	const char *s;
	char id[64];
	size_t i;

	*records = *problems = NULL;
	if ((root = json_loadb(body, len, 0, &je)) == NULL)
		return sp_fail(err, n, "not JSON: %s", je.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return sp_fail(err, n, "not a JSON object");
	}
	data = json_object_get(root, "data");
	errs = json_object_get(root, "errors");
	if (!json_is_object(data) && !json_is_array(data) &&
	    !json_is_array(errs) && !json_is_object(json_object_get(root,
	    "meta"))) {
		json_decref(root);
		return sp_fail(err, n, "neither data nor errors");
	}
	inc = json_object_get(root, "includes");
	users = by_id(json_object_get(inc, "users"));
	topics = by_id(json_object_get(inc, "topics"));
	*records = json_array();
	*problems = json_array();
	if (json_is_object(data)) {
		rec = kind == SP_XAPI_USERS ? user_record(data) :
		    space_record(data, users, topics);
		if (rec)
			json_array_append_new(*records, rec);
	} else
		json_array_foreach(data, i, v) {
			rec = kind == SP_XAPI_USERS ? user_record(v) :
			    space_record(v, users, topics);
			if (rec)
				json_array_append_new(*records, rec);
		}
	json_array_foreach(errs, i, v) {
		if (!json_is_object(v))
			continue;
		p = json_object();
		if (sp_json_id(v, "resource_id", id, sizeof(id)) == 0 ||
		    sp_json_id(v, "value", id, sizeof(id)) == 0)
			json_object_set_new(p, "id", json_string(id));
		if ((s = sp_json_str(v, "resource_type")) != NULL)
			json_object_set_new(p, "resource_type", json_string(s));
		if ((s = sp_json_str(v, "title")) != NULL)
			json_object_set_new(p, "title", json_string(s));
		if ((s = sp_json_str(v, "detail")) != NULL ||
		    (s = sp_json_str(v, "message")) != NULL)
			json_object_set_new(p, "detail", json_string(s));
		json_object_set_new(p, "type", json_string(problem_type(v)));
		json_array_append_new(*problems, p);
	}
	json_decref(users);
	json_decref(topics);
	json_decref(root);
	return 0;
}

int
sp_xapi_usage_capped(const char *body, size_t len)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	int capped;

	capped = strcmp(problem_type(root), "usage-capped") == 0 ||
	    (sp_json_str(root, "title") &&
	    strcmp(sp_json_str(root, "title"), "UsageCapExceeded") == 0);
	json_decref(root);
	return capped;
}

int
sp_xapi_error(long status, const char *body, size_t len, long reset_in,
    char *err, size_t n)
{
	json_t *root = body ? json_loadb(body, len, 0, NULL) : NULL, *e0;
	const char *type = problem_type(root), *s = NULL;
	char detail[256], wait[64];
	int r;

	e0 = json_array_get(json_object_get(root, "errors"), 0);
	if ((s = sp_json_str(root, "detail")) == NULL &&
	    (s = sp_json_str(root, "title")) == NULL &&
	    (s = sp_json_str(root, "message")) == NULL &&
	    (s = sp_json_str(e0, "message")) == NULL &&
	    (s = sp_json_str(e0, "detail")) == NULL)
		s = status == 401 ? "Unauthorized" : status == 403 ?
		    "Forbidden" : status == 429 ? "Too Many Requests" : "";
	snprintf(detail, sizeof(detail), "%s", s);
	clean(detail, 200);
	wait[0] = '\0';
	if (reset_in >= 0)
		snprintf(wait, sizeof(wait), "; the window resets in %lds",
		    reset_in);
	if (status == 401)
		r = sp_fail(err, n, "the bearer token was rejected "
		    "(HTTP 401: %s)", detail);
	else if (status == 429 && sp_xapi_usage_capped(body, len))
		r = sp_fail(err, n, "usage cap exceeded (HTTP 429: %s)",
		    detail);
	else if (status == 429)
		r = sp_fail(err, n, "rate limited (HTTP 429: %s)%s", detail,
		    wait);
	else if (status == 403 && (strcmp(type, "client-forbidden") == 0 ||
	    sp_json_str(root, "reason") || sp_json_str(root,
	    "required_enrollment")))
		r = sp_fail(err, n, "this token's app has no access to this "
		    "endpoint (HTTP 403: %s)", detail);
	/*
	 * /2/users/me with an app-only token (public issue threads; the
	 * reference has no body).  The same type also refuses a user token
	 * where only an app-only one will do: hence the detail.
	 */
	else if (status == 403 && strcmp(type, "unsupported-authentication")
	    == 0 && strstr(detail, "Application-Only") != NULL)
		r = sp_fail(err, n, "this needs a user-context token, not an "
		    "app-only one: put an OAuth 2.0 user access token in "
		    "SPACES_BEARER_TOKEN or --token-file (HTTP 403: %s)",
		    type);
	else if (status == 403)
		r = sp_fail(err, n, "access denied (HTTP 403: %s)", detail);
	else if (status == 400)
		r = sp_fail(err, n, "the API refused the request "
		    "(HTTP 400: %s)", detail);
	else if (status >= 500)
		r = sp_fail(err, n, "the API failed (HTTP %ld%s%s)", status,
		    *detail ? ": " : "", detail);
	else
		r = sp_fail(err, n, "unexpected answer from the API "
		    "(HTTP %ld%s%s)", status, *detail ? ": " : "", detail);
	json_decref(root);
	return r;
}

int
sp_xapi_wait_429(void *ctx, const struct sp_http_resp *r)
{
	return !sp_xapi_usage_capped(r->body ? r->body : "", r->len);
}

/*
 * GET base+path and convert the answer: *records (new) and a warning
 * per problem.  SP_XAPI_OK, SP_XAPI_PARTIAL or SP_XAPI_FAIL.
 */
static int
fetch(struct sp_xapi *x, const char *path, enum sp_xapi_kind kind,
    json_t **records, char *err, size_t en)
{
	struct sp_http_resp r;
	const char *hdrs[] = { x->auth, "Accept: application/json", NULL };
	json_t *probs = NULL, *p;
	char *url, why[512], *msg;
	const char *id, *d;
	size_t i;
	int rc, status = SP_XAPI_OK;

	*records = NULL;
	memset(&r, 0, sizeof(r));
	url = sp_xasprintf("%s%s", x->base, path);
	rc = sp_http_get(x->http, url, hdrs, &r, why, sizeof(why));
	free(url);
	if (rc != SP_HTTP_OK) {
		sp_http_resp_release(&r);
		return sp_fail(err, en, "%s", why);
	}
	if (r.status < 200 || r.status > 299) {
		sp_xapi_error(r.status, r.body, r.len, r.status == 429 ?
		    sp_http_retry_after(&r, (long)time(NULL)) : -1, err, en);
		sp_http_resp_release(&r);
		return SP_XAPI_FAIL;
	}
	if (sp_xapi_convert(r.body ? r.body : "", r.len, kind, records,
	    &probs, why, sizeof(why)) != 0) {
		sp_http_resp_release(&r);
		return sp_fail(err, en, "malformed answer from the API: %s",
		    why);
	}
	sp_http_resp_release(&r);
	json_array_foreach(probs, i, p) {
		id = sp_json_str(p, "id");
		if ((d = sp_json_str(p, "detail")) == NULL &&
		    (d = sp_json_str(p, "title")) == NULL)
			d = sp_json_str(p, "type");
		msg = id ? sp_xasprintf("'%s': %s", id, d) :
		    sp_xasprintf("%s", d);
		clean(msg, strlen(msg) > 300 ? 300 : strlen(msg));
		if (x->warn)
			x->warn(x->ctx, msg);
		free(msg);
		status = SP_XAPI_PARTIAL;
	}
	json_decref(probs);
	return status;
}

/* Emit records (filtered by state for spaces); how many went out. */
static size_t
emit_all(struct sp_xapi *x, json_t *records)
{
	json_t *v;
	const char *st;
	size_t i, k = 0;

	json_array_foreach(records, i, v) {
		st = sp_json_str(v, "state");
		if (x->state && strcmp(sp_rec_type(v), "space") == 0 &&
		    (st == NULL || strcmp(st, x->state) != 0))
			continue;
		x->emit(x->ctx, json_incref(v));
		k++;
	}
	return k;
}

static void
upd(int *status, int rc)
{
	if (rc > *status)
		*status = rc;
}

/* A comma-separated, escaped list of v[from..to). */
static char *
join(char *const *v, size_t from, size_t to)
{
	size_t i, k = 1, l;
	char *s, *p, *e;

	for (i = from; i < to; i++)
		k += strlen(v[i]) * 3 + 1;
	p = s = sp_xmalloc(k);
	for (i = from; i < to; i++) {
		e = sp_http_escape(v[i]);
		if (i > from)
			*p++ = ',';
		l = strlen(e);
		memcpy(p, e, l);
		p += l;
		free(e);
	}
	*p = '\0';
	return s;
}

/*
 * Users by id, by handle or "@me", SP_XAPI_BATCH a request, appended to
 * out.  Returns the worst status, SP_XAPI_FAIL at the first failure.
 */
static int
user_batches(struct sp_xapi *x, char *const *v, size_t n,
    enum sp_xapi_who who, json_t *out, char *err, size_t en)
{
	char *list, *path, why[512];
	size_t i, j;
	json_t *recs;
	int rc, status = SP_XAPI_OK;

	for (i = 0; i < n; i += SP_XAPI_BATCH) {
		j = i + SP_XAPI_BATCH < n ? i + SP_XAPI_BATCH : n;
		list = join(v, i, j);
		/* @me and a lone handle have endpoints; more: a batch. */
		if (who == SP_XAPI_ME)
			path = sp_xasprintf("/2/users/me?user.fields=%s",
			    USER_FIELDS);
		else if (who == SP_XAPI_ID)
			path = sp_xasprintf("/2/users?ids=%s&user.fields=%s",
			    list, USER_FIELDS);
		else if (j - i == 1)
			path = sp_xasprintf("/2/users/by/username/%s"
			    "?user.fields=%s", list, USER_FIELDS);
		else
			path = sp_xasprintf("/2/users/by?usernames=%s"
			    "&user.fields=%s", list, USER_FIELDS);
		free(list);
		rc = fetch(x, path, SP_XAPI_USERS, &recs, why, sizeof(why));
		free(path);
		/* Say which: only @me needs a user-context token. */
		if (rc == SP_XAPI_FAIL)
			return sp_fail(err, en, "%s%s", who == SP_XAPI_ME ?
			    "'@me': " : "", why);
		upd(&status, rc);
		json_array_extend(out, recs);
		json_decref(recs);
	}
	return status;
}

/* Look up users (@me, ids, handles, in batches): *out a new array. */
static int
lookup_users(struct sp_xapi *x, char *const *users, size_t n, json_t **out,
    char *err, size_t en)
{
	char **v[SP_XAPI_HANDLE + 1], buf[64];
	size_t nv[SP_XAPI_HANDLE + 1] = { 0 }, i;
	enum sp_xapi_who who;
	int k, rc = SP_XAPI_OK, status = SP_XAPI_OK;

	*out = json_array();
	for (k = 0; k <= SP_XAPI_HANDLE; k++)
		v[k] = sp_xcalloc(n + 1, sizeof(*v[k]));
	for (i = 0; i < n; i++) {
		if (sp_xapi_user_arg(users[i], buf, sizeof(buf), &who) != 0) {
			status = sp_fail(err, en, "'%s': not a user", users[i]);
			goto out;
		}
		/* @me twice is one request. */
		if (who != SP_XAPI_ME || nv[who] == 0)
			v[who][nv[who]++] = sp_xstrdup(buf);
	}
	/* In enum order: @me, ids, handles. */
	for (k = 0; k <= SP_XAPI_HANDLE && rc != SP_XAPI_FAIL; k++) {
		rc = user_batches(x, v[k], nv[k], (enum sp_xapi_who)k, *out,
		    err, en);
		upd(&status, rc);
	}
	if (rc == SP_XAPI_FAIL)
		status = rc;
out:
	for (k = 0; k <= SP_XAPI_HANDLE; k++) {
		for (i = 0; i < nv[k]; i++)
			free(v[k][i]);
		free(v[k]);
	}
	return status;
}

int
sp_xapi_users(struct sp_xapi *x, char *const *users, size_t n, char *err,
    size_t en)
{
	json_t *recs;
	int rc;

	rc = lookup_users(x, users, n, &recs, err, en);
	if (rc != SP_XAPI_FAIL)
		emit_all(x, recs);
	json_decref(recs);
	return rc;
}

/* GET path+list in batches of ids; emits the spaces.  *emitted counts. */
static int
space_batches(struct sp_xapi *x, const char *path, char *const *ids,
    size_t n, size_t *emitted, char *err, size_t en)
{
	size_t i, j;
	char *list, *p;
	json_t *recs;
	int rc, status = SP_XAPI_OK;

	for (i = 0; i < n; i += SP_XAPI_BATCH) {
		j = i + SP_XAPI_BATCH < n ? i + SP_XAPI_BATCH : n;
		list = join(ids, i, j);
		p = sp_xasprintf("%s%s&" SPACE_QUERY, path, list);
		free(list);
		rc = fetch(x, p, SP_XAPI_SPACES, &recs, err, en);
		free(p);
		if (rc == SP_XAPI_FAIL)
			return rc;
		upd(&status, rc);
		*emitted += emit_all(x, recs);
		json_decref(recs);
	}
	return status;
}

int
sp_xapi_spaces(struct sp_xapi *x, char *const *ids, size_t n, char *err,
    size_t en)
{
	char **v = sp_xcalloc(n + 1, sizeof(*v)), buf[64];
	size_t i, emitted = 0;
	int rc = SP_XAPI_OK;

	for (i = 0; i < n && rc == SP_XAPI_OK; i++) {
		if (sp_xapi_space_arg(ids[i], buf, sizeof(buf)) != 0)
			rc = sp_fail(err, en, "'%s': not a Space id", ids[i]);
		v[i] = sp_xstrdup(buf);
	}
	if (rc == SP_XAPI_OK)
		rc = space_batches(x, "/2/spaces?ids=", v, n, &emitted, err,
		    en);
	/* Not in the state asked (is it live?): the answer is "no". */
	if (rc == SP_XAPI_OK && emitted == 0)
		rc = SP_XAPI_PARTIAL;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc;
}

int
sp_xapi_creators(struct sp_xapi *x, char *const *users, size_t n,
    char *err, size_t en)
{
	json_t *recs, *u;
	char **ids;
	size_t i, k = 0, emitted = 0;
	int rc, rc2;

	rc = lookup_users(x, users, n, &recs, err, en);
	if (rc == SP_XAPI_FAIL) {
		json_decref(recs);
		return rc;
	}
	ids = sp_xcalloc(json_array_size(recs) + 1, sizeof(*ids));
	json_array_foreach(recs, i, u)
		ids[k++] = sp_xstrdup(sp_json_str(u, "id"));
	json_decref(recs);
	rc2 = k ? space_batches(x, "/2/spaces/by/creator_ids?user_ids=", ids,
	    k, &emitted, err, en) : SP_XAPI_OK;
	for (i = 0; i < k; i++)
		free(ids[i]);
	free(ids);
	if (rc2 == SP_XAPI_FAIL)
		return rc2;
	/* Nobody live (or scheduled): the answer is "no". */
	return rc2 > rc ? rc2 : emitted ? rc : SP_XAPI_PARTIAL;
}

int
sp_xapi_search(struct sp_xapi *x, const char *query, char *err, size_t en)
{
	json_t *recs;
	char *q, *p;
	const char *st = x->state;
	int rc;

	if (*query == '\0' || strlen(query) > 2048)
		return sp_fail(err, en, "the query must have 1 to 2048 "
		    "characters");
	q = sp_http_escape(query);
	p = sp_xasprintf("/2/spaces/search?query=%s&state=%s&max_results=100&"
	    SPACE_QUERY, q, st ? st : "all");
	free(q);
	rc = fetch(x, p, SP_XAPI_SPACES, &recs, err, en);
	free(p);
	if (rc == SP_XAPI_FAIL)
		return rc;
	if (emit_all(x, recs) == 0 && rc == SP_XAPI_OK)
		rc = SP_XAPI_PARTIAL;
	json_decref(recs);
	return rc;
}
