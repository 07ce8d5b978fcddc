/* SPDX-License-Identifier: ISC */
/*
 * test_record: the rows of one message (fbl/store/record.h): safe texts, array
 * literals, the day of a message and its fallbacks, recipient HMACs (RFC
 * 4231 test vector), a record built from a small hand-made report, the
 * verdicts whose facts are kept, and the encoder (fbl/store/encode.h), where
 * the record's enums become the words stored.  Expected values are worked
 * out by hand.
 */
#include <stdlib.h>

#include "base/date.h"
#include "fbl/store/encode.h"
#include "fbl/store/record.h"
#include "tests/unit/unit.h"

static void
test_text(void)
{
	char	*t;
	char	 big[RECORD_MAX_TEXT + 100];

	t = record_text("ok \xc3\xa9", 5);
	CHECK_STR("record/text-utf8-kept", t, "ok \xc3\xa9");
	free(t);
	t = record_text("a\xc0\x1c" "b", 4);
	CHECK_STR("record/text-invalid-byte", t, "a\xef\xbf\xbd\x1c" "b");
	free(t);
	t = record_text("a\0b", 3);
	CHECK_STR("record/text-nul", t, "a\xef\xbf\xbd" "b");
	free(t);
	t = record_text("\xed\xa0\x80", 3);	/* a surrogate: 3 bad bytes */
	CHECK_STR("record/text-surrogate", t,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(t);
	t = record_text("", 0);
	CHECK_STR("record/text-empty", t, "");
	free(t);
	memset(big, 'x', sizeof(big));
	t = record_text(big, sizeof(big));
	CHECK_INT("record/text-bounded", strlen(t), RECORD_MAX_TEXT - 3);
	free(t);
}

static void
test_array(void)
{
	const char	*v[3] = { "a", "b\"c", "d\\e" };
	struct buf	 b = BUF_INIT;

	record_array(&b, v, 3);
	CHECK_STR("record/array", buf_cstr(&b), "{\"a\",\"b\\\"c\",\"d\\\\e\"}");
	buf_reset(&b);
	record_array(&b, v, 0);
	CHECK_STR("record/array-empty", buf_cstr(&b), "{}");
	buf_free(&b);
}

static void
test_day(void)
{
	char	 d[11];

	date_day_of(0, d);
	CHECK_STR("record/day-epoch", d, "1970-01-01");
	date_day_of(1763683200, d);		/* 2025-11-21T00:00:00Z */
	CHECK_STR("record/day", d, "2025-11-21");
	date_day_of(1763769599, d);		/* one second before the next */
	CHECK_STR("record/day-last-second", d, "2025-11-21");
	date_day_of(-5, d);
	CHECK_STR("record/day-negative", d, "1970-01-01");
}

static void
test_hmac(void)
{
	static const unsigned char want[RECORD_HMAC_LEN] = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
		0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
		0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
		0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
	};
	unsigned char	 got[RECORD_HMAC_LEN], got2[RECORD_HMAC_LEN];
	struct buf	 key = BUF_INIT;

	buf_puts(&key, "Jefe");
	CHECK_TRUE("record/hmac-ok", record_hmac_recipient(&key,
	    "what do ya want for nothing?", got));
	CHECK_MEM("record/hmac-rfc4231", got, sizeof(got), want, sizeof(want));
	record_hmac_recipient(&key, " <User@Example.ORG> ", got);
	record_hmac_recipient(&key, "user@example.org", got2);
	CHECK_MEM("record/hmac-normalised", got, sizeof(got), got2,
	    sizeof(got2));
	buf_reset(&key);
	CHECK_TRUE("record/hmac-no-secret",
	    !record_hmac_recipient(&key, "user@example.org", got));
	buf_free(&key);
}

static const char report[] =
    "From: fbl@isp.example\r\n"
    "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=feedback-report;"
    " boundary=\"B\"\r\n"
    "\r\n"
    "--B\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "report\r\n"
    "--B\r\n"
    "Content-Type: message/feedback-report\r\n"
    "\r\n"
    "Feedback-Type: abuse\r\n"
    "User-Agent: T/1\r\n"
    "Version: 1\r\n"
    "Original-Rcpt-To: someone@rcpt.example\r\n"
    "%s"
    "\r\n"
    "--B\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: \"Shop\" <news@Shop.Example>\r\n"
    "Message-ID: <m1@shop.example>\r\n"
    "Date: Thu, 19 Nov 2026 08:00:00 +0000\r\n"
    "\r\n"
    "hi\r\n"
    "--B--\r\n";

/* Build the record of report with extra report fields. */
static bool
build(struct record *rec, const char *extra, const struct buf *secret)
{
	struct arf_report	 r;
	struct message		 m;
	struct record_input	 in;
	char			 raw[4096];
	int			 n;
	bool			 ok, have_m;

	n = snprintf(raw, sizeof(raw), report, extra);
	memset(&r, 0, sizeof(r));
	memset(&m, 0, sizeof(m));
	if (!arf_parse(&r, raw, (size_t)n))
		return false;
	have_m = r.original != NULL &&
	    message_parse(&m, r.original, r.original_len) == MESSAGE_OK;
	memset(&in, 0, sizeof(in));
	in.raw = raw;
	in.len = (size_t)n;
	in.source = "t.eml";
	in.report = &r;
	in.original = have_m ? &m : NULL;
	in.secret = secret;
	ok = record_build(rec, &in);
	message_free(&m);
	arf_report_free(&r);
	return ok;
}

static void
test_build(void)
{
	struct record	 rec;
	struct buf	 key = BUF_INIT;

	CHECK_TRUE("record/build", build(&rec,
	    "Arrival-Date: Fri, 20 Nov 2026 23:59:59 +0000\r\n", NULL));
	CHECK_STR("record/build-kind", arf_kind_name(rec.kind), "arf");
	CHECK_TRUE("record/build-complaint", rec.complaint);
	CHECK_STR("record/day-from-arrival", rec.msg_day, "2026-11-20");
	CHECK_STR("record/feedback-type", rec.feedback_type, "abuse");
	CHECK_STR("record/from-domain", rec.original_from_domain,
	    "shop.example");
	CHECK_STR("record/message-id", rec.original_message_id,
	    "<m1@shop.example>");
	CHECK_STR("record/no-secret-no-recipient", rec.recipient_hmac, NULL);
	CHECK_INT("record/no-sigs", rec.nsigs, 0);
	CHECK_STR("record/no-source-ip-no-prefix", rec.source_prefix, NULL);
	record_free(&rec);

	/* no Arrival-Date: the report's Date */
	buf_puts(&key, "0123456789abcdef0123");
	CHECK_TRUE("record/build-2", build(&rec, "", &key));
	CHECK_STR("record/day-from-report-date", rec.msg_day, "2026-11-21");
	CHECK_INT("record/recipients-hashed", rec.nrecipients, 1);
	CHECK_TRUE("record/recipient-array", rec.recipient_hmac != NULL &&
	    strncmp(rec.recipient_hmac, "{\"\\\\x", 5) == 0 &&
	    strlen(rec.recipient_hmac) == 5 + 64 + 2);
	record_free(&rec);
	buf_free(&key);
}

/*
 * A Source-IP is counted by its /24 or /48 (schema 16), in the form the
 * C parser reads it (brackets, blanks, IPv4-mapped) and inet_ntop writes;
 * what is no address has none.
 */
static void
test_source_prefix(void)
{
	static const struct {
		const char	*field;
		const char	*want;
	} t[] = {
		{ "Source-IP: 192.0.2.77\r\n", "192.0.2.0/24" },
		{ "Source-IP: [198.51.100.255]\r\n", "198.51.100.0/24" },
		{ "Source-IP: 2001:db8:5:1d::1\r\n", "2001:db8:5::/48" },
		{ "Source-IP: [IPv6:2001:DB8:ffff:ffff:1::9]\r\n",
		    "2001:db8:ffff::/48" },
		{ "Source-IP: ::ffff:203.0.113.9\r\n", "203.0.113.0/24" },
		{ "Source-IP: 192.0.2.1/24\r\n", NULL },
		{ "Source-IP: mx.example\r\n", NULL },
	};
	struct record	 rec;
	char		 name[64];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "record/source-prefix-%zu", i);
		if (!build(&rec, t[i].field, NULL)) {
			CHECK_TRUE(name, false);
			continue;
		}
		CHECK_STR(name, rec.source_prefix, t[i].want);
		record_free(&rec);
	}
}

/*
 * The campaign ids a signature's h= covers (schema 16): the Feedback-ID;
 * the CFBL-Feedback-ID only with a d= aligned with CFBL-Address (RFC
 * 9477 section 3.2: equal, or one a subdomain of the other); neither when
 * the original has no such field, whatever h= names.
 */
static void
covers(const char *raw, size_t field, bool *fbid, bool *cfbl)
{
	struct message		 m;
	struct sig_result	 sr;

	memset(&sr, 0, sizeof(sr));
	*fbid = *cfbl = false;
	if (message_parse(&m, raw, strlen(raw)) == MESSAGE_OK) {
		dkim_sig_parse(&sr.sig, &m, field);
		record_sig_covers(&m, &sr, fbid, cfbl);
		dkim_sig_free(&sr.sig);
	}
	message_free(&m);
}

#define SIG(d, h)	"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; " \
	"d=" d "; s=s1; t=1; h=" h "; bh=YWJj; b=YWJj\r\n"

static void
test_covers(void)
{
	static const char with[] =
	    SIG("mail.esp.example", "from:feedback-id:cfbl-feedback-id")
	    SIG("other.example", "from:feedback-id:cfbl-feedback-id")
	    SIG("esp.example", "from:subject")
	    "From: news@shop.example\r\nFeedback-ID: c1:shop:esp\r\n"
	    "CFBL-Address: fbl@esp.example; report=arf\r\n"
	    "CFBL-Feedback-ID: shop/c1\r\n\r\nbody\r\n";
	static const char without[] =
	    SIG("esp.example", "from:feedback-id:cfbl-feedback-id")
	    "From: news@shop.example\r\n\r\nbody\r\n";
	bool	 f, c;

	covers(with, 0, &f, &c);
	CHECK_TRUE("record/covers-aligned", f && c);
	covers(with, 1, &f, &c);
	CHECK_TRUE("record/covers-cfbl-not-aligned", f && !c);
	covers(with, 2, &f, &c);
	CHECK_TRUE("record/covers-not-in-h", !f && !c);
	covers(without, 0, &f, &c);
	CHECK_TRUE("record/covers-no-field", !f && !c);
}

/* The verdicts whose facts are kept, compared as enums. */
static void
test_verdicts(void)
{
	int	 r, n = 0;

	for (r = 0; r < REASON__COUNT; r++)
		n += record_archive_applies((enum dkim_reason)r);
	CHECK_INT("record/archive-reasons", n, 6);
	CHECK_TRUE("record/archive-key-revoked",
	    record_archive_applies(REASON_KEY_REVOKED));
	CHECK_TRUE("record/archive-not-body",
	    !record_archive_applies(REASON_BODY_HASH_MISMATCH));
	CHECK_TRUE("record/open-temperror", record_verdict_open(
	    DKIM_RESULT_TEMPERROR, REASON_DNS_TIMEOUT));
	CHECK_TRUE("record/open-key-gone", record_verdict_open(
	    DKIM_RESULT_FAIL, REASON_KEY_NOT_FOUND));
	CHECK_TRUE("record/closed-fail", !record_verdict_open(
	    DKIM_RESULT_FAIL, REASON_BODY_HASH_MISMATCH));
	CHECK_TRUE("record/archived-names",
	    record_archived_name(ARCHIVED_NONE) == NULL &&
	    strcmp(record_archived_name(ARCHIVED_PASS), "pass") == 0 &&
	    strcmp(record_archived_name(ARCHIVED_FAIL), "fail") == 0);
}

/* Column col (0-based) of a COPY text row, into out. */
static void
column(const struct buf *b, int col, char *out, size_t outlen)
{
	const char	*p = buf_cstr(b), *e;
	size_t		 n;

	while (col-- > 0 && p != NULL)
		if ((p = strchr(p, '\t')) != NULL)
			p++;
	if (p == NULL) {
		snprintf(out, outlen, "(none)");
		return;
	}
	e = p + strcspn(p, "\t\n");
	n = (size_t)(e - p) < outlen - 1 ? (size_t)(e - p) : outlen - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The enums become the stored words in the encoder, and only there. */
static void
test_encode(void)
{
	struct record	 rec;
	struct record_sig sig;
	struct buf	 b = BUF_INIT;
	char		 v[80];

	CHECK_TRUE("record/encode-build", build(&rec, "", NULL));
	encode_report(&b, &rec);
	column(&b, 2, v, sizeof(v));
	CHECK_STR("record/encode-kind", v, "arf");
	column(&b, 13, v, sizeof(v));
	CHECK_STR("record/encode-original-form", v,
	    arf_original_name(rec.original_form));
	record_free(&rec);

	memset(&rec, 0, sizeof(rec));
	memset(&sig, 0, sizeof(sig));
	memcpy(rec.msg_day, "2026-11-20", 11);
	sig.idx = 1;
	sig.key_bits = -1;
	sig.key_testing = -1;
	sig.header_verified = -1;
	sig.body_verified = -1;
	sig.result = DKIM_RESULT_FAIL;
	sig.reason = REASON_KEY_NOT_FOUND;
	sig.role = ROLE_THIRD_PARTY;
	sig.archived = ARCHIVED_PASS;
	sig.archived_key[0] = 0xab;
	rec.sigs = &sig;
	rec.nsigs = 1;
	buf_reset(&b);
	encode_signatures(&b, &rec);
	column(&b, 12, v, sizeof(v));
	CHECK_STR("record/encode-result", v, "fail");
	column(&b, 13, v, sizeof(v));
	CHECK_STR("record/encode-reason", v, "key-not-found");
	column(&b, 16, v, sizeof(v));
	CHECK_STR("record/encode-role", v, "third-party");
	column(&b, 20, v, sizeof(v));
	CHECK_STR("record/encode-archived", v, "pass");
	column(&b, 21, v, sizeof(v));
	CHECK_TRUE("record/encode-archived-key",
	    strncmp(v, "\\\\xab00", 7) == 0);
	sig.archived = ARCHIVED_NONE;
	buf_reset(&b);
	encode_signatures(&b, &rec);
	column(&b, 20, v, sizeof(v));
	CHECK_STR("record/encode-no-archived", v, "\\N");
	column(&b, 21, v, sizeof(v));
	CHECK_STR("record/encode-no-archived-key", v, "\\N");
	buf_free(&b);
}

/*
 * The envelope sender's local part (often VERP: the recipient encoded) is
 * stored as a keyed hash, or dropped without a secret (issue 11, item 11).
 * The hash is RFC 4231 test case 2: key "Jefe", data "what do ya want for
 * nothing?".
 */
static void
test_mail_from(void)
{
	struct buf	 key = BUF_INIT;
	char		*t;

	buf_puts(&key, "Jefe");
	t = record_mail_from("<what do ya want for nothing?@bounce.esp.example>",
	    &key);
	CHECK_STR("record/mail-from-hashed", t, "5bdcc146bf60754e6a042426089575"
	    "c75a003f089d2739839dec58b964ec3843@bounce.esp.example");
	free(t);
	t = record_mail_from("bounce-123-jane=example.net@esp.example", NULL);
	CHECK_STR("record/mail-from-no-secret", t, "@esp.example");
	free(t);
	t = record_mail_from("<>", &key);
	CHECK_STR("record/mail-from-null-sender", t, "<>");
	free(t);
	t = record_mail_from("no-domain-here", NULL);
	CHECK_STR("record/mail-from-no-domain-no-secret", t, NULL);
	free(t);
	t = record_mail_from("Jane <jane@example.net>", &key);
	CHECK_TRUE("record/mail-from-never-the-local-part", t != NULL &&
	    strstr(t, "jane@") == NULL && strstr(t, "@example.net") != NULL);
	free(t);
	buf_free(&key);
}

/*
 * Attribution from the values a row keeps (what reattribute reads back):
 * the first customer signature claims, else the From domain; attributed
 * again under another configuration, every value is replaced.
 */
static void
test_attribute(void)
{
	static const char full[] = "esp-domain fbl.esp.example\n"
	    "customer cust-1 shop.example\n"
	    "customer cust-2 brand.example\n"
	    "sending-network 192.0.2.0/24\n";
	static const char less[] = "esp-domain fbl.esp.example\n"
	    "customer cust-2 brand.example\n";
	struct fbl_config	*a, *b;
	struct record		 rec;
	struct buf		 err = BUF_INIT;

	a = config_load_mem("a.conf", full, strlen(full), &err);
	b = config_load_mem("b.conf", less, strlen(less), &err);
	CHECK_TRUE("record/attribute-configs", a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		goto out;
	memset(&rec, 0, sizeof(rec));
	rec.nsigs = 3;
	rec.sigs = calloc(3, sizeof(*rec.sigs));
	rec.sigs[0].d = strdup("mail.fbl.esp.example");
	rec.sigs[1].d = strdup("Shop.Example.");
	rec.sigs[2].d = strdup("brand.example");
	rec.original_from_domain = strdup("brand.example");
	rec.source_ip = strdup("192.0.2.7");
	CHECK_TRUE("record/attribute", record_attribute(&rec, a));
	CHECK_STR("record/attribute-esp", token_role_name(rec.sigs[0].role),
	    "esp");
	CHECK_STR("record/attribute-sig-customer", rec.sigs[1].customer_id,
	    "cust-1");
	CHECK_STR("record/attribute-first-customer-claims", rec.customer_id,
	    "cust-1");
	CHECK_STR("record/attribute-token-lower-case", rec.customer_token,
	    "shop.example.");
	CHECK_INT("record/attribute-in-networks", rec.source_ip_in_esp, 1);
	/* shop.example removed: the next customer signature claims */
	CHECK_TRUE("record/attribute-again", record_attribute(&rec, b));
	CHECK_STR("record/attribute-removed-role",
	    token_role_name(rec.sigs[1].role), "third-party");
	CHECK_STR("record/attribute-removed-no-id", rec.sigs[1].customer_id,
	    NULL);
	CHECK_STR("record/attribute-next-claims", rec.customer_id, "cust-2");
	CHECK_STR("record/attribute-next-token", rec.customer_token,
	    "brand.example");
	CHECK_INT("record/attribute-no-networks", rec.source_ip_in_esp, -1);
	/* no customer signature: the From domain's customer, that domain */
	rec.sigs[2].d[0] = 'x';
	CHECK_TRUE("record/attribute-from", record_attribute(&rec, b));
	CHECK_STR("record/attribute-from-claims", rec.customer_id, "cust-2");
	CHECK_STR("record/attribute-from-token", rec.customer_token,
	    "brand.example");
	/* no configuration: nothing claimed, every role unknown */
	CHECK_TRUE("record/attribute-none", record_attribute(&rec, NULL));
	CHECK_STR("record/attribute-none-claims", rec.customer_id, NULL);
	CHECK_STR("record/attribute-none-role",
	    token_role_name(rec.sigs[0].role), "unknown");
	record_free(&rec);
out:
	config_free(a);
	config_free(b);
	buf_free(&err);
}

int
main(void)
{
	test_text();
	test_array();
	test_day();
	test_hmac();
	test_mail_from();
	test_build();
	test_source_prefix();
	test_covers();
	test_attribute();
	test_verdicts();
	test_encode();
	return UNIT_DONE();
}
