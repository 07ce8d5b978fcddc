/* SPDX-License-Identifier: ISC */
/*
 * fuzz_key_der: the RSA p= decoder of key_record.c on hostile DER.  The
 * input is the DER itself; it is put into "v=DKIM1; k=rsa; p=BASE64" and
 * given to key_record_parse(), whose verdict must be OpenSSL's own:
 * key_record.h accepts a SubjectPublicKeyInfo holding an RSA key or a bare
 * RSAPublicKey, each filling all of p=.  The reference reads the same bytes
 * with d2i_PUBKEY and d2i_PublicKey only, so the hand-walked SPKI fast path
 * of key_record.c is checked both ways: nothing accepted that OpenSSL
 * refuses, nothing refused that it accepts, and the same key.
 *
 * (fuzz_key_record covers the tag list; through base64 the fuzzer rarely
 * makes well-formed DER, hence this target.)
 *
 * FUZZ_MAX_LEN: 4096
 * FUZZ_DICT: "\x30\x81\x9f\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x03\x81\x8d\x00"
 * FUZZ_DICT: "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"
 * FUZZ_DICT: "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"
 * FUZZ_DICT: "\x05\x00"
 * FUZZ_DICT: "\x02\x03\x01\x00\x01"
 * FUZZ_DICT: "\x30\x82"
 * FUZZ_DICT: "\x03\x82"
 * FUZZ_DICT: "\x02\x81\x81\x00"
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/b64.h"
#include "base/buf.h"
#include "verifier/crypto.h"
#include "verifier/key_record.h"
#include "verifier/result.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_key_der: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

/* OpenSSL's reading of an RSA p= (see above), or NULL. */
static EVP_PKEY *
ref_rsa(const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	EVP_PKEY		*pk;

	if (len > 16384)
		return NULL;
	if ((pk = d2i_PUBKEY(NULL, &p, (long)len)) != NULL) {
		if (p != der + len || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
			EVP_PKEY_free(pk);
			return NULL;
		}
		return pk;
	}
	p = der;
	pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
	if (pk != NULL && p != der + len) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct key_record	 k;
	struct buf		 txt = BUF_INIT, why = BUF_INIT;
	struct buf		 bwhy = BUF_INIT;
	enum dkim_reason	 r;
	enum crypto_key_check	 bound;
	EVP_PKEY		*ref;

	if (size == 0)
		return 0;	/* an empty p= is a revoked key */
	buf_puts(&txt, "v=DKIM1; k=rsa; p=");
	b64_encode(&txt, data, size);
	REQUIRE(buf_ok(&txt));
	r = key_record_parse(&k, txt.data, txt.len, &why);
	ref = ref_rsa(data, size);
	if (ref != NULL && (bound = crypto_key_check(ref, &bwhy)) !=
	    CRYPTO_KEY_OK) {
		/* a key OpenSSL reads but the bounds refuse: named, unused */
		REQUIRE(r == (bound == CRYPTO_KEY_TOO_LARGE ?
		    REASON_KEY_TOO_LARGE : bound == CRYPTO_KEY_EXPONENT ?
		    REASON_KEY_EXPONENT : REASON_KEY_SYNTAX));
		REQUIRE(k.pkey == NULL && why.len > 0);
		REQUIRE(k.bits == (unsigned)EVP_PKEY_get_bits(ref));
		EVP_PKEY_free(ref);
		ref = NULL;
		goto out;
	}
	if (ref != NULL && r != REASON_OK) {
		fprintf(stderr, "fuzz_key_der: OpenSSL reads an RSA key of %d "
		    "bits, key_record_parse says %s: %s\n",
		    EVP_PKEY_get_bits(ref), dkim_reason_name(r),
		    buf_cstr(&why));
		abort();
	}
	if (ref == NULL && r == REASON_OK) {
		fprintf(stderr, "fuzz_key_der: key_record_parse accepts a "
		    "%u-bit RSA key where OpenSSL reads none\n", k.bits);
		abort();
	}
	if (ref != NULL) {
		REQUIRE(k.type == KEY_TYPE_RSA && !k.revoked);
		REQUIRE(k.pkey != NULL);
		REQUIRE(EVP_PKEY_eq(k.pkey, ref) == 1);
		REQUIRE(k.bits == (unsigned)EVP_PKEY_get_bits(ref));
	} else
		REQUIRE(r == REASON_KEY_SYNTAX && k.pkey == NULL);
out:
	EVP_PKEY_free(ref);
	buf_free(&bwhy);
	key_record_free(&k);
	buf_free(&txt);
	buf_free(&why);
	ERR_clear_error();
	return 0;
}
