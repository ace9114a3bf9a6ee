/* oggopus: Ogg Opus (RFC 7845) page reader and writer over libogg. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include <ogg/ogg.h>
#include <opus.h>

#include "chapters.h"
#include "oggopus.h"
#include "xalloc.h"
#include "banned.h"

/*
 * How the reader works.  Bytes go into libogg's sync buffer; pages come
 * out of ogg_sync_pageseek (which checks the CRC), so every byte it skips
 * is counted, and a skip that starts on a whole "OggS" page is a bad CRC.
 * The first BOS page whose packet is OpusHead picks the stream; its pages
 * go through one ogg_stream_state, which reassembles packets.  A page's
 * granule position is only known for its last completed packet, so all
 * packets completed on a page are taken out at once (they stay in libogg's
 * buffer until the next ogg_stream_pagein), timestamped, and handed out
 * one by one before the next page is read: memory is one page's worth.
 */

#define READSZ		4096
#define MAXPERPAGE	255	/* one lacing value per completed packet */

enum { RS_HEAD, RS_TAGS, RS_AUDIO, RS_DRAIN, RS_DONE, RS_FAIL };

struct sp_opus_reader {
	sp_opus_read_fn	*rd;
	void		*ctx;
	ogg_sync_state	 oy;
	ogg_stream_state os;
	int		 have_os;
	int		 state;
	int		 unsynced;	/* inside a hole */
	int		 eof;
	const char	*err;
	struct sp_opus_head head;
	struct sp_opus_tags tags;
	struct sp_opus_summary sum;
	/* The audio packets of the current page. */
	ogg_packet	 pk[MAXPERPAGE];
	unsigned	 dur[MAXPERPAGE];
	int64_t		 gran[MAXPERPAGE];
	size_t		 npk, ipk;
	int		 last_eos;	/* the current page is EOS */
	uint32_t	 pageno;	/* of the current page */
	uint32_t	 lastseq;
	int		 have_seq;
	int		 have_audio;	/* an audio page was timestamped */
	int		 gap;		/* a gap since the last audio page */
	int64_t		 prev_end;
	uint64_t	 index;
};

static ssize_t
file_read(void *ctx, void *buf, size_t n)
{
	FILE *fp = ctx;
	size_t k;

	k = fread(buf, 1, n, fp);
	if (k == 0 && ferror(fp))
		return -1;
	return (ssize_t)k;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = (v >> 24) & 0xFF;
}

unsigned
sp_opus_packet_samples(const uint8_t *p, size_t n)
{
	int frames, spf;

	if (p == NULL || n == 0 || n > INT32_MAX)
		return 0;
	frames = opus_packet_get_nb_frames(p, (opus_int32)n);
	spf = opus_packet_get_samples_per_frame(p, 48000);
	/* A packet holds at most 120 ms (RFC 6716 3.2.5). */
	if (frames < 1 || spf < 1 || frames * spf > 5760)
		return 0;
	return (unsigned)(frames * spf);
}

int
sp_opus_sniff(const void *b, size_t n)
{
	const uint8_t *p = b;
	size_t nseg;

	/* The OpusHead packet opens the body of the first (BOS) page. */
	if (n < 27 || memcmp(p, "OggS", 4) != 0 || p[4] != 0)
		return 0;
	nseg = p[26];
	if (n < 27 + nseg + 8 || nseg == 0)
		return 0;
	return memcmp(p + 27 + nseg, "OpusHead", 8) == 0;
}

/* Tags. */

void
sp_opus_tags_init(struct sp_opus_tags *t)
{
	memset(t, 0, sizeof(*t));
}

void
sp_opus_tags_release(struct sp_opus_tags *t)
{
	size_t i;

	for (i = 0; i < t->ncomments; i++)
		free(t->comments[i]);
	free(t->comments);
	free(t->vendor);
	free(t->extra);
	sp_opus_tags_init(t);
}

static void
add_comment(struct sp_opus_tags *t, char *c)
{
	t->comments = sp_xreallocarray(t->comments, t->ncomments + 1,
	    sizeof(*t->comments));
	t->comments[t->ncomments++] = c;
}

void
sp_opus_tags_copy(struct sp_opus_tags *dst, const struct sp_opus_tags *src)
{
	size_t i;

	sp_opus_tags_init(dst);
	if (src->vendor != NULL)
		dst->vendor = sp_xstrdup(src->vendor);
	for (i = 0; i < src->ncomments; i++)
		add_comment(dst, sp_xstrdup(src->comments[i]));
	if (src->nextra > 0) {
		dst->extra = sp_xmalloc(src->nextra);
		memcpy(dst->extra, src->extra, src->nextra);
		dst->nextra = src->nextra;
	}
}

void
sp_opus_tags_set_vendor(struct sp_opus_tags *t, const char *vendor)
{
	free(t->vendor);
	t->vendor = sp_xstrdup(vendor);
}

void
sp_opus_tags_add(struct sp_opus_tags *t, const char *name, const char *value)
{
	add_comment(t, sp_xasprintf("%s=%s", name, value));
}

const char *
sp_opus_tags_get(const struct sp_opus_tags *t, const char *name)
{
	size_t i, k = strlen(name);

	for (i = 0; i < t->ncomments; i++)
		if (strncasecmp(t->comments[i], name, k) == 0 &&
		    t->comments[i][k] == '=')
			return t->comments[i] + k + 1;
	return NULL;
}

size_t
sp_opus_tags_remove(struct sp_opus_tags *t, const char *name)
{
	size_t i, j, k = strlen(name), gone = 0;
	int all = strcasecmp(name, "CHAPTER") == 0;
	const char *c;

	for (i = j = 0; i < t->ncomments; i++) {
		c = t->comments[i];
		if (strncasecmp(c, name, k) == 0 &&
		    (c[k] == '=' || (all && c[k] >= '0' && c[k] <= '9'))) {
			free(t->comments[i]);
			gone++;
		} else
			t->comments[j++] = t->comments[i];
	}
	t->ncomments = j;
	return gone;
}

/* "H+:MM:SS[.f+]" to milliseconds; -1 if malformed. */
static int
parse_chaptime(const char *s, uint64_t *ms)
{
	uint64_t h = 0, v;
	int n, i;

	for (n = 0; *s >= '0' && *s <= '9'; s++, n++) {
		if (n >= 9)
			return -1;
		h = h * 10 + (uint64_t)(*s - '0');
	}
	if (n == 0 || *s++ != ':')
		return -1;
	if (s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
	    s[4] > '9')
		return -1;
	v = (h * 60 + (uint64_t)((s[0] - '0') * 10 + s[1] - '0')) * 60 +
	    (uint64_t)((s[3] - '0') * 10 + s[4] - '0');
	v *= 1000;
	s += 5;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		/* Milliseconds from the first three digits; more are cut. */
		for (i = 0, n = 100; *s >= '0' && *s <= '9'; s++, i++) {
			if (i < 3)
				v += (uint64_t)(*s - '0') * (uint64_t)n;
			n /= 10;
		}
	}
	if (*s != '\0')
		return -1;
	*ms = v;
	return 0;
}

struct chap {
	unsigned	 num;
	int		 have_time;
	uint64_t	 ms;
	const char	*name;
};

static int
chap_cmp(const void *a, const void *b)
{
	const struct chap *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

size_t
sp_opus_chapters(const struct sp_opus_tags *t, struct sp_opus_chapter **out)
{
	struct chap *c = NULL;
	size_t nc = 0, i, j, n;
	unsigned num;
	const char *s;
	int k;

	for (i = 0; i < t->ncomments; i++) {
		s = t->comments[i];
		if (strncasecmp(s, "CHAPTER", 7) != 0)
			continue;
		s += 7;
		for (num = 0, k = 0; *s >= '0' && *s <= '9' && k < 4; s++, k++)
			num = num * 10 + (unsigned)(*s - '0');
		if (k == 0 || k > 3)
			continue;
		for (j = 0; j < nc && c[j].num != num; j++)
			;
		if (j == nc) {
			c = sp_xreallocarray(c, nc + 1, sizeof(*c));
			memset(&c[nc], 0, sizeof(*c));
			c[nc++].num = num;
		}
		if (*s == '=') {
			if (!c[j].have_time && parse_chaptime(s + 1, &c[j].ms)
			    == 0)
				c[j].have_time = 1;
		} else if (strncasecmp(s, "NAME=", 5) == 0 &&
		    c[j].name == NULL)
			c[j].name = s + 5;
	}
	if (nc > 0)
		qsort(c, nc, sizeof(*c), chap_cmp);
	*out = NULL;
	for (i = n = 0; i < nc; i++)
		if (c[i].have_time)
			n++;
	if (n > 0) {
		*out = sp_xcalloc(n, sizeof(**out));
		for (i = j = 0; i < nc; i++) {
			if (!c[i].have_time)
				continue;
			(*out)[j].ms = c[i].ms;
			(*out)[j++].name = sp_xstrdup(c[i].name != NULL ?
			    c[i].name : "");
		}
	}
	free(c);
	return n;
}

void
sp_opus_chapters_free(struct sp_opus_chapter *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

int
sp_opus_tags_add_chapter(struct sp_opus_tags *t, unsigned num, uint64_t ms,
    const char *name)
{
	uint64_t s = ms / 1000;

	if (num < 1 || num > 999)
		return -1;
	add_comment(t, sp_xasprintf("CHAPTER%03u=%02llu:%02u:%02u.%03u", num,
	    (unsigned long long)(s / 3600), (unsigned)(s / 60 % 60),
	    (unsigned)(s % 60), (unsigned)(ms % 1000)));
	if (name != NULL)
		add_comment(t, sp_xasprintf("CHAPTER%03uNAME=%s", num, name));
	return 0;
}

unsigned
sp_opus_tags_add_chapters(struct sp_opus_tags *t, const struct sp_chapters *c,
    double end)
{
	const struct sp_chapter *ch;
	unsigned num = 1;
	size_t i;
	double ms;

	for (i = 0; c != NULL && i < c->n && num <= 999; i++) {
		ch = &c->v[i];
		ms = ch->start * 1000;
		if (ch->hidden || !(ms >= 0) || !(ch->start < end))
			continue;
		sp_opus_tags_add_chapter(t, num, (uint64_t)llround(ms),
		    ch->title ? ch->title : "");
		if (ch->url && *ch->url)
			add_comment(t, sp_xasprintf("CHAPTER%03uURL=%s", num,
			    ch->url));
		num++;
	}
	return num - 1;
}

/* Header packets. */

static int
parse_head(struct sp_opus_head *h, const uint8_t *p, size_t n)
{
	unsigned i;

	memset(h, 0, sizeof(*h));
	if (n < 19 || memcmp(p, "OpusHead", 8) != 0)
		return -1;
	h->version = p[8];
	h->channels = p[9];
	h->preskip = (unsigned)p[10] | (unsigned)p[11] << 8;
	h->input_rate = le32(p + 12);
	h->gain = (int16_t)(uint16_t)((unsigned)p[16] | (unsigned)p[17] << 8);
	h->family = p[18];
	/* A new major version is incompatible (5.1); 0 means 1 here. */
	if (h->version > 15 || h->channels == 0)
		return -1;
	if (h->family == 0) {
		if (h->channels > 2)
			return -1;
		h->streams = 1;
		h->coupled = h->channels - 1;
		for (i = 0; i < h->channels; i++)
			h->mapping[i] = (uint8_t)i;
		return 0;
	}
	if (n < 21 + (size_t)h->channels)
		return -1;
	if (h->family == 1 && h->channels > 8)
		return -1;
	h->streams = p[19];
	h->coupled = p[20];
	if (h->streams == 0 || h->coupled > h->streams ||
	    h->streams + h->coupled > 255)
		return -1;
	for (i = 0; i < h->channels; i++) {
		h->mapping[i] = p[21 + i];
		if (p[21 + i] != 255 && p[21 + i] >= h->streams + h->coupled)
			return -1;
	}
	return 0;
}

static int
parse_tags(struct sp_opus_tags *t, const uint8_t *p, size_t n)
{
	size_t left, k;
	uint32_t len, count, i;

	sp_opus_tags_release(t);
	if (n < 16 || memcmp(p, "OpusTags", 8) != 0)
		return -1;
	p += 8;
	left = n - 8;
	len = le32(p);
	p += 4;
	left -= 4;
	if (len > left)
		return -1;
	t->vendor = sp_xstrndup((const char *)p, len);
	p += len;
	left -= len;
	if (left < 4)
		return -1;
	count = le32(p);
	p += 4;
	left -= 4;
	/* Each comment needs 4 bytes at least: check before allocating. */
	if (count > left / 4)
		return -1;
	t->comments = sp_xcalloc(count > 0 ? count : 1, sizeof(*t->comments));
	for (i = 0; i < count; i++) {
		if (left < 4)
			return -1;
		len = le32(p);
		p += 4;
		left -= 4;
		if (len > left)
			return -1;
		t->comments[t->ncomments++] = sp_xstrndup((const char *)p,
		    len);
		p += len;
		left -= len;
	}
	k = left;
	if (k > 0 && (p[0] & 1)) {
		t->extra = sp_xmalloc(k);
		memcpy(t->extra, p, k);
		t->nextra = k;
	}
	return 0;
}

/* Reader. */

static void
fail(struct sp_opus_reader *r, unsigned flag, const char *msg)
{
	r->sum.flags |= flag;
	if (r->err == NULL)
		r->err = msg;
	r->state = RS_FAIL;
	r->npk = r->ipk = 0;
}

/*
 * The next good page into og: 1, or 0 at the end of the input, or -1 when
 * the read callback failed.  Counts bad CRCs, holes and skipped bytes.
 */
static int
get_page(struct sp_opus_reader *r, ogg_page *og)
{
	const unsigned char *p;
	long avail, ret, need;
	ssize_t k;
	char *buf;
	int whole, i;

	for (;;) {
		/* Is a whole page, header and body, at the sync point? */
		p = r->oy.data;
		avail = p != NULL ? r->oy.fill - r->oy.returned : 0;
		if (p != NULL)
			p += r->oy.returned;
		whole = 0;
		if (avail >= 27 && memcmp(p, "OggS", 4) == 0 &&
		    avail >= 27 + p[26]) {
			need = 27 + p[26];
			for (i = 0; i < p[26]; i++)
				need += p[27 + i];
			whole = avail >= need;
		}
		ret = ogg_sync_pageseek(&r->oy, og);
		if (ret > 0) {
			r->unsynced = 0;
			return 1;
		}
		if (ret < 0) {
			/* Only a CRC mismatch rejects a whole "OggS" page. */
			if (whole) {
				r->sum.bad_crc++;
				r->sum.flags |= SP_OPUS_ECRC;
			}
			if (!r->unsynced) {
				r->sum.holes++;
				r->unsynced = 1;
			}
			r->sum.skipped += (uint64_t)-ret;
			r->sum.flags |= SP_OPUS_EJUNK;
			r->gap = 1;
			continue;
		}
		if (r->eof) {
			/* What is left is a page cut short, or junk. */
			if (avail > 0) {
				if (!r->unsynced)
					r->sum.holes++;
				r->sum.skipped += (uint64_t)avail;
				r->sum.flags |= SP_OPUS_EJUNK;
				ogg_sync_reset(&r->oy);
			}
			return 0;
		}
		buf = ogg_sync_buffer(&r->oy, READSZ);
		if (buf == NULL) {
			fail(r, SP_OPUS_EREAD, "out of memory in libogg");
			return -1;
		}
		do
			k = r->rd(r->ctx, buf, READSZ);
		while (k < 0 && errno == EINTR);
		if (k < 0) {
			fail(r, SP_OPUS_EREAD, "read error");
			return -1;
		}
		if (k > READSZ)
			k = READSZ;
		if (k == 0)
			r->eof = 1;
		else {
			ogg_sync_wrote(&r->oy, (long)k);
			r->sum.bytes += (uint64_t)k;
		}
	}
}

static int64_t
add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	return a + b;
}

/* Give the audio packets of a page with granule gp their end granules. */
static void
stamp(struct sp_opus_reader *r, int64_t gp, int eos)
{
	int64_t total = 0, fwd, g, clip, start;
	size_t i;
	int backward = 0;

	for (i = 0; i < r->npk; i++)
		total += r->dur[i];
	if (!r->have_audio) {
		/* The first audio page: work back from its granule (4.5). */
		r->have_audio = 1;
		if (gp < 0) {
			r->sum.flags |= SP_OPUS_EGRANULE;
			start = 0;
		} else if (gp < total && eos)
			start = 0;	/* a trimmed one-page stream */
		else {
			if (gp < total)
				r->sum.flags |= SP_OPUS_ESTART;
			start = gp - total;
		}
		r->sum.start_granule = start;
		r->prev_end = start;
	} else if (gp >= 0) {
		fwd = add_sat(r->prev_end, total);
		if (gp > fwd) {
			/* A jump forward: trust the page, after a gap. */
			if (!r->gap)
				r->sum.flags |= SP_OPUS_EGRANULE;
			backward = 1;
		} else if (gp < fwd && !eos)
			r->sum.flags |= SP_OPUS_EGRANULE;
	} else
		r->sum.flags |= SP_OPUS_EGRANULE;

	fwd = add_sat(r->prev_end, total);
	clip = INT64_MAX;
	if (eos && gp >= 0 && gp < fwd) {
		/* The end trim (4.4); a granule before the page's start is
		 * invalid: keep nothing of it rather than go backwards. */
		clip = gp;
		if (clip < r->prev_end) {
			r->sum.flags |= SP_OPUS_EGRANULE;
			clip = r->prev_end;
		}
		r->sum.end_trim = fwd - clip;
		if (r->npk > 0 && r->sum.end_trim > r->dur[r->npk - 1])
			r->sum.flags |= SP_OPUS_ETRIM;
	}
	g = backward ? gp - total : r->prev_end;
	for (i = 0; i < r->npk; i++) {
		g = add_sat(g, r->dur[i]);
		r->gran[i] = g < clip ? g : clip;
	}
	if (r->npk > 0)
		r->prev_end = r->gran[r->npk - 1];
	r->sum.last_granule = r->prev_end;
	r->gap = 0;
}

static void
update_samples(struct sp_opus_reader *r)
{
	int64_t s;

	if (!r->have_audio) {
		r->sum.samples = 0;
		return;
	}
	s = r->sum.last_granule - r->sum.start_granule;
	s -= r->head.preskip;
	r->sum.samples = s > 0 ? s : 0;
}

/* Take the completed packets out of a page of our stream. */
static void
take_packets(struct sp_opus_reader *r, ogg_page *og)
{
	ogg_packet op;
	size_t pending;
	int ret, nhead = 0, got_head = 0;

	r->npk = r->ipk = 0;
	for (;;) {
		pending = (size_t)(r->os.body_fill - r->os.body_returned);
		if (pending > (r->state == RS_AUDIO ? (size_t)SP_OPUS_MAXPACKET
		    * 2 : (size_t)SP_OPUS_MAXTAGS)) {
			fail(r, SP_OPUS_EBIG, "packet too large");
			return;
		}
		ret = ogg_stream_packetout(&r->os, &op);
		if (ret == 0)
			break;
		if (ret < 0) {
			r->sum.lost++;
			r->sum.flags |= SP_OPUS_ELOST;
			r->gap = 1;
			continue;
		}
		if (r->state == RS_HEAD) {
			if (parse_head(&r->head, op.packet, (size_t)op.bytes)
			    != 0) {
				fail(r, SP_OPUS_EHEAD, "malformed OpusHead");
				return;
			}
			r->state = RS_TAGS;
			got_head = 1;
			nhead++;
			continue;
		}
		if (r->state == RS_TAGS) {
			if (op.bytes > SP_OPUS_MAXTAGS ||
			    parse_tags(&r->tags, op.packet, (size_t)op.bytes)
			    != 0) {
				fail(r, SP_OPUS_ETAGS, "malformed OpusTags");
				return;
			}
			r->state = RS_AUDIO;
			nhead++;
			continue;
		}
		if (r->state != RS_AUDIO)
			continue;
		if (op.bytes > SP_OPUS_MAXPACKET) {
			fail(r, SP_OPUS_EBIG, "packet too large");
			return;
		}
		if (nhead > 0)
			r->sum.flags |= SP_OPUS_ELAYOUT;
		if (r->npk == MAXPERPAGE)
			continue;	/* cannot happen: 255 lacing values */
		r->pk[r->npk] = op;
		r->dur[r->npk] = sp_opus_packet_samples(op.packet,
		    (size_t)op.bytes);
		if (r->dur[r->npk] == 0)
			r->sum.flags |= SP_OPUS_EPACKET;
		r->npk++;
	}
	/* Each header finishes its page, and OpusHead is alone (3). */
	if (nhead > 0 && (ogg_page_granulepos(og) != 0 ||
	    (got_head && (ogg_page_packets(og) != 1 ||
	    ogg_page_continued(og)))))
		r->sum.flags |= SP_OPUS_ELAYOUT;
	if (r->npk > 0) {
		stamp(r, ogg_page_granulepos(og), ogg_page_eos(og));
		r->sum.packets += r->npk;
		update_samples(r);
	}
	if (ogg_page_eos(og) && r->state >= RS_AUDIO) {
		r->last_eos = 1;
		r->state = RS_DRAIN;
	}
}

static void
do_page(struct sp_opus_reader *r, ogg_page *og)
{
	uint32_t serial = (uint32_t)ogg_page_serialno(og);
	uint32_t seq = (uint32_t)ogg_page_pageno(og);

	r->sum.pages++;
	if (ogg_page_bos(og))
		r->sum.streams++;
	if (!r->have_os) {
		/* The first BOS page that holds an OpusHead picks the stream. */
		if (!ogg_page_bos(og) || og->body_len < 8 ||
		    memcmp(og->body, "OpusHead", 8) != 0)
			return;
		if (ogg_stream_init(&r->os, (int)serial) != 0) {
			fail(r, SP_OPUS_EREAD, "out of memory in libogg");
			return;
		}
		r->have_os = 1;
		r->sum.serial = serial;
	} else if (serial != r->sum.serial || r->state == RS_DRAIN)
		return;
	else if (ogg_page_bos(og)) {
		/* The same serial again: a chained copy; not ours. */
		if (r->state == RS_AUDIO)
			r->sum.flags |= SP_OPUS_ETRUNC;
		r->state = RS_DRAIN;
		return;
	}
	r->sum.stream_pages++;
	if (r->have_seq && seq != r->lastseq + 1) {
		r->sum.seq_gaps++;
		r->sum.flags |= SP_OPUS_ESEQ;
		r->gap = 1;
	}
	r->have_seq = 1;
	r->lastseq = seq;
	r->pageno = seq;
	if (ogg_stream_pagein(&r->os, og) != 0)
		return;
	take_packets(r, og);
}

static void
at_end(struct sp_opus_reader *r)
{
	if (r->sum.pages == 0)
		fail(r, SP_OPUS_ENOTOGG, "not an Ogg file");
	else if (!r->have_os)
		fail(r, SP_OPUS_ENOTOPUS, "no Opus stream");
	else if (r->state == RS_HEAD)
		fail(r, SP_OPUS_EHEAD, "no OpusHead packet");
	else if (r->state == RS_TAGS)
		fail(r, SP_OPUS_ETAGS, "no OpusTags packet");
	else {
		if (r->state == RS_AUDIO)
			r->sum.flags |= SP_OPUS_ETRUNC;
		r->state = RS_DONE;
	}
	if (r->sum.streams > 1)
		r->sum.flags |= SP_OPUS_ECHAIN;
	update_samples(r);
}

/* Read pages until packets are ready, the headers are in, or the end. */
static int
pump(struct sp_opus_reader *r, int headers)
{
	ogg_page og;
	int rc;

	while (r->ipk == r->npk) {
		if (r->state == RS_FAIL)
			return -1;
		if (r->state == RS_DONE)
			return 0;
		if (headers && r->state >= RS_AUDIO)
			return 1;
		r->npk = r->ipk = 0;
		rc = get_page(r, &og);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			at_end(r);
			return r->state == RS_FAIL ? -1 : 0;
		}
		do_page(r, &og);
	}
	return 1;
}

struct sp_opus_reader *
sp_opus_reader_new(sp_opus_read_fn *rd, void *ctx)
{
	struct sp_opus_reader *r;

	r = sp_xcalloc(1, sizeof(*r));
	r->rd = rd;
	r->ctx = ctx;
	ogg_sync_init(&r->oy);
	sp_opus_tags_init(&r->tags);
	pump(r, 1);
	return r;
}

struct sp_opus_reader *
sp_opus_reader_file(FILE *fp)
{
	return sp_opus_reader_new(file_read, fp);
}

void
sp_opus_reader_free(struct sp_opus_reader *r)
{
	if (r == NULL)
		return;
	if (r->have_os)
		ogg_stream_clear(&r->os);
	ogg_sync_clear(&r->oy);
	sp_opus_tags_release(&r->tags);
	free(r);
}

const char *
sp_opus_reader_error(const struct sp_opus_reader *r)
{
	return r->err;
}

const struct sp_opus_head *
sp_opus_reader_head(const struct sp_opus_reader *r)
{
	return &r->head;
}

const struct sp_opus_tags *
sp_opus_reader_tags(const struct sp_opus_reader *r)
{
	return &r->tags;
}

const struct sp_opus_summary *
sp_opus_reader_summary(const struct sp_opus_reader *r)
{
	return &r->sum;
}

int
sp_opus_next(struct sp_opus_reader *r, struct sp_opus_packet *p)
{
	size_t i;
	int rc;

	rc = pump(r, 0);
	if (rc <= 0)
		return rc;
	i = r->ipk++;
	p->data = r->pk[i].packet;
	p->len = (size_t)r->pk[i].bytes;
	p->index = r->index++;
	p->duration = r->dur[i];
	p->granule = r->gran[i];
	p->page = r->pageno;
	p->last = r->last_eos && r->ipk == r->npk;
	return 1;
}

/* Writer. */

#define PAGE_SAMPLES	48000	/* close a page after 1 s of audio */

struct sp_opus_writer {
	FILE		*fp;
	ogg_stream_state os;
	int64_t		 start;		/* start granule */
	int64_t		 granule;	/* after every packet, held included */
	int64_t		 pending;	/* samples not yet on a page */
	unsigned	 preskip;
	uint8_t		*held;		/* the last packet, not yet queued */
	size_t		 nheld, capheld;
	unsigned	 held_dur;
	int		 have_held;
	ogg_int64_t	 packetno;
	uint64_t	 pages;
	int		 failed;	/* errno of a write error, sticky */
};

static int
write_page(struct sp_opus_writer *w, const ogg_page *og)
{
	if (fwrite(og->header, 1, (size_t)og->header_len, w->fp) !=
	    (size_t)og->header_len ||
	    fwrite(og->body, 1, (size_t)og->body_len, w->fp) !=
	    (size_t)og->body_len) {
		w->failed = errno != 0 ? errno : EIO;
		return -1;
	}
	w->pages++;
	return 0;
}

/* Write the pages libogg has ready; all of them when flush. */
static int
drain(struct sp_opus_writer *w, int flush)
{
	ogg_page og;

	for (;;) {
		if (flush ? ogg_stream_flush(&w->os, &og) == 0 :
		    ogg_stream_pageout(&w->os, &og) == 0)
			return 0;
		if (write_page(w, &og) != 0)
			return -1;
		w->pending = 0;
	}
}

static int
queue(struct sp_opus_writer *w, const uint8_t *p, size_t n, int64_t gp,
    int bos, int eos)
{
	ogg_packet op;

	memset(&op, 0, sizeof(op));
	op.packet = (unsigned char *)(uintptr_t)p;
	op.bytes = (long)n;
	op.b_o_s = bos;
	op.e_o_s = eos;
	op.granulepos = gp;
	op.packetno = w->packetno++;
	if (ogg_stream_packetin(&w->os, &op) != 0) {
		w->failed = ENOMEM;
		return -1;
	}
	return 0;
}

static int
head_ok(const struct sp_opus_head *h)
{
	unsigned i;

	if (h->channels < 1 || h->channels > 255 || h->preskip > 65535 ||
	    h->gain < -32768 || h->gain > 32767 || h->family > 255)
		return 0;
	if (h->family == 0)
		return h->channels <= 2;
	if (h->streams < 1 || h->coupled > h->streams ||
	    h->streams + h->coupled > 255 ||
	    (h->family == 1 && h->channels > 8))
		return 0;
	for (i = 0; i < h->channels; i++)
		if (h->mapping[i] != 255 &&
		    h->mapping[i] >= h->streams + h->coupled)
			return 0;
	return 1;
}

static uint32_t
random_serial(void)
{
	uint32_t s;

	if (getentropy(&s, sizeof(s)) != 0)
		s = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	return s;
}

struct sp_opus_writer *
sp_opus_writer_new(FILE *fp, const struct sp_opus_head *h,
    const struct sp_opus_tags *t, uint32_t serial, int64_t start_granule)
{
	struct sp_opus_writer *w;
	uint8_t head[21 + 255], *b;
	size_t n, nh, i, len;
	const char *vendor;

	if (!head_ok(h) || start_granule < 0) {
		errno = EINVAL;
		return NULL;
	}
	w = sp_xcalloc(1, sizeof(*w));
	w->fp = fp;
	w->start = w->granule = start_granule;
	w->preskip = h->preskip;
	if (ogg_stream_init(&w->os, (int)(serial != 0 ? serial :
	    random_serial())) != 0) {
		free(w);
		errno = ENOMEM;
		return NULL;
	}

	memcpy(head, "OpusHead", 8);
	head[8] = 1;
	head[9] = (uint8_t)h->channels;
	head[10] = h->preskip & 0xFF;
	head[11] = (uint8_t)(h->preskip >> 8);
	put32(head + 12, h->input_rate);
	head[16] = (uint8_t)((unsigned)h->gain & 0xFF);
	head[17] = (uint8_t)(((unsigned)h->gain >> 8) & 0xFF);
	head[18] = (uint8_t)h->family;
	nh = 19;
	if (h->family != 0) {
		head[19] = (uint8_t)h->streams;
		head[20] = (uint8_t)h->coupled;
		memcpy(head + 21, h->mapping, h->channels);
		nh = 21 + h->channels;
	}

	/* OpusTags: vendor, comments, then any kept binary data. */
	vendor = t != NULL && t->vendor != NULL ? t->vendor : "spaces";
	len = 8 + 4 + strlen(vendor) + 4;
	for (i = 0; t != NULL && i < t->ncomments; i++)
		len += 4 + strlen(t->comments[i]);
	if (t != NULL)
		len += t->nextra;
	b = sp_xmalloc(len);
	memcpy(b, "OpusTags", 8);
	put32(b + 8, (uint32_t)strlen(vendor));
	memcpy(b + 12, vendor, strlen(vendor));
	n = 12 + strlen(vendor);
	put32(b + n, (uint32_t)(t != NULL ? t->ncomments : 0));
	n += 4;
	for (i = 0; t != NULL && i < t->ncomments; i++) {
		put32(b + n, (uint32_t)strlen(t->comments[i]));
		memcpy(b + n + 4, t->comments[i], strlen(t->comments[i]));
		n += 4 + strlen(t->comments[i]);
	}
	if (t != NULL && t->nextra > 0) {
		memcpy(b + n, t->extra, t->nextra);
		n += t->nextra;
	}

	/* Each header on its own page(s), granule 0 (RFC 7845 3). */
	if (queue(w, head, nh, 0, 1, 0) != 0 || drain(w, 1) != 0 || queue(w, b, n, 0, 0, 0) != 0 ||
	    drain(w, 1) != 0) {
		free(b);
		errno = w->failed;
		sp_opus_writer_free(w);
		return NULL;
	}
	free(b);
	return w;
}

int
sp_opus_writer_packet(struct sp_opus_writer *w, const uint8_t *p, size_t n,
    unsigned duration)
{
	unsigned toc;

	if (w->failed) {
		errno = w->failed;
		return -1;
	}
	toc = sp_opus_packet_samples(p, n);
	if (toc == 0 || (duration != 0 && duration != toc) ||
	    n > (size_t)SP_OPUS_MAXPACKET || w->granule > INT64_MAX - toc) {
		errno = EINVAL;
		return -1;
	}
	/* The held packet is not the last one: it goes out now. */
	if (w->have_held) {
		if (queue(w, w->held, w->nheld, w->granule, 0, 0) != 0 ||
		    drain(w, w->pending >= PAGE_SAMPLES) != 0) {
			errno = w->failed;
			return -1;
		}
	}
	if (n > w->capheld) {
		w->held = sp_xrealloc(w->held, n);
		w->capheld = n;
	}
	memcpy(w->held, p, n);
	w->nheld = n;
	w->held_dur = toc;
	w->have_held = 1;
	w->granule += toc;
	w->pending += toc;
	return 0;
}

int
sp_opus_writer_finish(struct sp_opus_writer *w, int64_t end_granule)
{
	int64_t prev, final;

	if (w->failed) {
		errno = w->failed;
		return -1;
	}
	if (!w->have_held) {
		errno = EINVAL;
		return -1;
	}
	prev = w->granule - w->held_dur;
	final = end_granule < 0 ? w->granule : end_granule;
	/* The trim lies within the last packet (4.4), and at least the
	 * pre-skip is decoded. */
	if (final <= prev || final > w->granule ||
	    final < w->start + (int64_t)w->preskip) {
		errno = EINVAL;
		return -1;
	}
	if (queue(w, w->held, w->nheld, final, 0, 1) != 0 ||
	    drain(w, 1) != 0) {
		errno = w->failed;
		return -1;
	}
	w->have_held = 0;
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		w->failed = errno != 0 ? errno : EIO;
		errno = w->failed;
		return -1;
	}
	return 0;
}

int64_t
sp_opus_writer_granule(const struct sp_opus_writer *w)
{
	return w->granule;
}

uint64_t
sp_opus_writer_pages(const struct sp_opus_writer *w)
{
	return w->pages;
}

void
sp_opus_writer_free(struct sp_opus_writer *w)
{
	if (w == NULL)
		return;
	ogg_stream_clear(&w->os);
	free(w->held);
	free(w);
}
