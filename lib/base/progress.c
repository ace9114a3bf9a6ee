/* progress: a progress bar on stderr, only when stderr is a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "progress.h"
#include "banned.h"

/* The line on the terminal, cleared before a message is printed. */
static struct sp_progress *shown;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
hide_shown(void)
{
	if (shown != NULL)
		sp_progress_hide(shown);
}

void
sp_progress_init(struct sp_progress *p, const char *label, uint64_t total,
    int quiet)
{
	const char *term = getenv("TERM");

	memset(p, 0, sizeof(*p));
	p->label = label;
	p->total = total;
	p->on = !quiet && isatty(STDERR_FILENO) &&
	    !(term && strcmp(term, "dumb") == 0);
	p->color = getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0';
	p->last_ms = -1000;
	if (p->on) {
		shown = p;
		sp_set_before_msg(hide_shown);
	}
}

static int
columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

size_t
sp_progress_render(char *buf, size_t n, const char *label, uint64_t done,
    uint64_t total, int cols, int color)
{
	int pct, bar, fill, i, len;
	size_t k;

	if (n == 0)
		return 0;
	if (total == 0) {
		len = snprintf(buf, n, "%s %llu", label,
		    (unsigned long long)done);
		return len < 0 ? 0 : (size_t)len >= n ? n - 1 : (size_t)len;
	}
	if (done > total)
		done = total;
	pct = (int)(done * 100 / total);
	/* label, " 100% [", "]" : the bar gets what is left, 10 to 50. */
	bar = cols - (int)strlen(label) - 9;
	if (bar > 50)
		bar = 50;
	if (bar < 10)
		bar = 10;
	fill = (int)((uint64_t)bar * done / total);
	len = snprintf(buf, n, "%s %3d%% [%s", label, pct,
	    color ? "\033[32m" : "");
	k = len < 0 ? 0 : (size_t)len;
	for (i = 0; i < bar && k + 1 < n; i++)
		buf[k++] = i < fill ? '#' : '.';
	len = snprintf(buf + (k < n ? k : n - 1), n - (k < n ? k : n - 1),
	    "%s]", color ? "\033[0m" : "");
	k += len < 0 ? 0 : (size_t)len;
	if (k >= n)
		k = n - 1;
	buf[k] = '\0';
	return k;
}

/* Draw text on the bar's line, at most ten times a second unless now. */
static void
draw(struct sp_progress *p, const char *text, int now)
{
	int64_t t = now_ms();

	if (!now && t - p->last_ms < 100)
		return;
	p->last_ms = t;
	fprintf(stderr, "\r%s\033[K", text);
	fflush(stderr);
}

void
sp_progress_update(struct sp_progress *p, uint64_t done)
{
	char buf[512];

	p->done = done;
	if (!p->on || (now_ms() - p->last_ms < 100 && done != p->total))
		return;
	sp_progress_render(buf, sizeof(buf), p->label, done, p->total,
	    columns(), p->color);
	draw(p, buf, 1);
}

void
sp_progress_line(struct sp_progress *p, const char *text, int now)
{
	char buf[512];
	int cols;

	if (!p->on)
		return;
	/* One line: never wider than the terminal. */
	cols = columns();
	snprintf(buf, (size_t)cols < sizeof(buf) ? (size_t)cols : sizeof(buf),
	    "%s", text);
	draw(p, buf, now);
}

void
sp_progress_hide(struct sp_progress *p)
{
	if (p->on) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->last_ms = -1000;
	}
}

void
sp_progress_end(struct sp_progress *p)
{
	sp_progress_hide(p);
	p->on = 0;
	if (shown == p)
		shown = NULL;
}
