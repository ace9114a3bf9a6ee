/* json: NDJSON records over jansson — typed, line-numbered, bounded. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "strnum.h"
#include "xalloc.h"
#include "banned.h"

void
sp_ndjson_init(struct sp_ndjson *r, FILE *fp, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->name = name;
}

void
sp_ndjson_release(struct sp_ndjson *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

/*
 * Read one line into r->buf without its newline.  Returns its length, -1 at
 * the end, -2 on a read error, -3 when longer than SP_NDJSON_MAXLINE.  The
 * rest of such a line is passed over, up to as many bytes again: a line
 * that goes on beyond that may never end (/dev/zero), so the stream ends
 * there.
 */
static long long
readline(struct sp_ndjson *r)
{
	size_t len = 0, skip = 0;
	int c, toolong = 0;

	if (r->stopped)
		return -1;
	for (;;) {
		c = getc_unlocked(r->fp);
		if (c == EOF) {
			if (ferror(r->fp))
				return -2;
			if (len == 0 && !toolong)
				return -1;
			break;
		}
		if (c == '\n')
			break;
		if (toolong) {
			if (++skip > SP_NDJSON_MAXLINE) {
				r->stopped = 1;
				break;
			}
			continue;
		}
		if (len + 1 >= r->cap) {
			if (r->cap >= SP_NDJSON_MAXLINE) {
				toolong = 1;
				continue;
			}
			r->cap = r->cap ? r->cap * 2 : 4096;
			r->buf = sp_xrealloc(r->buf, r->cap);
		}
		r->buf[len++] = (char)c;
	}
	if (toolong)
		return -3;
	if (r->buf == NULL)
		r->buf = sp_xmalloc(r->cap = 1);
	r->buf[len] = '\0';
	return (long long)len;
}

int
sp_ndjson_next(struct sp_ndjson *r, json_t **rec)
{
	json_error_t jerr;
	long long n;
	char *p;
	size_t len;

	*rec = NULL;
	for (;;) {
		n = readline(r);
		if (n == -1)
			return 0;
		if (n == -2)
			return -2;
		r->lineno++;
		if (n == -3) {
			snprintf(r->err, sizeof(r->err),
			    "line %zu: longer than %u bytes%s", r->lineno,
			    SP_NDJSON_MAXLINE, r->stopped ? " (and endless: "
			    "the rest is not read)" : "");
			return -1;
		}
		p = r->buf;
		len = (size_t)n;
		if (r->lineno == 1 && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			len -= 3;
		}
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' ||
		    p[len - 1] == '\t'))
			len--;
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len > 0)
			break;
	}
	*rec = json_loadb(p, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
	if (*rec == NULL) {
		snprintf(r->err, sizeof(r->err),
		    "line %zu: malformed JSON at column %d: %s", r->lineno,
		    jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(*rec)) {
		json_decref(*rec);
		*rec = NULL;
		snprintf(r->err, sizeof(r->err),
		    "line %zu: not a JSON object", r->lineno);
		return -1;
	}
	return 1;
}

const char *
sp_rec_type(const json_t *rec)
{
	return sp_json_str(rec, "type");
}

json_t *
sp_rec_new(const char *type, const char *source)
{
	json_t *o = json_object();

	if (o == NULL)
		sp_errx(SP_EXIT_ENV, "out of memory");
	json_object_set_new(o, "type", json_string(type));
	if (source)
		json_object_set_new(o, "source", json_string(source));
	return o;
}

int
sp_ndjson_write(FILE *fp, const json_t *rec)
{
	/* 12 digits: sample-exact times, without 60.579999999999998. */
	if (json_dumpf(rec, fp, JSON_COMPACT | JSON_REAL_PRECISION(12)) != 0)
		return -1;
	return putc('\n', fp) == EOF ? -1 : 0;
}

const char *
sp_json_str(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int
sp_json_id(const json_t *o, const char *key, char *buf, size_t n)
{
	return sp_json_idv(json_object_get(o, key), buf, n);
}

int
sp_json_idv(const json_t *v, char *buf, size_t n)
{
	if (json_is_string(v) && json_string_length(v) > 0 &&
	    json_string_length(v) < n) {
		snprintf(buf, n, "%s", json_string_value(v));
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return 0;
	}
	return -1;
}

int
sp_json_num(const json_t *o, const char *key, double *v)
{
	json_t *j = json_object_get(o, key);
	const char *errstr;

	if (json_is_number(j)) {
		*v = json_number_value(j);
		return 0;
	}
	if (json_is_string(j) &&
	    sp_strtod(json_string_value(j), -1e300, 1e300, v, &errstr) == 0)
		return 0;
	return -1;
}
