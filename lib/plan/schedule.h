/* schedule: the schedule calendar (iCalendar over libical), locked store. */
#ifndef SP_SCHEDULE_H
#define SP_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <libical/ical.h>

/*
 * Functions return 0 on success, SP_SCHED_INVALID (-1) when the input is
 * wrong (a usage or format error: exit 2) and SP_SCHED_ENV (-2) when the
 * system failed (exit 3), with a one-line reason in err.  They never print.
 */
#define SP_SCHED_INVALID	(-1)
#define SP_SCHED_ENV		(-2)

/* The property that marks a hosted Space and carries its id. */
#define SP_SCHED_SPACE_PROP	"X-SPACES-SPACE-ID"

/*
 * An --every shorthand turned into an RRULE: "tue,thu 18:00", "weekly",
 * "daily", "every 2 weeks on mon", "every other day at 9:30", "weekdays".
 */
struct sp_every {
	char	rrule[96];	/* "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" */
	int	wdays;		/* BYDAY days: bit 0 Monday .. bit 6 Sunday */
	int	hour, min;	/* time of day, or -1 when none was given */
};
int	sp_every_parse(const char *spec, struct sp_every *e, char *err,
	    size_t n);

/*
 * The calendar path: SPACES_SCHEDULE, else the XDG default (new); NULL
 * when neither XDG_DATA_HOME nor HOME is an absolute path.
 */
char	*sp_sched_default_path(void);

/*
 * The system's time zone as a tzdata name (borrowed, static): TZ when it
 * names one (":Asia/Tokyo", "CST6CDT", or a path into a zoneinfo tree),
 * else /etc/localtime's link or /etc/timezone, else "UTC".  NULL when TZ
 * is set to what libical cannot map to a zone: a POSIX rule
 * ("EST5EDT,M3.2.0,M11.1.0") or an unknown name.
 */
const char *sp_sched_system_tz(void);

/* The longest event: 366 days, in seconds. */
#define SP_SCHED_MAX_DURATION	(366 * 86400)

/* 1 when libical and the system's tzdata both know the zone. */
int	sp_sched_tz_valid(const char *tz);

/*
 * Parse an iCalendar text of len bytes into a VCALENDAR (*cal new).  A
 * text libical cannot take fails with where it went wrong ("line 12:
 * ...", "VEVENT 3 (uid x): ...").  An empty text is an empty calendar.
 */
int	sp_sched_parse(const char *text, size_t len, icalcomponent **cal,
	    char *err, size_t n);

/* A new empty VCALENDAR with VERSION and PRODID. */
icalcomponent *sp_sched_new_calendar(void);

/*
 * The calendar file.  sp_sched_open reads path (a missing file is an empty
 * calendar); with lock, it first takes an exclusive flock on "path.lock"
 * (made with the directory when missing), held until sp_sched_close, so a
 * read-modify-write cycle loses nothing to a concurrent writer.
 */
struct sp_sched {
	icalcomponent	*cal;		/* owned */
	char		*path;		/* owned */
	int		 lockfd;	/* -1 when not locked */
};
int	sp_sched_open(struct sp_sched *s, const char *path, int lock,
	    char *err, size_t n);
/* Write the calendar beside the file and rename it into place. */
int	sp_sched_save(struct sp_sched *s, char *err, size_t n);
/* Release the lock and the calendar. */
void	sp_sched_close(struct sp_sched *s);

/* The calendar as text (new). */
char	*sp_sched_text(icalcomponent *cal);

/* What to add: a planned show or a hosted Space. */
struct sp_event_spec {
	const char	*title;		/* SUMMARY */
	const char	*tz;		/* IANA zone of DTSTART; NULL: UTC */
	int64_t		 start;		/* ms */
	double		 duration;	/* seconds */
	const char	*rrule;		/* NULL: a single event */
	int64_t		 until;		/* ms, or INT64_MIN for none */
	int		 count;		/* 0 for none */
	const char	*space_id;	/* a hosted Space, or NULL */
	const char	*uid;		/* NULL: made up */
};
/*
 * Add an event with its VTIMEZONE; the uid is put in uid (n bytes).  An
 * RRULE whose BYDAY misses DTSTART's day has its start moved to the first
 * day it names, so every reader agrees on the first occurrence.
 */
int	sp_sched_add(icalcomponent *cal, const struct sp_event_spec *e,
	    char *uid, size_t uidn, char *err, size_t n);

/* The number of VEVENTs with this uid removed. */
int	sp_sched_remove(icalcomponent *cal, const char *uid);

/* The ids of the hosted Spaces, as the keys of an object (new). */
json_t	*sp_sched_space_ids(icalcomponent *cal);

/* The VEVENT of a hosted Space (borrowed), or NULL. */
icalcomponent *sp_sched_find_space(icalcomponent *cal, const char *id);

/*
 * Add an EXDATE for the occurrence of series uid that falls on date (a
 * "YYYY-MM-DD" day in the event's zone) or starts at that instant.
 */
int	sp_sched_skip(icalcomponent *cal, const char *uid, const char *date,
	    char *err, size_t n);

/*
 * Merge the VEVENTs and VTIMEZONEs of from into cal: an event replaces
 * the events of cal with its uid.  Returns the number of events taken.
 */
int	sp_sched_merge(icalcomponent *cal, icalcomponent *from);

/* One occurrence; the strings are borrowed from the calendar. */
struct sp_occ {
	int64_t		 start, end;	/* ms */
	const char	*uid, *title;
	const char	*tz;		/* the event's zone; "UTC" */
	const char	*space_id;	/* hosted Space, or NULL */
	int		 series;	/* from an RRULE */
};
/*
 * The occurrences starting in [from, to), sorted by start, EXDATEs and
 * RECURRENCE-ID overrides honoured (*v new, free it).  Floating times are
 * taken in floating_tz.  A series is expanded at most SP_SCHED_MAX_EXPAND
 * times: returns the number of series cut there.
 */
#define SP_SCHED_MAX_EXPAND	100000
int	sp_sched_expand(icalcomponent *cal, int64_t from, int64_t to,
	    const char *floating_tz, struct sp_occ **v, size_t *nv);

/*
 * Is hour:min on the local day of ms in tz a wall-clock time that calendar
 * apps disagree on?  ms is the instant stored for it.  0 when it happens
 * once; SP_SCHED_GAP when it does not happen (the clocks go forward over
 * it; RFC 5545 takes the offset before the gap, so ms shows at another
 * time); SP_SCHED_OVERLAP when it happens twice (ms is the first).
 */
#define SP_SCHED_GAP		1
#define SP_SCHED_OVERLAP	2
int	sp_sched_wall(int64_t ms, const char *tz, int hour, int min);

/* The NDJSON occurrence record of o (new). */
json_t	*sp_occ_record(const struct sp_occ *o);

#endif
