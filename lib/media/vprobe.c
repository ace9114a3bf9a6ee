/* vprobe: what a video file (MP4 with H.264, or MPEG-TS) holds. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adts.h"
#include "err.h"
#include "h264.h"
#include "json.h"
#include "mp4.h"
#include "mp4v.h"
#include "ts.h"
#include "vprobe.h"
#include "xalloc.h"
#include "banned.h"

int
sp_vprobe_is_video(const char *path)
{
	uint8_t b[SP_TS_PACKET * 3];
	FILE *fp;
	size_t n;
	int r = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(b, 1, sizeof(b), fp);
	if (sp_ts_sniff(b, n))
		r = 1;
	else if (sp_mp4_sniff(b, n))
		r = sp_mp4v_has_video(fp);
	fclose(fp);
	return r;
}

int
sp_vprobe_is_ts(const char *path)
{
	uint8_t b[SP_TS_PACKET * 3];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(b, 1, sizeof(b), fp);
	fclose(fp);
	return sp_ts_sniff(b, n);
}

/* What the video looked like, either container. */
struct vsum {
	int		 have_sps;
	struct sp_h264_sps sps;
	char		 codec[8];
	uint64_t	 frames, keys;
	double		 duration, start;
	double		 key_first, key_last, key_gap_max;
	int		 b_frames;
};

static void
key_at(struct vsum *v, double t)
{
	if (v->keys > 0 && t - v->key_last > v->key_gap_max)
		v->key_gap_max = t - v->key_last;
	if (v->keys == 0)
		v->key_first = t;
	v->key_last = t;
	v->keys++;
}

static const char *
aac_profile(unsigned object_type)
{
	switch (object_type) {
	case 2: return "LC";
	case 5: return "HE-AAC";
	case 29: return "HE-AACv2";
	case 1: return "Main";
	default: return NULL;
	}
}

static void
put_video(json_t *rec, const struct vsum *v)
{
	json_t *o = json_object();
	char lvl[16];

	json_object_set_new(o, "codec", json_string(v->codec));
	if (v->have_sps) {
		json_object_set_new(o, "profile", json_string(
		    sp_h264_profile_name(v->sps.profile_idc)));
		snprintf(lvl, sizeof(lvl), "%u.%u", v->sps.level_idc / 10,
		    v->sps.level_idc % 10);
		json_object_set_new(o, "level", json_string(lvl));
		json_object_set_new(o, "width", json_integer(v->sps.width));
		json_object_set_new(o, "height", json_integer(v->sps.height));
		if (sp_h264_fps(&v->sps) > 0)
			json_object_set_new(o, "frame_rate", json_real(
			    sp_h264_fps(&v->sps)));
	}
	json_object_set_new(o, "frames", json_integer((json_int_t)v->frames));
	json_object_set_new(o, "duration", json_real(v->duration));
	json_object_set_new(o, "start", json_real(v->start));
	json_object_set_new(o, "keyframes", json_integer((json_int_t)v->keys));
	if (v->keys > 1) {
		json_object_set_new(o, "keyframe_interval", json_real(
		    (v->key_last - v->key_first) / (double)(v->keys - 1)));
		json_object_set_new(o, "keyframe_interval_max",
		    json_real(v->key_gap_max));
	}
	json_object_set_new(o, "b_frames", json_boolean(v->b_frames));
	json_object_set_new(rec, "video", o);
}

/* The audio at the top of the record, as spaces-info gives it for audio
 * files. */
static void
put_audio(json_t *rec, unsigned aot, unsigned rate, unsigned ch,
    uint64_t frames, uint64_t samples, double start)
{
	const char *p = aac_profile(aot);

	json_object_set_new(rec, "codec", json_string("aac"));
	if (p != NULL)
		json_object_set_new(rec, "profile", json_string(p));
	json_object_set_new(rec, "sample_rate", json_integer(rate));
	json_object_set_new(rec, "channels", json_integer(ch));
	json_object_set_new(rec, "frames", json_integer((json_int_t)frames));
	json_object_set_new(rec, "samples", json_integer((json_int_t)samples));
	if (rate > 0)
		json_object_set_new(rec, "duration", json_real((double)samples /
		    rate));
	json_object_set_new(rec, "audio_start", json_real(start));
}

/* Seconds a track presents: its edit, else its media. */
static double
track_seconds(const struct sp_mp4v_track *k)
{
	uint64_t d = k->media_duration;

	if (k->has_edit)
		d = k->edit_duration ? k->edit_duration : d >
		    (uint64_t)k->edit_media_time ? d -
		    (uint64_t)k->edit_media_time : 0;
	return (double)d / k->timescale;
}

static int
probe_mp4v(FILE *fp, json_t *rec, char *err, size_t errlen)
{
	struct sp_mp4v *m = sp_mp4v_open(fp, err, errlen);
	const struct sp_mp4v_track *v, *a;
	struct vsum s;
	double vstart = 0, astart = 0, first;
	int vi, ai;
	uint64_t i;

	if (m == NULL)
		return -1;
	memset(&s, 0, sizeof(s));
	vi = sp_mp4v_find(m, "vide");
	ai = sp_mp4v_find(m, "soun");
	if (vi < 0) {
		size_t k;

		/* A video track we could not index: name its codec. */
		for (k = 0; k < m->ntracks; k++)
			if (strcmp(m->tracks[k].handler, "vide") == 0) {
				sp_fail(err, errlen, "video in '%s': only H.264 "
				    "is read", m->tracks[k].codec);
				sp_mp4v_close(m);
				return -1;
			}
		sp_mp4v_close(m);
		return sp_fail(err, errlen, "no video track");
	}
	v = &m->tracks[vi];
	snprintf(s.codec, sizeof(s.codec), "h264");
	s.have_sps = sp_h264_avcc_sps(v->avcc, v->avcc_len, &s.sps) == 0;
	s.frames = v->nsamples;
	s.duration = track_seconds(v);
	vstart = (double)v->edit_delay / v->timescale;
	for (i = 0; i < v->nsamples; i++) {
		if (v->cto[i] != v->cto[0])
			s.b_frames = 1;
		if (v->sync[i])
			key_at(&s, (double)(v->dts[i] + v->cto[i] -
			    (v->has_edit ? v->edit_media_time : 0)) /
			    v->timescale);
	}
	if (ai >= 0) {
		unsigned aot = 0, rate = 0, ch = 0;

		a = &m->tracks[ai];
		astart = (double)a->edit_delay / a->timescale;
		(void)sp_mp4_asc_parse(a->asc, a->asc_len, &aot, &rate, &ch);
		put_audio(rec, aot, rate, ch, a->nsamples, (uint64_t)llround(
		    track_seconds(a) * rate), astart);
	}
	first = ai >= 0 && astart < vstart ? astart : vstart;
	s.start = vstart - first;
	if (ai >= 0)
		json_object_set_new(rec, "audio_start", json_real(astart -
		    first));
	json_object_set_new(rec, "container", json_string("mp4"));
	put_video(rec, &s);
	sp_mp4v_close(m);
	return 0;
}

/* Walking a TS. */
struct tsum {
	struct vsum	 v;
	int		 vhave;
	int64_t		 vfirst_dts, vlast_dts, vmin, vmax, vdelta;
	int		 ahave;
	unsigned	 aot, rate, ch;
	uint64_t	 aframes;
	int64_t		 afirst;
};

static void
ts_video(struct tsum *t, const struct sp_ts_pes *p)
{
	const uint8_t *nal;
	size_t pos = 0, len;
	int idr = 0, slice = 0;

	while (sp_h264_nal_next(p->data, p->len, &pos, &nal, &len)) {
		unsigned type = nal[0] & 0x1F;

		if (type == SP_H264_SPS && !t->v.have_sps)
			t->v.have_sps = sp_h264_sps_parse(nal, len,
			    &t->v.sps) == 0;
		if (type == SP_H264_IDR)
			idr = 1;
		if (type == SP_H264_IDR || type == SP_H264_SLICE)
			slice = 1;
	}
	if (!slice || !p->has_pts)
		return;
	if (!t->vhave) {
		t->vfirst_dts = p->dts;
		t->vmin = t->vmax = p->pts;
	} else if (p->dts > t->vlast_dts)
		t->vdelta = p->dts - t->vlast_dts;
	if (p->pts < t->vmin)
		t->vmin = p->pts;
	if (p->pts > t->vmax)
		t->vmax = p->pts;
	if (p->pts != p->dts)
		t->v.b_frames = 1;
	t->vlast_dts = p->dts;
	t->vhave = 1;
	t->v.frames++;
	if (idr)
		key_at(&t->v, (double)p->pts / 90000);
}

static void
ts_audio(struct tsum *t, const struct sp_ts_pes *p)
{
	struct sp_adts_frame f;
	size_t at = 0;

	while (p->len - at >= 7) {
		if (sp_adts_header(p->data + at, p->len - at, &f) != 0 ||
		    f.length > p->len - at) {
			at++;
			continue;
		}
		if (!t->ahave) {
			t->ahave = 1;
			t->aot = f.profile + 1;
			t->rate = f.sample_rate;
			t->ch = f.channels;
			t->afirst = p->pts;
		}
		t->aframes += f.blocks;
		at += f.length;
	}
}

static void
ts_pes(void *ctx, const struct sp_ts_pes *p)
{
	if (p->stream_type == SP_TS_H264)
		ts_video(ctx, p);
	else if (p->stream_type == SP_TS_AAC_ADTS && p->has_pts)
		ts_audio(ctx, p);
}

static int
probe_ts(FILE *fp, json_t *rec, char *err, size_t errlen)
{
	static uint8_t buf[1 << 16];
	struct tsum *t = sp_xcalloc(1, sizeof(*t));
	struct sp_ts *ts = sp_ts_new(ts_pes, t);
	const struct sp_ts_stats *st;
	size_t n;
	int64_t first;
	int rc = 0;

	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sp_ts_feed(ts, buf, n);
	sp_ts_flush(ts);
	st = sp_ts_stats(ts);
	if (ferror(fp))
		rc = sp_fail(err, errlen, "read error: %s", strerror(errno));
	else if (!t->vhave && !t->ahave)
		rc = sp_fail(err, errlen, "no H.264 video or AAC audio in "
		    "the MPEG-TS");
	if (rc != 0)
		goto out;
	json_object_set_new(rec, "container", json_string("mpegts"));
	first = t->vhave && (!t->ahave || t->vmin < t->afirst) ? t->vmin :
	    t->afirst;
	if (t->ahave)
		put_audio(rec, t->aot, t->rate, t->ch, t->aframes,
		    t->aframes * 1024, (double)(t->afirst - first) / 90000);
	if (t->vhave) {
		snprintf(t->v.codec, sizeof(t->v.codec), "h264");
		t->v.duration = (double)(t->vmax - t->vmin + (t->vdelta ?
		    t->vdelta : 0)) / 90000;
		t->v.start = (double)(t->vmin - first) / 90000;
		t->v.key_first -= (double)t->vmin / 90000;
		t->v.key_last -= (double)t->vmin / 90000;
		put_video(rec, &t->v);
	}
	if (st->cc_gaps > 0) {
		char w[96];

		snprintf(w, sizeof(w), "%llu continuity gaps (lost packets)",
		    (unsigned long long)st->cc_gaps);
		json_object_set_new(rec, "warnings", json_pack("[s]", w));
	}
out:
	sp_ts_free(ts);
	free(t);
	return rc;
}

json_t *
sp_vprobe(const char *path, const char *name, char *err, size_t errlen)
{
	uint8_t b[SP_TS_PACKET * 3];
	json_t *rec;
	FILE *fp;
	size_t n;
	int rc;

	if ((fp = fopen(path, "rb")) == NULL) {
		sp_fail(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	rec = sp_rec_new("media", NULL);
	json_object_set_new(rec, "path", json_string(name));
	n = fread(b, 1, sizeof(b), fp);
	rewind(fp);
	if (sp_ts_sniff(b, n))
		rc = probe_ts(fp, rec, err, errlen);
	else
		rc = probe_mp4v(fp, rec, err, errlen);
	fclose(fp);
	if (rc != 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}
