/* fuzz_adts: the ADTS/ID3 parser on arbitrary bytes, whole and in pieces. */
#include <stdint.h>
#include <string.h>

#include "adts.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the callbacks saw. */
struct sums {
	uint64_t	 frames, samples, bytes, tags;
	uint64_t	 next;		/* where the next item may start */
	uint64_t	 hash;		/* of every tag's offset and fields */
};

static struct sp_adts whole, pieces;	/* 29 KB each: not on the stack */

static void
mix(struct sums *s, uint64_t v)
{
	s->hash = (s->hash ^ v) * 0x100000001B3u;
}

static void
on_frame(void *ctx, uint64_t off, const struct sp_adts_frame *f,
    const uint8_t *data)
{
	struct sums *s = ctx;

	/* Items do not overlap; a frame holds its own header. */
	if (off < s->next || f->length < f->header_len || f->length > 8191 ||
	    data[0] != 0xFF || (data[1] & 0xF6) != 0xF0 ||
	    f->samples != 1024 * f->blocks || f->sample_rate == 0)
		__builtin_trap();
	s->next = off + f->length;
	s->frames++;
	s->samples += f->samples;
	s->bytes += f->length;
	mix(s, off);
}

static void
on_tag(void *ctx, const struct sp_id3_tag *t)
{
	struct sums *s = ctx;

	if (t->offset < s->next || t->size < 10 ||
	    memchr(t->tit3, 0, sizeof(t->tit3)) == NULL ||
	    memchr(t->json, 0, sizeof(t->json)) == NULL ||
	    memchr(t->participants, 0, sizeof(t->participants)) == NULL ||
	    memchr(t->audio_level, 0, sizeof(t->audio_level)) == NULL ||
	    t->pts >> 33 != 0)
		__builtin_trap();
	s->next = t->offset + t->size;
	s->tags++;
	mix(s, t->offset);
	mix(s, t->have);
	mix(s, t->pts);
	mix(s, strlen(t->tit3) + strlen(t->json) + strlen(t->participants) +
	    strlen(t->audio_level));
}

static int
same(const struct sp_adts_info *a, const struct sp_adts_info *b)
{
	return a->mpeg2 == b->mpeg2 && a->profile == b->profile &&
	    a->sr_index == b->sr_index && a->sample_rate == b->sample_rate &&
	    a->chan_config == b->chan_config && a->channels == b->channels &&
	    a->frames == b->frames && a->crc_frames == b->crc_frames &&
	    a->samples == b->samples && a->duration == b->duration &&
	    a->changes == b->changes && a->bytes == b->bytes &&
	    a->audio_bytes == b->audio_bytes && a->id3_bytes == b->id3_bytes &&
	    a->id3v1_bytes == b->id3v1_bytes &&
	    a->junk_bytes == b->junk_bytes && a->lead_junk == b->lead_junk &&
	    a->trunc_bytes == b->trunc_bytes && a->id3_tags == b->id3_tags &&
	    a->errors == b->errors && a->have == b->have &&
	    a->first_pts == b->first_pts &&
	    a->first_pts_sample == b->first_pts_sample &&
	    a->first_ntp == b->first_ntp &&
	    a->first_ntp_sample == b->first_ntp_sample;
}

static void
check(const struct sp_adts *p, const struct sums *s, size_t n, int rc)
{
	const struct sp_adts_info *i = &p->info;

	if (i->bytes != n || i->audio_bytes + i->id3_bytes + i->id3v1_bytes +
	    i->junk_bytes + i->trunc_bytes != n ||
	    i->lead_junk > i->junk_bytes ||
	    s->frames != i->frames || s->samples != i->samples ||
	    s->bytes != i->audio_bytes || s->tags != i->id3_tags ||
	    (rc == 0) != (i->frames > 0) ||
	    (i->frames == 0 && i->errors != (i->errors | SP_ADTS_ENOFRAME)))
		__builtin_trap();
	if (i->frames > 0 && i->changes == 0 &&
	    i->duration != (double)i->samples / i->sample_rate)
		__builtin_trap();
	if (i->errors != 0 && p->err[0] == '\0')
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sums a, b;
	uint8_t sizes[4] = { 0, 0, 0, 0 };
	size_t i, k, n;
	int rc;

	/* The first 4 bytes say how to cut the rest into pieces. */
	if (size >= 4) {
		memcpy(sizes, data, 4);
		data += 4;
		size -= 4;
	}

	memset(&a, 0, sizeof(a));
	sp_adts_init(&whole);
	whole.ctx = &a;
	whole.on_frame = on_frame;
	whole.on_tag = on_tag;
	sp_adts_feed(&whole, data, size);
	rc = sp_adts_finish(&whole);
	check(&whole, &a, size, rc);
	if (sp_adts_feed(&whole, data, size) != -1)
		__builtin_trap();

	memset(&b, 0, sizeof(b));
	sp_adts_init(&pieces);
	pieces.ctx = &b;
	pieces.on_frame = on_frame;
	pieces.on_tag = on_tag;
	for (i = 0, n = 0; n < size; i++, n += k) {
		/* 1-64 bytes, or from 513 up to 32 KB when the top bits say. */
		k = sizes[i % 4] < 192 ? 1 + sizes[i % 4] % 64 :
		    1 + (sizes[i % 4] - 191) * 512;
		if (k > size - n)
			k = size - n;
		sp_adts_feed(&pieces, data + n, k);
		if (i % 7 == 3)
			sp_adts_feed(&pieces, data + n, 0);
	}
	rc = sp_adts_finish(&pieces);
	check(&pieces, &b, size, rc);

	if (!same(&whole.info, &pieces.info) || a.hash != b.hash ||
	    strcmp(whole.err, pieces.err) != 0)
		__builtin_trap();
	return 0;
}
