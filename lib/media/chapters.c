/* chapters: one chapter model, read from files and written to every format. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "chapters.h"
#include "err.h"
#include "json.h"
#include "strnum.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

#define TIME_MAX	64	/* longest time token of a text line */

/* A growing byte string, for FFMETADATA's unescaped keys and values. */
struct sbuf {
	char	*s;
	size_t	 len, cap;
};

void
sp_chapters_init(struct sp_chapters *c)
{
	c->v = NULL;
	c->n = 0;
}

void
sp_chapters_release(struct sp_chapters *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].title);
		free(c->v[i].url);
		free(c->v[i].img);
	}
	free(c->v);
	sp_chapters_init(c);
}

static double
clean_start(double start)
{
	return isfinite(start) && start > 0 ? start : 0;
}

/* Append ch without sorting; its strings are stolen. */
static void
push_chapter(struct sp_chapters *c, const struct sp_chapter *ch)
{
	/* Grow by powers of two: n is a power of two exactly when full. */
	if ((c->n & (c->n - 1)) == 0)
		c->v = sp_xreallocarray(c->v, c->n ? c->n * 2 : 4,
		    sizeof(*c->v));
	c->v[c->n++] = *ch;
}

static void
push(struct sp_chapters *c, double start, char *title, char *url)
{
	struct sp_chapter ch;

	memset(&ch, 0, sizeof(ch));
	ch.start = start;
	ch.title = title;
	ch.url = url;
	push_chapter(c, &ch);
}

static char *
dup_or_null(const char *s)
{
	return s && *s ? sp_xstrdup(s) : NULL;
}

void
sp_chapters_add(struct sp_chapters *c, double start, const char *title,
    const char *url)
{
	struct sp_chapter ch;

	memset(&ch, 0, sizeof(ch));
	ch.start = start;
	ch.title = (char *)title;
	ch.url = (char *)url;
	sp_chapters_add_chapter(c, &ch);
}

size_t
sp_chapters_visible(const struct sp_chapters *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += !c->v[i].hidden;
	return n;
}

void
sp_chapters_add_chapter(struct sp_chapters *c, const struct sp_chapter *in)
{
	struct sp_chapter ch;
	size_t lo, hi, mid;
	double start = clean_start(in->start);

	ch.start = start;
	ch.title = sp_xstrdup(in->title ? in->title : "");
	ch.url = dup_or_null(in->url);
	ch.img = dup_or_null(in->img);
	ch.hidden = in->hidden != 0;
	/* Append, then move it back: in-order adds cost no memmove. */
	push_chapter(c, &ch);
	/* Insert after every chapter that does not start later (stable). */
	lo = 0;
	hi = c->n - 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->v[mid].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n - 1) {
		ch = c->v[c->n - 1];
		memmove(c->v + lo + 1, c->v + lo,
		    (c->n - 1 - lo) * sizeof(*c->v));
		c->v[lo] = ch;
	}
}

/* Stable merge sort by start: equal starts keep their file order. */
static void
msort(struct sp_chapter *v, struct sp_chapter *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	msort(v, tmp, h);
	msort(v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = v[j].start < v[i].start ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

static void
sort_chapters(struct sp_chapters *c)
{
	struct sp_chapter *tmp;

	if (c->n < 2)
		return;
	/* qsort is not stable, and file order decides equal starts. */
	tmp = sp_xreallocarray(NULL, c->n, sizeof(*tmp));
	msort(c->v, tmp, c->n);
	free(tmp);
}

/* 1 when the n bytes at s are UTF-8 (shortest forms, no surrogates). */
static int
utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, len;
	uint32_t cp;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xC2 && p[i] <= 0xDF) {
			len = 2;
			cp = p[i] & 0x1F;
		} else if (p[i] >= 0xE0 && p[i] <= 0xEF) {
			len = 3;
			cp = p[i] & 0x0F;
		} else if (p[i] >= 0xF0 && p[i] <= 0xF4) {
			len = 4;
			cp = p[i] & 0x07;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

/* A title of n bytes at s as a new string, or NULL after a message. */
static char *
take_text(const char *s, size_t n, size_t line, char *err, size_t errlen)
{
	if (memchr(s, '\0', n) != NULL) {
		sp_fail(err, errlen, "line %zu: NUL byte in title", line);
		return NULL;
	}
	if (!utf8_ok(s, n)) {
		sp_fail(err, errlen, "line %zu: title is not UTF-8", line);
		return NULL;
	}
	return sp_xstrndup(s, n);
}

/* Read all of fp, bounded; -1 after a message. */
static int
slurp(FILE *fp, char **out, size_t *outlen, char *err, size_t errlen)
{
	char *b = NULL;
	size_t len = 0, cap = 0, got;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			b = sp_xrealloc(b, cap);
		}
		got = fread(b + len, 1, cap - len - 1, fp);
		len += got;
		if (len > SP_CHAPTERS_MAXFILE) {
			sp_fail(err, errlen, "chapter file larger than %u MiB",
			    SP_CHAPTERS_MAXFILE >> 20);
			free(b);
			return -1;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		sp_fail(err, errlen, "read error: %s", strerror(errno));
		free(b);
		return -1;
	}
	b[len] = '\0';
	*out = b;
	*outlen = len;
	return 0;
}

/*
 * The line at which element k of the root's "chapters" array begins, in a
 * text jansson has already found valid (so strings and brackets balance);
 * jansson keeps no positions of the values it decodes.
 */
static size_t
json_elem_line(const char *b, size_t n, size_t k)
{
	size_t i, start, line = 1, depth = 0, idx = 0;
	int expect_key = 0, is_chapters = 0, in_arr = 0, want = 0;

	for (i = 0; i < n; i++) {
		if (b[i] == '\n') {
			line++;
			continue;
		}
		if (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')
			continue;
		if (in_arr && depth == 2 && want) {
			if (idx == k && b[i] != ']')
				return line;
			want = 0;
		}
		switch (b[i]) {
		case '"':
			start = ++i;
			while (i < n && b[i] != '"')
				i += b[i] == '\\' ? 2 : 1;
			if (depth == 1 && expect_key)
				is_chapters = i - start == 8 &&
				    memcmp(b + start, "chapters", 8) == 0;
			break;
		case '{':
		case '[':
			depth++;
			if (depth == 1)
				expect_key = 1;
			else if (depth == 2 && b[i] == '[' && is_chapters &&
			    !expect_key) {
				in_arr = want = 1;
				idx = 0;
			}
			break;
		case '}':
		case ']':
			if (depth == 2 && in_arr)
				return line;
			if (depth > 0)
				depth--;
			break;
		case ':':
			if (depth == 1)
				expect_key = 0;
			break;
		case ',':
			if (depth == 1)
				expect_key = 1;
			else if (depth == 2 && in_arr) {
				idx++;
				want = 1;
			}
			break;
		}
	}
	return line;
}

static int
read_json(struct sp_chapters *out, const char *b, size_t n, char *err,
    size_t errlen)
{
	json_t *root, *arr, *ch, *title, *url, *img, *toc, *ver;
	struct sp_chapter c;
	json_error_t je;
	size_t i;
	double start;
	int rc = -1;

	root = json_loadb(b, n, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		sp_fail(err, errlen, "line %d: %s", je.line > 0 ? je.line : 1,
		    je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		sp_fail(err, errlen, "line 1: not a JSON chapters object");
		goto out;
	}
	ver = json_object_get(root, "version");
	if (ver != NULL && !json_is_string(ver)) {
		sp_fail(err, errlen, "line 1: \"version\" is not a string");
		goto out;
	}
	arr = json_object_get(root, "chapters");
	if (!json_is_array(arr)) {
		sp_fail(err, errlen, "line 1: no \"chapters\" array");
		goto out;
	}
	json_array_foreach(arr, i, ch) {
#define BAD(what) do {							\
	sp_fail(err, errlen, "line %zu: chapter %zu: %s",		\
	    json_elem_line(b, n, i), i + 1, what);			\
	goto out;							\
} while (0)
		if (!json_is_object(ch))
			BAD("not an object");
		if (sp_json_num(ch, "startTime", &start) == -1)
			BAD("no \"startTime\" number");
		if (!(start >= 0 && start <= SP_CHAPTERS_MAXTIME))
			BAD("\"startTime\" out of range");
		title = json_object_get(ch, "title");
		if (title != NULL && !json_is_string(title) &&
		    !json_is_null(title))
			BAD("\"title\" is not a string");
		url = json_object_get(ch, "url");
		if (url != NULL && !json_is_string(url) && !json_is_null(url))
			BAD("\"url\" is not a string");
		img = json_object_get(ch, "img");
		if (img != NULL && !json_is_string(img) && !json_is_null(img))
			BAD("\"img\" is not a string");
		toc = json_object_get(ch, "toc");
		if (toc != NULL && !json_is_boolean(toc) && !json_is_null(toc))
			BAD("\"toc\" is not true or false");
#undef BAD
		/* jansson has checked the UTF-8 and refused NUL. */
		memset(&c, 0, sizeof(c));
		c.start = start;
		c.title = sp_xstrdup(json_is_string(title) ?
		    json_string_value(title) : "");
		c.url = dup_or_null(json_string_value(url));
		c.img = dup_or_null(json_string_value(img));
		c.hidden = json_is_false(toc);
		push_chapter(out, &c);
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int
read_text(struct sp_chapters *out, const char *b, size_t n, char *err,
    size_t errlen)
{
	char tok[TIME_MAX];
	const char *p, *e, *eol, *t;
	size_t line = 0, tl;
	double start;
	char *title;

	for (p = b; p < b + n; p = eol + (eol < b + n)) {
		line++;
		eol = memchr(p, '\n', (size_t)(b + n - p));
		if (eol == NULL)
			eol = b + n;
		e = eol;
		if (e > p && e[-1] == '\r')
			e--;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e || *p == '#')
			continue;
		for (t = p; t < e && *t != ' ' && *t != '\t'; t++)
			;
		tl = (size_t)(t - p);
		/* sp_parse_duration wants a string; no time is this long. */
		if (tl < sizeof(tok))
			memcpy(tok, p, tl);
		tok[tl < sizeof(tok) ? tl : 0] = '\0';
		if (tl >= sizeof(tok) || memchr(tok, '\0', tl) != NULL ||
		    sp_parse_duration(tok, &start) == -1) {
			sp_fail(err, errlen, "line %zu: '%.*s' is not a time",
			    line, tl > 32 ? 32 : (int)tl, p);
			return -1;
		}
		/* The title is the rest, its outer blanks trimmed. */
		while (t < e && (*t == ' ' || *t == '\t'))
			t++;
		while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((title = take_text(t, (size_t)(e - t), line, err,
		    errlen)) == NULL)
			return -1;
		push(out, start, title, NULL);
	}
	return 0;
}

static void
sbuf_put(struct sbuf *s, char ch)
{
	if (s->len + 1 >= s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->s = sp_xrealloc(s->s, s->cap);
	}
	s->s[s->len++] = ch;
	s->s[s->len] = '\0';
}

/* One FFMETADATA chapter being read. */
struct ffchap {
	size_t	 line;		/* of its [CHAPTER], 0 when none is open */
	long long num, den, start;
	int	 has_start;
	char	*title;		/* new */
};

/* Close the open chapter into out; -1 after a message. */
static int
ff_close(struct sp_chapters *out, struct ffchap *f, char *err, size_t errlen)
{
	double start;

	if (f->line == 0)
		return 0;
	if (!f->has_start) {
		sp_fail(err, errlen, "line %zu: chapter without START",
		    f->line);
		return -1;
	}
	start = (double)f->start * (double)f->num / (double)f->den;
	if (!(start <= SP_CHAPTERS_MAXTIME)) {
		sp_fail(err, errlen, "line %zu: chapter START out of range",
		    f->line);
		return -1;
	}
	push(out, start, f->title ? f->title : sp_xstrdup(""), NULL);
	f->title = NULL;
	f->line = 0;
	return 0;
}

/*
 * FFMETADATA as libavformat/ffmetadec.c reads it: a backslash makes the
 * next byte (a newline too) literal; ';' and '#' begin comment lines.
 */
static int
read_ffmeta(struct sp_chapters *out, const char *b, size_t n, char *err,
    size_t errlen)
{
	struct sbuf key = { NULL, 0, 0 }, val = { NULL, 0, 0 };
	struct ffchap f = { 0, 1, 1000000000, 0, 0, NULL };
	size_t i = 0, line = 1, first;
	int eq, esc0, rc = -1;
	long long v;
	const char *es;
	char *slash;

	while (i < n) {
		first = line;
		key.len = val.len = 0;
		if (key.s)
			key.s[0] = '\0';
		if (val.s)
			val.s[0] = '\0';
		eq = 0;
		esc0 = i < n && b[i] == '\\';
		for (; i < n && b[i] != '\n'; i++) {
			if (b[i] == '\\' && i + 1 < n) {
				if (b[++i] == '\n')
					line++;
				sbuf_put(eq ? &val : &key, b[i]);
			} else if (b[i] == '=' && !eq)
				eq = 1;
			else if (b[i] == '\r' && (i + 1 == n ||
			    b[i + 1] == '\n'))
				;	/* CRLF */
			else
				sbuf_put(eq ? &val : &key, b[i]);
		}
		i++;		/* the newline */
		line++;
		/* Blank lines, comments, then section headers. */
		if (key.len == 0 && !eq)
			continue;
		if (!esc0 && key.len > 0 && (key.s[0] == ';' ||
		    key.s[0] == '#'))
			continue;
		if (!esc0 && !eq && key.s[0] == '[') {
			if (ff_close(out, &f, err, errlen) == -1)
				goto out;
			if (strcmp(key.s, "[CHAPTER]") == 0) {
				f.line = first;
				f.num = 1;
				f.den = 1000000000;
				f.has_start = 0;
			}
			continue;
		}
		if (f.line == 0)
			continue;	/* global or stream metadata */
		if (!eq) {
			sp_fail(err, errlen, "line %zu: expected key=value",
			    first);
			goto out;
		}
		if (strcmp(key.s, "TIMEBASE") == 0) {
			slash = val.s ? strchr(val.s, '/') : NULL;
			if (slash == NULL)
				goto badtb;
			*slash = '\0';
			if (sp_strtoll(val.s, 1, INT32_MAX, &f.num, &es) ==
			    -1 || sp_strtoll(slash + 1, 1, INT32_MAX, &f.den,
			    &es) == -1) {
badtb:
				sp_fail(err, errlen, "line %zu: bad TIMEBASE",
				    first);
				goto out;
			}
		} else if (strcmp(key.s, "START") == 0 ||
		    strcmp(key.s, "END") == 0) {
			if (sp_strtoll(val.s ? val.s : "", 0, INT64_MAX, &v,
			    &es) == -1) {
				sp_fail(err, errlen, "line %zu: bad %s",
				    first, key.s);
				goto out;
			}
			if (key.s[0] == 'S') {
				f.start = v;
				f.has_start = 1;
			}
		} else if (strcasecmp(key.s, "title") == 0) {
			/* av_dict keys are case-insensitive: so is title. */
			free(f.title);
			f.title = NULL;
			if ((f.title = take_text(val.s ? val.s : "", val.len,
			    first, err, errlen)) == NULL)
				goto out;
		}
	}
	rc = ff_close(out, &f, err, errlen);
out:
	free(f.title);
	free(key.s);
	free(val.s);
	return rc;
}

int
sp_chapters_read(struct sp_chapters *c, FILE *fp, char *err, size_t errlen)
{
	struct sp_chapters got;
	char *buf;
	const char *b, *p;
	size_t n, i;
	int rc;

	if (slurp(fp, &buf, &n, err, errlen) == -1)
		return -1;
	b = buf;
	if (n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0) {
		b += 3;
		n -= 3;
	}
	for (p = b; p < b + n && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'); p++)
		;
	/*
	 * Sniff: no text line can start with "{" or "[" (a time comes
	 * first), and ffmpeg always writes its ";FFMETADATA1" header.
	 */
	sp_chapters_init(&got);
	if (p < b + n && *p == '{')
		rc = read_json(&got, b, n, err, errlen);
	else if (((size_t)(b + n - p) >= 11 &&
	    memcmp(p, ";FFMETADATA", 11) == 0) ||
	    ((size_t)(b + n - p) >= 9 && memcmp(p, "[CHAPTER]", 9) == 0))
		rc = read_ffmeta(&got, b, n, err, errlen);
	else
		rc = read_text(&got, b, n, err, errlen);
	free(buf);
	if (rc == -1) {
		sp_chapters_release(&got);
		return -1;
	}
	/* The new ones after the old, then one stable sort. */
	for (i = 0; i < got.n; i++)
		push_chapter(c, &got.v[i]);
	free(got.v);
	sort_chapters(c);
	return 0;
}

void
sp_chapters_clip(const struct sp_chapters *in, double start, double end,
    struct sp_chapters *out)
{
	struct sp_chapter ch;
	size_t i, first, k;

	sp_chapters_init(out);
	if (!(end > start))	/* NaN too */
		return;
	for (first = 0; first < in->n && in->v[first].start < start; first++)
		;
	/* The chapter that runs into the clip, unless one starts with it;
	 * a hidden one (an image, say) with the visible one it lies in. */
	if (first > 0 && (first == in->n || in->v[first].start > start)) {
		for (k = first; k > 0 && in->v[k - 1].hidden; k--)
			;
		if (k > 0 && k < first) {
			ch = in->v[k - 1];
			ch.start = 0;
			sp_chapters_add_chapter(out, &ch);
		}
		ch = in->v[first - 1];
		ch.start = 0;
		sp_chapters_add_chapter(out, &ch);
	}
	for (i = first; i < in->n && in->v[i].start < end; i++) {
		ch = in->v[i];
		ch.start -= start;
		sp_chapters_add_chapter(out, &ch);
	}
}

int
sp_chapters_write_json(const struct sp_chapters *c, FILE *fp)
{
	json_t *root, *arr, *o, *t;
	long long ms;
	size_t i;
	int rc;

	arr = json_array();
	root = json_pack("{s:s, s:o}", "version", "1.2.0", "chapters", arr);
	if (root == NULL)
		sp_errx(3, "out of memory");
	for (i = 0; i < c->n; i++) {
		ms = llround(clean_start(c->v[i].start) * 1000);
		o = json_object();
		json_array_append_new(arr, o);
		json_object_set_new(o, "startTime", ms % 1000 == 0 ?
		    json_integer(ms / 1000) : json_real((double)ms / 1000));
		/* title and url are optional in 1.2: leave out empty ones. */
		if (c->v[i].title && *c->v[i].title) {
			if ((t = json_string(c->v[i].title)) == NULL)
				goto badutf8;
			json_object_set_new(o, "title", t);
		}
		if (c->v[i].url && *c->v[i].url) {
			if ((t = json_string(c->v[i].url)) == NULL)
				goto badutf8;
			json_object_set_new(o, "url", t);
		}
		if (c->v[i].img && *c->v[i].img) {
			if ((t = json_string(c->v[i].img)) == NULL)
				goto badutf8;
			json_object_set_new(o, "img", t);
		}
		if (c->v[i].hidden)
			json_object_set_new(o, "toc", json_false());
	}
	/* 15 digits: ms of any time up to SP_CHAPTERS_MAXTIME, and no
	 * 0.30000000000000004. */
	rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	json_decref(root);
	if (rc == -1 || fputc('\n', fp) == EOF || fflush(fp) == EOF ||
	    ferror(fp))
		return -1;
	return 0;
badutf8:
	json_decref(root);
	errno = EILSEQ;
	return -1;
}
