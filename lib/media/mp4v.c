/* mp4v: ISO-BMFF with an H.264 video track and an AAC track: write, read. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "box.h"
#include "err.h"
#include "h264.h"
#include "mp4.h"
#include "mp4v.h"
#include "xalloc.h"
#include "banned.h"

/* A growable array of n elements of type T in p with capacity cap. */
#define GROW(p, n, cap) do {						\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : 256;			\
		(p) = sp_xreallocarray((p), (cap), sizeof(*(p)));	\
	}								\
} while (0)

struct run {
	uint32_t	 count;
	int32_t		 delta;
};

struct stsc {
	uint32_t	 first, spc;
};

struct wtrack {
	int		 on;
	uint32_t	 timescale;
	uint32_t	*sizes;
	size_t		 nsizes, csizes;
	struct run	*stts, *ctts;
	size_t		 nstts, cstts, nctts, cctts;
	int		 any_cto, neg_cto;
	uint32_t	*stss;
	size_t		 nstss, cstss;
	uint64_t	*chunks;
	size_t		 nchunks, cchunks;
	struct stsc	*stsc;
	size_t		 nstsc, cstsc;
	uint32_t	 spc;		/* samples in the open chunk */
	uint64_t	 duration;	/* media units, pending sample left out */
	uint32_t	 max_size;
	uint64_t	 bytes;
	/* video: the sample whose duration the next DTS tells */
	int		 pending;
	int64_t		 last_dts, first_dts, min_pts, max_pts;
	uint32_t	 last_delta, last_duration;
	/* edits */
	int		 edit_set;
	uint64_t	 delay;
	int64_t		 media_time;
	uint64_t	 play;
	/* the sample entry */
	uint8_t		 cfg[1024];
	size_t		 cfg_len;
	unsigned	 width, height, sar_num, sar_den;
	unsigned	 rate, channels;
	int		 inband;	/* avc3 */
};

struct sp_mp4v_writer {
	FILE		*out;
	uint64_t	 base;		/* file offset of ftyp */
	uint64_t	 mdat;		/* file offset of the mdat header */
	uint64_t	 pos;		/* next sample's file offset */
	int		 last_track;	/* of the last sample written, -1 */
	int		 failed;
	int64_t		 start[SP_MP4V_NTRACKS];
	struct wtrack	 t[SP_MP4V_NTRACKS];
	char		*tags[SP_MP4_NTAGS];
};

static int wfail(struct sp_mp4v_writer *, char *, size_t, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

static int
wfail(struct sp_mp4v_writer *w, char *err, size_t errlen, const char *fmt,
    ...)
{
	va_list ap;

	if (w != NULL)
		w->failed = 1;
	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

struct sp_mp4v_writer *
sp_mp4v_writer_new(FILE *out, char *err, size_t errlen)
{
	struct sp_mp4v_writer *w;
	struct obuf o = { NULL, 0, 0 };
	off_t at;
	size_t b;

	if ((at = ftello(out)) < 0) {
		wfail(NULL, err, errlen, "the MP4 output must be a file that "
		    "can seek");
		return NULL;
	}
	w = sp_xcalloc(1, sizeof(*w));
	w->out = out;
	w->base = (uint64_t)at;
	w->last_track = -1;
	w->t[SP_MP4V_VIDEO].timescale = SP_MP4V_TIMESCALE;
	/* ftyp as ffmpeg's mp4 muxer writes it for H.264 + AAC. */
	b = o_open(&o, "ftyp");
	o_put(&o, "isom", 4);
	o_u32(&o, 0x200);
	o_put(&o, "isomiso2avc1mp41", 16);
	o_close(&o, b);
	w->mdat = w->base + o.n;
	/* mdat with a 64-bit size, filled in at finish. */
	o_u32(&o, 1);
	o_put(&o, "mdat", 4);
	o_u64(&o, 0);
	w->pos = w->base + o.n;
	if (fwrite(o.p, 1, o.n, out) != o.n) {
		wfail(w, err, errlen, "write error: %s", strerror(errno));
		free(o.p);
		free(w);
		return NULL;
	}
	free(o.p);
	return w;
}

static void
wtrack_free(struct wtrack *t)
{
	free(t->sizes);
	free(t->stts);
	free(t->ctts);
	free(t->stss);
	free(t->chunks);
	free(t->stsc);
}

void
sp_mp4v_writer_free(struct sp_mp4v_writer *w)
{
	int i;

	if (w == NULL)
		return;
	for (i = 0; i < SP_MP4V_NTRACKS; i++)
		wtrack_free(&w->t[i]);
	for (i = 0; i < SP_MP4_NTAGS; i++)
		free(w->tags[i]);
	free(w);
}

int
sp_mp4v_writer_video(struct sp_mp4v_writer *w, const uint8_t *avcc,
    size_t n, unsigned width, unsigned height, unsigned sar_num,
    unsigned sar_den, char *err, size_t errlen)
{
	struct wtrack *t = &w->t[SP_MP4V_VIDEO];
	struct sp_h264_sps s;

	if (n > sizeof(t->cfg) || sp_h264_avcc_sps(avcc, n, &s) != 0)
		return wfail(w, err, errlen, "not an H.264 configuration");
	memcpy(t->cfg, avcc, n);
	t->cfg_len = n;
	t->width = width;
	t->height = height;
	t->sar_num = sar_num;
	t->sar_den = sar_den;
	t->on = 1;
	return 0;
}

int
sp_mp4v_writer_audio(struct sp_mp4v_writer *w, const uint8_t *asc,
    size_t n, char *err, size_t errlen)
{
	struct wtrack *t = &w->t[SP_MP4V_AUDIO];
	unsigned aot, rate, ch;

	if (n > SP_MP4_ASCMAX ||
	    sp_mp4_asc_parse(asc, n, &aot, &rate, &ch) != 0 || rate == 0)
		return wfail(w, err, errlen, "not an AAC configuration");
	memcpy(t->cfg, asc, n);
	t->cfg_len = n;
	t->rate = rate;
	t->channels = ch ? ch : 2;
	/* The media timescale is the core rate the ASC's index gives
	 * (HE-AAC frames count core samples). */
	t->timescale = rate;
	t->on = 1;
	return 0;
}

void
sp_mp4v_writer_last_duration(struct sp_mp4v_writer *w, uint32_t d)
{
	w->t[SP_MP4V_VIDEO].last_duration = d;
}

void
sp_mp4v_writer_tag(struct sp_mp4v_writer *w, int t, const char *value)
{
	if (t < 0 || t >= SP_MP4_NTAGS)
		return;
	free(w->tags[t]);
	w->tags[t] = value != NULL && *value ? sp_xstrdup(value) : NULL;
}

/* udta > meta (hdlr mdir) > ilst > one item a tag, its value a UTF-8
 * data atom: the layout iTunes, ffmpeg and mutagen read. */
static void
o_tags(struct obuf *o, const struct sp_mp4v_writer *w)
{
	static const char *const names[SP_MP4_NTAGS] = { "\251nam",
	    "\251ART", "\251alb", "\251cmt", "\251day", "\251too" };
	size_t udta;
	int i, n = 0;

	for (i = 0; i < SP_MP4_NTAGS; i++)
		n += w->tags[i] != NULL;
	if (n == 0)
		return;
	udta = o_open(o, "udta");
	o_ilst(o, names, w->tags, SP_MP4_NTAGS);
	o_close(o, udta);
}

void
sp_mp4v_writer_inband(struct sp_mp4v_writer *w)
{
	w->t[SP_MP4V_VIDEO].inband = 1;
}

void
sp_mp4v_writer_edit(struct sp_mp4v_writer *w, int t, uint64_t delay,
    int64_t media_time, uint64_t duration)
{
	w->t[t].edit_set = 1;
	w->t[t].delay = delay;
	w->t[t].media_time = media_time;
	w->t[t].play = duration;
}

void
sp_mp4v_writer_starts(struct sp_mp4v_writer *w, int64_t video,
    int64_t audio)
{
	w->start[SP_MP4V_VIDEO] = video;
	w->start[SP_MP4V_AUDIO] = audio;
}

static void
add_run(struct run **r, size_t *n, size_t *cap, int32_t delta)
{
	if (*n > 0 && (*r)[*n - 1].delta == delta &&
	    (*r)[*n - 1].count < UINT32_MAX) {
		(*r)[*n - 1].count++;
		return;
	}
	GROW(*r, *n, *cap);
	(*r)[*n].count = 1;
	(*r)[*n].delta = delta;
	(*n)++;
}

/* Close track k's open chunk into its stsc runs. */
static void
close_chunk(struct wtrack *k)
{
	if (k->spc == 0)
		return;
	if (k->nstsc == 0 || k->stsc[k->nstsc - 1].spc != k->spc) {
		GROW(k->stsc, k->nstsc, k->cstsc);
		k->stsc[k->nstsc].first = (uint32_t)k->nchunks; /* 1-based */
		k->stsc[k->nstsc].spc = k->spc;
		k->nstsc++;
	}
	k->spc = 0;
}

/* Write a sample's bytes and note it in track ti's tables. */
static int
put_sample(struct sp_mp4v_writer *w, int ti, const void *data, size_t size)
{
	struct wtrack *k = &w->t[ti];

	if (w->failed || size == 0 || size > UINT32_MAX ||
	    k->nsizes >= UINT32_MAX - 1) {
		errno = EINVAL;
		w->failed = 1;
		return -1;
	}
	if (fwrite(data, 1, size, w->out) != size) {
		w->failed = 1;
		return -1;
	}
	/* A new chunk when another track wrote last, or this one grew past
	 * 1 MB (players read a chunk at once). */
	if (w->last_track != ti || k->spc >= 1024) {
		if (w->last_track >= 0 && w->last_track != ti)
			close_chunk(&w->t[w->last_track]);
		close_chunk(k);
		GROW(k->chunks, k->nchunks, k->cchunks);
		k->chunks[k->nchunks++] = w->pos;
	}
	k->spc++;
	w->last_track = ti;
	GROW(k->sizes, k->nsizes, k->csizes);
	k->sizes[k->nsizes++] = (uint32_t)size;
	if (size > k->max_size)
		k->max_size = (uint32_t)size;
	k->bytes += size;
	w->pos += size;
	return 0;
}

int
sp_mp4v_writer_add_video(struct sp_mp4v_writer *w, const void *data,
    size_t size, int64_t dts, int64_t pts, int sync)
{
	struct wtrack *k = &w->t[SP_MP4V_VIDEO];
	int64_t cto = pts - dts;

	if (!k->on || (k->pending && dts <= k->last_dts) ||
	    cto > INT32_MAX || cto < INT32_MIN ||
	    (k->pending && dts - k->last_dts > INT32_MAX)) {
		errno = EINVAL;
		w->failed = 1;
		return -1;
	}
	if (put_sample(w, SP_MP4V_VIDEO, data, size) != 0)
		return -1;
	if (k->pending) {
		k->last_delta = (uint32_t)(dts - k->last_dts);
		add_run(&k->stts, &k->nstts, &k->cstts,
		    (int32_t)k->last_delta);
		k->duration += k->last_delta;
	} else {
		k->first_dts = dts;
		k->min_pts = k->max_pts = pts;
	}
	if (pts < k->min_pts)
		k->min_pts = pts;
	if (pts > k->max_pts)
		k->max_pts = pts;
	k->pending = 1;
	k->last_dts = dts;
	add_run(&k->ctts, &k->nctts, &k->cctts, (int32_t)cto);
	if (cto != 0)
		k->any_cto = 1;
	if (cto < 0)
		k->neg_cto = 1;	/* ctts version 1: signed offsets */
	if (sync) {
		GROW(k->stss, k->nstss, k->cstss);
		k->stss[k->nstss++] = (uint32_t)k->nsizes;
	}
	return 0;
}

int
sp_mp4v_writer_add_audio(struct sp_mp4v_writer *w, const void *data,
    size_t size, uint32_t duration)
{
	struct wtrack *k = &w->t[SP_MP4V_AUDIO];

	if (!k->on || duration == 0 || duration > INT32_MAX) {
		errno = EINVAL;
		w->failed = 1;
		return -1;
	}
	if (put_sample(w, SP_MP4V_AUDIO, data, size) != 0)
		return -1;
	add_run(&k->stts, &k->nstts, &k->cstts, (int32_t)duration);
	k->duration += duration;
	return 0;
}

static uint64_t
rescale(uint64_t v, uint64_t from, uint64_t to)
{
	return from == to ? v : (uint64_t)(((unsigned __int128)v * to +
	    from / 2) / from);
}

static void
o_tkhd(struct obuf *o, uint32_t id, uint64_t dur, int video,
    const struct wtrack *k)
{
	size_t at = o_full(o, "tkhd", 1, 3);	/* enabled, in movie */

	o_zero(o, 16);
	o_u32(o, id);
	o_u32(o, 0);
	o_u64(o, dur);
	o_zero(o, 8);
	o_u16(o, 0);			/* layer */
	o_u16(o, video ? 0 : 1);	/* alternate group */
	o_u16(o, video ? 0 : 0x0100);	/* volume */
	o_u16(o, 0);
	o_matrix(o);
	if (video) {
		uint64_t dw = k->width;

		if (k->sar_num && k->sar_den)
			dw = (uint64_t)k->width * k->sar_num / k->sar_den;
		o_u32(o, (uint32_t)(dw << 16));
		o_u32(o, k->height << 16);
	} else {
		o_u32(o, 0);
		o_u32(o, 0);
	}
	o_close(o, at);
}

static void
o_stsd_video(struct obuf *o, const struct wtrack *k)
{
	size_t a = o_full(o, "stsd", 0, 0), b, c;

	o_u32(o, 1);
	b = o_open(o, k->inband ? "avc3" : "avc1");
	o_zero(o, 6);
	o_u16(o, 1);			/* data_reference_index */
	o_zero(o, 16);
	o_u16(o, k->width);
	o_u16(o, k->height);
	o_u32(o, 0x00480000);
	o_u32(o, 0x00480000);
	o_u32(o, 0);
	o_u16(o, 1);			/* frame_count */
	o_zero(o, 32);			/* compressorname */
	o_u16(o, 0x18);
	o_u16(o, 0xFFFF);
	c = o_open(o, "avcC");
	o_put(o, k->cfg, k->cfg_len);
	o_close(o, c);
	if (k->sar_num && k->sar_den) {
		c = o_open(o, "pasp");
		o_u32(o, k->sar_num);
		o_u32(o, k->sar_den);
		o_close(o, c);
	}
	o_close(o, b);
	o_close(o, a);
}

static void
o_stsd_audio(struct obuf *o, const struct wtrack *k)
{
	size_t a = o_full(o, "stsd", 0, 0), b, c;
	uint64_t secs = rescale(k->duration, k->timescale, 1);
	uint32_t avg = secs ? (uint32_t)(k->bytes * 8 / secs) : 0;

	o_u32(o, 1);
	b = o_open(o, "mp4a");
	o_zero(o, 6);
	o_u16(o, 1);
	o_zero(o, 8);
	o_u16(o, k->channels);
	o_u16(o, 16);
	o_u32(o, 0);
	o_u32(o, (k->rate < 65536 ? k->rate : 0) << 16);
	c = o_full(o, "esds", 0, 0);
	o_desc(o, 3, 3 + 5 + 13 + 5 + k->cfg_len + 5 + 1);
	o_u16(o, 1);			/* ES_ID */
	o_u8(o, 0);
	o_desc(o, 4, 13 + 5 + k->cfg_len);
	o_u8(o, 0x40);			/* MPEG-4 audio */
	o_u8(o, 0x15);			/* audio stream */
	o_u24(o, k->max_size);
	o_u32(o, avg);
	o_u32(o, avg);
	o_desc(o, 5, k->cfg_len);
	o_put(o, k->cfg, k->cfg_len);
	o_desc(o, 6, 1);
	o_u8(o, 2);
	o_close(o, c);
	o_close(o, b);
	o_close(o, a);
}

static void
o_runs(struct obuf *o, const char *type, unsigned version,
    const struct run *r, size_t n)
{
	size_t at = o_full(o, type, version, 0), i;

	o_u32(o, n);
	for (i = 0; i < n; i++) {
		o_u32(o, r[i].count);
		o_u32(o, (uint32_t)r[i].delta);
	}
	o_close(o, at);
}

/* The moov's trak for track ti: its id and presented movie duration. */
static void
o_trak(struct obuf *o, const struct sp_mp4v_writer *w, int ti,
    uint32_t id, uint64_t *movie_dur, int co64)
{
	const struct wtrack *k = &w->t[ti];
	int video = ti == SP_MP4V_VIDEO;
	size_t trak, a, b, c, i;
	uint64_t play, dur, mdur = k->duration;

	play = k->play ? k->play : mdur > (uint64_t)k->media_time ?
	    mdur - (uint64_t)k->media_time : 0;
	dur = k->delay + rescale(play, k->timescale, SP_MP4V_TIMESCALE);
	*movie_dur = dur;
	trak = o_open(o, "trak");
	o_tkhd(o, id, dur, video, k);
	a = o_open(o, "edts");
	b = o_full(o, "elst", 1, 0);
	o_u32(o, k->delay ? 2 : 1);
	if (k->delay) {
		o_u64(o, k->delay);
		o_u64(o, (uint64_t)-1);	/* media_time -1: empty */
		o_u32(o, 0x10000);
	}
	o_u64(o, rescale(play, k->timescale, SP_MP4V_TIMESCALE));
	o_u64(o, (uint64_t)k->media_time);
	o_u32(o, 0x10000);
	o_close(o, b);
	o_close(o, a);
	a = o_open(o, "mdia");
	b = o_full(o, "mdhd", 1, 0);
	o_zero(o, 16);
	o_u32(o, k->timescale);
	o_u64(o, mdur);
	o_u16(o, 0x55C4);		/* "und" */
	o_u16(o, 0);
	o_close(o, b);
	b = o_full(o, "hdlr", 0, 0);
	o_u32(o, 0);
	o_put(o, video ? "vide" : "soun", 4);
	o_zero(o, 12);
	o_put(o, video ? "VideoHandler" : "SoundHandler", 13);
	o_close(o, b);
	b = o_open(o, "minf");
	if (video) {
		c = o_full(o, "vmhd", 0, 1);
		o_zero(o, 8);
	} else {
		c = o_full(o, "smhd", 0, 0);
		o_zero(o, 4);
	}
	o_close(o, c);
	c = o_open(o, "dinf");
	{
		size_t d = o_full(o, "dref", 0, 0), e;

		o_u32(o, 1);
		e = o_full(o, "url ", 0, 1);
		o_close(o, e);
		o_close(o, d);
	}
	o_close(o, c);
	c = o_open(o, "stbl");
	if (video)
		o_stsd_video(o, k);
	else
		o_stsd_audio(o, k);
	o_runs(o, "stts", 0, k->stts, k->nstts);
	if (video && k->any_cto)
		o_runs(o, "ctts", k->neg_cto ? 1 : 0, k->ctts, k->nctts);
	if (video && k->nstss < k->nsizes) {
		size_t d = o_full(o, "stss", 0, 0);

		o_u32(o, k->nstss);
		for (i = 0; i < k->nstss; i++)
			o_u32(o, k->stss[i]);
		o_close(o, d);
	}
	{
		size_t d = o_full(o, "stsc", 0, 0);

		o_u32(o, k->nstsc);
		for (i = 0; i < k->nstsc; i++) {
			o_u32(o, k->stsc[i].first);
			o_u32(o, k->stsc[i].spc);
			o_u32(o, 1);
		}
		o_close(o, d);
		d = o_full(o, "stsz", 0, 0);
		o_u32(o, 0);
		o_u32(o, k->nsizes);
		for (i = 0; i < k->nsizes; i++)
			o_u32(o, k->sizes[i]);
		o_close(o, d);
		d = o_full(o, co64 ? "co64" : "stco", 0, 0);
		o_u32(o, k->nchunks);
		for (i = 0; i < k->nchunks; i++)
			o_uint(o, k->chunks[i], co64 ? 8 : 4);
		o_close(o, d);
	}
	o_close(o, c);
	o_close(o, b);
	o_close(o, a);
	o_close(o, trak);
}

int
sp_mp4v_writer_finish(struct sp_mp4v_writer *w, char *err, size_t errlen)
{
	struct wtrack *v = &w->t[SP_MP4V_VIDEO], *a = &w->t[SP_MP4V_AUDIO];
	struct obuf o = { NULL, 0, 0 };
	uint64_t dur[SP_MP4V_NTRACKS] = { 0, 0 }, movie = 0, size;
	int64_t first;
	size_t mv, mh, at;
	uint32_t id = 1;
	int i, co64 = w->pos > UINT32_MAX;

	if (w->failed)
		return wfail(w, err, errlen, "the MP4 writer failed earlier");
	if ((v->on && v->nsizes == 0) || (a->on && a->nsizes == 0) ||
	    (!v->on && !a->on))
		return wfail(w, err, errlen, "no samples to write");
	/* The last video sample: as long as the one before it. */
	if (v->on) {
		uint32_t d = v->last_duration ? v->last_duration :
		    v->last_delta ? v->last_delta : 3000;

		add_run(&v->stts, &v->nstts, &v->cstts, (int32_t)d);
		v->duration += d;
	}
	close_chunk(v);
	close_chunk(a);
	/* Default edits: each track from its first presented sample, the
	 * later one delayed by the difference. */
	first = !v->on ? w->start[SP_MP4V_AUDIO] : !a->on ?
	    w->start[SP_MP4V_VIDEO] : w->start[SP_MP4V_VIDEO] <
	    w->start[SP_MP4V_AUDIO] ? w->start[SP_MP4V_VIDEO] :
	    w->start[SP_MP4V_AUDIO];
	if (v->on && !v->edit_set) {
		/* From the first presented frame to the end of the last. */
		v->media_time = v->min_pts - v->first_dts;
		v->play = (uint64_t)(v->max_pts + (int64_t)(v->last_duration ?
		    v->last_duration : v->last_delta ? v->last_delta : 3000) -
		    v->min_pts);
		v->delay = (uint64_t)(w->start[SP_MP4V_VIDEO] - first);
	}
	if (a->on && !a->edit_set) {
		a->media_time = 0;
		a->delay = (uint64_t)(w->start[SP_MP4V_AUDIO] - first);
	}
	if (fflush(w->out) != 0)
		return wfail(w, err, errlen, "write error: %s",
		    strerror(errno));
	mv = o_open(&o, "moov");
	mh = o_full(&o, "mvhd", 1, 0);
	o_zero(&o, 16);
	o_u32(&o, SP_MP4V_TIMESCALE);
	at = o.n;
	o_u64(&o, 0);			/* duration, filled in below */
	o_u32(&o, 0x10000);		/* rate */
	o_u16(&o, 0x100);		/* volume */
	o_zero(&o, 10);
	o_matrix(&o);
	o_zero(&o, 24);
	o_u32(&o, 3);			/* next_track_ID */
	o_close(&o, mh);
	for (i = 0; i < SP_MP4V_NTRACKS; i++) {
		if (!w->t[i].on)
			continue;
		o_trak(&o, w, i, id++, &dur[i], co64);
		if (dur[i] > movie)
			movie = dur[i];
	}
	for (i = 0; i < 8; i++)
		o.p[at + (size_t)i] = (uint8_t)(movie >> (56 - 8 * i));
	o_tags(&o, w);
	o_close(&o, mv);
	size = w->pos - w->mdat;
	if (fwrite(o.p, 1, o.n, w->out) != o.n || fflush(w->out) != 0 ||
	    fseeko(w->out, (off_t)(w->mdat + 8), SEEK_SET) != 0) {
		free(o.p);
		return wfail(w, err, errlen, "write error: %s",
		    strerror(errno));
	}
	free(o.p);
	{
		uint8_t b[8];

		for (i = 0; i < 8; i++)
			b[i] = (uint8_t)(size >> (56 - 8 * i));
		if (fwrite(b, 1, 8, w->out) != 8 || fflush(w->out) != 0 ||
		    fseeko(w->out, 0, SEEK_END) != 0)
			return wfail(w, err, errlen, "write error: %s",
			    strerror(errno));
	}
	return 0;
}

/*
 * READER.
 */

#define MOOVMAX		(48u << 20)	/* bytes of moov read, at most */
#define SAMPLESMAX	(1u << 26)	/* samples of one track, at most */

struct rbox {
	const uint8_t	*p;		/* body */
	size_t		 n;
	char		 type[5];
};

static uint64_t
be(const uint8_t *p, size_t k)
{
	uint64_t v = 0;

	while (k--)
		v = v << 8 | *p++;
	return v;
}

/* The box at *at in [p, p + n): 1 with b filled and *at moved on, 0 at the
 * end, -1 when it overruns. */
static int
next_box(const uint8_t *p, size_t n, size_t *at, struct rbox *b)
{
	uint64_t size;
	size_t h = 8;

	if (*at >= n)
		return 0;
	if (n - *at < 8)
		return -1;
	size = be(p + *at, 4);
	memcpy(b->type, p + *at + 4, 4);
	b->type[4] = '\0';
	if (size == 1) {
		if (n - *at < 16)
			return -1;
		size = be(p + *at + 8, 8);
		h = 16;
	} else if (size == 0)
		size = n - *at;
	if (size < h || size > n - *at)
		return -1;
	b->p = p + *at + h;
	b->n = (size_t)size - h;
	*at += (size_t)size;
	return 1;
}

/* The child of type t in body [p, p + n), or NULL. */
static int
child(const uint8_t *p, size_t n, const char *t, struct rbox *out)
{
	size_t at = 0;
	int r;

	while ((r = next_box(p, n, &at, out)) == 1)
		if (memcmp(out->type, t, 4) == 0)
			return 1;
	return 0;
}

/* The tables of one trak, before they are expanded. */
struct rtabs {
	struct rbox	 stts, ctts, stss, stsc, stsz, stco;
	int		 has_ctts, has_stss, co64, ok;
};

static int
rfail(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", msg);
	return -1;
}

static size_t
desc_len(const uint8_t *p, size_t n, size_t *at)
{
	size_t len = 0;
	int i;

	for (i = 0; i < 4 && *at < n; i++) {
		uint8_t c = p[(*at)++];

		len = len << 7 | (c & 0x7F);
		if (!(c & 0x80))
			break;
	}
	return len;
}

/* The DecoderSpecificInfo of an esds body into k->asc. */
static void
esds_asc(struct sp_mp4v_track *k, const uint8_t *p, size_t n)
{
	size_t at = 4, len;

	while (at + 2 <= n) {
		unsigned tag = p[at++];

		len = desc_len(p, n, &at);
		if (len > n - at)
			return;
		if (tag == 3) {
			unsigned fl;

			if (len < 3)
				return;
			fl = p[at + 2];
			at += 3 + (fl & 0x80 ? 2 : 0) + (fl & 0x20 ? 2 : 0);
			if ((fl & 0x40) && at < n)
				at += 1 + p[at];
			continue;
		}
		if (tag == 4) {
			at += 13;
			continue;
		}
		if (tag == 5) {
			if (len <= sizeof(k->asc)) {
				memcpy(k->asc, p + at, len);
				k->asc_len = len;
			}
			return;
		}
		at += len;
	}
}

static void
parse_stsd(struct sp_mp4v_track *k, const uint8_t *p, size_t n)
{
	struct rbox e, c;
	size_t at = 8, skip;

	if (n < 8 || be(p + 4, 4) < 1 || next_box(p, n, &at, &e) != 1)
		return;
	memcpy(k->codec, e.type, 5);
	if (strcmp(e.type, "avc1") == 0 || strcmp(e.type, "avc3") == 0) {
		if (e.n < 78)
			return;
		k->width = (unsigned)be(e.p + 24, 2);
		k->height = (unsigned)be(e.p + 26, 2);
		if (child(e.p + 78, e.n - 78, "avcC", &c) &&
		    c.n <= sizeof(k->avcc)) {
			memcpy(k->avcc, c.p, c.n);
			k->avcc_len = c.n;
		}
	} else if (strcmp(e.type, "mp4a") == 0) {
		if (e.n < 28)
			return;
		skip = be(e.p + 8, 2) == 1 ? 16 : be(e.p + 8, 2) == 2 ? 36 : 0;
		if (e.n < 28 + skip)
			return;
		if (child(e.p + 28 + skip, e.n - 28 - skip, "esds", &c))
			esds_asc(k, c.p, c.n);
		else if (child(e.p + 28 + skip, e.n - 28 - skip, "wave", &c)
		    && child(c.p, c.n, "esds", &c))
			esds_asc(k, c.p, c.n);
	}
}

static void
parse_elst(struct sp_mp4v_track *k, const uint8_t *p, size_t n,
    uint32_t movie_ts)
{
	size_t cnt, i, es, at = 8;
	int v1;

	if (n < 8 || movie_ts == 0 || k->timescale == 0)
		return;
	v1 = p[0] == 1;
	es = v1 ? 20 : 12;
	cnt = (size_t)be(p + 4, 4);
	for (i = 0; i < cnt && at + es <= n; i++, at += es) {
		uint64_t d = be(p + at, v1 ? 8 : 4);
		int64_t mt = v1 ? (int64_t)be(p + at + 8, 8) :
		    (int64_t)(int32_t)be(p + at + 4, 4);

		d = rescale(d, movie_ts, k->timescale);
		if (mt == -1) {
			k->edit_delay += d;
			continue;
		}
		k->has_edit = 1;
		k->edit_media_time = mt;
		k->edit_duration = d;
		return;
	}
}

/* Expand the tables into per-sample arrays: 0, or -1 with err. */
static int
expand(struct sp_mp4v_track *k, const struct rtabs *t, uint64_t fsize,
    char *err, size_t errlen)
{
	uint64_t n, i, j, c, s, nchunks, fixed, dts = 0;
	size_t at;

	if (t->stsz.n < 8 || t->stts.n < 4 || t->stsc.n < 4 || t->stco.n < 4)
		return rfail(err, errlen, "a sample table is missing");
	fixed = be(t->stsz.p + 4, 4);
	n = be(t->stsz.p + 8, 4);
	/* Every sample takes a byte of the file at least. */
	if (n > SAMPLESMAX || n > fsize || (fixed == 0 && t->stsz.n < 12 +
	    4 * n))
		return rfail(err, errlen, "the sample size table is damaged");
	k->nsamples = n;
	k->off = sp_xcalloc(n ? n : 1, sizeof(*k->off));
	k->size = sp_xcalloc(n ? n : 1, sizeof(*k->size));
	k->dts = sp_xcalloc(n ? n : 1, sizeof(*k->dts));
	k->cto = sp_xcalloc(n ? n : 1, sizeof(*k->cto));
	k->sync = sp_xcalloc(n ? n : 1, 1);
	for (i = 0; i < n; i++)
		k->size[i] = (uint32_t)(fixed ? fixed :
		    be(t->stsz.p + 12 + 4 * i, 4));
	/* stts */
	c = be(t->stts.p + 4, 4);
	for (i = 0, j = 0, at = 8; j < c && at + 8 <= t->stts.n; j++,
	    at += 8) {
		uint64_t cnt = be(t->stts.p + at, 4);
		uint32_t d = (uint32_t)be(t->stts.p + at + 4, 4);

		for (; cnt > 0 && i < n; cnt--, i++) {
			k->dts[i] = (int64_t)dts;
			dts += d;
		}
	}
	if (i < n)
		return rfail(err, errlen, "the time table is short");
	k->media_duration = dts;
	if (t->has_ctts && t->ctts.n >= 8) {
		c = be(t->ctts.p + 4, 4);
		for (i = 0, j = 0, at = 8; j < c && at + 8 <= t->ctts.n;
		    j++, at += 8) {
			uint64_t cnt = be(t->ctts.p + at, 4);
			int32_t o = (int32_t)be(t->ctts.p + at + 4, 4);

			for (; cnt > 0 && i < n; cnt--, i++)
				k->cto[i] = o;
		}
		k->has_ctts = 1;
	}
	if (t->has_stss && t->stss.n >= 8) {
		c = be(t->stss.p + 4, 4);
		for (j = 0, at = 8; j < c && at + 4 <= t->stss.n; j++,
		    at += 4) {
			uint64_t x = be(t->stss.p + at, 4);

			if (x >= 1 && x <= n && !k->sync[x - 1]) {
				k->sync[x - 1] = 1;
				k->nsync++;
			}
		}
	} else {
		memset(k->sync, 1, n);
		k->nsync = n;
	}
	/* stsc + chunk offsets */
	nchunks = be(t->stco.p + 4, 4);
	if (t->stco.n < 8 + nchunks * (t->co64 ? 8 : 4))
		return rfail(err, errlen, "the chunk offset table is short");
	c = be(t->stsc.p + 4, 4);
	if (t->stsc.n < 8 + 12 * c)
		return rfail(err, errlen, "the sample-to-chunk table is short");
	for (s = 0, j = 0; j < c && s < n; j++) {
		uint64_t first = be(t->stsc.p + 8 + 12 * j, 4);
		uint64_t spc = be(t->stsc.p + 8 + 12 * j + 4, 4);
		uint64_t last = j + 1 < c ?
		    be(t->stsc.p + 8 + 12 * (j + 1), 4) : nchunks + 1;
		uint64_t ch;

		if (first < 1 || last < first || last > nchunks + 1)
			return rfail(err, errlen,
			    "the sample-to-chunk table is damaged");
		for (ch = first; ch < last && s < n; ch++) {
			uint64_t o = be(t->stco.p + 8 + (ch - 1) *
			    (t->co64 ? 8 : 4), t->co64 ? 8 : 4), m;

			for (m = 0; m < spc && s < n; m++, s++) {
				k->off[s] = o;
				o += k->size[s];
			}
		}
	}
	if (s < n)
		return rfail(err, errlen, "samples lie outside the chunks");
	for (i = 0; i < n; i++)
		if (k->off[i] > fsize || k->size[i] > fsize - k->off[i])
			return rfail(err, errlen, "samples lie past the end of "
			    "the file: it is cut short");
	return 0;
}

static int
parse_trak(struct sp_mp4v *m, const uint8_t *p, size_t n, uint64_t fsize,
    int index, char *err, size_t errlen)
{
	struct sp_mp4v_track *k;
	struct rbox b, mdia, minf, stbl, x;
	struct rtabs t;
	size_t at;

	m->tracks = sp_xreallocarray(m->tracks, m->ntracks + 1,
	    sizeof(*m->tracks));
	k = &m->tracks[m->ntracks++];
	memset(k, 0, sizeof(*k));
	memset(&t, 0, sizeof(t));
	if (child(p, n, "tkhd", &b) && b.n >= 24)
		k->id = (uint32_t)be(b.p + (b.p[0] == 1 ? 20 : 12), 4);
	if (!child(p, n, "mdia", &mdia))
		return 0;
	if (child(mdia.p, mdia.n, "mdhd", &b) && b.n >= 24)
		k->timescale = (uint32_t)be(b.p + (b.p[0] == 1 ? 20 : 12), 4);
	if (child(mdia.p, mdia.n, "hdlr", &b) && b.n >= 12)
		memcpy(k->handler, b.p + 8, 4);
	if (child(p, n, "edts", &b) && child(b.p, b.n, "elst", &x))
		parse_elst(k, x.p, x.n, m->movie_timescale);
	if (!child(mdia.p, mdia.n, "minf", &minf) ||
	    !child(minf.p, minf.n, "stbl", &stbl))
		return 0;
	at = 0;
	while (next_box(stbl.p, stbl.n, &at, &b) == 1) {
		if (strcmp(b.type, "stsd") == 0)
			parse_stsd(k, b.p, b.n);
		else if (strcmp(b.type, "stts") == 0)
			t.stts = b;
		else if (strcmp(b.type, "ctts") == 0) {
			t.ctts = b;
			t.has_ctts = 1;
		} else if (strcmp(b.type, "stss") == 0) {
			t.stss = b;
			t.has_stss = 1;
		} else if (strcmp(b.type, "stsc") == 0)
			t.stsc = b;
		else if (strcmp(b.type, "stsz") == 0)
			t.stsz = b;
		else if (strcmp(b.type, "stco") == 0)
			t.stco = b;
		else if (strcmp(b.type, "co64") == 0) {
			t.stco = b;
			t.co64 = 1;
		}
	}
	if (k->timescale == 0)
		return 0;
	if (!index)
		return 0;
	if ((strcmp(k->codec, "avc1") == 0 && k->avcc_len > 0) ||
	    (strcmp(k->codec, "avc3") == 0) ||
	    (strcmp(k->codec, "mp4a") == 0 && k->asc_len > 0))
		return expand(k, &t, fsize, err, errlen);
	return 0;
}

/* index 0: the tracks' headers only, no sample tables. */
static struct sp_mp4v *
mp4v_open(FILE *fp, int index, char *err, size_t errlen)
{
	struct sp_mp4v *m;
	uint8_t h[16], *moov = NULL;
	uint64_t at = 0, fsize, size, msize = 0;
	struct rbox b;
	size_t pos;
	int r;

	if (fseeko(fp, 0, SEEK_END) != 0 || (fsize = (uint64_t)ftello(fp))
	    == (uint64_t)-1) {
		rfail(err, errlen, "cannot seek in it");
		return NULL;
	}
	m = sp_xcalloc(1, sizeof(*m));
	m->fp = fp;
	while (at + 8 <= fsize) {
		size_t hl = 8;

		if (fseeko(fp, (off_t)at, SEEK_SET) != 0 ||
		    fread(h, 1, 8, fp) != 8)
			break;
		size = be(h, 4);
		if (size == 1) {
			if (fread(h + 8, 1, 8, fp) != 8)
				break;
			size = be(h + 8, 8);
			hl = 16;
		} else if (size == 0)
			size = fsize - at;
		if (size < hl || size > fsize - at) {
			if (moov == NULL)
				goto notmp4;
			break;
		}
		if (at == 0 && memcmp(h + 4, "ftyp", 4) != 0 &&
		    memcmp(h + 4, "moov", 4) != 0 &&
		    memcmp(h + 4, "mdat", 4) != 0 &&
		    memcmp(h + 4, "free", 4) != 0 &&
		    memcmp(h + 4, "wide", 4) != 0)
			goto notmp4;
		if (memcmp(h + 4, "ftyp", 4) == 0 && size >= 12) {
			if (fread(m->brand, 1, 4, fp) != 4)
				break;
		} else if (memcmp(h + 4, "moof", 4) == 0)
			m->fragmented = 1;
		else if (memcmp(h + 4, "moov", 4) == 0 && moov == NULL) {
			if (size - hl > MOOVMAX) {
				rfail(err, errlen, "its moov is too big");
				goto fail;
			}
			msize = size - hl;
			moov = sp_xmalloc(msize ? msize : 1);
			if (fread(moov, 1, msize, fp) != msize)
				goto notmp4;
		}
		at += size;
	}
	if (moov == NULL)
		goto notmp4;
	if (m->fragmented) {
		rfail(err, errlen, "a fragmented MP4: not supported for video");
		goto fail;
	}
	if (child(moov, msize, "mvhd", &b) && b.n >= 16)
		m->movie_timescale = (uint32_t)be(b.p + (b.p[0] == 1 ? 20 :
		    12), 4);
	pos = 0;
	while ((r = next_box(moov, msize, &pos, &b)) == 1)
		if (strcmp(b.type, "trak") == 0 &&
		    parse_trak(m, b.p, b.n, fsize, index, err, errlen) != 0)
			goto fail;
	free(moov);
	return m;
notmp4:
	rfail(err, errlen, "not an MP4 file");
fail:
	free(moov);
	sp_mp4v_close(m);
	return NULL;
}

struct sp_mp4v *
sp_mp4v_open(FILE *fp, char *err, size_t errlen)
{
	return mp4v_open(fp, 1, err, errlen);
}

int
sp_mp4v_has_video(FILE *fp)
{
	struct sp_mp4v *m;
	char err[64];
	size_t i;
	int r = 0;

	if ((m = mp4v_open(fp, 0, err, sizeof(err))) == NULL)
		return 0;
	for (i = 0; i < m->ntracks; i++)
		if (strcmp(m->tracks[i].handler, "vide") == 0)
			r = 1;
	sp_mp4v_close(m);
	return r;
}

void
sp_mp4v_close(struct sp_mp4v *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ntracks; i++) {
		free(m->tracks[i].off);
		free(m->tracks[i].size);
		free(m->tracks[i].dts);
		free(m->tracks[i].cto);
		free(m->tracks[i].sync);
	}
	free(m->tracks);
	free(m);
}

int
sp_mp4v_find(const struct sp_mp4v *m, const char *h)
{
	size_t i;

	for (i = 0; i < m->ntracks; i++)
		if (strcmp(m->tracks[i].handler, h) == 0 &&
		    m->tracks[i].off != NULL)
			return (int)i;
	return -1;
}

long
sp_mp4v_read(struct sp_mp4v *m, size_t t, uint64_t i, void *buf, size_t n)
{
	const struct sp_mp4v_track *k;

	if (t >= m->ntracks || (k = &m->tracks[t])->off == NULL ||
	    i >= k->nsamples || k->size[i] > n ||
	    fseeko(m->fp, (off_t)k->off[i], SEEK_SET) != 0 ||
	    fread(buf, 1, k->size[i], m->fp) != k->size[i])
		return -1;
	return (long)k->size[i];
}
