/* id3w: an ID3v2.4 tag writer (text frames, CHAP and CTOC) for MP3 files. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chapters.h"
#include "id3w.h"
#include "xalloc.h"
#include "banned.h"

#define ENC_UTF8	3

struct obuf {
	unsigned char	*b;
	size_t		 len, cap;
};

static void
put(struct obuf *o, const void *p, size_t n)
{
	if (o->cap - o->len < n) {
		while (o->cap - o->len < n)
			o->cap = o->cap ? o->cap * 2 : 1024;
		o->b = sp_xrealloc(o->b, o->cap);
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void
put8(struct obuf *o, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(o, &c, 1);
}

static void
put32(struct obuf *o, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16 & 0xFF, v >> 8 & 0xFF,
	    v & 0xFF };

	put(o, b, 4);
}

static void
syncsafe(unsigned char *b, size_t v)
{
	b[0] = v >> 21 & 0x7F;
	b[1] = v >> 14 & 0x7F;
	b[2] = v >> 7 & 0x7F;
	b[3] = v & 0x7F;
}

/* Begin a frame; its size is filled in by frame_end.  Returns its offset. */
static size_t
frame_begin(struct obuf *o, const char id[4])
{
	size_t at = o->len;

	put(o, id, 4);
	put32(o, 0);
	put8(o, 0);		/* status flags */
	put8(o, 0);		/* format flags: no unsync, no grouping */
	return at;
}

static void
frame_end(struct obuf *o, size_t at)
{
	syncsafe(o->b + at + 4, o->len - at - 10);
}

/* The length of s cut to at most max bytes, not inside a character. */
static size_t
cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* A text frame: encoding, then the text (v2.4 needs no terminator). */
static void
text_frame(struct obuf *o, const char id[4], const char *s, size_t max)
{
	size_t at;

	if (s == NULL || *s == '\0')
		return;
	at = frame_begin(o, id);
	put8(o, ENC_UTF8);
	put(o, s, cut(s, max));
	frame_end(o, at);
}

static void
comm_frame(struct obuf *o, const char *s)
{
	size_t at;

	if (s == NULL || *s == '\0')
		return;
	at = frame_begin(o, "COMM");
	put8(o, ENC_UTF8);
	put(o, "eng", 3);
	put8(o, 0);		/* empty description */
	put(o, s, cut(s, SP_ID3W_TEXTMAX));
	frame_end(o, at);
}

/* An ISO-8859-1 url, so anything but printable ASCII is %XX. */
static void
put_url(struct obuf *o, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	unsigned char e[3];

	for (p = (const unsigned char *)url; *p; p++) {
		if (*p > 0x20 && *p < 0x7F)
			put(o, p, 1);
		else {
			e[0] = '%';
			e[1] = hex[*p >> 4];
			e[2] = hex[*p & 0xF];
			put(o, e, 3);
		}
	}
}

static void
wxxx_frame(struct obuf *o, const char *url)
{
	size_t at;

	if (url == NULL || *url == '\0' || strlen(url) > SP_ID3W_CHAPMAX)
		return;
	at = frame_begin(o, "WXXX");
	put8(o, ENC_UTF8);
	put8(o, 0);		/* empty description */
	put_url(o, url);
	frame_end(o, at);
}

/* APIC with the MIME type "-->": the picture is a link, its url
 * (ID3v2.4 native frames 4.14). */
static void
apic_link_frame(struct obuf *o, const char *url)
{
	size_t at;

	if (url == NULL || *url == '\0' || strlen(url) > SP_ID3W_CHAPMAX)
		return;
	at = frame_begin(o, "APIC");
	put8(o, 0);		/* ISO-8859-1 */
	put(o, "-->", 4);
	put8(o, 0);		/* picture type: other */
	put8(o, 0);		/* empty description */
	put_url(o, url);
	frame_end(o, at);
}

static uint32_t
to_ms(double s)
{
	double ms;

	if (!(s > 0))
		return 0;
	ms = round(s * 1000);
	return ms >= UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

static void
chapters(struct obuf *o, const struct sp_chapters *c, double total)
{
	char id[16];
	size_t i, k, n, at;
	uint32_t start, end;

	n = c->n < SP_ID3W_MAXCHAP ? c->n : SP_ID3W_MAXCHAP;
	for (i = 0; i < n; i++) {
		/* A visible chapter runs to the next visible one: the hidden
		 * markers inside it do not cut it short. */
		for (k = i + 1; k < n && !c->v[i].hidden && c->v[k].hidden;
		    k++)
			;
		start = to_ms(c->v[i].start);
		end = k < n ? to_ms(c->v[k].start) : to_ms(total);
		if (end < start)
			end = start;
		at = frame_begin(o, "CHAP");
		snprintf(id, sizeof(id), "ch%zu", i);
		put(o, id, strlen(id) + 1);
		put32(o, start);
		put32(o, end);
		put32(o, 0xFFFFFFFF);	/* byte offsets unused */
		put32(o, 0xFFFFFFFF);
		text_frame(o, "TIT2", c->v[i].title, SP_ID3W_CHAPMAX);
		wxxx_frame(o, c->v[i].url);
		apic_link_frame(o, c->v[i].img);
		frame_end(o, at);
	}
	/*
	 * Apple Podcasts shows no chapters without a top-level CTOC.  A
	 * hidden chapter is a CHAP that no CTOC lists (ID3v2 chapters 1.0,
	 * "toc": false in Podcasting 2.0).
	 */
	for (i = 0, k = 0; i < n; i++)
		k += !c->v[i].hidden;
	at = frame_begin(o, "CTOC");
	put(o, "toc", 4);
	put8(o, 0x03);		/* top-level, ordered */
	put8(o, (unsigned)k);
	for (i = 0; i < n; i++) {
		if (c->v[i].hidden)
			continue;
		snprintf(id, sizeof(id), "ch%zu", i);
		put(o, id, strlen(id) + 1);
	}
	frame_end(o, at);
}

unsigned char *
sp_id3w_build(const struct sp_id3w_tags *t, const struct sp_chapters *c,
    double total_seconds, size_t *len)
{
	struct obuf o = { NULL, 0, 0 };
	static const unsigned char head[10] = { 'I', 'D', '3', 4, 0, 0 };

	put(&o, head, sizeof(head));
	if (t != NULL) {
		text_frame(&o, "TIT2", t->title, SP_ID3W_TEXTMAX);
		text_frame(&o, "TPE1", t->artist, SP_ID3W_TEXTMAX);
		text_frame(&o, "TALB", t->album, SP_ID3W_TEXTMAX);
		comm_frame(&o, t->comment);
		text_frame(&o, "TDRC", t->date, SP_ID3W_TEXTMAX);
	}
	text_frame(&o, "TSSE", "spaces", SP_ID3W_TEXTMAX);
	if (c != NULL && c->n > 0)
		chapters(&o, c, total_seconds);
	syncsafe(o.b + 6, o.len - 10);
	*len = o.len;
	return o.b;
}
