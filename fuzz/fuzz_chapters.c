/* fuzz_chapters: the chapter file reader on arbitrary bytes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chapters.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sorted(const struct sp_chapters *c, double max)
{
	size_t i;

	if ((c->n == 0) != (c->v == NULL))
		return 0;
	for (i = 0; i < c->n; i++) {
		if (!(c->v[i].start >= 0 && c->v[i].start <= max) ||
		    c->v[i].title == NULL ||
		    (c->v[i].url != NULL && c->v[i].url[0] == '\0'))
			return 0;
		if (i > 0 && c->v[i].start < c->v[i - 1].start)
			return 0;
	}
	return 1;
}

/* The JSON of c, as a new string. */
static char *
to_json(const struct sp_chapters *c, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	if (fp == NULL)
		abort();
	/* What the readers took is UTF-8: writing it cannot fail. */
	if (sp_chapters_write_json(c, fp) == -1)
		__builtin_trap();
	fclose(fp);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_chapters c, back, clip;
	char err[256], *js, *js2;
	size_t i, len, len2;
	double a, b;
	FILE *fp;
	int rc;

	if (size == 0 || (fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	sp_chapters_init(&c);
	err[0] = '\0';
	rc = sp_chapters_read(&c, fp, err, sizeof(err));
	fclose(fp);
	if (rc == -1) {
		/* A failure says why and adds nothing. */
		if (err[0] == '\0' || c.n != 0 || c.v != NULL)
			__builtin_trap();
		return 0;
	}
	if (rc != 0 || !sorted(&c, SP_CHAPTERS_MAXTIME))
		__builtin_trap();

	/* Written as JSON and read back: the same list, to the ms. */
	js = to_json(&c, &len);
	fp = fmemopen(js, len, "r");
	sp_chapters_init(&back);
	if (fp == NULL || sp_chapters_read(&back, fp, err, sizeof(err)) != 0)
		__builtin_trap();
	fclose(fp);
	if (back.n != c.n || !sorted(&back, SP_CHAPTERS_MAXTIME))
		__builtin_trap();
	for (i = 0; i < c.n; i++) {
		if (fabs(back.v[i].start - c.v[i].start) > 0.0005 +
		    c.v[i].start * 1e-15 ||
		    strcmp(back.v[i].title, c.v[i].title) != 0 ||
		    (back.v[i].url == NULL) != (c.v[i].url == NULL) ||
		    (c.v[i].url && strcmp(back.v[i].url, c.v[i].url) != 0))
			__builtin_trap();
	}
	/* ... and written again, the same bytes. */
	js2 = to_json(&back, &len2);
	if (len2 != len || memcmp(js, js2, len) != 0)
		__builtin_trap();
	free(js);
	free(js2);

	/* A clip between two of the chapters' times stays inside itself. */
	if (c.n > 0) {
		a = c.v[c.n / 3].start;
		b = c.v[c.n - 1].start + (data[0] & 1);
		sp_chapters_clip(&c, a, b, &clip);
		if (!sorted(&clip, b - a) || (b > a && clip.n == 0) ||
		    (clip.n > 0 && clip.v[0].start != 0))
			__builtin_trap();
		for (i = 0; i < clip.n; i++)
			if (!(clip.v[i].start < b - a))
				__builtin_trap();
		sp_chapters_release(&clip);
	}
	sp_chapters_release(&back);
	sp_chapters_release(&c);
	return 0;
}
