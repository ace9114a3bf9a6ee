/* t.h: the unit-test harness: TAP-like lines and a closing count. */
#ifndef SP_T_H
#define SP_T_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int t_n, t_failed;

static int
t_report(int ok, const char *file, int line, const char *what)
{
	t_n++;
	if (ok)
		printf("ok %d - %s\n", t_n, what);
	else {
		printf("not ok %d - %s (%s:%d)\n", t_n, what, file, line);
		t_failed++;
	}
	return ok;
}

#define T_OK(c)	t_report(!!(c), __FILE__, __LINE__, #c)

#define T_INT(a, b) do {						\
	long long t_a_ = (a), t_b_ = (b);				\
	if (!t_report(t_a_ == t_b_, __FILE__, __LINE__, #a " == " #b))	\
		printf("#   got %lld, want %lld\n", t_a_, t_b_);	\
} while (0)

#define T_STR(a, b) do {						\
	const char *t_a_ = (a), *t_b_ = (b);				\
	int t_ok_ = t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0;		\
	if (!t_report(t_ok_, __FILE__, __LINE__, #a " eq " #b))	\
		printf("#   got '%s', want '%s'\n",			\
		    t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");	\
} while (0)

#define T_DBL(a, b, eps) do {						\
	double t_a_ = (a), t_b_ = (b);					\
	if (!t_report(fabs(t_a_ - t_b_) <= (eps), __FILE__, __LINE__,	\
	    #a " ~ " #b))						\
		printf("#   got %.9g, want %.9g\n", t_a_, t_b_);	\
} while (0)

static int
t_done(void)
{
	printf("%d passed, %d failed\n", t_n - t_failed, t_failed);
	return t_failed ? 1 : 0;
}

#endif
