/* SPDX-License-Identifier: ISC */
/*
 * fuzz_key_record: key_record_parse() on hostile TXT record bytes (with
 * OpenSSL decoding p=), checked against key_record.h and freed every time.
 * An RSA key it accepts must be the key OpenSSL's own decoders (d2i_PUBKEY,
 * or d2i_PublicKey for a bare RSAPublicKey) read from the same p=, so the
 * hand-walked SubjectPublicKeyInfo fast path is checked against them.
 *
 * FUZZ_MAX_LEN: 32768
 * FUZZ_SEEDS: dkim-zones
 * FUZZ_DICT: "v=DKIM1"
 * FUZZ_DICT: "k=rsa"
 * FUZZ_DICT: "k=ed25519"
 * FUZZ_DICT: "h=sha256"
 * FUZZ_DICT: "h=sha1:sha256"
 * FUZZ_DICT: "s=email"
 * FUZZ_DICT: "s=*"
 * FUZZ_DICT: "t=y:s"
 * FUZZ_DICT: "n="
 * FUZZ_DICT: "p="
 * FUZZ_DICT: "; "
 * FUZZ_DICT: "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ"
 * FUZZ_DICT: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
 * FUZZ_DICT: "IDAQAB"
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
#include "verifier/key_record.h"
#include "verifier/result.h"
#include "verifier/tagvalue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile size_t sink;

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_key_record: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

/*
 * The reference for RSA p=: what key_record.h promises, through OpenSSL's
 * own decoders only: a SubjectPublicKeyInfo holding an RSA key, or a bare
 * RSAPublicKey, each consuming all of the bytes.
 */
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

/* An RSA key that parsed is the key OpenSSL reads from the same p=. */
static void
check_rsa_key(const struct key_record *k, const char *txt, size_t len)
{
	struct tag_list		 tl;
	const struct tag	*p;
	struct buf		 der = BUF_INIT;
	EVP_PKEY		*ref;
	size_t			 off;

	REQUIRE(tag_list_parse(&tl, txt, len, &off) == TAG_OK);
	REQUIRE((p = tag_list_get(&tl, "p")) != NULL);
	REQUIRE(b64_decode(&der, p->value, p->value_len));
	ref = ref_rsa((const unsigned char *)der.data, der.len);
	if (ref == NULL) {
		fprintf(stderr, "fuzz_key_record: p= accepted as a %u-bit "
		    "RSA key, but OpenSSL reads no RSA key from it\n",
		    k->bits);
		abort();
	}
	if (EVP_PKEY_eq(k->pkey, ref) != 1) {
		fprintf(stderr, "fuzz_key_record: p= read as another key than "
		    "OpenSSL reads from it\n");
		abort();
	}
	EVP_PKEY_free(ref);
	buf_free(&der);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct key_record	 k;
	struct buf		 why = BUF_INIT;
	enum dkim_reason	 r;

	r = key_record_parse(&k, (const char *)data, size, &why);
	REQUIRE(dkim_reason_name(r) != NULL);
	REQUIRE(key_type_name(k.type) != NULL);
	REQUIRE(buf_ok(&why));
	sink += strlen(buf_cstr(&why));
	if (k.notes != NULL)
		sink += strlen(k.notes);
	if (k.flags != NULL)
		sink += strlen(k.flags);

	switch (r) {
	case REASON_OK:
		REQUIRE(k.type == KEY_TYPE_RSA || k.type == KEY_TYPE_ED25519);
		if (k.revoked) {
			REQUIRE(k.pkey == NULL);
			break;
		}
		REQUIRE(k.pkey != NULL);
		REQUIRE(k.bits > 0);
		if (k.type == KEY_TYPE_ED25519) {
			REQUIRE(k.bits == 256);
			REQUIRE(EVP_PKEY_get_base_id(k.pkey) ==
			    EVP_PKEY_ED25519);
		} else {
			REQUIRE(EVP_PKEY_get_base_id(k.pkey) == EVP_PKEY_RSA);
			check_rsa_key(&k, (const char *)data, size);
		}
		break;
	case REASON_KEY_TOO_LARGE:
	case REASON_KEY_EXPONENT:
		/* outside the bounds: never kept for an RSA operation */
		REQUIRE(k.type == KEY_TYPE_RSA && k.pkey == NULL);
		REQUIRE(why.len > 0);
		break;
	case REASON_KEY_SYNTAX:
	case REASON_INTERNAL:
		/* a failure always says why */
		REQUIRE(why.len > 0);
		break;
	default:
		fprintf(stderr, "fuzz_key_record: unexpected reason %s\n",
		    dkim_reason_name(r));
		abort();
	}
	/* key_record_free() after any result: leaks are findings */
	key_record_free(&k);
	buf_free(&why);
	ERR_clear_error();
	return 0;
}
