/* recorder: clean HLS audio chunks, fetch them, journal them, assemble. */
#ifndef SP_RECORDER_H
#define SP_RECORDER_H

#include <stddef.h>
#include <stdint.h>

struct sp_http;

/* One chunk's audio: its ADTS frames, without ID3 tags or junk. */
struct sp_chunk {
	uint8_t		*data;		/* owned */
	size_t		 len;
	uint64_t	 frames;
	uint64_t	 samples;
	uint64_t	 dropped;	/* tag and junk bytes left out */
	unsigned	 sample_rate, channels, profile;
	int64_t		 ntp_ms;	/* its first sample's wall clock, Unix
					   ms, from the NTP tags; 0: none */
};

/*
 * Keep only the whole ADTS frames of the n bytes at buf (an HLS packed
 * audio chunk: ID3 PRIV tag, maybe junk before it, tags between frames).
 * 0, or -1 with err when there is no frame, the last frame or a tag is
 * cut short, or the stream's format changes inside the chunk: the chunk
 * is damaged and worth fetching again.  sp_chunk_release frees c.
 */
int	sp_chunk_clean(const uint8_t *buf, size_t n, struct sp_chunk *c,
	    char *err, size_t errlen);
void	sp_chunk_release(struct sp_chunk *c);

/*
 * What a stage poll saw (spaces-record's speakers): a person joined or
 * left the stage, or the stage was seen (the last time known) at ms.
 */
enum { SP_STAGE_LEAVE, SP_STAGE_JOIN, SP_STAGE_SEEN };

struct sp_stage_ev {
	int64_t		 ms;		/* wall clock, Unix ms */
	int		 kind;		/* SP_STAGE_JOIN, _LEAVE */
	char		 user_id[24];	/* digits */
	char		 username[32];	/* [A-Za-z0-9_]; "" unknown */
};

/*
 * Keep the whole MPEG-TS packets of a video chunk (n bytes at buf): from
 * the first sync byte that starts a run of packets (junk before it left
 * out) to the end.  0 with c->data the packets and c->frames their
 * count, or -1 with err when there is no packet or the last one is cut
 * short (a damaged chunk, worth fetching again).
 */
int	sp_chunk_clean_ts(const uint8_t *buf, size_t n, struct sp_chunk *c,
	    char *err, size_t errlen);

/* A journal entry: chunk seq sits at off in the .part file. */
struct sp_jent {
	uint64_t	 seq, off, len, frames;
	int64_t		 ntp_ms;	/* as in sp_chunk */
};

/*
 * The output's working files: <out>.part holds the cleaned chunks in the
 * order they arrived, <out>.journal one line per chunk once its bytes are
 * safely in .part ("seq offset length frames [ntp-ms]").  The journal is
 * locked (flock) while open, so one run at a time works on an output.
 *
 * Assembly writes the chunks in sequence order to <out>.asm and gives
 * the .part's disk space back as it goes: each time the .asm is synced
 * past a window of chunks, a line "= format chunks bytes samples rate"
 * says so and the window's ranges of .part are punched out (where the
 * file system can).  From the first such line the entries are frozen and
 * a later run resumes the assembly where the last line left it.
 */
struct sp_journal {
	char		*part, *path, *apath;	/* owned */
	int		 pfd, jfd;
	struct sp_jent	*e;		/* owned, in journal order */
	size_t		 n, cap;
	uint64_t	 end;		/* bytes of .part in use */
	uint64_t	 frames;	/* in all entries */
	size_t		 synced;	/* entries whose lines are written */
	int64_t		 synced_ms;	/* when, monotonic */
	/* The assembly, when one has begun: */
	char		 afmt[8];	/* "m4a", "aac"; "": none */
	size_t		 adone;		/* chunks in .asm, in seq order */
	uint64_t	 abytes;	/* bytes of .asm that hold them */
	uint64_t	 asamples;	/* the whole output's */
	unsigned	 arate;
	/* The stage's joins and leaves, in journal order (owned), and
	 * the last time the stage was seen; 0: never. */
	struct sp_stage_ev *st;
	size_t		 nst, stcap;
	int64_t		 seen_ms;
};

enum {
	SP_JOURNAL_LOCKED = 1		/* another run holds the lock */
};

/*
 * Open or create the working files of out and take the lock: 0 (entries
 * from an earlier run loaded, anything past the last whole entry cut),
 * SP_JOURNAL_LOCKED, or -1 with err.
 */
int	sp_journal_open(struct sp_journal *j, const char *out, char *err,
	    size_t errlen);
/* Sync, then release j (the lock too), keeping the files. */
void	sp_journal_close(struct sp_journal *j);
/* Remove the working files, then close. */
void	sp_journal_remove(struct sp_journal *j);
/* The entry for seq (borrowed), or NULL. */
const struct sp_jent *sp_journal_find(const struct sp_journal *j,
	    uint64_t seq);
/*
 * Append c as chunk seq to .part; its journal line follows at the next
 * sync, which comes a second after the last one at most (so a crash
 * costs a second of chunks, not a sync per chunk).  0, or -1 with err
 * (also once an assembly has begun).
 */
int	sp_journal_add(struct sp_journal *j, uint64_t seq,
	    const struct sp_chunk *c, char *err, size_t errlen);
/*
 * Journal a stage event at once (lines "+ ms user_id [username]", "- ms
 * user_id", "~ ms": joins, leaves, the stage seen), kept in j->st or
 * j->seen_ms.  user_id must be digits and username [A-Za-z0-9_] or "";
 * NULL for SP_STAGE_SEEN.  0, or -1 with err.
 */
int	sp_journal_stage(struct sp_journal *j, int kind, const char *user_id,
	    const char *username, int64_t ms, char *err, size_t errlen);
/*
 * Who is on stage at the end of the journal's events (an earlier run's
 * open sessions): each to fn, in the order they joined.
 */
void	sp_journal_on_stage(const struct sp_journal *j,
	    void (*fn)(void *ctx, const char *user_id, const char *username),
	    void *ctx);

/*
 * The journal's stage events folded into the archive's shape of
 * speakers (a JSON array, new): one {"user_id", "username" (when known),
 * "start", "end", "sessions": [{"started_at", "ended_at"}]} object per
 * person, in the order they first joined; start and end are the first
 * join and the last leave.  A session still open ends when the stage
 * was last seen (j->seen_ms), or has no ended_at when it never was.
 * *ids gets the array of their user ids (new).
 */
struct json_t *sp_journal_speakers(const struct sp_journal *j,
	    struct json_t **ids);

/* Sync .part, then write the lines of the chunks added since.  0/-1. */
int	sp_journal_sync(struct sp_journal *j, char *err, size_t errlen);

/*
 * The wall clock of the first sample in sequence order, Unix ms, from
 * the NTP time of the first chunk that has one, backed up over the
 * chunks before it (when none of them is missing); 0: unknown.
 */
int64_t	sp_journal_started(const struct sp_journal *j, unsigned rate);

/* The M4A's tags; any may be NULL (left out). */
struct sp_rec_tags {
	const char	*title, *artist, *date, *comment;
};

/*
 * Assemble the entries in sequence order into <out>.asm as format
 * ("aac": the ADTS frames; "m4a": an M4A, moov first, with the tags t),
 * resuming an assembly an earlier run began, then rename it to target
 * (not replacing a file there unless force) or, with target NULL, leave
 * it at j->apath.  *samples and *rate get the audio's length.  0, or -1
 * with err.
 */
int	sp_journal_assemble(struct sp_journal *j, const char *format,
	    const struct sp_rec_tags *t, const char *target, int force,
	    uint64_t *samples, unsigned *rate, char *err, size_t errlen);

struct sp_remux_stats;

/*
 * The entries (MPEG-TS chunks of a video Space) in sequence order
 * through lib/media/remux into <out>.asm as kind (enum sp_remux_kind:
 * mp4, ts, m4a, aac) with the tags t, then renamed to target as
 * sp_journal_assemble does (NULL: left at j->apath).  Not resumable: an
 * interrupted one starts again, and gives the same bytes (the remux is
 * deterministic).  st (may be NULL) gets the remux's account.  0, or -1
 * with err.
 */
int	sp_journal_remux(struct sp_journal *j, int kind,
	    const struct sp_rec_tags *t, const char *target, int force,
	    struct sp_remux_stats *st, char *err, size_t errlen);

/* One chunk to fetch. */
struct sp_fetch {
	uint64_t	 seq;
	char		*url;		/* borrowed */
	int		 done;		/* in the journal */
	int		 refused;	/* never to be retried: err says */
	int		 aes;		/* AES-128-CBC encrypted: key, iv */
	uint8_t		 key[16], iv[16];
	int		 tries;		/* requests made */
	long		 status;	/* the last HTTP status, 0: none */
	char		 err[160];	/* the last failure */
};

struct sp_fetcher {
	struct sp_http	*http;
	struct sp_journal *journal;
	int		 jobs;		/* transfers at a time */
	int		 tries;		/* attempts per chunk */
	double		 backoff;	/* seconds before the first retry */
	/* A chunk failed once (for -v) or for good. */
	void		(*warn)(void *ctx, const char *msg);
	/* An answer came (for a progress display); may be NULL. */
	void		(*tick)(void *ctx);
	void		*ctx;
	/* The recording's format: the first chunk's (or the journal's);
	 * a chunk of another is refused, never mixed in. */
	unsigned	 rate, channels, profile;
	/* Private. */
	double		 wait;		/* longest Retry-After of a round */
	int		 fatal;
	char		 ferr[256];
	/* Set by the caller: the chunks are MPEG-TS (a video Space's),
	 * journalled whole (sp_chunk_clean_ts); an ADTS one is refused. */
	int		 video;
};

/*
 * Decrypt n bytes of an AES-128-CBC segment (PKCS#7 padded, RFC 8216
 * 4.3.2.4) in place with OpenSSL's libcrypto: 0 with *len the plain
 * length, or -1 with err (not whole blocks, bad padding).
 */
int	sp_chunk_decrypt(uint8_t *buf, size_t n, const uint8_t key[16],
	    const uint8_t iv[16], size_t *len, char *err, size_t errlen);

/*
 * Fetch every chunk of f not yet done, jobs at a time over the multi
 * handle, each one retried with backoff on any failure (a network error,
 * an error status, a truncated body, damaged ADTS) up to tries attempts,
 * after a 429 (at most SP_HTTP_MAX_WAIT) or a 503 (at most
 * SP_HTTP_RETRY_AFTER_MAX) no sooner than its Retry-After says; each
 * good one is decrypted when it must be, cleaned and journalled.  A
 * chunk of another format than fe's (rate, channels, profile), or a
 * video one, is refused: not journalled, not retried (with fe->video,
 * one that is not MPEG-TS is).  Returns how many
 * are left undone, or -1 with err when the journal cannot be written.
 */
int	sp_fetch_all(struct sp_fetcher *fe, struct sp_fetch *f, size_t n,
	    char *err, size_t errlen);

#endif
