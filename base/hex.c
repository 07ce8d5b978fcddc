/* SPDX-License-Identifier: ISC */
/* hex: see hex.h. */
#include "base/hex.h"

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void
hex_put(struct buf *b, const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < len; i++) {
		buf_putc(b, digits[p[i] >> 4]);
		buf_putc(b, digits[p[i] & 15]);
	}
}
