/* fuzz_consent: a consent ledger of arbitrary bytes, read and folded. */
#include <sys/mman.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "consent.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The bytes are the ledger file (in memory, read through /proc): every
 * record read must come back the same from its own record, and the fold
 * and a clip check over one turn of each person must hold together.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct sp_ledger l;
	struct sp_consent back;
	struct sp_turns t;
	struct sp_turn one;
	char path[64], err[256];
	json_t *rec, *voices;
	size_t i;
	int st;

	if (fd == -1 && (fd = memfd_create("ledger", 0)) == -1)
		return 0;
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	sp_ledger_init(&l);
	if (sp_ledger_read(&l, path, err, sizeof(err)) != 0)
		__builtin_trap();
	sp_turns_init(&t);
	for (i = 0; i < l.n; i++) {
		rec = sp_consent_record(&l.v[i]);
		if (sp_consent_from_record(rec, &back) != 0 ||
		    memcmp(&back, &l.v[i], sizeof(back)) != 0)
			__builtin_trap();
		json_decref(rec);
		st = sp_consent_state(&l, l.v[i].user_id, l.v[i].username,
		    l.v[i].space_id, l.v[i].use, NULL);
		/* The record itself covers its own question. */
		if (st == SP_CONSENT_NONE)
			__builtin_trap();
		memset(&one, 0, sizeof(one));
		memcpy(one.user_id, l.v[i].user_id, sizeof(one.user_id));
		memcpy(one.username, l.v[i].username, sizeof(one.username));
		one.start = (double)i;
		one.end = i + 1.0;
		one.started_ms = one.ended_ms = SP_NO_MS;
		sp_turns_add(&t, &one);
	}
	if (sp_consent_check(&l, &t, "S", 0, INFINITY, SP_USE_CLIPS,
	    &voices) == SP_CHECK_UNKNOWN && t.n > 0)
		__builtin_trap();
	json_decref(voices);
	sp_turns_release(&t);
	sp_ledger_release(&l);
	return 0;
}
