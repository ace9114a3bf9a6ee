/* t_ytd: archive data files streamed item by item, the manifest, part names. */
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>

#include "xalloc.h"
#include "ytd.h"
#include "t.h"

/* A read(2)-like callback over a string, at most step bytes a call. */
struct mem {
	const char	*s;
	size_t		 len, off, step;
	size_t		 failat;	/* fail with EIO once off reaches it */
};

static ssize_t
memread(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->off;

	if (m->failat && m->off >= m->failat) {
		errno = EIO;
		return -1;
	}
	if (k > n)
		k = n;
	if (m->step && k > m->step)
		k = m->step;
	memcpy(buf, m->s + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

/* Append to a growing string. */
static void
cat(char **out, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*out = sp_xrealloc(*out, *len + n + 1);
	memcpy(*out + *len, s, n + 1);
	*len += n;
}

/*
 * Read s whole in reads of step bytes (0: as much as asked) and describe
 * what came back, one line per call: "wrapper {json}" for an item (wrapper
 * "-" when bare), "E message" for an error, "END" at the end, "STICKY" when
 * an error repeats, "RDERR" on a read error.  New string.
 */
static char *
run(const char *s, size_t len, size_t step)
{
	struct mem m = { s, len, 0, step, 0 };
	struct sp_ytd *y = sp_ytd_new(memread, &m);
	char *out = NULL, *js, last[256] = "";
	size_t olen = 0, calls;
	json_t *item;
	int rc;

	cat(&out, &olen, "");
	for (calls = 0; calls < 100; calls++) {
		rc = sp_ytd_next(y, &item);
		if (rc == 1) {
			cat(&out, &olen, sp_ytd_wrapper(y) ?
			    sp_ytd_wrapper(y) : "-");
			cat(&out, &olen, " ");
			js = json_dumps(item, JSON_COMPACT);
			cat(&out, &olen, js);
			cat(&out, &olen, "\n");
			free(js);
			json_decref(item);
			last[0] = '\0';
			continue;
		}
		if (rc == 0) {
			cat(&out, &olen, "END\n");
			break;
		}
		if (rc == -2) {
			cat(&out, &olen, "RDERR\n");
			break;
		}
		if (strcmp(last, sp_ytd_error(y)) == 0) {
			cat(&out, &olen, "STICKY\n");
			break;
		}
		snprintf(last, sizeof(last), "%s", sp_ytd_error(y));
		cat(&out, &olen, "E ");
		cat(&out, &olen, last);
		cat(&out, &olen, "\n");
	}
	sp_ytd_free(y);
	return out;
}

/* The same description whatever the size of the reads. */
#define CHECK(s, want) do {						\
	static const size_t steps_[] = { 0, 1, 2, 3, 7, 4096 };		\
	size_t i_;							\
	for (i_ = 0; i_ < sizeof(steps_) / sizeof(steps_[0]); i_++) {	\
		char *got_ = run((s), strlen(s), steps_[i_]);		\
		T_STR(got_, (want));					\
		free(got_);						\
	}								\
} while (0)

/* x-formats §1.5, as X pretty-prints it: "key" : value, 2-space indent. */
static const char follower_js[] =
    "window.YTD.follower.part0 = [\n"
    "  {\n"
    "    \"follower\" : {\n"
    "      \"accountId\" : \"1252851\",\n"
    "      \"userLink\" : \"https://twitter.com/intent/user?user_id=1252851\"\n"
    "    }\n"
    "  },\n"
    "  {\n"
    "    \"follower\" : {\n"
    "      \"accountId\" : \"1596123456789012345\",\n"
    "      \"userLink\" : "
    "\"https://twitter.com/intent/user?user_id=1596123456789012345\"\n"
    "    }\n"
    "  }\n"
    "]";

static const char profile_js[] =
    "window.YTD.profile.part0 = [\n"
    "  {\n"
    "    \"profile\" : {\n"
    "      \"description\" : {\n"
    "        \"bio\" : \"negentropy \\\"[ok]\\\" {x}, \\\\ y\\n\",\n"
    "        \"website\" : \"https://t.co/n44CGMQVGL\",\n"
    "        \"location\" : \"Porto, Portugal \"\n"
    "      },\n"
    "      \"avatarMediaUrl\" : "
    "\"https://pbs.twimg.com/profile_images/1/K_O23TKw.jpg\"\n"
    "    }\n"
    "  }\n"
    "]";

/* Real 2023-08 shape (x-formats §1.2), cut down, with a ';'. */
static const char manifest_js[] =
    "window.__THAR_CONFIG = {\n"
    "  \"userInfo\" : { \"accountId\" : \"111111111\",\n"
    "    \"userName\" : \"S0_And_S0\", \"displayName\" : \"S0AndS0.eth\" },\n"
    "  \"archiveInfo\" : { \"sizeBytes\" : \"44546997\",\n"
    "    \"generationDate\" : \"2023-08-30T23:20:03.000Z\",\n"
    "    \"isPartialArchive\" : false,\n"
    "    \"maxPartSizeBytes\" : \"53687091200\" },\n"
    "  \"readmeInfo\" : { \"fileName\" : \"data/README.txt\",\n"
    "    \"directory\" : \"data/\", \"name\" : \"README.txt\" },\n"
    "  \"dataTypes\" : {\n"
    "    \"spacesMetadata\" : { \"files\" : [ {\n"
    "      \"fileName\" : \"data/spaces-metadata.js\",\n"
    "      \"globalName\" : \"YTD.spaces_metadata.part0\",\n"
    "      \"count\" : \"0\" } ] },\n"
    "    \"tweets\" : { \"mediaDirectory\" : \"data/tweets_media\",\n"
    "      \"files\" : [ { \"fileName\" : \"data/tweets.js\",\n"
    "        \"globalName\" : \"YTD.tweets.part0\", \"count\" : \"3601\" },\n"
    "        { \"fileName\" : \"data/tweets-part1.js\",\n"
    "        \"globalName\" : \"YTD.tweets.part1\", \"count\" : \"12\" } ] },\n"
    "    \"tweetsMedia\" : { \"mediaDirectory\" : \"data/tweets_media\" },\n"
    "    \"follower\" : { \"files\" : [ {\n"
    "      \"fileName\" : \"data/follower.js\",\n"
    "      \"globalName\" : \"YTD.follower.part0\",\n"
    "      \"count\" : \"289\" } ] },\n"
    "    \"broken\" : { \"files\" : { \"fileName\" : \"data/broken.js\" },\n"
    "      \"mediaDirectory\" : 7 }\n"
    "  }\n"
    "};\n";

static json_t *
manifest(const char *s, size_t step, char *err, size_t errlen)
{
	struct mem m = { s, strlen(s), 0, step, 0 };

	return sp_ytd_manifest(memread, &m, err, errlen);
}

/* A generated follower.js of n items, made as it is read: no big buffer. */
struct gen {
	size_t	n, i;		/* items in all, items made */
	int	done;		/* the closing ']' is made */
	char	piece[256];
	size_t	plen, poff;
	size_t	bytes;		/* handed out */
};

static ssize_t
genread(void *ctx, void *buf, size_t n)
{
	struct gen *g = ctx;
	unsigned long long id;
	int k;

	if (g->poff == g->plen) {
		if (g->done)
			return 0;
		g->poff = 0;
		id = 1000000000000000000ULL + g->i * 7919ULL;
		if (g->i == g->n) {
			k = snprintf(g->piece, sizeof(g->piece), "\n]\n");
			g->done = 1;
		} else
			k = snprintf(g->piece, sizeof(g->piece),
			    "%s  {\n    \"follower\" : {\n"
			    "      \"accountId\" : \"%llu\",\n"
			    "      \"userLink\" : \"https://twitter.com/intent/"
			    "user?user_id=%llu\"\n    }\n  }",
			    g->i == 0 ? "window.YTD.follower.part0 = [\n" :
			    ",\n", id, id);
		g->plen = (size_t)k;
		g->i++;
	}
	if (n > g->plen - g->poff)
		n = g->plen - g->poff;
	memcpy(buf, g->piece + g->poff, n);
	g->poff += n;
	g->bytes += n;
	return (ssize_t)n;
}

static void
t_variations(void)
{
	char *big, *s;
	size_t n;

	/* Wrapped, pretty-printed, part0. */
	CHECK(follower_js,
	    "follower {\"accountId\":\"1252851\",\"userLink\":"
	    "\"https://twitter.com/intent/user?user_id=1252851\"}\n"
	    "follower {\"accountId\":\"1596123456789012345\",\"userLink\":"
	    "\"https://twitter.com/intent/user?user_id=1596123456789012345\"}\n"
	    "END\n");

	/* Strings holding ] } , \" \\ and a newline escape. */
	CHECK(profile_js,
	    "profile {\"description\":{\"bio\":\"negentropy \\\"[ok]\\\" {x}, "
	    "\\\\ y\\n\",\"website\":\"https://t.co/n44CGMQVGL\",\"location\":"
	    "\"Porto, Portugal \"},\"avatarMediaUrl\":"
	    "\"https://pbs.twimg.com/profile_images/1/K_O23TKw.jpg\"}\nEND\n");

	/* Empty arrays, one line, with and without a ';' and blanks. */
	CHECK("window.YTD.mute.part0 = [ ]", "END\n");
	CHECK("window.YTD.mute.part0 = []\n", "END\n");
	CHECK("window.YTD.mute.part0=[];", "END\n");
	CHECK("window.YTD.mute.part0 = [ ] ;  \n\n", "END\n");
	CHECK("window.YTD.mute.part0 = [\n]\n", "END\n");

	/* BOM and CRLF everywhere, part1, blanks and newlines around '='. */
	CHECK("\xef\xbb\xbfwindow.YTD.tweets.part1 = [\r\n  {\r\n"
	    "    \"tweet\" : {\r\n      \"id_str\" : \"1\",\r\n"
	    "      \"indices\" : [ \"0\", \"12\" ]\r\n    }\r\n  }\r\n]\r\n",
	    "tweet {\"id_str\":\"1\",\"indices\":[\"0\",\"12\"]}\nEND\n");
	CHECK("\r\n\t window.YTD.account.part0\r\n\r\n=\n\n  [{\"account\":"
	    "{\"username\":\"me\"}}];\r\n",
	    "account {\"username\":\"me\"}\nEND\n");

	/* Headerless: a tool stripped "window... =". */
	CHECK("[{\"a\":1},{\"b\":{\"c\":2}}]\n",
	    "- {\"a\":1}\nb {\"c\":2}\nEND\n");
	CHECK("\xef\xbb\xbf [ ]", "END\n");

	/* Unwrapping only a single key holding an object. */
	CHECK("window.YTD.x.part0 = [{\"id\":\"1\",\"x\":{\"y\":1}},"
	    "{\"k\":\"v\"},{\"k\":{}},{},{\"k\":[{}]},{\"k\":null}]",
	    "- {\"id\":\"1\",\"x\":{\"y\":1}}\n- {\"k\":\"v\"}\nk {}\n- {}\n"
	    "- {\"k\":[{}]}\n- {\"k\":null}\nEND\n");

	/* Non-ASCII raw and escaped comes out as UTF-8. */
	CHECK("window.YTD.following.part0 = [ { \"following\" : { \"name\" : "
	    "\"Cameron (\xf0\x9f\x87\xb5\xf0\x9f\x87\xb9)\", \"city\" : "
	    "\"Z\\u00fcrich \\ud83c\\udf99\" } } ]",
	    "following {\"name\":"
	    "\"Cameron (\xf0\x9f\x87\xb5\xf0\x9f\x87\xb9)\","
	    "\"city\":\"Z\xc3\xbcrich \xf0\x9f\x8e\x99\"}\nEND\n");

	/* Nested arrays and objects, empty ones printed "[ ]". */
	CHECK("window.YTD.personalization.part0 = [ { \"p13nData\" : {\n"
	    "  \"interests\" : { \"interests\" : [ { \"name\" : \"#[x]\", "
	    "\"isDisabled\" : false } ],\n  \"partnerInterests\" : [ ],\n"
	    "  \"shows\" : [ [ \"1899\" ], { } ] } } } ]",
	    "p13nData {\"interests\":{\"interests\":[{\"name\":\"#[x]\","
	    "\"isDisabled\":false}],\"partnerInterests\":[],\"shows\":"
	    "[[\"1899\"],{}]}}\nEND\n");

	/* The hypothetical spaces-metadata record (x-formats §1.6). */
	CHECK("window.YTD.spaces_metadata.part0 = [\n  {\n"
	    "    \"spacesMetadata\" : {\n      \"id\" : \"1ypKdEXvkMLGW\",\n"
	    "      \"hostUserIds\" : [ \"111111111\" ],\n"
	    "      \"speakers\" : [ { \"userId\" : \"111111111\", \"start\" : "
	    "\"2022-03-22T19:20:00.000Z\" } ],\n"
	    "      \"totalParticipated\" : \"42\",\n"
	    "      \"invitedUserIds\" : [ ]\n    }\n  }\n]\n",
	    "spacesMetadata {\"id\":\"1ypKdEXvkMLGW\",\"hostUserIds\":"
	    "[\"111111111\"],\"speakers\":[{\"userId\":\"111111111\",\"start\":"
	    "\"2022-03-22T19:20:00.000Z\"}],\"totalParticipated\":\"42\","
	    "\"invitedUserIds\":[]}\nEND\n");

	/* Numbers stay what they are; ids written as strings stay strings. */
	CHECK("[{\"n\":9007199254740993,\"s\":\"18446744073709551617\","
	    "\"f\":1.5}]",
	    "- {\"n\":9007199254740993,\"s\":\"18446744073709551617\","
	    "\"f\":1.5}\nEND\n");

	/* A string ending in an escaped backslash, then a quote in a key. */
	CHECK("[{\"a\\\"]\":\"x\\\\\"},{\"b\":\"\\\\\\\"}\"}]",
	    "- {\"a\\\"]\":\"x\\\\\"}\n- {\"b\":\"\\\\\\\"}\"}\nEND\n");

	/* An item just under the limit is fine. */
	n = SP_YTD_MAXITEM - 64;
	big = sp_xmalloc(n + 64);
	memcpy(big, "[{\"s\":\"", 7);
	memset(big + 7, 'x', n);
	memcpy(big + 7 + n, "\"}]", 4);
	s = run(big, strlen(big), 4096);
	T_INT(strlen(s), n + 15);
	T_OK(strncmp(s, "- {\"s\":\"xxx", 11) == 0);
	T_STR(s + strlen(s) - 4, "END\n");
	free(s);
	free(big);
}

static void
t_errors(void)
{
	char *big, *s;
	size_t n;

	/* Not a data file at all. */
	CHECK("", "E line 1: truncated: no data\nSTICKY\n");
	CHECK("\xef\xbb\xbf \r\n", "E line 2: truncated: no data\nSTICKY\n");
	CHECK("hello world", "E line 1: truncated in the header\nSTICKY\n");
	CHECK("{\"a\":1}", "E line 1: not an archive data file: no "
	    "'window.YTD.<name>.part<N> =' header\nSTICKY\n");
	CHECK("window.foo = []", "E line 1: not an archive data file: the "
	    "header is not 'window.YTD.<name>.part<N> ='\nSTICKY\n");
	CHECK("window.YTD.tweets = []", "E line 1: not an archive data file: "
	    "the header is not 'window.YTD.<name>.part<N> ='\nSTICKY\n");
	CHECK("window.YTD..part0 = []", "E line 1: not an archive data file: "
	    "the header is not 'window.YTD.<name>.part<N> ='\nSTICKY\n");
	CHECK("window.YTD.x.part = []", "E line 1: not an archive data file: "
	    "the header is not 'window.YTD.<name>.part<N> ='\nSTICKY\n");
	CHECK("window.YTD.x.part0x = []", "E line 1: not an archive data "
	    "file: the header is not 'window.YTD.<name>.part<N> ='\nSTICKY\n");
	CHECK("window.YTD.x.part0 = {}", "E line 1: expected '[' after '=', "
	    "found '{'\nSTICKY\n");
	CHECK("\xef\xbbx", "E line 1: not an archive data file: a broken "
	    "byte order mark\nSTICKY\n");

	/* Truncated: inside an item, inside a string, before the ']'. */
	CHECK("window.YTD.follower.part0 = [\n  {\n    \"follower\" : {\n"
	    "      \"accountId\" : \"12",
	    "E line 4: truncated inside item 1 (from line 2)\nSTICKY\n");
	CHECK("window.YTD.follower.part0 = [ {\"a\":\"]}\"} ",
	    "- {\"a\":\"]}\"}\nE line 1: truncated before ']' (after 1 items)\n"
	    "STICKY\n");
	CHECK("window.YTD.x.part0 = [ {},\n",
	    "- {}\nE line 2: truncated before ']' (after 1 items)\nSTICKY\n");
	CHECK("window.YTD.x.part0 = ", "E line 1: truncated before '['\n"
	    "STICKY\n");
	CHECK("window.YTD.x.part0 = [", "E line 1: truncated before ']' "
	    "(after 0 items)\nSTICKY\n");
	CHECK("[1", "E line 1: truncated inside item 1 (from line 1)\n"
	    "STICKY\n");

	/* Items that are not objects: named by index and line; reading
	 * goes on with the next item. */
	CHECK("window.YTD.x.part0 = [\n1,\n\"s]\",\n[1, {}],\nnull, true,\n"
	    "{\"a\":{\"b\":1}}]",
	    "E line 2: item 1: not a JSON object but a number\n"
	    "E line 3: item 2: not a JSON object but a string\n"
	    "E line 4: item 3: not a JSON object but an array\n"
	    "E line 5: item 4: not a JSON object but null\n"
	    "E line 5: item 5: not a JSON object but a boolean\n"
	    "a {\"b\":1}\nEND\n");

	/* Bad JSON inside balanced brackets: the line inside the item. */
	CHECK("window.YTD.x.part0 = [\n  {\"a\":1},\n  {\n    \"b\" : 1,\n"
	    "    \"c\" : nope\n  },\n  {\"d\":{}}\n]\n",
	    "- {\"a\":1}\n"
	    "E line 5: item 2: malformed JSON: invalid token near 'nope'\n"
	    "d {}\nEND\n");
	CHECK("[{\"a\":]}]", "E line 1: item 1: malformed JSON: "
	    "unexpected token near ']'\nE line 1: expected ',' or ']' after "
	    "item 1, found '}'\nSTICKY\n");
	CHECK("[@, {}]", "E line 1: item 1: malformed JSON: invalid token "
	    "near '@'\n- {}\nEND\n");

	/* An integer beyond int64 is an error, not a rounded id. */
	CHECK("[{\"id\":123456789012345678901234567890}]",
	    "E line 1: item 1: malformed JSON: too big integer\n"
	    "END\n");

	/* Garbage after the ']'. */
	CHECK("window.YTD.x.part0 = [ {} ] x",
	    "- {}\nE line 1: 'x' after the closing ']'\nSTICKY\n");
	CHECK("[ ];;", "E line 1: ';' after the closing ']'\nSTICKY\n");
	CHECK("[ ] ;\n ]", "E line 2: ']' after the closing ']'\nSTICKY\n");
	CHECK("[ ]\n\x01", "E line 2: byte \\x01 after the closing ']'\n"
	    "STICKY\n");

	/* Broken separators. */
	CHECK("[{} {}]", "- {}\nE line 1: expected ',' or ']' after item 1, "
	    "found '{'\nSTICKY\n");
	CHECK("[{},,{}]", "- {}\nE line 1: expected an item, found ','\n"
	    "STICKY\n");
	CHECK("[{},\n]", "- {}\nE line 2: expected an item, found ']'\n"
	    "STICKY\n");
	CHECK("[,]", "E line 1: expected an item, found ','\nSTICKY\n");
	CHECK("[1{}]", "E line 1: item 1: not a JSON object but a number\n"
	    "E line 1: expected ',' or ']' after item 1, found '{'\n"
	    "STICKY\n");

	/* An item over the limit is skipped unbuffered; the next is read. */
	n = SP_YTD_MAXITEM + 100;
	big = sp_xmalloc(n + 64);
	memcpy(big, "[\n{\"s\":\"", 8);
	memset(big + 8, ']', n);
	memcpy(big + 8 + n, "\"},\n{\"ok\":{}}]", 15);
	s = run(big, strlen(big), 0);
	T_STR(s, "E line 2: item 1: larger than 8388608 bytes\nok {}\nEND\n");
	free(s);
	s = run(big, strlen(big), 4093);
	T_STR(s, "E line 2: item 1: larger than 8388608 bytes\nok {}\nEND\n");
	free(s);
	/* ...and one cut short is still found truncated. */
	s = run(big, 8 + n, 4093);
	T_STR(s, "E line 2: item 1: larger than 8388608 bytes\n"
	    "E line 2: truncated inside item 1 (from line 2)\nSTICKY\n");
	free(s);
	free(big);
}

static void
t_api(void)
{
	struct mem m = { follower_js, sizeof(follower_js) - 1, 0, 1, 0 };
	struct sp_ytd *y;
	json_t *item;

	/* Global name, wrapper, count, error as each call leaves them. */
	y = sp_ytd_new(memread, &m);
	T_OK(sp_ytd_global(y) == NULL);
	T_INT(sp_ytd_count(y), 0);
	T_STR(sp_ytd_error(y), "");
	T_INT(sp_ytd_next(y, &item), 1);
	T_STR(sp_ytd_global(y), "YTD.follower.part0");
	T_STR(sp_ytd_wrapper(y), "follower");
	T_STR(json_string_value(json_object_get(item, "accountId")),
	    "1252851");
	json_decref(item);
	T_INT(sp_ytd_count(y), 1);
	T_INT(sp_ytd_next(y, &item), 1);
	T_STR(json_string_value(json_object_get(item, "accountId")),
	    "1596123456789012345");
	json_decref(item);
	T_INT(sp_ytd_next(y, &item), 0);
	T_OK(item == NULL);
	T_OK(sp_ytd_wrapper(y) == NULL);
	T_INT(sp_ytd_next(y, &item), 0);
	T_INT(sp_ytd_count(y), 2);
	T_STR(sp_ytd_error(y), "");
	sp_ytd_free(y);
	sp_ytd_free(NULL);

	/* Headerless: no global; a bare item clears the wrapper. */
	m = (struct mem){ "[{\"w\":{}},{\"a\":1,\"b\":2},\"x\",{}]", 0, 0,
	    0, 0 };
	m.len = strlen(m.s);
	y = sp_ytd_new(memread, &m);
	T_INT(sp_ytd_next(y, &item), 1);
	T_OK(sp_ytd_global(y) == NULL);
	T_STR(sp_ytd_wrapper(y), "w");
	json_decref(item);
	T_INT(sp_ytd_next(y, &item), 1);
	T_OK(sp_ytd_wrapper(y) == NULL);
	T_INT(json_object_size(item), 2);
	json_decref(item);
	T_INT(sp_ytd_next(y, &item), -1);
	T_OK(item == NULL);
	T_STR(sp_ytd_error(y),
	    "line 1: item 3: not a JSON object but a string");
	T_INT(sp_ytd_next(y, &item), 1);
	T_STR(sp_ytd_error(y), "");
	json_decref(item);
	T_INT(sp_ytd_next(y, &item), 0);
	T_INT(sp_ytd_count(y), 3);
	sp_ytd_free(y);

	/* A read error: -2 with errno, and again on every later call. */
	m = (struct mem){ follower_js, sizeof(follower_js) - 1, 0, 16, 200 };
	y = sp_ytd_new(memread, &m);
	T_INT(sp_ytd_next(y, &item), 1);
	json_decref(item);
	errno = 0;
	T_INT(sp_ytd_next(y, &item), -2);
	T_INT(errno, EIO);
	T_OK(strstr(sp_ytd_error(y), "read error") != NULL);
	T_INT(sp_ytd_next(y, &item), -2);
	T_OK(item == NULL);
	sp_ytd_free(y);
}

static void
t_stream(void)
{
	struct gen g = { 300000, 0, 0, "", 0, 0, 0 };
	struct sp_ytd *y = sp_ytd_new(genread, &g);
	json_t *item, *last = NULL;
	size_t wrapped = 0;
	int rc;

	/* 300k items pass through a bounded buffer, none lost. */
	while ((rc = sp_ytd_next(y, &item)) == 1) {
		if (sp_ytd_wrapper(y) && strcmp(sp_ytd_wrapper(y),
		    "follower") == 0)
			wrapped++;
		json_decref(last);
		last = item;
	}
	T_INT(rc, 0);
	T_INT(sp_ytd_count(y), 300000);
	T_INT(wrapped, 300000);
	T_OK(g.bytes > 300000u * 100);
	T_STR(json_string_value(json_object_get(last, "accountId")),
	    "1000000002375692081");
	json_decref(last);
	sp_ytd_free(y);
}

static void
t_manifest(void)
{
	char err[256], *big;
	json_t *m, *f;
	struct mem mm;

	/* The real shape, read a byte at a time and whole. */
	m = manifest(manifest_js, 1, err, sizeof(err));
	T_OK(m != NULL);
	json_decref(m);
	m = manifest(manifest_js, 0, err, sizeof(err));
	T_OK(m != NULL);
	T_STR(err, "");
	f = sp_ytd_manifest_files(m, "follower");
	T_INT(json_array_size(f), 1);
	T_STR(json_string_value(json_object_get(json_array_get(f, 0),
	    "fileName")), "data/follower.js");
	T_STR(json_string_value(json_object_get(json_array_get(f, 0),
	    "count")), "289");
	f = sp_ytd_manifest_files(m, "tweets");
	T_INT(json_array_size(f), 2);
	T_STR(json_string_value(json_object_get(json_array_get(f, 1),
	    "globalName")), "YTD.tweets.part1");
	T_STR(sp_ytd_manifest_media(m, "tweets"), "data/tweets_media");
	f = sp_ytd_manifest_files(m, "spacesMetadata");
	T_STR(json_string_value(json_object_get(json_array_get(f, 0),
	    "count")), "0");
	T_OK(sp_ytd_manifest_media(m, "spacesMetadata") == NULL);
	/* {mediaDirectory} only, absent types, a files that is no array. */
	T_OK(sp_ytd_manifest_files(m, "tweetsMedia") == NULL);
	T_STR(sp_ytd_manifest_media(m, "tweetsMedia"), "data/tweets_media");
	T_OK(sp_ytd_manifest_files(m, "spacesMedia") == NULL);
	T_OK(sp_ytd_manifest_media(m, "spacesMedia") == NULL);
	T_OK(sp_ytd_manifest_files(m, "broken") == NULL);
	T_OK(sp_ytd_manifest_media(m, "broken") == NULL);
	/* Numbers stay strings. */
	T_STR(json_string_value(json_object_get(json_object_get(m,
	    "archiveInfo"), "maxPartSizeBytes")), "53687091200");
	json_decref(m);
	T_OK(sp_ytd_manifest_files(NULL, "tweets") == NULL);

	/* No dataTypes at all; BOM, CRLF, blanks around '=', bare object. */
	m = manifest("\xef\xbb\xbf\r\nwindow.__THAR_CONFIG\r\n=\r\n"
	    "{ \"userInfo\" : { } }\r\n;\r\n", 1, err, sizeof(err));
	T_OK(m != NULL);
	T_OK(sp_ytd_manifest_files(m, "follower") == NULL);
	T_OK(sp_ytd_manifest_media(m, "tweets") == NULL);
	json_decref(m);
	m = manifest("window.__THAR_CONFIG={}", 0, err, sizeof(err));
	T_INT(json_object_size(m), 0);
	json_decref(m);
	m = manifest(" {\"dataTypes\":{\"x\":{\"files\":[]}}} ", 3, err,
	    sizeof(err));
	T_INT(json_array_size(sp_ytd_manifest_files(m, "x")), 0);
	T_OK(sp_ytd_manifest_files(m, "x") != NULL);
	json_decref(m);

	/* Errors. */
	T_OK(manifest("", 0, err, sizeof(err)) == NULL);
	T_STR(err, "line 1: truncated: no data");
	T_OK(manifest("window.YTD.x.part0 = []", 0, err, sizeof(err)) == NULL);
	T_STR(err, "line 1: not a manifest: no 'window.__THAR_CONFIG =' "
	    "header");
	T_OK(manifest("window.__THAR_CONFIGX = {}", 0, err,
	    sizeof(err)) == NULL);
	T_STR(err, "line 1: not a manifest: no 'window.__THAR_CONFIG =' "
	    "header");
	T_OK(manifest("window.__THAR_CONFIG = [ ]", 0, err,
	    sizeof(err)) == NULL);
	T_STR(err, "line 1: not a JSON object but an array");
	T_OK(manifest("\nwindow.__THAR_CONFIG =\n{\n\"a\" : \"1\",\n", 0, err,
	    sizeof(err)) == NULL);
	T_STR(err, "line 4: malformed JSON: string or '}' expected near end of "
	    "file");
	T_OK(manifest("window.__THAR_CONFIG = {} x", 0, err,
	    sizeof(err)) == NULL);
	T_STR(err, "line 1: malformed JSON: end of file expected near 'x'");
	T_OK(manifest("window.__THAR_CONFIG = {};;", 0, err,
	    sizeof(err)) == NULL);
	T_OK(manifest("x", 0, NULL, 0) == NULL);
	mm = (struct mem){ manifest_js, sizeof(manifest_js) - 1, 0, 8, 64 };
	T_OK(sp_ytd_manifest(memread, &mm, err, sizeof(err)) == NULL);
	T_STR(err, "read error: Input/output error");
	big = sp_xmalloc(SP_YTD_MAXMANIFEST + 10);
	memset(big, ' ', SP_YTD_MAXMANIFEST + 9);
	big[SP_YTD_MAXMANIFEST + 9] = '\0';
	big[0] = '{';
	big[SP_YTD_MAXMANIFEST + 8] = '}';
	T_OK(manifest(big, 0, err, sizeof(err)) == NULL);
	T_STR(err, "larger than 16777216 bytes");
	big[SP_YTD_MAXMANIFEST - 1] = '\0';
	big[SP_YTD_MAXMANIFEST - 2] = '}';
	m = manifest(big, 0, err, sizeof(err));
	T_OK(json_is_object(m));
	json_decref(m);
	free(big);
}

static void
t_part(void)
{
	T_INT(sp_ytd_part("data/tweets.js", "tweets"), 0);
	T_INT(sp_ytd_part("data/tweets-part1.js", "tweets"), 1);
	T_INT(sp_ytd_part("data/tweets-part12.js", "tweets"), 12);
	T_INT(sp_ytd_part("data/tweet.js", "tweets"), -1);
	T_INT(sp_ytd_part("data/tweets-partX.js", "tweets"), -1);
	T_INT(sp_ytd_part("data/follower.js", "follower"), 0);
	T_INT(sp_ytd_part("tweets.js", "tweets"), 0);
	T_INT(sp_ytd_part("data/tweet.js", "tweet"), 0);
	T_INT(sp_ytd_part("data/tweets.js", "tweet"), -1);
	T_INT(sp_ytd_part("data/tweets-part.js", "tweets"), -1);
	T_INT(sp_ytd_part("data/tweets-part1.json", "tweets"), -1);
	T_INT(sp_ytd_part("data/tweets-part-1.js", "tweets"), -1);
	T_INT(sp_ytd_part("data/tweets-part1.js.bak", "tweets"), -1);
	T_INT(sp_ytd_part("data/tweets-part1234567890.js", "tweets"), -1);
	T_INT(sp_ytd_part("data/spaces-metadata.js", "spaces-metadata"), 0);
	T_INT(sp_ytd_part("data/direct-messages-part3.js",
	    "direct-messages"), 3);
	T_INT(sp_ytd_part("data/tweets.js/", "tweets"), -1);
	T_INT(sp_ytd_part("data/", "tweets"), -1);
	T_INT(sp_ytd_part("data/tweets.js", ""), -1);
	T_INT(sp_ytd_part("data/follower.js", "following"), -1);
}

/* Counting without parsing: the same count, the same stops. */
static void
t_skip(void)
{
	static const char ok[] = "window.YTD.follower.part0 = [ {\"follower\" : "
	    "{\"accountId\" : \"1\", \"userLink\" : \"a]},\\\"\"}}, {\"follower\" :"
	    " {\"accountId\" : \"2\"}} ]";
	static const char bad[] = "window.YTD.follower.part0 = [ {\"a\":1}, 7, "
	    "{\"b\":2} ]";
	static const char cut[] = "window.YTD.follower.part0 = [ {\"a\":1}, {\"b";
	struct mem m = { ok, sizeof(ok) - 1, 0, 3, 0 };
	struct sp_ytd *y = sp_ytd_new(memread, &m);

	T_INT(sp_ytd_skip(y), 1);
	T_INT(sp_ytd_skip(y), 1);
	T_INT(sp_ytd_skip(y), 0);
	T_INT(sp_ytd_count(y), 2);
	T_INT(sp_ytd_stuck(y), 0);
	sp_ytd_free(y);

	m = (struct mem){ bad, sizeof(bad) - 1, 0, 0, 0 };
	y = sp_ytd_new(memread, &m);
	T_INT(sp_ytd_skip(y), 1);
	T_INT(sp_ytd_skip(y), -1);
	T_OK(strstr(sp_ytd_error(y), "item 2: not a JSON object") != NULL);
	T_INT(sp_ytd_stuck(y), 0);
	T_INT(sp_ytd_skip(y), 1);
	T_INT(sp_ytd_skip(y), 0);
	T_INT(sp_ytd_count(y), 2);
	sp_ytd_free(y);

	m = (struct mem){ cut, sizeof(cut) - 1, 0, 0, 0 };
	y = sp_ytd_new(memread, &m);
	T_INT(sp_ytd_skip(y), 1);
	T_INT(sp_ytd_skip(y), -1);
	T_OK(strstr(sp_ytd_error(y), "truncated") != NULL);
	T_INT(sp_ytd_stuck(y), 1);
	T_INT(sp_ytd_skip(y), -1);
	sp_ytd_free(y);
}

int
main(void)
{
	t_skip();
	t_variations();
	t_errors();
	t_api();
	t_stream();
	t_manifest();
	t_part();
	return t_done();
}
