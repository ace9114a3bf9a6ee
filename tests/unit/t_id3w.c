/* t_id3w: the ID3v2.4 writer, read back by mutagen, ffprobe and ffmpeg. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>

#include "adts.h"
#include "chapters.h"
#include "id3w.h"
#include "t.h"

static char mp3path[] = "/tmp/t_id3w.XXXXXX.mp3";
static char pypath[] = "/tmp/t_id3w_py.XXXXXX";

/* What mutagen sees, a line per item; CHAP frames in time order. */
static const char script[] =
    "import sys\n"
    "from mutagen.id3 import ID3, CTOCFlags\n"
    "sys.stdout.reconfigure(encoding='utf-8')\n"
    "t = ID3(sys.argv[1])\n"
    "print('version', '.'.join(map(str, t.version)))\n"
    "for k in ('TIT2', 'TPE1', 'TALB', 'TDRC', 'TSSE'):\n"
    "    if k in t:\n"
    "        print(k, int(t[k].encoding), t[k].text[0])\n"
    "for c in t.getall('COMM'):\n"
    "    print('COMM', int(c.encoding), c.lang, repr(c.desc), c.text[0])\n"
    "chaps = sorted(t.getall('CHAP'), key=lambda f: f.start_time)\n"
    "print('chapters', len(chaps))\n"
    "for c in chaps[:3] + chaps[-1:] if len(chaps) > 4 else chaps:\n"
    "    s = c.sub_frames\n"
    "    w = s.getall('WXXX')\n"
    "    print('CHAP', c.element_id, c.start_time, c.end_time,\n"
    "        hex(c.start_offset), hex(c.end_offset),\n"
    "        s['TIT2'].text[0] if 'TIT2' in s else '-',\n"
    "        w[0].url if w else '-')\n"
    "for c in t.getall('CTOC'):\n"
    "    k = c.child_element_ids\n"
    "    print('CTOC', c.element_id,\n"
    "        'top' if c.flags & CTOCFlags.TOP_LEVEL else 'not-top',\n"
    "        'ordered' if c.flags & CTOCFlags.ORDERED else 'unordered',\n"
    "        len(k), ','.join(k[:3] + k[-1:] if len(k) > 4 else k))\n";

/* Run cmd; its output (NUL-terminated, cut to n - 1) and exit status. */
static int
run(const char *cmd, char *out, size_t n)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, got;

	out[0] = '\0';
	if (p == NULL)
		return -1;
	while ((got = fread(out + len, 1, n - 1 - len, p)) > 0)
		len += got;
	out[len] = '\0';
	return pclose(p);
}

static void
mutagen(const char *want)
{
	char cmd[256], out[8192];

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s 2>&1", pypath,
	    mp3path);
	T_INT(run(cmd, out, sizeof(out)), 0);
	T_STR(out, want);
}

/* Write tag then the MP3 stream of body into mp3path. */
static void
write_mp3(const unsigned char *tag, size_t tlen, const unsigned char *body,
    size_t blen)
{
	FILE *fp = fopen(mp3path, "w");

	T_OK(fp != NULL && fwrite(tag, 1, tlen, fp) == tlen &&
	    fwrite(body, 1, blen, fp) == blen);
	T_INT(fclose(fp), 0);
}

static uint32_t
ss(const unsigned char *b)
{
	return (uint32_t)b[0] << 21 | b[1] << 14 | b[2] << 7 | b[3];
}

/* The tag's structure: syncsafe sizes that add up, frames counted. */
static void
walk(const unsigned char *b, size_t len, int chaps, int ctocs)
{
	size_t at = 10, fs;
	int nchap = 0, nctoc = 0, ok = 1, i;

	T_OK(len > 10 && memcmp(b, "ID3\x04\x00\x00", 6) == 0);
	for (i = 6; i < 10; i++)
		T_OK((b[i] & 0x80) == 0);
	T_INT(ss(b + 6), len - 10);
	while (at + 10 <= len) {
		for (i = 4; i < 8; i++)
			ok &= (b[at + i] & 0x80) == 0;
		fs = ss(b + at + 4);
		nchap += memcmp(b + at, "CHAP", 4) == 0;
		nctoc += memcmp(b + at, "CTOC", 4) == 0;
		ok &= b[at + 8] == 0 && b[at + 9] == 0;
		at += 10 + fs;
	}
	T_OK(ok);
	T_INT(at, len);
	T_INT(nchap, chaps);
	T_INT(nctoc, ctocs);
}

static void
test_full(const unsigned char *body, size_t blen, double total)
{
	struct sp_id3w_tags tags = {
		"Spaces Weekly \xe2\x80\x94 ep. 1", "Ada & Friends",
		"Spaces Weekly", "Recorded live on X.\nLine two.",
		"2024-05-01"
	};
	struct sp_chapters c;
	unsigned char *tag;
	char cmd[512], out[16384];
	json_t *root, *arr, *ch;
	json_error_t je;
	size_t len;

	sp_chapters_init(&c);
	sp_chapters_add(&c, 1.5, "Q&A", NULL);
	sp_chapters_add(&c, 0, "Intro", NULL);
	sp_chapters_add(&c, 0.75, "Caf\xc3\xa9 talk",
	    "https://example.com/\xc3\xbc?a=1 b");
	tag = sp_id3w_build(&tags, &c, total, &len);
	walk(tag, len, 3, 1);
	write_mp3(tag, len, body, blen);
	free(tag);

	mutagen("version 2.4.0\n"
	    "TIT2 3 Spaces Weekly \xe2\x80\x94 ep. 1\n"
	    "TPE1 3 Ada & Friends\n"
	    "TALB 3 Spaces Weekly\n"
	    "TDRC 3 2024-05-01\n"
	    "TSSE 3 spaces\n"
	    "COMM 3 eng '' Recorded live on X.\nLine two.\n"
	    "chapters 3\n"
	    "CHAP ch0 0 750 0xffffffff 0xffffffff Intro -\n"
	    "CHAP ch1 750 1500 0xffffffff 0xffffffff Caf\xc3\xa9 talk "
	    "https://example.com/%C3%BC?a=1%20b\n"
	    "CHAP ch2 1500 2038 0xffffffff 0xffffffff Q&A -\n"
	    "CTOC toc top ordered 3 ch0,ch1,ch2\n");

	/* ffprobe: chapters with their times and titles, and the tags. */
	snprintf(cmd, sizeof(cmd), "ffprobe -v error -show_chapters "
	    "-show_format -of json %s 2>&1", mp3path);
	T_INT(run(cmd, out, sizeof(out)), 0);
	root = json_loads(out, 0, &je);
	if (!T_OK(root != NULL)) {
		printf("# %s\n", out);
		return;
	}
	arr = json_object_get(root, "chapters");
	T_INT(json_array_size(arr), 3);
	ch = json_array_get(arr, 0);
	T_STR(json_string_value(json_object_get(ch, "start_time")),
	    "0.000000");
	T_STR(json_string_value(json_object_get(ch, "end_time")), "0.750000");
	T_STR(json_string_value(json_object_get(json_object_get(ch, "tags"),
	    "title")), "Intro");
	ch = json_array_get(arr, 1);
	T_STR(json_string_value(json_object_get(ch, "start_time")),
	    "0.750000");
	T_STR(json_string_value(json_object_get(ch, "end_time")), "1.500000");
	T_STR(json_string_value(json_object_get(json_object_get(ch, "tags"),
	    "title")), "Caf\xc3\xa9 talk");
	ch = json_array_get(arr, 2);
	T_STR(json_string_value(json_object_get(ch, "start_time")),
	    "1.500000");
	T_STR(json_string_value(json_object_get(ch, "end_time")), "2.038000");
	T_STR(json_string_value(json_object_get(json_object_get(ch, "tags"),
	    "title")), "Q&A");
	ch = json_object_get(json_object_get(root, "format"), "tags");
	T_STR(json_string_value(json_object_get(ch, "title")),
	    "Spaces Weekly \xe2\x80\x94 ep. 1");
	T_STR(json_string_value(json_object_get(ch, "artist")),
	    "Ada & Friends");
	T_STR(json_string_value(json_object_get(ch, "album")),
	    "Spaces Weekly");
	T_STR(json_string_value(json_object_get(ch, "date")), "2024-05-01");
	T_STR(json_string_value(json_object_get(ch, "encoder")), "spaces");
	json_decref(root);

	/* The tag does not break the stream: ffmpeg decodes it cleanly. */
	snprintf(cmd, sizeof(cmd), "ffmpeg -nostdin -v error -i %s "
	    "-f null - 2>&1", mp3path);
	T_INT(run(cmd, out, sizeof(out)), 0);
	T_STR(out, "");
	sp_chapters_release(&c);
}

/* No tags, no chapters: a tag of TSSE alone, and no CTOC. */
static void
test_empty(const unsigned char *body, size_t blen)
{
	struct sp_id3w_tags tags = { "", NULL, NULL, "", NULL };
	struct sp_chapters c;
	unsigned char *tag;
	size_t len;

	sp_chapters_init(&c);
	tag = sp_id3w_build(&tags, &c, 2, &len);
	walk(tag, len, 0, 0);
	T_INT(len, 10 + 10 + 1 + 6);
	write_mp3(tag, len, body, blen);
	free(tag);
	tag = sp_id3w_build(NULL, NULL, 0, &len);
	T_INT(len, 27);
	free(tag);
	mutagen("version 2.4.0\nTSSE 3 spaces\nchapters 0\n");
}

/* More chapters than a CTOC can list: the first 255, the last to the end;
 * untitled ones without TIT2; a total before the last start. */
static void
test_many(const unsigned char *body, size_t blen)
{
	struct sp_chapters c;
	unsigned char *tag;
	char title[16];
	size_t len;
	int i;

	sp_chapters_init(&c);
	for (i = 0; i < 300; i++) {
		snprintf(title, sizeof(title), "%d", i);
		sp_chapters_add(&c, i * 0.5, i == 1 ? "" : title, NULL);
	}
	tag = sp_id3w_build(NULL, &c, 600, &len);
	walk(tag, len, 255, 1);
	write_mp3(tag, len, body, blen);
	free(tag);
	mutagen("version 2.4.0\nTSSE 3 spaces\nchapters 255\n"
	    "CHAP ch0 0 500 0xffffffff 0xffffffff 0 -\n"
	    "CHAP ch1 500 1000 0xffffffff 0xffffffff - -\n"
	    "CHAP ch2 1000 1500 0xffffffff 0xffffffff 2 -\n"
	    "CHAP ch254 127000 600000 0xffffffff 0xffffffff 254 -\n"
	    "CTOC toc top ordered 255 ch0,ch1,ch2,ch254\n");

	/* A total before the last start: the last chapter is empty. */
	sp_chapters_release(&c);
	sp_chapters_add(&c, 0, "a", NULL);
	sp_chapters_add(&c, 10, "b", NULL);
	tag = sp_id3w_build(NULL, &c, 5, &len);
	write_mp3(tag, len, body, blen);
	free(tag);
	mutagen("version 2.4.0\nTSSE 3 spaces\nchapters 2\n"
	    "CHAP ch0 0 10000 0xffffffff 0xffffffff a -\n"
	    "CHAP ch1 10000 10000 0xffffffff 0xffffffff b -\n"
	    "CTOC toc top ordered 2 ch0,ch1\n");
	sp_chapters_release(&c);
}

int
main(void)
{
	const char *top = getenv("TOP");
	char path[4096];
	unsigned char *mp3, *body;
	size_t n, skip = 0;
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "%s/tests/data/pcm/stereo-44k.mp3",
	    top ? top : ".");
	fp = fopen(path, "r");
	if (!T_OK(fp != NULL))
		return t_done();
	mp3 = malloc(1 << 20);
	n = fread(mp3, 1, 1 << 20, fp);
	fclose(fp);
	/* The fixture carries its own (empty) tag: ours replaces it. */
	if (sp_id3_size(mp3, n, &skip) == -1)
		skip = 0;
	T_OK(skip < n);
	body = mp3 + skip;
	T_OK(body[0] == 0xFF && (body[1] & 0xE0) == 0xE0);

	fd = mkstemps(mp3path, 4);
	close(fd);
	fd = mkstemp(pypath);
	fp = fdopen(fd, "w");
	fputs(script, fp);
	fclose(fp);

	/* ffmpeg's duration, to the ms (2.037551 s) */
	test_full(body, n - skip, 2.0376);
	test_empty(body, n - skip);
	test_many(body, n - skip);

	unlink(mp3path);
	unlink(pypath);
	free(mp3);
	return t_done();
}
