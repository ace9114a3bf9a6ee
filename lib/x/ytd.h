/* ytd: the X data archive's data files and manifest, streamed item by item. */
#ifndef SP_YTD_H
#define SP_YTD_H

#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

/* Largest item the reader buffers: memory stays bounded on any input. */
#define SP_YTD_MAXITEM		(8u << 20)
/* Largest manifest.js read whole. */
#define SP_YTD_MAXMANIFEST	(16u << 20)

/*
 * Every reader takes its bytes from a callback that behaves like read(2):
 * it fills at most n bytes of buf and returns how many, 0 at the end of the
 * input, or -1 on an error (with errno set, which the reader leaves alone).
 * ctx is passed through untouched.
 */

struct sp_ytd;

/* A new reader of one data file (data/follower.js...); free it with
 * sp_ytd_free.  Nothing is read until the first sp_ytd_next. */
struct sp_ytd *sp_ytd_new(ssize_t (*readfn)(void *ctx, void *buf, size_t n),
	    void *ctx);
void	sp_ytd_free(struct sp_ytd *y);

/*
 * Read the next item of the `window.YTD.<name>.part<N> = [ ... ]` array
 * (or of a bare `[ ... ]` with no header).  Returns
 *    1  with *item a new reference to an object.  An item that is an object
 *       with a single key whose value is an object ({"follower": {...}}) is
 *       unwrapped: *item is the inner object and sp_ytd_wrapper names the
 *       key; otherwise *item is the item itself and the wrapper is NULL;
 *    0  at the end of the array (and on every later call);
 *   -1  on malformed input, *item NULL, sp_ytd_error says why with the line
 *       number.  When the damage is confined to one item (bad JSON inside
 *       balanced brackets, an item that is not an object, an item larger
 *       than SP_YTD_MAXITEM) the next call goes on with the next item;
 *       otherwise (a bad header, a missing ',', garbage after the ']', an
 *       input that ends early: "truncated") every later call returns -1
 *       again;
 *   -2  on a read error (errno as the callback left it; every later call
 *       returns -2 again).
 */
int	sp_ytd_next(struct sp_ytd *y, json_t **item);

/*
 * Pass over the next item without parsing it, for counting: only the
 * brackets and strings that delimit it, its size and that it begins as
 * an object are checked.  Returns as sp_ytd_next does, with no item.
 */
int	sp_ytd_skip(struct sp_ytd *y);

/* The header's global name, "YTD.tweets.part1" (borrowed), or NULL before
 * the first sp_ytd_next or when the file has no header. */
const char *sp_ytd_global(const struct sp_ytd *y);
/* The wrapper key of the item last returned, "follower" (borrowed, valid
 * until the next call), or NULL when that item was bare. */
const char *sp_ytd_wrapper(const struct sp_ytd *y);
/* Why the last call returned -1 or -2 (borrowed), or "" when it did not. */
const char *sp_ytd_error(const struct sp_ytd *y);
/* 1 when no more items can come (a structural or a read error). */
int	sp_ytd_stuck(const struct sp_ytd *y);
/* How many items sp_ytd_next and sp_ytd_skip have returned with 1. */
size_t	sp_ytd_count(const struct sp_ytd *y);

/*
 * Read data/manifest.js, `window.__THAR_CONFIG = { ... }` with an optional
 * ';' (or a bare object), whole: at most SP_YTD_MAXMANIFEST bytes.  Returns
 * a new reference to the object, numbers left as the strings they are, or
 * NULL with a message in err (line-numbered when the JSON is at fault).
 */
json_t	*sp_ytd_manifest(ssize_t (*readfn)(void *ctx, void *buf,
	    size_t n), void *ctx, char *err, size_t errlen);

/*
 * The manifest's dataTypes.<type>.files (type is the camelCase key:
 * "follower", "spacesMetadata"): a borrowed array of objects, each normally
 * {"fileName", "globalName", "count"} with string values (not checked: use
 * sp_json_str), or NULL when the type or its files are absent.
 */
json_t	*sp_ytd_manifest_files(const json_t *manifest, const char *type);
/* dataTypes.<type>.mediaDirectory, "data/tweets_media" (borrowed), or NULL. */
const char *sp_ytd_manifest_media(const json_t *manifest, const char *type);

/*
 * Whether path, an entry name like "data/tweets-part1.js", is a data file
 * of base "tweets" (its directory is not looked at): the part number, 0 for
 * "tweets.js", N for "tweets-partN.js", or -1 when it is not one.  For the
 * file-name fallback when a manifest is missing or incomplete.
 */
int	sp_ytd_part(const char *path, const char *base);

#endif
