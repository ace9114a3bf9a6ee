/* cut: lossless, sample-exact cuts of AAC (ADTS, M4A) and Ogg Opus. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "adts.h"
#include "cut.h"
#include "mp4.h"
#include "oggopus.h"
#include "xalloc.h"
#include "banned.h"

/*
 * AAC is laid on lib/decode's virtual timeline of AAC_FRAME samples per
 * frame, whatever the container: ADTS sample s is timeline s; MP4
 * sample s is timeline s + vstart, the edit's media time.  A cut's output
 * starts one frame before the frame holding start, so its edit skips
 * (start + vstart) - frame_start(f0): between 1024 and 2047 samples, or
 * start itself when the cut begins in frame 0 (whose first half ffmpeg
 * outputs un-overlapped, and the source does the same).
 */
#define AAC_FRAME	1024
#define AAC_MAXAU	8192	/* an ADTS frame_length is 13 bits */
#define READ_CHUNK	65536
#define SNIFF_SPAN	4096	/* junk looked through before a sync */

enum { K_ADTS = 1, K_MP4, K_OPUS };

struct sp_cut_source {
	int		 kind;
	FILE		*fp;
	unsigned	 rate, channels;
	uint64_t	 total;
	/* ADTS: every frame's offset, and the first frame's header. */
	uint64_t	*off;
	uint64_t	 nframes, capframes;
	struct sp_adts_frame first;
	int		 mixed;		/* frames unlike the first */
	int		 multi;		/* frames of several raw blocks */
	/* MP4. */
	struct sp_mp4	*mp4;
	uint64_t	 vstart;	/* timeline sample of source sample 0 */
	uint8_t		*au;		/* max_sample bytes */
	/* Opus: the headers; packets are read again for each cut. */
	struct sp_opus_head head;
	char		*vendor;
	int64_t		 g0;		/* granule where the audio starts */
};

/* Up to n bytes at offset off: how many were read (0 on error). */
static size_t
read_at(FILE *fp, uint64_t off, void *buf, size_t n)
{
	if (off > INT64_MAX || fseeko(fp, (off_t)off, SEEK_SET) != 0)
		return 0;
	return fread(buf, 1, n, fp);
}

/* ---- Sniffing and indexing ---- */

/*
 * Do ADTS frames start at off: three in a row alike, or fewer ending
 * where the file ends or an ID3 tag starts?  MP3 data holds chance syncs;
 * a chain does not happen by chance (the rule lib/decode sniffs by).
 */
static int
adts_chain(FILE *fp, uint64_t off)
{
	uint8_t b[16];
	struct sp_adts_frame f, g;
	size_t k;
	int i;

	if ((k = read_at(fp, off, b, 10)) < 7 || sp_adts_header(b, k, &f) != 0)
		return 0;
	for (i = 0; i < 2; i++) {
		off += f.length;
		k = read_at(fp, off - 1, b, 11);
		if (k == 1)
			return 1;		/* the end, exactly */
		if (k < 2)
			return 0;
		if (k >= 4 && memcmp(b + 1, "ID3", 3) == 0)
			return 1;
		if (sp_adts_header(b + 1, k - 1, &g) != 0 ||
		    g.sr_index != f.sr_index || g.chan_config != f.chan_config)
			return 0;
		f = g;
	}
	return 1;
}

static int
sniff_adts(FILE *fp)
{
	uint8_t b[SNIFF_SPAN];
	struct sp_adts_frame f;
	uint64_t off = 0;
	size_t k, i, tag;
	int ntags;

	for (ntags = 0; ntags < 64; ntags++) {
		if ((k = read_at(fp, off, b, 10)) < 10 ||
		    sp_id3_size(b, k, &tag) != 0)
			break;
		off += tag;
	}
	k = read_at(fp, off, b, sizeof(b));
	for (i = 0; i + 7 <= k; i++)
		if (b[i] == 0xFF && (b[i + 1] & 0xF6) == 0xF0 &&
		    sp_adts_header(b + i, k - i, &f) == 0 &&
		    adts_chain(fp, off + i))
			return 1;
	return 0;
}

static void
on_frame(void *ctx, uint64_t offset, const struct sp_adts_frame *f,
    const uint8_t *data)
{
	struct sp_cut_source *s = ctx;

	(void)data;
	if (s->nframes == 0)
		s->first = *f;
	else if (f->sr_index != s->first.sr_index ||
	    f->chan_config != s->first.chan_config ||
	    f->profile != s->first.profile)
		s->mixed = 1;
	if (f->blocks != 1)
		s->multi = 1;
	if (s->nframes == s->capframes) {
		s->capframes = s->capframes ? 2 * s->capframes : 1024;
		s->off = sp_xreallocarray(s->off, s->capframes,
		    sizeof(*s->off));
	}
	s->off[s->nframes++] = offset;
}

static int
open_adts(struct sp_cut_source *s, char *err, size_t errlen)
{
	struct sp_adts *p = sp_xmalloc(sizeof(*p));
	uint8_t *buf = sp_xmalloc(READ_CHUNK);
	size_t k;
	int rc = -1;

	sp_adts_init(p);
	p->ctx = s;
	p->on_frame = on_frame;
	if (fseeko(s->fp, 0, SEEK_SET) != 0)
		goto rderr;
	while ((k = fread(buf, 1, READ_CHUNK, s->fp)) > 0)
		sp_adts_feed(p, buf, k);
	if (ferror(s->fp))
		goto rderr;
	if (sp_adts_finish(p) != 0 || s->nframes == 0) {
		sp_fail(err, errlen, "not AAC or Opus: it needs --reencode");
		goto out;
	}
	s->rate = s->first.sample_rate;
	s->channels = s->first.channels;
	s->total = s->nframes * AAC_FRAME;
	rc = 0;
	goto out;
rderr:
	sp_fail(err, errlen, "read error: %s", strerror(errno));
out:
	free(buf);
	free(p);
	return rc;
}

static int
open_mp4(struct sp_cut_source *s, char *err, size_t errlen)
{
	const struct sp_mp4_info *mi;
	char e[200];
	uint64_t vend;

	if (fseeko(s->fp, 0, SEEK_SET) != 0) {
		sp_fail(err, errlen, "read error: %s", strerror(errno));
		return -1;
	}
	if ((s->mp4 = sp_mp4_open(s->fp, e, sizeof(e))) == NULL) {
		sp_fail(err, errlen, "%s", e);
		return -1;
	}
	mi = sp_mp4_info(s->mp4);
	if (mi->sample_rate == 0 || mi->channels == 0 || mi->timescale == 0 ||
	    mi->nsamples == 0) {
		sp_fail(err, errlen, "unsupported AAC track (%u Hz, %u "
		    "channels, %" PRIu64 " frames)", mi->sample_rate,
		    mi->channels, mi->nsamples);
		return -1;
	}
	/* The same window lib/decode decodes. */
	s->vstart = mi->has_edit && mi->edit_media_time > 0 ?
	    (uint64_t)mi->edit_media_time : 0;
	if (mi->timescale != mi->sample_rate)
		s->vstart = (uint64_t)((long double)s->vstart *
		    mi->sample_rate / mi->timescale);
	vend = s->vstart + mi->duration_samples;
	if (vend > mi->nsamples * AAC_FRAME)
		vend = mi->nsamples * AAC_FRAME;
	if (s->vstart > vend)
		s->vstart = vend;
	s->total = vend - s->vstart;
	s->rate = mi->sample_rate;
	s->channels = mi->channels;
	s->au = sp_xmalloc(mi->max_sample ? mi->max_sample : 1);
	return 0;
}

static int
open_opus(struct sp_cut_source *s, char *err, size_t errlen)
{
	struct sp_opus_reader *rd;
	struct sp_opus_packet p;
	const struct sp_opus_summary *sum;
	const char *e;
	int rc = -1;

	if (fseeko(s->fp, 0, SEEK_SET) != 0) {
		sp_fail(err, errlen, "read error: %s", strerror(errno));
		return -1;
	}
	rd = sp_opus_reader_file(s->fp);
	if ((e = sp_opus_reader_error(rd)) == NULL) {
		s->head = *sp_opus_reader_head(rd);
		s->vendor = sp_xstrdup(sp_opus_reader_tags(rd)->vendor ?
		    sp_opus_reader_tags(rd)->vendor : "");
		while (sp_opus_next(rd, &p) == 1)
			;
		e = sp_opus_reader_error(rd);
	}
	sum = sp_opus_reader_summary(rd);
	if (e != NULL)
		sp_fail(err, errlen, "%s", e);
	else if (sum->packets == 0)
		sp_fail(err, errlen, "no Opus audio packet");
	else {
		s->g0 = sum->start_granule;
		s->total = sum->samples > 0 ? (uint64_t)sum->samples : 0;
		s->rate = 48000;
		s->channels = s->head.channels;
		rc = 0;
	}
	sp_opus_reader_free(rd);
	return rc;
}

struct sp_cut_source *
sp_cut_open(const char *path, char *err, size_t errlen)
{
	struct sp_cut_source *s;
	uint8_t b[64];
	size_t k;
	int rc;

	s = sp_xcalloc(1, sizeof(*s));
	if ((s->fp = fopen(path, "rb")) == NULL) {
		sp_fail(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
		free(s);
		return NULL;
	}
	k = fread(b, 1, sizeof(b), s->fp);
	if (ferror(s->fp)) {
		sp_fail(err, errlen, "read error: %s", strerror(errno));
		rc = -1;
	} else if (sp_opus_sniff(b, k)) {
		s->kind = K_OPUS;
		rc = open_opus(s, err, errlen);
	} else if (sp_mp4_sniff(b, k)) {
		s->kind = K_MP4;
		rc = open_mp4(s, err, errlen);
	} else if (k >= 4 && memcmp(b, "OggS", 4) != 0 && sniff_adts(s->fp)) {
		s->kind = K_ADTS;
		rc = open_adts(s, err, errlen);
	} else {
		sp_fail(err, errlen, "not AAC or Opus: it needs --reencode");
		rc = -1;
	}
	if (rc != 0) {
		sp_cut_close(s);
		return NULL;
	}
	return s;
}

void
sp_cut_close(struct sp_cut_source *s)
{
	if (s == NULL)
		return;
	if (s->mp4)
		sp_mp4_close(s->mp4);
	if (s->fp)
		fclose(s->fp);
	free(s->off);
	free(s->au);
	free(s->vendor);
	free(s);
}

const char *
sp_cut_codec(const struct sp_cut_source *s)
{
	return s->kind == K_OPUS ? "opus" : "aac";
}

const char *
sp_cut_format(const struct sp_cut_source *s)
{
	return s->kind == K_OPUS ? "opus" : s->kind == K_MP4 ? "mp4" : "adts";
}

unsigned
sp_cut_rate(const struct sp_cut_source *s)
{
	return s->rate;
}

unsigned
sp_cut_channels(const struct sp_cut_source *s)
{
	return s->channels;
}

uint64_t
sp_cut_total(const struct sp_cut_source *s)
{
	return s->total;
}

/* ---- AAC ---- */

/*
 * Access unit f (on the timeline: ADTS frame f, MP4 sample f) into
 * *au, *len; for ADTS, *frame and *flen hold the whole frame.  buf holds
 * AAC_MAXAU bytes.  0, or -1 with err.
 */
static int
aac_unit(struct sp_cut_source *s, uint64_t f, uint8_t *buf,
    const uint8_t **au, size_t *len, const uint8_t **frame, size_t *flen,
    char *err, size_t errlen)
{
	struct sp_adts_frame h;
	long n;

	if (s->kind == K_MP4) {
		n = sp_mp4_read_sample(s->mp4, f, s->au,
		    sp_mp4_info(s->mp4)->max_sample);
		if (n <= 0) {
			sp_fail(err, errlen, "cannot read AAC frame %" PRIu64
			    ": %s", f, n < 0 && errno ? strerror(errno) :
			    "short read");
			return -1;
		}
		*au = s->au;
		*len = (size_t)n;
		return 0;
	}
	/* The index holds only frames the parser accepted whole. */
	if ((n = (long)read_at(s->fp, s->off[f], buf, 9)) < 7 ||
	    sp_adts_header(buf, (size_t)n, &h) != 0 ||
	    read_at(s->fp, s->off[f], buf, h.length) != h.length) {
		sp_fail(err, errlen, "cannot read ADTS frame %" PRIu64 ": %s",
		    f, ferror(s->fp) ? strerror(errno) : "changed on disk");
		return -1;
	}
	*frame = buf;
	*flen = h.length;
	if (sp_mp4_adts_au(buf, h.length, au, len, NULL) != 0) {
		sp_fail(err, errlen, "ADTS frame %" PRIu64 " holds %u raw "
		    "data blocks: it needs --reencode", f, h.blocks);
		return -1;
	}
	return 0;
}

/*
 * A silent access unit for s's layout into buf, *len its size: 0, or -1
 * with err when s is not AAC-LC in a standard channel layout.
 */
static int
silent_unit(const struct sp_cut_source *s, uint8_t buf[SP_AAC_SILENT_MAX],
    size_t *len, char *err, size_t errlen)
{
	const struct sp_mp4_info *mi;
	unsigned ot = 0, rate, ch = 0;

	if (s->kind == K_MP4) {
		mi = sp_mp4_info(s->mp4);
		if (sp_mp4_asc_parse(mi->asc, mi->asc_len, &ot, &rate,
		    &ch) != 0)
			ot = 0;
	} else if (!s->mixed) {
		ot = s->first.profile + 1;
		ch = s->first.channels;
	}
	if (ot != 2 || (*len = sp_aac_silent(ch == 8 ? 7 : ch, buf)) == 0) {
		sp_fail(err, errlen, "muting is lossless for AAC-LC in a "
		    "standard channel layout only: it needs --reencode");
		return -1;
	}
	return 0;
}

/* Frame f feeds the output of frames f and f + 1: is either muted? */
static int
muted(const struct sp_cut_source *s, const struct sp_cut_meta *meta,
    uint64_t f)
{
	uint64_t a = f * AAC_FRAME, b = (f + 2) * AAC_FRAME;

	if (meta == NULL || meta->mute == NULL || meta->mute->n == 0)
		return 0;
	a = a > s->vstart ? a - s->vstart : 0;
	b = b > s->vstart ? b - s->vstart : 0;
	return sp_ranges_meet(meta->mute, a, b);
}

static void
m4a_meta(struct sp_mp4_writer *w, const struct sp_cut_meta *meta,
    unsigned rate, uint64_t len)
{
	size_t i;
	double t;

	if (meta == NULL)
		return;
	sp_mp4_writer_tag(w, SP_MP4_TITLE, meta->title);
	sp_mp4_writer_tag(w, SP_MP4_ARTIST, meta->artist);
	sp_mp4_writer_tag(w, SP_MP4_ALBUM, meta->album);
	sp_mp4_writer_tag(w, SP_MP4_COMMENT, meta->comment);
	sp_mp4_writer_tag(w, SP_MP4_DATE, meta->date);
	sp_mp4_writer_time(w, meta->time);
	for (i = 0; meta->chapters && i < meta->chapters->n; i++) {
		t = meta->chapters->v[i].start * rate;
		/* No place for a hidden one in chpl or the chapter track. */
		if (!(t >= 0) || t >= (double)len ||
		    meta->chapters->v[i].hidden)
			continue;
		sp_mp4_writer_chapter(w, (uint64_t)llround(t),
		    meta->chapters->v[i].title ? meta->chapters->v[i].title :
		    "");
	}
}

static int
cut_m4a(struct sp_cut_source *s, uint64_t start, uint64_t end,
    const struct sp_cut_meta *meta, FILE *fp, char *err, size_t errlen)
{
	struct sp_mp4_writer *w;
	const struct sp_mp4_info *mi;
	uint8_t asc[SP_MP4_ASCMAX], *buf, silent[SP_AAC_SILENT_MAX];
	const uint8_t *ascp, *au, *frame;
	size_t asc_len, len, flen, silent_len = 0;
	uint64_t a = start + s->vstart, b = end - 1 + s->vstart, f0, f;
	int rc = -1;

	if (s->kind == K_MP4) {
		mi = sp_mp4_info(s->mp4);
		ascp = mi->asc;
		asc_len = mi->asc_len;
	} else {
		if (s->mixed || s->first.channels == 0) {
			sp_fail(err, errlen, "%s: it needs --reencode",
			    s->mixed ? "the ADTS stream changes format" :
			    "ADTS channel configuration 0 (a PCE)");
			return -1;
		}
		asc_len = sp_mp4_asc_make(asc, sizeof(asc),
		    s->first.profile + 1, s->first.sample_rate,
		    s->first.channels);
		ascp = asc;
	}
	if (meta && meta->mute && meta->mute->n > 0 &&
	    silent_unit(s, silent, &silent_len, err, errlen) != 0)
		return -1;
	if ((w = sp_mp4_writer_new(ascp, asc_len, err, errlen)) == NULL)
		return -1;
	/* One frame of warm-up for the overlap, unless the cut begins in
	 * frame 0. */
	f0 = a / AAC_FRAME > 0 ? a / AAC_FRAME - 1 : 0;
	buf = sp_xmalloc(AAC_MAXAU);
	for (f = f0; f <= b / AAC_FRAME; f++) {
		if (muted(s, meta, f)) {
			au = silent;
			len = silent_len;
		} else if (aac_unit(s, f, buf, &au, &len, &frame, &flen, err,
		    errlen) != 0)
			goto out;
		if (sp_mp4_writer_add(w, au, len, AAC_FRAME) != 0) {
			sp_fail(err, errlen, "cannot keep AAC frame %" PRIu64
			    " in a temporary file: %s", f, strerror(errno));
			rc = -2;
			goto out;
		}
	}
	sp_mp4_writer_edit(w, a - f0 * AAC_FRAME, end - start);
	m4a_meta(w, meta, s->rate, end - start);
	rc = sp_mp4_writer_finish(w, fp, err, errlen);
out:
	free(buf);
	sp_mp4_writer_free(w);
	return rc;
}

/* An ADTS header for an access unit of len bytes from an MP4 track. */
static int
adts_header(uint8_t h[7], unsigned object_type, unsigned rate,
    unsigned channels, size_t len)
{
	unsigned i, cc = channels == 8 ? 7 : channels;
	size_t n = len + 7;

	for (i = 0; i < 13 && sp_adts_rate(i) != rate; i++)
		;
	if (i == 13 || object_type < 1 || object_type > 4 || cc < 1 ||
	    cc > 7 || n > 8191)
		return -1;
	h[0] = 0xFF;
	h[1] = 0xF1;		/* MPEG-4, layer 0, no CRC */
	h[2] = (uint8_t)(((object_type - 1) << 6) | (i << 2) | (cc >> 2));
	h[3] = (uint8_t)(((cc & 3) << 6) | (n >> 11));
	h[4] = (uint8_t)((n >> 3) & 0xFF);
	h[5] = (uint8_t)(((n & 7) << 5) | 0x1F);	/* fullness 0x7FF */
	h[6] = 0xFC;		/* ...and one raw data block */
	return 0;
}

static int
cut_adts(struct sp_cut_source *s, uint64_t start, uint64_t end,
    const struct sp_cut_meta *meta, FILE *fp, struct sp_cut_result *r,
    char *err, size_t errlen)
{
	const struct sp_mp4_info *mi = s->mp4 ? sp_mp4_info(s->mp4) : NULL;
	unsigned ot = 0, rate = 0, ch = 0;
	uint64_t k0 = (start + s->vstart) / AAC_FRAME;
	uint64_t k1 = (end - 1 + s->vstart) / AAC_FRAME, f, t;
	const uint8_t *au, *frame;
	uint8_t *buf, h[7], silent[SP_AAC_SILENT_MAX];
	size_t len, flen, silent_len = 0;
	int rc = -1;

	if (mi != NULL && sp_mp4_asc_parse(mi->asc, mi->asc_len, &ot, &rate,
	    &ch) != 0) {
		sp_fail(err, errlen, "unreadable AudioSpecificConfig");
		return -1;
	}
	if (meta && meta->mute && meta->mute->n > 0 &&
	    silent_unit(s, silent, &silent_len, err, errlen) != 0)
		return -1;
	buf = sp_xmalloc(AAC_MAXAU);
	for (f = k0; f <= k1; f++) {
		if (muted(s, meta, f)) {
			/* A silent frame with the layout's own header. */
			if (adts_header(h, 2, mi ? rate : s->first.sample_rate,
			    mi ? ch : s->first.channels, silent_len) != 0 ||
			    fwrite(h, 1, 7, fp) != 7 ||
			    fwrite(silent, 1, silent_len, fp) != silent_len)
				goto werr;
			continue;
		}
		if (aac_unit(s, f, buf, &au, &len, &frame, &flen, err,
		    errlen) != 0)
			goto out;
		if (mi != NULL) {
			if (adts_header(h, ot, rate, ch, len) != 0) {
				sp_fail(err, errlen, "AAC object type %u, %u "
				    "Hz, %u channels: not expressible as "
				    "ADTS", ot, rate, ch);
				goto out;
			}
			if (fwrite(h, 1, 7, fp) != 7 ||
			    fwrite(au, 1, len, fp) != len)
				goto werr;
		} else if (fwrite(frame, 1, flen, fp) != flen)
			goto werr;
	}
	/* In source samples, clamped: an MP4's priming and padding lie
	 * outside [0, total]. */
	t = k0 * AAC_FRAME;
	r->start = t > s->vstart ? t - s->vstart : 0;
	t = (k1 + 1) * AAC_FRAME;
	r->end = t > s->vstart ? t - s->vstart : 0;
	if (r->end > s->total)
		r->end = s->total;
	r->out_samples = (k1 - k0 + 1) * AAC_FRAME;
	r->exact = 0;
	rc = 0;
	goto out;
werr:
	sp_fail(err, errlen, "write error: %s", strerror(errno));
out:
	free(buf);
	return rc;
}

/* ---- Opus ---- */

static void
opus_meta(struct sp_opus_tags *t, const struct sp_cut_meta *meta,
    uint64_t len)
{
	static const char *names[] = { "TITLE", "ARTIST", "ALBUM",
	    "DESCRIPTION", "DATE" };
	const char *v[5];
	size_t i;

	if (meta == NULL)
		return;
	v[0] = meta->title;
	v[1] = meta->artist;
	v[2] = meta->album;
	v[3] = meta->comment;
	v[4] = meta->date;
	for (i = 0; i < 5; i++)
		if (v[i] != NULL && *v[i] != '\0')
			sp_opus_tags_add(t, names[i], v[i]);
	sp_opus_tags_add_chapters(t, meta->chapters, (double)len / 48000);
}

/*
 * RFC 7845's recipe (audio.md 1.2), streaming over the packets: with gS
 * and gE the granules of start and end, begin at the last packet
 * starting at or before gS - 80 ms (or the first packet), pre-skip the
 * difference, end at the first packet reaching gE and trim it with the
 * final granule.  Packets start where the one before ended (a trimmed
 * last packet too), so a packet starting at or before the pre-roll point
 * and ending after it is the one to begin with.
 */
static int
cut_opus(struct sp_cut_source *s, uint64_t start, uint64_t end,
    const struct sp_cut_meta *meta, FILE *fp, char *err, size_t errlen)
{
	struct sp_opus_reader *rd;
	struct sp_opus_writer *w = NULL;
	struct sp_opus_packet p;
	struct sp_opus_head h = s->head;
	struct sp_opus_tags t;
	int64_t gS = s->g0 + (int64_t)s->head.preskip + (int64_t)start;
	int64_t gE = s->g0 + (int64_t)s->head.preskip + (int64_t)end;
	int64_t roll = gS - SP_OPUS_PREROLL, pstart, prev = 0, pre = 0;
	const char *e;
	int rc = -1;

	if (fseeko(s->fp, 0, SEEK_SET) != 0) {
		sp_fail(err, errlen, "read error: %s", strerror(errno));
		return -1;
	}
	memset(&p, 0, sizeof(p));
	sp_opus_tags_init(&t);
	sp_opus_tags_set_vendor(&t, s->vendor);
	opus_meta(&t, meta, end - start);
	rd = sp_opus_reader_file(s->fp);
	while ((e = sp_opus_reader_error(rd)) == NULL &&
	    sp_opus_next(rd, &p) == 1) {
		/* A trimmed last packet starts where the one before ended. */
		pstart = p.last && p.index > 0 ? prev : p.granule - p.duration;
		prev = p.granule;
		if (w == NULL) {
			if (p.granule <= roll)
				continue;
			pre = gS - pstart;
			if (pre < 0 || pre > 65535) {
				sp_fail(err, errlen, "pre-skip %" PRId64 " out "
				    "of range (the stream's granules are "
				    "inconsistent)", pre);
				goto out;
			}
			h.preskip = (unsigned)pre;
			if ((w = sp_opus_writer_new(fp, &h, &t, 0, 0)) ==
			    NULL)
				goto werr;
		}
		if (sp_opus_writer_packet(w, p.data, p.len, p.duration) != 0)
			goto werr;
		if (p.granule >= gE)
			break;
	}
	if (e != NULL || (e = sp_opus_reader_error(rd)) != NULL) {
		sp_fail(err, errlen, "%s", e);
		goto out;
	}
	if (w == NULL || p.granule < gE) {
		sp_fail(err, errlen, "the Opus stream ended before sample %"
		    PRIu64, end);
		goto out;
	}
	if (sp_opus_writer_finish(w, pre + (int64_t)(end - start)) != 0)
		goto werr;
	rc = 0;
	goto out;
werr:
	sp_fail(err, errlen, "write error: %s", strerror(errno));
out:
	sp_opus_writer_free(w);
	sp_opus_reader_free(rd);
	sp_opus_tags_release(&t);
	return rc;
}

/* ---- The cut ---- */

int
sp_cut(struct sp_cut_source *s, const char *kind, uint64_t start,
    uint64_t end, const struct sp_cut_meta *meta, FILE *fp,
    struct sp_cut_result *r, char *err, size_t errlen)
{
	int aac = s->kind != K_OPUS, rc;

	if (start >= end) {
		sp_fail(err, errlen, "the start (%" PRIu64 ") is not before "
		    "the end (%" PRIu64 ")", start, end);
		return -1;
	}
	if (end > s->total) {
		sp_fail(err, errlen, "the end (%" PRIu64 " samples, %.3f s) is "
		    "past the end of the input: it lasts %" PRIu64 " samples "
		    "(%.3f s)", end, (double)end / s->rate, s->total,
		    (double)s->total / s->rate);
		return -1;
	}
	if (strcmp(kind, "aac") == 0 && aac) {
		if ((rc = cut_adts(s, start, end, meta, fp, r, err,
		    errlen)) != 0)
			return ferror(fp) ? -2 : -1;
		return 0;
	}
	if (strcmp(kind, "m4a") == 0 && aac)
		rc = cut_m4a(s, start, end, meta, fp, err, errlen);
	else if (strcmp(kind, "opus") == 0 && !aac && meta && meta->mute &&
	    meta->mute->n > 0) {
		sp_fail(err, errlen, "muting Opus needs --reencode");
		return -1;
	} else if (strcmp(kind, "opus") == 0 && !aac)
		rc = cut_opus(s, start, end, meta, fp, err, errlen);
	else {
		sp_fail(err, errlen, "%s input cannot become %s losslessly: "
		    "it needs --reencode", sp_cut_codec(s), kind);
		return -1;
	}
	if (rc != 0)
		return rc == -2 || ferror(fp) ? -2 : -1;
	r->start = start;
	r->end = end;
	r->out_samples = end - start;
	r->exact = 1;
	return 0;
}
