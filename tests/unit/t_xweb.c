/* t_xweb: Space ids and URLs, the web endpoints' answers, cookies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xweb.h"
#include "t.h"

static const char ended[] =
"{\"data\":{\"audioSpace\":{\"metadata\":{\"rest_id\":\"1ypKdEXvkMLGW\","
"\"state\":\"Ended\",\"title\":\"Hello \\u00e9\",\"media_key\":"
"\"28_1713278501330231296\",\"created_at\":1698000000000,"
"\"started_at\":1698003600000,\"ended_at\":\"1698010574755\","
"\"is_space_available_for_replay\":true,\"creator_results\":{\"result\":"
"{\"rest_id\":\"2244994945\",\"legacy\":{\"name\":\"Old\",\"screen_name\":"
"\"old\"},\"core\":{\"name\":\"Twitter Dev\",\"screen_name\":"
"\"TwitterDev\"}}}},\"participants\":{\"total\":0}}}}";

static const char bare[] =
"{\"data\":{\"audioSpace\":{\"metadata\":{\"state\":\"NotStarted\","
"\"scheduled_start\":\"oops\",\"creator_results\":{\"result\":"
"{\"legacy\":{\"screen_name\":\"only\"}}}}}}}";

int
main(void)
{
	struct sp_xweb_space s;
	char id[SP_XWEB_IDMAX], err[160], *u, path[] = "/tmp/t_xweb.XXXXXX";
	FILE *fp;
	int fd;

	T_INT(sp_xweb_space_id("1ypKdEXvkMLGW", id, sizeof(id)), 0);
	T_STR(id, "1ypKdEXvkMLGW");
	T_INT(sp_xweb_space_id("https://x.com/i/spaces/1ypKdEXvkMLGW", id,
	    sizeof(id)), 0);
	T_STR(id, "1ypKdEXvkMLGW");
	T_INT(sp_xweb_space_id("https://twitter.com/i/spaces/1vAxRAVQWONJl/"
	    "peek?s=20", id, sizeof(id)), 0);
	T_STR(id, "1vAxRAVQWONJl");
	T_INT(sp_xweb_space_id("http://WWW.X.COM/i/spaces/1a", id,
	    sizeof(id)), 0);
	T_INT(sp_xweb_space_id("https://evil.com/i/spaces/1ypKdEXvkMLGW", id,
	    sizeof(id)), -1);
	T_INT(sp_xweb_space_id("https://x.com/i/lists/1ypKdEXvkMLGW", id,
	    sizeof(id)), -1);
	T_INT(sp_xweb_space_id("1ypKdEXvkMLGWX", id, sizeof(id)), -1);
	T_INT(sp_xweb_space_id("1ypK-dEXvkMLG", id, sizeof(id)), -1);
	T_INT(sp_xweb_space_id("", id, sizeof(id)), -1);
	T_INT(sp_xweb_space_id("https://x.com/i/spaces/", id, sizeof(id)), -1);

	u = sp_xweb_space_url("https://x.com/", "QID", "1a", NULL);
	T_STR(u, "https://x.com/i/api/graphql/QID/AudioSpaceById?variables="
	    "%7B%22id%22%3A%221a%22%2C%22isMetatagsQuery%22%3Atrue%2C%22"
	    "withReplays%22%3Atrue%2C%22withListeners%22%3Atrue%7D&features="
	    "%7B%7D");
	free(u);
	u = sp_xweb_status_url("http://h:1", "28_17");
	T_STR(u, "http://h:1/i/api/1.1/live_video_stream/status/28_17");
	free(u);

	T_INT(sp_xweb_parse_space(ended, strlen(ended), &s, err, sizeof(err)),
	    0);
	T_STR(s.id, "1ypKdEXvkMLGW");
	T_STR(s.state, "Ended");
	T_INT(sp_xweb_phase(&s), SP_XWEB_ENDED);
	T_STR(s.media_key, "28_1713278501330231296");
	T_STR(s.title, "Hello \xc3\xa9");
	T_STR(s.creator_id, "2244994945");
	T_STR(s.creator_name, "Twitter Dev");
	T_STR(s.creator_screen_name, "TwitterDev");
	T_OK(s.started_at == 1698003600000LL);
	T_OK(s.ended_at == 1698010574755LL);
	T_INT(s.replay, 1);
	T_INT(s.has_stage, 1);		/* participants, nobody on stage */
	T_INT(s.nstage, 0);
	sp_xweb_space_release(&s);

	/* The stage: admins then speakers (twspace-crawler's participant
	 * shape), each once; an id that is not digits, a name that is not
	 * a screen name, and listeners are left out. */
	{
		const char *e = "{\"data\":{\"audioSpace\":{\"metadata\":{},"
		    "\"participants\":{\"total\":9,\"admins\":[{"
		    "\"periscope_user_id\":\"1yoK\",\"start\":1698003600000,"
		    "\"twitter_screen_name\":\"TwitterDev\",\"display_name\":"
		    "\"Twitter Dev\",\"is_muted_by_admin\":false,"
		    "\"user_results\":{\"rest_id\":\"2244994945\",\"result\":"
		    "{\"rest_id\":\"2244994945\"}}},7],\"speakers\":[{"
		    "\"twitter_screen_name\":\"bad name\",\"user_results\":{"
		    "\"result\":{\"rest_id\":6253282,\"core\":{"
		    "\"screen_name\":\"TwitterAPI\"}}}},{\"user_results\":{"
		    "\"rest_id\":\"12ab\"}},{\"user_results\":{\"rest_id\":"
		    "\"2244994945\"}}],\"listeners\":[{\"user_results\":{"
		    "\"rest_id\":\"5\"}}]}}}}";

		T_INT(sp_xweb_parse_space(e, strlen(e), &s, err, sizeof(err)),
		    0);
		T_INT(s.has_stage, 1);
		T_INT(s.nstage, 2);
		T_STR(s.stage[0].user_id, "2244994945");
		T_STR(s.stage[0].username, "TwitterDev");
		T_INT(s.stage[0].admin, 1);
		T_STR(s.stage[1].user_id, "6253282");
		T_STR(s.stage[1].username, "TwitterAPI");
		T_INT(s.stage[1].admin, 0);
		sp_xweb_space_release(&s);
	}

	T_INT(sp_xweb_parse_space(bare, strlen(bare), &s, err, sizeof(err)),
	    0);
	T_INT(sp_xweb_phase(&s), SP_XWEB_SCHEDULED);
	T_OK(s.media_key == NULL && s.title == NULL && s.id == NULL);
	T_OK(s.scheduled_start == 0);
	T_INT(s.replay, -1);
	T_OK(s.creator_name == NULL);
	T_STR(s.creator_screen_name, "only");
	T_INT(s.has_stage, 0);
	sp_xweb_space_release(&s);

	{
		const char *e = "{\"errors\":[{\"message\":\"Bad\"}]}";

		T_INT(sp_xweb_parse_space(e, strlen(e), &s, err, sizeof(err)),
		    -1);
	}
	T_STR(err, "AudioSpaceById: Bad");
	T_INT(sp_xweb_parse_space("{\"data\":{}}", 11, &s, err, sizeof(err)),
	    -1);
	T_INT(sp_xweb_parse_space("[1]", 3, &s, err, sizeof(err)), -1);
	T_INT(sp_xweb_parse_space("{", 1, &s, err, sizeof(err)), -1);

	u = sp_xweb_parse_status("{\"source\":{\"location\":\"https://a/"
	    "p.m3u8\",\"noRedirectPlaybackUrl\":\"https://b/p.m3u8\"}}", 85,
	    err, sizeof(err), NULL);
	T_STR(u, "https://b/p.m3u8");
	free(u);
	u = sp_xweb_parse_status("{\"source\":{\"location\":\"https://"
	    "twitter.com/i/live_video_stream/authorized_status/1/2?url="
	    "https%3A%2F%2Fh%2Fa%2Fplaylist_1.m3u8%3Ftype%3Dreplay\"}}", 145,
	    err, sizeof(err), NULL);
	T_STR(u, "https://h/a/playlist_1.m3u8?type=replay");
	free(u);
	T_OK(sp_xweb_parse_status("{\"source\":{}}", 13, err,
	    sizeof(err), NULL) == NULL);
	T_OK(sp_xweb_parse_status("{\"source\":{\"location\":\"file:/x\"}}",
	    33, err, sizeof(err), NULL) == NULL);
	T_OK(sp_xweb_parse_status("nope", 4, err, sizeof(err), NULL) == NULL);
	/* yt-dlp's check: X's answer to a country it does not serve. */
	{
		const char *g = "{\"source\":{\"location\":\"https://x.com/i/"
		    "live_video_stream/geoblocked/1/x.m3u8\"}}";
		int geo = 0;

		T_OK(sp_xweb_parse_status(g, strlen(g), err, sizeof(err),
		    &geo) == NULL);
		T_INT(geo, 1);
		T_OK(strstr(err, "geoblocked") != NULL);
	}

	/* The default feature map: tslazer's 35 flags, all booleans. */
	{
		json_t *f;
		json_error_t je;
		long code;
		char msg[64];

		u = sp_xweb_features(NULL, err, sizeof(err));
		T_OK(u != NULL);
		f = json_loads(u, 0, &je);
		T_INT(json_object_size(f), 35);
		T_OK(json_is_true(json_object_get(f,
		    "spaces_2022_h2_clipping")));
		T_OK(json_is_false(json_object_get(f,
		    "responsive_web_enhance_cards_enabled")));
		json_decref(f);
		free(u);
		u = sp_xweb_features("{\"a\": true}", err, sizeof(err));
		T_STR(u, "{\"a\":true}");
		free(u);
		T_OK(sp_xweb_features("{}", err, sizeof(err)) == NULL);
		T_OK(strstr(err, "empty") != NULL);
		T_OK(sp_xweb_features("{\"a\":1}", err, sizeof(err)) == NULL);
		T_OK(sp_xweb_features("[true]", err, sizeof(err)) == NULL);
		T_OK(sp_xweb_features("@/nonexistent/f.json", err,
		    sizeof(err)) == NULL);
		T_OK(strstr(err, "/nonexistent/f.json") != NULL);

		/* Guest tokens and X's error answers. */
		u = sp_xweb_parse_guest("{\"guest_token\":\"1867\"}", 22, err,
		    sizeof(err));
		T_STR(u, "1867");
		free(u);
		T_OK(sp_xweb_parse_guest("{\"guest_token\":\"1\\r\\nX: y\"}",
		    27, err, sizeof(err)) == NULL);
		T_OK(sp_xweb_parse_guest("{}", 2, err, sizeof(err)) == NULL);
		u = sp_xweb_guest_url("https://api.x.com/");
		T_STR(u, "https://api.x.com/1.1/guest/activate.json");
		free(u);
		T_INT(sp_xweb_error("{\"errors\":[{\"code\":336,\"message\":"
		    "\"The following features cannot be null: a\\u001b\"}]}",
		    84, &code, msg, sizeof(msg)), 0);
		T_INT(code, 336);
		T_STR(msg, "The following features cannot be null: a");
		T_INT(sp_xweb_error("{}", 2, &code, msg, sizeof(msg)), -1);
	}

	fd = mkstemp(path);
	T_OK(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("# Netscape HTTP Cookie File\n"
	    ".x.com\tTRUE\t/\tTRUE\t0\tct0\tabc123\n"
	    "#HttpOnly_.x.com\tTRUE\t/\tTRUE\t0\tauth_token\tdef\n"
	    "bad line\n", fp);
	fclose(fp);
	u = sp_xweb_cookie(path, NULL, "ct0");
	T_STR(u, "abc123");
	free(u);
	u = sp_xweb_cookie(path, NULL, "auth_token");
	T_STR(u, "def");
	free(u);
	T_OK(sp_xweb_cookie(path, NULL, "nope") == NULL);
	u = sp_xweb_cookie_header(path, "https://x.com/i/api");
	T_STR(u, "Cookie: ct0=abc123; auth_token=def");
	free(u);
	u = sp_xweb_cookie_header(path, "https://api.x.com:443/");
	T_STR(u, "Cookie: ct0=abc123; auth_token=def");
	free(u);
	T_OK(sp_xweb_cookie_header(path, "https://notx.com/") == NULL);
	/* ct0 as the Cookie header has it: by host. */
	u = sp_xweb_cookie(path, "https://api.x.com/", "ct0");
	T_STR(u, "abc123");
	free(u);
	T_OK(sp_xweb_cookie(path, "https://notx.com/", "ct0") == NULL);
	T_OK(sp_xweb_cookie_header(path, "http://127.0.0.1:8/") == NULL);
	unlink(path);
	T_OK(sp_xweb_cookie(path, NULL, "ct0") == NULL);
	return t_done();
}
