/* decode: any supported audio input to interleaved float PCM. */
#ifndef SP_DECODE_H
#define SP_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * What is decoded is chosen by content, never by the file name:
 *
 *   ADTS (optionally after ID3v2 tags or junk)  lib/adts + libfaad2  "adts"
 *   ISO-BMFF (M4A) with one AAC track           lib/mp4 + libfaad2   "mp4"
 *   Ogg whose first packet is OpusHead          opusfile             "opus"
 *   anything else libsndfile reads              libsndfile           "wav",
 *       "flac", "mp3", "ogg" (Vorbis), "aiff", ... ("sndfile" if unnamed)
 *
 * Sample counts are those of the independent tools:
 *   - ADTS: frames x 1024, aligned like ffmpeg's decoder.  ADTS cannot
 *     signal priming, so nothing is trimmed.  libfaad2 never outputs the
 *     first frame it decodes (decoder.c: "frame <= 1"); output sample j
 *     of faad is ffmpeg's j + 1024.  We put 1024 zero samples in front
 *     in its place: ffmpeg's first 1024 samples are the un-overlapped
 *     first half of frame 0 (the encoder's priming, near silence for a
 *     stream that starts where the encoder started).
 *   - MP4: the edit list: output starts at edit_media_time and lasts
 *     duration_samples, which is ffprobe's duration_ts.
 *   - Opus: pre-skip and the end granule trim (opusfile), 48 kHz.
 *   - libsndfile formats: what libsndfile reads.  For MP3 it uses mpg123
 *     in gapless mode, which like ffmpeg honours the LAME/Xing delay and
 *     padding; without that tag both decode every frame in full.
 *
 * Memory is bounded whatever the input length: one AAC frame of PCM, a
 * sparse ADTS frame index (one entry per 64 frames), the libraries' own
 * state.  Nothing here prints or exits (allocation failure aside).
 */

struct sp_decode_info {
	const char	*format;	/* static string, see above */
	const char	*codec;		/* "aac", "opus", "mp3", "flac",
					   "pcm", "vorbis", ... (static) */
	unsigned	 sample_rate;	/* Hz, of the PCM returned */
	unsigned	 channels;	/* of the PCM returned */
	int		 total_known;	/* 1: total is exact */
	uint64_t	 total;		/* samples per channel */
	int		 seekable;	/* sp_decode_seek works */
	int		 seek_decodes;	/* it decodes up to the target (Vorbis):
					   a seek costs as much as reading */
};

struct sp_decoder;

/*
 * Open path ("-": standard input, borrowed and left open) and read enough
 * of it to know the format, rate, channels and (for a seekable input) the
 * exact length.  A pipe is copied to an unnamed temporary file first when
 * the format needs seeking (MP4, libsndfile formats); ADTS and Ogg Opus
 * stream from it, with total_known and seekable 0.  Returns a new decoder
 * for sp_decode_close, or NULL with a message in err ("not a supported
 * audio file", "cannot open: ..."), err may be NULL.
 */
struct sp_decoder *sp_decode_open(const char *path, char *err, size_t n);

/*
 * Keep the pipe in (borrowed: the standard input) in a temporary file in
 * $TMPDIR for readers that need a path: a new path, which the caller
 * unlinks and frees, or NULL with err.  As sp_decode_open does with a pipe,
 * what does not begin as audio a decoder here takes (an endless
 * /dev/zero) is refused on its first bytes, before anything is kept, and
 * a pipe of more than 4 GiB is refused.  *envfail is 1 when the failure
 * was the temporary file's (exit status 3), else 0 (the input's).
 */
char	*sp_decode_spool(FILE *in, int *envfail, char *err, size_t n);

/*
 * What to read the operand name from.  A file (or what is not there: the
 * readers will say) is read where it is: *spool is NULL.  The standard
 * input ("-"), a named pipe or a character device (mkfifo, <(...),
 * /dev/stdin), which readers can neither seek nor open twice, is kept by
 * sp_decode_spool: *spool is its path, for sp_spool_remove.  0, or -1
 * with err and *envfail as sp_decode_spool says.
 */
int	sp_decode_keep(const char *name, char **spool, int *envfail,
	    char *err, size_t n);

/* The stream's parameters (borrowed, valid until close).  total becomes
 * known, and exact, once sp_decode_read has returned 0. */
const struct sp_decode_info *sp_decode_info(const struct sp_decoder *d);

/*
 * Decode up to frames samples per channel into buf (frames x channels
 * floats, interleaved, nominally in [-1, 1]).  Returns the number of
 * sample frames written, 0 at the end, -1 on a read or decoding error
 * (sp_decode_error says which).  A damaged AAC frame inside a stream
 * decodes as silence and is counted in sp_decode_damaged, so the
 * timeline stays exact.
 */
long	sp_decode_read(struct sp_decoder *d, float *buf, size_t frames);

/*
 * Make sample (per channel, from 0) the next one read; sample-exact in
 * position.  The samples equal a full decode's bit for bit for WAV,
 * FLAC, Opus (we seek 1 s early and decode forward: opusfile's own 80 ms
 * pre-roll left SILK up to 0.58 off) and Vorbis (decoded forward:
 * libsndfile 1.2.0's Vorbis seek is not exact).  AAC restarts libfaad2
 * two frames early: equal except in noise-substituted (PNS) bands, whose
 * random generator a restart resets (max 6e-3 measured, correlation
 * > 0.9997).  MP3 (mpg123): within 1e-4.  Seeking to total is allowed
 * (the end).  0, or -1 when not seekable or out of range.
 */
int	sp_decode_seek(struct sp_decoder *d, uint64_t sample);

/*
 * Make total known (an MP3 without a Xing/Info frame, whose header gives
 * only an estimate): decode to the end to count, then, when the input is
 * seekable, go back to where it was.  0, or -1 (sp_decode_error says why).
 * Nothing to do, 0, when total is known already.
 */
int	sp_decode_count(struct sp_decoder *d);

/* The next sample frame sp_decode_read would return. */
uint64_t sp_decode_tell(const struct sp_decoder *d);

/* AAC frames that failed to decode and were replaced by silence. */
uint64_t sp_decode_damaged(const struct sp_decoder *d);

/* The last error in words (borrowed), "" if none. */
const char *sp_decode_error(const struct sp_decoder *d);

/* Free everything; NULL is allowed. */
void	sp_decode_close(struct sp_decoder *d);

#endif
