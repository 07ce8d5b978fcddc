/* SPDX-License-Identifier: ISC */
/*
 * crypto: every OpenSSL operation on keys and signatures, through EVP only:
 * decoding the published keys, verifying, recovering, signing, making and
 * encoding keys, and the digests DKIM chooses (crypto_md()).  Elsewhere in
 * verifier/, modules hold EVP_PKEY handles (ask their type and size, free
 * them) and stream canonical data into an EVP_MD_CTX of crypto_md()
 * (canon.c, diagnose.c), nothing more.  Outside verifier/, base/digest.h
 * (fingerprints, HMAC) and base/pkey.h (the private-key loader) are the
 * only users of OpenSSL.
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

#include "base/buf.h"
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
 * crypto_verify() keeps, per thread, a verification context for each RSA
 * key it used lately (a bounded table); each holds a reference on its key,
 * so those keys live until their entry is replaced or the thread ends.  A
 * thread that is done verifying may release them now: the table is freed
 * at thread exit anyway, but not for the main thread at exit().
 */
void		 crypto_thread_done(void);

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
		    size_t digest_cap, size_t *digest_len);

/*
 * Bounds on the public keys fblscope will use, wherever a key is read (DNS,
 * zone files, key directories, the archive, a signing key).  An RSA
 * operation costs about the cube of the modulus size: a 16,384-bit key is
 * some 500 times a 2,048-bit one, and a public exponent of thousands of bits
 * makes every verification as slow as a signature.  Every real DKIM key uses
 * e = 65537 (or 3); RFC 8301 asks verifiers for 1024 to 4096 bits.  The caps
 * are twice that size and BoringSSL's exponent bound (33 bits).  e = 1 (the
 * identity: any "signature" verifies to itself) and even exponents are not
 * RSA keys at all.
 */
#define CRYPTO_RSA_MAX_BITS	8192
#define CRYPTO_RSA_MAX_E_BITS	33

enum crypto_key_check {
	CRYPTO_KEY_OK = 0,
	CRYPTO_KEY_TOO_LARGE,	/* modulus over CRYPTO_RSA_MAX_BITS */
	CRYPTO_KEY_EXPONENT,	/* e even, under 3 or over the bound */
	CRYPTO_KEY_UNREADABLE,	/* OpenSSL would not give the parameters */
};

/*
 * Public keys from the bytes of a key record's p=: an RSA key as a
 * SubjectPublicKeyInfo or, per erratum 3017, a bare RSAPublicKey, each
 * filling all of der; a raw 32-byte Ed25519 key (RFC 8463).  NULL when the
 * bytes are not such a key.
 */
EVP_PKEY	*crypto_rsa_public(const unsigned char *der, size_t len);
EVP_PKEY	*crypto_ed25519_public(const unsigned char *raw, size_t len);
unsigned	 crypto_key_bits(EVP_PKEY *);

/* Is pk within the bounds above?  Ed25519 keys always are. */
enum crypto_key_check crypto_key_check(EVP_PKEY *pk, struct buf *why);

bool		 crypto_sign(EVP_PKEY *, enum dkim_alg,
		    const unsigned char *digest, size_t digest_len,
		    struct buf *sig, struct buf *err);

/* The base64 p= value of a public key (SubjectPublicKeyInfo or raw ed25519). */
bool		 crypto_public_b64(EVP_PKEY *, struct buf *out);

/*
 * A signing key: base/pkey.h's loader (never prompts), then the bounds of
 * crypto_key_check(); the error names the file.
 */
EVP_PKEY	*crypto_load_private(const char *path, struct buf *err);

/* A new key pair: Ed25519, or RSA of bits bits; NULL with why. */
EVP_PKEY	*crypto_keygen(bool ed25519, unsigned bits, struct buf *err);
/* The unencrypted PKCS#8 PEM of a private key, appended to out. */
bool		 crypto_private_pem(EVP_PKEY *, struct buf *out);

/* The last OpenSSL error queue entry as text, and the queue cleared. */
void		 crypto_last_error(struct buf *);

#endif
