/* decode: any supported audio input to interleaved float PCM. */
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mpg123.h>
#include <neaacdec.h>
#include <opusfile.h>
#include <sndfile.h>

#include "adts.h"
#include "decode.h"
#include "io.h"
#include "mp4.h"
#include "xalloc.h"
#include "banned.h"

/*
 * AAC (ADTS and MP4) is decoded on a virtual timeline of 1024 samples per
 * frame: frame f's output covers [f * 1024, (f + 1) * 1024), which is how
 * ffmpeg's decoder lays it out (frame f's output is the overlap of frames
 * f - 1 and f).  libfaad2 drops the output of the first frame it decodes
 * after being opened, so a decoder opened at frame f0 > 0 yields correct
 * samples from frame f0 + 1 on, and one opened at frame 0 leaves frame 0
 * to us: we output 1024 zeros there.  A seek to frame f reopens libfaad2
 * at f - 2 (two frames of pre-roll: the overlap needs f - 1, and the
 * second frame covers the window-shape state), then discards up to the
 * target.  The output is the window [vstart, vend) of that timeline:
 * [0, frames x 1024) for ADTS, the edit list for MP4.
 */

#define AAC_FRAME	1024
#define AAC_MAXCH	8
#define AAC_MAXAU	8192	/* an ADTS frame_length is 13 bits */
#define AAC_PAD		(768 * AAC_MAXCH)	/* FAAD_MIN_STREAMSIZE x ch */
#define ADTS_STEP	256	/* bytes fed to the parser at a time */
#define ADTS_EVERY	64	/* frames between index entries */
#define HEAD_MAX	(4u << 20)	/* pipe bytes held for sniffing */
#define SPILL_MAX	((uint64_t)4 << 30)	/* pipe bytes kept in a file */
#define CHUNK		65536

enum { K_ADTS = 1, K_MP4, K_OPUS, K_SNDFILE };

struct adts_mark {
	uint64_t	 offset;	/* of the frame in the file */
	uint64_t	 frame;
};

/*
 * The scan of the last ADTS file opened, for the next open of the same
 * file (device, inode, size and modification time): measuring on every
 * core opens a file once a thread, and a 3-hour file takes 0.08 s to
 * scan.  One entry, for any thread.
 */
static struct {
	pthread_mutex_t	 mu;
	int		 valid;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	uint64_t	 frames;
	unsigned	 sample_rate, channels;
	struct adts_mark *marks;
	size_t		 nmarks;
} scanned = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, { 0, 0 }, 0, 0, 0,
    NULL, 0 };

static int
same_file(const struct stat *st)
{
	return scanned.valid && scanned.dev == st->st_dev &&
	    scanned.ino == st->st_ino && scanned.size == st->st_size &&
	    scanned.mtime.tv_sec == st->st_mtim.tv_sec &&
	    scanned.mtime.tv_nsec == st->st_mtim.tv_nsec;
}

struct sp_decoder {
	int		 kind;
	struct sp_decode_info info;
	char		 err[256];

	/* The input.  A pipe's first bytes are kept in head while sniffing
	 * and are read again from there before the rest. */
	FILE		*fp;
	int		 own;		/* fp is ours to close */
	int		 seekable;
	uint8_t		*head;
	size_t		 nhead, ihead;
	int		 eof;

	uint64_t	 pos;		/* next output sample */
	int		 at_end;	/* seeked to the end */
	int		 sf_failed;	/* a short read had an error */
	uint64_t	 damaged;

	/* AAC. */
	NeAACDecHandle	 faad;
	uint64_t	 frame;		/* next frame to decode */
	uint64_t	 vstart, vend;	/* the output window, virtual */
	uint64_t	 want;		/* discard before this, virtual */
	float		*pcm;		/* one frame: AAC_FRAME x channels */
	uint64_t	 pcm_v;		/* virtual position of pcm[0] */
	size_t		 pcm_len, pcm_off;
	uint8_t		*au;		/* one access unit, zero padded */
	size_t		 au_used;	/* bytes of it that may not be 0 */
	int		 aac_eof;
	/* ADTS: the parser, frames it completed, the frame index. */
	struct sp_adts	*adts;
	uint8_t		*q;		/* [2-byte length][frame] ... */
	size_t		 qlen, qoff, qcap;
	uint64_t	 pframe;	/* number of the parser's next frame */
	uint64_t	 pbase;		/* file offset the parser started at */
	uint8_t		*rb;		/* bytes read, not yet fed */
	size_t		 rblen, rboff;
	int		 scanning;
	struct adts_mark *marks;
	size_t		 nmarks, capmarks;
	/* MP4. */
	struct sp_mp4	*mp4;

	/* Opus. */
	OggOpusFile	*of;
	/* libsndfile. */
	SNDFILE		*sf;
};

static void
seterr(struct sp_decoder *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
seterr(struct sp_decoder *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
}

/* ---- The input ---- */

/* Read from the held head first, then the file. */
static size_t
src_read(struct sp_decoder *d, void *buf, size_t n)
{
	size_t k = 0;

	if (d->ihead < d->nhead) {
		k = d->nhead - d->ihead < n ? d->nhead - d->ihead : n;
		memcpy(buf, d->head + d->ihead, k);
		d->ihead += k;
		if (d->ihead == d->nhead) {
			free(d->head);
			d->head = NULL;
			d->nhead = d->ihead = 0;
		}
		return k;
	}
	if (n == 0 || d->eof)
		return 0;
	k = fread(buf, 1, n, d->fp);
	if (k < n)
		d->eof = 1;
	return k;
}

static int
src_rewind(struct sp_decoder *d, uint64_t off)
{
	d->eof = 0;
	if (fseeko(d->fp, (off_t)off, SEEK_SET) != 0) {
		seterr(d, "cannot seek: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A temporary file in $TMPDIR (else /tmp), as the rest of the toolkit
 * makes them; tmpfile(3) would take P_tmpdir whatever TMPDIR says.  With
 * keep NULL it is unlinked at once, so nothing is left behind whatever
 * happens; else its new path is left in *keep.
 */
static FILE *
spill_file(struct sp_decoder *d, char **keep)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	FILE *t = NULL;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = sp_xasprintf("%s/spaces-pipe.XXXXXX", dir);
	if ((fd = mkstemp(path)) == -1 || (keep == NULL && unlink(path) != 0) ||
	    (t = fdopen(fd, "w+b")) == NULL) {
		seterr(d, "cannot make a temporary file in '%s': %s", dir,
		    strerror(errno));
		if (fd != -1) {
			close(fd);
			if (keep != NULL)
				unlink(path);
		}
	}
	if (t != NULL && keep != NULL) {
		/* Removed on a signal or exit; sp_spool_remove forgets it. */
		sp_temp_add(path);
		*keep = path;
	} else
		free(path);
	return t;
}

/*
 * Copy the held head and the rest of a pipe to t, at most SPILL_MAX
 * bytes: an endless pipe must not fill the disk.  0; -1 with d->err on
 * a read or write error; -2 with d->err past SPILL_MAX.
 */
static int
copy_out(struct sp_decoder *d, FILE *t)
{
	uint8_t *buf = sp_xmalloc(CHUNK);
	uint64_t total = 0;
	size_t k;

	while ((k = src_read(d, buf, CHUNK)) > 0) {
		if ((total += k) > SPILL_MAX) {
			free(buf);
			seterr(d, "a pipe of more than %u GiB: too long to keep "
			    "in a temporary file; give it as a file",
			    (unsigned)(SPILL_MAX >> 30));
			return -2;
		}
		if (fwrite(buf, 1, k, t) != k)
			break;
	}
	free(buf);
	if (ferror(d->fp) || ferror(t) || fflush(t) != 0) {
		seterr(d, "cannot copy the input to a temporary file: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Keep a pipe in an unnamed temporary file, which then replaces it: for
 * formats that must seek. */
static int
spill(struct sp_decoder *d)
{
	FILE *t;

	if (d->seekable)
		return 0;
	if ((t = spill_file(d, NULL)) == NULL)
		return -1;
	if (copy_out(d, t) != 0) {
		fclose(t);
		return -1;
	}
	if (d->own)
		fclose(d->fp);
	d->fp = t;
	d->own = 1;
	d->seekable = 1;
	return src_rewind(d, 0);
}

/*
 * Let b point at up to n bytes from offset off of the input (fewer at its
 * end); returns how many.  For a pipe the bytes stay held for the decoder;
 * past HEAD_MAX the pipe is spilled to a file.  scratch holds n bytes.
 */
static size_t
peek(struct sp_decoder *d, uint64_t off, size_t n, uint8_t *scratch,
    const uint8_t **b)
{
	size_t k;

	if (!d->seekable && off + n > HEAD_MAX && spill(d) != 0)
		return 0;
	if (d->seekable) {
		if (src_rewind(d, off) != 0)
			return 0;
		k = fread(scratch, 1, n, d->fp);
		*b = scratch;
		return k;
	}
	while (d->nhead < off + n && !d->eof) {
		size_t want = off + n - d->nhead;

		d->head = sp_xrealloc(d->head, d->nhead + want);
		k = fread(d->head + d->nhead, 1, want, d->fp);
		d->nhead += k;
		if (k < want)
			d->eof = 1;
	}
	if (off >= d->nhead)
		return 0;
	*b = d->head + off;
	return d->nhead - off < n ? d->nhead - off : n;
}

/* ---- Sniffing ---- */

/*
 * Do ADTS frames start at off: three in a row alike (rate, channels), or
 * fewer that end exactly where the input ends or an ID3 tag starts?  MP3
 * data holds chance syncs; a chain of three does not happen by chance.
 */
static int
adts_chain(struct sp_decoder *d, uint64_t off)
{
	uint8_t scratch[16];
	const uint8_t *b;
	struct sp_adts_frame f, g;
	size_t k;
	int i;

	if ((k = peek(d, off, 10, scratch, &b)) < 7 ||
	    sp_adts_header(b, k, &f) != 0)
		return 0;
	for (i = 0; i < 2; i++) {
		off += f.length;
		k = peek(d, off - 1, 11, scratch, &b);
		if (k == 1)
			return 1;		/* the end, exactly */
		if (k < 2)
			return 0;		/* past the end */
		if (k >= 4 && memcmp(b + 1, "ID3", 3) == 0)
			return 1;
		if (sp_adts_header(b + 1, k - 1, &g) != 0 ||
		    g.sr_index != f.sr_index ||
		    g.chan_config != f.chan_config)
			return 0;
		f = g;
	}
	return 1;
}

enum { S_NONE, S_ADTS, S_MP4, S_OPUS, S_OTHER };

static int
sniff(struct sp_decoder *d)
{
	uint8_t scratch[4096];
	const uint8_t *b;
	uint64_t off = 0;
	size_t k, i, tag;
	int ntags;

	if ((k = peek(d, 0, 64, scratch, &b)) == 0)
		return d->err[0] ? -1 : S_NONE;
	if (k >= 28 && memcmp(b, "OggS", 4) == 0) {
		size_t h = 27 + (size_t)b[26];

		if ((k = peek(d, h, 8, scratch, &b)) == 8 &&
		    memcmp(b, "OpusHead", 8) == 0)
			return S_OPUS;
		return S_OTHER;
	}
	if (memcmp(b, "RIFF", 4) == 0 || memcmp(b, "fLaC", 4) == 0 ||
	    memcmp(b, "FORM", 4) == 0 || memcmp(b, "RF64", 4) == 0)
		return S_OTHER;
	if (sp_mp4_sniff(b, k))
		return S_MP4;
	/* ID3v2 tags, then an ADTS frame (MP3 files start with ID3 too). */
	for (ntags = 0; ntags < 64; ntags++) {
		if ((k = peek(d, off, 10, scratch, &b)) < 10 ||
		    sp_id3_size(b, k, &tag) != 0)
			break;
		off += tag;
	}
	if (d->err[0])
		return -1;
	/* Junk before the first sync: look through 4 KB. */
	k = peek(d, off, sizeof(scratch), scratch, &b);
	if (b != scratch)
		memcpy(scratch, b, k);	/* a pipe's head may move */
	for (i = 0; i + 7 <= k; i++) {
		struct sp_adts_frame f;

		if (scratch[i] == 0xFF && (scratch[i + 1] & 0xF6) == 0xF0 &&
		    sp_adts_header(scratch + i, k - i, &f) == 0 &&
		    adts_chain(d, off + i))
			return S_ADTS;
	}
	return d->err[0] ? -1 : S_OTHER;
}

/* ---- AAC ---- */

static int
faad_open(struct sp_decoder *d)
{
	NeAACDecConfigurationPtr cfg;

	if (d->faad != NULL)
		NeAACDecClose(d->faad);
	d->faad = NeAACDecOpen();
	cfg = NeAACDecGetCurrentConfiguration(d->faad);
	cfg->outputFormat = FAAD_FMT_FLOAT;
	cfg->downMatrix = 0;
	/* Keep a low-rate LC stream at its own rate (faad doubles it). */
	cfg->dontUpSampleImplicitSBR = 1;
	NeAACDecSetConfiguration(d->faad, cfg);
	if (d->kind == K_MP4) {
		const struct sp_mp4_info *mi = sp_mp4_info(d->mp4);
		unsigned long rate;
		unsigned char ch;

		if (NeAACDecInit2(d->faad, (unsigned char *)mi->asc,
		    (unsigned long)mi->asc_len, &rate, &ch) < 0) {
			seterr(d, "cannot decode this AudioSpecificConfig");
			return -1;
		}
	}
	return 0;
}

static void
on_adts_frame(void *ctx, uint64_t off, const struct sp_adts_frame *f,
    const uint8_t *data)
{
	struct sp_decoder *d = ctx;
	uint64_t n = d->pframe++;

	if (d->scanning) {
		if (n % ADTS_EVERY == 0) {
			if (d->nmarks == d->capmarks) {
				d->capmarks = d->capmarks ? 2 * d->capmarks : 64;
				d->marks = sp_xreallocarray(d->marks,
				    d->capmarks, sizeof(*d->marks));
			}
			d->marks[d->nmarks].offset = d->pbase + off;
			d->marks[d->nmarks].frame = n;
			d->nmarks++;
		}
		return;
	}
	if (n < d->frame)
		return;		/* before where decoding restarts */
	if (d->qlen + 2 + f->length > d->qcap) {
		if (d->qoff > 0) {
			memmove(d->q, d->q + d->qoff, d->qlen - d->qoff);
			d->qlen -= d->qoff;
			d->qoff = 0;
		}
		if (d->qlen + 2 + f->length > d->qcap) {
			d->qcap = d->qlen + 2 + f->length + 4096;
			d->q = sp_xrealloc(d->q, d->qcap);
		}
	}
	d->q[d->qlen] = f->length >> 8;
	d->q[d->qlen + 1] = f->length & 0xFF;
	memcpy(d->q + d->qlen + 2, data, f->length);
	d->qlen += 2 + f->length;
}

/* Start the ADTS parser at file offset off, whose frame is number n. */
static int
adts_start(struct sp_decoder *d, uint64_t off, uint64_t n)
{
	if (d->seekable && src_rewind(d, off) != 0)
		return -1;
	sp_adts_init(d->adts);
	d->adts->ctx = d;
	d->adts->on_frame = on_adts_frame;
	d->pframe = n;
	d->pbase = off;
	d->qlen = d->qoff = 0;
	d->rblen = d->rboff = 0;
	d->aac_eof = 0;
	return 0;
}

/* Feed the parser until a frame is queued or the input ends: 1, 0 at the
 * end, -1 on a read error. */
static int
adts_fill(struct sp_decoder *d)
{
	size_t k;

	while (d->qoff == d->qlen) {
		if (d->aac_eof)
			return 0;
		if (d->rboff == d->rblen) {
			d->rblen = src_read(d, d->rb, CHUNK);
			d->rboff = 0;
			if (d->rblen == 0) {
				if (ferror(d->fp)) {
					seterr(d, "read error: %s",
					    strerror(errno));
					return -1;
				}
				sp_adts_finish(d->adts);
				d->aac_eof = 1;
				continue;
			}
		}
		k = d->rblen - d->rboff < ADTS_STEP ? d->rblen - d->rboff :
		    ADTS_STEP;
		sp_adts_feed(d->adts, d->rb + d->rboff, k);
		d->rboff += k;
	}
	return 1;
}

/*
 * Zeros after an access unit of len bytes in d->au, AAC_PAD of them: the
 * buffer starts zeroed, so only what a longer unit before left is wiped.
 */
static void
au_pad(struct sp_decoder *d, size_t len)
{
	if (d->au_used > len)
		memset(d->au + len, 0, d->au_used - len);
	d->au_used = len;
}

/* The next access unit into d->au: its length, 0 at the end, -1. */
static long
aac_next_au(struct sp_decoder *d)
{
	size_t len;
	long r;

	if (d->kind == K_ADTS) {
		if ((r = adts_fill(d)) <= 0)
			return r;
		len = (size_t)d->q[d->qoff] << 8 | d->q[d->qoff + 1];
		memcpy(d->au, d->q + d->qoff + 2, len);
		d->qoff += 2 + len;
		if (d->qoff == d->qlen)
			d->qoff = d->qlen = 0;
		au_pad(d, len);
		return (long)len;
	}
	if (d->frame >= sp_mp4_info(d->mp4)->nsamples)
		return 0;
	r = sp_mp4_read_sample(d->mp4, d->frame, d->au, AAC_MAXAU);
	if (r < 0) {
		/* Too big for AAC, or unreadable: treat as damaged (and
		 * what it may have written, as used). */
		d->au_used = AAC_MAXAU;
		d->au[0] = 0;
		r = 1;
		d->damaged++;
	}
	au_pad(d, (size_t)r);
	return r;
}

/* Decode the next frame into d->pcm: 1, 0 at the end, -1 on error. */
static int
aac_decode(struct sp_decoder *d)
{
	NeAACDecFrameInfo fi;
	unsigned ch = d->info.channels, c;
	uint64_t f = d->frame;
	size_t i, n;
	long len;
	float *out;
	int first = 0;

	if ((len = aac_next_au(d)) <= 0)
		return (int)len;
	if (d->faad == NULL) {
		if (faad_open(d) != 0)
			return -1;
		if (d->kind == K_ADTS) {
			unsigned long rate;
			unsigned char nch;

			if (NeAACDecInit(d->faad, d->au, (unsigned long)len,
			    &rate, &nch) < 0) {
				/* Retry at the next frame. */
				NeAACDecClose(d->faad);
				d->faad = NULL;
				d->damaged++;
				goto silence;
			}
		}
		first = 1;
	}
	memset(&fi, 0, sizeof(fi));
	out = NeAACDecDecode(d->faad, &fi, d->au, (unsigned long)len);
	if (fi.error != 0 || out == NULL) {
		d->damaged++;
		if (first) {
			/* Not a usable start: open again at the next frame. */
			NeAACDecClose(d->faad);
			d->faad = NULL;
		}
		goto silence;
	}
	if (first && f > 0) {
		/* Pre-roll only: its output is dropped; discarded anyway. */
		goto silence;
	}
	n = fi.channels > 0 ? fi.samples / fi.channels : 0;
	if (n == 0)
		goto silence;
	if (n == AAC_FRAME && fi.channels == ch) {
		memcpy(d->pcm, out, sizeof(float) * AAC_FRAME * ch);
		goto done;
	}
	/* Mono comes back as two equal channels (faad's PS upmix). */
	for (i = 0; i < AAC_FRAME; i++)
		for (c = 0; c < ch; c++)
			d->pcm[i * ch + c] = i < n ?
			    out[i * fi.channels + (c < fi.channels ? c : 0)] :
			    0.0f;
	goto done;
silence:
	memset(d->pcm, 0, sizeof(float) * AAC_FRAME * ch);
done:
	d->pcm_v = f * AAC_FRAME;
	d->pcm_len = AAC_FRAME;
	d->pcm_off = 0;
	d->frame = f + 1;
	return 1;
}

/* Make frame f0 the next decoded, with a fresh libfaad2. */
static int
aac_restart(struct sp_decoder *d, uint64_t f0)
{
	if (d->faad != NULL) {
		NeAACDecClose(d->faad);
		d->faad = NULL;
	}
	d->pcm_len = d->pcm_off = 0;
	d->frame = f0;
	if (d->kind == K_ADTS) {
		size_t lo = 0, hi = d->nmarks;

		/* The last mark at or before f0. */
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			if (d->marks[mid].frame <= f0)
				lo = mid;
			else
				hi = mid;
		}
		if (d->nmarks == 0 || d->marks[lo].frame > f0)
			return adts_start(d, 0, 0);
		return adts_start(d, d->marks[lo].offset, d->marks[lo].frame);
	}
	d->aac_eof = 0;
	return 0;
}

static long
aac_read(struct sp_decoder *d, float *buf, size_t frames)
{
	unsigned ch = d->info.channels;
	size_t got = 0, n;
	uint64_t v;
	int r;

	while (got < frames) {
		if (d->pcm_off == d->pcm_len) {
			if ((r = aac_decode(d)) < 0)
				return -1;
			if (r == 0) {
				/* The stream is shorter than announced. */
				d->vend = d->pcm_v + d->pcm_off;
				if (d->vend < d->vstart)
					d->vend = d->vstart;
				break;
			}
		}
		v = d->pcm_v + d->pcm_off;
		if (v >= d->vend)
			break;
		if (v < d->want) {
			n = d->pcm_len - d->pcm_off;
			if (n > d->want - v)
				n = (size_t)(d->want - v);
			d->pcm_off += n;
			continue;
		}
		n = d->pcm_len - d->pcm_off;
		if (n > frames - got)
			n = frames - got;
		if (n > d->vend - v)
			n = (size_t)(d->vend - v);
		memcpy(buf + got * ch, d->pcm + d->pcm_off * ch,
		    n * ch * sizeof(float));
		d->pcm_off += n;
		got += n;
	}
	return (long)got;
}

static int
aac_seek(struct sp_decoder *d, uint64_t sample)
{
	uint64_t v = d->vstart + sample, f = v / AAC_FRAME;

	if (aac_restart(d, f >= 2 ? f - 2 : 0) != 0)
		return -1;
	d->want = v;
	return 0;
}

/*
 * Count the frames of a file and index them, in one pass of the parser,
 * or from the scan kept of the same file.  0, or -1 with the error set.
 */
static int
adts_scan(struct sp_decoder *d, uint64_t *frames, unsigned *rate,
    unsigned *ch)
{
	const struct sp_adts_info *ai = &d->adts->info;
	struct stat st;
	int known;

	known = fstat(fileno(d->fp), &st) == 0;
	pthread_mutex_lock(&scanned.mu);
	if (known && same_file(&st)) {
		*frames = scanned.frames;
		*rate = scanned.sample_rate;
		*ch = scanned.channels;
		d->nmarks = d->capmarks = scanned.nmarks;
		d->marks = sp_xreallocarray(NULL, d->nmarks ? d->nmarks : 1,
		    sizeof(*d->marks));
		memcpy(d->marks, scanned.marks, d->nmarks *
		    sizeof(*d->marks));
		pthread_mutex_unlock(&scanned.mu);
		return 0;
	}
	pthread_mutex_unlock(&scanned.mu);
	d->scanning = 1;
	if (adts_start(d, 0, 0) != 0)
		return -1;
	while (adts_fill(d) > 0)
		;
	d->scanning = 0;
	if (ferror(d->fp))
		return -1;
	if (ai->frames == 0) {
		seterr(d, "no ADTS frame");
		return -1;
	}
	*frames = ai->frames;
	*rate = ai->sample_rate;
	*ch = ai->channels;
	if (!known)
		return 0;
	pthread_mutex_lock(&scanned.mu);
	free(scanned.marks);
	scanned.marks = sp_xreallocarray(NULL, d->nmarks ? d->nmarks : 1,
	    sizeof(*d->marks));
	memcpy(scanned.marks, d->marks, d->nmarks * sizeof(*d->marks));
	scanned.nmarks = d->nmarks;
	scanned.frames = *frames;
	scanned.sample_rate = *rate;
	scanned.channels = *ch;
	scanned.dev = st.st_dev;
	scanned.ino = st.st_ino;
	scanned.size = st.st_size;
	scanned.mtime = st.st_mtim;
	scanned.valid = 1;
	pthread_mutex_unlock(&scanned.mu);
	return 0;
}

static int
open_adts(struct sp_decoder *d)
{
	uint64_t frames;
	unsigned rate, ch;

	d->adts = sp_xmalloc(sizeof(*d->adts));
	d->rb = sp_xmalloc(CHUNK);
	d->info.format = "adts";
	d->info.codec = "aac";
	if (d->seekable) {
		if (adts_scan(d, &frames, &rate, &ch) != 0)
			return -1;
		d->info.total = frames * AAC_FRAME;
		d->info.total_known = 1;
		d->info.seekable = 1;
		d->vend = d->info.total;
		if (adts_start(d, 0, 0) != 0)
			return -1;
	} else {
		/* A pipe: learn the parameters from the first frame. */
		if (adts_start(d, 0, 0) != 0 || adts_fill(d) <= 0) {
			if (!d->err[0])
				seterr(d, "no ADTS frame");
			return -1;
		}
		d->vend = UINT64_MAX;
		rate = d->adts->info.sample_rate;
		ch = d->adts->info.channels;
	}
	if (rate == 0) {
		seterr(d, "no ADTS frame");
		return -1;
	}
	d->info.sample_rate = rate;
	/* Channel configuration 0 (a PCE): assume stereo. */
	d->info.channels = ch ? ch : 2;
	return 0;
}

static int
open_mp4(struct sp_decoder *d)
{
	const struct sp_mp4_info *mi;
	char e[200];
	uint64_t start;

	if (spill(d) != 0 || src_rewind(d, 0) != 0)
		return -1;
	if ((d->mp4 = sp_mp4_open(d->fp, e, sizeof(e))) == NULL) {
		seterr(d, "%s", e);
		return -1;
	}
	mi = sp_mp4_info(d->mp4);
	if (mi->sample_rate == 0 || mi->channels == 0 ||
	    mi->channels > AAC_MAXCH || mi->timescale == 0) {
		seterr(d, "unsupported AAC track (%u Hz, %u channels)",
		    mi->sample_rate, mi->channels);
		return -1;
	}
	d->info.format = "mp4";
	d->info.codec = "aac";
	d->info.sample_rate = mi->sample_rate;
	d->info.channels = mi->channels;
	start = 0;
	if (mi->has_edit && mi->edit_media_time > 0)
		start = (uint64_t)mi->edit_media_time;
	if (mi->timescale != mi->sample_rate)
		start = (uint64_t)((long double)start * mi->sample_rate /
		    mi->timescale);
	d->vstart = start;
	d->vend = start + mi->duration_samples;
	/* Not past the frames the file holds. */
	if (d->vend > mi->nsamples * AAC_FRAME)
		d->vend = mi->nsamples * AAC_FRAME;
	if (d->vstart > d->vend)
		d->vstart = d->vend;
	d->info.total = d->vend - d->vstart;
	d->info.total_known = 1;
	d->info.seekable = 1;
	return 0;
}

/* ---- Opus ---- */

static int
op_cb_read(void *s, unsigned char *p, int n)
{
	struct sp_decoder *d = s;
	size_t k;

	if (n <= 0)
		return 0;
	k = src_read(d, p, (size_t)n);
	if (k == 0 && ferror(d->fp))
		return -1;
	return (int)k;
}

static int
op_cb_seek(void *s, opus_int64 off, int whence)
{
	struct sp_decoder *d = s;

	d->eof = 0;
	return fseeko(d->fp, (off_t)off, whence);
}

static opus_int64
op_cb_tell(void *s)
{
	struct sp_decoder *d = s;

	return (opus_int64)ftello(d->fp);
}

static int
open_opus(struct sp_decoder *d)
{
	OpusFileCallbacks cb = { op_cb_read, NULL, NULL, NULL };
	const OpusHead *h;
	int e, i, nlinks;
	ogg_int64_t t;

	if (d->seekable) {
		cb.seek = op_cb_seek;
		cb.tell = op_cb_tell;
		if (src_rewind(d, 0) != 0)
			return -1;
	}
	/* A pipe: the held head is read through src_read, not initial_data. */
	d->ihead = 0;
	d->of = op_open_callbacks(d, &cb, NULL, 0, &e);
	if (d->of == NULL) {
		seterr(d, "not a valid Ogg Opus stream (opusfile error %d)", e);
		return -1;
	}
	h = op_head(d->of, -1);
	d->info.format = "opus";
	d->info.codec = "opus";
	d->info.sample_rate = 48000;
	d->info.channels = (unsigned)h->channel_count;
	if (op_seekable(d->of)) {
		nlinks = op_link_count(d->of);
		for (i = 0; i < nlinks; i++)
			if (op_head(d->of, i)->channel_count !=
			    h->channel_count) {
				seterr(d, "the channel count changes between "
				    "chained streams");
				return -1;
			}
		if ((t = op_pcm_total(d->of, -1)) >= 0) {
			d->info.total = (uint64_t)t;
			d->info.total_known = 1;
			d->info.seekable = 1;
		}
	}
	return 0;
}

static long
opus_read(struct sp_decoder *d, float *buf, size_t frames)
{
	unsigned ch = d->info.channels;
	size_t got = 0;
	int li, r, want;

	while (got < frames) {
		want = frames - got > 5760 ? 5760 * (int)ch :
		    (int)((frames - got) * ch);
		r = op_read_float(d->of, buf + got * ch, want, &li);
		if (r == OP_HOLE) {
			d->damaged++;
			continue;
		}
		if (r < 0) {
			seterr(d, "cannot decode Opus (opusfile error %d)", r);
			return -1;
		}
		if (r == 0)
			break;
		if (op_channel_count(d->of, li) != (int)ch) {
			seterr(d, "the channel count changes between chained "
			    "streams");
			return -1;
		}
		got += (size_t)r;
	}
	return (long)got;
}

/* ---- libsndfile ---- */

/*
 * libsndfile decodes MP3 with libmpg123, which prints its own notes and
 * errors ("Note: Trying to resync...", "[src/libmpg123/layer3.c:...]
 * error: dequantization failed!") on the standard error, -q or not, and
 * libsndfile has no way to pass it MPG123_QUIET.  So the mpg123_new that
 * libsndfile calls is this one, which the executable's symbol table puts
 * first: the real one (the next in the search order), made quiet.  What
 * decoding comes to is then said by our own messages: the error that
 * stops it, or the samples that are missing.
 */
mpg123_handle *
mpg123_new(const char *decoder, int *error)
{
	static mpg123_handle *(*real_new)(const char *, int *);
	static int (*real_param)(mpg123_handle *, enum mpg123_parms, long,
	    double);
	mpg123_handle *mh;

	if (real_new == NULL) {
		*(void **)&real_new = dlsym(RTLD_NEXT, "mpg123_new");
		*(void **)&real_param = dlsym(RTLD_NEXT, "mpg123_param2");
	}
	if (real_new == NULL) {
		if (error != NULL)
			*error = MPG123_ERR;
		return NULL;
	}
	if ((mh = real_new(decoder, error)) != NULL && real_param != NULL)
		real_param(mh, MPG123_ADD_FLAGS, MPG123_QUIET, 0.0);
	return mh;
}

static sf_count_t
sf_cb_len(void *s)
{
	struct sp_decoder *d = s;
	struct stat st;

	if (fstat(fileno(d->fp), &st) != 0)
		return -1;
	return (sf_count_t)st.st_size;
}

static sf_count_t
sf_cb_seek(sf_count_t off, int whence, void *s)
{
	struct sp_decoder *d = s;

	d->eof = 0;
	if (fseeko(d->fp, (off_t)off, whence) != 0)
		return -1;
	return (sf_count_t)ftello(d->fp);
}

static sf_count_t
sf_cb_read(void *p, sf_count_t n, void *s)
{
	struct sp_decoder *d = s;

	return (sf_count_t)fread(p, 1, (size_t)n, d->fp);
}

static sf_count_t
sf_cb_write(const void *p, sf_count_t n, void *s)
{
	(void)p;
	(void)n;
	(void)s;
	return 0;
}

static sf_count_t
sf_cb_tell(void *s)
{
	struct sp_decoder *d = s;

	return (sf_count_t)ftello(d->fp);
}

/*
 * Does the MP3 start with a Xing/Info (LAME) or VBRI frame?  Only then
 * does mpg123 know the exact length at open; otherwise libsndfile's frame
 * count is an estimate from the file size (noxing-44k.mp3: 90498 said,
 * 89856 decoded, the same as ffmpeg).
 */
static int
mp3_has_info(struct sp_decoder *d)
{
	uint8_t scratch[4096];
	const uint8_t *b;
	uint64_t off = 0;
	size_t k, tag, i, j;
	int n;

	for (n = 0; n < 64; n++) {
		if ((k = peek(d, off, 10, scratch, &b)) < 10 ||
		    sp_id3_size(b, k, &tag) != 0)
			break;
		off += tag;
	}
	k = peek(d, off, sizeof(scratch), scratch, &b);
	for (i = 0; i + 4 <= k; i++) {
		if (b[i] != 0xFF || (b[i + 1] & 0xE0) != 0xE0)
			continue;
		/* The tag sits after the side information: 4 + 9..32. */
		for (j = i + 4; j + 4 <= k && j < i + 4 + 40; j++)
			if (memcmp(b + j, "Xing", 4) == 0 ||
			    memcmp(b + j, "Info", 4) == 0 ||
			    memcmp(b + j, "VBRI", 4) == 0)
				return 1;
		return 0;
	}
	return 0;
}

/* libsndfile over the bytes of a pipe held so far (struct mem). */
struct mem {
	const uint8_t	*p;
	sf_count_t	 n, at;
};

static sf_count_t
mem_len(void *s)
{
	return ((struct mem *)s)->n;
}

static sf_count_t
mem_seek(sf_count_t off, int whence, void *s)
{
	struct mem *m = s;
	sf_count_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ?
	    m->at + off : m->n + off;

	if (to < 0 || to > m->n)
		return -1;
	return m->at = to;
}

static sf_count_t
mem_read(void *p, sf_count_t n, void *s)
{
	struct mem *m = s;

	if (n > m->n - m->at)
		n = m->n - m->at;
	memcpy(p, m->p + m->at, (size_t)n);
	m->at += n;
	return n;
}

static sf_count_t
mem_tell(void *s)
{
	return ((struct mem *)s)->at;
}

/*
 * Would libsndfile take what a pipe begins with (its first HEAD_MAX
 * bytes)?  Asked before the pipe is kept in a file, so that what is not
 * audio (/dev/zero) is refused at once, not after filling the disk.
 */
static int
head_is_audio(struct sp_decoder *d)
{
	SF_VIRTUAL_IO vio = { mem_len, mem_seek, mem_read, sf_cb_write,
	    mem_tell };
	uint8_t scratch[1];
	const uint8_t *b;
	struct mem m;
	SF_INFO si;
	SNDFILE *sf;

	(void)peek(d, 0, HEAD_MAX, scratch, &b);
	if (d->err[0])
		return 0;
	memset(&m, 0, sizeof(m));
	m.p = d->head;
	m.n = (sf_count_t)d->nhead;
	memset(&si, 0, sizeof(si));
	if ((sf = sf_open_virtual(&vio, SFM_READ, &si, &m)) == NULL) {
		seterr(d, "not a supported audio file (%s)", sf_strerror(NULL));
		return 0;
	}
	sf_close(sf);
	return 1;
}

static int
open_sndfile(struct sp_decoder *d)
{
	SF_VIRTUAL_IO vio = { sf_cb_len, sf_cb_seek, sf_cb_read, sf_cb_write,
	    sf_cb_tell };
	SF_INFO si;
	int major, sub;

	if ((!d->seekable && !head_is_audio(d)) || spill(d) != 0 ||
	    src_rewind(d, 0) != 0)
		return -1;
	memset(&si, 0, sizeof(si));
	if ((d->sf = sf_open_virtual(&vio, SFM_READ, &si, d)) == NULL) {
		seterr(d, "not a supported audio file (%s)", sf_strerror(NULL));
		return -1;
	}
	if (si.channels <= 0 || si.samplerate <= 0) {
		seterr(d, "not a supported audio file");
		return -1;
	}
	major = si.format & SF_FORMAT_TYPEMASK;
	sub = si.format & SF_FORMAT_SUBMASK;
	switch (major) {
	case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: case SF_FORMAT_RF64:
		d->info.format = "wav";
		break;
	case SF_FORMAT_AIFF:
		d->info.format = "aiff";
		break;
	case SF_FORMAT_FLAC:
		d->info.format = "flac";
		break;
	case SF_FORMAT_OGG:
		d->info.format = "ogg";
		break;
	case SF_FORMAT_MPEG:
		d->info.format = sub == SF_FORMAT_MPEG_LAYER_I ? "mp1" :
		    sub == SF_FORMAT_MPEG_LAYER_II ? "mp2" : "mp3";
		break;
	default:
		d->info.format = "sndfile";
	}
	switch (sub) {
	case SF_FORMAT_VORBIS:
		d->info.codec = "vorbis";
		break;
	case SF_FORMAT_OPUS:
		d->info.codec = "opus";
		break;
	case SF_FORMAT_MPEG_LAYER_I:
		d->info.codec = "mp1";
		break;
	case SF_FORMAT_MPEG_LAYER_II:
		d->info.codec = "mp2";
		break;
	case SF_FORMAT_MPEG_LAYER_III:
		d->info.codec = "mp3";
		break;
	case SF_FORMAT_FLOAT: case SF_FORMAT_DOUBLE:
		d->info.codec = "pcm_float";
		break;
	case SF_FORMAT_ULAW:
		d->info.codec = "ulaw";
		break;
	case SF_FORMAT_ALAW:
		d->info.codec = "alaw";
		break;
	default:
		d->info.codec = major == SF_FORMAT_FLAC ? "flac" : "pcm";
	}
	d->info.sample_rate = (unsigned)si.samplerate;
	d->info.channels = (unsigned)si.channels;
	if (si.frames >= 0 && si.frames != SF_COUNT_MAX) {
		d->info.total = (uint64_t)si.frames;
		d->info.total_known = 1;
		if (major == SF_FORMAT_MPEG) {
			/* libsndfile reads on from where it left the file. */
			off_t at = ftello(d->fp);

			d->info.total_known = mp3_has_info(d);
			if (fseeko(d->fp, at, SEEK_SET) != 0) {
				seterr(d, "cannot seek: %s", strerror(errno));
				return -1;
			}
		}
	}
	d->info.seekable = si.seekable != 0;
	/* vorbis_seek decodes forward from where it is. */
	d->info.seek_decodes = strcmp(d->info.codec, "vorbis") == 0;
	return 0;
}

/* ---- The interface ---- */

char *
sp_decode_spool(FILE *in, int *envfail, char *err, size_t n)
{
	struct sp_decoder *d = sp_xcalloc(1, sizeof(*d));
	char *path = NULL;
	FILE *t;
	int s;

	*envfail = 0;
	d->fp = in;
	/* As for a pipe opened by name: what is not audio is refused on
	 * its first bytes, before anything is kept. */
	if ((s = sniff(d)) == S_NONE)
		seterr(d, "empty file");
	else if (s > 0 && (s != S_OTHER || head_is_audio(d))) {
		if ((t = spill_file(d, &path)) == NULL)
			*envfail = 1;
		else {
			if ((s = copy_out(d, t)) != 0)
				*envfail = s == -1;
			else if (fclose(t) != 0) {
				seterr(d, "cannot copy the input to a "
				    "temporary file: %s", strerror(errno));
				*envfail = 1;
			} else
				t = NULL;
			if (t != NULL) {
				fclose(t);
				sp_spool_remove(path);
				path = NULL;
			}
		}
	}
	if (path == NULL && err != NULL && n > 0)
		snprintf(err, n, "%s", d->err[0] ? d->err : "cannot read");
	d->fp = NULL;
	sp_decode_close(d);
	return path;
}

int
sp_decode_keep(const char *name, char **spool, int *envfail, char *err,
    size_t n)
{
	struct stat st;
	FILE *in;

	*spool = NULL;
	*envfail = 0;
	if (strcmp(name, "-") == 0)
		in = stdin;
	else if (stat(name, &st) != 0 || (!S_ISFIFO(st.st_mode) &&
	    !S_ISCHR(st.st_mode)))
		return 0;
	else if ((in = fopen(name, "rb")) == NULL) {
		if (err != NULL && n > 0)
			snprintf(err, n, "cannot open: %s", strerror(errno));
		return -1;
	}
	*spool = sp_decode_spool(in, envfail, err, n);
	if (in != stdin)
		fclose(in);
	return *spool != NULL ? 0 : -1;
}

struct sp_decoder *
sp_decode_open(const char *path, char *err, size_t n)
{
	struct sp_decoder *d = sp_xcalloc(1, sizeof(*d));
	struct stat st;
	int s, rc = -1;

	if ((d->fp = sp_open_in(path)) == NULL) {
		seterr(d, "cannot open: %s", strerror(errno));
		goto out;
	}
	d->own = d->fp != stdin;
	d->seekable = fstat(fileno(d->fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    ftello(d->fp) == 0;
	if ((s = sniff(d)) < 0)
		goto out;
	switch (s) {
	case S_NONE:
		seterr(d, "empty file");
		break;
	case S_ADTS:
		d->kind = K_ADTS;
		d->ihead = 0;
		rc = open_adts(d);
		break;
	case S_MP4:
		d->kind = K_MP4;
		rc = open_mp4(d);
		break;
	case S_OPUS:
		d->kind = K_OPUS;
		rc = open_opus(d);
		break;
	default:
		d->kind = K_SNDFILE;
		d->ihead = 0;
		rc = open_sndfile(d);
	}
	if (rc == 0 && (d->info.channels == 0 || d->info.sample_rate == 0)) {
		seterr(d, "no audio");
		rc = -1;
	}
	if (rc == 0 && (d->kind == K_ADTS || d->kind == K_MP4)) {
		if (d->info.channels > AAC_MAXCH) {
			seterr(d, "too many channels");
			rc = -1;
		} else {
			d->pcm = sp_xcalloc((size_t)AAC_FRAME *
			    d->info.channels, sizeof(float));
			d->au = sp_xcalloc(1, AAC_MAXAU + AAC_PAD);
			d->want = d->vstart;
		}
	}
out:
	if (rc != 0) {
		if (err != NULL && n > 0)
			snprintf(err, n, "%s", d->err[0] ? d->err :
			    "not a supported audio file");
		sp_decode_close(d);
		return NULL;
	}
	d->err[0] = '\0';
	return d;
}

const struct sp_decode_info *
sp_decode_info(const struct sp_decoder *d)
{
	return &d->info;
}

long
sp_decode_read(struct sp_decoder *d, float *buf, size_t frames)
{
	long r;

	if (frames == 0)
		return 0;
	if (frames > (size_t)LONG_MAX / 8 / d->info.channels)
		frames = (size_t)LONG_MAX / 8 / d->info.channels;
	if (d->sf_failed)
		r = -1;
	else if (d->at_end)
		r = 0;
	else if (d->kind == K_ADTS || d->kind == K_MP4)
		r = aac_read(d, buf, frames);
	else if (d->kind == K_OPUS)
		r = opus_read(d, buf, frames);
	else {
		sf_count_t k = sf_readf_float(d->sf, buf, (sf_count_t)frames);

		/* Each call clears the error of the one before: a short
		 * read's is told now, or with the next call. */
		r = (long)k;
		if (k < (sf_count_t)frames &&
		    sf_error(d->sf) != SF_ERR_NO_ERROR) {
			seterr(d, "%s", sf_strerror(d->sf));
			d->sf_failed = 1;
			r = k > 0 ? (long)k : -1;
		}
	}
	if (r > 0)
		d->pos += (uint64_t)r;
	else if (r == 0) {
		/* The end: now the total is exact whatever was announced. */
		d->info.total = d->pos;
		d->info.total_known = 1;
	}
	return r;
}

/*
 * op_pcm_seek starts decoding 80 ms before the target with a fresh
 * decoder; at speech bitrates the SILK state has not converged by then
 * (mono-48k.opus, 24 kb/s: up to 0.58 off a full decode).  Seek
 * OPUS_PREROLL earlier and decode forward to the target.
 */
#define OPUS_PREROLL	48000

static int
opus_seek(struct sp_decoder *d, uint64_t sample)
{
	float buf[4096];
	uint64_t at = sample > OPUS_PREROLL ? sample - OPUS_PREROLL : 0;
	unsigned ch = d->info.channels;
	int k, want;

	if (op_pcm_seek(d->of, (ogg_int64_t)at) != 0)
		return -1;
	while (at < sample) {
		want = (int)(sizeof(buf) / sizeof(buf[0]) / ch);
		if ((uint64_t)want > sample - at)
			want = (int)(sample - at);
		k = op_read_float(d->of, buf, want * (int)ch, NULL);
		if (k == OP_HOLE)
			continue;
		if (k <= 0)
			return -1;
		at += (uint64_t)k;
	}
	return 0;
}

/*
 * libsndfile 1.2.0's Vorbis seek lands near, not on, the sample (a seek
 * to 15360 in mono-44k.ogg read other samples than a full decode), so
 * decode forward from where we are, or from the start.
 */
static int
vorbis_seek(struct sp_decoder *d, uint64_t sample)
{
	float buf[4096];
	uint64_t at = d->pos;
	sf_count_t k, want;
	unsigned ch = d->info.channels;

	if (sample < at) {
		if (sf_seek(d->sf, 0, SEEK_SET) != 0)
			return -1;
		at = 0;
	}
	while (at < sample) {
		want = (sf_count_t)(sizeof(buf) / sizeof(buf[0]) / ch);
		if ((uint64_t)want > sample - at)
			want = (sf_count_t)(sample - at);
		if ((k = sf_readf_float(d->sf, buf, want)) <= 0)
			return -1;
		at += (uint64_t)k;
	}
	return 0;
}

int
sp_decode_seek(struct sp_decoder *d, uint64_t sample)
{
	int r;

	if (!d->info.seekable ||
	    (d->info.total_known && sample > d->info.total)) {
		seterr(d, d->info.seekable ? "seek past the end" :
		    "cannot seek in this input");
		return -1;
	}
	d->at_end = 0;
	d->sf_failed = 0;
	if (d->info.total_known && sample == d->info.total &&
	    d->kind != K_ADTS &&
	    d->kind != K_MP4) {
		d->at_end = 1;
		d->pos = sample;
		return 0;
	}
	if (d->kind == K_ADTS || d->kind == K_MP4)
		r = aac_seek(d, sample);
	else if (d->kind == K_OPUS)
		r = opus_seek(d, sample);
	else if (d->info.seek_decodes)
		r = vorbis_seek(d, sample);
	else
		r = sf_seek(d->sf, (sf_count_t)sample, SEEK_SET) < 0 ? -1 : 0;
	if (r != 0) {
		if (!d->err[0])
			seterr(d, "cannot seek to sample %llu",
			    (unsigned long long)sample);
		return -1;
	}
	d->pos = sample;
	return 0;
}

int
sp_decode_count(struct sp_decoder *d)
{
	uint64_t at = d->pos;
	float *buf;
	long got;

	if (d->info.total_known)
		return 0;
	buf = sp_xcalloc((size_t)4096 * d->info.channels, sizeof(*buf));
	while ((got = sp_decode_read(d, buf, 4096)) > 0)
		;
	free(buf);
	if (got < 0)
		return -1;
	return d->info.seekable ? sp_decode_seek(d, at) : 0;
}

uint64_t
sp_decode_tell(const struct sp_decoder *d)
{
	return d->pos;
}

uint64_t
sp_decode_damaged(const struct sp_decoder *d)
{
	return d->damaged;
}

const char *
sp_decode_error(const struct sp_decoder *d)
{
	return d->err;
}

void
sp_decode_close(struct sp_decoder *d)
{
	if (d == NULL)
		return;
	if (d->faad != NULL)
		NeAACDecClose(d->faad);
	if (d->mp4 != NULL)
		sp_mp4_close(d->mp4);
	if (d->of != NULL)
		op_free(d->of);
	if (d->sf != NULL)
		sf_close(d->sf);
	if (d->fp != NULL) {
		if (d->own)
			fclose(d->fp);
		else
			clearerr(d->fp);
	}
	free(d->head);
	free(d->adts);
	free(d->q);
	free(d->rb);
	free(d->marks);
	free(d->pcm);
	free(d->au);
	free(d);
}
