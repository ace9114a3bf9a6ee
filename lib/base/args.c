/* args: numbers from the command line and the environment, for cmd/. */
#include <stdlib.h>

#include "args.h"
#include "err.h"
#include "strnum.h"
#include "banned.h"

long long
sp_arg_int(const char *name, const char *s, long long min, long long max)
{
	const char *errstr;
	long long v;

	if (sp_strtoll(s, min, max, &v, &errstr) != 0)
		sp_errx(SP_EXIT_USAGE, "%s '%s': %s (%lld to %lld)", name, s,
		    errstr, min, max);
	return v;
}

double
sp_arg_num(const char *name, const char *s, double min, double max)
{
	const char *errstr;
	double v;

	if (sp_strtod(s, min, max, &v, &errstr) != 0)
		sp_errx(SP_EXIT_USAGE, "%s '%s': %s (%g to %g)", name, s,
		    errstr, min, max);
	return v;
}

long long
sp_env_int(const char *name, long long min, long long max, long long def)
{
	const char *s = getenv(name);

	return s == NULL || *s == '\0' ? def : sp_arg_int(name, s, min, max);
}

double
sp_env_num(const char *name, double min, double max, double def)
{
	const char *s = getenv(name);

	return s == NULL || *s == '\0' ? def : sp_arg_num(name, s, min, max);
}

const char *
sp_env_str(const char *name, const char *def)
{
	const char *s = getenv(name);

	return s == NULL || *s == '\0' ? def : s;
}
