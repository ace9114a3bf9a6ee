/* chapters: one chapter model, read from files and written to every format. */
#ifndef SP_CHAPTERS_H
#define SP_CHAPTERS_H

#include <stddef.h>
#include <stdio.h>

/* Largest chapter file sp_chapters_read takes: memory stays bounded. */
#define SP_CHAPTERS_MAXFILE	(16u << 20)
/* Latest start time taken, in seconds (as sp_parse_duration). */
#define SP_CHAPTERS_MAXTIME	1e9

/* seconds from the start of the source; strings owned by the list */
struct sp_chapter {
	double	 start;
	char	*title;		/* never NULL; "" when untitled */
	char	*url;		/* NULL when there is none */
	char	*img;		/* an image's URL; NULL when there is none */
	int	 hidden;	/* "toc": false: a marker, not in the table of
				 * contents (players list only the others) */
};
/* Sorted by start; chapters with equal starts keep the order they came in. */
struct sp_chapters {
	struct sp_chapter *v;	/* owned */
	size_t	 n;
};

void	sp_chapters_init(struct sp_chapters *c);
/* Free every string and the array; the list is empty and usable after. */
void	sp_chapters_release(struct sp_chapters *c);

/*
 * Add one (title copied, NULL taken as ""; url copied, NULL or "" means
 * none); keeps them sorted by start, after any with the same start.  A
 * start below 0 or not finite is taken as 0.
 */
void	sp_chapters_add(struct sp_chapters *c, double start, const char *title,
	    const char *url);
/* The same with every field of ch (its strings copied). */
void	sp_chapters_add_chapter(struct sp_chapters *c,
	    const struct sp_chapter *ch);
/* How many chapters are not hidden (those a table of contents lists). */
size_t	sp_chapters_visible(const struct sp_chapters *c);

/*
 * Read a chapter file, appending its chapters to c.  The format is sniffed
 * from the content (a UTF-8 BOM and CRLF line ends are passed over):
 *  - Podcasting 2.0 JSON chapters: an object that starts with "{":
 *    {"version":"1.2.0","chapters":[{"startTime":12.5,"title":"…",
 *    "url":"…"}]}; startTime is required (a number, or a string holding
 *    one), title, url, img and toc (a boolean; false: hidden) optional,
 *    other members (endTime, location…) ignored;
 *  - FFMETADATA as ffmpeg writes it: a first line ";FFMETADATA1" (or a
 *    first "[CHAPTER]"), then [CHAPTER] sections of TIMEBASE=num/den
 *    (default 1/1000000000, as ffmpeg), START=, END= (ignored) and
 *    title=, with ffmpeg's backslash escapes; other sections and keys
 *    are ignored;
 *  - text: lines "START TITLE", START in any form sp_parse_duration takes
 *    (90, 1:30, 01:02:03.250, 1h2m), TITLE the rest of the line (may be
 *    empty); blank lines and lines starting with "#" are passed over.
 * Titles must be UTF-8 without NUL bytes.  Returns 0, or -1 with a message
 * in err ("line N: …"; for JSON whose members are wrong, the line where
 * the chapter begins) and c as it was.
 */
int	sp_chapters_read(struct sp_chapters *c, FILE *fp, char *err,
	    size_t errlen);

/*
 * The chapters of a clip [start, end) of the source, shifted to start at
 * 0: the chapter running at start (the last one that began before it, when
 * none begins exactly at start) becomes a chapter at 0 with its title,
 * url, img and toc, and when it is hidden so does the last visible one
 * before it; those at or after end are dropped.  end may be INFINITY (to the end
 * of the source); an empty clip has no chapters.  out is initialised here
 * (new; release it) and must not be in.
 */
void	sp_chapters_clip(const struct sp_chapters *in, double start,
	    double end, struct sp_chapters *out);

/*
 * Podcasting 2.0 JSON chapters (version "1.2.0") to fp: startTime rounded
 * to the millisecond (an integer when whole), title when not empty, url
 * and img when there are, "toc": false for a hidden one.  0, or -1 on a write error (errno set) or a string
 * that is not UTF-8 (EILSEQ).
 */
int	sp_chapters_write_json(const struct sp_chapters *c, FILE *fp);

#endif
