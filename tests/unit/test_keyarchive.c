/* SPDX-License-Identifier: ISC */
/*
 * test_keyarchive: the key archive's entry builder (fbl/keys/keyarchive.h).
 *
 * The fingerprint must be the SHA-256 of the public key bytes as published:
 * the expected values are computed here, independently of fblscope's own
 * base64 and digest code, with OpenSSL (EVP_DecodeBlock, EVP_Digest) from
 * the p= text of each key.
 *
 * RSA1024_SPKI is the throwaway key of test_key_record.c; ED25519 is the key
 * of RFC 8463 appendix A.2.
 */
#include <stdlib.h>

#include <openssl/evp.h>

#include "fbl/keys/keyarchive.h"
#include "tests/unit/unit.h"

#define RSA1024_SPKI \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDd43A5lyAFe4VYcyS88+29+LGs" \
	"ue9m0D6yPBiu0ez3Ow1Lc/cht3rnKmyGwyjCHUm9B2K30EvgEPD00NKI0e5at2Yg" \
	"vUUmb1CvIlQM0MRVwzMulHSnJjKw5wiYi644/alUJMooKskcE6t3eAGf2Fy2e/oI" \
	"FQ21/jgyULi6b4LCxQIDAQAB"
/* the same base64, folded with white space as a zone file may carry it */
#define RSA1024_SPKI_FOLDED \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDd43A5lyAFe4VYcyS88+29+LGs " \
	"ue9m0D6yPBiu0ez3Ow1Lc/cht3rnKmyGwyjCHUm9B2K30EvgEPD00NKI0e5at2Yg" \
	"\r\n\t" \
	"vUUmb1CvIlQM0MRVwzMulHSnJjKw5wiYi644/alUJMooKskcE6t3eAGf2Fy2e/oI " \
	"FQ21/jgyULi6b4LCxQIDAQAB"
#define ED25519 "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

/* SHA-256 of the base64-decoded text b64 (no white space), with OpenSSL. */
static void
expected_fp(const char *b64, unsigned char out[32])
{
	unsigned char	 der[1024];
	size_t		 len = strlen(b64);
	int		 n;
	unsigned int	 olen = 0;

	n = EVP_DecodeBlock(der, (const unsigned char *)b64, (int)len);
	/* EVP_DecodeBlock counts the padding as zero bytes */
	if (n > 0 && len > 0 && b64[len - 1] == '=')
		n--;
	if (n > 0 && len > 1 && b64[len - 2] == '=')
		n--;
	if (n < 0 || EVP_Digest(der, (size_t)n, out, &olen, EVP_sha256(),
	    NULL) != 1 || olen != 32)
		memset(out, 0, 32);
}

static bool
build(struct key_archive_entry *e, const char *name, const char *rec,
    struct buf *why)
{
	buf_reset(why);
	return keyarchive_entry_init(e, name, rec, strlen(rec), why);
}

static void
test_fingerprints(void)
{
	struct key_archive_entry a, b, c;
	struct buf	 why = BUF_INIT;
	unsigned char	 want[32];

	CHECK_TRUE("rsa/builds", build(&a, "s1._domainkey.example.com",
	    "v=DKIM1; k=rsa; p=" RSA1024_SPKI, &why));
	expected_fp(RSA1024_SPKI, want);
	CHECK_MEM("rsa/fp-is-sha256-of-p", a.fp, 32, want, 32);
	CHECK_INT("rsa/type", a.type, KEY_TYPE_RSA);
	CHECK_INT("rsa/bits", a.bits, 1024);
	CHECK_STR("rsa/record-kept", a.record, "v=DKIM1; k=rsa; p="
	    RSA1024_SPKI);
	/* another spelling: no v=, tags reordered, t=y, p= folded */
	CHECK_TRUE("rsa/other-spelling-builds", build(&b,
	    "S1._DomainKey.Example.COM.", "p=" RSA1024_SPKI_FOLDED
	    " ; t=y; k=rsa", &why));
	CHECK_MEM("rsa/same-key-same-fp", b.fp, 32, a.fp, 32);
	CHECK_STR("rsa/name-folded", b.name, "s1._domainkey.example.com");

	CHECK_TRUE("ed25519/builds", build(&c, "s2._domainkey.example.com",
	    "v=DKIM1; k=ed25519; p=" ED25519, &why));
	expected_fp(ED25519, want);
	CHECK_MEM("ed25519/fp-is-sha256-of-p", c.fp, 32, want, 32);
	CHECK_INT("ed25519/type", c.type, KEY_TYPE_ED25519);
	CHECK_INT("ed25519/bits", c.bits, 256);
	CHECK_TRUE("ed25519/differs-from-rsa", memcmp(c.fp, a.fp, 32) != 0);
	keyarchive_entry_free(&a);
	keyarchive_entry_free(&b);
	keyarchive_entry_free(&c);
	CHECK_TRUE("free/zeroes", a.name == NULL && a.record == NULL);
	buf_free(&why);
}

/* Refused: the entry stays zeroed and why says something. */
static void
refused(const char *tname, const char *name, const char *rec, size_t len,
    const char *why_has)
{
	struct key_archive_entry e;
	struct buf	 why = BUF_INIT;
	bool		 ok;

	ok = keyarchive_entry_init(&e, name, rec, len, &why);
	UNIT_REPORT(!ok && e.name == NULL && e.record == NULL &&
	    strstr(buf_cstr(&why), why_has) != NULL, tname,
	    "ok %d, why \"%s\", want it to hold \"%s\"", ok, buf_cstr(&why),
	    why_has);
	if (ok)
		keyarchive_entry_free(&e);
	buf_free(&why);
}

static void
test_refused(void)
{
	static const char nul[] = "v=DKIM1; n=a\0b; p=" ED25519;
	const char *ok_rec = "k=ed25519; p=" ED25519;

	refused("refuse/revoked", "s._domainkey.example.com",
	    "v=DKIM1; k=rsa; p=", 18, "revoked");
	refused("refuse/garbage", "s._domainkey.example.com",
	    "this is not a key", 17, "");
	refused("refuse/no-p", "s._domainkey.example.com", "v=DKIM1; k=rsa",
	    14, "no p=");
	refused("refuse/bad-base64", "s._domainkey.example.com",
	    "k=rsa; p=!!!!", 13, "base64");
	refused("refuse/unknown-type", "s._domainkey.example.com",
	    "k=dsa; p=" ED25519, 9 + strlen(ED25519), "unknown key type");
	refused("refuse/nul-byte", "s._domainkey.example.com", nul,
	    sizeof(nul) - 1, "byte 0x00");
	refused("refuse/no-domainkey-label", "s.example.com", ok_rec,
	    strlen(ok_rec), "selector._domainkey.domain");
	refused("refuse/domainkey-first", "_domainkey.example.com", ok_rec,
	    strlen(ok_rec), "selector._domainkey.domain");
	refused("refuse/domainkey-last", "s._domainkey", ok_rec,
	    strlen(ok_rec), "selector._domainkey.domain");
	refused("refuse/empty-label", "s.._domainkey.example.com", ok_rec,
	    strlen(ok_rec), "empty");
	refused("refuse/space-in-name", "s x._domainkey.example.com", ok_rec,
	    strlen(ok_rec), "character");
}

static void
test_name(void)
{
	struct buf	 out = BUF_INIT, why = BUF_INIT;

	CHECK_TRUE("name/dotted-selector",
	    keyarchive_name("Nov2026.MyESP._domainkey.Customer.Example.",
	    &out, &why));
	CHECK_STR("name/folded", buf_cstr(&out),
	    "nov2026.myesp._domainkey.customer.example");
	CHECK_TRUE("name/empty", !keyarchive_name(".", &out, &why));
	buf_free(&out);
	buf_free(&why);
}

int
main(void)
{
	test_fingerprints();
	test_refused();
	test_name();
	return UNIT_DONE();
}
