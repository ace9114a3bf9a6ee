/* hls: a bounded, tolerant parser of HLS (m3u8) playlists (RFC 8216). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "err.h"
#include "hls.h"
#include "strnum.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

/* Leave it to libcurl's URL API: it knows RFC 3986 better than we do. */
char *
sp_hls_resolve(const char *base, const char *ref)
{
	CURLU *u;
	char *s = NULL, *out = NULL;

	if (base == NULL)
		return sp_xstrdup(ref);
	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
		out = sp_xstrdup(s);
		curl_free(s);
	}
	curl_url_cleanup(u);
	return out;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

int
sp_hls_chunk_seq(const char *uri, uint64_t *seq)
{
	const char *p, *end = uri + strcspn(uri, "?#");
	const char *q, *d;
	uint64_t v;

	for (p = uri; (p = strstr(p, "chunk_")) != NULL && p < end; p++) {
		q = p + 6;
		if (q >= end || !isdig(*q))
			continue;
		while (q < end && isdig(*q))
			q++;
		if (q >= end || *q != '_' || ++q >= end || !isdig(*q))
			continue;
		d = q;
		v = 0;
		while (q < end && isdig(*q)) {
			if (v > (UINT64_MAX - 9) / 10)
				break;
			v = v * 10 + (uint64_t)(*q++ - '0');
		}
		if (q - d > 19 || end - q < 6 || strncmp(q, "_a.aac", 6) != 0)
			continue;
		*seq = v;
		return 0;
	}
	return -1;
}

/* A number after a tag's colon, up to a comma or the end. */
static int
num(const char *s, double *v)
{
	char buf[64];
	size_t k = strcspn(s, ",");
	const char *e;

	if (k == 0 || k >= sizeof(buf))
		return -1;
	memcpy(buf, s, k);
	buf[k] = '\0';
	return sp_strtod(buf, 0, 1e15, v, &e);
}

static int
u64(const char *s, uint64_t *v)
{
	long long x;
	const char *e;

	if (sp_strtoll(s, 0, (long long)1 << 62, &x, &e) != 0)
		return -1;
	*v = (uint64_t)x;
	return 0;
}

/*
 * The value of attribute name in an attribute list (RFC 8216 4.2), its
 * quotes removed, into buf: 0, or -1 when absent or too long.
 */
static int
attr(const char *list, const char *name, char *buf, size_t n)
{
	const char *p = list, *v, *e;
	size_t k = strlen(name);

	while (*p != '\0') {
		if (strncmp(p, name, k) == 0 && p[k] == '=') {
			v = p + k + 1;
			if (*v == '"') {
				v++;
				if ((e = strchr(v, '"')) == NULL)
					return -1;
			} else
				e = v + strcspn(v, ",");
			if ((size_t)(e - v) >= n)
				return -1;
			memcpy(buf, v, (size_t)(e - v));
			buf[e - v] = '\0';
			return 0;
		}
		/* The next attribute: past this one's value. */
		while (*p != '\0' && *p != ',') {
			if (*p++ == '"')
				while (*p != '\0' && *p++ != '"')
					;
		}
		if (*p == ',')
			p++;
	}
	return -1;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* An IV "0x" and up to 32 hex digits, right-aligned in iv: 0, or -1. */
static int
parse_iv(const char *s, uint8_t iv[16])
{
	size_t k, i;
	int a;

	if ((s[0] != '0') || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	s += 2;
	k = strlen(s);
	if (k == 0 || k > 32)
		return -1;
	memset(iv, 0, 16);
	for (i = 0; i < k; i++) {
		if ((a = hexval((unsigned char)s[k - 1 - i])) < 0)
			return -1;
		iv[15 - i / 2] |= (uint8_t)(i % 2 ? a << 4 : a);
	}
	return 0;
}

/* The key state that #EXT-X-KEY sets for the segments after it. */
struct key {
	int	 method;
	char	*uri;		/* owned */
	int	 has_iv;
	uint8_t	 iv[16];
};

static void
set_key(struct key *k, const char *list, const char *base)
{
	char m[32], v[SP_HLS_MAXLINE];

	free(k->uri);
	memset(k, 0, sizeof(*k));
	if (attr(list, "METHOD", m, sizeof(m)) != 0 ||
	    strcmp(m, "NONE") == 0)
		return;
	if (strcmp(m, "AES-128") != 0 || attr(list, "URI", v,
	    sizeof(v)) != 0 || (k->uri = sp_hls_resolve(base, v)) == NULL) {
		k->method = SP_HLS_KEY_OTHER;
		return;
	}
	k->method = SP_HLS_KEY_AES128;
	if (attr(list, "IV", v, sizeof(v)) == 0) {
		if (parse_iv(v, k->iv) != 0) {
			/* A bad IV: the segments cannot be decrypted. */
			k->method = SP_HLS_KEY_OTHER;
			free(k->uri);
			k->uri = NULL;
			memset(k->iv, 0, sizeof(k->iv));
		} else
			k->has_iv = 1;
	}
}

/* A name's media type by its extension, before any query. */
static int
is_video_name(const char *uri)
{
	size_t k = strcspn(uri, "?#");

	return (k >= 3 && strncmp(uri + k - 3, ".ts", 3) == 0) ||
	    (k >= 4 && strncmp(uri + k - 4, ".mp4", 4) == 0) ||
	    (k >= 4 && strncmp(uri + k - 4, ".m4s", 4) == 0);
}

static void
add_seg(struct sp_hls *pl, size_t *cap, const char *uri, const char *base,
    double dur, double pdt, const struct key *k)
{
	struct sp_hls_seg *s;
	char *r;

	if (pl->nsegs >= SP_HLS_MAXSEGS || (r = sp_hls_resolve(base, uri)) ==
	    NULL)
		return;
	if (pl->nsegs == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		pl->segs = sp_xreallocarray(pl->segs, *cap, sizeof(*s));
	}
	s = &pl->segs[pl->nsegs];
	memset(s, 0, sizeof(*s));
	s->uri = r;
	s->duration = dur;
	s->pdt = pdt;
	if (sp_hls_chunk_seq(r, &s->seq) != 0)
		s->seq = pl->media_seq + pl->nsegs;
	s->key = k->method;
	if (k->uri != NULL)
		s->key_uri = sp_xstrdup(k->uri);
	s->has_iv = k->has_iv;
	memcpy(s->iv, k->iv, sizeof(s->iv));
	if (is_video_name(uri))
		pl->video = 1;
	pl->nsegs++;
}

/* Whether the CODECS list c names a video codec (RFC 6381 names). */
static int
video_codec(const char *c)
{
	return strstr(c, "avc1") != NULL || strstr(c, "avc3") != NULL ||
	    strstr(c, "hvc1") != NULL || strstr(c, "hev1") != NULL;
}

/* The attributes of an #EXT-X-STREAM-INF that pick a variant. */
static void
stream_attrs(const char *list, struct sp_hls_var *v)
{
	char buf[256], *x;
	unsigned long w, h;

	if (attr(list, "BANDWIDTH", buf, sizeof(buf)) == 0)
		(void)u64(buf, &v->bandwidth);
	if (attr(list, "RESOLUTION", buf, sizeof(buf)) == 0) {
		v->video = 1;
		/* WxH, decimal (RFC 8216 4.2); a bad one stays 0x0. */
		w = strtoul(buf, &x, 10);
		if (*x == 'x' && w < 100000) {
			h = strtoul(x + 1, &x, 10);
			if (*x == '\0' && h < 100000) {
				v->width = (unsigned)w;
				v->height = (unsigned)h;
			}
		}
	}
	if (attr(list, "CODECS", buf, sizeof(buf)) == 0) {
		if (video_codec(buf))
			v->video = 1;
		else if (strstr(buf, "mp4a") != NULL)
			v->audio_only = 1;
	}
}

static void
add_var(struct sp_hls *pl, const struct sp_hls_var *v, const char *base,
    const char *uri)
{
	char *r;

	if (pl->nvars >= 256 || (r = sp_hls_resolve(base, uri)) == NULL)
		return;
	pl->vars = sp_xreallocarray(pl->vars, pl->nvars + 1,
	    sizeof(*pl->vars));
	pl->vars[pl->nvars] = *v;
	pl->vars[pl->nvars++].uri = r;
}

/* The greatest number in the name part of uri, or -1 when none. */
static double
name_number(const char *uri)
{
	const char *end = uri + strcspn(uri, "?#"), *p, *b = uri, *dot = NULL;
	double best = -1, v;

	for (p = uri; p < end; p++)
		if (*p == '/')
			b = p + 1;
		else if (*p == '.')
			dot = p;
	/* Not the extension's digits (.m3u8). */
	if (dot != NULL && dot > b)
		end = dot;
	for (p = b; p < end; p++) {
		if (!isdig(*p))
			continue;
		for (v = 0; p < end && isdig(*p); p++)
			v = v * 10 + (*p - '0');
		if (v > best)
			best = v;
	}
	return best;
}

int
sp_hls_parse(const char *text, size_t len, const char *base,
    struct sp_hls *pl, char *err, size_t errlen)
{
	char line[SP_HLS_MAXLINE];
	const char *p = text, *end = text + len, *nl;
	size_t k, cap = 0;
	double dur = 0, pdt = 0, v, best = -2, num_v;
	int first = 1, stream_inf = 0;
	struct sp_hls_var var;
	struct key key;
	char *u;

	memset(pl, 0, sizeof(*pl));
	memset(&key, 0, sizeof(key));
	memset(&var, 0, sizeof(var));
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		k = (size_t)((nl ? nl : end) - p);
		if (k < sizeof(line)) {
			memcpy(line, p, k);
			/* CR LF, trailing blanks; a NUL ends the line early. */
			while (k > 0 && (line[k - 1] == '\r' ||
			    line[k - 1] == ' ' || line[k - 1] == '\t'))
				k--;
			line[k] = '\0';
		} else
			line[0] = '\0';
		p = nl ? nl + 1 : end;
		if (first) {
			/* A UTF-8 byte order mark is tolerated. */
			const char *l = line;

			if (strncmp(l, "\xEF\xBB\xBF", 3) == 0)
				l += 3;
			if (strcmp(l, "#EXTM3U") != 0) {
				sp_hls_release(pl);
				free(key.uri);
				return sp_fail(err, errlen, "not an m3u8 "
				    "playlist (no #EXTM3U)");
			}
			first = 0;
			continue;
		}
		if (line[0] == '\0')
			continue;
		if (line[0] != '#') {
			if (stream_inf || pl->master) {
				/* The newest: the greatest number, the
				 * last among equals. */
				num_v = name_number(line);
				if (num_v >= best && (u = sp_hls_resolve(base,
				    line)) != NULL) {
					free(pl->variant);
					pl->variant = u;
					best = num_v;
				}
				if (is_video_name(line))
					pl->video = 1;
				pl->nvariants++;
				add_var(pl, &var, base, line);
				memset(&var, 0, sizeof(var));
				stream_inf = 0;
			} else
				add_seg(pl, &cap, line, base, dur, pdt, &key);
			dur = pdt = 0;
			continue;
		}
		if (strncmp(line, "#EXTINF:", 8) == 0) {
			if (num(line + 8, &v) == 0)
				dur = v;
		} else if (strncmp(line, "#EXT-X-TARGETDURATION:", 22) == 0) {
			if (num(line + 22, &v) == 0)
				pl->target = v;
		} else if (strncmp(line, "#EXT-X-MEDIA-SEQUENCE:", 22) == 0) {
			/* Only before the first segment, as RFC 8216 says. */
			if (pl->nsegs == 0)
				(void)u64(line + 22, &pl->media_seq);
		} else if (strncmp(line, "#EXT-X-PROGRAM-DATE-TIME:", 25) ==
		    0) {
			int64_t ms;

			if (sp_parse_instant(line + 25, "UTC", &ms) == 0)
				pdt = (double)ms / 1000;
		} else if (strcmp(line, "#EXT-X-ENDLIST") == 0)
			pl->endlist = 1;
		else if (strncmp(line, "#EXT-X-STREAM-INF:", 18) == 0) {
			pl->master = 1;
			stream_inf = 1;
			stream_attrs(line + 18, &var);
			/* Audio Spaces list no picture size (yt-dlp tells
			 * them by /audio-space/; video masters carry one). */
			if (var.video)
				pl->video = 1;
		} else if (strncmp(line, "#EXT-X-MAP:", 11) == 0)
			pl->map = 1;
		else if (strncmp(line, "#EXT-X-KEY:", 11) == 0)
			set_key(&key, line + 11, base);
	}
	free(key.uri);
	if (first) {
		sp_hls_release(pl);
		return sp_fail(err, errlen, "empty playlist");
	}
	if (pl->master) {
		/* A master lists variants, not segments. */
		for (k = 0; k < pl->nsegs; k++) {
			free(pl->segs[k].uri);
			free(pl->segs[k].key_uri);
		}
		free(pl->segs);
		pl->segs = NULL;
		pl->nsegs = 0;
	}
	return 0;
}

void
sp_hls_release(struct sp_hls *pl)
{
	size_t i;

	for (i = 0; i < pl->nsegs; i++) {
		free(pl->segs[i].uri);
		free(pl->segs[i].key_uri);
	}
	free(pl->segs);
	free(pl->variant);
	for (i = 0; i < pl->nvars; i++)
		free(pl->vars[i].uri);
	free(pl->vars);
	memset(pl, 0, sizeof(*pl));
}

const struct sp_hls_var *
sp_hls_pick(const struct sp_hls *pl, uint64_t want, int audio_only)
{
	const struct sp_hls_var *v, *best = NULL;
	size_t i;

	if (audio_only)
		for (i = pl->nvars; i-- > 0; )
			if (pl->vars[i].audio_only)
				return &pl->vars[i];
	for (i = 0; i < pl->nvars; i++) {
		v = &pl->vars[i];
		if (want != 0 && (want < SP_HLS_BY_BW ? v->height != want :
		    v->bandwidth != want))
			continue;
		if (want == 0 && v->audio_only)
			continue;
		if (best == NULL || v->height > best->height ||
		    (v->height == best->height &&
		    v->bandwidth >= best->bandwidth))
			best = v;
	}
	return best;
}

char *
sp_hls_non_transcode(const char *url)
{
	const char *t = strstr(url, "/transcode/"), *p;
	size_t k = strcspn(url, "?#");
	int n;

	if (t == NULL || (size_t)(t - url) >= k)
		return sp_xstrdup(url);
	/* Past <region>/<deploy>/, then the settings element dropped. */
	p = t + 11;
	for (n = 0; n < 2; n++) {
		if ((p = strchr(p, '/')) == NULL || (size_t)(p - url) >= k)
			return sp_xstrdup(url);
		p++;
	}
	if ((t[11] == '/') || strchr(p, '/') == NULL)
		return sp_xstrdup(url);
	return sp_xasprintf("%.*s/non_transcode/%.*s%s", (int)(t - url), url,
	    (int)(p - (t + 11)), t + 11, strchr(p, '/') + 1);
}

char *
sp_hls_master_url(const char *url)
{
	char *nt = sp_hls_non_transcode(url), *base, *name, *m, *us;
	size_t k = strcspn(nt, "?#"), pre = 0;

	base = sp_xstrndup(nt, k);
	free(nt);
	if ((name = strrchr(base, '/')) != NULL)
		name++;
	else
		name = base;
	/* "tw_dynamic_playlist": keep what precedes the known words. */
	/* A video Space's live master_dynamic_playlist has its replay in
	 * master_master_playlist (twspace-crawler#93's camera Space). */
	if (strncmp(name, "master_dynamic_playlist.", 24) == 0)
		pre = 7;
	else if ((us = strchr(name, '_')) != NULL &&
	    strncmp(name, "master_", 7) != 0 &&
	    strncmp(name, "playlist_", 9) != 0 &&
	    strncmp(name, "dynamic_", 8) != 0)
		pre = (size_t)(us - name) + 1;
	m = sp_xasprintf("%.*s%.*smaster_playlist.m3u8", (int)(name - base),
	    base, (int)pre, name);
	free(base);
	return m;
}
