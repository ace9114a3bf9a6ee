/* t_consent: consent records, the ledger file, the fold, clip checks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "consent.h"
#include "timefmt.h"
#include "t.h"

static struct sp_consent
rec(int action, const char *id, const char *name, const char *space, int use)
{
	struct sp_consent c;

	memset(&c, 0, sizeof(c));
	c.action = action;
	snprintf(c.user_id, sizeof(c.user_id), "%s", id ? id : "");
	snprintf(c.username, sizeof(c.username), "%s", name ? name : "");
	snprintf(c.space_id, sizeof(c.space_id), "%s", space);
	c.use = use;
	c.at = 1772449200000;
	return c;
}

static void
test_records(void)
{
	struct sp_consent c = rec(SP_CONSENT_REVOKE, "7", "Al", "S", SP_USE_CLIPS), d;
	json_t *j;

	snprintf(c.evidence, sizeof(c.evidence), "DM 2026-03-02");
	j = sp_consent_record(&c);
	T_INT(sp_consent_from_record(j, &d), 0);
	T_INT(d.action, SP_CONSENT_REVOKE);
	T_STR(d.user_id, "7");
	T_STR(d.username, "Al");
	T_STR(d.space_id, "S");
	T_INT(d.use, SP_USE_CLIPS);
	T_OK(d.at == c.at);
	T_STR(d.evidence, "DM 2026-03-02");
	json_decref(j);
	/* Tolerated: no space (every Space), no use (all), an integer id. */
	j = json_loads("{\"type\":\"consent\",\"action\":\"grant\",\"user_id\":"
	    "9,\"at\":\"2026-03-02T11:00:00Z\"}", 0, NULL);
	T_INT(sp_consent_from_record(j, &d), 0);
	T_STR(d.space_id, "*");
	T_INT(d.use, SP_USE_ALL);
	json_decref(j);
	/* Refused: no person, a bad action, use or time, another type. */
	j = json_loads("[{\"type\":\"consent\",\"action\":\"grant\",\"at\":"
	    "\"2026-03-02T11:00:00Z\"},{\"type\":\"consent\",\"action\":\"x\","
	    "\"user_id\":\"1\",\"at\":\"2026-03-02T11:00:00Z\"},{\"type\":"
	    "\"consent\",\"action\":\"grant\",\"user_id\":\"1\",\"use\":\"ads\","
	    "\"at\":\"2026-03-02T11:00:00Z\"},{\"type\":\"consent\",\"action\":"
	    "\"grant\",\"user_id\":\"1\"},{\"type\":\"turn\"},{\"type\":"
	    "\"consent\",\"action\":\"grant\",\"username\":\"@@al\",\"at\":"
	    "\"2026-03-02T11:00:00Z\"}]", 0, NULL);
	for (size_t i = 0; i < json_array_size(j); i++)
		T_INT(sp_consent_from_record(json_array_get(j, i), &d), -1);
	json_decref(j);
}

static void
test_fold(void)
{
	struct sp_ledger l;
	const struct sp_consent *last;
	struct sp_consent c;

	sp_ledger_init(&l);
	T_INT(sp_consent_state(&l, "1", "al", "S", SP_USE_CLIPS, &last),
	    SP_CONSENT_NONE);
	T_OK(last == NULL);
	l.cap = 8;
	l.v = calloc(l.cap, sizeof(*l.v));
	l.v[l.n++] = rec(SP_CONSENT_GRANT, NULL, "Al", "*", SP_USE_ALL);
	l.v[l.n++] = rec(SP_CONSENT_REVOKE, "1", NULL, "S", SP_USE_PODCAST);
	l.v[l.n++] = rec(SP_CONSENT_GRANT, "2", NULL, "S", SP_USE_CLIPS);
	/* By name, case aside, when the question has the name. */
	T_INT(sp_consent_state(&l, "1", "al", "T", SP_USE_PODCAST, NULL),
	    SP_CONSENT_GRANTED);
	T_INT(sp_consent_state(&l, "1", "al", "S", SP_USE_PODCAST, &last),
	    SP_CONSENT_REVOKED);
	T_OK(last == &l.v[1]);
	T_INT(sp_consent_state(&l, "1", "al", "S", SP_USE_CLIPS, NULL),
	    SP_CONSENT_GRANTED);
	/* Without the name, only the id's records count. */
	T_INT(sp_consent_state(&l, "1", NULL, "T", SP_USE_CLIPS, NULL),
	    SP_CONSENT_NONE);
	/* A grant for clips does not cover all uses, nor another Space. */
	T_INT(sp_consent_state(&l, "2", NULL, "S", SP_USE_ALL, NULL),
	    SP_CONSENT_NONE);
	T_INT(sp_consent_state(&l, "2", NULL, "T", SP_USE_CLIPS, NULL),
	    SP_CONSENT_NONE);
	T_INT(sp_consent_state(&l, "2", NULL, NULL, SP_USE_CLIPS, NULL),
	    SP_CONSENT_NONE);
	/* A later revoke of everything wins. */
	c = rec(SP_CONSENT_REVOKE, NULL, "AL", "*", SP_USE_ALL);
	l.v[l.n++] = c;
	T_INT(sp_consent_state(&l, "1", "al", "T", SP_USE_CLIPS, NULL),
	    SP_CONSENT_REVOKED);
	sp_ledger_release(&l);
}

static void
test_file(void)
{
	char dir[] = "/tmp/t_consent.XXXXXX", path[128], err[256];
	struct sp_consent c = rec(SP_CONSENT_GRANT, "5", NULL, "*", SP_USE_ALL);
	struct sp_ledger l;
	FILE *fp;

	T_OK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/a/b/consent.ndjson", dir);
	sp_ledger_init(&l);
	T_INT(sp_ledger_read(&l, path, err, sizeof(err)), 0);	/* missing */
	T_INT((int)l.n, 0);
	T_INT(sp_ledger_append(path, &c, err, sizeof(err)), 0);
	/* A torn line, then another record on a line of its own. */
	fp = fopen(path, "a");
	fputs("{\"type\":\"consent\",\"acti", fp);
	fclose(fp);
	c.action = SP_CONSENT_REVOKE;
	T_INT(sp_ledger_append(path, &c, err, sizeof(err)), 0);
	T_INT(sp_ledger_read(&l, path, err, sizeof(err)), 0);
	T_INT((int)l.n, 2);
	T_INT((int)l.bad, 1);
	T_INT((int)l.first_bad, 2);
	if (l.n == 2)
		T_INT(l.v[1].action, SP_CONSENT_REVOKE);
	sp_ledger_release(&l);
	T_INT(sp_ledger_append("/dev/null/x", &c, err, sizeof(err)), -1);
	T_OK(strstr(err, "/dev/null") != NULL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_check(void)
{
	struct sp_ledger l;
	struct sp_turns t;
	struct sp_turn one;
	json_t *v;
	const char *who[][2] = { { "1", "" }, { "2", "al" }, { "3", "bo" },
	    { "2", "al" } };
	double at[][2] = { { 0, 10 }, { 10, 20 }, { 20, 30 }, { 30, 40 } };
	int i;

	sp_turns_init(&t);
	for (i = 0; i < 4; i++) {
		memset(&one, 0, sizeof(one));
		snprintf(one.space_id, sizeof(one.space_id), "S");
		snprintf(one.user_id, sizeof(one.user_id), "%s", who[i][0]);
		snprintf(one.username, sizeof(one.username), "%s", who[i][1]);
		one.start = at[i][0];
		one.end = at[i][1];
		one.host = i == 0;
		sp_turns_add(&t, &one);
	}
	sp_ledger_init(&l);
	l.cap = 4;
	l.v = calloc(l.cap, sizeof(*l.v));
	l.v[l.n++] = rec(SP_CONSENT_GRANT, NULL, "al", "*", SP_USE_ALL);
	T_INT(sp_consent_check(&l, &t, "S", 5, 18, SP_USE_CLIPS, &v),
	    SP_CHECK_OK);
	T_INT((int)json_array_size(v), 2);
	T_STR(json_string_value(json_object_get(json_array_get(v, 0),
	    "consent")), "host");
	json_decref(v);
	T_INT(sp_consent_check(&l, &t, "S", 5, INFINITY, SP_USE_CLIPS, &v),
	    SP_CHECK_MISSING);
	T_INT((int)json_array_size(v), 3);
	/* alice twice: two ranges; bob: none. */
	T_INT((int)json_array_size(json_object_get(json_array_get(v, 1),
	    "ranges")), 2);
	T_STR(json_string_value(json_object_get(json_array_get(v, 2),
	    "consent")), "none");
	json_decref(v);
	T_INT(sp_consent_check(&l, &t, "OTHER", 0, 50, SP_USE_CLIPS, &v),
	    SP_CHECK_UNKNOWN);
	json_decref(v);
	sp_ledger_release(&l);
	sp_turns_release(&t);
}

int
main(void)
{
	test_records();
	test_fold();
	test_file();
	test_check();
	return t_done();
}
