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
