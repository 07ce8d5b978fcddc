/* SPDX-License-Identifier: ISC */
/*
 * arf_provider: step 4 of the decision (arf.c), the complaint formats of
 * providers that send no ARF: Amazon SES complaint notifications (SNS
 * JSON, read by a small scraper that takes only string values) and
 * Microsoft JMRP, the original attached or the complaint mail itself.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fbl/feedback/arf_local.h"
#include "fbl/feedback/reporter.h"

#define ARF_MAX_JSON_VALUE	512	/* bytes of an SES JSON string kept */

/* The body text of the message: itself, or its first text/plain part. */
static bool
main_text(struct ctx *c, const char **p, size_t *n)
{
	struct mime_tree *t = &c->m->tree;
	size_t		 i;

	for (i = 0; i < t->nparts; i++) {
		const struct mime_part *part = &t->parts[i];

		if (strcmp(part->type, "multipart") == 0)
			continue;
		if (!mime_part_is(part, "text", "plain") &&
		    part->type[0] != '\0')
			return false;
		return decoded(c, part, p, n);
	}
	return false;
}

/* The text with a relay's "!" CRLF SP line wraps taken out. */
static char *
unwrap_json(struct ctx *c, const char *p, size_t n)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, skip;
	char		*s;
	bool		 wrapped = false;

	for (i = 0; i < n; i++) {
		skip = 0;
		if (p[i] == '!' && i + 2 < n && p[i + 1] == '\n' &&
		    p[i + 2] == ' ')
			skip = 3;
		else if (p[i] == '!' && i + 3 < n && p[i + 1] == '\r' &&
		    p[i + 2] == '\n' && p[i + 3] == ' ')
			skip = 4;
		if (skip > 0) {
			i += skip - 1;
			wrapped = true;
			continue;
		}
		buf_putc(&b, p[i] == '\0' ? ' ' : p[i]);
	}
	if (wrapped)
		deviate(c, "json-line-wrapped");
	s = keep_buf(c, &b);
	buf_free(&b);
	return s;
}

/* The string value of the first "key": "..." in JSON text, or NULL. */
static char *
json_string(struct ctx *c, const char *js, const char *key)
{
	char		 pat[64], v[ARF_MAX_JSON_VALUE];
	const char	*p = js;
	size_t		 n;

	(void)snprintf(pat, sizeof(pat), "\"%s\"", key);
	while ((p = strstr(p, pat)) != NULL) {
		p += strlen(pat);
		while (isspace((unsigned char)*p))
			p++;
		if (*p != ':')
			continue;
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '"')
			continue;
		for (p++, n = 0; *p != '\0' && *p != '"' && n + 1 < sizeof(v);
		    p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			v[n++] = *p;
		}
		return keep(c, v, n);
	}
	return NULL;
}

static bool
amazon_sender(struct ctx *c)
{
	const char	*d = c->r->report_from_domain;

	return has_top_field(c, "x-amz-sns-message-id") || (d != NULL &&
	    (strcmp(d, "amazonaws.com") == 0 ||
	    ci_contains(d, ".amazonaws.com") ||
	    strcmp(d, "amazonses.com") == 0 ||
	    ci_contains(d, ".amazonses.com")));
}

static void
ses_complaint(struct ctx *c, const char *js)
{
	struct arf_report *r = c->r;
	char		*ft, *p;

	if ((ft = json_string(c, js, "complaintFeedbackType")) == NULL) {
		ft = keep_str(c, "abuse");
		deviate(c, "feedback-type-assigned");
	}
	for (p = ft; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	r->feedback_type = ft;
	r->user_agent = json_string(c, js, "userAgent");
	r->arrival_date = json_string(c, js, "arrivalDate");
	r->original_mail_from = json_string(c, js, "source");
	r->source_ip = json_string(c, js, "sourceIp");
	list_add(&r->original_rcpt_to, json_string(c, js, "emailAddress"));
	r->reporter = keep_str(c, "amazonses");
	deviate(c, "no-original");
	decide(c, ARF_KIND_COMPLAINT, "Amazon SES complaint notification "
	    "(JSON with notificationType Complaint, Feedback-Type %s)",
	    r->feedback_type != NULL ? r->feedback_type : "?");
}

/* Amazon SES notification (SNS JSON): complaint, or another event. */
bool
try_ses(struct ctx *c)
{
	const char	*p;
	size_t		 n;
	char		*js, *type;

	if (!amazon_sender(c) || !main_text(c, &p, &n) ||
	    mem_find(p, n, "notificationType", 16) == NULL)
		return false;
	if ((js = unwrap_json(c, p, n)) == NULL ||
	    (type = json_string(c, js, "notificationType")) == NULL)
		return false;
	if (strcasecmp(type, "Complaint") == 0 &&
	    strstr(js, "\"complaint\"") != NULL) {
		ses_complaint(c, js);
		return true;
	}
	decide(c, ARF_KIND_NOT_ARF, "Amazon SES %s notification, not a "
	    "complaint", type);
	return true;
}

static bool
microsoft_domain(const char *d)
{
	const char	*name = reporter_for_domain(d);

	return name != NULL && strcmp(name, "microsoft") == 0;
}

/* Microsoft JMRP: multipart with an attached message from Hotmail staff. */
bool
try_jmrp_attached(struct ctx *c, const char *subject)
{
	struct mime_tree *t = &c->m->tree;
	struct arf_report *r = c->r;
	struct mime_field f;
	const char	*p, *s;
	size_t		 i, n, sn;
	bool		 mark, blank;

	if (strcmp(t->parts[0].type, "multipart") != 0 ||
	    !microsoft_domain(r->report_from_domain))
		return false;
	for (i = 1; i < t->nparts; i++) {
		if (t->parts[i].parent != 0 ||
		    !mime_part_is(&t->parts[i], "message", "rfc822"))
			continue;
		if (!decoded(c, &t->parts[i], &p, &n))
			return false;
		s = p;
		sn = n;
		(void)skip_envelope(&s, &sn, &blank);
		mark = mime_hdr_find(s, sn, "X-HmXmrOriginalRecipient", &f);
		if (!mark && !ci_contains(subject, "complaint about message"))
			continue;
		top_deviations(c);
		boundary_deviations(c);
		deviate(c, "feedback-type-assigned");
		if (t->parts[i].cte == MIME_CTE_BASE64 ||
		    t->parts[i].cte == MIME_CTE_QP)
			deviate(c, encoding_deviation(t->parts[i].cte));
		if (take_message(c, p, n, ARF_ORIG_ATTACHED))
			r->original_form = ARF_ORIG_ATTACHED;
		r->feedback_type = keep_str(c, "abuse");
		r->reporter = keep_str(c, "microsoft");
		r->recipient_redacted = true;
		decide(c, ARF_KIND_COMPLAINT, "Microsoft JMRP: From %s, an "
		    "attached message/rfc822 %s, no feedback report "
		    "(Feedback-Type abuse assigned)", r->report_from_domain,
		    mark ? "with X-HmXmrOriginalRecipient" :
		    "and a \"complaint about message\" subject");
		return true;
	}
	return false;
}

/* Old JMRP: the original itself, with Hotmail's headers on top. */
bool
try_jmrp_inline(struct ctx *c)
{
	struct arf_report *r = c->r;
	char		*rp, *sender;

	if (!has_top_field(c, "X-HmXmrOriginalRecipient"))
		return false;
	rp = top_field(c, "Return-Path");
	sender = address_domain(c, rp);
	if (!has_top_field(c, "X-Reporter-IP") && !microsoft_domain(sender))
		return false;
	top_deviations(c);
	deviate(c, "feedback-type-assigned");
	r->feedback_type = keep_str(c, "abuse");
	r->reporter = keep_str(c, "microsoft");
	r->recipient_redacted = true;
	take_inline(c);
	decide(c, ARF_KIND_COMPLAINT, "Microsoft JMRP, inline form: "
	    "X-HmXmrOriginalRecipient and %s on the message itself, which is "
	    "the original (Feedback-Type abuse assigned)",
	    has_top_field(c, "X-Reporter-IP") ? "X-Reporter-IP" :
	    "a Microsoft Return-Path");
	return true;
}
