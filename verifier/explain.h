/* SPDX-License-Identifier: ISC */
/*
 * explain: the debugging view of `fblscope verify --explain`: every tag as
 * parsed, the DNS name, answer and key, the canonical header block exactly as
 * hashed, the body hashes, and for a failure a diagnosis of the failing step
 * and its likely cause (see diagnose.h).
 *
 * What it prints is bounded whatever the message: tag values and key
 * records are cut at 120 and 200 bytes, the signed header block shows
 * EXPLAIN_MAX_LINE bytes a line and EXPLAIN_MAX_BLOCK bytes in all, each
 * cut saying how many bytes were not shown; the diagnosis has its own
 * work bound (diagnose.h).
 */
#ifndef FBL_EXPLAIN_H
#define FBL_EXPLAIN_H

#include "base/buf.h"
#include "verifier/diagnose.h"
#include "verifier/render.h"
#include "verifier/verify.h"

#define EXPLAIN_MAX_LINE	512		/* bytes of one field line */
#define EXPLAIN_MAX_BLOCK	(16u * 1024)	/* bytes of a header block */

/*
 * The lines of a signed header block as shown, in every format: the first
 * EXPLAIN_MAX_BLOCK bytes of the block, each line (CRLF included) cut at
 * EXPLAIN_MAX_LINE bytes, more telling what was cut; explain_block_rest()
 * is what the block holds beyond.
 */
struct explain_block {
	const char	*p, *end, *start;
	size_t		 total;
};

void	 explain_block_begin(struct explain_block *,
	    const struct sig_result *);
bool	 explain_block_next(struct explain_block *, const char **line,
	    size_t *shown, size_t *more);
size_t	 explain_block_rest(const struct explain_block *);

/*
 * ex->dg: the diagnosis of vr (diagnosis_make()), said after each verdict;
 * ex->inner_kind: vr is the original of a report (render.h).
 */
void	 explain_render(struct buf *, const char *file,
	    const struct verify_result *, const struct render_extra *ex);

#endif
