/* xalloc: allocation that cannot fail (it exits with status 3 instead). */
#ifndef SP_XALLOC_H
#define SP_XALLOC_H

#include <stddef.h>

/* Each returns new memory, owned by the caller; sizes are overflow-checked. */
void	*sp_xmalloc(size_t n);
void	*sp_xcalloc(size_t nmemb, size_t size);
void	*sp_xrealloc(void *p, size_t n);
void	*sp_xreallocarray(void *p, size_t nmemb, size_t size);
char	*sp_xstrdup(const char *s);
char	*sp_xstrndup(const char *s, size_t n);
char	*sp_xasprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
