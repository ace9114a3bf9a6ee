/* t_err: err(3)-style messages and the allocation wrappers. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "xalloc.h"
#include "t.h"

/* Run f in a child with stderr in a file; return its exit status. */
static int
child(void (*f)(void), char *buf, size_t n)
{
	char path[] = "/tmp/t_err.XXXXXX";
	int fd = mkstemp(path), status;
	ssize_t got;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(fd, 2);
		f();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	got = pread(fd, buf, n - 1, 0);
	buf[got > 0 ? got : 0] = '\0';
	close(fd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
warnings(void)
{
	sp_setprogname("/usr/local/bin/spaces-clip");
	sp_warnx("'%s': not an audio file", "talk.m4a");
	errno = ENOENT;
	sp_warn("cannot open '%s'", "x.m4a");
}

static void
fatal(void)
{
	sp_setprogname("spaces-info");
	errno = EACCES;
	sp_err(SP_EXIT_ENV, "cannot write '%s'", "out");
}

static void
fatalx(void)
{
	sp_setprogname("spaces-info");
	sp_errx(SP_EXIT_USAGE, "bad time '%s'", "1:xx");
}

static void
hostile(void)
{
	char big[100000];

	sp_setprogname("spaces-lookup");
	/* A title that would retitle the terminal, ring, and overwrite. */
	sp_warnx("'%s': %s", "a\033]0;pwned\007b\rc",
	    "d\x9b" "31m\xe2\x80\xae" "e");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sp_warnx("detail: %s", big);
}

static void
overflow(void)
{
	sp_xreallocarray(NULL, SIZE_MAX / 2, 4);
}

int
main(void)
{
	char buf[512], *s;
	int *a;

	T_STR(sp_getprogname(), "spaces");
	sp_setprogname("");
	T_STR(sp_getprogname(), "spaces");
	sp_setprogname("./build/bin/spaces-eligibility");
	T_STR(sp_getprogname(), "spaces-eligibility");

	T_INT(child(warnings, buf, sizeof(buf)), 0);
	T_STR(buf, "spaces-clip: 'talk.m4a': not an audio file\n"
	    "spaces-clip: cannot open 'x.m4a': No such file or directory\n");
	T_INT(child(fatal, buf, sizeof(buf)), 3);
	T_STR(buf, "spaces-info: cannot write 'out': Permission denied\n");
	T_INT(child(fatalx, buf, sizeof(buf)), 2);
	T_STR(buf, "spaces-info: bad time '1:xx'\n");
	/* Every control character escaped, every message bounded. */
	{
		char big[4096], *nl;

		T_INT(child(hostile, big, sizeof(big)), 0);
		nl = strchr(big, '\n');
		T_OK(nl != NULL);
		if (nl)
			*nl = '\0';
		T_STR(big, "spaces-lookup: 'a\\e]0;pwned\\ab\\rc': "
		    "d\\x9b31m\\u202ee");
		T_OK(nl && strchr(nl + 1, '\n') != NULL &&
		    strchr(nl + 1, '\n') - (nl + 1) < 1100);
		T_OK(nl && strstr(nl + 1, "xxx...\n") != NULL);
	}
	T_INT(sp_escape(buf, 8, "abcdefghij", 10), 7);
	T_STR(buf, "abcd...");
	T_INT(sp_escape(buf, 8, "abcdefg", 7), 7);
	T_STR(buf, "abcdefg");
	/* C1 controls as UTF-8, and DEL. */
	T_INT(sp_escape(buf, sizeof(buf), "\xc2\x9b" "1m\x7f", 5), 12);
	T_STR(buf, "\\u009b1m\\x7f");
	T_INT(sp_escape(buf, sizeof(buf), "ok\tgo", 5), 6);
	T_STR(buf, "ok\\tgo");
	/* UTF-8 is kept whole, a cut sequence is shown in hex. */
	T_INT(sp_escape(buf, sizeof(buf), "Z\xc3\xbcrich\xc3", 8), 11);
	T_STR(buf, "Z\xc3\xbcrich\\xc3");
	T_INT(child(overflow, buf, sizeof(buf)), 3);
	T_OK(strstr(buf, "cannot allocate") != NULL);

	/* sp_esc: names from outside made safe for a terminal. */
	T_STR(sp_esc("data/a b\xc3\xa9.ts", buf, sizeof(buf)),
	    "data/a b\xc3\xa9.ts");
	T_STR(sp_esc("a\x1b[2Jb\r\n\a\x7f\\", buf, sizeof(buf)),
	    "a\\x1b[2Jb\\r\\n\\x07\\x7f\\\\");
	T_STR(sp_esc("x\xc2\x9b" "31m", buf, sizeof(buf)), "x\\x9b" "31m");
	T_STR(sp_esc(NULL, buf, sizeof(buf)), "(null)");
	T_STR(sp_esc("abcdefgh", buf, 8), "abcd...");
	T_STR(sp_esc("abcdefg", buf, 8), "abcdefg");
	T_STR(sp_esc("abc\x01\x02", buf, 8), "abc...");
	T_STR(sp_esc("ab\xc3\xa9\xc3\xa9\xc3\xa9", buf, 8), "ab\xc3\xa9...");
	s = sp_xasprintf("%s-%02d", "part", 7);
	T_STR(s, "part-07");
	free(s);
	s = sp_xstrndup("abcdef", 3);
	T_STR(s, "abc");
	free(s);
	s = sp_xstrndup("ab", 10);
	T_STR(s, "ab");
	free(s);
	s = sp_xstrdup("");
	T_STR(s, "");
	free(s);
	a = sp_xcalloc(4, sizeof(*a));
	T_INT(a[3], 0);
	a = sp_xreallocarray(a, 1000, sizeof(*a));
	a[999] = 7;
	T_INT(a[999], 7);
	free(a);
	free(sp_xmalloc(0));
	return t_done();
}
