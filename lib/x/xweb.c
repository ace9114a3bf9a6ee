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

/* tslazer TwitterSpace.py get_metadata, commit 7911b2c (2025-11). */
const char sp_xweb_default_features[] =
	"{\"spaces_2022_h2_spaces_communities\":true,"
	"\"spaces_2022_h2_clipping\":true,"
	"\"creator_subscriptions_tweet_preview_api_enabled\":true,"
	"\"profile_label_improvements_pcf_label_in_post_enabled\":true,"
	"\"responsive_web_profile_redirect_enabled\":false,"
	"\"rweb_tipjar_consumption_enabled\":true,"
	"\"verified_phone_label_enabled\":false,"
	"\"premium_content_api_read_enabled\":false,"
	"\"communities_web_enable_tweet_community_results_fetch\":true,"
	"\"c9s_tweet_anatomy_moderator_badge_enabled\":true,"
	"\"responsive_web_grok_analyze_button_fetch_trends_enabled\":false,"
	"\"responsive_web_grok_analyze_post_followups_enabled\":true,"
	"\"responsive_web_jetfuel_frame\":true,"
	"\"responsive_web_grok_share_attachment_enabled\":true,"
	"\"articles_preview_enabled\":true,"
	"\"responsive_web_graphql_skip_user_profile_image_"
	"extensions_enabled\":false,"
	"\"responsive_web_edit_tweet_api_enabled\":true,"
	"\"graphql_is_translatable_rweb_tweet_is_translatable_enabled\":true,"
	"\"view_counts_everywhere_api_enabled\":true,"
	"\"longform_notetweets_consumption_enabled\":true,"
	"\"responsive_web_twitter_article_tweet_consumption_enabled\":true,"
	"\"tweet_awards_web_tipping_enabled\":false,"
	"\"responsive_web_grok_show_grok_translated_post\":false,"
	"\"responsive_web_grok_analysis_button_from_backend\":true,"
	"\"creator_subscriptions_quote_tweet_preview_enabled\":false,"
	"\"freedom_of_speech_not_reach_fetch_enabled\":true,"
	"\"standardized_nudges_misinfo\":true,"
	"\"tweet_with_visibility_results_prefer_gql_limited_"
	"actions_policy_enabled\":true,"
	"\"longform_notetweets_rich_text_read_enabled\":true,"
	"\"longform_notetweets_inline_media_enabled\":true,"
	"\"responsive_web_grok_image_annotation_enabled\":true,"
	"\"responsive_web_grok_imagine_annotation_enabled\":true,"
	"\"responsive_web_graphql_timeline_navigation_enabled\":true,"
	"\"responsive_web_grok_community_note_auto_translation_is_"
	"enabled\":false,"
	"\"responsive_web_enhance_cards_enabled\":false}";

char *
sp_xweb_features(const char *spec, char *err, size_t errlen)
{
	json_t *root, *v;
	json_error_t je;
	const char *k;
	char *out;

	if (spec == NULL)
		spec = sp_xweb_default_features;
	if (spec[0] == '@')
		root = json_load_file(spec + 1, JSON_REJECT_DUPLICATES, &je);
	else
		root = json_loads(spec, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		sp_fail(err, errlen, "%s%s: not JSON (%s)", spec[0] == '@' ?
		    "'" : "", spec[0] == '@' ? spec + 1 : "the value",
		    je.text);
		return NULL;
	}
	if (!json_is_object(root) || json_object_size(root) == 0) {
		json_decref(root);
		sp_fail(err, errlen, "not a JSON object of feature flags "
		    "(X refuses an empty map)");
		return NULL;
	}
	json_object_foreach(root, k, v)
		if (!json_is_boolean(v)) {
			sp_fail(err, errlen, "feature '%.64s' is not true or "
			    "false", k);
			json_decref(root);
			return NULL;
		}
	out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (out == NULL)
		sp_errx(SP_EXIT_ENV, "out of memory");
	return out;
}

char *
sp_xweb_guest_url(const char *api)
{
	char *w = trim_web(api), *u;

	u = sp_xasprintf("%s/1.1/guest/activate.json", w);
	free(w);
	return u;
}

char *
sp_xweb_parse_guest(const char *body, size_t len, char *err, size_t errlen)
{
	json_t *root;
	json_error_t je;
	const char *t;
	char *r = NULL;
	size_t i;

	root = json_loadb(body, len, 0, &je);
	t = json_is_object(root) ? sp_json_str(root, "guest_token") : NULL;
	/* A header value: digits as X gives them, nothing that could
	 * break a header line. */
	if (t != NULL && *t != '\0' && strlen(t) <= 64) {
		for (i = 0; t[i] != '\0'; i++)
			if (!isalnum((unsigned char)t[i]))
				break;
		if (t[i] == '\0')
			r = sp_xstrdup(t);
	}
	if (r == NULL)
		sp_fail(err, errlen, "guest/activate: no guest_token in the "
		    "answer");
	json_decref(root);
	return r;
}

int
sp_xweb_error(const char *body, size_t len, long *code, char *msg, size_t n)
{
	json_t *root, *e, *c;
	json_error_t je;
	const char *m;
	size_t i, k = 0;
	int rc = -1;

	*code = 0;
	if (n > 0)
		msg[0] = '\0';
	root = json_loadb(body, len, 0, &je);
	e = json_is_object(root) ? json_object_get(root, "errors") : NULL;
	e = json_is_array(e) ? json_array_get(e, 0) : NULL;
	if (json_is_object(e)) {
		c = json_object_get(e, "code");
		if (json_is_integer(c))
			*code = (long)json_integer_value(c);
		m = sp_json_str(e, "message");
		for (i = 0; m != NULL && m[i] != '\0' && k + 1 < n; i++)
			if ((unsigned char)m[i] >= 0x20 && m[i] != 0x7f)
				msg[k++] = m[i];
		if (n > 0)
			msg[k] = '\0';
		rc = 0;
	}
	json_decref(root);
	return rc;
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

/* An X user id: digits only, as rest_id is. */
static int
uid_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i > 0 && i < SP_XWEB_UIDMAX;
}

/* A screen name: [A-Za-z0-9_], short (it goes into journal lines). */
static int
uname_ok(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return i > 0 && i < SP_XWEB_NAMEMAX;
}

/*
 * One participant into p: 0, or -1 without an X id.  twspace-crawler
 * (buildUserByParticipant, buildSpaceByAudioSpace) reads the id from
 * user_results.result.rest_id, then user_results.rest_id; its older
 * interface has user.rest_id.  The name is twitter_screen_name, or the
 * user's own screen_name (under legacy, or core since late 2025).
 */
static int
person(json_t *o, struct sp_xweb_person *p)
{
	static const char *const ids[][4] = {
		{ "user_results", "result", NULL },
		{ "user_results", NULL },
		{ "user", NULL }
	};
	static const char *const names[][5] = {
		{ "user_results", "result", "legacy", NULL },
		{ "user_results", "result", "core", NULL }
	};
	char buf[64];
	const char *n;
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (sp_json_id(path(o, ids[i]), "rest_id", buf,
		    sizeof(buf)) == 0 && uid_ok(buf))
			break;
	if (i == sizeof(ids) / sizeof(ids[0]))
		return -1;
	memcpy(p->user_id, buf, strlen(buf) + 1);	/* uid_ok: it fits */
	n = sp_json_str(o, "twitter_screen_name");
	for (i = 0; !uname_ok(n) && i < sizeof(names) / sizeof(names[0]);
	    i++)
		n = sp_json_str(path(o, names[i]), "screen_name");
	if (uname_ok(n))
		memcpy(p->username, n, strlen(n) + 1);	/* it fits */
	return 0;
}

/* The stage of participants (admins, then speakers) into s. */
static void
stage(json_t *parts, struct sp_xweb_space *s)
{
	static const char *const lists[] = { "admins", "speakers", NULL };
	struct sp_xweb_person p;
	json_t *a, *e;
	size_t i, k, j;

	if (!json_is_object(parts))
		return;
	s->has_stage = 1;
	for (k = 0; lists[k] != NULL; k++) {
		a = json_object_get(parts, lists[k]);
		json_array_foreach(a, i, e) {
			if (!json_is_object(e) || person(e, &p) != 0 ||
			    s->nstage == SP_XWEB_STAGEMAX)
				continue;
			for (j = 0; j < s->nstage; j++)
				if (strcmp(s->stage[j].user_id,
				    p.user_id) == 0)
					break;
			if (j < s->nstage)
				continue;	/* an admin who speaks */
			p.admin = k == 0;
			if (s->stage == NULL)
				s->stage = sp_xcalloc(SP_XWEB_STAGEMAX,
				    sizeof(*s->stage));
			s->stage[s->nstage++] = p;
		}
	}
}

int
sp_xweb_parse_space(const char *body, size_t len, struct sp_xweb_space *s,
    char *err, size_t errlen)
{
	static const char *const mpath[] = { "data", "audioSpace",
	    "metadata", NULL };
	static const char *const cpath[] = { "creator_results", "result",
	    NULL };
	static const char *const ppath[] = { "data", "audioSpace",
	    "participants", NULL };
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
	stage(path(root, ppath), s);
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
	free(s->stage);
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
sp_xweb_parse_status(const char *body, size_t len, char *err, size_t errlen,
    int *geo)
{
	static const char *const keys[] = { "noRedirectPlaybackUrl",
	    "location", NULL };
	json_t *root, *src;
	json_error_t je;
	const char *u = NULL, *w;
	char *r = NULL, *d;
	size_t i;

	if (geo != NULL)
		*geo = 0;
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
	/* yt-dlp's check (TwitterBroadcastIE): X's refusal by country. */
	if (strstr(u, "/live_video_stream/geoblocked/") != NULL) {
		if (geo != NULL)
			*geo = 1;
		sp_fail(err, errlen, "live_video_stream/status: X does not "
		    "serve this stream in your country (geoblocked)");
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

/* url's host: new. */
static char *
host_of(const char *url)
{
	const char *p = strstr(url, "://");

	p = p ? p + 3 : url;
	return sp_xstrndup(p, strcspn(p, ":/?#"));
}

char *
sp_xweb_cookie(const char *path, const char *url, const char *name)
{
	struct one o;
	char *host = url ? host_of(url) : NULL;

	o.name = name;
	o.value = NULL;
	(void)each_cookie(path, host, one_cb, &o);
	free(host);
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
	char *h = NULL, *host = host_of(url);

	(void)each_cookie(path, host, all_cb, &h);
	free(host);
	return h;
}
