/* tbuf.h: a byte stream under construction, for the unit tests that build
 * ADTS frames and ID3 tags by hand (t_adts, t_id3r). */
#ifndef SP_TBUF_H
#define SP_TBUF_H

#include <stdint.h>
#include <string.h>

static uint8_t B[4 << 20];
static size_t BN;

static inline void
put(const void *p, size_t n)
{
	memcpy(B + BN, p, n);
	BN += n;
}

static inline void
putc8(unsigned c)
{
	B[BN++] = (uint8_t)c;
}

/* A 28-bit syncsafe integer (7 bits a byte) at at. */
static inline void
syncsafe_at(size_t at, uint32_t n)
{
	B[at] = n >> 21 & 0x7F;
	B[at + 1] = n >> 14 & 0x7F;
	B[at + 2] = n >> 7 & 0x7F;
	B[at + 3] = n & 0x7F;
}

static inline void
be32_at(size_t at, uint32_t n)
{
	B[at] = n >> 24;
	B[at + 1] = n >> 16 & 0xFF;
	B[at + 2] = n >> 8 & 0xFF;
	B[at + 3] = n & 0xFF;
}

static inline void
syncsafe(uint32_t n)
{
	BN += 4;
	syncsafe_at(BN - 4, n);
}

static inline void
be32(uint32_t n)
{
	BN += 4;
	be32_at(BN - 4, n);
}

#endif
