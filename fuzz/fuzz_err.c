/* fuzz_err: libFuzzer harness for lib/err's escaping of diagnostics. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "banned.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* What the escaped text may hold: printable ASCII and whole UTF-8. */
static void
check_clean(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		CHECK(p[i] >= 0x20 && p[i] != 0x7f);
		/* No C1 control as UTF-8 (U+0080..U+009F is C2 80..9F). */
		if (p[i] == 0xc2 && i + 1 < len)
			CHECK(p[i + 1] < 0x80 || p[i + 1] > 0x9f);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = { 1, 2, 4, 5, 16, 1024 };
	char buf[1024];
	size_t i, n, len;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		n = sizes[i];
		memset(buf, 'Z', sizeof(buf));
		len = sp_escape(buf, n, (const char *)data, size);
		CHECK(len < n);
		CHECK(buf[len] == '\0' && strlen(buf) == len);
		/* Nothing written past the n bytes it was given. */
		if (n < sizeof(buf))
			CHECK(buf[n] == 'Z');
		check_clean(buf, len);
		/* What fits is all there; what is cut says so. */
		if (n == sizeof(buf) && size * 6 < n)
			CHECK(len >= size);
	}
	return 0;
}
