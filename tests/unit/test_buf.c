/* SPDX-License-Identifier: ISC */
/*
 * test_buf: buf_put_visible, the one escaper of text output (issue 11,
 * item 10): C0 controls, DEL, raw 8-bit bytes that are not UTF-8, UTF-8
 * encoded C1 controls and bidi overrides are shown, never passed to a
 * terminal; other UTF-8 is kept as it is.
 */
#include "base/buf.h"
#include "tests/unit/unit.h"

static const char *
visible(const char *s, size_t len)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	buf_put_visible(&b, s, len);
	return buf_cstr(&b);
}

#define V(s)	visible((s), sizeof(s) - 1)

int
main(void)
{
	CHECK_STR("buf/visible-ascii", V("plain text"), "plain text");
	CHECK_STR("buf/visible-esc", V("a\033[31mred"), "a\\x1b[31mred");
	CHECK_STR("buf/visible-crlf-tab", V("a\r\n\tb"), "a\\r\\n\\tb");
	CHECK_STR("buf/visible-backslash", V("a\\b"), "a\\\\b");
	CHECK_STR("buf/visible-nul-del", V("a\0b\177"), "a\\x00b\\x7f");
	/* 0x9b alone is CSI on a terminal that reads 8-bit controls */
	CHECK_STR("buf/visible-raw-c1", V("x\x9b" "31m"), "x\\x9b31m");
	CHECK_STR("buf/visible-utf8-c1", V("x\xc2\x9b" "31m"), "x\\u009b31m");
	CHECK_STR("buf/visible-bidi-rlo", V("evil\xe2\x80\xae" "txt.exe"),
	    "evil\\u202etxt.exe");
	CHECK_STR("buf/visible-bidi-isolate", V("\xe2\x81\xa6" "x"),
	    "\\u2066x");
	CHECK_STR("buf/visible-utf8-kept", V("caf\xc3\xa9 \xe2\x82\xac"),
	    "caf\xc3\xa9 \xe2\x82\xac");
	CHECK_STR("buf/visible-latin1", V("caf\xe9"), "caf\\xe9");
	CHECK_STR("buf/visible-overlong", V("\xc0\x80"), "\\xc0\\x80");
	CHECK_STR("buf/visible-surrogate", V("\xed\xa0\x80"),
	    "\\xed\\xa0\\x80");
	CHECK_STR("buf/visible-truncated", V("a\xe2\x80"), "a\\xe2\\x80");
	return UNIT_DONE();
}
