/* t_recorder: the chunk cleaner and the journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recorder.h"
#include "t.h"

static uint8_t *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b = malloc(1 << 20);

	*n = fp ? fread(b, 1, 1 << 20, fp) : 0;
	if (fp)
		fclose(fp);
	return b;
}

int
main(void)
{
	struct sp_chunk c, c2;
	struct sp_journal j, j2;
	char err[256], dir[] = "/tmp/t_recorder.XXXXXX", out[64], *top;
	char path[4096];
	uint8_t *b;
	size_t n;
	uint64_t samples;
	unsigned rate;
	FILE *fp;

	top = getenv("TOP");
	snprintf(path, sizeof(path), "%s/tests/data/aac/space-chunks.aac",
	    top ? top : ".");
	b = slurp(path, &n);
	T_OK(n > 1000);

	/* Two chunks: tags and the junk between them out, 142 frames in. */
	T_INT(sp_chunk_clean(b, n, &c, err, sizeof(err)), 0);
	T_INT(c.frames, 142);
	T_INT(c.samples, 142 * 1024);
	T_INT(c.sample_rate, 48000);
	T_INT(c.channels, 2);
	T_INT(c.dropped, 73 + 20 + 73 + 159);
	T_INT(c.len, n - c.dropped);
	T_INT(c.data[0], 0xFF);

	/* Cut short: damaged, to be fetched again. */
	T_INT(sp_chunk_clean(b, n - 100, &c2, err, sizeof(err)), -1);
	T_OK(strstr(err, "cut short") != NULL);
	T_INT(sp_chunk_clean(b, 50, &c2, err, sizeof(err)), -1);
	T_INT(sp_chunk_clean((const uint8_t *)"<html>", 6, &c2, err,
	    sizeof(err)), -1);

	/* The journal: add, lock, reopen, resume, assemble. */
	T_OK(mkdtemp(dir) != NULL);
	snprintf(out, sizeof(out), "%s/o.aac", dir);
	T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
	T_INT(j.n, 0);
	T_INT(sp_journal_open(&j2, out, err, sizeof(err)), SP_JOURNAL_LOCKED);
	T_INT(sp_journal_add(&j, 5, &c, err, sizeof(err)), 0);
	T_INT(sp_journal_add(&j, 2, &c, err, sizeof(err)), 0);
	T_INT(sp_journal_add(&j, 2, &c, err, sizeof(err)), 0);
	T_INT(j.n, 2);
	T_INT(j.end, 2 * c.len);
	sp_journal_close(&j);
	/* A torn line and bytes past the last entry are dropped. */
	snprintf(path, sizeof(path), "%s.journal", out);
	fp = fopen(path, "a");
	fputs("7 99", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s.part", out);
	fp = fopen(path, "a");
	fputs("garbage", fp);
	fclose(fp);
	T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
	T_INT(j.n, 2);
	T_INT(j.e[1].seq, 2);
	T_INT(j.end, 2 * c.len);
	T_OK(sp_journal_find(&j, 5) != NULL);
	T_OK(sp_journal_find(&j, 7) == NULL);
	T_INT(sp_journal_assemble(&j, out, "aac", NULL, 0, &samples, &rate,
	    err, sizeof(err)), 0);
	T_INT(samples, 2 * 142 * 1024);
	T_INT(rate, 48000);
	T_INT(sp_journal_assemble(&j, out, "aac", NULL, 0, &samples, &rate,
	    err, sizeof(err)), -1);
	snprintf(path, sizeof(path), "%s/o.m4a", dir);
	T_INT(sp_journal_assemble(&j, path, "m4a", "t", 0, &samples, &rate,
	    err, sizeof(err)), 0);
	sp_journal_remove(&j);
	snprintf(path, sizeof(path), "%s.part", out);
	T_OK(access(path, F_OK) != 0);
	unlink(out);
	snprintf(path, sizeof(path), "%s/o.m4a", dir);
	unlink(path);
	T_INT(rmdir(dir), 0);

	sp_chunk_release(&c);
	free(b);
	return t_done();
}
