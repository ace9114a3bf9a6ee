/* t_ts: the MPEG-TS demuxer against ffprobe, and on damaged streams. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "tfile.h"
#include "ts.h"
#include "banned.h"

static char tmpdir[512], path[600];

struct got {
	uint64_t	 vpes, apes, hash, bytes;
	int64_t		 vdts[400], vpts[400];
	int64_t		 first_adts, last_adts;
	int		 monotone;
	unsigned	 vpid, apid;
	int		 vrai;		/* video PES flagged random access */
};

static void
on_pes(void *ctx, const struct sp_ts_pes *p)
{
	struct got *g = ctx;
	size_t i;

	for (i = 0; i < p->len; i++)
		g->hash = (g->hash ^ p->data[i]) * 0x100000001B3u;
	g->hash = (g->hash ^ (uint64_t)p->pts) * 0x100000001B3u;
	g->bytes += p->len;
	if (p->stream_type == SP_TS_H264) {
		if (g->vpes > 0 && p->dts <= g->vdts[(g->vpes - 1) % 400])
			g->monotone = 0;
		g->vdts[g->vpes % 400] = p->dts;
		g->vpts[g->vpes % 400] = p->pts;
		g->vpid = p->pid;
		g->vrai += p->random_access;
		g->vpes++;
	} else if (p->stream_type == SP_TS_AAC_ADTS) {
		if (g->apes == 0)
			g->first_adts = p->pts;
		else if (p->pts <= g->last_adts)
			g->monotone = 0;
		g->last_adts = p->pts;
		g->apid = p->pid;
		g->apes++;
	}
}

/* Demux b in pieces of step bytes (0: at once). */
static void
demux(const uint8_t *b, size_t n, size_t step, struct got *g,
    struct sp_ts_stats *st)
{
	struct sp_ts *t;
	size_t at;

	memset(g, 0, sizeof(*g));
	g->monotone = 1;
	t = sp_ts_new(on_pes, g);
	if (step == 0)
		step = n;
	for (at = 0; at < n; at += step)
		sp_ts_feed(t, b + at, n - at < step ? n - at : step);
	sp_ts_flush(t);
	*st = *sp_ts_stats(t);
	sp_ts_free(t);
}

/* Video packet PTS and DTS from ffprobe, in order; their count. */
static size_t
ffprobe_video(int64_t *pts, int64_t *dts, size_t max)
{
	char cmd[1400], line[256];
	FILE *p;
	long long a, b;
	size_t k = 0;

	snprintf(cmd, sizeof(cmd), "ffprobe -v error -select_streams v "
	    "-show_entries packet=pts,dts -of csv=p=0 '%s'", path);
	if ((p = popen(cmd, "r")) == NULL)
		return 0;
	while (k < max && fgets(line, sizeof(line), p) != NULL) {
		if (sscanf(line, "%lld,%lld", &a, &b) != 2)
			continue;	/* the blank lines of side data */
		pts[k] = a;
		dts[k] = b;
		k++;
	}
	pclose(p);
	return k;
}

/* Add off (mod 2^33) to every PES PTS and DTS in a TS image. */
static void
shift_timestamps(uint8_t *b, size_t n, uint64_t off)
{
	size_t i;

	for (i = 0; i + 188 <= n; i += 188) {
		uint8_t *p = b + i, *h;
		unsigned afc = p[3] >> 4 & 3, flags, k;
		size_t at = 4;

		if (!(p[1] & 0x40) || !(afc & 1))
			continue;
		if (afc & 2)
			at = 5 + p[4];
		h = p + at;
		if (at + 19 > 188 || h[0] || h[1] || h[2] != 1 ||
		    ((h[3] & 0xE0) != 0xE0 && (h[3] & 0xE0) != 0xC0))
			continue;
		flags = h[7] >> 6;
		for (k = 0; k < (flags == 3 ? 2u : flags == 2 ? 1u : 0u);
		    k++) {
			uint8_t *q = h + 9 + 5 * k;
			uint64_t v = (uint64_t)(q[0] >> 1 & 7) << 30 |
			    (uint64_t)q[1] << 22 | (uint64_t)(q[2] >> 1) << 15 |
			    (uint64_t)q[3] << 7 | q[4] >> 1;

			v = (v + off) & ((1ull << 33) - 1);
			q[0] = (uint8_t)((q[0] & 0xF1) | (v >> 29 & 0x0E));
			q[1] = (uint8_t)(v >> 22);
			q[2] = (uint8_t)((v >> 14 & 0xFE) | 1);
			q[3] = (uint8_t)(v >> 7);
			q[4] = (uint8_t)((v << 1 & 0xFE) | 1);
		}
	}
}

/* The offset of the k-th packet of pid after the first quarter. */
static size_t
find_packet(const uint8_t *b, size_t n, unsigned pid, int k)
{
	size_t i;

	for (i = (n / 4) / 188 * 188; i + 188 <= n; i += 188)
		if (((unsigned)(b[i + 1] & 0x1F) << 8 | b[i + 2]) == pid &&
		    !(b[i + 1] & 0x40) && k-- == 0)
			return i;
	return 0;
}

static void
test_fixture(void)
{
	struct got g, h;
	struct sp_ts_stats st, st2;
	static int64_t fpts[400], fdts[400];
	const struct sp_ts_es *es;
	uint8_t *b, *d;
	size_t n, k, i, at;
	int same;

	b = t_slurp(path, &n);
	demux(b, n, 0, &g, &st);
	/* 6 s at 30 fps, and AAC in PES packets of several frames. */
	T_INT(g.vpes, 180);
	T_OK(g.apes > 0);
	T_OK(g.monotone);
	T_INT(st.cc_gaps, 0);
	T_INT(st.pes_dropped, 0);
	T_INT(st.skipped, 0);
	T_INT(st.packets, n / 188);
	T_INT(st.psi_errors, 0);
	T_OK(st.has_pcr);
	T_INT(st.pmt_pid, 0x1000);
	T_INT(g.vrai, 3);		/* a keyframe every 2 s */
	k = ffprobe_video(fpts, fdts, 400);
	T_INT(k, 180);
	same = k == g.vpes;
	for (i = 0; same && i < k; i++)
		same = fpts[i] == g.vpts[i] && fdts[i] == g.vdts[i];
	T_OK(same);			/* every PTS and DTS as ffprobe */

	/* Any split of the input gives the same PES packets. */
	demux(b, n, 1, &h, &st2);
	T_OK(h.hash == g.hash && h.vpes == g.vpes && h.apes == g.apes);
	demux(b, n, 187, &h, &st2);
	T_OK(h.hash == g.hash);
	demux(b, n, 189, &h, &st2);
	T_OK(h.hash == g.hash);

	/* A missing packet: one gap, one PES dropped, the rest kept. */
	d = malloc(n + 4096);
	at = find_packet(b, n, g.vpid, 3);
	T_OK(at > 0);
	memcpy(d, b, at);
	memcpy(d + at, b + at + 188, n - at - 188);
	demux(d, n - 188, 0, &h, &st2);
	T_INT(st2.cc_gaps, 1);
	/* Seen at the next packet of that PID. */
	T_OK(st2.first_gap >= at && st2.first_gap < at + 188 * 16);
	T_INT(st2.pes_dropped, 1);
	T_INT(h.vpes, g.vpes - 1);
	T_INT(h.apes, g.apes);

	/* A repeated packet is dropped: nothing else changes. */
	memcpy(d, b, at + 188);
	memcpy(d + at + 188, b + at, n - at);
	demux(d, n + 188, 0, &h, &st2);
	T_INT(st2.duplicates, 1);
	T_INT(st2.cc_gaps, 0);
	T_OK(h.hash == g.hash);

	/* Junk before the first packet: skipped, at once or in pieces. */
	memset(d, 0x47, 7);
	memcpy(d + 7, b, n);
	demux(d, n + 7, 0, &h, &st2);
	T_INT(st2.skipped, 7);
	T_OK(h.hash == g.hash);
	demux(d, n + 7, 100, &h, &st2);
	T_INT(st2.skipped, 7);
	T_OK(h.hash == g.hash);
	/* Junk between two packets: the packet before cannot be told from
	 * a cut one unless the input ends there (a segment's end), so it
	 * is dropped and the gap reported. */
	memcpy(d, b, at);
	memset(d + at, 0xA5, 50);
	memcpy(d + 50 + at, b + at, n - at);
	demux(d, n + 50, 0, &h, &st2);
	T_INT(st2.skipped, 50 + 188);
	T_INT(st2.cc_gaps, 1);
	{
		struct sp_ts *t = sp_ts_new(on_pes, &h);

		memset(&h, 0, sizeof(h));
		sp_ts_feed(t, d, at);
		sp_ts_feed(t, d + at, n + 50 - at);
		sp_ts_flush(t);
		T_INT(sp_ts_stats(t)->skipped, 50);
		T_OK(h.hash == g.hash);
		sp_ts_free(t);
	}

	/* A cut packet (the last 100 bytes of one lost). */
	memcpy(d, b, at + 88);
	memcpy(d + at + 88, b + at + 188, n - at - 188);
	demux(d, n - 100, 0, &h, &st2);
	T_INT(h.vpes, g.vpes - 1);
	T_INT(st2.cc_gaps, 1);

	/* Timestamps that wrap past 2^33 two seconds in: unwrapped. */
	memcpy(d, b, n);
	shift_timestamps(d, n, (1ull << 33) - 132000 - 2 * 90000);
	demux(d, n, 0, &h, &st2);
	T_INT(h.vpes, 180);
	T_OK(h.monotone);
	T_INT(h.vdts[179] - h.vdts[0], g.vdts[179] - g.vdts[0]);
	T_INT(h.vpts[0], (1ull << 33) - 2 * 90000);
	T_OK(h.vpts[179] > (int64_t)(1ull << 33));

	/* The PMT names the streams. */
	{
		struct sp_ts *t = sp_ts_new(on_pes, &h);

		sp_ts_feed(t, b, 188 * 4);
		T_INT(sp_ts_streams(t, &es), 2);
		T_INT(es[0].stream_type, SP_TS_H264);
		T_INT(es[1].stream_type, SP_TS_AAC_ADTS);
		sp_ts_free(t);
	}
	/* A broken PAT CRC is counted and the stream found no further. */
	memcpy(d, b, n);
	d[188 - 1] ^= 0;	/* stuffing: harmless */
	d[5 + 8] ^= 0xFF;	/* inside the first PAT */
	for (i = 188; i + 188 <= n; i += 188)
		if (d[i + 1] == 0x40 && d[i + 2] == 0)
			d[i + 5 + 8] ^= 0xFF;
	demux(d, n, 0, &h, &st2);
	T_OK(st2.psi_errors >= 1);
	T_INT(h.vpes, 0);
	free(d);
	free(b);
}

static void
test_unwrap(void)
{
	int64_t w = INT64_C(1) << 33;

	T_INT(sp_ts_unwrap(-1, 5), 5);
	T_INT(sp_ts_unwrap(-1, (uint64_t)w + 5), 5);
	T_INT(sp_ts_unwrap(w - 100, 50), w + 50);
	T_INT(sp_ts_unwrap(w + 50, (uint64_t)w - 100), w - 100);
	T_INT(sp_ts_unwrap(3 * w + 10, 20), 3 * w + 20);
	T_INT(sp_ts_unwrap(3 * w + 10, (uint64_t)w - 1), 3 * w - 1);
	/* No negative times: the first period stays the floor. */
	T_INT(sp_ts_unwrap(100, (uint64_t)w - 10), w - 10);
}

static void
test_sniff(void)
{
	uint8_t b[188 * 3];

	memset(b, 0, sizeof(b));
	b[0] = b[188] = b[376] = 0x47;
	T_INT(sp_ts_sniff(b, sizeof(b)), 1);
	T_INT(sp_ts_sniff(b, 188 * 2), 1);
	T_INT(sp_ts_sniff(b, 188), 0);
	b[376] = 0;
	T_INT(sp_ts_sniff(b, sizeof(b)), 0);
	{
		char buf[8];

		T_STR(sp_ts_type_name(0x1b, buf, sizeof(buf)), "h264");
		T_STR(sp_ts_type_name(0x42, buf, sizeof(buf)), "0x42");
	}
}

int
main(void)
{
	char cmd[1400];

	if (t_video_dir(tmpdir, sizeof(tmpdir), "t_ts", 6) != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/whole.ts", tmpdir);
	test_unwrap();
	test_sniff();
	test_fixture();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
