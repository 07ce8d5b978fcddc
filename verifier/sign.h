/* SPDX-License-Identifier: ISC */
/*
 * sign: make one DKIM-Signature field (rsa-sha256 or ed25519-sha256) for a
 * message, for samples, tests and debugging.  The message is not modified:
 * the caller writes the field above it.  The field uses the message's own
 * line ending (LF or CRLF) for its folds and its end.
 */
#ifndef FBL_SIGN_H
#define FBL_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "base/buf.h"
#include "verifier/dkim_sig.h"

struct sign_opts {
	const char	*domain;
	const char	*selector;
	const char	*identity;	/* i=, or NULL */
	EVP_PKEY	*key;		/* RSA -> rsa-sha256, Ed25519 -> ed25519 */
	enum dkim_canon	 hcanon;
	enum dkim_canon	 bcanon;
	const char	*headers;	/* "from:to:subject", or NULL: default */
	bool		 length;	/* add l= */
	bool		 oversign;	/* list each signed name once more */
	int64_t		 timestamp;	/* t=, or -1 for none */
	int64_t		 expire;	/* x= = t + expire, or 0 for none */
};

/* The fields signed by default, when present in the message. */
extern const char sign_default_headers[];

bool	 dkim_sign(const struct sign_opts *, const char *raw, size_t len,
	    struct buf *field, struct buf *err);

/*
 * The key record to publish for a key (RSA or Ed25519, public or private),
 * as `fblscope keygen` writes it: "v=DKIM1; k=rsa; [t=y; ]p=..." with the
 * SubjectPublicKeyInfo (RSA) or the raw 32-byte key (Ed25519).  Appended to
 * rec; false for another key type or when encoding fails.  Only public
 * material goes into rec.
 */
bool	 sign_key_record(EVP_PKEY *, bool testing, struct buf *rec);

#endif
