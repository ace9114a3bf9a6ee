/* template: output file names from templates like "%(id)s_%(part)02d.aac". */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "strnum.h"
#include "template.h"
#include "xalloc.h"
#include "banned.h"

#define KEYMAX 32

struct field {
	char	 key[KEYMAX];
	char	 flags[4];
	int	 width;
	char	 conv;		/* 's' or 'd' */
};

/* Parse the field after a '%' at *pp ("(key)02d"); advance *pp past it. */
static int
parse_field(const char **pp, struct field *f, char *err, size_t errlen)
{
	const char *p = *pp, *end;
	size_t k = 0, n;

	memset(f, 0, sizeof(*f));
	if (*p != '(')
		return sp_fail(err, errlen, "'%%' must be followed by (key) or %%");
	end = strchr(++p, ')');
	if (end == NULL || end == p || (n = (size_t)(end - p)) >= KEYMAX)
		return sp_fail(err, errlen, "bad field name after '%%('");
	memcpy(f->key, p, n);
	for (k = 0; k < n; k++)
		if (!islower((unsigned char)f->key[k]) && f->key[k] != '_' &&
		    !isdigit((unsigned char)f->key[k]))
			return sp_fail(err, errlen, "bad field name '%s'", f->key);
	p = end + 1;
	for (k = 0; (*p == '0' || *p == '-') && k + 1 < sizeof(f->flags); p++)
		f->flags[k++] = *p;
	while (isdigit((unsigned char)*p)) {
		f->width = f->width * 10 + (*p++ - '0');
		if (f->width > 64)
			return sp_fail(err, errlen, "field width over 64");
	}
	if (*p != 's' && *p != 'd')
		return sp_fail(err, errlen, "field '%s' needs a conversion, s or d",
		    f->key);
	f->conv = *p++;
	*pp = p;
	return 0;
}

int
sp_template_check(const char *tmpl, const char *const *keys, char *err,
    size_t errlen)
{
	const char *p = tmpl;
	struct field f;
	size_t i;

	while ((p = strchr(p, '%')) != NULL) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		if (parse_field(&p, &f, err, errlen) != 0)
			return -1;
		for (i = 0; keys[i]; i++)
			if (strcmp(keys[i], f.key) == 0)
				break;
		if (keys[i] == NULL)
			return sp_fail(err, errlen, "unknown field '%s'", f.key);
	}
	return 0;
}

/* Append to a growing string. */
static void
put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		while (*len + n + 1 > *cap)
			*cap = *cap ? *cap * 2 : 64;
		*buf = sp_xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Put v padded to the field's width: '-' pads right, '0' with zeros. */
static void
pad(char **buf, size_t *len, size_t *cap, const char *v, const struct field *f)
{
	size_t n = strlen(v), fill = f->width > 0 && (size_t)f->width > n ?
	    (size_t)f->width - n : 0;
	int left = strchr(f->flags, '-') != NULL;
	int zero = !left && f->conv == 'd' && strchr(f->flags, '0') != NULL;

	if (zero && *v == '-') {
		put(buf, len, cap, "-", 1);
		v++;
		n--;
	}
	while (!left && fill > 0) {
		put(buf, len, cap, zero ? "0" : " ", 1);
		fill--;
	}
	put(buf, len, cap, v, n);
	while (fill-- > 0)
		put(buf, len, cap, " ", 1);
}

char *
sp_template_expand(const char *tmpl,
    const char *(*lookup)(void *ctx, const char *key), void *ctx, char *err,
    size_t errlen)
{
	const char *p = tmpl, *pct, *v, *errstr;
	char *buf = NULL, num[32];
	size_t len = 0, cap = 0, start, i;
	struct field f;
	long long n;

	put(&buf, &len, &cap, "", 0);
	while ((pct = strchr(p, '%')) != NULL) {
		put(&buf, &len, &cap, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '%') {
			put(&buf, &len, &cap, "%", 1);
			p++;
			continue;
		}
		if (parse_field(&p, &f, err, errlen) != 0)
			goto bad;
		if ((v = lookup(ctx, f.key)) == NULL) {
			sp_fail(err, errlen, "unknown field '%s'", f.key);
			goto bad;
		}
		if (f.conv == 'd') {
			if (sp_strtoll(v, -1000000000000000LL,
			    1000000000000000LL, &n, &errstr) != 0) {
				sp_fail(err, errlen, "field '%s' is not a number: "
				    "'%s'", f.key, v);
				goto bad;
			}
			snprintf(num, sizeof(num), "%lld", n);
			pad(&buf, &len, &cap, num, &f);
			continue;
		}
		start = len;
		pad(&buf, &len, &cap, v, &f);
		/* A value is one name: never a path, never hidden. */
		for (i = start; i < len; i++)
			if (buf[i] == '/' || iscntrl((unsigned char)buf[i]) ||
			    (i == start && buf[i] == '.'))
				buf[i] = '_';
	}
	put(&buf, &len, &cap, p, strlen(p));
	if (len == 0 || strcmp(buf, ".") == 0 || strcmp(buf, "..") == 0) {
		sp_fail(err, errlen, "template gives an empty name");
		goto bad;
	}
	return buf;
bad:
	free(buf);
	return NULL;
}
