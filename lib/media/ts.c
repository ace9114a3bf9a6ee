/* ts: a streaming MPEG-TS demuxer (ISO/IEC 13818-1): PAT, PMT, PES. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts.h"
#include "xalloc.h"
#include "banned.h"

#define WRAP	(INT64_C(1) << 33)

struct es {
	unsigned	 pid, stream_type;
	int		 cc;		/* last continuity counter, -1 none */
	int		 active;	/* a PES is being assembled */
	int		 rai;
	uint64_t	 offset;
	int64_t		 last;		/* last unwrapped DTS, -1 none */
	uint8_t		*buf;
	size_t		 len, cap;
};

struct sp_ts {
	sp_ts_pes_fn	*on_pes;
	void		*ctx;
	uint8_t		 carry[SP_TS_PACKET];
	size_t		 clen;
	uint64_t	 carry_off;
	struct es	 es[SP_TS_MAXES];
	struct sp_ts_es	 pub[SP_TS_MAXES];
	size_t		 nes;
	struct sp_ts_stats st;
};

struct sp_ts *
sp_ts_new(sp_ts_pes_fn *on_pes, void *ctx)
{
	struct sp_ts *t = sp_xcalloc(1, sizeof(*t));

	t->on_pes = on_pes;
	t->ctx = ctx;
	return t;
}

void
sp_ts_free(struct sp_ts *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nes; i++)
		free(t->es[i].buf);
	free(t);
}

const struct sp_ts_stats *
sp_ts_stats(const struct sp_ts *t)
{
	return &t->st;
}

size_t
sp_ts_streams(const struct sp_ts *t, const struct sp_ts_es **es)
{
	*es = t->pub;
	return t->nes;
}

const char *
sp_ts_type_name(unsigned type, char *buf, size_t n)
{
	switch (type) {
	case SP_TS_AAC_ADTS:
		return "aac";
	case SP_TS_H264:
		return "h264";
	case SP_TS_HEVC:
		return "hevc";
	case SP_TS_MP3:
	case SP_TS_MP2:
		return "mp3";
	case SP_TS_ID3:
		return "id3";
	case 0x11:
		return "aac-latm";
	case 0x81:
		return "ac3";
	default:
		snprintf(buf, n, "0x%02x", type);
		return buf;
	}
}

int
sp_ts_sniff(const uint8_t *b, size_t n)
{
	size_t k = n / SP_TS_PACKET, i;

	if (k > 3)
		k = 3;
	if (k < 2)
		return 0;
	for (i = 0; i < k; i++)
		if (b[i * SP_TS_PACKET] != 0x47)
			return 0;
	return 1;
}

int64_t
sp_ts_unwrap(int64_t prev, uint64_t v)
{
	int64_t c;

	v &= (uint64_t)WRAP - 1;
	if (prev < 0)
		return (int64_t)v;
	c = prev - prev % WRAP + (int64_t)v;
	if (c - prev > WRAP / 2 && c >= WRAP)
		c -= WRAP;
	else if (prev - c > WRAP / 2)
		c += WRAP;
	return c;
}

/* CRC-32/MPEG-2 (poly 0x04C11DB7, init ~0, no reflection, no xor out):
 * over a whole PSI section with its CRC it is 0. */
static uint32_t
crc32_mpeg(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	int k;

	while (n--) {
		c ^= (uint32_t)*p++ << 24;
		for (k = 0; k < 8; k++)
			c = c & 0x80000000u ? (c << 1) ^ 0x04C11DB7u : c << 1;
	}
	return c;
}

/* The section a payload unit start carries, checked: its bytes and length
 * (header and CRC included), or NULL. */
static const uint8_t *
section(struct sp_ts *t, const uint8_t *p, size_t n, unsigned table,
    size_t *len)
{
	size_t ptr, sl;

	if (n < 1 || (ptr = p[0]) + 1 >= n)
		goto bad;
	p += 1 + ptr;
	n -= 1 + ptr;
	if (n < 3 || p[0] != table || !(p[1] & 0x80))
		goto bad;
	sl = (size_t)(p[1] & 0x0F) << 8 | p[2];
	/* Sections that span packets are not needed by HLS segments: their
	 * PAT and PMT fit in one packet. */
	if (sl < 9 || sl > n - 3 || crc32_mpeg(p, 3 + sl) != 0)
		goto bad;
	*len = 3 + sl;
	return p;
bad:
	t->st.psi_errors++;
	return NULL;
}

static void
pat(struct sp_ts *t, const uint8_t *p, size_t n)
{
	const uint8_t *s;
	size_t len, i;

	if ((s = section(t, p, n, 0x00, &len)) == NULL)
		return;
	for (i = 8; i + 4 <= len - 4; i += 4) {
		unsigned prog = (unsigned)s[i] << 8 | s[i + 1];
		unsigned pid = (unsigned)(s[i + 2] & 0x1F) << 8 | s[i + 3];

		if (prog == 0)
			continue;	/* the network PID */
		t->st.program = prog;
		t->st.pmt_pid = pid;
		return;
	}
}

static void deliver(struct sp_ts *, struct es *);

static void
pmt(struct sp_ts *t, const uint8_t *p, size_t n)
{
	struct es old[SP_TS_MAXES], *e;
	const uint8_t *s;
	size_t len, i, pil, nold, k;

	if ((s = section(t, p, n, 0x02, &len)) == NULL)
		return;
	pil = (size_t)(s[10] & 0x0F) << 8 | s[11];
	if (12 + pil > len - 4) {
		t->st.psi_errors++;
		return;
	}
	/* A PMT is repeated in every segment: streams that stay keep their
	 * state, those that go are delivered and released. */
	memcpy(old, t->es, sizeof(old));
	nold = t->nes;
	t->nes = 0;
	for (i = 12 + pil; i + 5 <= len - 4; ) {
		unsigned type = s[i];
		unsigned pid = (unsigned)(s[i + 1] & 0x1F) << 8 | s[i + 2];
		size_t eil = (size_t)(s[i + 3] & 0x0F) << 8 | s[i + 4];

		i += 5 + eil;
		if (i > len - 4 || t->nes == SP_TS_MAXES || pid < 0x10 ||
		    pid == 0x1FFF)
			break;
		e = &t->es[t->nes];
		for (k = 0; k < nold; k++)
			if (old[k].pid == pid && old[k].stream_type == type)
				break;
		if (k < nold) {
			*e = old[k];
			old[k].pid = 0x2000;	/* taken */
		} else {
			memset(e, 0, sizeof(*e));
			e->pid = pid;
			e->stream_type = type;
			e->cc = -1;
			e->last = -1;
		}
		t->pub[t->nes].pid = pid;
		t->pub[t->nes].stream_type = type;
		t->nes++;
	}
	for (k = 0; k < nold; k++) {
		if (old[k].pid == 0x2000)
			continue;
		deliver(t, &old[k]);
		free(old[k].buf);
	}
}

static uint64_t
ts33(const uint8_t *b)
{
	return (uint64_t)(b[0] >> 1 & 7) << 30 | (uint64_t)b[1] << 22 |
	    (uint64_t)(b[2] >> 1) << 15 | (uint64_t)b[3] << 7 | b[4] >> 1;
}

/* The 33-bit base of a PCR (its 9-bit 27 MHz extension is not needed). */
static uint64_t
ts33pcr(const uint8_t *b)
{
	return (uint64_t)b[0] << 25 | (uint64_t)b[1] << 17 |
	    (uint64_t)b[2] << 9 | (uint64_t)b[3] << 1 | b[4] >> 7;
}

/* Hand the PES assembled in e to the callback, if it parses. */
static void
deliver(struct sp_ts *t, struct es *e)
{
	struct sp_ts_pes p;
	const uint8_t *b = e->buf;
	size_t n = e->len, plen, hl, at;
	unsigned flags;

	if (!e->active)
		return;
	e->active = 0;
	e->len = 0;
	if (n < 9 || b[0] != 0 || b[1] != 0 || b[2] != 1)
		goto bad;
	memset(&p, 0, sizeof(p));
	p.pid = e->pid;
	p.stream_type = e->stream_type;
	p.stream_id = b[3];
	p.random_access = e->rai;
	p.offset = e->offset;
	plen = (size_t)b[4] << 8 | b[5];
	if ((b[6] & 0xC0) != 0x80)
		goto bad;	/* streams without the optional header */
	flags = b[7] >> 6;
	hl = b[8];
	at = 9 + hl;
	if (at > n || (plen != 0 && plen < 3 + hl))
		goto bad;
	if (flags == 1)
		goto bad;	/* forbidden */
	if (flags & 2) {
		if (hl < 5)
			goto bad;
		p.has_pts = 1;
		p.pts = (int64_t)ts33(b + 9);
	}
	if (flags == 3) {
		if (hl < 10)
			goto bad;
		p.has_dts = 1;
		p.dts = (int64_t)ts33(b + 14);
	}
	if (p.has_pts) {
		int64_t raw_pts = p.pts;

		p.dts = sp_ts_unwrap(e->last, (uint64_t)(p.has_dts ? p.dts :
		    raw_pts));
		p.pts = sp_ts_unwrap(p.dts, (uint64_t)raw_pts);
		e->last = p.dts;
	}
	p.data = b + at;
	p.len = n - at;
	if (plen != 0) {
		if (6 + plen > n)
			goto bad;	/* cut short */
		p.len = 6 + plen - at;
	}
	t->st.pes++;
	t->on_pes(t->ctx, &p);
	return;
bad:
	t->st.pes_dropped++;
}

static void
append(struct es *e, const uint8_t *p, size_t n)
{
	if (e->len + n > e->cap) {
		size_t c = e->cap ? e->cap : 4096;

		while (c < e->len + n)
			c *= 2;
		e->buf = sp_xrealloc(e->buf, c);
		e->cap = c;
	}
	memcpy(e->buf + e->len, p, n);
	e->len += n;
}

static struct es *
find_es(struct sp_ts *t, unsigned pid)
{
	size_t i;

	for (i = 0; i < t->nes; i++)
		if (t->es[i].pid == pid)
			return &t->es[i];
	return NULL;
}

static void
packet(struct sp_ts *t, const uint8_t *b, uint64_t off)
{
	unsigned pid, afc, cc;
	int pusi, disc = 0, rai = 0;
	size_t at = 4;
	struct es *e;

	t->st.packets++;
	if (b[1] & 0x80) {
		t->st.tei++;	/* its CC is not to be trusted either */
		return;
	}
	pusi = b[1] & 0x40;
	pid = (unsigned)(b[1] & 0x1F) << 8 | b[2];
	afc = b[3] >> 4 & 3;
	cc = b[3] & 15;
	if (afc == 0)
		return;
	if (afc & 2) {
		size_t al = b[4];

		if (al > (afc == 2 ? 183u : 182u))
			return;
		if (al > 0) {
			disc = b[5] & 0x80;
			rai = b[5] & 0x40;
			if ((b[5] & 0x10) && al >= 7) {
				int64_t pcr = sp_ts_unwrap(t->st.has_pcr ?
				    t->st.pcr_last : -1, ts33pcr(b + 6));

				if (!t->st.has_pcr)
					t->st.pcr_first = pcr;
				t->st.pcr_last = pcr;
				t->st.has_pcr = 1;
			}
		}
		at = 5 + al;
	}
	if (!(afc & 1))
		return;
	if (pid == 0) {
		if (pusi)
			pat(t, b + at, SP_TS_PACKET - at);
		return;
	}
	if (pid == t->st.pmt_pid && t->st.pmt_pid != 0) {
		if (pusi)
			pmt(t, b + at, SP_TS_PACKET - at);
		return;
	}
	if ((e = find_es(t, pid)) == NULL)
		return;
	if (e->cc >= 0 && !disc) {
		if (cc == (unsigned)e->cc) {
			t->st.duplicates++;
			return;
		}
		if (cc != (((unsigned)e->cc + 1) & 15)) {
			if (t->st.cc_gaps++ == 0)
				t->st.first_gap = off;
			if (e->active) {
				e->active = 0;
				e->len = 0;
				t->st.pes_dropped++;
			}
		}
	}
	e->cc = (int)cc;
	if (pusi) {
		deliver(t, e);
		e->active = 1;
		e->len = 0;
		e->rai = rai != 0;
		e->offset = off;
	}
	if (!e->active)
		return;		/* the middle of a PES whose start was lost */
	if (e->len + (SP_TS_PACKET - at) > SP_TS_PESMAX) {
		e->active = 0;
		e->len = 0;
		t->st.pes_dropped++;
		return;
	}
	append(e, b + at, SP_TS_PACKET - at);
	/* A PES that says its length is delivered when whole. */
	if (e->len >= 6) {
		size_t plen = (size_t)e->buf[4] << 8 | e->buf[5];

		if (plen != 0 && e->len >= 6 + plen)
			deliver(t, e);
	}
}

/*
 * A packet is taken when the byte after it is a sync byte or the input
 * given so far ends with it (the end of a segment): else it was cut or
 * junk follows, and the search for sync restarts one byte on.
 */
static void
feed(struct sp_ts *t, const uint8_t *buf, size_t n, uint64_t pos)
{
	while (n > 0) {
		size_t i, k;

		if (t->clen > 0) {
			k = SP_TS_PACKET - t->clen;
			if (k > n)
				k = n;
			memcpy(t->carry + t->clen, buf, k);
			t->clen += k;
			buf += k;
			n -= k;
			pos += k;
			if (t->clen < SP_TS_PACKET)
				break;
			t->clen = 0;
			if (n == 0 || buf[0] == 0x47)
				packet(t, t->carry, t->carry_off);
			else {
				uint8_t rest[SP_TS_PACKET - 1];

				memcpy(rest, t->carry + 1, sizeof(rest));
				t->st.skipped++;
				feed(t, rest, sizeof(rest), t->carry_off + 1);
			}
			continue;
		}
		/* Find a sync byte that a second one follows 188 on. */
		for (i = 0; i < n; i++)
			if (buf[i] == 0x47 && (i + SP_TS_PACKET >= n ||
			    buf[i + SP_TS_PACKET] == 0x47))
				break;
		t->st.skipped += i;
		buf += i;
		n -= i;
		pos += i;
		if (n >= SP_TS_PACKET) {
			packet(t, buf, pos);
			buf += SP_TS_PACKET;
			n -= SP_TS_PACKET;
			pos += SP_TS_PACKET;
		} else if (n > 0) {
			memcpy(t->carry, buf, n);
			t->clen = n;
			t->carry_off = pos;
			pos += n;
			n = 0;
		}
	}
}

int
sp_ts_feed(struct sp_ts *t, const uint8_t *buf, size_t n)
{
	uint64_t pos = t->st.bytes;

	t->st.bytes += n;
	feed(t, buf, n, pos);
	return 0;
}

void
sp_ts_flush(struct sp_ts *t)
{
	size_t i;

	if (t->clen > 0) {
		t->st.skipped += t->clen;
		t->clen = 0;
	}
	for (i = 0; i < t->nes; i++)
		deliver(t, &t->es[i]);
}
