/* err: err(3)-style diagnostics prefixed with the program's name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "banned.h"

static const char *progname = "spaces";
static void (*before_msg)(void);

void
sp_set_before_msg(void (*fn)(void))
{
	before_msg = fn;
}

void
sp_setprogname(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	progname = p ? p + 1 : argv0;
}

const char *
sp_getprogname(void)
{
	return progname;
}

/*
 * The longest message, escaped: a 100 KB error body from a server or a
 * hostile file name still makes one readable line.
 */
#define MSG_MAX	1024

/* The length of a valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t len, i;
	unsigned c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Characters a terminal acts on rather than shows: C0 and C1 controls,
 * DEL, and the bidirectional overrides that reorder what follows.
 */
static int
is_control(unsigned c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 ||
	    c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f;
}

/*
 * Escape src into dst; with cut, keep room for "..." and put it where the
 * text is cut.  Returns the length written, *whole when all of src was.
 */
static size_t
escape(char *dst, size_t n, const char *src, size_t len, int cut,
    int *whole)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	char tmp[12];
	size_t i = 0, o = 0, k, t;
	unsigned cp;

	while (i < len) {
		k = utf8_len(s + i, len - i, &cp);
		t = 0;
		if (k == 0) {		/* not UTF-8: the byte in hex */
			tmp[t++] = '\\';
			tmp[t++] = 'x';
			tmp[t++] = hex[s[i] >> 4];
			tmp[t++] = hex[s[i] & 15];
			k = 1;
		} else if (is_control(cp) && cp < 0x80) {
			tmp[t++] = '\\';
			switch (cp) {
			case '\a':
				tmp[t++] = 'a';
				break;
			case '\b':
				tmp[t++] = 'b';
				break;
			case '\t':
				tmp[t++] = 't';
				break;
			case '\n':
				tmp[t++] = 'n';
				break;
			case '\r':
				tmp[t++] = 'r';
				break;
			case 0x1b:
				tmp[t++] = 'e';
				break;
			default:
				tmp[t++] = 'x';
				tmp[t++] = hex[cp >> 4];
				tmp[t++] = hex[cp & 15];
			}
		} else if (is_control(cp))
			t = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", cp);
		else {
			memcpy(tmp, s + i, k);
			t = k;
		}
		/*
		 * Room for this, and for "..." should more follow: so when
		 * it is cut, "..." fits where the last whole piece ended.
		 */
		if (o + t + (cut && i + k < len ? 3 : 0) >= n) {
			if (cut && o + 3 < n) {
				memcpy(dst + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(dst + o, tmp, t);
		o += t;
		i += k;
	}
	dst[o] = '\0';
	*whole = i == len;
	return o;
}

size_t
sp_escape(char *dst, size_t n, const char *src, size_t len)
{
	size_t o;
	int whole;

	if (n == 0)
		return 0;
	o = escape(dst, n, src, len, 0, &whole);
	return whole ? o : escape(dst, n, src, len, 1, &whole);
}

/* fmt formatted and escaped into buf (MSG_MAX bytes). */
static void __attribute__((format(printf, 2, 0)))
format(char *buf, const char *fmt, va_list ap)
{
	char raw[4 * MSG_MAX];
	int len;

	if (before_msg != NULL)
		before_msg();
	if ((len = vsnprintf(raw, sizeof(raw), fmt, ap)) < 0)
		len = 0;
	sp_escape(buf, MSG_MAX, raw, (size_t)len < sizeof(raw) ?
	    (size_t)len : sizeof(raw) - 1);
}

static void __attribute__((format(printf, 2, 0)))
vmsg(int errnum, const char *fmt, va_list ap)
{
	/* One fprintf per line keeps lines whole when stderr is shared. */
	char buf[MSG_MAX];

	format(buf, fmt, ap);
	if (errnum >= 0)
		fprintf(stderr, "%s: %s: %s\n", progname, buf,
		    strerror(errnum));
	else
		fprintf(stderr, "%s: %s\n", progname, buf);
}

void
sp_note(const char *fmt, ...)
{
	char buf[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	format(buf, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", buf);
}

void
sp_warn(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vmsg(e, fmt, ap);
	va_end(ap);
}

void
sp_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(-1, fmt, ap);
	va_end(ap);
}

void
sp_vwarnx(const char *fmt, va_list ap)
{
	vmsg(-1, fmt, ap);
}

void
sp_err(int status, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vmsg(e, fmt, ap);
	va_end(ap);
	exit(status);
}

void
sp_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(-1, fmt, ap);
	va_end(ap);
	exit(status);
}

int
sp_fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && n > 0) {
		va_start(ap, fmt);
		vsnprintf(err, n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *
sp_esc(const char *s, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "(null)");
	char one[8];
	size_t len = 0, mark = 0, k;

	if (n < 8) {
		if (n > 0)
			buf[0] = '\0';
		return buf;
	}
	for (; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == '\\')
			snprintf(one, sizeof(one), "\\%c", *p == '\n' ? 'n' :
			    *p == '\r' ? 'r' : *p == '\t' ? 't' : '\\');
		else if (*p < 0x20 || *p == 0x7f)
			snprintf(one, sizeof(one), "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* U+0080-U+009F: CSI and the other C1 controls. */
			snprintf(one, sizeof(one), "\\x%02x", p[1]);
			p++;
		} else {
			one[0] = (char)*p;
			one[1] = '\0';
		}
		k = strlen(one);
		if (len + k > n - 1) {
			/* Cut at the last whole character that leaves room. */
			memcpy(buf + mark, "...", 3);
			len = mark + 3;
			break;
		}
		memcpy(buf + len, one, k);
		len += k;
		if (len <= n - 4 && (p[1] & 0xc0) != 0x80)
			mark = len;
	}
	buf[len] = '\0';
	return buf;
}
