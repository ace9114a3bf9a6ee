/* template: output file names from templates like "%(id)s_%(part)02d.aac". */
#ifndef SP_TEMPLATE_H
#define SP_TEMPLATE_H

#include <stddef.h>

/*
 * A template holds literal text and fields: %(key)s for text, %(key)d for
 * an integer, with optional flags '0' or '-' and a width before the
 * conversion ("%(part)02d"), and %% for a percent sign.
 *
 * lookup returns a key's value (borrowed), or NULL when the key is unknown.
 * Text values are made safe as one file name: '/', control characters and
 * a leading '.' become '_'.
 *
 * Returns a new string, or NULL with a one-line reason in err (unknown key,
 * bad syntax, %d of a value that is not an integer, an empty result).
 */
char	*sp_template_expand(const char *tmpl,
	    const char *(*lookup)(void *ctx, const char *key), void *ctx,
	    char *err, size_t errlen);

/*
 * Check a template before any work: syntax, and every key one of keys (a
 * NULL-terminated list).  0, or -1 with err.
 */
int	sp_template_check(const char *tmpl, const char *const *keys,
	    char *err, size_t errlen);

#endif
