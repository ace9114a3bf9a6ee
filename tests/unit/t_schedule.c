/* t_schedule: --every, iCalendar parsing, expansion across DST, the store. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "schedule.h"
#include "timefmt.h"
#include "xalloc.h"
#include "t.h"
#include "banned.h"

static void
every_ok(const char *spec, const char *rrule, int hour, int min)
{
	struct sp_every e;
	char err[200];

	if (!T_OK(sp_every_parse(spec, &e, err, sizeof(err)) == 0)) {
		printf("#   '%s': %s\n", spec, err);
		return;
	}
	T_STR(e.rrule, rrule);
	T_INT(e.hour, hour);
	T_INT(e.min, min);
}

static void
every_bad(const char *spec)
{
	struct sp_every e;
	char err[200] = "";

	T_OK(sp_every_parse(spec, &e, err, sizeof(err)) != 0 && *err);
}

static int64_t
ms(const char *s)
{
	int64_t v = 0;

	if (sp_parse_instant(s, NULL, &v) != 0)
		abort();
	return v;
}

static void
test_every(void)
{
	every_ok("tue,thu 18:00", "FREQ=WEEKLY;BYDAY=TU,TH", 18, 0);
	every_ok("weekly", "FREQ=WEEKLY", -1, -1);
	every_ok("daily", "FREQ=DAILY", -1, -1);
	every_ok("Every 2 Weeks on Mon", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
	    -1, -1);
	every_ok("every other day at 9:30", "FREQ=DAILY;INTERVAL=2", 9, 30);
	every_ok("weekdays 07:05", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 7, 5);
	every_ok("weekends", "FREQ=WEEKLY;BYDAY=SA,SU", -1, -1);
	every_ok("fri-mon", "FREQ=WEEKLY;BYDAY=MO,FR,SA,SU", -1, -1);
	every_ok("every tuesday", "FREQ=WEEKLY;BYDAY=TU", -1, -1);
	every_ok("monthly", "FREQ=MONTHLY", -1, -1);
	every_ok("every 3 months", "FREQ=MONTHLY;INTERVAL=3", -1, -1);
	every_bad("");
	every_bad("18:00");
	every_bad("fortnightly");
	every_bad("every");
	every_bad("every 0 weeks");
	every_bad("every 2");
	every_bad("daily weekly");
	every_bad("daily on mon");
	every_bad("tue 18:00 19:00");
	every_bad("tue,");
	every_bad("24:00 daily");
	every_bad("daily at 9");
	every_bad("mon on tue");
	every_bad("x,y");
}

static icalcomponent *
parse(const char *text, char *err, size_t n)
{
	icalcomponent *c = NULL;

	if (sp_sched_parse(text, strlen(text), &c, err, n) != 0)
		return NULL;
	return c;
}

static void
test_parse(void)
{
	char err[300];
	icalcomponent *c;

	T_OK((c = parse("", err, sizeof(err))) != NULL);
	if (c)
		icalcomponent_free(c);
	T_OK(parse("hello\n", err, sizeof(err)) == NULL);
	T_OK(strstr(err, "line 1") != NULL);
	T_OK(parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n", err,
	    sizeof(err)) == NULL);
	T_OK(strstr(err, "line 3") != NULL);
	T_OK(parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n", err,
	    sizeof(err)) == NULL);
	T_OK(strstr(err, "ends inside VEVENT begun at line 2") != NULL);
	T_OK(parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:nope\n"
	    "END:VEVENT\nEND:VCALENDAR\n", err, sizeof(err)) == NULL);
	T_OK(strstr(err, "VEVENT 1 (uid a)") != NULL);
	T_OK(parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:2026\0"
	    "\nEND:VEVENT\nEND:VCALENDAR\n", err, sizeof(err)) == NULL);
	c = parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n"
	    "DTSTART:20261103T180000Z\r\nSUMM\r\n ARY:folded\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n", err, sizeof(err));
	T_OK(c != NULL);
	if (c) {
		T_STR(icalcomponent_get_summary(icalcomponent_get_first_component(
		    c, ICAL_VEVENT_COMPONENT)), "folded");
		icalcomponent_free(c);
	}
}

static void
test_expand(void)
{
	struct sp_event_spec e;
	struct sp_occ *v;
	icalcomponent *cal = sp_sched_new_calendar(), *again;
	char uid[128], err[300], buf[SP_INSTANT_LEN], *text;
	size_t n;

	/* A weekly 18:00 New York show across the November change. */
	memset(&e, 0, sizeof(e));
	e.title = "ny";
	e.tz = "America/New_York";
	e.start = ms("2026-10-27T22:00:00Z");
	e.duration = 3600;
	e.rrule = "FREQ=WEEKLY";
	e.until = INT64_MIN;
	T_INT(sp_sched_add(cal, &e, uid, sizeof(uid), err, sizeof(err)), 0);
	sp_sched_expand(cal, ms("2026-10-01T00:00:00Z"),
	    ms("2026-11-20T00:00:00Z"), "UTC", &v, &n);
	T_INT(n, 4);
	if (n == 4) {
		T_STR(sp_fmt_instant(v[0].start, buf), "2026-10-27T22:00:00.000Z");
		T_STR(sp_fmt_instant(v[1].start, buf), "2026-11-03T23:00:00.000Z");
		T_INT(v[1].end - v[1].start, 3600000);
		T_STR(v[1].tz, "America/New_York");
		T_OK(v[1].series);
	}
	free(v);

	/* Skip one; it survives a round trip through text. */
	T_INT(sp_sched_skip(cal, uid, "2026-11-03", err, sizeof(err)), 0);
	T_OK(sp_sched_skip(cal, uid, "2026-11-04", err, sizeof(err)) != 0);
	T_OK(sp_sched_skip(cal, "nope", "2026-11-03", err, sizeof(err)) != 0);
	text = sp_sched_text(cal);
	T_OK(strstr(text, "EXDATE;TZID=America/New_York:20261103T180000") !=
	    NULL);
	T_INT(sp_sched_parse(text, strlen(text), &again, err, sizeof(err)), 0);
	free(text);
	sp_sched_expand(again, ms("2026-10-01T00:00:00Z"),
	    ms("2026-11-20T00:00:00Z"), "UTC", &v, &n);
	T_INT(n, 3);
	free(v);

	/* A hosted Space, found by its id, once. */
	memset(&e, 0, sizeof(e));
	e.tz = "UTC";
	e.start = ms("2026-11-01T10:00:00Z");
	e.until = INT64_MIN;
	e.space_id = "1ypKdEXvkMLGW";
	T_INT(sp_sched_add(cal, &e, uid, sizeof(uid), err, sizeof(err)), 0);
	T_OK(sp_sched_find_space(cal, "1ypKdEXvkMLGW") != NULL);
	T_OK(sp_sched_find_space(cal, "1other") == NULL);

	/* Merging a calendar into itself replaces by uid. */
	T_INT(sp_sched_merge(cal, again), 1);
	sp_sched_expand(cal, ms("2026-10-01T00:00:00Z"),
	    ms("2026-11-20T00:00:00Z"), "UTC", &v, &n);
	T_INT(n, 4);
	free(v);
	T_INT(sp_sched_remove(cal, uid), 1);
	T_INT(sp_sched_remove(cal, uid), 0);
	icalcomponent_free(again);
	icalcomponent_free(cal);

	/* RFC 5545 3.3.5: a time in the gap takes the offset before it. */
	cal = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:g\n"
	    "DTSTART;TZID=Europe/Paris:20260329T023000\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:f\nDTSTART;TZID=America/New_York:"
	    "20261101T013000\nEND:VEVENT\nEND:VCALENDAR\n", err, sizeof(err));
	T_OK(cal != NULL);
	if (cal) {
		sp_sched_expand(cal, 0, ms("2030-01-01T00:00:00Z"), "UTC", &v,
		    &n);
		T_INT(n, 2);
		if (n == 2) {
			T_STR(sp_fmt_instant(v[0].start, buf),
			    "2026-03-29T01:30:00.000Z");
			T_STR(sp_fmt_instant(v[1].start, buf),
			    "2026-11-01T05:30:00.000Z");
		}
		free(v);
		icalcomponent_free(cal);
	}
}

static void
test_store(void)
{
	struct sp_sched s;
	struct sp_event_spec e;
	char dir[] = "/tmp/t_schedule.XXXXXX", *path, *lock, err[300], uid[99];
	char *link;
	struct stat st;
	FILE *fp;

	if (!T_OK(mkdtemp(dir) != NULL))
		return;
	path = sp_xasprintf("%s/cal/s.ics", dir);
	T_INT(sp_sched_open(&s, path, 1, err, sizeof(err)), 0);
	memset(&e, 0, sizeof(e));
	e.title = "x";
	e.tz = "Europe/Paris";
	e.start = ms("2026-11-02T10:00:00Z");
	e.until = INT64_MIN;
	T_INT(sp_sched_add(s.cal, &e, uid, sizeof(uid), err, sizeof(err)), 0);
	T_INT(sp_sched_save(&s, err, sizeof(err)), 0);
	sp_sched_close(&s);
	T_INT(sp_sched_open(&s, path, 0, err, sizeof(err)), 0);
	T_INT(sp_sched_remove(s.cal, uid), 1);
	sp_sched_close(&s);
	fp = fopen(path, "w");
	fputs("BEGIN:VCALENDAR\nBEGIN:VEVENT\n", fp);
	fclose(fp);
	T_INT(sp_sched_open(&s, path, 1, err, sizeof(err)), SP_SCHED_INVALID);
	T_OK(strstr(err, "line 2") != NULL);
	unlink(path);

	/* A link is written through: it stays a link, its target changes. */
	link = sp_xasprintf("%s/link.ics", dir);
	T_INT(symlink("cal/s.ics", link), 0);
	T_INT(sp_sched_open(&s, link, 1, err, sizeof(err)), 0);
	T_INT(sp_sched_add(s.cal, &e, uid, sizeof(uid), err, sizeof(err)), 0);
	T_INT(sp_sched_save(&s, err, sizeof(err)), 0);
	sp_sched_close(&s);
	T_OK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	T_OK(stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0);
	unlink(link);
	/* A loop of links, and a directory: refused, named. */
	T_INT(symlink("link.ics", link), 0);
	T_INT(sp_sched_open(&s, link, 1, err, sizeof(err)), SP_SCHED_ENV);
	T_OK(strstr(err, "symbolic links") != NULL);
	unlink(link);
	free(link);
	link = sp_xasprintf("%s/cal", dir);
	T_INT(sp_sched_open(&s, link, 0, err, sizeof(err)), SP_SCHED_INVALID);
	T_OK(strstr(err, "a directory") != NULL);
	free(link);

	unlink(path);
	lock = sp_xasprintf("%s.lock", path);
	unlink(lock);
	free(lock);
	free(path);
	path = sp_xasprintf("%s/cal", dir);
	rmdir(path);
	free(path);
	rmdir(dir);
}

/* Zones: every tzdata name libical maps, TZ in its forms, POSIX refused. */
static void
test_zones(void)
{
	const char *z;

	T_OK(sp_sched_tz_valid("America/New_York"));
	T_OK(sp_sched_tz_valid("UTC"));
	T_OK(!sp_sched_tz_valid("Mars/Olympus"));
	T_OK(!sp_sched_tz_valid("../etc/passwd"));
	T_OK(sp_sched_tz_valid("CST6CDT"));
	T_OK(sp_sched_tz_valid("EST5EDT"));
	T_OK(sp_sched_tz_valid("Japan"));
	T_OK(!sp_sched_tz_valid("EST5EDT,M3.2.0,M11.1.0"));
	T_OK(!sp_sched_tz_valid("<+03>-3"));
	T_OK(!sp_sched_tz_valid("/etc/localtime"));

	setenv("TZ", "CST6CDT", 1);
	T_STR(sp_sched_system_tz(), "CST6CDT");
	setenv("TZ", ":Asia/Tokyo", 1);
	T_STR(sp_sched_system_tz(), "Asia/Tokyo");
	setenv("TZ", ":/usr/share/zoneinfo/Europe/Paris", 1);
	T_STR(sp_sched_system_tz(), "Europe/Paris");
	setenv("TZ", "/usr/share/zoneinfo/posix/Europe/Paris", 1);
	T_STR(sp_sched_system_tz(), "Europe/Paris");
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	T_OK(sp_sched_system_tz() == NULL);
	setenv("TZ", "Mars/Olympus", 1);
	T_OK(sp_sched_system_tz() == NULL);
	setenv("TZ", "UTC", 1);
	z = sp_sched_system_tz();
	T_STR(z, "UTC");
}

/* Where the calendar is: never the current directory. */
static void
test_default_path(void)
{
	char *p;

	unsetenv("SPACES_SCHEDULE");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	p = sp_sched_default_path();
	T_STR(p, "/home/u/.local/share/spaces/schedule.ics");
	free(p);
	unsetenv("HOME");
	T_OK(sp_sched_default_path() == NULL);
	setenv("HOME", "relative", 1);
	T_OK(sp_sched_default_path() == NULL);
	setenv("XDG_DATA_HOME", "/x", 1);
	p = sp_sched_default_path();
	T_STR(p, "/x/spaces/schedule.ics");
	free(p);
	unsetenv("XDG_DATA_HOME");
}

/* DST: a wall time in the gap, in the overlap, and an ordinary one. */
static void
test_wall(void)
{
	const char *ny = "America/New_York";

	/* 02:30 on 2026-03-08 does not exist; it is stored as 03:30. */
	T_INT(sp_sched_wall(ms("2026-03-08T07:30:00Z"), ny, 2, 30),
	    SP_SCHED_GAP);
	/* 01:30 on 2026-11-01 happens at 05:30Z and at 06:30Z. */
	T_INT(sp_sched_wall(ms("2026-11-01T05:30:00Z"), ny, 1, 30),
	    SP_SCHED_OVERLAP);
	T_INT(sp_sched_wall(ms("2026-11-01T06:30:00Z"), ny, 1, 30),
	    SP_SCHED_OVERLAP);
	T_INT(sp_sched_wall(ms("2026-11-08T06:30:00Z"), ny, 1, 30), 0);
	T_INT(sp_sched_wall(ms("2026-07-01T22:00:00Z"), ny, 18, 0), 0);
	T_INT(sp_sched_wall(ms("2026-03-08T07:30:00Z"), "UTC", 2, 30), 0);
	/* Lord Howe moves by half an hour. */
	T_INT(sp_sched_wall(ms("2026-04-04T14:45:00Z"), "Australia/Lord_Howe",
	    1, 45), SP_SCHED_OVERLAP);
}

/* A series beyond the expansion limit is reported cut; the logged ids. */
static void
test_cut(void)
{
	icalcomponent *cal;
	struct sp_occ *v;
	json_t *ids;
	char err[300];
	size_t n;

	cal = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:s\n"
	    "DTSTART:20260101T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\n"
	    "BEGIN:VEVENT\nUID:d\nDTSTART:20260101T000000Z\n"
	    "RRULE:FREQ=DAILY;COUNT=3\nX-SPACES-SPACE-ID:1abc\nEND:VEVENT\n"
	    "END:VCALENDAR\n", err, sizeof(err));
	if (!T_OK(cal != NULL))
		return;
	T_INT(sp_sched_expand(cal, ms("2026-01-01T00:00:00Z"),
	    ms("2026-01-03T00:00:00Z"), "UTC", &v, &n), 1);
	T_INT(n, SP_SCHED_MAX_EXPAND + 2);
	free(v);
	/* Within the limit: not cut. */
	T_INT(sp_sched_expand(cal, ms("2026-01-01T00:00:00Z"),
	    ms("2026-01-01T01:00:00Z"), "UTC", &v, &n), 0);
	T_INT(n, 3600 + 1);
	free(v);
	ids = sp_sched_space_ids(cal);
	T_INT(json_object_size(ids), 1);
	T_OK(json_object_get(ids, "1abc") != NULL);
	json_decref(ids);
	icalcomponent_free(cal);
}

int
main(void)
{
	test_every();
	test_parse();
	test_expand();
	test_store();
	test_zones();
	test_default_path();
	test_wall();
	test_cut();
	return t_done();
}
