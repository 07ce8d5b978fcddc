/* SPDX-License-Identifier: ISC */
/*
 * digest: SHA-256 and HMAC-SHA-256 for identities and fingerprints (a
 * message's fingerprint, a key's, the keyed hash of a recipient).  The
 * hashes DKIM itself computes, whose algorithm a signature chooses, are
 * verifier/crypto.h's and verifier/canon.h's.
 *
 * A digest of several pieces is the digest of their concatenation; a
 * failure (OpenSSL out of memory) fills out with zeros and returns false.
 */
#ifndef FBL_BASE_DIGEST_H
#define FBL_BASE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define DIGEST_SHA256_LEN	32
#define DIGEST_HMAC_KEY_MAX	4096	/* bytes of an HMAC secret */

struct digest_piece {
	const void	*p;
	size_t		 len;
};

bool	 digest_sha256(const void *p, size_t len,
	    unsigned char out[DIGEST_SHA256_LEN]);
bool	 digest_sha256_pieces(const struct digest_piece *, size_t n,
	    unsigned char out[DIGEST_SHA256_LEN]);
/*
 * SHA-256 of a stream read piece by piece (a message too large to keep,
 * which is still counted by its fingerprint): new, add as often as needed,
 * end (which frees it, NULL included, and fills out).  new returns NULL
 * when out of memory; add and end false on a failure, after which the
 * digest is zeros.
 */
struct digest_stream;
struct digest_stream *digest_stream_new(void);
bool	 digest_stream_add(struct digest_stream *, const void *p, size_t len);
bool	 digest_stream_end(struct digest_stream *,
	    unsigned char out[DIGEST_SHA256_LEN]);
/* HMAC-SHA-256 (RFC 2104); false for an empty key or one over the max. */
bool	 digest_hmac_sha256(const void *key, size_t keylen, const void *p,
	    size_t len, unsigned char out[DIGEST_SHA256_LEN]);

#endif
