/* t_io: "-", atomic output files, temporary files gone on a signal. */
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "io.h"
#include "t.h"

static int
exists(const char *p)
{
	return access(p, F_OK) == 0;
}

/*
 * A pipe kept in a registered temporary file, as sp_decode_spool keeps
 * one: mkstemp in $TMPDIR, sp_temp_add, sp_copy.  Its path, or NULL.
 */
static char *
spool(FILE *fp)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(600);
	FILE *out;
	int fd;

	snprintf(path, 600, "%s/spaces.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1 || (out = fdopen(fd, "wb")) == NULL) {
		free(path);
		return NULL;
	}
	sp_temp_add(path);
	if (sp_copy(fp, out) != 0 || fclose(out) != 0) {
		sp_spool_remove(path);
		return NULL;
	}
	return path;
}

static int
count_entries(const char *dir)
{
	char cmd[512];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/*
 * A child that makes an atomic output (one open, one finished for a later
 * commit) and a spool of a pipe, then blocks reading the pipe; killed
 * with sig, it must leave nothing behind and die of sig.  With sig 0 it
 * ends by exit(): the same.  Returns the count of files left in dir.
 */
static int
killed_child(const char *dir, int sig, int *how)
{
	struct sp_atomic a, b;
	char path[600], tdir[600];
	int in[2], ready[2], st;
	pid_t pid;
	FILE *fp;
	char c;

	snprintf(tdir, sizeof(tdir), "%s/tmp", dir);
	mkdir(tdir, 0700);
	if (pipe(in) != 0 || pipe(ready) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(in[1]);
		close(ready[0]);
		setenv("TMPDIR", tdir, 1);
		snprintf(path, sizeof(path), "%s/a.out", dir);
		if (sp_atomic_open(&a, path, 0) != 0)
			_exit(10);
		fputs("a", a.fp);
		snprintf(path, sizeof(path), "%s/b.out", dir);
		if (sp_atomic_open(&b, path, 0) != 0 ||
		    sp_atomic_finish(&b) != 0)
			_exit(11);
		if ((fp = fdopen(in[0], "r")) == NULL)
			_exit(12);
		if (write(ready[1], "r", 1) != 1)
			_exit(13);
		if (sig == 0)
			exit(0);	/* uncommitted: atexit removes them */
		/* Blocks in the copy until killed. */
		free(spool(fp));
		_exit(14);
	}
	close(in[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	if (sig) {
		/* The spool exists once the child is in its copy. */
		write(in[1], "data", 4);
		for (st = 0; st < 500 && count_entries(tdir) < 1; st++)
			usleep(10000);
		kill(pid, sig);
	}
	waitpid(pid, &st, 0);
	close(in[1]);
	close(ready[0]);
	*how = WIFSIGNALED(st) ? WTERMSIG(st) : 1000 + WEXITSTATUS(st);
	st = count_entries(tdir);
	rmdir(tdir);
	return count_entries(dir) + st;
}

/* The signal handler of a command that has its own stays its own. */
static int
own_handler_kept(void)
{
	struct sigaction sa;
	struct sp_atomic a;
	char path[] = "/tmp/t_io_own.XXXXXX";
	int fd = mkstemp(path), kept;

	close(fd);
	signal(SIGHUP, SIG_IGN);
	unlink(path);
	T_INT(sp_atomic_open(&a, path, 1), 0);
	sigaction(SIGHUP, NULL, &sa);
	kept = sa.sa_handler == SIG_IGN;
	sigaction(SIGTERM, NULL, &sa);
	kept = kept && sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
	sp_atomic_abort(&a);
	signal(SIGHUP, SIG_DFL);
	return kept;
}

int
main(void)
{
	char dir[] = "/tmp/t_io.XXXXXX", path[600], path2[600], buf[64];
	char *exe;
	struct sp_atomic a;
	FILE *fp;

	T_OK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out.txt", dir);

	T_OK(sp_open_in("-") == stdin);
	T_INT(sp_close_in(stdin), 0);
	errno = 0;
	T_OK(sp_open_in("/nonexistent/x") == NULL);
	T_INT(errno, ENOENT);

	/* Nothing under the final name until commit. */
	T_INT(sp_atomic_open(&a, path, 0), 0);
	fputs("hello\n", a.fp);
	T_OK(!exists(path));
	T_INT(count_entries(dir), 1);
	T_INT(sp_atomic_commit(&a), 0);
	T_OK(exists(path));
	T_INT(count_entries(dir), 1);
	fp = fopen(path, "r");
	T_OK(fp && fgets(buf, sizeof(buf), fp) != NULL);
	T_STR(buf, "hello\n");
	if (fp)
		fclose(fp);

	/* No overwrite without force; with force, replaced. */
	T_INT(sp_atomic_open(&a, path, 0), -1);
	T_INT(errno, EEXIST);
	T_INT(sp_atomic_open(&a, path, 1), 0);
	fputs("again\n", a.fp);
	T_INT(sp_atomic_commit(&a), 0);
	fp = fopen(path, "r");
	T_OK(fp && fgets(buf, sizeof(buf), fp) != NULL);
	T_STR(buf, "again\n");
	if (fp)
		fclose(fp);

	/* Abort leaves nothing behind. */
	T_INT(unlink(path), 0);
	T_INT(sp_atomic_open(&a, path, 0), 0);
	fputs("partial", a.fp);
	sp_atomic_abort(&a);
	T_OK(!exists(path));
	T_INT(count_entries(dir), 0);

	/* A file appearing meanwhile is not replaced without force. */
	T_INT(sp_atomic_open(&a, path, 0), 0);
	fputs("late\n", a.fp);
	fp = fopen(path, "w");
	fputs("first\n", fp);
	fclose(fp);
	T_INT(sp_atomic_commit(&a), -1);
	T_INT(errno, EEXIST);
	T_INT(count_entries(dir), 1);
	unlink(path);

	/* Finished early, named late: the deferred commit of many outputs. */
	T_INT(sp_atomic_open(&a, path, 0), 0);
	fputs("deferred\n", a.fp);
	T_INT(sp_atomic_finish(&a), 0);
	T_OK(a.fp == NULL);
	T_INT(count_entries(dir), 1);
	snprintf(path2, sizeof(path2), "%s/renamed.txt", dir);
	sp_atomic_set_path(&a, path2);
	T_INT(sp_atomic_commit(&a), 0);
	T_OK(exists(path2) && !exists(path));
	T_INT(count_entries(dir), 1);
	/* Committing onto an existing file without force keeps it. */
	T_INT(sp_atomic_open(&a, path, 0), 0);
	sp_atomic_set_path(&a, path2);
	T_INT(sp_atomic_commit(&a), -1);
	T_INT(errno, EEXIST);
	T_INT(count_entries(dir), 1);
	unlink(path2);

	/* A directory that does not exist. */
	T_INT(sp_atomic_open(&a, "/nonexistent/dir/x", 0), -1);
	T_INT(errno, ENOENT);

	/* "-" is stdout. */
	T_INT(sp_atomic_open(&a, "-", 0), 0);
	T_OK(a.fp == stdout);
	T_INT(sp_atomic_commit(&a), 0);

	/* A directory is refused at open, not at the first read. */
	errno = 0;
	T_OK(sp_open_in(dir) == NULL);
	T_INT(errno, EISDIR);

	/* SIGTERM, SIGHUP, SIGINT, exit(): no temporary file is left. */
	{
		int how;

		T_INT(killed_child(dir, SIGTERM, &how), 0);
		T_INT(how, SIGTERM);
		T_INT(killed_child(dir, SIGHUP, &how), 0);
		T_INT(how, SIGHUP);
		T_INT(killed_child(dir, SIGINT, &how), 0);
		T_INT(how, SIGINT);
		T_INT(killed_child(dir, 0, &how), 0);
		T_INT(how, 1000);
	}
	/* An ignored signal stays ignored; a default one is caught. */
	T_OK(own_handler_kept());

	/*
	 * A name removed by its owner and taken by another file is not
	 * removed by the cleanup: only the registered inode is.
	 */
	{
		char *sp;
		int fd, old;

		fp = fmemopen("x", 1, "r");
		setenv("TMPDIR", dir, 1);
		sp = spool(fp);
		fclose(fp);
		T_OK(sp != NULL);
		/* Held open, its inode cannot be reused at once. */
		old = open(sp, O_RDONLY);
		unlink(sp);	/* as spaces-info does, without forgetting */
		fd = open(sp, O_WRONLY | O_CREAT | O_EXCL, 0600);
		T_OK(fd >= 0);
		close(fd);
		close(old);
		sp_temp_cleanup();
		T_OK(exists(sp));
		unlink(sp);
		sp_temp_forget(sp);
		free(sp);
		/* sp_spool_remove removes and forgets. */
		fp = fmemopen("x", 1, "r");
		sp = spool(fp);
		fclose(fp);
		T_OK(sp != NULL && exists(sp));
		snprintf(path, sizeof(path), "%s", sp);
		sp_spool_remove(sp);
		T_OK(!exists(path));
		unsetenv("TMPDIR");
	}

	exe = sp_exe_dir();
	T_OK(exe != NULL && exe[0] == '/');
	free(exe);
	rmdir(dir);
	return t_done();
}
