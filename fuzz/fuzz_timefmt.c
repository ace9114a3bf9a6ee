/* fuzz_timefmt: libFuzzer harness for lib/timefmt's parsers and formatters. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "banned.h"

#define NY		"America/New_York"
#define MIN_MS		(-62135596800000LL)	/* 0001-01-01T00:00Z */
#define MAX_MS		253402300799999LL	/* 9999-12-31T23:59:59.999Z */

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static void
check_duration(const char *s)
{
	char buf[SP_DURATION_LEN];
	double d, d2;

	if (sp_parse_duration(s, &d) == -1)
		return;
	CHECK(d >= 0 && d <= 1e9);
	sp_fmt_duration(d, buf);
	/* Formatting rounds to the ms; 1e-6 covers doubles near 1e9. */
	CHECK(sp_parse_duration(buf, &d2) == 0);
	CHECK(fabs(d2 - d) <= 0.0005 + 1e-6);
}

/*
 * Strict week invariants hold where the local date never runs backwards
 * across a Monday midnight, as in UTC and New York; for other zones only
 * that a week's start lies in that week.
 */
static void
check_week(int64_t ms, const char *tz, int strict)
{
	int64_t w, start, next;
	int y, wk;

	w = sp_week_index(ms, tz);
	start = sp_week_start(w, tz);
	CHECK(sp_week_index(start, tz) == w);
	sp_week_label(w, &y, &wk);
	CHECK(wk >= 1 && wk <= 53);
	if (!strict)
		return;
	next = sp_week_start(w + 1, tz);
	CHECK(start <= ms && ms < next);
	CHECK(sp_week_index(start - 1, tz) == w - 1);
	CHECK(next - start >= 167 * 3600000LL &&
	    next - start <= 169 * 3600000LL);
}

/* The civil fields of c, without an offset, read back in tz to c. */
static void
check_local(int64_t ms, const char *tz)
{
	struct sp_civil c, c2;
	char buf[64];
	int64_t back;

	CHECK(sp_civil(ms, tz, &c) == 0);
	CHECK(sp_days_from_civil(c.year, c.month, c.day) * 86400000LL +
	    c.hour * 3600000LL + c.min * 60000LL + c.sec * 1000LL + c.ms -
	    c.utcoff * 1000LL == ms);
	if (c.year < 1 || c.year > 9999)
		return;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
	    c.year, c.month, c.day, c.hour, c.min, c.sec, c.ms);
	CHECK(sp_parse_instant(buf, tz, &back) == 0);
	CHECK(sp_civil(back, tz, &c2) == 0);
	CHECK(c2.year == c.year && c2.month == c.month && c2.day == c.day &&
	    c2.hour == c.hour && c2.min == c.min && c2.sec == c.sec &&
	    c2.ms == c.ms);
	/* Only an overlap reads as an earlier instant. */
	CHECK(back <= ms);
}

static void
check_instant_ms(int64_t ms)
{
	char buf[SP_INSTANT_LEN];
	int64_t back;

	sp_fmt_instant(ms, buf);
	CHECK(strlen(buf) < SP_INSTANT_LEN);
	if (ms < MIN_MS || ms > MAX_MS)
		return;
	CHECK(sp_parse_instant(buf, NULL, &back) == 0 && back == ms);
	CHECK(sp_parse_instant(buf, NY, &back) == 0 && back == ms);
}

static void
check_instant(const char *s, const char *tz)
{
	int64_t ms;

	if (sp_parse_instant(s, tz, &ms) == -1)
		return;
	/* Years 0001-9999, give or take a day of offset. */
	CHECK(ms >= MIN_MS - 86400000LL && ms <= MAX_MS + 86400000LL);
	check_instant_ms(ms);
	check_local(ms, NULL);
	check_local(ms, NY);
	check_week(ms, NULL, 1);
	check_week(ms, NY, 1);
}

static void
check_date(const char *s)
{
	char buf[32];
	int64_t days, ms;
	int y, m, d, y2, m2, d2;

	if (sp_parse_date(s, &y, &m, &d) == -1)
		return;
	CHECK(y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
	days = sp_days_from_civil(y, m, d);
	sp_civil_from_days(days, &y2, &m2, &d2);
	CHECK(y2 == y && m2 == m && d2 == d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	CHECK(strcmp(buf, s) == 0);
	CHECK(sp_parse_instant(s, NULL, &ms) == 0 && ms == days * 86400000LL);
}

static void
check_tz(const char *s)
{
	struct sp_civil c;

	if (!sp_tz_valid(s))
		return;
	CHECK(sp_civil(0, s, &c) == 0);
	CHECK(sp_civil(1700000000000LL, s, &c) == 0);
	check_week(1700000000000LL, s, 0);
	check_local(1700000000000LL, s);
}

/* Raw bytes as numbers: the formatters take any int64_t and double. */
static void
check_numbers(const uint8_t *data, size_t size)
{
	char buf[SP_INSTANT_LEN];
	struct sp_civil c;
	int64_t v;
	double d;
	int y, w;

	if (size < sizeof(v))
		return;
	memcpy(&v, data, sizeof(v));
	memcpy(&d, data, sizeof(d));
	sp_fmt_duration(d, buf);
	CHECK(strlen(buf) < SP_DURATION_LEN);
	check_instant_ms(v);
	CHECK(sp_civil(v, NULL, &c) == 0);
	(void)sp_civil(v, NY, &c);
	sp_fmt_week(v, buf);
	CHECK(strlen(buf) < SP_WEEK_LEN);
	sp_week_label(v, &y, &w);
	CHECK(w >= 1 && w <= 53);
	(void)sp_week_start(v, NULL);
	(void)sp_week_start(v, NY);
	(void)sp_week_index(v, NY);
	sp_civil_from_days(v, &y, &w, &w);
	(void)sp_days_from_civil((int)v, (int)(v >> 32), (int)(v >> 16));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tz;
	char *s, *tzcopy = NULL;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	/* The library must hand TZ back as it found it. */
	if ((tz = getenv("TZ")) != NULL && (tzcopy = strdup(tz)) == NULL) {
		free(s);
		return 0;
	}

	check_duration(s);
	check_instant(s, NULL);
	check_instant(s, NY);
	check_date(s);
	check_tz(s);
	check_numbers(data, size);

	tz = getenv("TZ");
	CHECK((tz == NULL) == (tzcopy == NULL));
	CHECK(tz == NULL || strcmp(tz, tzcopy) == 0);
	free(tzcopy);
	free(s);
	return 0;
}
