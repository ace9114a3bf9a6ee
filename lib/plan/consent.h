/* consent: the host's append-only consent ledger, its fold, clip checks. */
#ifndef SP_CONSENT_H
#define SP_CONSENT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "mute.h"
#include "speakers.h"

/* Longest evidence kept, NUL included; longer is refused. */
#define SP_EVIDENCE_LEN	1024

enum { SP_CONSENT_GRANT, SP_CONSENT_REVOKE };
/* Uses: a bit each; "all" is both. */
enum { SP_USE_CLIPS = 1, SP_USE_PODCAST = 2, SP_USE_ALL = 3 };
/* What the fold says of one person, Space and use. */
enum { SP_CONSENT_NONE, SP_CONSENT_GRANTED, SP_CONSENT_REVOKED };

/* One consent record. */
struct sp_consent {
	int	 action;		/* SP_CONSENT_GRANT or _REVOKE */
	char	 user_id[SP_UID_LEN];	/* "" when only the name is known */
	char	 username[SP_UNAME_LEN];	/* without "@"; "" unknown */
	char	 space_id[SP_UID_LEN];	/* "*": every Space */
	int	 use;			/* SP_USE_* */
	int64_t	 at;			/* ms since the epoch */
	char	 evidence[SP_EVIDENCE_LEN];	/* "" none */
};

/* The ledger as read: its records in file order (v owned). */
struct sp_ledger {
	struct sp_consent *v;
	size_t	 n, cap;
	size_t	 bad;		/* lines that are no consent record */
	size_t	 first_bad;	/* the line number of the first of them */
};

/* SPACES_CONSENT, else ${XDG_DATA_HOME:-~/.local/share}/spaces/
 * consent.ndjson (new). */
char	*sp_consent_default_path(void);

/* "clips", "podcast", "all" to SP_USE_*; -1 for anything else. */
int	sp_use_parse(const char *s);
const char *sp_use_name(int use);

void	sp_ledger_init(struct sp_ledger *l);
void	sp_ledger_release(struct sp_ledger *l);

/*
 * Read the ledger at path under a shared lock: 0 (a missing file is an
 * empty ledger), or -1 with err (errno set).  Lines that are not consent
 * records (a line torn by a crash, an edit by hand) are counted in bad
 * and passed over: the rest of the log stands.
 */
int	sp_ledger_read(struct sp_ledger *l, const char *path, char *err,
	    size_t errlen);

/*
 * Append one record to the ledger at path (made with its directories,
 * mode 0600): under an exclusive lock, as one write, then fsync (and the
 * directory's when the file is new).  A last line left without its
 * newline by a crash is ended first, so it cannot swallow this one.
 * Returns 0, or -1 with err (errno set); nothing before is ever changed.
 */
int	sp_ledger_append(const char *path, const struct sp_consent *c,
	    char *err, size_t errlen);

/* A consent record (new). */
json_t	*sp_consent_record(const struct sp_consent *c);
/* Read one: 0, or -1 when it is not a valid consent record. */
int	sp_consent_from_record(const json_t *rec, struct sp_consent *c);

/*
 * The fold: the last record in the ledger about this person (by id, or by
 * name when one side has no id; names compare without case) whose Space
 * ("*" or space_id) and use cover the question says what holds.  *last,
 * if not NULL, gets that record or NULL.
 */
int	sp_consent_state(const struct sp_ledger *l, const char *user_id,
	    const char *username, const char *space_id, int use,
	    const struct sp_consent **last);

/* Result of a clip's check. */
enum { SP_CHECK_OK = 0, SP_CHECK_MISSING = 1, SP_CHECK_UNKNOWN = 4 };

/*
 * Who is heard in [start, end) of the Space's audio (turns of other Spaces,
 * when both ids are known, are passed over; end may be INFINITY) and
 * whether each consented to use.  *voices gets a new array of
 * {"user_id","username","consent":"host"|"granted"|"none"|"revoked",
 *  "ranges":[[a,b],...]} (seconds of the audio, cut to the clip), and
 * "at"/"evidence" of the record that decided.  Returns SP_CHECK_OK,
 * SP_CHECK_MISSING (someone did not consent) or SP_CHECK_UNKNOWN (no turn
 * of that Space has a time on the audio's line).  The host needs no
 * consent.
 */
int	sp_consent_check(const struct sp_ledger *l, const struct sp_turns *t,
	    const char *space_id, double start, double end, int use,
	    json_t **voices);

/* A timed turn in a check index. */
struct sp_consent_span {
	double	 start, end;
	double	 maxend;	/* the latest end of this span and those before */
	size_t	 turn;		/* its index in the turns */
};

/* What the fold said of one person, for the Space and use last asked. */
struct sp_consent_fold {
	int	 valid;
	int	 any_space;	/* asked with no Space (NULL) */
	char	 space_id[SP_UID_LEN];
	int	 use;
	int	 state;
	const struct sp_consent *last;
};

/*
 * The ledger and turns made ready for many checks: the timed turns sorted
 * by start (a clip's check reads only the turns that can overlap it, found
 * by a binary search), and each person's fold made once for a Space and
 * use rather than once a clip.  The ledger and turns are borrowed: they
 * must outlive the index and stay unchanged.  An index keeps caches and
 * scratch space: one thread at a time.
 */
struct sp_consent_index {
	const struct sp_ledger	*ledger;
	const struct sp_turns	*turns;
	struct sp_consent_span	*span;		/* timed turns, by start */
	size_t			 nspan;
	size_t			*person;	/* turn -> its person */
	struct sp_consent_fold	*fold;		/* person -> fold */
	size_t			 npeople;
	/* Whether a turn of the Space last asked has a time. */
	int			 known_valid, known_any;
	char			 known_space[SP_UID_LEN];
	size_t			 known;
	size_t			*hits;		/* scratch */
	size_t			 caphits;
};

void	sp_consent_index_init(struct sp_consent_index *ix,
	    const struct sp_ledger *l, const struct sp_turns *t);
void	sp_consent_index_release(struct sp_consent_index *ix);

/* sp_consent_check on an index: the same answer and voices. */
int	sp_consent_check_index(struct sp_consent_index *ix,
	    const char *space_id, double start, double end, int use,
	    json_t **voices);

/* 1 when a voice of sp_consent_check needs no more: host or granted. */
int	sp_voice_ok(const json_t *voice);

/*
 * One line on a voice without consent: "@bob has not consented, heard
 * 0:11.008-0:19.008, 0:50.005-0:57.003" (or "revoked consent"), cut to n.
 */
void	sp_voice_describe(const json_t *voice, char *buf, size_t n);

/*
 * The stretches of every voice without consent: into mute as sample ranges
 * at rate (rounded outwards), and as a new array of {"user_id","username",
 * "start","end"} (seconds of the audio) for a clip record.
 */
json_t	*sp_voices_mute(const json_t *voices, unsigned rate,
	    struct sp_ranges *mute);

#endif
