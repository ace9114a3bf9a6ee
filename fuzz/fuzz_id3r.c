/* fuzz_id3r: the ID3v2/ID3v1 reader and the MP3 info frame on any bytes. */
#include <stdint.h>
#include <string.h>

#include "id3r.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BODYMAX	(1u << 20)

static uint8_t tag[10 + BODYMAX];

/* Is s well-formed UTF-8, as everything the reader gives must be? */
static int
utf8_ok(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	uint32_t c;
	size_t n, i;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xC2 && *p <= 0xDF)
			n = 2, c = *p & 0x1F;
		else if (*p >= 0xE0 && *p <= 0xEF)
			n = 3, c = *p & 0x0F;
		else if (*p >= 0xF0 && *p <= 0xF4)
			n = 4, c = *p & 0x07;
		else
			return 0;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (p[i] & 0x3F);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		p += n;
	}
	return 1;
}

static void
check(const struct sp_id3r *t)
{
	const struct sp_id3r_chapter *c;
	size_t i, j;

	if (t->ntags > SP_ID3R_MAXTAGS || t->nchapters > SP_ID3R_MAXCHAP ||
	    (t->version == 0) != (t->tags_read == 0) ||
	    (t->version != 0 && (t->version < 2 || t->version > 4)))
		__builtin_trap();
	for (i = 0; i < t->ntags; i++) {
		if (t->tags[i].key[0] == '\0' || t->tags[i].value[0] == '\0' ||
		    strlen(t->tags[i].value) > SP_ID3R_VALMAX ||
		    !utf8_ok(t->tags[i].key) || !utf8_ok(t->tags[i].value))
			__builtin_trap();
		/* One value a key: the first. */
		for (j = 0; j < i; j++)
			if (strcmp(t->tags[j].key, t->tags[i].key) == 0)
				__builtin_trap();
	}
	for (i = 0; i < t->nchapters; i++) {
		c = &t->chapters[i];
		if (c->title == NULL || c->id == NULL || strlen(c->id) > 64 ||
		    strlen(c->title) > SP_ID3R_VALMAX || !utf8_ok(c->title) ||
		    (c->url != NULL && (c->url[0] == '\0' || !utf8_ok(c->url))))
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_id3r t;
	struct sp_mp3_info x;
	struct sp_mp3_frame f;
	size_t body, said;
	unsigned v;

	/* The bytes as a file holds them: a tag, an ID3v1 trailer. */
	sp_id3r_init(&t);
	if (sp_id3r_parse(&t, data, size) == 0 && t.tags_read != 1)
		__builtin_trap();
	if (size >= 128)
		sp_id3r_v1(&t, data + size - 128, 128);
	check(&t);
	sp_id3r_release(&t);

	/*
	 * The rest after a valid tag header, so that the frames are reached
	 * at once: data[0] says the version and by how much the size claims
	 * more than there is, data[1] the tag flags.  Read twice, merged.
	 */
	if (size >= 2 && size - 2 <= BODYMAX) {
		v = 2 + data[0] % 3;
		body = size - 2;
		said = body + (data[0] >> 5) * 7;
		memcpy(tag, "ID3", 3);
		tag[3] = (uint8_t)v;
		tag[4] = 0;
		tag[5] = data[1] & (v == 2 ? 0xC0 : v == 3 ? 0xE0 : 0xF0);
		tag[6] = said >> 21 & 0x7F;
		tag[7] = said >> 14 & 0x7F;
		tag[8] = said >> 7 & 0x7F;
		tag[9] = said & 0x7F;
		memcpy(tag + 10, data + 2, body);
		if (sp_id3r_parse(&t, tag, 10 + body) != 0 ||
		    sp_id3r_parse(&t, tag, 10 + body) != 0 ||
		    t.tags_read != 2 || t.version != v)
			__builtin_trap();
		check(&t);
		sp_id3r_release(&t);
	}

	if (sp_mp3_info(data, size, &x) == 0) {
		if (x.offset > 4096 || x.offset + 4 > size ||
		    sp_mp3_header(data + x.offset, size - x.offset, &f) != 0 ||
		    f.length != x.frame.length || x.frame.length < 4 ||
		    x.frame.sample_rate == 0 || x.frame.bitrate == 0 ||
		    (x.kind[0] == '\0' && (x.frames || x.bytes)))
			__builtin_trap();
	}
	return 0;
}
