/* cliplist: the clips to cut, from clip records or "START END [TITLE]" lines. */
#ifndef SP_CLIPLIST_H
#define SP_CLIPLIST_H

#include <stddef.h>
#include <stdio.h>

struct sp_clip {
	double	 start, end;	/* seconds of the source; end < 0: to its end */
	char	*title;		/* owned; NULL when none */
	size_t	 line;		/* where it was read, 0 for a flag */
};

struct sp_cliplist {
	struct sp_clip	*v;	/* owned */
	size_t		 n;
};

void	sp_cliplist_init(struct sp_cliplist *l);
void	sp_cliplist_release(struct sp_cliplist *l);
void	sp_cliplist_add(struct sp_cliplist *l, double start, double end,
	    const char *title, size_t line);

/*
 * Read clips from fp: NDJSON "clip" records ({"start":750,"end":845,
 * "title":"…"}, as spaces-info --silences prints; records of other types
 * are passed over) or text lines "START END [TITLE]" with times in any
 * form sp_parse_duration takes; blank lines and "#" comments are passed
 * over.  A malformed line is reported through bad (one call per line,
 * with its number and why) and skipped, so the other clips still come
 * out; a line of SP_CLIPLIST_MAXLINE bytes or more is reported and ends
 * the reading (what follows it could be endless).  Returns the number of
 * bad lines, or -1 on a read error.
 */
#define SP_CLIPLIST_MAXLINE (16u << 20)	/* as SP_NDJSON_MAXLINE */
long	sp_cliplist_read(struct sp_cliplist *l, FILE *fp,
	    void (*bad)(void *ctx, size_t line, const char *why), void *ctx);

/*
 * An output name from a template: %n the clip's index (from 1), %02n
 * with a width, %t the title as a slug ("intro-and-news"; "clip" when
 * none), %s the start in seconds ("750", "12.5"), %% a percent sign.
 * New string, or NULL with err for an unknown conversion.
 */
char	*sp_clip_name(const char *tmpl, size_t index, const char *title,
	    double start, char *err, size_t errlen);

/* 1 when tmpl holds a conversion (so it names many files). */
int	sp_clip_name_is_template(const char *tmpl);

#endif
