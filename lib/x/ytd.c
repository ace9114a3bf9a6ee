/* ytd: the X data archive's data files and manifest, streamed item by item. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "err.h"
#include "xalloc.h"
#include "ytd.h"
#include "banned.h"

/* Bytes asked of the callback at a time. */
#define CHUNK		(64u << 10)
/* "window.YTD.<name>.part<N>" is short; anything longer is not a header. */
#define HEADMAX		256

/*
 * Where the reader is in `window.YTD.x.part0 = [ item , item ] ;`.  The
 * input is consumed a byte at a time outside items and scanned in bulk
 * inside them, so no state needs more than one byte of look-ahead and any
 * chunking of the input gives the same result.
 */
enum state {
	ST_BOM,		/* the first bytes, maybe a UTF-8 BOM */
	ST_LEAD,	/* blanks before the header or a bare '[' */
	ST_HEAD,	/* the header, up to '=' */
	ST_OPEN,	/* after '=': blanks, then '[' */
	ST_FIRST,	/* after '[': blanks, then an item or ']' */
	ST_ITEM,	/* inside an item */
	ST_NEXT,	/* after an item: blanks, then ',' or ']' */
	ST_MORE,	/* after ',': blanks, then an item */
	ST_TAIL,	/* after ']': blanks, then ';' or the end */
	ST_SEMI,	/* after ';': blanks, then the end */
	ST_END,		/* returned 0 */
	ST_BAD,		/* a structural error: sticky */
	ST_RDERR	/* a read error: sticky */
};

struct sp_ytd {
	ssize_t		(*readfn)(void *, void *, size_t);
	void		*ctx;
	enum state	 st;
	int		 eof;		/* the callback returned 0 */
	unsigned char	*buf;		/* owned: buf[pos..len) is unread */
	size_t		 cap, len, pos;
	size_t		 line;		/* of buf[pos], from 1 */
	/* The item being scanned: buf[istart..pos), from line iline. */
	size_t		 istart, iline;
	size_t		 depth;		/* of open brackets */
	int		 instr, esc;	/* in a string; after '\' */
	int		 bare;		/* a scalar, ended by a delimiter */
	int		 skipping;	/* too large: scanned, not kept */
	size_t		 nitem;		/* items begun, good or bad */
	size_t		 count;		/* items returned */
	int		 bomn;		/* BOM bytes matched */
	char		 head[HEADMAX];	/* the header as read */
	size_t		 headn;
	char		 global[HEADMAX];
	int		 hasglobal;
	char		*wrapper;	/* owned */
	size_t		 wrapcap;
	int		 haswrap;
	char		 err[256];
};

static int
isblank_json(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* c for a message: itself when printable, else \xNN. */
static const char *
showc(unsigned char c, char *b, size_t n)
{
	if (c > ' ' && c < 0x7f)
		snprintf(b, n, "'%c'", c);
	else
		snprintf(b, n, "byte \\x%02x", c);
	return b;
}

static int
fail(struct sp_ytd *y, int sticky, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set the message; a sticky failure makes every later call fail alike. */
static int
fail(struct sp_ytd *y, int sticky, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(y->err, sizeof(y->err), fmt, ap);
	va_end(ap);
	if (sticky)
		y->st = ST_BAD;
	return -1;
}

struct sp_ytd *
sp_ytd_new(ssize_t (*readfn)(void *ctx, void *buf, size_t n), void *ctx)
{
	struct sp_ytd *y = sp_xcalloc(1, sizeof(*y));

	y->readfn = readfn;
	y->ctx = ctx;
	y->st = ST_BOM;
	y->line = 1;
	return y;
}

void
sp_ytd_free(struct sp_ytd *y)
{
	if (y == NULL)
		return;
	free(y->buf);
	free(y->wrapper);
	free(y);
}

const char *
sp_ytd_global(const struct sp_ytd *y)
{
	return y->hasglobal ? y->global : NULL;
}

const char *
sp_ytd_wrapper(const struct sp_ytd *y)
{
	return y->haswrap ? y->wrapper : NULL;
}

const char *
sp_ytd_error(const struct sp_ytd *y)
{
	return y->err;
}

int
sp_ytd_stuck(const struct sp_ytd *y)
{
	return y->st == ST_BAD || y->st == ST_RDERR;
}

size_t
sp_ytd_count(const struct sp_ytd *y)
{
	return y->count;
}

/*
 * Drop what is consumed (all of it, except the item being kept), make room
 * for a chunk and read.  The buffer never outgrows SP_YTD_MAXITEM + CHUNK:
 * the caller stops keeping an item once it is larger than SP_YTD_MAXITEM.
 * Returns the callback's result.
 */
static ssize_t
fill(struct sp_ytd *y)
{
	size_t keep, ncap;
	ssize_t r;

	keep = y->st == ST_ITEM && !y->skipping ? y->istart : y->pos;
	if (keep > 0) {
		memmove(y->buf, y->buf + keep, y->len - keep);
		y->len -= keep;
		y->pos -= keep;
	}
	y->istart = 0;
	if (y->cap - y->len < CHUNK) {
		ncap = y->cap ? y->cap * 2 : CHUNK;
		if (ncap < y->len + CHUNK)
			ncap = y->len + CHUNK;
		if (ncap > SP_YTD_MAXITEM + CHUNK)
			ncap = SP_YTD_MAXITEM + CHUNK;
		y->buf = sp_xrealloc(y->buf, ncap);
		y->cap = ncap;
	}
	r = y->readfn(y->ctx, y->buf + y->len, y->cap - y->len);
	if (r > 0 && (size_t)r > y->cap - y->len) {
		errno = EIO;
		return -1;
	}
	if (r > 0)
		y->len += (size_t)r;
	return r < 0 ? -1 : r;
}

/*
 * Scan the item on from pos, tracking strings and brackets only (jansson
 * judges the rest).  Returns 1 with pos just past the item's end, or 0
 * with pos at len when it goes on in input not yet read.
 */
static int
scan(struct sp_ytd *y)
{
	const unsigned char *b = y->buf;
	size_t i = y->pos, n = y->len, line = y->line, depth = y->depth;
	int instr = y->instr, esc = y->esc, bare = y->bare, done = 0;
	unsigned char c;

	for (; i < n; i++) {
		c = b[i];
		if (instr) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				instr = 0;
				if (depth == 0) {
					i++;
					done = 1;
					break;
				}
			} else if (c == '\n')
				line++;
			continue;
		}
		if (bare) {
			/* A delimiter ends a scalar and is not part of it. */
			if (isblank_json(c) || c == ',' || c == ']' ||
			    c == '}' || c == '[' || c == '{' || c == '"' ||
			    c == ':') {
				done = 1;
				break;
			}
			continue;
		}
		switch (c) {
		case '\n':
			line++;
			break;
		case '"':
			instr = 1;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				done = 1;
			break;
		}
		if (done) {
			i++;
			break;
		}
	}
	y->pos = i;
	y->line = line;
	y->depth = depth;
	y->instr = instr;
	y->esc = esc;
	return done;
}

/* Begin an item at pos, whose first byte is c. */
static int
start_item(struct sp_ytd *y, unsigned char c)
{
	char cb[16];

	if (c == ',' || c == ']' || c == '}' || c == ':')
		return fail(y, 1, "line %zu: expected an item, found %s",
		    y->line, showc(c, cb, sizeof(cb)));
	y->st = ST_ITEM;
	y->istart = y->pos;
	y->iline = y->line;
	y->nitem++;
	y->depth = 0;
	y->instr = 0;
	y->esc = 0;
	y->bare = c != '{' && c != '[' && c != '"';
	return 0;
}

static void
setwrapper(struct sp_ytd *y, const char *key)
{
	size_t n = strlen(key) + 1;

	/* Every item of a file has the same wrapper: copy it once. */
	if (y->wrapper == NULL || strcmp(y->wrapper, key) != 0) {
		if (n > y->wrapcap) {
			y->wrapper = sp_xrealloc(y->wrapper, n);
			y->wrapcap = n;
		}
		memcpy(y->wrapper, key, n);
	}
	y->haswrap = 1;
}

static const char *
typename(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	default:
		return "an object";
	}
}

/* The item buf[istart..pos) is complete: parse and unwrap it. */
static int
item_done(struct sp_ytd *y, json_t **item)
{
	json_error_t jerr;
	json_t *j, *v;
	void *it;
	size_t n = y->pos - y->istart;

	if (n > SP_YTD_MAXITEM)
		return fail(y, 0, "line %zu: item %zu: larger than %u bytes",
		    y->iline, y->nitem, SP_YTD_MAXITEM);
	j = json_loadb((const char *)y->buf + y->istart, n,
	    JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (j == NULL)
		return fail(y, 0, "line %zu: item %zu: malformed JSON: %s",
		    y->iline + (jerr.line > 1 ? (size_t)jerr.line - 1 : 0),
		    y->nitem, jerr.text);
	if (!json_is_object(j)) {
		fail(y, 0, "line %zu: item %zu: not a JSON object but %s",
		    y->iline, y->nitem, typename(j));
		json_decref(j);
		return -1;
	}
	if (json_object_size(j) == 1) {
		it = json_object_iter(j);
		v = json_object_iter_value(it);
		if (json_is_object(v)) {
			setwrapper(y, json_object_iter_key(it));
			json_incref(v);
			json_decref(j);
			j = v;
		}
	}
	*item = j;
	y->count++;
	return 1;
}

/* Check the header "window.YTD.<name>.part<N>" in head and keep its name. */
static int
header(struct sp_ytd *y)
{
	const char *p, *name;
	size_t n = y->headn;

	while (n > 0 && isblank_json((unsigned char)y->head[n - 1]))
		n--;
	y->head[n] = '\0';
	if (strncmp(y->head, "window.YTD.", 11) != 0)
		goto bad;
	name = y->head + 7;
	p = name + 4;
	if (*p == '.')
		goto bad;
	while (*p == '_' || (*p >= 'a' && *p <= 'z') ||
	    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
		p++;
	if (strncmp(p, ".part", 5) != 0 || p[5] == '\0')
		goto bad;
	for (p += 5; *p >= '0' && *p <= '9'; p++)
		;
	if (*p != '\0')
		goto bad;
	snprintf(y->global, sizeof(y->global), "%s", name);
	y->hasglobal = 1;
	return 0;
bad:
	return fail(y, 1, "line %zu: not an archive data file: the header is "
	    "not 'window.YTD.<name>.part<N> ='", y->line);
}

/* The input ended in state st. */
static int
at_eof(struct sp_ytd *y)
{
	switch (y->st) {
	case ST_TAIL:
	case ST_SEMI:
		y->st = ST_END;
		return 0;
	case ST_BOM:
	case ST_LEAD:
		return fail(y, 1, "line %zu: truncated: no data", y->line);
	case ST_HEAD:
		return fail(y, 1, "line %zu: truncated in the header",
		    y->line);
	case ST_OPEN:
		return fail(y, 1, "line %zu: truncated before '['", y->line);
	case ST_ITEM:
		return fail(y, 1, "line %zu: truncated inside item %zu "
		    "(from line %zu)", y->line, y->nitem, y->iline);
	default:
		return fail(y, 1, "line %zu: truncated before ']' "
		    "(after %zu items)", y->line, y->nitem);
	}
}

/* Whether c may be part of a header: letters, digits, '_', '.', blanks. */
static int
headchar(unsigned char c)
{
	return isblank_json(c) || c == '.' || c == '_' ||
	    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Take c, the byte at pos, outside an item.  Returns 0 or -1. */
static int
step(struct sp_ytd *y, unsigned char c)
{
	char cb[16];

	if (isblank_json(c) && y->st != ST_HEAD) {
		if (c == '\n')
			y->line++;
		y->pos++;
		return 0;
	}
	switch (y->st) {
	case ST_LEAD:
		if (c != '[') {
			y->st = ST_HEAD;
			return 0;
		}
		/* A bare array: a tool stripped the header. */
		y->st = ST_FIRST;
		break;
	case ST_HEAD:
		if (c == '=') {
			y->pos++;
			y->st = ST_OPEN;
			return header(y);
		}
		if (y->headn == sizeof(y->head) - 1 || !headchar(c))
			return fail(y, 1, "line %zu: not an archive data file: "
			    "no 'window.YTD.<name>.part<N> =' header",
			    y->line);
		if (c == '\n')
			y->line++;
		y->head[y->headn++] = (char)c;
		break;
	case ST_OPEN:
		if (c != '[')
			return fail(y, 1, "line %zu: expected '[' after '=', "
			    "found %s", y->line, showc(c, cb, sizeof(cb)));
		y->st = ST_FIRST;
		break;
	case ST_FIRST:
		if (c != ']')
			return start_item(y, c);
		y->st = ST_TAIL;
		break;
	case ST_MORE:
		return start_item(y, c);
	case ST_NEXT:
		if (c == ',')
			y->st = ST_MORE;
		else if (c == ']')
			y->st = ST_TAIL;
		else
			return fail(y, 1, "line %zu: expected ',' or ']' after "
			    "item %zu, found %s", y->line, y->nitem,
			    showc(c, cb, sizeof(cb)));
		break;
	default:
		/* ST_TAIL or ST_SEMI: one ';' may end the statement. */
		if (y->st != ST_TAIL || c != ';')
			return fail(y, 1, "line %zu: %s after the closing ']'",
			    y->line, showc(c, cb, sizeof(cb)));
		y->st = ST_SEMI;
		break;
	}
	y->pos++;
	return 0;
}

static int	advance(struct sp_ytd *, json_t **);

/*
 * An item is complete without being parsed: only its size and its
 * first byte are checked.
 */
static int
item_skipped(struct sp_ytd *y)
{
	if (y->pos - y->istart > SP_YTD_MAXITEM)
		return fail(y, 0, "line %zu: item %zu: larger than %u bytes",
		    y->iline, y->nitem, SP_YTD_MAXITEM);
	if (y->buf[y->istart] != '{')
		return fail(y, 0, "line %zu: item %zu: not a JSON object",
		    y->iline, y->nitem);
	y->count++;
	return 1;
}

int
sp_ytd_next(struct sp_ytd *y, json_t **item)
{
	return advance(y, item);
}

int
sp_ytd_skip(struct sp_ytd *y)
{
	return advance(y, NULL);
}

/* The next item, parsed into *item, or only passed over when item is NULL. */
static int
advance(struct sp_ytd *y, json_t **item)
{
	static const char bom[] = "\xef\xbb\xbf";
	unsigned char c;
	ssize_t r;
	int e;

	if (item)
		*item = NULL;
	y->haswrap = 0;
	if (y->st == ST_BAD)
		return -1;
	if (y->st == ST_RDERR)
		return -2;
	if (y->st == ST_END)
		return 0;
	y->err[0] = '\0';
	for (;;) {
		if (y->pos == y->len) {
			if (y->eof)
				return at_eof(y);
			if ((r = fill(y)) < 0) {
				e = errno;
				snprintf(y->err, sizeof(y->err),
				    "line %zu: read error", y->line);
				y->st = ST_RDERR;
				errno = e;
				return -2;
			}
			if (r == 0)
				y->eof = 1;
			continue;
		}
		if (y->st == ST_ITEM) {
			if (!scan(y)) {
				/* Stop keeping it; skip the rest. */
				if (!y->skipping &&
				    y->pos - y->istart > SP_YTD_MAXITEM) {
					y->skipping = 1;
					return fail(y, 0, "line %zu: item %zu: "
					    "larger than %u bytes", y->iline,
					    y->nitem, SP_YTD_MAXITEM);
				}
				continue;
			}
			y->st = ST_NEXT;
			if (y->skipping) {
				y->skipping = 0;
				continue;
			}
			return item ? item_done(y, item) : item_skipped(y);
		}
		c = y->buf[y->pos];
		if (y->st == ST_BOM) {
			if (c == (unsigned char)bom[y->bomn]) {
				y->pos++;
				if (++y->bomn == 3)
					y->st = ST_LEAD;
				continue;
			}
			if (y->bomn > 0)
				return fail(y, 1, "line 1: not an archive data "
				    "file: a broken byte order mark");
			y->st = ST_LEAD;
		}
		if (step(y, c) == -1)
			return -1;
	}
}

json_t *
sp_ytd_manifest(ssize_t (*readfn)(void *ctx, void *buf, size_t n),
    void *ctx, char *err, size_t errlen)
{
	static const char head[] = "window.__THAR_CONFIG";
	json_error_t jerr;
	json_t *j = NULL;
	char *buf = NULL, *p, *end;
	size_t len = 0, cap = 0, line = 1;
	ssize_t r;
	int e;

	if (errlen > 0)
		err[0] = '\0';
	/* Whole, but never more than the limit (+1 to tell it was more). */
	for (;;) {
		if (len == cap) {
			if (cap > SP_YTD_MAXMANIFEST) {
				sp_fail(err, errlen, "larger than %u bytes",
				    SP_YTD_MAXMANIFEST);
				goto out;
			}
			cap = cap ? cap * 2 : CHUNK;
			if (cap > SP_YTD_MAXMANIFEST + 1)
				cap = SP_YTD_MAXMANIFEST + 1;
			buf = sp_xrealloc(buf, cap);
		}
		r = readfn(ctx, buf + len, cap - len);
		if (r < 0 || (size_t)r > cap - len) {
			e = r < 0 ? errno : EIO;
			sp_fail(err, errlen, "read error: %s", strerror(e));
			errno = e;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	p = buf;
	end = buf + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end && isblank_json((unsigned char)*p); p++)
		if (*p == '\n')
			line++;
	if (p == end) {
		sp_fail(err, errlen, "line %zu: truncated: no data", line);
		goto out;
	}
	if (*p != '{') {
		/* The header, blanks, '='; without it, a bare object. */
		if ((size_t)(end - p) < sizeof(head) - 1 ||
		    memcmp(p, head, sizeof(head) - 1) != 0)
			goto nohead;
		for (p += sizeof(head) - 1;
		    p < end && isblank_json((unsigned char)*p); p++)
			if (*p == '\n')
				line++;
		if (p == end || *p != '=')
			goto nohead;
		p++;
	}
	/* jansson takes trailing blanks, not the ';' before them. */
	while (end > p && isblank_json((unsigned char)end[-1]))
		end--;
	if (end > p && end[-1] == ';')
		end--;
	j = json_loadb(p, (size_t)(end - p), JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    &jerr);
	if (j == NULL) {
		sp_fail(err, errlen, "line %zu: malformed JSON: %s",
		    line + (jerr.line > 1 ? (size_t)jerr.line - 1 : 0),
		    jerr.text);
		goto out;
	}
	if (!json_is_object(j)) {
		sp_fail(err, errlen, "line %zu: not a JSON object but %s", line,
		    typename(j));
		json_decref(j);
		j = NULL;
	}
	goto out;
nohead:
	sp_fail(err, errlen, "line %zu: not a manifest: no "
	    "'window.__THAR_CONFIG =' header", line);
out:
	free(buf);
	return j;
}

/* dataTypes.<type>, or NULL. */
static json_t *
datatype(const json_t *manifest, const char *type)
{
	return json_object_get(json_object_get(manifest, "dataTypes"), type);
}

json_t *
sp_ytd_manifest_files(const json_t *manifest, const char *type)
{
	json_t *f = json_object_get(datatype(manifest, type), "files");

	return json_is_array(f) ? f : NULL;
}

const char *
sp_ytd_manifest_media(const json_t *manifest, const char *type)
{
	json_t *m = json_object_get(datatype(manifest, type),
	    "mediaDirectory");

	return json_is_string(m) ? json_string_value(m) : NULL;
}

int
sp_ytd_part(const char *path, const char *base)
{
	const char *name, *p;
	size_t n = strlen(base);
	int part = 0, digits = 0;

	name = strrchr(path, '/');
	name = name ? name + 1 : path;
	if (n == 0 || strncmp(name, base, n) != 0)
		return -1;
	p = name + n;
	if (strcmp(p, ".js") == 0)
		return 0;
	if (strncmp(p, "-part", 5) != 0)
		return -1;
	/* At most 9 digits: no overflow, and no archive has more parts. */
	for (p += 5; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 9)
			return -1;
		part = part * 10 + (*p - '0');
	}
	if (digits == 0 || strcmp(p, ".js") != 0)
		return -1;
	return part;
}
