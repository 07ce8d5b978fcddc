/* SPDX-License-Identifier: ISC */
/*
 * test_dkim_sig: one DKIM-Signature field against RFC 6376 section 3.5
 * (tags), section 6.1.1 (what makes a signature unacceptable, in order),
 * RFC 8301 (rsa-sha1 refused) and RFC 8463 (ed25519-sha256).
 *
 * Each case is a small message whose first field is the DKIM-Signature,
 * parsed from an exact-size heap copy.
 */
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "verifier/dkim_sig.h"

/* 32 bytes: SHA-256 of "\r\n" (RFC 6376 3.4.3) */
#define BH256	"frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY="
/* 20 bytes: SHA-1 of "\r\n" (RFC 6376 3.4.3) */
#define BH1	"uoq1oCgLlTqpdDX/iUbLy7J1Wic="

#define T_V	"v=1; "
#define T_A	"a=rsa-sha256; "
#define T_D	"d=example.com; "
#define T_S	"s=sel; "
#define T_H	"h=from:to; "
#define T_BH	"bh=" BH256 "; "
#define T_B	"b=dGVzdA=="		/* "test" */
#define GOOD	T_V T_A T_D T_S T_H T_BH T_B

static struct message	 m;
static struct dkim_sig	 sig;
static char		*cur;

static void
reset(void)
{
	dkim_sig_free(&sig);
	message_free(&m);
	free(cur);
	cur = NULL;
}

/* Parse "<prefix>DKIM-Signature: <tags>\r\nFrom: ...\r\n\r\nbody\r\n". */
static enum dkim_reason
sig_at(const char *prefix, const char *tags, size_t index)
{
	struct buf	 b = BUF_INIT;

	reset();
	buf_printf(&b, "%sDKIM-Signature: %s\r\nFrom: a@example.com\r\n"
	    "To: b@example.net\r\n\r\nbody\r\n", prefix, tags);
	if (!buf_ok(&b) || (cur = malloc(b.len)) == NULL)
		exit(2);
	memcpy(cur, b.data, b.len);
	if (message_parse(&m, cur, b.len) != MESSAGE_OK ||
	    m.nfields <= index) {
		fprintf(stderr, "test message does not parse\n");
		exit(2);
	}
	buf_free(&b);
	dkim_sig_parse(&sig, &m, index);
	return sig.err;
}

static enum dkim_reason
sig_of(const char *tags)
{
	return sig_at("", tags, 0);
}

static void
test_good(void)
{
	CHECK_INT("dkim_sig/good", sig_of(GOOD), REASON_OK);
	CHECK_TRUE("dkim_sig/good-tags-ok", sig.tags_ok);
	CHECK_STR("dkim_sig/good-v", sig.v, "1");
	CHECK_STR("dkim_sig/good-a", sig.a, "rsa-sha256");
	CHECK_STR("dkim_sig/good-d", sig.d, "example.com");
	CHECK_STR("dkim_sig/good-s", sig.s, "sel");
	CHECK_INT("dkim_sig/good-alg", sig.alg, DKIM_ALG_RSA_SHA256);
	CHECK_INT("dkim_sig/good-hash", sig.hash, DKIM_HASH_SHA256);
	/* c= absent: simple/simple (section 3.5) */
	CHECK_INT("dkim_sig/good-default-hcanon", sig.hcanon,
	    DKIM_CANON_SIMPLE);
	CHECK_INT("dkim_sig/good-default-bcanon", sig.bcanon,
	    DKIM_CANON_SIMPLE);
	CHECK_INT("dkim_sig/good-nh", sig.nh, 2);
	CHECK_MEM("dkim_sig/good-h0", sig.h[0].name, sig.h[0].len, "from", 4);
	CHECK_MEM("dkim_sig/good-h1", sig.h[1].name, sig.h[1].len, "to", 2);
	CHECK_MEM("dkim_sig/good-b", sig.b.data, sig.b.len, "test", 4);
	CHECK_INT("dkim_sig/good-bh-len", sig.bh.len, 32);
	CHECK_TRUE("dkim_sig/good-no-l-t-x",
	    !sig.has_l && !sig.has_t && !sig.has_x);
	CHECK_TRUE("dkim_sig/good-no-i-q-z",
	    sig.i == NULL && sig.q == NULL && sig.z == NULL);
	CHECK_INT("dkim_sig/good-field-index", sig.field_index, 0);
	CHECK_TRUE("dkim_sig/good-field", sig.field == &m.fields[0]);
	CHECK_INT("dkim_sig/good-signs-from", dkim_sig_signs(&sig, "From"), 1);
	CHECK_INT("dkim_sig/good-signs-cc", dkim_sig_signs(&sig, "cc"), 0);

	/* tags in any order, folded, unknown tags ignored */
	CHECK_INT("dkim_sig/good-reordered-folded",
	    sig_of("b=dGVz\r\n dA==;\r\n\th=from;\r\n\tbh=" BH256 "; s=sel;"
	    " d=example.com; foo=bar; a=rsa-sha256; v=1"), REASON_OK);
	CHECK_MEM("dkim_sig/good-reordered-b", sig.b.data, sig.b.len,
	    "test", 4);

	/* the DESIGN's selector form: <mon><yyyy>.<espid> */
	CHECK_INT("dkim_sig/selector-with-dot", sig_of(T_V T_A T_D
	    "s=feb2009.myesp; " T_H T_BH T_B), REASON_OK);
	CHECK_STR("dkim_sig/selector-with-dot-s", sig.s, "feb2009.myesp");

	/* the signature need not be the first field */
	CHECK_INT("dkim_sig/good-second-field",
	    sig_at("Received: x\r\n", GOOD, 1), REASON_OK);
	CHECK_INT("dkim_sig/good-second-field-index", sig.field_index, 1);
	CHECK_TRUE("dkim_sig/good-second-field-ptr", sig.field == &m.fields[1]);

	CHECK_INT("dkim_sig/ed25519", sig_of(T_V "a=ed25519-sha256; " T_D T_S
	    T_H T_BH T_B), REASON_OK);
	CHECK_INT("dkim_sig/ed25519-alg", sig.alg, DKIM_ALG_ED25519_SHA256);
	CHECK_INT("dkim_sig/ed25519-hash", sig.hash, DKIM_HASH_SHA256);

	CHECK_STR("dkim_sig/alg-name-rsa", dkim_alg_name(DKIM_ALG_RSA_SHA256),
	    "rsa-sha256");
	CHECK_STR("dkim_sig/alg-name-ed",
	    dkim_alg_name(DKIM_ALG_ED25519_SHA256), "ed25519-sha256");
	CHECK_STR("dkim_sig/alg-name-sha1", dkim_alg_name(DKIM_ALG_RSA_SHA1),
	    "rsa-sha1");
	CHECK_STR("dkim_sig/canon-name-relaxed",
	    dkim_canon_name(DKIM_CANON_RELAXED), "relaxed");
	CHECK_STR("dkim_sig/canon-name-simple",
	    dkim_canon_name(DKIM_CANON_SIMPLE), "simple");
}

static void
test_required(void)
{
	/* v= (6.1.1: incompatible version) */
	CHECK_INT("dkim_sig/missing-v", sig_of(T_A T_D T_S T_H T_BH T_B),
	    REASON_VERSION);
	CHECK_INT("dkim_sig/v2", sig_of("v=2; " T_A T_D T_S T_H T_BH T_B),
	    REASON_VERSION);
	CHECK_INT("dkim_sig/v-empty", sig_of("v=; " T_A T_D T_S T_H T_BH T_B),
	    REASON_VERSION);
	CHECK_TRUE("dkim_sig/v2-detail", sig.err_detail.len > 0);
	/* the required tags of section 3.5: a b bh d h s */
	CHECK_INT("dkim_sig/missing-a", sig_of(T_V T_D T_S T_H T_BH T_B),
	    REASON_TAG_MISSING);
	CHECK_INT("dkim_sig/missing-b", sig_of(T_V T_A T_D T_S T_H "bh="
	    BH256), REASON_TAG_MISSING);
	CHECK_INT("dkim_sig/missing-bh", sig_of(T_V T_A T_D T_S T_H T_B),
	    REASON_TAG_MISSING);
	CHECK_INT("dkim_sig/missing-d", sig_of(T_V T_A T_S T_H T_BH T_B),
	    REASON_TAG_MISSING);
	CHECK_INT("dkim_sig/missing-h", sig_of(T_V T_A T_D T_S T_BH T_B),
	    REASON_TAG_MISSING);
	CHECK_INT("dkim_sig/missing-s", sig_of(T_V T_A T_D T_H T_BH T_B),
	    REASON_TAG_MISSING);
	/* section 6.1.1 order: version before missing tags */
	CHECK_INT("dkim_sig/order-version-first", sig_of("v=2; " T_D),
	    REASON_VERSION);
	/* ... missing tags before From not signed */
	CHECK_INT("dkim_sig/order-missing-before-from",
	    sig_of(T_V T_A T_D "h=to; " T_BH T_B), REASON_TAG_MISSING);
	/* ... domain mismatch before From not signed */
	CHECK_INT("dkim_sig/order-identity-before-from",
	    sig_of(T_V T_A T_D T_S "h=to; i=@other.org; " T_BH T_B),
	    REASON_IDENTITY_MISMATCH);
	/* an empty field value */
	CHECK_INT("dkim_sig/empty-value", sig_of(""), REASON_VERSION);
}

static void
test_syntax(void)
{
	CHECK_INT("dkim_sig/duplicate-tag", sig_of(GOOD "; d=example.com"),
	    REASON_TAG_SYNTAX);
	CHECK_TRUE("dkim_sig/duplicate-tag-not-tags-ok", !sig.tags_ok);
	CHECK_INT("dkim_sig/double-semicolon", sig_of(T_V ";" T_A T_D T_S T_H
	    T_BH T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/bad-b64-b", sig_of(T_V T_A T_D T_S T_H T_BH
	    "b=d!GVz"), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/empty-b", sig_of(T_V T_A T_D T_S T_H T_BH "b="),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/empty-bh", sig_of(T_V T_A T_D T_S T_H "bh=; " T_B),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/empty-h", sig_of(T_V T_A T_D T_S "h=; " T_BH T_B),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/h-empty-name", sig_of(T_V T_A T_D T_S
	    "h=from::to; " T_BH T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/h-trailing-colon", sig_of(T_V T_A T_D T_S
	    "h=from:; " T_BH T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/d-empty", sig_of(T_V T_A "d=; " T_S T_H T_BH T_B),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/d-bad-label", sig_of(T_V T_A "d=exa..mple.com; "
	    T_S T_H T_BH T_B), REASON_TAG_SYNTAX);
	/* RFC 5321 sub-domain: a label neither starts nor ends with '-' */
	CHECK_INT("dkim_sig/d-label-leading-hyphen", sig_of(T_V T_A
	    "d=-example.com; " T_S T_H T_BH T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/d-label-trailing-hyphen", sig_of(T_V T_A
	    "d=example-.com; " T_S T_H T_BH T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/d-inner-hyphen", sig_of(T_V T_A
	    "d=ex-ample.com; " T_S T_H T_BH T_B), REASON_OK);
	/* FWS may surround a value but cannot split a domain name */
	CHECK_INT("dkim_sig/d-inner-space", sig_of(T_V T_A
	    "d=exa mple.com; " T_S T_H T_BH T_B), REASON_TAG_SYNTAX);
	/* a value with a byte outside VALCHAR */
	CHECK_INT("dkim_sig/8bit-value", sig_of(T_V T_A T_D
	    "s=s\xc3\xa9l; " T_H T_BH T_B), REASON_TAG_SYNTAX);
}

static void
test_alg(void)
{
	CHECK_INT("dkim_sig/a-unknown", sig_of(T_V "a=rsa-md5; " T_D T_S T_H
	    T_BH T_B), REASON_ALGORITHM_UNKNOWN);
	CHECK_INT("dkim_sig/a-unknown-alg", sig.alg, DKIM_ALG_UNKNOWN);

	/* rsa-sha1: refused (RFC 8301) but parsed in full */
	CHECK_INT("dkim_sig/rsa-sha1", sig_of(T_V "a=rsa-sha1; " T_D T_S T_H
	    "bh=" BH1 "; " T_B), REASON_ALGORITHM_FORBIDDEN);
	CHECK_INT("dkim_sig/rsa-sha1-alg", sig.alg, DKIM_ALG_RSA_SHA1);
	CHECK_INT("dkim_sig/rsa-sha1-hash", sig.hash, DKIM_HASH_SHA1);
	CHECK_TRUE("dkim_sig/rsa-sha1-tags-ok", sig.tags_ok);
	CHECK_STR("dkim_sig/rsa-sha1-d", sig.d, "example.com");
	CHECK_STR("dkim_sig/rsa-sha1-s", sig.s, "sel");
	CHECK_INT("dkim_sig/rsa-sha1-nh", sig.nh, 2);
	CHECK_INT("dkim_sig/rsa-sha1-bh-len", sig.bh.len, 20);
	CHECK_MEM("dkim_sig/rsa-sha1-b", sig.b.data, sig.b.len, "test", 4);
	CHECK_TRUE("dkim_sig/rsa-sha1-detail", sig.err_detail.len > 0);

	/* bh= length must fit the hash */
	CHECK_INT("dkim_sig/bh-short-for-sha256", sig_of(T_V T_A T_D T_S T_H
	    "bh=dGVzdA==; " T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/bh-sha1-size-for-sha256", sig_of(T_V T_A T_D T_S
	    T_H "bh=" BH1 "; " T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/bh-sha256-size-for-sha1", sig_of(T_V "a=rsa-sha1; "
	    T_D T_S T_H T_BH T_B), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/bh-bad-b64", sig_of(T_V T_A T_D T_S T_H
	    "bh=????; " T_B), REASON_TAG_SYNTAX);
	/* bh= folded is fine (whitespace ignored, 3.5) */
	CHECK_INT("dkim_sig/bh-folded", sig_of(T_V T_A T_D T_S T_H
	    "bh=frcCV1k9oG9oKj3dpUqd\r\n Jg1PxRT2RSN/XKdLCPjaYaY=; " T_B),
	    REASON_OK);
	CHECK_INT("dkim_sig/bh-folded-len", sig.bh.len, 32);
}

static void
check_canon(const char *tname, const char *c, enum dkim_reason want,
    enum dkim_canon hc, enum dkim_canon bc)
{
	struct buf	 tags = BUF_INIT;
	char		 n[128];

	buf_printf(&tags, "%s%s%s%s%s%s%sc=%s", T_V, T_A, T_D, T_S, T_H, T_BH,
	    "b=dGVzdA==; ", c);
	CHECK_INT(tname, sig_of(tags.data), want);
	buf_free(&tags);
	if (want != REASON_OK)
		return;
	snprintf(n, sizeof(n), "%s-header", tname);
	CHECK_INT(n, sig.hcanon, hc);
	snprintf(n, sizeof(n), "%s-body", tname);
	CHECK_INT(n, sig.bcanon, bc);
}

static void
test_canon(void)
{
	check_canon("dkim_sig/c-relaxed-relaxed", "relaxed/relaxed", REASON_OK,
	    DKIM_CANON_RELAXED, DKIM_CANON_RELAXED);
	/* "relaxed" alone: header relaxed, body simple (3.5 c=) */
	check_canon("dkim_sig/c-relaxed-alone", "relaxed", REASON_OK,
	    DKIM_CANON_RELAXED, DKIM_CANON_SIMPLE);
	check_canon("dkim_sig/c-simple-alone", "simple", REASON_OK,
	    DKIM_CANON_SIMPLE, DKIM_CANON_SIMPLE);
	check_canon("dkim_sig/c-simple-relaxed", "simple/relaxed", REASON_OK,
	    DKIM_CANON_SIMPLE, DKIM_CANON_RELAXED);
	check_canon("dkim_sig/c-relaxed-simple", "relaxed/simple", REASON_OK,
	    DKIM_CANON_RELAXED, DKIM_CANON_SIMPLE);
	check_canon("dkim_sig/c-unknown-body", "relaxed/foo",
	    REASON_CANON_UNKNOWN, 0, 0);
	check_canon("dkim_sig/c-unknown", "nowsp", REASON_CANON_UNKNOWN, 0, 0);
	check_canon("dkim_sig/c-empty-body", "relaxed/", REASON_CANON_UNKNOWN,
	    0, 0);
	check_canon("dkim_sig/c-three-parts", "simple/simple/simple",
	    REASON_CANON_UNKNOWN, 0, 0);
}

static void
test_identity(void)
{
	CHECK_INT("dkim_sig/i-at-d", sig_of(GOOD "; i=@example.com"),
	    REASON_OK);
	CHECK_STR("dkim_sig/i-at-d-value", sig.i, "@example.com");
	CHECK_INT("dkim_sig/i-user-at-d", sig_of(GOOD "; i=joe@example.com"),
	    REASON_OK);
	CHECK_INT("dkim_sig/i-subdomain", sig_of(GOOD
	    "; i=joe@eng.example.com"), REASON_OK);
	CHECK_INT("dkim_sig/i-case", sig_of(T_V T_A "d=Example.COM; " T_S T_H
	    T_BH T_B "; i=@mail.EXAMPLE.com"), REASON_OK);
	CHECK_INT("dkim_sig/i-other-domain", sig_of(GOOD "; i=joe@other.com"),
	    REASON_IDENTITY_MISMATCH);
	CHECK_INT("dkim_sig/i-suffix-not-subdomain",
	    sig_of(GOOD "; i=joe@badexample.com"), REASON_IDENTITY_MISMATCH);
	CHECK_INT("dkim_sig/i-parent-of-d", sig_of(T_V T_A
	    "d=mail.example.com; " T_S T_H T_BH T_B "; i=@example.com"),
	    REASON_IDENTITY_MISMATCH);
	/* dkim-quoted-printable (section 2.11): =40 is '@' */
	CHECK_INT("dkim_sig/i-qp-at", sig_of(GOOD "; i=joe=40example.com"),
	    REASON_OK);
	CHECK_STR("dkim_sig/i-qp-at-value", sig.i, "joe@example.com");
	CHECK_INT("dkim_sig/i-qp-equals", sig_of(GOOD
	    "; i=a=3Db@example.com"), REASON_OK);
	CHECK_STR("dkim_sig/i-qp-equals-value", sig.i, "a=b@example.com");
	CHECK_INT("dkim_sig/i-qp-mismatch", sig_of(GOOD
	    "; i=joe=40other.com"), REASON_IDENTITY_MISMATCH);
	CHECK_INT("dkim_sig/i-qp-bad-hex", sig_of(GOOD
	    "; i=joe=ZZ@example.com"), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/i-qp-truncated", sig_of(GOOD "; i=@example.com=4"),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/i-no-at", sig_of(GOOD "; i=example.com"),
	    REASON_TAG_SYNTAX);
}

static void
test_h(void)
{
	CHECK_INT("dkim_sig/h-no-from", sig_of(T_V T_A T_D T_S
	    "h=to:subject; " T_BH T_B), REASON_FROM_NOT_SIGNED);
	CHECK_INT("dkim_sig/h-from-uppercase", sig_of(T_V T_A T_D T_S
	    "h=To:FROM; " T_BH T_B), REASON_OK);
	CHECK_INT("dkim_sig/h-fws", sig_of(T_V T_A T_D T_S
	    "h= from :\r\n to\t: subject ; " T_BH T_B), REASON_OK);
	CHECK_INT("dkim_sig/h-fws-nh", sig.nh, 3);
	CHECK_MEM("dkim_sig/h-fws-0", sig.h[0].name, sig.h[0].len, "from", 4);
	CHECK_MEM("dkim_sig/h-fws-1", sig.h[1].name, sig.h[1].len, "to", 2);
	CHECK_MEM("dkim_sig/h-fws-2", sig.h[2].name, sig.h[2].len, "subject",
	    7);
	CHECK_INT("dkim_sig/h-oversigned", sig_of(T_V T_A T_D T_S
	    "h=from:to:from; " T_BH T_B), REASON_OK);
	CHECK_INT("dkim_sig/h-oversigned-count", dkim_sig_signs(&sig, "FROM"),
	    2);
	/* the h= names point into the field itself */
	CHECK_TRUE("dkim_sig/h-points-into-field",
	    sig.h[0].name > sig.field->raw &&
	    sig.h[0].name < sig.field->raw + sig.field->raw_len);
	/* "from-x" is not "from" */
	CHECK_INT("dkim_sig/h-from-prefix", sig_of(T_V T_A T_D T_S
	    "h=from-x:to; " T_BH T_B), REASON_FROM_NOT_SIGNED);
}

static void
test_numbers(void)
{
	struct buf	 why = BUF_INIT;

	CHECK_INT("dkim_sig/l-ok", sig_of(GOOD "; l=10"), REASON_OK);
	CHECK_TRUE("dkim_sig/l-ok-has", sig.has_l);
	CHECK_INT("dkim_sig/l-ok-value", sig.l, 10);
	/* i= decoding to a NUL would report another identity (fuzz finding) */
	CHECK_INT("dkim_sig/i-qp-nul", sig_of(GOOD
	    "; i=@example.com=00.evil.test"), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/i-qp-crlf", sig_of(GOOD
	    "; i=@example.com=0D=0A"), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/i-qp-at-ok", sig_of(GOOD "; i=user=40x@example.com"),
	    REASON_OK);
	/* sig-l-tag = 1*76DIGIT: beyond 64 bits the value saturates */
	CHECK_INT("dkim_sig/l-20-digits", sig_of(GOOD
	    "; l=99999999999999999999"), REASON_OK);
	CHECK_TRUE("dkim_sig/l-20-digits-saturates", sig.has_l &&
	    sig.l == UINT64_MAX);
	CHECK_INT("dkim_sig/l-76-digits", sig_of(GOOD "; l="
	    "1234567890123456789012345678901234567890"
	    "123456789012345678901234567890123456"), REASON_OK);
	CHECK_INT("dkim_sig/l-77-digits", sig_of(GOOD "; l="
	    "1234567890123456789012345678901234567890"
	    "1234567890123456789012345678901234567"), REASON_TAG_SYNTAX);
	CHECK_TRUE("dkim_sig/l-19-digits-exact", sig_of(GOOD
	    "; l=9999999999999999999") == REASON_OK &&
	    sig.l == 9999999999999999999ULL);
	CHECK_INT("dkim_sig/l-zero", sig_of(GOOD "; l=0"), REASON_OK);
	CHECK_TRUE("dkim_sig/l-zero-has", sig.has_l && sig.l == 0);
	CHECK_INT("dkim_sig/l-alpha", sig_of(GOOD "; l=abc"),
	    REASON_TAG_SYNTAX);
	CHECK_TRUE("dkim_sig/l-alpha-no-l", !sig.has_l);
	CHECK_INT("dkim_sig/l-negative", sig_of(GOOD "; l=-1"),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/l-empty", sig_of(GOOD "; l="), REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/l-trailing-junk", sig_of(GOOD "; l=10x"),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/l-inner-space", sig_of(GOOD "; l=1 0"),
	    REASON_TAG_SYNTAX);

	CHECK_INT("dkim_sig/t-x-ok", sig_of(GOOD "; t=100; x=200"), REASON_OK);
	CHECK_TRUE("dkim_sig/t-x-ok-values", sig.has_t && sig.t == 100 &&
	    sig.has_x && sig.x == 200);
	CHECK_INT("dkim_sig/x-before-t", sig_of(GOOD "; t=200; x=100"),
	    REASON_TAG_SYNTAX);
	/* section 3.5: x= MUST be greater than t=, so equal is refused too */
	CHECK_INT("dkim_sig/x-equal-t", sig_of(GOOD "; t=200; x=200"),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/t-alpha", sig_of(GOOD "; t=soon"),
	    REASON_TAG_SYNTAX);
	/* t= and x= are 1*12DIGIT (section 3.5) */
	CHECK_INT("dkim_sig/t-12-digits", sig_of(GOOD "; t=999999999999"),
	    REASON_OK);
	CHECK_INT("dkim_sig/t-13-digits", sig_of(GOOD "; t=1234567890123"),
	    REASON_TAG_SYNTAX);
	CHECK_INT("dkim_sig/x-13-digits", sig_of(GOOD "; x=1234567890123"),
	    REASON_TAG_SYNTAX);

	/* the clock checks */
	CHECK_INT("dkim_sig/time-parse", sig_of(GOOD "; t=1000; x=2000"),
	    REASON_OK);
	CHECK_INT("dkim_sig/time-inside", dkim_sig_check_time(&sig, 1500, 300,
	    &why), REASON_OK);
	CHECK_INT("dkim_sig/time-at-x", dkim_sig_check_time(&sig, 2000, 300,
	    &why), REASON_OK);
	CHECK_INT("dkim_sig/time-expired", dkim_sig_check_time(&sig, 2001, 300,
	    &why), REASON_EXPIRED);
	CHECK_TRUE("dkim_sig/time-expired-why", why.len > 0);
	buf_reset(&why);
	/* t= may be up to skew ahead of the clock */
	CHECK_INT("dkim_sig/time-future-within-skew",
	    dkim_sig_check_time(&sig, 700, 300, &why), REASON_OK);
	CHECK_INT("dkim_sig/time-future-beyond-skew",
	    dkim_sig_check_time(&sig, 699, 300, &why), REASON_FUTURE_TIMESTAMP);
	CHECK_TRUE("dkim_sig/time-future-why", why.len > 0);
	CHECK_INT("dkim_sig/time-future-no-skew",
	    dkim_sig_check_time(&sig, 999, 0, &why), REASON_FUTURE_TIMESTAMP);
	CHECK_INT("dkim_sig/time-none", sig_of(GOOD), REASON_OK);
	CHECK_INT("dkim_sig/time-none-any-clock",
	    dkim_sig_check_time(&sig, 4000000000LL, 0, &why), REASON_OK);
	CHECK_INT("dkim_sig/time-x-only", sig_of(GOOD "; x=50"), REASON_OK);
	CHECK_INT("dkim_sig/time-x-only-expired",
	    dkim_sig_check_time(&sig, 51, 0, &why), REASON_EXPIRED);
	buf_free(&why);
}

static void
test_q_z(void)
{
	CHECK_INT("dkim_sig/q-dns-txt", sig_of(GOOD "; q=dns/txt"), REASON_OK);
	CHECK_STR("dkim_sig/q-dns-txt-value", sig.q, "dns/txt");
	CHECK_INT("dkim_sig/q-foo", sig_of(GOOD "; q=foo"),
	    REASON_QUERY_METHOD);
	CHECK_INT("dkim_sig/q-list-with-dns-txt",
	    sig_of(GOOD "; q=foo/bar:dns/txt"), REASON_OK);
	CHECK_INT("dkim_sig/q-http", sig_of(GOOD "; q=http/well-known"),
	    REASON_QUERY_METHOD);

	/* z= kept as written */
	CHECK_INT("dkim_sig/z", sig_of(GOOD
	    "; z=From:foo@eng.example.net|To:joe@example.com"), REASON_OK);
	CHECK_STR("dkim_sig/z-value", sig.z,
	    "From:foo@eng.example.net|To:joe@example.com");
}

static void
test_b_span(void)
{
	/*
	 * "DKIM-Signature: " is 16 octets, "v=1; " 5, "a=rsa-sha256; " 14:
	 * the b= value starts at 16 + 5 + 14 + 2 = 37 and is
	 * "dGVz\r\n dA==" (11 octets), so ';' is at 48.
	 */
	CHECK_INT("dkim_sig/b-span-parse", sig_of(T_V T_A
	    "b=dGVz\r\n dA==; " T_D T_S T_H T_BH "x=99999"), REASON_OK);
	CHECK_INT("dkim_sig/b-span-off", sig.b_value_off, 37);
	CHECK_INT("dkim_sig/b-span-end", sig.b_value_end, 48);
	CHECK_TRUE("dkim_sig/b-span-bytes",
	    sig.b_value_end <= sig.field->raw_len &&
	    sig.b_value_off <= sig.b_value_end &&
	    sig.b_value_end - sig.b_value_off == 11 &&
	    memcmp(sig.field->raw + sig.b_value_off, "dGVz\r\n dA==", 11) == 0);
	CHECK_MEM("dkim_sig/b-span-decoded", sig.b.data, sig.b.len, "test", 4);

	/* b= last, with FWS around its value: all of it is the span */
	CHECK_INT("dkim_sig/b-last-parse", sig_of(T_V T_A T_D T_S T_H T_BH
	    "b= dGVzdA== "), REASON_OK);
	CHECK_INT("dkim_sig/b-last-end", sig.b_value_end, sig.field->raw_len);
	CHECK_INT("dkim_sig/b-last-len", sig.b_value_end - sig.b_value_off,
	    strlen(" dGVzdA== "));
	CHECK_TRUE("dkim_sig/b-last-bytes",
	    sig.b_value_off <= sig.field->raw_len &&
	    memcmp(sig.field->raw + sig.b_value_off, " dGVzdA== ", 10) == 0);

	/* b= first: "DKIM-Signature: b=" puts the value at 18, ';' at 26 */
	CHECK_INT("dkim_sig/b-first-parse", sig_of("b=dGVzdA==;" T_V T_A T_D
	    T_S T_H "bh=" BH256), REASON_OK);
	CHECK_INT("dkim_sig/b-first-off", sig.b_value_off, 18);
	CHECK_INT("dkim_sig/b-first-end", sig.b_value_end, 26);
}

/* z= is removed before a field is stored (issue 11, item 11: privacy). */
static const char *
noz(const char *field)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	if (!dkim_field_without_z(field, strlen(field), &b))
		return "(oom)";
	return buf_cstr(&b);
}

static void
test_without_z(void)
{
	CHECK_STR("sig/noz-middle", noz("DKIM-Signature: v=1; a=rsa-sha256; "
	    "z=To:=20jane@example.net|From:=20a@b; d=example.com; b=AAAA"),
	    "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; b=AAAA");
	CHECK_STR("sig/noz-last", noz("DKIM-Signature: v=1; d=example.com;\r\n"
	    "\tz=To:=20jane@example.net"),
	    "DKIM-Signature: v=1; d=example.com");
	CHECK_STR("sig/noz-last-semicolon", noz("DKIM-Signature: v=1; "
	    "z=To:=20jane@example.net;"), "DKIM-Signature: v=1;");
	CHECK_STR("sig/noz-first", noz("DKIM-Signature:z=To:=20x@y; v=1"),
	    "DKIM-Signature: v=1");
	CHECK_STR("sig/noz-none", noz("DKIM-Signature: v=1; d=example.com"),
	    "DKIM-Signature: v=1; d=example.com");
	CHECK_STR("sig/noz-folded", noz("DKIM-Signature: v=1; z=To:=20jane@\r\n"
	    "\texample.net|Subject:=20hi;\r\n\tb=AAAA"),
	    "DKIM-Signature: v=1;\r\n\tb=AAAA");
	/* a tag list that does not parse: copied, nothing read from it */
	CHECK_STR("sig/noz-bad-list", noz("DKIM-Signature: v=1; =; z=x"),
	    "DKIM-Signature: v=1; =; z=x");
}

int
main(void)
{
	test_good();
	test_required();
	test_syntax();
	test_alg();
	test_canon();
	test_identity();
	test_h();
	test_numbers();
	test_q_z();
	test_b_span();
	test_without_z();
	reset();
	return UNIT_DONE();
}
