/* t_xarchive: entry names, instants, speakers, split archives, zip types. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "xarchive.h"
#include "ytd.h"
#include "zipread.h"
#include "t.h"

struct mem {
	const char	*p;
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

static char warned[4096];

static void
warn(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(warned);

	va_start(ap, fmt);
	vsnprintf(warned + n, sizeof(warned) - n, fmt, ap);
	va_end(ap);
	n = strlen(warned);
	if (n + 1 < sizeof(warned)) {
		warned[n] = '\n';
		warned[n + 1] = '\0';
	}
}

/* Read text as data/<file> into x. */
static int
feed(struct sp_xarchive *x, const char *file, const char *text)
{
	struct sp_xentry e;
	struct sp_ytd *y;
	struct mem m = { text, strlen(text) };
	char name[128], err[300];
	int r;

	snprintf(name, sizeof(name), "data/%s", file);
	sp_xarchive_classify(x, name, &e);
	y = sp_ytd_new(memread, &m);
	r = sp_xarchive_data(x, &e, y, err, sizeof(err), warn);
	sp_ytd_free(y);
	return r;
}

/* The compact JSON of key in the only (or first) Space. */
static char *
space_key(struct sp_xarchive *x, const char *id, const char *key)
{
	json_t *a = sp_xarchive_spaces(x, id);
	char *s = json_dumps(json_object_get(json_array_get(a, 0), key),
	    JSON_COMPACT | JSON_ENCODE_ANY);

	json_decref(a);
	return s;
}

static void
t_names(void)
{
	static const struct {
		const char *name, *id;
		int part, named;
	} c[] = {
		{ "data/spaces_media/space-1ypKdEXvkMLGW_0.ts",
		    "1ypKdEXvkMLGW", 0, 1 },
		{ "data/spaces_media/space-1ypKdEXvkMLGW_12.aac",
		    "1ypKdEXvkMLGW", 12, 1 },
		{ "data/spaces_media/space-1ypKdEXvkMLGW.ts",
		    "1ypKdEXvkMLGW", 0, 1 },
		{ "data/spaces_media/1ypKdEXvkMLGW_3.m4a", "1ypKdEXvkMLGW", 3,
		    1 },
		{ "data/spaces_media/1ypKdEXvkMLGW-2", "1ypKdEXvkMLGW", 2, 1 },
		{ "top/data/spaces_media/space-1ds9oZUADFdiZ_1.ts",
		    "1ds9oZUADFdiZ", 1, 1 },
		{ "data/spaces_media/recording 1.m4a", "recording_1", 0, 0 },
		{ "data/spaces_media/.ts", "_ts", 0, 0 },
		{ "data/spaces_media/space-a_b_c.ts", "space-a_b_c", 0, 0 },
		{ "data/spaces_media/sub/x_0.ts", "x", 0, 1 },
	};
	struct sp_xarchive *x = sp_xarchive_new();
	struct sp_xentry e;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		sp_xarchive_classify(x, c[i].name, &e);
		T_INT(e.kind, SP_X_MEDIA);
		T_STR(e.id, c[i].id);
		T_INT(e.part, c[i].part);
		T_INT(e.named, c[i].named);
	}
	sp_xarchive_classify(x, "data/tweets_media/space-1ypKdEXvkMLGW_0.ts",
	    &e);
	T_INT(e.kind, SP_X_OTHER);
	sp_xarchive_classify(x, "data/periscope-account-information.js", &e);
	T_INT(e.kind, SP_X_DATA);
	T_OK(sp_xarchive_wants(&e));
	sp_xarchive_free(x);
}

static void
t_instants(void)
{
	static const struct {
		const char *json;
		long long ms;
	} c[] = {
		{ "1647976742", 1647976742000LL },	/* seconds */
		{ "1647976742000", 1647976742000LL },	/* milliseconds */
		{ "\"1647976742\"", 1647976742000LL },
		{ "\"1647976742391\"", 1647976742391LL },
		{ "1647976742.391", 1647976742391LL },
		{ "99999999999", 99999999999000LL },	/* just under 1e11 */
		{ "100000000000", 100000000000LL },	/* 1e11: ms */
		{ "0", 0 },
		{ "\"2022-03-22T19:19:02.000Z\"", 1647976742000LL },
		{ "\"Tue Mar 22 19:19:02 +0000 2022\"", 1647976742000LL },
		{ "\"Tue Mar 22 20:19:02 +0100 2022\"", 1647976742000LL },
	};
	static const char *const bad[] = { "\"Tue Foo 22 19:19:02 +0000 "
	    "2022\"", "\"Tue Mar 22 19:19:02 +0000 2022 x\"", "\"\"", "null",
	    "true", "[]", "1e300" };
	json_t *v;
	int64_t ms;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		v = json_loads(c[i].json, JSON_DECODE_ANY, NULL);
		ms = -1;
		T_INT(sp_xarchive_instant(v, &ms), 0);
		T_INT(ms, c[i].ms);
		json_decref(v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = json_loads(bad[i], JSON_DECODE_ANY, NULL);
		T_INT(sp_xarchive_instant(v, &ms), -1);
		json_decref(v);
	}
}

#define HEAD "window.YTD.spaces_metadata.part0 = [ { \"spacesMetadata\" : { " \
	"\"id\" : \"1ds9oZUADFdiZ\", \"createdAt\" : 1648506962, " \
	"\"endedAt\" : 1648511310, \"speakers\" : "
#define WANT "[{\"user_id\":\"1\",\"sessions\":[{\"started_at\":" \
	"\"2022-03-28T22:37:00.000Z\",\"ended_at\":\"2022-03-28T23:48:25.000Z\"" \
	"}],\"start\":\"2022-03-28T22:37:00.000Z\",\"end\":" \
	"\"2022-03-28T23:48:25.000Z\"},{\"user_id\":\"2\",\"sessions\":[{" \
	"\"started_at\":" \
	"\"2022-03-28T22:46:02.000Z\",\"ended_at\":\"2022-03-28T22:51:02.000Z\"" \
	"},{\"started_at\":\"2022-03-28T23:01:02.000Z\",\"ended_at\":" \
	"\"2022-03-28T23:03:02.000Z\"}],\"start\":\"2022-03-28T22:46:02.000Z\"," \
	"\"end\":\"2022-03-28T23:03:02.000Z\"}]"

/* Every nesting gives one entry a person, sessions in time order. */
static void
t_speakers(void)
{
	static const char *const nest[] = {
		/* flat, the second person's sessions out of order */
		"[{\"userId\":\"1\",\"start\":1648507020,\"end\":1648511305},"
		"{\"userId\":\"2\",\"start\":1648508462,\"end\":1648508582},"
		"{\"userId\":2,\"start\":1648507562,\"end\":1648507862}]",
		/* nested */
		"[{\"user_id\":1,\"sessions\":[{\"startTime\":\"2022-03-28T22:"
		"37:00Z\",\"endTime\":\"2022-03-28T23:48:25Z\"}]},{\"userId\":"
		"\"2\",\"sessions\":[{\"start\":1648507562000,\"end\":"
		"1648507862000},{\"start\":1648508462,\"end\":1648508582}]}]",
		/* pairs and a wrapper */
		"[{\"speaker\":{\"userId\":\"1\",\"spokenSessions\":[[1648507020,"
		"1648511305]]}},{\"userId\":\"2\",\"spoken_sessions\":[["
		"1648507562,1648507862],[1648508462,1648508582]]}]",
		/* the person nested */
		"[{\"user\":{\"id\":\"1\"},\"startedAt\":1648507020,\"endedAt\":"
		"1648511305},{\"user\":\"2\",\"start\":1648507562,\"end\":"
		"1648507862},{\"user\":{\"rest_id\":\"2\"},\"start\":1648508462,"
		"\"end\":1648508582}]",
		/* a map */
		"{\"1\":[{\"start\":1648507020,\"end\":1648511305}],\"2\":{"
		"\"sessions\":[[1648508462,1648508582],[1648507562,1648507862]]"
		"}}",
	};
	struct sp_xarchive *x;
	char text[2048], *s;
	size_t i;

	for (i = 0; i < sizeof(nest) / sizeof(nest[0]); i++) {
		x = sp_xarchive_new();
		warned[0] = '\0';
		snprintf(text, sizeof(text), "%s%s } } ]", HEAD, nest[i]);
		T_INT(feed(x, "spaces-metadata.js", text), 0);
		s = space_key(x, "1ds9oZUADFdiZ", "speakers");
		T_STR(s, WANT);
		free(s);
		s = space_key(x, "1ds9oZUADFdiZ", "speaker_ids");
		T_STR(s, "[\"1\",\"2\"]");
		free(s);
		s = space_key(x, "1ds9oZUADFdiZ", "speakers_complete");
		T_STR(s, "true");
		free(s);
		T_STR(warned, "");
		sp_xarchive_free(x);
	}
	/* Elements without a person are reported by position. */
	x = sp_xarchive_new();
	warned[0] = '\0';
	snprintf(text, sizeof(text), "%s%s } } ]", HEAD,
	    "[{\"start\":1648507020},\"\",{\"userId\":\"3\",\"start\":\"x\"}]");
	T_INT(feed(x, "spaces-metadata.js", text), 0);
	T_STR(warned, "Space 1ds9oZUADFdiZ: speaker 1 has no user id; left out\n"
	    "Space 1ds9oZUADFdiZ: speaker 2 has no user id; left out\n"
	    "Space 1ds9oZUADFdiZ: 1 speaker time is not a time; left out\n");
	s = space_key(x, "1ds9oZUADFdiZ", "speakers");
	T_STR(s, "[{\"user_id\":\"3\",\"sessions\":[]}]");
	free(s);
	sp_xarchive_free(x);
}

/* Ids, early instants, live Spaces, the manifest's archiveInfo. */
static void
t_spaces(void)
{
	struct sp_xarchive *x = sp_xarchive_new();
	struct sp_xmedia m = { "a", 1, 1, 1024, 48000, 2, 1, 1648506962500 };
	int64_t size, maxpart, parts;
	json_t *man, *ids;
	char *s;
	int n;

	man = json_loads("{\"archiveInfo\":{\"sizeBytes\":\"120000000000\","
	    "\"generationDate\":\"2022-03-28T23:00:00.000Z\","
	    "\"isPartialArchive\":true,\"maxPartSizeBytes\":\"53687091200\"}}",
	    0, NULL);
	sp_xarchive_manifest(x, man);
	T_INT(sp_xarchive_partial(x, &size, &maxpart, &parts, &n), 1);
	T_INT(size, 120000000000LL);
	T_INT(parts, 3);
	T_INT(n, 1);
	warned[0] = '\0';
	T_INT(feed(x, "spaces-metadata.js", "[ {\"spaceId\":\"1aaaaaaaaaaaa\","
	    "\"createdAt\":\"2019-05-01T00:00:00Z\",\"endedAt\":0}, "
	    "{\"broadcastId\":\"1bbbbbbbbbbbb\",\"createdAt\":1648506962,"
	    "\"endedAt\":1648511310,\"totalParticipated\":1e300}, "
	    "{\"createdAt\":1}, {\"id\":\"../x\"} ]"), 0);
	T_STR(warned, "Space 1aaaaaaaaaaaa: createdAt 2019-05-01T00:00:00.000Z "
	    "is before Spaces existed (2020-11-01)\n"
	    "Space 1aaaaaaaaaaaa: endedAt is 0 (1970); taken as absent\n"
	    "spaces-metadata: item 3: a Space without an id (id, spaceId, "
	    "broadcastId); left out\n"
	    "spaces-metadata: item 4: id is not a Space id; left out\n");
	/* No end: live.  Ended after the archive was made: live then. */
	s = space_key(x, "1aaaaaaaaaaaa", "speakers_complete");
	T_STR(s, "false");
	free(s);
	s = space_key(x, "1bbbbbbbbbbbb", "speakers_complete");
	T_STR(s, "false");
	free(s);
	/* A count out of range is kept as it was, never cast. */
	s = space_key(x, "1bbbbbbbbbbbb", "total_participated");
	T_STR(s, "1.0000000000000001e300");
	free(s);
	s = space_key(x, "1bbbbbbbbbbbb", "archive_generated_at");
	T_STR(s, "\"2022-03-28T23:00:00.000Z\"");
	free(s);
	T_INT(sp_xarchive_media(x, "1ccccccccccccc", 1, &m), 0);
	T_INT(sp_xarchive_media(x, "1ccccccccccccc", 1, &m), -1);
	T_INT(sp_xarchive_has_part(x, "1ccccccccccccc", 1), 1);
	T_INT(sp_xarchive_has_part(x, "1ccccccccccccc", 0), 0);
	s = space_key(x, "1ccccccccccccc", "audio");
	T_OK(s && strstr(s, "\"started_at\":\"2022-03-28T22:36:02.500Z\""));
	free(s);
	ids = sp_xarchive_ids(x, 0);
	s = json_dumps(ids, JSON_COMPACT);
	T_STR(s, "[\"1aaaaaaaaaaaa\",\"1bbbbbbbbbbbb\"]");
	free(s);
	json_decref(ids);
	ids = sp_xarchive_ids(x, 1);
	s = json_dumps(ids, JSON_COMPACT);
	T_STR(s, "[\"1ccccccccccccc\"]");
	free(s);
	json_decref(ids);
	sp_xarchive_free(x);
}

/* The user: the age given without a birth date, the Periscope id. */
static void
t_user(void)
{
	struct sp_xarchive *x = sp_xarchive_new();
	json_t *u;

	T_INT(feed(x, "ageinfo.js", "[{\"ageMeta\":{\"ageInfo\":{\"age\":"
	    "[\"46\"]},\"inferredAgeInfo\":{\"age\":[\"13-99\"],\"birthDate\":"
	    "\"1990-01-01\"}}}]"), 0);
	T_INT(feed(x, "periscope-account-information.js",
	    "[{\"periscopeAccountInformation\":{\"id\":\"1mnxeRzLxqYJX\","
	    "\"twitterId\":\"111\"}}]"), 0);
	u = sp_xarchive_user(x);
	T_INT(json_integer_value(json_object_get(u, "age")), 46);
	T_OK(json_object_get(u, "birth_date") == NULL);
	T_STR(json_string_value(json_object_get(u, "periscope_id")),
	    "1mnxeRzLxqYJX");
	json_decref(u);
	sp_xarchive_free(x);
	x = sp_xarchive_new();
	T_INT(feed(x, "ageinfo.js", "[{\"ageMeta\":{\"ageInfo\":{\"age\":"
	    "[\"13-99\"]}}}]"), 0);
	u = sp_xarchive_user(x);
	T_OK(json_object_get(u, "age") == NULL);
	json_decref(u);
	sp_xarchive_free(x);
}

static void
cd_entry(void *ctx, const char *name, size_t len, unsigned type)
{
	char *out = ctx;

	snprintf(out + strlen(out), 256 - strlen(out), "%.*s:%o;", (int)len,
	    name, type);
}

/* A central directory: names and Unix types, a short header stops. */
static void
t_cd(void)
{
	unsigned char cd[200];
	char out[256] = "";
	size_t n = 0;

	memset(cd, 0, sizeof(cd));
	/* A FIFO made on Unix (3), then a file made on MS-DOS (0). */
	memcpy(cd, "PK\1\2", 4);
	cd[5] = 3;
	cd[28] = 4;
	cd[40] = 0xa4;
	cd[41] = 0x11;			/* 0010644 << 16 */
	memcpy(cd + 46, "fifo", 4);
	n = 50;
	memcpy(cd + n, "PK\1\2", 4);
	cd[n + 28] = 1;
	cd[n + 42] = 0x81;
	cd[n + 46] = 'a';
	n += 47;
	memcpy(cd + n, "PK\1\2", 4);	/* cut short */
	n += 20;
	T_INT(sp_zip_cd_walk(cd, n, cd_entry, out), 2);
	T_STR(out, "fifo:10000;a:0;");
}

int
main(void)
{
	t_names();
	t_instants();
	t_speakers();
	t_spaces();
	t_user();
	t_cd();
	return t_done();
}
