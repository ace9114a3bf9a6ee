/* spaces-info: what is in an audio file: exact duration, codec, loudness. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "decode.h"
#include "err.h"
#include "io.h"
#include "json.h"
#include "measure.h"
#include "options.h"
#include "probe.h"
#include "segment.h"
#include "timefmt.h"
#include "banned.h"

enum {
	OPT_JOBS = 256, OPT_LOUDNESS, OPT_MIN_SILENCE, OPT_MIN_SPEECH,
	OPT_SILENCES, OPT_TABLE, OPT_THRESHOLD
};

static const struct sp_opt optlist[] = {
	{ 'j', "json", NULL, SP_VAL_NONE, NULL,
	    "print NDJSON records, even on a terminal" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL,
	    "print no warnings on stderr" },
	{ OPT_LOUDNESS, "loudness", NULL, SP_VAL_NONE, NULL,
	    "add the EBU R128 loudness (LUFS, LU, dBTP)" },
	{ OPT_SILENCES, "silences", NULL, SP_VAL_NONE, NULL,
	    "print a clip record per stretch of speech" },
	{ OPT_MIN_SILENCE, "min-silence", "S", SP_VAL_DURATION,
	    "0.3 0.5 700ms 1s 2s", "a silence must last this long to split "
	    "(0.5)" },
	{ OPT_THRESHOLD, "threshold", "DB", SP_VAL_NUMBER, "-60 -50 -40 -30",
	    "dBFS below which it is silence (-40)" },
	{ OPT_MIN_SPEECH, "min-speech", "S", SP_VAL_DURATION, "0.1 0.3 0.5 1s",
	    "drop shorter stretches of speech (0.3)" },
	{ OPT_JOBS, "jobs", "N", SP_VAL_NUMBER, "1 2 4 8",
	    "measure loudness and silences on N cores (all)" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL,
	    "print the summary even when not on a terminal" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-info",
	"spaces-info [-jq] [--loudness] [--silences] [--min-silence S] "
	"[--threshold DB] [--min-speech S] [--jobs N] [--table] file|- ...",
	optlist, SP_VAL_FILE,
	"aac ts m4a m4b mp4 opus ogg oga wav flac mp3 aif aiff aifc -",
	0, NULL, NULL, NULL
};

static double
duration_arg(const char *opt, const char *s)
{
	double v;

	if (sp_parse_duration(s, &v) != 0 || v > 3600)
		sp_errx(SP_EXIT_USAGE, "%s '%s': not a duration up to an hour "
		    "(0.5, 1.5s, 250ms)", opt, s);
	return v;
}

static const char *
str(const json_t *o, const char *k)
{
	const char *s = sp_json_str(o, k);

	return s ? s : "?";
}

/* The "video" object of a video file's record, on one line. */
static void
print_video(const json_t *v)
{
	char dur[SP_DURATION_LEN];
	json_t *x;

	printf("  video: %s", str(v, "codec"));
	if (sp_json_str(v, "profile"))
		printf(" %s@%s", sp_json_str(v, "profile"), str(v, "level"));
	if ((x = json_object_get(v, "width")) != NULL)
		printf(", %" JSON_INTEGER_FORMAT "x%" JSON_INTEGER_FORMAT,
		    json_integer_value(x), json_integer_value(
		    json_object_get(v, "height")));
	if ((x = json_object_get(v, "frame_rate")) != NULL)
		printf(", %.3f fps", json_number_value(x));
	printf(", %s (%" JSON_INTEGER_FORMAT " frames)", sp_fmt_duration(
	    json_number_value(json_object_get(v, "duration")), dur),
	    json_integer_value(json_object_get(v, "frames")));
	if ((x = json_object_get(v, "keyframe_interval")) != NULL)
		printf(", keyframe every %.2f s (at most %.2f)",
		    json_number_value(x), json_number_value(json_object_get(v,
		    "keyframe_interval_max")));
	if (json_is_true(json_object_get(v, "b_frames")))
		printf(", B-frames");
	printf("\n");
}

/* The media record for a person. */
static void
print_media(const json_t *m, const json_t *clips)
{
	char dur[SP_DURATION_LEN], a[SP_DURATION_LEN], b[SP_DURATION_LEN];
	json_t *v, *c, *lo;
	const char *k, *sep;
	size_t i;

	printf("%s: %s %s", str(m, "path"), str(m, "container"),
	    str(m, "codec"));
	if (sp_json_str(m, "profile"))
		printf(" %s", sp_json_str(m, "profile"));
	printf(", %" JSON_INTEGER_FORMAT " Hz, %" JSON_INTEGER_FORMAT
	    " channel%s", json_integer_value(json_object_get(m,
	    "sample_rate")), json_integer_value(json_object_get(m,
	    "channels")), json_integer_value(json_object_get(m,
	    "channels")) == 1 ? "" : "s");
	if ((v = json_object_get(m, "duration")) != NULL)
		printf(", %s (%" JSON_INTEGER_FORMAT " samples)",
		    sp_fmt_duration(json_number_value(v), dur),
		    json_integer_value(json_object_get(m, "samples")));
	if ((v = json_object_get(m, "bitrate")) != NULL)
		printf(", %" JSON_INTEGER_FORMAT " kb/s",
		    (json_integer_value(v) + 500) / 1000);
	printf("\n");
	if ((v = json_object_get(m, "video")) != NULL)
		print_video(v);
	if ((v = json_object_get(m, "encoder_delay")) != NULL)
		printf("  encoder delay %" JSON_INTEGER_FORMAT ", padding %"
		    JSON_INTEGER_FORMAT "\n", json_integer_value(v),
		    json_integer_value(json_object_get(m, "padding")));
	if (sp_json_str(m, "started_at"))
		printf("  started at %s\n", sp_json_str(m, "started_at"));
	if ((v = json_object_get(m, "id3_tags")) != NULL &&
	    json_integer_value(v) > 0)
		printf("  %" JSON_INTEGER_FORMAT " ID3 tags\n",
		    json_integer_value(v));
	if ((v = json_object_get(m, "hydra")) != NULL)
		printf("  Hydra tags: %" JSON_INTEGER_FORMAT " participant, %"
		    JSON_INTEGER_FORMAT " audio level\n",
		    json_integer_value(json_object_get(v, "participants_tags")),
		    json_integer_value(json_object_get(v, "audio_level_tags")));
	if ((v = json_object_get(m, "tags")) != NULL && json_object_size(v)) {
		printf("  tags:");
		sep = " ";
		json_object_foreach(v, k, c) {
			printf("%s%s '%s'", sep, k, json_string_value(c));
			sep = ", ";
		}
		printf("\n");
	}
	json_array_foreach(json_object_get(m, "chapters"), i, c)
		printf("  chapter %s  %s\n", sp_fmt_duration(json_number_value(
		    json_object_get(c, "start")), a), str(c, "title"));
	if ((lo = json_object_get(m, "loudness")) != NULL) {
		printf("  loudness:");
		if ((v = json_object_get(lo, "integrated")) != NULL)
			printf(" %.1f LUFS integrated,", json_number_value(v));
		if ((v = json_object_get(lo, "range")) != NULL)
			printf(" %.1f LU range,", json_number_value(v));
		if ((v = json_object_get(lo, "true_peak")) != NULL)
			printf(" %.1f dBTP true peak", json_number_value(v));
		else
			printf(" silent");
		printf("\n");
	}
	json_array_foreach(json_object_get(m, "warnings"), i, c)
		printf("  warning: %s\n", json_string_value(c));
	if (clips) {
		printf("  speech: %zu stretch%s\n", json_array_size(clips),
		    json_array_size(clips) == 1 ? "" : "es");
		json_array_foreach(clips, i, c)
			printf("  %4zu  %s  %s\n", i + 1,
			    sp_fmt_duration(json_number_value(json_object_get(c,
			    "start")), a), sp_fmt_duration(json_number_value(
			    json_object_get(c, "end")), b));
	}
}

int
main(int argc, char *argv[])
{
	struct sp_probe_opts o;
	const char *name;
	char err[512], *spool = NULL;
	json_t *m, *clips, *c;
	size_t k;
	int ch, i, json = 0, table = 0, quiet = 0, status = SP_EXIT_OK;
	int stdin_ops = 0, envfail;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	memset(&o, 0, sizeof(o));
	o.threshold = SP_SEGMENT_THRESHOLD;
	o.min_silence = SP_SEGMENT_MIN_SILENCE;
	o.min_speech = SP_SEGMENT_MIN_SPEECH;
	sp_measure_set_jobs((unsigned)sp_env_int("SPACES_JOBS", 1, 64, 0));
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_JOBS:
			sp_measure_set_jobs((unsigned)sp_arg_int("--jobs",
			    optarg, 1, 64));
			break;
		case OPT_LOUDNESS:
			o.loudness = 1;
			break;
		case OPT_MIN_SILENCE:
			o.min_silence = duration_arg("--min-silence", optarg);
			break;
		case OPT_MIN_SPEECH:
			o.min_speech = duration_arg("--min-speech", optarg);
			break;
		case OPT_SILENCES:
			o.silences = 1;
			break;
		case OPT_TABLE:
			table = 1;
			break;
		case OPT_THRESHOLD:
			o.threshold = sp_arg_num("--threshold", optarg, -120,
			    0);
			break;
		default:
			sp_opt_usage_exit(&optspec);
		}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		sp_opt_usage_exit(&optspec);
	for (i = 0; i < argc; i++)
		stdin_ops += strcmp(argv[i], "-") == 0;
	if (stdin_ops > 1)
		sp_errx(SP_EXIT_USAGE, "'-' can be given once");
	if (!json && !table)
		json = !isatty(STDOUT_FILENO);

	for (i = 0; i < argc; i++) {
		name = argv[i];
		/* Container readers seek: a pipe, standard input or named,
		 * is kept in a file. */
		if (sp_decode_keep(name, &spool, &envfail, err,
		    sizeof(err)) != 0) {
			if (envfail)
				sp_errx(SP_EXIT_ENV, "'%s': %s", name, err);
			sp_warnx("'%s': %s", name, err);
			status = SP_EXIT_USAGE;
			continue;
		}
		clips = NULL;
		m = sp_probe(spool ? spool : name, name, &o, &clips, err,
		    sizeof(err));
		sp_spool_remove(spool);
		spool = NULL;
		if (m == NULL) {
			sp_warnx("'%s': %s", name, err);
			status = SP_EXIT_USAGE;
			continue;
		}
		if (!quiet)
			json_array_foreach(json_object_get(m, "warnings"), k, c)
				sp_warnx("'%s': %s", name, json_string_value(c));
		if (json) {
			if (sp_ndjson_write(stdout, m) != 0)
				sp_err(SP_EXIT_ENV, "write error");
			json_array_foreach(clips, k, c)
				if (sp_ndjson_write(stdout, c) != 0)
					sp_err(SP_EXIT_ENV, "write error");
		} else
			print_media(m, clips);
		json_decref(m);
		json_decref(clips);
	}
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
