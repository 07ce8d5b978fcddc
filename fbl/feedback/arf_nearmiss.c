/* SPDX-License-Identifier: ISC */
/*
 * arf_nearmiss: step 5 of the decision (arf.c), what a feedback mailbox
 * also receives and must never count as a complaint: bounces,
 * auto-replies, DMARC aggregate and TLS reports, X-ARF abuse reports,
 * unsubscribe requests, reports of another report-type.
 */
#include <string.h>
#include <strings.h>

#include "fbl/feedback/arf_local.h"

static const char *
report_type_words(const char *rt)
{
	if (strcasecmp(rt, "delivery-status") == 0)
		return "a delivery status notification (bounce)";
	if (strcasecmp(rt, "disposition-notification") == 0)
		return "a message disposition notification (read receipt)";
	if (strcasecmp(rt, "tlsrpt") == 0)
		return "an SMTP TLS report";
	if (strcasecmp(rt, "feedback-report") == 0)
		return "declared a feedback report, but nothing says what kind "
		    "of feedback, so it is not counted";
	if (rt[0] == '\0')
		return "a report of unstated type with nothing "
		    "machine-readable (e.g. a DMARC failure notice in prose)";
	return "a report that is not a feedback report";
}

bool
any_part(struct ctx *c, const char *type, const char *subtype)
{
	struct mime_tree *t = &c->m->tree;
	size_t		 i;

	for (i = 0; i < t->nparts; i++)
		if (mime_part_is(&t->parts[i], type, subtype))
			return true;
	return false;
}

static bool
compressed_report(struct ctx *c)
{
	static const char *const subtypes[] = { "zip", "gzip", "x-gzip",
	    "x-zip-compressed", "x-zip", "tlsrpt+gzip", "tlsrpt+json" };
	size_t		 i;

	for (i = 0; i < sizeof(subtypes) / sizeof(subtypes[0]); i++)
		if (any_part(c, "application", subtypes[i]))
			return true;
	return false;
}

/* A bounce or auto-reply by its subject? */
static const char *
subject_sign(const char *s)
{
	static const struct {
		const char	*words;
		const char	*what;
	} signs[] = {
		{ "Undeliverable", "a bounce" },
		{ "Undelivered Mail", "a bounce" },
		{ "Delivery Status Notification", "a bounce" },
		{ "Mail delivery failed", "a bounce" },
		{ "failure notice", "a bounce" },
		{ "Returned mail", "a bounce" },
		{ "Delivery failure", "a bounce" },
		{ "Non-delivery", "a bounce" },
		{ "Automatic reply", "an auto-reply" },
		{ "Automatic Response", "an auto-reply" },
		{ "Auto-Reply", "an auto-reply" },
		{ "Autoreply", "an auto-reply" },
		{ "Out of Office", "an auto-reply" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (ci_contains(s, signs[i].words))
			return signs[i].what;
	return NULL;
}

static bool
auto_submitted(const char *v)
{
	return v != NULL && v[0] != '\0' && !ci_prefix(v, "no");
}

/* Step 5: a near miss?  Sets the kind when it is one. */
bool
try_not_arf(struct ctx *c, const char *top_rt, const char *subject)
{
	const char	*from = top_field(c, "From"), *what;
	char		*as = top_field(c, "Auto-Submitted");
	char		*rp = top_field(c, "Return-Path");

	if (mime_part_is(&c->m->tree.parts[0], "multipart", "report")) {
		decide(c, ARF_KIND_NOT_ARF, "multipart/report (report-type "
		    "%s) without a machine-readable feedback report: %s",
		    top_rt[0] != '\0' ? top_rt : "absent",
		    report_type_words(top_rt));
		return true;
	}
	if (any_part(c, "message", "delivery-status"))
		what = "a delivery status notification (message/"
		    "delivery-status part)";
	else if (has_top_field(c, "X-XARF"))
		what = "an X-ARF network abuse report (X-XARF field)";
	else if (ci_contains(subject, "Report domain:") ||
	    compressed_report(c))
		what = "a DMARC aggregate or TLS report (compressed report "
		    "attachment or \"Report Domain:\" subject)";
	else if (has_top_field(c, "X-Apple-Unsubscribe") ||
	    (subject != NULL && strcasecmp(subject, "unsubscribe") == 0))
		what = "a list-unsubscribe request";
	else if (auto_submitted(as))
		what = "an automatic message (Auto-Submitted)";
	else if (local_part_is(from, "mailer-daemon") ||
	    local_part_is(from, "postmaster"))
		what = "a bounce (From MAILER-DAEMON or postmaster)";
	else if ((what = subject_sign(subject)) != NULL)
		;
	else if (rp != NULL && strcmp(rp, "<>") == 0)
		what = "a bounce or auto-reply (null Return-Path)";
	else
		return false;
	decide(c, ARF_KIND_NOT_ARF, "no feedback report and no complaint "
	    "format: %s", what);
	return true;
}
