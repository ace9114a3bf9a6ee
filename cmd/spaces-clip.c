/* spaces-clip: sample-accurate lossless clips and podcast-ready exports. */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "chapters.h"
#include "cliplist.h"
#include "consent.h"
#include "cut.h"
#include "decode.h"
#include "encode.h"
#include "args.h"
#include "err.h"
#include "id3w.h"
#include "io.h"
#include "json.h"
#include "measure.h"
#include "oggopus.h"
#include "options.h"
#include "probe.h"
#include "progress.h"
#include "remux.h"
#include "render.h"
#include "timefmt.h"
#include "mp4.h"
#include "mp4v.h"
#include "vcut.h"
#include "vprobe.h"
#include "xalloc.h"
#include "banned.h"

enum {
	OPT_ALBUM = 256, OPT_ARTIST, OPT_BITRATE, OPT_CHAPTERS, OPT_CHJSON,
	OPT_CLIPS, OPT_COMMENT, OPT_FADE_IN, OPT_FADE_OUT, OPT_FORMAT,
	OPT_JOBS, OPT_LOUDNESS, OPT_MONO, OPT_MUTE_UNCONSENTED, OPT_REENCODE,
	OPT_REQUIRE_CONSENT, OPT_SPEAKERS, OPT_TITLE, OPT_TRUE_PEAK
};

#define TIMES	"0 30 1:30 10:00 1:00:00 1h2m3.5s"

static const struct sp_opt optlist[] = {
	{ 'f', "force", NULL, SP_VAL_NONE, NULL, "replace outputs that exist" },
	{ 'j', "json", NULL, SP_VAL_NONE, NULL,
	    "print a clip record per output" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL, "print no notes on stderr" },
	{ 's', "start", "start", SP_VAL_DURATION, TIMES,
	    "start the clip here" },
	{ 'e', "end", "end", SP_VAL_DURATION, TIMES, "end the clip here" },
	{ 'd', "duration", "duration", SP_VAL_DURATION, TIMES,
	    "make the clip this long" },
	{ 'o', "output", "output", SP_VAL_FILE,
	    "m4a aac opus mp3 flac wav mp4 -",
	    "output file, template (%n %02n %t %s) or -" },
	{ OPT_CLIPS, "clips", "file|-", SP_VAL_FILE, "txt ndjson json -",
	    "cut the clips listed in a file (or -)" },
	{ OPT_FORMAT, "format", "fmt", SP_VAL_CHOICE,
	    "m4a aac opus mp3 flac wav mp4", "output format" },
	{ OPT_REENCODE, "reencode", NULL, SP_VAL_NONE, NULL,
	    "decode and encode even when a lossless cut is possible" },
	{ OPT_BITRATE, "bitrate", "kbps", SP_VAL_NUMBER,
	    "24 32 48 64 96 128 192", "bitrate in kb/s (6-510)" },
	{ OPT_MONO, "mono", NULL, SP_VAL_NONE, NULL,
	    "mix the channels to one" },
	{ OPT_FADE_IN, "fade-in", "S", SP_VAL_DURATION, "0.5 1 2 3",
	    "fade in over the first S seconds" },
	{ OPT_FADE_OUT, "fade-out", "S", SP_VAL_DURATION, "0.5 1 2 3",
	    "fade out over the last S seconds" },
	{ OPT_LOUDNESS, "loudness", "LUFS", SP_VAL_NUMBER, "-16 -19 -23",
	    "loudness in LUFS (-16 stereo, -19 mono)" },
	{ OPT_TRUE_PEAK, "true-peak", "DBTP", SP_VAL_NUMBER, "-1 -1.5 -2",
	    "true-peak ceiling in dBTP (-1)" },
	{ OPT_JOBS, "jobs", "N", SP_VAL_NUMBER, "1 2 4 8",
	    "measure loudness on N cores (all)" },
	{ OPT_TITLE, "title", "T", SP_VAL_TEXT, NULL, "the title tag" },
	{ OPT_ARTIST, "artist", "A", SP_VAL_TEXT, NULL, "the artist tag" },
	{ OPT_ALBUM, "album", "A", SP_VAL_TEXT, NULL, "the album tag" },
	{ OPT_COMMENT, "comment", "C", SP_VAL_TEXT, NULL, "the comment tag" },
	{ OPT_CHAPTERS, "chapters", "file", SP_VAL_FILE, "txt json -",
	    "read the chapters from a file (or -)" },
	{ OPT_CHJSON, "chapters-json", "out.json", SP_VAL_FILE, "json",
	    "write Podcasting 2.0 JSON chapters here" },
	{ OPT_SPEAKERS, "speakers", "FILE", SP_VAL_FILE, "ndjson json -",
	    "who speaks when: turn or space records" },
	{ OPT_REQUIRE_CONSENT, "require-consent", NULL, SP_VAL_NONE, NULL,
	    "refuse a clip with a voice that has no consent" },
	{ OPT_MUTE_UNCONSENTED, "mute-unconsented", NULL, SP_VAL_NONE, NULL,
	    "silence the voices that have no consent" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-clip",
	"spaces-clip [-fjq] [-s start] [-e end | -d duration] [-o output] "
	"[--clips file|-] [--format fmt] [--reencode] [--bitrate kbps] "
	"[--mono] [--fade-in S] [--fade-out S] [--loudness LUFS] "
	"[--true-peak DBTP] [--jobs N] [--title T] [--artist A] [--album A] "
	"[--comment C] [--chapters file] [--chapters-json out.json] "
	"[--speakers FILE [--require-consent] [--mute-unconsented]] input|-",
	optlist, SP_VAL_FILE,
	"aac ts m4a m4b mp4 opus ogg oga wav flac mp3 aif aiff aifc -",
	0, NULL, NULL, NULL
};

/* The output formats: which of them stream to a pipe, and which are
 * lossy (decoded, they are not the samples encoded). */
static const struct format {
	const char	*name;
	int		 streams;
	int		 lossy;
} formats[] = {
	{ "m4a", 0, 1 }, { "aac", 1, 1 }, { "opus", 1, 1 }, { "mp3", 1, 1 },
	{ "flac", 0, 0 }, { "wav", 1, 0 }, { "mp4", 0, 0 },
};

struct run {
	int		 force, json, quiet, reencode, mono, normalise;
	unsigned	 bitrate;
	double		 fade_in, fade_out, target, ceiling;
	const char	*format, *output, *chjson;
	const char	*title, *artist, *album, *comment;
	struct sp_chapters chapters;
	int		 status;
	struct sp_progress bar;
	/* The input, opened once for every clip. */
	const char	*name;		/* as given */
	const char	*path;		/* a file: the input or its spool */
	struct sp_cut_source *cut;	/* lossless path */
	struct sp_decoder *dec;		/* transcode path */
	struct sp_vcut_source *vcut;	/* video MP4 to MP4 */
	unsigned	 rate;
	uint64_t	 total;
	int64_t		 recorded;	/* ms since 1970 at sample 0; -1 */
	/* The consent gate (--speakers): who speaks when, who agreed. */
	const char	*speakers;
	int		 require_consent, mute_unconsented;
	struct sp_turns	 turns;
	struct sp_ledger ledger;
	struct sp_consent_index consent;	/* of the two, for every clip */
	struct sp_ranges mute;		/* this clip's, in source samples */
	json_t		*muted;		/* this clip's, for its record */
};

/* The files this run has written, to tell one from a file it found. */
struct made {
	dev_t		 dev;
	ino_t		 ino;
};

static struct made *made;
static size_t nmade;

static void
remember(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return;
	made = sp_xreallocarray(made, nmade + 1, sizeof(*made));
	made[nmade].dev = st.st_dev;
	made[nmade].ino = st.st_ino;
	nmade++;
}

static int
made_here(const char *path)
{
	struct stat st;
	size_t i;

	if (stat(path, &st) != 0)
		return 0;
	for (i = 0; i < nmade; i++)
		if (made[i].dev == st.st_dev && made[i].ino == st.st_ino)
			return 1;
	return 0;
}

/*
 * path (owned, freed here), or, when this run already wrote it (two
 * titles that give one slug: "Intro" and "Intro!"), the first of
 * "name-2.ext", "name-3.ext"... it did not write, said on stderr.
 * Another clip's output is never replaced, with -f or without.
 */
static char *
unique_name(char *path, size_t index)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	char *alt = NULL;
	size_t stem;
	unsigned k;

	if (!made_here(path))
		return path;
	if (dot == NULL || (slash && dot < slash) || dot == path ||
	    dot == slash + 1)
		dot = path + strlen(path);
	stem = (size_t)(dot - path);
	for (k = 2; alt == NULL || made_here(alt); k++) {
		free(alt);
		alt = sp_xasprintf("%.*s-%u%s", (int)stem, path, k, dot);
	}
	sp_warnx("clip %zu: '%s' is an output of this run already; it goes "
	    "to '%s'", index, path, alt);
	free(path);
	return alt;
}

/* stdin kept in a file, and an MPEG-TS input remuxed to MP4: removed
 * however we exit. */
/* Removed on exit and on a signal (lib/io's temporary files). */
static char *spool, *remuxed;

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(&optspec);
}

static void
worse(struct run *r, int status)
{
	if (status > r->status)
		r->status = status;
}

static double
time_arg(const char *opt, const char *s)
{
	double v;

	if (sp_parse_duration(s, &v) != 0)
		sp_errx(SP_EXIT_USAGE, "%s '%s': not a time (90, 1:30, "
		    "01:02:03.250, 1h2m3.5s)", opt, s);
	return v;
}

/* The format: --format, else the output's extension. */
static const char *
pick_format(const char *fmt, const char *out)
{
	const char *dot;
	size_t i;

	if (fmt == NULL && out && (dot = strrchr(out, '.')) != NULL &&
	    strchr(dot, '/') == NULL)
		fmt = dot + 1;
	if (fmt == NULL)
		return NULL;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcasecmp(fmt, formats[i].name) == 0)
			return formats[i].name;
	sp_errx(SP_EXIT_USAGE, "'%s': not a format this tool writes (m4a, "
	    "aac, opus, mp3, flac, wav, mp4)", fmt);
}

/* The entry of fmt; NULL for a name not in the table, which pick_format
 * never returns. */
static const struct format *
format_of(const char *fmt)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, fmt) == 0)
			return &formats[i];
	return NULL;
}

static void
bad_line(void *ctx, size_t line, const char *why)
{
	struct run *r = ctx;

	sp_warnx("clips line %zu: %s; skipped", line, why);
	worse(r, SP_EXIT_USAGE);
}

/*
 * An MP4 output of a video input is a lossless cut (lib/vcut): video is
 * never re-encoded here, so processing it is refused.  Other outputs of
 * a video input take its audio by the usual paths.
 */
static int
open_video(struct run *r, int processing)
{
	char err[300];

	if (strcmp(r->format, "mp4") != 0)
		return 0;
	if (processing)
		sp_errx(SP_EXIT_USAGE, "'%s': video is cut as it is, never "
		    "re-encoded: drop --reencode, --mono, fades, --loudness "
		    "and --bitrate, or take the audio (-o clip.m4a, .opus, "
		    ".mp3...)", r->name);
	/* MPEG-TS (a recording's .ts) is remuxed to MP4 first: lossless,
	 * and the clip's times are those spaces-info gives for the TS. */
	if (sp_vprobe_is_ts(r->path) == 1) {
		const char *dir = getenv("TMPDIR");
		char *const in[1] = { (char *)r->path };
		int fd;

		remuxed = sp_xasprintf("%s/spaces.XXXXXX", dir && *dir ? dir :
		    "/tmp");
		if ((fd = mkstemp(remuxed)) == -1)
			sp_err(SP_EXIT_ENV, "cannot make a temporary file");
		close(fd);
		sp_temp_add(remuxed);
		if (sp_remux_files(in, 1, remuxed, SP_REMUX_MP4, 1, NULL, err,
		    sizeof(err)) != 0)
			sp_errx(SP_EXIT_USAGE, "'%s': %s", r->name, err);
		r->path = remuxed;
	}
	if ((r->vcut = sp_vcut_open(r->path, err, sizeof(err))) == NULL)
		sp_errx(SP_EXIT_USAGE, "'%s': %s", r->name, err);
	if (r->chapters.n > 0 || r->chjson)
		sp_warnx("'%s': chapters are not written to video MP4 clips",
		    r->name);
	r->rate = SP_MP4V_TIMESCALE;
	r->total = (uint64_t)llround(sp_vcut_length(r->vcut) * r->rate);
	return 1;
}

/* Open the input for the path the run takes: lossless when it can. */
static void
open_input(struct run *r)
{
	char err[300];
	int processing = r->reencode || r->mono || r->fade_in > 0 ||
	    r->fade_out > 0 || r->normalise || r->bitrate > 0;
	const char *codec;

	if (sp_vprobe_is_video(r->path) == 1 && open_video(r, processing))
		return;

	r->cut = processing ? NULL : sp_cut_open(r->path, err, sizeof(err));
	if (r->cut) {
		codec = sp_cut_codec(r->cut);
		if ((strcmp(codec, "aac") == 0 && (strcmp(r->format, "m4a") ==
		    0 || strcmp(r->format, "aac") == 0 ||
		    strcmp(r->format, "mp4") == 0)) ||
		    (strcmp(codec, "opus") == 0 &&
		    strcmp(r->format, "opus") == 0)) {
			r->rate = sp_cut_rate(r->cut);
			r->total = sp_cut_total(r->cut);
			return;
		}
		sp_cut_close(r->cut);
		r->cut = NULL;
	}
	if ((r->dec = sp_decode_open(r->path, err, sizeof(err))) == NULL)
		sp_errx(SP_EXIT_USAGE, "'%s': %s", r->name, err);
	if (strcmp(r->format, "m4a") == 0 || strcmp(r->format, "aac") == 0 ||
	    strcmp(r->format, "mp4") == 0)
		sp_errx(SP_EXIT_USAGE, "'%s': %s output is a lossless cut of AAC "
		    "input only (no AAC encoder here); for processed audio "
		    "choose opus, mp3, flac or wav", r->name, r->format);
	/* An MP3 without a Xing frame: counted, as spaces-info counts it. */
	if (sp_decode_count(r->dec) != 0)
		sp_errx(SP_EXIT_USAGE, "'%s': %s", r->name,
		    sp_decode_error(r->dec));
	r->rate = sp_decode_info(r->dec)->sample_rate;
	r->total = sp_decode_info(r->dec)->total;
}

/*
 * When the clip's first sample (start, in samples) was recorded, as an
 * ISO 8601 UTC date and time to the second ("2024-05-01T19:00:00Z"), or
 * without the zone for ID3 (TDRC is a subset of ISO 8601 without one);
 * "" when the input does not say.
 */
static const char *
clip_date(const struct run *r, uint64_t start, int id3, char buf[32])
{
	struct tm tm;
	time_t t;

	buf[0] = '\0';
	if (r->recorded < 0)
		return buf;
	t = (time_t)((r->recorded + llround((double)start * 1000 / r->rate)) /
	    1000);
	if (gmtime_r(&t, &tm) != NULL)
		strftime(buf, 32, id3 ? "%Y-%m-%dT%H:%M:%S" :
		    "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* Opus (and FLAC) comments from the tags and the clip's chapters. */
static void
opus_tags(struct run *r, const char *title, const struct sp_chapters *ch,
    uint64_t start, struct sp_opus_tags *t)
{
	char date[32];

	sp_opus_tags_init(t);
	sp_opus_tags_set_vendor(t, "spaces " SP_VERSION);
	if (title)
		sp_opus_tags_add(t, "TITLE", title);
	if (r->artist)
		sp_opus_tags_add(t, "ARTIST", r->artist);
	if (r->album)
		sp_opus_tags_add(t, "ALBUM", r->album);
	if (r->comment)
		sp_opus_tags_add(t, "DESCRIPTION", r->comment);
	if (*clip_date(r, start, 0, date))
		sp_opus_tags_add(t, "DATE", date);
	sp_opus_tags_add_chapters(t, ch, INFINITY);
}

static void
on_progress(void *ctx, uint64_t done)
{
	sp_progress_update(ctx, done);
}

/* The processing the run asks for. */
static void
render_opts(struct run *r, struct sp_render_opts *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->mono = r->mono;
	ro->fade_in = r->fade_in;
	ro->fade_out = r->fade_out;
	ro->normalise = r->normalise;
	ro->target = r->target;
	ro->ceiling = r->ceiling;
	ro->progress = on_progress;
	ro->ctx = &r->bar;
	ro->mute = r->mute.n ? &r->mute : NULL;
	ro->mute_fade = r->rate / 100;		/* 10 ms */
	ro->path = r->path;	/* a file, or the spool of a pipe */
}

/* The encoder for the run (its Opus tags are the caller's). */
static void
enc_opts(const struct run *r, const struct sp_render_opts *ro,
    struct sp_enc_opts *eo)
{
	memset(eo, 0, sizeof(*eo));
	eo->format = strcmp(r->format, "opus") == 0 ? SP_ENC_OPUS :
	    strcmp(r->format, "mp3") == 0 ? SP_ENC_MP3 :
	    strcmp(r->format, "flac") == 0 ? SP_ENC_FLAC : SP_ENC_WAV;
	eo->rate = r->rate;
	eo->channels = sp_render_channels(r->dec, ro);
	eo->bitrate = r->bitrate;
}

/* The transcode path into fp; with gain (not NULL), at that gain. */
static int
transcode(struct run *r, uint64_t start, uint64_t end, const char *title,
    const struct sp_chapters *ch, FILE *fp, const double *gain,
    struct sp_render_result *res, char *err, size_t errlen)
{
	struct sp_render_opts ro;
	struct sp_enc_opts eo;
	struct sp_opus_tags ot;
	struct sp_id3w_tags it;
	struct sp_encoder *e;
	unsigned char *tag;
	char date[32];
	size_t len;
	int rc;

	render_opts(r, &ro);
	if (gain) {
		ro.gain_given = 1;
		ro.gain = *gain;
	}
	sp_progress_init(&r->bar, gain ? "correct" : "transcode",
	    sp_render_work(&ro, end - start), r->quiet);
	enc_opts(r, &ro, &eo);
	opus_tags(r, title, ch, start, &ot);
	eo.opus_tags = &ot;
	if (eo.format == SP_ENC_MP3) {
		/* ID3v2 with CHAP frames under a CTOC, before the stream. */
		memset(&it, 0, sizeof(it));
		it.title = title;
		it.artist = r->artist;
		it.album = r->album;
		it.comment = r->comment;
		if (*clip_date(r, start, 1, date))
			it.date = date;
		tag = sp_id3w_build(&it, ch, (double)(end - start) / r->rate,
		    &len);
		rc = fwrite(tag, 1, len, fp) == len ? 0 : -1;
		free(tag);
		if (rc != 0) {
			sp_opus_tags_release(&ot);
			snprintf(err, errlen, "%s", strerror(errno));
			return -1;
		}
	}
	if ((e = sp_encode_new(fp, &eo, err, errlen)) == NULL) {
		sp_opus_tags_release(&ot);
		return -1;
	}
	rc = sp_render(r->dec, start, end, &ro, e, res, err, errlen);
	sp_progress_end(&r->bar);
	if (rc == 0 && sp_encode_finish(e) != 0) {
		snprintf(err, errlen, "%s", sp_encode_error(e));
		rc = -1;
	}
	sp_encode_free(e);
	sp_opus_tags_release(&ot);
	return rc;
}

/* Decode and measure the file written at path, n samples long. */
static int
measure(struct run *r, const char *path, uint64_t n,
    struct sp_loudness_result *m, char *err, size_t errlen)
{
	int rc;

	sp_progress_init(&r->bar, "measure", n, r->quiet);
	rc = sp_render_measure(path, on_progress, &r->bar, m, err, errlen);
	sp_progress_end(&r->bar);
	return rc;
}

/*
 * A lossy file at a loudness, in out: the encoder moved its loudness and
 * peaks, so measure what was written, and when it is off the target or
 * over the ceiling (sp_render_correct), encode once more, into a second
 * temporary file, and keep the better of the two in out.  fin: what the
 * file kept measures; res->gain its gain; *encodes 1 or 2.  0, or the exit
 * status of a failure, with err.
 */
static int
settle(struct run *r, uint64_t start, uint64_t end, const char *title,
    const struct sp_chapters *ch, struct sp_atomic *out,
    struct sp_render_result *res, struct sp_loudness_result *fin,
    int *encodes, char *err, size_t errlen)
{
	struct sp_render_opts ro;
	struct sp_enc_opts eo;
	struct sp_render_result again;
	struct sp_loudness_result m;
	struct sp_atomic alt, t;
	uint64_t n;
	double next;
	int rc;

	render_opts(r, &ro);
	enc_opts(r, &ro, &eo);
	n = sp_encode_output_frames(&eo, end - start);
	if (measure(r, out->tmp, n, fin, err, errlen) != 0)
		return SP_EXIT_ENV;
	if (!sp_render_correct(&ro, res->gain, fin, &next))
		return 0;
	if (sp_atomic_open(&alt, out->path, out->force) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return errno == EEXIST ? SP_EXIT_NO : SP_EXIT_ENV;
	}
	if (transcode(r, start, end, title, ch, alt.fp, &next, &again, err,
	    errlen) != 0 || measure(r, alt.tmp, n, &m, err, errlen) != 0) {
		rc = ferror(alt.fp) ? SP_EXIT_ENV : SP_EXIT_USAGE;
		sp_atomic_abort(&alt);
		return rc;
	}
	*encodes = 2;
	if (sp_render_better(&ro, fin, &m)) {
		t = *out;
		*out = alt;
		alt = t;
		*fin = m;
		res->gain = next;
	}
	sp_atomic_abort(&alt);
	return 0;
}

/* A note when a clip at a loudness misses its target or its ceiling. */
static void
loudness_note(struct run *r, const char *path,
    const struct sp_loudness_result *m)
{
	struct sp_render_opts ro;
	double miss = r->target - m->integrated;
	int capped;

	if (r->quiet || !isfinite(m->integrated))
		return;
	render_opts(r, &ro);
	if (sp_render_over(&ro, m->true_peak))
		sp_warnx("'%s': its true peak is %.2f dBTP after encoding, over "
		    "the ceiling %.1f dBTP; a lower --true-peak leaves the "
		    "encoder room", path, m->true_peak, r->ceiling);
	if (fabs(miss) <= SP_RENDER_TOLERANCE)
		return;
	/* Short of the target only where the ceiling forbids more gain. */
	sp_render_aim(&ro, 0, m, 0, &capped);
	if (capped && miss > 0)
		sp_warnx("'%s': the true-peak ceiling %.1f dBTP holds it at "
		    "%.1f LUFS, %.1f LU short of %.1f", path, r->ceiling,
		    m->integrated, miss, r->target);
	else
		sp_warnx("'%s': it measures %.1f LUFS after encoding, %.1f LU "
		    "%s the target %.1f", path, m->integrated, fabs(miss),
		    miss > 0 ? "under" : "over", r->target);
}

/* key: v to 0.01, unless v is not finite (the loudness of silence). */
static void
set_db(json_t *rec, const char *key, double v)
{
	if (isfinite(v))
		json_object_set_new(rec, key, json_real(round(v * 100) / 100));
}

/*
 * The consent gate of a clip: 0 to make it (with r->mute and r->muted set
 * when voices are muted), -1 to refuse it (who and when said, status 1).
 */
static int
gate(struct run *r, size_t index, const struct sp_clip *c, uint64_t end)
{
	char line[1024];
	json_t *voices, *v;
	size_t i;
	int rc;

	sp_ranges_release(&r->mute);
	json_decref(r->muted);
	r->muted = NULL;
	rc = sp_consent_check_index(&r->consent, NULL, c->start,
	    (double)end / r->rate, SP_USE_CLIPS, &voices);
	if (rc == SP_CHECK_UNKNOWN) {
		sp_warnx("clip %zu: '%s' has no turn with a time: whose voices "
		    "it holds is unknown; not written", index, r->speakers);
		worse(r, SP_EXIT_NO);
	} else if (rc == SP_CHECK_MISSING && r->mute_unconsented) {
		r->muted = sp_voices_mute(voices, r->rate, &r->mute);
		rc = SP_CHECK_OK;
	} else if (rc == SP_CHECK_MISSING && r->require_consent) {
		json_array_foreach(voices, i, v)
			if (!sp_voice_ok(v)) {
				sp_voice_describe(v, line, sizeof(line));
				sp_warnx("clip %zu: %s; not written", index,
				    line);
			}
		worse(r, SP_EXIT_NO);
	} else
		rc = SP_CHECK_OK;
	json_decref(voices);
	return rc == SP_CHECK_OK ? 0 : -1;
}

/* Cut one clip into its output; print its record with -j. */
static void
one_clip(struct run *r, size_t index, const struct sp_clip *c, int many)
{
	char err[400], a[SP_DURATION_LEN], b[SP_DURATION_LEN], *path = NULL;
	char date[32];
	struct sp_chapters ch;
	struct sp_atomic out;
	struct sp_cut_result cr;
	struct sp_vcut_result vr;
	struct sp_cut_meta meta;
	struct sp_render_result rr;
	struct sp_loudness_result fin;
	const char *title = r->title ? r->title : c->title;
	uint64_t start, end;
	FILE *fp, *jf;
	json_t *rec;
	int fail = 0, encodes = 1, rc;

	start = (uint64_t)llround(c->start * r->rate);
	end = c->end < 0 ? r->total : (uint64_t)llround(c->end * r->rate);
	if (end > r->total) {
		sp_warnx("clip %zu: the end %s is past the end of '%s' (%s)",
		    index, sp_fmt_duration(c->end, a), r->name,
		    sp_fmt_duration((double)r->total / r->rate, b));
		worse(r, SP_EXIT_USAGE);
		return;
	}
	if (start >= end) {
		sp_warnx("clip %zu: the start %s is not before the end %s",
		    index, sp_fmt_duration(c->start, a),
		    sp_fmt_duration((double)end / r->rate, b));
		worse(r, SP_EXIT_USAGE);
		return;
	}
	if (r->speakers && gate(r, index, c, end) != 0)
		return;
	if (many) {
		path = sp_clip_name(r->output, index, c->title, c->start, err,
		    sizeof(err));
		if (path == NULL)
			sp_errx(SP_EXIT_USAGE, "-o '%s': %s", r->output, err);
		path = unique_name(path, index);
	} else
		path = sp_xstrdup(r->output);
	if (sp_atomic_open(&out, path, r->force) != 0) {
		if (errno == EEXIST)
			sp_warnx("'%s' exists; kept (use -f to replace it)",
			    path);
		else
			sp_warn("cannot write '%s'", path);
		worse(r, errno == EEXIST ? SP_EXIT_NO : SP_EXIT_ENV);
		free(path);
		return;
	}
	fp = out.fp;
	sp_chapters_clip(&r->chapters, c->start, (double)end / r->rate, &ch);
	memset(&cr, 0, sizeof(cr));
	memset(&rr, 0, sizeof(rr));
	/* A failed write leaves its mark on the stream; else the input. */
	memset(&vr, 0, sizeof(vr));
	if (r->vcut) {
		const char *tags[SP_MP4_NTAGS] = { title, r->artist,
		    r->album, r->comment, NULL, NULL };

		if (sp_vcut(r->vcut, (double)start / r->rate, (double)end /
		    r->rate, tags, fp, &vr, err, sizeof(err)) != 0)
			fail = ferror(fp) ? SP_EXIT_ENV : SP_EXIT_USAGE;
		/* The edit lists make it exact; the pre-roll from the
		 * keyframe is carried but not shown. */
		cr.start = start;
		cr.end = end;
		cr.out_samples = end - start;
		cr.exact = 1;
	} else if (r->cut) {
		meta.title = title;
		meta.artist = r->artist;
		meta.album = r->album;
		meta.comment = r->comment;
		meta.date = *clip_date(r, start, 0, date) ? date : NULL;
		meta.time = r->recorded < 0 ? -1 : r->recorded +
		    llround((double)start * 1000 / r->rate);
		meta.chapters = &ch;
		/* The audio of a video MP4, cut to an MP4 of audio. */
		meta.mute = r->mute.n ? &r->mute : NULL;
		if ((rc = sp_cut(r->cut, strcmp(r->format, "mp4") == 0 ?
		    "m4a" : r->format, start, end, &meta, fp, &cr, err,
		    sizeof(err))) != 0)
			fail = rc == -2 ? SP_EXIT_ENV : SP_EXIT_USAGE;
	} else {
		if (transcode(r, start, end, title, &ch, fp, NULL, &rr, err,
		    sizeof(err)) != 0)
			fail = ferror(fp) ? SP_EXIT_ENV : SP_EXIT_USAGE;
		/* What the file holds: the samples as scaled, where lossless. */
		fin.integrated = rr.loudness + rr.gain;
		fin.true_peak = rr.true_peak + rr.gain;
		/* A pipe cannot be read back. */
		if (!fail && rr.measured && format_of(r->format)->lossy &&
		    out.tmp)
			fail = settle(r, start, end, title, &ch, &out, &rr, &fin,
			    &encodes, err, sizeof(err));
		cr.start = start;
		cr.end = end;
		cr.out_samples = rr.samples;
		cr.exact = 1;
	}
	if (fail) {
		sp_warnx("'%s': %s", path, err);
		worse(r, fail);
		sp_atomic_abort(&out);
		sp_chapters_release(&ch);
		free(path);
		return;
	}
	if (sp_atomic_commit(&out) != 0) {
		sp_warn("cannot write '%s'", path);
		worse(r, errno == EEXIST ? SP_EXIT_NO : SP_EXIT_ENV);
		sp_chapters_release(&ch);
		free(path);
		return;
	}
	if (many)
		remember(path);
	if (!cr.exact && !r->quiet)
		sp_warnx("'%s': raw ADTS is frame-accurate only: it runs from "
		    "%s to %s", path, sp_fmt_duration((double)cr.start / r->rate,
		    a), sp_fmt_duration((double)cr.end / r->rate, b));
	if (rr.measured)
		loudness_note(r, path, &fin);
	if (r->chjson) {
		char *jp = many ? sp_clip_name(r->chjson, index, c->title,
		    c->start, err, sizeof(err)) : sp_xstrdup(r->chjson);
		struct sp_atomic ja;

		if (jp && many)
			jp = unique_name(jp, index);
		if (jp == NULL || sp_atomic_open(&ja, jp, r->force) != 0) {
			if (jp && errno == EEXIST) {
				sp_warnx("'%s' exists; kept (use -f to replace "
				    "it)", jp);
				worse(r, SP_EXIT_NO);
			} else {
				sp_warn("cannot write '%s'", jp ? jp : r->chjson);
				worse(r, SP_EXIT_ENV);
			}
		} else {
			jf = ja.fp;
			if (sp_chapters_write_json(&ch, jf) != 0 ||
			    sp_atomic_commit(&ja) != 0) {
				sp_warn("cannot write '%s'", jp);
				worse(r, SP_EXIT_ENV);
			} else if (many)
				remember(jp);
		}
		free(jp);
	}
	if (r->json) {
		rec = json_pack("{s:s, s:I, s:f, s:f, s:f, s:f, s:I, s:f, s:b, "
		    "s:s, s:s}", "type", "clip", "index", (json_int_t)index,
		    "start", c->start, "end", (double)end / r->rate,
		    "real_start", (double)cr.start / r->rate, "real_end",
		    (double)cr.end / r->rate, "samples",
		    (json_int_t)cr.out_samples, "duration",
		    (double)cr.out_samples / r->rate, "lossless", r->cut != NULL ||
		    r->vcut != NULL, "format", r->format, "path", path);
		if (r->vcut) {
			/* Audio samples, and where the carried video starts. */
			json_object_set_new(rec, "samples", json_integer(
			    (json_int_t)vr.audio_samples));
			json_object_set_new(rec, "keyframe",
			    json_real(vr.keyframe));
		}
		if (title)
			json_object_set_new(rec, "title", json_string(title));
		if (rr.measured) {
			set_db(rec, "gain", rr.gain);
			set_db(rec, "loudness", fin.integrated);
			set_db(rec, "true_peak", fin.true_peak);
			json_object_set_new(rec, "encodes",
			    json_integer(encodes));
		}
		if (r->muted)
			json_object_set(rec, "muted", r->muted);
		if (sp_ndjson_write(stdout, rec) != 0)
			sp_err(SP_EXIT_ENV, "write error");
		json_decref(rec);
	}
	sp_chapters_release(&ch);
	free(path);
}

/* --speakers: the turns, and the ledger of spaces-consent(1). */
static void
read_consent(struct run *r, int stdin_taken)
{
	char err[512], *ledger;
	FILE *fp;

	if (stdin_taken && strcmp(r->speakers, "-") == 0)
		sp_errx(SP_EXIT_USAGE, "only one of the input, --clips, "
		    "--chapters and --speakers can be stdin");
	if ((fp = sp_open_in(r->speakers)) == NULL)
		sp_err(SP_EXIT_USAGE, "cannot open '%s'", r->speakers);
	if (sp_turns_read(fp, r->speakers, &r->turns, err, sizeof(err)) < 0)
		sp_errx(SP_EXIT_USAGE, "%s", err);
	sp_close_in(fp);
	ledger = sp_consent_default_path();
	if (sp_ledger_read(&r->ledger, ledger, err, sizeof(err)) != 0)
		sp_errx(SP_EXIT_ENV, "%s", err);
	free(ledger);
	sp_consent_index_init(&r->consent, &r->ledger, &r->turns);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct sp_cliplist clips;
	const char *start = NULL, *end = NULL, *dur = NULL, *cfile = NULL;
	const char *chfile = NULL;
	char err[300];
	double s, e;
	FILE *fp;
	size_t i;
	int ch, many, envfail;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	sp_measure_set_jobs((unsigned)sp_env_int("SPACES_JOBS", 1, 64, 0));
	memset(&r, 0, sizeof(r));
	r.ceiling = -1;
	sp_chapters_init(&r.chapters);
	sp_cliplist_init(&clips);
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case 'd':
			dur = optarg;
			break;
		case 'e':
			end = optarg;
			break;
		case 'f':
			r.force = 1;
			break;
		case 'j':
			r.json = 1;
			break;
		case 'o':
			r.output = optarg;
			break;
		case 'q':
			r.quiet = 1;
			break;
		case 's':
			start = optarg;
			break;
		case OPT_ALBUM:
			r.album = optarg;
			break;
		case OPT_ARTIST:
			r.artist = optarg;
			break;
		case OPT_BITRATE:
			r.bitrate = (unsigned)sp_arg_num("--bitrate", optarg, 6,
			    510);
			break;
		case OPT_CHAPTERS:
			chfile = optarg;
			break;
		case OPT_CHJSON:
			r.chjson = optarg;
			break;
		case OPT_CLIPS:
			cfile = optarg;
			break;
		case OPT_COMMENT:
			r.comment = optarg;
			break;
		case OPT_FADE_IN:
			r.fade_in = time_arg("--fade-in", optarg);
			break;
		case OPT_FADE_OUT:
			r.fade_out = time_arg("--fade-out", optarg);
			break;
		case OPT_FORMAT:
			r.format = optarg;
			break;
		case OPT_LOUDNESS:
			r.normalise = 1;
			r.target = sp_arg_num("--loudness", optarg, -70, -5);
			break;
		case OPT_JOBS:
			sp_measure_set_jobs((unsigned)sp_arg_int("--jobs",
			    optarg, 1, 64));
			break;
		case OPT_MUTE_UNCONSENTED:
			r.mute_unconsented = 1;
			break;
		case OPT_REQUIRE_CONSENT:
			r.require_consent = 1;
			break;
		case OPT_SPEAKERS:
			r.speakers = optarg;
			break;
		case OPT_MONO:
			r.mono = 1;
			break;
		case OPT_REENCODE:
			r.reencode = 1;
			break;
		case OPT_TITLE:
			r.title = optarg;
			break;
		case OPT_TRUE_PEAK:
			r.ceiling = sp_arg_num("--true-peak", optarg, -20, 0);
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();
	r.name = argv[0];
	if (end && dur)
		usage();
	if (r.output == NULL)
		sp_errx(SP_EXIT_USAGE, "-o is needed: the output file, or - "
		    "for stdout");
	if ((r.format = pick_format(r.format, r.output)) == NULL)
		sp_errx(SP_EXIT_USAGE, "-o '%s': give --format (m4a, aac, "
		    "opus, mp3, flac, wav)", r.output);
	if (strcmp(r.output, "-") == 0 && !format_of(r.format)->streams)
		sp_errx(SP_EXIT_USAGE, "%s cannot go to a pipe: %s; use aac, "
		    "opus, mp3 or wav for -o -", r.format,
		    strcmp(r.format, "m4a") == 0 ? "an M4A's index (moov) is "
		    "written before its audio, once the audio is known" :
		    "its header is written last");
	if (cfile && (start || end || dur))
		sp_errx(SP_EXIT_USAGE, "--clips and -s/-e/-d cannot be used "
		    "together");
	if ((cfile && strcmp(cfile, "-") == 0) + (chfile && strcmp(chfile,
	    "-") == 0) + (strcmp(r.name, "-") == 0) > 1)
		sp_errx(SP_EXIT_USAGE, "only one of the input, --clips and "
		    "--chapters can be stdin");

	if ((r.require_consent || r.mute_unconsented) && !r.speakers)
		sp_errx(SP_EXIT_USAGE, "--require-consent and "
		    "--mute-unconsented need --speakers");
	if (r.speakers && !r.require_consent && !r.mute_unconsented)
		sp_errx(SP_EXIT_USAGE, "--speakers needs --require-consent or "
		    "--mute-unconsented");
	if (r.speakers)
		read_consent(&r, (cfile && strcmp(cfile, "-") == 0) ||
		    (chfile && strcmp(chfile, "-") == 0) ||
		    strcmp(r.name, "-") == 0);
	if (chfile) {
		if ((fp = sp_open_in(chfile)) == NULL)
			sp_err(SP_EXIT_USAGE, "cannot open '%s'", chfile);
		if (sp_chapters_read(&r.chapters, fp, err, sizeof(err)) != 0)
			sp_errx(SP_EXIT_USAGE, "'%s': %s", chfile, err);
		sp_close_in(fp);
	}
	if (cfile) {
		if ((fp = sp_open_in(cfile)) == NULL)
			sp_err(SP_EXIT_USAGE, "cannot open '%s'", cfile);
		/* Unreadable input (a directory) is bad input, as a missing
		 * file is. */
		if (sp_cliplist_read(&clips, fp, bad_line, &r) < 0)
			sp_err(SP_EXIT_USAGE, "cannot read '%s'", cfile);
		sp_close_in(fp);
		if (clips.n == 0)
			sp_errx(r.status ? r.status : SP_EXIT_USAGE,
			    "'%s': no clips", cfile);
	} else {
		s = start ? time_arg("-s", start) : 0;
		e = end ? time_arg("-e", end) : dur ? s + time_arg("-d", dur) :
		    -1;
		sp_cliplist_add(&clips, s, e, NULL, 0);
	}
	many = clips.n > 1 || sp_clip_name_is_template(r.output);
	if (clips.n > 1 && !sp_clip_name_is_template(r.output))
		sp_errx(SP_EXIT_USAGE, "-o '%s': several clips need a template "
		    "(%%n, %%02n, %%t, %%s)", r.output);
	if (clips.n > 1 && strcmp(r.output, "-") == 0)
		sp_errx(SP_EXIT_USAGE, "-o -: several clips cannot share stdout");
	if (strcmp(r.output, "-") == 0 && r.json)
		sp_errx(SP_EXIT_USAGE, "-o - and -j both want stdout");
	if (r.chjson && strcmp(r.chjson, "-") == 0)
		sp_errx(SP_EXIT_USAGE, "--chapters-json needs a file name");
	if (r.chjson && clips.n > 1 && !sp_clip_name_is_template(r.chjson))
		sp_errx(SP_EXIT_USAGE, "--chapters-json '%s': several clips "
		    "need a template (%%n, %%02n, %%t, %%s)", r.chjson);

	/* Readers seek: a pipe, standard input or named, is kept in a
	 * temporary file. */
	if (sp_decode_keep(r.name, &spool, &envfail, err, sizeof(err)) != 0)
		sp_errx(envfail ? SP_EXIT_ENV : SP_EXIT_USAGE, "'%s': %s",
		    r.name, err);
	r.path = spool ? spool : r.name;
	/* Raw AAC and WAV have no place for tags or chapters: say so. */
	if ((strcmp(r.format, "wav") == 0 || strcmp(r.format, "aac") == 0) &&
	    !r.quiet && (r.title || r.artist || r.album || r.comment ||
	    r.chapters.n > 0))
		sp_warnx("%s output holds no tags or chapters: %s left out%s",
		    strcmp(r.format, "wav") == 0 ? "WAV" : "raw AAC",
		    r.chapters.n > 0 ? "tags and chapters are" : "tags are",
		    r.chapters.n > 0 && !r.chjson ? " (--chapters-json writes "
		    "the chapters to a file of their own)" : "");
	open_input(&r);
	/* When it was recorded, for each clip's date and creation time. */
	if (sp_probe_recorded(r.path, &r.recorded) != 0)
		r.recorded = -1;
	if (strcmp(r.format, "mp3") == 0 && r.bitrate > 0 && !r.quiet &&
	    sp_encode_mp3_bitrate(r.rate, r.bitrate) != r.bitrate)
		sp_warnx("--bitrate %u: MP3 at %u Hz has no such bitrate; it "
		    "is encoded at %u kb/s, the nearest", r.bitrate, r.rate,
		    sp_encode_mp3_bitrate(r.rate, r.bitrate));
	for (i = 0; i < clips.n; i++)
		one_clip(&r, i + 1, &clips.v[i], many);

	sp_spool_remove(spool);
	sp_spool_remove(remuxed);
	spool = remuxed = NULL;
	sp_cut_close(r.cut);
	sp_vcut_close(r.vcut);
	sp_decode_close(r.dec);
	sp_cliplist_release(&clips);
	sp_chapters_release(&r.chapters);
	free(made);
	sp_consent_index_release(&r.consent);
	sp_turns_release(&r.turns);
	sp_ledger_release(&r.ledger);
	sp_ranges_release(&r.mute);
	json_decref(r.muted);
	if (sp_close_stdout() != 0)
		worse(&r, SP_EXIT_ENV);
	return r.status;
}
