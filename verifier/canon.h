/* SPDX-License-Identifier: ISC */
/*
 * canon: the simple and relaxed canonicalizations of RFC 6376 section 3.4.
 *
 * Input lines follow the rule of message.h (LF or CRLF ends a line); output
 * always uses CRLF.  Header fields are canonicalized one at a time into a
 * buf (the whole signed header block is then hashed in one call).  Bodies
 * are canonicalized in one streaming pass that feeds every body hash a
 * message needs at once: one body_hash per distinct (canonicalization, hash,
 * l=) of its signatures.
 */
#ifndef FBL_CANON_H
#define FBL_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "base/buf.h"
#include "verifier/dkim_sig.h"
#include "verifier/message.h"

/* Append the canonical form of one field (raw, without terminator) + CRLF. */
void	 canon_header(struct buf *, enum dkim_canon, const char *raw,
	    size_t len);
/*
 * The signed header fields in h= order (section 5.4.2): each name takes the
 * lowest field of that name not yet taken; a name with none left adds
 * nothing (over-signing).  Field skip (the signature being verified, or -1)
 * is never taken.
 */
bool	 canon_signed_fields(struct buf *, const struct message *,
	    const struct dkim_hname *, size_t nh, enum dkim_canon, long skip);
/*
 * Append the canonical form of a DKIM-Signature field with the b= value
 * (raw[b_off, b_end)) removed, and without the trailing CRLF (section 3.7).
 */
void	 canon_sig_header(struct buf *, enum dkim_canon, const char *raw,
	    size_t len, size_t b_off, size_t b_end);

#define BODY_HASH_STAGE	2048	/* rewritten bytes only: spans bypass it */

struct body_hash {
	/* what to compute */
	enum dkim_canon	 canon;
	enum dkim_hash	 hash;
	bool		 has_l;
	uint64_t	 l;
	/* results */
	uint64_t	 canon_len;	/* canonical body length, whole body */
	uint64_t	 hashed;	/* bytes fed to the hash (<= l) */
	unsigned char	 digest[EVP_MAX_MD_SIZE];
	unsigned int	 digest_len;
	bool		 ok;		/* digest valid */
	/* private state */
	EVP_MD_CTX	*ctx;
	uint64_t	 pending_empty;	/* empty lines held back */
	const char	*span;		/* message bytes not yet hashed */
	size_t		 span_len;
	size_t		 nstage;
	unsigned char	 stage[BODY_HASH_STAGE];
};

/*
 * Compute every body hash in hs[0..n) over body in one pass.  Returns false
 * on an OpenSSL or memory failure (each ok stays false).  When keep is not
 * NULL, the canonical body of hs[0] is also appended to it (explain/diagnose).
 */
bool	 body_hash_compute(struct body_hash *hs, size_t n, const char *body,
	    size_t len, struct buf *keep);

#endif
