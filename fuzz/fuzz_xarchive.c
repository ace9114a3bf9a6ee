/* fuzz_xarchive: archive data files and entry names through xarchive. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "xarchive.h"
#include "ytd.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t	*p;
	size_t		 n;
};

static ssize_t
memread(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;

	if (n > m->n)
		n = m->n;
	memcpy(buf, m->p, n);
	m->p += n;
	m->n -= n;
	return (ssize_t)n;
}

/*
 * The first byte picks the data file the rest is read as; the first line
 * is also classified as an entry name.  Spaces metadata goes through the
 * speakers' normalisation and every instant form.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "data/account.js",
	    "data/profile.js", "data/ageinfo.js", "data/follower-part1.js",
	    "data/following.js", "data/spaces-metadata.js",
	    "data/periscope-account-information.js" };
	struct sp_xarchive *x;
	struct sp_xentry e;
	struct sp_xmedia m = { "x", 1, 1, 1024, 48000, 2, 1, 1647976742000 };
	struct sp_ytd *y;
	struct mem mm;
	char name[256], err[300];
	json_t *u, *s, *ids;
	size_t k;

	if (size < 1)
		return 0;
	x = sp_xarchive_new();
	for (k = 0; k + 1 < size && k < sizeof(name) - 1 && data[k + 1] != '\n';
	    k++)
		name[k] = (char)data[k + 1];
	name[k] = '\0';
	sp_xarchive_classify(x, name, &e);
	if (e.kind == SP_X_MEDIA) {
		if (e.id[0] == '\0' || e.part < 0)
			__builtin_trap();
		sp_xarchive_media(x, e.id, e.part, &m);
		/* A second copy of a part is refused. */
		if (sp_xarchive_media(x, e.id, e.part, &m) != -1)
			__builtin_trap();
	}
	sp_xarchive_classify(x, names[data[0] % 7], &e);
	if (!sp_xarchive_wants(&e))
		__builtin_trap();
	mm.p = data + 1;
	mm.n = size - 1;
	y = sp_ytd_new(memread, &mm);
	sp_xarchive_data(x, &e, y, err, sizeof(err), NULL);
	sp_ytd_free(y);
	u = sp_xarchive_user(x);
	s = sp_xarchive_spaces(x, NULL);
	if (!json_is_array(s) || (u && !json_is_object(u)))
		__builtin_trap();
	ids = sp_xarchive_ids(x, data[0] & 1);
	if (!json_is_array(ids) || json_array_size(ids) > json_array_size(s))
		__builtin_trap();
	json_decref(ids);
	json_decref(u);
	json_decref(s);
	sp_xarchive_free(x);
	return 0;
}
