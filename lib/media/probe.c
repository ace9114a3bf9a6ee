/* probe: what an audio file holds, as the media record of spaces-info. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "adts.h"
#include "decode.h"
#include "id3r.h"
#include "json.h"
#include "loudness.h"
#include "measure.h"
#include "mp4.h"
#include "oggopus.h"
#include "probe.h"
#include "segment.h"
#include "timefmt.h"
#include "vprobe.h"
#include "xalloc.h"
#include "banned.h"

#define BLOCK (64 * 1024)
#define MP4_EPOCH_1970	2082844800u	/* 1904 to 1970, seconds */

static void
warn_in(json_t *rec, const char *msg)
{
	json_t *w = json_object_get(rec, "warnings");

	if (w == NULL) {
		w = json_array();
		json_object_set_new(rec, "warnings", w);
	}
	json_array_append_new(w, json_string(msg));
}

static void
set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

static void
set_real(json_t *o, const char *k, double v)
{
	if (isfinite(v))
		json_object_set_new(o, k, json_real(round(v * 100) / 100));
}

static const char *
aac_profile(unsigned object_type)
{
	switch (object_type) {
	case 1: return "Main";
	case 2: return "LC";
	case 3: return "SSR";
	case 4: return "LTP";
	case 5: return "HE-AAC";
	case 29: return "HE-AACv2";
	default: return NULL;
	}
}

/* Duration, samples and bitrate from an exact sample count. */
static void
set_length(json_t *rec, uint64_t samples, unsigned rate, uint64_t bytes)
{
	double secs;

	json_object_set_new(rec, "samples", json_integer((json_int_t)samples));
	if (rate == 0)
		return;
	secs = (double)samples / rate;
	json_object_set_new(rec, "duration", json_real(secs));
	if (bytes > 0 && secs > 0)
		json_object_set_new(rec, "bitrate", json_integer((json_int_t)
		    llround((double)bytes * 8 / secs)));
}

/* What the Spaces tags between the frames say, gathered tag by tag. */
struct hydra {
	uint64_t	 participants, levels;
	double		 level_min, level_max;
	int		 have_level;
};

static void
on_tag(void *ctx, const struct sp_id3_tag *t)
{
	struct hydra *h = ctx;
	json_t *a, *v;
	size_t i;

	if (t->have & SP_ID3_PARTICIPANTS)
		h->participants++;
	if (!(t->have & SP_ID3_AUDIO_LEVEL))
		return;
	h->levels++;
	/* HydraAudioLevel is a JSON array of numbers, such as [46]. */
	if ((a = json_loads(t->audio_level, 0, NULL)) == NULL)
		return;
	json_array_foreach(a, i, v) {
		if (!json_is_number(v))
			continue;
		if (!h->have_level || json_number_value(v) < h->level_min)
			h->level_min = json_number_value(v);
		if (!h->have_level || json_number_value(v) > h->level_max)
			h->level_max = json_number_value(v);
		h->have_level = 1;
	}
	json_decref(a);
}

static int
probe_adts(FILE *fp, json_t *rec, char *err, size_t errlen)
{
	static struct sp_adts p;
	static unsigned char buf[BLOCK];
	const struct sp_adts_info *i = &p.info;
	struct hydra h;
	char when[SP_INSTANT_LEN], msg[128];
	size_t n;
	int64_t t0;
	json_t *hy;

	memset(&h, 0, sizeof(h));
	sp_adts_init(&p);
	p.ctx = &h;
	p.on_tag = on_tag;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sp_adts_feed(&p, buf, n);
	if (ferror(fp))
		return sp_fail(err, errlen, "read error: %s", strerror(errno));
	if (sp_adts_finish(&p) != 0)
		return sp_fail(err, errlen, "%s", p.err);
	json_object_set_new(rec, "container", json_string("adts"));
	json_object_set_new(rec, "codec", json_string("aac"));
	set_str(rec, "profile", aac_profile(i->profile + 1));
	json_object_set_new(rec, "sample_rate", json_integer(i->sample_rate));
	json_object_set_new(rec, "channels", json_integer(i->channels));
	json_object_set_new(rec, "frames", json_integer((json_int_t)i->frames));
	set_length(rec, i->samples, i->sample_rate, i->audio_bytes);
	json_object_set_new(rec, "id3_tags", json_integer((json_int_t)
	    i->id3_tags));
	if (i->junk_bytes)
		json_object_set_new(rec, "junk_bytes", json_integer((json_int_t)
		    i->junk_bytes));
	/*
	 * The NTP time in the tags is the wall clock at the sample where the
	 * tag sits: back it up to the first sample.
	 */
	if (sp_adts_started_ms(i, &t0) == 0)
		json_object_set_new(rec, "started_at", json_string(
		    sp_fmt_instant(t0, when)));
	if (i->have & SP_ID3_PTS)
		json_object_set_new(rec, "first_pts", json_integer((json_int_t)
		    i->first_pts));
	if (h.participants || h.levels) {
		hy = json_pack("{s:I, s:I}", "participants_tags",
		    (json_int_t)h.participants, "audio_level_tags",
		    (json_int_t)h.levels);
		if (h.have_level) {
			json_object_set_new(hy, "audio_level_min",
			    json_real(h.level_min));
			json_object_set_new(hy, "audio_level_max",
			    json_real(h.level_max));
		}
		json_object_set_new(rec, "hydra", hy);
	}
	if (i->errors & SP_ADTS_ETRUNC)
		warn_in(rec, "the last frame is cut short; it is not counted");
	if (i->errors & SP_ADTS_ETRUNCTAG)
		warn_in(rec, "an ID3 tag runs past the end");
	if (i->errors & SP_ADTS_EJUNK) {
		snprintf(msg, sizeof(msg), "%llu bytes between frames that are "
		    "neither audio nor tags, passed over", (unsigned long long)
		    (i->junk_bytes - i->lead_junk));
		warn_in(rec, msg);
	}
	if (i->errors & SP_ADTS_ECHANGE)
		warn_in(rec, "the sample rate or channels change");
	return 0;
}

static int
probe_mp4(FILE *fp, json_t *rec, char *err, size_t errlen)
{
	struct sp_mp4 *m = sp_mp4_open(fp, err, errlen);
	const struct sp_mp4_info *i;
	char when[SP_INSTANT_LEN];
	json_t *tags, *ch;
	int64_t pad;
	size_t k;

	if (m == NULL)
		return -1;
	i = sp_mp4_info(m);
	json_object_set_new(rec, "container", json_string("mp4"));
	json_object_set_new(rec, "codec", json_string("aac"));
	set_str(rec, "profile", aac_profile(i->object_type));
	json_object_set_new(rec, "sample_rate", json_integer(i->sample_rate));
	json_object_set_new(rec, "channels", json_integer(i->channels));
	json_object_set_new(rec, "frames", json_integer((json_int_t)
	    i->nsamples));
	set_length(rec, i->duration_samples, i->sample_rate, 0);
	if (i->avg_bitrate)
		json_object_set_new(rec, "bitrate", json_integer((json_int_t)
		    i->avg_bitrate));
	if (i->has_edit && i->timescale == i->sample_rate) {
		json_object_set_new(rec, "encoder_delay", json_integer(
		    (json_int_t)i->edit_media_time));
		pad = (int64_t)i->media_duration - i->edit_media_time -
		    (int64_t)i->duration_samples;
		if (pad >= 0)
			json_object_set_new(rec, "padding",
			    json_integer((json_int_t)pad));
	}
	if (i->fragmented)
		json_object_set_new(rec, "fragmented", json_true());
	/* The mvhd creation time: when it was recorded, as spaces-record
	 * and spaces-clip write it (0: not given). */
	if (i->creation_time > MP4_EPOCH_1970)
		json_object_set_new(rec, "started_at", json_string(
		    sp_fmt_instant((int64_t)(i->creation_time -
		    MP4_EPOCH_1970) * 1000, when)));
	tags = json_object();
	set_str(tags, "title", i->title);
	set_str(tags, "artist", i->artist);
	set_str(tags, "album", i->album);
	set_str(tags, "comment", i->comment);
	set_str(tags, "date", i->date);
	set_str(tags, "encoder", i->encoder);
	if (json_object_size(tags))
		json_object_set(rec, "tags", tags);
	json_decref(tags);
	if (i->nchapters) {
		ch = json_array();
		for (k = 0; k < i->nchapters; k++)
			json_array_append_new(ch, json_pack("{s:f, s:s}",
			    "start", i->timescale ? (double)i->chapters[k].start /
			    i->timescale : 0.0, "title", i->chapters[k].title ?
			    i->chapters[k].title : ""));
		json_object_set_new(rec, "chapters", ch);
	}
	sp_mp4_close(m);
	return 0;
}

static int
probe_opus(FILE *fp, json_t *rec, char *err, size_t errlen)
{
	struct sp_opus_reader *r = sp_opus_reader_file(fp);
	const struct sp_opus_head *h;
	const struct sp_opus_tags *t;
	const struct sp_opus_summary *s;
	struct sp_opus_packet pk;
	struct sp_opus_chapter *c;
	json_t *tags, *ch;
	const char *eq;
	char key[64], when[SP_INSTANT_LEN];
	int64_t at;
	size_t k, n;
	int rc;

	while ((rc = sp_opus_next(r, &pk)) == 1)
		;
	if (sp_opus_reader_error(r)) {
		sp_fail(err, errlen, "%s", sp_opus_reader_error(r));
		sp_opus_reader_free(r);
		return -1;
	}
	h = sp_opus_reader_head(r);
	t = sp_opus_reader_tags(r);
	s = sp_opus_reader_summary(r);
	json_object_set_new(rec, "container", json_string("ogg"));
	json_object_set_new(rec, "codec", json_string("opus"));
	json_object_set_new(rec, "sample_rate", json_integer(48000));
	if (h->input_rate)
		json_object_set_new(rec, "input_rate",
		    json_integer(h->input_rate));
	json_object_set_new(rec, "channels", json_integer(h->channels));
	json_object_set_new(rec, "packets", json_integer((json_int_t)
	    s->packets));
	set_length(rec, (uint64_t)s->samples, 48000, s->bytes);
	json_object_set_new(rec, "encoder_delay", json_integer(h->preskip));
	json_object_set_new(rec, "padding", json_integer((json_int_t)
	    s->end_trim));
	tags = json_object();
	set_str(tags, "vendor", t->vendor);
	for (k = 0; k < t->ncomments; k++) {
		if ((eq = strchr(t->comments[k], '=')) == NULL ||
		    (size_t)(eq - t->comments[k]) >= sizeof(key) ||
		    strncasecmp(t->comments[k], "CHAPTER", 7) == 0)
			continue;
		/* Vorbis comment names are case-blind: show them lower case. */
		for (n = 0; t->comments[k] + n < eq; n++)
			key[n] = (char)tolower((unsigned char)t->comments[k][n]);
		key[n] = '\0';
		set_str(tags, key, eq + 1);
	}
	json_object_set_new(rec, "tags", tags);
	/* A DATE with a time of day says when it was recorded. */
	if ((eq = sp_opus_tags_get(t, "DATE")) != NULL &&
	    strchr(eq, 'T') != NULL && sp_parse_instant(eq, "UTC", &at) == 0)
		json_object_set_new(rec, "started_at", json_string(
		    sp_fmt_instant(at, when)));
	if ((n = sp_opus_chapters(t, &c)) > 0) {
		ch = json_array();
		for (k = 0; k < n; k++)
			json_array_append_new(ch, json_pack("{s:f, s:s}",
			    "start", (double)c[k].ms / 1000, "title", c[k].name));
		json_object_set_new(rec, "chapters", ch);
		sp_opus_chapters_free(c, n);
	}
	if (s->bad_crc)
		warn_in(rec, "pages with a bad CRC");
	if (s->flags & (SP_OPUS_ESEQ | SP_OPUS_ELOST))
		warn_in(rec, "pages missing (sequence gaps)");
	if (s->flags & SP_OPUS_ETRUNC)
		warn_in(rec, "cut short: no end-of-stream page");
	if (s->flags & SP_OPUS_ECHAIN)
		warn_in(rec, "more than one logical stream; the first is "
		    "described");
	sp_opus_reader_free(r);
	return 0;
}

/*
 * Anything else the decoder reads (WAV, FLAC, MP3, Vorbis...).  When the
 * header does not give the length (an MP3 without a Xing tag), decode it
 * all to count: never an estimate from the size.
 */
static int
probe_other(struct sp_decoder *d, json_t *rec, char *err, size_t errlen)
{
	const struct sp_decode_info *i = sp_decode_info(d);

	json_object_set_new(rec, "container", json_string(i->format));
	json_object_set_new(rec, "codec", json_string(i->codec));
	json_object_set_new(rec, "sample_rate", json_integer(i->sample_rate));
	json_object_set_new(rec, "channels", json_integer(i->channels));
	if (sp_decode_count(d) != 0)
		return sp_fail(err, errlen, "%s", sp_decode_error(d));
	if (i->total_known)
		set_length(rec, i->total, i->sample_rate, 0);
	return 0;
}

/*
 * The ID3v2 tags at the start of fp (the first SP_ID3R_READMAX bytes of
 * each) and, with v1, an ID3v1 tag at its end, into t.  Returns the bytes
 * the ID3v2 tags take; *tail is 128 with an ID3v1 tag; *big is set when a
 * tag was read only in part, *cut when the file ends inside one.
 */
static uint64_t
read_id3(FILE *fp, int v1, struct sp_id3r *t, uint64_t *tail, int *big,
    int *cut)
{
	uint8_t head[10], last[128], *buf;
	uint64_t off = 0;
	size_t total, n, got;
	int i;

	*tail = 0;
	*big = *cut = 0;
	/* As the decoder's sniffer: tags after tags, up to 64 of them. */
	for (i = 0; i < 64; i++) {
		if (fseeko(fp, (off_t)off, SEEK_SET) != 0 ||
		    fread(head, 1, sizeof(head), fp) != sizeof(head) ||
		    sp_id3_size(head, sizeof(head), &total) != 0)
			break;
		n = total < SP_ID3R_READMAX ? total : SP_ID3R_READMAX;
		buf = sp_xmalloc(n);
		memcpy(buf, head, sizeof(head));
		got = sizeof(head) + fread(buf + sizeof(head), 1,
		    n - sizeof(head), fp);
		sp_id3r_parse(t, buf, got);
		free(buf);
		*big |= n < total;
		*cut |= got < n;
		off += total;
	}
	if (v1 && fseeko(fp, -(off_t)sizeof(last), SEEK_END) == 0 &&
	    fread(last, 1, sizeof(last), fp) == sizeof(last) &&
	    sp_id3r_v1(t, last, sizeof(last)) == 0)
		*tail = sizeof(last);
	return off;
}

/*
 * The average bitrate of an MPEG audio stream of the given bytes after
 * lead.  A Xing/Info or VBRI frame counts the frames and bytes after it:
 * exact when it agrees with the file.  Otherwise the bytes over the
 * decoded duration.  0 when neither is known.
 */
static double
mpeg_bitrate(FILE *fp, uint64_t lead, uint64_t bytes, double duration)
{
	uint8_t buf[8192];
	struct sp_mp3_info x;
	size_t n;

	if (fseeko(fp, (off_t)lead, SEEK_SET) == 0 &&
	    (n = fread(buf, 1, sizeof(buf), fp)) > 0 &&
	    sp_mp3_info(buf, n, &x) == 0 && x.kind[0] != '\0' &&
	    x.frames > 0 && x.bytes > x.frame.length &&
	    x.offset + x.bytes <= bytes)
		return (double)(x.bytes - x.frame.length) * 8 *
		    x.frame.sample_rate / ((double)x.frames * x.frame.samples);
	return duration > 0 ? (double)bytes * 8 / duration : 0;
}

/* X's tags in Spaces audio, summed up in hydra and started_at. */
static int
spaces_key(const char *k)
{
	return strcmp(k, "jsonmetadata") == 0 ||
	    strcmp(k, "hydraparticipants") == 0 ||
	    strcmp(k, "hydraaudiolevel") == 0;
}

/*
 * The ID3 tags of an ADTS, MP3 or other file: its tags and chapters in
 * the shapes of MP4 and Opus (chapters also with their end), and for MPEG
 * audio the bitrate.  The ADTS parser has its own warnings for its tags.
 */
static void
probe_id3(FILE *fp, json_t *rec, const char *format)
{
	struct sp_id3r t;
	json_t *tags, *ch, *c;
	const struct sp_id3r_chapter *p;
	uint64_t lead, tail, size;
	off_t end;
	double br;
	size_t k;
	int adts = strcmp(format, "adts") == 0, big, cut;
	int mpeg = strcmp(format, "mp3") == 0 || strcmp(format, "mp2") == 0 ||
	    strcmp(format, "mp1") == 0;

	sp_id3r_init(&t);
	lead = read_id3(fp, adts || mpeg, &t, &tail, &big, &cut);
	if (mpeg && fseeko(fp, 0, SEEK_END) == 0 && (end = ftello(fp)) > 0 &&
	    (size = (uint64_t)end) > lead + tail) {
		br = mpeg_bitrate(fp, lead, size - lead - tail,
		    json_number_value(json_object_get(rec, "duration")));
		if (br > 0)
			json_object_set_new(rec, "bitrate",
			    json_integer((json_int_t)llround(br)));
	}
	tags = json_object();
	for (k = 0; k < t.ntags; k++)
		if (!adts || !spaces_key(t.tags[k].key))
			set_str(tags, t.tags[k].key, t.tags[k].value);
	if (json_object_size(tags))
		json_object_set(rec, "tags", tags);
	json_decref(tags);
	if (t.nchapters) {
		ch = json_array();
		for (k = 0; k < t.nchapters; k++) {
			p = &t.chapters[k];
			c = json_pack("{s:f}", "start", p->start / 1000.0);
			/* FFFFFFFF: not given (as for the byte offsets). */
			if (p->end >= p->start && p->end != UINT32_MAX)
				json_object_set_new(c, "end",
				    json_real(p->end / 1000.0));
			json_object_set_new(c, "title", json_string(p->title));
			set_str(c, "url", p->url);
			json_array_append_new(ch, c);
		}
		json_object_set_new(rec, "chapters", ch);
	}
	if (!adts) {
		if (cut)
			warn_in(rec, "an ID3 tag runs past the end");
		if (big)
			warn_in(rec, "an ID3 tag over 16 MiB: only its first "
			    "16 MiB are read");
		if (t.errors & SP_ID3R_EBAD)
			warn_in(rec, "an ID3 tag is malformed; its frames "
			    "after the damage are passed over");
	}
	sp_id3r_release(&t);
}

/* Each speech stretch the segmenter finds, as a clip record. */
struct stretches {
	json_t		*clips;
	double		 rate;
	const char	*name;
};

static void
on_stretch(void *ctx, uint64_t start, uint64_t end)
{
	struct stretches *st = ctx;

	json_array_append_new(st->clips, json_pack("{s:s, s:I, s:f, s:f, s:s}",
	    "type", "clip", "index", (json_int_t)json_array_size(st->clips) +
	    1, "start", start / st->rate, "end", end / st->rate, "input",
	    st->name));
}

/* The loudness keys of rec, from r (silence has none: -inf). */
static void
set_loudness(json_t *rec, const struct sp_loudness_result *r)
{
	json_t *lo = json_object();

	set_real(lo, "integrated", r->integrated);
	set_real(lo, "range", r->range);
	set_real(lo, "true_peak", r->true_peak);
	set_real(lo, "sample_peak", r->sample_peak);
	json_object_set_new(rec, "loudness", lo);
}

/*
 * Loudness and the speech stretches, each measured on every core
 * (sp_measure_loudness, sp_measure_silences) when the input seeks; else,
 * or both on one core, in one decoding pass for both.
 */
static int
analyse(const char *path, const char *name, json_t *rec,
    const struct sp_probe_opts *o, json_t **clips, char *err, size_t errlen)
{
	struct sp_decoder *d = sp_decode_open(path, err, errlen);
	const struct sp_decode_info *i;
	struct sp_loudness *l = NULL;
	struct sp_segmenter *sg = NULL;
	struct sp_segment_params sp;
	struct sp_loudness_result lr;
	struct stretches st;
	uint64_t damaged = 0, more = 0;
	float *buf;
	long got;
	size_t frames = 4096;

	if (d == NULL)
		return -1;
	i = sp_decode_info(d);
	sp_segment_defaults(&sp);
	sp.threshold_db = o->threshold;
	sp.min_silence = o->min_silence;
	sp.min_speech = o->min_speech;
	st.rate = i->sample_rate;
	st.name = name;
	st.clips = *clips = o->silences ? json_array() : NULL;
	if (i->seekable && i->total_known && (sp_measure_jobs() > 1 ||
	    !(o->loudness && o->silences))) {
		sp_decode_close(d);
		if (o->loudness && sp_measure_loudness(path, 0, NULL, NULL,
		    &lr, &damaged, err, errlen) != 0)
			goto fail;
		if (o->silences && sp_measure_silences(path, &sp, on_stretch,
		    &st, &more, err, errlen) != 0)
			goto fail;
		if (o->loudness)
			set_loudness(rec, &lr);
		if (damaged || more)
			warn_in(rec, "AAC frames that failed to decode (as "
			    "silence)");
		return 0;
	}
	if (o->loudness &&
	    (l = sp_loudness_new(i->channels, i->sample_rate, 0)) == NULL) {
		/* i belongs to d: say what it held before closing d. */
		sp_fail(err, errlen, "cannot measure loudness at %u Hz, "
		    "%u channels", i->sample_rate, i->channels);
		sp_decode_close(d);
		goto fail;
	}
	if (o->silences && (sg = sp_segment_new(i->channels, i->sample_rate,
	    &sp, on_stretch, &st)) == NULL) {
		sp_loudness_free(l);
		sp_decode_close(d);
		sp_fail(err, errlen, "bad silence parameters");
		goto fail;
	}
	buf = sp_xcalloc(frames * i->channels, sizeof(*buf));
	while ((got = sp_decode_read(d, buf, frames)) > 0) {
		if (l)
			sp_loudness_add(l, buf, (size_t)got);
		if (sg)
			sp_segment_add(sg, buf, (size_t)got);
	}
	free(buf);
	if (sg) {
		sp_segment_finish(sg);
		sp_segment_free(sg);
	}
	if (got < 0) {
		sp_fail(err, errlen, "%s", sp_decode_error(d));
		sp_loudness_free(l);
		sp_decode_close(d);
		goto fail;
	}
	if (l) {
		sp_loudness_get(l, &lr);
		set_loudness(rec, &lr);
		sp_loudness_free(l);
	}
	if (sp_decode_damaged(d))
		warn_in(rec, "AAC frames that failed to decode (as silence)");
	sp_decode_close(d);
	return 0;
fail:
	/* No record, so no stretches either: the caller gets NULL. */
	json_decref(*clips);
	*clips = NULL;
	return -1;
}

json_t *
sp_probe(const char *path, const char *name, const struct sp_probe_opts *o,
    json_t **clips, char *err, size_t errlen)
{
	struct sp_decoder *d;
	struct stat st;
	const char *format;
	json_t *rec;
	FILE *fp;
	int rc = 0;

	/*
	 * Video (MP4 with H.264, MPEG-TS) has a reader of its own; its
	 * audio is analysed when the decoder can read it.  It seeks: a pipe
	 * named as a path is left to the decoder, which keeps it.
	 */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    sp_vprobe_is_video(path) == 1) {
		if ((rec = sp_vprobe(path, name, err, errlen)) == NULL ||
		    !(o->loudness || o->silences))
			return rec;
		if (strcmp(sp_json_str(rec, "container"), "mpegts") == 0)
			sp_fail(err, errlen, "the audio of an MPEG-TS is not "
			    "decoded: remux it to .m4a first");
		else if (analyse(path, name, rec, o, clips, err, errlen) == 0)
			return rec;
		json_decref(rec);
		return NULL;
	}
	/* The decoder sniffs the content; the container readers say more. */
	if ((d = sp_decode_open(path, err, errlen)) == NULL)
		return NULL;
	format = sp_decode_info(d)->format;
	rec = sp_rec_new("media", NULL);
	json_object_set_new(rec, "path", json_string(name));
	if ((fp = fopen(path, "rb")) == NULL)
		rc = sp_fail(err, errlen, "cannot open: %s", strerror(errno));
	else {
		if (strcmp(format, "adts") == 0)
			rc = probe_adts(fp, rec, err, errlen);
		else if (strcmp(format, "mp4") == 0)
			rc = probe_mp4(fp, rec, err, errlen);
		else if (strcmp(format, "opus") == 0)
			rc = probe_opus(fp, rec, err, errlen);
		else
			rc = probe_other(d, rec, err, errlen);
		/* MP4 and Opus have tags of their own; the rest may be ID3. */
		if (rc == 0 && strcmp(format, "mp4") != 0 &&
		    strcmp(format, "opus") != 0)
			probe_id3(fp, rec, format);
		fclose(fp);
	}
	sp_decode_close(d);
	if (rc == 0 && (o->loudness || o->silences))
		rc = analyse(path, name, rec, o, clips, err, errlen);
	if (rc != 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

int
sp_probe_recorded(const char *path, int64_t *ms)
{
	struct sp_probe_opts o;
	struct sp_decoder *d;
	const char *at;
	char err[256];
	json_t *rec;
	int rc = -1, says;

	/* Only these say it: the others are not read (an MP3 without a
	 * Xing frame would be decoded to count it). */
	if ((d = sp_decode_open(path, NULL, 0)) == NULL)
		return -1;
	says = strcmp(sp_decode_info(d)->format, "adts") == 0 ||
	    strcmp(sp_decode_info(d)->format, "mp4") == 0 ||
	    strcmp(sp_decode_info(d)->format, "opus") == 0;
	sp_decode_close(d);
	memset(&o, 0, sizeof(o));
	if (!says ||
	    (rec = sp_probe(path, path, &o, NULL, err, sizeof(err))) == NULL)
		return -1;
	if ((at = sp_json_str(rec, "started_at")) != NULL &&
	    sp_parse_instant(at, "UTC", ms) == 0)
		rc = 0;
	json_decref(rec);
	return rc;
}
