/* rules: eligibility rule sets, one JSON file per programme version. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "io.h"
#include "rules.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

/* Rule files are small; a larger one is not a rule file. */
#define RULES_MAXBYTES (1u << 20)

static const struct {
	const char	*name;
	enum sp_op	 op;
} ops[] = {
	{ ">=", SP_OP_GE }, { ">", SP_OP_GT }, { "<=", SP_OP_LE },
	{ "<", SP_OP_LT }, { "==", SP_OP_EQ }, { "!=", SP_OP_NE },
	{ "in", SP_OP_IN }, { "not_in", SP_OP_NOT_IN }, { "is", SP_OP_IS },
};

static int
has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A bounded integer member: absent gives 0, present must be in range. */
static int
get_count(json_t *o, const char *key, int max, int *v)
{
	json_t *j = json_object_get(o, key);

	*v = 0;
	if (j == NULL)
		return 0;
	if (!json_is_integer(j) || json_integer_value(j) < 1 ||
	    json_integer_value(j) > max)
		return -1;
	*v = (int)json_integer_value(j);
	return 0;
}

static int
get_bool(json_t *o, const char *key, int dflt, int *v)
{
	json_t *j = json_object_get(o, key);

	*v = dflt;
	if (j == NULL)
		return 0;
	if (!json_is_boolean(j))
		return -1;
	*v = json_is_true(j);
	return 0;
}

/* Ids and fact names: what a shell, a table and jq all take unquoted. */
static int
is_name(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s)
		    && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return 1;
}

/*
 * Effective dates: a day where the source gives one, else the month or
 * the year it does give; the three forms still sort as strings.
 */
static int
is_partial_date(const char *s)
{
	char buf[11];
	int y, m, d;
	size_t n = s ? strlen(s) : 0;

	if (n != 4 && n != 7 && n != 10)
		return 0;
	snprintf(buf, sizeof(buf), "%s%s", s, n == 4 ? "-01-01" :
	    n == 7 ? "-01" : "");
	return sp_parse_date(buf, &y, &m, &d) == 0;
}

static int
parse_criterion(struct sp_criterion *c, json_t *o, size_t i, char *err,
    size_t n)
{
	const char *op;
	size_t k, j;
	json_t *v;

	if (!json_is_object(o))
		return sp_fail(err, n, "criterion %zu: not an object", i + 1);
	c->id = json_string_value(json_object_get(o, "id"));
	if (!is_name(c->id))
		return sp_fail(err, n, "criterion %zu: missing or bad \"id\"",
		    i + 1);
	c->fact = json_string_value(json_object_get(o, "fact"));
	if (!is_name(c->fact))
		return sp_fail(err, n, "criterion '%s': missing or bad \"fact\"",
		    c->id);
	op = json_string_value(json_object_get(o, "op"));
	if (op == NULL)
		return sp_fail(err, n, "criterion '%s': missing \"op\"", c->id);
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (strcmp(op, ops[k].name) == 0)
			break;
	if (k == sizeof(ops) / sizeof(ops[0]))
		return sp_fail(err, n, "criterion '%s': unknown op '%s'", c->id,
		    op);
	c->op_name = ops[k].name;
	c->op = ops[k].op;
	c->value = v = json_object_get(o, "value");
	switch (c->op) {
	case SP_OP_GE: case SP_OP_GT: case SP_OP_LE: case SP_OP_LT:
		if (!json_is_number(v))
			return sp_fail(err, n, "criterion '%s': op '%s' needs a "
			    "number", c->id, op);
		break;
	case SP_OP_EQ: case SP_OP_NE:
		if (!json_is_number(v) && !json_is_string(v) &&
		    !json_is_boolean(v))
			return sp_fail(err, n, "criterion '%s': op '%s' needs a "
			    "number, a string or a boolean", c->id, op);
		break;
	case SP_OP_IN: case SP_OP_NOT_IN:
		if (!json_is_array(v) || json_array_size(v) == 0)
			return sp_fail(err, n, "criterion '%s': op '%s' needs a "
			    "non-empty array of strings", c->id, op);
		for (j = 0; j < json_array_size(v); j++)
			if (!json_is_string(json_array_get(v, j)))
				return sp_fail(err, n, "criterion '%s': op '%s' "
				    "needs strings", c->id, op);
		break;
	case SP_OP_IS:
		if (!json_is_boolean(v))
			return sp_fail(err, n, "criterion '%s': op 'is' needs "
			    "true or false", c->id);
		break;
	}
	c->text = json_string_value(json_object_get(o, "text"));
	if (get_count(o, "weeks", 520, &c->weeks) != 0)
		return sp_fail(err, n, "criterion '%s': \"weeks\" must be 1 to "
		    "520", c->id);
	if (get_count(o, "days", 3660, &c->days) != 0)
		return sp_fail(err, n, "criterion '%s': \"days\" must be 1 to "
		    "3660", c->id);
	/* Counting facts need their window; others must not have one. */
	if (has_suffix(c->fact, "_per_week") != (c->weeks > 0))
		return sp_fail(err, n, "criterion '%s': \"weeks\" goes with, and "
		    "only with, a *_per_week fact", c->id);
	if (has_suffix(c->fact, "_in_days") != (c->days > 0))
		return sp_fail(err, n, "criterion '%s': \"days\" goes with, and "
		    "only with, a *_in_days fact", c->id);
	if (get_bool(o, "verified", 0, &c->verified) != 0 ||
	    get_bool(o, "advisory", 0, &c->advisory) != 0)
		return sp_fail(err, n, "criterion '%s': \"verified\" and "
		    "\"advisory\" are true or false", c->id);
	return 0;
}

int
sp_rules_parse(struct sp_rules *r, const char *buf, size_t len, char *err,
    size_t errlen)
{
	json_error_t jerr;
	json_t *crit;
	size_t i, j, plen;

	memset(r, 0, sizeof(*r));
	r->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->root == NULL)
		return sp_fail(err, errlen, "line %d: %s", jerr.line, jerr.text);
	if (!json_is_object(r->root)) {
		sp_fail(err, errlen, "not a JSON object");
		goto bad;
	}
	r->program = json_string_value(json_object_get(r->root, "program"));
	if (!is_name(r->program)) {
		sp_fail(err, errlen, "missing or bad \"program\"");
		goto bad;
	}
	r->name = json_string_value(json_object_get(r->root, "name"));
	if (r->name == NULL)
		r->name = r->program;
	r->effective = json_string_value(json_object_get(r->root,
	    "effective"));
	if (!is_partial_date(r->effective)) {
		sp_fail(err, errlen, "missing or bad \"effective\" date "
		    "(YYYY-MM-DD, YYYY-MM or YYYY)");
		goto bad;
	}
	r->family = json_string_value(json_object_get(r->root, "family"));
	if (r->family != NULL && !is_name(r->family)) {
		sp_fail(err, errlen, "bad \"family\"");
		goto bad;
	}
	if (get_bool(r->root, "verified", 0, &r->verified) != 0) {
		sp_fail(err, errlen, "\"verified\" is true or false");
		goto bad;
	}
	crit = json_object_get(r->root, "criteria");
	if (!json_is_array(crit) || json_array_size(crit) == 0 ||
	    json_array_size(crit) > 64) {
		sp_fail(err, errlen, "\"criteria\" must be an array of 1 to 64");
		goto bad;
	}
	r->ncrit = json_array_size(crit);
	r->crit = sp_xcalloc(r->ncrit, sizeof(*r->crit));
	for (i = 0; i < r->ncrit; i++) {
		if (parse_criterion(&r->crit[i], json_array_get(crit, i), i,
		    err, errlen) != 0)
			goto bad;
		for (j = 0; j < i; j++)
			if (strcmp(r->crit[j].id, r->crit[i].id) == 0) {
				sp_fail(err, errlen, "criterion '%s' twice",
				    r->crit[i].id);
				goto bad;
			}
	}
	if (r->family == NULL) {
		/* "spark-2021" is version 2021 of the family "spark". */
		plen = strlen(r->program);
		i = plen;
		while (i > 0 && isdigit((unsigned char)r->program[i - 1]))
			i--;
		if (i > 1 && i < plen && r->program[i - 1] == '-') {
			json_object_set_new(r->root, "family",
			    json_stringn(r->program, i - 1));
			r->family = json_string_value(json_object_get(r->root,
			    "family"));
		} else
			r->family = r->program;
	}
	return 0;
bad:
	sp_rules_release(r);
	return -1;
}

int
sp_rules_load(struct sp_rules *r, const char *path, char *err, size_t errlen)
{
	FILE *fp;
	char *buf;
	size_t len;
	char why[200];

	memset(r, 0, sizeof(*r));
	if ((fp = sp_open_in(path)) == NULL)
		return sp_fail(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
	buf = sp_xmalloc(RULES_MAXBYTES + 1);
	len = fread(buf, 1, RULES_MAXBYTES + 1, fp);
	if (sp_close_in(fp) != 0) {
		free(buf);
		return sp_fail(err, errlen, "cannot read '%s'", path);
	}
	if (len > RULES_MAXBYTES) {
		free(buf);
		return sp_fail(err, errlen, "'%s': larger than %u bytes", path,
		    RULES_MAXBYTES);
	}
	if (sp_rules_parse(r, buf, len, why, sizeof(why)) != 0) {
		free(buf);
		return sp_fail(err, errlen, "'%s': %s", path, why);
	}
	free(buf);
	r->path = sp_xstrdup(path);
	return 0;
}

void
sp_rules_release(struct sp_rules *r)
{
	json_decref(r->root);
	free(r->crit);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

char **
sp_rules_dirs(void)
{
	char **dirs;
	size_t n = 0, cap = 8;
	const char *env = getenv("SPACES_RULES_PATH");
	char *exe, *copy, *p, *save;

	dirs = sp_xcalloc(cap, sizeof(*dirs));
	if (env && *env) {
		copy = sp_xstrdup(env);
		for (p = strtok_r(copy, ":", &save); p;
		    p = strtok_r(NULL, ":", &save)) {
			if (n + 4 >= cap)
				dirs = sp_xreallocarray(dirs, cap *= 2,
				    sizeof(*dirs));
			dirs[n++] = sp_xstrdup(p);
		}
		free(copy);
	}
	if ((exe = sp_exe_dir()) != NULL) {
		dirs[n++] = sp_xasprintf("%s/../share/rules", exe);
		dirs[n++] = sp_xasprintf("%s/../share/spaces/rules", exe);
		free(exe);
	}
	dirs[n++] = sp_xstrdup(SP_RULESDIR);
	dirs[n] = NULL;
	return dirs;
}

void
sp_rules_dirs_free(char **dirs)
{
	size_t i;

	for (i = 0; dirs && dirs[i]; i++)
		free(dirs[i]);
	free(dirs);
}

static int
by_program(const void *a, const void *b)
{
	const struct sp_rules *x = a, *y = b;

	return strcmp(x->program, y->program);
}

void
sp_rules_list(struct sp_rules **out, size_t *n,
    void (*warn)(const char *fmt, ...))
{
	char **dirs = sp_rules_dirs(), *path;
	struct dirent **ents;
	struct sp_rules r, *list = NULL;
	size_t i, k, cap = 0;
	int m, j;
	char err[300];

	*n = 0;
	for (i = 0; dirs[i]; i++) {
		if ((m = scandir(dirs[i], &ents, NULL, alphasort)) < 0)
			continue;
		for (j = 0; j < m; j++) {
			if (ents[j]->d_name[0] == '.' ||
			    !has_suffix(ents[j]->d_name, ".json")) {
				free(ents[j]);
				continue;
			}
			path = sp_xasprintf("%s/%s", dirs[i], ents[j]->d_name);
			free(ents[j]);
			if (sp_rules_load(&r, path, err, sizeof(err)) != 0) {
				if (warn)
					warn("%s", err);
				free(path);
				continue;
			}
			free(path);
			for (k = 0; k < *n; k++)
				if (strcmp(list[k].program, r.program) == 0)
					break;
			if (k < *n) {
				sp_rules_release(&r);
				continue;
			}
			if (*n == cap)
				list = sp_xreallocarray(list, cap = cap ?
				    cap * 2 : 8, sizeof(*list));
			list[(*n)++] = r;
		}
		free(ents);
	}
	sp_rules_dirs_free(dirs);
	if (*n > 1)
		qsort(list, *n, sizeof(*list), by_program);
	*out = list;
}

void
sp_rules_list_free(struct sp_rules *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sp_rules_release(&list[i]);
	free(list);
}

int
sp_rules_find(struct sp_rules *r, const char *name, char *err, size_t errlen)
{
	char **dirs, *path;
	struct sp_rules *list;
	size_t i, n, best;
	int found;

	memset(r, 0, sizeof(*r));
	if (!is_name(name))
		return sp_fail(err, errlen, "bad programme name '%s'", name);
	dirs = sp_rules_dirs();
	for (i = 0; dirs[i]; i++) {
		path = sp_xasprintf("%s/%s.json", dirs[i], name);
		if (access(path, F_OK) == 0) {
			found = sp_rules_load(r, path, err, errlen);
			free(path);
			sp_rules_dirs_free(dirs);
			return found;
		}
		free(path);
	}
	sp_rules_dirs_free(dirs);

	/* A family: its newest version by effective date (ISO sorts). */
	sp_rules_list(&list, &n, NULL);
	best = n;
	for (i = 0; i < n; i++)
		if (strcmp(list[i].family, name) == 0 && (best == n ||
		    strcmp(list[i].effective, list[best].effective) > 0))
			best = i;
	if (best == n) {
		sp_rules_list_free(list, n);
		return sp_fail(err, errlen, "unknown programme '%s' (see "
		    "--list-programs)", name);
	}
	*r = list[best];
	memset(&list[best], 0, sizeof(list[best]));
	for (i = 0; i < n; i++)
		if (i != best)
			sp_rules_release(&list[i]);
	free(list);
	return 0;
}
