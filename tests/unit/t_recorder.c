/* t_recorder: the chunk cleaner and the journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

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

/*
 * What a run killed while assembling out leaves: the first stop chunks
 * of the reference in <out>.asm, marked in the journal, their ranges of
 * <out>.part zeroed (the journal added seqs 15..10, c->len bytes each).
 */
static void
fake_kill(const char *out, const char *format, const uint8_t *ref,
    size_t nref, size_t stop, const struct sp_chunk *c, uint64_t samples,
    unsigned rate)
{
	char path[192];
	/* What a chunk adds to the .asm: M4A keeps no ADTS header. */
	size_t per = strcmp(format, "m4a") == 0 ? c->len - 7 * c->frames :
	    c->len;
	size_t keep = nref - (6 - stop) * per, i;
	uint8_t *zero = calloc(1, c->len);
	FILE *fp;

	snprintf(path, sizeof(path), "%s.asm", out);
	fp = fopen(path, "wb");
	fwrite(ref, 1, keep, fp);
	fwrite("partial junk", 1, 12, fp);	/* past the last mark */
	fclose(fp);
	snprintf(path, sizeof(path), "%s.journal", out);
	fp = fopen(path, "a");
	fprintf(fp, "= %s 0 0 %llu %u\n= %s %zu %zu %llu %u\n", format,
	    (unsigned long long)samples, rate, format, stop, keep,
	    (unsigned long long)samples, rate);
	fclose(fp);
	snprintf(path, sizeof(path), "%s.part", out);
	fp = fopen(path, "r+b");
	for (i = 0; i < stop; i++) {
		fseek(fp, (long)((5 - i) * c->len), SEEK_SET);
		fwrite(zero, 1, c->len, fp);
	}
	fclose(fp);
	free(zero);
}

/*
 * Journal chunk c six times as seqs 15 down to 10 and assemble them as
 * format into <dir>/a.<format>; with stop > 0, first fake a run killed
 * after stop chunks were assembled (the .asm holding them, their .part
 * ranges punched out) and check the result equals an uninterrupted one.
 * The number of failed checks.
 */
static int
assemble_case(const char *dir, const char *format, const struct sp_chunk *c,
    size_t stop)
{
	struct sp_journal j;
	struct stat st;
	char err[256], out[128], ref[160], path[192];
	uint64_t samples = 0, s2;
	unsigned rate = 0, r2;
	uint8_t *want, *got;
	size_t i, nw, ng;
	int before = t_failed;

	snprintf(out, sizeof(out), "%s/a.%s", dir, format);
	snprintf(ref, sizeof(ref), "%s.ref", out);
	for (i = 0; i < 2; i++) {
		T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
		for (uint64_t q = 15; q >= 10; q--)
			T_INT(sp_journal_add(&j, q, c, err, sizeof(err)), 0);
		if (i == 0) {
			/* The reference: one uninterrupted assembly. */
			T_INT(sp_journal_assemble(&j, format, NULL, ref, 0,
			    &samples, &rate, err, sizeof(err)), 0);
			T_INT(samples, 6 * 142 * 1024);
			T_INT(rate, 48000);
			/* The .part was given back, all but its last block. */
			T_OK(stat(j.part, &st) == 0 &&
			    st.st_blocks * 512 <= st.st_blksize);
			/* No chunk can be added to an assembled journal. */
			T_INT(sp_journal_add(&j, 99, c, err, sizeof(err)), -1);
			sp_journal_remove(&j);
			if (stop == 0)
				break;
			continue;
		}
		/* The run that was killed: first stop chunks (10..) out. */
		sp_journal_close(&j);
		want = slurp(ref, &nw);
		fake_kill(out, format, want, nw, stop, c, samples, rate);
		free(want);
		T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
		T_STR(j.afmt, format);
		T_INT(j.adone, stop);
		/* A different format cannot take over. */
		T_INT(sp_journal_assemble(&j, strcmp(format, "aac") ? "aac" :
		    "m4a", NULL, out, 0, &s2, &r2, err, sizeof(err)), -1);
		T_OK(strstr(err, "--format") != NULL);
		T_INT(sp_journal_assemble(&j, format, NULL, out, 0, &s2, &r2,
		    err, sizeof(err)), 0);
		T_INT(s2, samples);
		T_INT(r2, rate);
		want = slurp(ref, &nw);
		got = slurp(out, &ng);
		T_INT(ng, nw);
		T_OK(ng == nw && memcmp(got, want, nw) == 0);
		free(want);
		free(got);
		snprintf(path, sizeof(path), "%s.asm", out);
		T_OK(access(path, F_OK) != 0);
		sp_journal_remove(&j);
		unlink(out);
	}
	unlink(ref);
	return t_failed - before;
}

static void
on_stage_cat(void *ctx, const char *uid, const char *uname)
{
	char *s = ctx;
	size_t k = strlen(s);

	snprintf(s + k, 64 - k, "%s:%s ", uid, uname);
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

	/* A video chunk: whole MPEG-TS packets, junk before them out; a
	 * cut last packet or a lost sync byte is damage. */
	{
		uint8_t ts[5 + 3 * 188];
		struct sp_chunk v;

		memset(ts, 0xAB, sizeof(ts));
		memcpy(ts, "junk\x47", 5);	/* a stray 0x47 first */
		ts[5] = ts[5 + 188] = ts[5 + 376] = 0x47;
		T_INT(sp_chunk_clean_ts(ts, sizeof(ts), &v, err,
		    sizeof(err)), 0);
		T_INT(v.frames, 3);
		T_INT(v.dropped, 5);
		T_INT(v.len, 3 * 188);
		T_INT(v.data[0], 0x47);
		sp_chunk_release(&v);
		T_INT(sp_chunk_clean_ts(ts, sizeof(ts) - 10, &v, err,
		    sizeof(err)), -1);
		T_OK(strstr(err, "cut short") != NULL);
		ts[5 + 376] = 0;
		T_INT(sp_chunk_clean_ts(ts, sizeof(ts), &v, err,
		    sizeof(err)), -1);
		T_INT(sp_chunk_clean_ts((const uint8_t *)"<html>", 6, &v, err,
		    sizeof(err)), -1);
		T_OK(strstr(err, "no MPEG-TS packet") != NULL);
	}

	/* The NTP tag's wall clock, backed up to the chunk's first sample
	 * (spaces-info says 2022-03-22T19:26:24.178Z for the same bytes). */
	T_INT(c.ntp_ms, 1647977184178LL);

	/* The journal: add, lock, reopen, resume. */
	T_OK(mkdtemp(dir) != NULL);
	snprintf(out, sizeof(out), "%s/o.aac", dir);
	T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
	T_INT(j.n, 0);
	T_INT(sp_journal_open(&j2, out, err, sizeof(err)), SP_JOURNAL_LOCKED);
	T_INT(sp_journal_add(&j, 5, &c, err, sizeof(err)), 0);
	c.ntp_ms = 0;
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
	T_INT(j.e[0].ntp_ms, 1647977184178LL);
	T_INT(j.e[1].ntp_ms, 0);
	T_INT(j.end, 2 * c.len);
	T_OK(sp_journal_find(&j, 5) != NULL);
	T_OK(sp_journal_find(&j, 7) == NULL);
	/* Chunk 2 (no time) comes first, 5 does not follow it: unknown. */
	T_INT(sp_journal_started(&j, 48000), 0);
	/* Chunk 3 follows 2: its time, less 142 frames of 2 (3029.3 ms). */
	c.ntp_ms = 1647977184178LL;
	T_INT(sp_journal_add(&j, 3, &c, err, sizeof(err)), 0);
	T_INT(sp_journal_started(&j, 48000), 1647977184178LL - 3029);
	sp_journal_remove(&j);

	/*
	 * The stage (issue 15): joins and leaves journalled at once among
	 * the chunk lines; a kill and a resume keep them, the open
	 * sessions seed the next run, a torn stage line is dropped.
	 */
	{
		json_t *sp, *ids;
		char *txt, on[64] = "";

		snprintf(out, sizeof(out), "%s/s.aac", dir);
		T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_JOIN, "11", "host",
		    1700000000000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_JOIN, "22", "alice",
		    1700000000000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_add(&j, 1, &c, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_SEEN, NULL, NULL,
		    1700000000000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_LEAVE, "22", NULL,
		    1700000030000LL, err, sizeof(err)), 0);
		/* A name that could break the line is left out. */
		T_INT(sp_journal_stage(&j, SP_STAGE_JOIN, "33", "b b\n",
		    1700000030000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_JOIN, "22", "alice",
		    1700000060000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_LEAVE, "22", NULL,
		    1700000090000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_SEEN, NULL, NULL,
		    1700000120000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_stage(&j, SP_STAGE_JOIN, "x1", NULL,
		    1700000120000LL, err, sizeof(err)), -1);
		sp_journal_close(&j);	/* as a kill would leave it */
		snprintf(path, sizeof(path), "%s.journal", out);
		fp = fopen(path, "a");
		fputs("- 1700000150000 1", fp);	/* torn: no newline */
		fclose(fp);
		T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
		T_INT(j.n, 1);
		T_INT(j.nst, 6);
		T_INT(j.seen_ms, 1700000120000LL);
		sp_journal_on_stage(&j, on_stage_cat, on);
		T_STR(on, "11:host 33: ");
		sp = sp_journal_speakers(&j, &ids);
		txt = json_dumps(sp, JSON_COMPACT);
		T_STR(txt, "[{\"user_id\":\"11\",\"sessions\":[{"
		    "\"started_at\":\"2023-11-14T22:13:20.000Z\",\"ended_at\":"
		    "\"2023-11-14T22:15:20.000Z\"}],\"username\":\"host\","
		    "\"start\":\"2023-11-14T22:13:20.000Z\",\"end\":"
		    "\"2023-11-14T22:15:20.000Z\"},{\"user_id\":\"22\","
		    "\"sessions\":[{\"started_at\":\"2023-11-14T22:13:20.000Z"
		    "\",\"ended_at\":\"2023-11-14T22:13:50.000Z\"},{"
		    "\"started_at\":\"2023-11-14T22:14:20.000Z\",\"ended_at"
		    "\":\"2023-11-14T22:14:50.000Z\"}],\"username\":\"alice"
		    "\",\"start\":\"2023-11-14T22:13:20.000Z\",\"end\":"
		    "\"2023-11-14T22:14:50.000Z\"},{\"user_id\":\"33\","
		    "\"sessions\":[{\"started_at\":\"2023-11-14T22:13:50.000Z"
		    "\",\"ended_at\":\"2023-11-14T22:15:20.000Z\"}],\"start"
		    "\":\"2023-11-14T22:13:50.000Z\",\"end\":"
		    "\"2023-11-14T22:15:20.000Z\"}]");
		free(txt);
		txt = json_dumps(ids, JSON_COMPACT);
		T_STR(txt, "[\"11\",\"22\",\"33\"]");
		free(txt);
		json_decref(sp);
		json_decref(ids);
		/* The next run's lines follow; chunks still load after
		 * stage lines, and a bad stage line ends the journal. */
		T_INT(sp_journal_stage(&j, SP_STAGE_LEAVE, "11", NULL,
		    1700000180000LL, err, sizeof(err)), 0);
		T_INT(sp_journal_add(&j, 2, &c, err, sizeof(err)), 0);
		sp_journal_close(&j);
		fp = fopen(path, "a");
		fputs("+ 0 44\n3 0 1 1\n", fp);
		fclose(fp);
		T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
		T_INT(j.n, 2);
		T_INT(j.nst, 7);
		on[0] = '\0';
		sp_journal_on_stage(&j, on_stage_cat, on);
		T_STR(on, "33: ");
		sp_journal_remove(&j);
	}

	/* Assembly: in sequence order, the .part given back as it goes. */
	T_INT(assemble_case(dir, "aac", &c, 0), 0);
	T_INT(assemble_case(dir, "m4a", &c, 0), 0);
	/* Killed after 3 of 6 chunks were written out and punched: the
	 * next run finishes the same file. */
	T_INT(assemble_case(dir, "aac", &c, 3), 0);
	T_INT(assemble_case(dir, "m4a", &c, 3), 0);

	/*
	 * Links planted at the working names are never followed, and the
	 * files they point at stay as they were (issue 19).
	 */
	{
		static const char *const ext[] = { ".part", ".journal" };
		char victim[128], link_[160];
		struct stat st;
		uint64_t sm;
		unsigned rate;
		int i;

		snprintf(victim, sizeof(victim), "%s/victim", dir);
		fp = fopen(victim, "w");
		fputs("precious\n", fp);
		fclose(fp);
		for (i = 0; i < 2; i++) {
			snprintf(link_, sizeof(link_), "%s%s", out, ext[i]);
			T_INT(symlink(victim, link_), 0);
			T_INT(sp_journal_open(&j, out, err, sizeof(err)), -1);
			T_OK(strstr(err, "cannot open") != NULL);
			T_INT(unlink(link_), 0);
			T_INT(stat(victim, &st), 0);
			T_INT(st.st_size, 9);
			/* What the failed open created beside the link. */
			snprintf(link_, sizeof(link_), "%s.journal", out);
			(void)unlink(link_);
		}
		/* The .asm: refused at assembly, the target untouched. */
		T_INT(sp_journal_open(&j, out, err, sizeof(err)), 0);
		T_INT(sp_journal_add(&j, 1, &c, err, sizeof(err)), 0);
		snprintf(link_, sizeof(link_), "%s.asm", out);
		T_INT(symlink(victim, link_), 0);
		T_INT(sp_journal_assemble(&j, "aac", NULL, out, 0, &sm, &rate,
		    err, sizeof(err)), -1);
		T_OK(strstr(err, "cannot create") != NULL);
		T_INT(stat(victim, &st), 0);
		T_INT(st.st_size, 9);
		T_INT(lstat(link_, &st), 0);
		T_OK(S_ISLNK(st.st_mode));
		T_INT(unlink(link_), 0);
		sp_journal_remove(&j);
		T_INT(unlink(victim), 0);
	}
	T_INT(rmdir(dir), 0);

	/* AES-128-CBC (RFC 8216 4.3.2.4), libcrypto as the oracle: the
	 * plain text back, the padding gone; a wrong key or a partial
	 * block refused. */
	{
		static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9,
		    10, 11, 12, 13, 14, 15, 16 };
		uint8_t iv[16] = { 0 }, enc[4096 + 32], bad[16];
		EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
		int a = 0, z = 0;
		size_t len;

		iv[15] = 7;
		EVP_EncryptInit_ex(x, EVP_aes_128_cbc(), NULL, key, iv);
		EVP_EncryptUpdate(x, enc, &a, b, 1000);
		EVP_EncryptFinal_ex(x, enc + a, &z);
		EVP_CIPHER_CTX_free(x);
		T_INT(a + z, 1008);
		T_INT(sp_chunk_decrypt(enc, (size_t)(a + z), key, iv, &len,
		    err, sizeof(err)), 0);
		T_INT(len, 1000);
		T_OK(memcmp(enc, b, 1000) == 0);
		T_INT(sp_chunk_decrypt(enc, 1000, key, iv, &len, err,
		    sizeof(err)), -1);
		T_OK(strstr(err, "whole AES blocks") != NULL);
		memcpy(bad, key, 16);
		bad[0] ^= 1;
		x = EVP_CIPHER_CTX_new();
		EVP_EncryptInit_ex(x, EVP_aes_128_cbc(), NULL, key, iv);
		EVP_EncryptUpdate(x, enc, &a, b, 1000);
		EVP_EncryptFinal_ex(x, enc + a, &z);
		EVP_CIPHER_CTX_free(x);
		/* A wrong key: the padding check fails (or, rarely, passes
		 * on garbage that the ADTS cleaner then refuses). */
		if (sp_chunk_decrypt(enc, 1008, bad, iv, &len, err,
		    sizeof(err)) == 0)
			T_OK(memcmp(enc, b, len < 1000 ? len : 1000) != 0);
		else
			T_OK(strstr(err, "cannot decrypt") != NULL);
	}

	sp_chunk_release(&c);
	free(b);
	return t_done();
}
