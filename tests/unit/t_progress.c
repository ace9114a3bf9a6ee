/* t_progress: the bar's rendering, and silence off a terminal. */
#include "progress.h"
#include "t.h"

int
main(void)
{
	struct sp_progress p;
	char buf[256];
	size_t n;

	n = sp_progress_render(buf, sizeof(buf), "extract", 50, 100, 40, 0);
	T_STR(buf, "extract  50% [############............]");
	T_INT(n, strlen(buf));
	sp_progress_render(buf, sizeof(buf), "x", 0, 10, 200, 0);
	T_STR(buf, "x   0% [..................................................]");
	sp_progress_render(buf, sizeof(buf), "x", 20, 10, 0, 0);
	T_STR(buf, "x 100% [##########]");
	sp_progress_render(buf, sizeof(buf), "bytes", 1234, 0, 80, 0);
	T_STR(buf, "bytes 1234");
	sp_progress_render(buf, sizeof(buf), "x", 5, 10, 0, 1);
	T_STR(buf, "x  50% [\033[32m#####.....\033[0m]");
	/* Truncation keeps the string terminated. */
	n = sp_progress_render(buf, 8, "extract", 5, 10, 80, 0);
	T_INT(n, 7);
	T_INT(strlen(buf), 7);
	T_INT(sp_progress_render(buf, 0, "x", 1, 2, 80, 0), 0);

	/* The tests run with stderr redirected: the bar stays off. */
	sp_progress_init(&p, "x", 10, 0);
	T_INT(p.on, 0);
	sp_progress_update(&p, 5);
	T_INT(p.done, 5);
	sp_progress_end(&p);
	return t_done();
}
