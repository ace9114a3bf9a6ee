/* fuzz_ytd: the archive data-file and manifest readers on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ytd.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t	*p;
	size_t		 len, off, step;
};

static ssize_t
readin(void *ctx, void *buf, size_t n)
{
	struct in *in = ctx;
	size_t k = in->len - in->off;

	if (k > n)
		k = n;
	if (in->step && k > in->step)
		k = in->step;
	memcpy(buf, in->p + in->off, k);
	in->off += k;
	return (ssize_t)k;
}

/* FNV-1a over what a call gave back, to compare two readings. */
static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

/* Read the input in reads of step bytes, checking the invariants. */
static uint64_t
readall(const uint8_t *data, size_t size, size_t step)
{
	struct in in = { data, size, 0, step };
	struct sp_ytd *y = sp_ytd_new(readin, &in);
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t calls, last = 0;
	json_t *item;
	char *s, prev[256] = "";
	int rc;

	/* Every call but the last two consumes a byte at least. */
	for (calls = 0; calls < size + 3; calls++) {
		rc = sp_ytd_next(y, &item);
		h = mix(h, &rc, sizeof(rc));
		if (rc == 1) {
			if (!json_is_object(item) ||
			    sp_ytd_count(y) != last + 1 ||
			    sp_ytd_error(y)[0] != '\0')
				__builtin_trap();
			if (sp_ytd_wrapper(y))
				h = mix(h, sp_ytd_wrapper(y),
				    strlen(sp_ytd_wrapper(y)));
			if ((s = json_dumps(item, JSON_COMPACT |
			    JSON_ENCODE_ANY)) != NULL) {
				h = mix(h, s, strlen(s));
				free(s);
			}
			json_decref(item);
			last++;
			prev[0] = '\0';
			continue;
		}
		/* Nothing returned, the count kept, an error says why. */
		if (item != NULL || sp_ytd_count(y) != last ||
		    sp_ytd_wrapper(y) != NULL)
			__builtin_trap();
		if (rc == 0) {
			if (sp_ytd_error(y)[0] != '\0' ||
			    sp_ytd_next(y, &item) != 0)
				__builtin_trap();
			break;
		}
		/* Errors are line-numbered; a sticky one repeats itself. */
		if (rc != -1 || strncmp(sp_ytd_error(y), "line ", 5) != 0)
			__builtin_trap();
		if (strcmp(prev, sp_ytd_error(y)) == 0)
			break;
		snprintf(prev, sizeof(prev), "%s", sp_ytd_error(y));
		h = mix(h, prev, strlen(prev));
	}
	if (calls == size + 3)
		__builtin_trap();	/* no progress */
	if (sp_ytd_global(y))
		h = mix(h, sp_ytd_global(y), strlen(sp_ytd_global(y)));
	sp_ytd_free(y);
	return h;
}

static json_t *
load(const uint8_t *data, size_t size, size_t step, char *err, size_t len)
{
	struct in in = { data, size, 0, step };
	json_t *m;

	err[0] = '\0';
	m = sp_ytd_manifest(readin, &in, err, len);
	/* An object and no message, or NULL and a message. */
	if (m != NULL ? !json_is_object(m) || err[0] != '\0' : err[0] == '\0')
		__builtin_trap();
	return m;
}

/* The manifest reader: the same however read; names and parts agree. */
static void
manifest(const uint8_t *data, size_t size)
{
	char err[256], err1[256];
	const char *key, *name, *media, *base, *slash;
	json_t *m, *m1, *dt, *v, *files, *f;
	size_t i;
	int part;

	m = load(data, size, 0, err, sizeof(err));
	/* Read a byte at a time, the same result. */
	m1 = load(data, size, 1, err1, sizeof(err1));
	if (strcmp(err, err1) != 0 || (m == NULL) != (m1 == NULL) ||
	    (m != NULL && !json_equal(m, m1)))
		__builtin_trap();
	json_decref(m1);
	if (m == NULL)
		return;
	dt = json_object_get(m, "dataTypes");
	json_object_foreach(dt, key, v) {
		files = sp_ytd_manifest_files(m, key);
		media = sp_ytd_manifest_media(m, key);
		if ((files != NULL && !json_is_array(files)) ||
		    (media != NULL && media != json_string_value(
		    json_object_get(v, "mediaDirectory"))))
			__builtin_trap();
		json_array_foreach(files, i, f) {
			name = json_string_value(json_object_get(f,
			    "fileName"));
			if (name == NULL)
				continue;
			/* A name is a part of its own base at most once. */
			slash = strrchr(name, '/');
			base = slash ? slash + 1 : name;
			part = sp_ytd_part(name, key);
			if (part < -1 || sp_ytd_part(name, base) != -1)
				__builtin_trap();
			if (part >= 0 && strncmp(base, key, strlen(key)) != 0)
				__builtin_trap();
		}
	}
	json_decref(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* However the input is cut into reads, the results are the same. */
	if (readall(data, size, 0) != readall(data, size, 1) ||
	    readall(data, size, 0) != readall(data, size, 5))
		__builtin_trap();
	manifest(data, size);
	return 0;
}
