/* timefmt: parse and format durations, ISO 8601 instants, ISO weeks. */
#include <sys/stat.h>

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strnum.h"
#include "timefmt.h"
#include "banned.h"

#define MS_PER_DAY	86400000LL
#define MAX_DURATION	1e9		/* seconds */
#define NUM_MAX		64		/* longest numeral in a duration */
#define TZ_NAME_MAX	255

/*
 * Day counts beyond these would give years outside int (DAYS_MIN is
 * INT_MIN-01-01, DAYS_MAX INT_MAX-12-31) or instants outside int64_t
 * milliseconds (MS_DAYS_LIM); the functions that cannot report an error
 * clamp to them instead of overflowing.
 */
#define DAYS_MIN	(-784353015833LL)
#define DAYS_MAX	784351576776LL
#define MS_DAYS_LIM	106000000000LL

/* The caller's TZ, kept while a zone's rules are loaded. */
struct tzswap {
	char	*old;		/* NULL if TZ was unset */
	int	 same;		/* TZ already named the zone: nothing to undo */
};

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Not a - floor_div(a, b) * b, which overflows near INT64_MIN. */
static int64_t
floor_mod(int64_t a, int64_t b)
{
	int64_t r = a % b;

	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/*
 * Howard Hinnant's days_from_civil, over a March-based year so that the
 * leap day is the last day of the year; y is int64_t so that callers can
 * pass a struct tm's tm_year + 1900 without overflow.
 */
static int64_t
days_from_civil64(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	/* Normalise the month so that any int month is well defined. */
	y += floor_div((int64_t)m - 1, 12);
	m = (int)floor_mod((int64_t)m - 1, 12) + 1;
	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
sp_days_from_civil(int y, int m, int d)
{
	return days_from_civil64(y, m, d);
}

void
sp_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z, era, doe, yoe, doy, mp;

	if (days > DAYS_MAX)
		days = DAYS_MAX;
	if (days < DAYS_MIN)
		days = DAYS_MIN;
	z = days + 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ISO weekday, Monday 1 .. Sunday 7; 1970-01-01 was a Thursday. */
static int
iso_wday(int64_t days)
{
	return (int)floor_mod(days + 3, 7) + 1;
}

/*
 * Time zones.  Only names of TZif files are accepted, so that setting TZ
 * can never fall back to glibc's POSIX-string parser or to UTC in silence.
 */

static int
is_utc(const char *tz)
{
	return tz == NULL || strcmp(tz, "UTC") == 0;
}

static int
tz_name_ok(const char *tz)
{
	const char *p;
	size_t len;

	len = strlen(tz);
	if (len == 0 || len > TZ_NAME_MAX)
		return 0;
	/* "right/" zones count leap seconds in time_t; we do not. */
	if (strncmp(tz, "right/", 6) == 0)
		return 0;
	for (p = tz; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("/_-+.", *p) == NULL)
			return 0;
		/* No absolute paths, empty, hidden, "." or ".." components. */
		if ((p == tz || p[-1] == '/') && (*p == '/' || *p == '.'))
			return 0;
	}
	return p[-1] != '/';
}

int
sp_tz_valid(const char *tz)
{
	char path[PATH_MAX], magic[4];
	const char *dir;
	struct stat st;
	int fd, n, ok;

	if (is_utc(tz))
		return 1;
	if (!tz_name_ok(tz))
		return 0;
	/* The same directory glibc's tzset() reads. */
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	n = snprintf(path, sizeof(path), "%s/%s", dir, tz);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	/* O_NONBLOCK: a FIFO planted in TZDIR must not hang us. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return 0;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
	    memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

/* The zone name in a path into a zoneinfo tree, or NULL. */
static const char *
zoneinfo_name(const char *path)
{
	const char *p = strstr(path, "zoneinfo/");

	if (p == NULL)
		return NULL;
	p += 9;
	/* The "posix/" tree holds the same zones. */
	if (strncmp(p, "posix/", 6) == 0)
		p += 6;
	return sp_tz_valid(p) ? p : NULL;
}

const char *
sp_tz_of_file(const char *path, char *buf, size_t n)
{
	const char *z;
	ssize_t len;
	char *r;

	if ((z = zoneinfo_name(path)) != NULL)
		return z;
	if ((len = readlink(path, buf, n - 1)) > 0) {
		buf[len] = '\0';
		if ((z = zoneinfo_name(buf)) != NULL)
			return z;
	}
	if ((r = realpath(path, NULL)) != NULL) {
		snprintf(buf, n, "%s", r);
		free(r);
		return zoneinfo_name(buf);
	}
	return NULL;
}

int
sp_tz_env(const char **tz)
{
	static char buf[PATH_MAX];
	const char *s = getenv("TZ");

	if (s == NULL || *s == '\0')
		return 0;
	if (*s == ':')
		s++;
	if (*s != '/' && sp_tz_valid(s)) {
		*tz = s;
		return 1;
	}
	/* ":/etc/localtime", "/usr/share/zoneinfo/Asia/Tokyo" */
	if (*s == '/' && (*tz = sp_tz_of_file(s, buf, sizeof(buf))) != NULL)
		return 1;
	return -1;
}

/*
 * Load tz's rules by pointing TZ at it.  This is not thread-safe, like
 * everything else that touches the environment.
 */
static int
tz_enter(const char *tz, struct tzswap *sw)
{
	const char *cur;

	sw->old = NULL;
	sw->same = 0;
	cur = getenv("TZ");
	if (cur != NULL && strcmp(cur, tz) == 0) {
		sw->same = 1;
		tzset();
		return 0;
	}
	if (cur != NULL && (sw->old = strdup(cur)) == NULL)
		return -1;
	if (setenv("TZ", tz, 1) == -1) {
		free(sw->old);
		return -1;
	}
	tzset();
	return 0;
}

static void
tz_leave(struct tzswap *sw)
{
	if (sw->same)
		return;
	if (sw->old != NULL) {
		(void)setenv("TZ", sw->old, 1);
		free(sw->old);
	} else
		(void)unsetenv("TZ");
	/* localtime() in the caller must see its own zone again. */
	tzset();
}

/* Seconds east of UTC at instant t (seconds) in the loaded zone. */
static int
local_offset(int64_t t, int64_t *off, struct tm *tmp)
{
	struct tm tm;
	time_t tt = (time_t)t;

	/* The cast check matters where time_t is 32 bits. */
	if ((int64_t)tt != t || localtime_r(&tt, &tm) == NULL)
		return -1;
	*off = days_from_civil64((int64_t)tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday) * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec - t;
	if (tmp != NULL)
		*tmp = tm;
	return 0;
}

static int
offset_is(int64_t t, int64_t want)
{
	int64_t off;

	return local_offset(t, &off, NULL) == 0 && off == want;
}

/*
 * The instant (seconds) at which the loaded zone's clocks read the local
 * seconds lsec.  Two candidates come from the offsets a day before and a
 * day after, enough while transitions are over two days apart (in tzdata
 * 2025b the closest are four days apart).  In an overlap we take the
 * earlier instant; in a gap we read the time with the offset from before
 * the gap, so 02:30 in a spring-forward gap is 03:30 daylight time, or,
 * with first_after_gap, the first instant after the gap.  For gaps that
 * is what glibc's mktime(tm_isdst = -1) does; for overlaps mktime has no
 * rule: it starts from the offset it cached on its last call, so from a
 * fresh start it picks the earlier 01:30 in New York but the later 02:30
 * in Berlin, and other answers after other calls.  The earlier instant is
 * RFC 5545's and Python's (fold = 0) choice.
 */
static int
resolve_local(int64_t lsec, int first_after_gap, int64_t *t)
{
	int64_t before, after, t1, t2, lo, hi, mid;
	int ok1, ok2;

	if (local_offset(lsec - 86400, &before, NULL) == -1 ||
	    local_offset(lsec + 86400, &after, NULL) == -1)
		return -1;
	t1 = lsec - before;
	t2 = lsec - after;
	ok1 = offset_is(t1, before);
	ok2 = offset_is(t2, after);
	if (ok1 && ok2)
		*t = t1 < t2 ? t1 : t2;
	else if (ok1)
		*t = t1;
	else if (ok2)
		*t = t2;
	else if (first_after_gap && t2 < t1 && offset_is(t2, before)) {
		/* Bisect for the transition: offset before at lo, not at hi. */
		lo = t2;
		hi = t1;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (offset_is(mid, before))
				lo = mid;
			else
				hi = mid;
		}
		*t = hi;
	} else
		*t = t1;
	return 0;
}

int
sp_civil(int64_t ms, const char *tz, struct sp_civil *c)
{
	struct tzswap sw;
	struct tm tm;
	int64_t days, rem, sec, off;
	int rv;

	if (is_utc(tz)) {
		days = floor_div(ms, MS_PER_DAY);
		rem = floor_mod(ms, MS_PER_DAY);
		sp_civil_from_days(days, &c->year, &c->month, &c->day);
		c->hour = (int)(rem / 3600000);
		c->min = (int)(rem / 60000 % 60);
		c->sec = (int)(rem / 1000 % 60);
		c->ms = (int)(rem % 1000);
		c->wday = iso_wday(days);
		c->utcoff = 0;
		return 0;
	}
	if (!sp_tz_valid(tz) || tz_enter(tz, &sw) == -1)
		return -1;
	sec = floor_div(ms, 1000);
	rv = local_offset(sec, &off, &tm);
	tz_leave(&sw);
	/* Years must fit an int, as in the UTC branch's clamped range. */
	if (rv == -1 || tm.tm_year > INT_MAX - 1900)
		return -1;
	c->year = tm.tm_year + 1900;
	c->month = tm.tm_mon + 1;
	c->day = tm.tm_mday;
	c->hour = tm.tm_hour;
	c->min = tm.tm_min;
	c->sec = tm.tm_sec;
	c->ms = (int)floor_mod(ms, 1000);
	c->wday = tm.tm_wday == 0 ? 7 : tm.tm_wday;
	c->utcoff = (int)off;
	return 0;
}

/*
 * Parsing.  Every scanner takes a cursor, checks each byte before it steps
 * past it (the string's NUL stops all of them), and leaves the cursor
 * alone on failure.
 */

/* Exactly n decimal digits. */
static int
scan_fixed(const char **pp, int n, int *v)
{
	const char *p = *pp;
	int i, x = 0;

	for (i = 0; i < n; i++, p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		x = x * 10 + (*p - '0');
	}
	*pp = p;
	*v = x;
	return 0;
}

static int
scan_date(const char **pp, int *y, int *m, int *d)
{
	const char *p = *pp;

	if (scan_fixed(&p, 4, y) == -1 || *p++ != '-' ||
	    scan_fixed(&p, 2, m) == -1 || *p++ != '-' ||
	    scan_fixed(&p, 2, d) == -1)
		return -1;
	if (*y < 1 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > month_days(*y, *m))
		return -1;
	*pp = p;
	return 0;
}

int
sp_parse_date(const char *s, int *y, int *m, int *d)
{
	int yy, mm, dd;

	if (s == NULL || scan_date(&s, &yy, &mm, &dd) == -1 || *s != '\0')
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

/* "Z", "+05:30", "+0530", "+05": seconds east of UTC. */
static int
scan_offset(const char **pp, int *off)
{
	const char *p = *pp;
	int sign, h, m = 0;

	if (*p == 'Z' || *p == 'z') {
		*pp = p + 1;
		*off = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (scan_fixed(&p, 2, &h) == -1 || h > 23)
		return -1;
	if (*p == ':') {
		p++;
		if (scan_fixed(&p, 2, &m) == -1)
			return -1;
	} else if (isdigit((unsigned char)*p) && scan_fixed(&p, 2, &m) == -1)
		return -1;
	if (m > 59)
		return -1;
	*pp = p;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

/*
 * hh:mm[:ss[.fff...]]: seconds of the day and milliseconds.  A leap second
 * (:60) is rejected: our instants are POSIX time, which has no name for it,
 * and folding it into :59 or the next minute would make two strings equal
 * that RFC 3339 says differ.
 */
static int
scan_clock(const char **pp, int *secs, int *ms)
{
	const char *p = *pp;
	int h, m, s = 0, frac = 0, scale = 100;

	if (scan_fixed(&p, 2, &h) == -1 || h > 23 || *p++ != ':' ||
	    scan_fixed(&p, 2, &m) == -1 || m > 59)
		return -1;
	if (*p == ':') {
		p++;
		if (scan_fixed(&p, 2, &s) == -1 || s > 59)
			return -1;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			/* Any number of digits; those past the ms are cut. */
			for (; isdigit((unsigned char)*p); p++) {
				frac += (*p - '0') * scale;
				scale /= 10;
			}
		}
	}
	*pp = p;
	*secs = h * 3600 + m * 60 + s;
	*ms = frac;
	return 0;
}

int
sp_parse_instant(const char *s, const char *tz, int64_t *ms)
{
	struct tzswap sw;
	int64_t lsec, t;
	int y, mo, d, secs = 0, frac = 0, off = 0, has_off = 0, rv;

	if (s == NULL || !sp_tz_valid(tz))
		return -1;
	if (scan_date(&s, &y, &mo, &d) == -1)
		return -1;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (scan_clock(&s, &secs, &frac) == -1)
			return -1;
		if (*s != '\0') {
			if (scan_offset(&s, &off) == -1)
				return -1;
			has_off = 1;
		}
	}
	if (*s != '\0')
		return -1;
	lsec = sp_days_from_civil(y, mo, d) * 86400 + secs;
	if (has_off || is_utc(tz))
		t = lsec - off;
	else {
		if (tz_enter(tz, &sw) == -1)
			return -1;
		rv = resolve_local(lsec, 0, &t);
		tz_leave(&sw);
		if (rv == -1)
			return -1;
	}
	*ms = t * 1000 + frac;
	return 0;
}

char *
sp_fmt_instant(int64_t ms, char buf[SP_INSTANT_LEN])
{
	struct sp_civil c;

	(void)sp_civil(ms, NULL, &c);
	/* Years past 0000-9999 as ISO 8601 expanded years, as JavaScript. */
	if (c.year >= 0 && c.year <= 9999)
		snprintf(buf, SP_INSTANT_LEN,
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    c.year, c.month, c.day, c.hour, c.min, c.sec, c.ms);
	else
		snprintf(buf, SP_INSTANT_LEN,
		    "%+07d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    c.year, c.month, c.day, c.hour, c.min, c.sec, c.ms);
	return buf;
}

/*
 * Durations.  Numerals are digits with an optional ".digits"; no sign,
 * exponent, hex, inf or nan gets past the scanner, and strtod does the
 * rounding.
 */
static int
scan_num(const char **pp, double *v, int *has_frac)
{
	const char *p = *pp, *errstr;
	char num[NUM_MAX];
	size_t len;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p))
		p++;
	*has_frac = *p == '.';
	if (*has_frac) {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	len = (size_t)(p - *pp);
	if (len >= sizeof(num))
		return -1;
	memcpy(num, *pp, len);
	num[len] = '\0';
	if (sp_strtod(num, 0, HUGE_VAL, v, &errstr) == -1)
		return -1;
	*pp = p;
	return 0;
}

/* Two digits below 60, as the lower fields of "h:mm:ss" must be. */
static int
scan_sexa(const char **pp, double *v, int allow_frac)
{
	const char *p = *pp;
	int has_frac;

	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    isdigit((unsigned char)p[2]))
		return -1;
	if (scan_num(&p, v, &has_frac) == -1 || (has_frac && !allow_frac) ||
	    *v >= 60)
		return -1;
	*pp = p;
	return 0;
}

/* "m:ss[.fff]" or "h:mm:ss[.fff]"; the leading field has no upper bound. */
static int
parse_clock(const char *p, double *secs)
{
	double first, mid, last;
	int has_frac;

	if (scan_num(&p, &first, &has_frac) == -1 || has_frac || *p++ != ':')
		return -1;
	if (scan_sexa(&p, &mid, 1) == -1)
		return -1;
	if (*p == '\0') {
		*secs = first * 60 + mid;
		return 0;
	}
	if (mid != floor(mid) || *p++ != ':' || scan_sexa(&p, &last, 1) == -1 ||
	    *p != '\0')
		return -1;
	*secs = first * 3600 + mid * 60 + last;
	return 0;
}

/*
 * "1h2m3.5s", "250ms": units in decreasing order, each once.  Only the
 * last component may have a fraction, as in ISO 8601 durations, so that
 * "1.5h30m" is not silently 2 hours.
 */
static int
parse_units(const char *p, double *secs)
{
	/* In match order, "ms" before "m"; rank is the order they come in. */
	static const struct {
		const char	*name;
		double		 mult;
		int		 rank;
	} units[] = {
		{ "w", 604800, 0 }, { "d", 86400, 1 }, { "h", 3600, 2 },
		{ "ms", 0.001, 5 }, { "m", 60, 3 }, { "s", 1, 4 }
	};
	double v, total = 0;
	size_t i, len;
	int has_frac, last = -1;

	while (*p != '\0') {
		if (scan_num(&p, &v, &has_frac) == -1)
			return -1;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			len = strlen(units[i].name);
			if (strncmp(p, units[i].name, len) == 0)
				break;
		}
		if (i == sizeof(units) / sizeof(units[0]) ||
		    units[i].rank <= last)
			return -1;
		p += len;
		if (has_frac && *p != '\0')
			return -1;
		last = units[i].rank;
		total += v * units[i].mult;
	}
	*secs = total;
	return 0;
}

int
sp_parse_duration(const char *s, double *secs)
{
	const char *p;
	double v;
	int has_frac;

	if (s == NULL || *s == '\0')
		return -1;
	p = s;
	/* Plain seconds, else clock form, else units. */
	if (scan_num(&p, &v, &has_frac) == -1 || *p != '\0') {
		if (strchr(s, ':') != NULL ? parse_clock(s, &v) == -1 :
		    parse_units(s, &v) == -1)
			return -1;
	}
	if (!(v >= 0 && v <= MAX_DURATION))
		return -1;
	*secs = v;
	return 0;
}

char *
sp_fmt_duration(double secs, char buf[SP_DURATION_LEN])
{
	const char *sign = "";
	double r;
	long long ms;

	/* No error channel: NaN prints as 0, the huge clamp to ~2.5e12 h. */
	r = round(secs * 1000);
	if (isnan(r))
		r = 0;
	if (r < 0) {
		sign = "-";
		r = -r;
	}
	if (r > 9e18)
		r = 9e18;
	ms = (long long)r;
	if (ms >= 3600000)
		snprintf(buf, SP_DURATION_LEN, "%s%lld:%02d:%02d.%03d", sign,
		    ms / 3600000, (int)(ms / 60000 % 60),
		    (int)(ms / 1000 % 60), (int)(ms % 1000));
	else
		snprintf(buf, SP_DURATION_LEN, "%s%d:%02d.%03d", sign,
		    (int)(ms / 60000), (int)(ms / 1000 % 60),
		    (int)(ms % 1000));
	return buf;
}

/*
 * Weeks.  Index k is the week whose Monday has days-since-epoch 7k + 4
 * (floor(monday / 7) == k, as the header defines it), so the week of
 * 1970-01-01 is -1 and its Thursday, which names the ISO year, is 7k + 7.
 * An invalid tz cannot be reported by these, so it means UTC.
 */

static int64_t
week_of_days(int64_t days)
{
	return floor_div(days - (iso_wday(days) - 1), 7);
}

int64_t
sp_week_index(int64_t ms, const char *tz)
{
	struct sp_civil c;

	if (!is_utc(tz) && sp_civil(ms, tz, &c) == 0)
		return week_of_days(sp_days_from_civil(c.year, c.month,
		    c.day));
	return week_of_days(floor_div(ms, MS_PER_DAY));
}

void
sp_week_label(int64_t week, int *isoyear, int *isoweek)
{
	int64_t thu;
	int y, m, d;

	/* Keep the Thursday, 7 * week + 7, within DAYS_MIN..DAYS_MAX. */
	if (week > DAYS_MAX / 7 - 1)
		week = DAYS_MAX / 7 - 1;
	if (week < DAYS_MIN / 7)
		week = DAYS_MIN / 7;
	thu = 7 * week + 7;
	sp_civil_from_days(thu, &y, &m, &d);
	*isoyear = y;
	*isoweek = (int)((thu - sp_days_from_civil(y, 1, 1)) / 7 + 1);
}

char *
sp_fmt_week(int64_t week, char buf[SP_WEEK_LEN])
{
	int y, w;

	sp_week_label(week, &y, &w);
	snprintf(buf, SP_WEEK_LEN, "%04d-W%02d", y, w);
	return buf;
}

int64_t
sp_week_start(int64_t week, const char *tz)
{
	struct tzswap sw;
	int64_t monday, t;
	int rv;

	/* Keep the Monday, and a day either side, within int64_t ms. */
	if (week > MS_DAYS_LIM / 7)
		week = MS_DAYS_LIM / 7;
	if (week < -MS_DAYS_LIM / 7)
		week = -MS_DAYS_LIM / 7;
	monday = 7 * week + 4;
	if (!is_utc(tz) && sp_tz_valid(tz) && tz_enter(tz, &sw) == 0) {
		rv = resolve_local(monday * 86400, 1, &t);
		tz_leave(&sw);
		if (rv == 0)
			return t * 1000;
	}
	return monday * MS_PER_DAY;
}
