/* fuzz_xweb: the web endpoints' JSON answers and Space ids/URLs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xweb.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_xweb_space s;
	char err[160], id[SP_XWEB_IDMAX], msg[200], *u;
	long code;
	int geo;

	if (sp_xweb_parse_space((const char *)data, size, &s, err,
	    sizeof(err)) == 0) {
		(void)sp_xweb_phase(&s);
		if (s.started_at < 0 || s.ended_at < 0 ||
		    s.nstage > SP_XWEB_STAGEMAX)
			__builtin_trap();
		/* Stage ids and names go into journal lines: digits, and
		 * a screen name's characters, nothing else. */
		for (size_t i = 0; i < s.nstage; i++)
			if (s.stage[i].user_id[0] == '\0' ||
			    strspn(s.stage[i].user_id, "0123456789") !=
			    strlen(s.stage[i].user_id) ||
			    strspn(s.stage[i].username, "abcdefghijklmnopqrstu"
			    "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
			    strlen(s.stage[i].username))
				__builtin_trap();
		sp_xweb_space_release(&s);
	}
	if ((u = sp_xweb_parse_status((const char *)data, size, err,
	    sizeof(err), &geo)) != NULL) {
		if (strncmp(u, "http", 4) != 0 || geo)
			__builtin_trap();
		free(u);
	}
	/* A guest token goes into a header: never a byte that breaks it. */
	if ((u = sp_xweb_parse_guest((const char *)data, size, err,
	    sizeof(err))) != NULL) {
		if (strcspn(u, "\r\n: ;") != strlen(u) || *u == '\0')
			__builtin_trap();
		free(u);
	}
	/* An error message is printed: no control character in it. */
	if (sp_xweb_error((const char *)data, size, &code, msg,
	    sizeof(msg)) == 0) {
		for (u = msg; *u != '\0'; u++)
			if ((unsigned char)*u < 0x20 || *u == 0x7f)
				__builtin_trap();
	}
	if (size < 512) {
		char a[512], *f;

		memcpy(a, data, size);
		a[size] = '\0';
		if (sp_xweb_space_id(a, id, sizeof(id)) == 0 &&
		    (strlen(id) == 0 || strlen(id) > 13))
			__builtin_trap();
		/* A feature map (not a file: no '@'): compact JSON back. */
		if (a[0] != '@' && (f = sp_xweb_features(a, err,
		    sizeof(err))) != NULL) {
			if (f[0] != '{' || strlen(f) > size)
				__builtin_trap();
			free(f);
		}
	}
	return 0;
}
