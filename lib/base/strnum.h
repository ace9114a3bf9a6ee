/* strnum: range-checked number parsing (never atoi/atof). */
#ifndef SP_STRNUM_H
#define SP_STRNUM_H

/*
 * Each returns 0 and stores the value, or -1 with *errstr (borrowed, static)
 * set to "invalid", "too small" or "too large".  The whole string must be
 * the number: no leading or trailing blanks, no empty string.
 */
int	sp_strtoll(const char *s, long long min, long long max, long long *v,
	    const char **errstr);
/* Decimal only: no hex, no inf, no nan. */
int	sp_strtod(const char *s, double min, double max, double *v,
	    const char **errstr);

#endif
