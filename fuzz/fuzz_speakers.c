/* fuzz_speakers: Hydra tag texts, the active-speaker rule and spoken sessions. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speakers.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Turns leave the follower in time order, each within the tags' span. */
static void
check(const struct sp_turns *t, size_t from, double lo, double hi)
{
	size_t i;

	for (i = from; i < t->n; i++) {
		if (!(t->v[i].start <= t->v[i].end) || t->v[i].start < lo ||
		    t->v[i].end > hi + SP_HYDRA_MAXGAP + 1e-6)
			__builtin_trap();
		if (i > from && t->v[i].start < t->v[i - 1].start)
			__builtin_trap();
		if (memchr(t->v[i].user_id, 0, SP_UID_LEN) == NULL ||
		    memchr(t->v[i].username, 0, SP_UNAME_LEN) == NULL)
			__builtin_trap();
	}
}

/*
 * The input: lines of "participants<TAB>levels"; each line is a tag one
 * step later (the step from the first byte).  The whole input is also
 * read as a space record, as turn records and as an ADTS stream.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sp_floor f;
	struct sp_hydra_person p[SP_HYDRA_SLOTS];
	struct sp_turns out;
	double lv[SP_HYDRA_SLOTS], step, t = 0, lo = 0, hi = 0, dur;
	char *text, *line, *next, *tab;
	int64_t origin;
	json_t *sp;
	FILE *fp;
	char err[128];

	if (size == 0 || size > 1 << 16)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	step = (data[0] % 16) / 4.0;
	sp_turns_init(&out);
	sp_floor_init(&f, (data[0] >> 4) / 2.0, "1");
	for (line = text + 1; line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((tab = strchr(line, '\t')) != NULL)
			*tab++ = '\0';
		if (sp_hydra_participants(line, p, SP_HYDRA_SLOTS) >
		    SP_HYDRA_SLOTS || sp_hydra_levels(tab ? tab : line, lv,
		    SP_HYDRA_SLOTS) > SP_HYDRA_SLOTS)
			__builtin_trap();
		sp_floor_tag(&f, t, line, tab, &out);
		hi = t;
		t += step;
	}
	sp_floor_finish(&f, &out);
	check(&out, 0, lo, hi);
	sp_turns_release(&out);

	memcpy(text, data, size);
	if ((sp = json_loadb(text, size, JSON_DECODE_ANY, NULL)) != NULL) {
		sp_sessions_from_space(sp, SP_BASIS_ARCHIVE, &out);
		sp_turns_place(&out, 0);
		sp_turns_release(&out);
		json_decref(sp);
	}
	/* As turn and user records (spaces-clip --speakers). */
	if ((fp = fmemopen(text, size, "r")) != NULL) {
		if (sp_turns_read(fp, "fuzz", &out, err, sizeof(err)) >= 0)
			for (size_t i = 0; i < out.n; i++)
				if (!(out.v[i].start <= out.v[i].end) &&
				    !(out.v[i].started_ms <= out.v[i].ended_ms))
					__builtin_trap();
		sp_turns_release(&out);
		fclose(fp);
	}
	if ((fp = fmemopen(text, size, "r")) != NULL) {
		sp_floor_init(&f, 2, "");
		if (sp_speakers_audio(fp, &f, &out, &origin, &dur, err,
		    sizeof(err)) == 0 && f.ntags > 0) {
			check(&out, 0, 0, 1e12);
			sp_turns_cut(&out, 0, dur);
			check(&out, 0, 0, dur);
		}
		sp_turns_release(&out);
		fclose(fp);
	}
	free(text);
	return 0;
}
