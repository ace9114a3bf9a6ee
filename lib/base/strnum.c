/* strnum: range-checked number parsing (never atoi/atof). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "strnum.h"
#include "banned.h"

int
sp_strtoll(const char *s, long long min, long long max, long long *v,
    const char **errstr)
{
	char *end;
	long long n;

	*errstr = "invalid";
	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0')
		return -1;
	if ((errno == ERANGE && n == LLONG_MIN) || n < min) {
		*errstr = "too small";
		return -1;
	}
	if ((errno == ERANGE && n == LLONG_MAX) || n > max) {
		*errstr = "too large";
		return -1;
	}
	*errstr = NULL;
	*v = n;
	return 0;
}

int
sp_strtod(const char *s, double min, double max, double *v,
    const char **errstr)
{
	const char *p;
	char *end;
	double d;
	int digits = 0;

	*errstr = "invalid";
	if (s == NULL)
		return -1;
	/* Only [+-]digits[.digits][e[+-]digits]: strtod also takes hex/inf. */
	p = s;
	if (*p == '+' || *p == '-')
		p++;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p != '.' && *p != 'e' && *p != 'E' &&
		    *p != '+' && *p != '-')
			return -1;
	}
	if (digits == 0)
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (*end != '\0' || end == s || isnan(d))
		return -1;
	if (d < min || (errno == ERANGE && d < 0 && isinf(d))) {
		*errstr = "too small";
		return -1;
	}
	if (d > max || isinf(d)) {
		*errstr = "too large";
		return -1;
	}
	*errstr = NULL;
	*v = d;
	return 0;
}
