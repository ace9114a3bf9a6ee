/* mp4: ISO-BMFF (M4A) for one AAC audio track: read and write. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "adts.h"
#include "box.h"
#include "err.h"
#include "io.h"
#include "mp4.h"
#include "xalloc.h"
#include "banned.h"

/*
 * How the reader works.  Boxes are walked through the FILE by offset;
 * only leaf boxes we use are read into memory, and never more than the
 * file holds.  Every track's sample tables land in a struct tab kept
 * close to how the file stores them: sizes (or one uniform size), time
 * runs (stts), chunk offsets and samples-per-chunk runs (stsc).  A
 * fragment's trun is one more chunk, so fragmented and plain files share
 * the lookup code.  After the tables are read, one pass over the samples
 * drops those whose bytes lie past the end of the file and keeps the
 * offset of every CKPT-th sample, so a lookup sums at most CKPT sizes.
 */

#define CKPT		64		/* samples between kept offsets */
#define MAXDEPTH	16		/* box nesting we follow */
#define LEAFMAX		((uint64_t)1 << 30)	/* largest leaf box read */
#define MAXTEXT		8		/* text tracks kept for chapters */
#define MAXCHAP		10000		/* chapters kept */

#define FOURCC(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
				 (uint32_t)(c) << 8 | (uint32_t)(d))

struct run {
	uint32_t	 count, delta;
};

struct scrun {
	uint64_t	 first;		/* 0-based chunk */
	uint32_t	 spc;		/* samples per chunk */
};

struct tab {
	uint64_t	 n;		/* samples */
	uint32_t	 usize;		/* uniform size; 0: sizes[] */
	uint32_t	*sizes;
	size_t		 sizes_cap;
	struct run	*tts;
	size_t		 ntts, tts_cap;
	uint64_t	*coff;
	size_t		 nchunk, coff_cap;
	struct scrun	*sc;
	size_t		 nsc, sc_cap;
	/* Built by tab_index. */
	uint64_t	*sc_sample;	/* first sample of each sc run */
	uint64_t	*tts_sample;	/* first sample of each time run */
	uint64_t	*tts_time;	/* its time; [ntts] is the total */
	uint64_t	*ckpt;		/* offset of sample k * CKPT */
	uint64_t	 duration;
	uint64_t	 dropped;	/* samples past the end of the file */
	uint32_t	 max_size;
};

struct trk {
	uint32_t	 id;
	uint32_t	 handler;
	uint32_t	 timescale;
	uint64_t	 mdhd_duration;
	int		 aac;		/* an mp4a entry with a usable esds */
	unsigned	 object_type, sample_rate, channels;
	uint8_t		 asc[SP_MP4_ASCMAX];
	size_t		 asc_len;
	uint64_t	 avg_bitrate;
	uint32_t	 entry;		/* first sample entry's type */
	unsigned	 entry_rate, entry_channels;	/* mp4a's own */
	int		 oti_aac;	/* esds says AAC, with or without ASC */
	int		 asc_guessed;
	/* The edit list as stored, movie timescale. */
	int		 has_edit;
	int64_t		 edit_media_time;
	uint64_t	 edit_duration, edit_delay;
	uint32_t	 chap[4];	/* tref chap track IDs */
	size_t		 nchap;
	struct tab	 t;
};

struct trex {
	uint32_t	 id, duration, size;
};

struct sp_mp4 {
	FILE		*fp;
	uint64_t	 fsize;
	struct sp_mp4_info info;
	struct tab	 t;		/* the audio track's */
};

/* What sp_mp4_open works with. */
struct ctx {
	FILE		*fp;
	uint64_t	 fsize;
	char		*err;
	size_t		 errlen;
	int		 failed;
	int		 have_moov;
	uint32_t	 movie_timescale;
	uint64_t	 creation_time;
	struct trk	*audio;		/* the first AAC track */
	struct trk	*text[MAXTEXT];
	size_t		 ntext;
	struct trex	*trex;
	size_t		 ntrex;
	int		 mvex;
	unsigned	 ntracks;
	struct sp_mp4_info *info;
	/* Nero chapters, until the chapter track has its say. */
	struct sp_mp4_chapter *chpl;
	size_t		 nchpl;
};

/* A leaf box's bytes, read with bounds checks. */
struct rd {
	const uint8_t	*p;
	size_t		 n, i;
	int		 bad;		/* a read ran past the end */
};

static void	fail(struct ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	c->failed = 1;
	if (c->err && c->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
}

static int
rd_has(struct rd *r, size_t k)
{
	if (r->bad || r->n - r->i < k) {
		r->bad = 1;
		return 0;
	}
	return 1;
}

static uint64_t
rd_uint(struct rd *r, size_t k)
{
	uint64_t v = 0;
	size_t j;

	if (!rd_has(r, k))
		return 0;
	for (j = 0; j < k; j++)
		v = v << 8 | r->p[r->i + j];
	r->i += k;
	return v;
}

#define rd_u8(r)	((uint8_t)rd_uint((r), 1))
#define rd_u16(r)	((uint16_t)rd_uint((r), 2))
#define rd_u24(r)	((uint32_t)rd_uint((r), 3))
#define rd_u32(r)	((uint32_t)rd_uint((r), 4))
#define rd_u64(r)	rd_uint((r), 8)

static void
rd_skip(struct rd *r, size_t k)
{
	if (rd_has(r, k))
		r->i += k;
}

static size_t
rd_left(const struct rd *r)
{
	return r->bad ? 0 : r->n - r->i;
}

/* a * b / c rounded to nearest, saturating; c > 0. */
static uint64_t
muldiv(uint64_t a, uint64_t b, uint64_t c)
{
	unsigned __int128 v = (unsigned __int128)a * b + c / 2;

	v /= c;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* Sample tables. */

static void
tab_release(struct tab *t)
{
	free(t->sizes);
	free(t->tts);
	free(t->coff);
	free(t->sc);
	free(t->sc_sample);
	free(t->tts_sample);
	free(t->tts_time);
	free(t->ckpt);
	memset(t, 0, sizeof(*t));
}

static uint32_t
tab_size(const struct tab *t, uint64_t i)
{
	return t->sizes ? t->sizes[i] : t->usize;
}

static void
tab_add_time(struct tab *t, uint32_t count, uint32_t delta)
{
	if (count == 0)
		return;
	if (t->ntts > 0 && t->tts[t->ntts - 1].delta == delta &&
	    t->tts[t->ntts - 1].count <= UINT32_MAX - count) {
		t->tts[t->ntts - 1].count += count;
		return;
	}
	if (t->ntts == t->tts_cap) {
		t->tts_cap = t->tts_cap ? t->tts_cap * 2 : 16;
		t->tts = sp_xreallocarray(t->tts, t->tts_cap, sizeof(*t->tts));
	}
	t->tts[t->ntts].count = count;
	t->tts[t->ntts].delta = delta;
	t->ntts++;
}

/* Room for extra more sizes in an array (fragments after a uniform
 * stsz): 0, or -1 when that is too many. */
static int
tab_expand_sizes(struct tab *t, size_t extra)
{
	uint64_t i;
	size_t need;

	if (extra > SIZE_MAX / 8 || t->n > SIZE_MAX / 8 - extra)
		return -1;
	need = (size_t)t->n + extra;
	if (t->sizes == NULL) {
		t->sizes_cap = need > 16 ? need : 16;
		t->sizes = sp_xreallocarray(NULL, t->sizes_cap,
		    sizeof(*t->sizes));
		for (i = 0; i < t->n; i++)
			t->sizes[i] = t->usize;
		t->usize = 0;
	} else if (need > t->sizes_cap) {
		while (t->sizes_cap < need)
			t->sizes_cap *= 2;
		t->sizes = sp_xreallocarray(t->sizes, t->sizes_cap,
		    sizeof(*t->sizes));
	}
	return 0;
}

/* One more chunk of spc samples at off. */
static void
tab_add_chunk(struct tab *t, uint64_t off, uint32_t spc)
{
	if (t->nchunk == t->coff_cap) {
		t->coff_cap = t->coff_cap ? t->coff_cap * 2 : 16;
		t->coff = sp_xreallocarray(t->coff, t->coff_cap,
		    sizeof(*t->coff));
	}
	t->coff[t->nchunk] = off;
	if (t->nsc == 0 || t->sc[t->nsc - 1].spc != spc) {
		if (t->nsc == t->sc_cap) {
			t->sc_cap = t->sc_cap ? t->sc_cap * 2 : 16;
			t->sc = sp_xreallocarray(t->sc, t->sc_cap,
			    sizeof(*t->sc));
		}
		t->sc[t->nsc].first = t->nchunk;
		t->sc[t->nsc].spc = spc;
		t->nsc++;
	}
	t->nchunk++;
}

/*
 * Make a track's stbl tables agree on n samples: time runs cut to n,
 * chunks cut to exactly n samples (the last one split when the table
 * gives it more).  -1 when they cover fewer than n.
 */
static int
tab_normalise(struct tab *t)
{
	uint64_t left, k, chunks, spc;
	size_t r;

	if (t->n == 0) {
		t->ntts = t->nsc = t->nchunk = 0;
		return 0;
	}
	for (r = 0, left = t->n; r < t->ntts && left > 0; r++) {
		if (t->tts[r].count > left)
			t->tts[r].count = (uint32_t)left;
		left -= t->tts[r].count;
	}
	if (left > 0)
		return -1;
	t->ntts = r;
	if (t->nsc == 0 || t->sc[0].first != 0)
		return -1;
	for (r = 0, left = t->n; r < t->nsc && left > 0; r++) {
		if (t->sc[r].first >= t->nchunk)
			break;
		chunks = (r + 1 < t->nsc && t->sc[r + 1].first < t->nchunk ?
		    t->sc[r + 1].first : t->nchunk) - t->sc[r].first;
		spc = t->sc[r].spc;
		if (spc == 0)
			return -1;
		if (chunks * spc < chunks || chunks * spc >= left) {
			/* This run holds the last sample. */
			k = left / spc;
			if (left % spc == 0) {
				t->nchunk = t->sc[r].first + k;
				t->nsc = r + 1;
			} else if (k == 0) {
				t->sc[r].spc = (uint32_t)left;
				t->nchunk = t->sc[r].first + 1;
				t->nsc = r + 1;
			} else {
				/* A run of k whole chunks and a short one. */
				t->nchunk = t->sc[r].first + k + 1;
				if (t->nsc < r + 2 && t->nsc == t->sc_cap) {
					t->sc_cap = t->sc_cap * 2 + 2;
					t->sc = sp_xreallocarray(t->sc,
					    t->sc_cap, sizeof(*t->sc));
				}
				t->sc[r + 1].first = t->sc[r].first + k;
				t->sc[r + 1].spc = (uint32_t)(left % spc);
				t->nsc = r + 2;
			}
			return 0;
		}
		left -= chunks * spc;
	}
	return -1;
}

/*
 * Build the lookup arrays, and drop the samples from the first one whose
 * bytes are not all inside the file.
 */
static void
tab_index(struct tab *t, uint64_t fsize)
{
	uint64_t s, off, chunk, end, cend, j;
	uint32_t sz;
	size_t r;

	free(t->sc_sample);
	free(t->tts_sample);
	free(t->tts_time);
	free(t->ckpt);
	t->sc_sample = sp_xreallocarray(NULL, t->nsc + 1, sizeof(uint64_t));
	t->ckpt = sp_xreallocarray(NULL, t->n / CKPT + 1, sizeof(uint64_t));
	t->max_size = 0;
	s = 0;
	for (r = 0; r < t->nsc && s < t->n; r++) {
		t->sc_sample[r] = s;
		cend = r + 1 < t->nsc ? t->sc[r + 1].first : t->nchunk;
		for (chunk = t->sc[r].first; chunk < cend && s < t->n;
		    chunk++) {
			off = t->coff[chunk];
			for (j = 0; j < t->sc[r].spc && s < t->n; j++, s++) {
				sz = tab_size(t, s);
				if (off > fsize || sz > fsize - off)
					goto cut;
				if (s % CKPT == 0)
					t->ckpt[s / CKPT] = off;
				if (sz > t->max_size)
					t->max_size = sz;
				off += sz;
			}
		}
	}
cut:
	/* Keep run r when some of its samples came before the cut. */
	t->nsc = r < t->nsc && s > t->sc_sample[r] ? r + 1 : r;
	if (s < t->n) {
		t->dropped += t->n - s;
		t->n = s;
		/* The run holding sample s may now start at s: harmless. */
	}
	t->sc_sample[t->nsc] = t->n;

	t->tts_sample = sp_xreallocarray(NULL, t->ntts + 1, sizeof(uint64_t));
	t->tts_time = sp_xreallocarray(NULL, t->ntts + 1, sizeof(uint64_t));
	s = 0;
	end = 0;
	for (r = 0; r < t->ntts && s < t->n; r++) {
		if (t->tts[r].count > t->n - s)
			t->tts[r].count = (uint32_t)(t->n - s);
		t->tts_sample[r] = s;
		t->tts_time[r] = end;
		s += t->tts[r].count;
		end += (uint64_t)t->tts[r].count * t->tts[r].delta;
	}
	t->ntts = r;
	t->tts_sample[r] = s;
	t->tts_time[r] = end;
	t->duration = end;
}

/* Largest r < n with a[r] <= v (a[0] <= v). */
static size_t
search(const uint64_t *a, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (a[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int
tab_sample(const struct tab *t, uint64_t i, uint64_t *offset,
    uint32_t *size, uint32_t *duration)
{
	uint64_t chunk, s0, start, off, k;
	size_t r;

	if (i >= t->n || t->nsc == 0)
		return -1;
	r = search(t->sc_sample, t->nsc, i);
	chunk = t->sc[r].first + (i - t->sc_sample[r]) / t->sc[r].spc;
	s0 = t->sc_sample[r] + (chunk - t->sc[r].first) * t->sc[r].spc;
	start = i / CKPT * CKPT;
	if (start > s0)
		off = t->ckpt[i / CKPT];
	else {
		start = s0;
		off = t->coff[chunk];
	}
	for (k = start; k < i; k++)
		off += tab_size(t, k);
	if (offset)
		*offset = off;
	if (size)
		*size = tab_size(t, i);
	if (duration) {
		r = search(t->tts_sample, t->ntts, i);
		*duration = t->tts[r].delta;
	}
	return 0;
}

/* Box walking. */

struct box {
	uint32_t	 type;
	uint64_t	 start, body, end;	/* body: after the header */
};

/* Read the box header at off inside [off, end): 0, or -1 at the end. */
static int
box_at(struct ctx *c, uint64_t off, uint64_t end, struct box *b)
{
	uint8_t h[16];
	uint64_t size;
	size_t hl = 8;

	if (end - off < 8 || fseeko(c->fp, (off_t)off, SEEK_SET) != 0 ||
	    fread(h, 1, 8, c->fp) != 8)
		return -1;
	size = (uint64_t)h[0] << 24 | (uint64_t)h[1] << 16 |
	    (uint64_t)h[2] << 8 | h[3];
	b->type = FOURCC(h[4], h[5], h[6], h[7]);
	if (size == 1) {
		if (end - off < 16 || fread(h + 8, 1, 8, c->fp) != 8)
			return -1;
		struct rd r = { h + 8, 8, 0, 0 };
		size = rd_u64(&r);
		hl = 16;
	} else if (size == 0)
		size = end - off;
	if (size < hl)
		return -1;
	b->start = off;
	b->body = off + hl;
	/* A box cut short (a truncated download): keep what is there. */
	b->end = size > end - off ? end : off + size;
	return 0;
}

/* The body of a leaf box (new), at most LEAFMAX bytes; NULL on error. */
static uint8_t *
box_read(struct ctx *c, const struct box *b, size_t *n)
{
	uint64_t len = b->end - b->body;
	uint8_t *p;

	if (len > LEAFMAX) {
		fail(c, "box too large");
		return NULL;
	}
	p = sp_xmalloc(len ? (size_t)len : 1);
	if (len > 0 && (fseeko(c->fp, (off_t)b->body, SEEK_SET) != 0 ||
	    fread(p, 1, (size_t)len, c->fp) != len)) {
		free(p);
		fail(c, "read error");
		return NULL;
	}
	*n = (size_t)len;
	return p;
}

/* Call fn for each child box of [start, end). */
typedef void (*visit_fn)(struct ctx *, const struct box *, void *, int);

static void
walk(struct ctx *c, uint64_t start, uint64_t end, visit_fn fn, void *arg,
    int depth)
{
	struct box b;
	uint64_t off = start;

	if (depth > MAXDEPTH)
		return;
	while (!c->failed && off < end && box_at(c, off, end, &b) == 0) {
		fn(c, &b, arg, depth + 1);
		off = b.end;
	}
}

/* Descriptor length: 1-4 bytes of 7 bits. */
static size_t
desc_len(struct rd *r)
{
	size_t len = 0;
	int k;
	uint8_t v;

	for (k = 0; k < 4; k++) {
		v = rd_u8(r);
		len = len << 7 | (v & 0x7F);
		if (!(v & 0x80))
			break;
	}
	return len;
}

/* esds: ES_Descriptor > DecoderConfigDescriptor > DecoderSpecificInfo. */
static void
parse_esds(struct trk *k, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 }, d;
	size_t len;
	unsigned oti, flags;

	rd_skip(&r, 4);			/* version, flags */
	if (rd_u8(&r) != 0x03)
		return;
	len = desc_len(&r);
	if (len > rd_left(&r))
		len = rd_left(&r);
	d = (struct rd){ r.p + r.i, len, 0, 0 };
	rd_skip(&d, 2);			/* ES_ID */
	flags = rd_u8(&d);
	if (flags & 0x80)
		rd_skip(&d, 2);
	if (flags & 0x40)
		rd_skip(&d, rd_u8(&d));
	if (flags & 0x20)
		rd_skip(&d, 2);
	while (rd_left(&d) >= 2) {
		unsigned tag = rd_u8(&d);

		len = desc_len(&d);
		if (d.bad || len > rd_left(&d))
			return;
		if (tag != 0x04) {
			rd_skip(&d, len);
			continue;
		}
		r = (struct rd){ d.p + d.i, len, 0, 0 };
		oti = rd_u8(&r);
		rd_skip(&r, 1 + 3 + 4);	/* stream type, buffer, max rate */
		k->avg_bitrate = rd_u32(&r);
		/* MPEG-4 audio, or MPEG-2 AAC main/LC/SSR. */
		if (r.bad || (oti != 0x40 && oti != 0x66 && oti != 0x67 &&
		    oti != 0x68))
			return;
		k->oti_aac = 1;
		while (rd_left(&r) >= 2) {
			tag = rd_u8(&r);
			len = desc_len(&r);
			if (r.bad || len > rd_left(&r))
				return;
			if (tag == 0x05) {
				if (len > SP_MP4_ASCMAX)
					len = SP_MP4_ASCMAX;
				if (sp_mp4_asc_parse(r.p + r.i, len,
				    &k->object_type, &k->sample_rate,
				    &k->channels) == 0) {
					memcpy(k->asc, r.p + r.i, len);
					k->asc_len = len;
					k->aac = 1;
				}
				return;
			}
			rd_skip(&r, len);
		}
		return;
	}
}

/* Find esds (possibly inside a QuickTime 'wave') in [p, p + n). */
static void
find_esds(struct trk *k, const uint8_t *p, size_t n, int depth)
{
	struct rd r = { p, n, 0, 0 };
	uint32_t size, type;

	while (depth < 4 && rd_left(&r) >= 8) {
		size = rd_u32(&r);
		type = rd_u32(&r);
		if (size < 8 || size - 8 > rd_left(&r))
			return;
		if (type == FOURCC('e', 's', 'd', 's'))
			parse_esds(k, r.p + r.i, size - 8);
		else if (type == FOURCC('w', 'a', 'v', 'e'))
			find_esds(k, r.p + r.i, size - 8, depth + 1);
		if (k->aac)
			return;
		rd_skip(&r, size - 8);
	}
}

static void
parse_stsd(struct trk *k, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 };
	uint32_t size, type;
	unsigned version;

	rd_skip(&r, 8);			/* version, flags, entry count */
	size = rd_u32(&r);
	type = rd_u32(&r);
	/* The first stsd only; its first entry only. */
	if (r.bad || size < 8 || size - 8 > rd_left(&r) || k->entry != 0)
		return;
	k->entry = type;
	if (type != FOURCC('m', 'p', '4', 'a'))
		return;
	r.n = r.i + size - 8;
	rd_skip(&r, 8);			/* reserved, data reference index */
	version = rd_u16(&r);
	rd_skip(&r, 6);			/* revision, vendor */
	k->entry_channels = rd_u16(&r);
	rd_skip(&r, 6);			/* sample size, compression, packet */
	k->entry_rate = rd_u32(&r) >> 16;
	if (version == 1)
		rd_skip(&r, 16);
	else if (version == 2)
		rd_skip(&r, 36);
	if (r.bad)
		return;
	find_esds(k, r.p + r.i, rd_left(&r), 0);
	/*
	 * An esds without a DecoderSpecificInfo (ffmpeg's empty_moov from
	 * ADTS input writes one): assume AAC-LC at the entry's rate and
	 * channels, as ffmpeg's decoder does.
	 */
	if (!k->aac && k->oti_aac && k->asc_len == 0 && k->entry_rate > 0 &&
	    (k->asc_len = sp_mp4_asc_make(k->asc, sizeof(k->asc), 2,
	    k->entry_rate, k->entry_channels)) > 0) {
		k->aac = 1;
		k->asc_guessed = 1;
		k->object_type = 2;
		k->sample_rate = k->entry_rate;
		k->channels = k->entry_channels;
	}
}

static void
parse_elst(struct ctx *c, struct trk *k, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 };
	unsigned version;
	uint32_t count, i;
	uint64_t dur;
	int64_t mt;

	version = rd_u8(&r);
	rd_skip(&r, 3);
	count = rd_u32(&r);
	k->edit_delay = 0;
	for (i = 0; i < count && !r.bad; i++) {
		if (version == 1) {
			dur = rd_u64(&r);
			mt = (int64_t)rd_u64(&r);
		} else {
			dur = rd_u32(&r);
			mt = (int32_t)rd_u32(&r);
		}
		rd_skip(&r, 4);		/* rate */
		if (r.bad)
			break;
		if (mt == -1) {
			/* An empty edit: a delay before the media plays. */
			k->edit_delay += dur;
			continue;
		}
		if (mt < 0)
			break;
		k->has_edit = 1;
		k->edit_media_time = mt;
		k->edit_duration = dur;
		return;
	}
	(void)c;
}

static void
parse_stts(struct trk *k, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 };
	uint32_t count, i, cnt, delta;

	rd_skip(&r, 4);
	count = rd_u32(&r);
	for (i = 0; i < count && rd_left(&r) >= 8; i++) {
		cnt = rd_u32(&r);
		delta = rd_u32(&r);
		tab_add_time(&k->t, cnt, delta);
	}
}

static void
parse_stsz(struct ctx *c, struct trk *k, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 };
	uint32_t usize, count, i;

	rd_skip(&r, 4);
	usize = rd_u32(&r);
	count = rd_u32(&r);
	if (r.bad)
		return;
	free(k->t.sizes);
	k->t.sizes = NULL;
	k->t.usize = usize;
	if (usize != 0) {
		/* Every sample at least one byte inside the file. */
		if (count > c->fsize / usize) {
			fail(c, "sample table larger than the file");
			return;
		}
		k->t.n = count;
		return;
	}
	if (count > rd_left(&r) / 4) {
		fail(c, "sample size table cut short");
		return;
	}
	k->t.sizes = sp_xreallocarray(NULL, count ? count : 1,
	    sizeof(uint32_t));
	k->t.sizes_cap = count ? count : 1;
	for (i = 0; i < count; i++)
		k->t.sizes[i] = rd_u32(&r);
	k->t.n = count;
}

static void
parse_stco(struct ctx *c, struct trk *k, const uint8_t *p, size_t n, int wide)
{
	struct rd r = { p, n, 0, 0 };
	uint32_t count, i;
	size_t w = wide ? 8 : 4;

	rd_skip(&r, 4);
	count = rd_u32(&r);
	if (r.bad || count > rd_left(&r) / w) {
		fail(c, "chunk offset table cut short");
		return;
	}
	free(k->t.coff);
	k->t.coff = sp_xreallocarray(NULL, count ? count : 1,
	    sizeof(uint64_t));
	k->t.coff_cap = count ? count : 1;
	for (i = 0; i < count; i++)
		k->t.coff[i] = rd_uint(&r, w);
	k->t.nchunk = count;
}

static void
parse_stsc(struct ctx *c, struct trk *k, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 };
	uint32_t count, i, first, spc;

	rd_skip(&r, 4);
	count = rd_u32(&r);
	if (r.bad || count > rd_left(&r) / 12) {
		fail(c, "sample-to-chunk table cut short");
		return;
	}
	free(k->t.sc);
	k->t.sc = sp_xreallocarray(NULL, count ? count : 1,
	    sizeof(*k->t.sc));
	k->t.sc_cap = count ? count : 1;
	k->t.nsc = 0;
	for (i = 0; i < count; i++) {
		first = rd_u32(&r);
		spc = rd_u32(&r);
		rd_skip(&r, 4);		/* sample description index */
		if (first == 0 || (k->t.nsc > 0 &&
		    first - 1 <= k->t.sc[k->t.nsc - 1].first)) {
			fail(c, "bad sample-to-chunk table");
			return;
		}
		k->t.sc[k->t.nsc].first = first - 1;
		k->t.sc[k->t.nsc].spc = spc;
		k->t.nsc++;
	}
}

/* The leaf boxes of a track we read, by type. */
static void
trak_leaf(struct ctx *c, struct trk *k, const struct box *b)
{
	struct rd r;
	uint8_t *p;
	size_t n;
	unsigned version;

	if ((p = box_read(c, b, &n)) == NULL)
		return;
	r = (struct rd){ p, n, 0, 0 };
	switch (b->type) {
	case FOURCC('t', 'k', 'h', 'd'):
		version = rd_u8(&r);
		rd_skip(&r, 3 + (version == 1 ? 16 : 8));
		k->id = rd_u32(&r);
		break;
	case FOURCC('m', 'd', 'h', 'd'):
		version = rd_u8(&r);
		rd_skip(&r, 3 + (version == 1 ? 16 : 8));
		k->timescale = rd_u32(&r);
		k->mdhd_duration = version == 1 ? rd_u64(&r) : rd_u32(&r);
		break;
	case FOURCC('h', 'd', 'l', 'r'):
		/* mdia's; QuickTime has a data handler one in minf too. */
		rd_skip(&r, 8);
		if (k->handler == 0)
			k->handler = rd_u32(&r);
		break;
	case FOURCC('e', 'l', 's', 't'):
		parse_elst(c, k, p, n);
		break;
	case FOURCC('c', 'h', 'a', 'p'):
		while (rd_left(&r) >= 4 && k->nchap < 4)
			k->chap[k->nchap++] = rd_u32(&r);
		break;
	case FOURCC('s', 't', 's', 'd'):
		parse_stsd(k, p, n);
		break;
	case FOURCC('s', 't', 't', 's'):
		parse_stts(k, p, n);
		break;
	case FOURCC('s', 't', 's', 'z'):
		parse_stsz(c, k, p, n);
		break;
	case FOURCC('s', 't', 's', 'c'):
		parse_stsc(c, k, p, n);
		break;
	case FOURCC('s', 't', 'c', 'o'):
		parse_stco(c, k, p, n, 0);
		break;
	case FOURCC('c', 'o', '6', '4'):
		parse_stco(c, k, p, n, 1);
		break;
	}
	free(p);
}

static void
trak_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	struct trk *k = arg;

	switch (b->type) {
	case FOURCC('m', 'i', 'n', 'f'):
		/* Skip the tables of tracks we will not use (video). */
		if (k->handler != 0 && k->handler != FOURCC('s', 'o', 'u', 'n')
		    && k->handler != FOURCC('t', 'e', 'x', 't') &&
		    k->handler != FOURCC('s', 'b', 't', 'l'))
			break;
		/* FALLTHROUGH */
	case FOURCC('e', 'd', 't', 's'):
	case FOURCC('t', 'r', 'e', 'f'):
	case FOURCC('m', 'd', 'i', 'a'):
	case FOURCC('s', 't', 'b', 'l'):
		walk(c, b->body, b->end, trak_box, k, depth);
		break;
	case FOURCC('t', 'k', 'h', 'd'):
	case FOURCC('m', 'd', 'h', 'd'):
	case FOURCC('h', 'd', 'l', 'r'):
	case FOURCC('e', 'l', 's', 't'):
	case FOURCC('c', 'h', 'a', 'p'):
	case FOURCC('s', 't', 's', 'd'):
	case FOURCC('s', 't', 't', 's'):
	case FOURCC('s', 't', 's', 'z'):
	case FOURCC('s', 't', 's', 'c'):
	case FOURCC('s', 't', 'c', 'o'):
	case FOURCC('c', 'o', '6', '4'):
		trak_leaf(c, k, b);
		break;
	}
}

static void
trk_free(struct trk *k)
{
	if (k) {
		tab_release(&k->t);
		free(k);
	}
}

static void
parse_trak(struct ctx *c, const struct box *b, int depth)
{
	struct trk *k = sp_xcalloc(1, sizeof(*k));

	c->ntracks++;
	walk(c, b->body, b->end, trak_box, k, depth);
	if (c->failed)
		goto drop;
	if (tab_normalise(&k->t) != 0) {
		if (k->handler == FOURCC('s', 'o', 'u', 'n') && k->aac &&
		    c->audio == NULL) {
			fail(c, "sample tables disagree");
			goto drop;
		}
		tab_release(&k->t);
	}
	if (k->handler == FOURCC('s', 'o', 'u', 'n') && k->aac &&
	    k->timescale > 0 && c->audio == NULL) {
		c->audio = k;
		return;
	}
	if ((k->handler == FOURCC('t', 'e', 'x', 't') ||
	    k->handler == FOURCC('s', 'b', 't', 'l')) && k->timescale > 0 &&
	    c->ntext < MAXTEXT) {
		c->text[c->ntext++] = k;
		return;
	}
drop:
	trk_free(k);
}

/* Copy a UTF-8 text of n bytes into dst (cap bytes), cut at a whole
 * character and at any NUL. */
static void
copy_text(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	const uint8_t *z = memchr(src, 0, n);

	if (z)
		n = (size_t)(z - src);
	if (n > cap - 1) {
		n = cap - 1;
		while (n > 0 && (src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
parse_ilst(struct ctx *c, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 }, d;
	uint32_t size, type, dsize;
	char *dst;

	while (rd_left(&r) >= 8) {
		size = rd_u32(&r);
		type = rd_u32(&r);
		if (size < 8 || size - 8 > rd_left(&r))
			return;
		d = (struct rd){ r.p + r.i, size - 8, 0, 0 };
		rd_skip(&r, size - 8);
		switch (type) {
		case FOURCC(0xA9, 'n', 'a', 'm'):
			dst = c->info->title;
			break;
		case FOURCC(0xA9, 'A', 'R', 'T'):
			dst = c->info->artist;
			break;
		case FOURCC(0xA9, 'a', 'l', 'b'):
			dst = c->info->album;
			break;
		case FOURCC(0xA9, 'c', 'm', 't'):
			dst = c->info->comment;
			break;
		case FOURCC(0xA9, 'd', 'a', 'y'):
			dst = c->info->date;
			break;
		case FOURCC(0xA9, 't', 'o', 'o'):
			dst = c->info->encoder;
			break;
		default:
			continue;
		}
		/* The first 'data' box: type, locale, then the text. */
		while (rd_left(&d) >= 8) {
			dsize = rd_u32(&d);
			type = rd_u32(&d);
			if (dsize < 16 || dsize - 8 > rd_left(&d))
				break;
			if (type == FOURCC('d', 'a', 't', 'a')) {
				copy_text(dst, SP_MP4_TAGMAX, d.p + d.i + 8,
				    dsize - 16);
				break;
			}
			rd_skip(&d, dsize - 8);
		}
	}
}

/* Nero chapters: version, flags, [reserved], count, {start, len, title}. */
static void
parse_chpl(struct ctx *c, const uint8_t *p, size_t n)
{
	struct rd r = { p, n, 0, 0 };
	unsigned version, count, i, len;
	uint64_t start;

	if (c->chpl)
		return;
	version = rd_u8(&r);
	rd_skip(&r, 3);
	if (version == 1)
		rd_skip(&r, 4);
	count = rd_u8(&r);
	if (r.bad)
		return;
	c->chpl = sp_xcalloc(count ? count : 1, sizeof(*c->chpl));
	for (i = 0; i < count; i++) {
		start = rd_u64(&r);
		len = rd_u8(&r);
		if (!rd_has(&r, len))
			break;
		c->chpl[i].start = start;	/* 100 ns units for now */
		c->chpl[i].title = sp_xmalloc(len + 1);
		copy_text(c->chpl[i].title, len + 1, r.p + r.i, len);
		r.i += len;
		c->nchpl++;
	}
}

static void
meta_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	uint8_t *p;
	size_t n;

	(void)arg;
	(void)depth;
	if (b->type != FOURCC('i', 'l', 's', 't'))
		return;
	if ((p = box_read(c, b, &n)) == NULL)
		return;
	parse_ilst(c, p, n);
	free(p);
}

/* meta is a full box in ISO files, a plain one in QuickTime's. */
static void
parse_meta(struct ctx *c, const struct box *b, int depth)
{
	uint8_t h[8];
	uint64_t body = b->body;

	if (b->end - body >= 8 && fseeko(c->fp, (off_t)body, SEEK_SET) == 0 &&
	    fread(h, 1, 8, c->fp) == 8 && memcmp(h + 4, "hdlr", 4) != 0)
		body += 4;
	walk(c, body, b->end, meta_box, NULL, depth);
}

static void
udta_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	uint8_t *p;
	size_t n;

	(void)arg;
	if (b->type == FOURCC('m', 'e', 't', 'a'))
		parse_meta(c, b, depth);
	else if (b->type == FOURCC('c', 'h', 'p', 'l')) {
		if ((p = box_read(c, b, &n)) == NULL)
			return;
		parse_chpl(c, p, n);
		free(p);
	}
}

static void
mvex_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	struct rd r;
	uint8_t *p;
	size_t n;

	(void)arg;
	(void)depth;
	if (b->type != FOURCC('t', 'r', 'e', 'x'))
		return;
	if ((p = box_read(c, b, &n)) == NULL)
		return;
	r = (struct rd){ p, n, 0, 0 };
	rd_skip(&r, 4);
	c->trex = sp_xreallocarray(c->trex, c->ntrex + 1, sizeof(*c->trex));
	c->trex[c->ntrex].id = rd_u32(&r);
	rd_skip(&r, 4);			/* sample description index */
	c->trex[c->ntrex].duration = rd_u32(&r);
	c->trex[c->ntrex].size = rd_u32(&r);
	if (!r.bad)
		c->ntrex++;
	free(p);
}

static void
moov_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	struct rd r;
	uint8_t *p;
	size_t n;
	unsigned version;

	(void)arg;
	switch (b->type) {
	case FOURCC('m', 'v', 'h', 'd'):
		if ((p = box_read(c, b, &n)) == NULL)
			return;
		r = (struct rd){ p, n, 0, 0 };
		version = rd_u8(&r);
		rd_skip(&r, 3);
		c->creation_time = version == 1 ? rd_u64(&r) : rd_u32(&r);
		rd_skip(&r, version == 1 ? 8 : 4);
		c->movie_timescale = rd_u32(&r);
		free(p);
		break;
	case FOURCC('t', 'r', 'a', 'k'):
		parse_trak(c, b, depth);
		break;
	case FOURCC('u', 'd', 't', 'a'):
		walk(c, b->body, b->end, udta_box, NULL, depth);
		break;
	case FOURCC('m', 'e', 't', 'a'):
		parse_meta(c, b, depth);
		break;
	case FOURCC('m', 'v', 'e', 'x'):
		c->mvex = 1;
		walk(c, b->body, b->end, mvex_box, NULL, depth);
		break;
	}
}

/* One track fragment's state. */
struct traf {
	uint64_t	 moof;		/* offset of the moof */
	uint64_t	 base;		/* base data offset */
	uint64_t	 next;		/* where a trun without offset starts */
	uint32_t	 dflt_duration, dflt_size;
	int		 ours;		/* the audio track's */
	int		 have_tfhd;
};

static void
parse_trun(struct ctx *c, struct traf *f, const uint8_t *p, size_t n)
{
	struct tab *t = &c->audio->t;
	struct rd r = { p, n, 0, 0 };
	uint32_t flags, count, i, dur, size;
	uint64_t off, bytes = 0;
	size_t per;

	flags = rd_u32(&r) & 0xFFFFFF;
	count = rd_u32(&r);
	off = f->next;
	if (flags & 0x1)
		off = f->base + (uint64_t)(int64_t)(int32_t)rd_u32(&r);
	if (flags & 0x4)
		rd_skip(&r, 4);
	per = 4 * (!!(flags & 0x100) + !!(flags & 0x200) + !!(flags & 0x400) +
	    !!(flags & 0x800));
	if (r.bad || count == 0)
		return;
	if (per > 0 && count > rd_left(&r) / per) {
		fail(c, "track run cut short");
		return;
	}
	/* Real samples take at least a byte of the file each. */
	if (count > c->fsize - t->n || (!(flags & 0x200) &&
	    f->dflt_size > 0 && count > c->fsize / f->dflt_size) ||
	    tab_expand_sizes(t, count) != 0) {
		fail(c, "too many samples");
		return;
	}
	for (i = 0; i < count; i++) {
		dur = flags & 0x100 ? rd_u32(&r) : f->dflt_duration;
		size = flags & 0x200 ? rd_u32(&r) : f->dflt_size;
		if (flags & 0x400)
			rd_skip(&r, 4);
		if (flags & 0x800)
			rd_skip(&r, 4);
		t->sizes[t->n + i] = size;
		tab_add_time(t, 1, dur);
		bytes += size;
	}
	tab_add_chunk(t, off, count);
	t->n += count;
	f->next = off + bytes;
}

static void
traf_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	struct traf *f = arg;
	struct rd r;
	uint8_t *p;
	size_t n, i;
	uint32_t flags, id;

	(void)depth;
	if (b->type != FOURCC('t', 'f', 'h', 'd') &&
	    b->type != FOURCC('t', 'r', 'u', 'n'))
		return;
	if (b->type == FOURCC('t', 'r', 'u', 'n') && !f->ours)
		return;
	if ((p = box_read(c, b, &n)) == NULL)
		return;
	r = (struct rd){ p, n, 0, 0 };
	if (b->type == FOURCC('t', 'f', 'h', 'd')) {
		flags = rd_u32(&r) & 0xFFFFFF;
		id = rd_u32(&r);
		f->ours = !r.bad && id == c->audio->id && !f->have_tfhd;
		f->have_tfhd = 1;
		f->base = f->moof;
		for (i = 0; i < c->ntrex; i++)
			if (c->trex[i].id == id) {
				f->dflt_duration = c->trex[i].duration;
				f->dflt_size = c->trex[i].size;
			}
		if (flags & 0x1)
			f->base = rd_u64(&r);
		if (flags & 0x2)
			rd_skip(&r, 4);
		if (flags & 0x8)
			f->dflt_duration = rd_u32(&r);
		if (flags & 0x10)
			f->dflt_size = rd_u32(&r);
		f->next = f->base;
		if (r.bad)
			f->ours = 0;
	} else
		parse_trun(c, f, p, n);
	free(p);
}

static void
moof_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	struct traf f;

	if (b->type != FOURCC('t', 'r', 'a', 'f'))
		return;
	memset(&f, 0, sizeof(f));
	f.moof = *(const uint64_t *)arg;
	walk(c, b->body, b->end, traf_box, &f, depth);
}

struct top {
	int		 pass;		/* 0: ftyp and moov, 1: moofs */
	uint64_t	 moof;
};

static void
top_box(struct ctx *c, const struct box *b, void *arg, int depth)
{
	struct top *t = arg;
	uint8_t h[4];

	if (t->pass == 0 && b->type == FOURCC('f', 't', 'y', 'p') &&
	    c->info->brand[0] == '\0' && b->end - b->body >= 4 &&
	    fseeko(c->fp, (off_t)b->body, SEEK_SET) == 0 &&
	    fread(h, 1, 4, c->fp) == 4)
		copy_text(c->info->brand, sizeof(c->info->brand), h, 4);
	else if (t->pass == 0 && b->type == FOURCC('m', 'o', 'o', 'v') &&
	    !c->have_moov) {
		c->have_moov = 1;
		walk(c, b->body, b->end, moov_box, NULL, depth);
	} else if (t->pass == 1 && b->type == FOURCC('m', 'o', 'o', 'f')) {
		t->moof = b->start;
		walk(c, b->body, b->end, moof_box, &t->moof, depth);
	}
}

/* The chapter text track's samples: a 16-bit length, then the text. */
static void
read_text_chapters(struct ctx *c, struct trk *tx, struct sp_mp4_chapter **out,
    size_t *nout)
{
	struct tab *t = &tx->t;
	struct sp_mp4_chapter *ch;
	uint64_t i, off, time = 0;
	uint32_t size, dur;
	uint8_t buf[2 + 1024];
	size_t len, k = 0;

	tab_index(t, c->fsize);
	if (t->n == 0)
		return;
	ch = sp_xcalloc(t->n < MAXCHAP ? t->n : MAXCHAP, sizeof(*ch));
	for (i = 0; i < t->n && k < MAXCHAP; i++, time += dur) {
		if (tab_sample(t, i, &off, &size, &dur) != 0)
			break;
		len = size < sizeof(buf) ? size : sizeof(buf);
		if (len < 2 || fseeko(c->fp, (off_t)off, SEEK_SET) != 0 ||
		    fread(buf, 1, len, c->fp) != len)
			continue;
		size = (uint32_t)buf[0] << 8 | buf[1];
		if (size > len - 2)
			size = (uint32_t)(len - 2);
		ch[k].start = muldiv(time, c->audio->timescale, tx->timescale);
		ch[k].title = sp_xmalloc(size + 1);
		copy_text(ch[k].title, size + 1, buf + 2, size);
		k++;
	}
	*out = ch;
	*nout = k;
}

static void
chapters(struct ctx *c)
{
	struct sp_mp4_info *in = c->info;
	size_t i, j;

	for (i = 0; i < c->audio->nchap && in->nchapters == 0; i++)
		for (j = 0; j < c->ntext; j++)
			if (c->text[j]->id == c->audio->chap[i] &&
			    c->text[j]->id != 0) {
				read_text_chapters(c, c->text[j],
				    &in->chapters, &in->nchapters);
				break;
			}
	if (in->nchapters > 0 || c->nchpl == 0) {
		if (in->nchapters == 0 && in->chapters) {
			free(in->chapters);
			in->chapters = NULL;
		}
		return;
	}
	free(in->chapters);
	in->chapters = c->chpl;
	in->nchapters = c->nchpl;
	c->chpl = NULL;
	c->nchpl = 0;
	for (i = 0; i < in->nchapters; i++)
		in->chapters[i].start = muldiv(in->chapters[i].start,
		    in->timescale, 10000000);
}

static void
ctx_release(struct ctx *c)
{
	size_t i;

	trk_free(c->audio);
	for (i = 0; i < c->ntext; i++)
		trk_free(c->text[i]);
	for (i = 0; i < c->nchpl; i++)
		free(c->chpl[i].title);
	free(c->chpl);
	free(c->trex);
}

static void
free_chapters(struct sp_mp4_info *in)
{
	size_t i;

	for (i = 0; i < in->nchapters; i++)
		free(in->chapters[i].title);
	free(in->chapters);
	in->chapters = NULL;
	in->nchapters = 0;
}

/* Fill the info from the chosen track. */
static void
summarise(struct ctx *c, struct sp_mp4 *m)
{
	struct sp_mp4_info *in = &m->info;
	struct trk *a = c->audio;
	uint64_t d, avail;

	in->timescale = a->timescale;
	in->movie_timescale = c->movie_timescale;
	in->creation_time = c->creation_time;
	in->sample_rate = a->sample_rate;
	in->channels = a->channels;
	in->object_type = a->object_type;
	memcpy(in->asc, a->asc, a->asc_len);
	in->asc_len = a->asc_len;
	in->nsamples = m->t.n;
	in->media_duration = m->t.duration;
	in->fragmented = c->mvex;
	in->avg_bitrate = a->avg_bitrate;
	in->truncated = m->t.dropped;
	in->track_id = a->id;
	in->ntracks = c->ntracks;
	in->max_sample = m->t.max_size;
	in->asc_guessed = a->asc_guessed;
	if (a->has_edit && c->movie_timescale > 0) {
		in->has_edit = 1;
		in->edit_media_time = a->edit_media_time;
		in->edit_duration = muldiv(a->edit_duration, a->timescale,
		    c->movie_timescale);
		in->edit_delay = muldiv(a->edit_delay, a->timescale,
		    c->movie_timescale);
	}
	/*
	 * The edit's length, capped as ffprobe caps duration_ts: at the
	 * whole media's duration, not at what follows media_time (measured:
	 * media 63424, media_time 5000, edit 62400 gives 62400).  An edit of
	 * length 0 means the rest of the media here (ISO 14496-12 for
	 * fragmented files; ffprobe says 0).
	 */
	d = in->media_duration;
	if (in->has_edit) {
		avail = d > (uint64_t)in->edit_media_time ?
		    d - (uint64_t)in->edit_media_time : 0;
		if (in->edit_duration == 0)
			d = avail;
		else if (in->edit_duration < d)
			d = in->edit_duration;
	}
	in->duration_samples = in->timescale == in->sample_rate ? d :
	    muldiv(d, in->sample_rate, in->timescale);
}

struct sp_mp4 *
sp_mp4_open(FILE *fp, char *err, size_t errlen)
{
	struct sp_mp4 *m;
	struct ctx c;
	struct top top;
	off_t size;

	if (err && errlen)
		err[0] = '\0';
	m = sp_xcalloc(1, sizeof(*m));
	memset(&c, 0, sizeof(c));
	c.fp = fp;
	c.err = err;
	c.errlen = errlen;
	c.info = &m->info;
	if (fseeko(fp, 0, SEEK_END) != 0 || (size = ftello(fp)) < 0) {
		fail(&c, "cannot seek: %s", strerror(errno));
		goto bad;
	}
	c.fsize = (uint64_t)size;
	memset(&top, 0, sizeof(top));
	walk(&c, 0, c.fsize, top_box, &top, 0);
	if (c.failed)
		goto bad;
	if (!c.have_moov) {
		fail(&c, "not an MP4 file (no moov box)");
		goto bad;
	}
	if (c.audio == NULL) {
		fail(&c, "no AAC audio track");
		goto bad;
	}
	if (c.mvex) {
		top.pass = 1;
		walk(&c, 0, c.fsize, top_box, &top, 0);
		if (c.failed)
			goto bad;
	}
	tab_index(&c.audio->t, c.fsize);
	m->t = c.audio->t;
	memset(&c.audio->t, 0, sizeof(c.audio->t));
	m->fp = fp;
	m->fsize = c.fsize;
	summarise(&c, m);
	chapters(&c);
	ctx_release(&c);
	return m;
bad:
	if (err && errlen && err[0] == '\0')
		snprintf(err, errlen, "not a usable MP4 file");
	ctx_release(&c);
	free_chapters(&m->info);
	free(m);
	return NULL;
}

void
sp_mp4_close(struct sp_mp4 *m)
{
	if (m == NULL)
		return;
	tab_release(&m->t);
	free_chapters(&m->info);
	free(m);
}

const struct sp_mp4_info *
sp_mp4_info(const struct sp_mp4 *m)
{
	return &m->info;
}

int
sp_mp4_sample(const struct sp_mp4 *m, uint64_t i, uint64_t *offset,
    uint32_t *size, uint32_t *duration)
{
	return tab_sample(&m->t, i, offset, size, duration);
}

long
sp_mp4_read_sample(struct sp_mp4 *m, uint64_t i, void *buf, size_t n)
{
	uint64_t off;
	uint32_t size;

	if (tab_sample(&m->t, i, &off, &size, NULL) != 0 || size > n)
		return -1;
	if (fseeko(m->fp, (off_t)off, SEEK_SET) != 0 ||
	    fread(buf, 1, size, m->fp) != size)
		return -1;
	return (long)size;
}

int
sp_mp4_find(const struct sp_mp4 *m, uint64_t t, uint64_t *index,
    uint64_t *start)
{
	const struct tab *tb = &m->t;
	size_t r;
	uint64_t k;

	if (tb->ntts == 0 || t >= tb->duration)
		return -1;
	r = search(tb->tts_time, tb->ntts, t);
	k = (t - tb->tts_time[r]) / tb->tts[r].delta;
	if (index)
		*index = tb->tts_sample[r] + k;
	if (start)
		*start = tb->tts_time[r] + k * tb->tts[r].delta;
	return 0;
}

int
sp_mp4_sniff(const unsigned char *b, size_t n)
{
	static const char *types[] = { "ftyp", "moov", "mdat", "free",
	    "skip", "wide", "styp", "sidx", "moof", "pnot" };
	uint32_t size;
	size_t i;

	if (n < 8)
		return 0;
	size = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	if (size != 0 && size != 1 && size < 8)
		return 0;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (memcmp(b + 4, types[i], 4) == 0)
			return 1;
	return 0;
}

/* AudioSpecificConfig. */

static const unsigned asc_rates[13] = { 96000, 88200, 64000, 48000, 44100,
	32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350 };

struct bits {
	const uint8_t	*p;
	size_t		 n, pos;	/* pos in bits */
	int		 bad;
};

static unsigned
getbits(struct bits *b, unsigned k)
{
	unsigned v = 0;

	if (b->bad || b->n * 8 - b->pos < k) {
		b->bad = 1;
		return 0;
	}
	while (k-- > 0) {
		v = v << 1 | ((b->p[b->pos / 8] >> (7 - b->pos % 8)) & 1);
		b->pos++;
	}
	return v;
}

static unsigned
asc_aot(struct bits *b)
{
	unsigned aot = getbits(b, 5);

	return aot == 31 ? 32 + getbits(b, 6) : aot;
}

static unsigned
asc_rate(struct bits *b)
{
	unsigned i = getbits(b, 4);

	if (i == 15)
		return getbits(b, 24);
	return i < 13 ? asc_rates[i] : 0;
}

int
sp_mp4_asc_parse(const uint8_t *asc, size_t n, unsigned *object_type,
    unsigned *sample_rate, unsigned *channels)
{
	struct bits b = { asc, n, 0, 0 };
	unsigned aot, rate, cc;

	aot = asc_aot(&b);
	rate = asc_rate(&b);
	cc = getbits(&b, 4);
	if (aot == 5 || aot == 29) {
		/*
		 * Explicit SBR/PS: the rate decoders output is the extension
		 * rate; PS makes a mono core stereo.
		 */
		rate = rate ? asc_rate(&b) : 0;
		if (aot == 29 && cc == 1)
			cc = 2;
		(void)asc_aot(&b);
	}
	if (b.bad || aot == 0 || rate == 0)
		return -1;
	*object_type = aot;
	*sample_rate = rate;
	*channels = cc == 7 ? 8 : cc < 7 ? cc : 0;
	return 0;
}

struct wbits {
	uint8_t		*p;
	size_t		 n, pos;
	int		 bad;
};

static void
putbits(struct wbits *b, unsigned v, unsigned k)
{
	while (k-- > 0) {
		if (b->pos / 8 >= b->n) {
			b->bad = 1;
			return;
		}
		if (b->pos % 8 == 0)
			b->p[b->pos / 8] = 0;
		b->p[b->pos / 8] |= ((v >> k) & 1) << (7 - b->pos % 8);
		b->pos++;
	}
}

size_t
sp_mp4_asc_make(uint8_t *out, size_t n, unsigned object_type,
    unsigned sample_rate, unsigned channels)
{
	struct wbits b = { out, n, 0, 0 };
	unsigned i, cc;

	if (object_type < 1 || object_type > 95 || sample_rate == 0 ||
	    sample_rate > 0xFFFFFF)
		return 0;
	if (channels >= 1 && channels <= 6)
		cc = channels;
	else if (channels == 8)
		cc = 7;
	else
		return 0;
	if (object_type >= 31) {
		putbits(&b, 31, 5);
		putbits(&b, object_type - 32, 6);
	} else
		putbits(&b, object_type, 5);
	for (i = 0; i < 13 && asc_rates[i] != sample_rate; i++)
		;
	if (i < 13)
		putbits(&b, i, 4);
	else {
		putbits(&b, 15, 4);
		putbits(&b, sample_rate, 24);
	}
	putbits(&b, cc, 4);
	/* GASpecificConfig: frame length 1024, no core coder, no ext. */
	putbits(&b, 0, 3);
	if (b.bad)
		return 0;
	return (b.pos + 7) / 8;
}

int
sp_mp4_adts_au(const uint8_t *frame, size_t n, const uint8_t **au,
    size_t *au_len, struct sp_adts_frame *hdr)
{
	struct sp_adts_frame f;

	if (sp_adts_header(frame, n, &f) != 0 || f.length > n ||
	    f.blocks != 1 || f.length <= f.header_len)
		return -1;
	*au = frame + f.header_len;
	*au_len = f.length - f.header_len;
	if (hdr)
		*hdr = f;
	return 0;
}

/*
 * The writer.  Boxes are built in memory in a struct obuf (the moov only:
 * its size is about 4 bytes per sample) and the media data is copied from
 * the temporary file after it.
 */

struct wchap {
	uint64_t	 start;
	char		*title;
	size_t		 order;		/* for a stable sort */
};

struct sp_mp4_writer {
	uint8_t		 asc[SP_MP4_ASCMAX];
	size_t		 asc_len;
	unsigned	 object_type, rate, channels;
	FILE		*tmp;
	uint64_t	 n, bytes, media_dur;
	uint32_t	*sizes;
	size_t		 sizes_cap;
	struct run	*tts;
	size_t		 ntts, tts_cap;
	uint32_t	 max_size;
	uint64_t	 sec, sec_bytes, max_sec_bytes;	/* for max bitrate */
	uint64_t	 priming, play;
	int		 failed, co64;
	char		*tags[SP_MP4_NTAGS];
	struct wchap	*ch;
	size_t		 nch, ch_cap;
	int		(*media)(void *, FILE *, char *, size_t);
	void		*media_ctx;
	uint64_t	 ctime;		/* since 1904; 0: none */
};

/* 1970 - 1904 in seconds: 66 years, 17 of them leap. */
#define MP4_EPOCH	2082844800u

#define WCHUNK	64		/* samples per chunk written */

struct sp_mp4_writer *
sp_mp4_writer_new(const uint8_t *asc, size_t asc_len, char *err,
    size_t errlen)
{
	struct sp_mp4_writer *w;

	if (asc_len == 0 || asc_len > SP_MP4_ASCMAX) {
		sp_fail(err, errlen, "bad AudioSpecificConfig length %zu",
		    asc_len);
		return NULL;
	}
	w = sp_xcalloc(1, sizeof(*w));
	memcpy(w->asc, asc, asc_len);
	w->asc_len = asc_len;
	if (sp_mp4_asc_parse(asc, asc_len, &w->object_type, &w->rate,
	    &w->channels) != 0) {
		sp_fail(err, errlen, "bad AudioSpecificConfig");
		free(w);
		return NULL;
	}
	return w;
}

/* The temporary file for the samples' data, made at the first one. */
static int
open_tmp(struct sp_mp4_writer *w)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	path = sp_xasprintf("%s/spaces-mdat.XXXXXX",
	    dir && *dir ? dir : "/tmp");
	/* Unlinked at once: nothing is left behind, whatever happens. */
	if ((fd = mkstemp(path)) == -1 || unlink(path) != 0 ||
	    (w->tmp = fdopen(fd, "w+b")) == NULL) {
		w->failed = errno ? errno : EIO;
		if (fd != -1)
			close(fd);
	}
	free(path);
	return w->failed ? -1 : 0;
}

void
sp_mp4_writer_free(struct sp_mp4_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	if (w->tmp)
		fclose(w->tmp);
	free(w->sizes);
	free(w->tts);
	for (i = 0; i < SP_MP4_NTAGS; i++)
		free(w->tags[i]);
	for (i = 0; i < w->nch; i++)
		free(w->ch[i].title);
	free(w->ch);
	free(w);
}

int
sp_mp4_writer_add(struct sp_mp4_writer *w, const void *data, size_t size,
    uint32_t duration)
{
	uint64_t sec;

	if (w->failed)
		return -1;
	if (size == 0 || size > UINT32_MAX || w->n >= UINT32_MAX) {
		w->failed = EINVAL;
		errno = EINVAL;
		return -1;
	}
	/* All samples come with their data, or none (see _media). */
	if (w->n > 0 && (data == NULL) != (w->tmp == NULL)) {
		w->failed = EINVAL;
		errno = EINVAL;
		return -1;
	}
	if (data != NULL && ((w->tmp == NULL && open_tmp(w) != 0) ||
	    fwrite(data, 1, size, w->tmp) != size)) {
		w->failed = errno ? errno : EIO;
		return -1;
	}
	if (w->n == w->sizes_cap) {
		w->sizes_cap = w->sizes_cap ? w->sizes_cap * 2 : 1024;
		w->sizes = sp_xreallocarray(w->sizes, w->sizes_cap,
		    sizeof(*w->sizes));
	}
	w->sizes[w->n++] = (uint32_t)size;
	if (w->ntts > 0 && w->tts[w->ntts - 1].delta == duration)
		w->tts[w->ntts - 1].count++;
	else {
		if (w->ntts == w->tts_cap) {
			w->tts_cap = w->tts_cap ? w->tts_cap * 2 : 16;
			w->tts = sp_xreallocarray(w->tts, w->tts_cap,
			    sizeof(*w->tts));
		}
		w->tts[w->ntts].count = 1;
		w->tts[w->ntts].delta = duration;
		w->ntts++;
	}
	/* Bytes per second of media, for the esds maximum bitrate. */
	sec = w->media_dur / w->rate;
	if (sec != w->sec) {
		w->sec = sec;
		w->sec_bytes = 0;
	}
	w->sec_bytes += size;
	if (w->sec_bytes > w->max_sec_bytes)
		w->max_sec_bytes = w->sec_bytes;
	w->bytes += size;
	w->media_dur += duration;
	if (size > w->max_size)
		w->max_size = (uint32_t)size;
	return 0;
}

void
sp_mp4_writer_edit(struct sp_mp4_writer *w, uint64_t priming, uint64_t play)
{
	w->priming = priming;
	w->play = play;
}

void
sp_mp4_writer_tag(struct sp_mp4_writer *w, enum sp_mp4_tag t,
    const char *value)
{
	if ((unsigned)t >= SP_MP4_NTAGS)
		return;
	free(w->tags[t]);
	w->tags[t] = value && *value ? sp_xstrdup(value) : NULL;
}

void
sp_mp4_writer_chapter(struct sp_mp4_writer *w, uint64_t start,
    const char *title)
{
	if (w->nch == w->ch_cap) {
		w->ch_cap = w->ch_cap ? w->ch_cap * 2 : 8;
		w->ch = sp_xreallocarray(w->ch, w->ch_cap, sizeof(*w->ch));
	}
	w->ch[w->nch].start = start;
	w->ch[w->nch].title = sp_xstrdup(title ? title : "");
	w->ch[w->nch].order = w->nch;
	w->nch++;
}

void
sp_mp4_writer_media(struct sp_mp4_writer *w,
    int (*media)(void *ctx, FILE *out, char *err, size_t errlen), void *ctx)
{
	w->media = media;
	w->media_ctx = ctx;
}

void
sp_mp4_writer_time(struct sp_mp4_writer *w, int64_t ms)
{
	/* Whole seconds, rounded down, as a clock shows them. */
	w->ctime = ms < 0 ? 0 : (uint64_t)(ms / 1000) + MP4_EPOCH;
}

void
sp_mp4_writer_force_co64(struct sp_mp4_writer *w, int on)
{
	w->co64 = on;
}

/* What finish works out before it builds the moov. */
struct plan {
	uint64_t	 play, priming;
	uint32_t	 movie_ts;	/* the mvhd timescale: 1000 or rate */
	uint64_t	 movie_play;	/* play in it, exactly */
	struct wchap	*ch;		/* sorted, in the presentation */
	size_t		 nch;
	uint64_t	 text_bytes;
	uint64_t	 data;		/* file offset of the first sample */
	int		 co64;
};

/* Creation and modification time, in a box of version v1 or 0. */
static void
o_times(struct obuf *o, int v1, uint64_t t)
{
	o_uint(o, t, v1 ? 8 : 4);
	o_uint(o, t, v1 ? 8 : 4);
}

static void
o_tkhd(struct obuf *o, uint32_t flags, uint32_t id, uint64_t dur,
    unsigned volume, uint64_t ctime)
{
	int v1 = dur > UINT32_MAX || ctime > UINT32_MAX;
	size_t at = o_full(o, "tkhd", v1, flags);

	o_times(o, v1, ctime);
	o_u32(o, id);
	o_u32(o, 0);
	o_uint(o, dur, v1 ? 8 : 4);
	o_zero(o, 8);
	o_u16(o, 0);			/* layer */
	o_u16(o, 0);			/* alternate group */
	o_u16(o, volume);
	o_u16(o, 0);
	o_matrix(o);
	o_u32(o, 0);			/* width, height */
	o_u32(o, 0);
	o_close(o, at);
}

static void
o_mdhd(struct obuf *o, uint32_t timescale, uint64_t dur, uint64_t ctime)
{
	int v1 = dur > UINT32_MAX || ctime > UINT32_MAX;
	size_t at = o_full(o, "mdhd", v1, 0);

	o_times(o, v1, ctime);
	o_u32(o, timescale);
	o_uint(o, dur, v1 ? 8 : 4);
	o_u16(o, 0x55C4);		/* "und" */
	o_u16(o, 0);
	o_close(o, at);
}

static void
o_hdlr(struct obuf *o, const char *type, const char *name)
{
	size_t at = o_full(o, "hdlr", 0, 0);

	o_u32(o, 0);
	o_put(o, type, 4);
	o_zero(o, 12);
	o_put(o, name, strlen(name) + 1);
	o_close(o, at);
}

static void
o_dinf(struct obuf *o)
{
	size_t dinf = o_open(o, "dinf"), dref = o_full(o, "dref", 0, 0), url;

	o_u32(o, 1);
	url = o_full(o, "url ", 0, 1);	/* 1: the data is in this file */
	o_close(o, url);
	o_close(o, dref);
	o_close(o, dinf);
}

static void
o_chunkoffsets(struct obuf *o, int co64, const uint64_t *off, size_t n)
{
	size_t at = o_full(o, co64 ? "co64" : "stco", 0, 0), i;

	o_u32(o, n);
	for (i = 0; i < n; i++)
		o_uint(o, off[i], co64 ? 8 : 4);
	o_close(o, at);
}

static void
o_esds(struct obuf *o, const struct sp_mp4_writer *w)
{
	size_t at = o_full(o, "esds", 0, 0);
	size_t dsi = w->asc_len, dcd = 13 + 5 + dsi, es = 3 + 5 + dcd + 5 + 1;
	uint64_t avg = w->media_dur ? muldiv(w->bytes * 8, w->rate,
	    w->media_dur) : 0;

	o_desc(o, 0x03, es);
	o_u16(o, 1);			/* ES_ID */
	o_u8(o, 0);			/* no dependence, URL or OCR */
	o_desc(o, 0x04, dcd);
	o_u8(o, 0x40);			/* MPEG-4 audio */
	o_u8(o, 0x15);			/* audio stream, upstream 0, 1 */
	o_u24(o, w->max_size);
	o_u32(o, w->max_sec_bytes * 8 > UINT32_MAX ? UINT32_MAX :
	    w->max_sec_bytes * 8);
	o_u32(o, avg > UINT32_MAX ? UINT32_MAX : avg);
	o_desc(o, 0x05, dsi);
	o_put(o, w->asc, w->asc_len);
	o_desc(o, 0x06, 1);
	o_u8(o, 0x02);			/* SL: predefined for MP4 */
	o_close(o, at);
}

static void
o_stts(struct obuf *o, const struct run *r, size_t n)
{
	size_t at = o_full(o, "stts", 0, 0), i;

	o_u32(o, n);
	for (i = 0; i < n; i++) {
		o_u32(o, r[i].count);
		o_u32(o, r[i].delta);
	}
	o_close(o, at);
}

static void
o_audio_trak(struct obuf *o, const struct sp_mp4_writer *w,
    const struct plan *pl)
{
	size_t trak, at, mdia, minf, stbl, stsd, mp4a, i, nchunk;
	uint64_t *off, pos;
	uint32_t first;
	int v1;

	trak = o_open(o, "trak");
	/* Enabled, in the movie. */
	o_tkhd(o, 3, 1, pl->movie_play, 0x100, w->ctime);
	at = o_open(o, "edts");
	v1 = pl->movie_play > UINT32_MAX || pl->priming > INT32_MAX;
	{
		size_t elst = o_full(o, "elst", v1, 0);

		/* The duration in the movie's units, the start in the
		 * media's (ISO/IEC 14496-12 8.6.6). */
		o_u32(o, 1);
		o_uint(o, pl->movie_play, v1 ? 8 : 4);
		o_uint(o, pl->priming, v1 ? 8 : 4);
		o_u32(o, 0x10000);	/* rate 1.0 */
		o_close(o, elst);
	}
	o_close(o, at);
	if (pl->nch > 0) {
		size_t tref = o_open(o, "tref"), chap = o_open(o, "chap");

		o_u32(o, 2);
		o_close(o, chap);
		o_close(o, tref);
	}
	mdia = o_open(o, "mdia");
	o_mdhd(o, w->rate, w->media_dur, w->ctime);
	o_hdlr(o, "soun", "SoundHandler");
	minf = o_open(o, "minf");
	at = o_full(o, "smhd", 0, 0);
	o_u32(o, 0);
	o_close(o, at);
	o_dinf(o);
	stbl = o_open(o, "stbl");
	stsd = o_full(o, "stsd", 0, 0);
	o_u32(o, 1);
	mp4a = o_open(o, "mp4a");
	o_zero(o, 6);
	o_u16(o, 1);			/* data reference index */
	o_zero(o, 8);			/* version, revision, vendor */
	o_u16(o, w->channels > 2 || w->channels == 0 ? 2 : w->channels);
	o_u16(o, 16);
	o_u32(o, 0);
	o_u32(o, w->rate <= 0xFFFF ? w->rate << 16 : 0);
	o_esds(o, w);
	o_close(o, mp4a);
	o_close(o, stsd);
	o_stts(o, w->tts, w->ntts);

	nchunk = (size_t)((w->n + WCHUNK - 1) / WCHUNK);
	at = o_full(o, "stsc", 0, 0);
	if (w->n % WCHUNK == 0 || nchunk == 1) {
		o_u32(o, 1);
		o_u32(o, 1);
		o_u32(o, nchunk == 1 ? (uint32_t)w->n : WCHUNK);
		o_u32(o, 1);
	} else {
		o_u32(o, 2);
		o_u32(o, 1);
		o_u32(o, WCHUNK);
		o_u32(o, 1);
		first = (uint32_t)nchunk;
		o_u32(o, first);
		o_u32(o, (uint32_t)(w->n % WCHUNK));
		o_u32(o, 1);
	}
	o_close(o, at);

	at = o_full(o, "stsz", 0, 0);
	for (i = 1; i < w->n && w->sizes[i] == w->sizes[0]; i++)
		;
	if (i == w->n) {
		o_u32(o, w->sizes[0]);
		o_u32(o, w->n);
	} else {
		o_u32(o, 0);
		o_u32(o, w->n);
		for (i = 0; i < w->n; i++)
			o_u32(o, w->sizes[i]);
	}
	o_close(o, at);

	off = sp_xreallocarray(NULL, nchunk, sizeof(*off));
	for (i = 0, pos = pl->data; i < w->n; i++) {
		if (i % WCHUNK == 0)
			off[i / WCHUNK] = pos;
		pos += w->sizes[i];
	}
	o_chunkoffsets(o, pl->co64, off, nchunk);
	free(off);
	o_close(o, stbl);
	o_close(o, minf);
	o_close(o, mdia);
	o_close(o, trak);
}

/* The length of s, cut to at most max bytes at a whole character. */
static size_t
title_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && (s[n] & 0xC0) == 0x80)
			n--;
	}
	return n;
}

/* Bytes of a chapter's text sample: length, text, an 'encd' box. */
static size_t
text_sample_size(const struct wchap *c)
{
	return 2 + title_len(c->title, 1024) + 12;
}

/* The QuickTime chapter track, laid out as ffmpeg does it. */
static void
o_text_trak(struct obuf *o, const struct sp_mp4_writer *w,
    const struct plan *pl)
{
	/* gmhd with gmin and text, and the 'text' sample entry (ffmpeg). */
	static const uint8_t gmhd_body[] = {
	    0, 0, 0, 0x18, 'g', 'm', 'i', 'n', 0, 0, 0, 0, 0, 0x40, 0x80, 0,
	    0x80, 0, 0x80, 0, 0, 0, 0, 0,
	    0, 0, 0, 0x2c, 't', 'e', 'x', 't', 0, 1, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0x40, 0, 0, 0 };
	/*
	 * The 59 bytes ffmpeg 5.1's mov muxer writes, byte for byte: the
	 * QuickTime text description (display flags 1, the rest 0, font 1)
	 * and an 'ftab' of one font.  Its size field must be its length:
	 * readers that walk the boxes (AtomicParsley) step by it.
	 */
	static const uint8_t text_entry[59] = {
	    0, 0, 0, 59, 't', 'e', 'x', 't', 0, 0, 0, 0, 0, 0, 0, 1,
	    0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0x0d, 'f', 't', 'a', 'b', 0, 1, 0, 1, 0 };
	size_t trak, mdia, minf, stbl, at, i;
	struct run *r;
	uint64_t off;

	trak = o_open(o, "trak");
	/* In the movie, not enabled. */
	o_tkhd(o, 2, 2, pl->movie_play, 0, w->ctime);
	mdia = o_open(o, "mdia");
	o_mdhd(o, w->rate, pl->play, w->ctime);
	o_hdlr(o, "text", "SubtitleHandler");
	minf = o_open(o, "minf");
	at = o_open(o, "gmhd");
	o_put(o, gmhd_body, sizeof(gmhd_body));
	o_close(o, at);
	o_dinf(o);
	stbl = o_open(o, "stbl");
	at = o_full(o, "stsd", 0, 0);
	o_u32(o, 1);
	o_put(o, text_entry, sizeof(text_entry));
	o_close(o, at);
	/* The first chapter covers the start, whatever its own start. */
	r = sp_xreallocarray(NULL, pl->nch, sizeof(*r));
	for (i = 0; i < pl->nch; i++) {
		r[i].count = 1;
		r[i].delta = (uint32_t)((i + 1 < pl->nch ? pl->ch[i + 1].start :
		    pl->play) - (i == 0 ? 0 : pl->ch[i].start));
	}
	o_stts(o, r, pl->nch);
	free(r);
	at = o_full(o, "stsc", 0, 0);
	o_u32(o, 1);
	o_u32(o, 1);
	o_u32(o, pl->nch);
	o_u32(o, 1);
	o_close(o, at);
	at = o_full(o, "stsz", 0, 0);
	o_u32(o, 0);
	o_u32(o, pl->nch);
	for (i = 0; i < pl->nch; i++)
		o_u32(o, text_sample_size(&pl->ch[i]));
	o_close(o, at);
	off = pl->data + w->bytes;
	o_chunkoffsets(o, pl->co64, &off, 1);
	o_close(o, stbl);
	o_close(o, minf);
	o_close(o, mdia);
	o_close(o, trak);
}

static void
o_udta(struct obuf *o, const struct sp_mp4_writer *w, const struct plan *pl)
{
	static const char *const keys[SP_MP4_NTAGS] = { "\251nam", "\251ART",
	    "\251alb", "\251cmt", "\251day", "\251too" };
	size_t udta, at, i, len, n;
	int any = 0;

	for (i = 0; i < SP_MP4_NTAGS; i++)
		any |= w->tags[i] != NULL;
	if (!any && pl->nch == 0)
		return;
	udta = o_open(o, "udta");
	if (pl->nch > 0) {
		/* Nero: 100 ns units, at most 255 chapters of 255 bytes. */
		n = pl->nch > 255 ? 255 : pl->nch;
		at = o_full(o, "chpl", 1, 0);
		o_u32(o, 0);
		o_u8(o, n);
		for (i = 0; i < n; i++) {
			len = title_len(pl->ch[i].title, 255);
			o_u64(o, muldiv(pl->ch[i].start, 10000000, w->rate));
			o_u8(o, len);
			o_put(o, pl->ch[i].title, len);
		}
		o_close(o, at);
	}
	if (any)
		o_ilst(o, keys, w->tags, SP_MP4_NTAGS);
	o_close(o, udta);
}

static void
o_moov(struct obuf *o, const struct sp_mp4_writer *w, const struct plan *pl)
{
	size_t moov = o_open(o, "moov");
	int v1 = pl->movie_play > UINT32_MAX || w->ctime > UINT32_MAX;
	size_t at = o_full(o, "mvhd", v1, 0);

	o_times(o, v1, w->ctime);
	o_u32(o, pl->movie_ts);
	o_uint(o, pl->movie_play, v1 ? 8 : 4);
	o_u32(o, 0x10000);
	o_u16(o, 0x100);
	o_zero(o, 10);
	o_matrix(o);
	o_zero(o, 24);
	o_u32(o, pl->nch > 0 ? 3 : 2);	/* next track ID */
	o_close(o, at);
	o_audio_trak(o, w, pl);
	if (pl->nch > 0)
		o_text_trak(o, w, pl);
	o_udta(o, w, pl);
	o_close(o, moov);
}

static int
chap_cmp(const void *a, const void *b)
{
	const struct wchap *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
copy_media(FILE *from, FILE *to, uint64_t n)
{
	uint8_t buf[65536];
	size_t k;

	if (fflush(from) != 0 || fseeko(from, 0, SEEK_SET) != 0)
		return -1;
	while (n > 0) {
		k = n < sizeof(buf) ? (size_t)n : sizeof(buf);
		if (fread(buf, 1, k, from) != k || fwrite(buf, 1, k, to) != k)
			return -1;
		n -= k;
	}
	return 0;
}

int
sp_mp4_writer_finish(struct sp_mp4_writer *w, FILE *out, char *err,
    size_t errlen)
{
	struct obuf o = { NULL, 0, 0 };
	struct plan pl;
	uint64_t avail, mdat, base;
	size_t i, k, ftyp, hdr, len;
	off_t pos;

	if (w->failed == EINVAL) {
		sp_fail(err, errlen, "a sample that cannot be added");
		return -1;
	}
	if (w->failed) {
		sp_fail(err, errlen, "cannot keep the samples in a temporary "
		    "file: %s", strerror(w->failed));
		return -2;
	}
	if (w->n == 0) {
		sp_fail(err, errlen, "no samples");
		return -1;
	}
	if ((w->tmp == NULL) != (w->media != NULL)) {
		sp_fail(err, errlen, "samples without data need a media "
		    "writer, and only they");
		return -1;
	}
	memset(&pl, 0, sizeof(pl));
	if (w->priming >= w->media_dur) {
		sp_fail(err, errlen, "priming %llu is not shorter than the "
		    "media (%llu samples)", (unsigned long long)w->priming,
		    (unsigned long long)w->media_dur);
		return -1;
	}
	avail = w->media_dur - w->priming;
	if (w->play > avail) {
		sp_fail(err, errlen, "play length %llu exceeds the %llu samples "
		    "after the priming", (unsigned long long)w->play,
		    (unsigned long long)avail);
		return -1;
	}
	pl.priming = w->priming;
	pl.play = w->play ? w->play : avail;
	/*
	 * The movie timescale: 1000, as ffmpeg writes it, when the play
	 * length is a whole number of milliseconds, so that readers which
	 * take the Nero chapter times (chpl) as milliseconds of the movie
	 * timescale (mutagen up to 1.46) place the chapters right; else the
	 * sample rate, so that the edit stays sample-exact.
	 */
	pl.movie_ts = pl.play * 1000 % w->rate == 0 ? 1000 : w->rate;
	pl.movie_play = muldiv(pl.play, pl.movie_ts, w->rate);

	/* Chapters in order, inside the presentation, one per start. */
	if (w->nch > 0)
		qsort(w->ch, w->nch, sizeof(*w->ch), chap_cmp);
	pl.ch = sp_xreallocarray(NULL, w->nch ? w->nch : 1, sizeof(*pl.ch));
	for (i = 0; i < w->nch; i++) {
		if (w->ch[i].start >= pl.play || (pl.nch > 0 &&
		    pl.ch[pl.nch - 1].start == w->ch[i].start))
			continue;
		pl.ch[pl.nch++] = w->ch[i];
	}
	for (i = 0; i < pl.nch; i++)
		pl.text_bytes += text_sample_size(&pl.ch[i]);

	/* ftyp, then the moov laid out twice: its size fixes the offsets. */
	ftyp = o_open(&o, "ftyp");
	o_put(&o, "M4A ", 4);
	o_u32(&o, 0x200);
	o_put(&o, "M4A isomiso2mp42", 16);
	o_close(&o, ftyp);
	pos = ftello(out);
	base = pos > 0 ? (uint64_t)pos : 0;
	pl.co64 = w->co64;
	mdat = 8 + w->bytes + pl.text_bytes;
	hdr = mdat > UINT32_MAX ? 16 : 8;
	for (k = 0; k < 3; k++) {
		len = o.n;
		o_moov(&o, w, &pl);
		pl.data = base + o.n + hdr;
		o.n = len;
		if (pl.co64 || pl.data + w->bytes <= UINT32_MAX)
			break;
		pl.co64 = 1;
	}
	o_moov(&o, w, &pl);
	if (hdr == 16) {
		o_u32(&o, 1);
		o_put(&o, "mdat", 4);
		o_u64(&o, mdat + 8);
	} else {
		o_u32(&o, mdat);
		o_put(&o, "mdat", 4);
	}
	if (fwrite(o.p, 1, o.n, out) != o.n ||
	    (w->media == NULL && copy_media(w->tmp, out, w->bytes) != 0))
		goto bad;
	if (w->media != NULL && w->media(w->media_ctx, out, err, errlen) !=
	    0) {
		free(o.p);
		free(pl.ch);
		return -1;
	}
	for (i = 0; i < pl.nch; i++) {
		uint8_t hd[2], encd[12] = { 0, 0, 0, 12, 'e', 'n', 'c', 'd',
		    0, 0, 1, 0 };		/* UTF-8 */

		len = text_sample_size(&pl.ch[i]) - 14;
		hd[0] = (uint8_t)(len >> 8);
		hd[1] = (uint8_t)len;
		if (fwrite(hd, 1, 2, out) != 2 ||
		    fwrite(pl.ch[i].title, 1, len, out) != len ||
		    fwrite(encd, 1, 12, out) != 12)
			goto bad;
	}
	if (ferror(out))
		goto bad;
	free(o.p);
	free(pl.ch);
	return 0;
bad:
	sp_fail(err, errlen, "write error: %s", strerror(errno ? errno : EIO));
	free(o.p);
	free(pl.ch);
	return -2;
}

int
sp_mp4_writer_commit(struct sp_mp4_writer *w, const char *path, int force,
    char *err, size_t errlen)
{
	struct sp_atomic a;
	int e;

	if (sp_atomic_open(&a, path, force) != 0) {
		sp_fail(err, errlen, "cannot create '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (sp_mp4_writer_finish(w, a.fp, err, errlen) != 0) {
		sp_atomic_abort(&a);
		return -1;
	}
	if (sp_atomic_commit(&a) != 0) {
		e = errno;
		sp_fail(err, errlen, "cannot write '%s': %s", path,
		    strerror(e));
		sp_atomic_abort(&a);
		return -1;
	}
	return 0;
}
