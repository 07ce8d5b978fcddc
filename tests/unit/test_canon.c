/* SPDX-License-Identifier: ISC */
/*
 * test_canon: the simple and relaxed canonicalizations of RFC 6376
 * section 3.4, header fields and bodies, l=, and the signed-field selection
 * of section 5.4.2.
 *
 * Digests written as literals were computed with
 *   printf '...' | openssl dgst -sha256 -r
 * (the two empty-body ones are also printed in RFC 6376 section 3.4.3, in
 * base64: frcCV1k9oG9o... and uoq1oCgLlTqp...).
 */
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "verifier/canon.h"
#include "verifier/crypto.h"

/* SHA-256("\r\n"); RFC 6376 3.4.3 prints it in base64 as
 * frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY= */
#define SHA256_CRLF \
	"7eb70257593da06f682a3ddda54a9d260d4fc514f645237f5ca74b08f8da61a6"
/* SHA-1("\r\n"), RFC 6376 3.4.3 "uoq1oCgLlTqpdDX/iUbLy7J1Wic=" */
#define SHA1_CRLF	"ba8ab5a0280b953aa97435ff8946cbcbb2755a27"
/* SHA-256("") */
#define SHA256_EMPTY \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* SHA-256(" C\r\nD E\r\n"), the relaxed body of RFC 6376 3.4.5 */
#define SHA256_EX_RELAXED \
	"ba76a4e891ead302fe4351cfedd5b5b63071f452c0e837dfa19d2aacbc1b6e9a"
/* SHA-256(" C \r\nD \t E\r\n"), the simple body of RFC 6376 3.4.5 */
#define SHA256_EX_SIMPLE \
	"34e7a2bdb4250c7f5398d289530ec3e77c197ec93c60c67f853b955704e08bcb"
/* SHA-256("hello") */
#define SHA256_HELLO \
	"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
/* SHA-256("a b") */
#define SHA256_A_B \
	"c8687a08aa5d6ed2044328fa6a697ab8e96dc34291e8c2034ae8c38e6fcc6d65"

static const char *
hex(const unsigned char *p, size_t n)
{
	static char	 b[4][2 * EVP_MAX_MD_SIZE + 1];
	static int	 k;
	size_t		 i;

	k = (k + 1) % 4;
	if (n > EVP_MAX_MD_SIZE)
		n = EVP_MAX_MD_SIZE;
	for (i = 0; i < n; i++)
		snprintf(b[k] + 2 * i, 3, "%02x", p[i]);
	b[k][2 * n] = '\0';
	return b[k];
}

static char *
heap_copy(const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len ? len : 1)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(p, s, len);
	return p;
}

static void
bh_init(struct body_hash *h, enum dkim_canon c, enum dkim_hash hash,
    bool has_l, uint64_t l)
{
	memset(h, 0, sizeof(*h));
	h->canon = c;
	h->hash = hash;
	h->has_l = has_l;
	h->l = l;
}

/* One body hash over an exact-size copy of body; canonical form in keep. */
static bool
one_body(struct body_hash *h, enum dkim_canon c, enum dkim_hash hash,
    bool has_l, uint64_t l, const char *body, size_t len, struct buf *keep)
{
	char	*copy = heap_copy(body, len);
	bool	 ok;

	bh_init(h, c, hash, has_l, l);
	if (keep != NULL)
		buf_reset(keep);
	ok = body_hash_compute(h, 1, copy, len, keep);
	free(copy);
	return ok;
}

/* Check the canonical form (via keep) of body under c. */
static void
check_body(const char *tname, enum dkim_canon c, const char *body,
    const char *want)
{
	struct body_hash	*h = malloc(sizeof(*h));
	struct buf		 keep = BUF_INIT;
	char			 n2[160];

	if (h == NULL)
		exit(2);
	CHECK_TRUE(tname, one_body(h, c, DKIM_HASH_SHA256, false, 0, body,
	    strlen(body), &keep));
	snprintf(n2, sizeof(n2), "%s-bytes", tname);
	CHECK_MEM(n2, buf_cstr(&keep), keep.len, want, strlen(want));
	snprintf(n2, sizeof(n2), "%s-canon-len", tname);
	CHECK_INT(n2, h->canon_len, strlen(want));
	buf_free(&keep);
	free(h);
}

static void
check_header(const char *tname, enum dkim_canon c, const char *raw,
    const char *want)
{
	struct buf	 out = BUF_INIT;
	char		*copy = heap_copy(raw, strlen(raw));

	canon_header(&out, c, copy, strlen(raw));
	CHECK_MEM(tname, buf_cstr(&out), out.len, want, strlen(want));
	buf_free(&out);
	free(copy);
}

/*
 * RFC 6376 section 3.4.5, typed in from the RFC (<SP> etc. expanded):
 *   A: <SP> X <CRLF>
 *   B <SP> : <SP> Y <HTAB><CRLF>
 *                 <HTAB> Z <SP><SP><CRLF>
 *   <CRLF>
 *   <SP> C <SP><CRLF>
 *   D <SP><HTAB><SP> E <CRLF>
 *   <CRLF>
 *   <CRLF>
 */
#define EX_MSG \
	"A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n"

static void
test_rfc_example_msg(const char *tag, const char *msgtext)
{
	static const struct dkim_hname h[] = { { "a", 1 }, { "b", 1 } };
	struct message	 m;
	struct buf	 out = BUF_INIT;
	struct body_hash *bh;
	char		*copy = heap_copy(msgtext, strlen(msgtext));
	char		 n[128];
	size_t		 i;

	if ((bh = calloc(2, sizeof(*bh))) == NULL)
		exit(2);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-parse", tag);
	CHECK_INT(n, message_parse(&m, copy, strlen(msgtext)), MESSAGE_OK);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-nfields", tag);
	CHECK_INT(n, m.nfields, 2);

	/* relaxed header: "a:X <CRLF> b:Y <SP> Z <CRLF>" */
	for (i = 0; i < m.nfields; i++)
		canon_header(&out, DKIM_CANON_RELAXED, m.fields[i].raw,
		    m.fields[i].raw_len);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-relaxed-header", tag);
	CHECK_MEM(n, buf_cstr(&out), out.len, "a:X\r\nb:Y Z\r\n", 12);

	/* simple header: unchanged */
	buf_reset(&out);
	for (i = 0; i < m.nfields; i++)
		canon_header(&out, DKIM_CANON_SIMPLE, m.fields[i].raw,
		    m.fields[i].raw_len);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-simple-header", tag);
	CHECK_MEM(n, buf_cstr(&out), out.len, "A: X\r\nB : Y\t\r\n\tZ  \r\n",
	    20);

	/* the same through canon_signed_fields with h=a:b */
	buf_reset(&out);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-signed-fields-ok", tag);
	CHECK_TRUE(n, canon_signed_fields(&out, &m, h, 2, DKIM_CANON_RELAXED,
	    -1));
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-signed-fields", tag);
	CHECK_MEM(n, buf_cstr(&out), out.len, "a:X\r\nb:Y Z\r\n", 12);

	/* bodies */
	bh_init(&bh[0], DKIM_CANON_RELAXED, DKIM_HASH_SHA256, false, 0);
	bh_init(&bh[1], DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, false, 0);
	buf_reset(&out);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-body-ok", tag);
	CHECK_TRUE(n, body_hash_compute(bh, 2, m.body, m.body_len, &out) &&
	    bh[0].ok && bh[1].ok);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-relaxed-body", tag);
	CHECK_MEM(n, buf_cstr(&out), out.len, " C\r\nD E\r\n", 9);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-relaxed-body-len", tag);
	CHECK_INT(n, bh[0].canon_len, 9);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-relaxed-body-sha256", tag);
	CHECK_STR(n, hex(bh[0].digest, bh[0].digest_len), SHA256_EX_RELAXED);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-simple-body-len", tag);
	CHECK_INT(n, bh[1].canon_len, 12);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-simple-body-sha256", tag);
	CHECK_STR(n, hex(bh[1].digest, bh[1].digest_len), SHA256_EX_SIMPLE);

	/* and the simple body itself, through keep of hs[0] */
	bh_init(&bh[0], DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, false, 0);
	buf_reset(&out);
	(void)body_hash_compute(bh, 1, m.body, m.body_len, &out);
	snprintf(n, sizeof(n), "canon/rfc3.4.5-%s-simple-body", tag);
	CHECK_MEM(n, buf_cstr(&out), out.len, " C \r\nD \t E\r\n", 12);

	message_free(&m);
	buf_free(&out);
	free(bh);
	free(copy);
}

static void
test_rfc_example(void)
{
	test_rfc_example_msg("crlf", EX_MSG);
	/* the same message stored with bare LF canonicalizes identically */
	test_rfc_example_msg("lf",
	    "A: X\nB : Y\t\n\tZ  \n\n C \nD \t E\n\n\n");
}

static void
test_headers(void)
{
	check_header("canon/relaxed-header-lowercase-name",
	    DKIM_CANON_RELAXED, "SUBJECT: Hi", "subject:Hi\r\n");
	check_header("canon/relaxed-header-value-case-kept",
	    DKIM_CANON_RELAXED, "Subject: HeLLo", "subject:HeLLo\r\n");
	check_header("canon/relaxed-header-wsp-runs",
	    DKIM_CANON_RELAXED, "Subject:  Hello \t  World  ",
	    "subject:Hello World\r\n");
	check_header("canon/relaxed-header-unfold-crlf",
	    DKIM_CANON_RELAXED, "X: a\r\n\tb\r\n c", "x:a b c\r\n");
	check_header("canon/relaxed-header-unfold-lf",
	    DKIM_CANON_RELAXED, "X: a\n\tb", "x:a b\r\n");
	check_header("canon/relaxed-header-wsp-before-colon",
	    DKIM_CANON_RELAXED, "Subject \t: x", "subject:x\r\n");
	check_header("canon/relaxed-header-empty-value",
	    DKIM_CANON_RELAXED, "A:", "a:\r\n");
	check_header("canon/relaxed-header-wsp-only-value",
	    DKIM_CANON_RELAXED, "A: \t ", "a:\r\n");
	check_header("canon/relaxed-header-fold-only-value",
	    DKIM_CANON_RELAXED, "A:\r\n ", "a:\r\n");
	check_header("canon/relaxed-header-8bit-kept",
	    DKIM_CANON_RELAXED, "Subject: caf\xc3\xa9",
	    "subject:caf\xc3\xa9\r\n");
	check_header("canon/simple-header-unchanged",
	    DKIM_CANON_SIMPLE, "SUBJECT  :  Hi\t", "SUBJECT  :  Hi\t\r\n");
	check_header("canon/simple-header-lf-fold-to-crlf",
	    DKIM_CANON_SIMPLE, "X: a\n\tb", "X: a\r\n\tb\r\n");
	check_header("canon/simple-header-crlf-fold-kept",
	    DKIM_CANON_SIMPLE, "X: a\r\n\tb", "X: a\r\n\tb\r\n");

	/* appending: what was in the buffer stays */
	{
		struct buf	 out = BUF_INIT;

		buf_puts(&out, "pre");
		canon_header(&out, DKIM_CANON_RELAXED, "A: b", 4);
		CHECK_MEM("canon/header-appends", buf_cstr(&out), out.len,
		    "prea:b\r\n", 8);
		buf_free(&out);
	}
}

static void
test_empty_body(void)
{
	struct body_hash	*h = malloc(sizeof(*h));
	struct buf		 keep = BUF_INIT;

	if (h == NULL)
		exit(2);
	/* simple: an empty body is one CRLF (3.4.3) */
	CHECK_TRUE("canon/empty-body-simple-ok",
	    one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, false, 0, "", 0,
	    &keep) && h->ok);
	CHECK_MEM("canon/empty-body-simple", buf_cstr(&keep), keep.len, "\r\n",
	    2);
	CHECK_INT("canon/empty-body-simple-len", h->canon_len, 2);
	CHECK_INT("canon/empty-body-simple-hashed", h->hashed, 2);
	CHECK_STR("canon/empty-body-simple-sha256",
	    hex(h->digest, h->digest_len), SHA256_CRLF);
	(void)one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA1, false, 0, "", 0,
	    NULL);
	CHECK_STR("canon/empty-body-simple-sha1",
	    hex(h->digest, h->digest_len), SHA1_CRLF);
	CHECK_INT("canon/empty-body-simple-sha1-len", h->digest_len, 20);

	/* relaxed: an empty body stays empty (3.4.4) */
	CHECK_TRUE("canon/empty-body-relaxed-ok",
	    one_body(h, DKIM_CANON_RELAXED, DKIM_HASH_SHA256, false, 0, "", 0,
	    &keep) && h->ok);
	CHECK_INT("canon/empty-body-relaxed-bytes", keep.len, 0);
	CHECK_INT("canon/empty-body-relaxed-len", h->canon_len, 0);
	CHECK_STR("canon/empty-body-relaxed-sha256",
	    hex(h->digest, h->digest_len), SHA256_EMPTY);

	/* a body of empty lines only is an empty body */
	(void)one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, false, 0,
	    "\r\n\r\n\r\n", 6, &keep);
	CHECK_MEM("canon/only-empty-lines-simple", buf_cstr(&keep), keep.len,
	    "\r\n", 2);
	CHECK_STR("canon/only-empty-lines-simple-sha256",
	    hex(h->digest, h->digest_len), SHA256_CRLF);
	(void)one_body(h, DKIM_CANON_RELAXED, DKIM_HASH_SHA256, false, 0,
	    "\r\n\n\r\n", 5, &keep);
	CHECK_INT("canon/only-empty-lines-relaxed", keep.len, 0);
	CHECK_STR("canon/only-empty-lines-relaxed-sha256",
	    hex(h->digest, h->digest_len), SHA256_EMPTY);
	buf_free(&keep);
	free(h);
}

static void
test_bodies(void)
{
	/* trailing empty lines go, inner ones stay */
	check_body("canon/trailing-empty-simple", DKIM_CANON_SIMPLE,
	    "a\r\n\r\nb\r\n\r\n\r\n", "a\r\n\r\nb\r\n");
	check_body("canon/trailing-empty-relaxed", DKIM_CANON_RELAXED,
	    "a\r\n\r\nb\r\n\r\n\r\n", "a\r\n\r\nb\r\n");
	check_body("canon/leading-empty-kept", DKIM_CANON_SIMPLE,
	    "\r\n\r\na\r\n", "\r\n\r\na\r\n");
	check_body("canon/trailing-empty-lf", DKIM_CANON_SIMPLE,
	    "a\n\n\n", "a\r\n");

	/* no final CRLF: one is added */
	check_body("canon/no-final-crlf-simple", DKIM_CANON_SIMPLE,
	    "a\r\nb", "a\r\nb\r\n");
	check_body("canon/no-final-crlf-relaxed", DKIM_CANON_RELAXED,
	    "a\r\nb", "a\r\nb\r\n");
	check_body("canon/no-final-crlf-wsp-simple", DKIM_CANON_SIMPLE,
	    "a\r\n  ", "a\r\n  \r\n");
	check_body("canon/no-final-crlf-wsp-relaxed", DKIM_CANON_RELAXED,
	    "a\r\n  ", "a\r\n");

	/* whitespace-only last lines: kept by simple, gone under relaxed */
	check_body("canon/wsp-last-lines-simple", DKIM_CANON_SIMPLE,
	    "a\r\n  \r\n\t\r\n", "a\r\n  \r\n\t\r\n");
	check_body("canon/wsp-last-lines-relaxed", DKIM_CANON_RELAXED,
	    "a\r\n  \r\n\t\r\n", "a\r\n");
	check_body("canon/wsp-inner-line-relaxed", DKIM_CANON_RELAXED,
	    "a\r\n \t \r\nb\r\n", "a\r\n\r\nb\r\n");
	check_body("canon/wsp-then-empty-relaxed", DKIM_CANON_RELAXED,
	    "a\r\n \r\n\r\n\t\r\n", "a\r\n");

	/* relaxed line rules */
	check_body("canon/relaxed-leading-wsp-to-sp", DKIM_CANON_RELAXED,
	    "\t\t x\r\n", " x\r\n");
	check_body("canon/relaxed-trailing-wsp", DKIM_CANON_RELAXED,
	    "x \t \r\n", "x\r\n");
	check_body("canon/relaxed-inner-runs", DKIM_CANON_RELAXED,
	    "a  \t b\tc\r\n", "a b c\r\n");

	/* bare LF lines come out CRLF */
	check_body("canon/bare-lf-simple", DKIM_CANON_SIMPLE, "a\nb\n",
	    "a\r\nb\r\n");
	/* a CR inside a line is data */
	check_body("canon/bare-cr-kept-simple", DKIM_CANON_SIMPLE,
	    "a\rb\r\n", "a\rb\r\n");
	check_body("canon/bare-cr-kept-relaxed", DKIM_CANON_RELAXED,
	    "a\rb\r\n", "a\rb\r\n");
	/* CR CR LF: the first CR ends the line's data, it is not WSP */
	check_body("canon/cr-cr-lf-simple", DKIM_CANON_SIMPLE,
	    "a \r\r\n", "a \r\r\n");
	check_body("canon/cr-cr-lf-relaxed", DKIM_CANON_RELAXED,
	    "a \r\r\n", "a \r\r\n");
	/* a lone CR line is not an empty line */
	check_body("canon/cr-line-not-empty", DKIM_CANON_SIMPLE,
	    "a\r\n\r\r\n", "a\r\n\r\r\n");
	/* NUL and 8-bit bytes pass through */
	{
		const char	 in[] = "a\0b\xff\r\n";
		struct body_hash *h = malloc(sizeof(*h));
		struct buf	 keep = BUF_INIT;

		if (h == NULL)
			exit(2);
		(void)one_body(h, DKIM_CANON_RELAXED, DKIM_HASH_SHA256, false,
		    0, in, sizeof(in) - 1, &keep);
		CHECK_MEM("canon/nul-8bit-kept", buf_cstr(&keep), keep.len, in,
		    sizeof(in) - 1);
		buf_free(&keep);
		free(h);
	}
}

static void
test_l(void)
{
	struct body_hash	*h = malloc(sizeof(*h));
	struct buf		 keep = BUF_INIT;
	const char		*body = "hello world\r\n";

	if (h == NULL)
		exit(2);
	CHECK_TRUE("canon/l5-ok", one_body(h, DKIM_CANON_SIMPLE,
	    DKIM_HASH_SHA256, true, 5, body, 13, &keep) && h->ok);
	CHECK_INT("canon/l5-hashed", h->hashed, 5);
	CHECK_INT("canon/l5-canon-len", h->canon_len, 13);
	CHECK_STR("canon/l5-digest", hex(h->digest, h->digest_len),
	    SHA256_HELLO);
	/* keep holds the whole canonical body, not only the hashed part */
	CHECK_MEM("canon/l5-keep-whole", buf_cstr(&keep), keep.len, body, 13);

	(void)one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, true, 0, body,
	    13, NULL);
	CHECK_INT("canon/l0-hashed", h->hashed, 0);
	CHECK_INT("canon/l0-canon-len", h->canon_len, 13);
	CHECK_STR("canon/l0-digest", hex(h->digest, h->digest_len),
	    SHA256_EMPTY);

	(void)one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, true, 100, body,
	    13, NULL);
	CHECK_INT("canon/l-beyond-hashed", h->hashed, 13);
	CHECK_INT("canon/l-beyond-canon-len", h->canon_len, 13);

	(void)one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, true, 13, body,
	    13, NULL);
	CHECK_INT("canon/l-exact-hashed", h->hashed, 13);

	/* l= counts canonical octets: "a  b \r\n" relaxed is "a b\r\n" */
	(void)one_body(h, DKIM_CANON_RELAXED, DKIM_HASH_SHA256, true, 3,
	    "a  b \r\n", 7, NULL);
	CHECK_INT("canon/l-relaxed-hashed", h->hashed, 3);
	CHECK_INT("canon/l-relaxed-canon-len", h->canon_len, 5);
	CHECK_STR("canon/l-relaxed-digest", hex(h->digest, h->digest_len),
	    SHA256_A_B);

	/* trailing empty lines are not counted against l= */
	(void)one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, true, 100,
	    "hello world\r\n\r\n\r\n", 17, NULL);
	CHECK_INT("canon/l-trailing-empty-canon-len", h->canon_len, 13);

	/* empty body under simple with l=0: nothing hashed, 2 octets long */
	(void)one_body(h, DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, true, 0, "", 0,
	    NULL);
	CHECK_INT("canon/l0-empty-simple-hashed", h->hashed, 0);
	CHECK_INT("canon/l0-empty-simple-canon-len", h->canon_len, 2);
	CHECK_STR("canon/l0-empty-simple-digest",
	    hex(h->digest, h->digest_len), SHA256_EMPTY);
	buf_free(&keep);
	free(h);
}

/*
 * A body larger than the staging buffer, canonicalized by five body hashes
 * in one call and one at a time; the expected canonical forms are built
 * beside the raw body and hashed directly with EVP.
 */
static void
test_many_at_once(void)
{
	struct buf	 raw = BUF_INIT, simple = BUF_INIT;
	struct buf	 relaxed = BUF_INIT, keep = BUF_INIT;
	struct body_hash *hs, *one;
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dl;
	char		*copy, n[128];
	size_t		 i, k;
	static const struct {
		enum dkim_canon	 c;
		enum dkim_hash	 h;
		bool		 has_l;
		uint64_t	 l;
	} cfg[] = {
		{ DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, false, 0 },
		{ DKIM_CANON_RELAXED, DKIM_HASH_SHA256, false, 0 },
		{ DKIM_CANON_SIMPLE, DKIM_HASH_SHA1, false, 0 },
		{ DKIM_CANON_RELAXED, DKIM_HASH_SHA256, true, 10000 },
		{ DKIM_CANON_RELAXED, DKIM_HASH_SHA1, false, 0 },
	};
	const size_t	 ncfg = sizeof(cfg) / sizeof(cfg[0]);

	for (i = 0; i < 1500; i++) {
		buf_printf(&raw, "line %zu with  two\tspaces  \r\n", i);
		buf_printf(&relaxed, "line %zu with two spaces\r\n", i);
		if (i % 100 == 7) {
			buf_puts(&raw, "\r\n");
			buf_puts(&relaxed, "\r\n");
		}
	}
	/* whitespace-only tail: simple keeps it, relaxed drops it */
	buf_puts(&raw, "\r\n \r\n\t\r\n");
	buf_append(&simple, raw.data, raw.len);
	CHECK_TRUE("canon/many-body-large", raw.len > 2 * BODY_HASH_STAGE &&
	    buf_ok(&raw) && buf_ok(&relaxed));

	hs = calloc(ncfg, sizeof(*hs));
	one = calloc(1, sizeof(*one));
	if (hs == NULL || one == NULL)
		exit(2);
	for (k = 0; k < ncfg; k++)
		bh_init(&hs[k], cfg[k].c, cfg[k].h, cfg[k].has_l, cfg[k].l);
	/* hs[0] is simple: keep collects its canonical form */
	copy = heap_copy(raw.data, raw.len);
	CHECK_TRUE("canon/many-compute", body_hash_compute(hs, ncfg, copy,
	    raw.len, &keep));
	CHECK_MEM("canon/many-keep-is-hs0", buf_cstr(&keep), keep.len,
	    simple.data, simple.len);

	for (k = 0; k < ncfg; k++) {
		const struct buf *want = cfg[k].c == DKIM_CANON_SIMPLE ?
		    &simple : &relaxed;
		size_t	 hl = want->len;

		if (cfg[k].has_l && cfg[k].l < hl)
			hl = (size_t)cfg[k].l;
		(void)crypto_digest(cfg[k].h, want->data, hl, d, &dl);
		snprintf(n, sizeof(n), "canon/many-%zu-ok", k);
		CHECK_TRUE(n, hs[k].ok);
		snprintf(n, sizeof(n), "canon/many-%zu-digest-vs-evp", k);
		CHECK_STR(n, hex(hs[k].digest, hs[k].digest_len), hex(d, dl));
		snprintf(n, sizeof(n), "canon/many-%zu-canon-len", k);
		CHECK_INT(n, hs[k].canon_len, want->len);
		snprintf(n, sizeof(n), "canon/many-%zu-hashed", k);
		CHECK_INT(n, hs[k].hashed, hl);

		bh_init(one, cfg[k].c, cfg[k].h, cfg[k].has_l, cfg[k].l);
		(void)body_hash_compute(one, 1, copy, raw.len, NULL);
		snprintf(n, sizeof(n), "canon/many-%zu-same-as-alone", k);
		CHECK_TRUE(n, one->ok && one->digest_len == hs[k].digest_len &&
		    memcmp(one->digest, hs[k].digest, one->digest_len) == 0 &&
		    one->canon_len == hs[k].canon_len &&
		    one->hashed == hs[k].hashed);
	}

	/* a relaxed hash first: keep gets the relaxed form */
	bh_init(&hs[0], DKIM_CANON_RELAXED, DKIM_HASH_SHA256, false, 0);
	bh_init(&hs[1], DKIM_CANON_SIMPLE, DKIM_HASH_SHA256, false, 0);
	buf_reset(&keep);
	(void)body_hash_compute(hs, 2, copy, raw.len, &keep);
	CHECK_MEM("canon/many-keep-relaxed", buf_cstr(&keep), keep.len,
	    relaxed.data, relaxed.len);

	free(copy);
	free(hs);
	free(one);
	buf_free(&raw);
	buf_free(&simple);
	buf_free(&relaxed);
	buf_free(&keep);
}

static void
check_sig_header(const char *tname, enum dkim_canon c, const char *raw,
    size_t b_off, size_t b_end, const char *want)
{
	struct buf	 out = BUF_INIT;
	char		*copy = heap_copy(raw, strlen(raw));

	canon_sig_header(&out, c, copy, strlen(raw), b_off, b_end);
	CHECK_MEM(tname, buf_cstr(&out), out.len, want, strlen(want));
	buf_free(&out);
	free(copy);
}

static void
test_sig_header(void)
{
	/*
	 * "DKIM-Signature: v=1; b=abc; d=x": "DKIM-Signature:" is 0..14,
	 * ' ' 15, v 16, = 17, 1 18, ; 19, ' ' 20, b 21, = 22, abc 23..25,
	 * ';' 26.
	 */
	check_sig_header("canon/sig-header-simple", DKIM_CANON_SIMPLE,
	    "DKIM-Signature: v=1; b=abc; d=x", 23, 26,
	    "DKIM-Signature: v=1; b=; d=x");
	check_sig_header("canon/sig-header-relaxed", DKIM_CANON_RELAXED,
	    "DKIM-Signature: v=1; b=abc; d=x", 23, 26,
	    "dkim-signature:v=1; b=; d=x");
	/*
	 * b= last and folded: "DKIM-Signature: a=1; b=ab\r\n cd"
	 * "=" of b at 22, value 23..29 (end of field, length 30).
	 */
	check_sig_header("canon/sig-header-last-simple", DKIM_CANON_SIMPLE,
	    "DKIM-Signature: a=1; b=ab\r\n cd", 23, 30,
	    "DKIM-Signature: a=1; b=");
	check_sig_header("canon/sig-header-last-relaxed", DKIM_CANON_RELAXED,
	    "DKIM-Signature: a=1; b=ab\r\n cd", 23, 30,
	    "dkim-signature:a=1; b=");
	/*
	 * folded field, b= in the middle:
	 * "DKIM-Signature: v=1;\r\n\tb=abc;\r\n\td=x"
	 *  "DKIM-Signature: v=1;" is 0..19, \r 20 \n 21 \t 22 b 23 = 24
	 *  abc 25..27, ';' 28.
	 */
	check_sig_header("canon/sig-header-folded-relaxed", DKIM_CANON_RELAXED,
	    "DKIM-Signature: v=1;\r\n\tb=abc;\r\n\td=x", 25, 28,
	    "dkim-signature:v=1; b=; d=x");
	check_sig_header("canon/sig-header-folded-simple", DKIM_CANON_SIMPLE,
	    "DKIM-Signature: v=1;\r\n\tb=abc;\r\n\td=x", 25, 28,
	    "DKIM-Signature: v=1;\r\n\tb=;\r\n\td=x");
	/* an LF-stored fold is canonicalized to CRLF by simple */
	check_sig_header("canon/sig-header-lf-simple", DKIM_CANON_SIMPLE,
	    "DKIM-Signature: v=1;\n\tb=abc;\n\td=x", 24, 27,
	    "DKIM-Signature: v=1;\r\n\tb=;\r\n\td=x");
	/* "bh=" elsewhere in the field is not touched */
	check_sig_header("canon/sig-header-bh-kept", DKIM_CANON_SIMPLE,
	    "DKIM-Signature: bh=xyz; b=abc", 26, 29,
	    "DKIM-Signature: bh=xyz; b=");
	{
		struct buf	 out = BUF_INIT;

		buf_puts(&out, "a:b\r\n");
		canon_sig_header(&out, DKIM_CANON_RELAXED,
		    "DKIM-Signature: b=x", 19, 18, 19);
		CHECK_MEM("canon/sig-header-appends", buf_cstr(&out), out.len,
		    "a:b\r\ndkim-signature:b=", 22);
		buf_free(&out);
	}
}

static void
test_signed_fields(void)
{
	static const struct dkim_hname h1[] = {
		{ "from", 4 }, { "FROM", 4 }, { "From", 4 }, { "subject", 7 },
	};
	static const struct dkim_hname h2[] = { { "from", 4 } };
	static const struct dkim_hname h3[] = {
		{ "cc", 2 }, { "to", 2 }, { "to", 2 },
	};
	static const struct dkim_hname h4[] = {
		{ "dkim-signature", 14 }, { "from", 4 },
	};
	static const struct dkim_hname h5[] = { { "fro", 3 } };
	const char	*text = "From: 1\r\nTo: t\r\nFrom: 2\r\n"
	    "Subject: s\r\n\r\nbody\r\n";
	const char	*text2 = "DKIM-Signature: v=1\r\nFrom: a\r\n"
	    "Garbage line\r\n\r\n";
	struct message	 m;
	struct buf	 out = BUF_INIT;
	char		*copy = heap_copy(text, strlen(text));

	CHECK_INT("canon/signed-parse", message_parse(&m, copy, strlen(text)),
	    MESSAGE_OK);
	/* bottom-up: the lowest From first; the third "from" adds nothing */
	CHECK_TRUE("canon/signed-oversign-ok", canon_signed_fields(&out, &m, h1,
	    4, DKIM_CANON_SIMPLE, -1));
	CHECK_MEM("canon/signed-bottom-up-oversign", buf_cstr(&out), out.len,
	    "From: 2\r\nFrom: 1\r\nSubject: s\r\n", 30);
	buf_reset(&out);
	(void)canon_signed_fields(&out, &m, h1, 4, DKIM_CANON_RELAXED, -1);
	CHECK_MEM("canon/signed-bottom-up-relaxed", buf_cstr(&out), out.len,
	    "from:2\r\nfrom:1\r\nsubject:s\r\n", 27);
	/* skip: the bottom From is never taken */
	buf_reset(&out);
	(void)canon_signed_fields(&out, &m, h2, 1, DKIM_CANON_SIMPLE, 2);
	CHECK_MEM("canon/signed-skip", buf_cstr(&out), out.len, "From: 1\r\n",
	    9);
	/* an absent name and a second "to" add nothing */
	buf_reset(&out);
	(void)canon_signed_fields(&out, &m, h3, 3, DKIM_CANON_SIMPLE, -1);
	CHECK_MEM("canon/signed-absent-names", buf_cstr(&out), out.len,
	    "To: t\r\n", 7);
	/* a prefix of a name is another name */
	buf_reset(&out);
	(void)canon_signed_fields(&out, &m, h5, 1, DKIM_CANON_SIMPLE, -1);
	CHECK_INT("canon/signed-prefix-no-match", out.len, 0);
	/* no names: nothing */
	buf_reset(&out);
	CHECK_TRUE("canon/signed-empty-h", canon_signed_fields(&out, &m, h1, 0,
	    DKIM_CANON_SIMPLE, -1) && out.len == 0);
	message_free(&m);
	free(copy);

	/* the signature being verified is skipped even when h= names it */
	copy = heap_copy(text2, strlen(text2));
	CHECK_INT("canon/signed-self-parse",
	    message_parse(&m, copy, strlen(text2)), MESSAGE_OK);
	buf_reset(&out);
	(void)canon_signed_fields(&out, &m, h4, 2, DKIM_CANON_RELAXED, 0);
	CHECK_MEM("canon/signed-self-skipped", buf_cstr(&out), out.len,
	    "from:a\r\n", 8);
	message_free(&m);
	free(copy);
	buf_free(&out);
}

/*
 * Relaxed lines are checked in 16-byte blocks: put a WSP run at every
 * offset across two blocks so the block-boundary cases are all met.  The
 * expected form follows section 3.4.4 by construction: the run becomes one
 * SP, trailing WSP goes.
 */
static void
test_relaxed_offsets(void)
{
	char		 body[64], want[64], name[64];
	size_t		 k, i;
	static const char *const runs[] = { "  ", " \t", "\t", "\t\t ", " " };
	size_t		 r;

	for (r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		for (k = 0; k <= 40; k++) {
			/* x{k} RUN y{3} CRLF  ->  x{k} SP y{3} CRLF */
			for (i = 0; i < k; i++)
				body[i] = 'x';
			body[k] = '\0';
			strcat(body, runs[r]);
			strcat(body, "yyy\r\n");
			for (i = 0; i < k; i++)
				want[i] = 'x';
			want[k] = '\0';
			strcat(want, k > 0 ? " yyy\r\n" : " yyy\r\n");
			snprintf(name, sizeof(name),
			    "canon/relaxed-run%zu-at-%zu", r, k);
			check_body(name, DKIM_CANON_RELAXED, body, want);
			/* the same run at the end of the line is dropped */
			for (i = 0; i < k; i++)
				body[i] = 'x';
			body[k] = '\0';
			strcat(body, runs[r]);
			strcat(body, "\r\n");
			for (i = 0; i < k; i++)
				want[i] = 'x';
			want[k] = '\0';
			strcat(want, k > 0 ? "\r\n" : "");
			snprintf(name, sizeof(name),
			    "canon/relaxed-trailing-run%zu-at-%zu", r, k);
			check_body(name, DKIM_CANON_RELAXED, body, want);
		}
	}
}

int
main(void)
{
	test_rfc_example();
	test_headers();
	test_empty_body();
	test_bodies();
	test_l();
	test_many_at_once();
	test_sig_header();
	test_signed_fields();
	test_relaxed_offsets();
	return UNIT_DONE();
}
