/* SPDX-License-Identifier: ISC */
/*
 * arf_providers: the part of test_arf for the complaint formats that are
 * not ARF (Microsoft JMRP, Amazon SES), an envelope before the original,
 * and a Source-IP derived where the report gives none.  See arf_test.h.
 */
#define UNIT_PART
#include <stdlib.h>

#include "fbl/feedback/arf.h"
#include "fbl/feedback/reporter.h"
#include "tests/unit/unit.h"
#include "tests/unit/arf_test.h"

/* --- non-ARF complaint formats -------------------------------------------- */

#define JMRP_ORIGINAL \
	"X-HmXmrOriginalRecipient: someone@hotmail.example\n" \
	"X-Reporter-IP: 192.0.2.9\n" \
	ORIGINAL

#define JMRP_INLINE \
	"Return-Path: staff@hotmail.com\n" \
	"Received: from BAY0-JMR-DB02 by mx.hotmail.example\n" \
	"X-HmXmrOriginalRecipient: someone@hotmail.example\n" \
	ORIGINAL

void
test_jmrp(void)
{
	parse("From: staff@hotmail.com\n"
	    "Subject: complaint about message from 192.0.2.1\n"
	    "Content-Type: multipart/mixed; boundary=\"J\"\n\n"
	    "--J\nContent-Type: message/rfc822\n\n" JMRP_ORIGINAL "--J--\n");
	CHECK_INT("jmrp/kind", r.kind, ARF_KIND_COMPLAINT);
	CHECK_TRUE("jmrp/complaint", r.complaint);
	CHECK_STR("jmrp/type", r.feedback_type, "abuse");
	CHECK_TRUE("jmrp/assigned", has_dev("feedback-type-assigned"));
	CHECK_STR("jmrp/reporter", r.reporter, "microsoft");
	CHECK_INT("jmrp/attached", r.original_form, ARF_ORIG_ATTACHED);
	CHECK_STR("jmrp/original", orig(), "X-HmXmrOriginalRecipient: "
	    "someone@hotmail.example\nX-Reporter-IP: 192.0.2.9\n"
	    ORIGINAL_IN_PART);
	CHECK_TRUE("jmrp/dkim-redacted", r.original_has_dkim &&
	    r.recipient_redacted);

	parse("From: <staff@hotmail.com>\nSubject: x\n"
	    "Content-Type: multipart/mixed; boundary=\"J\"\n\n"
	    "--J\nContent-Type: message/rfc822\n\n" JMRP_ORIGINAL "\n--J\n\n");
	CHECK_TRUE("jmrp/by-mark-open-end", r.kind == ARF_KIND_COMPLAINT &&
	    has_dev("missing-closing-boundary"));

	parse("From: staff@hotmail.com\nSubject: fwd\n"
	    "Content-Type: multipart/mixed; boundary=\"J\"\n\n"
	    "--J\nContent-Type: message/rfc822\n\n" ORIGINAL "--J--\n");
	CHECK_INT("jmrp/unmarked-is-sample", r.kind, ARF_KIND_SAMPLE);

	parse("From: Someone <someone@person.example>\n"
	    "Subject: complaint about message from 192.0.2.1\n"
	    "Content-Type: multipart/mixed; boundary=\"J\"\n\n"
	    "--J\nContent-Type: message/rfc822\n\n" JMRP_ORIGINAL "--J--\n");
	CHECK_TRUE("jmrp/not-microsoft", r.kind == ARF_KIND_SAMPLE &&
	    !r.complaint && r.reporter == NULL);

	parse(JMRP_INLINE);
	CHECK_TRUE("jmrp/inline", r.kind == ARF_KIND_COMPLAINT &&
	    r.original_form == ARF_ORIG_INLINE && r.original_has_dkim &&
	    r.original_len == strlen(JMRP_INLINE) &&
	    strcmp(r.reporter, "microsoft") == 0);
	parse("X-HmXmrOriginalRecipient: someone@hotmail.example\n" ORIGINAL);
	CHECK_INT("jmrp/inline-needs-evidence", r.kind, ARF_KIND_SAMPLE);
}

/*
 * Leading blank lines and an mbox From_ line before an attached original
 * (complaints forwarded through Amazon SES): skipped wherever an original
 * is taken, so the original is found and verified, never taken for a
 * redacted copy.
 */
#define FROM_LINE	"From bounce@customer.example Thu Mar  8 14:00:00 2005\n"

void
test_envelope_before_original(void)
{
	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "\n\n" FROM_LINE ORIGINAL));
	CHECK_TRUE("env/blank-from-rfc822", r.original_form ==
	    ARF_ORIG_RFC822 && r.original_has_dkim && r.original_has_body &&
	    !has_dev("original-redacted"));
	CHECK_STR("env/blank-from-bytes", orig(), ORIGINAL_IN_PART);
	CHECK_TRUE("env/blank-from-deviations", has_dev(
	    "original-leading-blank-lines") &&
	    has_dev("original-mbox-from-line"));

	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "\r\n \t\r\n" ORIGINAL));
	CHECK_STR("env/blank-crlf-bytes", orig(), ORIGINAL_IN_PART);
	CHECK_TRUE("env/blank-only-deviation", has_dev(
	    "original-leading-blank-lines") &&
	    !has_dev("original-mbox-from-line"));

	parse(std_report(FIELDS, "Content-Type: text/rfc822-headers",
	    "\n" FROM_LINE ORIGINAL_HDRS));
	CHECK_TRUE("env/blank-from-headers", r.original_form ==
	    ARF_ORIG_HEADERS && r.original_has_dkim &&
	    strncmp(orig(), "DKIM-Signature:", 15) == 0);

	parse(std_report(FIELDS, "Content-Type: application/octet-stream",
	    "\n\n" FROM_LINE ORIGINAL));
	CHECK_TRUE("env/blank-from-sniffed", r.original_form ==
	    ARF_ORIG_RFC822 && has_dev("original-octet-stream") &&
	    strcmp(orig(), ORIGINAL_IN_PART) == 0);

	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "\n\n" FROM_LINE "REDACTED\n"));
	CHECK_TRUE("env/still-redacted", has_dev("original-redacted") &&
	    r.original == NULL);
	parse(std_report(FIELDS, "Content-Type: message/rfc822", "\n\n\n"));
	CHECK_TRUE("env/still-empty", has_dev("original-empty") &&
	    r.original == NULL);

	/* JMRP told by the mark in the original, behind the envelope */
	parse("From: staff@hotmail.com\nSubject: fwd\n"
	    "Content-Type: multipart/mixed; boundary=\"J\"\n\n"
	    "--J\nContent-Type: message/rfc822\n\n\n" FROM_LINE
	    "X-HmXmrOriginalRecipient: someone@hotmail.example\n"
	    ORIGINAL "--J--\n");
	CHECK_TRUE("env/jmrp-mark-found", r.kind == ARF_KIND_COMPLAINT &&
	    r.original_form == ARF_ORIG_ATTACHED && r.original_has_dkim);
	CHECK_TRUE("env/jmrp-original-start", r.original != NULL &&
	    strncmp(orig(), "X-HmXmrOriginalRecipient:", 25) == 0);
}

/*
 * A report without Source-IP: the address from the provider's documented
 * places, marked as derived.  JMRP: the Subject "complaint about message
 * from IP" first, else the provider's own Received field of the original
 * (the earliest of the topmost run of fields whose "by" host is the
 * reporter's: where the provider's edge took the message).
 */
#define JMRP_HEAD(subject) \
	"From: staff@hotmail.com\n" \
	"Subject: " subject "\n" \
	"Content-Type: multipart/mixed; boundary=\"J\"\n\n" \
	"--J\nContent-Type: message/rfc822\n\n"

/* The derived address and where it came from, as two checks. */
static void
check_derived(const char *name, const char *ip, const char *how)
{
	char	 n[128];

	snprintf(n, sizeof(n), "%s-ip", name);
	CHECK_STR(n, r.source_ip, ip);
	snprintf(n, sizeof(n), "%s-from", name);
	CHECK_STR(n, r.source_ip_derived, how);
}

/* A JMRP whose original has hops, then Hotmail's edge with a comment. */
static void
parse_edge_after(const char *hops, const char *comment)
{
	snprintf(msg, sizeof(msg), JMRP_HEAD("complaint")
	    "X-HmXmrOriginalRecipient: someone@hotmail.example\n%s"
	    "Received: from x.customer.example ([198.51.100.7]) (%s)"
	    " by mx1.hotmail.com\n" ORIGINAL "--J--\n", hops, comment);
	parse(msg);
}

void
test_derived_source_ip(void)
{
	parse(JMRP_HEAD("complaint about message from 192.0.2.1")
	    JMRP_ORIGINAL "--J--\n");
	check_derived("derive/subject", "192.0.2.1", "subject");

	parse(JMRP_HEAD(" complaint about message from  [2001:db8::7]")
	    JMRP_ORIGINAL "--J--\n");
	CHECK_STR("derive/subject-v6", r.source_ip, "2001:db8::7");

	/* masked in the Subject: the provider's Received field instead */
	parse(JMRP_HEAD("complaint about message from 192.0.2.xxx")
	    "X-HmXmrOriginalRecipient: someone@hotmail.example\n"
	    "X-Reporter-IP: 192.0.2.9\n"
	    "Received: from customer.example ([198.51.100.7]) by\n"
	    "\tbay0-mc2-f46.Bay0.hotmail.com with Microsoft SMTPSVC;\n"
	    "\tWed, 30 Jun 2010 08:51:03 -0700\n"
	    "Received: from web.local (10.1.0.252) by mx.customer.example\n"
	    ORIGINAL "--J--\n");
	check_derived("derive/received", "198.51.100.7", "received");

	/* Outlook.com: hops inside Microsoft above the edge */
	parse(JMRP_HEAD("complaint")
	    "X-HmXmrOriginalRecipient: someone@outlook.example\n"
	    "Received: from DM6PR01MB1.namprd01.prod.outlook.com\n"
	    " (2603:10b6:5:1::1) by SN6PR01MB2.namprd01.prod.outlook.com with\n"
	    " HTTPS; Sun, 22 Nov 2026 10:00:02 +0000\n"
	    "Received: from BN9PR03CA0123.namprd03.prod.outlook.com\n"
	    " (2603:10b6:408:fe::8) by DM6PR01MB1.namprd01.prod.outlook.com\n"
	    " (2603:10b6:5:1::1) with Microsoft SMTP Server\n"
	    "Received: from mail.customer.example (203.0.113.5) by\n"
	    " BN8NAM11FT012.mail.protection.outlook.com (10.13.177.125) with\n"
	    " Microsoft SMTP Server id 15.20.1; Sun, 22 Nov 2026 10:00:00 +0000\n"
	    "Received: from app1 (app1.customer.example [192.0.2.50])\n"
	    " by mail.customer.example (Postfix) with ESMTP id 4711\n"
	    ORIGINAL "--J--\n");
	check_derived("derive/outlook-edge", "203.0.113.5", "received");

	/* the HELO name is the sender's claim; a "by" in a comment is none */
	parse(JMRP_HEAD("complaint")
	    "X-HmXmrOriginalRecipient: someone@hotmail.example\n"
	    "Received: from [192.0.2.66] (unknown [IPv6:2001:db8::25])\n"
	    " (authenticated by nobody) by mx1.hotmail.com; Sun, 22 Nov 2026\n"
	    ORIGINAL "--J--\n");
	CHECK_STR("derive/skip-helo-ipv6", r.source_ip, "2001:db8::25");

	/* the old inline form: the report's own hops first */
	parse("Return-Path: staff@hotmail.com\n"
	    "Received: from mail.customer.example [192.0.2.173]\n"
	    "\tby internal.customer.example with POP3\n"
	    "Received: from BAY0-JMR-DB02 ([65.54.190.125]) by\n"
	    "\tbay0-omc2-s1.bay0.hotmail.com with Microsoft SMTPSVC\n"
	    "X-HmXmrOriginalRecipient: someone@hotmail.example\n"
	    "X-Reporter-IP: 192.0.2.9\n"
	    "Received: from promomail.customer.example ([192.0.2.206]) by\n"
	    "\tbay0-mc3-f8.Bay0.hotmail.com with Microsoft SMTPSVC\n"
	    "Received: from massmail.customer.example (unknown [10.1.209.5])\n"
	    "\tby promomail.customer.example (Postfix)\n"
	    ORIGINAL);
	CHECK_STR("derive/inline-kind", arf_kind_name(r.kind), "complaint");
	check_derived("derive/inline", "192.0.2.206", "received");

	/* no provider Received, a masked Subject: nothing is made up */
	parse(JMRP_HEAD("complaint about message from 192.0.2.xxx")
	    "X-HmXmrOriginalRecipient: someone@hotmail.example\n"
	    "Received: from customer.example ([198.51.100.7]) by mx.example\n"
	    ORIGINAL "--J--\n");
	CHECK_TRUE("derive/none", r.kind == ARF_KIND_COMPLAINT &&
	    r.source_ip == NULL && r.source_ip_derived == NULL);

	/* a report's own Source-IP is never replaced */
	parse(std_report(FIELDS "Source-IP: 192.0.2.1\n",
	    "Content-Type: message/rfc822",
	    "Received: from x.customer.example ([198.51.100.7]) by "
	    "mx.fbl.cox.net\n" ORIGINAL));
	CHECK_TRUE("derive/field-wins", r.source_ip != NULL &&
	    strcmp(r.source_ip, "192.0.2.1") == 0 &&
	    r.source_ip_derived == NULL);

	/* an ARF report without Source-IP: the reporter's own Received */
	parse(std_report(FIELDS, "Content-Type: message/rfc822",
	    "Received: from x.customer.example (EHLO x.customer.example)\n"
	    " (198.51.100.44) by mta1.mx.fbl.cox.net with SMTP\n" ORIGINAL));
	check_derived("derive/arf-received", "198.51.100.44", "received");

	/* the caps (docs/security.md): 64 Received fields, 2048 bytes each */
	{
		char	 hops[8192];
		size_t	 i, o = 0;

		for (i = 0; i < 64; i++)
			o += (size_t)snprintf(hops + o, sizeof(hops) - o,
			    "Received: by relay%zu.customer.example\n", i);
		parse_edge_after(hops, "");
		CHECK_TRUE("derive/cap-fields", r.kind == ARF_KIND_COMPLAINT &&
		    r.source_ip == NULL);
		hops[o - strlen("Received: by relay63.customer.example\n")] =
		    '\0';
		parse_edge_after(hops, "");
		CHECK_STR("derive/cap-fields-64th", r.source_ip,
		    "198.51.100.7");
		memset(hops, 'x', 2100);
		hops[2100] = '\0';
		parse_edge_after("", hops);
		CHECK_TRUE("derive/cap-value", r.kind == ARF_KIND_COMPLAINT &&
		    r.source_ip == NULL);
		hops[1900] = '\0';
		parse_edge_after("", hops);
		CHECK_STR("derive/cap-value-under", r.source_ip,
		    "198.51.100.7");
	}

	/* a reporter outside the table has no documented place */
	parse("From: Feedback <fbl@reports.isp.example>\n"
	    "Content-Type: multipart/report; report-type=feedback-report; "
	    "boundary=\"B\"\n\n"
	    "--B\nContent-Type: message/feedback-report\n\n" FIELDS
	    "--B\nContent-Type: message/rfc822\n\n"
	    "Received: from x.customer.example ([198.51.100.7]) by "
	    "mx.reports.isp.example\n" ORIGINAL "--B--\n");
	CHECK_TRUE("derive/unknown-reporter", r.kind == ARF_KIND_ARF &&
	    r.reporter == NULL && r.source_ip == NULL &&
	    r.source_ip_derived == NULL);
}

#define SES_HEAD \
	"From: SES <no-reply@sns.amazonaws.com>\n" \
	"Subject: AWS Notification Message\n" \
	"Content-Type: text/plain; charset=UTF-8\n\n"

void
test_ses(void)
{
	parse(SES_HEAD "{\"notificationType\":\"Complaint\",\"complaint\":{"
	    "\"complainedRecipients\":[{\"emailAddress\":\"x@rcpt.example\"}],"
	    "\"userAgent\":\"Some ISP\",\"complaintFeedbackType\":\"Abu!\n se\""
	    "},\"mail\":{\"source\":\"news@customer.example\"}}\n");
	CHECK_INT("ses/kind", r.kind, ARF_KIND_COMPLAINT);
	CHECK_STR("ses/type", r.feedback_type, "abuse");
	CHECK_TRUE("ses/wrapped", has_dev("json-line-wrapped"));
	CHECK_STR("ses/reporter", r.reporter, "amazonses");
	CHECK_STR("ses/rcpt", r.original_rcpt_to.n ? r.original_rcpt_to.v[0] :
	    NULL, "x@rcpt.example");
	CHECK_STR("ses/mail-from", r.original_mail_from,
	    "news@customer.example");
	CHECK_TRUE("ses/no-original", r.original_form == ARF_ORIG_NONE &&
	    has_dev("no-original"));

	parse(SES_HEAD "{\"notificationType\" : \"Complaint\", "
	    "\"complaint\": {}}\n");
	CHECK_TRUE("ses/assigned", r.kind == ARF_KIND_COMPLAINT &&
	    has_dev("feedback-type-assigned") &&
	    strcmp(r.feedback_type, "abuse") == 0);

	parse(SES_HEAD "{\"notificationType\":\"Delivery\",\"mail\":{}}\n");
	CHECK_TRUE("ses/delivery", r.kind == ARF_KIND_NOT_ARF &&
	    !r.complaint);
	parse("From: someone@person.example\nSubject: look\n\n"
	    "{\"notificationType\":\"Complaint\",\"complaint\":{}}\n");
	CHECK_INT("ses/not-amazon", r.kind, ARF_KIND_SAMPLE);
}

