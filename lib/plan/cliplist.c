/* cliplist: the clips to cut, from clip records or "START END [TITLE]" lines. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliplist.h"
#include "json.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

void
sp_cliplist_init(struct sp_cliplist *l)
{
	memset(l, 0, sizeof(*l));
}

void
sp_cliplist_release(struct sp_cliplist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].title);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
sp_cliplist_add(struct sp_cliplist *l, double start, double end,
    const char *title, size_t line)
{
	l->v = sp_xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].start = start;
	l->v[l->n].end = end;
	l->v[l->n].title = title && *title ? sp_xstrdup(title) : NULL;
	l->v[l->n].line = line;
	l->n++;
}

/* A record's time: a number of seconds, or a string in any time form. */
static int
rec_time(const json_t *rec, const char *key, double *v)
{
	json_t *j = json_object_get(rec, key);

	if (json_is_number(j)) {
		*v = json_number_value(j);
		return isfinite(*v) && *v >= 0 ? 0 : -1;
	}
	if (json_is_string(j))
		return sp_parse_duration(json_string_value(j), v);
	return -1;
}

static int
json_line(struct sp_cliplist *l, char *s, size_t line, const char **why)
{
	json_error_t jerr;
	json_t *rec = json_loads(s, 0, &jerr);
	const char *type;
	double a, b;

	*why = NULL;
	if (!json_is_object(rec)) {
		json_decref(rec);
		*why = "not a JSON object";
		return -1;
	}
	type = sp_rec_type(rec);
	if (type && strcmp(type, "clip") != 0) {
		json_decref(rec);
		return 0;		/* another record type: passed over */
	}
	if (rec_time(rec, "start", &a) != 0 || rec_time(rec, "end", &b) != 0) {
		json_decref(rec);
		*why = "a clip record needs a start and an end";
		return -1;
	}
	sp_cliplist_add(l, a, b, sp_json_str(rec, "title"), line);
	json_decref(rec);
	return 0;
}

static int
text_line(struct sp_cliplist *l, char *s, size_t line, const char **why)
{
	char *a, *b, *title, *save;
	double x, y;

	a = strtok_r(s, " \t", &save);
	b = strtok_r(NULL, " \t", &save);
	title = strtok_r(NULL, "", &save);
	if (a == NULL || b == NULL) {
		*why = "expected START END [TITLE]";
		return -1;
	}
	if (sp_parse_duration(a, &x) != 0) {
		*why = "START is not a time";
		return -1;
	}
	if (sp_parse_duration(b, &y) != 0) {
		*why = "END is not a time";
		return -1;
	}
	while (title && isspace((unsigned char)*title))
		title++;
	sp_cliplist_add(l, x, y, title, line);
	return 0;
}

/*
 * One line of fp into *buf (its newline kept out); its length, -1 at the
 * end or on a read error, -2 past SP_CLIPLIST_MAXLINE.  Bounded, as the
 * NDJSON reader: an endless line (/dev/zero) must not take the memory.
 */
static ssize_t
read_line(FILE *fp, char **buf, size_t *cap)
{
	size_t len = 0;
	int c;

	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (len + 1 >= *cap) {
			if (*cap >= SP_CLIPLIST_MAXLINE)
				return -2;
			*cap = *cap ? *cap * 2 : 256;
			*buf = sp_xrealloc(*buf, *cap);
		}
		(*buf)[len++] = (char)c;
	}
	if (c == EOF && (len == 0 || ferror(fp)))
		return -1;
	if (*buf == NULL)
		*buf = sp_xmalloc(*cap = 1);
	(*buf)[len] = '\0';
	return (ssize_t)len;
}

long
sp_cliplist_read(struct sp_cliplist *l, FILE *fp,
    void (*bad)(void *ctx, size_t line, const char *why), void *ctx)
{
	char *buf = NULL, *s;
	size_t cap = 0, line = 0;
	ssize_t n;
	long nbad = 0;
	const char *why;
	int rc;

	while ((n = read_line(fp, &buf, &cap)) != -1) {
		line++;
		if (n == -2) {
			/* The rest of it could be endless: stop here. */
			nbad++;
			if (bad)
				bad(ctx, line, "longer than 16 MiB (the rest "
				    "is not read)");
			break;
		}
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
		    isspace((unsigned char)buf[n - 1])))
			buf[--n] = '\0';
		s = buf;
		if (line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		rc = *s == '{' ? json_line(l, s, line, &why) :
		    text_line(l, s, line, &why);
		if (rc != 0) {
			nbad++;
			if (bad)
				bad(ctx, line, why);
		}
	}
	free(buf);
	return ferror(fp) ? -1 : nbad;
}

int
sp_clip_name_is_template(const char *tmpl)
{
	const char *p;

	for (p = tmpl; *p; p++)
		if (*p == '%') {
			if (p[1] != '%')
				return 1;
			p++;
		}
	return 0;
}

/* "Intro & News!" -> "intro-news". */
static void
slug(const char *title, char *out, size_t n)
{
	size_t k = 0;
	int dash = 0;

	for (; title && *title && k + 2 < n; title++) {
		if (isalnum((unsigned char)*title)) {
			if (dash && k > 0)
				out[k++] = '-';
			out[k++] = (char)tolower((unsigned char)*title);
			dash = 0;
		} else
			dash = 1;
	}
	out[k] = '\0';
	if (k == 0)
		snprintf(out, n, "clip");
}

char *
sp_clip_name(const char *tmpl, size_t index, const char *title, double start,
    char *err, size_t errlen)
{
	char *out = NULL, buf[128];
	size_t len = 0, cap = 0, w;
	const char *p;
	int width, zero;

	for (p = tmpl; *p; p++) {
		buf[0] = '\0';
		if (*p != '%') {
			buf[0] = *p;
			buf[1] = '\0';
		} else if (p[1] == '%') {
			snprintf(buf, sizeof(buf), "%%");
			p++;
		} else {
			p++;
			zero = *p == '0';
			for (width = 0; isdigit((unsigned char)*p) && width < 100;
			    p++)
				width = width * 10 + (*p - '0');
			switch (*p) {
			case 'n':
				snprintf(buf, sizeof(buf), zero ? "%0*zu" :
				    "%*zu", width, index);
				break;
			case 't':
				slug(title, buf, sizeof(buf));
				break;
			case 's':
				snprintf(buf, sizeof(buf), "%.3f", start);
				/* "750.000" -> "750", "12.500" -> "12.5" */
				for (w = strlen(buf); buf[w - 1] == '0'; w--)
					buf[w - 1] = '\0';
				if (buf[strlen(buf) - 1] == '.')
					buf[strlen(buf) - 1] = '\0';
				break;
			default:
				snprintf(err, errlen, "unknown conversion "
				    "'%%%c' (use %%n, %%t, %%s)", *p ? *p : ' ');
				free(out);
				return NULL;
			}
		}
		w = strlen(buf);
		if (len + w + 1 > cap) {
			cap = (len + w + 1) * 2;
			out = sp_xrealloc(out, cap);
		}
		memcpy(out + len, buf, w + 1);
		len += w;
	}
	if (out == NULL)
		out = sp_xstrdup("");
	return out;
}
