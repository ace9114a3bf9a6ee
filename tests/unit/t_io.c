/* t_io: "-", atomic output files. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "t.h"

static int
exists(const char *p)
{
	return access(p, F_OK) == 0;
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

	exe = sp_exe_dir();
	T_OK(exe != NULL && exe[0] == '/');
	free(exe);
	rmdir(dir);
	return t_done();
}
