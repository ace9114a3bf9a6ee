/* fuzz_schedule_every: the --every shorthand, always a rule libical takes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icalrecurrencetype rt;
	struct sp_every e;
	char spec[256], err[200];

	if (size >= sizeof(spec) || memchr(data, '\0', size))
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (sp_every_parse(spec, &e, err, sizeof(err)) != 0) {
		if (*err == '\0')
			__builtin_trap();
		return 0;
	}
	if (e.hour < -1 || e.hour > 23 || e.min < -1 || e.min > 59 ||
	    (e.hour < 0) != (e.min < 0) || e.wdays < 0 || e.wdays > 0x7f)
		__builtin_trap();
	rt = icalrecurrencetype_from_string(e.rrule);
	if (rt.freq == ICAL_NO_RECURRENCE)
		__builtin_trap();
	return 0;
}
