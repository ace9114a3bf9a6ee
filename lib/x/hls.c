/* hls: a bounded, tolerant parser of HLS (m3u8) playlists (RFC 8216). */
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

static void
add_seg(struct sp_hls *pl, size_t *cap, const char *uri, const char *base,
    double dur, double pdt)
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
	s->uri = r;
	s->duration = dur;
	s->pdt = pdt;
	if (sp_hls_chunk_seq(r, &s->seq) != 0)
		s->seq = pl->media_seq + pl->nsegs;
	pl->nsegs++;
}

int
sp_hls_parse(const char *text, size_t len, const char *base,
    struct sp_hls *pl, char *err, size_t errlen)
{
	char line[SP_HLS_MAXLINE];
	const char *p = text, *end = text + len, *nl;
	size_t k, cap = 0;
	double dur = 0, pdt = 0, v;
	int first = 1, stream_inf = 0;

	memset(pl, 0, sizeof(*pl));
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
				if (pl->variant == NULL)
					pl->variant = sp_hls_resolve(base,
					    line);
				stream_inf = 0;
			} else
				add_seg(pl, &cap, line, base, dur, pdt);
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
		}
	}
	if (first) {
		sp_hls_release(pl);
		return sp_fail(err, errlen, "empty playlist");
	}
	if (pl->master) {
		/* A master lists variants, not segments. */
		for (k = 0; k < pl->nsegs; k++)
			free(pl->segs[k].uri);
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

	for (i = 0; i < pl->nsegs; i++)
		free(pl->segs[i].uri);
	free(pl->segs);
	free(pl->variant);
	memset(pl, 0, sizeof(*pl));
}
