/* t_json: the NDJSON reader and writer. */
#include <stdlib.h>

#include "json.h"
#include "t.h"

static FILE *
mem(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

int
main(void)
{
	struct sp_ndjson r;
	json_t *rec;
	FILE *fp;
	char buf[64], *big, *out;
	size_t n, len;
	double d;

	/* Blank lines, BOM, CRLF and surrounding blanks are passed over. */
	fp = mem("\xef\xbb\xbf{\"type\":\"user\",\"id\":\"1\"}\r\n\n   \n"
	    "  {\"type\":\"space\"}  \r\n{\"no\":\"type\"}");
	sp_ndjson_init(&r, fp, "t");
	T_INT(sp_ndjson_next(&r, &rec), 1);
	T_STR(sp_rec_type(rec), "user");
	T_INT(r.lineno, 1);
	json_decref(rec);
	T_INT(sp_ndjson_next(&r, &rec), 1);
	T_STR(sp_rec_type(rec), "space");
	T_INT(r.lineno, 4);
	json_decref(rec);
	T_INT(sp_ndjson_next(&r, &rec), 1);
	T_OK(sp_rec_type(rec) == NULL);
	json_decref(rec);
	T_INT(sp_ndjson_next(&r, &rec), 0);
	T_INT(sp_ndjson_next(&r, &rec), 0);
	sp_ndjson_release(&r);
	fclose(fp);

	/* A bad line names its number; reading goes on after it. */
	fp = mem("{\"type\":\"a\"}\n{\"type\":\n[1,2]\n\"str\"\n{\"type\":\"b\"}\n");
	sp_ndjson_init(&r, fp, "t");
	T_INT(sp_ndjson_next(&r, &rec), 1);
	json_decref(rec);
	T_INT(sp_ndjson_next(&r, &rec), -1);
	T_OK(strncmp(r.err, "line 2: malformed JSON", 22) == 0);
	T_OK(rec == NULL);
	T_INT(sp_ndjson_next(&r, &rec), -1);
	T_STR(r.err, "line 3: not a JSON object");
	T_INT(sp_ndjson_next(&r, &rec), -1);
	T_STR(r.err, "line 4: not a JSON object");
	T_INT(sp_ndjson_next(&r, &rec), 1);
	T_STR(sp_rec_type(rec), "b");
	json_decref(rec);
	sp_ndjson_release(&r);
	fclose(fp);

	/* Two objects on one line are not one record. */
	fp = mem("{\"a\":1}{\"b\":2}\n");
	sp_ndjson_init(&r, fp, "t");
	T_INT(sp_ndjson_next(&r, &rec), -1);
	sp_ndjson_release(&r);
	fclose(fp);

	/* An empty input, and a line longer than the limit. */
	fp = mem("");
	sp_ndjson_init(&r, fp, "t");
	T_INT(sp_ndjson_next(&r, &rec), 0);
	sp_ndjson_release(&r);
	fclose(fp);
	n = SP_NDJSON_MAXLINE + 10;
	big = malloc(n + 20);
	memset(big, ' ', n);
	memcpy(big + n, "1\n{\"type\":\"x\"}\n", 16);
	fp = fmemopen(big, n + 15, "r");
	sp_ndjson_init(&r, fp, "t");
	T_INT(sp_ndjson_next(&r, &rec), -1);
	T_OK(strstr(r.err, "line 1: longer than") != NULL);
	T_INT(sp_ndjson_next(&r, &rec), 1);
	T_INT(r.lineno, 2);
	json_decref(rec);
	sp_ndjson_release(&r);
	fclose(fp);
	free(big);

	/*
	 * A line that never ends (/dev/zero) ends the stream after twice
	 * the limit: the reader stops, with no newline to be found.
	 */
	n = 2 * (size_t)SP_NDJSON_MAXLINE + 4096;
	big = calloc(1, n + 20);
	memcpy(big + n, "\n{\"type\":\"x\"}\n", 15);
	fp = fmemopen(big, n + 15, "r");
	sp_ndjson_init(&r, fp, "t");
	T_INT(sp_ndjson_next(&r, &rec), -1);
	T_OK(strstr(r.err, "endless") != NULL);
	T_OK(ftell(fp) <= (long)(2 * (size_t)SP_NDJSON_MAXLINE + 1));
	T_INT(sp_ndjson_next(&r, &rec), 0);
	sp_ndjson_release(&r);
	fclose(fp);
	free(big);

	/* Writing: compact, one line, UTF-8 kept. */
	fp = open_memstream(&out, &len);
	rec = sp_rec_new("user", "archive");
	json_object_set_new(rec, "location", json_string("Zürich"));
	T_INT(sp_ndjson_write(fp, rec), 0);
	fclose(fp);
	T_STR(out, "{\"type\":\"user\",\"source\":\"archive\","
	    "\"location\":\"Zürich\"}\n");
	free(out);

	/* Ids as strings or integers; numbers as numbers or strings. */
	json_object_set_new(rec, "a", json_string("1ypKdEXvkMLGW"));
	json_object_set_new(rec, "b", json_integer(1234567890123LL));
	json_object_set_new(rec, "c", json_true());
	json_object_set_new(rec, "n", json_string("6210"));
	json_object_set_new(rec, "m", json_real(2.5));
	json_object_set_new(rec, "bad", json_string("12 followers"));
	T_INT(sp_json_id(rec, "a", buf, sizeof(buf)), 0);
	T_STR(buf, "1ypKdEXvkMLGW");
	T_INT(sp_json_id(rec, "b", buf, sizeof(buf)), 0);
	T_STR(buf, "1234567890123");
	T_INT(sp_json_id(rec, "c", buf, sizeof(buf)), -1);
	T_INT(sp_json_id(rec, "missing", buf, sizeof(buf)), -1);
	T_INT(sp_json_id(rec, "a", buf, 5), -1);
	T_INT(sp_json_num(rec, "n", &d), 0);
	T_DBL(d, 6210, 0);
	T_INT(sp_json_num(rec, "m", &d), 0);
	T_DBL(d, 2.5, 0);
	T_INT(sp_json_num(rec, "bad", &d), -1);
	T_INT(sp_json_num(rec, "c", &d), -1);
	T_STR(sp_json_str(rec, "source"), "archive");
	T_OK(sp_json_str(rec, "b") == NULL);
	json_decref(rec);
	return t_done();
}
