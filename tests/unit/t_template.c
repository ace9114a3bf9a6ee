/* t_template: output name templates. */
#include <stdlib.h>

#include "template.h"
#include "t.h"

static const char *
lookup(void *ctx, const char *key)
{
	static const char *kv[][2] = {
		{ "id", "1ypKdEXvkMLGW" }, { "part", "3" }, { "neg", "-7" },
		{ "date", "2022-03-22" }, { "title", "a/b\tc" },
		{ "dot", ".hidden" }, { "created_at", "2022-03-22T19:19:02.000Z" },
		{ "empty", "" },
	};
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (strcmp(kv[i][0], key) == 0)
			return kv[i][1];
	return NULL;
}

static char err[200];

static char *
x(const char *t)
{
	static char *last;

	free(last);
	last = sp_template_expand(t, lookup, NULL, err, sizeof(err));
	return last;
}

int
main(void)
{
	static const char *keys[] = { "id", "part", "date", "created_at",
	    NULL };

	T_STR(x("space-%(id)s_%(part)d.aac"), "space-1ypKdEXvkMLGW_3.aac");
	T_STR(x("%(date)s-%(id)s.m4a"), "2022-03-22-1ypKdEXvkMLGW.m4a");
	T_STR(x("part-%(part)02d.mp3"), "part-03.mp3");
	T_STR(x("[%(part)4d]"), "[   3]");
	T_STR(x("[%(part)-4d]"), "[3   ]");
	T_STR(x("[%(neg)04d]"), "[-007]");
	T_STR(x("[%(id)15s]"), "[  1ypKdEXvkMLGW]");
	T_STR(x("100%% %(part)d"), "100% 3");
	T_STR(x("plain.aac"), "plain.aac");
	T_STR(x("%(created_at)s"), "2022-03-22T19:19:02.000Z");
	/* Values never make a path or a hidden file. */
	T_STR(x("%(title)s.aac"), "a_b_c.aac");
	T_STR(x("%(dot)s"), "_hidden");
	T_STR(x("x%(dot)s"), "x_hidden");

	T_OK(x("%(nope)s") == NULL);
	T_STR(err, "unknown field 'nope'");
	T_OK(x("%(id)d") == NULL);
	T_STR(err, "field 'id' is not a number: '1ypKdEXvkMLGW'");
	T_OK(x("%(id)") == NULL);
	T_STR(err, "field 'id' needs a conversion, s or d");
	T_OK(x("%(id") == NULL);
	T_OK(x("%s") == NULL);
	T_OK(x("%") == NULL);
	T_OK(x("%()s") == NULL);
	T_OK(x("%(ID)s") == NULL);
	T_OK(x("%(part)999d") == NULL);
	T_OK(x("%(empty)s") == NULL);
	T_STR(err, "template gives an empty name");

	T_INT(sp_template_check("space-%(id)s_%(part)d.aac", keys, err,
	    sizeof(err)), 0);
	T_INT(sp_template_check("%(date)s/%%/%(created_at)s", keys, err,
	    sizeof(err)), 0);
	T_INT(sp_template_check("%(title)s", keys, err, sizeof(err)), -1);
	T_STR(err, "unknown field 'title'");
	T_INT(sp_template_check("%(id)x", keys, err, sizeof(err)), -1);
	T_OK(x(".") == NULL);
	x("free");
	return t_done();
}
