/* SPDX-License-Identifier: ISC */
/*
 * test_crypto: digests, RSA PKCS#1 v1.5 and ed25519 (RFC 8032 PureEdDSA)
 * signatures over a digest, RSA recovery, public key export.
 *
 * Known answers:
 * - SHA-256("abc"), SHA-1("abc"): FIPS 180-2 appendix B.1 / A.1.
 * - ed25519: RFC 8032 section 7.1, TEST 2 (secret key 4ccd089b..., message
 *   0x72).  Its PEM below is the PKCS#8 wrapping of that secret key.
 * - RSA: a throwaway 1024-bit key (openssl genpkey); the expected signature
 *   was made with
 *     printf abc | openssl dgst -sha256 -binary |
 *         openssl pkeyutl -sign -inkey a.pem -pkeyopt digest:sha256
 *   and its public SubjectPublicKeyInfo with openssl pkey -pubout.
 */
#include <stdlib.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "tests/unit/unit.h"
#include "verifier/crypto.h"
#include "verifier/key_record.h"

static const char rsa_a_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAN3jcDmXIAV7hVhz\n"
    "JLzz7b34say572bQPrI8GK7R7Pc7DUtz9yG3eucqbIbDKMIdSb0HYrfQS+AQ8PTQ\n"
    "0ojR7lq3ZiC9RSZvUK8iVAzQxFXDMy6UdKcmMrDnCJiLrjj9qVQkyigqyRwTq3d4\n"
    "AZ/YXLZ7+ggVDbX+ODJQuLpvgsLFAgMBAAECgYAJRt0GS183W3azv/ylOb2S17b1\n"
    "9cAgmExGv2R4yqYRoBJqOSr36eflikyHRdmKZBcVJB3oeXjyoUKxuZlTxxMj+9hF\n"
    "PRNWxAHAOoCK9hmmsB6rqjAzStLIt2X4jT9wU9WUuANQlyPD61SDYp+4Be9+j5Xq\n"
    "zvF1f/SJjmVF8zKp8QJBAPzHm3eDAwOwVpnzuDJFbSh9Xs8n+jJOjNV+HtngWyFU\n"
    "ec36YC04Z9cdNiGF4vFNjeHmOjyVLZP4hykDPTYjOZMCQQDgtxXHAy5Ryo3zkAfC\n"
    "UN35gkIMsXE/kBinJxHfZjLDfMoewAdLRC3H6e/yaM3wcoW+qFJvzbNC0Ud4ito8\n"
    "relHAkEAjLCcOvxUJS10ReN8VZ6Gjs6YgjwB6RYHFJxJl4Jjtj1KPfZoqUKHqRa9\n"
    "FhNqqFs96Mk3CJkO8RiWQaFn5EXeuQJAfSi8MmotJFUjFyODjtEnsU7Bpvw1zWde\n"
    "s8rpA3qSj5szoEjoRx2kOhKsGGITQfcnUvfBYpA5Zd/WZOdBgkaDBQJBAJINxbwm\n"
    "lHvuCB5Icie/WZBI+2lQPpk7uQsmIxsb91AGwnPt+o/oHHFXgKA4oS67eVlZqU2N\n"
    "awwyXblAP+vpEQc=\n"
    "-----END PRIVATE KEY-----\n";

/* key A's SubjectPublicKeyInfo, base64 */
#define RSA_A_SPKI \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDd43A5lyAFe4VYcyS88+29+LGs" \
	"ue9m0D6yPBiu0ez3Ow1Lc/cht3rnKmyGwyjCHUm9B2K30EvgEPD00NKI0e5at2Yg" \
	"vUUmb1CvIlQM0MRVwzMulHSnJjKw5wiYi644/alUJMooKskcE6t3eAGf2Fy2e/oI" \
	"FQ21/jgyULi6b4LCxQIDAQAB"

/* key A, rsa-sha256 over SHA-256("abc") */
#define RSA_A_SIG_ABC \
	"3ea48aa92dc1322b4e256b8e5c484b9c8d9abf74ef6773603dd67ebbb08df171" \
	"d221ffcb544808767246411ab48621544c069e319ebd535f9b9c840650b4362d" \
	"c17517cf6bce3bc366ea5a48110425822551d09d79cfe0099b18e23d2de1cc9d" \
	"43f7ca2d37c8b72f4058e3892d66554dfaf466c5a4854523aa7c684a530e72cf"

/* another 1024-bit key */
static const char rsa_b_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMO0/wS7wIrjeRtl\n"
    "yrLw37X5LYZmK+D0yCigDK/FMyWWS1t9yhwa327eRGKA9Kr4GWFoj48ikICYlsrr\n"
    "Yr6Pv/MH3G4R3EB+HJG0KQMilAnjJogVPxZC5Bcmqqb214WQd45cC3U3kbyDLy7C\n"
    "m4lzKcgXI4DqYdWxXgL9f+HTe73BAgMBAAECgYAzHKYtuktC+r26Zg9WRIpooDc/\n"
    "jpePHN7ZnVMy5LHC80mjD2slg+8uqWX6w+sia8FVK1Wy8DgFHdTkEi2rzyc2AIiC\n"
    "7ZPPEe9K3gwIPIhki/0C/i+iVv/bt/qPtk+hdWmanQBBHihV5I+05HSf8QuxHoYA\n"
    "J4StGrPrctq0UdezQQJBAO4CsPif/Ll9IeFbIhQJyUZSZYLlcQSuKh+A8ieq5e5f\n"
    "lY7pmvNXKBbmoLxOJD7KEuPikYJxDcfO8uPpQ6jlkb0CQQDSf8ROcMh/jAp01RWE\n"
    "RTIg9pxU7aZXICsC4Y85joELwyMAD99vdklTnFnLDQP1633EaELm4ZNVaWZE7kbe\n"
    "2GJVAkBrXwFxF9ON5jprjI5CFewb8j3jIBitMNjF34jehkU2FR7GGvKRBmeKdT5b\n"
    "1LCbNtPwxBw6iT/bPKvsTyX7wpzNAkEAuH7Vry64/NngXFBbQIhpjGy5ztJQxfJi\n"
    "4G6UWw0k3AtXhPlki8wwLsFODmNFAmk53UjIwpYZzXXI9kemBDHB1QJBANI+YuAY\n"
    "CzhCGgeP8irmdiDRxEYT5TlATqbPzcV69STsfe9eI0Zs/zlAm/6MxLY4f0a93P3e\n"
    "NoTVDzIwk5z/rK4=\n"
    "-----END PRIVATE KEY-----\n";

/* RFC 8032 7.1 TEST 2 secret key, PKCS#8 */
static const char ed_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
    "-----END PRIVATE KEY-----\n";

/* RFC 8032 TEST 2 public key 3d4017c3...4660c in base64 */
#define ED_PUB_B64	"PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw="
/* RFC 8032 TEST 2 signature of the one-octet message 0x72 */
#define ED_SIG_72 \
	"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" \
	"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"

#define SHA256_ABC \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA1_ABC	"a9993e364706816aba3e25717850c26c9cd0d89d"

static char	 tmpdir[] = "/tmp/test_crypto.XXXXXX";

static const char *
hex(const void *v, size_t n)
{
	static char		 b[2][1025];
	static int		 k;
	const unsigned char	*p = v;
	size_t			 i;

	k = (k + 1) % 2;
	if (n > 512)
		n = 512;
	for (i = 0; i < n; i++)
		snprintf(b[k] + 2 * i, 3, "%02x", p[i]);
	b[k][2 * n] = '\0';
	return b[k];
}

static EVP_PKEY *
load(const char *name, const char *pem)
{
	char		 path[128];
	FILE		*fp;
	struct buf	 err = BUF_INIT;
	EVP_PKEY	*pk;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if ((fp = fopen(path, "w")) == NULL || fputs(pem, fp) == EOF ||
	    fclose(fp) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
	pk = crypto_load_private(path, &err);
	if (pk == NULL)
		printf("# %s: %s\n", name, buf_cstr(&err));
	buf_free(&err);
	unlink(path);
	return pk;
}

static void
test_digest(void)
{
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dl = 0;

	CHECK_TRUE("crypto/sha256-ok", crypto_digest(DKIM_HASH_SHA256, "abc", 3,
	    d, &dl));
	CHECK_STR("crypto/sha256-abc", hex(d, dl), SHA256_ABC);
	CHECK_TRUE("crypto/sha1-ok", crypto_digest(DKIM_HASH_SHA1, "abc", 3, d,
	    &dl));
	CHECK_STR("crypto/sha1-abc", hex(d, dl), SHA1_ABC);
	CHECK_INT("crypto/md-size-sha256", crypto_md_size(DKIM_HASH_SHA256),
	    32);
	CHECK_INT("crypto/md-size-sha1", crypto_md_size(DKIM_HASH_SHA1), 20);
	CHECK_TRUE("crypto/md-fetched", crypto_md(DKIM_HASH_SHA256) != NULL &&
	    crypto_md(DKIM_HASH_SHA1) != NULL &&
	    EVP_MD_get_size(crypto_md(DKIM_HASH_SHA1)) == 20);
}

static void
test_rsa(EVP_PKEY *a, EVP_PKEY *b)
{
	unsigned char	 d[32], d1[20], got[64];
	unsigned int	 dl;
	size_t		 got_len = 0;
	enum dkim_hash	 h = DKIM_HASH_SHA1;
	struct buf	 sig = BUF_INIT, err = BUF_INIT, bad = BUF_INIT;
	unsigned char	 big[256];

	(void)crypto_digest(DKIM_HASH_SHA256, "abc", 3, d, &dl);
	CHECK_TRUE("crypto/rsa-sign-ok", crypto_sign(a, DKIM_ALG_RSA_SHA256,
	    d, 32, &sig, &err));
	CHECK_INT("crypto/rsa-sign-len", sig.len, 128);
	/* PKCS#1 v1.5 is deterministic: the openssl pkeyutl answer */
	CHECK_STR("crypto/rsa-sign-kat", hex(sig.data, sig.len),
	    RSA_A_SIG_ABC);
	CHECK_INT("crypto/rsa-verify-good", crypto_verify(a,
	    DKIM_ALG_RSA_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_GOOD);

	/* one flipped bit, in the signature or in the digest */
	buf_append(&bad, sig.data, sig.len);
	bad.data[40] ^= 0x01;
	CHECK_INT("crypto/rsa-verify-flipped-sig", crypto_verify(a,
	    DKIM_ALG_RSA_SHA256, d, 32, (unsigned char *)bad.data, bad.len),
	    CRYPTO_BAD);
	d[31] ^= 0x80;
	CHECK_INT("crypto/rsa-verify-flipped-digest", crypto_verify(a,
	    DKIM_ALG_RSA_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_BAD);
	d[31] ^= 0x80;
	CHECK_INT("crypto/rsa-verify-other-key", crypto_verify(b,
	    DKIM_ALG_RSA_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_BAD);
	/* a SHA-256 signature is not a SHA-1 signature */
	CHECK_INT("crypto/rsa-verify-wrong-hash", crypto_verify(a,
	    DKIM_ALG_RSA_SHA1, d, 20, (unsigned char *)sig.data, sig.len),
	    CRYPTO_BAD);
	CHECK_INT("crypto/rsa-verify-truncated", crypto_verify(a,
	    DKIM_ALG_RSA_SHA256, d, 32, (unsigned char *)sig.data, 64),
	    CRYPTO_BAD);
	CHECK_INT("crypto/rsa-verify-ed25519-alg", crypto_verify(a,
	    DKIM_ALG_ED25519_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_ERROR);
	CHECK_INT("crypto/rsa-verify-null-key", crypto_verify(NULL,
	    DKIM_ALG_RSA_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_ERROR);

	/* recovery: the right key gives back the digest ... */
	CHECK_INT("crypto/recover-digest", crypto_rsa_recover(a,
	    (unsigned char *)sig.data, sig.len, &h, got, sizeof(got), &got_len),
	    RECOVER_DIGEST);
	CHECK_INT("crypto/recover-digest-hash", h, DKIM_HASH_SHA256);
	CHECK_STR("crypto/recover-digest-bytes", hex(got, got_len), SHA256_ABC);
	/* another key: no PKCS#1 block */
	CHECK_INT("crypto/recover-other-key", crypto_rsa_recover(b,
	    (unsigned char *)sig.data, sig.len, &h, got, sizeof(got), &got_len),
	    RECOVER_BAD_PADDING);
	CHECK_INT("crypto/recover-flipped-sig", crypto_rsa_recover(a,
	    (unsigned char *)bad.data, bad.len, &h, got, sizeof(got), &got_len),
	    RECOVER_BAD_PADDING);
	memset(big, 0x5a, sizeof(big));
	CHECK_INT("crypto/recover-too-long", crypto_rsa_recover(a, big,
	    sizeof(big), &h, got, sizeof(got), &got_len), RECOVER_BAD_LENGTH);

	/* rsa-sha1 still signs and recovers (RFC 8301 refuses it elsewhere) */
	(void)crypto_digest(DKIM_HASH_SHA1, "abc", 3, d1, &dl);
	buf_reset(&sig);
	CHECK_TRUE("crypto/rsa-sha1-sign-ok", crypto_sign(a, DKIM_ALG_RSA_SHA1,
	    d1, 20, &sig, &err));
	CHECK_INT("crypto/rsa-sha1-verify", crypto_verify(a, DKIM_ALG_RSA_SHA1,
	    d1, 20, (unsigned char *)sig.data, sig.len), CRYPTO_GOOD);
	CHECK_INT("crypto/rsa-sha1-recover", crypto_rsa_recover(a,
	    (unsigned char *)sig.data, sig.len, &h, got, sizeof(got), &got_len),
	    RECOVER_DIGEST);
	CHECK_INT("crypto/rsa-sha1-recover-hash", h, DKIM_HASH_SHA1);
	CHECK_STR("crypto/rsa-sha1-recover-bytes", hex(got, got_len), SHA1_ABC);

	/* crypto_sign appends to what sig holds */
	buf_reset(&sig);
	buf_puts(&sig, "XY");
	(void)crypto_sign(a, DKIM_ALG_RSA_SHA256, d, 32, &sig, &err);
	CHECK_TRUE("crypto/rsa-sign-appends", sig.len == 130 &&
	    memcmp(sig.data, "XY", 2) == 0 &&
	    strcmp(hex(sig.data + 2, 128), RSA_A_SIG_ABC) == 0);

	buf_reset(&sig);
	CHECK_TRUE("crypto/public-b64-rsa", crypto_public_b64(a, &sig));
	CHECK_STR("crypto/public-b64-rsa-spki", buf_cstr(&sig), RSA_A_SPKI);
	buf_free(&sig);
	buf_free(&err);
	buf_free(&bad);
}

static void
test_ed25519(EVP_PKEY *ed, EVP_PKEY *rsa)
{
	unsigned char		 d[32], got[64];
	unsigned int		 dl;
	size_t			 got_len;
	enum dkim_hash		 h;
	struct buf		 sig = BUF_INIT, err = BUF_INIT;
	struct buf		 pub = BUF_INIT, why = BUF_INIT;
	struct buf		 rec = BUF_INIT;
	struct key_record	 k;
	const unsigned char	 m72 = 0x72;

	/* RFC 8032 7.1 TEST 2 */
	CHECK_TRUE("crypto/ed25519-rfc8032-sign-ok", crypto_sign(ed,
	    DKIM_ALG_ED25519_SHA256, &m72, 1, &sig, &err));
	CHECK_STR("crypto/ed25519-rfc8032-sig", hex(sig.data, sig.len),
	    ED_SIG_72);
	CHECK_INT("crypto/ed25519-rfc8032-verify", crypto_verify(ed,
	    DKIM_ALG_ED25519_SHA256, &m72, 1, (unsigned char *)sig.data,
	    sig.len), CRYPTO_GOOD);

	/* over a fixed SHA-256 digest, as DKIM uses it (RFC 8463) */
	(void)crypto_digest(DKIM_HASH_SHA256, "abc", 3, d, &dl);
	buf_reset(&sig);
	CHECK_TRUE("crypto/ed25519-sign-ok", crypto_sign(ed,
	    DKIM_ALG_ED25519_SHA256, d, 32, &sig, &err));
	CHECK_INT("crypto/ed25519-sign-len", sig.len, 64);
	CHECK_INT("crypto/ed25519-verify-good", crypto_verify(ed,
	    DKIM_ALG_ED25519_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_GOOD);
	sig.data[10] ^= 0x04;
	CHECK_INT("crypto/ed25519-verify-flipped-sig", crypto_verify(ed,
	    DKIM_ALG_ED25519_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_BAD);
	sig.data[10] ^= 0x04;
	d[0] ^= 0x01;
	CHECK_INT("crypto/ed25519-verify-flipped-digest", crypto_verify(ed,
	    DKIM_ALG_ED25519_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_BAD);
	d[0] ^= 0x01;
	CHECK_INT("crypto/ed25519-verify-truncated", crypto_verify(ed,
	    DKIM_ALG_ED25519_SHA256, d, 32, (unsigned char *)sig.data, 63),
	    CRYPTO_BAD);
	CHECK_INT("crypto/ed25519-verify-rsa-alg", crypto_verify(ed,
	    DKIM_ALG_RSA_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_ERROR);
	CHECK_INT("crypto/ed25519-verify-rsa-key", crypto_verify(rsa,
	    DKIM_ALG_ED25519_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_ERROR);
	CHECK_INT("crypto/ed25519-recover-not-rsa", crypto_rsa_recover(ed,
	    (unsigned char *)sig.data, sig.len, &h, got, sizeof(got), &got_len),
	    RECOVER_NOT_RSA);

	/* the wrong key type cannot sign */
	buf_reset(&err);
	CHECK_TRUE("crypto/sign-ed25519-as-rsa", !crypto_sign(ed,
	    DKIM_ALG_RSA_SHA256, d, 32, &sig, &err) && err.len > 0);
	buf_reset(&err);
	CHECK_TRUE("crypto/sign-rsa-as-ed25519", !crypto_sign(rsa,
	    DKIM_ALG_ED25519_SHA256, d, 32, &sig, &err) && err.len > 0);

	/* p= of an ed25519 key: raw 32 octets, 44 base64 characters */
	CHECK_TRUE("crypto/public-b64-ed25519-ok", crypto_public_b64(ed, &pub));
	CHECK_INT("crypto/public-b64-ed25519-len", pub.len, 44);
	CHECK_STR("crypto/public-b64-ed25519", buf_cstr(&pub), ED_PUB_B64);

	/* and a key record made of it verifies the signature */
	buf_printf(&rec, "v=DKIM1; k=ed25519; p=%s", buf_cstr(&pub));
	buf_reset(&sig);
	(void)crypto_sign(ed, DKIM_ALG_ED25519_SHA256, d, 32, &sig, &err);
	CHECK_INT("crypto/ed25519-record-parse", key_record_parse(&k, rec.data,
	    rec.len, &why), REASON_OK);
	CHECK_INT("crypto/ed25519-record-verify", crypto_verify(k.pkey,
	    DKIM_ALG_ED25519_SHA256, d, 32, (unsigned char *)sig.data, sig.len),
	    CRYPTO_GOOD);
	key_record_free(&k);
	buf_free(&sig);
	buf_free(&err);
	buf_free(&pub);
	buf_free(&why);
	buf_free(&rec);
}

static void
test_load(void)
{
	struct buf	 err = BUF_INIT;
	char		 path[128];
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/missing.pem", tmpdir);
	CHECK_TRUE("crypto/load-missing", crypto_load_private(path, &err) ==
	    NULL);
	CHECK_TRUE("crypto/load-missing-names-file",
	    strstr(buf_cstr(&err), path) != NULL);
	buf_reset(&err);
	snprintf(path, sizeof(path), "%s/garbage.pem", tmpdir);
	if ((fp = fopen(path, "w")) == NULL ||
	    fputs("not a key\n", fp) == EOF || fclose(fp) != 0)
		exit(2);
	CHECK_TRUE("crypto/load-garbage", crypto_load_private(path, &err) ==
	    NULL);
	CHECK_TRUE("crypto/load-garbage-names-file",
	    strstr(buf_cstr(&err), path) != NULL);
	unlink(path);
	buf_free(&err);
}

/*
 * An encrypted key is refused with its reason, never a passphrase prompt
 * (a nightly job has no terminal; OpenSSL's default would open /dev/tty).
 */
static void
test_load_encrypted(EVP_PKEY *a)
{
	struct buf	 err = BUF_INIT;
	char		 path[128];
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/encrypted.pem", tmpdir);
	if ((fp = fopen(path, "w")) == NULL || PEM_write_PrivateKey(fp, a,
	    EVP_aes_128_cbc(), (unsigned char *)"secret", 6, NULL, NULL) != 1 ||
	    fclose(fp) != 0)
		exit(2);
	CHECK_TRUE("crypto/load-encrypted-refused", crypto_load_private(path,
	    &err) == NULL);
	CHECK_TRUE("crypto/load-encrypted-says-why", strstr(buf_cstr(&err),
	    "an encrypted private key (fblscope never asks for a passphrase")
	    != NULL && strstr(buf_cstr(&err), path) != NULL);
	unlink(path);
	buf_free(&err);
}

/*
 * An RSA public key from n and e alone: what an attacker publishes need not
 * be a real key (n random with its top and bottom bits set).
 */
static EVP_PKEY *
public_key(int bits, const BIGNUM *e)
{
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*pk = NULL;
	BIGNUM		*n = BN_new();

	if (n == NULL || BN_rand(n, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD)
	    != 1 || (bld = OSSL_PARAM_BLD_new()) == NULL)
		exit(2);
	if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL)
		exit(2);
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	return pk;
}

static EVP_PKEY *
public_key_e(int bits, unsigned long long e)
{
	BIGNUM		*b = BN_new();
	EVP_PKEY	*pk;

	if (b == NULL || BN_set_word(b, (BN_ULONG)e) != 1)
		exit(2);
	pk = public_key(bits, b);
	BN_free(b);
	return pk;
}

/*
 * Issue 11, item 1: with e = 1 the public operation is the identity, so the
 * attacker chooses the whole recovered block, as long as the modulus.  A
 * 16,384-bit key gives 2,037 bytes after the padding: more than any fixed
 * buffer sized for real keys.  Recovery must size its buffer from the key.
 */
static void
test_recover_large(void)
{
	static const unsigned char di[] = { 0x30, 0x31, 0x30, 0x0d, 0x06,
	    0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
	    0x00, 0x04, 0x20 };
	unsigned char	 blk[2048], got[64];
	size_t		 got_len = 0, i;
	enum dkim_hash	 h;
	EVP_PKEY	*pk = public_key_e(16384, 1);

	CHECK_TRUE("crypto/recover-16384-e1-key", pk != NULL);
	if (pk == NULL)
		return;
	/* 00 01 FF*8 00, then 2,037 bytes of payload: not a DigestInfo */
	memset(blk, 0xff, sizeof(blk));
	blk[0] = 0x00;
	blk[1] = 0x01;
	blk[10] = 0x00;
	memset(blk + 11, 'A', sizeof(blk) - 11);
	CHECK_INT("crypto/recover-16384-e1-full-block", crypto_rsa_recover(pk,
	    blk, sizeof(blk), &h, got, sizeof(got), &got_len),
	    RECOVER_BAD_PADDING);
	/* the same key, padding up to a SHA-256 DigestInfo: recovered */
	memset(blk + 2, 0xff, sizeof(blk) - 2);
	i = sizeof(blk) - sizeof(di) - 32;
	blk[i - 1] = 0x00;
	memcpy(blk + i, di, sizeof(di));
	memset(blk + i + sizeof(di), 0xab, 32);
	CHECK_INT("crypto/recover-16384-e1-digest", crypto_rsa_recover(pk,
	    blk, sizeof(blk), &h, got, sizeof(got), &got_len), RECOVER_DIGEST);
	CHECK_INT("crypto/recover-16384-e1-digest-len", got_len, 32);
	CHECK_TRUE("crypto/recover-16384-e1-digest-bytes", got_len == 32 &&
	    got[0] == 0xab && got[31] == 0xab);
	/* a caller's digest buffer too small for the digest: never written */
	memset(got, 0, sizeof(got));
	CHECK_INT("crypto/recover-digest-cap", crypto_rsa_recover(pk, blk,
	    sizeof(blk), &h, got, 16, &got_len), RECOVER_BAD_PADDING);
	CHECK_TRUE("crypto/recover-digest-cap-untouched", got[0] == 0);
	EVP_PKEY_free(pk);
}

/* One bound, one key: its check and the key record made of it. */
static void
key_case(const char *name, EVP_PKEY *pk, enum crypto_key_check want,
    enum dkim_reason want_reason, unsigned want_bits)
{
	struct buf	 why = BUF_INIT, rec = BUF_INIT;
	struct key_record k;
	char		 n[96];

	snprintf(n, sizeof(n), "crypto/bounds-%s-key", name);
	CHECK_TRUE(n, pk != NULL);
	if (pk == NULL)
		return;
	snprintf(n, sizeof(n), "crypto/bounds-%s-check", name);
	CHECK_INT(n, crypto_key_check(pk, &why), want);
	snprintf(n, sizeof(n), "crypto/bounds-%s-why", name);
	CHECK_TRUE(n, (want == CRYPTO_KEY_OK) == (why.len == 0));
	buf_reset(&why);
	buf_puts(&rec, "v=DKIM1; k=rsa; p=");
	if (!crypto_public_b64(pk, &rec))
		exit(2);
	snprintf(n, sizeof(n), "crypto/bounds-%s-record", name);
	CHECK_INT(n, key_record_parse(&k, rec.data, rec.len, &why),
	    want_reason);
	snprintf(n, sizeof(n), "crypto/bounds-%s-record-bits", name);
	CHECK_INT(n, k.bits, want_bits);
	snprintf(n, sizeof(n), "crypto/bounds-%s-record-pkey", name);
	CHECK_TRUE(n, (k.pkey != NULL) == (want_reason == REASON_OK));
	key_record_free(&k);
	buf_free(&why);
	buf_free(&rec);
	EVP_PKEY_free(pk);
}

static void
test_key_bounds(void)
{
	BIGNUM		*e = BN_new();

	key_case("2048-65537", public_key_e(2048, 65537), CRYPTO_KEY_OK,
	    REASON_OK, 2048);
	key_case("8192-65537", public_key_e(8192, 65537), CRYPTO_KEY_OK,
	    REASON_OK, 8192);
	key_case("8200-65537", public_key_e(8200, 65537),
	    CRYPTO_KEY_TOO_LARGE, REASON_KEY_TOO_LARGE, 8200);
	key_case("16384-e1", public_key_e(16384, 1), CRYPTO_KEY_TOO_LARGE,
	    REASON_KEY_TOO_LARGE, 16384);
	key_case("2048-e3", public_key_e(2048, 3), CRYPTO_KEY_OK, REASON_OK,
	    2048);
	key_case("2048-e1", public_key_e(2048, 1), CRYPTO_KEY_EXPONENT,
	    REASON_KEY_EXPONENT, 2048);
	key_case("2048-even", public_key_e(2048, 65536), CRYPTO_KEY_EXPONENT,
	    REASON_KEY_EXPONENT, 2048);
	/* the bound is 33 bits: 2^33 - 1 is in, 2^33 + 1 is out */
	key_case("2048-e33bits", public_key_e(2048, (1ULL << 33) - 1),
	    CRYPTO_KEY_OK, REASON_OK, 2048);
	key_case("2048-e34bits", public_key_e(2048, (1ULL << 33) + 1),
	    CRYPTO_KEY_EXPONENT, REASON_KEY_EXPONENT, 2048);
	/* a 3,072-bit key with a 3,071-bit exponent (issue 11, item 5) */
	if (e == NULL || BN_rand(e, 3071, BN_RAND_TOP_ONE,
	    BN_RAND_BOTTOM_ODD) != 1)
		exit(2);
	key_case("3072-e3071bits", public_key(3072, e), CRYPTO_KEY_EXPONENT,
	    REASON_KEY_EXPONENT, 3072);
	BN_free(e);
}

/* A signing key is held to the same bounds as a published one. */
static void
test_load_bounds(void)
{
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*pk = NULL;
	BIGNUM		*e = BN_new();
	struct buf	 err = BUF_INIT;
	char		 path[128];
	FILE		*fp;

	if (e == NULL || BN_set_word(e, (BN_ULONG)((1ULL << 33) + 1)) != 1 ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024) != 1 ||
	    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) != 1 ||
	    EVP_PKEY_keygen(ctx, &pk) != 1)
		exit(2);
	snprintf(path, sizeof(path), "%s/e34.pem", tmpdir);
	if ((fp = fopen(path, "w")) == NULL ||
	    PEM_write_PrivateKey(fp, pk, NULL, NULL, 0, NULL, NULL) != 1 ||
	    fclose(fp) != 0)
		exit(2);
	CHECK_TRUE("crypto/load-e34bits-refused", crypto_load_private(path,
	    &err) == NULL);
	CHECK_TRUE("crypto/load-e34bits-says-why", strstr(buf_cstr(&err),
	    "exponent of 34 bits") != NULL && strstr(buf_cstr(&err), path) !=
	    NULL);
	unlink(path);
	EVP_PKEY_free(pk);
	EVP_PKEY_CTX_free(ctx);
	BN_free(e);
	buf_free(&err);
}

int
main(void)
{
	EVP_PKEY	*a, *b, *ed;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	test_digest();
	a = load("a.pem", rsa_a_pem);
	b = load("b.pem", rsa_b_pem);
	ed = load("ed.pem", ed_pem);
	CHECK_TRUE("crypto/load-keys", a != NULL && b != NULL && ed != NULL);
	if (a != NULL && b != NULL && ed != NULL) {
		test_rsa(a, b);
		test_ed25519(ed, a);
		test_load_encrypted(a);
	}
	test_load();
	test_recover_large();
	test_key_bounds();
	test_load_bounds();
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	EVP_PKEY_free(ed);
	rmdir(tmpdir);
	return UNIT_DONE();
}
