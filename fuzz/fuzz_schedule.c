/* fuzz_schedule: iCalendar import: parse, expand, merge, write, read back. */
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
	icalcomponent *cal, *again, *into;
	struct sp_occ *v;
	char err[300], *text;
	size_t n, i;
	/* 2026-01-01 to 2026-04-01: a window across the March changes. */
	const int64_t from = 1767225600000LL, to = 1775001600000LL;

	if (sp_sched_parse((const char *)data, size, &cal, err,
	    sizeof(err)) != 0) {
		/* A refusal always says why. */
		if (*err == '\0')
			__builtin_trap();
		return 0;
	}
	sp_sched_expand(cal, from, to, "Europe/Paris", &v, &n);
	for (i = 0; i < n; i++) {
		if (v[i].start < from || v[i].start >= to ||
		    v[i].end < v[i].start || v[i].tz == NULL)
			__builtin_trap();
		if (i && v[i].start < v[i - 1].start)
			__builtin_trap();
		json_decref(sp_occ_record(&v[i]));
	}
	free(v);
	/* Import into a calendar: what libical writes, it reads back. */
	into = sp_sched_new_calendar();
	sp_sched_merge(into, cal);
	text = sp_sched_text(into);
	if (sp_sched_parse(text, strlen(text), &again, err, sizeof(err)) == 0)
		icalcomponent_free(again);
	free(text);
	icalcomponent_free(into);
	icalcomponent_free(cal);
	return 0;
}
