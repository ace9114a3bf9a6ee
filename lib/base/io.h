/* io: "-" for stdin/stdout, atomic output files, checked stdout. */
#ifndef SP_IO_H
#define SP_IO_H

#include <stdio.h>

/* Restore SIGPIPE to its default, so "| head" ends a command quietly. */
void	sp_io_init(void);

/*
 * Temporary files that a signal (SIGHUP, SIGINT, SIGTERM) or exit() must
 * not leave behind.  sp_atomic_open and sp_decode_spool register
 * theirs, so a command whose temporary files come from them needs
 * nothing more.  The
 * first registration catches those signals where the command left them
 * at their default (a command with its own handler calls
 * sp_temp_cleanup from it), removes the registered files, and dies of
 * the signal.  A file is removed only while it is still the one that was
 * registered (same device and inode).
 */
/* Register path (copied), an existing file this process made. */
void	sp_temp_add(const char *path);
/* Unregister path: committed, renamed or removed by its owner. */
void	sp_temp_forget(const char *path);
/* Remove every registered file now: async-signal-safe. */
void	sp_temp_cleanup(void);

/*
 * Open path for reading; "-" is stdin (borrowed).  NULL and errno on error
 * (EISDIR for a directory).
 */
FILE	*sp_open_in(const char *path);
/* Close what sp_open_in returned; stdin stays open.  -1 if it had an error. */
int	sp_close_in(FILE *fp);

/*
 * An output file written under a temporary name beside the target and
 * renamed into place by sp_atomic_commit, so an interrupted run never leaves
 * a truncated file under the final name.  "-" writes to stdout.
 */
struct sp_atomic {
	FILE	*fp;		/* write here */
	char	*path;		/* final name (new) */
	char	*tmp;		/* temporary name (new); NULL for stdout */
	int	 force;		/* replace an existing file */
};
/* -1 and errno (EEXIST when path exists and !force) on failure. */
int	sp_atomic_open(struct sp_atomic *a, const char *path, int force);
/*
 * Flush, sync and close the temporary file, keeping it for a later commit
 * (many outputs need not hold many descriptors); -1 and errno on failure,
 * when the temporary is gone.
 */
int	sp_atomic_finish(struct sp_atomic *a);
/* Give the output another final name (in the same directory). */
void	sp_atomic_set_path(struct sp_atomic *a, const char *path);
/* Finish if needed, then rename; -1 and errno on failure (the temporary
 * is gone; EEXIST: path exists and force was not asked). */
int	sp_atomic_commit(struct sp_atomic *a);
/* Drop the temporary file; safe after a failed commit. */
void	sp_atomic_abort(struct sp_atomic *a);

/*
 * Flush and close stdout at exit.  Returns 0, or 0 quietly on a closed pipe
 * (EPIPE), or -1 after a diagnostic ("write error: No space left on
 * device") for any other failure.
 */
int	sp_close_stdout(void);

/* Copy the rest of from to to: 0, or -1 with errno (a read or write
 * error; neither file is flushed or closed). */
int	sp_copy(FILE *from, FILE *to);

/* Remove a registered temporary file (a spool of a pipe), unregister it
 * and free path (NULL is fine). */
void	sp_spool_remove(char *path);

/* mkdir -p: make path and its missing parents; -1 and errno on failure. */
int	sp_mkdirs(const char *path);

/* 1 when two files hold the same bytes, 0 when not, -1 when unreadable. */
int	sp_same_file_content(const char *a, const char *b);

/* The directory of the running executable (new), or NULL. */
char	*sp_exe_dir(void);

#endif
