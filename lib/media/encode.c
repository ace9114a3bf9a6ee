/* encode: interleaved float PCM to Ogg Opus, MP3, FLAC or WAV, streaming. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <opus.h>
#include <samplerate.h>
#include <sndfile.h>

#include "encode.h"
#include "oggopus.h"
#include "xalloc.h"
#include "banned.h"

#define OPUS_RATE	48000
#define OPUS_FRAME	960		/* 20 ms at 48 kHz */
#define OPUS_MAXBYTES	1500		/* > 1275, the most one frame takes */
#define SRC_BLOCK	4096		/* resampler output, frames */

/*
 * libsndfile's virtual I/O over the caller's FILE.  Offsets are counted
 * from where fp stood at the start (after an ID3 tag, say).  On a pipe a
 * seek to the end is a no-op and any other fails; what libsndfile or
 * libFLAC write after such a failed seek (a header to be patched in
 * place) is dropped until a seek back to the end, so the stream stays
 * intact and only the patch is lost.
 */
struct vio {
	FILE		*fp;
	int		 seekable;
	off_t		 base;		/* fp's offset at the start */
	sf_count_t	 pos;		/* ours, from base */
	sf_count_t	 end;		/* the furthest written */
	int		 detached;	/* pipe: writes go nowhere */
	int		 werr;		/* errno of the first write error */
	/* A copy of what is written below nhead, for FLAC's comments: the
	 * file may be open for writing only. */
	uint8_t		*head;
	sf_count_t	 nhead;
};

struct sp_encoder {
	enum sp_enc_format fmt;
	FILE		*fp;
	unsigned	 rate, channels;
	int		 failed;	/* sticky */
	int		 finished;
	char		 err[256];
	uint64_t	 in;		/* frames given */

	/* Opus */
	OpusEncoder	*opus;
	struct sp_opus_writer *ow;
	SRC_STATE	*src;
	float		*frame;		/* OPUS_FRAME x channels */
	size_t		 fill;		/* frames in it */
	float		*rs;		/* SRC_BLOCK x channels */
	uint64_t	 out;		/* 48 kHz frames sent to the encoder */
	uint64_t	 limit;		/* at most this many (at the end) */
	unsigned	 preskip;
	uint8_t		 pkt[OPUS_MAXBYTES];

	/* libsndfile */
	SNDFILE		*sf;
	struct vio	 io;
	int		 fd_mode;	/* writing to fileno(fp) */
	/* FLAC: the Vorbis comments after the vendor (their count, then
	 * each with its length), put in place at finish. */
	uint8_t		*vc;
	size_t		 vc_len;
};

static void
fail(struct sp_encoder *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
fail(struct sp_encoder *e, const char *fmt, ...)
{
	va_list ap;

	if (e->failed)
		return;			/* keep the first cause */
	e->failed = 1;
	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
}

static void
fail_write(struct sp_encoder *e, int errnum)
{
	fail(e, "write error: %s", strerror(errnum ? errnum : EIO));
}

/* A write error seen by our callbacks or by stdio. */
static int
check_io(struct sp_encoder *e)
{
	if (e->io.werr) {
		fail_write(e, e->io.werr);
		return -1;
	}
	if (ferror(e->fp)) {
		fail_write(e, errno);
		return -1;
	}
	return 0;
}

/* ---- libsndfile virtual I/O ---- */

static sf_count_t
vio_filelen(void *u)
{
	struct vio *v = u;

	return v->end;
}

static sf_count_t
vio_seek(sf_count_t off, int whence, void *u)
{
	struct vio *v = u;
	sf_count_t to;

	switch (whence) {
	case SEEK_SET:
		to = off;
		break;
	case SEEK_CUR:
		to = v->pos + off;
		break;
	case SEEK_END:
		to = v->end + off;
		break;
	default:
		return -1;
	}
	if (to < 0)
		return -1;
	if (!v->seekable) {
		if (to == v->end) {
			v->detached = 0;
			v->pos = to;
			return to;
		}
		v->detached = 1;
		v->pos = to;
		return -1;
	}
	if (fseeko(v->fp, v->base + (off_t)to, SEEK_SET) != 0)
		return -1;
	v->pos = to;
	return to;
}

static sf_count_t
vio_read(void *ptr, sf_count_t n, void *u)
{
	(void)ptr;
	(void)n;
	(void)u;
	return 0;			/* write-only */
}

static sf_count_t
vio_write(const void *ptr, sf_count_t n, void *u)
{
	struct vio *v = u;
	size_t k;

	if (n <= 0)
		return 0;
	if (v->detached)
		k = (size_t)n;
	else {
		k = fwrite(ptr, 1, (size_t)n, v->fp);
		if (k < (size_t)n && v->werr == 0)
			v->werr = errno ? errno : EIO;
	}
	if (v->pos < v->nhead)
		memcpy(v->head + v->pos, ptr, (size_t)(v->nhead - v->pos <
		    (sf_count_t)k ? v->nhead - v->pos : (sf_count_t)k));
	v->pos += (sf_count_t)k;
	if (v->pos > v->end)
		v->end = v->pos;
	return (sf_count_t)k;
}

static sf_count_t
vio_tell(void *u)
{
	struct vio *v = u;

	return v->pos;
}

/* ---- Opus ---- */

static int
opus_frame_out(struct sp_encoder *e)
{
	opus_int32 n;

	n = opus_encode_float(e->opus, e->frame, OPUS_FRAME, e->pkt,
	    sizeof(e->pkt));
	if (n < 0) {
		fail(e, "opus: %s", opus_strerror(n));
		return -1;
	}
	if (sp_opus_writer_packet(e->ow, e->pkt, (size_t)n, OPUS_FRAME) != 0) {
		fail_write(e, errno);
		return -1;
	}
	e->fill = 0;
	return check_io(e);
}

/* n 48 kHz frames into the 20 ms frame buffer, encoding full ones. */
static int
opus_push(struct sp_encoder *e, const float *x, size_t n)
{
	size_t ch = e->channels, k;

	while (n > 0) {
		k = OPUS_FRAME - e->fill;
		if (k > n)
			k = n;
		memcpy(e->frame + e->fill * ch, x, k * ch * sizeof(*x));
		e->fill += k;
		e->out += k;
		x += k * ch;
		n -= k;
		if (e->fill == OPUS_FRAME && opus_frame_out(e) != 0)
			return -1;
	}
	return 0;
}

/* Resample n input frames (end: the last call) and push the output, never
 * more than e->limit frames in all. */
static int
opus_resample(struct sp_encoder *e, const float *x, size_t n, int end)
{
	SRC_DATA d;
	size_t k;
	int rc;

	memset(&d, 0, sizeof(d));
	d.src_ratio = (double)OPUS_RATE / e->rate;
	d.end_of_input = end;
	for (;;) {
		d.data_in = x;
		d.input_frames = (long)n;
		d.data_out = e->rs;
		d.output_frames = SRC_BLOCK;
		if ((rc = src_process(e->src, &d)) != 0) {
			fail(e, "resampler: %s", src_strerror(rc));
			return -1;
		}
		if (d.input_frames_used > 0) {
			x += (size_t)d.input_frames_used * e->channels;
			n -= (size_t)d.input_frames_used;
		}
		k = (size_t)d.output_frames_gen;
		if (k > e->limit - e->out)
			k = (size_t)(e->limit - e->out);
		if (k > 0 && opus_push(e, e->rs, k) != 0)
			return -1;
		/* Done when the input is taken and nothing more comes out. */
		if (n == 0 && d.output_frames_gen == 0)
			return 0;
	}
}

static int
opus_open(struct sp_encoder *e, const struct sp_enc_opts *o)
{
	struct sp_opus_head h;
	struct sp_opus_tags t;
	unsigned kbps = o->bitrate;
	opus_int32 look;
	int rc;

	if (kbps == 0)
		kbps = o->channels == 1 ? 32 : 64;
	if (kbps < 6 || kbps > 510) {
		fail(e, "opus bitrate %u kb/s out of range (6-510)", kbps);
		return -1;
	}
	e->opus = opus_encoder_create(OPUS_RATE, (int)o->channels,
	    OPUS_APPLICATION_AUDIO, &rc);
	if (e->opus == NULL) {
		fail(e, "opus: %s", opus_strerror(rc));
		return -1;
	}
	if (opus_encoder_ctl(e->opus, OPUS_SET_BITRATE(
	    (opus_int32)kbps * 1000)) != OPUS_OK ||
	    opus_encoder_ctl(e->opus, OPUS_GET_LOOKAHEAD(&look)) != OPUS_OK) {
		fail(e, "opus: cannot set up the encoder");
		return -1;
	}
	e->preskip = (unsigned)look;
	e->frame = sp_xcalloc((size_t)OPUS_FRAME * o->channels,
	    sizeof(float));
	e->limit = UINT64_MAX;
	if (o->rate != OPUS_RATE) {
		e->src = src_new(SRC_SINC_MEDIUM_QUALITY, (int)o->channels,
		    &rc);
		if (e->src == NULL) {
			fail(e, "resampler: %s", src_strerror(rc));
			return -1;
		}
		e->rs = sp_xcalloc((size_t)SRC_BLOCK * o->channels,
		    sizeof(float));
	}

	memset(&h, 0, sizeof(h));
	h.version = 1;
	h.channels = o->channels;
	h.preskip = e->preskip;
	h.input_rate = o->rate;
	h.family = 0;
	if (o->opus_tags != NULL)
		sp_opus_tags_copy(&t, o->opus_tags);
	else
		sp_opus_tags_init(&t);
	/* We encoded it, so the vendor is ours whatever came in. */
	sp_opus_tags_set_vendor(&t, opus_get_version_string());
	e->ow = sp_opus_writer_new(e->fp, &h, &t, 0, 0);
	sp_opus_tags_release(&t);
	if (e->ow == NULL) {
		fail_write(e, errno);
		return -1;
	}
	return check_io(e);
}

/*
 * The decoded length must be exactly target frames: pre-skip + target
 * encoded samples at least, so zeros go in until the frames encoded
 * cover it; the end granule then cuts within the last packet.
 */
static int
opus_finish(struct sp_encoder *e)
{
	static const float zero[2 * OPUS_FRAME];
	uint64_t target = sp_encode_output_frames(&(struct sp_enc_opts){
	    .format = SP_ENC_OPUS, .rate = e->rate }, e->in);
	size_t k;

	if (e->src != NULL) {
		e->limit = target;
		if (opus_resample(e, NULL, 0, 1) != 0)
			return -1;
	}
	/* The resampler may come up a frame short: silence completes it. */
	while (e->out < target) {
		k = target - e->out > OPUS_FRAME ? OPUS_FRAME :
		    (size_t)(target - e->out);
		if (opus_push(e, zero, k) != 0)
			return -1;
	}
	/* Padding, not counted in e->out: the partial frame, then whole
	 * frames until pre-skip + target samples are encoded. */
	if (e->fill > 0 || sp_opus_writer_granule(e->ow) == 0) {
		memset(e->frame + e->fill * e->channels, 0,
		    (OPUS_FRAME - e->fill) * e->channels * sizeof(float));
		if (opus_frame_out(e) != 0)
			return -1;
	}
	while (sp_opus_writer_granule(e->ow) < (int64_t)(e->preskip + target)) {
		memset(e->frame, 0, OPUS_FRAME * e->channels * sizeof(float));
		if (opus_frame_out(e) != 0)
			return -1;
	}
	if (sp_opus_writer_finish(e->ow, (int64_t)(e->preskip + target))
	    != 0) {
		fail_write(e, errno);
		return -1;
	}
	return 0;
}

/* ---- libsndfile ---- */

static void
put_le(uint8_t *p, uint32_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The canonical 44-byte header, sizes unknown (0xFFFFFFFF). */
static int
wav_pipe_header(struct sp_encoder *e, unsigned bits)
{
	uint8_t h[44];
	unsigned align = e->channels * bits / 8;

	memcpy(h, "RIFF", 4);
	put_le(h + 4, 0xFFFFFFFFu, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);
	put_le(h + 20, 1, 2);			/* WAVE_FORMAT_PCM */
	put_le(h + 22, e->channels, 2);
	put_le(h + 24, e->rate, 4);
	put_le(h + 28, e->rate * align, 4);
	put_le(h + 32, align, 2);
	put_le(h + 34, bits, 2);
	memcpy(h + 36, "data", 4);
	put_le(h + 40, 0xFFFFFFFFu, 4);
	if (fwrite(h, 1, sizeof(h), e->fp) != sizeof(h)) {
		fail_write(e, errno);
		return -1;
	}
	return 0;
}

/* kb/s to libsndfile's compression level, the inverse of
 * mpeg_l3_encoder_set_quality (mpeg_l3_encode.c, libsndfile 1.2):
 * bitrate = (int)(hi - level x (hi - lo)).  The half kb/s guards the
 * truncation there against rounding down. */
static int
mp3_level(unsigned rate, unsigned kbps, double *level)
{
	double hi, lo;

	if (rate >= 32000) {
		hi = 320;
		lo = 32;
	} else if (rate >= 16000) {
		hi = 160;
		lo = 8;
	} else {
		hi = 64;
		lo = 8;
	}
	if (kbps < lo || kbps > hi)
		return -1;
	*level = (hi - (kbps + 0.5)) / (hi - lo);
	if (*level < 0)
		*level = 0;
	return 0;
}

unsigned
sp_encode_mp3_bitrate(unsigned rate, unsigned kbps)
{
	/* ISO/IEC 11172-3 and 13818-3 layer III bitrates; libsndfile's
	 * range (mp3_level) bounds them: 8-64 kb/s under 16 kHz. */
	static const unsigned mpeg1[] = { 32, 40, 48, 56, 64, 80, 96, 112,
	    128, 160, 192, 224, 256, 320 };
	static const unsigned mpeg2[] = { 8, 16, 24, 32, 40, 48, 56, 64, 80,
	    96, 112, 128, 144, 160 };
	const unsigned *t = rate >= 32000 ? mpeg1 : mpeg2;
	size_t n = rate >= 32000 ? sizeof(mpeg1) / sizeof(*mpeg1) :
	    rate >= 16000 ? sizeof(mpeg2) / sizeof(*mpeg2) : 8;
	unsigned best = t[0], d, bd = UINT_MAX;
	size_t i;

	/* The nearest; between two, the higher. */
	for (i = 0; i < n; i++) {
		d = t[i] > kbps ? t[i] - kbps : kbps - t[i];
		if (d <= bd) {
			bd = d;
			best = t[i];
		}
	}
	return best;
}

/* The rates of MPEG-1, 2 and 2.5 audio, all LAME writes unresampled. */
static int
mp3_rate_ok(unsigned rate)
{
	static const unsigned ok[] = { 8000, 11025, 12000, 16000, 22050,
	    24000, 32000, 44100, 48000 };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (rate == ok[i])
			return 1;
	return 0;
}

/*
 * FLAC's Vorbis comments.  libsndfile writes only its ten strings (title,
 * artist...), never a CHAPTER001 one, so it is made to write a
 * VORBIS_COMMENT block longer than ours, with a placeholder COMMENT; at
 * finish ours is written over it, in place, and the rest becomes a
 * PADDING block (FLAC format, METADATA_BLOCK_VORBIS_COMMENT and _PADDING).
 */
static void
put_le32(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#define FLAC_BLOCK_MAX	((1u << 24) - 1)

static int
flac_comments_begin(struct sp_encoder *e, const struct sp_opus_tags *t)
{
	size_t i, n, at;
	char *hold;

	if (t == NULL || t->ncomments == 0)
		return 0;
	for (i = 0, n = 4; i < t->ncomments; i++)
		n += 4 + strlen(t->comments[i]);
	if (n > FLAC_BLOCK_MAX / 2) {
		fail(e, "flac: %zu bytes of tags and chapters, over what a "
		    "FLAC block holds", n);
		return -1;
	}
	e->vc = sp_xmalloc(n);
	e->vc_len = n;
	put_le32(e->vc, t->ncomments);
	for (i = 0, at = 4; i < t->ncomments; i++) {
		put_le32(e->vc + at, strlen(t->comments[i]));
		memcpy(e->vc + at + 4, t->comments[i], strlen(t->comments[i]));
		at += 4 + strlen(t->comments[i]);
	}
	/* What libFLAC writes first: the marker, STREAMINFO, the block. */
	e->io.nhead = (sf_count_t)(2 * n + 4096);
	e->io.head = sp_xcalloc((size_t)e->io.nhead, 1);
	/* "COMMENT=" and its length, and ours with a PADDING header left. */
	hold = sp_xmalloc(n + 5);
	memset(hold, 'x', n + 4);
	hold[n + 4] = '\0';
	if (sf_set_string(e->sf, SF_STR_COMMENT, hold) != 0) {
		fail(e, "flac: cannot hold the tags: %s", sf_strerror(e->sf));
		free(hold);
		return -1;
	}
	free(hold);
	return 0;
}

/* At finish: the placeholder block found and overwritten. */
static int
flac_comments_end(struct sp_encoder *e)
{
	const uint8_t *p = e->io.head;
	uint8_t h[4], *pad;
	size_t at = 4, len, vendor, ours, rest, n = (size_t)e->io.nhead;
	int last;

	if (e->vc == NULL || e->fd_mode || !e->io.seekable)
		return 0;
	if (e->io.end < e->io.nhead || memcmp(p, "fLaC", 4) != 0)
		goto bad;
	do {
		if (at + 4 > n)
			goto bad;
		last = p[at] & 0x80;
		len = (size_t)p[at + 1] << 16 | (size_t)p[at + 2] << 8 |
		    p[at + 3];
		if ((p[at] & 0x7F) != 4) {
			at += 4 + len;
			continue;
		}
		/* Keep libFLAC's vendor string; ours after it. */
		if (len < 4 || at + 8 > n)
			goto bad;
		vendor = (size_t)p[at + 4] | (size_t)p[at + 5] << 8 |
		    (size_t)p[at + 6] << 16 | (size_t)p[at + 7] << 24;
		ours = 4 + vendor + e->vc_len;
		if (vendor > len - 4 || ours > len || (ours < len &&
		    len - ours < 4))
			goto bad;
		rest = len - ours;
		h[0] = (uint8_t)(4 | (rest ? 0 : last));
		h[1] = (uint8_t)(ours >> 16);
		h[2] = (uint8_t)(ours >> 8);
		h[3] = (uint8_t)ours;
		if (fseeko(e->fp, e->io.base + (off_t)at, SEEK_SET) != 0 ||
		    fwrite(h, 1, 4, e->fp) != 4 ||
		    fseeko(e->fp, 4 + (off_t)vendor, SEEK_CUR) != 0 ||
		    fwrite(e->vc, 1, e->vc_len, e->fp) != e->vc_len)
			goto bad;
		if (rest) {
			rest -= 4;
			h[0] = (uint8_t)(1 | last);
			h[1] = (uint8_t)(rest >> 16);
			h[2] = (uint8_t)(rest >> 8);
			h[3] = (uint8_t)rest;
			pad = sp_xcalloc(rest ? rest : 1, 1);
			if (fwrite(h, 1, 4, e->fp) != 4 ||
			    fwrite(pad, 1, rest, e->fp) != rest) {
				free(pad);
				goto bad;
			}
			free(pad);
		}
		if (fseeko(e->fp, e->io.base + (off_t)e->io.end, SEEK_SET) != 0)
			goto bad;
		return 0;
	} while (!last);
bad:
	if (ferror(e->fp))
		fail_write(e, errno);
	else
		fail(e, "flac: the tags block libsndfile wrote is not where "
		    "it should be");
	return -1;
}

static int
sf_open_out(struct sp_encoder *e, const struct sp_enc_opts *o)
{
	SF_VIRTUAL_IO vt = { vio_filelen, vio_seek, vio_read, vio_write,
	    vio_tell };
	SF_INFO info;
	unsigned bits = o->bits ? o->bits : 16;
	unsigned kbps = o->bitrate;
	double level;
	int mode;
	off_t at;

	if (o->format != SP_ENC_MP3 && bits != 16 && bits != 24) {
		fail(e, "%u-bit samples not supported (16 or 24)", bits);
		return -1;
	}
	/* A pipe (or any fp that cannot seek) gets what streams. */
	at = fseeko(e->fp, 0, SEEK_CUR) == 0 ? ftello(e->fp) : -1;
	e->io.fp = e->fp;
	e->io.seekable = at >= 0;
	e->io.base = at >= 0 ? at : 0;

	memset(&info, 0, sizeof(info));
	info.samplerate = (int)o->rate;
	info.channels = (int)o->channels;
	switch (o->format) {
	case SP_ENC_MP3:
		/* Checked here: libsndfile 1.2.0 leaks LAME's state when
		 * it refuses a rate. */
		if (!mp3_rate_ok(o->rate)) {
			fail(e, "mp3 cannot hold %u Hz (8000-48000, the MPEG "
			    "rates)", o->rate);
			return -1;
		}
		if (kbps == 0)
			kbps = o->channels == 1 ? 96 : 128;
		kbps = sp_encode_mp3_bitrate(o->rate, kbps);
		if (mp3_level(o->rate, kbps, &level) != 0) {
			fail(e, "mp3 bitrate %u kb/s out of range at %u Hz",
			    kbps, o->rate);
			return -1;
		}
		info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
		break;
	case SP_ENC_FLAC:
		info.format = SF_FORMAT_FLAC |
		    (bits == 24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16);
		break;
	default:
		info.format = (e->io.seekable ? SF_FORMAT_WAV :
		    SF_FORMAT_RAW | SF_ENDIAN_LITTLE) |
		    (bits == 24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16);
		if (!e->io.seekable && wav_pipe_header(e, bits) != 0)
			return -1;
		break;
	}

	if (o->format == SP_ENC_MP3 && !e->io.seekable) {
		/*
		 * libsndfile reserves LAME's Info frame unless it knows the
		 * output is a pipe, and through virtual I/O it never does:
		 * the frame would stay empty and decode as 1152 samples of
		 * silence.  On the descriptor it sees the pipe and leaves it
		 * out.
		 */
		if (fflush(e->fp) != 0) {
			fail_write(e, errno);
			return -1;
		}
		e->sf = sf_open_fd(fileno(e->fp), SFM_WRITE, &info, 0);
		e->fd_mode = 1;
	} else
		e->sf = sf_open_virtual(&vt, SFM_WRITE, &info, &e->io);
	if (e->sf == NULL) {
		fail(e, "cannot write %s: %s", o->format == SP_ENC_MP3 ? "mp3" :
		    o->format == SP_ENC_FLAC ? "flac" : "wav",
		    sf_strerror(NULL));
		return -1;
	}
	sf_command(e->sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
	if (o->format == SP_ENC_FLAC && e->io.seekable &&
	    flac_comments_begin(e, o->opus_tags) != 0)
		return -1;
	if (o->format == SP_ENC_MP3) {
		mode = SF_BITRATE_MODE_CONSTANT;
		if (!sf_command(e->sf, SFC_SET_COMPRESSION_LEVEL, &level,
		    sizeof(level)) ||
		    !sf_command(e->sf, SFC_SET_BITRATE_MODE, &mode,
		    sizeof(mode))) {
			fail(e, "mp3: cannot set %u kb/s: %s", kbps,
			    sf_strerror(e->sf));
			return -1;
		}
	}
	return check_io(e);
}

static int
sf_check(struct sp_encoder *e)
{
	if (check_io(e) != 0)
		return -1;
	if (sf_error(e->sf) != SF_ERR_NO_ERROR) {
		fail(e, "%s", sf_strerror(e->sf));
		return -1;
	}
	return 0;
}

/* ---- the interface ---- */

uint64_t
sp_encode_output_frames(const struct sp_enc_opts *o, uint64_t frames)
{
	if (o->format != SP_ENC_OPUS || o->rate == OPUS_RATE || o->rate == 0)
		return frames;
	/* round(frames x 48000 / rate), halves up, without overflow for
	 * any length a file can hold. */
	return (frames * 2 * OPUS_RATE + o->rate) / (2 * (uint64_t)o->rate);
}

struct sp_encoder *
sp_encode_new(FILE *fp, const struct sp_enc_opts *o, char *err,
    size_t errlen)
{
	struct sp_encoder *e = sp_xcalloc(1, sizeof(*e));

	e->fmt = o->format;
	e->fp = fp;
	e->rate = o->rate;
	e->channels = o->channels;
	if (o->channels < 1 || o->channels > 2)
		fail(e, "%u channels not supported (1 or 2)", o->channels);
	else if (o->rate < 8000 || o->rate > 384000)
		fail(e, "sample rate %u Hz not supported", o->rate);
	else if (o->format == SP_ENC_OPUS)
		(void)opus_open(e, o);
	else if (o->format == SP_ENC_MP3 || o->format == SP_ENC_FLAC ||
	    o->format == SP_ENC_WAV)
		(void)sf_open_out(e, o);
	else
		fail(e, "unknown output format");
	if (e->failed) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s", e->err);
		sp_encode_free(e);
		return NULL;
	}
	return e;
}

int
sp_encode_write(struct sp_encoder *e, const float *pcm, size_t frames)
{
	sf_count_t k;

	if (e->failed)
		return -1;
	if (e->finished) {
		fail(e, "write after finish");
		return -1;
	}
	e->in += frames;
	if (frames == 0)
		return 0;
	if (e->fmt == SP_ENC_OPUS)
		return e->src != NULL ? opus_resample(e, pcm, frames, 0) :
		    opus_push(e, pcm, frames);
	k = sf_writef_float(e->sf, pcm, (sf_count_t)frames);
	if (sf_check(e) != 0)
		return -1;
	if (k != (sf_count_t)frames) {
		fail(e, "short write: %s", sf_strerror(e->sf));
		return -1;
	}
	return 0;
}

int
sp_encode_finish(struct sp_encoder *e)
{
	int rc;

	if (e->failed)
		return -1;
	if (e->finished) {
		fail(e, "finished twice");
		return -1;
	}
	e->finished = 1;
	if (e->fmt == SP_ENC_OPUS) {
		if (opus_finish(e) != 0)
			return -1;
	} else {
		/* sf_close flushes the codec and patches the headers. */
		rc = sf_close(e->sf);
		e->sf = NULL;
		if (rc != 0) {
			fail(e, "%s", sf_error_number(rc));
			return -1;
		}
		if (flac_comments_end(e) != 0)
			return -1;
	}
	if (fflush(e->fp) != 0) {
		fail_write(e, errno);
		return -1;
	}
	return check_io(e);
}

const char *
sp_encode_error(const struct sp_encoder *e)
{
	return e->err;
}

void
sp_encode_free(struct sp_encoder *e)
{
	if (e == NULL)
		return;
	if (e->opus != NULL)
		opus_encoder_destroy(e->opus);
	if (e->ow != NULL)
		sp_opus_writer_free(e->ow);
	if (e->src != NULL)
		src_delete(e->src);
	if (e->sf != NULL)
		sf_close(e->sf);
	free(e->frame);
	free(e->rs);
	free(e->vc);
	free(e->io.head);
	free(e);
}
