/* b64: whitespace-tolerant base64; see b64.h. */
#include "verifier/b64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool
b64_decode(struct buf *out, const char *s, size_t len)
{
	unsigned	 acc = 0, nbits = 0, npad = 0, nchars = 0;
	size_t		 i;
	int		 v;

	if (!buf_reserve(out, len / 4 * 3 + 3))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_space(c))
			continue;
		if (c == '=') {
			npad++;
			continue;
		}
		if (npad > 0 || (v = b64_value(c)) < 0)
			return false;	/* data after padding, or junk */
		nchars++;
		acc = (acc << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			buf_putc(out, (int)((acc >> nbits) & 0xff));
		}
	}
	/* leftover bits must be zero and padding must complete the quantum */
	if (nchars % 4 == 1)
		return false;
	if (npad > 0 && (nchars + npad) % 4 != 0)
		return false;
	if (npad > 2)
		return false;
	if (nbits > 0 && (acc & ((1u << nbits) - 1)) != 0)
		return false;
	return buf_ok(out);
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
