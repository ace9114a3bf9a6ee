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

static void __attribute__((format(printf, 2, 0)))
vmsg(int errnum, const char *fmt, va_list ap)
{
	/* One fprintf per line keeps lines whole when stderr is shared. */
	char buf[1024];

	if (before_msg != NULL)
		before_msg();
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (errnum >= 0)
		fprintf(stderr, "%s: %s: %s\n", progname, buf,
		    strerror(errnum));
	else
		fprintf(stderr, "%s: %s\n", progname, buf);
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
