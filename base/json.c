/* SPDX-License-Identifier: ISC */
/* json: string escaping and key/value helpers; see json.h. */
#include <string.h>

#include "base/json.h"

/* Length of a valid UTF-8 sequence at p (RFC 3629), or 0. */
static size_t
utf8_seq(const unsigned char *p, size_t len)
{
	size_t	 n, i;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void
json_str(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 i = 0, n;

	buf_putc(b, '"');
	while (i < len) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, c);
			i++;
		} else if (c == '\n') {
			buf_puts(b, "\\n"), i++;
		} else if (c == '\r') {
			buf_puts(b, "\\r"), i++;
		} else if (c == '\t') {
			buf_puts(b, "\\t"), i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\u%04x", c), i++;
		} else if ((n = utf8_seq(p + i, len - i)) == 0) {
			buf_puts(b, "\\ufffd"), i++;
		} else {
			buf_append(b, p + i, n);
			i += n;
		}
	}
	buf_putc(b, '"');
}

void
json_cstr(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_puts(b, "null");
	else
		json_str(b, s, strlen(s));
}

void
json_key(struct buf *b, const char *key, bool *first)
{
	if (!*first)
		buf_putc(b, ',');
	*first = false;
	json_cstr(b, key);
	buf_putc(b, ':');
}

void
json_kv_str(struct buf *b, const char *key, const char *v, bool *first)
{
	json_key(b, key, first);
	json_cstr(b, v);
}

void
json_kv_int(struct buf *b, const char *key, int64_t v, bool *first)
{
	json_key(b, key, first);
	buf_printf(b, "%lld", (long long)v);
}

void
json_kv_uint(struct buf *b, const char *key, uint64_t v, bool *first)
{
	json_key(b, key, first);
	buf_printf(b, "%llu", (unsigned long long)v);
}

void
json_kv_bool(struct buf *b, const char *key, bool v, bool *first)
{
	json_key(b, key, first);
	buf_puts(b, v ? "true" : "false");
}

void
json_kv_null(struct buf *b, const char *key, bool *first)
{
	json_key(b, key, first);
	buf_puts(b, "null");
}
