/* spaces-eligibility: decide eligibility for an X creator programme. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "country.h"
#include "eligibility.h"
#include "args.h"
#include "err.h"
#include "io.h"
#include "json.h"
#include "options.h"
#include "rules.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

#define EXIT_UNDETERMINED 4

enum {
	OPT_AGE = 256, OPT_AS_OF, OPT_BIRTH_DATE, OPT_COUNTRY, OPT_FOLLOWERS,
	OPT_LIST, OPT_TABLE, OPT_TZ, OPT_WEEKS
};

static const struct sp_opt optlist[] = {
	{ 'j', "json", NULL, SP_VAL_NONE, NULL,
	    "print an NDJSON verdict record" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL,
	    "print nothing, just the exit status" },
	{ 'v', "verbose", NULL, SP_VAL_NONE, NULL,
	    "add weekly counts, descriptions and sources" },
	{ 'p', "program", "programme", SP_VAL_CHOICE, NULL,
	    "the programme to check" },
	{ 'r', "rules", "rules.json", SP_VAL_FILE, "json",
	    "use this rule file" },
	{ OPT_LIST, "list-programs", NULL, SP_VAL_NONE, NULL,
	    "list the rule sets found and exit" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL,
	    "print the table even when not on a terminal" },
	{ OPT_FOLLOWERS, "followers", "N", SP_VAL_NUMBER, NULL,
	    "the number of followers" },
	{ OPT_COUNTRY, "country", "CC", SP_VAL_TEXT, "US",
	    "the country: an ISO 3166 code or a name" },
	{ OPT_AGE, "age", "N", SP_VAL_NUMBER, NULL,
	    "the age in years at the --as-of date" },
	{ OPT_BIRTH_DATE, "birth-date", "DATE", SP_VAL_TIME, NULL,
	    "the birth date, YYYY-MM-DD" },
	{ OPT_AS_OF, "as-of", "DATE", SP_VAL_TIME, NULL,
	    "the day the verdict is for" },
	{ OPT_WEEKS, "weeks", "N", SP_VAL_NUMBER, NULL,
	    "the number of complete ISO weeks to look back over" },
	{ OPT_TZ, "tz", "ZONE", SP_VAL_CHOICE, NULL, "the IANA time zone" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static void more(int, FILE *);

static struct sp_opts optspec = {
	"spaces-eligibility",
	"spaces-eligibility [-jqv] [-p programme] [-r rules.json] "
	"[--list-programs] [--table] [--followers N] [--country CC] "
	"[--age N | --birth-date DATE] [--as-of DATE] [--weeks N] [--tz ZONE] "
	"[file ...]",
	optlist, SP_VAL_FILE, "ndjson json", 0, more, NULL, NULL
};

/*
 * For --complete: the programmes of the rule files found, each family
 * once (-p takes either), and the zones.
 */
static void
more(int id, FILE *fp)
{
	struct sp_rules *list;
	size_t i, j, n;

	if (id == 'p') {
		sp_rules_list(&list, &n, NULL);
		for (i = 0; i < n; i++) {
			for (j = 0; j < i; j++)
				if (strcmp(list[j].family, list[i].family) == 0)
					break;
			if (j == i && strcmp(list[i].family,
			    list[i].program) != 0)
				fprintf(fp, "%s\n", list[i].family);
			fprintf(fp, "%s\n", list[i].program);
		}
		sp_rules_list_free(list, n);
	} else if (id == OPT_TZ)
		sp_opt_zones(fp);
}

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(&optspec);
}

/* A cell of the table; the json value shown as text. */
static void
cell(const json_t *v, char *buf, size_t n)
{
	if (json_is_string(v))
		snprintf(buf, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
	else
		snprintf(buf, n, "-");
}

enum { C_ID, C_STATUS, C_ACTUAL, C_REQUIRED, C_MARGIN, C_FROM, NCOLS };

static void
print_table(const json_t *v, int verbose)
{
	static const char *head[NCOLS] = { "CRITERION", "STATUS", "ACTUAL",
	    "REQUIRED", "MARGIN", "FROM" };
	json_t *crit = json_object_get(v, "criteria"), *c, *m, *w;
	size_t i, j, k, nrows = json_array_size(crit);
	char (*cells)[NCOLS][160];
	int width[NCOLS], len, advisory, verified;
	const char *status, *sep;

	cells = sp_xcalloc(nrows + 1, sizeof(*cells));
	for (k = 0; k < NCOLS; k++)
		snprintf(cells[0][k], sizeof(cells[0][k]), "%s", head[k]);
	json_array_foreach(crit, i, c) {
		advisory = json_is_true(json_object_get(c, "advisory"));
		verified = json_is_true(json_object_get(c, "verified"));
		snprintf(cells[i + 1][C_ID], sizeof(cells[0][0]), "%s%s%s",
		    json_string_value(json_object_get(c, "id")),
		    advisory ? " (advisory)" : "",
		    verified ? "" : " (unverified)");
		cell(json_object_get(c, "status"), cells[i + 1][C_STATUS],
		    sizeof(cells[0][0]));
		cell(json_object_get(c, "actual"), cells[i + 1][C_ACTUAL],
		    sizeof(cells[0][0]));
		cell(json_object_get(c, "required"), cells[i + 1][C_REQUIRED],
		    sizeof(cells[0][0]));
		m = json_object_get(c, "margin");
		if (json_is_number(m) && json_number_value(m) > 0)
			snprintf(cells[i + 1][C_MARGIN], sizeof(cells[0][0]),
			    "+%g", json_number_value(m));
		else
			cell(m, cells[i + 1][C_MARGIN], sizeof(cells[0][0]));
		cell(json_object_get(c, "from"), cells[i + 1][C_FROM],
		    sizeof(cells[0][0]));
	}
	for (k = 0; k < NCOLS; k++) {
		width[k] = 0;
		for (i = 0; i <= nrows; i++) {
			len = (int)strlen(cells[i][k]);
			if (len > width[k])
				width[k] = len;
		}
	}

	printf("%s: %s (effective %s)\n",
	    json_string_value(json_object_get(v, "program")),
	    json_string_value(json_object_get(v, "name")),
	    json_string_value(json_object_get(v, "effective")));
	for (i = 0; i <= nrows; i++) {
		for (k = 0; k < NCOLS - 1; k++)
			printf("%-*s  ", width[k], cells[i][k]);
		printf("%s\n", cells[i][C_FROM]);
		if (!verbose || i == 0)
			continue;
		c = json_array_get(crit, i - 1);
		if (json_object_get(c, "text"))
			printf("    %s\n", json_string_value(json_object_get(c,
			    "text")));
		json_array_foreach(json_object_get(c, "weeks"), j, w)
			printf("    %s  %" JSON_INTEGER_FORMAT "\n",
			    json_string_value(json_object_get(w, "week")),
			    json_integer_value(json_object_get(w, "count")));
	}
	free(cells);

	status = json_string_value(json_object_get(v, "status"));
	if (strcmp(status, "eligible") == 0)
		printf("verdict: eligible\n");
	else {
		/* Name what stands in the way: failures, else unknowns. */
		printf("verdict: %s (%s: ", strcmp(status, "undetermined") == 0 ?
		    "undetermined" : "not eligible",
		    strcmp(status, "undetermined") == 0 ? "unknown" : "failed");
		sep = "";
		json_array_foreach(crit, i, c) {
			if (json_is_true(json_object_get(c, "advisory")))
				continue;
			if (strcmp(json_string_value(json_object_get(c,
			    "status")), strcmp(status, "undetermined") == 0 ?
			    "unknown" : "fail") != 0)
				continue;
			printf("%s%s", sep,
			    json_string_value(json_object_get(c, "id")));
			sep = ", ";
		}
		printf(")\n");
	}
	if (verbose) {
		printf("as of %s, weeks in %s; rules: %s\n",
		    json_string_value(json_object_get(v, "as_of")),
		    json_string_value(json_object_get(v, "tz")),
		    json_is_true(json_object_get(v, "verified")) ?
		    "verified" : "not all verified");
		json_array_foreach(json_object_get(v, "sources"), i, c)
			printf("source: %s\n", json_string_value(c));
	}
}

static int
list_programs(int json)
{
	struct sp_rules *list;
	json_t *o;
	size_t i, n;
	int w[2] = { 0, 0 };

	sp_rules_list(&list, &n, sp_warnx);
	for (i = 0; i < n; i++) {
		if ((int)strlen(list[i].program) > w[0])
			w[0] = (int)strlen(list[i].program);
		if ((int)strlen(list[i].effective) > w[1])
			w[1] = (int)strlen(list[i].effective);
	}
	for (i = 0; i < n; i++) {
		if (json) {
			o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
			    "type", "program", "program", list[i].program,
			    "family", list[i].family, "name", list[i].name,
			    "effective", list[i].effective,
			    "verified", list[i].verified, "path", list[i].path);
			sp_ndjson_write(stdout, o);
			json_decref(o);
		} else
			printf("%-*s  %-*s  %-10s  %s\n", w[0],
			    list[i].program, w[1], list[i].effective,
			    list[i].verified ?
			    "verified" : "unverified", list[i].name);
	}
	sp_rules_list_free(list, n);
	return n ? SP_EXIT_OK : SP_EXIT_USAGE;
}

/* Read every record of one input into the facts; exits on bad input. */
static void
read_records(struct sp_facts *f, const char *path, int *warned)
{
	struct sp_ndjson r;
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	FILE *fp;
	json_t *rec;
	int n;

	if ((fp = sp_open_in(path)) == NULL)
		sp_err(SP_EXIT_USAGE, "cannot open '%s'", path);
	sp_ndjson_init(&r, fp, name);
	while ((n = sp_ndjson_next(&r, &rec)) > 0) {
		if (sp_facts_record(f, rec) && !*warned) {
			sp_warnx("%s: line %zu: records describe more than "
			    "one user; using the last, %s", name, r.lineno,
			    sp_facts_user_id(f));
			*warned = 1;
		}
		json_decref(rec);
	}
	if (n == -1)
		sp_errx(SP_EXIT_USAGE, "%s%s%s: %s", fp == stdin ? "" : "'",
		    name, fp == stdin ? "" : "'", r.err);
	if (n == -2 || sp_close_in(fp) != 0)
		sp_err(SP_EXIT_ENV, "cannot read '%s'", name);
	sp_ndjson_release(&r);
}

int
main(int argc, char *argv[])
{
	struct sp_rules rules;
	struct sp_elig_opts opts;
	struct sp_facts *facts;
	const char *program = "spark-2021", *rulefile = NULL, *as_of = NULL;
	const char *country = NULL, *birth = NULL, *tz = NULL, *st;
	long long followers = -1, age = -1;
	int ch, json = 0, table = 0, quiet = 0, verbose = 0, list = 0, pflag = 0;
	int weeks = 0, warned = 0, y, m, d, i, status;
	char err[400];
	json_t *v;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'p':
			program = optarg;
			pflag = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			rulefile = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_AGE:
			age = sp_arg_int("--age", optarg, 0, 150);
			break;
		case OPT_AS_OF:
			as_of = optarg;
			break;
		case OPT_BIRTH_DATE:
			birth = optarg;
			if (sp_parse_date(birth, &y, &m, &d) != 0)
				sp_errx(SP_EXIT_USAGE, "--birth-date '%s': "
				    "not a date (YYYY-MM-DD)", birth);
			break;
		case OPT_COUNTRY:
			if ((country = sp_country_code(optarg)) == NULL)
				sp_errx(SP_EXIT_USAGE, "--country '%s': not a "
				    "country this tool knows (try a code: US)",
				    optarg);
			break;
		case OPT_FOLLOWERS:
			followers = sp_arg_int("--followers", optarg, 0,
			    1000000000000LL);
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_TABLE:
			table = 1;
			break;
		case OPT_TZ:
			tz = optarg;
			if (!sp_tz_valid(tz))
				sp_errx(SP_EXIT_USAGE, "--tz '%s': unknown time "
				    "zone", tz);
			break;
		case OPT_WEEKS:
			weeks = (int)sp_arg_int("--weeks", optarg, 1, 520);
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (age >= 0 && birth)
		usage();
	if (rulefile && pflag)
		sp_errx(SP_EXIT_USAGE, "-p and -r cannot be used together");
	if (!json && !table)
		json = !isatty(STDOUT_FILENO);

	if (list) {
		status = list_programs(json);
		return sp_close_stdout() ? SP_EXIT_ENV : status;
	}

	/*
	 * Weeks and dates are civil: TZ when set, else UTC.  A TZ that
	 * names no zone (a POSIX rule) is refused, never taken as UTC.
	 */
	if (tz == NULL && sp_tz_env(&tz) < 0)
		sp_errx(SP_EXIT_USAGE, "TZ '%s': not a time zone name (a POSIX "
		    "TZ rule is not taken: give --tz, such as America/Chicago)",
		    getenv("TZ"));
	if (tz == NULL)
		tz = "UTC";
	memset(&opts, 0, sizeof(opts));
	opts.tz = tz;
	opts.weeks = weeks;
	opts.as_of = (int64_t)time(NULL) * 1000;
	if (as_of && sp_parse_instant(as_of, tz, &opts.as_of) != 0)
		sp_errx(SP_EXIT_USAGE, "--as-of '%s': not a date or an ISO 8601 "
		    "time", as_of);

	if (rulefile ? sp_rules_load(&rules, rulefile, err, sizeof(err)) :
	    sp_rules_find(&rules, program, err, sizeof(err)))
		sp_errx(SP_EXIT_USAGE, "%s", err);
	facts = sp_facts_new(&rules, &opts);
	if (followers >= 0)
		sp_facts_flag(facts, "followers_count", json_integer(followers),
		    "--followers");
	if (country)
		sp_facts_flag(facts, "country", json_string(country),
		    "--country");
	if (age >= 0)
		sp_facts_flag(facts, "age", json_integer(age), "--age");
	if (birth)
		sp_facts_flag(facts, "birth_date", json_string(birth),
		    "--birth-date");

	if (argc == 0 && !isatty(STDIN_FILENO))
		read_records(facts, "-", &warned);
	for (i = 0; i < argc; i++)
		read_records(facts, argv[i], &warned);

	v = sp_facts_verdict(facts);
	st = json_string_value(json_object_get(v, "status"));
	status = strcmp(st, "eligible") == 0 ? SP_EXIT_OK :
	    strcmp(st, "not-eligible") == 0 ? SP_EXIT_NO : EXIT_UNDETERMINED;
	if (quiet)
		;
	else if (json)
		sp_ndjson_write(stdout, v);
	else
		print_table(v, verbose);
	json_decref(v);
	sp_facts_free(facts);
	sp_rules_release(&rules);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
