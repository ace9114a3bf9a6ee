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
};

/* The audio of one part, as measured by the caller. */
struct sp_xmedia {
	const char	*path;		/* entry name, or the file written */
	uint64_t	 bytes;
	uint64_t	 frames;
	uint64_t	 samples;
	int		 sample_rate;	/* 0 when no frame was found */
	int		 channels;
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

/* Record a Space's audio part. */
void	sp_xarchive_media(struct sp_xarchive *x, const char *id, int part,
	    const struct sp_xmedia *m);

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

/* A Space's created_at (borrowed), or NULL when unknown. */
const char *sp_xarchive_created_at(const struct sp_xarchive *x,
	    const char *id);

#endif
