/* xarchive: what an X data archive says about its owner and their Spaces. */
#ifndef SP_XARCHIVE_H
#define SP_XARCHIVE_H

#include <stdint.h>
#include <jansson.h>

#include "ytd.h"

/* What an entry of the archive is, from the manifest or its name. */
enum sp_xkind {
	SP_X_OTHER,		/* nothing this module reads */
	SP_X_MANIFEST,		/* data/manifest.js */
	SP_X_DATA,		/* a data file: type and part */
	SP_X_MEDIA		/* a Space's audio: id and part */
};

#define SP_XTYPE_LEN 64
#define SP_XID_LEN 32

struct sp_xentry {
	enum sp_xkind	 kind;
	char		 type[SP_XTYPE_LEN];	/* base name: "spaces-metadata" */
	char		 key[SP_XTYPE_LEN];	/* manifest key, or "" */
	int		 part;			/* -partN, or _N of a medium */
	char		 id[SP_XID_LEN];	/* a medium's Space id */
	/*
	 * A medium: 1 when its name gave the Space id and part; 0 when it
	 * names no Space (id is then the file's stem, made safe as a file
	 * name, to extract it under a fallback name).
	 */
	int		 named;
};

/* The audio of one part, as measured by the caller. */
struct sp_xmedia {
	const char	*path;		/* entry name, or the file written */
	uint64_t	 bytes;
	uint64_t	 frames;
	uint64_t	 samples;
	int		 sample_rate;	/* 0 when no frame was found */
	int		 channels;
	int		 has_start;	/* the tags gave started_ms */
	int64_t		 started_ms;	/* first sample's wall clock, Unix ms */
};

struct sp_xarchive;

struct sp_xarchive *sp_xarchive_new(void);
void	sp_xarchive_free(struct sp_xarchive *x);

/*
 * Use the manifest (stolen) to recognise data files and media folders by
 * the names it gives; without one, names are matched to the documented
 * ones ("data/follower.js", "data/follower-part1.js", ...).
 */
void	sp_xarchive_manifest(struct sp_xarchive *x, json_t *manifest);

/* Classify an entry name. */
void	sp_xarchive_classify(const struct sp_xarchive *x, const char *name,
	    struct sp_xentry *e);

/*
 * Whether the listing needs a data entry's items: the account, profile,
 * age, follower, following and Spaces metadata files.
 */
int	sp_xarchive_wants(const struct sp_xentry *e);

/*
 * Read a data entry's items from y into the facts.  Returns 0, or -1 with
 * err when the file is malformed (what was read before stays), or -2 on a
 * read error.  Warnings about single values (a time that is not one) go to
 * warn, one line each, when it is not NULL.
 */
int	sp_xarchive_data(struct sp_xarchive *x, const struct sp_xentry *e,
	    struct sp_ytd *y, char *err, size_t errlen,
	    void (*warn)(const char *fmt, ...));

/*
 * Record a Space's audio part: 0, or -1 when that part was recorded
 * already (a second copy of it: not recorded).
 */
int	sp_xarchive_media(struct sp_xarchive *x, const char *id, int part,
	    const struct sp_xmedia *m);
/* Whether a Space's part is recorded already. */
int	sp_xarchive_has_part(const struct sp_xarchive *x, const char *id,
	    int part);

/*
 * The owner as a user record (new), or NULL when the archive said nothing
 * about them.  followers_count and following_count appear only when the
 * archive had those files.
 */
json_t	*sp_xarchive_user(const struct sp_xarchive *x);

/*
 * Every Space, from the metadata and from the audio found, as space
 * records sorted by creation time then id: a new array.  With id non-NULL,
 * only that Space (an array of one or none).
 */
json_t	*sp_xarchive_spaces(const struct sp_xarchive *x, const char *id);

/*
 * The ids of the Spaces the metadata lists (which 0) or that have audio
 * (which 1), sorted: a new array of strings.
 */
json_t	*sp_xarchive_ids(const struct sp_xarchive *x, int which);

/*
 * Split archives: 1 when a manifest said isPartialArchive, with what it
 * says of the whole (-1 when it does not say): sizeBytes, maxPartSizeBytes
 * and the number of parts that implies (ceil(size / max), or -1), and how
 * many manifests were read; 0 otherwise.
 */
int	sp_xarchive_partial(const struct sp_xarchive *x, int64_t *size,
	    int64_t *maxpart, int64_t *parts, int *manifests);

/*
 * An instant as archives write it, in the toolkit's form: ISO 8601, the
 * tweets' "Tue Mar 22 19:19:02 +0000 2022", or epoch seconds (integers
 * under 1e11) or milliseconds, as numbers or strings of digits.  0, or -1
 * when v is none of these.
 */
int	sp_xarchive_instant(const json_t *v, int64_t *ms);

/* A Space's created_at (borrowed), or NULL when unknown. */
const char *sp_xarchive_created_at(const struct sp_xarchive *x,
	    const char *id);

#endif
