/* SPDX-License-Identifier: ISC */
/* buf: growable byte string, see buf.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = false;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

bool
buf_reserve(struct buf *b, size_t extra)
{
	size_t	 want, ncap;
	char	*p;

	if (b->oom)
		return false;
	if (extra > SIZE_MAX - b->len - 1)
		goto fail;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 64;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2) {
			ncap = want;
			break;
		}
		ncap *= 2;
	}
	if ((p = realloc(b->data, ncap)) == NULL)
		goto fail;
	b->data = p;
	b->cap = ncap;
	return true;
fail:
	b->oom = true;
	return false;
}

void
buf_append(struct buf *b, const void *p, size_t len)
{
	if (!buf_reserve(b, len))
		return;
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char	 ch = (char)c;

	buf_append(b, &ch, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (!buf_reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/*
 * The length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, at most U+10FFFF) and its code point, or 0.
 */
static size_t
utf8_seq(const unsigned char *s, size_t len, unsigned long *cp)
{
	size_t	 n, k;
	unsigned long c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return n;
}

/*
 * Code points a terminal acts on rather than shows: the C1 controls (0x9b
 * is CSI, as ESC [ is), and the bidirectional formatting characters, which
 * reorder what follows them on the line (U+202E makes "exe.txt" of
 * "txt.exe").
 */
static bool
invisible(unsigned long c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e ||
	    c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

void
buf_put_visible(struct buf *b, const void *p, size_t len)
{
	const unsigned char *s = p;
	unsigned long	 cp;
	size_t		 i, n;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\r':
			buf_puts(b, "\\r");
			continue;
		case '\n':
			buf_puts(b, "\\n");
			continue;
		case '\t':
			buf_puts(b, "\\t");
			continue;
		case '\\':
			buf_puts(b, "\\\\");
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			buf_printf(b, "\\x%02x", s[i]);
			continue;
		}
		if (s[i] < 0x80) {
			buf_putc(b, s[i]);
			continue;
		}
		/* valid UTF-8 is kept, but for what a terminal acts on */
		if ((n = utf8_seq(s + i, len - i, &cp)) == 0)
			buf_printf(b, "\\x%02x", s[i]);
		else if (invisible(cp)) {
			buf_printf(b, "\\u%04lx", cp);
			i += n - 1;
		} else {
			buf_append(b, s + i, n);
			i += n - 1;
		}
	}
}

void
buf_put_safe(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_putc(b, '?');
	else
		buf_put_visible(b, s, strlen(s));
}

void
buf_put_hex(struct buf *b, const void *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	size_t	 i;

	if (!buf_reserve(b, len * 2))
		return;
	for (i = 0; i < len; i++) {
		b->data[b->len++] = hex[s[i] >> 4];
		b->data[b->len++] = hex[s[i] & 15];
	}
	b->data[b->len] = '\0';
}

const char *
buf_cstr(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

bool
buf_ok(const struct buf *b)
{
	return !b->oom;
}

char *
buf_steal(struct buf *b)
{
	char	*s;

	if (b->oom) {
		buf_free(b);
		return NULL;
	}
	s = b->data != NULL ? b->data : strdup("");
	buf_init(b);
	return s;
}

const char *
mem_find(const char *hay, size_t hay_len, const char *needle,
    size_t needle_len)
{
	const char	*p, *end;

	if (needle_len == 0)
		return hay;
	if (needle_len > hay_len)
		return NULL;
	end = hay + hay_len - needle_len;
	for (p = hay; p <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, needle_len) == 0)
			return p;
	}
	return NULL;
}
