/* spaces: run spaces-NAME, as git runs git-NAME. */
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "io.h"
#include "options.h"
#include "xalloc.h"
#include "banned.h"

#define PREFIX	"spaces-"
#define PLEN	(sizeof(PREFIX) - 1)

static const struct sp_opt optlist[] = {
	{ 'h', "help", NULL, SP_VAL_NONE, NULL,
	    "print the usage and the commands and exit" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static void more(int, FILE *);

static struct sp_opts optspec = {
	"spaces",
	"spaces command [argument ...]\n"
	"spaces help [command]\n"
	"spaces -h | --version",
	optlist, SP_VAL_COMMAND, "help", 1, more, NULL, NULL
};

/* What the toolkit's own commands do; others found on PATH say nothing. */
static const struct {
	const char	*name;
	const char	*purpose;
} known[] = {
	{ "archive-extract",
	    "read an X data archive: Spaces audio, account facts" },
	{ "clip",
	    "cut audio clips, lossless or podcast-ready" },
	{ "consent",
	    "the host's consent ledger; check clips against it" },
	{ "eligibility",
	    "decide whether a creator qualifies for a programme" },
	{ "info",
	    "describe audio: exact duration, codec, loudness, silences" },
	{ "lookup",
	    "ask the X API v2 about Spaces and users" },
	{ "record",
	    "capture a Space's audio, gap-proof and resumable" },
	{ "schedule",
	    "plan recurring Spaces, log hosted ones, check the cadence" },
	{ "speakers",
	    "who spoke when: a speaker timeline from sessions and tags" },
};

/* Where to look, in order: the executable's directory, then PATH. */
static char	 *exedir;	/* borrowed from dirs[0], or NULL */
static char	**dirs;		/* new */
static size_t	  ndirs;

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(&optspec);
}

/*
 * The commands installed together come first, so that a prefix works
 * alone whatever PATH holds; then PATH, where an empty entry is ".".
 */
static void
dirs_init(void)
{
	const char *path, *s, *e;
	size_t n = 2;

	if ((path = getenv("PATH")) == NULL)
		path = "/usr/bin:/bin";
	for (s = path; *s != '\0'; s++)
		n += *s == ':';
	dirs = sp_xreallocarray(NULL, n, sizeof(*dirs));
	if ((exedir = sp_exe_dir()) != NULL)
		dirs[ndirs++] = exedir;
	for (s = path;; s = e + 1) {
		e = strchrnul(s, ':');
		dirs[ndirs++] = e == s ? sp_xstrdup(".") :
		    sp_xstrndup(s, (size_t)(e - s));
		if (*e == '\0')
			break;
	}
}

static int
is_exec(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* The path of spaces-NAME (new), or exit 2: NAME is no command. */
static char *
find(const char *name)
{
	char *p;
	size_t i;

	/* A slash would reach outside the directories searched. */
	if (name[0] != '\0' && strchr(name, '/') == NULL)
		for (i = 0; i < ndirs; i++) {
			p = sp_xasprintf("%s/" PREFIX "%s", dirs[i], name);
			if (is_exec(p))
				return p;
			free(p);
		}
	sp_errx(SP_EXIT_USAGE, "'%s' is not a spaces command (see 'spaces "
	    "help')", name);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The commands found, sorted, each once (new). */
static size_t
commands(char ***out)
{
	struct dirent *e;
	DIR *d;
	char **names = NULL, *p;
	size_t i, j, n = 0, cap = 0;
	int ok;

	for (i = 0; i < ndirs; i++) {
		if ((d = opendir(dirs[i])) == NULL)
			continue;	/* PATH may name what is not there */
		while ((e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, PREFIX, PLEN) != 0 ||
			    e->d_name[PLEN] == '\0')
				continue;
			p = sp_xasprintf("%s/%s", dirs[i], e->d_name);
			ok = is_exec(p);
			free(p);
			if (!ok)
				continue;
			if (n == cap)
				names = sp_xreallocarray(names,
				    cap = cap ? 2 * cap : 16, sizeof(*names));
			names[n++] = sp_xstrdup(e->d_name + PLEN);
		}
		closedir(d);
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp);
	/* Sorted, a command on PATH twice is listed once. */
	for (i = j = 0; i < n; i++) {
		if (j > 0 && strcmp(names[j - 1], names[i]) == 0) {
			free(names[i]);
			continue;
		}
		names[j++] = names[i];
	}
	*out = names;
	return j;
}

/* The commands, for --complete. */
static void
more(int id, FILE *fp)
{
	char **names;
	size_t i, n = commands(&names);

	for (i = 0; i < n; i++) {
		fprintf(fp, "%s\n", names[i]);
		free(names[i]);
	}
	free(names);
}

/* The usage and the commands found, with what the known ones do. */
static void
list(FILE *fp)
{
	char **names;
	const char *what;
	size_t i, k, n = commands(&names);
	int w = 0;

	for (i = 0; i < n; i++)
		if ((int)strlen(names[i]) > w)
			w = (int)strlen(names[i]);
	sp_opt_usage(&optspec, fp);
	fputc('\n', fp);
	if (n == 0)
		fprintf(fp, "No spaces-* command found beside spaces or on "
		    "PATH.\n");
	else
		fprintf(fp, "The commands:\n");
	for (i = 0; i < n; i++) {
		what = "";
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(names[i], known[k].name) == 0)
				what = known[k].purpose;
		if (*what)
			fprintf(fp, "   %-*s  %s\n", w, names[i], what);
		else
			fprintf(fp, "   %s\n", names[i]);
		free(names[i]);
	}
	free(names);
	fprintf(fp, "\nSee 'spaces help command' for the manual of one.\n");
}

static void
dirs_free(void)
{
	size_t i;

	for (i = 0; i < ndirs; i++)
		free(dirs[i]);	/* exedir among them */
	free(dirs);
}

/*
 * The page of a command run from the build tree (new), or NULL: the build
 * puts the commands in O/bin, one to three levels below the sources' man/.
 */
static char *
source_page(const char *name)
{
	static const char *const up[] = { "..", "../..", "../../.." };
	char *p;
	size_t i;

	if (exedir == NULL)
		return NULL;
	for (i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		p = sp_xasprintf("%s/%s/man/" PREFIX "%s.1", exedir, up[i],
		    name);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

/*
 * Run man and wait for it, so that its own statuses (16: no such page)
 * become ours: 0, or 3 with a message.
 */
static int
run_man(char *const *args, const char *page)
{
	pid_t pid;
	int st;

	fflush(NULL);
	if ((pid = fork()) == -1)
		sp_err(SP_EXIT_ENV, "cannot run 'man'");
	if (pid == 0) {
		execvp("man", args);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			sp_err(SP_EXIT_ENV, "cannot run 'man'");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return SP_EXIT_OK;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		sp_errx(SP_EXIT_ENV, "cannot run 'man'");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 16)
		sp_errx(SP_EXIT_ENV, "no manual page for '%s' (install the "
		    "pages, or set MANPATH)", page);
	if (WIFSIGNALED(st) && (WTERMSIG(st) == SIGPIPE ||
	    WTERMSIG(st) == SIGINT))
		return SP_EXIT_OK;	/* the reader quit the pager */
	sp_errx(SP_EXIT_ENV, "man failed on '%s'", page);
}

static int
help(const char *name)
{
	char *path, *mandir, *mp, *args[4];
	const char *old;
	int rv;

	path = find(name);
	free(path);
	/* The pages installed beside the commands first, as git does. */
	mandir = exedir ? sp_xasprintf("%s/../share/man", exedir) : NULL;
	if (mandir && access(mandir, F_OK) == 0) {
		/* A trailing colon keeps man's own search path after it. */
		old = getenv("MANPATH");
		mp = sp_xasprintf("%s:%s", mandir, old ? old : "");
		if (setenv("MANPATH", mp, 1) != 0)
			sp_err(SP_EXIT_ENV, "setenv MANPATH");
		free(mp);
		free(mandir);
		mandir = NULL;
	} else {
		/* Not installed: the page in the sources, if these are. */
		free(mandir);
		mandir = source_page(name);
	}
	path = sp_xasprintf(PREFIX "%s", name);
	args[0] = "man";
	if (mandir) {
		args[1] = "-l";
		args[2] = mandir;
		args[3] = NULL;
	} else {
		args[1] = path;
		args[2] = NULL;
	}
	rv = run_man(args, path);
	free(path);
	free(mandir);
	return rv;
}

int
main(int argc, char *argv[])
{
	char *path;
	int ch, hflag = 0;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	dirs_init();
	/* The options after the command are the command's. */
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case 'h':
			hflag = 1;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (hflag || (argc == 1 && strcmp(argv[0], "help") == 0)) {
		list(stdout);
		dirs_free();
		return sp_close_stdout() ? SP_EXIT_ENV : SP_EXIT_OK;
	}
	if (argc == 0) {
		/* A usage error, but one that shows what there is to run. */
		list(stderr);
		dirs_free();
		return SP_EXIT_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		/* A shell completing the name after "spaces help". */
		if (argc == 2 && strncmp(argv[1], "--complete", 10) == 0) {
			if (strcmp(argv[1], "--complete=operand") == 0) {
				printf("command\n");
				more(0, stdout);
			}
			dirs_free();
			return sp_close_stdout() ? SP_EXIT_ENV : SP_EXIT_OK;
		}
		if (argc > 2)
			usage();
		ch = help(argv[1]);
		dirs_free();
		return ch;
	}
	path = find(argv[0]);
	argv[0] = sp_xasprintf(PREFIX "%s", argv[0]);
	execv(path, argv);
	sp_err(SP_EXIT_ENV, "cannot run '%s'", path);
}
