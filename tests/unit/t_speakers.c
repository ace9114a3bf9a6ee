/* t_speakers: Hydra tags, the active-speaker rule, sessions, merging. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speakers.h"
#include "timefmt.h"
#include "t.h"

static void
test_participants(void)
{
	struct sp_hydra_person p[4];

	T_INT(sp_hydra_participants("[]", p, 4), 0);
	T_INT(sp_hydra_participants("", p, 4), -1);
	T_INT(sp_hydra_participants("{\"UserId\":\"1\"}", p, 4), -1);
	T_INT(sp_hydra_participants("[{\"UserId\":\"9\",\"UserName\":\"@al\","
	    "\"Extra\":[1]},{\"user_id\":42},7,{\"twitter_screen_name\":"
	    "\"bo\"},{\"UserId\":\"x\"}]", p, 4), 4);
	T_STR(p[0].id, "9");
	T_STR(p[0].name, "al");
	T_STR(p[1].id, "42");
	T_STR(p[1].name, "");
	T_STR(p[2].id, "");
	T_STR(p[3].name, "bo");
	/* A huge id is cut, not overflowed. */
	T_INT(sp_hydra_participants("[{\"UserId\":\"1234567890123456789012345"
	    "67890123456789012345678901234567890\"}]", p, 4), 1);
	T_STR(p[0].id, "");
}

static void
test_levels(void)
{
	double lv[3];

	T_INT(sp_hydra_levels("[0]", lv, 3), 1);
	T_DBL(lv[0], 0, 0);
	T_INT(sp_hydra_levels("[12, \"40\", null, 9, 9]", lv, 3), 3);
	T_DBL(lv[0], 12, 0);
	T_DBL(lv[1], 40, 0);
	T_DBL(lv[2], 0, 0);
	T_INT(sp_hydra_levels("12", lv, 3), -1);
	T_INT(sp_hydra_levels("[1,", lv, 3), -1);
}

/* Feed n tags a second apart from t0, each with levels text lv. */
static double
feed(struct sp_floor *f, double t0, int n, const char *parts, const char *lv,
    struct sp_turns *out)
{
	int i;

	for (i = 0; i < n; i++)
		sp_floor_tag(f, t0 + i, i == 0 ? parts : NULL, lv, out);
	return t0 + n;
}

static void
test_floor(void)
{
	const char *parts = "[{\"UserId\":\"2\",\"UserName\":\"alice\"},"
	    "{\"UserId\":\"3\",\"UserName\":\"bob\"}]";
	struct sp_floor f;
	struct sp_turns out;
	double t, a, b;

	sp_turns_init(&out);
	sp_floor_init(&f, 2, "1");
	/* Host 0-5 s, alice 5-10 s, a 1 s interjection of bob, alice on. */
	t = feed(&f, 0, 5, parts, "[30,0,0]", &out);
	t = feed(&f, t, 5, NULL, "[0,25,3]", &out);
	t = feed(&f, t, 1, NULL, "[0,0,40]", &out);
	t = feed(&f, t, 4, NULL, "[0,25,0]", &out);
	/* Both loud: the louder holds the floor. */
	t = feed(&f, t, 3, NULL, "[10,50,0]", &out);
	/* Silence past min_turn ends the turn. */
	t = feed(&f, t, 4, NULL, "[0,0,0]", &out);
	t = feed(&f, t, 3, NULL, "[0,0,30]", &out);
	sp_floor_finish(&f, &out);
	T_INT(out.n, 3);
	if (out.n == 3) {
		T_STR(out.v[0].user_id, "1");
		T_INT(out.v[0].host, 1);
		T_DBL(out.v[0].start, 0, 1e-9);
		T_DBL(out.v[0].end, 5, 1e-9);
		T_STR(out.v[1].username, "alice");
		T_DBL(out.v[1].start, 5, 1e-9);
		T_DBL(out.v[1].end, 18, 1e-9);
		T_STR(out.v[2].user_id, "3");
		T_DBL(out.v[2].start, 22, 1e-9);
		T_DBL(out.v[2].end, 25, 1e-9);
		T_INT(out.v[2].basis, SP_BASIS_STREAM);
	}
	T_INT(sp_floor_span(&f, &a, &b), 0);
	T_DBL(a, 0, 0);
	T_DBL(b, 25, 1e-9);
	sp_turns_release(&out);

	/* --min-turn 0: every change of voice is a turn. */
	sp_floor_init(&f, 0, "");
	t = feed(&f, 0, 2, parts, "[0,30,0]", &out);
	t = feed(&f, t, 1, NULL, "[0,0,30]", &out);
	t = feed(&f, t, 2, NULL, "[0,30,0]", &out);
	sp_floor_finish(&f, &out);
	T_INT(out.n, 3);
	if (out.n == 3)
		T_DBL(out.v[1].end - out.v[1].start, 1, 1e-9);
	sp_turns_release(&out);

	/* A slot nobody names and a tag back in time are passed over;
	 * levels before any participants name only the host. */
	sp_floor_init(&f, 2, "");
	sp_floor_tag(&f, 0, NULL, "[0,50]", &out);
	sp_floor_tag(&f, 1, NULL, "[20,50]", &out);
	sp_floor_tag(&f, 0.5, NULL, "[0,50]", &out);
	sp_floor_finish(&f, &out);
	T_INT(out.n, 1);
	if (out.n == 1) {
		T_INT(out.v[0].host, 1);
		T_STR(out.v[0].user_id, "");
	}
	sp_turns_release(&out);
	T_INT(sp_floor_span(&f, &a, &b), 0);
	sp_floor_init(&f, 2, "");
	T_INT(sp_floor_span(&f, &a, &b), -1);
}

static void
test_sessions(void)
{
	struct sp_turns s, st, all;
	struct sp_turn t;
	json_t *sp, *rec;
	int64_t origin;

	sp_turns_init(&s);
	sp_turns_init(&st);
	sp_turns_init(&all);
	sp = json_loads("{\"type\":\"space\",\"id\":\"S\",\"creator_id\":\"1\","
	    "\"ended_at\":\"2026-03-02T11:10:00.000Z\",\"speakers\":["
	    "{\"user_id\":\"1\",\"sessions\":[{\"started_at\":"
	    "\"2026-03-02T11:00:00.000Z\",\"ended_at\":"
	    "\"2026-03-02T11:10:00.000Z\"}]},"
	    "{\"user_id\":2,\"start\":\"2026-03-02T11:01:00Z\",\"end\":"
	    "1772449320000},"
	    "{\"userId\":\"3\",\"sessions\":[{\"started_at\":"
	    "\"2026-03-02T11:05:00Z\"},{\"ended_at\":\"x\"}]},"
	    "\"4\",{\"user_id\":\"5\",\"start\":\"bad\"}]}", 0, NULL);
	T_OK(sp != NULL);
	T_INT(sp_sessions_from_space(sp, SP_BASIS_ARCHIVE, &s), 3);
	T_OK(sp_parse_instant("2026-03-02T11:00:00Z", NULL, &origin) == 0);
	sp_turns_place(&s, origin);
	if (s.n == 3) {
		T_INT(s.v[0].host, 1);
		T_STR(s.v[0].space_id, "S");
		T_DBL(s.v[1].start, 60, 1e-9);
		T_DBL(s.v[1].end, 120, 1e-9);
		T_DBL(s.v[2].start, 300, 1e-9);
		T_DBL(s.v[2].end, 600, 1e-9);	/* the Space's end */
	}
	/* A recording's speakers (spaces-record -j): its speakers_basis
	 * wins over the caller's, and the entry's username is kept. */
	{
		struct sp_turns w;
		json_t *rr = json_loads("{\"type\":\"space\",\"id\":\"R\","
		    "\"speakers_basis\":\"web\",\"speakers\":[{\"user_id\":"
		    "\"22\",\"username\":\"alice\",\"sessions\":[{"
		    "\"started_at\":\"2026-03-02T11:00:00.000Z\",\"ended_at\":"
		    "\"2026-03-02T11:00:30.000Z\"}]}]}", 0, NULL);

		sp_turns_init(&w);
		T_INT(sp_sessions_from_space(rr, SP_BASIS_ARCHIVE, &w), 1);
		if (w.n == 1) {
			T_INT(w.v[0].basis, SP_BASIS_WEB);
			T_STR(w.v[0].username, "alice");
			T_STR(w.v[0].space_id, "R");
		}
		sp_turns_release(&w);
		json_decref(rr);
	}
	/* The stream covers 100-400 s: the sessions keep what lies out. */
	memset(&t, 0, sizeof(t));
	snprintf(t.user_id, sizeof(t.user_id), "2");
	t.start = 100;
	t.end = 110;
	t.started_ms = t.ended_ms = SP_NO_MS;
	sp_turns_add(&st, &t);
	sp_turns_merge(&st, 1, 100, 400, &s, &all);
	T_INT(all.n, 5);
	if (all.n == 5) {
		T_DBL(all.v[0].start, 0, 1e-9);		/* host 0-100 */
		T_DBL(all.v[0].end, 100, 1e-9);
		T_DBL(all.v[1].start, 60, 1e-9);	/* alice 60-100 */
		T_DBL(all.v[1].end, 100, 1e-9);
		T_INT(all.v[2].supersedes, 1 + SP_BASIS_ARCHIVE);
		T_DBL(all.v[3].start, 400, 1e-9);
		T_OK(all.v[3].started_ms == origin + 400000);
	}
	/* Cut to a file of 0-350 s: the host's later part is clipped, the
	 * turns from 400 s dropped. */
	{
		struct sp_turns c = { NULL, 0, 0 };
		size_t k;

		for (k = 0; k < all.n; k++)
			sp_turns_add(&c, &all.v[k]);
		sp_turns_cut(&c, 0, 350);
		T_INT(c.n, 3);
		sp_turns_release(&c);
		for (k = 0; k < all.n; k++)
			sp_turns_add(&c, &all.v[k]);
		sp_turns_cut(&c, 450, 1000);
		T_INT(c.n, 2);
		if (c.n == 2) {
			T_DBL(c.v[0].start, 450, 1e-9);
			T_OK(c.v[0].started_ms == origin + 450000);
			T_OK(c.v[0].ended_ms == origin + 600000);
		}
		sp_turns_release(&c);
	}
	/* A record and back. */
	rec = sp_turn_record(&all.v[2]);
	T_STR(json_string_value(json_object_get(rec, "basis")), "stream");
	T_STR(json_string_value(json_object_get(rec, "supersedes")),
	    "archive");
	T_INT(sp_turn_from_record(rec, &t), 0);
	T_DBL(t.end, 110, 1e-9);
	T_STR(t.user_id, "2");
	json_decref(rec);
	rec = json_loads("{\"type\":\"turn\",\"user_id\":\"2\"}", 0, NULL);
	T_INT(sp_turn_from_record(rec, &t), -1);
	json_decref(rec);
	json_decref(sp);
	sp_turns_release(&s);
	sp_turns_release(&st);
	sp_turns_release(&all);
}

int
main(void)
{
	test_participants();
	test_levels();
	test_floor();
	test_sessions();
	return t_done();
}
