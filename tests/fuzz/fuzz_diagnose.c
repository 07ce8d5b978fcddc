/* SPDX-License-Identifier: ISC */
/*
 * fuzz_diagnose: the diagnosis of a failed RSA signature (`verify
 * --explain`) under keys of any size and exponent an attacker may publish.
 *
 * Input: bytes 0-1 choose the modulus size (512 to 16,384 bits), byte 2 the
 * public exponent (1, 3, 65537, 2^33 - 1, 2^33 + 1, even, or a random odd
 * number of up to the modulus size), the rest is b= and seeds the modulus
 * (SHA-256 in counter mode over the input, top and bottom bits set: an
 * attacker's n need not be a product of two primes).
 *
 * Two paths, both checked by ASan for writes past any buffer:
 * 1. crypto_rsa_recover() on the key as built, with no bounds applied: the
 *    recovery block is as long as the modulus, whatever it is; a digest,
 *    when one comes out, is 20 or 32 bytes.
 * 2. The key published in a zone and a message "signed" with it (bh= right,
 *    b= from the input): dkim_verify() and explain_render().  A key outside
 *    crypto_key_check()'s bounds must be refused with its named reason and
 *    no key kept; one within them fails (or, by chance, passes) with a
 *    diagnosis.
 *
 * FUZZ_MAX_LEN: 2100
 * FUZZ_DICT: "\x00\x01\xff\xff\xff\xff\xff\xff\xff\xff\x00"
 * FUZZ_DICT: "\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20"
 * FUZZ_DICT: "\x30\x21\x30\x09\x06\x05\x2b\x0e\x03\x02\x1a\x05\x00\x04\x14"
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "base/b64.h"
#include "base/buf.h"
#include "verifier/crypto.h"
#include "verifier/explain.h"
#include "verifier/key_record.h"
#include "verifier/keyfetch.h"
#include "verifier/verify.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW		2000000000
#define MIN_BITS	512
#define MAX_BITS	16384

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_diagnose: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

/* len bytes of SHA-256(input || counter), counter = 0, 1, ... */
static void
expand(const uint8_t *data, size_t size, unsigned char *out, size_t len)
{
	unsigned char	 blk[EVP_MAX_MD_SIZE];
	unsigned int	 bl;
	EVP_MD_CTX	*c = EVP_MD_CTX_new();
	uint32_t	 ctr;
	size_t		 n, off;

	REQUIRE(c != NULL);
	for (ctr = 0, off = 0; off < len; ctr++, off += n) {
		REQUIRE(EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
		    EVP_DigestUpdate(c, data, size) == 1 &&
		    EVP_DigestUpdate(c, &ctr, sizeof(ctr)) == 1 &&
		    EVP_DigestFinal_ex(c, blk, &bl) == 1);
		n = len - off < bl ? len - off : bl;
		memcpy(out + off, blk, n);
	}
	EVP_MD_CTX_free(c);
}

static BIGNUM *
exponent(unsigned choice, int bits, const uint8_t *data, size_t size)
{
	unsigned char	 raw[MAX_BITS / 8];
	BIGNUM		*e = BN_new();
	int		 ebits;

	REQUIRE(e != NULL);
	switch (choice % 7) {
	case 0:
		REQUIRE(BN_set_word(e, 1));
		break;
	case 1:
		REQUIRE(BN_set_word(e, 3));
		break;
	case 2:
		REQUIRE(BN_set_word(e, 65537));
		break;
	case 3:
		REQUIRE(BN_set_word(e, (BN_ULONG)((1ULL << 33) - 1)));
		break;
	case 4:
		REQUIRE(BN_set_word(e, (BN_ULONG)((1ULL << 33) + 1)));
		break;
	case 5:
		REQUIRE(BN_set_word(e, 65536));
		break;
	default:
		ebits = 2 + (int)(choice / 7) * bits / 37;
		if (ebits > bits - 1)
			ebits = bits - 1;
		expand(data, size, raw, ((size_t)ebits + 7) / 8);
		REQUIRE(BN_bin2bn(raw, (ebits + 7) / 8, e) != NULL);
		/* fails, harmlessly, when e is already shorter */
		(void)BN_mask_bits(e, ebits);
		REQUIRE(BN_set_bit(e, ebits - 1) && BN_set_bit(e, 0));
		break;
	}
	return e;
}

static EVP_PKEY *
public_key(int bits, const BIGNUM *e, const uint8_t *data, size_t size)
{
	unsigned char	 raw[MAX_BITS / 8];
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*params;
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*pk = NULL;
	BIGNUM		*n = BN_new();
	size_t		 nbytes = ((size_t)bits + 7) / 8;

	expand(data, size, raw, nbytes);
	REQUIRE(n != NULL && BN_bin2bn(raw, (int)nbytes, n) != NULL);
	(void)BN_mask_bits(n, bits);	/* fails when n is already shorter */
	REQUIRE(BN_set_bit(n, bits - 1) && BN_set_bit(n, 0));
	REQUIRE((bld = OSSL_PARAM_BLD_new()) != NULL);
	REQUIRE(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1);
	REQUIRE((params = OSSL_PARAM_BLD_to_param(bld)) != NULL);
	REQUIRE((ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) != NULL);
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	return pk;
}

/* Path 1: recovery on the raw key, sized from the key. */
static void
recover_raw(EVP_PKEY *pk, const uint8_t *sig, size_t len)
{
	unsigned char	 d[64];
	size_t		 dl = 0;
	enum dkim_hash	 h;

	if (crypto_rsa_recover(pk, sig, len, &h, d, sizeof(d), &dl) ==
	    RECOVER_DIGEST)
		REQUIRE((h == DKIM_HASH_SHA256 && dl == 32) ||
		    (h == DKIM_HASH_SHA1 && dl == 20));
}

static struct key_source *
zone_with(EVP_PKEY *pk)
{
	struct key_source_opts	 o;
	struct buf		 rec = BUF_INIT, z = BUF_INIT, err = BUF_INIT;
	struct key_source	*ks;
	const char		*zones[1], *tmp;
	char			 path[256];
	int			 fd;

	buf_puts(&rec, "v=DKIM1; k=rsa; p=");
	REQUIRE(crypto_public_b64(pk, &rec));
	buf_puts(&z, "$TTL 300\nexample.com. IN SOA ns.example.com. "
	    "host.example.com. 1 3600 600 86400 60\n");
	key_record_zone_line(&z, "fz._domainkey.example.com", 300,
	    buf_cstr(&rec));
	buf_putc(&z, '\n');
	REQUIRE(buf_ok(&z));
	tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(path, sizeof(path), "%s/fuzz_diagnose.XXXXXX", tmp);
	if ((fd = mkstemp(path)) == -1) {
		fprintf(stderr, "fuzz_diagnose: mkstemp: %s\n",
		    strerror(errno));
		abort();
	}
	REQUIRE(write(fd, z.data, z.len) == (ssize_t)z.len);
	close(fd);
	memset(&o, 0, sizeof(o));
	zones[0] = path;
	o.zones = zones;
	o.nzones = 1;
	ks = key_source_new(&o, &err);
	unlink(path);
	if (ks == NULL) {
		fprintf(stderr, "fuzz_diagnose: zone: %s\n", buf_cstr(&err));
		abort();
	}
	buf_free(&rec);
	buf_free(&z);
	buf_free(&err);
	return ks;
}

/* Path 2: the whole verification and its explanation. */
static void
verify_explain(EVP_PKEY *pk, const uint8_t *sig, size_t len)
{
	static const char body[] = "body\r\n";
	unsigned char	 bh[32];
	unsigned int	 bhl;
	struct key_source *ks = zone_with(pk);
	struct verify_opts o;
	struct verify_result vr;
	struct buf	 msg = BUF_INIT, out = BUF_INIT, why = BUF_INIT;
	struct diagnosis dg;
	struct render_extra ex;
	enum crypto_key_check bound = crypto_key_check(pk, &why);
	const struct sig_result *sr;

	REQUIRE(crypto_digest(DKIM_HASH_SHA256, body, sizeof(body) - 1, bh,
	    &bhl));
	buf_puts(&msg, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;"
	    " d=example.com; s=fz; h=from:subject; bh=");
	b64_encode(&msg, bh, bhl);
	buf_puts(&msg, "; b=");
	b64_encode(&msg, sig, len);
	buf_puts(&msg, "\r\nFrom: a@example.com\r\nSubject: x\r\n\r\n");
	buf_puts(&msg, body);
	REQUIRE(buf_ok(&msg));
	memset(&o, 0, sizeof(o));
	o.keys = ks;
	o.now = NOW;
	o.skew = VERIFY_DEFAULT_SKEW;
	o.keep_trace = true;
	REQUIRE(dkim_verify(&o, msg.data, msg.len, &vr));
	REQUIRE(vr.nsigs == 1);
	sr = &vr.sigs[0];
	/* an empty b= never reaches the key (tag-syntax) */
	switch (len == 0 ? CRYPTO_KEY_UNREADABLE : bound) {
	case CRYPTO_KEY_TOO_LARGE:
		REQUIRE(sr->result == DKIM_RESULT_PERMERROR &&
		    sr->reason == REASON_KEY_TOO_LARGE && sr->key == NULL);
		break;
	case CRYPTO_KEY_EXPONENT:
		REQUIRE(sr->result == DKIM_RESULT_PERMERROR &&
		    sr->reason == REASON_KEY_EXPONENT && sr->key == NULL);
		break;
	case CRYPTO_KEY_OK:
		REQUIRE(sr->key != NULL && (sr->result == DKIM_RESULT_PASS ||
		    sr->result == DKIM_RESULT_FAIL ||
		    sr->reason == REASON_KEY_TOO_SMALL));
		break;
	default:
		break;
	}
	REQUIRE(diagnosis_make(&dg, &vr));
	memset(&ex, 0, sizeof(ex));
	ex.dg = &dg;
	explain_render(&out, "msg.eml", &vr, &ex);
	REQUIRE(buf_ok(&out));
	diagnosis_free(&dg);
	verify_result_free(&vr);
	key_source_free(ks);
	buf_free(&msg);
	buf_free(&out);
	buf_free(&why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	EVP_PKEY	*pk;
	BIGNUM		*e;
	int		 bits;

	if (size < 3)
		return 0;
	bits = MIN_BITS + (int)(((unsigned)data[0] << 8 | data[1]) %
	    (MAX_BITS - MIN_BITS + 1));
	e = exponent(data[2], bits, data, size);
	if ((pk = public_key(bits, e, data, size)) != NULL) {
		recover_raw(pk, data + 3, size - 3);
		verify_explain(pk, data + 3, size - 3);
	}
	EVP_PKEY_free(pk);
	BN_free(e);
	ERR_clear_error();
	return 0;
}
