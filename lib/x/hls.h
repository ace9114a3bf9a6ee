/* hls: a bounded, tolerant parser of HLS (m3u8) playlists. */
#ifndef SP_HLS_H
#define SP_HLS_H

#include <stddef.h>
#include <stdint.h>

#define SP_HLS_MAXSEGS	(1u << 20)	/* segments kept per playlist */
#define SP_HLS_MAXLINE	8192		/* longer lines are ignored */

/* One media segment (a chunk). */
struct sp_hls_seg {
	uint64_t	 seq;		/* media sequence number */
	double		 duration;	/* EXTINF seconds; 0 when absent */
	double		 pdt;		/* PROGRAM-DATE-TIME, Unix s; 0: none */
	char		*uri;		/* resolved against the base (owned) */
};

struct sp_hls {
	int		 master;	/* a master playlist: see variant */
	int		 endlist;	/* EXT-X-ENDLIST seen (replay) */
	double		 target;	/* EXT-X-TARGETDURATION, seconds */
	uint64_t	 media_seq;	/* EXT-X-MEDIA-SEQUENCE */
	struct sp_hls_seg *segs;	/* owned */
	size_t		 nsegs;
	char		*variant;	/* master: first media playlist (owned) */
};

/*
 * Parse len bytes of text (need not be NUL-terminated) fetched from base
 * (an absolute URL, or NULL to keep URIs as written) into pl, which
 * sp_hls_release frees.  A segment's sequence is the chunk index of a
 * name chunk_<ns>_<seq>_a.aac when it has one, else MEDIA-SEQUENCE plus
 * its position.  Unknown tags and malformed values are ignored.  0, or
 * -1 with err when the text is not a playlist (no #EXTM3U).
 */
int	sp_hls_parse(const char *text, size_t len, const char *base,
	    struct sp_hls *pl, char *err, size_t errlen);
void	sp_hls_release(struct sp_hls *pl);

/* ref resolved against the absolute URL base (RFC 3986): new, or NULL. */
char	*sp_hls_resolve(const char *base, const char *ref);

/* The index in a chunk name chunk_<digits>_<index>_a.aac anywhere in uri
 * (before any '?'): 0 with *seq, or -1. */
int	sp_hls_chunk_seq(const char *uri, uint64_t *seq);

#endif
