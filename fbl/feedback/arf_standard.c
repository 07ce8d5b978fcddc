/* SPDX-License-Identifier: ISC */
/*
 * arf_standard: step 3 of the decision (arf.c), the standard feedback
 * report of RFC 5965 / RFC 6650 / RFC 6591: where its machine-readable part
 * is, its fields, and how the report deviates from the RFCs.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "fbl/feedback/arf_local.h"
#include "fbl/feedback/reporter.h"

/* --- the machine-readable part ------------------------------------------- */

static char *
field_value(struct ctx *c, const struct mime_field *f)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	mime_unfold(&b, f->value, f->value_len);
	s = keep_buf(c, &b);
	buf_free(&b);
	return s;
}

static void
set_once(struct ctx *c, char **dst, const struct mime_field *f)
{
	if (*dst == NULL)
		*dst = field_value(c, f);
}

/* Feedback-Type: a lower-case token. */
static void
take_feedback_type(struct ctx *c, const struct mime_field *f)
{
	char	*v, *p;

	if (c->r->feedback_type != NULL || (v = field_value(c, f)) == NULL)
		return;
	for (p = v; *p != '\0' && !isspace((unsigned char)*p) && *p != ';' &&
	    *p != '('; p++)
		*p = (char)tolower((unsigned char)*p);
	*p = '\0';
	c->r->feedback_type = v;
}

/* Source-IP: the address, a trailing "(host)" comment cut. */
static void
take_source_ip(struct ctx *c, const struct mime_field *f)
{
	unsigned char	 a[16];
	char		*v, *p;

	if (c->r->source_ip != NULL || (v = field_value(c, f)) == NULL)
		return;
	for (p = v; *p != '\0' && !isspace((unsigned char)*p) && *p != '(';
	    p++)
		;
	if (*p != '\0')
		deviate(c, "source-ip-comment");
	*p = '\0';
	if (p > v && p[-1] == ']' && *v == '[') {
		p[-1] = '\0';
		v++;
	}
	if (inet_pton(AF_INET, v, a) != 1 && inet_pton(AF_INET6, v, a) != 1)
		deviate(c, "source-ip-not-an-address");
	c->r->source_ip = v;
}

static void
take_date(struct ctx *c, const struct mime_field *f, bool arrival)
{
	struct arf_report *r = c->r;

	if (arrival && !c->seen_arrival) {
		r->arrival_date = field_value(c, f);
		c->seen_arrival = true;
	} else if (!arrival && r->arrival_date == NULL)
		r->arrival_date = field_value(c, f);
	if (!arrival)
		deviate(c, "received-date-for-arrival-date");
}

/* Single-valued fields: name and where the value goes. */
static char **
single_slot(struct arf_report *r, const struct mime_field *f)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} slots[] = {
		{ "User-Agent", offsetof(struct arf_report, user_agent) },
		{ "Version", offsetof(struct arf_report, version) },
		{ "Original-Mail-From",
		    offsetof(struct arf_report, original_mail_from) },
		{ "Reporting-MTA", offsetof(struct arf_report, reporting_mta) },
		{ "Incidents", offsetof(struct arf_report, incidents) },
		{ "Original-Envelope-Id",
		    offsetof(struct arf_report, original_envelope_id) },
		{ "Authentication-Results",
		    offsetof(struct arf_report, authentication_results) },
		{ "Auth-Failure", offsetof(struct arf_report, auth_failure) },
		{ "DKIM-Domain", offsetof(struct arf_report, dkim_domain) },
		{ "DKIM-Identity", offsetof(struct arf_report, dkim_identity) },
		{ "DKIM-Selector", offsetof(struct arf_report, dkim_selector) },
		{ "DKIM-Canonicalized-Header",
		    offsetof(struct arf_report, dkim_canonicalized_header) },
		{ "DKIM-Canonicalized-Body",
		    offsetof(struct arf_report, dkim_canonicalized_body) },
		{ "Delivery-Result",
		    offsetof(struct arf_report, delivery_result) },
		{ "Identity-Alignment",
		    offsetof(struct arf_report, identity_alignment) },
		{ "Source", offsetof(struct arf_report, source) },
	};
	size_t	 i;

	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (mime_field_is(f, slots[i].name))
			return (char **)(void *)((char *)r + slots[i].off);
	return NULL;
}

static void
take_field(struct ctx *c, const struct mime_field *f)
{
	struct arf_report *r = c->r;
	char		**slot;

	if (mime_field_is(f, "Feedback-Type"))
		take_feedback_type(c, f);
	else if (mime_field_is(f, "Source-IP"))
		take_source_ip(c, f);
	else if (mime_field_is(f, "Arrival-Date"))
		take_date(c, f, true);
	else if (mime_field_is(f, "Received-Date"))
		take_date(c, f, false);
	else if (mime_field_is(f, "Original-Rcpt-To"))
		list_add(&r->original_rcpt_to, field_value(c, f));
	else if (mime_field_is(f, "Reported-Domain"))
		list_add(&r->reported_domain, field_value(c, f));
	else if (mime_field_is(f, "Reported-URI"))
		list_add(&r->reported_uri, field_value(c, f));
	else if (mime_field_is(f, "Redacted-Address")) {
		r->recipient_redacted = true;
		deviate(c, "draft-field");
	} else if (mime_field_is(f, "Removal-Recipient"))
		deviate(c, "draft-field");
	else if ((slot = single_slot(r, f)) != NULL)
		set_once(c, slot, f);
}

/* Every field of every block of the report body (blank lines between). */
static size_t
take_fields(struct ctx *c, const char *p, size_t n)
{
	struct mime_hdr_iter it;
	struct mime_field f;
	struct line_iter li;
	const char	*line;
	size_t		 len, found = 0, off;
	bool		 eol;

	while (n > 0 && c->nfields < ARF_MAX_FIELDS) {
		/* skip blank lines */
		line_iter_init(&li, p, n);
		while (line_iter_next(&li, &line, &len, &eol) && len == 0 &&
		    eol) {
			n -= (size_t)(li.p - p);
			p = li.p;
		}
		mime_hdr_init(&it, p, n);
		while (c->nfields < ARF_MAX_FIELDS && mime_hdr_next(&it, &f)) {
			c->nfields++;
			if (f.name_len > 0) {
				take_field(c, &f);
				found++;
			}
		}
		off = (size_t)(it.p - p);
		if (off == 0)
			break;
		p += off;
		n -= off;
	}
	return found;
}

/* --- ARF ------------------------------------------------------------------ */

static void
container_deviations(struct ctx *c, int parent, const char *report_type)
{
	struct mime_tree *t = &c->m->tree;
	const struct mime_part *pp;

	if (parent < 0) {
		deviate(c, "not-multipart");
		return;
	}
	pp = &t->parts[parent];
	if (parent != 0)
		deviate(c, "nested-report");
	if (!mime_part_is(pp, "multipart", "report"))
		deviate(c, mime_part_is(pp, "multipart", "mixed") ?
		    "multipart-mixed" : "not-multipart-report");
	else if (report_type[0] == '\0')
		deviate(c, "no-report-type");
	else if (strcasecmp(report_type, "feedback-report") != 0)
		deviate(c, "report-type-mismatch");
}

void
boundary_deviations(struct ctx *c)
{
	struct mime_tree *t = &c->m->tree;
	size_t		 i;
	unsigned	 f = 0;

	/* the report's own multiparts: the original is never entered */
	for (i = 0; i < t->nparts; i++)
		f |= t->parts[i].flags;
	if (f & MIME_F_NO_BOUNDARY)
		deviate(c, "missing-boundary");
	if (f & MIME_F_UNQUOTED_BOUNDARY)
		deviate(c, "unquoted-boundary");
	if (f & MIME_F_NO_CLOSE)
		deviate(c, "missing-closing-boundary");
	if (f & MIME_F_NO_DELIMITER)
		deviate(c, "no-delimiter");
	if (t->truncated)
		deviate(c, "too-many-parts");
}

static void
report_part_deviations(struct ctx *c, const struct mime_part *rp)
{
	struct mime_ct	 ct;

	if (rp->cte == MIME_CTE_BASE64)
		deviate(c, "report-part-base64");
	else if (rp->cte == MIME_CTE_QP)
		deviate(c, "report-part-quoted-printable");
	if (!mime_part_is(rp, "message", "feedback-report"))
		return;
	mime_part_ct(rp, &ct);
	if (ct.nparams > 0)
		deviate(c, "report-part-parameters");
}

static void
field_deviations(struct ctx *c)
{
	struct arf_report *r = c->r;
	size_t		 i;

	if (r->feedback_type == NULL || r->feedback_type[0] == '\0')
		deviate(c, "missing-feedback-type");
	if (r->user_agent == NULL)
		deviate(c, "missing-user-agent");
	if (r->version == NULL)
		deviate(c, "missing-version");
	else if (strcmp(r->version, "1") != 0)
		deviate(c, "version-not-1");
	for (i = 0; i < r->original_rcpt_to.n; i++)
		if (ci_contains(r->original_rcpt_to.v[i], "redacted"))
			r->recipient_redacted = true;
}

void
top_deviations(struct ctx *c)
{
	const struct message *msg = &c->m->msg;
	const char	*p = msg->raw;
	size_t		 n = msg->raw_len;

	if (msg->flags & MSG_F_BOM)
		deviate(c, "byte-order-mark");
	if (msg->flags & MSG_F_CR_ONLY)
		deviate(c, "cr-line-ends");
	if (msg->flags & MSG_F_BOM) {
		p += 3;
		n -= 3;
	}
	if (skip_mbox_line(&p, &n))
		deviate(c, "mbox-from-line");
}

static void
set_reporter(struct ctx *c)
{
	struct arf_report *r = c->r;
	struct reporter_input in;
	char		 name[REPORTER_NAME_MAX];

	memset(&in, 0, sizeof(in));
	in.from_domain = r->report_from_domain;
	in.user_agent = r->user_agent;
	in.source = r->source;
	in.reporting_mta = r->reporting_mta;
	if (reporter_name(&in, name, sizeof(name)))
		r->reporter = keep_str(c, name);
	if (reporter_redacts(r->reporter))
		r->recipient_redacted = true;
}

/* The report fields of part ri (body, or its header when fields sit there). */
static void
read_report(struct ctx *c, const struct mime_part *rp)
{
	struct mime_field f;
	const char	*p;
	size_t		 n;

	if (!decoded(c, rp, &p, &n))
		return;
	if (take_fields(c, p, n) > 0 && c->r->feedback_type != NULL)
		return;
	if (mime_hdr_find(rp->hdr, rp->hdr_len, "Feedback-Type", &f)) {
		deviate(c, "report-fields-in-part-header");
		(void)take_fields(c, rp->hdr, rp->hdr_len);
	}
}

static void
arf_found(struct ctx *c, size_t ri, const char *report_type, const char *how)
{
	struct mime_tree *t = &c->m->tree;
	const struct mime_part *rp = &t->parts[ri];

	top_deviations(c);
	container_deviations(c, rp->parent, report_type);
	boundary_deviations(c);
	report_part_deviations(c, rp);
	read_report(c, rp);
	field_deviations(c);
	if (rp->parent >= 0)
		find_original(c, ri);
	else
		deviate(c, "no-original");
	set_reporter(c);
	decide(c, ARF_KIND_ARF, "%s (Feedback-Type %s)", how,
	    c->r->feedback_type != NULL && c->r->feedback_type[0] != '\0' ?
	    c->r->feedback_type : "missing");
}

/* A text/plain part (not the first) whose body is the report's fields. */
static bool
text_report(struct ctx *c, size_t i)
{
	const struct mime_part *p = &c->m->tree.parts[i];
	const char	*s;
	size_t		 n;
	struct mime_field f;

	if (!mime_part_is(p, "text", "plain") && p->type[0] != '\0')
		return false;
	if (!decoded(c, p, &s, &n))
		return false;
	while (n > 0 && (*s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	if (!starts_with_field(s, n) ||
	    !mime_hdr_find(s, n, "Feedback-Type", &f))
		return false;
	return mime_hdr_find(s, n, "User-Agent", &f) ||
	    mime_hdr_find(s, n, "Version", &f);
}

const char *
report_type_of(const struct mime_part *p, char *buf, size_t len)
{
	struct mime_ct	 ct;

	buf[0] = '\0';
	if (strcmp(p->type, "multipart") != 0)
		return buf;
	mime_part_ct(p, &ct);
	(void)mime_ct_param(&ct, "report-type", buf, len, NULL);
	return buf;
}

/* Is report-type one of the reports that are surely not feedback? */
bool
other_report_type(const char *rt)
{
	return strcasecmp(rt, "delivery-status") == 0 ||
	    strcasecmp(rt, "disposition-notification") == 0 ||
	    strcasecmp(rt, "tlsrpt") == 0 ||
	    strcasecmp(rt, "delivery-notification") == 0;
}

/* Step 3: an ARF report?  Sets the kind when it is one. */
bool
try_arf(struct ctx *c, const char *top_rt)
{
	struct mime_tree *t = &c->m->tree;
	char		 rt[MIME_MAX_VALUE];
	size_t		 i;
	int		 parent;

	for (i = 0; i < t->nparts; i++) {
		if (!mime_part_is(&t->parts[i], "message", "feedback-report"))
			continue;
		parent = t->parts[i].parent;
		(void)report_type_of(&t->parts[parent >= 0 ? parent : 0], rt,
		    sizeof(rt));
		arf_found(c, i, rt, parent >= 0 && mime_part_is(
		    &t->parts[parent], "multipart", "report") ?
		    "multipart/report with a message/feedback-report part" :
		    "a message/feedback-report part outside multipart/report");
		return true;
	}
	if (!mime_part_is(&t->parts[0], "multipart", "report") ||
	    (top_rt[0] != '\0' && strcasecmp(top_rt, "feedback-report") != 0))
		return false;
	for (i = 1; i < t->nparts; i++) {
		if (t->parts[i].parent != 0 || !text_report(c, i))
			continue;
		deviate(c, "report-part-text-plain");
		arf_found(c, i, top_rt, "multipart/report whose feedback "
		    "fields are in a text/plain part");
		return true;
	}
	return false;
}
