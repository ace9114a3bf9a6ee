/* fuzz_country: libFuzzer harness for lib/country's two lookups. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "banned.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* U+1F1EF U+1F1F5 and U+1F1FA U+1F1F8: the JP and US flags. */
#define FLAG_JP	"\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5"
#define FLAG_US	"\xf0\x9f\x87\xba\xf0\x9f\x87\xb8"

/* NULL, or two upper-case ASCII letters that name themselves. */
static void
check_code(const char *c)
{
	if (c == NULL)
		return;
	CHECK(c[0] >= 'A' && c[0] <= 'Z');
	CHECK(c[1] >= 'A' && c[1] <= 'Z');
	CHECK(c[2] == '\0');
	CHECK(sp_country_code(c) == c);
}

/*
 * One more place can only spoil an answer, never turn it into another
 * country: "X | <flag>" is that flag's country or nothing, and nothing
 * whenever X alone named a different country.
 */
static void
check_more(const char *s, size_t len, const char *was, const char *flag,
    const char *code)
{
	const char *r;
	char *t;
	size_t n = strlen(flag);

	if ((t = malloc(len + 1 + n + 1)) == NULL)
		return;
	memcpy(t, s, len);
	t[len] = '|';
	memcpy(t + len + 1, flag, n + 1);
	r = sp_country_from_location(t);
	check_code(r);
	CHECK(r == NULL || strcmp(r, code) == 0);
	if (was != NULL)
		CHECK((r != NULL) == (strcmp(was, code) == 0));
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a, *b;
	char *s;
	size_t len;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	len = strlen(s);

	a = sp_country_code(s);
	check_code(a);
	CHECK(sp_country_code(s) == a);

	b = sp_country_from_location(s);
	check_code(b);
	CHECK(sp_country_from_location(s) == b);
	check_more(s, len, b, FLAG_JP, "JP");
	check_more(s, len, b, FLAG_US, "US");

	free(s);
	return 0;
}
