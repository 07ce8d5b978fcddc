/*
 * explain: the debugging view of `fblscope verify --explain`: every tag as
 * parsed, the DNS name, answer and key, the canonical header block exactly as
 * hashed, the body hashes, and for a failure a diagnosis of the failing step
 * and its likely cause (see diagnose.h).
 */
#ifndef FBL_EXPLAIN_H
#define FBL_EXPLAIN_H

#include "base/buf.h"
#include "verifier/verify.h"

void	 explain_render(struct buf *, const char *file,
	    const struct verify_result *);

#endif
