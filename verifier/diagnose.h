/* SPDX-License-Identifier: ISC */
/*
 * diagnose: why a signature failed, by experiment rather than by guess.
 *
 * Body: the usual transport damages are undone one at a time (bare CR before
 * CRLF, trailing whitespace, a final CRLF, the other canonicalization,
 * quoted-printable or base64 re-encoding, content appended after the signed
 * part, line ends hashed as LF) and the body hash is recomputed; a variant
 * that reproduces bh= names the damage.
 *
 * Header: for RSA, the signature is opened with the public key
 * (EVP_PKEY_verify_recover).  A well-formed DigestInfo proves the key signed
 * and the signed header data changed; the header block is then rebuilt under
 * a few variants (other canonicalization, fields taken top-down, the z= copy
 * of the original fields) to find the change.  Bad padding proves the key is
 * not the one that signed.
 */
#ifndef FBL_DIAGNOSE_H
#define FBL_DIAGNOSE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "verifier/verify.h"

/*
 * The work of one message's diagnosis is bounded, whatever its signatures
 * ask: every trial spends the bytes it hashes from one budget, shared by
 * all the signatures of the message; when it is spent, the remaining
 * trials are not run and cut says so.  256 MiB is four times the largest
 * message (64 MiB): every trial of one signature on any real message, a
 * few seconds of SHA-256.  z= entries compared: at most DIAG_MAX_Z.
 */
#define DIAG_BUDGET_BYTES	((uint64_t)256 << 20)
#define DIAG_MAX_Z		1024

struct diag_budget {
	uint64_t	 left;
	bool		 cut;		/* a trial was refused */
};

void	 diag_budget_init(struct diag_budget *);
/* Append "  cause: ..." lines for a signature whose body hash failed. */
void	 diagnose_body(struct buf *, struct diag_budget *,
	    const struct verify_result *, const struct sig_result *);
/* Append lines for a signature whose header signature failed. */
void	 diagnose_header(struct buf *, struct diag_budget *,
	    const struct verify_result *, const struct sig_result *);

#endif
