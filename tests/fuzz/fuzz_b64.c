/* SPDX-License-Identifier: ISC */
/*
 * fuzz_b64: property checks of b64_decode() and b64_encode().
 *
 * 1. decode(encode(x)) == x for any bytes x.
 * 2. When decode(s) succeeds, it is canonical: encode(decode(s)) equals s
 *    with the FWS and the padding taken out, padding aside (b64.h: FWS is
 *    skipped and leftover bits must be zero, so no two spellings other than
 *    FWS and optional padding decode to the same bytes).
 * 3. Both functions append: bytes already in the buffer are left alone.
 *
 * A broken property abort()s, so libFuzzer saves the input.
 *
 * FUZZ_MAX_LEN: 8192
 * FUZZ_DICT: "="
 * FUZZ_DICT: "=="
 * FUZZ_DICT: "\x0d\x0a "
 * FUZZ_DICT: "\x0a\x09"
 * FUZZ_DICT: "+/"
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define PREFIX		"prefix\0!"
#define PREFIX_LEN	(sizeof(PREFIX) - 1)

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_b64: property failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

static bool
is_fws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* s without FWS and without '=' into out. */
static void
strip(struct buf *out, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!is_fws((unsigned char)s[i]) && s[i] != '=')
			buf_putc(out, s[i]);
}

static void
check_round_trip(const uint8_t *data, size_t size)
{
	struct buf	 enc = BUF_INIT, dec = BUF_INIT;
	size_t		 i;

	buf_append(&enc, PREFIX, PREFIX_LEN);
	b64_encode(&enc, data, size);
	REQUIRE(buf_ok(&enc));
	REQUIRE(enc.len >= PREFIX_LEN);
	REQUIRE(memcmp(enc.data, PREFIX, PREFIX_LEN) == 0);
	/* 4 characters per started group of 3 bytes, always padded */
	REQUIRE(enc.len - PREFIX_LEN == (size_t)(size + 2) / 3 * 4);
	for (i = PREFIX_LEN; i < enc.len; i++)
		REQUIRE(enc.data[i] != '\0' && !is_fws(
		    (unsigned char)enc.data[i]));
	REQUIRE(enc.data[enc.len] == '\0');

	buf_append(&dec, PREFIX, PREFIX_LEN);
	REQUIRE(b64_decode(&dec, enc.data + PREFIX_LEN, enc.len - PREFIX_LEN));
	REQUIRE(memcmp(dec.data, PREFIX, PREFIX_LEN) == 0);
	REQUIRE(dec.len - PREFIX_LEN == size);
	REQUIRE(size == 0 || memcmp(dec.data + PREFIX_LEN, data, size) == 0);
	buf_free(&enc);
	buf_free(&dec);
}

static void
check_decode(const uint8_t *data, size_t size)
{
	struct buf	 dec = BUF_INIT, enc = BUF_INIT, a = BUF_INIT,
			 b = BUF_INIT, again = BUF_INIT;
	const char	*s = (const char *)data;

	buf_append(&dec, PREFIX, PREFIX_LEN);
	if (!b64_decode(&dec, s, size))
		goto out;
	REQUIRE(buf_ok(&dec));
	REQUIRE(dec.len >= PREFIX_LEN);
	REQUIRE(memcmp(dec.data, PREFIX, PREFIX_LEN) == 0);
	REQUIRE(dec.data[dec.len] == '\0');

	/* canonical: re-encoding gives the same characters back */
	b64_encode(&enc, dec.data + PREFIX_LEN, dec.len - PREFIX_LEN);
	REQUIRE(buf_ok(&enc));
	strip(&a, s, size);
	strip(&b, enc.data != NULL ? enc.data : "", enc.len);
	REQUIRE(buf_ok(&a) && buf_ok(&b));
	if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data,
	    a.len) != 0)) {
		fprintf(stderr, "fuzz_b64: decode accepted \"%s\" but "
		    "re-encodes as \"%s\"\n", buf_cstr(&a), buf_cstr(&b));
		abort();
	}

	/* and decoding the re-encoding gives the same bytes */
	REQUIRE(b64_decode(&again, enc.data != NULL ? enc.data : "",
	    enc.len));
	REQUIRE(again.len == dec.len - PREFIX_LEN);
	REQUIRE(again.len == 0 || memcmp(again.data, dec.data + PREFIX_LEN,
	    again.len) == 0);
out:
	buf_free(&dec);
	buf_free(&enc);
	buf_free(&a);
	buf_free(&b);
	buf_free(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_round_trip(data, size);
	check_decode(data, size);
	return 0;
}
