/* SPDX-License-Identifier: ISC */
/*
 * ascii: character classes of the protocols fblscope reads (RFC 5322,
 * RFC 6376, RFC 2045, DNS), by byte value and never by locale: isalpha()
 * and tolower() follow LC_CTYPE, and a header field's meaning must not.
 * Every function takes any byte (a char, signed or not, or an int from a
 * byte) and is false for bytes of 0x80 and above.
 */
#ifndef FBL_BASE_ASCII_H
#define FBL_BASE_ASCII_H

#include <stdbool.h>

/* WSP of RFC 5234: space and horizontal tab. */
static inline bool
ascii_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static inline bool
ascii_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
ascii_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A-Z to a-z; every other byte as it is. */
static inline int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

#endif
