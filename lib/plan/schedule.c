/* schedule: the schedule calendar (iCalendar over libical), locked store. */
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "io.h"
#include "schedule.h"
#include "strnum.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

#ifndef SP_VERSION
#define SP_VERSION "0"	/* the fuzz build does not say */
#endif

#define MAX_EXPAND	SP_SCHED_MAX_EXPAND
#define MAX_FILE	(64L << 20)

static const char *const daynames[7] = { "MO", "TU", "WE", "TH", "FR",
    "SA", "SU" };

/* libical: never abort on a bad value, and plain IANA names as TZIDs. */
static void
ical_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	icalerror_set_errors_are_fatal(0);
	icaltimezone_set_tzid_prefix("");
}

/* --every */

/* A day name ("tue", "tuesday") as 0..6 from Monday, or -1. */
static int
day_of(const char *s, size_t len)
{
	static const char *const full[7] = { "monday", "tuesday",
	    "wednesday", "thursday", "friday", "saturday", "sunday" };
	int i;

	if (len < 2)
		return -1;
	for (i = 0; i < 7; i++)
		if (len <= strlen(full[i]) && strncmp(s, full[i], len) == 0)
			return i;
	return -1;
}

/* "tue,thu" or "mon-fri" as a day mask, or -1. */
static int
daylist(const char *s)
{
	int mask = 0, a, b, d;
	const char *p = s, *e, *dash;

	if (*s == '\0')
		return -1;
	while (*p) {
		e = p + strcspn(p, ",");
		dash = memchr(p, '-', (size_t)(e - p));
		if (dash) {
			if ((a = day_of(p, (size_t)(dash - p))) < 0 ||
			    (b = day_of(dash + 1, (size_t)(e - dash - 1))) < 0)
				return -1;
			for (d = a;; d = (d + 1) % 7) {
				mask |= 1 << d;
				if (d == b)
					break;
			}
		} else {
			if ((a = day_of(p, (size_t)(e - p))) < 0)
				return -1;
			mask |= 1 << a;
		}
		p = *e ? e + 1 : e;
		if (*e && *p == '\0')
			return -1;
	}
	return mask;
}

/* "18:00", "9:30" as hour and minute; -1 when it is not a time. */
static int
timeofday(const char *s, int *h, int *m)
{
	if (!isdigit((unsigned char)s[0]))
		return -1;
	*h = s[0] - '0';
	s++;
	if (isdigit((unsigned char)*s))
		*h = *h * 10 + *s++ - '0';
	if (*s++ != ':' || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != '\0')
		return -1;
	*m = (s[0] - '0') * 10 + s[1] - '0';
	return *h < 24 && *m < 60 ? 0 : -1;
}

int
sp_every_parse(const char *spec, struct sp_every *e, char *err, size_t n)
{
	static const char *const freqs[3] = { "DAILY", "WEEKLY", "MONTHLY" };
	char buf[128], *tok, *save = NULL, *end;
	const char *errstr;
	int freq = -1, interval = 1, mask = 0, d = 0, i, h, m, every = 0;
	long long v;
	size_t len, k;

	memset(e, 0, sizeof(*e));
	e->hour = e->min = -1;
	if (strlen(spec) >= sizeof(buf))
		return sp_fail(err, n, "too long");
	for (k = 0; spec[k]; k++)
		buf[k] = (char)tolower((unsigned char)spec[k]);
	buf[k] = '\0';
	for (tok = strtok_r(buf, " \t", &save); tok;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (strcmp(tok, "every") == 0) {
			if (every++ || freq >= 0)
				return sp_fail(err, n, "'every' given twice");
			if ((tok = strtok_r(NULL, " \t", &save)) == NULL)
				return sp_fail(err, n, "'every' what?");
			if (strcmp(tok, "other") == 0)
				interval = 2;
			else if (sp_strtoll(tok, 1, 1000, &v, &errstr) == 0)
				interval = (int)v;
			else
				goto unit;
			if ((tok = strtok_r(NULL, " \t", &save)) == NULL)
				return sp_fail(err, n, "'every %d' what?",
				    interval);
unit:
			len = strlen(tok);
			if (len > 1 && tok[len - 1] == 's')
				tok[--len] = '\0';
			if (strcmp(tok, "day") == 0)
				freq = 0;
			else if (strcmp(tok, "week") == 0)
				freq = 1;
			else if (strcmp(tok, "month") == 0)
				freq = 2;
			else if (interval == 1 && (d = daylist(tok)) > 0) {
				freq = 1;
				if (mask & d)
					return sp_fail(err, n, "days given "
					    "twice");
				mask |= d;
			} else
				return sp_fail(err, n, "'%s': not day, week, "
				    "month or a day", tok);
		} else if (strcmp(tok, "daily") == 0 ||
		    strcmp(tok, "weekly") == 0 || strcmp(tok, "monthly") == 0) {
			if (freq >= 0)
				return sp_fail(err, n, "'%s': the frequency "
				    "is already given", tok);
			freq = tok[0] == 'd' ? 0 : tok[0] == 'w' ? 1 : 2;
		} else if (strcmp(tok, "on") == 0 || strcmp(tok, "at") == 0) {
			end = tok;
			if ((tok = strtok_r(NULL, " \t", &save)) == NULL)
				return sp_fail(err, n, "'%s' what?", end);
			if (*end == 'o' ? (d = daylist(tok)) < 0 :
			    timeofday(tok, &h, &m) != 0)
				return sp_fail(err, n, "'%s %s': not %s",
				    end, tok, *end == 'o' ? "a day" :
				    "a time (18:00)");
			if (*end == 'o') {
				if (mask)
					return sp_fail(err, n, "days given "
					    "twice");
				mask = d;
			} else {
				if (e->hour >= 0)
					return sp_fail(err, n, "two times");
				e->hour = h;
				e->min = m;
			}
		} else if (timeofday(tok, &h, &m) == 0) {
			if (e->hour >= 0)
				return sp_fail(err, n, "two times");
			e->hour = h;
			e->min = m;
		} else if (strcmp(tok, "weekdays") == 0 ||
		    strcmp(tok, "weekends") == 0 || (d = daylist(tok)) > 0) {
			if (strcmp(tok, "weekdays") == 0)
				d = 0x1f;
			else if (strcmp(tok, "weekends") == 0)
				d = 0x60;
			if (mask)
				return sp_fail(err, n, "days given twice");
			mask = d;
		} else
			return sp_fail(err, n, "'%s': not a frequency, a day "
			    "or a time", tok);
	}
	if (freq < 0 && mask == 0)
		return sp_fail(err, n, "no frequency (daily, weekly, a day)");
	if (freq < 0)
		freq = 1;
	if (mask && freq != 1)
		return sp_fail(err, n, "days go with a weekly frequency");
	e->wdays = mask;
	len = (size_t)snprintf(e->rrule, sizeof(e->rrule), "FREQ=%s",
	    freqs[freq]);
	if (interval > 1)
		len += (size_t)snprintf(e->rrule + len, sizeof(e->rrule) - len,
		    ";INTERVAL=%d", interval);
	for (i = 0, d = 0; i < 7; i++)
		if (mask & (1 << i))
			len += (size_t)snprintf(e->rrule + len,
			    sizeof(e->rrule) - len, "%s%s", d++ ? "," :
			    ";BYDAY=", daynames[i]);
	return 0;
}

/* paths and zones */

char *
sp_sched_default_path(void)
{
	const char *s = getenv("SPACES_SCHEDULE"), *x, *home;

	if (s && *s)
		return sp_xstrdup(s);
	if ((x = getenv("XDG_DATA_HOME")) && *x == '/')
		return sp_xasprintf("%s/spaces/schedule.ics", x);
	/* Never the current directory: a cron job's is anybody's guess. */
	if ((home = getenv("HOME")) == NULL || *home != '/')
		return NULL;
	return sp_xasprintf("%s/.local/share/spaces/schedule.ics", home);
}

const char *
sp_sched_system_tz(void)
{
	static char buf[PATH_MAX];
	const char *z;
	FILE *fp;
	size_t len;

	switch (sp_tz_env(&z)) {
	case 1:
		/* A zone libical lacks cannot go in a calendar either. */
		return sp_sched_tz_valid(z) ? z : NULL;
	case -1:
		return NULL;
	}
	if ((z = sp_tz_of_file("/etc/localtime", buf, sizeof(buf))) != NULL &&
	    sp_sched_tz_valid(z))
		return z;
	/* Debian's name for a copied /etc/localtime. */
	if ((fp = fopen("/etc/timezone", "r")) != NULL) {
		if (fgets(buf, sizeof(buf), fp) != NULL) {
			len = strcspn(buf, " \t\r\n");
			buf[len] = '\0';
			if (sp_sched_tz_valid(buf)) {
				fclose(fp);
				return buf;
			}
		}
		fclose(fp);
	}
	return "UTC";
}

static int
is_utc(const char *tz)
{
	return tz == NULL || strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") ==
	    0 || strcmp(tz, "Z") == 0;
}

int
sp_sched_tz_valid(const char *tz)
{
	ical_init();
	if (is_utc(tz))
		return 1;
	/* Names without a '/' too: CST6CDT, EST, Japan are tzdata's. */
	if (strstr(tz, "..") || *tz == '/')
		return 0;
	return sp_tz_valid(tz) && icaltimezone_get_builtin_timezone(tz);
}

/* parsing */

/*
 * Check the shape libical is lenient about, so a broken file is named by
 * line: content lines have a name and a colon, BEGIN and END nest.
 */
static int
check_lines(const char *text, size_t len, char *err, size_t n)
{
	char stack[16][32], lb[256];
	size_t depth = 0, lineno = 0, first, begun[16], i, ll, bl;
	const char *p = text, *end = text + len, *e, *colon;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		/* One logical line, unfolded, its first 255 bytes in lb. */
		first = ++lineno;
		bl = 0;
		for (;;) {
			e = memchr(p, '\n', (size_t)(end - p));
			ll = (size_t)((e ? e : end) - p);
			if (ll && p[ll - 1] == '\r')
				ll--;
			if (bl) {	/* a continuation: drop its blank */
				p++;
				ll = ll ? ll - 1 : 0;
			}
			i = ll < sizeof(lb) - 1 - bl ? ll : sizeof(lb) - 1 - bl;
			memcpy(lb + bl, p, i);
			bl += i;
			p = e ? e + 1 : end;
			if (p >= end || (*p != ' ' && *p != '\t'))
				break;
			lineno++;
			if (bl == 0)
				return sp_fail(err, n, "line %zu: a folded "
				    "line with nothing to fold onto", lineno);
		}
		lb[bl] = '\0';
		if (bl == 0)
			continue;
		if (lb[0] == ' ' || lb[0] == '\t')
			return sp_fail(err, n, "line %zu: a folded line with "
			    "nothing to fold onto", first);
		if ((colon = strchr(lb, ':')) == NULL) {
			if (bl == sizeof(lb) - 1)
				continue;	/* a very long name: libical */
			return sp_fail(err, n, "line %zu: not a content line "
			    "(no ':')", first);
		}
		for (i = 0; lb + i < colon && lb[i] != ';'; i++)
			if (!isalnum((unsigned char)lb[i]) && lb[i] != '-')
				return sp_fail(err, n, "line %zu: bad property "
				    "name", first);
		if (i == 0)
			return sp_fail(err, n, "line %zu: no property name",
			    first);
		ll = strlen(colon + 1);
		if (i == 5 && strncasecmp(lb, "BEGIN", 5) == 0) {
			if (depth == 16 || ll == 0 || ll >= 32)
				return sp_fail(err, n, "line %zu: bad BEGIN",
				    first);
			if (depth == 0 && strcasecmp(colon + 1, "VCALENDAR"))
				return sp_fail(err, n, "line %zu: not a "
				    "VCALENDAR", first);
			memcpy(stack[depth], colon + 1, ll + 1);
			begun[depth++] = first;
		} else if (i == 3 && strncasecmp(lb, "END", 3) == 0) {
			if (depth == 0 || strcasecmp(stack[depth - 1],
			    colon + 1) != 0)
				return sp_fail(err, n, "line %zu: END:%.32s "
				    "does not close %s%s", first, colon + 1,
				    depth ? "BEGIN:" : "anything", depth ?
				    stack[depth - 1] : "");
			depth--;
		} else if (depth == 0)
			return sp_fail(err, n, "line %zu: outside "
			    "BEGIN:VCALENDAR", first);
	}
	if (depth)
		return sp_fail(err, n, "line %zu: the file ends inside %s "
		    "begun at line %zu", lineno, stack[depth - 1],
		    begun[depth - 1]);
	return 0;
}

/* The first X-LIC-ERROR libical left in c or its children, or NULL. */
static icalproperty *
first_error(icalcomponent *c)
{
	icalcomponent *k;
	icalproperty *p;

	if ((p = icalcomponent_get_first_property(c,
	    ICAL_XLICERROR_PROPERTY)) != NULL)
		return p;
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    k; k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		if ((p = first_error(k)) != NULL)
			return p;
	return NULL;
}

icalcomponent *
sp_sched_new_calendar(void)
{
	ical_init();
	return icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
	    icalproperty_new_version("2.0"),
	    icalproperty_new_prodid("-//spaces//spaces-schedule " SP_VERSION
	    "//EN"), (void *)0);
}

int
sp_sched_parse(const char *text, size_t len, icalcomponent **cal, char *err,
    size_t n)
{
	icalcomponent *c, *k, *parent;
	icalproperty *p;
	const char *uid;
	char *s;
	size_t i, nth;

	ical_init();
	*cal = NULL;
	for (i = 0; i < len && isspace((unsigned char)text[i]); i++)
		;
	if (i == len) {
		*cal = sp_sched_new_calendar();
		return 0;
	}
	if (memchr(text, '\0', len))
		return sp_fail(err, n, "a NUL byte at byte %zu",
		    (size_t)((const char *)memchr(text, '\0', len) - text));
	if (check_lines(text, len, err, n) != 0)
		return SP_SCHED_INVALID;
	s = sp_xstrndup(text, len);
	c = icalparser_parse_string(s);
	free(s);
	if (c == NULL || icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT) {
		if (c)
			icalcomponent_free(c);
		return sp_fail(err, n, "not one VCALENDAR");
	}
	if ((p = first_error(c)) != NULL) {
		parent = icalproperty_get_parent(p);
		/* Say which component: its kind, its place, its uid. */
		nth = 0;
		if (parent != c)
			for (k = icalcomponent_get_first_component(c,
			    icalcomponent_isa(parent)); k; k =
			    icalcomponent_get_next_component(c,
			    icalcomponent_isa(parent))) {
				nth++;
				if (k == parent)
					break;
			}
		uid = parent ? icalcomponent_get_uid(parent) : NULL;
		if (parent == c || parent == NULL || nth == 0)
			sp_fail(err, n, "%s: %s", parent ?
			    icalcomponent_kind_to_string(icalcomponent_isa(
			    parent)) : "VCALENDAR", icalproperty_get_xlicerror(p));
		else
			sp_fail(err, n, "%s %zu%s%s%s: %s",
			    icalcomponent_kind_to_string(icalcomponent_isa(
			    parent)), nth, uid ? " (uid " : "", uid ? uid : "",
			    uid ? ")" : "", icalproperty_get_xlicerror(p));
		icalcomponent_free(c);
		return SP_SCHED_INVALID;
	}
	*cal = c;
	return 0;
}

char *
sp_sched_text(icalcomponent *cal)
{
	return icalcomponent_as_ical_string_r(cal);
}

/* the store */

/* Read all of path (new, NUL-terminated); -1 and errno. */
static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, got = 0;
	ssize_t r;
	int fd, e;

	/* O_NONBLOCK: a FIFO must not hang the open. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return NULL;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return NULL;
	}
	for (;;) {
		if (got + 1 >= cap) {
			if (cap >= (size_t)MAX_FILE) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return NULL;
			}
			buf = sp_xrealloc(buf, cap = cap ? cap * 2 : 65536);
		}
		if ((r = read(fd, buf + got, cap - got - 1)) < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

/* The directory part of path (new): "." when none. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return sp_xstrdup(".");
	if (slash == path)
		return sp_xstrdup("/");
	return sp_xstrndup(path, (size_t)(slash - path));
}

/*
 * Where path leads when it is a symbolic link, however many (new): the
 * target of a dangling link is where the calendar will be made.  NULL and
 * errno (ELOOP) when the links go round.
 */
static char *
link_target(const char *path)
{
	char buf[PATH_MAX], *cur = sp_xstrdup(path), *dir, *next;
	ssize_t len;
	int hops;

	for (hops = 0; hops < 40; hops++) {
		if ((len = readlink(cur, buf, sizeof(buf) - 1)) < 0)
			return cur;	/* not a link (or not there) */
		buf[len] = '\0';
		if (buf[0] == '/' || strchr(cur, '/') == NULL)
			next = sp_xstrdup(buf);
		else {
			dir = dir_of(cur);
			next = sp_xasprintf("%s/%s", dir, buf);
			free(dir);
		}
		free(cur);
		cur = next;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

int
sp_sched_open(struct sp_sched *s, const char *path, int lock, char *err,
    size_t n)
{
	char *text, *dir, *lockpath, why[300];
	struct stat st;
	size_t len = 0;
	int rv;

	ical_init();
	memset(s, 0, sizeof(*s));
	s->lockfd = -1;
	/*
	 * A calendar that is a symbolic link (into a synced folder, say)
	 * stays one: the file written is the one it points to, as editors
	 * do, and the lock is taken there.
	 */
	if ((s->path = link_target(path)) == NULL) {
		sp_fail(err, n, "'%s': %s", path, strerror(errno));
		goto env;
	}
	path = s->path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		sp_fail(err, n, "'%s': %s, not a calendar file", path,
		    S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
		sp_sched_close(s);
		return SP_SCHED_INVALID;
	}
	if (lock) {
		dir = dir_of(path);
		if (sp_mkdirs(dir) != 0) {
			sp_fail(err, n, "cannot make '%s': %s", dir,
			    strerror(errno));
			free(dir);
			goto env;
		}
		free(dir);
		lockpath = sp_xasprintf("%s.lock", path);
		s->lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (s->lockfd == -1 || flock(s->lockfd, LOCK_EX) == -1) {
			sp_fail(err, n, "cannot lock '%s': %s", lockpath,
			    strerror(errno));
			free(lockpath);
			goto env;
		}
		free(lockpath);
	}
	if ((text = slurp(path, &len)) == NULL) {
		if (errno != ENOENT) {
			sp_fail(err, n, "cannot read '%s': %s", path,
			    strerror(errno));
			goto env;
		}
		s->cal = sp_sched_new_calendar();
		return 0;
	}
	rv = sp_sched_parse(text, len, &s->cal, why, sizeof(why));
	free(text);
	if (rv != 0) {
		sp_fail(err, n, "'%s': %s", path, why);
		sp_sched_close(s);
		return SP_SCHED_INVALID;
	}
	return 0;
env:
	sp_sched_close(s);
	return SP_SCHED_ENV;
}

int
sp_sched_save(struct sp_sched *s, char *err, size_t n)
{
	struct sp_atomic a;
	char *text;
	size_t len;
	int bad;

	if (sp_atomic_open(&a, s->path, 1) != 0)
		return sp_fail(err, n, "cannot write beside '%s': %s",
		    s->path, strerror(errno)), SP_SCHED_ENV;
	text = sp_sched_text(s->cal);
	len = strlen(text);
	bad = fwrite(text, 1, len, a.fp) != len;
	free(text);
	if (bad || sp_atomic_commit(&a) != 0) {
		sp_fail(err, n, "cannot write '%s': %s", s->path,
		    strerror(errno));
		sp_atomic_abort(&a);
		free(a.path);
		free(a.tmp);
		return SP_SCHED_ENV;
	}
	free(a.path);
	free(a.tmp);
	return 0;
}

void
sp_sched_close(struct sp_sched *s)
{
	if (s->cal)
		icalcomponent_free(s->cal);
	if (s->lockfd != -1)
		close(s->lockfd);	/* and with it the lock */
	free(s->path);
	memset(s, 0, sizeof(*s));
	s->lockfd = -1;
}

/* events */

static icaltimezone *
zone_of(const char *tz)
{
	if (is_utc(tz))
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(tz);
}

/* The civil time of ms in tz, as libical's, with the zone set. */
static struct icaltimetype
ical_time(int64_t ms, const char *tz)
{
	struct icaltimetype t = icaltime_null_time();
	struct sp_civil c;

	sp_civil(ms, is_utc(tz) ? NULL : tz, &c);
	t.year = c.year;
	t.month = c.month;
	t.day = c.day;
	t.hour = c.hour;
	t.minute = c.min;
	t.second = c.sec;
	t.is_date = 0;
	t.zone = zone_of(tz);
	return t;
}

/* Add the VTIMEZONE of zone unless cal has one with its TZID. */
static void
add_vtimezone(icalcomponent *cal, icaltimezone *zone, const char *name)
{
	icalcomponent *vtz;
	icalproperty *p;

	if (zone == icaltimezone_get_utc_timezone() ||
	    icalcomponent_get_timezone(cal, name) != NULL)
		return;
	if ((vtz = icaltimezone_get_component(zone)) == NULL)
		return;
	/* Plain IANA names, which every reader also knows without it. */
	vtz = icalcomponent_new_clone(vtz);
	if ((p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)))
		icalproperty_set_tzid(p, name);
	icalcomponent_add_component(cal, vtz);
}

/* Does a BYDAY array name day d (0 Monday .. 6 Sunday)? */
static int
has_day(const short *by_day, int d)
{
	int i, want = d == 6 ? ICAL_SUNDAY_WEEKDAY : d + 2;

	for (i = 0; i < ICAL_BY_DAY_SIZE &&
	    by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if ((int)icalrecurrencetype_day_day_of_week(by_day[i]) == want)
			return 1;
	return 0;
}

/* The same wall-clock time days later in tz. */
static int64_t
shift_days(int64_t ms, const char *tz, int days)
{
	struct sp_civil c;
	char buf[40];
	int y, m, d;
	int64_t out;

	tz = is_utc(tz) ? NULL : tz;
	sp_civil(ms, tz, &c);
	sp_civil_from_days(sp_days_from_civil(c.year, c.month, c.day) + days,
	    &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
	    c.hour, c.min, c.sec);
	if (sp_parse_instant(buf, tz, &out) != 0)
		return ms + (int64_t)days * 86400000;
	return out;
}

static void
add_x(icalcomponent *ev, const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);

	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(ev, p);
}

/* The value of x-property name of ev (borrowed), or NULL. */
static const char *
get_x(icalcomponent *ev, const char *name)
{
	icalproperty *p;
	const char *xn;

	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY); p;
	    p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY))
		if ((xn = icalproperty_get_x_name(p)) != NULL &&
		    strcasecmp(xn, name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

static void
make_uid(char *uid, size_t n, int64_t start)
{
	unsigned char r[8];
	char when[SP_INSTANT_LEN];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		for (i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(rand() ^ getpid() ^ (int)i);
	sp_fmt_instant(start, when);
	snprintf(uid, n, "%.4s%.2s%.2s-%02x%02x%02x%02x%02x%02x%02x%02x"
	    "@spaces", when, when + 5, when + 8, r[0], r[1], r[2], r[3], r[4],
	    r[5], r[6], r[7]);
}

int
sp_sched_add(icalcomponent *cal, const struct sp_event_spec *e, char *uid,
    size_t uidn, char *err, size_t n)
{
	struct icalrecurrencetype rt;
	struct icaltimetype t;
	struct sp_civil c;
	icalcomponent *ev;
	icalproperty *p;
	icaltimezone *zone;
	char *rule;
	int64_t start = e->start;
	int d, i;

	ical_init();
	if ((zone = zone_of(e->tz)) == NULL)
		return sp_fail(err, n, "unknown time zone '%s'", e->tz);
	if (!(e->duration >= 0 && e->duration <= SP_SCHED_MAX_DURATION))
		return sp_fail(err, n, "a duration of %.0f s: not between 0 "
		    "and 366 days", e->duration);
	if (e->rrule) {
		rule = e->count > 0 ? sp_xasprintf("%s;COUNT=%d", e->rrule,
		    e->count) : sp_xstrdup(e->rrule);
		rt = icalrecurrencetype_from_string(rule);
		free(rule);
		if (rt.freq == ICAL_NO_RECURRENCE)
			return sp_fail(err, n, "'%s': not an RRULE", e->rrule);
		if (e->until != INT64_MIN) {
			rt.until = ical_time(e->until, "UTC");
			if (e->count > 0 || rt.count > 0)
				return sp_fail(err, n, "an RRULE has UNTIL or "
				    "COUNT, not both");
		}
		/* Move the start to the first day BYDAY names. */
		if (rt.freq == ICAL_WEEKLY_RECURRENCE &&
		    rt.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX) {
			sp_civil(start, is_utc(e->tz) ? NULL : e->tz, &c);
			for (i = 0; i < 7; i++) {
				d = (c.wday - 1 + i) % 7;
				if (has_day(rt.by_day, d))
					break;
			}
			/* Civil arithmetic: same wall clock i days on. */
			if (i > 0 && i < 7)
				start = shift_days(start, e->tz, i);
		}
	}
	ev = icalcomponent_new_vevent();
	if (e->uid) {
		if (e->uid != uid)
			snprintf(uid, uidn, "%s", e->uid);
	}
	else
		make_uid(uid, uidn, start);
	icalcomponent_set_uid(ev, uid);
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(
	    icaltime_current_time_with_zone(icaltimezone_get_utc_timezone())));
	t = ical_time(start, e->tz);
	t.zone = is_utc(e->tz) ? t.zone : NULL;
	p = icalproperty_new_dtstart(t);
	if (!is_utc(e->tz))
		icalproperty_add_parameter(p, icalparameter_new_tzid(e->tz));
	icalcomponent_add_property(ev, p);
	icalcomponent_add_property(ev, icalproperty_new_duration(
	    icaldurationtype_from_int((int)e->duration)));
	if (e->title)
		icalcomponent_set_summary(ev, e->title);
	if (e->rrule)
		icalcomponent_add_property(ev, icalproperty_new_rrule(rt));
	if (e->space_id)
		add_x(ev, SP_SCHED_SPACE_PROP, e->space_id);
	add_vtimezone(cal, zone, e->tz);
	icalcomponent_add_component(cal, ev);
	return 0;
}

/* Every VEVENT of cal with this uid (new array, *nv of them). */
static icalcomponent **
events_with_uid(icalcomponent *cal, const char *uid, size_t *nv)
{
	icalcomponent **v = NULL, *ev;
	const char *u;
	size_t n = 0;

	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    cal, ICAL_VEVENT_COMPONENT))
		if ((u = icalcomponent_get_uid(ev)) != NULL &&
		    strcmp(u, uid) == 0) {
			v = sp_xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = ev;
		}
	*nv = n;
	return v;
}

int
sp_sched_remove(icalcomponent *cal, const char *uid)
{
	icalcomponent **v;
	size_t i, n;

	v = events_with_uid(cal, uid, &n);
	for (i = 0; i < n; i++) {
		icalcomponent_remove_component(cal, v[i]);
		icalcomponent_free(v[i]);
	}
	free(v);
	return (int)n;
}

json_t *
sp_sched_space_ids(icalcomponent *cal)
{
	icalcomponent *ev;
	json_t *ids = json_object();
	const char *x;

	if (ids == NULL)
		sp_errx(SP_EXIT_ENV, "out of memory");
	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    cal, ICAL_VEVENT_COMPONENT))
		if ((x = get_x(ev, SP_SCHED_SPACE_PROP)) != NULL)
			json_object_set_new(ids, x, json_true());
	return ids;
}

icalcomponent *
sp_sched_find_space(icalcomponent *cal, const char *id)
{
	icalcomponent *ev;
	const char *x;

	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    cal, ICAL_VEVENT_COMPONENT))
		if ((x = get_x(ev, SP_SCHED_SPACE_PROP)) != NULL &&
		    strcmp(x, id) == 0)
			return ev;
	return NULL;
}

int
sp_sched_merge(icalcomponent *cal, icalcomponent *from)
{
	icalcomponent *ev, *vtz;
	icalproperty *p;
	const char *uid, *tzid;
	char made[128];
	int n = 0;

	/* Make up the uids first, so an event's overrides go with it. */
	for (ev = icalcomponent_get_first_component(from,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    from, ICAL_VEVENT_COMPONENT))
		if (icalcomponent_get_uid(ev) == NULL) {
			make_uid(made, sizeof(made), 0);
			icalcomponent_set_uid(ev, made);
		}
	for (ev = icalcomponent_get_first_component(from,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    from, ICAL_VEVENT_COMPONENT))
		sp_sched_remove(cal, icalcomponent_get_uid(ev));
	for (vtz = icalcomponent_get_first_component(from,
	    ICAL_VTIMEZONE_COMPONENT); vtz; vtz =
	    icalcomponent_get_next_component(from, ICAL_VTIMEZONE_COMPONENT)) {
		p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
		tzid = p ? icalproperty_get_tzid(p) : NULL;
		if (tzid && icalcomponent_get_timezone(cal, tzid) == NULL)
			icalcomponent_add_component(cal,
			    icalcomponent_new_clone(vtz));
	}
	for (ev = icalcomponent_get_first_component(from,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    from, ICAL_VEVENT_COMPONENT)) {
		uid = icalcomponent_get_uid(ev);
		(void)uid;
		icalcomponent_add_component(cal, icalcomponent_new_clone(ev));
		n++;
	}
	return n;
}

/* expansion */

/* A time property's zone: UTC, its TZID's, else the floating zone. */
static icaltimezone *
prop_zone(icalcomponent *ev, icalproperty *p, struct icaltimetype t,
    const char *floating_tz, const char **name)
{
	icalparameter *par;
	icalcomponent *cal = icalcomponent_get_parent(ev);
	icaltimezone *z = NULL;
	const char *tzid;

	if (icaltime_is_utc(t)) {
		*name = "UTC";
		return icaltimezone_get_utc_timezone();
	}
	par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	if (par && (tzid = icalparameter_get_tzid(par)) != NULL) {
		if (cal)
			z = icalcomponent_get_timezone(cal, tzid);
		if (z == NULL && sp_sched_tz_valid(tzid))
			z = zone_of(tzid);
		if (z) {
			*name = tzid;
			return z;
		}
	}
	*name = floating_tz;
	return zone_of(floating_tz) ? zone_of(floating_tz) :
	    icaltimezone_get_utc_timezone();
}

/* Does the civil time of u in z have t's wall clock? */
static int
same_wall(time_t u, icaltimezone *z, struct icaltimetype t)
{
	struct icaltimetype b = icaltime_from_timet_with_zone(u, 0, z);

	return b.year == t.year && b.month == t.month && b.day == t.day &&
	    b.hour == t.hour && b.minute == t.minute && b.second == t.second;
}

/*
 * The instant of t in z, as RFC 5545 3.3.5 says: a time that occurs twice
 * is the first one; a time in a gap takes the offset before the gap.
 * (libical takes the offset after, as python and dateutil do not.)
 */
static int64_t
ms_of(struct icaltimetype t, icaltimezone *z)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	struct icaltimetype b;
	time_t u, wall;

	t.zone = NULL;
	u = icaltime_as_timet_with_zone(t, z);
	if (z == NULL || z == utc || t.is_date)
		return (int64_t)u * 1000;
	if (same_wall(u, z, t)) {
		if (same_wall(u - 3600, z, t))
			u -= 3600;
		return (int64_t)u * 1000;
	}
	wall = icaltime_as_timet_with_zone(t, utc);
	b = icaltime_from_timet_with_zone(u - 21600, 0, z);
	b.zone = NULL;
	u = wall - (icaltime_as_timet_with_zone(b, utc) - (u - 21600));
	return (int64_t)u * 1000;
}

struct occs {
	struct sp_occ	*v;
	size_t		 n, cap;
};

static void
push(struct occs *o, const struct sp_occ *x)
{
	if (o->n == o->cap)
		o->v = sp_xreallocarray(o->v, o->cap = o->cap ? o->cap * 2 :
		    64, sizeof(*o->v));
	o->v[o->n++] = *x;
}

/* The instants of a list of date-time properties of ev (new). */
static int64_t *
prop_instants(icalcomponent *ev, icalproperty_kind kind,
    const char *floating_tz, size_t *nv)
{
	icalproperty *p;
	struct icaltimetype t;
	icaltimezone *z;
	const char *name;
	int64_t *v = NULL;
	size_t n = 0;

	for (p = icalcomponent_get_first_property(ev, kind); p;
	    p = icalcomponent_get_next_property(ev, kind)) {
		t = kind == ICAL_EXDATE_PROPERTY ? icalproperty_get_exdate(p) :
		    icalproperty_get_recurrenceid(p);
		if (icaltime_is_null_time(t))
			continue;
		z = prop_zone(ev, p, t, floating_tz, &name);
		v = sp_xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = ms_of(t, z);
	}
	*nv = n;
	return v;
}

static int
in_list(const int64_t *v, size_t n, int64_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Is there an override (RECURRENCE-ID) of uid at instant t? */
static int
overridden(icalcomponent *cal, const char *uid, int64_t t,
    const char *floating_tz)
{
	icalcomponent *ev;
	const char *u;
	int64_t *v;
	size_t n;
	int hit;

	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    cal, ICAL_VEVENT_COMPONENT)) {
		if ((u = icalcomponent_get_uid(ev)) == NULL ||
		    strcmp(u, uid) != 0)
			continue;
		v = prop_instants(ev, ICAL_RECURRENCEID_PROPERTY, floating_tz,
		    &n);
		hit = in_list(v, n, t);
		free(v);
		if (hit)
			return 1;
	}
	return 0;
}

/*
 * The occurrences of one VEVENT starting in [from, to); 1 when the series
 * went on beyond MAX_EXPAND occurrences and was cut there.
 */
static int
expand_event(icalcomponent *cal, icalcomponent *ev, int64_t from, int64_t to,
    const char *floating_tz, struct occs *out)
{
	icalproperty *dp, *p;
	struct icaltimetype t, r;
	struct icalrecurrencetype rt;
	icalrecur_iterator *it;
	icaltimezone *z;
	struct sp_occ o;
	int64_t dur, *ex = NULL, start, until;
	size_t nex = 0, k;
	int has_overrides = 0, cut = 0;
	icalcomponent *other;
	const char *u;

	if ((dp = icalcomponent_get_first_property(ev,
	    ICAL_DTSTART_PROPERTY)) == NULL)
		return 0;
	t = icalproperty_get_dtstart(dp);
	if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t))
		return 0;
	memset(&o, 0, sizeof(o));
	z = prop_zone(ev, dp, t, floating_tz, &o.tz);
	o.uid = icalcomponent_get_uid(ev);
	o.title = icalcomponent_get_summary(ev);
	o.space_id = get_x(ev, SP_SCHED_SPACE_PROP);
	start = ms_of(t, z);
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DURATION_PROPERTY)) != NULL)
		dur = (int64_t)icaldurationtype_as_int(
		    icalproperty_get_duration(p)) * 1000;
	else if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DTEND_PROPERTY)) != NULL) {
		r = icalproperty_get_dtend(p);
		dur = ms_of(r, prop_zone(ev, p, r, floating_tz, &u)) - start;
	} else
		dur = t.is_date ? 86400000 : 0;
	if (dur < 0)
		dur = 0;
	p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	if (p == NULL || icalcomponent_get_first_property(ev,
	    ICAL_RECURRENCEID_PROPERTY) != NULL) {
		o.series = icalcomponent_get_first_property(ev,
		    ICAL_RECURRENCEID_PROPERTY) != NULL;
		if (start >= from && start < to) {
			o.start = start;
			o.end = start + dur;
			push(out, &o);
		}
		return 0;
	}
	o.series = 1;
	rt = icalproperty_get_rrule(p);
	if (rt.freq == ICAL_NO_RECURRENCE)
		return 0;
	ex = prop_instants(ev, ICAL_EXDATE_PROPERTY, floating_tz, &nex);
	if (o.uid)
		for (other = icalcomponent_get_first_component(cal,
		    ICAL_VEVENT_COMPONENT); other && !has_overrides; other =
		    icalcomponent_get_next_component(cal,
		    ICAL_VEVENT_COMPONENT))
			has_overrides = other != ev &&
			    (u = icalcomponent_get_uid(other)) != NULL &&
			    strcmp(u, o.uid) == 0;
	/*
	 * libical's iterator misbehaves with some zones built from a
	 * VTIMEZONE: let it count wall-clock times and judge UNTIL here.
	 */
	until = INT64_MAX;
	if (!icaltime_is_null_time(rt.until)) {
		until = ms_of(rt.until, icaltime_is_utc(rt.until) ?
		    icaltimezone_get_utc_timezone() : z);
		if (rt.until.is_date)
			until += 86400000 - 1;
		rt.until = icaltime_null_time();
	}
	t.zone = NULL;
	if ((it = icalrecur_iterator_new(rt, t)) == NULL) {
		free(ex);
		return 0;
	}
	for (k = 0;; k++) {
		r = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(r))
			break;
		start = ms_of(r, z);
		if (start >= to || start > until)
			break;
		if (k == MAX_EXPAND) {
			cut = 1;
			break;
		}
		if (start < from || in_list(ex, nex, start))
			continue;
		if (has_overrides && overridden(cal, o.uid, start,
		    floating_tz))
			continue;
		o.start = start;
		o.end = start + dur;
		push(out, &o);
	}
	icalrecur_iterator_free(it);
	free(ex);
	return cut;
}

static int
occ_cmp(const void *a, const void *b)
{
	const struct sp_occ *x = a, *y = b;
	int c;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	c = strcmp(x->uid ? x->uid : "", y->uid ? y->uid : "");
	return c;
}

int
sp_sched_expand(icalcomponent *cal, int64_t from, int64_t to,
    const char *floating_tz, struct sp_occ **v, size_t *nv)
{
	struct occs out = { NULL, 0, 0 };
	icalcomponent **evs, *ev;
	size_t i, n = 0;
	int cut = 0;

	ical_init();
	/*
	 * An array, not the calendar's own iterator: expanding an event
	 * walks the calendar again, which would reset it.
	 */
	evs = NULL;
	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev; ev = icalcomponent_get_next_component(
	    cal, ICAL_VEVENT_COMPONENT)) {
		evs = sp_xreallocarray(evs, n + 1, sizeof(*evs));
		evs[n++] = ev;
	}
	for (i = 0; i < n; i++)
		cut += expand_event(cal, evs[i], from, to, floating_tz, &out);
	free(evs);
	if (out.n)
		qsort(out.v, out.n, sizeof(*out.v), occ_cmp);
	*v = out.v;
	*nv = out.n;
	return cut;
}

int
sp_sched_skip(icalcomponent *cal, const char *uid, const char *date,
    char *err, size_t n)
{
	struct occs out = { NULL, 0, 0 };
	struct sp_civil c;
	struct icaltimetype t;
	icalcomponent **evs, *ev = NULL;
	icalproperty *p;
	int64_t at, lo, hi;
	size_t i, nev;
	int y, m, d, isdate, found = -1;
	const char *zname;

	evs = events_with_uid(cal, uid, &nev);
	for (i = 0; i < nev; i++)
		if (icalcomponent_get_first_property(evs[i],
		    ICAL_RRULE_PROPERTY) && !icalcomponent_get_first_property(
		    evs[i], ICAL_RECURRENCEID_PROPERTY))
			ev = evs[i];
	free(evs);
	if (ev == NULL)
		return sp_fail(err, n, "'%s': no such series", uid);
	p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	t = p ? icalproperty_get_dtstart(p) : icaltime_null_time();
	prop_zone(ev, p, t, "UTC", &zname);
	zname = is_utc(zname) ? NULL : zname;
	isdate = sp_parse_date(date, &y, &m, &d) == 0;
	if (!isdate && sp_parse_instant(date, zname, &at) != 0)
		return sp_fail(err, n, "'%s': not a date or a time", date);
	if (isdate)
		sp_parse_instant(date, zname, &at);
	lo = at - 2 * 86400000LL;
	hi = at + 3 * 86400000LL;
	expand_event(cal, ev, lo, hi, "UTC", &out);
	for (i = 0; i < out.n && found < 0; i++) {
		if (!isdate) {
			if (out.v[i].start == at)
				found = (int)i;
			continue;
		}
		sp_civil(out.v[i].start, zname, &c);
		if (c.year == y && c.month == m && c.day == d)
			found = (int)i;
	}
	if (found < 0) {
		free(out.v);
		return sp_fail(err, n, "'%s': no occurrence of '%s' on %s",
		    date, uid, zname ? zname : "UTC");
	}
	at = out.v[found].start;
	free(out.v);
	t = ical_time(at, zname);
	t.zone = zname ? NULL : t.zone;
	p = icalproperty_new_exdate(t);
	if (zname)
		icalproperty_add_parameter(p, icalparameter_new_tzid(zname));
	icalcomponent_add_property(ev, p);
	return 0;
}

int
sp_sched_wall(int64_t ms, const char *tz, int hour, int min)
{
	struct sp_civil c, a, b;
	int64_t d;

	if (is_utc(tz) || sp_civil(ms, tz, &c) != 0)
		return 0;
	/* A wall time that does not exist was moved by the gap's width. */
	if (c.hour != hour || c.min != min)
		return SP_SCHED_GAP;
	/* Twice: the same wall clock again one offset change away. */
	if (sp_civil(ms - 43200000, tz, &a) != 0 ||
	    sp_civil(ms + 43200000, tz, &b) != 0 || a.utcoff == b.utcoff)
		return 0;
	d = (int64_t)(a.utcoff > b.utcoff ? a.utcoff - b.utcoff :
	    b.utcoff - a.utcoff) * 1000;
	if ((sp_civil(ms + d, tz, &a) == 0 && a.hour == hour &&
	    a.min == min && a.day == c.day) || (sp_civil(ms - d, tz, &b) ==
	    0 && b.hour == hour && b.min == min && b.day == c.day))
		return SP_SCHED_OVERLAP;
	return 0;
}

json_t *
sp_occ_record(const struct sp_occ *o)
{
	char a[SP_INSTANT_LEN], b[SP_INSTANT_LEN], local[32];
	struct sp_civil c;
	json_t *r = json_object();

	json_object_set_new(r, "type", json_string("occurrence"));
	if (o->uid)
		json_object_set_new(r, "uid", json_string(o->uid));
	if (o->title)
		json_object_set_new(r, "title", json_string(o->title));
	json_object_set_new(r, "start", json_string(sp_fmt_instant(o->start,
	    a)));
	json_object_set_new(r, "end", json_string(sp_fmt_instant(o->end, b)));
	json_object_set_new(r, "tz", json_string(o->tz ? o->tz : "UTC"));
	if (sp_civil(o->start, is_utc(o->tz) ? NULL : o->tz, &c) != 0)
		sp_civil(o->start, NULL, &c);
	snprintf(local, sizeof(local), "%04d-%02d-%02dT%02d:%02d:%02d",
	    c.year, c.month, c.day, c.hour, c.min, c.sec);
	json_object_set_new(r, "local", json_string(local));
	json_object_set_new(r, "series", json_boolean(o->series));
	if (o->space_id)
		json_object_set_new(r, "space_id", json_string(o->space_id));
	json_object_set_new(r, "source", json_string("schedule"));
	return r;
}
