/* remux: MPEG-TS segments (H.264 + AAC) to MP4, TS, M4A or ADTS, unencoded. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "adts.h"
#include "err.h"
#include "h264.h"
#include "io.h"
#include "mp4.h"
#include "mp4v.h"
#include "remux.h"
#include "ts.h"
#include "xalloc.h"
#include "banned.h"

struct sp_remux {
	enum sp_remux_kind kind;
	FILE		*out;
	struct sp_ts	*ts;
	struct sp_mp4v_writer *mw;
	struct sp_mp4_writer *aw;
	struct sp_remux_stats st;
	int		 failed;
	char		 err[256];
	int64_t		 off;		/* discontinuities closed up, 90 kHz */
	uint64_t	 mend_seg;	/* 1 + the segment of the last one */
	/* video */
	uint8_t		 sps[SP_H264_PSMAX], pps[SP_H264_PSMAX];
	size_t		 sps_len, pps_len;
	int		 started;	/* an IDR frame was written */
	uint8_t		*vbuf;
	size_t		 vcap;
	int		 vhave;
	int64_t		 vfirst, vlast, vmin;
	uint32_t	 vdelta;
	/* audio: one access unit held back until the next tells its
	 * duration */
	uint8_t		 abuf[8192];
	size_t		 alen;
	int		 apending, ahave;
	int64_t		 apts, afirst;
	uint64_t	 asamples;
	char		*tags[SP_MP4_NTAGS];	/* for the M4A, made later */
	/* TS output: the segment's sync state and a partial packet */
	int		 seg_synced;
	uint8_t		 carry[SP_TS_PACKET];
	size_t		 clen;
};

int
sp_remux_kind(const char *name)
{
	if (strcmp(name, "mp4") == 0)
		return SP_REMUX_MP4;
	if (strcmp(name, "ts") == 0)
		return SP_REMUX_TS;
	if (strcmp(name, "m4a") == 0)
		return SP_REMUX_M4A;
	if (strcmp(name, "aac") == 0)
		return SP_REMUX_AAC;
	return -1;
}

static void rfail(struct sp_remux *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

static void
rfail(struct sp_remux *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = 1;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

/* Keep the first SPS and PPS of a length-prefixed access unit; note a
 * later one that differs (the MP4 then says the sets come in band). */
static void
keep_ps(struct sp_remux *r, const uint8_t *s, size_t n)
{
	size_t at = 0;

	while (n - at >= 5) {
		size_t len = (size_t)s[at] << 24 | (size_t)s[at + 1] << 16 |
		    (size_t)s[at + 2] << 8 | s[at + 3];
		const uint8_t *nal = s + at + 4;
		unsigned type = nal[0] & 0x1F;
		uint8_t *keep = type == SP_H264_SPS ? r->sps : r->pps;
		size_t *klen = type == SP_H264_SPS ? &r->sps_len : &r->pps_len;

		if (len > n - at - 4)
			break;
		at += 4 + len;
		if (type != SP_H264_SPS && type != SP_H264_PPS)
			continue;
		if (*klen == 0 && len <= SP_H264_PSMAX) {
			memcpy(keep, nal, len);
			*klen = len;
		} else if (r->started && (len != *klen ||
		    memcmp(keep, nal, len) != 0) && !r->st.ps_changed) {
			r->st.ps_changed = 1;
			if (r->mw != NULL)
				sp_mp4v_writer_inband(r->mw);
		}
	}
}

/* The first video frame: the MP4 track's configuration. */
static int
video_start(struct sp_remux *r)
{
	struct sp_h264_sps s;
	uint8_t avcc[2 * SP_H264_PSMAX + 16];
	size_t n;

	if (sp_h264_sps_parse(r->sps, r->sps_len, &s) != 0 ||
	    (n = sp_h264_avcc(avcc, sizeof(avcc), r->sps, r->sps_len, r->pps,
	    r->pps_len)) == 0) {
		rfail(r, "the H.264 sequence parameter set is damaged");
		return -1;
	}
	r->st.width = s.width;
	r->st.height = s.height;
	r->st.profile = s.profile_idc;
	r->st.level = s.level_idc;
	r->st.fps = sp_h264_fps(&s);
	if (r->mw != NULL && sp_mp4v_writer_video(r->mw, avcc, n, s.width,
	    s.height, s.sar_num, s.sar_den, r->err, sizeof(r->err)) != 0) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

/* Close up a discontinuity: time t of a stream expected at want. */
static int64_t
mend(struct sp_remux *r, int64_t t, int64_t want)
{
	r->off += want - t;
	/* Audio and video jump together: one discontinuity a segment. */
	if (r->mend_seg != r->st.segments + 1) {
		r->st.discontinuities++;
		r->mend_seg = r->st.segments + 1;
	}
	return want;
}

static void
on_video(struct sp_remux *r, const struct sp_ts_pes *p)
{
	size_t need = p->len + p->len / 2 + 16;
	unsigned flags;
	int64_t dts, pts;
	long k;

	if (need > r->vcap) {
		r->vbuf = sp_xrealloc(r->vbuf, need);
		r->vcap = need;
	}
	if ((k = sp_h264_to_avc(p->data, p->len, r->vbuf, r->vcap, &flags))
	    <= 0 || !(flags & SP_H264_F_SLICE))
		return;		/* no picture in it */
	keep_ps(r, r->vbuf, (size_t)k);
	if (!r->started) {
		if (!(flags & SP_H264_F_IDR) || r->sps_len == 0 ||
		    r->pps_len == 0) {
			r->st.dropped_leading++;
			return;
		}
		if (video_start(r) != 0)
			return;
		r->started = 1;
		r->st.has_video = 1;
	}
	if (!p->has_pts) {
		/* No time said: the next frame time. */
		dts = pts = r->vlast + (r->vdelta ? r->vdelta : 3000);
	} else {
		dts = p->dts + r->off;
		pts = p->pts + r->off;
	}
	if (r->vhave && (dts <= r->vlast || dts - r->vlast > SP_REMUX_JUMP)) {
		int64_t want = r->vlast + (r->vdelta ? r->vdelta : 3000);

		pts += want - dts;
		dts = mend(r, dts, want);
	}
	if (r->vhave)
		r->vdelta = (uint32_t)(dts - r->vlast);
	else {
		r->vfirst = dts;
		r->vmin = pts;
	}
	if (pts < r->vmin)
		r->vmin = pts;
	if (pts != dts)
		r->st.b_frames = 1;
	r->vhave = 1;
	r->vlast = dts;
	r->st.video_frames++;
	if (flags & SP_H264_F_IDR)
		r->st.keyframes++;
	if (r->mw != NULL && sp_mp4v_writer_add_video(r->mw, r->vbuf,
	    (size_t)k, dts, pts, (flags & SP_H264_F_IDR) != 0) != 0)
		rfail(r, "cannot write the MP4: %s", strerror(errno));
}

/* Write the held audio unit, lasting dur samples. */
static void
audio_flush(struct sp_remux *r, uint32_t dur)
{
	int rc = 0;

	if (!r->apending)
		return;
	r->apending = 0;
	r->asamples += dur;
	if (r->mw != NULL)
		rc = sp_mp4v_writer_add_audio(r->mw, r->abuf, r->alen, dur);
	else if (r->aw != NULL)
		rc = sp_mp4_writer_add(r->aw, r->abuf, r->alen, dur);
	if (rc != 0)
		rfail(r, "cannot write the %s: %s", r->mw ? "MP4" : "M4A",
		    strerror(errno));
}

static int
audio_start(struct sp_remux *r, const struct sp_adts_frame *f)
{
	uint8_t asc[8];
	size_t n;

	r->st.sample_rate = f->sample_rate;
	r->st.channels = f->channels;
	r->st.has_audio = 1;
	if (r->kind == SP_REMUX_AAC || r->kind == SP_REMUX_TS)
		return 0;
	if ((n = sp_mp4_asc_make(asc, sizeof(asc), f->profile + 1,
	    f->sample_rate, f->channels)) == 0) {
		rfail(r, "AAC with %u channels cannot be put in MP4",
		    f->channels);
		return -1;
	}
	if (r->mw != NULL) {
		if (sp_mp4v_writer_audio(r->mw, asc, n, r->err,
		    sizeof(r->err)) != 0) {
			r->failed = 1;
			return -1;
		}
	} else if ((r->aw = sp_mp4_writer_new(asc, n, r->err,
	    sizeof(r->err))) == NULL) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

static void
on_audio(struct sp_remux *r, const struct sp_ts_pes *p)
{
	struct sp_adts_frame f;
	const uint8_t *au;
	size_t at = 0, aulen;
	uint64_t idx = 0;

	while (!r->failed && p->len - at >= 7) {
		int64_t pts;

		if (sp_adts_header(p->data + at, p->len - at, &f) != 0 ||
		    f.length > p->len - at) {
			r->st.skipped++;	/* not a frame: resync */
			at++;
			continue;
		}
		if (!r->ahave) {
			if (audio_start(r, &f) != 0)
				return;
			r->ahave = 1;
		} else if (f.sample_rate != r->st.sample_rate ||
		    f.channels != r->st.channels) {
			rfail(r, "the audio changes from %u Hz %u channels to "
			    "%u Hz %u channels", r->st.sample_rate,
			    r->st.channels, f.sample_rate, f.channels);
			return;
		}
		pts = p->pts + r->off + (int64_t)((idx * 1024 * 90000 +
		    f.sample_rate / 2) / f.sample_rate);
		if (r->apending) {
			int64_t want = r->apts + (1024 * 90000 +
			    f.sample_rate / 2) / f.sample_rate;
			uint32_t dur = 1024;

			int64_t half = 512 * 90000 / f.sample_rate;

			if (want - pts > half || pts - want > SP_REMUX_JUMP)
				pts = mend(r, pts, want);
			else if (pts - want > half)
				/* Lost audio: a longer last frame keeps
				 * the time line. */
				dur = (uint32_t)((pts - r->apts) *
				    f.sample_rate / 90000);
			audio_flush(r, dur);
		} else
			r->afirst = pts;
		if (r->kind == SP_REMUX_AAC) {
			if (fwrite(p->data + at, 1, f.length, r->out) !=
			    f.length)
				rfail(r, "write error: %s", strerror(errno));
			r->asamples += 1024;
		} else if (r->kind != SP_REMUX_TS) {
			if (sp_mp4_adts_au(p->data + at, f.length, &au,
			    &aulen, NULL) != 0) {
				rfail(r, "an ADTS frame holds several AAC "
				    "blocks: it cannot be remuxed");
				return;
			}
			memcpy(r->abuf, au, aulen);
			r->alen = aulen;
			r->apending = 1;
		} else
			r->asamples += 1024;
		r->apts = pts;
		r->st.audio_frames++;
		at += f.length;
		idx++;
	}
}

static void
on_pes(void *ctx, const struct sp_ts_pes *p)
{
	struct sp_remux *r = ctx;

	if (r->failed)
		return;
	if (p->stream_type == SP_TS_H264 && r->kind != SP_REMUX_AAC &&
	    r->kind != SP_REMUX_M4A)
		on_video(r, p);
	else if (p->stream_type == SP_TS_AAC_ADTS && p->has_pts)
		on_audio(r, p);
}

struct sp_remux *
sp_remux_new(enum sp_remux_kind kind, FILE *out, char *err, size_t errlen)
{
	struct sp_remux *r = sp_xcalloc(1, sizeof(*r));

	r->kind = kind;
	r->out = out;
	r->ts = sp_ts_new(on_pes, r);
	if (kind == SP_REMUX_MP4 &&
	    (r->mw = sp_mp4v_writer_new(out, err, errlen)) == NULL) {
		sp_remux_free(r);
		return NULL;
	}
	return r;
}

void
sp_remux_tag(struct sp_remux *r, int t, const char *value)
{
	if (t < 0 || t >= SP_MP4_NTAGS)
		return;
	if (r->mw != NULL)
		sp_mp4v_writer_tag(r->mw, t, value);
	free(r->tags[t]);
	r->tags[t] = value != NULL && *value ? sp_xstrdup(value) : NULL;
}

void
sp_remux_free(struct sp_remux *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < SP_MP4_NTAGS; i++)
		free(r->tags[i]);
	sp_ts_free(r->ts);
	sp_mp4v_writer_free(r->mw);
	sp_mp4_writer_free(r->aw);
	free(r->vbuf);
	free(r);
}

/* SP_REMUX_TS: whole packets from the segment's first sync on. */
static void
ts_out(struct sp_remux *r, const uint8_t *b, size_t n)
{
	size_t i, k;

	if (!r->seg_synced) {
		for (i = 0; i < n; i++)
			if (b[i] == 0x47 && (i + SP_TS_PACKET >= n ||
			    b[i + SP_TS_PACKET] == 0x47))
				break;
		b += i;
		n -= i;
		if (n == 0)
			return;
		r->seg_synced = 1;
	}
	if (r->clen > 0) {
		k = SP_TS_PACKET - r->clen < n ? SP_TS_PACKET - r->clen : n;
		memcpy(r->carry + r->clen, b, k);
		r->clen += k;
		b += k;
		n -= k;
		if (r->clen < SP_TS_PACKET)
			return;
		if (fwrite(r->carry, 1, SP_TS_PACKET, r->out) != SP_TS_PACKET)
			rfail(r, "write error: %s", strerror(errno));
		r->clen = 0;
	}
	k = n / SP_TS_PACKET * SP_TS_PACKET;
	if (k > 0 && fwrite(b, 1, k, r->out) != k)
		rfail(r, "write error: %s", strerror(errno));
	memcpy(r->carry, b + k, n - k);
	r->clen = n - k;
}

int
sp_remux_feed(struct sp_remux *r, const uint8_t *buf, size_t n, char *err,
    size_t errlen)
{
	if (!r->failed) {
		r->st.bytes += n;
		if (r->kind == SP_REMUX_TS)
			ts_out(r, buf, n);
		sp_ts_feed(r->ts, buf, n);
	}
	if (r->failed)
		return sp_fail(err, errlen, "%s", r->err);
	return 0;
}

int
sp_remux_end_segment(struct sp_remux *r, char *err, size_t errlen)
{
	/* The next segment starts with its own sync search; a cut last
	 * packet is dropped from both outputs. */
	r->seg_synced = 0;
	r->clen = 0;
	r->st.segments++;
	/* A segment holds whole PES packets (RFC 8216 3.2: each one can be
	 * decoded alone): the last, of no stated length, ends here. */
	sp_ts_flush(r->ts);
	if (r->failed)
		return sp_fail(err, errlen, "%s", r->err);
	return 0;
}

int
sp_remux_segment(struct sp_remux *r, const uint8_t *buf, size_t n,
    char *err, size_t errlen)
{
	if (sp_remux_feed(r, buf, n, err, errlen) != 0)
		return -1;
	return sp_remux_end_segment(r, err, errlen);
}

/* Why nothing usable came out: the streams the PMT named. */
static int
nothing(struct sp_remux *r, char *err, size_t errlen)
{
	const struct sp_ts_es *es;
	size_t n = sp_ts_streams(r->ts, &es), i, at = 0;
	char list[128] = "", b[8];

	for (i = 0; i < n && at < sizeof(list) - 16; i++)
		at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
		    i ? ", " : "", sp_ts_type_name(es[i].stream_type, b,
		    sizeof(b)));
	if (sp_ts_stats(r->ts)->packets == 0)
		return sp_fail(err, errlen, "not MPEG-TS");
	if (n == 0)
		return sp_fail(err, errlen, "no program found in the stream");
	return sp_fail(err, errlen, "no %s in the stream (it holds %s)",
	    r->kind == SP_REMUX_M4A || r->kind == SP_REMUX_AAC ? "AAC audio" :
	    "H.264 video or AAC audio", list);
}

int
sp_remux_finish(struct sp_remux *r, struct sp_remux_stats *st, char *err,
    size_t errlen)
{
	const struct sp_ts_stats *ts;
	int i;

	sp_ts_flush(r->ts);
	if (r->failed)
		return sp_fail(err, errlen, "%s", r->err);
	ts = sp_ts_stats(r->ts);
	r->st.cc_gaps = ts->cc_gaps;
	r->st.pes_dropped = ts->pes_dropped;
	r->st.skipped += ts->skipped;
	if (r->vhave)
		r->st.video_seconds = (double)(r->vlast - r->vfirst +
		    (r->vdelta ? r->vdelta : 3000)) / 90000.0;
	if (r->ahave && r->st.sample_rate > 0) {
		audio_flush(r, 1024);
		r->st.audio_seconds = (double)r->asamples /
		    r->st.sample_rate;
	}
	if (r->failed)
		return sp_fail(err, errlen, "%s", r->err);
	if (st != NULL)
		*st = r->st;
	switch (r->kind) {
	case SP_REMUX_MP4:
		if (!r->vhave && !r->ahave)
			return nothing(r, err, errlen);
		sp_mp4v_writer_starts(r->mw, r->vmin, r->afirst);
		return sp_mp4v_writer_finish(r->mw, err, errlen);
	case SP_REMUX_M4A:
		if (r->aw == NULL)
			return nothing(r, err, errlen);
		for (i = 0; i < SP_MP4_NTAGS; i++)
			sp_mp4_writer_tag(r->aw, (enum sp_mp4_tag)i, r->tags[i]);
		return sp_mp4_writer_finish(r->aw, r->out, err, errlen);
	case SP_REMUX_AAC:
		if (!r->ahave)
			return nothing(r, err, errlen);
		return 0;
	case SP_REMUX_TS:
	default:
		if (!r->vhave && !r->ahave)
			return nothing(r, err, errlen);
		return 0;
	}
}

int
sp_remux_files(char *const *in, size_t nin, const char *out,
    enum sp_remux_kind kind, int force, struct sp_remux_stats *st,
    char *err, size_t errlen)
{
	struct sp_atomic a;
	struct sp_remux *r = NULL;
	FILE *fp, *to, *tmp = NULL;
	static uint8_t buf[1 << 16];
	size_t i, n;
	int rc = -1;

	if (sp_atomic_open(&a, out, force) != 0)
		return sp_fail(err, errlen, "cannot create '%s': %s", out,
		    strerror(errno));
	to = a.fp;
	/* An MP4 is finished by seeking back: "-" gets a copy of a
	 * temporary file. */
	if (kind == SP_REMUX_MP4 && a.tmp == NULL) {
		if ((tmp = tmpfile()) == NULL) {
			sp_fail(err, errlen, "cannot make a temporary file: "
			    "%s", strerror(errno));
			goto out;
		}
		to = tmp;
	}
	if ((r = sp_remux_new(kind, to, err, errlen)) == NULL)
		goto out;
	for (i = 0; i < nin; i++) {
		if ((fp = sp_open_in(in[i])) == NULL) {
			sp_fail(err, errlen, "cannot open '%s': %s", in[i],
			    strerror(errno));
			goto out;
		}
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			if (sp_remux_feed(r, buf, n, err, errlen) != 0)
				break;
		if (ferror(fp) && !r->failed)
			sp_fail(err, errlen, "cannot read '%s': %s", in[i],
			    strerror(errno));
		if (ferror(fp) || r->failed) {
			sp_close_in(fp);
			goto out;
		}
		sp_close_in(fp);
		if (sp_remux_end_segment(r, err, errlen) != 0)
			goto out;
	}
	if (sp_remux_finish(r, st, err, errlen) != 0)
		goto out;
	if (tmp != NULL && (fflush(tmp) != 0 || fseeko(tmp, 0, SEEK_SET) != 0
	    || sp_copy(tmp, a.fp) != 0)) {
		sp_fail(err, errlen, "write error: %s", strerror(errno));
		goto out;
	}
	if (sp_atomic_commit(&a) != 0) {
		sp_fail(err, errlen, "cannot write '%s': %s", out,
		    strerror(errno));
		sp_remux_free(r);
		if (tmp != NULL)
			fclose(tmp);
		return -1;
	}
	rc = 0;
out:
	if (rc != 0)
		sp_atomic_abort(&a);
	sp_remux_free(r);
	if (tmp != NULL)
		fclose(tmp);
	return rc;
}
