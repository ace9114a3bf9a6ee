/* t_hls: the m3u8 parser, URI resolution and chunk numbers. */
#include <stdlib.h>
#include <string.h>

#include "hls.h"
#include "t.h"

static const char live[] =
"#EXTM3U\n"
"#EXT-X-VERSION:6\n"
"#EXT-X-TARGETDURATION:4\n"
"#EXT-X-INDEPENDENT-SEGMENTS\n"
"#EXT-X-MEDIA-SEQUENCE:1704\n"
"#EXT-X-DISCONTINUITY-SEQUENCE:0\n"
"#EXT-X-START:TIME-OFFSET=0.01\n"
"#EXT-X-PROGRAM-DATE-TIME:2024-07-05T15:17:40.257Z\n"
"#EXTINF:3.008,\n"
"chunk_1720192654637762497_1704_a.aac?type=live\n"
"#EXT-X-PROGRAM-DATE-TIME:2024-07-05T15:17:43.280Z\n"
"#EXTINF:2.987,\n"
"chunk_1720192657533692001_1705_a.aac?type=live\n"
"#EXT-X-PROGRAM-DATE-TIME:2024-07-05T15:17:46.274Z\n"
"#EXTINF:3.008,\n"
"chunk_1720192660621786722_1706_a.aac?type=live\n";

#define BASE "https://prod-fastly-us-east-1.video.pscp.tv/Transcoding/v1/" \
	"hls/TOK/non_transcode/us-east-1/periscope-replay-direct-prod-" \
	"us-east-1-public/audio-space/"

int
main(void)
{
	struct sp_hls pl;
	char err[128], *s;
	uint64_t seq;

	/* The live capture of the reference, verbatim. */
	T_INT(sp_hls_parse(live, strlen(live), BASE "dynamic_playlist.m3u8"
	    "?type=live", &pl, err, sizeof(err)), 0);
	T_INT(pl.master, 0);
	T_INT(pl.endlist, 0);
	T_DBL(pl.target, 4, 0);
	T_INT(pl.media_seq, 1704);
	T_INT(pl.nsegs, 3);
	T_INT(pl.segs[0].seq, 1704);
	T_INT(pl.segs[2].seq, 1706);
	T_DBL(pl.segs[0].duration, 3.008, 1e-9);
	T_DBL(pl.segs[1].duration, 2.987, 1e-9);
	T_DBL(pl.segs[0].pdt, 1720192660.257, 1e-3);
	T_STR(pl.segs[0].uri, BASE "chunk_1720192654637762497_1704_a.aac"
	    "?type=live");
	sp_hls_release(&pl);

	/* A replay: CR LF, no PDT, ENDLIST; numbers from the chunk names. */
	s = "#EXTM3U\r\n#EXT-X-TARGETDURATION:3\r\n#EXT-X-MEDIA-SEQUENCE:0\r\n"
	    "#EXTINF:3.0,\r\nchunk_1_8_a.aac\r\n#EXTINF:3.0,\r\n"
	    "chunk_2_9_a.aac\r\n\r\n#EXT-X-ENDLIST\r\n";
	T_INT(sp_hls_parse(s, strlen(s), "http://h/a/b/playlist_1.m3u8", &pl,
	    err, sizeof(err)), 0);
	T_INT(pl.endlist, 1);
	T_INT(pl.nsegs, 2);
	T_INT(pl.segs[0].seq, 8);
	T_INT(pl.segs[1].seq, 9);
	T_DBL(pl.segs[0].pdt, 0, 0);
	T_STR(pl.segs[1].uri, "http://h/a/b/chunk_2_9_a.aac");
	sp_hls_release(&pl);

	/* Other names: MEDIA-SEQUENCE plus the position. */
	s = "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:41\n#EXTINF:1,\nseg-a.ts\n"
	    "#EXTINF:bogus,\n../seg-b.ts\n/abs/seg-c.ts\nhttps://o/seg-d.ts\n";
	T_INT(sp_hls_parse(s, strlen(s), "http://h/x/y/p.m3u8", &pl, err,
	    sizeof(err)), 0);
	T_INT(pl.nsegs, 4);
	T_INT(pl.segs[0].seq, 41);
	T_INT(pl.segs[3].seq, 44);
	T_DBL(pl.segs[1].duration, 0, 0);
	T_STR(pl.segs[1].uri, "http://h/x/seg-b.ts");
	T_STR(pl.segs[2].uri, "http://h/abs/seg-c.ts");
	T_STR(pl.segs[3].uri, "https://o/seg-d.ts");
	sp_hls_release(&pl);

	/* A master: the first variant, an absolute path on the same host. */
	s = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=96000,"
	    "CODECS=\"mp4a.40.2\"\n/Transcoding/v1/hls/T/transcode/r/d/JWT/"
	    "audio-space/playlist_1.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=1\n"
	    "second.m3u8\n";
	T_INT(sp_hls_parse(s, strlen(s), BASE "master_playlist.m3u8", &pl,
	    err, sizeof(err)), 0);
	T_INT(pl.master, 1);
	T_INT(pl.nsegs, 0);
	T_STR(pl.variant, "https://prod-fastly-us-east-1.video.pscp.tv/"
	    "Transcoding/v1/hls/T/transcode/r/d/JWT/audio-space/"
	    "playlist_1.m3u8");
	sp_hls_release(&pl);

	/* Several timestamped sub-playlists: the newest, wherever it is
	 * listed (tslazer PR #4); equals: the last. */
	s = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nplaylist_1700000100.m3u8\n"
	    "#EXT-X-STREAM-INF:BANDWIDTH=1\nplaylist_1700000900.m3u8\n"
	    "#EXT-X-STREAM-INF:BANDWIDTH=1\nplaylist_1700000500.m3u8\n";
	T_INT(sp_hls_parse(s, strlen(s), "http://h/a/m.m3u8", &pl, err,
	    sizeof(err)), 0);
	T_INT(pl.nvariants, 3);
	T_INT(pl.video, 0);
	T_STR(pl.variant, "http://h/a/playlist_1700000900.m3u8");
	sp_hls_release(&pl);
	s = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n"
	    "#EXT-X-STREAM-INF:BANDWIDTH=1\nb.m3u8\n";
	T_INT(sp_hls_parse(s, strlen(s), "http://h/a/m.m3u8", &pl, err,
	    sizeof(err)), 0);
	T_STR(pl.variant, "http://h/a/b.m3u8");
	sp_hls_release(&pl);

	/* A video master (a picture size) and video segments. */
	s = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=9,RESOLUTION=1280x720,"
	    "CODECS=\"avc1.4d001f,mp4a.40.2\"\nmaster_dynamic_1.m3u8\n";
	T_INT(sp_hls_parse(s, strlen(s), NULL, &pl, err, sizeof(err)), 0);
	T_INT(pl.video, 1);
	sp_hls_release(&pl);
	s = "#EXTM3U\n#EXTINF:2,\nchunk_1_1_v.ts?type=live\n";
	T_INT(sp_hls_parse(s, strlen(s), NULL, &pl, err, sizeof(err)), 0);
	T_INT(pl.video, 1);
	sp_hls_release(&pl);

	/* A video master's variants: attributes kept, the pick by
	 * height then bandwidth, by --variant, audio-only. */
	{
		const struct sp_hls_var *v;

		s = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,"
		    "RESOLUTION=640x360,CODECS=\"avc1.4d001f,mp4a.40.2\"\n"
		    "/t/J360/p.m3u8\n"
		    "#EXT-X-STREAM-INF:RESOLUTION=1280x720,BANDWIDTH=2750000\n"
		    "/t/J720/p.m3u8\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\n"
		    "/t/JA/p.m3u8\n"
		    "#EXT-X-STREAM-INF:BANDWIDTH=9,RESOLUTION=12x\n/t/Jbad/p.m3u8\n";
		T_INT(sp_hls_parse(s, strlen(s), "http://h/a/m.m3u8", &pl,
		    err, sizeof(err)), 0);
		T_INT(pl.video, 1);
		T_INT(pl.nvars, 4);
		T_INT(pl.vars[0].height, 360);
		T_INT(pl.vars[0].width, 640);
		T_INT(pl.vars[0].video, 1);
		T_INT(pl.vars[2].audio_only, 1);
		T_INT(pl.vars[2].video, 0);
		T_INT(pl.vars[3].height, 0);
		T_INT(pl.vars[3].video, 1);
		T_STR(pl.vars[1].uri, "http://h/t/J720/p.m3u8");
		v = sp_hls_pick(&pl, 0, 0);
		T_OK(v != NULL && v->height == 720);
		v = sp_hls_pick(&pl, 360, 0);
		T_OK(v != NULL && v->bandwidth == 800000);
		v = sp_hls_pick(&pl, 2750000, 0);
		T_OK(v != NULL && v->height == 720);
		T_OK(sp_hls_pick(&pl, 480, 0) == NULL);
		T_OK(sp_hls_pick(&pl, 64001, 0) == NULL);
		v = sp_hls_pick(&pl, 0, 1);
		T_OK(v != NULL && v->audio_only);
		sp_hls_release(&pl);
		/* Audio-only wanted, none listed: the best video one. */
		s = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=5,RESOLUTION=2x2\n"
		    "a\n#EXT-X-STREAM-INF:BANDWIDTH=4,RESOLUTION=2x2\nb\n";
		T_INT(sp_hls_parse(s, strlen(s), "http://h/m", &pl, err,
		    sizeof(err)), 0);
		v = sp_hls_pick(&pl, 0, 1);
		T_OK(v != NULL && v->bandwidth == 5);
		sp_hls_release(&pl);
		s = "#EXTM3U\n#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:2,\na.m4s\n";
		T_INT(sp_hls_parse(s, strlen(s), NULL, &pl, err, sizeof(err)),
		    0);
		T_INT(pl.map, 1);
		T_INT(pl.video, 1);
		sp_hls_release(&pl);
		s = sp_hls_master_url("https://p/hls/T/non_transcode/r/d/"
		    "master_dynamic_playlist.m3u8?type=live");
		T_STR(s, "https://p/hls/T/non_transcode/r/d/"
		    "master_master_playlist.m3u8");
		free((char *)s);
	}

	/* AES-128 keys, with and without an IV; NONE ends them; another
	 * method is marked unsupported. */
	s = "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:7\n"
	    "#EXT-X-KEY:METHOD=AES-128,URI=\"k,1.bin\",IV=0x000102030405060708"
	    "090a0b0c0d0e0F\n#EXTINF:3,\nchunk_1_7_a.aac\n"
	    "#EXT-X-KEY:METHOD=AES-128,URI=\"/k2\"\n#EXTINF:3,\n"
	    "chunk_1_8_a.aac\n"
	    "#EXT-X-KEY:METHOD=NONE\n#EXTINF:3,\nchunk_1_9_a.aac\n"
	    "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"x\"\nchunk_1_10_a.aac\n"
	    "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xZZ\nchunk_1_11_a.aac\n";
	T_INT(sp_hls_parse(s, strlen(s), "http://h/d/p.m3u8", &pl, err,
	    sizeof(err)), 0);
	T_INT(pl.nsegs, 5);
	T_INT(pl.segs[0].key, SP_HLS_KEY_AES128);
	T_STR(pl.segs[0].key_uri, "http://h/d/k,1.bin");
	T_INT(pl.segs[0].has_iv, 1);
	T_INT(pl.segs[0].iv[0], 0);
	T_INT(pl.segs[0].iv[1], 1);
	T_INT(pl.segs[0].iv[15], 15);
	T_INT(pl.segs[1].key, SP_HLS_KEY_AES128);
	T_STR(pl.segs[1].key_uri, "http://h/k2");
	T_INT(pl.segs[1].has_iv, 0);
	T_INT(pl.segs[2].key, SP_HLS_KEY_NONE);
	T_OK(pl.segs[2].key_uri == NULL);
	T_INT(pl.segs[3].key, SP_HLS_KEY_OTHER);
	T_INT(pl.segs[4].key, SP_HLS_KEY_OTHER);
	T_OK(pl.segs[4].key_uri == NULL);	/* a bad IV: no key at all */
	sp_hls_release(&pl);

	/* Where the chunks live, and the master beside a playlist. */
	s = sp_hls_non_transcode("https://p/Transcoding/v1/hls/T/transcode/"
	    "us-east-1/periscope-x/eyJhbGc.eyJ.sig/audio-space/"
	    "playlist_1.m3u8?type=replay");
	T_STR(s, "https://p/Transcoding/v1/hls/T/non_transcode/us-east-1/"
	    "periscope-x/audio-space/playlist_1.m3u8?type=replay");
	free(s);
	s = sp_hls_non_transcode(BASE "chunk_1_2_a.aac");
	T_STR(s, BASE "chunk_1_2_a.aac");
	free(s);
	s = sp_hls_master_url(BASE "dynamic_playlist.m3u8?type=live");
	T_STR(s, BASE "master_playlist.m3u8");
	free(s);
	s = sp_hls_master_url(BASE "tw_dynamic_playlist.m3u8?type=live");
	T_STR(s, BASE "tw_master_playlist.m3u8");
	free(s);
	s = sp_hls_master_url("https://p/hls/T/transcode/r/d/JWT/audio-space/"
	    "playlist_17.m3u8?type=replay");
	T_STR(s, "https://p/hls/T/non_transcode/r/d/audio-space/"
	    "master_playlist.m3u8");
	free(s);

	/* Not playlists. */
	T_INT(sp_hls_parse("", 0, NULL, &pl, err, sizeof(err)), -1);
	T_INT(sp_hls_parse("<html>", 6, NULL, &pl, err, sizeof(err)), -1);
	T_STR(err, "not an m3u8 playlist (no #EXTM3U)");
	T_INT(sp_hls_parse("#EXTM3U", 7, NULL, &pl, err, sizeof(err)), 0);
	T_INT(pl.nsegs, 0);
	sp_hls_release(&pl);
	/* A BOM is fine; without a base, URIs stay as written. */
	s = "\xEF\xBB\xBF#EXTM3U\nchunk_1_2_a.aac";
	T_INT(sp_hls_parse(s, strlen(s), NULL, &pl, err, sizeof(err)), 0);
	T_INT(pl.nsegs, 1);
	T_STR(pl.segs[0].uri, "chunk_1_2_a.aac");
	sp_hls_release(&pl);

	/* Bounded: a huge line is skipped, not a crash. */
	{
		size_t n = SP_HLS_MAXLINE * 2;
		char *big = malloc(n + 32);

		memcpy(big, "#EXTM3U\n", 8);
		memset(big + 8, 'a', n);
		memcpy(big + 8 + n, "\nchunk_1_3_a.aac\n", 17);
		T_INT(sp_hls_parse(big, n + 25, "http://h/", &pl, err,
		    sizeof(err)), 0);
		T_INT(pl.nsegs, 1);
		T_INT(pl.segs[0].seq, 3);
		sp_hls_release(&pl);
		free(big);
	}

	/* Chunk numbers. */
	T_INT(sp_hls_chunk_seq("chunk_1720192654637762497_1704_a.aac", &seq),
	    0);
	T_INT(seq, 1704);
	T_INT(sp_hls_chunk_seq("http://h/chunk_1_0_a.aac?type=live", &seq), 0);
	T_INT(seq, 0);
	T_INT(sp_hls_chunk_seq("chunk_1_x_a.aac", &seq), -1);
	T_INT(sp_hls_chunk_seq("chunk__5_a.aac", &seq), -1);
	T_INT(sp_hls_chunk_seq("seg_5.ts", &seq), -1);
	T_INT(sp_hls_chunk_seq("x?chunk_1_5_a.aac", &seq), -1);
	T_INT(sp_hls_chunk_seq("chunk_1_99999999999999999999_a.aac", &seq),
	    -1);

	/* Resolution. */
	s = sp_hls_resolve("http://h/a/b?q=1", "c?d");
	T_STR(s, "http://h/a/c?d");
	free(s);
	s = sp_hls_resolve("not a url", "c");
	T_OK(s == NULL);
	free(s);
	return t_done();
}
