/* options: a command's options, declared once: parser, usage, completion. */
#ifndef SP_OPTIONS_H
#define SP_OPTIONS_H

#include <stdio.h>

/* What an option's value, or an operand, is: what a shell completes. */
enum sp_optval {
	SP_VAL_NONE,		/* no value: a flag */
	SP_VAL_TEXT,		/* free text; values are examples */
	SP_VAL_FILE,		/* a file; values are the usual extensions */
	SP_VAL_DIR,		/* a directory */
	SP_VAL_CHOICE,		/* one of values */
	SP_VAL_DURATION,	/* 90, 1:30, 2m, 1h30m; values are examples */
	SP_VAL_TIME,		/* an instant or a date; values are examples */
	SP_VAL_NUMBER,		/* a number; values are examples */
	SP_VAL_COMMAND		/* a command name (operands of spaces(1)) */
};

/* One option.  A table of them ends with an entry whose id is 0. */
struct sp_opt {
	int		 id;	/* the short letter, or above 255: long only */
	const char	*name;	/* the long name without "--", or NULL */
	const char	*arg;	/* the value's name in the help, NULL: a flag */
	enum sp_optval	 val;	/* what the value is (SP_VAL_NONE: a flag) */
	const char	*values; /* space-separated choices or examples */
	const char	*help;	/* one line, lower case, no full stop */
};

/*
 * A command's options.  The usage is the synopsis as the manual has it,
 * a line a form, without "usage: ".  -h and --help, --version and the
 * hidden --complete are added to every table.
 */
struct sp_opts {
	const char	*name;		/* the command's name */
	const char	*usage;		/* "\n"-separated forms */
	const struct sp_opt *opts;
	enum sp_optval	 operand;	/* what the operands are */
	const char	*operands;	/* their extensions or choices */
	int		 stop;		/* options end at the first operand */
	/* Candidates known only at run time, for option id (0: operands). */
	void		(*more)(int id, FILE *fp);
	/* Built by the first sp_getopt(). */
	char		*shortopts;
	void		*longopts;
};

/*
 * getopt_long(3) over the table: returns the id of the next option (its
 * value in optarg), or -1 after the last one (optind is then the first
 * operand).  -h and --help print the usage and the options to stdout and
 * exit 0; --version prints "NAME VERSION"; --complete answers a shell
 * (sp_opt_complete); an unknown option or a missing value prints the
 * usage to stderr and exits 2.
 */
int	sp_getopt(struct sp_opts *o, int argc, char **argv);

/* The usage ("usage: " and the forms) on fp. */
void	sp_opt_usage(const struct sp_opts *o, FILE *fp);
/* The usage, then every option with its help, on fp. */
void	sp_opt_help(const struct sp_opts *o, FILE *fp);
/* The usage on stderr; exit 2. */
void	sp_opt_usage_exit(const struct sp_opts *o)
	    __attribute__((noreturn));

/*
 * What --complete[=WHAT] prints on fp (spaces(7), COMPLETION), for the
 * completion scripts:
 *   --complete            a line an option: its spellings separated by
 *                         commas, a tab, the kind of its value ("none"
 *                         for a flag), a tab, its help
 *   --complete=-x|--long  that option's value: its kind on the first
 *                         line, then its choices or examples, one a line
 *   --complete=operand    the same for the operands
 * Returns 0, or -1 when WHAT names no option.
 */
int	sp_opt_complete(const struct sp_opts *o, const char *what, FILE *fp);

/*
 * A subcommand's table: the entries of list whose ids are among ids (a
 * list ending with 0), in list's order, into t, which has room for all
 * of list and its end.
 */
void	sp_opt_pick(const struct sp_opt *list, const int *ids,
	    struct sp_opt *t);

/* The IANA time zones of this system, a line each: a --complete answer. */
void	sp_opt_zones(FILE *fp);

/* The name of a kind of value, as --complete prints it (static). */
const char *sp_optval_name(enum sp_optval v);

#endif
