/* spaces-speakers: who spoke when, on an audio file's time line. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "err.h"
#include "io.h"
#include "json.h"
#include "options.h"
#include "speakers.h"
#include "timefmt.h"
#include "banned.h"

enum {
	OPT_AUDIO = 256, OPT_CHAPTERS, OPT_MIN_TURN, OPT_TABLE, OPT_VTT
};

static const struct sp_opt optlist[] = {
	{ 'j', "json", NULL, SP_VAL_NONE, NULL,
	    "print NDJSON turn records, even on a terminal" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL, "print no warnings" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL,
	    "print the timeline even when not on a terminal" },
	{ OPT_VTT, "vtt", NULL, SP_VAL_NONE, NULL,
	    "print WebVTT cues with voice spans" },
	{ OPT_CHAPTERS, "chapters", NULL, SP_VAL_NONE, NULL,
	    "print one chapter per speaker change" },
	{ OPT_AUDIO, "audio", "FILE", SP_VAL_FILE, "aac ts",
	    "read the Hydra tags of this ADTS file" },
	{ OPT_MIN_TURN, "min-turn", "S", SP_VAL_DURATION, "0 1 2 3 5",
	    "seconds another voice must be loudest to take the floor (2)" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-speakers",
	"spaces-speakers [-jq] [--table] [--vtt | --chapters] [--audio FILE] "
	"[--min-turn S] [file|- ...]",
	optlist, SP_VAL_FILE, "ndjson json -", 0, NULL, NULL, NULL
};

/* A chapter shorter than this is merged into the one before it. */
#define CHAPTER_MIN	30.0

enum { OUT_JSON, OUT_TABLE, OUT_VTT, OUT_CHAPTERS };

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(&optspec);
}

/* Read every record of one input: space records into spaces (by id, the
 * later replacing the earlier), user names into users. */
static int
read_input(const char *name, json_t *spaces, json_t *users)
{
	struct sp_ndjson r;
	FILE *fp;
	json_t *rec;
	const char *type, *s;
	char id[SP_UID_LEN];
	int rc, status = 0;

	if ((fp = sp_open_in(name)) == NULL) {
		sp_warn("cannot open '%s'", name);
		return SP_EXIT_ENV;
	}
	sp_ndjson_init(&r, fp, name);
	while ((rc = sp_ndjson_next(&r, &rec)) != 0) {
		if (rc == -2) {
			sp_warn("'%s'", name);
			status = SP_EXIT_ENV;
			break;
		}
		if (rc == -1) {
			sp_warnx("'%s': %s", name, r.err);
			status = SP_EXIT_USAGE;
			continue;
		}
		type = sp_rec_type(rec);
		if (type && strcmp(type, "space") == 0) {
			if (sp_json_id(rec, "id", id, sizeof(id)) != 0)
				snprintf(id, sizeof(id), "#%zu",
				    json_object_size(spaces));
			json_object_set(spaces, id, rec);
		} else if (type && strcmp(type, "user") == 0 &&
		    sp_json_id(rec, "id", id, sizeof(id)) == 0 &&
		    (s = sp_json_str(rec, "username")) != NULL)
			json_object_set_new(users, id, json_string(s));
		json_decref(rec);
	}
	sp_ndjson_release(&r);
	sp_close_in(fp);
	return status;
}

/* The wall clock of the Space's first audio part, or SP_NO_MS. */
static int64_t
audio_origin(const json_t *space)
{
	const char *s;
	int64_t ms;

	s = sp_json_str(json_array_get(json_object_get(space, "audio"), 0),
	    "started_at");
	if (s && sp_parse_instant(s, NULL, &ms) == 0)
		return ms;
	return SP_NO_MS;
}

static const char *
base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* The space record whose audio is the file, or the only one. */
static json_t *
space_of(json_t *spaces, const char *audio, int quiet)
{
	const char *k, *p;
	json_t *sp, *a;
	size_t i;

	json_object_foreach(spaces, k, sp)
		json_array_foreach(json_object_get(sp, "audio"), i, a)
			if ((p = sp_json_str(a, "path")) != NULL &&
			    strcmp(base(p), base(audio)) == 0)
				return sp;
	if (json_object_size(spaces) == 1) {
		json_object_foreach(spaces, k, sp)
			return sp;
	}
	if (json_object_size(spaces) > 1 && !quiet)
		sp_warnx("'%s': none of the %zu Spaces read has this audio; "
		    "its sessions are left out", audio,
		    json_object_size(spaces));
	return NULL;
}

static int
basis_of(const json_t *space)
{
	const char *s = sp_json_str(space, "source");

	return s && strcmp(s, "archive") == 0 ? SP_BASIS_ARCHIVE :
	    SP_BASIS_WEB;
}

/* Names from user records, where the turn has none. */
static void
name_turns(struct sp_turns *t, const json_t *users)
{
	const char *s;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!t->v[i].username[0] && t->v[i].user_id[0] &&
		    (s = json_string_value(json_object_get(users,
		    t->v[i].user_id))) != NULL)
			snprintf(t->v[i].username, sizeof(t->v[i].username),
			    "%s", s);
}

static const char *
who(const struct sp_turn *t, char *buf, size_t n)
{
	if (t->username[0])
		snprintf(buf, n, "@%s", t->username);
	else if (t->user_id[0])
		snprintf(buf, n, "%s", t->user_id);
	else
		snprintf(buf, n, "%s", t->host ? "host" : "?");
	return buf;
}

/* WebVTT time: hh:mm:ss.ttt. */
static void
vtt_time(double s, char *buf, size_t n)
{
	long long ms = llround(s * 1000);

	if (ms < 0)
		ms = 0;
	snprintf(buf, n, "%02lld:%02lld:%02lld.%03lld", ms / 3600000,
	    ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

/* Text safe in a cue and in a voice annotation. */
static void
vtt_text(const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", stdout);
			break;
		case '<':
			fputs("&lt;", stdout);
			break;
		case '>':
			fputs("&gt;", stdout);
			break;
		case '\n':
		case '\r':
			putchar(' ');
			break;
		default:
			putchar(*s);
		}
}

static void
print_vtt(const struct sp_turns *t)
{
	char a[32], b[32], w[SP_UNAME_LEN + 2];
	size_t i, cue = 0;

	fputs("WEBVTT\n", stdout);
	for (i = 0; i < t->n; i++) {
		if (isnan(t->v[i].start) || isnan(t->v[i].end))
			continue;
		vtt_time(t->v[i].start, a, sizeof(a));
		vtt_time(t->v[i].end, b, sizeof(b));
		printf("\n%zu\n%s --> %s\n<v ", ++cue, a, b);
		vtt_text(who(&t->v[i], w, sizeof(w)));
		putchar('>');
		vtt_text(w);
		fputs("</v>\n", stdout);
	}
}

static void
print_chapters(const struct sp_turns *t)
{
	char a[SP_DURATION_LEN], w[SP_UNAME_LEN + 2];
	char last[SP_UNAME_LEN + 2] = "";
	double at = -HUGE_VAL;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (isnan(t->v[i].start) || isnan(t->v[i].end))
			continue;
		who(&t->v[i], w, sizeof(w));
		/* A new chapter needs a new voice and room after the last. */
		if (strcmp(w, last) == 0 || t->v[i].start - at < CHAPTER_MIN)
			continue;
		at = t->v[i].start;
		snprintf(last, sizeof(last), "%s", w);
		printf("%s %s\n", sp_fmt_duration(fmax(at, 0), a), w);
	}
}

static void
print_table(const struct sp_turns *t)
{
	char a[SP_DURATION_LEN], b[SP_DURATION_LEN], w[SP_UNAME_LEN + 2];
	char at[SP_INSTANT_LEN];
	size_t i;

	printf("%-12s %-12s %-24s %-24s %s\n", "START", "END", "WHO",
	    "STARTED_AT", "BASIS");
	for (i = 0; i < t->n; i++) {
		const struct sp_turn *v = &t->v[i];

		printf("%-12s %-12s %-24s %-24s %s%s%s\n",
		    isnan(v->start) ? "-" : sp_fmt_duration(fmax(v->start, 0),
		    a), isnan(v->end) ? "-" : sp_fmt_duration(fmax(v->end, 0),
		    b), who(v, w, sizeof(w)), v->started_ms == SP_NO_MS ? "-" :
		    sp_fmt_instant(v->started_ms, at), sp_basis_name(v->basis),
		    v->supersedes ? " over " : "", v->supersedes ?
		    sp_basis_name(v->supersedes - 1) : "");
	}
}

/* The turns of one Space (NULL: the audio alone) into all. */
static void
space_turns(const json_t *space, const struct sp_turns *stream, int have_span,
    double from, double to, int64_t origin, struct sp_turns *all)
{
	struct sp_turns sess;
	char sid[SP_UID_LEN];
	size_t i, first;

	sp_turns_init(&sess);
	if (space) {
		sp_sessions_from_space(space, basis_of(space), &sess);
		if (origin == SP_NO_MS)
			origin = audio_origin(space);
	}
	sp_turns_place(&sess, origin);
	first = all->n;
	sp_turns_merge(stream, have_span, from, to, &sess, all);
	if (space && sp_json_id(space, "id", sid, sizeof(sid)) == 0)
		for (i = first; i < all->n; i++)
			snprintf(all->v[i].space_id,
			    sizeof(all->v[i].space_id), "%s", sid);
	sp_turns_place(all, origin);
	sp_turns_release(&sess);
}

int
main(int argc, char *argv[])
{
	struct sp_turns stream, turns;
	struct sp_floor *fl = NULL;
	const char *audio = NULL, *k;
	json_t *spaces, *users, *sp, *chosen = NULL, *rec;
	char err[256], host[SP_UID_LEN];
	double min_turn = SP_MIN_TURN, from = 0, to = 0, dur = 0;
	int64_t origin = SP_NO_MS;
	int ch, i, json = 0, table = 0, out = OUT_JSON, quiet = 0;
	int status = SP_EXIT_OK, have_span = 0, stdin_ops = 0, s;
	size_t j, first;
	FILE *fp;

	sp_setprogname(argv[0]);
	sp_io_init();
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_AUDIO:
			audio = optarg;
			break;
		case OPT_CHAPTERS:
			if (out == OUT_VTT)
				usage();
			out = OUT_CHAPTERS;
			break;
		case OPT_MIN_TURN:
			if (sp_parse_duration(optarg, &min_turn) != 0 ||
			    min_turn > 600)
				sp_errx(SP_EXIT_USAGE, "--min-turn '%s': not a "
				    "duration up to 10 minutes (2, 1.5s, "
				    "500ms)", optarg);
			break;
		case OPT_TABLE:
			table = 1;
			break;
		case OPT_VTT:
			if (out == OUT_CHAPTERS)
				usage();
			out = OUT_VTT;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	for (i = 0; i < argc; i++)
		stdin_ops += strcmp(argv[i], "-") == 0;
	if (stdin_ops > 1 || (audio && strcmp(audio, "-") == 0 &&
	    (stdin_ops || argc == 0)))
		sp_errx(SP_EXIT_USAGE, "'-' can be given once");
	if ((json || table) && out != OUT_JSON)
		usage();
	if (out == OUT_JSON && (table || (!json && isatty(STDOUT_FILENO))))
		out = OUT_TABLE;

	spaces = json_object();
	users = json_object();
	/* Records from the operands; stdin when none, unless it is the
	 * terminal and the audio alone was asked for. */
	if (argc == 0 && !(audio && isatty(STDIN_FILENO)) &&
	    !(audio && strcmp(audio, "-") == 0))
		status = read_input("-", spaces, users);
	for (i = 0; i < argc; i++)
		if ((s = read_input(argv[i], spaces, users)) > status)
			status = s;

	sp_turns_init(&stream);
	sp_turns_init(&turns);
	if (audio) {
		chosen = space_of(spaces, audio, quiet);
		if (chosen == NULL ||
		    sp_json_id(chosen, "creator_id", host, sizeof(host)) != 0)
			host[0] = '\0';
		fl = malloc(sizeof(*fl));
		if (fl == NULL)
			sp_err(SP_EXIT_ENV, NULL);
		sp_floor_init(fl, min_turn, host);
		if ((fp = sp_open_in(audio)) == NULL)
			sp_err(SP_EXIT_ENV, "cannot open '%s'", audio);
		if (sp_speakers_audio(fp, fl, &stream, &origin, &dur, err,
		    sizeof(err)) != 0) {
			if (ferror(fp))
				sp_err(SP_EXIT_ENV, "cannot read '%s'", audio);
			sp_errx(SP_EXIT_USAGE, "'%s': %s", audio, err);
		}
		sp_close_in(fp);
		have_span = sp_floor_span(fl, &from, &to) == 0;
		if (!have_span && !quiet)
			sp_warnx("'%s': no Hydra audio levels in the stream",
			    audio);
		space_turns(chosen, &stream, have_span, from, to, origin,
		    &turns);
		/* Sessions of the Space's other audio parts lie outside. */
		sp_turns_cut(&turns, 0, dur);
		free(fl);
	} else
		json_object_foreach(spaces, k, sp) {
			first = turns.n;
			space_turns(sp, &stream, 0, 0, 0, SP_NO_MS, &turns);
			if (!quiet && audio_origin(sp) == SP_NO_MS &&
			    turns.n > first)
				sp_warnx("Space %s: the start of its audio is "
				    "unknown; its turns have wall clock only",
				    k);
		}
	name_turns(&turns, users);

	switch (out) {
	case OUT_VTT:
		print_vtt(&turns);
		break;
	case OUT_CHAPTERS:
		print_chapters(&turns);
		break;
	case OUT_TABLE:
		print_table(&turns);
		break;
	default:
		for (j = 0; j < turns.n; j++) {
			rec = sp_turn_record(&turns.v[j]);
			if (sp_ndjson_write(stdout, rec) != 0)
				sp_err(SP_EXIT_ENV, "write error");
			json_decref(rec);
		}
	}
	if (turns.n == 0 && status == SP_EXIT_OK) {
		if (!quiet)
			sp_warnx("no speaker facts found");
		status = SP_EXIT_NO;
	}
	sp_turns_release(&stream);
	sp_turns_release(&turns);
	json_decref(spaces);
	json_decref(users);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
