/* progress: a progress bar on stderr, only when stderr is a terminal. */
#ifndef SP_PROGRESS_H
#define SP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

struct sp_progress {
	int		 on;		/* drawing at all */
	int		 color;		/* NO_COLOR unset */
	const char	*label;		/* borrowed */
	uint64_t	 total;		/* 0: unknown, show a count */
	uint64_t	 done;
	int64_t		 last_ms;	/* when last drawn */
};

/* Draws only when stderr is a terminal, TERM is not "dumb" and !quiet. */
void	sp_progress_init(struct sp_progress *p, const char *label,
	    uint64_t total, int quiet);
/* Redraws at most ten times a second. */
void	sp_progress_update(struct sp_progress *p, uint64_t done);
/* Shows a status line of its own instead of the bar (cut to the
 * terminal's width), at most ten times a second unless now. */
void	sp_progress_line(struct sp_progress *p, const char *text, int now);
/* Clears the line for a message; the next update draws it again. */
void	sp_progress_hide(struct sp_progress *p);
/* Clears the bar's line, for good. */
void	sp_progress_end(struct sp_progress *p);

/*
 * Render one bar into buf (at most n bytes, NUL included) for a terminal
 * cols wide: "label  42% [#########.........]" or, with total 0,
 * "label 1234".  Returns the length.
 */
size_t	sp_progress_render(char *buf, size_t n, const char *label,
	    uint64_t done, uint64_t total, int cols, int color);

#endif
