/* speakers: who spoke when, from Hydra tags and spoken sessions. */
#ifndef SP_SPEAKERS_H
#define SP_SPEAKERS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <jansson.h>

/* Stage slots read from one tag; X allows 13 on stage (host included). */
#define SP_HYDRA_SLOTS		32
/* Longest id and name kept; longer ones are cut (ids are ~20 digits). */
#define SP_UID_LEN		40
#define SP_UNAME_LEN		64
/* HydraAudioLevel at or above this: unmuted and making sound. */
#define SP_HYDRA_LEVEL_ON	8.0
/* Default --min-turn: seconds another must be louder to take the floor. */
#define SP_MIN_TURN		2.0
/* Longest gap between two tags still read as one run of tags. */
#define SP_HYDRA_MAXGAP		10.0
/* "Unknown" for an instant in milliseconds. */
#define SP_NO_MS		INT64_MIN

enum { SP_BASIS_STREAM, SP_BASIS_ARCHIVE, SP_BASIS_WEB };

/* One person on stage, as HydraParticipants names them. */
struct sp_hydra_person {
	char	 id[SP_UID_LEN];	/* "" when the entry has none */
	char	 name[SP_UNAME_LEN];	/* without "@"; "" when none */
};

/*
 * Read a HydraParticipants text: a JSON array of objects, each with a
 * user id (UserId, user_id, userId, id, periscope_user_id; string or
 * integer) and a name (UserName, username, twitter_screen_name), other
 * members ignored; an entry that is not an object keeps its slot with an
 * empty id.  Fills at most max entries; returns how many the array has
 * (capped at max), or -1 when the text is not a JSON array.
 */
int	sp_hydra_participants(const char *text, struct sp_hydra_person *p,
	    size_t max);

/*
 * Read a HydraAudioLevel text: a JSON array of numbers (a string holding
 * one, or anything else, reads as 0).  Returns the count (capped at max),
 * or -1 when the text is not a JSON array.
 */
int	sp_hydra_levels(const char *text, double *lv, size_t max);

/* A turn: one person's stretch on the audio file's time line. */
struct sp_turn {
	char	 space_id[SP_UID_LEN];	/* "" unknown */
	char	 user_id[SP_UID_LEN];	/* "" unknown (a host not named) */
	char	 username[SP_UNAME_LEN];	/* "" unknown */
	double	 start, end;		/* seconds in the file; NAN unknown */
	int64_t	 started_ms, ended_ms;	/* wall clock; SP_NO_MS unknown */
	int	 basis;			/* SP_BASIS_* */
	int	 host;			/* the Space's creator */
	int	 supersedes;		/* 1 + a basis it replaced; 0 none */
};

/* A growing list of turns (v owned). */
struct sp_turns {
	struct sp_turn	*v;
	size_t		 n, cap;
};

void	sp_turns_init(struct sp_turns *t);
void	sp_turns_release(struct sp_turns *t);
/* Append a copy of one turn. */
void	sp_turns_add(struct sp_turns *t, const struct sp_turn *one);
/* Sort by start (or started_ms when no start), then by user id. */
void	sp_turns_sort(struct sp_turns *t);

/*
 * The active-speaker follower over a stream of tags.  Memory is the two
 * latest tags' worth whatever the length: turns leave as they end.
 */
struct sp_floor {
	double	 min_turn;
	char	 host_id[SP_UID_LEN];	/* who slot 0 is; "" unknown */
	struct sp_hydra_person stage[SP_HYDRA_SLOTS];
	int	 nstage;		/* -1: no HydraParticipants yet */
	/* The floor: who holds it, since when, when last heard. */
	int	 holding;
	struct sp_hydra_person holder;
	int	 holder_host;
	double	 since, heard;
	/* Who has been loudest since chal_since, if not the holder. */
	int	 challenging;
	struct sp_hydra_person chal;
	int	 chal_host;
	double	 chal_since;
	double	 last_t, dt;		/* latest tag time, tag interval */
	int	 ntags;			/* level tags seen */
	double	 first_t;		/* of the first level tag */
};

void	sp_floor_init(struct sp_floor *f, double min_turn,
	    const char *host_id);
/*
 * One tag at t seconds in the file: participants and levels are the tag's
 * texts (NULL or "" when absent; the last participants seen stay).  Turns
 * that end are appended to out with basis stream, start and end set.
 * Tags must come in time order; one earlier than the last is dropped.
 */
void	sp_floor_tag(struct sp_floor *f, double t, const char *participants,
	    const char *levels, struct sp_turns *out);
/* The end of the tags: the floor's last turn, if any, into out. */
void	sp_floor_finish(struct sp_floor *f, struct sp_turns *out);
/* The span the level tags cover: 0, or -1 when they covered nothing. */
int	sp_floor_span(const struct sp_floor *f, double *from, double *to);

/*
 * The spoken sessions of a space record's "speakers" (both shapes: one
 * entry per person {"user_id", "sessions":[{"started_at","ended_at"}]}
 * and flat {"user_id","start","end"}, ids as string or integer, instants
 * as ISO 8601 or epoch milliseconds) appended to out as turns with wall
 * clock only, basis given.  A session with no readable start is passed
 * over; one with no end ends at the record's ended_at, else is passed
 * over.  Each turn carries the record's id, and the person's username
 * when the entry has one.  A record's "speakers_basis" ("web", "archive",
 * "stream") overrides basis.  Returns the number of turns added.
 */
size_t	sp_sessions_from_space(const json_t *space, int basis,
	    struct sp_turns *out);

/*
 * Put turns on the file's time line, origin_ms being the wall clock of
 * its first sample (SP_NO_MS: unknown): a turn with wall clock gets
 * start/end, one with start/end gets the wall clock.
 */
void	sp_turns_place(struct sp_turns *t, int64_t origin_ms);

/*
 * Merge: stream turns (finer) win over session turns wherever the level
 * tags covered [from, to); sessions are cut to what lies outside it, and
 * a stream turn of a person whose session it overlapped says so
 * (supersedes).  The result, sorted, is appended to out.
 */
void	sp_turns_merge(const struct sp_turns *stream, int have_span,
	    double from, double to, const struct sp_turns *sessions,
	    struct sp_turns *out);

/*
 * Read an ADTS stream's Hydra tags into the follower f (each tag at its
 * sample position), finishing it; *origin_ms gets the wall clock of the
 * first sample from the first NTP tag (SP_NO_MS when none), *duration
 * its length in seconds; f->ntags counts the level tags.  Returns 0, or -1 with err when fp holds no ADTS frame
 * or cannot be read (errno set then).
 */
int	sp_speakers_audio(FILE *fp, struct sp_floor *f, struct sp_turns *out,
	    int64_t *origin_ms, double *duration, char *err, size_t errlen);

/*
 * Keep of each turn what lies in [from, to) of the file (wall clock moved
 * with it); turns without start/end, or wholly outside, are dropped.
 */
void	sp_turns_cut(struct sp_turns *t, double from, double to);

/*
 * Read the turn records of an NDJSON stream into out, naming their users
 * from the user records in it.  Returns the turns read, or -1 with err on
 * a malformed line, a turn without times, or a read error (errno set).
 */
long	sp_turns_read(FILE *fp, const char *name, struct sp_turns *out,
	    char *err, size_t errlen);

/* Basis name: "stream", "archive", "web". */
const char *sp_basis_name(int basis);

/* A turn record (new). */
json_t	*sp_turn_record(const struct sp_turn *t);

/*
 * Read a turn record into t: 0, or -1 when it has neither start/end
 * numbers nor both instants.
 */
int	sp_turn_from_record(const json_t *rec, struct sp_turn *t);

#endif
