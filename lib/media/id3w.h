/* id3w: an ID3v2.4 tag writer (text frames, CHAP and CTOC) for MP3 files. */
#ifndef SP_ID3W_H
#define SP_ID3W_H

#include <stddef.h>

#include "chapters.h"

/*
 * A CTOC lists at most 255 children (its count is one byte): chapters past
 * that many are left out, the last one written running to the end.
 */
#define SP_ID3W_MAXCHAP	255
/* Longest text kept of a tag (cut at a character) and of a chapter title
 * or url (a longer url is left out), so a tag stays far below the 256 MiB
 * a syncsafe size can say. */
#define SP_ID3W_TEXTMAX	(1u << 20)
#define SP_ID3W_CHAPMAX	(64u << 10)

/* UTF-8, borrowed; NULL or "": left out */
struct sp_id3w_tags {
	const char *title, *artist, *album, *comment, *date;
};

/*
 * Build a whole ID3v2.4 tag, to be written before the MP3 stream:
 * TIT2 TPE1 TALB COMM (language "eng", empty description) TDRC (date as
 * given: "2024", "2024-05-01", "2024-05-01T19:00:00"), TSSE "spaces",
 * and, when c has chapters (c may be NULL), one CHAP frame each (element
 * ids "ch0", "ch1"…; start and end in ms, end = the next start or
 * total_seconds, never before the start; byte offsets unused) with a TIT2
 * subframe when titled, a WXXX when it has a url and an APIC link (MIME
 * "-->") when it has an img (non-ASCII bytes percent-encoded: these urls
 * are ISO-8859-1), plus one CTOC (element id "toc", top-level and
 * ordered, listing every CHAP but the hidden ones; a visible chapter ends
 * at the next visible one).  Text is UTF-8
 * (encoding 3); no unsynchronisation, no padding.  Returns a new buffer
 * (the caller frees it) and its length in *len.
 */
unsigned char *sp_id3w_build(const struct sp_id3w_tags *t,
	    const struct sp_chapters *c, double total_seconds, size_t *len);

#endif
