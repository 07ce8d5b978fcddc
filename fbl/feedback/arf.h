/* SPDX-License-Identifier: ISC */
/*
 * arf: what a message in a feedback-loop mailbox is, and what it says.
 *
 * A message is classified as one of:
 * - ARF_KIND_ARF: an RFC 5965 / RFC 6650 / RFC 6591 feedback report
 *   (multipart/report; report-type=feedback-report), including the
 *   deviations real reporters make (see arf.c and the corpus README);
 * - ARF_KIND_COMPLAINT: a non-ARF ISP complaint format (Microsoft/Hotmail
 *   JMRP with the original attached or inline, Amazon SES complaint JSON);
 * - ARF_KIND_SAMPLE: plain mail (a seed copy, a sample): not a report, its
 *   own signatures are what is verified;
 * - ARF_KIND_NOT_ARF: something a feedback mailbox also receives that must
 *   never be counted as a complaint (DSN bounce, auto-reply, DMARC aggregate
 *   report, TLS report, X-ARF network abuse report, challenge-response);
 * - ARF_KIND_UNPARSEABLE: bytes that are not a message at all.
 * complaint is true exactly for ARF and COMPLAINT.
 *
 * The parser never rewrites the raw bytes.  Decoded parts (a base64 or
 * quoted-printable report part or original) live in memory owned by the
 * arf_report.  Every field value is NUL-terminated, unfolded, with
 * surrounding whitespace trimmed; absent fields are NULL.  Deviations from
 * RFC 5965 are listed (short kebab-case codes, e.g. "missing-closing-
 * boundary", "unquoted-boundary", "report-part-base64", "version-not-1",
 * "received-date-for-arrival-date", "no-report-type", "multipart-mixed",
 * "text-rfc822-header-singular"), and "decided" says in one sentence how the
 * kind was determined, for `fblscope arf`.
 *
 * Limits: at most ARF_MAX_FIELDS machine-readable fields and ARF_MAX_PARTS
 * MIME parts are looked at; MIME nesting deeper than ARF_MAX_DEPTH is not
 * followed.
 */
#ifndef FBL_ARF_H
#define FBL_ARF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define ARF_MAX_FIELDS	128
#define ARF_MAX_PARTS	64
#define ARF_MAX_DEPTH	8
#define ARF_MAX_LIST	16	/* repeated fields kept (Reported-Domain, ...) */

enum arf_kind {
	ARF_KIND_ARF = 0,
	ARF_KIND_COMPLAINT,
	ARF_KIND_SAMPLE,
	ARF_KIND_NOT_ARF,
	ARF_KIND_UNPARSEABLE,
};

/* What the report gives of the complained-about message (corpus README). */
enum arf_original {
	ARF_ORIG_NONE = 0,
	ARF_ORIG_RFC822,	/* full message: headers and body */
	ARF_ORIG_HEADERS,	/* headers only */
	ARF_ORIG_ENCODED_RFC822,/* full message under base64/QP */
	ARF_ORIG_ATTACHED,	/* message/rfc822 part of a non-ARF wrapper */
	ARF_ORIG_INLINE,	/* the complaint mail is the original */
};

struct arf_list {
	char		*v[ARF_MAX_LIST];
	size_t		 n;
};

struct arf_report {
	enum arf_kind	 kind;
	bool		 complaint;
	char		*decided;		/* how the kind was decided */
	struct arf_list	 deviations;		/* kebab-case codes */

	/* the machine-readable part (RFC 5965 3.1, RFC 6591) */
	char		*feedback_type;		/* lower case */
	char		*user_agent;
	char		*version;
	char		*original_mail_from;
	struct arf_list	 original_rcpt_to;
	char		*arrival_date;		/* or Received-Date */
	char		*reporting_mta;
	char		*source_ip;
	/*
	 * NULL when source_ip is the report's own field; "subject" or
	 * "received" when the report gave none and it was derived from the
	 * provider's documented places (docs/arf.md, arf_source_ip.c).
	 */
	char		*source_ip_derived;
	char		*incidents;
	char		*original_envelope_id;
	char		*authentication_results;
	struct arf_list	 reported_domain;	/* in order of appearance */
	struct arf_list	 reported_uri;
	char		*auth_failure;
	char		*dkim_domain;
	char		*dkim_identity;
	char		*dkim_selector;
	/* added by arf.c: RFC 6591 and Return Path fields */
	char		*dkim_canonicalized_header;	/* base64, as given */
	char		*dkim_canonicalized_body;
	char		*delivery_result;
	char		*identity_alignment;
	char		*source;		/* Return Path's Source: */
	bool		 recipient_redacted;	/* AOL, Microsoft, "redacted" */

	/* the report message itself */
	char		*report_from_domain;	/* From of the report, lower case */
	char		*report_date;
	char		*reporter;		/* "yahoo", "aol", ...; NULL = unknown */

	/* the original message, as bytes for the verifier */
	enum arf_original original_form;
	const char	*original;		/* NULL when none */
	size_t		 original_len;
	bool		 original_has_body;	/* false for headers-only */
	bool		 original_has_dkim;	/* its header block has one */

	/* private: decoded parts and field copies live here */
	void		*mem;
};

/* Parse raw[0..len).  Never fails except for memory (returns false). */
bool		 arf_parse(struct arf_report *, const char *raw, size_t len);
/*
 * arf_parse() for a caller that asks one thing: is raw a complaint (ARF
 * or COMPLAINT) that carries its original apart from itself (not
 * ARF_ORIG_INLINE)?  complaint, kind, original, original_len and
 * original_form are then those arf_parse() gives.  Otherwise complaint
 * may be false where arf_parse() would say more: the decision stops where
 * only the message itself (an inline form, a sample) or no original
 * remains possible, which spares the near-miss checks of every plain
 * message.
 */
bool		 arf_find_attached(struct arf_report *, const char *raw,
		    size_t len);
void		 arf_report_free(struct arf_report *);

const char	*arf_kind_name(enum arf_kind);		/* "arf", "complaint", ... */
const char	*arf_original_name(enum arf_original);	/* corpus words */

#endif
