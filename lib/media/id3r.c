/* id3r: read ID3v2 and ID3v1 tags (text, chapters) and the MP3 info frame. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "id3r.h"
#include "xalloc.h"
#include "banned.h"

/*
 * How it works.  The caller hands over a whole tag (or what the file holds
 * of it).  v2.2 and v2.3 unsynchronise the whole tag, frame headers too, so
 * such a body is first copied and undone; v2.4 does it frame by frame.
 * Frames are walked by their sizes, each checked against what remains;
 * only the frames we read are copied (to undo unsynchronisation), the
 * others are stepped over.  CHAP and CTOC frames of one tag are gathered,
 * then the chapters are put in the order the table of contents gives.
 */

/* Tag flags. */
#define TAG_UNSYNC	0x80
#define TAG_EXT		0x40	/* v2.2: compression */
/* Frame format flags, v2.3 and v2.4 spellings. */
#define F23_COMPRESS	0x80
#define F23_ENCRYPT	0x40
#define F23_GROUP	0x20
#define F24_GROUP	0x40
#define F24_COMPRESS	0x08
#define F24_ENCRYPT	0x04
#define F24_UNSYNC	SP_ID3_F24_UNSYNC
#define F24_DLI		0x01

int
sp_id3_frame_skip(unsigned version, unsigned flags, int *unsync)
{
	if (unsync != NULL)
		*unsync = version == 4 && (flags & F24_UNSYNC);
	if (version == 3)
		return flags & (F23_COMPRESS | F23_ENCRYPT) ? -1 :
		    (flags & F23_GROUP) ? 1 : 0;
	if (version == 4)
		return flags & (F24_COMPRESS | F24_ENCRYPT) ? -1 :
		    ((flags & F24_GROUP) ? 1 : 0) + ((flags & F24_DLI) ? 4 : 0);
	return 0;
}
/* CTOC flags. */
#define TOC_TOP		0x02

#define KEYMAX		64	/* bytes of a TXXX/COMM description */
#define IDMAX		64	/* bytes kept of a CHAP/CTOC element id */
#define MAXTOCS		16	/* CTOC frames read per tag */
#define MAXDEPTH	8	/* CTOCs within CTOCs */

/* ---- Pieces shared with lib/adts.c ---- */

uint32_t
sp_id3_syncsafe(const uint8_t *b)
{
	return (uint32_t)b[0] << 21 | (uint32_t)b[1] << 14 |
	    (uint32_t)b[2] << 7 | b[3];
}

static uint32_t
be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

int
sp_id3_size(const uint8_t *b, size_t n, size_t *total)
{
	/* Tag flags undefined in v2.2, v2.3, v2.4 must be clear. */
	static const uint8_t undef[5] = { 0, 0, 0x3F, 0x1F, 0x0F };

	if (n < 10 || memcmp(b, "ID3", 3) != 0 || b[3] < 2 || b[3] > 4 ||
	    b[4] == 0xFF || (b[5] & undef[b[3]]) != 0 ||
	    ((b[6] | b[7] | b[8] | b[9]) & 0x80) != 0)
		return -1;
	*total = 10 + (size_t)sp_id3_syncsafe(b + 6) +
	    (b[3] == 4 && (b[5] & 0x10) ? 10 : 0);
	return 0;
}

size_t
sp_id3_unsync(uint8_t *d, size_t n)
{
	size_t i, j;

	for (i = j = 0; i < n; i++) {
		d[j++] = d[i];
		if (d[i] == 0xFF && i + 1 < n && d[i + 1] == 0)
			i++;
	}
	return j;
}

static void
put(char *dst, size_t cap, size_t *len, uint32_t c, int *full)
{
	size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	unsigned sh = 6 * (n - 1);

	if (*full || *len + n >= cap) {
		*full = 1;
		return;
	}
	if (n == 1)
		dst[(*len)++] = (char)c;
	else {
		dst[(*len)++] = (char)((0xF0u << (4 - n)) | (c >> sh));
		while (sh > 0) {
			sh -= 6;
			dst[(*len)++] = (char)(0x80 | ((c >> sh) & 0x3F));
		}
	}
	dst[*len] = '\0';
}

/* One UTF-8 character at s: its length, *c (U+FFFD if malformed). */
static size_t
utf8_next(const uint8_t *s, size_t n, uint32_t *c)
{
	uint32_t v = s[0], min;
	size_t len, i;

	if (v < 0x80) {
		*c = v;
		return 1;
	}
	if (v >= 0xC2 && v <= 0xDF)
		len = 2, v &= 0x1F, min = 0x80;
	else if (v >= 0xE0 && v <= 0xEF)
		len = 3, v &= 0x0F, min = 0x800;
	else if (v >= 0xF0 && v <= 0xF4)
		len = 4, v &= 0x07, min = 0x10000;
	else
		goto bad;
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*c = v;
	return len;
bad:
	*c = 0xFFFD;
	return 1;
}

size_t
sp_id3_text(unsigned enc, const uint8_t *s, size_t n, char *dst, size_t cap,
    int *full)
{
	size_t i = 0, len = 0;
	uint32_t c, lo;
	int le = 0;

	dst[0] = '\0';
	if (enc == 1 || enc == 2) {
		if (enc == 1 && n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
		    (s[0] == 0xFE && s[1] == 0xFF))) {
			le = s[0] == 0xFF;
			i = 2;
		}
		for (; i + 1 < n; i += 2) {
			c = le ? s[i] | (uint32_t)s[i + 1] << 8 :
			    (uint32_t)s[i] << 8 | s[i + 1];
			if (c == 0)
				return i + 2;
			if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
				lo = le ? s[i + 2] | (uint32_t)s[i + 3] << 8 :
				    (uint32_t)s[i + 2] << 8 | s[i + 3];
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					c = 0x10000 + ((c - 0xD800) << 10) +
					    (lo - 0xDC00);
					i += 2;
				}
			}
			if (c >= 0xD800 && c <= 0xDFFF)
				c = 0xFFFD;
			put(dst, cap, &len, c, full);
		}
		return n;
	}
	while (i < n) {
		if (s[i] == 0)
			return i + 1;
		if (enc == 3)
			i += utf8_next(s + i, n - i, &c);
		else
			c = s[i++];
		put(dst, cap, &len, c, full);
	}
	return n;
}

/* ---- The tag reader ---- */

/* Text frames and their keys: v2.3/v2.4 id, v2.2 id. */
static const struct {
	const char	*id, *id22, *key;
} keys[] = {
	{ "TIT2", "TT2", "title" },
	{ "TPE1", "TP1", "artist" },
	{ "TALB", "TAL", "album" },
	{ "TPE2", "TP2", "album_artist" },
	{ "TCOM", "TCM", "composer" },
	{ "TCON", "TCO", "genre" },
	{ "TRCK", "TRK", "track" },
	{ "TPOS", "TPA", "disc" },
	{ "TPUB", "TPB", "publisher" },
	{ "TCOP", "TCR", "copyright" },
	{ "TENC", "TEN", "encoded_by" },
	{ "TSSE", "TSS", "encoder" },
	{ "TLAN", "TLA", "language" },
	{ "TDRC", "TYE", "date" },	/* v2.4 */
	{ "TYER", "TYE", "date" }	/* v2.3 */
};

struct fhead {
	char		 id[5];
	size_t		 hlen;		/* 6 (v2.2) or 10 */
	size_t		 size;		/* of the data after the header */
	unsigned	 flags;		/* format flags; 0 for v2.2 */
};

struct toc {
	char		 id[IDMAX + 1];
	unsigned	 flags;
	char		**kids;
	size_t		 nkids;
	int		 seen;
};

/* One tag's parse. */
struct rd {
	struct sp_id3r	*t;
	unsigned	 v;		/* 2, 3, 4 */
	int		 ss;		/* v2.4 frame sizes are syncsafe */
	int		 unsync_all;	/* v2.4: every frame unsynchronised */
	int		 trunc;		/* the bytes end before the tag */
	struct sp_id3r_chapter *ch;	/* CHAPs in frame order */
	unsigned char	*used;		/* ch[i] is placed */
	size_t		 nch, room;	/* room: CHAPs still kept */
	struct toc	 tocs[MAXTOCS];
	size_t		 ntocs;
};

void
sp_id3r_init(struct sp_id3r *t)
{
	memset(t, 0, sizeof(*t));
}

static void
chapter_free(struct sp_id3r_chapter *c)
{
	free(c->title);
	free(c->url);
	free(c->id);
}

void
sp_id3r_release(struct sp_id3r *t)
{
	size_t i;

	for (i = 0; i < t->ntags; i++) {
		free(t->tags[i].key);
		free(t->tags[i].value);
	}
	for (i = 0; i < t->nchapters; i++)
		chapter_free(&t->chapters[i]);
	free(t->tags);
	free(t->chapters);
	sp_id3r_init(t);
}

const char *
sp_id3r_get(const struct sp_id3r *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->ntags; i++)
		if (strcmp(t->tags[i].key, key) == 0)
			return t->tags[i].value;
	return NULL;
}

/* Room for one more in an array of n grown by doubling from 8. */
static void *
grow(void *v, size_t n, size_t size)
{
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
		return sp_xreallocarray(v, n ? n * 2 : 8, size);
	return v;
}

/* The bytes of the string at s in encoding enc, terminator included. */
static size_t
text_len(unsigned enc, const uint8_t *s, size_t n)
{
	char c;
	int full = 0;

	return sp_id3_text(enc, s, n, &c, 1, &full);
}

/* Keep key = value (both taken, value may be NULL) unless key has one. */
static void
set_tag(struct sp_id3r *t, char *key, char *value)
{
	if (value == NULL || sp_id3r_get(t, key) != NULL) {
		free(key);
		free(value);
		return;
	}
	if (t->ntags >= SP_ID3R_MAXTAGS) {
		t->errors |= SP_ID3R_ELIMIT;
		free(key);
		free(value);
		return;
	}
	t->tags = grow(t->tags, t->ntags, sizeof(*t->tags));
	t->tags[t->ntags].key = key;
	t->tags[t->ntags].value = value;
	t->ntags++;
}

/*
 * The strings in encoding enc at s (one, or all of them when all), as a
 * new UTF-8 string joined with "; ", empty ones left out; NULL when there
 * is no text.  Each input byte gives at most 3 output bytes and each
 * string at most 2 of separator, so 5 * n + 1 is room enough.
 */
static char *
strings(struct sp_id3r *t, unsigned enc, const uint8_t *s, size_t n, int all)
{
	size_t cap, len = 0, i = 0, plen, sep;
	int full = 0;
	char *out;

	cap = n > SP_ID3R_VALMAX / 5 ? SP_ID3R_VALMAX + 1 : 5 * n + 1;
	out = sp_xmalloc(cap);
	out[0] = '\0';
	while (i < n && !full) {
		sep = len > 0 ? 2 : 0;
		if (cap - len <= sep + 1) {
			full = 1;
			break;
		}
		i += sp_id3_text(enc, s + i, n - i, out + len + sep,
		    cap - len - sep, &full);
		if ((plen = strlen(out + len + sep)) > 0) {
			if (sep)
				memcpy(out + len, "; ", 2);
			len += sep + plen;
		}
		out[len] = '\0';
		if (!all)
			break;
	}
	if (full)
		t->errors |= SP_ID3R_ECUT;
	if (len == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* A description as a key, ASCII lower case (cut to KEYMAX); NULL if empty. */
static char *
desc_key(unsigned enc, const uint8_t *s, size_t n, size_t *used)
{
	char key[KEYMAX + 1], *p;
	int full = 0;

	*used = sp_id3_text(enc, s, n, key, sizeof(key), &full);
	if (key[0] == '\0')
		return NULL;
	for (p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return sp_xstrdup(key);
}

/* A NUL-terminated element id at d: a new copy cut to IDMAX, or NULL. */
static char *
element_id(const uint8_t *d, size_t n, size_t *used)
{
	const uint8_t *z = memchr(d, 0, n);

	if (z == NULL)
		return NULL;
	*used = (size_t)(z - d) + 1;
	return sp_xstrndup((const char *)d, (size_t)(z - d) < IDMAX ?
	    (size_t)(z - d) : IDMAX);
}

/*
 * The frame header at b, n bytes to the end of its region: 1 with h set,
 * 0 at padding or the end, -1 when it is not a frame header or the frame
 * runs past the region.
 */
static int
frame_head(const uint8_t *b, size_t n, unsigned v, int ss, struct fhead *h)
{
	size_t idlen = v == 2 ? 3 : 4, i;

	if (n == 0 || b[0] == 0)
		return 0;
	h->hlen = v == 2 ? 6 : 10;
	if (n < h->hlen)
		return -1;
	for (i = 0; i < idlen; i++)
		if (!((b[i] >= 'A' && b[i] <= 'Z') ||
		    (b[i] >= '0' && b[i] <= '9')))
			return -1;
	memcpy(h->id, b, idlen);
	h->id[idlen] = '\0';
	h->flags = 0;
	if (v == 2)
		h->size = (size_t)b[3] << 16 | (size_t)b[4] << 8 | b[5];
	else if (v == 3 || !ss)
		h->size = be32(b + 4);
	else if ((b[4] | b[5] | b[6] | b[7]) & 0x80)
		return -1;
	else
		h->size = sp_id3_syncsafe(b + 4);
	if (v > 2)
		h->flags = b[9];
	return h->size <= n - h->hlen ? 1 : -1;
}

/* Do the frames in b[0..n) step to padding or the end with sizes read so? */
static int
sizes_fit(const uint8_t *b, size_t n, int ss)
{
	struct fhead h;
	size_t off = 0;
	int r;

	while ((r = frame_head(b + off, n - off, 4, ss, &h)) == 1)
		off += h.hlen + h.size;
	return r == 0;
}

/*
 * The data of a frame: *d and *dn, after undoing unsynchronisation (into
 * *copy, new) and stepping over the grouping and length bytes.  Returns 0,
 * or -1 when it cannot be read (compressed, encrypted).
 */
static int
payload(struct rd *r, const struct fhead *h, const uint8_t *p, int sub,
    uint8_t **copy, const uint8_t **d, size_t *dn)
{
	size_t n = h->size, skip;
	int k, unsync;

	*copy = NULL;
	if ((k = sp_id3_frame_skip(r->v, h->flags, &unsync)) < 0)
		goto unread;
	skip = (size_t)k;
	/* A CHAP's data was undone already, subframes and all. */
	if (r->v == 4 && (unsync || (r->unsync_all && !sub))) {
		*copy = sp_xmalloc(n ? n : 1);
		memcpy(*copy, p, n);
		n = sp_id3_unsync(*copy, n);
		p = *copy;
	}
	if (n < skip) {
		r->t->errors |= SP_ID3R_EBAD;
		free(*copy);
		*copy = NULL;
		return -1;
	}
	*d = p + skip;
	*dn = n - skip;
	return 0;
unread:
	r->t->errors |= SP_ID3R_ESKIP;
	return -1;
}

static void	walk(struct rd *r, const uint8_t *b, size_t n,
		    struct sp_id3r_chapter *in);

/* CHAP: element id, start and end (ms), byte offsets, subframes. */
static void
chap(struct rd *r, const uint8_t *d, size_t n)
{
	struct sp_id3r_chapter c;
	size_t k;

	memset(&c, 0, sizeof(c));
	if ((c.id = element_id(d, n, &k)) == NULL || n - k < 16) {
		free(c.id);
		r->t->errors |= SP_ID3R_EBAD;
		return;
	}
	if (r->room == 0) {
		free(c.id);
		r->t->errors |= SP_ID3R_ELIMIT;
		return;
	}
	c.start = be32(d + k);
	c.end = be32(d + k + 4);
	walk(r, d + k + 16, n - k - 16, &c);
	if (c.title == NULL)
		c.title = sp_xstrdup("");
	r->ch = grow(r->ch, r->nch, sizeof(*r->ch));
	r->used = grow(r->used, r->nch, 1);
	r->used[r->nch] = 0;
	r->ch[r->nch++] = c;
	r->room--;
}

/* CTOC: element id, flags, the count of children, their ids. */
static void
ctoc(struct rd *r, const uint8_t *d, size_t n)
{
	struct toc *c;
	size_t k, used, i, count;
	char *id;

	if ((id = element_id(d, n, &k)) == NULL || n - k < 2) {
		free(id);
		r->t->errors |= SP_ID3R_EBAD;
		return;
	}
	if (r->ntocs == MAXTOCS) {
		free(id);
		r->t->errors |= SP_ID3R_ELIMIT;
		return;
	}
	c = &r->tocs[r->ntocs++];
	memcpy(c->id, id, strlen(id) + 1);
	free(id);
	c->flags = d[k];
	count = d[k + 1];
	k += 2;
	c->kids = sp_xcalloc(count ? count : 1, sizeof(*c->kids));
	for (i = 0; i < count; i++, k += used) {
		if ((c->kids[c->nkids] = element_id(d + k, n - k, &used)) ==
		    NULL) {
			r->t->errors |= SP_ID3R_EBAD;
			break;
		}
		c->nkids++;
	}
}

/* One frame we may read: p holds its h->size bytes of data. */
static void
frame(struct rd *r, const struct fhead *h, const uint8_t *p,
    struct sp_id3r_chapter *in)
{
	const char *id = h->id, *key = NULL;
	const uint8_t *d;
	uint8_t *copy;
	size_t i, n, k;
	char *dkey;
	int txxx = 0, comm = 0, title = 0, url = 0, ch = 0, toc = 0;

	if (in != NULL) {
		/* In a CHAP: its title and its link. */
		title = strcmp(id, "TIT2") == 0 && in->title == NULL;
		url = strcmp(id, "WXXX") == 0 && in->url == NULL;
	} else {
		txxx = strcmp(id, r->v == 2 ? "TXX" : "TXXX") == 0;
		comm = strcmp(id, r->v == 2 ? "COM" : "COMM") == 0;
		ch = r->v > 2 && strcmp(id, "CHAP") == 0;
		toc = r->v > 2 && strcmp(id, "CTOC") == 0;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(id, r->v == 2 ? keys[i].id22 :
			    keys[i].id) == 0) {
				key = keys[i].key;
				break;
			}
	}
	if (!(title || url || txxx || comm || ch || toc || key))
		return;
	if (payload(r, h, p, in != NULL, &copy, &d, &n) != 0)
		return;
	if (ch)
		chap(r, d, n);
	else if (toc)
		ctoc(r, d, n);
	else if (n < 1 || d[0] > 3)
		;		/* no text, or an encoding we do not know */
	else if (title)
		in->title = strings(r->t, d[0], d + 1, n - 1, 1);
	else if (url) {
		/* Encoding, description, then a Latin-1 url. */
		k = 1 + text_len(d[0], d + 1, n - 1);
		in->url = strings(r->t, 0, d + k, n - k, 0);
	} else if (key)
		set_tag(r->t, sp_xstrdup(key), strings(r->t, d[0], d + 1,
		    n - 1, 1));
	else if (txxx) {
		if ((dkey = desc_key(d[0], d + 1, n - 1, &k)) != NULL)
			set_tag(r->t, dkey, strings(r->t, d[0], d + 1 + k,
			    n - 1 - k, 1));
	} else if (n >= 4) {
		/* COMM: encoding, language, description, text. */
		if ((dkey = desc_key(d[0], d + 4, n - 4, &k)) == NULL)
			dkey = sp_xstrdup("comment");
		set_tag(r->t, dkey, strings(r->t, d[0], d + 4 + k,
		    n - 4 - k, 1));
	}
	free(copy);
}

/* The frames in b[0..n): a tag's body, or a CHAP's subframes (in). */
static void
walk(struct rd *r, const uint8_t *b, size_t n, struct sp_id3r_chapter *in)
{
	struct fhead h;
	size_t off;
	int s;

	for (off = 0; off < n; off += h.hlen + h.size) {
		if ((s = frame_head(b + off, n - off, r->v, r->ss, &h)) == 0)
			break;
		if (s < 0) {
			/* Cut by the end of the bytes: not the tag's fault. */
			if (!r->trunc || in != NULL)
				r->t->errors |= SP_ID3R_EBAD;
			break;
		}
		frame(r, &h, b + off + h.hlen, in);
	}
}

static void
place(struct rd *r, size_t i)
{
	struct sp_id3r *t = r->t;

	t->chapters = grow(t->chapters, t->nchapters, sizeof(*t->chapters));
	t->chapters[t->nchapters++] = r->ch[i];
	r->used[i] = 1;
}

/* The chapters a CTOC lists, CTOCs within it followed, in its order. */
static void
follow(struct rd *r, struct toc *c, int depth)
{
	size_t i, j;

	if (c->seen || depth > MAXDEPTH)
		return;
	c->seen = 1;
	for (i = 0; i < c->nkids; i++) {
		for (j = 0; j < r->nch; j++)
			if (!r->used[j] && strcmp(r->ch[j].id, c->kids[i]) == 0)
				break;
		if (j < r->nch) {
			place(r, j);
			continue;
		}
		for (j = 0; j < r->ntocs; j++)
			if (strcmp(r->tocs[j].id, c->kids[i]) == 0) {
				follow(r, &r->tocs[j], depth + 1);
				break;
			}
	}
}

/* Place the chapters of the tag just read, then free what it held. */
static void
finish(struct rd *r)
{
	size_t i, j, best;

	for (i = 0; i < r->ntocs; i++)
		if (r->tocs[i].flags & TOC_TOP) {
			follow(r, &r->tocs[i], 0);
			break;
		}
	/* The rest by start, in frame order for equal starts. */
	for (;;) {
		best = r->nch;
		for (j = 0; j < r->nch; j++)
			if (!r->used[j] && (best == r->nch ||
			    r->ch[j].start < r->ch[best].start))
				best = j;
		if (best == r->nch)
			break;
		place(r, best);
	}
	for (i = 0; i < r->ntocs; i++) {
		for (j = 0; j < r->tocs[i].nkids; j++)
			free(r->tocs[i].kids[j]);
		free(r->tocs[i].kids);
	}
	free(r->ch);
	free(r->used);
}

int
sp_id3r_parse(struct sp_id3r *t, const uint8_t *b, size_t n)
{
	struct rd r;
	const uint8_t *body;
	uint8_t *copy = NULL;
	size_t total, len, ext;

	if (sp_id3_size(b, n, &total) != 0)
		return -1;
	memset(&r, 0, sizeof(r));
	r.t = t;
	r.v = b[3];
	r.ss = 1;
	r.room = t->nchapters < SP_ID3R_MAXCHAP ?
	    SP_ID3R_MAXCHAP - t->nchapters : 0;
	t->tags_read++;
	if (t->version == 0)
		t->version = r.v;
	body = b + 10;
	len = sp_id3_syncsafe(b + 6);
	if (n - 10 < len) {
		len = n - 10;
		r.trunc = 1;
		t->errors |= SP_ID3R_ETRUNC;
	}
	if (r.v == 2 && (b[5] & TAG_EXT)) {
		/* v2.2 compression: no scheme was ever defined. */
		t->errors |= SP_ID3R_ESKIP;
		return 0;
	}
	if (r.v < 4 && (b[5] & TAG_UNSYNC)) {
		copy = sp_xmalloc(len ? len : 1);
		memcpy(copy, body, len);
		len = sp_id3_unsync(copy, len);
		body = copy;
	}
	r.unsync_all = r.v == 4 && (b[5] & TAG_UNSYNC);
	if (r.v > 2 && (b[5] & TAG_EXT)) {
		/* v2.3 counts the size field out, v2.4 in (and syncsafe). */
		if (len < 4)
			ext = SIZE_MAX;
		else if (r.v == 3)
			ext = (size_t)be32(body) + 4;
		else if ((body[0] | body[1] | body[2] | body[3]) & 0x80)
			ext = SIZE_MAX;
		else
			ext = sp_id3_syncsafe(body);
		if (ext < 4 || ext > len) {
			t->errors |= r.trunc ? 0 : SP_ID3R_EBAD;
			free(copy);
			return 0;
		}
		body += ext;
		len -= ext;
	}
	/* iTunes wrote v2.4 frame sizes as plain integers: tell by fit. */
	if (r.v == 4 && !sizes_fit(body, len, 1) && sizes_fit(body, len, 0))
		r.ss = 0;
	walk(&r, body, len, NULL);
	finish(&r);
	free(copy);
	return 0;
}

/* An ID3v1 field: Latin-1, NUL- or space-padded. */
static char *
v1_field(const uint8_t *s, size_t n)
{
	char buf[64];
	size_t len;
	int full = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == 0))
		n--;
	sp_id3_text(0, s, n, buf, sizeof(buf), &full);
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == ' ')
		buf[--len] = '\0';
	return len ? sp_xstrdup(buf) : NULL;
}

int
sp_id3r_v1(struct sp_id3r *t, const uint8_t *b, size_t n)
{
	int v11;

	if (n != 128 || memcmp(b, "TAG", 3) != 0)
		return -1;
	t->v1 = 1;
	/* v1.1: a NUL before the comment's last byte makes it a track. */
	v11 = b[125] == 0 && b[126] != 0;
	set_tag(t, sp_xstrdup("title"), v1_field(b + 3, 30));
	set_tag(t, sp_xstrdup("artist"), v1_field(b + 33, 30));
	set_tag(t, sp_xstrdup("album"), v1_field(b + 63, 30));
	set_tag(t, sp_xstrdup("date"), v1_field(b + 93, 4));
	set_tag(t, sp_xstrdup("comment"), v1_field(b + 97, v11 ? 28 : 30));
	if (v11)
		set_tag(t, sp_xstrdup("track"), sp_xasprintf("%u", b[126]));
	return 0;
}

/* ---- The MP3 info frame ---- */

static const uint16_t kbps[2][3][16] = {
	{	/* MPEG 1, layers I, II, III */
		{ 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384,
		    416, 448, 0 },
		{ 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256,
		    320, 384, 0 },
		{ 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224,
		    256, 320, 0 }
	}, {	/* MPEG 2 and 2.5 */
		{ 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192,
		    224, 256, 0 },
		{ 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144,
		    160, 0 },
		{ 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144,
		    160, 0 }
	}
};

int
sp_mp3_header(const uint8_t *b, size_t n, struct sp_mp3_frame *f)
{
	static const unsigned rates[3] = { 44100, 48000, 32000 };
	unsigned ver, lay, bri, sri, pad, lsf;

	if (n < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0)
		return -1;
	ver = (b[1] >> 3) & 3;		/* 0: 2.5, 1: reserved, 2: 2, 3: 1 */
	lay = (b[1] >> 1) & 3;		/* 0: reserved (ADTS), 1: III */
	bri = b[2] >> 4;
	sri = (b[2] >> 2) & 3;
	if (ver == 1 || lay == 0 || bri == 0 || bri == 15 || sri == 3)
		return -1;
	memset(f, 0, sizeof(*f));
	lsf = ver != 3;
	f->version = ver == 3 ? 1 : ver == 2 ? 2 : 25;
	f->layer = 4 - lay;
	f->crc = !(b[1] & 1);
	f->bitrate = kbps[lsf][f->layer - 1][bri] * 1000u;
	f->sample_rate = rates[sri] >> (ver == 3 ? 0 : ver == 2 ? 1 : 2);
	f->channels = (b[3] >> 6) == 3 ? 1 : 2;
	pad = (b[2] >> 1) & 1;
	if (f->layer == 1) {
		f->length = (12 * f->bitrate / f->sample_rate + pad) * 4;
		f->samples = 384;
	} else if (f->layer == 2 || !lsf) {
		f->length = 144 * f->bitrate / f->sample_rate + pad;
		f->samples = 1152;
	} else {
		f->length = 72 * f->bitrate / f->sample_rate + pad;
		f->samples = 576;
	}
	return 0;
}

/* A Xing/Info or VBRI tag in the layer III frame at b (n bytes of it)? */
static int
info_tag(const uint8_t *b, size_t n, struct sp_mp3_info *x)
{
	const struct sp_mp3_frame *f = &x->frame;
	size_t side, at, k;
	uint32_t flags;

	if (f->layer != 3)
		return 0;
	side = f->version == 1 ? (f->channels == 1 ? 17 : 32) :
	    (f->channels == 1 ? 9 : 17);
	/* After the side information; some writers count the CRC in. */
	for (at = 4 + side; at <= 6 + side; at += 2) {
		if (at + 8 > n || (memcmp(b + at, "Xing", 4) != 0 &&
		    memcmp(b + at, "Info", 4) != 0))
			continue;
		memcpy(x->kind, b + at, 4);
		flags = be32(b + at + 4);
		k = at + 8;
		if (flags & 1) {
			if (k + 4 <= n)
				x->frames = be32(b + k);
			k += 4;
		}
		if ((flags & 2) && k + 4 <= n)
			x->bytes = be32(b + k);
		return 1;
	}
	if (36 + 18 <= n && memcmp(b + 36, "VBRI", 4) == 0) {
		memcpy(x->kind, "VBRI", 4);
		x->bytes = be32(b + 36 + 10);
		x->frames = be32(b + 36 + 14);
		return 1;
	}
	return 0;
}

int
sp_mp3_info(const uint8_t *b, size_t n, struct sp_mp3_info *x)
{
	struct sp_mp3_frame g;
	size_t i;

	memset(x, 0, sizeof(*x));
	for (i = 0; i + 4 <= n && i <= 4096; i++) {
		if (b[i] != 0xFF || sp_mp3_header(b + i, n - i, &x->frame) != 0)
			continue;
		x->offset = i;
		if (info_tag(b + i, x->frame.length < n - i ?
		    x->frame.length : n - i, x))
			return 0;
		/* A chance sync is rarely followed by a frame like it. */
		if (x->frame.length <= n - i &&
		    sp_mp3_header(b + i + x->frame.length,
		    n - i - x->frame.length, &g) == 0 &&
		    g.version == x->frame.version &&
		    g.layer == x->frame.layer &&
		    g.sample_rate == x->frame.sample_rate)
			return 0;
	}
	memset(x, 0, sizeof(*x));
	return -1;
}
