/* SPDX-License-Identifier: ISC */
/*
 * hex: hexadecimal digits, for quoted-printable and dkim-quoted-printable
 * decoding (either case accepted) and for fingerprints and bytea values
 * (written in lower case).
 */
#ifndef FBL_HEX_H
#define FBL_HEX_H

#include <stddef.h>

#include "base/buf.h"

/* The value of the digit c (0-9, a-f, A-F), or -1. */
int	 hex_digit(int c);
/* Append p[0..len) as lower-case hex digits. */
void	 hex_put(struct buf *, const unsigned char *p, size_t len);

#endif
