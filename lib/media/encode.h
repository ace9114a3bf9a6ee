/* encode: interleaved float PCM to Ogg Opus, MP3, FLAC or WAV, streaming. */
#ifndef SP_ENCODE_H
#define SP_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "oggopus.h"

/*
 * Every format streams, with memory bounded whatever the length (one Opus
 * frame, one resampler block, the libraries' own state), and every one can
 * go to a pipe.  What a pipe costs, since nothing can be patched afterwards:
 *
 *   Opus  nothing: Ogg needs no seek.  libopus (OPUS_APPLICATION_AUDIO:
 *         the input is already mastered, so no VOIP high-pass or
 *         intelligibility shaping; libopus still picks SILK or hybrid for
 *         speech), VBR, 20 ms packets, pre-skip = the encoder's lookahead,
 *         the last frame zero-padded and cut by the end granule (RFC 7845
 *         4.4): the decoded length equals the frames given, exactly.
 *         Any rate other than 48000 is resampled to 48 kHz (libsamplerate,
 *         SRC_SINC_MEDIUM_QUALITY, time-aligned); the decoded length is
 *         then round(frames x 48000 / rate), halves up.  OpusHead's
 *         input_rate is the rate given.  The vendor string is libopus's.
 *   MP3   libsndfile + LAME, CBR.  To a seekable file LAME's Xing/Info
 *         frame is filled in at the end (delay, padding, exact length,
 *         seek table: ffmpeg and mpg123 then decode exactly the frames
 *         given).  To a pipe libsndfile turns that frame off ("can't seek
 *         back"): decoders then also output LAME's delay and padding.
 *         No ID3 tag is written (the caller writes its own before).
 *         Rates: those of MPEG audio (8000-48000, the usual nine).
 *   FLAC  libsndfile + libFLAC.  To a pipe STREAMINFO keeps the values of
 *         the start: total samples and MD5 unknown (0), as flac(1) does.
 *   WAV   libsndfile.  To a file: exact RIFF sizes.  To a pipe the header
 *         is ours, with RIFF and data sizes 0xFFFFFFFF, the "unknown
 *         length" ffmpeg writes to a pipe and reads to the end of file.
 *
 * FLAC and WAV are 16-bit by default (the input is a lossy decode: its
 * noise is far above 16-bit quantisation); 24 on request.  Float input
 * is converted with clipping and without dither.
 */

enum sp_enc_format { SP_ENC_OPUS, SP_ENC_MP3, SP_ENC_FLAC, SP_ENC_WAV };

struct sp_enc_opts {
	enum sp_enc_format format;
	unsigned	 rate;		/* of the PCM given */
	unsigned	 channels;	/* of the PCM given: 1 or 2 */
	/* kb/s; 0: the default (Opus 32 mono / 64 stereo, MP3 96 mono /
	 * 128 stereo).  Opus 6-510; MP3 CBR at sp_encode_mp3_bitrate's
	 * nearest MPEG bitrate.  FLAC, WAV: ignored. */
	unsigned	 bitrate;
	/* Opus: comments incl. CHAPTERxxx (copied; its vendor is replaced
	 * by libopus's); NULL: vendor only.  FLAC to a file that seeks: the
	 * same comments in its VORBIS_COMMENT block (vendor libFLAC's),
	 * then a PADDING block; to a pipe, none. */
	const struct sp_opus_tags *opus_tags;
	unsigned	 bits;		/* FLAC, WAV: 16 (0) or 24 */
};

struct sp_encoder;

/*
 * The MPEG layer III bitrate an MP3 at rate is encoded at for kbps: the
 * nearest one that MPEG has at that rate (32-320 at 32 kHz and up, 8-160
 * from 16 kHz, 8-64 below), the higher of two as near.  6 gives 32 at
 * 48 kHz, 400 gives 320.
 */
unsigned sp_encode_mp3_bitrate(unsigned rate, unsigned kbps);

/*
 * Write to fp (borrowed; e.g. an sp_atomic's FILE, or stdout: every
 * format here streams), from its current position (an ID3 tag may be
 * there already).  Returns a new encoder (sp_encode_free), or NULL with a
 * message in err (err may be NULL).
 */
struct sp_encoder *sp_encode_new(FILE *fp, const struct sp_enc_opts *o,
	    char *err, size_t errlen);
/* frames x channels interleaved floats, nominally in [-1, 1].  0, or -1
 * with sp_encode_error; after a failure every call fails. */
int	sp_encode_write(struct sp_encoder *e, const float *pcm, size_t frames);
/*
 * Flush and finish the stream (Opus: the end granule trims the padding so
 * the decoded length equals the frames given, exactly), and fflush fp.
 * 0 / -1 with sp_encode_error.  Call it once; then only free.
 */
int	sp_encode_finish(struct sp_encoder *e);
/* The last error in words (borrowed), "" if none. */
const char *sp_encode_error(const struct sp_encoder *e);
/* Free everything (fp stays open); NULL is allowed.  Without a finish
 * the output is incomplete. */
void	sp_encode_free(struct sp_encoder *e);

/* Samples per channel the decoded output will hold for frames given. */
uint64_t sp_encode_output_frames(const struct sp_enc_opts *o,
	    uint64_t frames);

#endif
