/* adts: a streaming ADTS (AAC) frame parser that skips and reads ID3 tags. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "adts.h"
#include "id3r.h"
#include "strnum.h"
#include "banned.h"

/*
 * How it works.  The stream is a sequence of items: ADTS frames, ID3v2
 * tags, one ID3v1 trailer at the very end, and junk.  At each position the
 * parser decides which item starts there, and only once it holds enough
 * bytes for the decision to be final: a frame counts when a frame, a tag
 * or the end follows it where its frame_length says (rules in adts.h), so
 * the decision may need the whole frame and 10 bytes more.  Those bytes
 * are read in place from the caller's buffer when they are all there, and
 * otherwise gathered in p->buf (at most SP_ADTS_BUFSZ).  Because no decision is
 * taken on partial data, any split of the input gives the same result.
 * Tag bodies are skipped by count; only the few frames we read (PRIV,
 * TIT3, TXXX) are held, and only their first SP_ID3_TEXTMAX bytes.
 */

enum { ST_TOP, ST_TAG };			/* p->state */
enum { TS_EXT, TS_FRAME, TS_KEEP, TS_SKIP, TS_REST };	/* p->tstate */
enum { STEP_GO, STEP_NEED, STEP_DONE };

#define PTS_OWNER	"com.apple.streaming.transportStreamTimestamp"

static const unsigned rates[16] = {
	96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050,
	16000, 12000, 11025, 8000, 7350, 0, 0, 0
};

unsigned
sp_adts_rate(unsigned sr_index)
{
	return sr_index < 16 ? rates[sr_index] : 0;
}

int
sp_adts_header(const uint8_t *b, size_t n, struct sp_adts_frame *f)
{
	unsigned raw;

	/* Syncword 0xFFF and layer 0. */
	if (n < 7 || b[0] != 0xFF || (b[1] & 0xF6) != 0xF0)
		return -1;
	memset(f, 0, sizeof(*f));
	f->sr_index = (b[2] >> 2) & 0xF;
	if ((f->sample_rate = rates[f->sr_index]) == 0)
		return -1;
	f->mpeg2 = (b[1] >> 3) & 1;
	f->crc = !(b[1] & 1);
	f->profile = b[2] >> 6;
	f->chan_config = ((b[2] & 1) << 2) | (b[3] >> 6);
	f->channels = f->chan_config == 7 ? 8 : f->chan_config;
	f->length = ((b[3] & 3u) << 11) | ((unsigned)b[4] << 3) | (b[5] >> 5);
	f->fullness = ((b[5] & 0x1Fu) << 6) | (b[6] >> 2);
	raw = b[6] & 3;
	f->blocks = raw + 1;
	f->samples = 1024 * f->blocks;
	/* With a CRC, raw_data_block_position[] precedes crc_check. */
	f->header_len = f->crc ? 9 + 2 * raw : 7;
	if (f->length < f->header_len)
		return -1;
	return 0;
}

static uint32_t
be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/*
 * Could the n bytes at b, cut by the end of the stream, have begun a frame
 * header (or a tag header)?  Complete them with a valid header and look.
 */
static int
adts_prefix(const uint8_t *b, size_t n)
{
	uint8_t h[7] = { 0xFF, 0xF1, 0x50, 0x83, 0xFF, 0xFF, 0xFC };
	struct sp_adts_frame f;

	memcpy(h, b, n < 7 ? n : 7);
	return sp_adts_header(h, 7, &f) == 0;
}

static int
id3_prefix(const uint8_t *b, size_t n)
{
	uint8_t h[10] = { 'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0 };
	size_t t;

	memcpy(h, b, n < 10 ? n : 10);
	return sp_id3_size(h, 10, &t) == 0;
}

static void __attribute__((format(printf, 2, 3)))
note(struct sp_adts *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
}

void
sp_adts_init(struct sp_adts *p)
{
	memset(p, 0, sizeof(*p));
	p->state = ST_TOP;
	/* The start of the stream is a boundary like the end of a frame. */
	p->locked = 1;
}

static int
need(size_t *k, size_t n)
{
	*k = n;
	return STEP_NEED;
}

/*
 * Does an item begin at q (n bytes, then the end if eof)?  1 yes, 0 no,
 * -1 when more bytes are needed (*want of them in all).
 */
static int
follows(const uint8_t *q, size_t n, int eof, size_t *want)
{
	struct sp_adts_frame f;
	size_t t;

	if (n == 0) {
		*want = 1;
		return eof ? 1 : -1;
	}
	switch (q[0]) {
	case 0xFF:
		if (n < 7) {
			*want = 7;
			return eof ? adts_prefix(q, n) : -1;
		}
		return sp_adts_header(q, n, &f) == 0;
	case 'I':
		if (n < 10) {
			*want = 10;
			return eof ? id3_prefix(q, n) : -1;
		}
		return sp_id3_size(q, n, &t) == 0;
	case 'T':
		if (n < 3) {
			*want = 3;
			return eof ? memcmp(q, "TAG", n) == 0 : -1;
		}
		return q[1] == 'A' && q[2] == 'G';
	}
	return 0;
}

/*
 * At the end: does a whole frame or a tag start after q[0]?  Then q[0]
 * begins junk that looks like a frame header, not a frame cut short.
 */
static int
item_after(const uint8_t *q, size_t n)
{
	struct sp_adts_frame f;
	size_t j, t;

	for (j = 1; j < n; j++) {
		if (q[j] == 0xFF && sp_adts_header(q + j, n - j, &f) == 0 &&
		    f.length <= n - j &&
		    follows(q + j + f.length, n - j - f.length, 1, &t) == 1)
			return 1;
		if (q[j] == 'I' && sp_id3_size(q + j, n - j, &t) == 0)
			return 1;
	}
	return 0;
}

/* Does a tag, or a frame header like f, start inside q[1..len)? */
static int
item_within(const uint8_t *q, size_t len, size_t n,
    const struct sp_adts_frame *f)
{
	struct sp_adts_frame g;
	size_t j, t;

	for (j = 1; j < len; j++) {
		if (q[j] == 0xFF && sp_adts_header(q + j, n - j, &g) == 0 &&
		    g.mpeg2 == f->mpeg2 && g.crc == f->crc &&
		    g.profile == f->profile && g.sr_index == f->sr_index &&
		    g.chan_config == f->chan_config)
			return 1;
		if (q[j] == 'I' && sp_id3_size(q + j, n - j, &t) == 0)
			return 1;
	}
	return 0;
}

static void
frame(struct sp_adts *p, const uint8_t *q, const struct sp_adts_frame *f)
{
	struct sp_adts_info *i = &p->info;
	const struct sp_adts_frame *l = &p->last;

	if (i->frames == 0) {
		i->mpeg2 = f->mpeg2;
		i->profile = f->profile;
		i->sr_index = f->sr_index;
		i->sample_rate = f->sample_rate;
		i->chan_config = f->chan_config;
		i->channels = f->channels;
	} else if (f->mpeg2 != l->mpeg2 || f->profile != l->profile ||
	    f->sr_index != l->sr_index || f->chan_config != l->chan_config) {
		/* Spaces never do this; a decoder set up once would. */
		i->changes++;
		i->errors |= SP_ADTS_ECHANGE;
		note(p, "the audio format changes at byte %llu",
		    (unsigned long long)p->pos);
		p->dur_done += (double)p->seg_samples / l->sample_rate;
		p->seg_samples = 0;
	}
	i->frames++;
	i->crc_frames += f->crc;
	i->samples += f->samples;
	i->audio_bytes += f->length;
	p->seg_samples += f->samples;
	i->duration = p->dur_done + (double)p->seg_samples / f->sample_rate;
	p->last = *f;
	p->locked = 1;
	if (p->on_frame != NULL)
		p->on_frame(p->ctx, p->pos, f, q);
}

/* The item at p->pos is cut short by the end: n bytes of it remain. */
static int
cut(struct sp_adts *p, size_t n, size_t *k, unsigned e, uint64_t from)
{
	p->info.trunc_bytes += n;
	p->info.errors |= e;
	note(p, "the %s at byte %llu is cut short by the end",
	    e == SP_ADTS_ETRUNC ? "last frame" : "ID3 tag",
	    (unsigned long long)from);
	*k = n;
	return STEP_GO;
}

/* Pass over junk up to the next byte that may start an item. */
static int
junk(struct sp_adts *p, const uint8_t *q, size_t n, size_t *k)
{
	struct sp_adts_info *i = &p->info;
	size_t j;

	for (j = 1; j < n; j++)
		if (q[j] == 0xFF || q[j] == 'I' || q[j] == 'T')
			break;
	if (i->frames == 0 && i->id3_tags == 0)
		i->lead_junk += j;
	else if (p->locked) {
		i->errors |= SP_ADTS_EJUNK;
		note(p, "junk at byte %llu", (unsigned long long)p->pos);
	}
	i->junk_bytes += j;
	p->locked = 0;
	*k = j;
	return STEP_GO;
}

static void
tag_start(struct sp_adts *p, const uint8_t *q, size_t total)
{
	struct sp_id3_tag *t = &p->tag;

	t->offset = p->pos;
	t->size = total;
	t->sample = p->info.samples;
	t->version = q[3];
	t->have = 0;
	t->pts = 0;
	t->tit3_ntp = t->json_ntp = 0;
	t->tit3[0] = t->json[0] = t->participants[0] = t->audio_level[0] = '\0';
	p->tag_flags = q[5];
	p->tag_seen = 10;
	p->tag_rest = total - 10;
	p->body_left = sp_id3_syncsafe(q + 6);
	p->skip = 0;
	p->state = ST_TAG;
	/*
	 * v2.2 has none of the frames we read.  v2.3 unsynchronises the whole
	 * tag, frame headers too: its frames cannot be found without undoing
	 * it, which we leave to tag libraries.  Both are skipped whole.
	 */
	if (t->version == 2 || (t->version == 3 && (p->tag_flags & 0x80)))
		p->tstate = TS_REST;
	else if (p->tag_flags & 0x40)
		p->tstate = TS_EXT;
	else
		p->tstate = TS_FRAME;
}

static void
tag_end(struct sp_adts *p)
{
	struct sp_adts_info *i = &p->info;
	struct sp_id3_tag *t = &p->tag;

	i->id3_bytes += p->tag_seen;
	i->id3_tags++;
	if ((t->have & SP_ID3_PTS) && !(i->have & SP_ID3_PTS)) {
		i->have |= SP_ID3_PTS;
		i->first_pts = t->pts;
		i->first_pts_sample = t->sample;
	}
	if ((t->have & (SP_ID3_TIT3_NTP | SP_ID3_JSON_NTP)) &&
	    !(i->have & (SP_ID3_TIT3_NTP | SP_ID3_JSON_NTP))) {
		i->have |= t->have & (SP_ID3_TIT3_NTP | SP_ID3_JSON_NTP);
		i->first_ntp = (t->have & SP_ID3_TIT3_NTP) ? t->tit3_ntp :
		    t->json_ntp;
		i->first_ntp_sample = t->sample;
	}
	p->state = ST_TOP;
	p->locked = 1;
	if (p->on_tag != NULL)
		p->on_tag(p->ctx, t);
}

/* The "ntp" member of a JSONMetadata text, if it is a number. */
static int
json_ntp(const char *s, double *v)
{
	json_error_t e;
	json_t *o, *n;
	int rc = -1;

	if ((o = json_loads(s, 0, &e)) == NULL)
		return -1;
	n = json_object_get(o, "ntp");
	if (json_is_number(n)) {
		*v = json_number_value(n);
		rc = 0;
	}
	json_decref(o);
	return rc;
}

/* An ID3 frame we read: its first n bytes are at q. */
static void
id3_frame(struct sp_adts *p, const uint8_t *q, size_t n, int cut_short)
{
	struct sp_id3_tag *t = &p->tag;
	uint8_t *d = p->scratch;
	const char *errstr;
	char desc[64], *dst;
	size_t i, skip = 0;
	unsigned bit;
	int full = 0, unsync;
	double v;

	memcpy(d, q, n);
	skip = (size_t)sp_id3_frame_skip(t->version, p->fr_flags, &unsync);
	if (unsync)
		n = sp_id3_unsync(d, n);
	if (n < skip + 1)
		return;
	d += skip;
	n -= skip;

	if (strcmp(p->fr_id, "PRIV") == 0) {
		/* Owner, NUL, then the 33-bit PTS as 8 big-endian bytes. */
		if (n == sizeof(PTS_OWNER) + 8 && !(t->have & SP_ID3_PTS) &&
		    memcmp(d, PTS_OWNER, sizeof(PTS_OWNER)) == 0) {
			t->pts = (uint64_t)be32(d + sizeof(PTS_OWNER)) << 32 |
			    be32(d + sizeof(PTS_OWNER) + 4);
			t->pts &= (UINT64_C(1) << 33) - 1;
			t->have |= SP_ID3_PTS;
		}
		return;
	}
	if (d[0] > 3)
		return;
	if (strcmp(p->fr_id, "TIT3") == 0) {
		if (t->have & SP_ID3_TIT3)
			return;
		sp_id3_text(d[0], d + 1, n - 1, t->tit3, sizeof(t->tit3),
		    &full);
		t->have |= SP_ID3_TIT3;
		if (sp_strtod(t->tit3, 0, 1e12, &v, &errstr) == 0) {
			t->tit3_ntp = v;
			t->have |= SP_ID3_TIT3_NTP;
		}
	} else {
		/* TXXX: encoding, description, value. */
		i = 1 + sp_id3_text(d[0], d + 1, n - 1, desc, sizeof(desc),
		    &full);
		if (full)
			return;
		if (strcmp(desc, "JSONMetadata") == 0)
			bit = SP_ID3_JSON, dst = t->json;
		else if (strcmp(desc, "HydraParticipants") == 0)
			bit = SP_ID3_PARTICIPANTS, dst = t->participants;
		else if (strcmp(desc, "HydraAudioLevel") == 0)
			bit = SP_ID3_AUDIO_LEVEL, dst = t->audio_level;
		else
			return;
		if (t->have & bit)
			return;
		sp_id3_text(d[0], d + i, n - i, dst, SP_ID3_TEXTMAX, &full);
		t->have |= bit;
		if (bit == SP_ID3_JSON && !full && !cut_short &&
		    json_ntp(t->json, &v) == 0) {
			t->json_ntp = v;
			t->have |= SP_ID3_JSON_NTP;
		}
	}
	if (full || cut_short)
		t->have |= SP_ID3_CUT;
}

/* Is this frame one we read, in a form we can read? */
static int
wanted(const struct sp_adts *p)
{
	if (strcmp(p->fr_id, "PRIV") != 0 && strcmp(p->fr_id, "TIT3") != 0 &&
	    strcmp(p->fr_id, "TXXX") != 0)
		return 0;
	return sp_id3_frame_skip(p->tag.version, p->fr_flags, NULL) >= 0;
}

static void
tag_used(struct sp_adts *p, size_t n)
{
	p->tag_seen += n;
	p->tag_rest -= n;
	p->body_left = p->body_left > n ? p->body_left - n : 0;
}

static int
tag_bad(struct sp_adts *p, size_t *k)
{
	p->info.errors |= SP_ADTS_EBADTAG;
	note(p, "the ID3 tag at byte %llu is malformed",
	    (unsigned long long)p->tag.offset);
	p->tstate = TS_REST;
	*k = 0;
	return STEP_GO;
}

/* One step inside an ID3v2 tag (its 10-byte header is behind us). */
static int
tag_step(struct sp_adts *p, const uint8_t *q, size_t n, int eof, size_t *k)
{
	uint64_t size;
	size_t i;

	*k = 0;
	if (p->tag_rest == 0) {
		tag_end(p);
		return STEP_GO;
	}
	if (eof && n < p->tag_rest) {
		p->state = ST_TOP;
		p->locked = 0;
		p->info.trunc_bytes += p->tag_seen;
		return cut(p, n, k, SP_ADTS_ETRUNCTAG, p->tag.offset);
	}
	switch (p->tstate) {
	case TS_EXT:
		if (p->body_left < 4) {
			p->tstate = TS_REST;
			return STEP_GO;
		}
		if (n < 4)
			return need(k, 4);
		/* v2.3 counts the size field out, v2.4 counts it in. */
		if (p->tag.version == 3)
			size = (uint64_t)be32(q) + 4;
		else if ((q[0] | q[1] | q[2] | q[3]) & 0x80)
			return tag_bad(p, k);
		else
			size = sp_id3_syncsafe(q);
		if (size < 4 || size > p->body_left)
			return tag_bad(p, k);
		p->skip = size;
		p->tstate = TS_SKIP;
		return STEP_GO;
	case TS_FRAME:
		if (p->body_left < 10) {
			p->tstate = TS_REST;
			return STEP_GO;
		}
		if (n < 10)
			return need(k, 10);
		if (q[0] == 0) {		/* padding */
			p->tstate = TS_REST;
			return STEP_GO;
		}
		for (i = 0; i < 4; i++)
			if (!((q[i] >= 'A' && q[i] <= 'Z') ||
			    (q[i] >= '0' && q[i] <= '9')))
				return tag_bad(p, k);
		if (p->tag.version == 3)
			size = be32(q + 4);
		else if ((q[4] | q[5] | q[6] | q[7]) & 0x80)
			return tag_bad(p, k);
		else
			size = sp_id3_syncsafe(q + 4);
		if (size > p->body_left - 10)
			return tag_bad(p, k);
		memcpy(p->fr_id, q, 4);
		p->fr_id[4] = '\0';
		p->fr_flags = q[9];
		/* A v2.4 tag's unsynchronisation flag covers every frame. */
		if (p->tag.version == 4 && (p->tag_flags & 0x80))
			p->fr_flags |= SP_ID3_F24_UNSYNC;
		tag_used(p, 10);
		*k = 10;
		if (wanted(p)) {
			p->fr_size = size;
			p->fr_keep = size < SP_ID3_TEXTMAX ? size :
			    SP_ID3_TEXTMAX;
			p->tstate = TS_KEEP;
		} else {
			p->skip = size;
			p->tstate = TS_SKIP;
		}
		return STEP_GO;
	case TS_KEEP:
		if (n < p->fr_keep)
			return need(k, p->fr_keep);
		id3_frame(p, q, p->fr_keep, p->fr_keep < p->fr_size);
		tag_used(p, p->fr_keep);
		p->skip = p->fr_size - p->fr_keep;
		p->tstate = TS_SKIP;
		*k = p->fr_keep;
		return STEP_GO;
	case TS_SKIP:
		if (p->skip == 0) {
			p->tstate = TS_FRAME;
			return STEP_GO;
		}
		if (n == 0)
			return need(k, 1);
		*k = p->skip < n ? p->skip : n;
		p->skip -= *k;
		tag_used(p, *k);
		return STEP_GO;
	default:			/* TS_REST: padding, footer, the rest */
		if (n == 0)
			return need(k, 1);
		*k = p->tag_rest < n ? p->tag_rest : n;
		tag_used(p, *k);
		return STEP_GO;
	}
}

/* One step between items: decide what starts at q. */
static int
top_step(struct sp_adts *p, const uint8_t *q, size_t n, int eof, size_t *k)
{
	struct sp_adts_frame f;
	size_t total, want;
	int s;

	*k = 0;
	if (n == 0)
		return eof ? STEP_DONE : need(k, 1);
	switch (q[0]) {
	case 0xFF:
		if (n < 7 && !eof)
			return need(k, 7);
		if (sp_adts_header(q, n, &f) == 0) {
			if (n < f.length) {
				if (!eof)
					return need(k, f.length + 1);
				if (p->locked && !item_after(q, n))
					return cut(p, n, k, SP_ADTS_ETRUNC,
					    p->pos);
				break;
			}
			s = follows(q + f.length, n - f.length, eof, &want);
			if (s < 0)
				return need(k, f.length + want);
			/*
			 * Junk after a frame that follows a frame or tag:
			 * the frame is whole unless a tag or a frame like
			 * it starts inside, as when a chunk was cut short
			 * and the next one starts there.
			 */
			if (s == 0 && p->locked &&
			    p->info.frames + p->info.id3_tags > 0) {
				if (n < f.length + 10 && !eof)
					return need(k, f.length + 10);
				s = !item_within(q, f.length, n, &f);
			}
			if (s > 0) {
				frame(p, q, &f);
				*k = f.length;
				return STEP_GO;
			}
		} else if (n < 7 && p->locked && adts_prefix(q, n))
			return cut(p, n, k, SP_ADTS_ETRUNC, p->pos);
		break;
	case 'I':
		if (n < 10 && !eof)
			return need(k, 10);
		if (sp_id3_size(q, n, &total) == 0) {
			tag_start(p, q, total);
			*k = 10;
			return STEP_GO;
		}
		if (n < 10 && p->locked && id3_prefix(q, n))
			return cut(p, n, k, SP_ADTS_ETRUNCTAG, p->pos);
		break;
	case 'T':
		/* An ID3v1 tag: the last 128 bytes, starting "TAG". */
		if (n < 3 && !eof)
			return need(k, 3);
		if (n >= 3 && q[1] == 'A' && q[2] == 'G') {
			if (n <= 128 && !eof)
				return need(k, 129);
			if (n == 128) {
				p->info.id3v1_bytes += 128;
				*k = 128;
				return STEP_GO;
			}
		}
		break;
	}
	return junk(p, q, n, k);
}

/* Parse what can be decided in b; returns the bytes used. */
static size_t
run(struct sp_adts *p, const uint8_t *b, size_t n, int eof)
{
	size_t off = 0, k;
	int r;

	for (;;) {
		if (p->state == ST_TAG)
			r = tag_step(p, b + off, n - off, eof, &k);
		else
			r = top_step(p, b + off, n - off, eof, &k);
		if (r == STEP_DONE)
			break;
		if (r == STEP_NEED) {
			if (!eof)
				break;
			/* Cannot happen: at the end every step decides. */
			p->info.trunc_bytes += n - off;
			p->info.errors |= SP_ADTS_ETRUNC;
			p->pos += n - off;
			return n;
		}
		off += k;
		p->pos += k;
	}
	return off;
}

int
sp_adts_feed(struct sp_adts *p, const uint8_t *b, size_t n)
{
	size_t k, take, left;

	if (p->finished)
		return -1;
	p->info.bytes += n;
	while (n > 0) {
		if (p->len == 0) {
			/* Read in place; keep what cannot be decided yet. */
			k = run(p, b, n, 0);
			memcpy(p->buf, b + k, n - k);
			p->len = n - k;
			return 0;
		}
		take = n < SP_ADTS_BUFSZ - p->len ? n : SP_ADTS_BUFSZ - p->len;
		memcpy(p->buf + p->len, b, take);
		p->len += take;
		k = run(p, p->buf, p->len, 0);
		left = p->len - k;
		if (left <= take) {
			/* All that is left came from b: go on reading b. */
			b += take - left;
			n -= take - left;
			p->len = 0;
		} else {
			memmove(p->buf, p->buf + k, left);
			p->len = left;
			b += take;
			n -= take;
		}
	}
	return 0;
}

int
sp_adts_finish(struct sp_adts *p)
{
	if (p->finished)
		return p->info.frames > 0 ? 0 : -1;
	run(p, p->buf, p->len, 1);
	p->len = 0;
	p->finished = 1;
	if (p->info.frames == 0) {
		p->info.errors |= SP_ADTS_ENOFRAME;
		snprintf(p->err, sizeof(p->err), "no ADTS frame found");
		return -1;
	}
	return 0;
}

int
sp_adts_started_ms(const struct sp_adts_info *i, int64_t *ms)
{
	double t;

	/* The tag's time is that of the sample where the tag sits. */
	if (!(i->have & (SP_ID3_TIT3_NTP | SP_ID3_JSON_NTP)) ||
	    i->sample_rate == 0 || !(i->first_ntp > SP_NTP_UNIX) ||
	    i->first_ntp > SP_NTP_UNIX + 253402300799.0)
		return -1;
	t = i->first_ntp - SP_NTP_UNIX - (double)i->first_ntp_sample /
	    i->sample_rate;
	*ms = (int64_t)llround(t * 1000);
	return 0;
}
