/* spaces-schedule: plan recurring Spaces, log hosted ones, check cadence. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "err.h"
#include "io.h"
#include "json.h"
#include "options.h"
#include "schedule.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

/* The usage of each command, in the order of the manual. */
#define CAL "spaces-schedule [--calendar file.ics] "
#define U_ADD CAL "add [--tz ZONE] [--duration D] [--rrule RULE | --every SPEC] " \
	"[--until DATE | --count N] --title T START"
#define U_LIST CAL "list [-j] [--table] [--from DATE|-duration] " \
	"[--to DATE|+duration]"
#define U_REMOVE CAL "remove UID"
#define U_SKIP CAL "skip UID DATE"
#define U_LOG CAL "log [--space ID --at TIME [--duration D] [--title T]] [-]"
#define U_CADENCE CAL "cadence [-j] [--table] [--weeks N] [--min N] " \
	"[--tz ZONE] [--as-of DATE]"
#define U_DUE CAL "due [-j] [--table] [--within D]"
#define U_EXPORT CAL "export [-o out.ics]"
#define U_IMPORT CAL "import in.ics"

enum {
	OPT_AS_OF = 256, OPT_AT, OPT_CALENDAR, OPT_COUNT, OPT_DURATION,
	OPT_EVERY, OPT_FROM, OPT_MIN, OPT_RRULE, OPT_SPACE, OPT_TABLE,
	OPT_TITLE, OPT_TO, OPT_TZ, OPT_UNTIL, OPT_WEEKS, OPT_WITHIN
};

/* Every option of every command, once; each command takes its own. */
static const struct sp_opt optlist[] = {
	{ 'j', "json", NULL, SP_VAL_NONE, NULL, "print NDJSON records" },
	{ 'o', "output", "out.ics", SP_VAL_FILE, "ics -",
	    "write the calendar here" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL,
	    "print the table even when not on a terminal" },
	{ OPT_TZ, "tz", "ZONE", SP_VAL_CHOICE, NULL, "the IANA zone" },
	{ OPT_DURATION, "duration", "D", SP_VAL_DURATION, "30m 1h 90m 2h",
	    "how long (1h)" },
	{ OPT_RRULE, "rrule", "RULE", SP_VAL_TEXT,
	    "FREQ=WEEKLY FREQ=DAILY", "an RFC 5545 recurrence rule" },
	{ OPT_EVERY, "every", "SPEC", SP_VAL_TEXT,
	    "daily weekly monthly weekdays", "a shorthand rule" },
	{ OPT_UNTIL, "until", "DATE", SP_VAL_TIME, NULL,
	    "the last day of the series" },
	{ OPT_COUNT, "count", "N", SP_VAL_NUMBER, NULL,
	    "the number of occurrences" },
	{ OPT_TITLE, "title", "T", SP_VAL_TEXT, NULL, "the title" },
	{ OPT_FROM, "from", "DATE|-duration", SP_VAL_TIME, "-7d -13w",
	    "the start of the window (now)" },
	{ OPT_TO, "to", "DATE|+duration", SP_VAL_TIME, "+7d +14w",
	    "the end of the window (14 weeks on)" },
	{ OPT_SPACE, "space", "ID", SP_VAL_TEXT, NULL, "the Space id" },
	{ OPT_AT, "at", "TIME", SP_VAL_TIME, NULL, "when it started" },
	{ OPT_WEEKS, "weeks", "N", SP_VAL_NUMBER, "1 2 4 8 13",
	    "weeks either side (4)" },
	{ OPT_MIN, "min", "N", SP_VAL_NUMBER, "1 2 3",
	    "Spaces a week at least (2)" },
	{ OPT_AS_OF, "as-of", "DATE", SP_VAL_TIME, NULL,
	    "the day to look from (now)" },
	{ OPT_WITHIN, "within", "D", SP_VAL_DURATION, "5m 15m 1h",
	    "how soon (15m)" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static const struct sp_opt calopt[] = {
	{ OPT_CALENDAR, "calendar", "file.ics", SP_VAL_FILE, "ics",
	    "the calendar file" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static void more(int, FILE *);

static struct sp_opts optspec = {
	"spaces-schedule",
	U_ADD "\n" U_LIST "\n" U_REMOVE "\n" U_SKIP "\n" U_LOG "\n" U_CADENCE
	"\n" U_DUE "\n" U_EXPORT "\n" U_IMPORT,
	calopt, SP_VAL_COMMAND,
	"add cadence due export import list log remove skip", 1, more,
	NULL, NULL
};

/* Which options each command takes, and what its operands are. */
static const struct {
	const char	*name;
	const char	*usage;
	int		 opts[10];
	enum sp_optval	 operand;
	const char	*operands;
} subs[] = {
	{ "add", U_ADD, { OPT_COUNT, OPT_DURATION, OPT_EVERY, OPT_RRULE,
	    OPT_TITLE, OPT_TZ, OPT_UNTIL, 0 }, SP_VAL_TIME, NULL },
	{ "cadence", U_CADENCE, { 'j', OPT_AS_OF, OPT_MIN, OPT_TABLE, OPT_TZ,
	    OPT_WEEKS, 0 }, SP_VAL_NONE, NULL },
	{ "due", U_DUE, { 'j', OPT_TABLE, OPT_WITHIN, 0 }, SP_VAL_NONE, NULL },
	{ "export", U_EXPORT, { 'o', 0 }, SP_VAL_NONE, NULL },
	{ "import", U_IMPORT, { 0 }, SP_VAL_FILE, "ics" },
	{ "list", U_LIST, { 'j', OPT_FROM, OPT_TABLE, OPT_TO, 0 }, SP_VAL_NONE,
	    NULL },
	{ "log", U_LOG, { OPT_AT, OPT_DURATION, OPT_SPACE, OPT_TITLE, 0 },
	    SP_VAL_FILE, "ndjson -" },
	{ "remove", U_REMOVE, { 0 }, SP_VAL_TEXT, NULL },
	{ "skip", U_SKIP, { 0 }, SP_VAL_TEXT, NULL },
};
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

/* The zones, for --complete=--tz. */
static void
more(int id, FILE *fp)
{
	if (id == OPT_TZ)
		sp_opt_zones(fp);
}

/* The option table of command sub, built from the list. */
static void
sub_opts(size_t sub, struct sp_opts *o, struct sp_opt *t)
{
	sp_opt_pick(optlist, subs[sub].opts, t);
	memset(o, 0, sizeof(*o));
	o->name = "spaces-schedule";
	o->usage = subs[sub].usage;
	o->opts = t;
	o->operand = subs[sub].operand;
	o->operands = subs[sub].operands;
	o->more = more;
}

struct opts {
	const char	*calendar, *tz, *rrule, *every, *until, *title;
	const char	*from, *to, *as_of, *space, *at, *output;
	double		 duration, within;
	int		 count, weeks, min, json, table, has_duration;
};

static struct sp_opts *cur_opts = &optspec;	/* for usage() */

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(cur_opts);
}

static double
duration_arg(const char *opt, const char *s, double max)
{
	double v;

	if (sp_parse_duration(s, &v) != 0)
		sp_errx(SP_EXIT_USAGE, "%s '%s': not a duration (90m, 1h30m, "
		    "1:30:00, 7d, 2w)", opt, s);
	if (v > max)
		sp_errx(SP_EXIT_USAGE, "%s '%s': longer than %.0f days", opt, s,
		    max / 86400);
	return v;
}

/* The message for a zone that cannot go in a calendar. */
#define NOT_A_ZONE	"not a time zone name tzdata and libical both know " \
	"(a POSIX TZ rule cannot go in a calendar: use a name such as " \
	"America/Chicago)"

/* The system's zone, or exit 2 when TZ is set to what it cannot use. */
static const char *
sys_tz(void)
{
	const char *tz = sp_sched_system_tz();

	if (tz == NULL)
		sp_errx(SP_EXIT_USAGE, "TZ '%s': " NOT_A_ZONE, getenv("TZ"));
	return tz;
}

static int64_t
instant_arg(const char *opt, const char *s, const char *tz)
{
	int64_t ms;

	if (sp_parse_instant(s, strcmp(tz, "UTC") == 0 ? NULL : tz, &ms) != 0)
		sp_errx(SP_EXIT_USAGE, "%s '%s': not a date or an ISO 8601 "
		    "time", opt, s);
	return ms;
}

/* "+90m" or "-2w": the duration after the sign, in ms, or exit 2. */
static int64_t
span_arg(const char *opt, const char *s)
{
	double secs;

	if (sp_parse_duration(s + 1, &secs) != 0)
		sp_errx(SP_EXIT_USAGE, "%s '%s': not a duration", opt, s);
	return (int64_t)(secs * 1000);
}

/*
 * What list shows by default: 14 weeks, so that a 13-week commitment
 * counted from next week (spaces-eligibility) sees the whole plan.
 */
#define LIST_SPAN	(14 * 7 * 86400000LL)

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The occurrences in [from, to); 1 when a series was cut (its later
 * occurrences are missing), said on stderr.
 */
static int
expand(struct sp_sched *s, int64_t from, int64_t to, const char *tz,
    struct sp_occ **v, size_t *n)
{
	int cut = sp_sched_expand(s->cal, from, to, tz, v, n);

	if (cut)
		sp_warnx("%d series %s more than %d occurrences (FREQ=SECONDLY "
		    "or MINUTELY?): %s cut there, the later ones are missing",
		    cut, cut == 1 ? "has" : "have", SP_SCHED_MAX_EXPAND,
		    cut == 1 ? "it is" : "each is");
	return cut != 0;
}

/* Open the calendar, exiting on failure with the status it calls for. */
static void
open_cal(struct sp_sched *s, const char *path, int lock)
{
	char err[600];
	int rv;

	if ((rv = sp_sched_open(s, path, lock, err, sizeof(err))) != 0)
		sp_errx(rv == SP_SCHED_INVALID ? SP_EXIT_USAGE : SP_EXIT_ENV,
		    "%s", err);
}

static void
save_cal(struct sp_sched *s)
{
	char err[600];

	if (sp_sched_save(s, err, sizeof(err)) != 0)
		sp_errx(SP_EXIT_ENV, "%s", err);
	sp_sched_close(s);
}

/* The table line of an occurrence, in its own zone. */
static void
print_occ(const struct sp_occ *o)
{
	static const char *const wd[8] = { "", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat", "Sun" };
	char dur[SP_DURATION_LEN], tz[64], title[256], id[64];
	const char *t = o->title ? o->title : "(untitled)";
	struct sp_civil c;

	/* A zone only the calendar's own VTIMEZONE defines: shown in UTC. */
	if (sp_civil(o->start, strcmp(o->tz, "UTC") == 0 ? NULL : o->tz,
	    &c) != 0)
		sp_civil(o->start, NULL, &c);
	/* What a calendar says must not drive the terminal. */
	sp_escape(tz, sizeof(tz), o->tz, strlen(o->tz));
	sp_escape(title, sizeof(title), t, strlen(t));
	sp_escape(id, sizeof(id), o->space_id ? o->space_id : "",
	    o->space_id ? strlen(o->space_id) : 0);
	printf("%04d-%02d-%02d %s %02d:%02d  %-8s  %-20s  %s%s%s\n", c.year,
	    c.month, c.day, wd[c.wday], c.hour, c.min,
	    sp_fmt_duration((double)(o->end - o->start) / 1000, dur), tz,
	    title, o->space_id ? "  space " : "", id);
}

static void
print_occs(const struct sp_occ *v, size_t n, int json)
{
	json_t *r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!json) {
			print_occ(&v[i]);
			continue;
		}
		r = sp_occ_record(&v[i]);
		if (sp_ndjson_write(stdout, r) != 0)
			sp_err(SP_EXIT_ENV, "write error");
		json_decref(r);
	}
}

/* The wall-clock hour and minute of START when it has no offset. */
static int
start_wall(const char *s, int *h, int *m)
{
	size_t len = strlen(s);

	if (len == 10) {	/* a date alone: midnight */
		*h = *m = 0;
		return 0;
	}
	if (len < 16 || strchr("Tt ", s[10]) == NULL ||
	    strpbrk(s + 11, "Zz+-") != NULL || !isdigit((unsigned char)s[11])
	    || !isdigit((unsigned char)s[12]) || s[13] != ':' ||
	    !isdigit((unsigned char)s[14]) || !isdigit((unsigned char)s[15]))
		return -1;
	*h = (s[11] - '0') * 10 + s[12] - '0';
	*m = (s[14] - '0') * 10 + s[15] - '0';
	return 0;
}

/*
 * Say when the new event's wall-clock time h:m falls in a DST gap or
 * overlap in its first two years: calendar apps place those differently.
 * A rule that sets times itself (BYHOUR, HOURLY...) is judged by its
 * first occurrence alone.
 */
static void
warn_dst(struct sp_sched *s, const char *uid, const char *rrule,
    int64_t start, const char *tz, int h, int m)
{
	static const char *const own[] = { "BYHOUR", "BYMINUTE", "BYSECOND",
	    "HOURLY", "MINUTELY", "SECONDLY" };
	struct sp_occ *v;
	struct sp_civil c;
	size_t n, i, k;
	int w, seen = 0, span = 2 * 366;

	for (k = 0; rrule && k < sizeof(own) / sizeof(own[0]); k++)
		if (strcasestr(rrule, own[k]) != NULL)
			span = 1;
	sp_sched_expand(s->cal, start, start + span * 86400000LL, "UTC", &v,
	    &n);
	for (i = 0; i < n && seen != (SP_SCHED_GAP | SP_SCHED_OVERLAP); i++) {
		if (v[i].uid == NULL || strcmp(v[i].uid, uid) != 0 ||
		    (span == 1 && v[i].start != start))
			continue;
		if ((w = sp_sched_wall(v[i].start, tz, h, m)) == 0 ||
		    (seen & w))
			continue;
		seen |= w;
		sp_civil(v[i].start, tz, &c);
		if (w == SP_SCHED_GAP)
			sp_warnx("%04d-%02d-%02d %02d:%02d does not happen in "
			    "%s (the clocks go forward): calendar apps "
			    "disagree on that occurrence; it is stored as "
			    "%02d:%02d",
			    c.year, c.month, c.day, h, m, tz, c.hour, c.min);
		else
			sp_warnx("%04d-%02d-%02d %02d:%02d happens twice in %s "
			    "(the clocks go back): calendar apps disagree on "
			    "that occurrence; it is stored as the first",
			    c.year, c.month, c.day, h, m, tz);
	}
	free(v);
}

static int
cmd_add(struct opts *o, int argc, char **argv)
{
	struct sp_event_spec e;
	struct sp_every ev;
	struct sp_civil c;
	struct sp_sched s;
	char err[300], uid[128], buf[64];
	const char *tz = o->tz ? o->tz : sys_tz();
	int wh, wm;

	if (argc != 1 || o->title == NULL || (o->rrule && o->every) ||
	    (o->until && o->count))
		usage();
	memset(&e, 0, sizeof(e));
	e.title = o->title;
	e.tz = tz;
	e.start = instant_arg("START", argv[0], tz);
	e.duration = o->has_duration ? o->duration : 3600;
	e.until = INT64_MIN;
	e.count = o->count;
	e.rrule = o->rrule;
	if (o->every) {
		if (sp_every_parse(o->every, &ev, err, sizeof(err)) != 0)
			sp_errx(SP_EXIT_USAGE, "--every '%s': %s", o->every,
			    err);
		e.rrule = ev.rrule;
		if (ev.hour >= 0) {
			/* The time in the shorthand sets the time of day. */
			sp_civil(e.start, strcmp(tz, "UTC") ? tz : NULL, &c);
			snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:00",
			    c.year, c.month, c.day, ev.hour, ev.min);
			e.start = instant_arg("START", buf, tz);
		}
	}
	if (o->rrule && strncasecmp(o->rrule, "RRULE:", 6) == 0)
		e.rrule = o->rrule + 6;
	if (o->until) {
		if (e.rrule == NULL)
			usage();
		/* A date alone: through the end of that day. */
		e.until = instant_arg("--until", o->until, tz);
		if (sp_parse_date(o->until, &c.year, &c.month, &c.day) == 0)
			e.until += 86400000 - 1000;
	}
	if (o->count && e.rrule == NULL)
		usage();
	open_cal(&s, o->calendar, 1);
	if (sp_sched_add(s.cal, &e, uid, sizeof(uid), err, sizeof(err)) != 0) {
		sp_sched_close(&s);
		sp_errx(SP_EXIT_USAGE, "%s", err);
	}
	if (o->every && ev.hour >= 0) {
		wh = ev.hour;
		wm = ev.min;
	} else if (start_wall(argv[0], &wh, &wm) != 0)
		wh = -1;
	if (wh >= 0 && strcmp(tz, "UTC") != 0)
		warn_dst(&s, uid, e.rrule, e.start, tz, wh, wm);
	save_cal(&s);
	printf("%s\n", uid);
	return SP_EXIT_OK;
}

static int
cmd_list(struct opts *o, int argc, char **argv)
{
	struct sp_sched s;
	struct sp_occ *v;
	size_t n;
	const char *tz = sys_tz();
	int64_t from, to;
	int cut;

	if (argc != 0)
		usage();
	from = now_ms();
	if (o->from != NULL)
		from = o->from[0] == '-' ? from - span_arg("--from", o->from) :
		    instant_arg("--from", o->from, tz);
	to = from + LIST_SPAN;
	if (o->to != NULL)
		to = o->to[0] == '+' ? from + span_arg("--to", o->to) :
		    instant_arg("--to", o->to, tz);
	if (to < from)
		sp_errx(SP_EXIT_USAGE, "--to is before --from");
	open_cal(&s, o->calendar, 0);
	cut = expand(&s, from, to, tz, &v, &n);
	print_occs(v, n, o->json);
	free(v);
	sp_sched_close(&s);
	return cut ? SP_EXIT_NO : SP_EXIT_OK;
}

static int
cmd_remove(struct opts *o, int argc, char **argv)
{
	struct sp_sched s;

	if (argc != 1)
		usage();
	open_cal(&s, o->calendar, 1);
	if (sp_sched_remove(s.cal, argv[0]) == 0) {
		sp_sched_close(&s);
		sp_errx(SP_EXIT_USAGE, "'%s': no such event", argv[0]);
	}
	save_cal(&s);
	return SP_EXIT_OK;
}

static int
cmd_skip(struct opts *o, int argc, char **argv)
{
	struct sp_sched s;
	char err[300];

	if (argc != 2)
		usage();
	open_cal(&s, o->calendar, 1);
	if (sp_sched_skip(s.cal, argv[0], argv[1], err, sizeof(err)) != 0) {
		sp_sched_close(&s);
		sp_errx(SP_EXIT_USAGE, "%s", err);
	}
	save_cal(&s);
	return SP_EXIT_OK;
}

/*
 * Log one hosted Space unless it is there already (ids: the ids logged);
 * 1 when added, 0 when there, -1 after a diagnostic.
 */
static int
log_one(icalcomponent *cal, json_t *ids, const char *id, int64_t at,
    double dur, const char *title)
{
	struct sp_event_spec e;
	char err[300], uid[160];

	if (json_object_get(ids, id) != NULL)
		return 0;
	memset(&e, 0, sizeof(e));
	e.title = title ? title : "Space";
	e.tz = "UTC";
	e.start = at;
	e.duration = dur;
	e.until = INT64_MIN;
	e.space_id = id;
	snprintf(uid, sizeof(uid), "space-%s@spaces", id);
	e.uid = uid;
	if (sp_sched_add(cal, &e, uid, sizeof(uid), err, sizeof(err)) != 0) {
		sp_warnx("Space '%s': %s", id, err);
		return -1;
	}
	json_object_set_new(ids, id, json_true());
	return 1;
}

static int
instant_field(const json_t *r, const char *k, int64_t *ms)
{
	const char *s = sp_json_str(r, k);

	return s == NULL ? -1 : sp_parse_instant(s, NULL, ms);
}

/*
 * space records on stdin: the hosted ones (started, not canceled).  A bad
 * line is reported and passed over, so the good records are kept; returns
 * the exit status that calls for (0, 2, or 3 on a read error).
 */
static int
log_records(icalcomponent *cal, json_t *ids)
{
	struct sp_ndjson r;
	const char *st;
	char id[64];
	int64_t at, end;
	json_t *rec;
	int n, status = SP_EXIT_OK;

	sp_ndjson_init(&r, stdin, "stdin");
	while ((n = sp_ndjson_next(&r, &rec)) != 0) {
		if (n == -2) {
			sp_warn("cannot read stdin");
			status = SP_EXIT_ENV;
			break;
		}
		if (n == -1) {
			sp_warnx("stdin: %s", r.err);
			status = SP_EXIT_USAGE;
			continue;
		}
		st = sp_json_str(rec, "state");
		if (sp_rec_type(rec) == NULL || strcmp(sp_rec_type(rec),
		    "space") != 0 || sp_json_id(rec, "id", id,
		    sizeof(id)) != 0 || (st && (strcmp(st, "scheduled") == 0 ||
		    strcmp(st, "canceled") == 0)) ||
		    (instant_field(rec, "started_at", &at) != 0 &&
		    instant_field(rec, "created_at", &at) != 0)) {
			json_decref(rec);
			continue;
		}
		/* No end, or none a Space could have: the length unknown. */
		if (instant_field(rec, "ended_at", &end) != 0 || end < at ||
		    end - at > (int64_t)SP_SCHED_MAX_DURATION * 1000)
			end = at;
		if (log_one(cal, ids, id, at, (double)(end - at) / 1000,
		    sp_json_str(rec, "title")) < 0 && status == SP_EXIT_OK)
			status = SP_EXIT_USAGE;
		json_decref(rec);
	}
	sp_ndjson_release(&r);
	return status;
}

static int
cmd_log(struct opts *o, int argc, char **argv)
{
	struct sp_sched s;
	int64_t at = 0;
	int in, status = SP_EXIT_OK;
	json_t *ids;

	if (argc > 1 || (argc == 1 && strcmp(argv[0], "-") != 0) ||
	    (o->space == NULL) != (o->at == NULL) ||
	    (o->space == NULL && (o->title || o->has_duration)))
		usage();
	in = argc == 1 || (o->space == NULL && !isatty(STDIN_FILENO));
	if (!in && o->space == NULL)
		usage();
	if (o->space) {
		if (o->space[0] == '\0' || strpbrk(o->space, " \t\r\n;:,"))
			sp_errx(SP_EXIT_USAGE, "--space '%s': not a Space id",
			    o->space);
		at = instant_arg("--at", o->at, sys_tz());
	}
	open_cal(&s, o->calendar, 1);
	/* One index of the logged ids: a long log stays linear. */
	ids = sp_sched_space_ids(s.cal);
	if (o->space && log_one(s.cal, ids, o->space, at, o->has_duration ?
	    o->duration : 0, o->title) < 0)
		status = SP_EXIT_USAGE;
	if (in) {
		in = log_records(s.cal, ids);
		if (status == SP_EXIT_OK)
			status = in;
	}
	json_decref(ids);
	/* What was good is kept, whatever else went wrong. */
	save_cal(&s);
	return status;
}

/* Per ISO week: hosted (logged) and planned counts, judged on --min. */
static int
cmd_cadence(struct opts *o, int argc, char **argv)
{
	struct sp_sched s;
	struct sp_occ *v;
	const char *tz = o->tz ? o->tz : sys_tz();
	const char *ztz = strcmp(tz, "UTC") == 0 ? NULL : tz, *when;
	char wk[SP_WEEK_LEN], st[SP_INSTANT_LEN], bar[64];
	int64_t asof, week, first, w;
	int nweeks = 2 * o->weeks + 1, *hosted, *planned, i, count, under = 0;
	int cut;
	size_t n, k;
	json_t *r;

	if (argc != 0)
		usage();
	asof = o->as_of ? instant_arg("--as-of", o->as_of, tz) : now_ms();
	week = sp_week_index(asof, ztz);
	first = week - o->weeks;
	open_cal(&s, o->calendar, 0);
	cut = expand(&s, sp_week_start(first, ztz),
	    sp_week_start(week + o->weeks + 1, ztz), tz, &v, &n);
	hosted = sp_xcalloc((size_t)nweeks, sizeof(int));
	planned = sp_xcalloc((size_t)nweeks, sizeof(int));
	for (k = 0; k < n; k++) {
		w = sp_week_index(v[k].start, ztz) - first;
		if (w < 0 || w >= nweeks)
			continue;
		if (v[k].space_id)
			hosted[w]++;
		else if (w > o->weeks || v[k].start >= asof)
			planned[w]++;	/* still to come */
	}
	if (!o->json)
		printf("cadence in %s, at least %d a week\n", tz, o->min);
	for (i = 0; i < nweeks; i++) {
		/* Past weeks count what was hosted; the rest, the plan too. */
		count = hosted[i] + (i < o->weeks ? 0 : planned[i]);
		when = i < o->weeks ? "past" : i == o->weeks ? "current" :
		    "next";
		under += count < o->min;
		sp_fmt_week(first + i, wk);
		if (o->json) {
			r = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, "
			    "s:i, s:b, s:s}", "type", "week", "week", wk,
			    "start", sp_fmt_instant(sp_week_start(first + i,
			    ztz), st), "when", when, "hosted", hosted[i],
			    "planned", planned[i], "count", count, "min",
			    o->min, "ok", count >= o->min, "source",
			    "schedule");
			if (sp_ndjson_write(stdout, r) != 0)
				sp_err(SP_EXIT_ENV, "write error");
			json_decref(r);
			continue;
		}
		memset(bar, 0, sizeof(bar));
		memset(bar, '#', (size_t)(hosted[i] > 20 ? 20 : hosted[i]));
		memset(bar + strlen(bar), '+', (size_t)(planned[i] > 20 ? 20 :
		    planned[i]));
		printf("%s  %-7s  %2d hosted  %2d planned  %-*s%s\n", wk,
		    when, hosted[i], planned[i], count < o->min ? 24 : 0,
		    bar, count < o->min ? "  under" : "");
	}
	if (!o->json)
		printf("%d of %d weeks under %d (# hosted, + planned)\n", under,
		    nweeks, o->min);
	free(hosted);
	free(planned);
	free(v);
	sp_sched_close(&s);
	return under || cut ? SP_EXIT_NO : SP_EXIT_OK;
}

static int
cmd_due(struct opts *o, int argc, char **argv)
{
	struct sp_sched s;
	struct sp_occ *v;
	size_t n;
	int64_t now = now_ms();

	if (argc != 0)
		usage();
	open_cal(&s, o->calendar, 0);
	expand(&s, now, now + (int64_t)(o->within * 1000) + 1, sys_tz(), &v,
	    &n);
	print_occs(v, n, o->json);
	free(v);
	sp_sched_close(&s);
	return n ? SP_EXIT_OK : SP_EXIT_NO;
}

static int
cmd_export(struct opts *o, int argc, char **argv)
{
	struct sp_atomic a;
	struct sp_sched s;
	char *text;
	size_t len;
	int bad;

	if (argc != 0)
		usage();
	open_cal(&s, o->calendar, 0);
	text = sp_sched_text(s.cal);
	sp_sched_close(&s);
	len = strlen(text);
	if (o->output == NULL || strcmp(o->output, "-") == 0) {
		fwrite(text, 1, len, stdout);
		free(text);
		return SP_EXIT_OK;
	}
	if (sp_atomic_open(&a, o->output, 1) != 0)
		sp_err(SP_EXIT_ENV, "cannot write '%s'", o->output);
	bad = fwrite(text, 1, len, a.fp) != len;
	free(text);
	if (bad || sp_atomic_commit(&a) != 0) {
		sp_atomic_abort(&a);
		sp_err(SP_EXIT_ENV, "cannot write '%s'", o->output);
	}
	free(a.path);
	free(a.tmp);
	return SP_EXIT_OK;
}

static int
cmd_import(struct opts *o, int argc, char **argv)
{
	icalcomponent *in;
	struct sp_sched s;
	char *text = NULL, err[600], buf[65536];
	size_t len = 0, r;
	FILE *fp;
	int rv;

	if (argc != 1)
		usage();
	if ((fp = sp_open_in(argv[0])) == NULL)
		sp_err(SP_EXIT_USAGE, "cannot open '%s'", argv[0]);
	while ((r = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (len + r > (64u << 20)) {
			free(text);
			sp_errx(SP_EXIT_USAGE, "'%s': too large", argv[0]);
		}
		text = sp_xrealloc(text, len + r + 1);
		memcpy(text + len, buf, r);
		len += r;
	}
	if (ferror(fp) || sp_close_in(fp) != 0)
		sp_err(SP_EXIT_ENV, "cannot read '%s'", argv[0]);
	rv = sp_sched_parse(text ? text : "", len, &in, err, sizeof(err));
	free(text);
	if (rv != 0)
		sp_errx(SP_EXIT_USAGE, "'%s': %s", argv[0], err);
	open_cal(&s, o->calendar, 1);
	sp_sched_merge(s.cal, in);
	icalcomponent_free(in);
	save_cal(&s);
	return SP_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	static int (*const run[])(struct opts *, int, char **) = { cmd_add,
	    cmd_cadence, cmd_due, cmd_export, cmd_import, cmd_list, cmd_log,
	    cmd_remove, cmd_skip };
	/* Static: what sp_getopt builds in them lives as long as the run. */
	static struct sp_opt subopts[sizeof(optlist) / sizeof(optlist[0])];
	static struct sp_opts subspec;
	struct opts o;
	size_t sub;
	int ch, status;
	char *cal = NULL;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	memset(&o, 0, sizeof(o));
	o.within = 900;
	o.weeks = 4;
	o.min = 2;
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case OPT_CALENDAR:
			if (*optarg == '\0')
				usage();
			o.calendar = optarg;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	for (sub = 0; sub < NSUBS; sub++)
		if (strcmp(argv[0], subs[sub].name) == 0)
			break;
	if (sub == NSUBS) {
		sp_warnx("'%s': no such command", argv[0]);
		usage();
	}
	sub_opts(sub, &subspec, subopts);
	cur_opts = &subspec;
	argv[0] = (char *)sp_getprogname();	/* for getopt's messages */
	optind = 1;
	while ((ch = sp_getopt(&subspec, argc, argv)) != -1) {
		switch (ch) {
		case 'j':
			o.json = 1;
			break;
		case 'o':
			o.output = optarg;
			break;
		case OPT_AS_OF:
			o.as_of = optarg;
			break;
		case OPT_AT:
			o.at = optarg;
			break;
		case OPT_COUNT:
			o.count = (int)sp_arg_int("--count", optarg, 1, 100000);
			break;
		case OPT_DURATION:
			o.duration = duration_arg("--duration", optarg,
			    SP_SCHED_MAX_DURATION);
			o.has_duration = 1;
			break;
		case OPT_EVERY:
			o.every = optarg;
			break;
		case OPT_FROM:
			o.from = optarg;
			break;
		case OPT_MIN:
			o.min = (int)sp_arg_int("--min", optarg, 0, 1000);
			break;
		case OPT_RRULE:
			o.rrule = optarg;
			break;
		case OPT_SPACE:
			o.space = optarg;
			break;
		case OPT_TABLE:
			o.table = 1;
			break;
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_TO:
			o.to = optarg;
			break;
		case OPT_TZ:
			if (!sp_sched_tz_valid(optarg))
				sp_errx(SP_EXIT_USAGE, "--tz '%s': "
				    NOT_A_ZONE, optarg);
			o.tz = optarg;
			break;
		case OPT_UNTIL:
			o.until = optarg;
			break;
		case OPT_WEEKS:
			o.weeks = (int)sp_arg_int("--weeks", optarg, 1, 520);
			break;
		case OPT_WITHIN:
			o.within = duration_arg("--within", optarg,
			    366 * 86400);
			break;
		default:
			usage();
		}
	}
	if (!o.json && !o.table)
		o.json = !isatty(STDOUT_FILENO);
	if (o.table)
		o.json = 0;
	if (o.calendar == NULL && (o.calendar = cal =
	    sp_sched_default_path()) == NULL)
		sp_errx(SP_EXIT_ENV, "no calendar: HOME is not set (nor "
		    "XDG_DATA_HOME): set it, SPACES_SCHEDULE or --calendar");
	status = run[sub](&o, argc - optind, argv + optind);
	free(cal);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
