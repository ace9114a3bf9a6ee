/* spaces-consent: the host's consent ledger: grant, revoke, list, check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "consent.h"
#include "err.h"
#include "io.h"
#include "json.h"
#include "options.h"
#include "speakers.h"
#include "timefmt.h"
#include "banned.h"

#define U_GRANT "spaces-consent grant|revoke [--ledger FILE] [--space ID] " \
	"[--use clips|podcast|all] [--evidence TEXT] USER ..."
#define U_LIST "spaces-consent list [-j] [--ledger FILE] [--space ID] [--table]"
#define U_CHECK "spaces-consent check [-jq] [--ledger FILE] [--speakers FILE] " \
	"[--use clips|podcast|all] [--table] [file|- ...]"

enum {
	OPT_EVIDENCE = 256, OPT_LEDGER, OPT_SPACE, OPT_SPEAKERS, OPT_TABLE,
	OPT_USE
};

/* Every option of every command, once; each command takes its own. */
static const struct sp_opt optlist[] = {
	{ 'j', "json", NULL, SP_VAL_NONE, NULL, "print NDJSON records" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL,
	    "print nothing on stderr but errors" },
	{ OPT_LEDGER, "ledger", "FILE", SP_VAL_FILE, "ndjson",
	    "the ledger file" },
	{ OPT_SPACE, "space", "ID", SP_VAL_TEXT, "*", "a Space id" },
	{ OPT_SPEAKERS, "speakers", "FILE", SP_VAL_FILE, "ndjson json -",
	    "turn records" },
	{ OPT_USE, "use", "clips|podcast|all", SP_VAL_CHOICE,
	    "clips podcast all", "the use" },
	{ OPT_EVIDENCE, "evidence", "TEXT", SP_VAL_TEXT, NULL,
	    "what shows the consent (a post's URL, \"DM 2026-03-02\")" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL, "print a table" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static const struct sp_opt noopt[] = {
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-consent", U_GRANT "\n" U_LIST "\n" U_CHECK, noopt,
	SP_VAL_COMMAND, "grant revoke list check", 1, NULL, NULL, NULL
};

/* Which options each command takes, and what its operands are. */
static const struct {
	const char	*name;
	const char	*usage;
	int		 opts[8];
	enum sp_optval	 operand;
	const char	*operands;
} subs[] = {
	{ "grant", U_GRANT, { OPT_EVIDENCE, OPT_LEDGER, OPT_SPACE, OPT_USE, 0 },
	    SP_VAL_TEXT, NULL },
	{ "revoke", U_GRANT, { OPT_EVIDENCE, OPT_LEDGER, OPT_SPACE, OPT_USE,
	    0 }, SP_VAL_TEXT, NULL },
	{ "list", U_LIST, { 'j', OPT_LEDGER, OPT_SPACE, OPT_TABLE, 0 },
	    SP_VAL_NONE, NULL },
	{ "check", U_CHECK, { 'j', 'q', OPT_LEDGER, OPT_SPEAKERS, OPT_TABLE,
	    OPT_USE, 0 }, SP_VAL_FILE, "ndjson json -" },
};
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

static struct sp_opts *cur_opts = &optspec;	/* for usage() */

struct opts {
	const char	*evidence, *ledger, *space, *speakers;
	int		 json, quiet, table, use, use_given;
};

/* What check read. */
struct facts {
	json_t		*clips;		/* clip records, in order */
	json_t		*users;		/* id -> username */
	json_t		*creators;	/* space id -> creator id */
	struct sp_turns	 turns;
	int		 status;
};

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(cur_opts);
}

static int
valid_id(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < SP_UID_LEN && strspn(s, "0123456789"
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") == n;
}

static int
grant(const struct opts *o, int action, int argc, char *argv[])
{
	struct sp_consent c;
	struct timespec ts;
	char err[512];
	int i;

	if (argc == 0)
		usage();
	if (o->evidence && strlen(o->evidence) >= SP_EVIDENCE_LEN)
		sp_errx(SP_EXIT_USAGE, "--evidence: longer than %d bytes",
		    SP_EVIDENCE_LEN - 1);
	if (o->space && strcmp(o->space, "*") != 0 && !valid_id(o->space))
		sp_errx(SP_EXIT_USAGE, "--space '%s': not a Space id",
		    o->space);
	for (i = 0; i < argc; i++)
		if (!valid_id(argv[i] + (argv[i][0] == '@')) ||
		    (argv[i][0] == '@' && strlen(argv[i]) >= SP_UNAME_LEN))
			sp_errx(SP_EXIT_USAGE, "'%s': not @name or a user id",
			    argv[i]);
	clock_gettime(CLOCK_REALTIME, &ts);
	for (i = 0; i < argc; i++) {
		memset(&c, 0, sizeof(c));
		c.action = action;
		if (argv[i][0] == '@')
			snprintf(c.username, sizeof(c.username), "%s",
			    argv[i] + 1);
		else
			snprintf(c.user_id, sizeof(c.user_id), "%s", argv[i]);
		snprintf(c.space_id, sizeof(c.space_id), "%s",
		    o->space ? o->space : "*");
		c.use = o->use;
		c.at = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if (o->evidence)
			snprintf(c.evidence, sizeof(c.evidence), "%s",
			    o->evidence);
		if (sp_ledger_append(o->ledger, &c, err, sizeof(err)) != 0)
			sp_errx(SP_EXIT_ENV, "%s", err);
	}
	return SP_EXIT_OK;
}

static void
read_ledger(const struct opts *o, struct sp_ledger *l)
{
	char err[512];

	if (sp_ledger_read(l, o->ledger, err, sizeof(err)) != 0)
		sp_errx(SP_EXIT_ENV, "%s", err);
	if (l->bad && !o->quiet)
		sp_warnx("'%s': %zu line%s that %s no consent record passed "
		    "over (the first: line %zu)", o->ledger, l->bad,
		    l->bad == 1 ? "" : "s", l->bad == 1 ? "is" : "are",
		    l->first_bad);
}

static const char *
who(const char *id, const char *name, char *buf, size_t n)
{
	if (name && *name)
		snprintf(buf, n, "@%s", name);
	else
		snprintf(buf, n, "%s", id && *id ? id : "host");
	return buf;
}

static int
list(const struct opts *o)
{
	struct sp_ledger l;
	const struct sp_consent *c;
	char at[SP_INSTANT_LEN], w[SP_UNAME_LEN + 2];
	json_t *rec;
	size_t i;

	sp_ledger_init(&l);
	read_ledger(o, &l);
	if (!o->json)
		printf("%-24s %-6s %-20s %-15s %-7s %s\n", "AT", "ACTION",
		    "USER", "SPACE", "USE", "EVIDENCE");
	for (i = 0; i < l.n; i++) {
		c = &l.v[i];
		if (o->space && strcmp(c->space_id, "*") != 0 &&
		    strcmp(c->space_id, o->space) != 0)
			continue;
		if (o->json) {
			rec = sp_consent_record(c);
			if (sp_ndjson_write(stdout, rec) != 0)
				sp_err(SP_EXIT_ENV, "write error");
			json_decref(rec);
			continue;
		}
		printf("%-24s %-6s %-20s %-15s %-7s %s\n",
		    sp_fmt_instant(c->at, at), c->action == SP_CONSENT_GRANT ?
		    "grant" : "revoke", who(c->user_id, c->username, w,
		    sizeof(w)), c->space_id, sp_use_name(c->use), c->evidence);
	}
	sp_ledger_release(&l);
	return SP_EXIT_OK;
}

static void
worse(struct facts *f, int status)
{
	if (status > f->status)
		f->status = status;
}

/* Read the records of one input into f. */
static void
read_facts(const char *name, struct facts *f)
{
	struct sp_ndjson r;
	struct sp_turn t;
	FILE *fp;
	json_t *rec;
	const char *type, *s;
	char id[SP_UID_LEN], cr[SP_UID_LEN];
	int rc;

	if ((fp = sp_open_in(name)) == NULL) {
		sp_warn("cannot open '%s'", name);
		worse(f, SP_EXIT_ENV);
		return;
	}
	sp_ndjson_init(&r, fp, name);
	while ((rc = sp_ndjson_next(&r, &rec)) != 0) {
		if (rc == -2) {
			sp_warn("'%s'", name);
			worse(f, SP_EXIT_ENV);
			break;
		}
		if (rc == -1) {
			sp_warnx("'%s': %s", name, r.err);
			worse(f, SP_EXIT_USAGE);
			continue;
		}
		type = sp_rec_type(rec);
		if (type == NULL)
			;
		else if (strcmp(type, "clip") == 0)
			json_array_append(f->clips, rec);
		else if (strcmp(type, "turn") == 0) {
			if (sp_turn_from_record(rec, &t) == 0)
				sp_turns_add(&f->turns, &t);
			else {
				sp_warnx("'%s': line %zu: a turn without "
				    "times", name, r.lineno);
				worse(f, SP_EXIT_USAGE);
			}
		} else if (strcmp(type, "user") == 0 &&
		    sp_json_id(rec, "id", id, sizeof(id)) == 0 &&
		    (s = sp_json_str(rec, "username")) != NULL)
			json_object_set_new(f->users, id, json_string(s));
		else if (strcmp(type, "space") == 0 &&
		    sp_json_id(rec, "id", id, sizeof(id)) == 0 &&
		    sp_json_id(rec, "creator_id", cr, sizeof(cr)) == 0)
			json_object_set_new(f->creators, id, json_string(cr));
		json_decref(rec);
	}
	sp_ndjson_release(&r);
	sp_close_in(fp);
}

/* Names from user records, and the creator as host. */
static void
complete_turns(struct facts *f)
{
	struct sp_turn *t;
	const char *s, *k;
	json_t *v;
	size_t i;

	for (i = 0; i < f->turns.n; i++) {
		t = &f->turns.v[i];
		if (!t->username[0] && t->user_id[0] &&
		    (s = json_string_value(json_object_get(f->users,
		    t->user_id))) != NULL)
			snprintf(t->username, sizeof(t->username), "%s", s);
		if (!t->user_id[0] && t->username[0])
			json_object_foreach(f->users, k, v)
				if (strcasecmp(json_string_value(v),
				    t->username) == 0)
					snprintf(t->user_id,
					    sizeof(t->user_id), "%s", k);
		s = json_string_value(json_object_get(f->creators,
		    t->space_id));
		if (s && t->user_id[0] && strcmp(s, t->user_id) == 0)
			t->host = 1;
	}
}

/* The Space the turns are of, when they are of one: borrowed or NULL. */
static const char *
only_space(const struct sp_turns *t)
{
	const char *s = NULL;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (!t->v[i].space_id[0])
			continue;
		if (s && strcmp(s, t->v[i].space_id) != 0)
			return NULL;
		s = t->v[i].space_id;
	}
	return s;
}

static void
report(const json_t *clip, const json_t *voices, size_t index)
{
	char a[SP_DURATION_LEN], b[SP_DURATION_LEN], line[1024];
	double s = 0, e = INFINITY;
	json_t *v;
	size_t i;

	sp_json_num(clip, "start", &s);
	if (sp_json_num(clip, "end", &e) != 0)
		e = INFINITY;
	json_array_foreach(voices, i, v) {
		if (sp_voice_ok(v))
			continue;
		sp_voice_describe(v, line, sizeof(line));
		sp_warnx("clip %zu (%s-%s): %s", index, sp_fmt_duration(s, a),
		    isinf(e) ? "end" : sp_fmt_duration(e, b), line);
	}
}

static void
print_row(const json_t *clip, const json_t *voices, int rc, size_t index)
{
	char a[SP_DURATION_LEN], b[SP_DURATION_LEN], w[SP_UNAME_LEN + 2];
	double s = 0, e = INFINITY;
	json_t *v;
	size_t i;

	sp_json_num(clip, "start", &s);
	if (sp_json_num(clip, "end", &e) != 0)
		e = INFINITY;
	printf("clip %zu %s-%s: %s", index, sp_fmt_duration(s, a),
	    isinf(e) ? "end" : sp_fmt_duration(e, b), rc == SP_CHECK_OK ?
	    "ok" : rc == SP_CHECK_MISSING ? "NO CONSENT" : "undetermined");
	json_array_foreach(voices, i, v)
		printf("%s%s (%s)", i ? ", " : "; ", who(sp_json_str(v,
		    "user_id"), sp_json_str(v, "username"), w, sizeof(w)),
		    sp_json_str(v, "consent"));
	putchar('\n');
}

static int
check(const struct opts *o, int argc, char *argv[])
{
	struct facts f;
	struct sp_ledger l;
	struct sp_consent_index ix;
	json_t *clip, *voices, *out;
	const char *sid;
	char id[SP_UID_LEN];
	double s, e;
	size_t i;
	int k, rc, any_missing = 0, any_unknown = 0, stdin_ops = 0;

	for (k = 0; k < argc; k++)
		stdin_ops += strcmp(argv[k], "-") == 0;
	if (o->speakers)
		stdin_ops += strcmp(o->speakers, "-") == 0;
	if (stdin_ops > 1 || (stdin_ops && argc == 0))
		sp_errx(SP_EXIT_USAGE, "'-' can be given once");
	memset(&f, 0, sizeof(f));
	f.clips = json_array();
	f.users = json_object();
	f.creators = json_object();
	sp_turns_init(&f.turns);
	if (argc == 0)
		read_facts("-", &f);
	for (k = 0; k < argc; k++)
		read_facts(argv[k], &f);
	if (o->speakers)
		read_facts(o->speakers, &f);
	complete_turns(&f);
	sp_ledger_init(&l);
	read_ledger(o, &l);
	sp_consent_index_init(&ix, &l, &f.turns);

	/* No clip: the whole of the audio. */
	if (json_array_size(f.clips) == 0)
		json_array_append_new(f.clips, json_pack("{s:s, s:f}",
		    "type", "clip", "start", 0.0));
	json_array_foreach(f.clips, i, clip) {
		s = 0;
		e = INFINITY;
		sp_json_num(clip, "start", &s);
		if (sp_json_num(clip, "end", &e) != 0)
			e = INFINITY;
		sid = sp_json_id(clip, "space_id", id, sizeof(id)) == 0 ? id :
		    only_space(&f.turns);
		if (sid == NULL && f.turns.n > 0) {
			if (!o->quiet)
				sp_warnx("clip %zu: turns of several Spaces "
				    "and no space_id in the clip", i + 1);
			rc = SP_CHECK_UNKNOWN;
			voices = json_array();
		} else
			rc = sp_consent_check_index(&ix, sid, s, e, o->use,
			    &voices);
		if (rc == SP_CHECK_UNKNOWN && !o->quiet)
			sp_warnx("clip %zu: no speaker facts for %s", i + 1,
			    sid ? sid : "its Space");
		if (rc == SP_CHECK_MISSING && !o->quiet)
			report(clip, voices, i + 1);
		any_missing |= rc == SP_CHECK_MISSING;
		any_unknown |= rc == SP_CHECK_UNKNOWN;
		if (o->table)
			print_row(clip, voices, rc, i + 1);
		else {
			out = json_deep_copy(clip);
			if (sid)
				json_object_set_new(out, "space_id",
				    json_string(sid));
			json_object_set_new(out, "use",
			    json_string(sp_use_name(o->use)));
			json_object_set(out, "voices", voices);
			if (rc != SP_CHECK_UNKNOWN)
				json_object_set_new(out, "consented",
				    json_boolean(rc == SP_CHECK_OK));
			if (sp_ndjson_write(stdout, out) != 0)
				sp_err(SP_EXIT_ENV, "write error");
			json_decref(out);
		}
		json_decref(voices);
	}
	sp_consent_index_release(&ix);
	sp_ledger_release(&l);
	sp_turns_release(&f.turns);
	json_decref(f.clips);
	json_decref(f.users);
	json_decref(f.creators);
	if (f.status)
		return f.status;
	return any_missing ? SP_CHECK_MISSING : any_unknown ?
	    SP_CHECK_UNKNOWN : SP_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	/* Static: what sp_getopt builds in them lives as long as the run. */
	static struct sp_opt subopts[sizeof(optlist) / sizeof(optlist[0])];
	static struct sp_opts subspec;
	struct opts o;
	const char *sub;
	char *ledger = NULL;
	size_t k;
	int ch, status;

	sp_setprogname(argv[0]);
	sp_io_init();
	memset(&o, 0, sizeof(o));
	o.use = SP_USE_CLIPS;
	/* Before the command, only -h and --version. */
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		usage();
	if (optind >= argc)
		usage();
	sub = argv[optind];
	for (k = 0; k < NSUBS; k++)
		if (strcmp(sub, subs[k].name) == 0)
			break;
	if (k == NSUBS) {
		sp_warnx("'%s': not grant, revoke, list or check", sub);
		usage();
	}
	sp_opt_pick(optlist, subs[k].opts, subopts);
	memset(&subspec, 0, sizeof(subspec));
	subspec.name = "spaces-consent";
	subspec.usage = subs[k].usage;
	subspec.opts = subopts;
	subspec.operand = subs[k].operand;
	subspec.operands = subs[k].operands;
	cur_opts = &subspec;
	/* The command's own options, in any order (reinitialised). */
	argc -= optind;
	argv += optind;
	optind = 0;
	while ((ch = sp_getopt(&subspec, argc, argv)) != -1)
		switch (ch) {
		case 'j':
			o.json = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case OPT_EVIDENCE:
			o.evidence = optarg;
			break;
		case OPT_LEDGER:
			o.ledger = optarg;
			break;
		case OPT_SPACE:
			o.space = optarg;
			break;
		case OPT_SPEAKERS:
			o.speakers = optarg;
			break;
		case OPT_TABLE:
			o.table = 1;
			break;
		case OPT_USE:
			if ((o.use = sp_use_parse(optarg)) < 0)
				sp_errx(SP_EXIT_USAGE, "--use '%s': not clips, "
				    "podcast or all", optarg);
			o.use_given = 1;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (o.ledger == NULL)
		o.ledger = ledger = sp_consent_default_path();
	if (strcmp(sub, "grant") == 0 || strcmp(sub, "revoke") == 0) {
		if (o.json || o.table || o.speakers || o.quiet)
			usage();
		if (!o.use_given)
			o.use = SP_USE_ALL;
		status = grant(&o, strcmp(sub, "grant") == 0 ?
		    SP_CONSENT_GRANT : SP_CONSENT_REVOKE, argc, argv);
	} else if (strcmp(sub, "list") == 0) {
		if (argc || o.speakers || o.evidence || o.use_given || o.quiet)
			usage();
		if (!o.json && !o.table)
			o.json = !isatty(STDOUT_FILENO);
		if (o.table)
			o.json = 0;
		status = list(&o);
	} else {
		if (o.evidence || o.space)
			usage();
		if (!o.json && !o.table)
			o.table = isatty(STDOUT_FILENO);
		if (o.json)
			o.table = 0;
		status = check(&o, argc, argv);
	}
	free(ledger);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
