/* box: an ISO BMFF box writer over a growing buffer, for the MP4 writers. */
#ifndef SP_BOX_H
#define SP_BOX_H

#include <stdint.h>
#include <string.h>

#include "xalloc.h"

/* The bytes written so far (p is new, the writer frees it). */
struct obuf {
	uint8_t		*p;
	size_t		 n, cap;
};

static inline void
o_put(struct obuf *o, const void *d, size_t n)
{
	if (n > o->cap - o->n) {
		while (n > o->cap - o->n)
			o->cap = o->cap ? o->cap * 2 : 4096;
		o->p = sp_xrealloc(o->p, o->cap);
	}
	memcpy(o->p + o->n, d, n);
	o->n += n;
}

/* v as k bytes, big-endian. */
static inline void
o_uint(struct obuf *o, uint64_t v, size_t k)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < k; i++)
		b[i] = (uint8_t)(v >> (8 * (k - 1 - i)));
	o_put(o, b, k);
}

#define o_u8(o, v)	o_uint((o), (uint64_t)(v), 1)
#define o_u16(o, v)	o_uint((o), (uint64_t)(v), 2)
#define o_u24(o, v)	o_uint((o), (uint64_t)(v), 3)
#define o_u32(o, v)	o_uint((o), (uint64_t)(v), 4)
#define o_u64(o, v)	o_uint((o), (uint64_t)(v), 8)

static inline void
o_zero(struct obuf *o, size_t n)
{
	static const uint8_t z[64];
	size_t k;

	for (; n > 0; n -= k) {
		k = n < sizeof(z) ? n : sizeof(z);
		o_put(o, z, k);
	}
}

/* Start a box: its offset, for o_close to fill in the size. */
static inline size_t
o_open(struct obuf *o, const char *type)
{
	size_t at = o->n;

	o_u32(o, 0);
	o_put(o, type, 4);
	return at;
}

/* Start a full box: a box with a version and flags. */
static inline size_t
o_full(struct obuf *o, const char *type, unsigned version, uint32_t flags)
{
	size_t at = o_open(o, type);

	o_u8(o, version);
	o_u24(o, flags);
	return at;
}

static inline void
o_close(struct obuf *o, size_t at)
{
	size_t size = o->n - at;

	o->p[at] = (uint8_t)(size >> 24);
	o->p[at + 1] = (uint8_t)(size >> 16);
	o->p[at + 2] = (uint8_t)(size >> 8);
	o->p[at + 3] = (uint8_t)size;
}

/* The identity matrix of mvhd and tkhd. */
static inline void
o_matrix(struct obuf *o)
{
	static const uint32_t m[9] = { 0x10000, 0, 0, 0, 0x10000, 0, 0, 0,
	    0x40000000 };
	size_t i;

	for (i = 0; i < 9; i++)
		o_u32(o, m[i]);
}

/* An ES descriptor header with a 4-byte length, as ffmpeg writes them. */
static inline void
o_desc(struct obuf *o, unsigned tag, size_t len)
{
	o_u8(o, tag);
	o_u8(o, 0x80 | ((len >> 21) & 0x7F));
	o_u8(o, 0x80 | ((len >> 14) & 0x7F));
	o_u8(o, 0x80 | ((len >> 7) & 0x7F));
	o_u8(o, len & 0x7F);
}

/*
 * An iTunes-style meta box: an mdir handler, then an ilst with a text
 * item keys[i] for each tags[i] that is not NULL (n of them).
 */
static inline void
o_ilst(struct obuf *o, const char *const *keys, char *const *tags,
    size_t n)
{
	size_t meta, h, ilst, item, data, i;

	meta = o_full(o, "meta", 0, 0);
	h = o_full(o, "hdlr", 0, 0);
	o_u32(o, 0);
	o_put(o, "mdirappl", 8);
	o_zero(o, 9);
	o_close(o, h);
	ilst = o_open(o, "ilst");
	for (i = 0; i < n; i++) {
		if (tags[i] == NULL)
			continue;
		item = o_open(o, keys[i]);
		data = o_open(o, "data");
		o_u32(o, 1);		/* UTF-8 text */
		o_u32(o, 0);		/* locale */
		o_put(o, tags[i], strlen(tags[i]));
		o_close(o, data);
		o_close(o, item);
	}
	o_close(o, ilst);
	o_close(o, meta);
}

#endif
