/* args: numbers from the command line and the environment, for cmd/. */
#ifndef SP_ARGS_H
#define SP_ARGS_H

/*
 * The number s given as name (an option or a variable), in [min, max]:
 * else a usage error naming it, its value and the range (exit 2).
 */
long long sp_arg_int(const char *name, const char *s, long long min,
	    long long max);
double	sp_arg_num(const char *name, const char *s, double min, double max);

/* The variable name read so, or def when it is unset or empty. */
long long sp_env_int(const char *name, long long min, long long max,
	    long long def);
double	sp_env_num(const char *name, double min, double max, double def);
const char *sp_env_str(const char *name, const char *def);

#endif
