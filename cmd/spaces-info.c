/* spaces-info: what is in an audio file: exact duration, codec, loudness. */
#include <getopt.h>
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
#include "probe.h"
#include "segment.h"
#include "timefmt.h"
#include "banned.h"

static const char usage_text[] =
"usage: spaces-info [-jq] [--loudness] [--silences] [--min-silence S] [--threshold DB]\n"
"                   [--min-speech S] [--table] file|- ...\n";

enum {
	OPT_LOUDNESS = 256, OPT_MIN_SILENCE, OPT_MIN_SPEECH, OPT_SILENCES,
	OPT_TABLE, OPT_THRESHOLD, OPT_VERSION
};

static const struct option longopts[] = {
	{ "help",		no_argument,		NULL, 'h' },
	{ "json",		no_argument,		NULL, 'j' },
	{ "loudness",		no_argument,		NULL, OPT_LOUDNESS },
	{ "min-silence",	required_argument,	NULL, OPT_MIN_SILENCE },
	{ "min-speech",		required_argument,	NULL, OPT_MIN_SPEECH },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "silences",		no_argument,		NULL, OPT_SILENCES },
	{ "table",		no_argument,		NULL, OPT_TABLE },
	{ "threshold",		required_argument,	NULL, OPT_THRESHOLD },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 }
};

static void __attribute__((noreturn))
usage(void)
{
	fputs(usage_text, stderr);
	exit(SP_EXIT_USAGE);
}

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
	while ((ch = getopt_long(argc, argv, "hjq", longopts, NULL)) != -1)
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			return sp_close_stdout() ? SP_EXIT_ENV : SP_EXIT_OK;
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
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
		case OPT_VERSION:
			printf("spaces-info %s\n", SP_VERSION);
			return sp_close_stdout() ? SP_EXIT_ENV : SP_EXIT_OK;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	for (i = 0; i < argc; i++)
		stdin_ops += strcmp(argv[i], "-") == 0;
	if (stdin_ops > 1)
		sp_errx(SP_EXIT_USAGE, "'-' can be given once");
	if (!json && !table)
		json = !isatty(STDOUT_FILENO);

	for (i = 0; i < argc; i++) {
		name = argv[i];
		if (strcmp(name, "-") == 0) {
			/* Container readers seek: keep the pipe in a file. */
			if ((spool = sp_decode_spool(stdin, &envfail, err,
			    sizeof(err))) == NULL) {
				if (envfail)
					sp_errx(SP_EXIT_ENV, "'-': %s", err);
				sp_warnx("'-': %s", err);
				status = SP_EXIT_USAGE;
				continue;
			}
		}
		clips = NULL;
		m = sp_probe(spool ? spool : name, name, &o, &clips, err,
		    sizeof(err));
		if (spool) {
			unlink(spool);
			free(spool);
			spool = NULL;
		}
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
