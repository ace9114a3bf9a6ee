/* t_args: command-line and environment numbers; a bad one exits 2. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "http.h"
#include "t.h"

/* The exit status of a child that reads $name as sp_env_num would. */
static int
env_status(const char *name, const char *value)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		freopen("/dev/null", "w", stderr);
		setenv(name, value, 1);
		(void)sp_env_num(name, 0, 10, 1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
main(void)
{
	struct sp_http_opts o;

	T_INT(sp_arg_int("--n", "42", 0, 100), 42);
	T_OK(sp_arg_num("--x", "-1.5", -2, 0) == -1.5);
	unsetenv("T_ARGS");
	T_INT(sp_env_int("T_ARGS", 0, 9, 7), 7);
	setenv("T_ARGS", "", 1);
	T_OK(sp_env_num("T_ARGS", 0, 9, 2.5) == 2.5);
	T_STR(sp_env_str("T_ARGS", "def"), "def");
	setenv("T_ARGS", "3", 1);
	T_INT(sp_env_int("T_ARGS", 0, 9, 7), 3);
	T_STR(sp_env_str("T_ARGS", "def"), "3");
	unsetenv("T_ARGS");
	T_STR(sp_env_str("T_ARGS", "def"), "def");
	setenv("T_ARGS", "3", 1);

	T_INT(env_status("T_ARGS", "4"), 0);
	T_INT(env_status("T_ARGS", "11"), 2);
	T_INT(env_status("T_ARGS", "x"), 2);

	/* The network settings: defaults, then the variables. */
	unsetenv("SPACES_RETRIES");
	unsetenv("SPACES_BACKOFF");
	unsetenv("SPACES_TIMEOUT");
	sp_http_env(&o);
	T_INT(o.retries, SP_HTTP_RETRIES);
	T_OK(o.backoff == SP_HTTP_BACKOFF);
	T_INT(o.low_speed_time, SP_HTTP_LOW_SPEED_TIME);
	T_INT(o.connect_timeout, SP_HTTP_CONNECT_TIMEOUT);
	setenv("SPACES_RETRIES", "0", 1);
	setenv("SPACES_BACKOFF", "0.05", 1);
	setenv("SPACES_TIMEOUT", "2", 1);
	sp_http_env(&o);
	T_INT(o.retries, 0);
	T_OK(o.backoff == 0.05);
	T_INT(o.low_speed_time, 2);
	T_INT(o.connect_timeout, 2);
	return t_done();
}
