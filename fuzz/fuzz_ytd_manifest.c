/* fuzz_ytd_manifest: the archive manifest reader and part names, fuzzed. */
#include <stdint.h>
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
		return 0;
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
	return 0;
}
