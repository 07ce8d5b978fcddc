/* SPDX-License-Identifier: ISC */
/*
 * test_key_record: DKIM key records, RFC 6376 section 3.6.1, with the
 * ed25519 form of RFC 8463.
 *
 * The RSA keys below are throwaway test keys made with
 *   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:N
 *   openssl pkey -pubout -outform DER | base64           (SubjectPublicKeyInfo)
 *   openssl rsa -RSAPublicKey_out -outform DER | base64  (bare RSAPublicKey)
 * The ed25519 key is the one of RFC 8463 appendix A.3.
 */
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "verifier/key_record.h"

#define RSA1024_SPKI \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDd43A5lyAFe4VYcyS88+29+LGs" \
	"ue9m0D6yPBiu0ez3Ow1Lc/cht3rnKmyGwyjCHUm9B2K30EvgEPD00NKI0e5at2Yg" \
	"vUUmb1CvIlQM0MRVwzMulHSnJjKw5wiYi644/alUJMooKskcE6t3eAGf2Fy2e/oI" \
	"FQ21/jgyULi6b4LCxQIDAQAB"
#define RSA1024_PKCS1 \
	"MIGJAoGBAN3jcDmXIAV7hVhzJLzz7b34say572bQPrI8GK7R7Pc7DUtz9yG3eucq" \
	"bIbDKMIdSb0HYrfQS+AQ8PTQ0ojR7lq3ZiC9RSZvUK8iVAzQxFXDMy6UdKcmMrDn" \
	"CJiLrjj9qVQkyigqyRwTq3d4AZ/YXLZ7+ggVDbX+ODJQuLpvgsLFAgMBAAE="
/* RSA1024_SPKI's DER with one 0x00 octet appended */
#define RSA1024_SPKI_TRAILING \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDd43A5lyAFe4VYcyS88+29+LGs" \
	"ue9m0D6yPBiu0ez3Ow1Lc/cht3rnKmyGwyjCHUm9B2K30EvgEPD00NKI0e5at2Yg" \
	"vUUmb1CvIlQM0MRVwzMulHSnJjKw5wiYi644/alUJMooKskcE6t3eAGf2Fy2e/oI" \
	"FQ21/jgyULi6b4LCxQIDAQABAA=="
#define RSA2048_SPKI \
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw35af0STbH0K81PjZCDi" \
	"BlOOnU1TJyxAXy1AVCDRidmxb6W953aJk/CLfwQ2r0l2bFB0Edrgcq08vVYtt8Hk" \
	"qYdLGnIzTVd+DvKHJ4DWWpC2PTjCFsWpeWxDumS2/DBFj0kHnoGFoTRO/dh1SarH" \
	"irfW6pOxkE9UYKt+0xd2Ne9oAT4s4C6iAWpl3kKjTvjkcY04DSgciQMcOVA/PdIU" \
	"5a7hvNxKdba5ro5fa7BI9n3dgQJcBGSKdP0r4Og8WHFSBYDNdromLFBn4ESGcC7M" \
	"FIg0twWZnoxhgTFowsbscU5fKzV3Qt7uPqsmqn2XqlJdq3v5pjNv1vt4GWhda7G/" \
	"jwIDAQAB"
#define RSA2048_PKCS1 \
	"MIIBCgKCAQEAw35af0STbH0K81PjZCDiBlOOnU1TJyxAXy1AVCDRidmxb6W953aJ" \
	"k/CLfwQ2r0l2bFB0Edrgcq08vVYtt8HkqYdLGnIzTVd+DvKHJ4DWWpC2PTjCFsWp" \
	"eWxDumS2/DBFj0kHnoGFoTRO/dh1SarHirfW6pOxkE9UYKt+0xd2Ne9oAT4s4C6i" \
	"AWpl3kKjTvjkcY04DSgciQMcOVA/PdIU5a7hvNxKdba5ro5fa7BI9n3dgQJcBGSK" \
	"dP0r4Og8WHFSBYDNdromLFBn4ESGcC7MFIg0twWZnoxhgTFowsbscU5fKzV3Qt7u" \
	"Pqsmqn2XqlJdq3v5pjNv1vt4GWhda7G/jwIDAQAB"
#define RSA512_SPKI \
	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMXiPcfeqpJO3yxFbX8GfFdAhFTOvNH6" \
	"WvcNP7qeX2FqZepaxVKOBjHjVdGV933O5hJXaJPhAst8b4FcItNHaHkCAwEAAQ=="
/* an ed25519 SubjectPublicKeyInfo (not the raw form RFC 8463 wants) */
#define ED_SPKI \
	"MCowBQYDK2VwAyEAa5hlEAEMN5XG8YPI02/3SlmWJKLs4AHWJWFeZDhd6y4="
/* RFC 8463 A.3 */
#define ED_RAW		"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

static struct key_record	 k;
static struct buf		 why = BUF_INIT;

static enum dkim_reason
kparse(const char *txt)
{
	size_t		 len = strlen(txt);
	char		*copy;
	enum dkim_reason r;

	key_record_free(&k);
	buf_reset(&why);
	if ((copy = malloc(len ? len : 1)) == NULL)
		exit(2);
	memcpy(copy, txt, len);
	r = key_record_parse(&k, copy, len, &why);
	free(copy);	/* the record must not point into the text */
	return r;
}

static void
test_rsa(void)
{
	CHECK_INT("key_record/rsa1024-spki", kparse("v=DKIM1; k=rsa; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_INT("key_record/rsa1024-spki-type", k.type, KEY_TYPE_RSA);
	CHECK_INT("key_record/rsa1024-spki-bits", k.bits, 1024);
	CHECK_TRUE("key_record/rsa1024-spki-pkey", k.pkey != NULL);
	CHECK_TRUE("key_record/rsa1024-spki-not-revoked", !k.revoked);
	CHECK_INT("key_record/rsa1024-default-hash-mask", k.hash_mask,
	    KEY_HASH_ANY);
	CHECK_TRUE("key_record/rsa1024-default-service", k.service_ok);
	CHECK_TRUE("key_record/rsa1024-default-flags",
	    !k.testing && !k.strict && k.flags == NULL && k.notes == NULL);

	CHECK_INT("key_record/rsa1024-pkcs1", kparse("v=DKIM1; p="
	    RSA1024_PKCS1), REASON_OK);
	CHECK_INT("key_record/rsa1024-pkcs1-bits", k.bits, 1024);
	CHECK_INT("key_record/rsa1024-pkcs1-type", k.type, KEY_TYPE_RSA);
	/* both forms give the same key */
	{
		EVP_PKEY	*a = k.pkey;

		k.pkey = NULL;
		(void)kparse("p=" RSA1024_SPKI);
		CHECK_TRUE("key_record/rsa1024-forms-equal", a != NULL &&
		    k.pkey != NULL && EVP_PKEY_eq(a, k.pkey) == 1);
		EVP_PKEY_free(a);
	}

	CHECK_INT("key_record/rsa2048-spki", kparse("v=DKIM1; k=rsa; p="
	    RSA2048_SPKI), REASON_OK);
	CHECK_INT("key_record/rsa2048-spki-bits", k.bits, 2048);
	CHECK_INT("key_record/rsa2048-pkcs1", kparse("v=DKIM1; k=rsa; p="
	    RSA2048_PKCS1), REASON_OK);
	CHECK_INT("key_record/rsa2048-pkcs1-bits", k.bits, 2048);

	/* too small to use, but it parses and says its size */
	CHECK_INT("key_record/rsa512-parses", kparse("v=DKIM1; p="
	    RSA512_SPKI), REASON_OK);
	CHECK_INT("key_record/rsa512-bits", k.bits, 512);

	/* no v=: fine, k= defaults to rsa */
	CHECK_INT("key_record/no-v", kparse("p=" RSA1024_SPKI), REASON_OK);
	CHECK_INT("key_record/no-v-type", k.type, KEY_TYPE_RSA);
	/* a p= split by FWS, as TXT strings joined with a space */
	CHECK_INT("key_record/p-folded", kparse("v=DKIM1; p="
	    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDd43A5lyAFe4VYcyS88+29+LGs"
	    " \r\n\t"
	    "ue9m0D6yPBiu0ez3Ow1Lc/cht3rnKmyGwyjCHUm9B2K30EvgEPD00NKI0e5at2Yg"
	    " "
	    "vUUmb1CvIlQM0MRVwzMulHSnJjKw5wiYi644/alUJMooKskcE6t3eAGf2Fy2e/oI"
	    "FQ21/jgyULi6b4LCxQIDAQAB"), REASON_OK);
	CHECK_INT("key_record/p-folded-bits", k.bits, 1024);
	/* surrounding whitespace and a trailing ';' */
	CHECK_INT("key_record/spaces", kparse(" v = DKIM1 ; k = rsa ; p = "
	    RSA1024_SPKI " ; "), REASON_OK);
}

static void
test_errors(void)
{
	/* v= must be first (3.6.1) and exactly DKIM1 */
	CHECK_INT("key_record/v-not-first", kparse("k=rsa; v=DKIM1; p="
	    RSA1024_SPKI), REASON_KEY_SYNTAX);
	CHECK_TRUE("key_record/v-not-first-why", why.len > 0);
	CHECK_INT("key_record/v-dkim2", kparse("v=DKIM2; p=" RSA1024_SPKI),
	    REASON_KEY_SYNTAX);
	/* "a string comparison": DKIM1.0 is not DKIM1 (3.6.1 v=) */
	CHECK_INT("key_record/v-dkim1.0", kparse("v=DKIM1.0; p=" RSA1024_SPKI),
	    REASON_KEY_SYNTAX);
	CHECK_INT("key_record/v-empty", kparse("v=; p=" RSA1024_SPKI),
	    REASON_KEY_SYNTAX);
	CHECK_INT("key_record/v-spf1", kparse("v=spf1 -all"),
	    REASON_KEY_SYNTAX);

	CHECK_INT("key_record/k-unknown", kparse("v=DKIM1; k=foo; p="
	    RSA1024_SPKI), REASON_KEY_SYNTAX);
	CHECK_INT("key_record/k-unknown-type", k.type, KEY_TYPE_UNKNOWN);

	CHECK_INT("key_record/missing-p", kparse("v=DKIM1; k=rsa"),
	    REASON_KEY_SYNTAX);
	CHECK_TRUE("key_record/missing-p-why", why.len > 0);
	CHECK_INT("key_record/empty-record", kparse(""), REASON_KEY_SYNTAX);
	CHECK_INT("key_record/bad-base64", kparse("v=DKIM1; p=MIGf!!AB"),
	    REASON_KEY_SYNTAX);
	CHECK_TRUE("key_record/bad-base64-no-pkey", k.pkey == NULL);
	CHECK_INT("key_record/base64-not-der", kparse("v=DKIM1; p=dGVzdA=="),
	    REASON_KEY_SYNTAX);
	CHECK_INT("key_record/der-trailing-garbage", kparse("v=DKIM1; p="
	    RSA1024_SPKI_TRAILING), REASON_KEY_SYNTAX);
	/* an ed25519 key is not an rsa key */
	CHECK_INT("key_record/rsa-holding-ed25519-spki", kparse("v=DKIM1; p="
	    ED_SPKI), REASON_KEY_SYNTAX);
	/* tag-list errors */
	CHECK_INT("key_record/tag-syntax", kparse("v=DKIM1; p=" RSA1024_SPKI
	    ";;"), REASON_KEY_SYNTAX);
	CHECK_INT("key_record/tag-duplicate", kparse("v=DKIM1; p=; p="
	    RSA1024_SPKI), REASON_KEY_SYNTAX);
}

static void
test_revoked(void)
{
	CHECK_INT("key_record/revoked", kparse("v=DKIM1; p="), REASON_OK);
	CHECK_TRUE("key_record/revoked-flag", k.revoked);
	CHECK_TRUE("key_record/revoked-no-pkey", k.pkey == NULL);
	CHECK_INT("key_record/revoked-fws", kparse("v=DKIM1; k=rsa; p= ;"),
	    REASON_OK);
	CHECK_TRUE("key_record/revoked-fws-flag", k.revoked);
	CHECK_INT("key_record/revoked-ed25519",
	    kparse("v=DKIM1; k=ed25519; p="), REASON_OK);
	CHECK_TRUE("key_record/revoked-ed25519-flag", k.revoked);
}

static void
test_ed25519(void)
{
	CHECK_INT("key_record/ed25519", kparse("v=DKIM1; k=ed25519; p=" ED_RAW),
	    REASON_OK);
	CHECK_INT("key_record/ed25519-type", k.type, KEY_TYPE_ED25519);
	CHECK_INT("key_record/ed25519-bits", k.bits, 256);
	CHECK_TRUE("key_record/ed25519-pkey", k.pkey != NULL &&
	    EVP_PKEY_get_base_id(k.pkey) == EVP_PKEY_ED25519);
	/* RFC 8463 wants the raw 32 octets, not a SubjectPublicKeyInfo */
	CHECK_INT("key_record/ed25519-spki-refused",
	    kparse("v=DKIM1; k=ed25519; p=" ED_SPKI), REASON_KEY_SYNTAX);
	/* 31 octets (a base64 of 31 zero bytes) */
	CHECK_INT("key_record/ed25519-short",
	    kparse("v=DKIM1; k=ed25519; "
	    "p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),
	    REASON_KEY_SYNTAX);
	/* an RSA key under k=ed25519 */
	CHECK_INT("key_record/ed25519-holding-rsa",
	    kparse("v=DKIM1; k=ed25519; p=" RSA1024_SPKI), REASON_KEY_SYNTAX);
}

static void
test_options(void)
{
	CHECK_INT("key_record/h-sha256", kparse("v=DKIM1; h=sha256; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_INT("key_record/h-sha256-mask", k.hash_mask, KEY_HASH_SHA256);
	CHECK_INT("key_record/h-both", kparse("v=DKIM1; h=sha1:sha256; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_INT("key_record/h-both-mask", k.hash_mask,
	    KEY_HASH_SHA1 | KEY_HASH_SHA256);
	CHECK_INT("key_record/h-sha1", kparse("v=DKIM1; h=sha1; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_INT("key_record/h-sha1-mask", k.hash_mask, KEY_HASH_SHA1);
	/* key-h-tag = ... key-h-tag-alg *( ":" ...): at least one name */
	CHECK_INT("key_record/h-empty", kparse("v=DKIM1; h=; p="
	    RSA1024_SPKI), REASON_KEY_SYNTAX);
	/* unknown hash names are ignored (3.6.1 h=) */
	CHECK_INT("key_record/h-unknown-only", kparse("v=DKIM1; h=sha512; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_INT("key_record/h-unknown-only-mask", k.hash_mask, 0);
	CHECK_INT("key_record/h-fws", kparse("v=DKIM1; h= sha512 : sha256 ; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_INT("key_record/h-fws-mask", k.hash_mask, KEY_HASH_SHA256);

	CHECK_INT("key_record/s-email", kparse("v=DKIM1; s=email; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_TRUE("key_record/s-email-ok", k.service_ok);
	CHECK_INT("key_record/s-star", kparse("v=DKIM1; s=*; p=" RSA1024_SPKI),
	    REASON_OK);
	CHECK_TRUE("key_record/s-star-ok", k.service_ok);
	CHECK_INT("key_record/s-other", kparse("v=DKIM1; s=other; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_TRUE("key_record/s-other-not-ok", !k.service_ok);
	CHECK_INT("key_record/s-list", kparse("v=DKIM1; s=other:email; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_TRUE("key_record/s-list-ok", k.service_ok);
	CHECK_INT("key_record/s-prefix", kparse("v=DKIM1; s=emails; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_TRUE("key_record/s-prefix-not-ok", !k.service_ok);

	CHECK_INT("key_record/t-y-s", kparse("v=DKIM1; t=y:s; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_TRUE("key_record/t-y-s-testing", k.testing);
	CHECK_TRUE("key_record/t-y-s-strict", k.strict);
	CHECK_STR("key_record/t-y-s-flags", k.flags, "y:s");
	CHECK_INT("key_record/t-y", kparse("v=DKIM1; t=y; p=" RSA1024_SPKI),
	    REASON_OK);
	CHECK_TRUE("key_record/t-y-only", k.testing && !k.strict);
	CHECK_INT("key_record/t-s", kparse("v=DKIM1; t=s; p=" RSA1024_SPKI),
	    REASON_OK);
	CHECK_TRUE("key_record/t-s-only", !k.testing && k.strict);
	/* unknown flags are ignored (3.6.1 t=) */
	CHECK_INT("key_record/t-unknown", kparse("v=DKIM1; t=x:yy; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_TRUE("key_record/t-unknown-none", !k.testing && !k.strict);

	CHECK_INT("key_record/n", kparse("v=DKIM1; n=rotated=20feb2009; p="
	    RSA1024_SPKI), REASON_OK);
	CHECK_STR("key_record/n-notes", k.notes, "rotated=20feb2009");
	/* RFC 4871's g= is gone from RFC 6376: an unknown tag now */
	CHECK_INT("key_record/obsolete-g", kparse("v=DKIM1; g=*; p="
	    RSA1024_SPKI), REASON_OK);
	/* unknown tags are ignored */
	CHECK_INT("key_record/unknown-tag", kparse("v=DKIM1; foo=bar; p="
	    RSA1024_SPKI), REASON_OK);
}

static void
test_names_and_zone(void)
{
	struct buf	 b = BUF_INIT;
	char		 rec[301];
	const char	*p, *q;

	CHECK_STR("key_record/type-name-rsa", key_type_name(KEY_TYPE_RSA),
	    "rsa");
	CHECK_STR("key_record/type-name-ed25519",
	    key_type_name(KEY_TYPE_ED25519), "ed25519");

	key_record_zone_line(&b, "sel._domainkey.example.com", 3600,
	    "v=DKIM1; p=");
	CHECK_STR("key_record/zone-line-short", b.data,
	    "sel._domainkey.example.com. 3600 IN TXT ( \"v=DKIM1; p=\" )\n");
	buf_reset(&b);
	key_record_zone_line(&b, "sel._domainkey.example.com.", 60, "p=");
	CHECK_STR("key_record/zone-line-dot-kept", b.data,
	    "sel._domainkey.example.com. 60 IN TXT ( \"p=\" )\n");

	/* an n= note may hold '"' and '\\': escaped in master format */
	buf_reset(&b);
	key_record_zone_line(&b, "q.", 5, "n=say \"hi\" \\o/; p=");
	CHECK_STR("key_record/zone-line-escapes", b.data,
	    "q. 5 IN TXT ( \"n=say \\\"hi\\\" \\\\o/; p=\" )\n");

	/* 300 octets: one string of 255 and one of 45 (3.6.2.2) */
	memset(rec, 'A', 300);
	rec[300] = '\0';
	buf_reset(&b);
	key_record_zone_line(&b, "x.", 1, rec);
	p = b.data ? strchr(b.data, '"') : NULL;
	q = p ? strchr(p + 1, '"') : NULL;
	CHECK_TRUE("key_record/zone-line-first-255",
	    p && q && q - p - 1 == 255);
	p = q ? strchr(q + 1, '"') : NULL;
	q = p ? strchr(p + 1, '"') : NULL;
	CHECK_TRUE("key_record/zone-line-second-45", p && q && q - p - 1 == 45);
	CHECK_TRUE("key_record/zone-line-two-strings",
	    q && strchr(q + 1, '"') == NULL);
	buf_free(&b);
}

int
main(void)
{
	test_rsa();
	test_errors();
	test_revoked();
	test_ed25519();
	test_options();
	test_names_and_zone();
	key_record_free(&k);
	buf_free(&why);
	return UNIT_DONE();
}
