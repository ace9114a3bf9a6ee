/* mute: silence for stretches of a clip: silent AAC frames, sample ranges. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mute.h"
#include "xalloc.h"
#include "banned.h"

/* MSB-first bits into a zeroed buffer. */
struct bits {
	uint8_t	*p;
	size_t	 pos;
};

static void
put(struct bits *b, unsigned v, unsigned n)
{
	while (n-- > 0) {
		if ((v >> n) & 1)
			b->p[b->pos >> 3] |= (uint8_t)(0x80 >> (b->pos & 7));
		b->pos++;
	}
}

/* An individual_channel_stream with nothing in it (14496-3 4.4.2.7). */
static void
empty_ics(struct bits *b, int with_info)
{
	put(b, 100, 8);			/* global_gain: any, nothing scales */
	if (with_info) {
		put(b, 0, 1);		/* ics_reserved_bit */
		put(b, 0, 2);		/* ONLY_LONG_SEQUENCE */
		put(b, 0, 1);		/* window_shape */
		put(b, 0, 6);		/* max_sfb: no bands, no data */
		put(b, 0, 1);		/* predictor_data_present */
	}
	/* section_data and scale_factor_data are empty with max_sfb 0. */
	put(b, 0, 1);			/* pulse_data_present */
	put(b, 0, 1);			/* tns_data_present */
	put(b, 0, 1);			/* gain_control_data_present */
}

enum { ID_SCE = 0, ID_CPE = 1, ID_LFE = 3, ID_END = 7 };

static void
element(struct bits *b, unsigned id, unsigned tag)
{
	put(b, id, 3);
	put(b, tag, 4);
	if (id == ID_CPE) {
		put(b, 0, 1);		/* common_window: each its own info */
		empty_ics(b, 1);
		empty_ics(b, 1);
	} else
		empty_ics(b, 1);
}

size_t
sp_aac_silent(unsigned cc, uint8_t buf[SP_AAC_SILENT_MAX])
{
	/* The elements of each configuration (Table 1.19), in order. */
	static const char *const layout[8] = {
		NULL, "S", "C", "SC", "SCS", "SCC", "SCCL", "SCCCL"
	};
	struct bits b = { buf, 0 };
	unsigned sce = 0, cpe = 0, lfe = 0;
	const char *e;

	if (cc < 1 || cc > 7)
		return 0;
	memset(buf, 0, SP_AAC_SILENT_MAX);
	for (e = layout[cc]; *e; e++)
		switch (*e) {
		case 'S':
			element(&b, ID_SCE, sce++);
			break;
		case 'C':
			element(&b, ID_CPE, cpe++);
			break;
		default:
			element(&b, ID_LFE, lfe++);
		}
	put(&b, ID_END, 3);
	return (b.pos + 7) / 8;
}

void
sp_ranges_init(struct sp_ranges *r)
{
	memset(r, 0, sizeof(*r));
}

void
sp_ranges_release(struct sp_ranges *r)
{
	free(r->v);
	sp_ranges_init(r);
}

void
sp_ranges_add(struct sp_ranges *r, uint64_t a, uint64_t b)
{
	size_t i, j;

	if (a >= b)
		return;
	/* The first range that ends at or after a. */
	for (i = 0; i < r->n && r->v[2 * i + 1] < a; i++)
		;
	/* Those from i that start at or before b merge with [a, b). */
	for (j = i; j < r->n && r->v[2 * j] <= b; j++) {
		if (r->v[2 * j] < a)
			a = r->v[2 * j];
		if (r->v[2 * j + 1] > b)
			b = r->v[2 * j + 1];
	}
	if (j == i) {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 8;
			r->v = sp_xreallocarray(r->v, r->cap,
			    2 * sizeof(*r->v));
		}
		memmove(r->v + 2 * (i + 1), r->v + 2 * i,
		    (r->n - i) * 2 * sizeof(*r->v));
		r->n++;
	} else if (j > i + 1) {
		memmove(r->v + 2 * (i + 1), r->v + 2 * j,
		    (r->n - j) * 2 * sizeof(*r->v));
		r->n -= j - i - 1;
	}
	r->v[2 * i] = a;
	r->v[2 * i + 1] = b;
}

int
sp_ranges_meet(const struct sp_ranges *r, uint64_t a, uint64_t b)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[2 * i] < b && a < r->v[2 * i + 1])
			return 1;
	return 0;
}

/* The gain near range i alone. */
static double
near(const struct sp_ranges *r, size_t i, uint64_t s, uint64_t fade)
{
	uint64_t a = r->v[2 * i], b = r->v[2 * i + 1], d;

	if (s >= a && s < b)
		return 0;
	d = s < a ? a - s : s - b + 1;
	if (d >= fade)
		return 1;
	return 0.5 - 0.5 * cos(M_PI * (double)d / (double)fade);
}

double
sp_ranges_gain(const struct sp_ranges *r, uint64_t s, uint64_t fade,
    size_t *cursor)
{
	size_t i = *cursor;

	/* Pass the ranges whose fade-out lies wholly before s. */
	while (i < r->n && r->v[2 * i + 1] + fade <= s)
		i++;
	*cursor = i;
	if (i == r->n)
		return 1;
	if (i + 1 < r->n)
		return fmin(near(r, i, s, fade), near(r, i + 1, s, fade));
	return near(r, i, s, fade);
}
