/* spaces-lookup: ask the X API v2 about Spaces and users. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "args.h"
#include "err.h"
#include "http.h"
#include "io.h"
#include "json.h"
#include "options.h"
#include "xapi.h"
#include "xalloc.h"
#include "banned.h"

enum {
	OPT_CREATOR = 256, OPT_NO_WAIT, OPT_SEARCH, OPT_SPACE, OPT_STATE,
	OPT_TABLE, OPT_TOKEN_FILE, OPT_USER
};

static const struct sp_opt optlist[] = {
	{ 'j', "json", NULL, SP_VAL_NONE, NULL,
	    "print NDJSON records, even on a terminal" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL,
	    "print nothing, just the exit status" },
	{ 'v', "verbose", NULL, SP_VAL_NONE, NULL,
	    "show the requests, secrets redacted" },
	{ OPT_TOKEN_FILE, "token-file", "F", SP_VAL_FILE, NULL,
	    "read the bearer token from a file" },
	{ OPT_STATE, "state", "live|scheduled|all", SP_VAL_CHOICE,
	    "live scheduled all", "keep the Spaces in this state" },
	{ OPT_NO_WAIT, "no-wait", NULL, SP_VAL_NONE, NULL,
	    "fail at once when rate limited" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL,
	    "print the table even when not on a terminal" },
	{ OPT_SPACE, "space", NULL, SP_VAL_NONE, NULL,
	    "look up Space ids" },
	{ OPT_CREATOR, "creator", NULL, SP_VAL_NONE, NULL,
	    "look up the Spaces these users host" },
	{ OPT_SEARCH, "search", "QUERY", SP_VAL_TEXT, NULL,
	    "search Space titles" },
	{ OPT_USER, "user", NULL, SP_VAL_NONE, NULL,
	    "look up users (@handle, handle, id or @me)" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-lookup",
	"spaces-lookup [-jqv] [--token-file F] [--state live|scheduled|all] "
	"[--no-wait] [--table] (--space ID ... | --creator USER ... | "
	"--search QUERY | --user USER ...)",
	optlist, SP_VAL_TEXT, "@me", 0, NULL, NULL, NULL
};

/* What the hooks need. */
struct ctx {
	int	 json;
	int	 quiet;		/* -q: no records, no warnings */
	int	 rows;		/* table rows printed so far */
};

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(&optspec);
}

/* The first line of a token file, without its line end; new, or NULL. */
static char *
read_token(const char *path)
{
	char buf[4096], *p = NULL;
	size_t k;
	FILE *fp;

	if ((fp = sp_open_in(path)) == NULL)
		sp_err(SP_EXIT_ENV, "cannot open '%s'", path);
	if (fgets(buf, sizeof(buf), fp) != NULL) {
		k = strcspn(buf, "\r\n");
		while (k > 0 && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
			k--;
		p = sp_xstrndup(buf, k);
	}
	if (ferror(fp))
		sp_err(SP_EXIT_ENV, "cannot read '%s'", path);
	sp_close_in(fp);
	explicit_bzero(buf, sizeof(buf));
	return p;
}

static void
verbose_cb(void *ctx, const char *line)
{
	sp_note("%s", line);
}

static void
notice_cb(void *ctx, const char *msg)
{
	struct ctx *c = ctx;

	if (!c->quiet)
		sp_warnx("%s", msg);
}

static void
warn_cb(void *ctx, const char *msg)
{
	struct ctx *c = ctx;

	if (!c->quiet)
		sp_warnx("%s", msg);
}

static const char *
s_or(const json_t *o, const char *k, const char *dflt)
{
	const char *s = sp_json_str(o, k);

	return s ? s : dflt;
}

/*
 * A field as the table shows it (buf, n bytes): a title on a terminal
 * must not drive it, so control characters are escaped, and it is cut.
 */
static const char *
cellv(const json_t *o, const char *k, const char *dflt, char *buf, size_t n)
{
	const char *s = s_or(o, k, dflt);

	sp_escape(buf, n, s, strlen(s));
	return buf;
}

/* A readable line per record, with a header line first. */
static void
print_row(struct ctx *c, const json_t *rec)
{
	int user = strcmp(sp_rec_type(rec), "user") == 0;
	json_t *v;
	char n1[32], n2[32], who[64], t1[256], t2[64], t3[64], t4[32];
	const char *start;

	if (c->rows++ == 0) {
		if (user)
			printf("%-16s %10s %10s %-7s %s\n", "USERNAME",
			    "FOLLOWERS", "FOLLOWING", "COUNTRY", "NAME");
		else
			printf("%-13s %-9s %-24s %6s %-16s %s\n", "ID", "STATE",
			    "START", "PEOPLE", "HOST", "TITLE");
	}
	if (user) {
		v = json_object_get(rec, "followers_count");
		snprintf(n1, sizeof(n1), v ? "%" JSON_INTEGER_FORMAT : "-",
		    json_integer_value(v));
		v = json_object_get(rec, "following_count");
		snprintf(n2, sizeof(n2), v ? "%" JSON_INTEGER_FORMAT : "-",
		    json_integer_value(v));
		snprintf(who, sizeof(who), "@%.60s", cellv(rec, "username", "?",
		    t1, 40));
		printf("%-16s %10s %10s %-7s %s\n", who, n1, n2,
		    cellv(rec, "country", "-", t2, 8), cellv(rec, "name", "",
		    t1, sizeof(t1)));
		return;
	}
	if ((start = sp_json_str(rec, "started_at")) == NULL)
		start = s_or(rec, "scheduled_start", "-");
	v = json_object_get(rec, "participant_count");
	snprintf(n1, sizeof(n1), v ? "%" JSON_INTEGER_FORMAT : "-",
	    json_integer_value(v));
	snprintf(who, sizeof(who), "@%.60s", cellv(json_object_get(rec,
	    "creator"), "username", s_or(rec, "creator_id", "?"), t1, 40));
	sp_escape(t3, 40, start, strlen(start));
	printf("%-13s %-9s %-24s %6s %-16s %s\n", cellv(rec, "id", "?", t2,
	    40), cellv(rec, "state", "?", t4, 20), t3, n1, who, cellv(rec,
	    "title", "", t1, sizeof(t1)));
}

static void
emit_cb(void *ctx, json_t *rec)
{
	struct ctx *c = ctx;

	/* -q as in grep: the exit status is the answer. */
	if (c->quiet) {
		json_decref(rec);
		return;
	}
	/* A write error stays in ferror(stdout) for sp_close_stdout. */
	if (c->json)
		sp_ndjson_write(stdout, rec);
	else
		print_row(c, rec);
	/* A cron pipeline wants each record as soon as it is known. */
	fflush(stdout);
	json_decref(rec);
}

int
main(int argc, char *argv[])
{
	struct sp_http_opts ho;
	struct sp_http *http;
	struct sp_xapi x;
	enum sp_xapi_who who;
	struct ctx c;
	const char *token_file = NULL, *search = NULL, *state = NULL;
	const char *base, *env;
	char err[1024], buf[64], *token = NULL;
	size_t k, n;
	int i, ch, mode = 0, modes = 0, table = 0, verbose = 0, rc;
	int status = SP_EXIT_OK;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	memset(&c, 0, sizeof(c));
	memset(&ho, 0, sizeof(ho));
	ho.retries = -1;
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case 'j':
			c.json = 1;
			break;
		case 'q':
			c.quiet = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_CREATOR:
		case OPT_SPACE:
		case OPT_USER:
			modes += mode != ch;
			mode = ch;
			break;
		case OPT_SEARCH:
			modes += mode != ch;
			mode = ch;
			if (search != NULL)
				sp_errx(SP_EXIT_USAGE, "--search can be given "
				    "once");
			search = optarg;
			/* The API refuses it with a 400: a usage error here. */
			if (optarg[strspn(optarg, " \t\r\n")] == '\0')
				sp_errx(SP_EXIT_USAGE, "--search '%s': an "
				    "empty query", optarg);
			for (k = n = 0; optarg[k]; k++)	/* characters */
				n += ((unsigned char)optarg[k] & 0xc0) != 0x80;
			if (n > 2048)
				sp_errx(SP_EXIT_USAGE, "--search: a query "
				    "longer than 2048 characters");
			break;
		case OPT_NO_WAIT:
			ho.no_wait = 1;
			break;
		case OPT_STATE:
			if (strcmp(optarg, "live") != 0 &&
			    strcmp(optarg, "scheduled") != 0 &&
			    strcmp(optarg, "all") != 0)
				sp_errx(SP_EXIT_USAGE, "--state '%s': not live, "
				    "scheduled or all", optarg);
			state = strcmp(optarg, "all") == 0 ? NULL : optarg;
			break;
		case OPT_TABLE:
			table = 1;
			break;
		case OPT_TOKEN_FILE:
			token_file = optarg;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (modes != 1) {
		if (modes > 1)
			sp_warnx("give one of --space, --creator, --search "
			    "and --user");
		usage();
	}
	if (mode == OPT_SEARCH ? argc != 0 : argc == 0)
		usage();
	for (i = 0; i < argc; i++)
		if (mode == OPT_SPACE ? sp_xapi_space_arg(argv[i], buf,
		    sizeof(buf)) != 0 : sp_xapi_user_arg(argv[i], buf,
		    sizeof(buf), &who) != 0)
			sp_errx(SP_EXIT_USAGE, "'%s': not a %s", argv[i],
			    mode == OPT_SPACE ? "Space id" : "user (@handle, "
			    "handle, numeric id or @me)");
	if (state && mode == OPT_USER)
		sp_errx(SP_EXIT_USAGE, "--state is for Spaces, not --user");
	if (!c.json && !table)
		c.json = !isatty(STDOUT_FILENO);

	/* The token: never from argv (other users can read that). */
	if (token_file)
		token = read_token(token_file);
	else if ((env = getenv("SPACES_BEARER_TOKEN")) != NULL && *env)
		token = sp_xstrdup(env);
	if (token == NULL || *token == '\0')
		sp_errx(SP_EXIT_ENV, "no bearer token: set SPACES_BEARER_TOKEN "
		    "or give --token-file");
	base = sp_env_str("SPACES_API_URL", SP_XAPI_URL);
	sp_http_env(&ho);
	ho.verbose = verbose ? verbose_cb : NULL;
	ho.notice = notice_cb;
	ho.wait_429 = sp_xapi_wait_429;
	ho.ctx = &c;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		sp_errx(SP_EXIT_ENV, "cannot start libcurl");
	http = sp_http_new(&ho);
	if (sp_xapi_init(&x, http, base, token, err, sizeof(err)) != 0) {
		sp_warnx("%s", err);
		status = SP_EXIT_ENV;
		goto out;
	}
	x.warn = warn_cb;
	x.emit = emit_cb;
	x.ctx = &c;
	x.state = state;
	switch (mode) {
	case OPT_USER:
		rc = sp_xapi_users(&x, argv, (size_t)argc, err, sizeof(err));
		break;
	case OPT_SPACE:
		rc = sp_xapi_spaces(&x, argv, (size_t)argc, err, sizeof(err));
		break;
	case OPT_CREATOR:
		rc = sp_xapi_creators(&x, argv, (size_t)argc, err,
		    sizeof(err));
		break;
	default:
		rc = sp_xapi_search(&x, search, err, sizeof(err));
		break;
	}
	if (rc == SP_XAPI_FAIL) {
		sp_warnx("%s", err);
		status = SP_EXIT_ENV;
	} else if (rc == SP_XAPI_PARTIAL)
		status = SP_EXIT_NO;
	sp_xapi_release(&x);
out:
	sp_http_free(http);
	curl_global_cleanup();
	explicit_bzero(token, strlen(token));
	free(token);
	return sp_close_stdout() ? SP_EXIT_ENV : status;
}
