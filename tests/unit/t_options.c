/* t_options: one option table gives the parser, the help and --complete. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
#include "t.h"

enum { OPT_LEVEL = 256, OPT_MODE, OPT_TABLE };

static const struct sp_opt table[] = {
	{ 'j', "json", NULL, SP_VAL_NONE, NULL, "print NDJSON records" },
	{ OPT_LEVEL, "level", "DB", SP_VAL_NUMBER, "-40 -30",
	    "the level below which it is silence" },
	{ OPT_MODE, "mode", "m", SP_VAL_CHOICE, "fast exact", "how to cut" },
	{ 'o', "output", "file", SP_VAL_FILE, "m4a mp3", "write to file" },
	{ 'q', NULL, NULL, SP_VAL_NONE, NULL, "print no warnings" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL, "print a table" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

/* A value known at run time: a mode read from a file, say. */
static void
more(int id, FILE *fp)
{
	if (id == OPT_MODE)
		fputs("lazy\n", fp);
}

/* A fresh copy of the command's description (sp_getopt builds in it). */
static struct sp_opts
desc(int stop)
{
	struct sp_opts o = {
		"t-cmd", "t-cmd [-jq] [-o file] [--level DB] file ...\n"
		"t-cmd --mode m", table, SP_VAL_FILE, "aac m4a", stop,
		more, NULL, NULL
	};
	return o;
}

/*
 * Run sp_getopt over argv in a child with stdout and stderr in files:
 * the exit status (or 100 + the count of options parsed when it returns
 * -1), what it printed in out and err.
 */
static int
parse(int stop, char **argv, char *out, size_t n, char *err, size_t m)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char po[512], pe[512];
	FILE *fo, *fe;
	pid_t pid;
	int st, argc = 0, k = 0;
	size_t r;

	while (argv[argc] != NULL)
		argc++;
	snprintf(po, sizeof(po), "%s/t_options.%d.out", tmp, (int)getpid());
	snprintf(pe, sizeof(pe), "%s/t_options.%d.err", tmp, (int)getpid());
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct sp_opts o = desc(stop);

		freopen(po, "w", stdout);
		freopen(pe, "w", stderr);
		optind = 1;
		while (sp_getopt(&o, argc, argv) != -1)
			k++;
		printf("optind %d\n", optind);
		fflush(stdout);
		_exit(100 + k);
	}
	waitpid(pid, &st, 0);
	fo = fopen(po, "r");
	fe = fopen(pe, "r");
	r = fo != NULL ? fread(out, 1, n - 1, fo) : 0;
	out[r] = '\0';
	r = fe != NULL ? fread(err, 1, m - 1, fe) : 0;
	err[r] = '\0';
	if (fo != NULL)
		fclose(fo);
	if (fe != NULL)
		fclose(fe);
	remove(po);
	remove(pe);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
main(void)
{
	char out[4096], err[4096];
	char *a1[] = { "t-cmd", "-jq", "--level=-30", "-o", "x.m4a", "in",
	    NULL };
	char *a2[] = { "t-cmd", "in", "-j", NULL };
	char *a3[] = { "t-cmd", "--nope", NULL };
	char *a4[] = { "t-cmd", "--level", NULL };
	char *a5[] = { "t-cmd", "-h", NULL };
	char *a6[] = { "t-cmd", "--version", NULL };
	char *a7[] = { "t-cmd", "--complete", NULL };
	char *a8[] = { "t-cmd", "--complete=--mode", NULL };
	char *a9[] = { "t-cmd", "--complete=-o", NULL };
	char *a10[] = { "t-cmd", "--complete=operand", NULL };
	char *a11[] = { "t-cmd", "--complete=--no-such", NULL };
	char *a12[] = { "t-cmd", "--", "-j", NULL };

	/* Parsing: clusters, "=" values, separate values, operands last. */
	T_INT(parse(0, a1, out, sizeof(out), err, sizeof(err)), 104);
	T_STR(out, "optind 5\n");
	T_STR(err, "");
	/* Permuted unless the command stops at its first operand. */
	T_INT(parse(0, a2, out, sizeof(out), err, sizeof(err)), 101);
	T_STR(out, "optind 2\n");
	T_INT(parse(1, a2, out, sizeof(out), err, sizeof(err)), 100);
	T_STR(out, "optind 1\n");
	T_INT(parse(0, a12, out, sizeof(out), err, sizeof(err)), 100);
	T_STR(out, "optind 2\n");

	/* Errors: getopt's message, then the usage; exit 2, stdout empty. */
	T_INT(parse(0, a3, out, sizeof(out), err, sizeof(err)), 2);
	T_STR(out, "");
	T_OK(strstr(err, "nope") != NULL);
	T_OK(strstr(err, "usage: t-cmd [-jq] [-o file] [--level DB] file ...\n"
	    "       t-cmd --mode m\n") != NULL);
	T_INT(parse(0, a4, out, sizeof(out), err, sizeof(err)), 2);
	T_OK(strstr(err, "level") != NULL && strstr(err, "usage: ") != NULL);

	/* -h: the usage, a blank line, every option with its help. */
	T_INT(parse(0, a5, out, sizeof(out), err, sizeof(err)), 0);
	T_OK(strncmp(out, "usage: t-cmd [-jq] [-o file] [--level DB] file ...\n"
	    "       t-cmd --mode m\n\n", 67) == 0);
	T_OK(strstr(out, "  -j, --json              print NDJSON records\n")
	    != NULL);
	T_OK(strstr(out, "      --level DB          the level below") != NULL);
	T_OK(strstr(out, "  -o, --output file       write to file\n") != NULL);
	T_OK(strstr(out, "  -q                      print no warnings\n") !=
	    NULL);
	T_OK(strstr(out, "  -h, --help ") != NULL);
	T_OK(strstr(out, "      --version ") != NULL);
	T_OK(strstr(out, "complete") == NULL);	/* hidden */
	T_STR(err, "");

	T_INT(parse(0, a6, out, sizeof(out), err, sizeof(err)), 0);
	T_STR(out, "t-cmd " SP_VERSION "\n");

	/* --complete: a line an option; then one option's values. */
	T_INT(parse(0, a7, out, sizeof(out), err, sizeof(err)), 0);
	T_OK(strstr(out, "-j,--json\tnone\tprint NDJSON records\n") != NULL);
	T_OK(strstr(out, "--level\tnumber\tthe level below which it is "
	    "silence\n") != NULL);
	T_OK(strstr(out, "-q\tnone\tprint no warnings\n") != NULL);
	T_OK(strstr(out, "-h,--help\tnone\t") != NULL);
	T_OK(strstr(out, "--version\tnone\t") != NULL);
	T_INT(parse(0, a8, out, sizeof(out), err, sizeof(err)), 0);
	T_STR(out, "choice\nfast\nexact\nlazy\n");
	T_INT(parse(0, a9, out, sizeof(out), err, sizeof(err)), 0);
	T_STR(out, "file\nm4a\nmp3\n");
	T_INT(parse(0, a10, out, sizeof(out), err, sizeof(err)), 0);
	T_STR(out, "file\naac\nm4a\n");
	T_INT(parse(0, a11, out, sizeof(out), err, sizeof(err)), 2);
	T_OK(strstr(err, "--no-such") != NULL);

	/* A long form wraps before 80 columns, under its first argument. */
	{
		struct sp_opts w = desc(0);
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		w.usage = "t-cmd [--aaaaaaaaaa] [--bbbbbbbbbb] [--cccccccccc] "
		    "[--dddddddddd x | --eeeeeeeeee y] [--ffffffffff] file ...";
		sp_opt_usage(&w, fp);
		fclose(fp);
		T_STR(buf, "usage: t-cmd [--aaaaaaaaaa] [--bbbbbbbbbb] "
		    "[--cccccccccc]\n"
		    "             [--dddddddddd x | --eeeeeeeeee y] "
		    "[--ffffffffff] file ...\n");
		free(buf);
	}

	T_STR(sp_optval_name(SP_VAL_DURATION), "duration");
	T_STR(sp_optval_name(SP_VAL_DIR), "dir");
	return t_done();
}
