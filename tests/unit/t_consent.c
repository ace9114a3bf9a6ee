/* t_consent: consent records, the ledger file, the fold, clip checks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "consent.h"
#include "json.h"
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

/* A turn of space (may be ""), id and name, [a, b). */
static void
add_turn(struct sp_turns *t, const char *space, const char *id,
    const char *name, double a, double b, int host)
{
	struct sp_turn one;

	memset(&one, 0, sizeof(one));
	snprintf(one.space_id, sizeof(one.space_id), "%s", space);
	snprintf(one.user_id, sizeof(one.user_id), "%s", id);
	snprintf(one.username, sizeof(one.username), "%s", name);
	one.start = a;
	one.end = b;
	one.started_ms = one.ended_ms = SP_NO_MS;
	one.host = host;
	sp_turns_add(t, &one);
}

/*
 * A check on the index, said in a line: the answer, then each voice heard
 * as name:consent:ranges, in order ("1 al:granted:2,bo:none:1").
 */
static const char *
heard(struct sp_consent_index *ix, const char *sid, double s, double e,
    int use, char *buf, size_t n)
{
	const json_t *v;
	json_t *voices;
	size_t i, len;
	int rc;

	rc = sp_consent_check_index(ix, sid, s, e, use, &voices);
	len = (size_t)snprintf(buf, n, "%d", rc);
	json_array_foreach(voices, i, v)
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0,
		    "%s%s:%s:%zu", i ? "," : " ", sp_json_str(v, "username"),
		    sp_json_str(v, "consent"), json_array_size(
		    json_object_get(v, "ranges")));
	json_decref(voices);
	return buf;
}

static void
test_index(void)
{
	static const struct {
		const char	*sid;
		double		 s, e;
		int		 use;
		const char	*want;
	} q[] = {
		/* Voices in the order of the turns given, not of times. */
		{ "S", 0, 2000, SP_USE_CLIPS,
		    "1 long:granted:1,bo:none:1,al:granted:2,ho:host:1" },
		/* Late in the audio: the long turn found, short ones not. */
		{ "S", 950, 960, SP_USE_CLIPS, "0 long:granted:1" },
		{ "S", 905, 2000, SP_USE_CLIPS,
		    "0 long:granted:1,al:granted:1" },
		/* Each ends where the next begins: not [20, 30). */
		{ "S", 30, 40, SP_USE_CLIPS, "0 long:granted:1" },
		/* Folds kept for one Space and use, not reused for others. */
		{ "S", 20, 30, SP_USE_PODCAST, "1 long:granted:1,al:none:1" },
		{ "T", 500, 506, SP_USE_CLIPS, "1 bo:granted:1,cy:none:1" },
		{ "S", 500, 506, SP_USE_CLIPS, "1 long:granted:1,bo:none:1" },
		/* No Space asked: every turn, only records for every Space. */
		{ NULL, 500, 506, SP_USE_CLIPS,
		    "1 long:none:1,bo:none:1,cy:none:1" },
		/* bo's turn, of no Space said, is a fact of every Space. */
		{ "U", 0, 10, SP_USE_CLIPS, "0" },
	};
	struct sp_consent_index ix;
	struct sp_ledger l;
	struct sp_turns t;
	char b[256];
	size_t i;

	sp_turns_init(&t);
	/* Out of order; a long turn first keeps the latest end high. */
	add_turn(&t, "S", "9", "long", 0, 1000, 0);
	add_turn(&t, "", "3", "bo", 500, 510, 0);
	add_turn(&t, "S", "2", "al", 20, 30, 0);
	add_turn(&t, "S", "1", "ho", 10, 20, 1);
	add_turn(&t, "S", "2", "al", 900, 910, 0);
	add_turn(&t, "T", "4", "cy", 505, 506, 0);
	sp_ledger_init(&l);
	l.cap = 4;
	l.v = calloc(l.cap, sizeof(*l.v));
	l.v[l.n++] = rec(SP_CONSENT_GRANT, "2", NULL, "*", SP_USE_CLIPS);
	l.v[l.n++] = rec(SP_CONSENT_GRANT, "9", NULL, "S", SP_USE_ALL);
	l.v[l.n++] = rec(SP_CONSENT_GRANT, "3", NULL, "T", SP_USE_ALL);
	sp_consent_index_init(&ix, &l, &t);
	T_INT((int)ix.nspan, 6);
	T_INT((int)ix.npeople, 5);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		T_STR(heard(&ix, q[i].sid, q[i].s, q[i].e, q[i].use, b,
		    sizeof(b)), q[i].want);
	sp_consent_index_release(&ix);
	sp_ledger_release(&l);
	sp_turns_release(&t);
}

/* A deterministic pseudo-random number below n. */
static unsigned
rnd(unsigned n)
{
	static unsigned long long x = 88172645463325252ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (unsigned)(x % n);
}

/*
 * The index against the plain answer: for random turns (unordered,
 * overlapping, without times, of other Spaces, without ids or names,
 * names in other cases, hosts) and clips, the check on the index of all
 * turns equals the check on an index of just the turns that overlap the
 * clip, picked by a scan of every turn; and whether any turn has a time
 * is a scan too.
 */
static void
test_index_random(void)
{
	static const char *const space[] = { "S", "T", "" };
	static const char *const ask[] = { "S", "T", NULL, "" };
	static const char *const id[] = { "1", "2", "3", "4", "", "" };
	static const char *const name[] = { "al", "AL", "bo", "", "cy", "" };
	struct sp_consent_index ix, sub;
	struct sp_ledger l;
	struct sp_turns t, part;
	const struct sp_turn *u;
	json_t *v, *w;
	double a, b, s, e;
	size_t i;
	int round, k, known, rc, want, bad = 0, n = 0;

	for (round = 0; round < 40; round++) {
		sp_turns_init(&t);
		for (k = 0; k < 1 + (int)rnd(60); k++) {
			a = rnd(2000) / 4.0;
			b = rnd(8) == 0 ? a : a + rnd(400) / 4.0;
			if (rnd(20) == 0)
				b = a + 400;
			add_turn(&t, space[rnd(3)], id[rnd(6)], name[rnd(6)],
			    rnd(15) == 0 ? NAN : a, rnd(15) == 0 ? NAN : b,
			    rnd(10) == 0);
		}
		sp_ledger_init(&l);
		l.cap = 16;
		l.v = calloc(l.cap, sizeof(*l.v));
		for (k = 0; k < 12; k++)
			l.v[l.n++] = rec(rnd(3) ? SP_CONSENT_GRANT :
			    SP_CONSENT_REVOKE, id[rnd(4)],
			    rnd(2) ? name[rnd(6)] : NULL, rnd(2) ? "*" :
			    space[rnd(2)], 1 + (int)rnd(3));
		sp_consent_index_init(&ix, &l, &t);
		for (k = 0; k < 60; k++) {
			const char *sid = ask[rnd(4)];
			int use = 1 + (int)rnd(3);

			s = rnd(2200) / 4.0 - 20;
			e = rnd(6) == 0 ? INFINITY : s + rnd(800) / 4.0;
			sp_turns_init(&part);
			known = 0;
			for (i = 0; i < t.n; i++) {
				u = &t.v[i];
				if (isnan(u->start) || isnan(u->end) ||
				    (sid && *sid && u->space_id[0] &&
				    strcmp(sid, u->space_id) != 0))
					continue;
				known = 1;
				if (fmin(e, u->end) > fmax(s, u->start))
					sp_turns_add(&part, u);
			}
			rc = sp_consent_check_index(&ix, sid, s, e, use, &v);
			sp_consent_index_init(&sub, &l, &part);
			if (part.n)
				want = sp_consent_check_index(&sub, sid, s, e,
				    use, &w);
			else {
				want = known ? SP_CHECK_OK : SP_CHECK_UNKNOWN;
				w = json_array();
			}
			if (!json_equal(v, w) || rc != want)
				bad++;
			n++;
			json_decref(v);
			json_decref(w);
			sp_consent_index_release(&sub);
			sp_turns_release(&part);
		}
		sp_consent_index_release(&ix);
		sp_ledger_release(&l);
		sp_turns_release(&t);
	}
	T_INT(bad, 0);
	T_INT(n, 2400);
}

int
main(void)
{
	test_records();
	test_fold();
	test_file();
	test_check();
	test_index();
	test_index_random();
	return t_done();
}
