/* t_strnum: range-checked number parsing. */
#include <float.h>
#include <limits.h>

#include "strnum.h"
#include "t.h"

int
main(void)
{
	long long v;
	double d;
	const char *e;

	T_INT(sp_strtoll("42", 0, 100, &v, &e), 0);
	T_INT(v, 42);
	T_OK(e == NULL);
	T_INT(sp_strtoll("-5", -10, 10, &v, &e), 0);
	T_INT(v, -5);
	T_INT(sp_strtoll("0", 0, 0, &v, &e), 0);
	T_INT(sp_strtoll("101", 0, 100, &v, &e), -1);
	T_STR(e, "too large");
	T_INT(sp_strtoll("-1", 0, 100, &v, &e), -1);
	T_STR(e, "too small");
	T_INT(sp_strtoll("9223372036854775808", 0, LLONG_MAX, &v, &e), -1);
	T_STR(e, "too large");
	T_INT(sp_strtoll("-9223372036854775809", LLONG_MIN, 0, &v, &e), -1);
	T_STR(e, "too small");
	T_INT(sp_strtoll("9223372036854775807", 0, LLONG_MAX, &v, &e), 0);
	T_OK(v == LLONG_MAX);
	T_INT(sp_strtoll("", 0, 100, &v, &e), -1);
	T_STR(e, "invalid");
	T_INT(sp_strtoll(" 4", 0, 100, &v, &e), -1);
	T_INT(sp_strtoll("4 ", 0, 100, &v, &e), -1);
	T_INT(sp_strtoll("4x", 0, 100, &v, &e), -1);
	T_INT(sp_strtoll("0x10", 0, 100, &v, &e), -1);
	T_INT(sp_strtoll("1e3", 0, 10000, &v, &e), -1);
	T_INT(sp_strtoll(NULL, 0, 100, &v, &e), -1);

	T_INT(sp_strtod("1.5", 0, 10, &d, &e), 0);
	T_DBL(d, 1.5, 0);
	T_INT(sp_strtod("-16", -70, 0, &d, &e), 0);
	T_DBL(d, -16, 0);
	T_INT(sp_strtod("1e3", 0, 1e4, &d, &e), 0);
	T_DBL(d, 1000, 0);
	T_INT(sp_strtod(".5", 0, 1, &d, &e), 0);
	T_DBL(d, 0.5, 0);
	T_INT(sp_strtod("11", 0, 10, &d, &e), -1);
	T_STR(e, "too large");
	T_INT(sp_strtod("-0.1", 0, 10, &d, &e), -1);
	T_STR(e, "too small");
	T_INT(sp_strtod("inf", 0, DBL_MAX, &d, &e), -1);
	T_STR(e, "invalid");
	T_INT(sp_strtod("nan", -1, 1, &d, &e), -1);
	T_INT(sp_strtod("0x1p3", 0, 100, &d, &e), -1);
	T_INT(sp_strtod("1e999", 0, DBL_MAX, &d, &e), -1);
	T_STR(e, "too large");
	T_INT(sp_strtod("", 0, 1, &d, &e), -1);
	T_INT(sp_strtod(".", 0, 1, &d, &e), -1);
	T_INT(sp_strtod("1.5s", 0, 10, &d, &e), -1);
	T_INT(sp_strtod(" 1", 0, 10, &d, &e), -1);
	return t_done();
}
