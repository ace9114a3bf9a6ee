/* xweb: a Space id or URL to its stream, through X's web endpoints. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "err.h"
#include "http.h"
#include "json.h"
#include "xalloc.h"
#include "xweb.h"
#include "banned.h"

static int
id_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 13)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

int
sp_xweb_space_id(const char *arg, char *id, size_t n)
{
	static const char *const hosts[] = { "x.com", "twitter.com",
	    "www.x.com", "www.twitter.com", "mobile.x.com",
	    "mobile.twitter.com", NULL };
	const char *p = arg, *h;
	size_t k, i;

	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	else {
		k = strlen(p);
		if (!id_ok(p, k) || k + 1 > n)
			return -1;
		memcpy(id, p, k + 1);
		return 0;
	}
	h = p;
	k = strcspn(h, "/?#");
	for (i = 0; hosts[i] != NULL; i++)
		if (strlen(hosts[i]) == k && strncasecmp(h, hosts[i], k) == 0)
			break;
	if (hosts[i] == NULL)
		return -1;
	p = h + k;
	if (strncmp(p, "/i/spaces/", 10) != 0)
		return -1;
	p += 10;
	k = strcspn(p, "/?#");
	if (!id_ok(p, k) || k + 1 > n)
		return -1;
	memcpy(id, p, k);
	id[k] = '\0';
	return 0;
}

/* web without trailing slashes: new. */
static char *
trim_web(const char *web)
{
	size_t k = strlen(web);

	while (k > 0 && web[k - 1] == '/')
		k--;
	return sp_xstrndup(web, k);
}

char *
sp_xweb_space_url(const char *web, const char *query_id,
    const char *space_id, const char *features)
{
	char *w = trim_web(web), *vars, *v, *f, *u;

	vars = sp_xasprintf("{\"id\":\"%s\",\"isMetatagsQuery\":true,"
	    "\"withReplays\":true,\"withListeners\":true}", space_id);
	v = sp_http_escape(vars);
	f = sp_http_escape(features != NULL ? features : "{}");
	u = sp_xasprintf("%s/i/api/graphql/%s/AudioSpaceById?variables=%s"
	    "&features=%s", w, query_id, v, f);
	free(w);
	free(vars);
	free(v);
	free(f);
	return u;
}

char *
sp_xweb_status_url(const char *web, const char *media_key)
{
	char *w = trim_web(web), *k = sp_http_escape(media_key), *u;

	u = sp_xasprintf("%s/i/api/1.1/live_video_stream/status/%s", w, k);
	free(w);
	free(k);
	return u;
}

static char *
dupstr(const json_t *o, const char *key)
{
	const char *s = sp_json_str(o, key);

	return s != NULL && *s ? sp_xstrdup(s) : NULL;
}

/* A time in ms: a number or a string of digits.  0 when absent or odd. */
static long long
ms(const json_t *o, const char *key)
{
	double v;

	if (sp_json_num(o, key, &v) != 0 || !(v > 0) || v > 1e15)
		return 0;
	return (long long)v;
}

static json_t *
path(json_t *o, const char *const *keys)
{
	for (; *keys != NULL && o != NULL; keys++)
		o = json_is_object(o) ? json_object_get(o, *keys) : NULL;
	return o;
}

int
sp_xweb_parse_space(const char *body, size_t len, struct sp_xweb_space *s,
    char *err, size_t errlen)
{
	static const char *const mpath[] = { "data", "audioSpace",
	    "metadata", NULL };
	static const char *const cpath[] = { "creator_results", "result",
	    NULL };
	json_t *root, *m, *c, *sub, *e, *v;
	json_error_t je;
	const char *msg;
	char buf[64];
	int rc = -1;

	memset(s, 0, sizeof(*s));
	s->replay = -1;
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return sp_fail(err, errlen, "AudioSpaceById: not a JSON "
		    "object");
	}
	m = path(root, mpath);
	if (!json_is_object(m)) {
		e = json_object_get(root, "errors");
		msg = json_is_array(e) && json_array_size(e) > 0 ?
		    sp_json_str(json_array_get(e, 0), "message") : NULL;
		if (msg != NULL)
			sp_fail(err, errlen, "AudioSpaceById: %s", msg);
		else
			sp_fail(err, errlen, "AudioSpaceById: no such Space "
			    "(no metadata in the answer)");
		goto out;
	}
	if (sp_json_id(m, "rest_id", buf, sizeof(buf)) == 0)
		s->id = sp_xstrdup(buf);
	s->state = dupstr(m, "state");
	s->media_key = dupstr(m, "media_key");
	s->title = dupstr(m, "title");
	s->started_at = ms(m, "started_at");
	s->scheduled_start = ms(m, "scheduled_start");
	s->created_at = ms(m, "created_at");
	s->ended_at = ms(m, "ended_at");
	v = json_object_get(m, "is_space_available_for_replay");
	if (json_is_boolean(v))
		s->replay = json_is_true(v);
	c = path(m, cpath);
	if (json_is_object(c)) {
		if (sp_json_id(c, "rest_id", buf, sizeof(buf)) == 0)
			s->creator_id = sp_xstrdup(buf);
		/* Late 2025 moved the names from legacy to core. */
		sub = json_object_get(c, "core");
		if (json_is_object(sub)) {
			s->creator_name = dupstr(sub, "name");
			s->creator_screen_name = dupstr(sub, "screen_name");
		}
		sub = json_object_get(c, "legacy");
		if (json_is_object(sub)) {
			if (s->creator_name == NULL)
				s->creator_name = dupstr(sub, "name");
			if (s->creator_screen_name == NULL)
				s->creator_screen_name = dupstr(sub,
				    "screen_name");
		}
	}
	rc = 0;
out:
	json_decref(root);
	if (rc != 0)
		sp_xweb_space_release(s);
	return rc;
}

void
sp_xweb_space_release(struct sp_xweb_space *s)
{
	free(s->id);
	free(s->state);
	free(s->media_key);
	free(s->title);
	free(s->creator_id);
	free(s->creator_name);
	free(s->creator_screen_name);
	memset(s, 0, sizeof(*s));
	s->replay = -1;
}

enum sp_xweb_phase
sp_xweb_phase(const struct sp_xweb_space *s)
{
	const char *st = s->state;

	if (st == NULL)
		return SP_XWEB_UNKNOWN;
	if (strcasecmp(st, "NotStarted") == 0 ||
	    strcasecmp(st, "PrePublished") == 0)
		return SP_XWEB_SCHEDULED;
	if (strcasecmp(st, "Running") == 0)
		return SP_XWEB_LIVE;
	if (strcasecmp(st, "Ended") == 0 || strcasecmp(st, "TimedOut") == 0)
		return SP_XWEB_ENDED;
	if (strcasecmp(st, "Canceled") == 0)
		return SP_XWEB_CANCELED;
	return SP_XWEB_UNKNOWN;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* s with %XX decoded: new. */
static char *
qdec(const char *s)
{
	char *o = sp_xmalloc(strlen(s) + 1), *q = o;
	int a, b;

	for (; *s; s++) {
		if (*s == '%' && (a = hexval((unsigned char)s[1])) >= 0 &&
		    (b = hexval((unsigned char)s[2])) >= 0) {
			*q++ = (char)(a * 16 + b);
			s += 2;
		} else
			*q++ = *s;
	}
	*q = '\0';
	return o;
}

static int
is_http(const char *u)
{
	return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

char *
sp_xweb_parse_status(const char *body, size_t len, char *err, size_t errlen)
{
	static const char *const keys[] = { "noRedirectPlaybackUrl",
	    "location", NULL };
	json_t *root, *src;
	json_error_t je;
	const char *u = NULL, *w;
	char *r = NULL, *d;
	size_t i;

	root = json_loadb(body, len, 0, &je);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		sp_fail(err, errlen, "live_video_stream/status: not a JSON "
		    "object");
		return NULL;
	}
	src = json_object_get(root, "source");
	for (i = 0; keys[i] != NULL && json_is_object(src); i++)
		if ((u = sp_json_str(src, keys[i])) != NULL && *u)
			break;
	if (u == NULL || *u == '\0') {
		sp_fail(err, errlen, "live_video_stream/status: no playlist "
		    "URL in the answer");
		goto out;
	}
	/* .../authorized_status/...?url=<real url> */
	if (strstr(u, "/authorized_status") != NULL &&
	    (w = strstr(u, "?url=")) != NULL) {
		d = qdec(w + 5);
		if (is_http(d))
			r = d;
		else
			free(d);
	} else if (is_http(u))
		r = sp_xstrdup(u);
	if (r == NULL)
		sp_fail(err, errlen, "live_video_stream/status: the playlist "
		    "URL is not http(s)");
out:
	json_decref(root);
	return r;
}

/*
 * Each cookie of the Netscape file at path for host (NULL: any host), in
 * file order, to fn.  -1 when the file cannot be read.
 */
static int
each_cookie(const char *path, const char *host,
    void (*fn)(void *ctx, const char *name, const char *value), void *ctx)
{
	FILE *fp;
	char line[8192], *f[7], *p, *dom;
	size_t k, hl, dl;
	int n;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		p = line;
		if (strncmp(p, "#HttpOnly_", 10) == 0)
			p += 10;
		else if (*p == '#')
			continue;
		k = strcspn(p, "\r\n");
		p[k] = '\0';
		for (n = 0; n < 7; n++) {
			f[n] = p;
			if ((p = strchr(p, '\t')) == NULL)
				break;
			*p++ = '\0';
		}
		if (n != 6 || p != NULL || *f[5] == '\0')
			continue;
		if (host != NULL) {
			dom = f[0] + (*f[0] == '.');
			hl = strlen(host);
			dl = strlen(dom);
			if (dl == 0 || dl > hl || strcasecmp(host + hl - dl,
			    dom) != 0 || (dl < hl && host[hl - dl - 1] != '.'))
				continue;
		}
		fn(ctx, f[5], f[6]);
	}
	fclose(fp);
	return 0;
}

struct one {
	const char	*name;
	char		*value;
};

static void
one_cb(void *ctx, const char *name, const char *value)
{
	struct one *o = ctx;

	if (strcmp(name, o->name) == 0) {
		free(o->value);
		o->value = sp_xstrdup(value);
	}
}

char *
sp_xweb_cookie(const char *path, const char *name)
{
	struct one o;

	o.name = name;
	o.value = NULL;
	(void)each_cookie(path, NULL, one_cb, &o);
	return o.value;
}

static void
all_cb(void *ctx, const char *name, const char *value)
{
	char **h = ctx, *n;

	n = *h ? sp_xasprintf("%s; %s=%s", *h, name, value) :
	    sp_xasprintf("Cookie: %s=%s", name, value);
	free(*h);
	*h = n;
}

char *
sp_xweb_cookie_header(const char *path, const char *url)
{
	char *h = NULL, *host;
	const char *p = strstr(url, "://");
	size_t k;

	p = p ? p + 3 : url;
	k = strcspn(p, ":/?#");
	host = sp_xstrndup(p, k);
	(void)each_cookie(path, host, all_cb, &h);
	free(host);
	return h;
}
