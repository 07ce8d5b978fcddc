/* SPDX-License-Identifier: ISC */
/*
 * test_json: JSON strings from arbitrary bytes (RFC 8259 section 7):
 * '"' and '\' escaped, controls escaped, valid UTF-8 (RFC 3629) kept as is,
 * every byte of an invalid sequence replaced by \ufffd.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "base/json.h"

static void
check_json_n(const char *tname, const char *in, size_t len, const char *want)
{
	struct buf	 out = BUF_INIT;
	char		*copy;

	if ((copy = malloc(len ? len : 1)) == NULL)
		exit(2);
	memcpy(copy, in, len);
	json_str(&out, copy, len);
	CHECK_STR(tname, buf_cstr(&out), want);
	buf_free(&out);
	free(copy);
}

static void
check_json(const char *tname, const char *in, const char *want)
{
	check_json_n(tname, in, strlen(in), want);
}

static void
test_escapes(void)
{
	const char	 nul[] = "a\0b";

	check_json("json/plain", "hello", "\"hello\"");
	check_json("json/empty", "", "\"\"");
	check_json("json/quote", "a\"b", "\"a\\\"b\"");
	check_json("json/backslash", "a\\b", "\"a\\\\b\"");
	check_json("json/slash-kept", "a/b", "\"a/b\"");
	check_json("json/newline", "a\nb", "\"a\\nb\"");
	check_json("json/cr", "a\rb", "\"a\\rb\"");
	check_json("json/tab", "a\tb", "\"a\\tb\"");
	check_json("json/control-01", "\x01", "\"\\u0001\"");
	check_json("json/control-1f", "\x1f", "\"\\u001f\"");
	check_json("json/del", "\x7f", "\"\\u007f\"");
	check_json("json/space-and-tilde", " ~", "\" ~\"");
	check_json_n("json/nul", nul, sizeof(nul) - 1, "\"a\\u0000b\"");
	/* the length is the truth: nothing after it is read */
	check_json_n("json/length-bound", "abcdef", 3, "\"abc\"");
}

static void
test_utf8(void)
{
	check_json("json/utf8-2", "caf\xc3\xa9", "\"caf\xc3\xa9\"");
	check_json("json/utf8-3", "\xe2\x82\xac", "\"\xe2\x82\xac\"");
	check_json("json/utf8-4", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	/* boundaries: U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFD,
	 * U+10000, U+10FFFF */
	check_json("json/utf8-u0080", "\xc2\x80", "\"\xc2\x80\"");
	check_json("json/utf8-u07ff", "\xdf\xbf", "\"\xdf\xbf\"");
	check_json("json/utf8-u0800", "\xe0\xa0\x80", "\"\xe0\xa0\x80\"");
	check_json("json/utf8-ud7ff", "\xed\x9f\xbf", "\"\xed\x9f\xbf\"");
	check_json("json/utf8-ue000", "\xee\x80\x80", "\"\xee\x80\x80\"");
	check_json("json/utf8-ufffd", "\xef\xbf\xbd", "\"\xef\xbf\xbd\"");
	check_json("json/utf8-u10000", "\xf0\x90\x80\x80",
	    "\"\xf0\x90\x80\x80\"");
	check_json("json/utf8-u10ffff", "\xf4\x8f\xbf\xbf",
	    "\"\xf4\x8f\xbf\xbf\"");
}

#define R	"\\ufffd"

static void
test_invalid(void)
{
	check_json("json/bad-ff", "a\xff" "b", "\"a" R "b\"");
	check_json("json/bad-fe", "\xfe", "\"" R "\"");
	check_json("json/bad-lone-continuation", "\x80", "\"" R "\"");
	check_json("json/bad-latin1", "caf\xe9!", "\"caf" R "!\"");
	check_json("json/bad-truncated-2-at-end", "a\xc3", "\"a" R "\"");
	check_json("json/bad-truncated-2", "\xc3(", "\"" R "(\"");
	check_json("json/bad-truncated-3", "\xe2\x82" "A", "\"" R R "A\"");
	check_json("json/bad-truncated-4-at-end", "\xf0\x9f\x98",
	    "\"" R R R "\"");
	/* overlong forms: C0/C1 lead bytes, E0 80..9F, F0 80..8F */
	check_json("json/overlong-c0", "\xc0\xaf", "\"" R R "\"");
	check_json("json/overlong-c1", "\xc1\xbf", "\"" R R "\"");
	check_json("json/overlong-e0", "\xe0\x80\xaf", "\"" R R R "\"");
	check_json("json/overlong-e0-9f", "\xe0\x9f\xbf", "\"" R R R "\"");
	check_json("json/overlong-f0", "\xf0\x80\x80\xaf", "\"" R R R R "\"");
	check_json("json/overlong-f0-8f", "\xf0\x8f\xbf\xbf",
	    "\"" R R R R "\"");
	/* surrogates U+D800..U+DFFF are not characters */
	check_json("json/surrogate-d800", "\xed\xa0\x80", "\"" R R R "\"");
	check_json("json/surrogate-dfff", "\xed\xbf\xbf", "\"" R R R "\"");
	check_json("json/surrogate-pair-cesu", "\xed\xa0\xbd\xed\xb8\x80",
	    "\"" R R R R R R "\"");
	/* beyond U+10FFFF */
	check_json("json/above-10ffff", "\xf4\x90\x80\x80", "\"" R R R R "\"");
	check_json("json/lead-f5", "\xf5\x80\x80\x80", "\"" R R R R "\"");
	check_json("json/lead-f8", "\xf8\x88\x80\x80\x80",
	    "\"" R R R R R "\"");
	/* a good character right after a bad byte survives */
	check_json("json/bad-then-good", "\xff\xc3\xa9", "\"" R "\xc3\xa9\"");
	/* a control after a truncated lead byte is still escaped */
	check_json("json/truncated-then-newline", "\xc3\n", "\"" R "\\n\"");
}

static void
test_kv(void)
{
	struct buf	 b = BUF_INIT;
	bool		 first = true;

	buf_putc(&b, '{');
	json_kv_str(&b, "a", "x", &first);
	json_kv_int(&b, "n", -5, &first);
	json_kv_bool(&b, "t", true, &first);
	json_kv_bool(&b, "f", false, &first);
	json_kv_null(&b, "z", &first);
	json_kv_str(&b, "s", NULL, &first);
	buf_putc(&b, '}');
	CHECK_STR("json/kv-object", buf_cstr(&b),
	    "{\"a\":\"x\",\"n\":-5,\"t\":true,\"f\":false,\"z\":null,"
	    "\"s\":null}");
	CHECK_TRUE("json/kv-first-cleared", !first);

	buf_reset(&b);
	first = true;
	json_kv_int(&b, "min", INT64_MIN, &first);
	json_kv_int(&b, "max", INT64_MAX, &first);
	CHECK_STR("json/kv-int-extremes", buf_cstr(&b),
	    "\"min\":-9223372036854775808,\"max\":9223372036854775807");

	buf_reset(&b);
	first = true;
	json_key(&b, "we\"ird\n", &first);
	json_cstr(&b, "v\\");
	CHECK_STR("json/key-escaped", buf_cstr(&b),
	    "\"we\\\"ird\\n\":\"v\\\\\"");

	buf_reset(&b);
	json_cstr(&b, NULL);
	CHECK_STR("json/cstr-null", buf_cstr(&b), "null");
	buf_free(&b);
}

int
main(void)
{
	test_escapes();
	test_utf8();
	test_invalid();
	test_kv();
	return UNIT_DONE();
}
