/* SPDX-License-Identifier: ISC */
/*
 * b64: base64 as DKIM uses it (RFC 6376 section 2.7 base64string): FWS may
 * stand anywhere between characters and is skipped; padding must be right.
 */
#ifndef FBL_B64_H
#define FBL_B64_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* Decode into out (appended).  false on a bad character or bad padding. */
bool	 b64_decode(struct buf *out, const char *, size_t);
/* Encode, appending to out. */
void	 b64_encode(struct buf *out, const void *, size_t);

#endif
