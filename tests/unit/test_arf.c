/* SPDX-License-Identifier: ISC */
/*
 * test_arf: the feedback-report parser (fbl/feedback/arf.h) on hand-made reports, one
 * or more per deviation code it emits, per kind and per complaint format,
 * and the reporter table (fbl/feedback/reporter.h).  Expected values follow RFC 5965,
 * RFC 6591 and the definitions of docs/arf.md.
 *
 * Every message is parsed from an exact-size heap copy so that the sanitizer
 * build catches any read past the end.  The provider formats (JMRP, SES,
 * envelopes before the original, a derived Source-IP) are in
 * arf_providers.c; what the two files share is arf_test.h.
 */
#include <stdlib.h>

#include "fbl/feedback/arf.h"
#include "fbl/feedback/reporter.h"
#include "tests/unit/unit.h"
#include "tests/unit/arf_test.h"

struct arf_report r;
char	*cur;
char	 msg[65536];

/*
 * arf_find_attached() on every message parsed here: it must find the
 * original arf_parse() finds apart from the message (same kind, bytes and
 * form), and nothing otherwise.
 */
static struct {
	size_t	 parsed, attached, disagree;
} find_count;

static bool
attached_original(const struct arf_report *a)
{
	return a->complaint && a->original != NULL && a->original_len > 0 &&
	    a->original_form != ARF_ORIG_INLINE;
}

static void
compare_find_attached(const char *s, size_t n)
{
	struct arf_report f;
	bool	 want = attached_original(&r), ok;

	if (!arf_find_attached(&f, s, n)) {
		arf_report_free(&f);
		return;
	}
	ok = attached_original(&f) == want;
	if (ok && want)
		ok = f.kind == r.kind && f.original_len == r.original_len &&
		    memcmp(f.original, r.original, r.original_len) == 0 &&
		    f.original_form == r.original_form;
	if (!ok) {
		find_count.disagree++;
		printf("# arf_find_attached disagrees on: %.60s\n", s);
	}
	find_count.parsed++;
	if (want)
		find_count.attached++;
	arf_report_free(&f);
}

bool
parse_n(const char *s, size_t n)
{
	bool	 ok;

	arf_report_free(&r);
	free(cur);
	if ((cur = malloc(n ? n : 1)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(cur, s, n);
	if ((ok = arf_parse(&r, cur, n)))
		compare_find_attached(cur, n);
	return ok;
}

bool
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

bool
has_dev(const char *code)
{
	size_t	 i;

	for (i = 0; i < r.deviations.n; i++)
		if (strcmp(r.deviations.v[i], code) == 0)
			return true;
	return false;
}

/* The original as a C string (for CHECK_STR). */
const char *
orig(void)
{
	static char	 b[4096];
	size_t		 n = r.original_len;

	if (r.original == NULL)
		return "(none)";
	if (n >= sizeof(b))
		n = sizeof(b) - 1;
	memcpy(b, r.original, n);
	b[n] = '\0';
	return b;
}

/*
 * A three-part report: top Content-Type ct, report part headers rh and
 * fields, original part headers oh and content, then end ("--B--\n" or "").
 */
const char *
build(const char *ct, const char *rh, const char *fields, const char *oh,
    const char *content, const char *end)
{
	snprintf(msg, sizeof(msg),
	    "From: Feedback <fbl@fbl.cox.net>\n"
	    "Date: Thu, 8 Mar 2005 14:00:00 +0000\n"
	    "Subject: FW: offer\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: %s\n"
	    "\n"
	    "--B\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "This is an abuse report.\n"
	    "--B\n"
	    "%s\n"
	    "\n"
	    "%s"
	    "--B\n"
	    "%s\n"
	    "\n"
	    "%s"
	    "%s", ct, rh, fields, oh, content, end);
	return msg;
}

const char *
std_report(const char *fields, const char *oh, const char *content)
{
	return build("multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"", "Content-Type: message/feedback-report",
	    fields, oh, content, "--B--\n");
}

/* --- ARF ------------------------------------------------------------------ */

static void
test_standard(void)
{
	CHECK_TRUE("std/parse", parse(std_report(
	    "Feedback-Type: Abuse\n"
	    "User-Agent: SomeGenerator/1.0\n"
	    "Version: 1\n"
	    "Original-Mail-From: <bounce@customer.example>\n"
	    "Original-Rcpt-To: <a@rcpt.example>\n"
	    "Original-Rcpt-To: <b@rcpt.example>\n"
	    "Arrival-Date: Thu, 8 Mar 2005 13:58:00\n"
	    "  -0500\n"
	    "Reporting-MTA: dns; mx.rcpt.example\n"
	    "Source-IP: 192.0.2.1\n"
	    "Incidents: 3\n"
	    "Original-Envelope-Id: env-1\n"
	    "Authentication-Results: mx.rcpt.example; dkim=pass\n"
	    "Reported-Domain: customer.example\n"
	    "Reported-Domain: other.example\n"
	    "Reported-URI: http://customer.example/x\n"
	    "X-Unknown: kept out\n",
	    "Content-Type: message/rfc822", ORIGINAL)));
	CHECK_INT("std/kind", r.kind, ARF_KIND_ARF);
	CHECK_TRUE("std/complaint", r.complaint);
	CHECK_TRUE("std/decided", r.decided != NULL && r.decided[0] != '\0');
	CHECK_INT("std/no-deviation", r.deviations.n, 0);
	CHECK_STR("std/feedback-type-lower", r.feedback_type, "abuse");
	CHECK_STR("std/user-agent", r.user_agent, "SomeGenerator/1.0");
	CHECK_STR("std/version", r.version, "1");
	CHECK_STR("std/mail-from", r.original_mail_from,
	    "<bounce@customer.example>");
	CHECK_INT("std/rcpt-n", r.original_rcpt_to.n, 2);
	CHECK_STR("std/rcpt-2", r.original_rcpt_to.v[1], "<b@rcpt.example>");
	CHECK_STR("std/arrival-unfolded", r.arrival_date,
	    "Thu, 8 Mar 2005 13:58:00  -0500");
	CHECK_STR("std/reporting-mta", r.reporting_mta, "dns; mx.rcpt.example");
	CHECK_STR("std/source-ip", r.source_ip, "192.0.2.1");
	CHECK_STR("std/incidents", r.incidents, "3");
	CHECK_STR("std/envelope-id", r.original_envelope_id, "env-1");
	CHECK_STR("std/auth-results", r.authentication_results,
	    "mx.rcpt.example; dkim=pass");
	CHECK_TRUE("std/reported-domain-order", r.reported_domain.n == 2 &&
	    strcmp(r.reported_domain.v[0], "customer.example") == 0 &&
	    strcmp(r.reported_domain.v[1], "other.example") == 0);
	CHECK_STR("std/reported-uri", r.reported_uri.n ?
	    r.reported_uri.v[0] : NULL, "http://customer.example/x");
	CHECK_STR("std/from-domain", r.report_from_domain, "fbl.cox.net");
	CHECK_STR("std/date", r.report_date, "Thu, 8 Mar 2005 14:00:00 +0000");
	CHECK_STR("std/reporter", r.reporter, "cox");
	CHECK_INT("std/original", r.original_form, ARF_ORIG_RFC822);
	CHECK_STR("std/original-bytes", orig(), ORIGINAL_IN_PART);
	CHECK_TRUE("std/original-body", r.original_has_body);
	CHECK_TRUE("std/original-dkim", r.original_has_dkim);
	CHECK_TRUE("std/not-redacted", !r.recipient_redacted);
}

static void
test_auth_failure(void)
{
	CHECK_TRUE("6591/parse", parse(std_report(
	    "Feedback-Type: auth-failure\n"
	    "User-Agent: SomeDKIMFilter/1.0\n"
	    "Version: 1\n"
	    "Auth-Failure: bodyhash\n"
	    "Delivery-Result: delivered\n"
	    "DKIM-Domain: customer.example\n"
	    "DKIM-Identity: @customer.example\n"
	    "DKIM-Selector: s1\n"
	    "DKIM-Canonicalized-Header: ZnJvbTphQGIK\n"
	    "  dG86Yw==\n"
	    "DKIM-Canonicalized-Body: Ym9keQ==\n"
	    "Identity-Alignment: dkim\n",
	    "Content-Type: text/rfc822-headers", ORIGINAL)));
	CHECK_STR("6591/type", r.feedback_type, "auth-failure");
	CHECK_STR("6591/auth-failure", r.auth_failure, "bodyhash");
	CHECK_STR("6591/delivery-result", r.delivery_result, "delivered");
	CHECK_STR("6591/dkim-domain", r.dkim_domain, "customer.example");
	CHECK_STR("6591/dkim-identity", r.dkim_identity, "@customer.example");
	CHECK_STR("6591/dkim-selector", r.dkim_selector, "s1");
	CHECK_STR("6591/canon-header", r.dkim_canonicalized_header,
	    "ZnJvbTphQGIK  dG86Yw==");
	CHECK_STR("6591/canon-body", r.dkim_canonicalized_body, "Ym9keQ==");
	CHECK_STR("6591/alignment", r.identity_alignment, "dkim");
	CHECK_INT("6591/original-headers", r.original_form, ARF_ORIG_HEADERS);
	CHECK_TRUE("6591/no-body", !r.original_has_body);
	CHECK_TRUE("6591/headers-part-has-body", has_dev(
	    "headers-part-has-body"));
	CHECK_TRUE("6591/header-block-only", r.original_len ==
	    strlen(ORIGINAL) - strlen("\nbody line\n"));
	CHECK_TRUE("6591/dkim", r.original_has_dkim);
}

static void
test_field_deviations(void)
{
	parse(std_report("Feedback-Type: abuse\nVersion: 0.1\n"
	    "Received-Date: Thu, 8 Mar 2005 13:00:00 +0000\n"
	    "Redacted-Address: redacted@\n"
	    "Source-IP: 192.0.2.7 (mx.sender.example)\n",
	    "Content-Type: message/rfc822", ORIGINAL));
	CHECK_TRUE("dev/version-not-1", has_dev("version-not-1"));
	CHECK_TRUE("dev/missing-user-agent", has_dev("missing-user-agent"));
	CHECK_TRUE("dev/received-date", has_dev(
	    "received-date-for-arrival-date"));
	CHECK_STR("dev/received-date-value", r.arrival_date,
	    "Thu, 8 Mar 2005 13:00:00 +0000");
	CHECK_TRUE("dev/draft-field", has_dev("draft-field"));
	CHECK_TRUE("dev/redacted", r.recipient_redacted);
	CHECK_TRUE("dev/source-ip-comment", has_dev("source-ip-comment"));
	CHECK_STR("dev/source-ip-cut", r.source_ip, "192.0.2.7");
	CHECK_TRUE("dev/source-ip-valid", !has_dev(
	    "source-ip-not-an-address"));
	CHECK_INT("dev/still-arf", r.kind, ARF_KIND_ARF);

	parse(std_report("User-Agent: x/1\nSource-Ip: x.x.x.x\n"
	    "Removal-Recipient: a@rcpt.example\n"
	    "Arrival-Date: Thu, 8 Mar 2005 13:00:00 +0000\n"
	    "Received-Date: Wed, 7 Mar 2005 13:00:00 +0000\n",
	    "Content-Type: message/rfc822", ORIGINAL));
	CHECK_TRUE("dev/missing-feedback-type", has_dev(
	    "missing-feedback-type") && r.feedback_type == NULL);
	CHECK_INT("dev/missing-feedback-type-kind", r.kind, ARF_KIND_ARF);
	CHECK_TRUE("dev/missing-version", has_dev("missing-version"));
	CHECK_TRUE("dev/source-ip-not-an-address", has_dev(
	    "source-ip-not-an-address"));
	CHECK_TRUE("dev/removal-recipient", has_dev("draft-field"));
	CHECK_STR("dev/arrival-wins", r.arrival_date,
	    "Thu, 8 Mar 2005 13:00:00 +0000");
}

static void
test_original_forms(void)
{
	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "From someone@sender.example Thu Mar  8 14:00:00 2005\n"
	    ORIGINAL));
	CHECK_TRUE("orig/mbox-line", has_dev("original-mbox-from-line") &&
	    strcmp(orig(), ORIGINAL_IN_PART) == 0);
	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    ">From someone@sender.example Thu Mar  8 14:00:00 2005\n"
	    ORIGINAL));
	CHECK_TRUE("orig/quoted-mbox-line", has_dev(
	    "original-mbox-from-line") && r.original_has_dkim);

	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "REDACTED\n"));
	CHECK_TRUE("orig/redacted", has_dev("original-redacted") &&
	    r.original_form == ARF_ORIG_NONE && r.original == NULL);
	parse(std_report(FIELDS, "Content-Type: message/rfc822", "\n\n"));
	CHECK_TRUE("orig/empty", has_dev("original-empty") &&
	    r.original_form == ARF_ORIG_NONE);

	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "From: a@customer.example\nSubject: x\n\n\n"));
	CHECK_TRUE("orig/rfc822-headers-only", has_dev(
	    "rfc822-part-headers-only") && r.original_form ==
	    ARF_ORIG_HEADERS && !r.original_has_body);
	CHECK_STR("orig/rfc822-headers-only-bytes", orig(),
	    "From: a@customer.example\nSubject: x\n");
	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "From: a@customer.example\nSubject: x\n"));
	CHECK_TRUE("orig/rfc822-no-blank-line", r.original_form ==
	    ARF_ORIG_HEADERS);

	parse(std_report(FIELDS, "Content-Type: text/rfc822-header",
	    "From: a@customer.example\n"));
	CHECK_TRUE("orig/singular", has_dev("text-rfc822-header-singular") &&
	    r.original_form == ARF_ORIG_HEADERS);
	parse(std_report(FIELDS, "Content-Type: message/rfc822-headers",
	    "From: a@customer.example\n"));
	CHECK_TRUE("orig/message-rfc822-headers", has_dev(
	    "message-rfc822-headers") && r.original_form == ARF_ORIG_HEADERS);

	parse(build("multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"", "Content-Type: message/feedback-report",
	    FIELDS "--B--\n", "", "", ""));
	CHECK_TRUE("orig/none", has_dev("no-original") &&
	    r.original_form == ARF_ORIG_NONE && r.kind == ARF_KIND_ARF);
}

static void
test_original_encoded(void)
{
	/* ORIGINAL in base64, in lines of 76 */
	static const char b64[] =
	    "REtJTS1TaWduYXR1cmU6IHY9MTsgYT1yc2Etc2hhMjU2OyBkPWN1c3RvbWVyLmV4"
	    "YW1wbGU7IHM9\r\nczE7CgloPWZyb206dG86c3ViamVjdDsgYmg9YUdrPTsgYj1h"
	    "R2s9CkZyb206IE5ld3MgPG5ld3NA\r\nY3VzdG9tZXIuZXhhbXBsZT4KVG86IHNv"
	    "bWVvbmVAcmNwdC5leGFtcGxlClN1YmplY3Q6IG9mZmVy\r\nCk1lc3NhZ2UtSUQ6"
	    "IDwxQGN1c3RvbWVyLmV4YW1wbGU+Cgpib2R5IGxpbmUK\r\n";

	parse(std_report(FIELDS, "Content-Type: message/rfc822\n"
	    "Content-Transfer-Encoding: base64", b64));
	CHECK_TRUE("enc/base64", has_dev("original-base64") &&
	    r.original_form == ARF_ORIG_ENCODED_RFC822);
	CHECK_STR("enc/base64-decoded", orig(), ORIGINAL);
	CHECK_TRUE("enc/base64-dkim", r.original_has_dkim &&
	    r.original_has_body);

	parse(std_report(FIELDS, "Content-Type: message/rfc822\n"
	    "Content-Transfer-Encoding: quoted-printable",
	    "From: a@customer.example\nSubject: caf=C3=A9 =\nsoft\n\nx=3Dy\n"));
	CHECK_TRUE("enc/qp", has_dev("original-quoted-printable") &&
	    r.original_form == ARF_ORIG_ENCODED_RFC822);
	CHECK_STR("enc/qp-decoded", orig(),
	    "From: a@customer.example\nSubject: caf\xc3\xa9 soft\n\nx=y");

	parse(std_report(FIELDS, "Content-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: base64", b64));
	CHECK_TRUE("enc/octet-stream", has_dev("original-octet-stream") &&
	    r.original_form == ARF_ORIG_ENCODED_RFC822);
	parse(std_report(FIELDS, "Content-Type: text/plain", ORIGINAL));
	CHECK_TRUE("enc/text-plain", has_dev("original-text-plain") &&
	    r.original_form == ARF_ORIG_RFC822 && r.original_has_dkim);
	parse(std_report(FIELDS, "X-Note: untyped", ORIGINAL));
	CHECK_TRUE("enc/untyped", has_dev("original-untyped") &&
	    r.original_form == ARF_ORIG_RFC822);
	parse(std_report(FIELDS, "Content-Type: text/plain",
	    "Dear sir: this is prose, not a message.\n"));
	CHECK_TRUE("enc/prose-is-no-original", has_dev("no-original") &&
	    r.original_form == ARF_ORIG_NONE);
}

static void
test_container(void)
{
	parse(build("multipart/mixed; boundary=\"B\"",
	    "Content-Type: message/feedback-report; name=\"ATT00001\"\n"
	    "Content-Transfer-Encoding: base64",
	    "RmVlZGJhY2stVHlwZTogYXV0aC1mYWlsdXJlDQpVc2VyLUFnZW50OiBOdGVz"
	    "RG1hcmNSZXBvcnRlci8xLjANClZlcnNpb246IDENClJlcG9ydGVkLURvbWFp"
	    "bjogY3VzdG9tZXIuZXhhbXBsZQ0K\n",
	    "Content-Type: message/rfc822", ORIGINAL, "--B--\n"));
	CHECK_INT("cont/mixed-kind", r.kind, ARF_KIND_ARF);
	CHECK_TRUE("cont/multipart-mixed", has_dev("multipart-mixed"));
	CHECK_TRUE("cont/report-part-base64", has_dev("report-part-base64"));
	CHECK_TRUE("cont/report-part-parameters", has_dev(
	    "report-part-parameters"));
	CHECK_STR("cont/decoded-type", r.feedback_type, "auth-failure");
	CHECK_STR("cont/decoded-domain", r.reported_domain.n ?
	    r.reported_domain.v[0] : NULL, "customer.example");

	parse(build("multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"", "Content-Type: message/feedback-report\n"
	    "Content-Transfer-Encoding: quoted-printable",
	    "Feedback-Type: ab=\nuse\nUser-Agent: x=3Dy\nVersion: 1\n",
	    "Content-Type: message/rfc822", ORIGINAL, "--B--\n"));
	CHECK_TRUE("cont/report-part-qp", has_dev(
	    "report-part-quoted-printable") && r.feedback_type != NULL &&
	    strcmp(r.feedback_type, "abuse") == 0 &&
	    strcmp(r.user_agent, "x=y") == 0);

	parse(build("multipart/alternative; boundary=\"B\"",
	    "Content-Type: message/feedback-report", FIELDS,
	    "Content-Type: message/rfc822", ORIGINAL, "--B--\n"));
	CHECK_TRUE("cont/not-multipart-report", has_dev(
	    "not-multipart-report") && r.kind == ARF_KIND_ARF);
	parse(build("multipart/report; boundary=\"B\"",
	    "Content-Type: message/feedback-report", FIELDS,
	    "Content-Type: message/rfc822", ORIGINAL, "--B--\n"));
	CHECK_TRUE("cont/no-report-type", has_dev("no-report-type"));
	parse(build("multipart/report; report-type=feedback; boundary=\"B\"",
	    "Content-Type: message/feedback-report", FIELDS,
	    "Content-Type: message/rfc822", ORIGINAL, "--B--\n"));
	CHECK_TRUE("cont/report-type-mismatch", has_dev(
	    "report-type-mismatch") && r.kind == ARF_KIND_ARF);

	parse("From: fbl@fbl.cox.net\n"
	    "Content-Type: message/feedback-report\n\n" FIELDS);
	CHECK_TRUE("cont/not-multipart", has_dev("not-multipart") &&
	    has_dev("no-original") && r.kind == ARF_KIND_ARF &&
	    r.feedback_type != NULL);

	parse("From: fbl@fbl.cox.net\n"
	    "Content-Type: multipart/mixed; boundary=\"O\"\n\n"
	    "--O\nContent-Type: text/plain\n\nForwarded by the gateway.\n"
	    "--O\nContent-Type: multipart/report; report-type=feedback-report;"
	    " boundary=\"I\"\n\n--I\nContent-Type: text/plain\n\nreport\n"
	    "--I\nContent-Type: message/feedback-report\n\n" FIELDS
	    "--I\nContent-Type: message/rfc822\n\n" ORIGINAL "--I--\n"
	    "--O--\n");
	CHECK_TRUE("cont/nested-report", has_dev("nested-report") &&
	    !has_dev("multipart-mixed") && r.original_form ==
	    ARF_ORIG_RFC822 && strcmp(orig(), ORIGINAL_IN_PART) == 0);
}

static void
test_boundaries(void)
{
	parse(build("multipart/report; report-type=feedback-report; "
	    "boundary=B", "Content-Type: message/feedback-report", FIELDS,
	    "Content-Type: message/rfc822", ORIGINAL, ""));
	CHECK_TRUE("bnd/unquoted", has_dev("unquoted-boundary"));
	CHECK_TRUE("bnd/missing-closing", has_dev("missing-closing-boundary"));
	CHECK_STR("bnd/original-to-end", orig(), ORIGINAL);

	parse(build("multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"", "Content-Type: message/feedback-report",
	    FIELDS, "Content-Type: message/rfc822", ORIGINAL, "--B\n\n"));
	CHECK_TRUE("bnd/open-at-end", has_dev("missing-closing-boundary") &&
	    strcmp(orig(), ORIGINAL_IN_PART) == 0);

	parse(build("multipart/report; report-type=feedback-report",
	    "Content-Type: message/feedback-report", FIELDS,
	    "Content-Type: message/rfc822", ORIGINAL, "--B--\n"));
	CHECK_TRUE("bnd/missing-boundary", has_dev("missing-boundary") &&
	    r.kind == ARF_KIND_ARF && r.original_has_dkim);

	parse("From: fbl@fbl.cox.net\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"\n\n"
	    "--B\nContent-Type: multipart/alternative; boundary=\"ALT\"\n\n"
	    "no delimiter in here\n"
	    "--B\nContent-Type: message/feedback-report\n\n" FIELDS
	    "--B--\n");
	CHECK_TRUE("bnd/no-delimiter", has_dev("no-delimiter") &&
	    r.kind == ARF_KIND_ARF);
}

static void
test_too_many_parts(void)
{
	char	*p = msg;
	int	 i;

	p += sprintf(p, "From: fbl@fbl.cox.net\nContent-Type: multipart/report;"
	    " report-type=feedback-report; boundary=\"B\"\n\n"
	    "--B\nContent-Type: message/feedback-report\n\n" FIELDS);
	for (i = 0; i < ARF_MAX_PARTS + 4; i++)
		p += sprintf(p, "--B\nContent-Type: image/gif\n\n%d\n", i);
	strcpy(p, "--B--\n");
	parse(msg);
	CHECK_TRUE("parts/too-many", has_dev("too-many-parts") &&
	    has_dev("no-original") && r.kind == ARF_KIND_ARF);
}

static void
test_report_part_variants(void)
{
	parse("From: fbl@fbl.cox.net\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"\n\n"
	    "--B\nContent-Type: text/plain\n\nA report.  Feedback-Type: abuse\n"
	    "--B\nContent-Type: text/plain\n\n" FIELDS
	    "--B\nContent-Type: message/rfc822\n\n" ORIGINAL "--B--\n");
	CHECK_TRUE("rp/text-plain", has_dev("report-part-text-plain") &&
	    r.kind == ARF_KIND_ARF && r.original_form == ARF_ORIG_RFC822);

	parse("From: fbl@fbl.cox.net\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"\n\n"
	    "--B\nContent-Type: message/feedback-report\n" FIELDS "\n\n"
	    "--B\nContent-Type: message/rfc822\n\n" ORIGINAL "--B--\n");
	CHECK_TRUE("rp/fields-in-part-header", has_dev(
	    "report-fields-in-part-header") && r.feedback_type != NULL &&
	    strcmp(r.user_agent, "SomeGenerator/1.0") == 0);

	parse("From: fbl@fbl.cox.net\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"\n\n"
	    "--B\nContent-Type: message/feedback-report\n\n\n"
	    "Feedback-Type: abuse\n\nUser-Agent: two/1\nVersion: 1\n"
	    "--B--\n");
	CHECK_TRUE("rp/blocks", r.feedback_type != NULL &&
	    r.user_agent != NULL && strcmp(r.user_agent, "two/1") == 0);
}

static void
test_top_deviations(void)
{
	char	 b[sizeof(msg)];
	size_t	 i, n;

	snprintf(b, sizeof(b), "\xef\xbb\xbf%s", std_report(FIELDS,
	    "Content-Type: message/rfc822", ORIGINAL));
	parse(b);
	CHECK_TRUE("top/bom", has_dev("byte-order-mark") &&
	    r.kind == ARF_KIND_ARF);

	snprintf(b, sizeof(b), "From fbl@fbl.cox.net Thu Mar  8 14:00:00 "
	    "2005\n%s", std_report(FIELDS, "Content-Type: message/rfc822",
	    ORIGINAL));
	parse(b);
	CHECK_TRUE("top/mbox", has_dev("mbox-from-line") &&
	    r.kind == ARF_KIND_ARF && strcmp(r.reporter, "cox") == 0);

	/* old Mac line ends: no LF at all */
	n = strlen(std_report(FIELDS, "Content-Type: message/rfc822",
	    ORIGINAL));
	memcpy(b, msg, n + 1);
	for (i = 0; i < n; i++)
		if (b[i] == '\n')
			b[i] = '\r';
	parse(b);
	CHECK_TRUE("top/cr", has_dev("cr-line-ends") && r.kind ==
	    ARF_KIND_ARF && r.original_has_dkim && r.original_has_body);
	CHECK_STR("top/cr-original-crlf", orig(), "DKIM-Signature: v=1; "
	    "a=rsa-sha256; d=customer.example; s=s1;\r\n\th=from:to:subject;"
	    " bh=aGk=; b=aGk=\r\nFrom: News <news@customer.example>\r\n"
	    "To: someone@rcpt.example\r\nSubject: offer\r\nMessage-ID: "
	    "<1@customer.example>\r\n\r\nbody line");
}

static void
test_more_deviations(void)
{
	parse("\xef\xbb\xbf" "From x Thu Mar  8 14:00:00 2005\n"
	    "From: fbl@fbl.cox.net\n"
	    "Content-Type: multipart/report; boundary=B\n\n"
	    "--B\nContent-Type: message/feedback-report; name=r\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Feedback-Type: abuse\nVersion: 0.1\nRedacted-Address: x\n"
	    "Received-Date: Thu, 8 Mar 2005 14:00:00 +0000\n"
	    "Source-IP: x.x (c)\n"
	    "--B\nContent-Type: message/rfc822\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "RnJvbSB4DQpGcm9tOiBhQGIuZXhhbXBsZQ0KDQo=\n");
	CHECK_INT("more/capped", r.deviations.n, ARF_MAX_LIST);
	CHECK_STR("more/last", r.deviations.v[ARF_MAX_LIST - 1],
	    "more-deviations");
	CHECK_TRUE("more/first-kept", has_dev("byte-order-mark") &&
	    has_dev("mbox-from-line"));
}

/* --- near misses ---------------------------------------------------------- */

static void
check_not_arf(const char *name, const char *m)
{
	parse(m);
	UNIT_REPORT(r.kind == ARF_KIND_NOT_ARF && !r.complaint &&
	    r.reporter == NULL, name, "kind %s, complaint %d",
	    arf_kind_name(r.kind), r.complaint);
}

static void
test_near_misses(void)
{
	check_not_arf("near/dsn", "From: MAILER-DAEMON@mx.example\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=\"D\"\n\n--D\nContent-Type: text/plain\n\nbounced\n"
	    "--D\nContent-Type: message/delivery-status\n\nAction: failed\n"
	    "--D\nContent-Type: message/rfc822\n\n" ORIGINAL "--D--\n");
	check_not_arf("near/dsn-with-feedback-part",
	    "From: someone@person.example\n"
	    "Content-Type: multipart/report; report-type=delivery-status; "
	    "boundary=\"D\"\n\n--D\nContent-Type: message/feedback-report\n\n"
	    FIELDS "--D--\n");
	check_not_arf("near/dsn-of-an-arf", "From: someone@person.example\n"
	    "Content-Type: multipart/mixed; boundary=\"D\"\n\n"
	    "--D\nContent-Type: message/delivery-status\n\nAction: failed\n"
	    "--D\nContent-Type: message/rfc822\n\n"
	    "From: fbl@fbl.cox.net\nContent-Type: multipart/report; "
	    "report-type=feedback-report; boundary=\"B\"\n\n--B\n"
	    "Content-Type: message/feedback-report\n\n" FIELDS "--B--\n"
	    "--D--\n");
	check_not_arf("near/feedback-without-part",
	    "From: fbl@fbl.cox.net\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nspam\n"
	    "--B\nContent-Type: message/rfc822\n\n" ORIGINAL "--B--\n");
	check_not_arf("near/report-no-type", "From: x@mailgate.example\n"
	    "Content-Type: multipart/report; boundary=\"B\"\n\n"
	    "--B\nContent-Type: text/plain\n\nDMARC failed.\n--B--\n");
	check_not_arf("near/tlsrpt", "From: x@tls.example\n"
	    "Content-Type: multipart/report; report-type=tlsrpt; "
	    "boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nx\n--B--\n");
	check_not_arf("near/auto-submitted", "From: a@person.example\n"
	    "Auto-Submitted: auto-replied\nSubject: Away\n\nAway.\n");
	check_not_arf("near/mailer-daemon", "From: Mail Delivery System "
	    "<MAILER-DAEMON@mx.example>\nSubject: x\n\nfailed\n");
	check_not_arf("near/postmaster", "From: postmaster@mx.example\n"
	    "Subject: x\n\nfailed\n");
	check_not_arf("near/subject", "From: a@mx.example\n"
	    "Subject: Undeliverable: offer\n\nfailed\n");
	check_not_arf("near/auto-reply-subject", "From: a@person.example\n"
	    "Subject: Automatic reply: offer\n\nAway.\n");
	check_not_arf("near/null-return-path", "Return-Path: <>\n"
	    "From: a@person.example\nSubject: Thanks\n\nThanks.\n");
	check_not_arf("near/xarf", "From: abuse@blocklist.example\n"
	    "X-XARF: PLAIN\nSubject: abuse report\n\nFeedback-Type: abuse\n");
	check_not_arf("near/dmarc-aggregate", "From: dmarc@isp.example\n"
	    "Subject: Report Domain: customer.example Submitter: isp\n\nx\n");
	check_not_arf("near/zip", "From: dmarc@isp.example\nSubject: x\n"
	    "Content-Type: application/zip\nContent-Transfer-Encoding: "
	    "base64\n\nUEsDBA==\n");
	check_not_arf("near/unsubscribe", "From: a@icloud.example\n"
	    "X-Apple-Unsubscribe: true\nSubject: unsubscribe\n\n\n");

	parse("From: a@person.example\nAuto-Submitted: no\nSubject: hi\n"
	    "Content-Type: multipart/mixed; boundary=\"M\"\n\n"
	    "--M\nContent-Type: text/plain\n\nFeedback-Type: abuse\n"
	    "User-Agent: x\nVersion: 1\n--M--\n");
	CHECK_TRUE("near/fields-in-mixed-text-are-no-report",
	    r.kind == ARF_KIND_SAMPLE && !r.complaint &&
	    r.feedback_type == NULL);
	parse("From: a@person.example\nSubject: hi\n\nhello\n");
	CHECK_TRUE("near/sample", r.kind == ARF_KIND_SAMPLE &&
	    r.original_form == ARF_ORIG_INLINE && r.original_len ==
	    strlen("From: a@person.example\nSubject: hi\n\nhello\n"));
}

static void
test_unparseable(void)
{
	char	*big;
	size_t	 i;

	CHECK_TRUE("unp/empty-ok", parse_n("", 0));
	CHECK_INT("unp/empty", r.kind, ARF_KIND_UNPARSEABLE);
	CHECK_TRUE("unp/empty-decided", r.decided != NULL && !r.complaint);
	parse_n("\x01\x02\x03\x00\xff", 5);
	CHECK_INT("unp/binary", r.kind, ARF_KIND_UNPARSEABLE);
	parse("hello: world\n\nnot mail\n");
	CHECK_INT("unp/no-mail-field", r.kind, ARF_KIND_UNPARSEABLE);
	parse("\n\n\n");
	CHECK_INT("unp/blank", r.kind, ARF_KIND_UNPARSEABLE);

	/* more header fields than the message splitter indexes */
	if ((big = malloc(10002 * 6 + 16)) == NULL)
		exit(2);
	for (i = 0; i < 10002; i++)
		memcpy(big + i * 6, "X: 1\r\n", 6);
	memcpy(big + 10002 * 6, "\r\n", 3);
	parse(big);
	CHECK_INT("unp/too-many-fields", r.kind, ARF_KIND_UNPARSEABLE);
	free(big);
}

static void
test_limits(void)
{
	static const char nul[] = "From: fbl@fbl.cox.net\n"
	    "Content-Type: message/feedback-report\n\n"
	    "Feedback-Type: ab\0use\nUser-Agent: a\0b\n";
	char	*p;
	int	 i;

	p = msg + sprintf(msg, "From: fbl@fbl.cox.net\n"
	    "Content-Type: message/feedback-report\n\n");
	for (i = 0; i < ARF_MAX_FIELDS; i++)
		p += sprintf(p, "X-Junk-%d: x\n", i);
	strcpy(p, "Feedback-Type: abuse\n");
	parse(msg);
	CHECK_TRUE("lim/fields", r.feedback_type == NULL &&
	    has_dev("missing-feedback-type"));

	p = msg + sprintf(msg, "From: fbl@fbl.cox.net\n"
	    "Content-Type: message/feedback-report\n\n" FIELDS);
	for (i = 0; i < ARF_MAX_LIST + 4; i++)
		p += sprintf(p, "Original-Rcpt-To: r%d@rcpt.example\n", i);
	parse(msg);
	CHECK_INT("lim/list", r.original_rcpt_to.n, ARF_MAX_LIST);

	parse_n(nul, sizeof(nul) - 1);
	CHECK_STR("lim/nul-dropped", r.user_agent, "ab");
	CHECK_STR("lim/nul-type", r.feedback_type, "abuse");
}

/* --- the reporter table --------------------------------------------------- */

static const char *
reporter(const char *from, const char *ua, const char *source,
    const char *mta)
{
	static char		 name[REPORTER_NAME_MAX];
	struct reporter_input	 in;

	in.from_domain = from;
	in.user_agent = ua;
	in.source = source;
	in.reporting_mta = mta;
	return reporter_name(&in, name, sizeof(name)) ? name : NULL;
}

static void
test_reporter(void)
{
	CHECK_STR("rep/yahoo", reporter("arf.mail.yahoo.com", NULL, NULL,
	    NULL), "yahoo");
	CHECK_STR("rep/aol", reporter("aol.net", "AOL SComp", NULL, NULL),
	    "aol");
	CHECK_STR("rep/hotmail", reporter("hotmail.com", NULL, NULL, NULL),
	    "microsoft");
	CHECK_STR("rep/outlook", reporter("mx.outlook.com", NULL, NULL, NULL),
	    "microsoft");
	CHECK_STR("rep/senderscore-label", reporter(
	    "comcastfbl.senderscore.net", "ReturnPathFBL/1.0", NULL, NULL),
	    "comcast");
	CHECK_STR("rep/senderscore-source", reporter(
	    "rackspacefbl.senderscore.net", "ReturnPathFBL/2.0", "Rackspace",
	    NULL), "rackspace");
	CHECK_STR("rep/senderscore-plain", reporter("senderscore.net", NULL,
	    NULL, NULL), "returnpath");
	CHECK_STR("rep/returnpath-ua", reporter("feedback.example.org",
	    "ReturnPathFBL/1.0", NULL, NULL), "returnpath");
	CHECK_STR("rep/returnpath-source", reporter(NULL, "ReturnPathFBL/2.0",
	    "Comcast", NULL), "comcast");
	CHECK_STR("rep/from-beats-ua", reporter(
	    "email-abuse.amazonses.com", "Yahoo!-Mail-Feedback/2.0", NULL,
	    NULL), "amazonses");
	CHECK_STR("rep/ua-alone", reporter(NULL, "Yahoo!-Mail-Feedback/2.0",
	    NULL, NULL), "yahoo");
	CHECK_STR("rep/netease-brand", reporter("126.example.com",
	    "NtesDmarcReporter/1.0", NULL, NULL), "126.com");
	CHECK_STR("rep/netease-domain", reporter("163.com", NULL, NULL,
	    NULL), "163.com");
	CHECK_STR("rep/netease-unknown-brand", reporter("example.net",
	    "NtesDmarcReporter/1.0", NULL, NULL), "netease");
	CHECK_STR("rep/registrable", reporter("fbl.mail.isp-one.com", NULL,
	    NULL, NULL), "isp-one.com");
	CHECK_STR("rep/registrable-co-uk", reporter("fbl.isp-two.co.uk", NULL,
	    NULL, NULL), "isp-two.co.uk");
	CHECK_STR("rep/usa-net", reporter("fbl.usa.net", NULL, NULL, NULL),
	    "usa.net");
	CHECK_STR("rep/suffix-needs-dot", reporter("notyahoo.com", NULL,
	    NULL, NULL), "notyahoo.com");
	CHECK_STR("rep/mta", reporter(NULL, NULL, NULL,
	    "dns; mta7.hotmail.com"), "microsoft");
	CHECK_STR("rep/mta-unknown", reporter(NULL, NULL, NULL,
	    "dns; mx.isp-one.com"), NULL);
	CHECK_STR("rep/software", reporter("example.net",
	    "OpenDMARC-Filter/1.3.2", NULL, NULL), NULL);
	CHECK_STR("rep/nothing", reporter(NULL, NULL, NULL, NULL), NULL);
	CHECK_TRUE("rep/placeholders",
	    reporter_domain_is_placeholder("example.co.jp") &&
	    reporter_domain_is_placeholder("domain.de") &&
	    reporter_domain_is_placeholder("box.mydomain.name") &&
	    reporter_domain_is_placeholder("server1.test17.example.com") &&
	    reporter_domain_is_placeholder("mail.receiver.example") &&
	    reporter_domain_is_placeholder("mx.domain3.tld") &&
	    reporter_domain_is_placeholder("a.invalid") &&
	    reporter_domain_is_placeholder("localhost") &&
	    !reporter_domain_is_placeholder("aol.net") &&
	    !reporter_domain_is_placeholder("mydomainisreal.com"));
	/* the set is closed: a sender's name that is no domain is "other" */
	CHECK_STR("rep/closed-formula", reporter("x.=cmd|'/Ccalc'!A0.evil", NULL,
	    NULL, NULL), "other");
	CHECK_STR("rep/closed-source", reporter(NULL, "ReturnPathFBL/2.0",
	    "=HYPERLINK(\"x\")", NULL), "other");
	CHECK_STR("rep/closed-source-words", reporter(NULL, NULL, "Some ISP",
	    NULL), "other");
	CHECK_STR("rep/closed-8bit", reporter("fbl.\xe9vil.com", NULL, NULL,
	    NULL), "other");
	CHECK_STR("rep/closed-underscore", reporter("fbl.a_b.com", NULL, NULL,
	    NULL), "other");
	CHECK_STR("rep/closed-hyphen-ok", reporter("fbl.isp-three.net", NULL,
	    NULL, NULL), "isp-three.net");
	CHECK_TRUE("rep/redacts", reporter_redacts("aol") &&
	    reporter_redacts("microsoft") && !reporter_redacts("yahoo") &&
	    !reporter_redacts(NULL));
}

static void
test_names(void)
{
	CHECK_STR("name/arf", arf_kind_name(ARF_KIND_ARF), "arf");
	CHECK_STR("name/complaint", arf_kind_name(ARF_KIND_COMPLAINT),
	    "complaint");
	CHECK_STR("name/sample", arf_kind_name(ARF_KIND_SAMPLE), "sample");
	CHECK_STR("name/not-arf", arf_kind_name(ARF_KIND_NOT_ARF), "not-arf");
	CHECK_STR("name/unparseable", arf_kind_name(ARF_KIND_UNPARSEABLE),
	    "unparseable");
	CHECK_STR("name/none", arf_original_name(ARF_ORIG_NONE), "none");
	CHECK_STR("name/rfc822", arf_original_name(ARF_ORIG_RFC822), "rfc822");
	CHECK_STR("name/headers", arf_original_name(ARF_ORIG_HEADERS),
	    "headers");
	CHECK_STR("name/encoded", arf_original_name(ARF_ORIG_ENCODED_RFC822),
	    "encoded-rfc822");
	CHECK_STR("name/attached", arf_original_name(ARF_ORIG_ATTACHED),
	    "attached");
	CHECK_STR("name/inline", arf_original_name(ARF_ORIG_INLINE),
	    "inline");
}

int
main(void)
{
	test_standard();
	test_auth_failure();
	test_field_deviations();
	test_original_forms();
	test_original_encoded();
	test_container();
	test_boundaries();
	test_too_many_parts();
	test_report_part_variants();
	test_top_deviations();
	test_more_deviations();
	test_jmrp();
	test_envelope_before_original();
	test_derived_source_ip();
	test_ses();
	test_near_misses();
	test_unparseable();
	test_limits();
	test_reporter();
	test_names();
	CHECK_INT("find-attached/disagreements", find_count.disagree, 0);
	CHECK_TRUE("find-attached/some-attached-some-not",
	    find_count.attached >= 20 &&
	    find_count.parsed >= find_count.attached + 20);
	arf_report_free(&r);
	arf_report_free(&r);	/* twice is harmless */
	free(cur);
	return UNIT_DONE();
}
