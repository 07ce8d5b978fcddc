/*
 * crypto: every OpenSSL call of the verifier and signer, through EVP only.
 *
 * DKIM signs a digest: RSA signatures are PKCS#1 v1.5 over the SHA-256 (or
 * SHA-1) digest of the canonical header block; ed25519-sha256 (RFC 8463) is
 * PureEdDSA over that 32-byte SHA-256 digest.
 */
#ifndef FBL_CRYPTO_H
#define FBL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>

#include "verifier/buf.h"
#include "verifier/dkim_sig.h"

/* Digest implementations, fetched once (implicit fetches cost per call). */
const EVP_MD	*crypto_md(enum dkim_hash);
size_t		 crypto_md_size(enum dkim_hash);

bool		 crypto_digest(enum dkim_hash, const void *, size_t,
		    unsigned char *out, unsigned int *outlen);

enum crypto_verdict {
	CRYPTO_GOOD = 0,
	CRYPTO_BAD,		/* the signature does not verify */
	CRYPTO_ERROR,		/* OpenSSL failure, wrong key type ... */
};

enum crypto_verdict crypto_verify(EVP_PKEY *, enum dkim_alg,
		    const unsigned char *digest, size_t digest_len,
		    const unsigned char *sig, size_t sig_len);

/*
 * For a failed RSA signature: undo the RSA operation with the public key.
 * RECOVER_DIGEST: the block is a well-formed DigestInfo; its hash algorithm
 * and digest are returned (so the key is the one that signed, and the
 * signed data differ).  RECOVER_BAD_PADDING: the block is not PKCS#1 v1.5
 * (the key is not the signing key).
 */
enum crypto_recover {
	RECOVER_NOT_RSA = 0,
	RECOVER_DIGEST,
	RECOVER_BAD_PADDING,
	RECOVER_BAD_LENGTH,	/* signature longer than the modulus */
};

enum crypto_recover crypto_rsa_recover(EVP_PKEY *, const unsigned char *sig,
		    size_t sig_len, enum dkim_hash *hash, unsigned char *digest,
		    size_t *digest_len);

bool		 crypto_sign(EVP_PKEY *, enum dkim_alg,
		    const unsigned char *digest, size_t digest_len,
		    struct buf *sig, struct buf *err);

/* The base64 p= value of a public key (SubjectPublicKeyInfo or raw ed25519). */
bool		 crypto_public_b64(EVP_PKEY *, struct buf *out);

/* Load a PEM private key; error names the file. */
EVP_PKEY	*crypto_load_private(const char *path, struct buf *err);

/* The last OpenSSL error queue entry as text, and the queue cleared. */
void		 crypto_last_error(struct buf *);

#endif
