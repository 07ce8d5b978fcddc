/* SPDX-License-Identifier: ISC */
/*
 * test_b64: base64 as RFC 6376 section 2.7 uses it (base64string: FWS
 * anywhere between characters, optional but correct padding), and the
 * encoder.  Known answers are the RFC 4648 section 10 test vectors.
 */
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "base/b64.h"

/* Decode s from an exact-size heap copy; *out holds the result. */
static bool
dec_n(struct buf *out, const char *s, size_t len)
{
	char	*copy;
	bool	 ok;

	if ((copy = malloc(len ? len : 1)) == NULL)
		exit(2);
	if (len > 0)
		memcpy(copy, s, len);
	buf_reset(out);
	ok = b64_decode(out, copy, len);
	free(copy);
	return ok;
}

static bool
dec(struct buf *out, const char *s)
{
	return dec_n(out, s, strlen(s));
}

static void
check_dec(const char *tname, const char *in, const char *want)
{
	struct buf	 out = BUF_INIT;
	char		 n[128];

	snprintf(n, sizeof(n), "%s-ok", tname);
	CHECK_TRUE(n, dec(&out, in));
	CHECK_MEM(tname, buf_cstr(&out), out.len, want, strlen(want));
	buf_free(&out);
}

static void
check_bad(const char *tname, const char *in, size_t len)
{
	struct buf	 out = BUF_INIT;

	CHECK_TRUE(tname, !dec_n(&out, in, len));
	buf_free(&out);
}

static void
check_enc(const char *tname, const char *in, const char *want)
{
	struct buf	 out = BUF_INIT;

	b64_encode(&out, in, strlen(in));
	CHECK_MEM(tname, buf_cstr(&out), out.len, want, strlen(want));
	buf_free(&out);
}

static void
test_rfc4648(void)
{
	check_enc("b64/enc-empty", "", "");
	check_enc("b64/enc-f", "f", "Zg==");
	check_enc("b64/enc-fo", "fo", "Zm8=");
	check_enc("b64/enc-foo", "foo", "Zm9v");
	check_enc("b64/enc-foob", "foob", "Zm9vYg==");
	check_enc("b64/enc-fooba", "fooba", "Zm9vYmE=");
	check_enc("b64/enc-foobar", "foobar", "Zm9vYmFy");

	check_dec("b64/dec-empty", "", "");
	check_dec("b64/dec-f", "Zg==", "f");
	check_dec("b64/dec-fo", "Zm8=", "fo");
	check_dec("b64/dec-foo", "Zm9v", "foo");
	check_dec("b64/dec-foob", "Zm9vYg==", "foob");
	check_dec("b64/dec-fooba", "Zm9vYmE=", "fooba");
	check_dec("b64/dec-foobar", "Zm9vYmFy", "foobar");
}

static void
test_padding(void)
{
	/* the ABNF makes padding optional: unpadded final quanta decode */
	check_dec("b64/unpadded-two", "Zg", "f");
	check_dec("b64/unpadded-three", "Zm8", "fo");
	check_dec("b64/unpadded-long", "Zm9vYg", "foob");

	/* present padding must complete the quantum */
	check_bad("b64/pad-one-short", "Zg=", 3);
	check_bad("b64/pad-too-many", "Zg===", 5);
	check_bad("b64/pad-extra-for-three", "Zm8==", 5);
	check_bad("b64/pad-on-full-quantum", "Zm9v=", 5);
	check_bad("b64/pad-alone", "=", 1);
	check_bad("b64/pad-only-two", "==", 2);
	check_bad("b64/pad-only-four", "====", 4);
	check_bad("b64/data-after-pad", "Zg==Zg==", 8);
	check_bad("b64/char-after-pad", "Zm8=a", 5);
	/* one character alone cannot make an octet */
	check_bad("b64/single-char", "Z", 1);
	check_bad("b64/five-chars", "Zm9vY", 5);
	/* leftover bits must be zero: "Zh==" is not the encoding of "f" */
	check_bad("b64/nonzero-pad-bits-2", "Zh==", 4);
	check_bad("b64/nonzero-pad-bits-3", "Zm9=", 4);
}

static void
test_whitespace(void)
{
	check_dec("b64/ws-inside", "Zm 9v\tYm\r\nFy", "foobar");
	check_dec("b64/ws-folded", "Zm9v\r\n Ym\r\n\tFy", "foobar");
	check_dec("b64/ws-lf-folded", "Zm9v\n Ym\n\tFy", "foobar");
	check_dec("b64/ws-leading-trailing", "  Zm9v  ", "foo");
	check_dec("b64/ws-in-padding", "Zg = =", "f");
	check_dec("b64/ws-fold-in-padding", "Zg=\r\n =", "f");
	check_dec("b64/ws-only", " \t\r\n", "");
}

static void
test_invalid(void)
{
	const char	 nul[] = "Zm\0v";

	check_bad("b64/bad-dash-urlsafe", "Zm-v", 4);
	check_bad("b64/bad-underscore-urlsafe", "Zm_v", 4);
	check_bad("b64/bad-dot", "Zm.v", 4);
	check_bad("b64/bad-nul", nul, sizeof(nul) - 1);
	check_bad("b64/bad-8bit", "Zm\xc3\xa9", 4);
	check_bad("b64/bad-semicolon", "Zm9v;", 5);
	check_bad("b64/bad-vertical-tab", "Zm\v9v", 5);
	check_bad("b64/bad-quote", "\"Zm9v\"", 6);
}

static void
test_binary(void)
{
	static const unsigned char	 b[] = { 0xfb, 0xff, 0xbf };
	struct buf			 out = BUF_INIT;

	/* '+' is 62 and '/' is 63: "+/+/" = 111110 111111 111110 111111 */
	CHECK_TRUE("b64/plus-slash-ok", dec(&out, "+/+/"));
	CHECK_MEM("b64/plus-slash", buf_cstr(&out), out.len, b, 3);
	buf_reset(&out);
	b64_encode(&out, b, 3);
	CHECK_MEM("b64/plus-slash-enc", buf_cstr(&out), out.len, "+/+/", 4);

	/* decode appends to what the buffer holds */
	buf_reset(&out);
	buf_puts(&out, "X");
	CHECK_TRUE("b64/appends-ok", b64_decode(&out, "Zm9v", 4));
	CHECK_MEM("b64/appends", buf_cstr(&out), out.len, "Xfoo", 4);
	buf_reset(&out);
	buf_puts(&out, "X");
	b64_encode(&out, "f", 1);
	CHECK_MEM("b64/enc-appends", buf_cstr(&out), out.len, "XZg==", 5);
	buf_free(&out);
}

static void
test_round_trip(void)
{
	unsigned char	 raw[3000];
	struct buf	 enc = BUF_INIT, dec_out = BUF_INIT;
	struct buf	 folded = BUF_INIT;
	size_t		 len, i;
	bool		 all = true;

	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7 + (i >> 8));
	/* every length 0..70: encoded length 4*ceil(n/3), decodes back */
	for (len = 0; len <= 70; len++) {
		buf_reset(&enc);
		b64_encode(&enc, raw + 5, len);
		if (enc.len != (len + 2) / 3 * 4 ||
		    !dec_n(&dec_out, enc.data, enc.len) ||
		    dec_out.len != len ||
		    (len > 0 && memcmp(dec_out.data, raw + 5, len) != 0)) {
			all = false;
			printf("# round trip failed at length %zu\n", len);
			break;
		}
	}
	CHECK_TRUE("b64/round-trip-lengths", all);

	/* a long value folded every 64 characters as in a DKIM header */
	buf_reset(&enc);
	b64_encode(&enc, raw, sizeof(raw));
	CHECK_INT("b64/round-trip-long-enc-len", enc.len, 4000);
	for (i = 0; i < enc.len; i += 64) {
		if (i > 0)
			buf_puts(&folded, "\r\n\t");
		buf_append(&folded, enc.data + i,
		    enc.len - i < 64 ? enc.len - i : 64);
	}
	CHECK_TRUE("b64/round-trip-folded-ok",
	    dec_n(&dec_out, folded.data, folded.len));
	CHECK_MEM("b64/round-trip-folded", buf_cstr(&dec_out), dec_out.len, raw,
	    sizeof(raw));

	/* all 256 byte values */
	for (i = 0; i < 256; i++)
		raw[i] = (unsigned char)i;
	buf_reset(&enc);
	b64_encode(&enc, raw, 256);
	CHECK_TRUE("b64/round-trip-all-bytes-ok",
	    dec_n(&dec_out, enc.data, enc.len));
	CHECK_MEM("b64/round-trip-all-bytes", buf_cstr(&dec_out), dec_out.len,
	    raw, 256);
	/* the encoding of 0x00..0x02 is "AAEC" */
	CHECK_MEM("b64/enc-0-1-2", enc.data, 4, "AAEC", 4);
	buf_free(&enc);
	buf_free(&dec_out);
	buf_free(&folded);
}

int
main(void)
{
	test_rfc4648();
	test_padding();
	test_whitespace();
	test_invalid();
	test_binary();
	test_round_trip();
	return UNIT_DONE();
}
