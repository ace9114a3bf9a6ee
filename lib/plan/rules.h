/* rules: eligibility rule sets, one JSON file per programme version. */
#ifndef SP_RULES_H
#define SP_RULES_H

#include <stddef.h>
#include <jansson.h>

enum sp_op {
	SP_OP_GE, SP_OP_GT, SP_OP_LE, SP_OP_LT, SP_OP_EQ, SP_OP_NE,
	SP_OP_IN, SP_OP_NOT_IN, SP_OP_IS
};

/* Strings are borrowed from the owning sp_rules' root. */
struct sp_criterion {
	const char	*id;
	const char	*fact;
	const char	*op_name;	/* as written: ">=", "in", ... */
	enum sp_op	 op;
	json_t		*value;		/* borrowed: number, bool or array */
	const char	*text;		/* what the programme says, or NULL */
	int		 weeks;		/* for *_per_week facts, else 0 */
	int		 days;		/* for *_in_days facts, else 0 */
	int		 verified;
	int		 advisory;	/* reported, not part of the verdict */
};

struct sp_rules {
	json_t		*root;		/* owned */
	char		*path;		/* owned: where it was read */
	const char	*program;	/* "spark-2021" */
	const char	*name;
	const char	*effective;	/* "2021-10-12" */
	const char	*family;	/* "spark": explicit, or program less -NNNN */
	int		 verified;
	struct sp_criterion *crit;	/* owned array */
	size_t		 ncrit;
};

/*
 * Parse a rule file's bytes.  Returns 0, or -1 with a one-line reason in
 * err (no file name: the caller adds it).  r is released on failure.
 */
int	sp_rules_parse(struct sp_rules *r, const char *buf, size_t len,
	    char *err, size_t errlen);
/* Read and parse a file; messages name the file. */
int	sp_rules_load(struct sp_rules *r, const char *path, char *err,
	    size_t errlen);
void	sp_rules_release(struct sp_rules *r);

/*
 * The rule directories, in search order: $SPACES_RULES_PATH, then
 * ../share/rules and ../share/spaces/rules beside the executable, then the
 * installed directory.  Returns a new NULL-terminated array of new strings.
 */
char	**sp_rules_dirs(void);
void	sp_rules_dirs_free(char **dirs);

/*
 * Find a programme by file stem ("spark-2021") in the first directory that
 * has it, else by family ("creator-subscriptions"): the version with the
 * latest effective date.  -1 with err when none or when a file is invalid.
 */
int	sp_rules_find(struct sp_rules *r, const char *name, char *err,
	    size_t errlen);

/*
 * Every rule set found, one per program (the first directory wins), sorted
 * by program.  *out is a new array of n loaded sets; files that fail to
 * parse are reported through warn (one line each) and skipped.
 */
void	sp_rules_list(struct sp_rules **out, size_t *n,
	    void (*warn)(const char *fmt, ...));
void	sp_rules_list_free(struct sp_rules *list, size_t n);

#endif
