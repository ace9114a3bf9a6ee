/* json: NDJSON records over jansson — typed, line-numbered, bounded. */
#ifndef SP_JSON_H
#define SP_JSON_H

#include <stdio.h>
#include <jansson.h>

/* Longest line the reader takes: memory stays bounded on hostile input. */
#define SP_NDJSON_MAXLINE (16u << 20)

struct sp_ndjson {
	FILE		*fp;		/* borrowed */
	const char	*name;		/* borrowed, for messages */
	size_t		 lineno;	/* of the line last read */
	char		*buf;		/* owned */
	size_t		 cap;
	char		 err[256];	/* why the last call returned -1 */
	int		 stopped;	/* a line too long: nothing more */
};

void	sp_ndjson_init(struct sp_ndjson *r, FILE *fp, const char *name);
void	sp_ndjson_release(struct sp_ndjson *r);

/*
 * Read the next record: a JSON object on a line of its own.  Blank lines,
 * a UTF-8 BOM and CR before LF are passed over.  Returns 1 with *rec a new
 * reference, 0 at the end, -1 on a malformed line (r->err says why, with
 * the line number; the next call goes on with the next line, except after
 * a line longer than twice SP_NDJSON_MAXLINE, which ends the stream), or
 * -2 on a read error (errno set).
 */
int	sp_ndjson_next(struct sp_ndjson *r, json_t **rec);

/* The record's "type" (borrowed), or NULL when absent or not a string. */
const char *sp_rec_type(const json_t *rec);

/* A new record {"type": type, "source": source}; source may be NULL. */
json_t	*sp_rec_new(const char *type, const char *source);

/* Write rec compactly and a newline; -1 on a write error. */
int	sp_ndjson_write(FILE *fp, const json_t *rec);

/* Field access that tolerates variation; each returns -1 when absent. */
/* A string field (borrowed). */
const char *sp_json_str(const json_t *o, const char *key);
/* An id written as a string or an integer, as a string in buf. */
int	sp_json_id(const json_t *o, const char *key, char *buf, size_t n);
/* The same for a value rather than an object's member. */
int	sp_json_idv(const json_t *v, char *buf, size_t n);
/* A number, or a string holding a decimal number. */
int	sp_json_num(const json_t *o, const char *key, double *v);

#endif
