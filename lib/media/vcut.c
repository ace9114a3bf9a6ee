/* vcut: lossless cuts of video MP4 (H.264 + AAC), starting at a keyframe. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "h264.h"
#include "mp4.h"
#include "mp4v.h"
#include "vcut.h"
#include "xalloc.h"
#include "banned.h"

struct sp_vcut_source {
	FILE		*fp;
	struct sp_mp4v	*m;
	int		 vi, ai;
};

/* A track's edit in its media units. */
struct span {
	int64_t		 delay, mt, play;
};

static struct span
span_of(const struct sp_mp4v_track *k)
{
	struct span s;

	s.delay = (int64_t)k->edit_delay;
	s.mt = k->has_edit ? k->edit_media_time : 0;
	s.play = k->has_edit && k->edit_duration ? (int64_t)k->edit_duration :
	    (int64_t)k->media_duration - s.mt;
	return s;
}

struct sp_vcut_source *
sp_vcut_open(const char *path, char *err, size_t errlen)
{
	struct sp_vcut_source *s = sp_xcalloc(1, sizeof(*s));

	if ((s->fp = fopen(path, "rb")) == NULL) {
		sp_fail(err, errlen, "cannot open: %s", strerror(errno));
		free(s);
		return NULL;
	}
	if ((s->m = sp_mp4v_open(s->fp, err, errlen)) == NULL)
		goto fail;
	s->vi = sp_mp4v_find(s->m, "vide");
	s->ai = sp_mp4v_find(s->m, "soun");
	if (s->vi < 0 || strcmp(s->m->tracks[s->vi].codec, "avc1") != 0 ||
	    s->m->tracks[s->vi].nsamples == 0) {
		sp_fail(err, errlen, "no H.264 video track to cut");
		goto fail;
	}
	if (s->ai >= 0 && (s->m->tracks[s->ai].nsamples == 0 ||
	    s->m->tracks[s->ai].timescale == 0))
		s->ai = -1;
	return s;
fail:
	sp_vcut_close(s);
	return NULL;
}

void
sp_vcut_close(struct sp_vcut_source *s)
{
	if (s == NULL)
		return;
	sp_mp4v_close(s->m);
	if (s->fp != NULL)
		fclose(s->fp);
	free(s);
}

double
sp_vcut_length(const struct sp_vcut_source *s)
{
	const struct sp_mp4v_track *k;
	double len = 0, l;
	struct span sp;
	int t[2], i;

	t[0] = s->vi;
	t[1] = s->ai;
	for (i = 0; i < 2; i++) {
		if (t[i] < 0)
			continue;
		k = &s->m->tracks[t[i]];
		sp = span_of(k);
		l = (double)(sp.delay + sp.play) / k->timescale;
		if (l > len)
			len = l;
	}
	return len;
}

/* What one track contributes: samples [first, last], its new edit. */
struct part {
	const struct sp_mp4v_track *k;
	size_t		 t;
	uint64_t	 first, last, next;	/* next: the one to write */
	int64_t		 base;			/* dts of first */
	uint64_t	 delay;			/* movie units */
	int64_t		 media_time;
	uint64_t	 play;
};

static uint32_t
duration_of(const struct sp_mp4v_track *k, uint64_t i)
{
	return (uint32_t)(i + 1 < k->nsamples ? k->dts[i + 1] - k->dts[i] :
	    (int64_t)k->media_duration - k->dts[i]);
}

/* Video: from the last keyframe at or before s_ct to the last frame
 * presented before e_ct.  -1 when no frame is in the range. */
static int
pick_video(struct part *p, int64_t s_ct, int64_t e_ct, double *keytime,
    const struct span *sp)
{
	const struct sp_mp4v_track *k = p->k;
	uint64_t i, key = UINT64_MAX, last = UINT64_MAX;
	int64_t ctmin = INT64_MAX, vis;

	for (i = 0; i < k->nsamples; i++)
		if (k->sync[i] && (key == UINT64_MAX ||
		    k->dts[i] + k->cto[i] <= s_ct))
			key = i;
	if (key == UINT64_MAX)
		return -1;
	for (i = key; i < k->nsamples; i++)
		if (k->dts[i] + k->cto[i] < e_ct)
			last = i;
	if (last == UINT64_MAX)
		return -1;
	for (i = key; i <= last; i++)
		if (k->dts[i] + k->cto[i] < ctmin)
			ctmin = k->dts[i] + k->cto[i];
	p->first = p->next = key;
	p->last = last;
	p->base = k->dts[key];
	vis = s_ct > ctmin ? s_ct : ctmin;
	p->delay = (uint64_t)llround((double)(vis - s_ct) * SP_MP4V_TIMESCALE /
	    k->timescale);
	p->media_time = vis - p->base;
	p->play = (uint64_t)(e_ct - vis);
	*keytime = (double)(sp->delay + k->dts[key] + k->cto[key] - sp->mt) /
	    k->timescale;
	return 0;
}

/* Audio: one frame of pre-roll before the one holding s, to the one
 * holding e - 1; the edit shows [s, e) exactly. */
static int
pick_audio(struct part *p, int64_t s, int64_t e)
{
	const struct sp_mp4v_track *k = p->k;
	int64_t end = (int64_t)k->media_duration, vis;
	uint64_t i, hold = 0, last = UINT64_MAX;

	if (e > end)
		e = end;
	vis = s > 0 ? s : 0;
	if (vis >= e)
		return -1;
	for (i = 0; i < k->nsamples && k->dts[i] <= vis; i++)
		hold = i;
	for (i = hold; i < k->nsamples && k->dts[i] < e; i++)
		last = i;
	if (last == UINT64_MAX)
		return -1;
	p->first = p->next = hold > 0 ? hold - 1 : 0;
	p->last = last;
	p->base = k->dts[p->first];
	p->delay = (uint64_t)llround((double)(vis - s) * SP_MP4V_TIMESCALE /
	    k->timescale);
	p->media_time = vis - p->base;
	p->play = (uint64_t)(e - vis);
	return 0;
}

int
sp_vcut(struct sp_vcut_source *s, double start, double end,
    const char *const *tags, FILE *out, struct sp_vcut_result *r, char *err,
    size_t errlen)
{
	struct sp_mp4v_writer *w = NULL;
	const struct sp_mp4v_track *v = &s->m->tracks[s->vi];
	struct part pv, pa;
	struct span sv, sa;
	struct sp_h264_sps sps;
	uint8_t *buf = NULL;
	size_t cap = 0;
	uint64_t i;
	int has_a = s->ai >= 0, rc = -1;
	double len = sp_vcut_length(s);

	memset(r, 0, sizeof(*r));
	memset(&pv, 0, sizeof(pv));
	memset(&pa, 0, sizeof(pa));
	if (!(start >= 0) || !(end > start))
		return sp_fail(err, errlen, "the start is not before the end");
	if (end > len + 1e-9)
		return sp_fail(err, errlen, "the end is past the end (%.3f s)",
		    len);
	sv = span_of(v);
	pv.k = v;
	pv.t = (size_t)s->vi;
	if (pick_video(&pv, llround(start * v->timescale) - sv.delay + sv.mt,
	    llround(end * v->timescale) - sv.delay + sv.mt, &r->keyframe,
	    &sv) != 0)
		return sp_fail(err, errlen, "no video frame in that range");
	if (has_a) {
		pa.k = &s->m->tracks[s->ai];
		pa.t = (size_t)s->ai;
		sa = span_of(pa.k);
		if (pick_audio(&pa, llround(start * pa.k->timescale) -
		    sa.delay + sa.mt, llround(end * pa.k->timescale) -
		    sa.delay + sa.mt) != 0)
			has_a = 0;
	}
	if ((w = sp_mp4v_writer_new(out, err, errlen)) == NULL)
		return -1;
	if (sp_h264_avcc_sps(v->avcc, v->avcc_len, &sps) != 0)
		memset(&sps, 0, sizeof(sps));
	if (sp_mp4v_writer_video(w, v->avcc, v->avcc_len, v->width, v->height,
	    sps.sar_num, sps.sar_den, err, errlen) != 0 ||
	    (has_a && sp_mp4v_writer_audio(w, pa.k->asc, pa.k->asc_len, err,
	    errlen) != 0))
		goto out;
	sp_mp4v_writer_edit(w, SP_MP4V_VIDEO, pv.delay, pv.media_time,
	    pv.play);
	if (has_a)
		sp_mp4v_writer_edit(w, SP_MP4V_AUDIO, pa.delay, pa.media_time,
		    pa.play);
	sp_mp4v_writer_last_duration(w, duration_of(v, pv.last));
	for (i = 0; tags != NULL && i < SP_MP4_NTAGS; i++)
		sp_mp4v_writer_tag(w, (int)i, tags[i]);
	/* Interleaved by decoding time, as a player reads them. */
	while (pv.next <= pv.last || (has_a && pa.next <= pa.last)) {
		struct part *p = &pv;
		long got;

		if (has_a && pa.next <= pa.last && (pv.next > pv.last ||
		    (double)pa.k->dts[pa.next] / pa.k->timescale <
		    (double)v->dts[pv.next] / v->timescale))
			p = &pa;
		i = p->next++;
		if (p->k->size[i] > cap) {
			cap = p->k->size[i];
			buf = sp_xrealloc(buf, cap);
		}
		if ((got = sp_mp4v_read(s->m, p->t, i, buf, cap)) < 0) {
			sp_fail(err, errlen, "cannot read sample %llu",
			    (unsigned long long)i);
			goto out;
		}
		if (p == &pv) {
			int64_t d = v->dts[i] - pv.base;

			if (sp_mp4v_writer_add_video(w, buf, (size_t)got, d,
			    d + v->cto[i], v->sync[i]) != 0)
				goto werr;
			r->video_frames++;
		} else {
			if (sp_mp4v_writer_add_audio(w, buf, (size_t)got,
			    duration_of(pa.k, i)) != 0)
				goto werr;
			r->audio_frames++;
		}
	}
	if (sp_mp4v_writer_finish(w, err, errlen) != 0)
		goto out;
	r->audio_samples = has_a ? pa.play : 0;
	r->duration = end - start;
	rc = 0;
	goto out;
werr:
	sp_fail(err, errlen, "write error: %s", strerror(errno));
out:
	sp_mp4v_writer_free(w);
	free(buf);
	return rc;
}
