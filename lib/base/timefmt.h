/* timefmt: parse and format durations, ISO 8601 instants, ISO weeks. */
#ifndef SP_TIMEFMT_H
#define SP_TIMEFMT_H

#include <stdint.h>

/*
 * Instants are int64_t milliseconds since 1970-01-01T00:00:00Z.
 * Time zones are IANA names ("America/New_York") or "UTC"; NULL means UTC.
 * Functions return 0 on success and -1 on malformed input; they never print.
 * Conversions in a zone other than UTC set TZ for a moment and restore it:
 * they are not thread-safe.
 */

#define SP_INSTANT_LEN 32	/* room for any sp_fmt_instant() result */
#define SP_DURATION_LEN 32	/* room for any sp_fmt_duration() result */

/*
 * Durations: "90", "90.5", "1:30", "01:02:03.250", "1h2m3.5s", "2m",
 * "1.5h", "250ms", "7d", "13w", "1d12h".  Non-negative, finite, at most 1e9 seconds.
 */
int	sp_parse_duration(const char *s, double *secs);

/* "1:03:45.690", "3:05.000", "0:00.250": h:mm:ss.mmm, hours only when > 0 */
char	*sp_fmt_duration(double secs, char buf[SP_DURATION_LEN]);

/*
 * ISO 8601 instants: "2022-03-22T19:19:02.000Z", "2022-03-22T19:19:02+05:30",
 * "+0530", a space instead of "T", minutes without seconds, any number of
 * fraction digits (truncated to ms), lower-case "t"/"z".  Without an offset,
 * and for a date alone ("2022-03-22", midnight), the time is civil time in
 * tz.  Years 0001-9999.
 */
int	sp_parse_instant(const char *s, const char *tz, int64_t *ms);

/* "2022-03-22T19:19:02.000Z" (always UTC, always milliseconds) */
char	*sp_fmt_instant(int64_t ms, char buf[SP_INSTANT_LEN]);

/* A calendar date "YYYY-MM-DD", validated (leap years included). */
int	sp_parse_date(const char *s, int *y, int *m, int *d);

/* 1 if tz names a time zone this system knows ("UTC" and NULL always). */
int	sp_tz_valid(const char *tz);

/*
 * The zone a zoneinfo file is (borrowed: buf, n bytes, or inside path):
 * a path into a zoneinfo tree, or a link to one.  NULL when unknown.
 */
const char *sp_tz_of_file(const char *path, char *buf, size_t n);

/*
 * The zone the TZ variable names (borrowed, static): a name with or
 * without a leading ':', or a zoneinfo file.  Returns 0 when TZ is unset
 * or empty, 1 with *tz, and -1 when TZ is set to what names no zone (a
 * POSIX rule such as "EST5EDT,M3.2.0,M11.1.0", an unknown name).
 */
int	sp_tz_env(const char **tz);

/* Civil date and time of an instant in tz. */
struct sp_civil {
	int	year, month, day;	/* 1-based month and day */
	int	hour, min, sec, ms;
	int	wday;			/* ISO: Monday 1 .. Sunday 7 */
	int	utcoff;			/* seconds east of UTC at that instant */
};
int	sp_civil(int64_t ms, const char *tz, struct sp_civil *c);

/* Days since 1970-01-01 of a proleptic Gregorian date (negative before). */
int64_t	sp_days_from_civil(int y, int m, int d);
void	sp_civil_from_days(int64_t days, int *y, int *m, int *d);

/*
 * ISO weeks.  A week is numbered by the days-since-epoch of its Monday
 * divided by 7 (the "week index"), so weeks can be counted and compared;
 * the Monday is taken in the civil time of tz, so a week edge is Monday
 * 00:00 local time.  These cannot fail: check tz with sp_tz_valid first,
 * as an invalid one is taken as UTC.
 */
int64_t	sp_week_index(int64_t ms, const char *tz);
/* ISO year and week number (1..53) of a week index. */
void	sp_week_label(int64_t week, int *isoyear, int *isoweek);
/* "2026-W07" */
#define SP_WEEK_LEN 16
char	*sp_fmt_week(int64_t week, char buf[SP_WEEK_LEN]);
/* The instant at which a week index starts (Monday 00:00 in tz). */
int64_t	sp_week_start(int64_t week, const char *tz);

#endif
