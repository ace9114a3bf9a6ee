/* tfile.h: whole files and shell commands, for the unit tests that check
 * lib/ against files ffmpeg makes at test time (t_ts, t_h264, t_mp4v). */
#ifndef SP_TFILE_H
#define SP_TFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* All of the file at p (new; n bytes); exits when it cannot be read. */
static inline uint8_t *
t_slurp(const char *p, size_t *n)
{
	FILE *fp = fopen(p, "rb");
	uint8_t *b;
	long len;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		printf("# cannot open %s\n", p);
		exit(1);
	}
	b = malloc((size_t)len + 1);
	if (b == NULL || fread(b, 1, (size_t)len, fp) != (size_t)len)
		exit(1);
	fclose(fp);
	*n = (size_t)len;
	return b;
}

/* system(cmd), saying which command failed. */
static inline int
t_run(const char *cmd)
{
	int r = system(cmd);

	if (r != 0)
		printf("# failed: %s\n", cmd);
	return r;
}

/*
 * A new temporary directory dir (n bytes) named after the test, holding
 * tests/gen-video.sh's stream of secs seconds: 0, or -1 after a message.
 */
static inline int
t_video_dir(char *dir, size_t n, const char *test, int secs)
{
	const char *top = getenv("TOP");
	char cmd[1400];

	snprintf(dir, n, "%s/%s.XXXXXX", getenv("TMPDIR") ?
	    getenv("TMPDIR") : "/tmp", test);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/gen-video.sh' '%s' %d",
	    top ? top : ".", dir, secs);
	return t_run(cmd) == 0 ? 0 : -1;
}

#endif
