/* eligibility: facts from records and flags, judged by a rule set. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "country.h"
#include "eligibility.h"
#include "json.h"
#include "strnum.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

#define DAY_MS	86400000LL
#define MAXHOSTS 64	/* host ids kept per Space; more are not Spaces */

struct space {
	char	*id;		/* NULL when the record had none */
	int64_t	 start;
	char	**hosts;	/* creator_id and host_ids */
	size_t	 nhosts;
};

struct occurrence {
	char	*key;		/* uid and start: one planned Space, or NULL */
	int64_t	 start;
};

struct sp_facts {
	const struct sp_rules *r;
	const struct sp_elig_opts *o;
	int64_t	 week;		/* week index of as_of */
	int64_t	 space_from;	/* Spaces kept: [space_from, as_of) */
	int64_t	 occ_to;	/* occurrences kept: [as_of, occ_to) */

	json_t	*flags;		/* fact name -> value */
	json_t	*flag_origin;	/* fact name -> "--followers" */
	json_t	*user;		/* merged user records, later fields win */
	json_t	*user_origin;	/* field -> "user 111 (archive)" */
	char	*user_id;

	struct space *spaces;
	size_t	 nspaces, capspaces, space_records;
	struct occurrence *occs;
	size_t	 noccs, capoccs, occ_records;
};

static int
lookback_weeks(const struct sp_facts *f, const struct sp_criterion *c)
{
	if (strcmp(c->fact, "hosted_spaces_per_week") == 0 && f->o->weeks > 0)
		return f->o->weeks;
	return c->weeks;
}

struct sp_facts *
sp_facts_new(const struct sp_rules *r, const struct sp_elig_opts *o)
{
	struct sp_facts *f = sp_xcalloc(1, sizeof(*f));
	const struct sp_criterion *c;
	int64_t t;
	size_t i;

	f->r = r;
	f->o = o;
	f->week = sp_week_index(o->as_of, o->tz);
	f->space_from = f->occ_to = o->as_of;
	for (i = 0; i < r->ncrit; i++) {
		c = &r->crit[i];
		if (strcmp(c->fact, "hosted_spaces_per_week") == 0) {
			t = sp_week_start(f->week - lookback_weeks(f, c),
			    o->tz);
			if (t < f->space_from)
				f->space_from = t;
		} else if (strcmp(c->fact, "hosted_spaces_in_days") == 0) {
			t = o->as_of - c->days * DAY_MS;
			if (t < f->space_from)
				f->space_from = t;
		} else if (strcmp(c->fact, "planned_spaces_per_week") == 0) {
			t = sp_week_start(f->week + c->weeks + 1, o->tz);
			if (t > f->occ_to)
				f->occ_to = t;
		}
	}
	f->flags = json_object();
	f->flag_origin = json_object();
	f->user = json_object();
	f->user_origin = json_object();
	return f;
}

void
sp_facts_free(struct sp_facts *f)
{
	size_t i, j;

	if (f == NULL)
		return;
	json_decref(f->flags);
	json_decref(f->flag_origin);
	json_decref(f->user);
	json_decref(f->user_origin);
	free(f->user_id);
	for (i = 0; i < f->nspaces; i++) {
		free(f->spaces[i].id);
		for (j = 0; j < f->spaces[i].nhosts; j++)
			free(f->spaces[i].hosts[j]);
		free(f->spaces[i].hosts);
	}
	free(f->spaces);
	for (i = 0; i < f->noccs; i++)
		free(f->occs[i].key);
	free(f->occs);
	free(f);
}

void
sp_facts_flag(struct sp_facts *f, const char *fact, json_t *value,
    const char *origin)
{
	json_object_set_new(f->flags, fact, value);
	json_object_set_new(f->flag_origin, fact, json_string(origin));
}

const char *
sp_facts_user_id(const struct sp_facts *f)
{
	return f->user_id;
}

/*
 * An instant written as ISO 8601, as epoch milliseconds (a number or a
 * string of digits), as archives and APIs variously do.
 */
static int
rec_instant(const json_t *rec, const char *key, int64_t *ms)
{
	json_t *v = json_object_get(rec, key);
	const char *s, *errstr;
	long long n;

	if (json_is_integer(v)) {
		*ms = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (sp_strtoll(s, 0, 253402300799999LL, &n, &errstr) == 0) {
		*ms = n;
		return 0;
	}
	return sp_parse_instant(s, NULL, ms);
}

static char *
origin_of(const json_t *rec, const char *type, const char *id)
{
	const char *src = sp_json_str(rec, "source");

	if (id && src)
		return sp_xasprintf("%s %s (%s)", type, id, src);
	if (id)
		return sp_xasprintf("%s %s", type, id);
	if (src)
		return sp_xasprintf("%s record (%s)", type, src);
	return sp_xasprintf("%s record", type);
}

static int
add_user(struct sp_facts *f, const json_t *rec)
{
	char id[64], *origin;
	const char *key;
	json_t *v;
	int other = 0;

	if (sp_json_id(rec, "id", id, sizeof(id)) == 0) {
		if (f->user_id && strcmp(f->user_id, id) != 0) {
			/* Another account: do not mix two users' facts. */
			json_object_clear(f->user);
			json_object_clear(f->user_origin);
			other = 1;
		}
		free(f->user_id);
		f->user_id = sp_xstrdup(id);
	}
	origin = origin_of(rec, "user", f->user_id);
	json_object_foreach((json_t *)rec, key, v) {
		if (strcmp(key, "type") == 0 || json_is_null(v))
			continue;
		json_object_set(f->user, key, v);
		json_object_set_new(f->user_origin, key, json_string(origin));
	}
	free(origin);
	return other;
}

static void
add_host(struct space *s, const char *id)
{
	size_t i;

	if (s->nhosts >= MAXHOSTS)
		return;
	for (i = 0; i < s->nhosts; i++)
		if (strcmp(s->hosts[i], id) == 0)
			return;
	s->hosts = sp_xreallocarray(s->hosts, s->nhosts + 1,
	    sizeof(*s->hosts));
	s->hosts[s->nhosts++] = sp_xstrdup(id);
}

static void
push_space(struct sp_facts *f, const struct space *s)
{
	if (f->nspaces == f->capspaces)
		f->spaces = sp_xreallocarray(f->spaces, f->capspaces =
		    f->capspaces ? f->capspaces * 2 : 64, sizeof(*f->spaces));
	f->spaces[f->nspaces++] = *s;
}

static void
add_space(struct sp_facts *f, const json_t *rec)
{
	struct space s;
	const char *state = sp_json_str(rec, "state");
	char id[64];
	json_t *v;
	size_t i;

	f->space_records++;
	/* Only Spaces that took place count as hosted. */
	if (state && (strcmp(state, "scheduled") == 0 ||
	    strcmp(state, "canceled") == 0 || strcmp(state, "cancelled") == 0))
		return;
	memset(&s, 0, sizeof(s));
	if (rec_instant(rec, "started_at", &s.start) != 0 &&
	    rec_instant(rec, "created_at", &s.start) != 0)
		return;
	if (s.start < f->space_from || s.start >= f->o->as_of)
		return;
	if (sp_json_id(rec, "id", id, sizeof(id)) == 0)
		s.id = sp_xstrdup(id);
	if (sp_json_idv(json_object_get(rec, "creator_id"), id, sizeof(id)) == 0)
		add_host(&s, id);
	json_array_foreach(json_object_get(rec, "host_ids"), i, v)
		if (sp_json_idv(v, id, sizeof(id)) == 0)
			add_host(&s, id);
	push_space(f, &s);
}

static void
add_occurrence(struct sp_facts *f, const json_t *rec)
{
	struct occurrence o;
	struct space sp;
	const char *uid = sp_json_str(rec, "uid");
	char id[64];

	if (sp_json_id(rec, "space_id", id, sizeof(id)) == 0) {
		/* A Space logged as hosted (spaces-schedule log), not a plan. */
		f->space_records++;
		memset(&sp, 0, sizeof(sp));
		if (rec_instant(rec, "start", &sp.start) != 0 ||
		    sp.start < f->space_from || sp.start >= f->o->as_of)
			return;
		sp.id = sp_xstrdup(id);
		push_space(f, &sp);
		return;
	}
	f->occ_records++;
	if (rec_instant(rec, "start", &o.start) != 0)
		return;
	if (o.start < sp_week_start(f->week + 1, f->o->tz) ||
	    o.start >= f->occ_to)
		return;
	/* Without a uid two occurrences cannot be told apart: keep both. */
	o.key = uid ? sp_xasprintf("%s@%lld", uid, (long long)o.start) : NULL;
	if (f->noccs == f->capoccs)
		f->occs = sp_xreallocarray(f->occs, f->capoccs = f->capoccs ?
		    f->capoccs * 2 : 64, sizeof(*f->occs));
	f->occs[f->noccs++] = o;
}

int
sp_facts_record(struct sp_facts *f, const json_t *rec)
{
	const char *type = sp_rec_type(rec);

	if (type == NULL)
		return 0;
	if (strcmp(type, "user") == 0)
		return add_user(f, rec);
	if (strcmp(type, "space") == 0)
		add_space(f, rec);
	else if (strcmp(type, "occurrence") == 0)
		add_occurrence(f, rec);
	return 0;
}

/* One criterion's result, built up by the evaluators below. */
struct result {
	const char	*status;	/* "pass", "fail", "unknown" */
	json_t		*actual;	/* new or NULL */
	double		 margin;
	int		 has_margin;
	char		*from;		/* new */
	json_t		*weeks;		/* new or NULL */
};

static int
space_is_users(const struct sp_facts *f, const struct space *s)
{
	size_t i;

	if (f->user_id == NULL || s->nhosts == 0)
		return 1;
	for (i = 0; i < s->nhosts; i++)
		if (strcmp(s->hosts[i], f->user_id) == 0)
			return 1;
	return 0;
}

/* Sorts NULL last, so records without an id are never merged. */
static int
keycmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static int
by_id(const void *a, const void *b)
{
	return keycmp(((const struct space *)a)->id,
	    ((const struct space *)b)->id);
}

/* Drop a Space seen twice (archive and recorder both listing it). */
static void
dedupe_spaces(struct sp_facts *f)
{
	size_t i, j, n = 0;

	if (f->nspaces < 2)
		return;
	qsort(f->spaces, f->nspaces, sizeof(*f->spaces), by_id);
	for (i = 0; i < f->nspaces; i++) {
		if (n > 0 && f->spaces[i].id &&
		    keycmp(f->spaces[i].id, f->spaces[n - 1].id) == 0) {
			/* Keep the earlier start and every host named. */
			if (f->spaces[i].start < f->spaces[n - 1].start)
				f->spaces[n - 1].start = f->spaces[i].start;
			for (j = 0; j < f->spaces[i].nhosts; j++) {
				add_host(&f->spaces[n - 1],
				    f->spaces[i].hosts[j]);
				free(f->spaces[i].hosts[j]);
			}
			free(f->spaces[i].id);
			free(f->spaces[i].hosts);
			continue;
		}
		f->spaces[n++] = f->spaces[i];
	}
	f->nspaces = n;
}

static int
by_key(const void *a, const void *b)
{
	return keycmp(((const struct occurrence *)a)->key,
	    ((const struct occurrence *)b)->key);
}

/* Drop an occurrence listed twice (two schedules, or a plan piped twice). */
static void
dedupe_occurrences(struct sp_facts *f)
{
	size_t i, n = 0;

	if (f->noccs < 2)
		return;
	qsort(f->occs, f->noccs, sizeof(*f->occs), by_key);
	for (i = 0; i < f->noccs; i++) {
		if (n > 0 && f->occs[i].key &&
		    keycmp(f->occs[i].key, f->occs[n - 1].key) == 0) {
			free(f->occs[i].key);
			continue;
		}
		f->occs[n++] = f->occs[i];
	}
	f->noccs = n;
}

static int
holds(enum sp_op op, double a, double b)
{
	switch (op) {
	case SP_OP_GE: return a >= b;
	case SP_OP_GT: return a > b;
	case SP_OP_LE: return a <= b;
	case SP_OP_LT: return a < b;
	case SP_OP_EQ: return a == b;
	case SP_OP_NE: return a != b;
	default: return 0;
	}
}

/* Room above the requirement: positive passes, negative fails. */
static double
margin_of(enum sp_op op, double actual, double required)
{
	return op == SP_OP_LE || op == SP_OP_LT ? required - actual :
	    actual - required;
}

static json_t *
number(double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static char *
required_text(const struct sp_facts *f, const struct sp_criterion *c)
{
	char buf[256], num[64];
	size_t i, k;
	json_t *v = c->value;

	if (json_is_number(v))
		snprintf(num, sizeof(num), "%.15g", json_number_value(v));
	else if (json_is_string(v))
		snprintf(num, sizeof(num), "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(num, sizeof(num), "%s", json_is_true(v) ? "true" :
		    "false");
	else
		num[0] = '\0';
	if (c->op == SP_OP_IN || c->op == SP_OP_NOT_IN) {
		k = (size_t)snprintf(buf, sizeof(buf), "%s",
		    c->op == SP_OP_IN ? "in" : "not in");
		for (i = 0; i < json_array_size(v) && k < sizeof(buf); i++)
			k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s",
			    i ? ", " : " ",
			    json_string_value(json_array_get(v, i)));
	} else if (c->weeks)
		snprintf(buf, sizeof(buf), "%s %s per week, %d weeks",
		    c->op_name, num, lookback_weeks(f, c));
	else if (c->days)
		snprintf(buf, sizeof(buf), "%s %s in %d days", c->op_name, num,
		    c->days);
	else
		snprintf(buf, sizeof(buf), "%s %s", c->op_name, num);
	return sp_xstrdup(buf);
}

/* A fact's value: a flag first, then the user records. */
static json_t *
lookup(const struct sp_facts *f, const char *fact, const char **origin)
{
	json_t *v;

	if ((v = json_object_get(f->flags, fact)) != NULL) {
		*origin = json_string_value(json_object_get(f->flag_origin,
		    fact));
		return v;
	}
	if ((v = json_object_get(f->user, fact)) != NULL) {
		*origin = json_string_value(json_object_get(f->user_origin,
		    fact));
		return v;
	}
	*origin = NULL;
	return NULL;
}

static void
unknown(struct result *res, const char *why)
{
	res->status = "unknown";
	res->from = sp_xstrdup(why);
}

/* Numbers may arrive as JSON numbers or as decimal strings. */
static int
as_number(const json_t *v, double *d)
{
	const char *errstr;

	if (json_is_number(v)) {
		*d = json_number_value(v);
		return 0;
	}
	if (json_is_string(v))
		return sp_strtod(json_string_value(v), -1e300, 1e300, d,
		    &errstr);
	return -1;
}

static void
judge_number(const struct sp_criterion *c, double actual, struct result *res)
{
	double want = json_number_value(c->value);

	res->actual = number(actual);
	res->status = holds(c->op, actual, want) ? "pass" : "fail";
	if (c->op != SP_OP_EQ && c->op != SP_OP_NE) {
		res->margin = margin_of(c->op, actual, want);
		res->has_margin = 1;
	}
}

static void
eval_age(const struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	const char *origin, *bd;
	struct sp_civil now;
	json_t *v;
	double age;
	int y, m, d, years;

	if ((v = json_object_get(f->flags, "age")) != NULL) {
		as_number(v, &age);
		res->from = sp_xstrdup("--age");
		judge_number(c, age, res);
		return;
	}
	if ((v = json_object_get(f->flags, "birth_date")) != NULL)
		origin = "--birth-date";
	else if ((v = lookup(f, "birth_date", &origin)) == NULL ||
	    !json_is_string(v) || json_string_length(v) == 0) {
		if ((v = lookup(f, "age", &origin)) != NULL &&
		    as_number(v, &age) == 0) {
			res->from = sp_xstrdup(origin);
			judge_number(c, age, res);
		} else
			unknown(res, "no birth date or age");
		return;
	}
	bd = json_string_value(v);
	if (sp_parse_date(bd, &y, &m, &d) != 0) {
		res->status = "unknown";
		res->from = sp_xasprintf("%s: bad birth_date '%s'", origin, bd);
		return;
	}
	sp_civil(f->o->as_of, f->o->tz, &now);
	years = now.year - y - (now.month < m ||
	    (now.month == m && now.day < d));
	if (years < 0) {
		res->status = "unknown";
		res->from = sp_xasprintf("%s: birth date %s is after --as-of",
		    origin, bd);
		return;
	}
	res->from = sp_xasprintf("%s birth_date %s", origin, bd);
	judge_number(c, years, res);
}

static void
eval_country(const struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	const char *origin, *code = NULL, *loc, *basis, *s;
	json_t *v;
	size_t i;
	int in = 0;

	if ((v = lookup(f, "country", &origin)) != NULL && json_is_string(v)) {
		s = json_string_value(v);
		code = sp_country_code(s);
		if (code == NULL)
			code = s;
		basis = sp_json_str(f->user, "country_basis");
		loc = sp_json_str(f->user, "location");
		if (json_object_get(f->flags, "country") == NULL && basis &&
		    strcmp(basis, "profile-location") == 0 && loc)
			res->from = sp_xasprintf("inferred from '%s'", loc);
		else
			res->from = sp_xstrdup(origin);
	} else if ((v = lookup(f, "location", &origin)) != NULL &&
	    json_is_string(v)) {
		loc = json_string_value(v);
		if ((code = sp_country_from_location(loc)) == NULL) {
			res->status = "unknown";
			res->from = sp_xasprintf("location '%s' names no "
			    "country", loc);
			return;
		}
		res->from = sp_xasprintf("inferred from '%s'", loc);
	} else {
		unknown(res, "no country or location");
		return;
	}
	res->actual = json_string(code);
	if (c->op != SP_OP_IN && c->op != SP_OP_NOT_IN) {
		res->status = json_is_string(c->value) && strcasecmp(code,
		    json_string_value(c->value)) == 0 ? "pass" : "fail";
		if (c->op == SP_OP_NE)
			res->status = *res->status == 'p' ? "fail" : "pass";
		return;
	}
	for (i = 0; i < json_array_size(c->value); i++)
		if (strcasecmp(code, json_string_value(json_array_get(c->value,
		    i))) == 0)
			in = 1;
	res->status = in == (c->op == SP_OP_IN) ? "pass" : "fail";
}

static void
eval_account_age(const struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	const char *origin;
	int64_t created;

	if (lookup(f, "created_at", &origin) == NULL ||
	    rec_instant(f->user, "created_at", &created) != 0 ||
	    created > f->o->as_of) {
		unknown(res, "no account creation date");
		return;
	}
	res->from = sp_xasprintf("%s created_at", origin);
	judge_number(c, (double)((f->o->as_of - created) / DAY_MS), res);
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * Per-week counts of n weeks from week first as the criterion's "weeks",
 * judged on the smallest count: every week must meet the requirement.
 */
static void
judge_weeks(struct sp_facts *f, const struct sp_criterion *c, int64_t first,
    int n, const int64_t *count, struct result *res)
{
	char label[SP_WEEK_LEN], start[SP_INSTANT_LEN];
	int64_t least = -1;
	json_t *wk;
	int i;

	res->weeks = json_array();
	for (i = 0; i < n; i++) {
		wk = json_object();
		json_object_set_new(wk, "week", json_string(sp_fmt_week(
		    first + i, label)));
		json_object_set_new(wk, "start", json_string(sp_fmt_instant(
		    sp_week_start(first + i, f->o->tz), start)));
		json_object_set_new(wk, "count", json_integer(count[i]));
		json_array_append_new(res->weeks, wk);
		if (least < 0 || count[i] < least)
			least = count[i];
	}
	judge_number(c, (double)least, res);
}

static void
eval_hosted_per_week(struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	int n = lookback_weeks(f, c);
	int64_t w, first = f->week - n, *count;
	size_t k, total = 0;
	char label[SP_WEEK_LEN];

	if (f->space_records == 0) {
		unknown(res, "no space records");
		return;
	}
	count = sp_xcalloc((size_t)n, sizeof(*count));
	for (k = 0; k < f->nspaces; k++) {
		w = sp_week_index(f->spaces[k].start, f->o->tz);
		if (space_is_users(f, &f->spaces[k]) && w >= first &&
		    w < f->week) {
			count[w - first]++;
			total++;
		}
	}
	res->from = sp_xasprintf("%zu %s hosted in %d %s to %s", total,
	    plural(total, "Space", "Spaces"), n, plural((size_t)n, "week",
	    "weeks"), sp_fmt_week(f->week - 1, label));
	judge_weeks(f, c, first, n, count, res);
	free(count);
}

static void
eval_hosted_in_days(struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	int64_t from = f->o->as_of - c->days * DAY_MS;
	size_t k, total = 0;

	if (f->space_records == 0) {
		unknown(res, "no space records");
		return;
	}
	for (k = 0; k < f->nspaces; k++)
		if (space_is_users(f, &f->spaces[k]) &&
		    f->spaces[k].start >= from)
			total++;
	res->from = sp_xasprintf("%zu %s hosted in the %d days before "
	    "--as-of", total, plural(total, "Space", "Spaces"), c->days);
	judge_number(c, (double)total, res);
}

static void
eval_planned_per_week(struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	int n = c->weeks;
	int64_t w, first = f->week + 1, *count;
	size_t k, total = 0;
	char label[SP_WEEK_LEN];

	if (f->occ_records == 0) {
		unknown(res, "no occurrence records (plan with "
		    "spaces-schedule)");
		return;
	}
	count = sp_xcalloc((size_t)n, sizeof(*count));
	for (k = 0; k < f->noccs; k++) {
		w = sp_week_index(f->occs[k].start, f->o->tz);
		if (w >= first && w < first + n) {
			count[w - first]++;
			total++;
		}
	}
	res->from = sp_xasprintf("%zu planned in %d %s from %s", total, n,
	    plural((size_t)n, "week", "weeks"), sp_fmt_week(first, label));
	judge_weeks(f, c, first, n, count, res);
	free(count);
}

/* Any other fact: the user record's field of that name. */
static void
eval_field(const struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	const char *origin;
	json_t *v = lookup(f, c->fact, &origin);
	double d;
	size_t i;
	int in = 0;

	if (v == NULL) {
		res->status = "unknown";
		res->from = sp_xasprintf("no %s", c->fact);
		return;
	}
	res->from = sp_xstrdup(origin);
	switch (c->op) {
	case SP_OP_IS:
		if (!json_is_boolean(v))
			break;
		res->actual = json_incref(v);
		res->status = json_equal(v, c->value) ? "pass" : "fail";
		return;
	case SP_OP_IN:
	case SP_OP_NOT_IN:
		if (!json_is_string(v))
			break;
		res->actual = json_incref(v);
		for (i = 0; i < json_array_size(c->value); i++)
			if (json_equal(v, json_array_get(c->value, i)))
				in = 1;
		res->status = in == (c->op == SP_OP_IN) ? "pass" : "fail";
		return;
	case SP_OP_EQ:
	case SP_OP_NE:
		if (!json_is_number(c->value)) {
			res->actual = json_incref(v);
			res->status = json_equal(v, c->value) ==
			    (c->op == SP_OP_EQ) ? "pass" : "fail";
			return;
		}
		/* FALLTHROUGH */
	default:
		if (as_number(v, &d) != 0)
			break;
		judge_number(c, d, res);
		return;
	}
	res->status = "unknown";
	free(res->from);
	res->from = sp_xasprintf("%s: %s is not what '%s' compares", origin,
	    c->fact, c->op_name);
}

static void
eval_followers(const struct sp_facts *f, const struct sp_criterion *c,
    struct result *res)
{
	eval_field(f, c, res);
	if (strcmp(res->status, "unknown") == 0 &&
	    json_object_get(f->user, c->fact) == NULL) {
		free(res->from);
		res->from = sp_xasprintf("no %s (a user record or --followers)",
		    c->fact);
	}
}

static json_t *
judge(struct sp_facts *f, const struct sp_criterion *c)
{
	struct result res;
	json_t *o;
	char *req;

	memset(&res, 0, sizeof(res));
	if (strcmp(c->fact, "age") == 0)
		eval_age(f, c, &res);
	else if (strcmp(c->fact, "country") == 0)
		eval_country(f, c, &res);
	else if (strcmp(c->fact, "account_age_days") == 0)
		eval_account_age(f, c, &res);
	else if (strcmp(c->fact, "hosted_spaces_per_week") == 0)
		eval_hosted_per_week(f, c, &res);
	else if (strcmp(c->fact, "hosted_spaces_in_days") == 0)
		eval_hosted_in_days(f, c, &res);
	else if (strcmp(c->fact, "planned_spaces_per_week") == 0)
		eval_planned_per_week(f, c, &res);
	else if (strcmp(c->fact, "followers_count") == 0)
		eval_followers(f, c, &res);
	else
		eval_field(f, c, &res);

	o = json_object();
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "fact", json_string(c->fact));
	json_object_set_new(o, "status", json_string(res.status));
	req = required_text(f, c);
	json_object_set_new(o, "required", json_string(req));
	free(req);
	if (res.actual)
		json_object_set_new(o, "actual", res.actual);
	if (res.has_margin)
		json_object_set_new(o, "margin", number(res.margin));
	if (res.from)
		json_object_set_new(o, "from", json_string(res.from));
	free(res.from);
	json_object_set_new(o, "verified", json_boolean(c->verified));
	json_object_set_new(o, "advisory", json_boolean(c->advisory));
	if (c->text)
		json_object_set_new(o, "text", json_string(c->text));
	if (res.weeks)
		json_object_set_new(o, "weeks", res.weeks);
	return o;
}

json_t *
sp_facts_verdict(struct sp_facts *f)
{
	const struct sp_rules *r = f->r;
	json_t *v, *crit, *c, *src;
	const char *st;
	char when[SP_INSTANT_LEN];
	size_t i;
	int failed = 0, unknowns = 0;

	dedupe_spaces(f);
	dedupe_occurrences(f);
	v = sp_rec_new("verdict", NULL);
	json_object_set_new(v, "program", json_string(r->program));
	json_object_set_new(v, "name", json_string(r->name));
	json_object_set_new(v, "effective", json_string(r->effective));
	json_object_set_new(v, "verified", json_boolean(r->verified));
	if ((src = json_object_get(r->root, "sources")) != NULL &&
	    json_is_array(src))
		json_object_set(v, "sources", src);
	json_object_set_new(v, "as_of", json_string(sp_fmt_instant(
	    f->o->as_of, when)));
	json_object_set_new(v, "tz", json_string(f->o->tz ? f->o->tz :
	    "UTC"));
	if (f->user_id)
		json_object_set_new(v, "user_id", json_string(f->user_id));
	crit = json_array();
	for (i = 0; i < r->ncrit; i++) {
		c = judge(f, &r->crit[i]);
		if (!r->crit[i].advisory) {
			st = json_string_value(json_object_get(c, "status"));
			failed += strcmp(st, "fail") == 0;
			unknowns += strcmp(st, "unknown") == 0;
		}
		json_array_append_new(crit, c);
	}
	json_object_set_new(v, "status", json_string(failed ? "not-eligible" :
	    unknowns ? "undetermined" : "eligible"));
	if (failed || !unknowns)
		json_object_set_new(v, "eligible", json_boolean(!failed));
	json_object_set_new(v, "criteria", crit);
	return v;
}
