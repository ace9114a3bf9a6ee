/* t_mp4v: TS segments remuxed to MP4/TS/M4A/ADTS, checked with ffmpeg. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "tfile.h"
#include "mp4.h"
#include "mp4v.h"
#include "remux.h"
#include "banned.h"

static char tmpdir[512];
static char *seg[3];

/* The first line a command prints (trailing newline cut), in out. */
static int cmd1(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

static int
cmd1(char *out, size_t n, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(out, (int)n, p) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return pclose(p);
}

/* md5 of what ffmpeg decodes of stream sel ("a" or "v") of path. */
static void
decoded(char *out, size_t n, const char *path, const char *sel)
{
	cmd1(out, n, "ffmpeg -nostdin -v error -i '%s' -map 0:%s "
	    "-f md5 - 2>&1", path, sel);
}

static char *
tpath(const char *name)
{
	static char p[4][700];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmpdir, name);
	return p[k];
}

static int
remux(const char *kind, char *const *in, size_t n, const char *out,
    struct sp_remux_stats *st, char *err, size_t errlen)
{
	return sp_remux_files(in, n, out, sp_remux_kind(kind), 1, st, err,
	    errlen);
}

static void
test_mp4(void)
{
	struct sp_remux_stats st;
	struct sp_mp4v *m;
	char err[256], a[256], b[256], ours[700], ff[700];
	FILE *fp;
	int vi, ai;

	/* tpath's names are overwritten four calls on: keep these. */
	snprintf(ours, sizeof(ours), "%s", tpath("ours.mp4"));
	snprintf(ff, sizeof(ff), "%s", tpath("ff.mp4"));
	T_INT(remux("mp4", seg, 3, ours, &st, err, sizeof(err)), 0);
	T_INT(st.video_frames, 180);
	T_INT(st.keyframes, 3);
	T_INT(st.audio_frames, 283);
	T_INT(st.width, 320);
	T_INT(st.height, 240);
	T_DBL(st.fps, 30, 1e-9);
	T_INT(st.b_frames, 1);
	T_INT(st.cc_gaps, 0);
	T_INT(st.segments, 3);
	T_DBL(st.video_seconds, 6.0, 1e-9);
	T_DBL(st.audio_seconds, 283 * 1024 / 48000.0, 1e-9);
	/* The same segments give the same bytes (a rerun after kill -9). */
	{
		uint8_t *x, *y;
		size_t n1, n2;

		T_INT(remux("mp4", seg, 3, tpath("again.mp4"), &st, err,
		    sizeof(err)), 0);
		x = t_slurp(ours, &n1);
		y = t_slurp(tpath("again.mp4"), &n2);
		T_OK(n1 == n2 && memcmp(x, y, n1) == 0);
		free(x);
		free(y);
	}
	/* ffprobe's view of the streams. */
	cmd1(a, sizeof(a), "ffprobe -v error -show_entries stream=codec_name,"
	    "profile,width,height,r_frame_rate,nb_frames,duration_ts -of "
	    "csv=p=0 '%s'", ours);
	T_STR(a, "h264,High,320,240,30/1,540000,180");
	cmd1(a, sizeof(a), "ffprobe -v error -select_streams a -show_entries "
	    "stream=codec_name,profile,sample_rate,channels,nb_frames,"
	    "duration_ts -of csv=p=0 '%s'", ours);
	T_STR(a, "aac,LC,48000,2,289792,283");
	/* Frame for frame what ffmpeg's own remux decodes to. */
	cmd1(a, sizeof(a), "ffmpeg -nostdin -v error -y -i '%s' -c copy "
	    "'%s' && echo ok", tpath("whole.ts"), ff);
	T_STR(a, "ok");
	decoded(a, sizeof(a), ours, "v");
	decoded(b, sizeof(b), ff, "v");
	T_OK(strncmp(a, "MD5=", 4) == 0);
	T_STR(a, b);
	/* Audio sample-exact: as decoded from the TS itself. */
	decoded(a, sizeof(a), ours, "a");
	decoded(b, sizeof(b), tpath("whole.ts"), "a");
	T_STR(a, b);
	/* A third reader, GStreamer's, on the stream parameters. */
	cmd1(a, sizeof(a), "gst-discoverer-1.0 '%s' 2>&1 | grep -E "
	    "'Duration|H.264|Width|Height|Frame rate|AAC|Sample rate|"
	    "Channels' | tr -s ' ' | tr '\\n' ';'", ours);
	T_STR(a, " Duration: 0:00:06.037333333; video #1: H.264 (High "
	    "Profile); Width: 320; Height: 240; Frame rate: 30/1; audio #2: "
	    "MPEG-4 AAC; Channels: 2 (front-left, front-right); Sample rate: "
	    "48000;");
	/* Both start where the TS said (video 1920 ticks after audio). */
	cmd1(a, sizeof(a), "ffprobe -v error -show_entries stream=start_pts "
	    "-of csv=p=0 '%s'", ours);
	T_STR(a, "1920");

	/* Our reader on ours and on ffmpeg's. */
	if ((fp = fopen(ours, "rb")) == NULL)
		return;
	m = sp_mp4v_open(fp, err, sizeof(err));
	if (T_OK(m != NULL)) {
		vi = sp_mp4v_find(m, "vide");
		ai = sp_mp4v_find(m, "soun");
		T_OK(vi >= 0 && ai >= 0);
		if (vi >= 0 && ai >= 0) {
			const struct sp_mp4v_track *v = &m->tracks[vi];
			const struct sp_mp4v_track *au = &m->tracks[ai];
			uint8_t buf[65536];

			T_INT(v->nsamples, 180);
			T_INT(v->nsync, 3);
			T_INT(v->has_ctts, 1);
			T_INT(v->timescale, 90000);
			T_INT(v->width, 320);
			T_INT(v->edit_media_time, 6000);
			T_INT(v->edit_delay, 1920);
			T_INT(au->nsamples, 283);
			T_INT(au->timescale, 48000);
			T_INT(au->asc_len, 2);
			T_INT(sp_mp4v_read(m, (size_t)vi, 0, buf, sizeof(buf)),
			    v->size[0]);
			T_OK(buf[4] == 0x67 || buf[4] == 0x06 ||
			    buf[4] == 0x65);
			T_INT(sp_mp4v_read(m, (size_t)vi, 180, buf,
			    sizeof(buf)), -1);
		}
		sp_mp4v_close(m);
	}
	fclose(fp);
	if ((fp = fopen(ff, "rb")) == NULL)
		return;
	m = sp_mp4v_open(fp, err, sizeof(err));
	if (T_OK(m != NULL)) {
		vi = sp_mp4v_find(m, "vide");
		T_OK(vi >= 0 && m->tracks[vi].nsamples == 180 &&
		    m->tracks[vi].nsync == 3);
		sp_mp4v_close(m);
	}
	fclose(fp);
}

static void
test_kinds(void)
{
	struct sp_remux_stats st;
	char err[256], a[256], b[256], cat[2048];
	size_t n1, n2;
	uint8_t *x, *y;

	/* .ts: the segments as they came (they are clean). */
	T_INT(remux("ts", seg, 3, tpath("o.ts"), &st, err, sizeof(err)), 0);
	snprintf(cat, sizeof(cat), "cat '%s' '%s' '%s' >'%s'", seg[0], seg[1],
	    seg[2], tpath("cat.ts"));
	T_INT(t_run(cat), 0);
	x = t_slurp(tpath("o.ts"), &n1);
	y = t_slurp(tpath("cat.ts"), &n2);
	T_OK(n1 == n2 && memcmp(x, y, n1) == 0);
	free(x);
	free(y);
	T_INT(st.video_frames, 180);
	/* .m4a and .aac: the audio alone, sample for sample. */
	decoded(b, sizeof(b), tpath("whole.ts"), "a");
	T_INT(remux("m4a", seg, 3, tpath("o.m4a"), &st, err, sizeof(err)),
	    0);
	decoded(a, sizeof(a), tpath("o.m4a"), "a");
	T_STR(a, b);
	T_INT(st.has_video, 0);
	/* Tags on the MP4 and on the M4A. */
	{
		const char *kinds[2] = { "mp4", "m4a" };
		struct sp_remux *r;
		FILE *fp;
		size_t n, k;
		uint8_t *b0;

		for (k = 0; k < 2; k++) {
			if ((fp = fopen(tpath("t.out"), "w+b")) == NULL)
				break;
			r = sp_remux_new(sp_remux_kind(kinds[k]), fp, err,
			    sizeof(err));
			sp_remux_tag(r, SP_MP4_TITLE, "Ünïcode Space");
			sp_remux_tag(r, SP_MP4_ARTIST, "@host");
			b0 = t_slurp(seg[0], &n);
			T_INT(sp_remux_segment(r, b0, n, err, sizeof(err)),
			    0);
			free(b0);
			T_INT(sp_remux_finish(r, &st, err, sizeof(err)), 0);
			sp_remux_free(r);
			fclose(fp);
			cmd1(a, sizeof(a), "ffprobe -v error -show_entries "
			    "format_tags=title,artist -of csv=p=0 '%s'",
			    tpath("t.out"));
			T_STR(a, "Ünïcode Space,@host");
		}
	}
	T_INT(remux("aac", seg, 3, tpath("o.aac"), &st, err, sizeof(err)),
	    0);
	decoded(a, sizeof(a), tpath("o.aac"), "a");
	T_STR(a, b);
	T_INT(st.audio_frames, 283);
}

/* The picture follows the speaker: a new resolution mid-stream. */
static void
test_resolution_change(void)
{
	struct sp_remux_stats st;
	char err[256], a[256], b[256], *in[4];

	cmd1(a, sizeof(a), "ffmpeg -nostdin -v error -y -f lavfi -i "
	    "testsrc2=size=640x360:rate=30 -f lavfi -i sine=sample_rate=48000 "
	    "-t 2 -map 0:v -map 1:a -c:v libx264 -preset veryfast -pix_fmt "
	    "yuv420p -c:a aac -ac 2 -output_ts_offset 6 -f mpegts '%s' && "
	    "cat '%s' '%s' '%s' '%s' >'%s' && echo ok", tpath("big.ts"),
	    seg[0], seg[1], seg[2], tpath("big.ts"), tpath("cat.ts"));
	T_STR(a, "ok");
	in[0] = seg[0];
	in[1] = seg[1];
	in[2] = seg[2];
	in[3] = tpath("big.ts");
	T_INT(remux("mp4", in, 4, tpath("big.mp4"), &st, err, sizeof(err)),
	    0);
	T_INT(st.ps_changed, 1);
	T_INT(st.video_frames, 240);
	/* Its timestamps restart 0.6 s back: closed up, once. */
	T_INT(st.discontinuities, 1);
	cmd1(a, sizeof(a), "ffprobe -v error -select_streams v -show_entries "
	    "stream=codec_tag_string -of csv=p=0 '%s'", tpath("big.mp4"));
	T_STR(a, "avc3");
	cmd1(a, sizeof(a), "ffmpeg -nostdin -v error -i '%s' -map 0:v "
	    "-vsync 0 -f framemd5 - | grep -v '^#' | cut -d, -f6 | md5sum",
	    tpath("big.mp4"));
	cmd1(b, sizeof(b), "ffmpeg -nostdin -v error -i '%s' -map 0:v "
	    "-vsync 0 -f framemd5 - | grep -v '^#' | cut -d, -f6 | md5sum",
	    tpath("cat.ts"));
	T_STR(a, b);
}

static void
test_damage(void)
{
	struct sp_remux_stats st;
	char err[256], a[256], *in[3];
	FILE *fp;

	/* A lost segment: a gap on the time line, not a collapse. */
	in[0] = seg[0];
	in[1] = seg[2];
	T_INT(remux("mp4", in, 2, tpath("gap.mp4"), &st, err, sizeof(err)),
	    0);
	T_INT(st.video_frames, 120);
	T_INT(st.discontinuities, 0);
	T_DBL(st.video_seconds, 6.0, 1e-9);
	cmd1(a, sizeof(a), "ffprobe -v error -select_streams v "
	    "-show_entries stream=nb_frames,duration_ts -of csv=p=0 '%s'",
	    tpath("gap.mp4"));
	T_STR(a, "540000,120");
	/* Segments out of order: closed up, counted. */
	in[0] = seg[1];
	in[1] = seg[0];
	T_INT(remux("mp4", in, 2, tpath("back.mp4"), &st, err, sizeof(err)),
	    0);
	T_INT(st.video_frames, 120);
	T_OK(st.discontinuities >= 1);
	T_DBL(st.video_seconds, 4.0, 1e-9);
	/* Starting mid-GOP (after the SDT, PAT and PMT): frames before the
	 * first IDR are dropped. */
	{
		char cut[1400];

		snprintf(cut, sizeof(cut), "{ head -c 564 '%s'; tail -c +37601 "
		    "'%s'; cat '%s'; } >'%s'", seg[0], seg[0], seg[1],
		    tpath("mid.ts"));
		T_INT(t_run(cut), 0);
		in[0] = tpath("mid.ts");
		T_INT(remux("mp4", in, 1, tpath("mid.mp4"), &st, err,
		    sizeof(err)), 0);
		T_OK(st.dropped_leading > 0);
		T_INT(st.video_frames + st.dropped_leading <= 120, 1);
		T_INT(st.keyframes, 1);
	}
	/* Not TS at all, and TS without AAC for .m4a: refused, no file. */
	if ((fp = fopen(tpath("junk.ts"), "w")) != NULL) {
		fputs("#EXTM3U\nnot a segment\n", fp);
		fclose(fp);
	}
	in[0] = tpath("junk.ts");
	T_INT(remux("mp4", in, 1, tpath("junk.mp4"), &st, err, sizeof(err)),
	    -1);
	T_STR(err, "not MPEG-TS");
	T_INT(access(tpath("junk.mp4"), F_OK), -1);
	cmd1(a, sizeof(a), "ffmpeg -nostdin -v error -y -f lavfi -i "
	    "sine=duration=1 -c:a libmp3lame -f mpegts '%s' && echo ok",
	    tpath("mp3.ts"));
	T_STR(a, "ok");
	in[0] = tpath("mp3.ts");
	T_INT(remux("m4a", in, 1, tpath("mp3.m4a"), &st, err, sizeof(err)),
	    -1);
	T_STR(err, "no AAC audio in the stream (it holds mp3)");
	in[0] = tpath("nonexistent.ts");
	T_INT(remux("mp4", in, 1, tpath("x.mp4"), &st, err, sizeof(err)),
	    -1);
	T_OK(strstr(err, "cannot open") != NULL);
	T_INT(sp_remux_kind("mkv"), -1);
	/* The reader refuses what is not an MP4. */
	if ((fp = fopen(tpath("junk.ts"), "rb")) != NULL) {
		T_OK(sp_mp4v_open(fp, err, sizeof(err)) == NULL);
		T_STR(err, "not an MP4 file");
		fclose(fp);
	}
}

int
main(void)
{
	char cmd[1400], line[700];
	FILE *p;
	size_t k = 0;

	if (t_video_dir(tmpdir, sizeof(tmpdir), "t_mp4v", 6) != 0)
		return 1;
	/* The segments in playlist order. */
	snprintf(cmd, sizeof(cmd), "%s/playlist.m3u8", tmpdir);
	if ((p = fopen(cmd, "r")) == NULL)
		return 1;
	while (k < 3 && fgets(line, sizeof(line), p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '#' && line[0] != '\0') {
			seg[k] = malloc(strlen(tmpdir) + strlen(line) + 2);
			if (seg[k] == NULL)
				return 1;
			memcpy(seg[k], tpath(line), strlen(tpath(line)) + 1);
			k++;
		}
	}
	fclose(p);
	if (k != 3)
		return 1;
	test_mp4();
	test_kinds();
	test_resolution_change();
	test_damage();
	for (k = 0; k < 3; k++)
		free(seg[k]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
