/* fuzz_oggopus: the Ogg Opus reader on arbitrary bytes, and the writer
 * on whatever it reads. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "oggopus.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, handed out in pieces whose sizes the first 4 bytes say. */
struct src {
	const uint8_t	*p;
	size_t		 n, off;
	uint8_t		 sizes[4];
	unsigned	 call;
};

/* What reading saw. */
struct sums {
	uint64_t	 packets, hash, durations;
	uint64_t	 valid, vhash;	/* packets with a good TOC */
	int64_t		 last;
	int		 rc;
};

static ssize_t
src_read(void *ctx, void *b, size_t n)
{
	struct src *s = ctx;
	size_t k = s->n - s->off;
	unsigned z = s->sizes[s->call++ % 4];
	size_t step;

	/* 0: all it asks; 1-64 bytes; or from 513 up to 32 KB. */
	step = z == 0 ? n : z < 192 ? 1 + z % 64 : 1 + (size_t)(z - 191) * 512;
	if (k > n)
		k = n;
	if (k > step)
		k = step;
	memcpy(b, s->p + s->off, k);
	s->off += k;
	return (ssize_t)k;
}

static void
mix(uint64_t *h, uint64_t v)
{
	*h = (*h ^ v) * 0x100000001B3u;
}

/*
 * Read everything from r; check what it reports packet by packet and in
 * the summary; copy the valid packets to w when w is not NULL.
 */
static void
read_all(struct sp_opus_reader *r, struct sums *s, struct sp_opus_writer *w)
{
	const struct sp_opus_summary *u = sp_opus_reader_summary(r);
	const struct sp_opus_head *h = sp_opus_reader_head(r);
	struct sp_opus_packet p;
	int64_t prev = INT64_MIN;
	size_t i;
	int rc, last = 0;

	memset(s, 0, sizeof(*s));
	while ((rc = sp_opus_next(r, &p)) == 1) {
		/* Granules never go back; indices count; last is last. */
		if (p.granule < prev || p.index != s->packets || last ||
		    p.duration > 5760 || p.data == NULL || p.len == 0)
			__builtin_trap();
		if (p.duration != sp_opus_packet_samples(p.data, p.len))
			__builtin_trap();
		last = p.last;
		prev = p.granule;
		s->packets++;
		s->durations += p.duration;
		s->last = p.granule;
		for (i = 0; i < p.len; i++)
			mix(&s->hash, p.data[i]);
		mix(&s->hash, (uint64_t)p.granule);
		if (p.duration > 0) {
			s->valid++;
			for (i = 0; i < p.len; i++)
				mix(&s->vhash, p.data[i]);
			if (w != NULL &&
			    sp_opus_writer_packet(w, p.data, p.len, 0) != 0 &&
			    errno != ENOMEM)
				__builtin_trap();
		}
	}
	s->rc = rc;
	/* Fatal problems, and only they, end in -1 with a message. */
	if ((rc == -1) != ((u->flags & SP_OPUS_EFATAL) != 0) ||
	    (rc == -1) != (sp_opus_reader_error(r) != NULL))
		__builtin_trap();
	if (rc == -1)
		return;
	/* The totals agree with the packets. */
	if (u->packets != s->packets || u->stream_pages > u->pages ||
	    u->streams < 1 || (u->seq_gaps > 0 && u->stream_pages < 2) ||
	    u->end_trim < 0 || h->channels < 1)
		__builtin_trap();
	if (s->packets > 0 && (u->last_granule != s->last ||
	    u->samples != (u->last_granule - u->start_granule -
	    (int64_t)h->preskip > 0 ? u->last_granule - u->start_granule -
	    (int64_t)h->preskip : 0)))
		__builtin_trap();
	if (s->packets == 0 && u->samples != 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src a, b, c;
	struct sums x, y, z;
	struct sp_opus_reader *r;
	struct sp_opus_writer *w = NULL;
	struct sp_opus_head h;
	struct sp_opus_summary sx, sy;
	char *buf = NULL;
	size_t nbuf = 0;
	FILE *fp;
	int ok;

	memset(&a, 0, sizeof(a));
	if (size >= 4) {
		memcpy(a.sizes, data, 4);
		data += 4;
		size -= 4;
	}
	a.p = data;
	a.n = size;
	b = a;
	memset(b.sizes, 0, sizeof(b.sizes));
	(void)sp_opus_sniff(data, size);

	/* Whole, then in pieces, copying to a writer on the way. */
	r = sp_opus_reader_new(src_read, &b);
	read_all(r, &x, NULL);
	sx = *sp_opus_reader_summary(r);
	/* All is read, unless a fatal problem stopped it early. */
	if (x.rc == 0 ? sx.bytes != size : sx.bytes > size)
		__builtin_trap();
	sx.bytes = 0;
	sp_opus_reader_free(r);

	r = sp_opus_reader_new(src_read, &a);
	fp = open_memstream(&buf, &nbuf);
	if (fp == NULL)
		return 0;
	if (sp_opus_reader_error(r) == NULL) {
		h = *sp_opus_reader_head(r);
		w = sp_opus_writer_new(fp, &h, sp_opus_reader_tags(r), 1, 0);
		if (w == NULL)
			__builtin_trap();	/* the reader checked the head */
	}
	read_all(r, &y, w);
	/* Any split of the input reads the same. */
	sy = *sp_opus_reader_summary(r);
	sy.bytes = 0;
	if (x.rc != y.rc || x.packets != y.packets || x.hash != y.hash ||
	    memcmp(&sy, &sx, sizeof(sx)) != 0)
		__builtin_trap();
	ok = w != NULL && sp_opus_writer_finish(w, -1) == 0;
	sp_opus_writer_free(w);
	fclose(fp);

	/* What the writer wrote reads back clean, with the same packets. */
	if (ok) {
		memset(&c, 0, sizeof(c));
		c.p = (const uint8_t *)buf;
		c.n = nbuf;
		sp_opus_reader_free(r);
		r = sp_opus_reader_new(src_read, &c);
		read_all(r, &z, NULL);
		if (z.rc != 0 || sp_opus_reader_summary(r)->flags != 0 ||
		    z.packets != y.valid || z.vhash != y.vhash ||
		    sp_opus_reader_head(r)->preskip != h.preskip ||
		    sp_opus_reader_head(r)->channels != h.channels ||
		    sp_opus_reader_summary(r)->start_granule != 0 ||
		    z.last != (int64_t)z.durations)
			__builtin_trap();
	}
	sp_opus_reader_free(r);
	free(buf);
	return 0;
}
