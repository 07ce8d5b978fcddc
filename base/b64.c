/* SPDX-License-Identifier: ISC */
/* b64: whitespace-tolerant base64; see b64.h. */
#include <pthread.h>
#include <string.h>

#include "base/b64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* -1 junk, -2 space (skipped), -3 '=', else the 6-bit value */
static signed char	b64_table[256];
static pthread_once_t	b64_once = PTHREAD_ONCE_INIT;

static void
b64_table_init(void)
{
	int	 i;

	memset(b64_table, -1, sizeof(b64_table));
	for (i = 0; i < 64; i++)
		b64_table[(unsigned char)alphabet[i]] = (signed char)i;
	b64_table[' '] = b64_table['\t'] = b64_table['\r'] =
	    b64_table['\n'] = -2;
	b64_table['='] = -3;
}

bool
b64_decode(struct buf *out, const char *s, size_t len)
{
	unsigned	 acc = 0, nbits = 0, npad = 0, nchars = 0;
	unsigned char	*o;
	size_t		 i;
	int		 v;

	if (!buf_reserve(out, len / 4 * 3 + 3))
		return false;
	o = (unsigned char *)out->data + out->len;
	pthread_once(&b64_once, b64_table_init);
	for (i = 0; i < len; i++) {
		v = b64_table[(unsigned char)s[i]];
		if (v == -2)
			continue;
		if (v == -3) {
			npad++;
			continue;
		}
		if (npad > 0 || v < 0)
			return false;	/* data after padding, or junk */
		nchars++;
		acc = (acc << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			*o++ = (unsigned char)((acc >> nbits) & 0xff);
		}
	}
	out->len = (size_t)(o - (unsigned char *)out->data);
	out->data[out->len] = '\0';
	/* leftover bits must be zero and padding must complete the quantum */
	if (nchars % 4 == 1)
		return false;
	if (npad > 0 && (nchars + npad) % 4 != 0)
		return false;
	if (npad > 2)
		return false;
	if (nbits > 0 && (acc & ((1u << nbits) - 1)) != 0)
		return false;
	return true;
}

void
b64_encode(struct buf *out, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t	 i;
	unsigned v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
		buf_putc(out, alphabet[v >> 18]);
		buf_putc(out, alphabet[(v >> 12) & 63]);
		buf_putc(out, alphabet[(v >> 6) & 63]);
		buf_putc(out, alphabet[v & 63]);
	}
	if (len - i == 1) {
		v = (unsigned)s[i] << 16;
		buf_putc(out, alphabet[v >> 18]);
		buf_putc(out, alphabet[(v >> 12) & 63]);
		buf_puts(out, "==");
	} else if (len - i == 2) {
		v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8;
		buf_putc(out, alphabet[v >> 18]);
		buf_putc(out, alphabet[(v >> 12) & 63]);
		buf_putc(out, alphabet[(v >> 6) & 63]);
		buf_putc(out, '=');
	}
}
