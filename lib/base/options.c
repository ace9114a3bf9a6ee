/* options: a command's options, declared once: parser, usage, completion. */
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "io.h"
#include "options.h"
#include "xalloc.h"
#include "banned.h"

#define SP_ZONEINFO "/usr/share/zoneinfo"

#ifndef SP_VERSION
#define SP_VERSION "0"
#endif

/* The options every command has, past the ids a table may use. */
enum { OPT_HELP = 'h', OPT_VERSION = 0x7ffe, OPT_COMPLETE };

static const struct sp_opt common[] = {
	{ 'h', "help", NULL, SP_VAL_NONE, NULL, "print this help and exit" },
	{ OPT_VERSION, "version", NULL, SP_VAL_NONE, NULL,
	    "print the name and version and exit" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static const char *const valnames[] = {
	[SP_VAL_NONE] = "none", [SP_VAL_TEXT] = "text",
	[SP_VAL_FILE] = "file", [SP_VAL_DIR] = "dir",
	[SP_VAL_CHOICE] = "choice", [SP_VAL_DURATION] = "duration",
	[SP_VAL_TIME] = "time", [SP_VAL_NUMBER] = "number",
	[SP_VAL_COMMAND] = "command"
};

const char *
sp_optval_name(enum sp_optval v)
{
	return (unsigned)v < sizeof(valnames) / sizeof(valnames[0]) ?
	    valnames[v] : "text";
}

/* The number of entries of a table. */
static size_t
count(const struct sp_opt *t)
{
	size_t n = 0;

	while (t[n].id != 0)
		n++;
	return n;
}

/* Whether the command's own table has an option of this id. */
static int
declares(const struct sp_opts *o, int id)
{
	const struct sp_opt *p;

	for (p = o->opts; p->id != 0; p++)
		if (p->id == id)
			return 1;
	return 0;
}

/*
 * The i-th option of the command's table followed by the common ones it
 * does not declare itself (a command may print its own -h).
 */
static const struct sp_opt *
nth(const struct sp_opts *o, size_t i)
{
	size_t k, n = count(o->opts);

	if (i < n)
		return &o->opts[i];
	i -= n;
	for (k = 0; common[k].id != 0; k++)
		if (!declares(o, common[k].id) && i-- == 0)
			return &common[k];
	return NULL;
}

static void
build(struct sp_opts *o)
{
	const struct sp_opt *p;
	struct option *lo;
	size_t i, nl = 0, ns = 0, n = count(o->opts) + count(common);

	o->shortopts = sp_xmalloc(3 * n + 3);
	lo = sp_xcalloc(n + 2, sizeof(*lo));
	if (o->stop)
		o->shortopts[ns++] = '+';
	for (i = 0; (p = nth(o, i)) != NULL; i++) {
		if (p->id > 0 && p->id < 256) {
			o->shortopts[ns++] = (char)p->id;
			if (p->val != SP_VAL_NONE)
				o->shortopts[ns++] = ':';
		}
		if (p->name != NULL) {
			lo[nl].name = p->name;
			lo[nl].has_arg = p->val != SP_VAL_NONE ?
			    required_argument : no_argument;
			lo[nl].val = p->id;
			nl++;
		}
	}
	lo[nl].name = "complete";
	lo[nl].has_arg = optional_argument;
	lo[nl].val = OPT_COMPLETE;
	o->shortopts[ns] = '\0';
	o->longopts = lo;
}

/* Print, check and close stdout, then exit: the end of -h and the like. */
static void __attribute__((noreturn))
done(void)
{
	exit(sp_close_stdout() ? SP_EXIT_ENV : SP_EXIT_OK);
}

int
sp_getopt(struct sp_opts *o, int argc, char **argv)
{
	int ch;

	if (o->longopts == NULL)
		build(o);
	ch = getopt_long(argc, argv, o->shortopts, o->longopts, NULL);
	if (ch > 0 && declares(o, ch))
		return ch;
	switch (ch) {
	case OPT_HELP:
		sp_opt_help(o, stdout);
		done();
	case OPT_VERSION:
		printf("%s %s\n", o->name, SP_VERSION);
		done();
	case OPT_COMPLETE:
		if (sp_opt_complete(o, optarg, stdout) == -1)
			sp_errx(SP_EXIT_USAGE, "--complete: no option '%s'",
			    optarg);
		done();
	case '?':
	case ':':
		sp_opt_usage_exit(o);
	default:
		return ch;
	}
}

/* The length of the next word of a form: a bracketed group is one word. */
static size_t
word(const char *s)
{
	size_t n = 0;
	int depth = 0;

	for (; s[n] != '\0' && s[n] != '\n'; n++) {
		if (s[n] == '[' || s[n] == '(')
			depth++;
		else if ((s[n] == ']' || s[n] == ')') && depth > 0)
			depth--;
		else if (s[n] == ' ' && depth == 0)
			break;
	}
	return n;
}

/*
 * Each form on a line of its own, wrapped before 80 columns under the
 * first word after the command's name, as a manual's SYNOPSIS is.
 */
void
sp_opt_usage(const struct sp_opts *o, FILE *fp)
{
	const char *s = o->usage;
	size_t col, indent, n;
	int first = 1;

	while (*s != '\0') {
		col = fprintf(fp, "%s", first ? "usage: " : "       ");
		first = 0;
		n = word(s);
		col += fprintf(fp, "%.*s", (int)n, s);
		indent = col + 1;
		for (s += n; *s == ' '; s++)
			continue;
		while (*s != '\0' && *s != '\n') {
			n = word(s);
			if (col + 1 + n > 80) {
				fprintf(fp, "\n%*s", (int)indent - 1, "");
				col = indent - 1;
			}
			col += fprintf(fp, " %.*s", (int)n, s);
			for (s += n; *s == ' '; s++)
				continue;
		}
		fputc('\n', fp);
		if (*s == '\n')
			s++;
	}
}

void
sp_opt_usage_exit(const struct sp_opts *o)
{
	sp_opt_usage(o, stderr);
	exit(SP_EXIT_USAGE);
}

void
sp_opt_help(const struct sp_opts *o, FILE *fp)
{
	const struct sp_opt *p;
	char left[64];
	size_t i;

	sp_opt_usage(o, fp);
	fputc('\n', fp);
	for (i = 0; (p = nth(o, i)) != NULL; i++) {
		if (p->id > 0 && p->id < 256)
			snprintf(left, sizeof(left), "-%c%s%s%s%s", p->id,
			    p->name != NULL ? ", --" : "",
			    p->name != NULL ? p->name : "",
			    p->arg != NULL ? " " : "",
			    p->arg != NULL ? p->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", p->name,
			    p->arg != NULL ? " " : "",
			    p->arg != NULL ? p->arg : "");
		if (strlen(left) <= 22)
			fprintf(fp, "  %-24s%s\n", left, p->help);
		else
			fprintf(fp, "  %s\n  %-24s%s\n", left, "", p->help);
	}
}

/* The value's kind, then each word of values on a line of its own. */
static void
words(enum sp_optval v, const char *values, FILE *fp)
{
	const char *s = values;
	size_t n;

	fprintf(fp, "%s\n", sp_optval_name(v));
	while (s != NULL && *s != '\0') {
		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n > 0)
			fprintf(fp, "%.*s\n", (int)n, s);
		s += n;
	}
}

/* Whether what spells p: "-x" or "--name". */
static int
spells(const struct sp_opt *p, const char *what)
{
	if (what[0] != '-')
		return 0;
	if (what[1] == '-')
		return p->name != NULL && strcmp(what + 2, p->name) == 0;
	return p->id > 0 && p->id < 256 && what[1] == p->id &&
	    what[2] == '\0';
}

int
sp_opt_complete(const struct sp_opts *o, const char *what, FILE *fp)
{
	const struct sp_opt *p;
	size_t i;

	if (what == NULL || *what == '\0') {
		for (i = 0; (p = nth(o, i)) != NULL; i++) {
			if (p->id > 0 && p->id < 256)
				fprintf(fp, "-%c%s", p->id,
				    p->name != NULL ? "," : "");
			if (p->name != NULL)
				fprintf(fp, "--%s", p->name);
			fprintf(fp, "\t%s\t%s\n", sp_optval_name(p->val),
			    p->help);
		}
		return 0;
	}
	if (strcmp(what, "operand") == 0) {
		words(o->operand, o->operands, fp);
		if (o->more != NULL)
			o->more(0, fp);
		return 0;
	}
	for (i = 0; (p = nth(o, i)) != NULL; i++)
		if (spells(p, what)) {
			words(p->val, p->values, fp);
			if (o->more != NULL && p->val != SP_VAL_NONE)
				o->more(p->id, fp);
			return 0;
		}
	return -1;
}

void
sp_opt_pick(const struct sp_opt *list, const int *ids, struct sp_opt *t)
{
	size_t i, j, n = 0;

	for (i = 0; list[i].id != 0; i++)
		for (j = 0; ids[j] != 0; j++)
			if (ids[j] == list[i].id)
				t[n++] = list[i];
	memset(&t[n], 0, sizeof(t[n]));
}

static FILE *zones_fp;

static int
zone(const char *path, const struct stat *st, int type, struct FTW *f)
{
	const char *name = path + sizeof(SP_ZONEINFO);

	if (type == FTW_F && name[0] >= 'A' && name[0] <= 'Z' &&
	    strchr(name, '.') == NULL)
		fprintf(zones_fp, "%s\n", name);
	/* posix/ and right/ repeat every zone. */
	if (type == FTW_D && f->level == 1 && (strcmp(name, "posix") == 0 ||
	    strcmp(name, "right") == 0))
		return FTW_SKIP_SUBTREE;
	return FTW_CONTINUE;
}

void
sp_opt_zones(FILE *fp)
{
	zones_fp = fp;
	nftw(SP_ZONEINFO, zone, 16, FTW_ACTIONRETVAL | FTW_PHYS);
}
