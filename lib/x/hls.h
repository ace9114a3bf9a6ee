/* hls: a bounded, tolerant parser of HLS (m3u8) playlists. */
#ifndef SP_HLS_H
#define SP_HLS_H

#include <stddef.h>
#include <stdint.h>

#define SP_HLS_MAXSEGS	(1u << 20)	/* segments kept per playlist */
#define SP_HLS_MAXLINE	8192		/* longer lines are ignored */

/* What #EXT-X-KEY says of the segments after it (RFC 8216 4.3.2.4). */
enum {
	SP_HLS_KEY_NONE = 0,	/* METHOD=NONE, or no tag */
	SP_HLS_KEY_AES128,	/* METHOD=AES-128: whole-segment AES-128-CBC */
	SP_HLS_KEY_OTHER	/* SAMPLE-AES or unknown: not supported */
};

/* One variant of a master (#EXT-X-STREAM-INF, RFC 8216 4.3.4.2). */
struct sp_hls_var {
	char		*uri;		/* resolved (owned) */
	uint64_t	 bandwidth;	/* BANDWIDTH, bit/s; 0: absent */
	unsigned	 width, height;	/* RESOLUTION; 0: absent */
	int		 video;		/* RESOLUTION, or CODECS with avc1,
					   avc3, hvc1 or hev1 */
	int		 audio_only;	/* CODECS with mp4a and no video */
};

/* One media segment (a chunk). */
struct sp_hls_seg {
	uint64_t	 seq;		/* media sequence number */
	double		 duration;	/* EXTINF seconds; 0 when absent */
	double		 pdt;		/* PROGRAM-DATE-TIME, Unix s; 0: none */
	char		*uri;		/* resolved against the base (owned) */
	int		 key;		/* SP_HLS_KEY_* */
	char		*key_uri;	/* AES-128: resolved (owned), or NULL */
	int		 has_iv;	/* else the IV is seq, big-endian */
	uint8_t		 iv[16];
};

struct sp_hls {
	int		 master;	/* a master playlist: see variant */
	int		 endlist;	/* EXT-X-ENDLIST seen (replay) */
	double		 target;	/* EXT-X-TARGETDURATION, seconds */
	uint64_t	 media_seq;	/* EXT-X-MEDIA-SEQUENCE */
	struct sp_hls_seg *segs;	/* owned */
	size_t		 nsegs;
	char		*variant;	/* master: the newest media playlist
					   (owned): see below */
	size_t		 nvariants;	/* master: how many it lists */
	int		 video;		/* a video stream: a variant with a
					   RESOLUTION, or .ts/.mp4 segments */
	struct sp_hls_var *vars;	/* master: every variant, in order
					   (owned) */
	size_t		 nvars;
	int		 map;		/* EXT-X-MAP seen: fMP4 segments */
};

/*
 * Parse len bytes of text (need not be NUL-terminated) fetched from base
 * (an absolute URL, or NULL to keep URIs as written) into pl, which
 * sp_hls_release frees.  A segment's sequence is the chunk index of a
 * name chunk_<ns>_<seq>_a.aac when it has one, else MEDIA-SEQUENCE plus
 * its position.  Of a master's variants the newest is kept: the one
 * whose name holds the greatest number (playlist_<ts>.m3u8), the last
 * listed among equals, as tslazer takes the last (its PR #4: the first
 * may be an old, short one).  Unknown tags and malformed values are
 * ignored.  0, or -1 with err when the text is not a playlist.
 */
int	sp_hls_parse(const char *text, size_t len, const char *base,
	    struct sp_hls *pl, char *err, size_t errlen);
void	sp_hls_release(struct sp_hls *pl);

/*
 * The variant of a master to record: want 0 the best video one (the
 * highest RESOLUTION, then BANDWIDTH; the last listed among equals), or
 * the one whose height is want (want < SP_HLS_BY_BW; the highest
 * bandwidth among them) or whose BANDWIDTH is want; audio_only prefers
 * an audio-only variant (CODECS mp4a alone) and else takes the same as
 * want.  NULL when nothing matches (or no variant).
 */
#define SP_HLS_BY_BW	10000	/* a --variant this large is a bandwidth */
const struct sp_hls_var *sp_hls_pick(const struct sp_hls *pl,
	    uint64_t want, int audio_only);

/* ref resolved against the absolute URL base (RFC 3986): new, or NULL. */
char	*sp_hls_resolve(const char *base, const char *ref);

/*
 * The master playlist beside the live or replay playlist at url: the
 * same directory (on non_transcode, see below), no query, and the
 * name's prefix kept ("tw_dynamic_playlist.m3u8" gives
 * "tw_master_playlist.m3u8", as tslazer does).  New.
 */
char	*sp_hls_master_url(const char *url);

/*
 * url with a transcode directory "/transcode/<region>/<deploy>/<JWT>/"
 * turned into the original "/non_transcode/<region>/<deploy>/", where
 * the chunks live (tslazer, twspace-crawler getChunkPrefix): new.
 */
char	*sp_hls_non_transcode(const char *url);

/* The index in a chunk name chunk_<digits>_<index>_a.aac anywhere in uri
 * (before any '?'): 0 with *seq, or -1. */
int	sp_hls_chunk_seq(const char *uri, uint64_t *seq);

#endif
