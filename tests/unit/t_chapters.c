/* t_chapters: the chapter model, its readers, clipping and JSON output. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>

#include "chapters.h"
#include "t.h"

static char err[256];

/* Read s (its strlen bytes) into a fresh c; the result of the reader. */
static int
rd(struct sp_chapters *c, const char *s)
{
	FILE *fp = fmemopen((void *)s, strlen(s), "r");
	int rc;

	sp_chapters_init(c);
	err[0] = '\0';
	rc = sp_chapters_read(c, fp, err, sizeof(err));
	fclose(fp);
	return rc;
}

/* An error and its message, with c left empty. */
static void
bad(const char *in, const char *want)
{
	struct sp_chapters c;

	T_INT(rd(&c, in), -1);
	T_STR(err, want);
	T_INT(c.n, 0);
	sp_chapters_release(&c);
}

static void
test_json(void)
{
	struct sp_chapters c;

	T_INT(rd(&c, "\xef\xbb\xbf{\"version\": \"1.2.0\",\n"
	    " \"author\": \"x\",\n"
	    " \"chapters\": [\n"
	    "  {\"startTime\": 0, \"title\": \"Intro\"},\n"
	    "  {\"startTime\": 12.5, \"title\": \"Caf\\u00e9 \\\"talk\\\"\","
	    " \"url\": \"https://example.com/a\", \"img\": \"i.png\"},\n"
	    "  {\"startTime\": \"90.25\", \"url\": null, \"toc\": false},\n"
	    "  {\"startTime\": 3600, \"title\": null, \"url\": \"\"}\n"
	    " ]}\n"), 0);
	T_INT(c.n, 4);
	T_DBL(c.v[0].start, 0, 0);
	T_STR(c.v[0].title, "Intro");
	T_OK(c.v[0].url == NULL);
	T_DBL(c.v[1].start, 12.5, 0);
	T_STR(c.v[1].title, "Caf\xc3\xa9 \"talk\"");
	T_STR(c.v[1].url, "https://example.com/a");
	T_DBL(c.v[2].start, 90.25, 0);
	T_STR(c.v[2].title, "");
	T_OK(c.v[2].url == NULL);
	T_DBL(c.v[3].start, 3600, 0);
	T_STR(c.v[3].title, "");
	T_OK(c.v[3].url == NULL);
	sp_chapters_release(&c);

	/* No chapters is no error. */
	T_INT(rd(&c, "{\"version\":\"1.2.0\",\"chapters\":[]}"), 0);
	T_INT(c.n, 0);
	sp_chapters_release(&c);

	/* Errors: syntax (jansson's line), then members (the chapter's). */
	bad("{\"version\":\"1.2.0\",\n\"chapters\":[\n{\"startTime\":1,}\n]}",
	    "line 3: string or '}' expected near '}'");
	bad("{\"version\":\"1.2.0\",\n\"chapters\":[\n  {\"startTime\":1},\n"
	    "  {\"title\":\"no start\"}\n]}",
	    "line 4: chapter 2: no \"startTime\" number");
	bad("{\"chapters\": [{\"startTime\": 1},\n\n  7]}",
	    "line 3: chapter 2: not an object");
	bad("{\"x\":[1,[2]],\"chapters\":[{\"startTime\":1},\n"
	    "{\"startTime\":2},\n{\"startTime\":-1}]}",
	    "line 3: chapter 3: \"startTime\" out of range");
	bad("{\"chapters\":[{\"startTime\":1,\n\"title\":5}]}",
	    "line 1: chapter 1: \"title\" is not a string");
	bad("{\"chapters\":[{\"startTime\":1,\"url\":[]}]}",
	    "line 1: chapter 1: \"url\" is not a string");
	bad("{\"chapters\":[{\"startTime\":\"soon\"}]}",
	    "line 1: chapter 1: no \"startTime\" number");
	bad("{\"version\":\"1.2.0\"}", "line 1: no \"chapters\" array");
	bad("{\"version\":1.2,\"chapters\":[]}",
	    "line 1: \"version\" is not a string");
	bad("{\"chapters\":[],\n\"chapters\":[]}",
	    "line 2: duplicate object key near '\"chapters\"'");
	bad("{\"chapters\":[{\"startTime\":1,\"title\":\"a\\u0000b\"}]}",
	    "line 1: \\u0000 is not allowed without JSON_ALLOW_NUL near "
	    "'\"a\\u0000b\"'");
}

static void
test_text(void)
{
	struct sp_chapters c;

	T_INT(rd(&c, "# chapters of the Space\r\n"
	    "\r\n"
	    "0 Intro\r\n"
	    "   1:30   Guest   intro  \r\n"
	    "\t01:02:03.250\tQ&A # not a comment\n"
	    "1h2m Late\n"
	    "90.5\n"
	    "   # indented comment\n"
	    "250ms Tiny"), 0);
	T_INT(c.n, 6);
	T_DBL(c.v[0].start, 0, 0);
	T_STR(c.v[0].title, "Intro");
	T_DBL(c.v[1].start, 0.25, 1e-9);
	T_STR(c.v[1].title, "Tiny");
	T_DBL(c.v[2].start, 90, 0);
	T_STR(c.v[2].title, "Guest   intro");
	T_DBL(c.v[3].start, 90.5, 0);
	T_STR(c.v[3].title, "");
	T_DBL(c.v[4].start, 3720, 0);
	T_STR(c.v[4].title, "Late");
	T_DBL(c.v[5].start, 3723.25, 1e-9);
	T_STR(c.v[5].title, "Q&A # not a comment");
	T_OK(c.v[5].url == NULL);
	sp_chapters_release(&c);

	/* Unsorted input comes out sorted; equal starts keep file order. */
	T_INT(rd(&c, "3:00 C\n1:00 A1\n2:00 B\n1:00 A2\n0 Z\n1:00 A3\n"), 0);
	T_INT(c.n, 6);
	T_STR(c.v[0].title, "Z");
	T_STR(c.v[1].title, "A1");
	T_STR(c.v[2].title, "A2");
	T_STR(c.v[3].title, "A3");
	T_STR(c.v[4].title, "B");
	T_STR(c.v[5].title, "C");
	sp_chapters_release(&c);

	/* An empty file has no chapters. */
	T_INT(rd(&c, ""), 0);
	T_INT(c.n, 0);
	sp_chapters_release(&c);
	T_INT(rd(&c, "\n# only a comment\n\n"), 0);
	T_INT(c.n, 0);
	sp_chapters_release(&c);

	bad("0 Intro\n\n1:3x Oops\n", "line 3: '1:3x' is not a time");
	bad("0 a\n-5 Negative\n", "line 2: '-5' is not a time");
	bad("0 a\n1 b\n2 \xff\xfe\n", "line 3: title is not UTF-8");
	bad("0 \xed\xa0\x80 surrogate\n", "line 1: title is not UTF-8");
	bad("Intro 0:00\n", "line 1: 'Intro' is not a time");
	bad("12345678901234567890123456789012345678901234567890123456789012345"
	    " Long\n", "line 1: '12345678901234567890123456789012' is not a "
	    "time");
}

static void
test_nul(void)
{
	static const char in[] = "0 a\n1 b\0c\n";
	struct sp_chapters c;
	FILE *fp = fmemopen((void *)in, sizeof(in) - 1, "r");

	sp_chapters_init(&c);
	T_INT(sp_chapters_read(&c, fp, err, sizeof(err)), -1);
	T_STR(err, "line 2: NUL byte in title");
	T_INT(c.n, 0);
	fclose(fp);
}

static void
test_ffmeta(void)
{
	struct sp_chapters c;

	/* As ffmpeg 5.1 writes it (-f ffmetadata), escapes included. */
	T_INT(rd(&c, ";FFMETADATA1\n"
	    "title=Show\n"
	    "encoder=Lavf59.27.100\n"
	    "[CHAPTER]\n"
	    "TIMEBASE=1/1000\n"
	    "START=0\n"
	    "END=975\n"
	    "title=Intro \\= a\\; b\n"
	    "[CHAPTER]\n"
	    "TIMEBASE=1/1000\n"
	    "START=975\n"
	    "END=1975\n"
	    "title=Q&A \\#1\n"
	    "[CHAPTER]\n"
	    "TIMEBASE=1/48000\n"
	    "START=96000\n"
	    "artist=ignored\n"
	    "TITLE=two\\\nlines\\\\\n"
	    "[STREAM]\n"
	    "title=not a chapter\n"
	    "[CHAPTER]\n"
	    "; no TIMEBASE: nanoseconds, as ffmpeg\n"
	    "START=3000000000\n"), 0);
	T_INT(c.n, 4);
	T_DBL(c.v[0].start, 0, 0);
	T_STR(c.v[0].title, "Intro = a; b");
	T_DBL(c.v[1].start, 0.975, 1e-12);
	T_STR(c.v[1].title, "Q&A #1");
	T_DBL(c.v[2].start, 2, 0);
	T_STR(c.v[2].title, "two\nlines\\");
	T_DBL(c.v[3].start, 3, 0);
	T_STR(c.v[3].title, "");
	sp_chapters_release(&c);

	/* CRLF, and a file that starts with its first chapter. */
	T_INT(rd(&c, "[CHAPTER]\r\nTIMEBASE=1/10\r\nSTART=15\r\n"
	    "title=One\r\n[CHAPTER]\r\nSTART=0\r\nTIMEBASE=1/1\r\n"), 0);
	T_INT(c.n, 2);
	T_DBL(c.v[0].start, 0, 0);
	T_STR(c.v[0].title, "");
	T_DBL(c.v[1].start, 1.5, 1e-12);
	T_STR(c.v[1].title, "One");
	sp_chapters_release(&c);

	bad(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nEND=5\n"
	    "title=x\n[CHAPTER]\nSTART=1\n", "line 2: chapter without START");
	bad(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=0/1000\nSTART=0\n",
	    "line 3: bad TIMEBASE");
	bad(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1000\nSTART=0\n",
	    "line 3: bad TIMEBASE");
	bad(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=-1\n",
	    "line 4: bad START");
	bad(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=x\n",
	    "line 5: bad END");
	bad(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1\nSTART=2000000000\n",
	    "line 2: chapter START out of range");
	bad(";FFMETADATA1\n[CHAPTER]\nSTART=0\njunk\n",
	    "line 4: expected key=value");
	bad(";FFMETADATA1\n[CHAPTER]\nSTART=0\ntitle=\xc0\xaf\n",
	    "line 4: title is not UTF-8");
}

static void
test_add_append(void)
{
	struct sp_chapters c;

	sp_chapters_init(&c);
	sp_chapters_add(&c, 5, "five", NULL);
	sp_chapters_add(&c, 1, NULL, "");
	sp_chapters_add(&c, 5, "five again", "u");
	sp_chapters_add(&c, -3, "negative", NULL);
	sp_chapters_add(&c, NAN, "nan", NULL);
	sp_chapters_add(&c, 3, "three", NULL);
	T_INT(c.n, 6);
	T_STR(c.v[0].title, "negative");
	T_DBL(c.v[0].start, 0, 0);
	T_STR(c.v[1].title, "nan");
	T_STR(c.v[2].title, "");
	T_OK(c.v[2].url == NULL);
	T_STR(c.v[3].title, "three");
	T_STR(c.v[4].title, "five");
	T_STR(c.v[5].title, "five again");
	T_STR(c.v[5].url, "u");

	/* Reading appends to what is there, merged in order. */
	{
		static const char in[] = "4 four\n5 five last\n";
		FILE *fp = fmemopen((void *)in, sizeof(in) - 1, "r");

		T_INT(sp_chapters_read(&c, fp, err, sizeof(err)), 0);
		fclose(fp);
	}
	T_INT(c.n, 8);
	T_STR(c.v[4].title, "four");
	T_STR(c.v[5].title, "five");
	T_STR(c.v[6].title, "five again");
	T_STR(c.v[7].title, "five last");
	/* A failed read leaves the list as it was. */
	{
		static const char in[] = "4 four\nnope\n";
		FILE *fp = fmemopen((void *)in, sizeof(in) - 1, "r");

		T_INT(sp_chapters_read(&c, fp, err, sizeof(err)), -1);
		fclose(fp);
	}
	T_INT(c.n, 8);
	sp_chapters_release(&c);
	T_INT(c.n, 0);
	T_OK(c.v == NULL);
	sp_chapters_release(&c);
}

static void
test_big(void)
{
	struct sp_chapters c;
	size_t n = SP_CHAPTERS_MAXFILE + 1;
	char *big = malloc(n);
	FILE *fp;

	memset(big, '\n', n);
	fp = fmemopen(big, n, "r");
	sp_chapters_init(&c);
	T_INT(sp_chapters_read(&c, fp, err, sizeof(err)), -1);
	T_STR(err, "chapter file larger than 16 MiB");
	fclose(fp);
	free(big);
}

static void
test_clip(void)
{
	struct sp_chapters c, o;

	sp_chapters_init(&c);
	sp_chapters_add(&c, 0, "Intro", NULL);
	sp_chapters_add(&c, 60, "Guest", "https://g.example/");
	sp_chapters_add(&c, 120, "Q&A", NULL);
	sp_chapters_add(&c, 180, "Outro", NULL);

	/* Inside one chapter: it becomes the chapter at 0, url and all. */
	sp_chapters_clip(&c, 70, 110, &o);
	T_INT(o.n, 1);
	T_DBL(o.v[0].start, 0, 0);
	T_STR(o.v[0].title, "Guest");
	T_STR(o.v[0].url, "https://g.example/");
	sp_chapters_release(&o);

	/* Across: the running one at 0, the rest shifted, end exclusive. */
	sp_chapters_clip(&c, 90.5, 180, &o);
	T_INT(o.n, 2);
	T_DBL(o.v[0].start, 0, 0);
	T_STR(o.v[0].title, "Guest");
	T_DBL(o.v[1].start, 29.5, 1e-12);
	T_STR(o.v[1].title, "Q&A");
	sp_chapters_release(&o);

	/* A chapter starting exactly at the clip start replaces the
	 * running one. */
	sp_chapters_clip(&c, 60, INFINITY, &o);
	T_INT(o.n, 3);
	T_STR(o.v[0].title, "Guest");
	T_DBL(o.v[0].start, 0, 0);
	T_DBL(o.v[2].start, 120, 0);
	T_STR(o.v[2].title, "Outro");
	sp_chapters_release(&o);

	/* Before the first chapter: nothing runs yet. */
	sp_chapters_release(&c);
	sp_chapters_add(&c, 10, "Late start", NULL);
	sp_chapters_add(&c, 20, "Later", NULL);
	sp_chapters_clip(&c, 0, 15, &o);
	T_INT(o.n, 1);
	T_DBL(o.v[0].start, 10, 0);
	T_STR(o.v[0].title, "Late start");
	sp_chapters_release(&o);
	sp_chapters_clip(&c, 2, 9, &o);
	T_INT(o.n, 0);
	sp_chapters_release(&o);

	/* After the last: the last one runs through it. */
	sp_chapters_clip(&c, 300, 400, &o);
	T_INT(o.n, 1);
	T_STR(o.v[0].title, "Later");
	T_DBL(o.v[0].start, 0, 0);
	sp_chapters_release(&o);

	/* Duplicates before the start: only the last runs. */
	sp_chapters_add(&c, 20, "Later 2", NULL);
	sp_chapters_clip(&c, 25, 30, &o);
	T_INT(o.n, 1);
	T_STR(o.v[0].title, "Later 2");
	sp_chapters_release(&o);

	/* Empty clips and empty lists. */
	sp_chapters_clip(&c, 30, 30, &o);
	T_INT(o.n, 0);
	sp_chapters_release(&o);
	sp_chapters_clip(&c, 30, 20, &o);
	T_INT(o.n, 0);
	sp_chapters_release(&o);
	sp_chapters_clip(&c, NAN, 20, &o);
	T_INT(o.n, 0);
	sp_chapters_release(&o);
	sp_chapters_release(&c);
	sp_chapters_clip(&c, 0, 10, &o);
	T_INT(o.n, 0);
	sp_chapters_release(&o);
}

/* Run python3 on the JSON chapter file at path; its one-line verdict. */
static void
python_check(const char *path, const char *want)
{
	static const char script[] =
	    "import json, sys\n"
	    "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
	    "assert d['version'] == '1.2.0', d['version']\n"
	    "assert set(d) == {'version', 'chapters'}, d\n"
	    "out = []\n"
	    "for c in d['chapters']:\n"
	    "    s = c['startTime']\n"
	    "    assert type(s) in (int, float), s\n"
	    "    assert set(c) <= {'startTime', 'title', 'url'}, c\n"
	    "    out.append('%r|%s|%s' % (s, c.get('title', '-'),"
	    " c.get('url', '-')))\n"
	    "print(';'.join(out))\n";
	char cmd[512], line[1024] = "";
	char spath[] = "/tmp/t_chapters_py.XXXXXX";
	FILE *fp, *p;
	int fd;

	fd = mkstemp(spath);
	fp = fdopen(fd, "w");
	fputs(script, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s 2>&1", spath,
	    path);
	p = popen(cmd, "r");
	T_OK(p != NULL);
	if (p == NULL)
		return;
	if (fgets(line, sizeof(line), p) != NULL)
		line[strcspn(line, "\n")] = '\0';
	T_INT(pclose(p), 0);
	T_STR(line, want);
	unlink(spath);
}

static void
test_write(void)
{
	struct sp_chapters c, back;
	char path[] = "/tmp/t_chapters_json.XXXXXX";
	json_t *root, *ch;
	json_error_t je;
	FILE *fp;
	size_t i;
	int fd;

	sp_chapters_init(&c);
	sp_chapters_add(&c, 0, "Intro", NULL);
	sp_chapters_add(&c, 12.345, "Caf\xc3\xa9 \"q\"",
	    "https://x.example/?a=1&b=2");
	sp_chapters_add(&c, 0.1 + 0.2, "", NULL);
	sp_chapters_add(&c, 3723.25, "Late", NULL);
	sp_chapters_add(&c, 99.9996, "Rounded", NULL);

	fd = mkstemp(path);
	fp = fdopen(fd, "w");
	T_INT(sp_chapters_write_json(&c, fp), 0);
	T_INT(fclose(fp), 0);

	/* jansson: the document's shape. */
	root = json_load_file(path, 0, &je);
	T_OK(root != NULL);
	T_STR(json_string_value(json_object_get(root, "version")), "1.2.0");
	T_INT(json_array_size(json_object_get(root, "chapters")), 5);
	json_array_foreach(json_object_get(root, "chapters"), i, ch)
		T_OK(json_is_number(json_object_get(ch, "startTime")));
	ch = json_array_get(json_object_get(root, "chapters"), 0);
	T_OK(json_is_integer(json_object_get(ch, "startTime")));
	T_STR(json_string_value(json_object_get(ch, "title")), "Intro");
	T_OK(json_object_get(ch, "url") == NULL);
	ch = json_array_get(json_object_get(root, "chapters"), 1);
	T_DBL(json_number_value(json_object_get(ch, "startTime")), 0.3, 0);
	T_OK(json_object_get(ch, "title") == NULL);
	ch = json_array_get(json_object_get(root, "chapters"), 2);
	T_STR(json_string_value(json_object_get(ch, "url")),
	    "https://x.example/?a=1&b=2");
	json_decref(root);

	/* python3: an independent parser, the exact numbers written. */
	python_check(path, "0|Intro|-;0.3|-|-;12.345|Caf\xc3\xa9 \"q\"|"
	    "https://x.example/?a=1&b=2;100|Rounded|-;3723.25|Late|-");

	/* Our reader takes back what we wrote. */
	fp = fopen(path, "r");
	sp_chapters_init(&back);
	T_INT(sp_chapters_read(&back, fp, err, sizeof(err)), 0);
	fclose(fp);
	T_INT(back.n, c.n);
	for (i = 0; i < back.n && i < c.n; i++) {
		T_DBL(back.v[i].start, c.v[i].start, 0.0005);
		T_STR(back.v[i].title, c.v[i].title);
		T_OK((back.v[i].url == NULL) == (c.v[i].url == NULL));
	}
	sp_chapters_release(&back);

	/* No chapters: still a valid document. */
	fp = fopen(path, "w");
	sp_chapters_init(&back);
	T_INT(sp_chapters_write_json(&back, fp), 0);
	fclose(fp);
	python_check(path, "");

	/* A full disk is an error. */
	fp = fopen("/dev/full", "w");
	if (T_OK(fp != NULL)) {
		T_INT(sp_chapters_write_json(&c, fp), -1);
		fclose(fp);
	}
	/* A title that is not UTF-8 (from sp_chapters_add) is refused. */
	sp_chapters_add(&c, 1, "bad \xff", NULL);
	fp = fopen(path, "w");
	errno = 0;
	T_INT(sp_chapters_write_json(&c, fp), -1);
	T_INT(errno, EILSEQ);
	fclose(fp);
	unlink(path);
	sp_chapters_release(&c);
}

/* "toc": false and "img": read, carried into a clip, written back. */
static void
test_hidden(void)
{
	struct sp_chapters c, out;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	T_INT(rd(&c, "{\"chapters\":[{\"startTime\":0,\"title\":\"A\","
	    "\"img\":\"https://i.example/a.png\"},{\"startTime\":5,"
	    "\"title\":\"Ad\",\"toc\":false,\"img\":\"i.png\"},"
	    "{\"startTime\":9,\"title\":\"B\",\"toc\":true}]}"), 0);
	T_INT(c.n, 3);
	T_INT(sp_chapters_visible(&c), 2);
	if (c.n == 3) {
		T_STR(c.v[0].img, "https://i.example/a.png");
		T_INT(c.v[0].hidden, 0);
		T_INT(c.v[1].hidden, 1);
		T_INT(c.v[2].hidden, 0);
		T_OK(c.v[2].img == NULL);
	}
	/* From 6 s: the hidden one running, and the visible one it is in. */
	sp_chapters_clip(&c, 6, 20, &out);
	T_INT(out.n, 3);
	if (out.n == 3) {
		T_STR(out.v[0].title, "A");
		T_INT(out.v[0].hidden, 0);
		T_STR(out.v[1].title, "Ad");
		T_INT(out.v[1].hidden, 1);
		T_STR(out.v[1].img, "i.png");
		T_DBL(out.v[2].start, 3, 1e-9);
	}
	fp = open_memstream(&buf, &len);
	T_INT(sp_chapters_write_json(&out, fp), 0);
	fclose(fp);
	T_OK(buf && strstr(buf, "\"toc\": false") != NULL);
	T_OK(buf && strstr(buf, "\"img\": \"i.png\"") != NULL);
	free(buf);
	sp_chapters_release(&out);
	sp_chapters_release(&c);
	bad("{\"chapters\":[{\"startTime\":0,\"toc\":\"no\"}]}",
	    "line 1: chapter 1: \"toc\" is not true or false");
	bad("{\"chapters\":[{\"startTime\":0,\"img\":3}]}",
	    "line 1: chapter 1: \"img\" is not a string");
}

int
main(void)
{
	test_json();
	test_text();
	test_nul();
	test_ffmeta();
	test_add_append();
	test_big();
	test_clip();
	test_write();
	test_hidden();
	return t_done();
}
