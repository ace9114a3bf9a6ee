/* err: err(3)-style diagnostics prefixed with the program's name. */
#ifndef SP_ERR_H
#define SP_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Exit statuses shared by every command (DESIGN §3). */
enum {
	SP_EXIT_OK = 0,		/* success, the answer is yes */
	SP_EXIT_NO = 1,		/* ran, but "no" or incomplete */
	SP_EXIT_USAGE = 2,	/* usage error or invalid input */
	SP_EXIT_ENV = 3		/* network, remote API, disk, permissions */
};

/* Set the name used in messages to the last component of argv0. */
void	sp_setprogname(const char *argv0);
/* The name set by sp_setprogname (borrowed), or "spaces". */
const char *sp_getprogname(void);
/* fn runs before each message (a progress line clears itself). */
void	sp_set_before_msg(void (*fn)(void));

/* "prog: msg: strerror(errno)" */
void	sp_warn(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* "prog: msg" */
void	sp_warnx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	sp_vwarnx(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0)));
void	sp_err(int status, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	sp_errx(int status, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));

/*
 * Every message is one line, escaped: control characters (ESC, CR, BEL,
 * C1, bidirectional overrides) and bytes that are not UTF-8 are shown as
 * \e, \r, \x07, \u202e, and a message is cut to about 1 KB ("...").
 */
/* Escape len bytes of src into dst (n bytes, NUL-terminated, cut with
 * "..." when too long); returns the length written. */
size_t	sp_escape(char *dst, size_t n, const char *src, size_t len);
/* The escaped line on stderr without the program's name (traces). */
void	sp_note(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/*
 * Put a one-line reason in err (n bytes; err may be NULL when n is 0) for
 * a caller to print, and return -1: how lib/ modules fail without
 * printing.
 */
int	sp_fail(char *err, size_t n, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * s made safe for a diagnostic on a terminal, in buf (n bytes, n >= 8):
 * control characters (C0, DEL, and C1 as UTF-8) become \n, \r, \t or
 * \xNN, a backslash becomes \\, and text longer than fits is cut with
 * "...".  Returns buf; a NULL s gives "(null)".
 */
const char *sp_esc(const char *s, char *buf, size_t n);
/* The size of buffer sp_esc callers use for a name in a message. */
#define SP_ESC_LEN 256

#endif
