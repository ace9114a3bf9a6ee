/* fuzz_recorder: the HLS chunk cleaners (sp_chunk_clean; sp_chunk_clean_ts
 * for video) and the AES-128 decryption before them (sp_chunk_decrypt)
 * on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adts.h"
#include "recorder.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * On success the output is nothing but whole ADTS frames of one format,
 * each of them taken as it is, in order, from the input: the struct's
 * counts are theirs, and what was left out is the rest of the input.
 */
static void
check(const uint8_t *in, size_t n, const struct sp_chunk *c)
{
	struct sp_adts_frame f;
	const uint8_t *at, *from = in;
	uint64_t frames = 0, samples = 0;
	size_t pos;

	if (c->data == NULL || c->len == 0 || c->len > n ||
	    c->len + c->dropped != n || c->frames == 0 ||
	    c->sample_rate == 0)
		__builtin_trap();
	for (pos = 0; pos < c->len; pos += f.length) {
		if (sp_adts_header(c->data + pos, c->len - pos, &f) != 0 ||
		    f.length < f.header_len || f.length > c->len - pos ||
		    f.sample_rate != c->sample_rate ||
		    f.channels != c->channels || f.profile != c->profile)
			__builtin_trap();
		/* Not made up: the same bytes, further on in the input. */
		at = memmem(from, (size_t)(in + n - from), c->data + pos,
		    f.length);
		if (at == NULL)
			__builtin_trap();
		from = at + f.length;
		frames++;
		samples += f.samples;
	}
	if (pos != c->len || frames != c->frames || samples != c->samples)
		__builtin_trap();
	/* The tags' wall clock comes from a tag. */
	if (c->ntp_ms != 0 && memmem(in, n, "ID3", 3) == NULL)
		__builtin_trap();
}

/*
 * An encrypted chunk: the first 32 bytes are the key and IV, the rest the
 * cipher text.  Decryption never writes past it and never grows it.
 */
static void
decrypt(const uint8_t *data, size_t size)
{
	uint8_t *buf;
	size_t len = 1;
	char err[128];

	if (size < 32)
		return;
	buf = malloc(size - 32 + 1);
	if (buf == NULL)
		return;
	memcpy(buf, data + 32, size - 32);
	if (sp_chunk_decrypt(buf, size - 32, data, data + 16, &len, err,
	    sizeof(err)) == 0) {
		if (len > size - 32 || (size - 32) - len > 16 ||
		    (size - 32) - len == 0)
			__builtin_trap();
	} else if (len != 0 || err[0] == '\0')
		__builtin_trap();
	free(buf);
}

/*
 * A video chunk: whole packets, each with its sync byte, the input's
 * tail; what was left out is its head.
 */
static void
ts(const uint8_t *data, size_t size)
{
	struct sp_chunk c;
	char err[128];
	size_t k;

	if (sp_chunk_clean_ts(data, size, &c, err, sizeof(err)) != 0) {
		if (c.data != NULL || err[0] == '\0')
			__builtin_trap();
		return;
	}
	if (c.len == 0 || c.len % 188 != 0 || c.len + c.dropped != size ||
	    c.frames != c.len / 188 ||
	    memcmp(c.data, data + c.dropped, c.len) != 0)
		__builtin_trap();
	for (k = 0; k < c.len; k += 188)
		if (c.data[k] != 0x47)
			__builtin_trap();
	sp_chunk_release(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_chunk c, again;
	char err[128];

	memset(err, 'x', sizeof(err));
	decrypt(data, size);
	ts(data, size);
	if (sp_chunk_clean(data, size, &c, err, sizeof(err)) != 0) {
		/* A failure says why and leaves nothing to free. */
		if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0' ||
		    c.data != NULL || c.len != 0 || c.frames != 0)
			__builtin_trap();
		return 0;
	}
	check(data, size, &c);

	/* Clean output is clean: a second pass keeps all of it. */
	if (sp_chunk_clean(c.data, c.len, &again, err, sizeof(err)) != 0 ||
	    again.len != c.len || memcmp(again.data, c.data, c.len) != 0 ||
	    again.frames != c.frames || again.samples != c.samples ||
	    again.dropped != 0 || again.sample_rate != c.sample_rate ||
	    again.channels != c.channels || again.profile != c.profile)
		__builtin_trap();
	sp_chunk_release(&again);
	sp_chunk_release(&c);
	return 0;
}
