/* SPDX-License-Identifier: ISC */
/* crypto: OpenSSL EVP operations for DKIM; see crypto.h. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "base/b64.h"
#include "base/pkey.h"
#include "verifier/crypto.h"
#include "verifier/key_record.h"

static EVP_MD		*md_sha256;
static EVP_MD		*md_sha1;
static pthread_once_t	 md_once = PTHREAD_ONCE_INIT;

static void
md_fetch(void)
{
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
}

const EVP_MD *
crypto_md(enum dkim_hash h)
{
	pthread_once(&md_once, md_fetch);
	return h == DKIM_HASH_SHA1 ? md_sha1 : md_sha256;
}

size_t
crypto_md_size(enum dkim_hash h)
{
	return h == DKIM_HASH_SHA1 ? 20 : 32;
}

bool
crypto_digest(enum dkim_hash h, const void *p, size_t len, unsigned char *out,
    unsigned int *outlen)
{
	return EVP_Digest(p, len, out, outlen, crypto_md(h), NULL) == 1;
}

static bool
key_fits_alg(EVP_PKEY *pk, enum dkim_alg alg)
{
	int	 id = EVP_PKEY_get_base_id(pk);

	if (alg == DKIM_ALG_ED25519_SHA256)
		return id == EVP_PKEY_ED25519;
	return id == EVP_PKEY_RSA &&
	    (alg == DKIM_ALG_RSA_SHA256 || alg == DKIM_ALG_RSA_SHA1);
}

/*
 * OpenSSL's answer to a verification as a verdict.  A bad signature leaves
 * errors in the thread's queue: cleared, so that they are not taken for
 * those of a later call.
 */
static enum crypto_verdict
verdict_of(int rc)
{
	ERR_clear_error();
	return rc == 1 ? CRYPTO_GOOD : CRYPTO_BAD;
}

/*
 * RSA verification contexts, kept per thread and per (key, hash): making
 * and initialising one costs about as much as a fifth of the RSA operation
 * itself, and a run verifies many messages under the same few keys.  A
 * context holds a reference on its key, so a key in the table is never
 * freed (nor its address reused) while its context is there.  The table is
 * direct-mapped and of fixed size: a collision replaces the older entry.
 */
#define VERIFY_CTX_SLOTS	256

struct verify_ctx_slot {
	EVP_PKEY	*pk;
	enum dkim_hash	 hash;
	EVP_PKEY_CTX	*ctx;
};

static pthread_key_t	 vctx_key;
static pthread_once_t	 vctx_once = PTHREAD_ONCE_INIT;
static bool		 vctx_usable;

static void
vctx_table_free(void *p)
{
	struct verify_ctx_slot	*t = p;
	size_t			 i;

	for (i = 0; i < VERIFY_CTX_SLOTS; i++)
		EVP_PKEY_CTX_free(t[i].ctx);
	free(t);
}

static void
vctx_init(void)
{
	vctx_usable = pthread_key_create(&vctx_key, vctx_table_free) == 0;
}

/* This thread's table, made on first use; NULL when that fails. */
static struct verify_ctx_slot *
vctx_table(void)
{
	struct verify_ctx_slot	*t;

	pthread_once(&vctx_once, vctx_init);
	if (!vctx_usable)
		return NULL;
	if ((t = pthread_getspecific(vctx_key)) != NULL)
		return t;
	if ((t = calloc(VERIFY_CTX_SLOTS, sizeof(*t))) == NULL)
		return NULL;
	if (pthread_setspecific(vctx_key, t) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
crypto_thread_done(void)
{
	struct verify_ctx_slot	*t;

	pthread_once(&vctx_once, vctx_init);
	if (!vctx_usable || (t = pthread_getspecific(vctx_key)) == NULL)
		return;
	(void)pthread_setspecific(vctx_key, NULL);
	vctx_table_free(t);
}

static EVP_PKEY_CTX *
rsa_verify_ctx_new(EVP_PKEY *pk, enum dkim_hash h)
{
	EVP_PKEY_CTX	*ctx;

	if ((ctx = EVP_PKEY_CTX_new(pk, NULL)) == NULL)
		return NULL;
	if (EVP_PKEY_verify_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, crypto_md(h)) != 1) {
		EVP_PKEY_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* The slot of (pk, h): the key's address, hashed, and the hash. */
static size_t
vctx_slot(const EVP_PKEY *pk, enum dkim_hash h)
{
	uintptr_t	 v = (uintptr_t)pk;

	v ^= v >> 17;
	v *= (uintptr_t)0x9e3779b97f4a7c15ull;
	return (size_t)((v >> 24) ^ (uintptr_t)h) % VERIFY_CTX_SLOTS;
}

static enum crypto_verdict
rsa_verify(EVP_PKEY *pk, enum dkim_alg alg, const unsigned char *digest,
    size_t digest_len, const unsigned char *sig, size_t sig_len)
{
	struct verify_ctx_slot	*t, *slot;
	EVP_PKEY_CTX		*ctx;
	int			 rc;
	enum dkim_hash		 h;

	h = alg == DKIM_ALG_RSA_SHA1 ? DKIM_HASH_SHA1 : DKIM_HASH_SHA256;
	if ((t = vctx_table()) == NULL) {
		if ((ctx = rsa_verify_ctx_new(pk, h)) == NULL)
			return CRYPTO_ERROR;
		rc = EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len);
		EVP_PKEY_CTX_free(ctx);
		return verdict_of(rc);
	}
	slot = &t[vctx_slot(pk, h)];
	if (slot->ctx == NULL || slot->pk != pk || slot->hash != h) {
		if ((ctx = rsa_verify_ctx_new(pk, h)) == NULL)
			return CRYPTO_ERROR;
		EVP_PKEY_CTX_free(slot->ctx);
		slot->pk = pk;
		slot->hash = h;
		slot->ctx = ctx;
	}
	rc = EVP_PKEY_verify(slot->ctx, sig, sig_len, digest, digest_len);
	return verdict_of(rc);
}

static enum crypto_verdict
ed25519_verify(EVP_PKEY *pk, const unsigned char *digest, size_t digest_len,
    const unsigned char *sig, size_t sig_len)
{
	EVP_MD_CTX	*ctx;
	int		 rc;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return CRYPTO_ERROR;
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1) {
		EVP_MD_CTX_free(ctx);
		return CRYPTO_ERROR;
	}
	rc = EVP_DigestVerify(ctx, sig, sig_len, digest, digest_len);
	EVP_MD_CTX_free(ctx);
	return verdict_of(rc);
}

enum crypto_verdict
crypto_verify(EVP_PKEY *pk, enum dkim_alg alg, const unsigned char *digest,
    size_t digest_len, const unsigned char *sig, size_t sig_len)
{
	if (pk == NULL || !key_fits_alg(pk, alg))
		return CRYPTO_ERROR;
	if (alg == DKIM_ALG_ED25519_SHA256)
		return ed25519_verify(pk, digest, digest_len, sig, sig_len);
	return rsa_verify(pk, alg, digest, digest_len, sig, sig_len);
}

/* DER DigestInfo prefixes (RFC 8017 section 9.2, note 1) */
static const unsigned char di_sha256[] = {
	0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20
};
static const unsigned char di_sha1[] = {
	0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a,
	0x05, 0x00, 0x04, 0x14
};

/* A PKCS#1 DigestInfo block: which hash, and the digest copied out. */
static bool
digest_info(const unsigned char *blk, size_t len, enum dkim_hash *hash,
    unsigned char *digest, size_t cap, size_t *digest_len)
{
	if (len == sizeof(di_sha256) + 32 && cap >= 32 &&
	    memcmp(blk, di_sha256, sizeof(di_sha256)) == 0) {
		*hash = DKIM_HASH_SHA256;
		memcpy(digest, blk + sizeof(di_sha256), 32);
		*digest_len = 32;
		return true;
	}
	if (len == sizeof(di_sha1) + 20 && cap >= 20 &&
	    memcmp(blk, di_sha1, sizeof(di_sha1)) == 0) {
		*hash = DKIM_HASH_SHA1;
		memcpy(digest, blk + sizeof(di_sha1), 20);
		*digest_len = 20;
		return true;
	}
	return false;
}

/*
 * The recovered block is as long as the modulus, less the padding: it is
 * sized from the key, never from a constant (a key is attacker data).
 */
enum crypto_recover
crypto_rsa_recover(EVP_PKEY *pk, const unsigned char *sig, size_t sig_len,
    enum dkim_hash *hash, unsigned char *digest, size_t digest_cap,
    size_t *digest_len)
{
	EVP_PKEY_CTX	*ctx;
	unsigned char	*out;
	size_t		 outcap, outlen;
	int		 size, rc;
	enum crypto_recover ret = RECOVER_BAD_PADDING;

	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA ||
	    (size = EVP_PKEY_get_size(pk)) <= 0)
		return RECOVER_NOT_RSA;
	if (sig_len > (size_t)size)
		return RECOVER_BAD_LENGTH;
	outcap = outlen = (size_t)size;
	if ((out = malloc(outcap)) == NULL)
		return RECOVER_NOT_RSA;
	if ((ctx = EVP_PKEY_CTX_new(pk, NULL)) == NULL) {
		free(out);
		return RECOVER_NOT_RSA;
	}
	rc = EVP_PKEY_verify_recover_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_verify_recover(ctx, out, &outlen, sig, sig_len) == 1 &&
	    outlen <= outcap;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	if (rc && digest_info(out, outlen, hash, digest, digest_cap,
	    digest_len))
		ret = RECOVER_DIGEST;
	/* else: bad padding, or padding around something not a DigestInfo */
	free(out);
	return ret;
}

/* --- public keys from their published bytes --- */

/* One DER tag and length at *p; the content is [*p, *p + *n). */
static bool
der_next(const unsigned char **p, const unsigned char *end, unsigned char tag,
    size_t *n)
{
	const unsigned char *q = *p;
	size_t	 len, k;

	if (end - q < 2 || *q++ != tag)
		return false;
	len = *q++;
	if (len & 0x80) {
		k = len & 0x7f;
		if (k == 0 || k > 2 || (size_t)(end - q) < k)
			return false;
		for (len = 0; k > 0; k--)
			len = len << 8 | *q++;
	}
	if ((size_t)(end - q) < len)
		return false;
	*p = q;
	*n = len;
	return true;
}

/*
 * The RSAPublicKey inside an RSA SubjectPublicKeyInfo, found by walking the
 * DER.  OpenSSL 3's d2i_PUBKEY goes through the generic decoder machinery,
 * some 600,000 instructions a key; d2i_PublicKey on the inner key is a small
 * fraction of that.  Anything unexpected returns false and the caller falls
 * back to d2i_PUBKEY.
 */
static bool
spki_rsa_inner(const unsigned char *der, size_t len,
    const unsigned char **inner, size_t *inner_len)
{
	static const unsigned char rsa_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7,
	    0x0d, 0x01, 0x01, 0x01 };
	const unsigned char *p = der, *end = der + len, *alg_end;
	size_t	 n;

	if (!der_next(&p, end, 0x30, &n) || p + n != end ||
	    !der_next(&p, end, 0x30, &n))
		return false;
	alg_end = p + n;
	if (!der_next(&p, alg_end, 0x06, &n) || n != sizeof(rsa_oid) ||
	    memcmp(p, rsa_oid, n) != 0)
		return false;
	p += n;
	if (p != alg_end && (!der_next(&p, alg_end, 0x05, &n) || n != 0 ||
	    p != alg_end))
		return false;
	if (!der_next(&p, end, 0x03, &n) || p + n != end || n < 2 || *p != 0)
		return false;
	*inner = p + 1;
	*inner_len = n - 1;
	return true;
}

EVP_PKEY *
crypto_rsa_public(const unsigned char *der, size_t len)
{
	const unsigned char	*p = der, *inner;
	size_t			 inner_len;
	EVP_PKEY		*pk;

	if (len > 16384)
		return NULL;
	if (spki_rsa_inner(der, len, &inner, &inner_len)) {
		p = inner;
		pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)inner_len);
		if (pk != NULL && p == inner + inner_len)
			return pk;
		EVP_PKEY_free(pk);
		p = der;
	}
	pk = d2i_PUBKEY(NULL, &p, (long)len);
	if (pk != NULL) {
		if (p != der + len || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
			EVP_PKEY_free(pk);
			return NULL;
		}
		return pk;
	}
	/* erratum 3017: a bare PKCS#1 RSAPublicKey */
	p = der;
	pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
	if (pk != NULL && p != der + len) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

EVP_PKEY *
crypto_ed25519_public(const unsigned char *raw, size_t len)
{
	if (len != 32)
		return NULL;
	return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
}

unsigned
crypto_key_bits(EVP_PKEY *pk)
{
	int	 bits = EVP_PKEY_get_bits(pk);

	return bits > 0 ? (unsigned)bits : 0;
}

enum crypto_key_check
crypto_key_check(EVP_PKEY *pk, struct buf *why)
{
	BIGNUM		*e = NULL;
	enum crypto_key_check r = CRYPTO_KEY_OK;
	int		 bits, ebits;

	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
		return CRYPTO_KEY_OK;
	if ((bits = EVP_PKEY_get_bits(pk)) > CRYPTO_RSA_MAX_BITS) {
		buf_printf(why, "RSA key of %d bits; fblscope refuses keys "
		    "over %d bits (their cost is unbounded)", bits,
		    CRYPTO_RSA_MAX_BITS);
		return CRYPTO_KEY_TOO_LARGE;
	}
	if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		ERR_clear_error();
		buf_puts(why, "the RSA public exponent cannot be read");
		return CRYPTO_KEY_UNREADABLE;
	}
	ebits = BN_num_bits(e);
	if (BN_is_one(e) || BN_is_zero(e) || !BN_is_odd(e) ||
	    ebits > CRYPTO_RSA_MAX_E_BITS) {
		if (ebits <= 1)
			buf_printf(why, "RSA public exponent e=%d", ebits);
		else if (!BN_is_odd(e))
			buf_puts(why, "even RSA public exponent");
		else
			buf_printf(why, "RSA public exponent of %d bits", ebits);
		buf_printf(why, "; fblscope wants an odd e from 3 to %d bits "
		    "(65537 in practice)", CRYPTO_RSA_MAX_E_BITS);
		r = CRYPTO_KEY_EXPONENT;
	}
	BN_free(e);
	return r;
}

bool
crypto_sign(EVP_PKEY *pk, enum dkim_alg alg, const unsigned char *digest,
    size_t digest_len, struct buf *sig, struct buf *err)
{
	EVP_PKEY_CTX	*pctx = NULL;
	EVP_MD_CTX	*mctx = NULL;
	size_t		 len = 0;
	bool		 ok = false;

	if (!key_fits_alg(pk, alg)) {
		buf_printf(err, "the key cannot make %s signatures",
		    dkim_alg_name(alg));
		return false;
	}
	if (alg == DKIM_ALG_ED25519_SHA256) {
		if ((mctx = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestSignInit(mctx, NULL, NULL, NULL, pk) != 1 ||
		    EVP_DigestSign(mctx, NULL, &len, digest, digest_len) != 1 ||
		    !buf_reserve(sig, len) ||
		    EVP_DigestSign(mctx, (unsigned char *)sig->data + sig->len,
		    &len, digest, digest_len) != 1)
			goto out;
	} else {
		if ((pctx = EVP_PKEY_CTX_new(pk, NULL)) == NULL ||
		    EVP_PKEY_sign_init(pctx) != 1 ||
		    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_signature_md(pctx, crypto_md(
		    alg == DKIM_ALG_RSA_SHA1 ? DKIM_HASH_SHA1 :
		    DKIM_HASH_SHA256)) != 1 ||
		    EVP_PKEY_sign(pctx, NULL, &len, digest, digest_len) != 1 ||
		    !buf_reserve(sig, len) ||
		    EVP_PKEY_sign(pctx, (unsigned char *)sig->data + sig->len,
		    &len, digest, digest_len) != 1)
			goto out;
	}
	sig->len += len;
	sig->data[sig->len] = '\0';
	ok = true;
out:
	if (!ok)
		crypto_last_error(err);
	EVP_PKEY_CTX_free(pctx);
	EVP_MD_CTX_free(mctx);
	return ok;
}

bool
crypto_public_b64(EVP_PKEY *pk, struct buf *out)
{
	unsigned char	*der = NULL, raw[32];
	size_t		 rawlen = sizeof(raw);
	int		 n;

	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_ED25519) {
		if (EVP_PKEY_get_raw_public_key(pk, raw, &rawlen) != 1)
			return false;
		b64_encode(out, raw, rawlen);
		return buf_ok(out);
	}
	if ((n = i2d_PUBKEY(pk, &der)) <= 0)
		return false;
	b64_encode(out, der, (size_t)n);
	OPENSSL_free(der);
	return buf_ok(out);
}

EVP_PKEY *
crypto_load_private(const char *path, struct buf *err)
{
	EVP_PKEY	*pk;
	struct buf	 why = BUF_INIT;

	if ((pk = pkey_load_private(path, &why)) != NULL &&
	    crypto_key_check(pk, &why) != CRYPTO_KEY_OK) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	if (pk == NULL)
		buf_printf(err, "%s: %s", path, buf_cstr(&why));
	buf_free(&why);
	return pk;
}

EVP_PKEY *
crypto_keygen(bool ed25519, unsigned bits, struct buf *err)
{
	EVP_PKEY	*pk;

	if (!ed25519 && (bits < KEY_RSA_MIN_BITS || bits >
	    CRYPTO_RSA_MAX_BITS)) {
		buf_printf(err, "RSA keys of %d to %d bits", KEY_RSA_MIN_BITS,
		    CRYPTO_RSA_MAX_BITS);
		return NULL;
	}
	pk = ed25519 ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519") :
	    EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
	if (pk == NULL) {
		buf_puts(err, "key generation failed: ");
		crypto_last_error(err);
	}
	return pk;
}

bool
crypto_private_pem(EVP_PKEY *pk, struct buf *out)
{
	BIO	*bio;
	char	*p;
	long	 n;
	bool	 ok;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return false;
	ok = PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL) ==
	    1 && (n = BIO_get_mem_data(bio, &p)) > 0;
	if (ok)
		buf_append(out, p, (size_t)n);
	BIO_free(bio);
	ERR_clear_error();
	return ok && buf_ok(out);
}

void
crypto_last_error(struct buf *b)
{
	unsigned long	 e = ERR_get_error();
	char		 msg[256];

	if (e == 0) {
		buf_puts(b, "unknown OpenSSL error");
		return;
	}
	ERR_error_string_n(e, msg, sizeof(msg));
	buf_puts(b, msg);
	ERR_clear_error();
}
