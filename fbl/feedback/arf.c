/*
 * arf: recognise a feedback report and take it apart; see arf.h and
 * docs/arf.md (what is accepted, the deviation codes, how kinds are
 * decided).
 *
 * The order of the decision:
 * 1. not a message at all (no standard header field)       -> unparseable
 * 2. multipart/report of another report-type (DSN, MDN, TLS) -> not-arf
 * 3. a message/feedback-report part (any multipart level, never inside a
 *    message/rfc822), or under report-type=feedback-report a text/plain
 *    part holding the fields                                 -> arf
 * 4. Amazon SES complaint notification, Microsoft JMRP (attached or
 *    inline)                                                 -> complaint
 * 5. signs of a bounce, auto-reply, aggregate/TLS/X-ARF report,
 *    unsubscribe request                                     -> not-arf
 * 6. anything else                                           -> sample
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fbl/feedback/arf.h"
#include "fbl/feedback/mime.h"
#include "fbl/feedback/reporter.h"
#include "verifier/message.h"

#define ARF_MAX_JSON_VALUE	512	/* bytes of an SES JSON string kept */

struct chunk {
	struct chunk	*next;
	char		 data[];
};

struct arf_mem {
	struct message	 msg;
	struct mime_tree tree;
	struct chunk	*chunks;
};

struct ctx {
	struct arf_report *r;
	struct arf_mem	*m;
	const char	*hdr;		/* the message's header block */
	size_t		 hdr_len;
	bool		 oom;
	size_t		 nfields;	/* report fields looked at */
	bool		 seen_arrival;	/* Arrival-Date (not Received-Date) */
};

/* --- memory --------------------------------------------------------------- */

/* A NUL-terminated copy of p[0..n) that lives as long as the report. */
static char *
keep(struct ctx *c, const char *p, size_t n)
{
	struct chunk	*ch;

	if (c->oom || n > SIZE_MAX - sizeof(*ch) - 1 ||
	    (ch = malloc(sizeof(*ch) + n + 1)) == NULL) {
		c->oom = true;
		return NULL;
	}
	if (n > 0)
		memcpy(ch->data, p, n);
	ch->data[n] = '\0';
	ch->next = c->m->chunks;
	c->m->chunks = ch;
	return ch->data;
}

static char *
keep_str(struct ctx *c, const char *s)
{
	return keep(c, s, strlen(s));
}

/* Keep a buf's bytes (the buf is reset); NULL on out of memory. */
static char *
keep_buf(struct ctx *c, struct buf *b)
{
	char	*s;

	if (!buf_ok(b)) {
		c->oom = true;
		buf_free(b);
		return NULL;
	}
	s = keep(c, b->data != NULL ? b->data : "", b->len);
	buf_reset(b);
	return s;
}

static void
list_add(struct arf_list *l, char *s)
{
	if (s != NULL && l->n < ARF_MAX_LIST)
		l->v[l->n++] = s;
}

/* Record a deviation code once; a full list ends in "more-deviations". */
static void
deviate(struct ctx *c, const char *code)
{
	struct arf_list	*l = &c->r->deviations;
	size_t		 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], code) == 0)
			return;
	if (l->n == ARF_MAX_LIST - 1)
		code = "more-deviations";
	if (l->n < ARF_MAX_LIST)
		list_add(l, keep_str(c, code));
}

static void
decide(struct ctx *c, enum arf_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
decide(struct ctx *c, enum arf_kind kind, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	c->r->kind = kind;
	c->r->complaint = kind == ARF_KIND_ARF || kind == ARF_KIND_COMPLAINT;
	c->r->decided = keep_buf(c, &b);
	buf_free(&b);
}

/* --- small helpers -------------------------------------------------------- */

/* The unfolded value of the message's first field of that name, or NULL. */
static char *
top_field(struct ctx *c, const char *name)
{
	struct mime_field f;
	struct buf	 b = BUF_INIT;
	char		*s;

	if (!mime_hdr_find(c->hdr, c->hdr_len, name, &f))
		return NULL;
	mime_unfold(&b, f.value, f.value_len);
	s = keep_buf(c, &b);
	buf_free(&b);
	return s;
}

static bool
has_top_field(struct ctx *c, const char *name)
{
	struct mime_field f;

	return mime_hdr_find(c->hdr, c->hdr_len, name, &f);
}

static bool
ci_contains(const char *hay, const char *needle)
{
	size_t	 n = strlen(needle);

	if (hay == NULL)
		return false;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool
ci_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The domain of the address in a From value, lower case, or NULL. */
static char *
address_domain(struct ctx *c, const char *v)
{
	const char	*lt, *at, *p;
	size_t		 n = 0;
	char		 d[256];

	if (v == NULL)
		return NULL;
	if ((lt = strrchr(v, '<')) != NULL && strchr(lt, '@') != NULL)
		v = lt + 1;
	if ((at = strchr(v, '@')) == NULL)
		return NULL;
	for (p = at + 1; *p != '\0' && *p != '>' && *p != ')' && *p != ',' &&
	    *p != ';' && !isspace((unsigned char)*p) && n + 1 < sizeof(d); p++)
		d[n++] = (char)tolower((unsigned char)*p);
	while (n > 0 && d[n - 1] == '.')
		n--;
	if (n == 0)
		return NULL;
	return keep(c, d, n);
}

/* The local part of the address in a From value is this (e.g. postmaster)? */
static bool
local_part_is(const char *v, const char *want)
{
	const char	*lt, *at, *p;
	size_t		 n = strlen(want);

	if (v == NULL)
		return false;
	if ((lt = strrchr(v, '<')) != NULL && strchr(lt, '@') != NULL)
		v = lt + 1;
	if ((at = strchr(v, '@')) == NULL)
		return false;
	for (p = at; p > v && !isspace((unsigned char)p[-1]) && p[-1] != '<' &&
	    p[-1] != '"'; p--)
		;
	return (size_t)(at - p) == n && strncasecmp(p, want, n) == 0;
}

/* Decode a part's content into a kept copy. */
static bool
decoded(struct ctx *c, const struct mime_part *part, const char **out,
    size_t *out_len)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	if (part->cte != MIME_CTE_BASE64 && part->cte != MIME_CTE_QP) {
		*out = part->body;
		*out_len = part->body_len;
		return true;
	}
	if (!mime_decode(&b, part->cte, part->body, part->body_len)) {
		buf_free(&b);
		c->oom = true;
		return false;
	}
	*out_len = b.len;
	s = keep_buf(c, &b);
	buf_free(&b);
	*out = s;
	return s != NULL;
}

/* Skip a leading mbox "From " (or quoted ">From ") line. */
static bool
skip_mbox_line(const char **p, size_t *n)
{
	const char	*lf;

	if (!((*n >= 5 && memcmp(*p, "From ", 5) == 0) ||
	    (*n >= 6 && memcmp(*p, ">From ", 6) == 0)))
		return false;
	if ((lf = memchr(*p, '\n', *n)) == NULL)
		return false;
	*n -= (size_t)(lf + 1 - *p);
	*p = lf + 1;
	return true;
}

static bool
blank_only(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i]))
			return false;
	return true;
}

/* Does the content start with a header field of a message? */
static bool
starts_with_field(const char *p, size_t n)
{
	struct mime_hdr_iter it;
	struct mime_field f;

	mime_hdr_init(&it, p, n);
	return mime_hdr_next(&it, &f) && f.name_len > 0;
}

/* Does the header block hold a field a message has (From, Received ...)? */
static bool
has_message_field(const char *p, size_t n)
{
	static const char *const names[] = { "From", "Received", "Date",
	    "Message-ID", "Subject", "Return-Path", "To", "DKIM-Signature",
	    "MIME-Version", "Sender", "Delivered-To", "Reply-To",
	    "Content-Type", "X-HmXmrOriginalRecipient" };
	struct mime_hdr_iter it;
	struct mime_field f;
	size_t		 i;

	mime_hdr_init(&it, p, n);
	while (mime_hdr_next(&it, &f))
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (mime_field_is(&f, names[i]))
				return true;
	return false;
}

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

/* --- the original --------------------------------------------------------- */

static bool
has_dkim(const char *p, size_t n)
{
	struct mime_field f;

	return mime_hdr_find(p, n, "DKIM-Signature", &f);
}

/*
 * Content that should be a message (the content of a message/rfc822 part
 * or of a sniffed one): set the original.  Returns false when it holds no
 * header field (redacted, empty).
 */
static bool
take_message(struct ctx *c, const char *p, size_t n, enum arf_original full)
{
	struct arf_report *r = c->r;
	size_t		 hlen, boff;

	if (skip_mbox_line(&p, &n))
		deviate(c, "original-mbox-from-line");
	if (!starts_with_field(p, n)) {
		deviate(c, blank_only(p, n) ? "original-empty" :
		    "original-redacted");
		return false;
	}
	if (!mime_split_header(p, n, &hlen, &boff) ||
	    blank_only(p + boff, n - boff)) {
		if (full == ARF_ORIG_RFC822 ||
		    full == ARF_ORIG_ENCODED_RFC822) {
			deviate(c, "rfc822-part-headers-only");
			full = ARF_ORIG_HEADERS;
		}
		r->original_len = hlen;
		r->original_has_body = false;
	} else {
		r->original_len = n;
		r->original_has_body = true;
	}
	r->original = p;
	r->original_form = full;
	r->original_has_dkim = has_dkim(p, hlen);
	return true;
}

/* A text/rfc822-headers part (or a variant): headers only. */
static bool
take_headers(struct ctx *c, const char *p, size_t n)
{
	struct arf_report *r = c->r;
	size_t		 hlen, boff;

	if (skip_mbox_line(&p, &n))
		deviate(c, "original-mbox-from-line");
	if (!starts_with_field(p, n)) {
		deviate(c, blank_only(p, n) ? "original-empty" :
		    "original-redacted");
		return false;
	}
	if (mime_split_header(p, n, &hlen, &boff) &&
	    !blank_only(p + boff, n - boff))
		deviate(c, "headers-part-has-body");
	r->original = p;
	r->original_len = hlen;
	r->original_has_body = false;
	r->original_form = ARF_ORIG_HEADERS;
	r->original_has_dkim = has_dkim(p, hlen);
	return true;
}

static const char *
encoding_deviation(enum mime_cte cte)
{
	return cte == MIME_CTE_BASE64 ? "original-base64" :
	    "original-quoted-printable";
}

/* Kinds of part that may carry the original. */
enum orig_shape { SHAPE_NO, SHAPE_RFC822, SHAPE_HEADERS, SHAPE_SNIFF };

static enum orig_shape
orig_shape(struct ctx *c, const struct mime_part *p, bool note)
{
	if (mime_part_is(p, "message", "rfc822"))
		return SHAPE_RFC822;
	if (mime_part_is(p, "text", "rfc822-headers"))
		return SHAPE_HEADERS;
	if (mime_part_is(p, "text", "rfc822-header")) {
		if (note)
			deviate(c, "text-rfc822-header-singular");
		return SHAPE_HEADERS;
	}
	if (mime_part_is(p, "message", "rfc822-headers")) {
		if (note)
			deviate(c, "message-rfc822-headers");
		return SHAPE_HEADERS;
	}
	if (mime_part_is(p, "application", "octet-stream") ||
	    mime_part_is(p, "text", "plain") || p->type[0] == '\0')
		return SHAPE_SNIFF;
	return SHAPE_NO;
}

static const char *
sniff_deviation(const struct mime_part *p)
{
	if (p->type[0] == '\0')
		return "original-untyped";
	if (strcmp(p->type, "text") == 0)
		return "original-text-plain";
	return "original-octet-stream";
}

/* Try one part as the original; true when it was taken (or redacted). */
static bool
try_original(struct ctx *c, const struct mime_part *part)
{
	enum orig_shape	 shape = orig_shape(c, part, false);
	enum arf_original full;
	const char	*p;
	size_t		 n, hlen, boff;
	bool		 enc = part->cte == MIME_CTE_BASE64 ||
			    part->cte == MIME_CTE_QP;

	if (shape == SHAPE_NO || !decoded(c, part, &p, &n))
		return false;
	if (shape == SHAPE_SNIFF) {
		(void)skip_mbox_line(&p, &n);
		(void)mime_split_header(p, n, &hlen, &boff);
		if (!starts_with_field(p, n) || !has_message_field(p, hlen))
			return false;
		deviate(c, sniff_deviation(part));
	}
	(void)orig_shape(c, part, true);
	if (enc)
		deviate(c, encoding_deviation(part->cte));
	if (shape == SHAPE_HEADERS) {
		(void)take_headers(c, p, n);
		return true;
	}
	full = enc ? ARF_ORIG_ENCODED_RFC822 : ARF_ORIG_RFC822;
	(void)take_message(c, p, n, full);
	return true;
}

/* The original of an ARF report: the first fitting sibling after it. */
static void
find_original(struct ctx *c, size_t ri)
{
	struct mime_tree *t = &c->m->tree;
	int		 parent = t->parts[ri].parent;
	size_t		 i;

	for (i = ri + 1; i < t->nparts && !c->oom; i++) {
		if (t->parts[i].parent != parent)
			continue;
		if (try_original(c, &t->parts[i]))
			return;
	}
	deviate(c, "no-original");
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

static void
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

static void
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

static const char *
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
static bool
other_report_type(const char *rt)
{
	return strcasecmp(rt, "delivery-status") == 0 ||
	    strcasecmp(rt, "disposition-notification") == 0 ||
	    strcasecmp(rt, "tlsrpt") == 0 ||
	    strcasecmp(rt, "delivery-notification") == 0;
}

/* Step 3: an ARF report?  Sets the kind when it is one. */
static bool
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

/* --- non-ARF complaint formats -------------------------------------------- */

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
static bool
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
static bool
try_jmrp_attached(struct ctx *c, const char *subject)
{
	struct mime_tree *t = &c->m->tree;
	struct arf_report *r = c->r;
	struct mime_field f;
	const char	*p;
	size_t		 i, n;
	bool		 mark;

	if (strcmp(t->parts[0].type, "multipart") != 0 ||
	    !microsoft_domain(r->report_from_domain))
		return false;
	for (i = 1; i < t->nparts; i++) {
		if (t->parts[i].parent != 0 ||
		    !mime_part_is(&t->parts[i], "message", "rfc822"))
			continue;
		if (!decoded(c, &t->parts[i], &p, &n))
			return false;
		mark = mime_hdr_find(p, n, "X-HmXmrOriginalRecipient", &f);
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
static bool
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
	r->original = c->m->msg.raw;
	r->original_len = c->m->msg.raw_len;
	r->original_has_body = c->m->msg.has_body;
	r->original_form = ARF_ORIG_INLINE;
	r->original_has_dkim = has_dkim(c->hdr, c->hdr_len);
	decide(c, ARF_KIND_COMPLAINT, "Microsoft JMRP, inline form: "
	    "X-HmXmrOriginalRecipient and %s on the message itself, which is "
	    "the original (Feedback-Type abuse assigned)",
	    has_top_field(c, "X-Reporter-IP") ? "X-Reporter-IP" :
	    "a Microsoft Return-Path");
	return true;
}

/* --- near misses ---------------------------------------------------------- */

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

static bool
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
static bool
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

/* --- the decision --------------------------------------------------------- */

/* Step 1: is it a message at all? */
static bool
is_message(struct ctx *c)
{
	return has_message_field(c->hdr, c->hdr_len);
}

static void
classify(struct ctx *c)
{
	struct arf_report *r = c->r;
	char		 top_rt[MIME_MAX_VALUE];
	char		*subject;

	r->report_from_domain = address_domain(c, top_field(c, "From"));
	r->report_date = top_field(c, "Date");
	subject = top_field(c, "Subject");
	(void)report_type_of(&c->m->tree.parts[0], top_rt, sizeof(top_rt));
	if (mime_part_is(&c->m->tree.parts[0], "multipart", "report") &&
	    other_report_type(top_rt)) {
		(void)try_not_arf(c, top_rt, subject);
		return;
	}
	if (try_arf(c, top_rt) || try_ses(c) ||
	    try_jmrp_attached(c, subject) || try_jmrp_inline(c) ||
	    try_not_arf(c, top_rt, subject))
		return;
	r->original = c->m->msg.raw;
	r->original_len = c->m->msg.raw_len;
	r->original_has_body = c->m->msg.has_body;
	r->original_form = ARF_ORIG_INLINE;
	r->original_has_dkim = has_dkim(c->hdr, c->hdr_len);
	decide(c, ARF_KIND_SAMPLE, "no feedback report, no complaint format, "
	    "no sign of a bounce or auto-reply: %s", any_part(c, "message",
	    "rfc822") ? "a message forwarding another as an attachment "
	    "(not from a Microsoft JMRP address)" : "a plain message");
}

/* Header block and body of the whole message (after a byte-order mark). */
static void
split_top(struct ctx *c)
{
	const struct message *msg = &c->m->msg;
	const char	*p = msg->raw;
	size_t		 n = msg->raw_len, hlen, boff;
	bool		 body;

	if (msg->flags & MSG_F_BOM) {
		p += 3;
		n -= 3;
	}
	body = mime_split_header(p, n, &hlen, &boff);
	c->hdr = p;
	c->hdr_len = hlen;
	mime_parse(&c->m->tree, p, hlen, body ? p + boff : NULL,
	    body ? n - boff : 0);
}

bool
arf_parse(struct arf_report *r, const char *raw, size_t len)
{
	struct ctx		 c;
	enum message_status	 st;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	if ((c.m = calloc(1, sizeof(*c.m))) == NULL)
		return false;
	r->mem = c.m;
	c.r = r;
	st = message_parse(&c.m->msg, raw != NULL ? raw : "", raw ? len : 0);
	if (st == MESSAGE_NOMEM)
		return false;
	if (st != MESSAGE_OK) {
		decide(&c, ARF_KIND_UNPARSEABLE, "not a message: %s",
		    message_status_str(st));
		return !c.oom;
	}
	split_top(&c);
	if (!is_message(&c))
		decide(&c, ARF_KIND_UNPARSEABLE, "not a message: no header "
		    "field of a mail message (From, Date, Received ...)");
	else
		classify(&c);
	return !c.oom;
}

void
arf_report_free(struct arf_report *r)
{
	struct arf_mem	*m = r->mem;
	struct chunk	*ch, *next;

	if (m != NULL) {
		for (ch = m->chunks; ch != NULL; ch = next) {
			next = ch->next;
			free(ch);
		}
		message_free(&m->msg);
		free(m);
	}
	memset(r, 0, sizeof(*r));
}

const char *
arf_kind_name(enum arf_kind k)
{
	switch (k) {
	case ARF_KIND_ARF:
		return "arf";
	case ARF_KIND_COMPLAINT:
		return "complaint";
	case ARF_KIND_SAMPLE:
		return "sample";
	case ARF_KIND_NOT_ARF:
		return "not-arf";
	case ARF_KIND_UNPARSEABLE:
		break;
	}
	return "unparseable";
}

const char *
arf_original_name(enum arf_original o)
{
	switch (o) {
	case ARF_ORIG_NONE:
		break;
	case ARF_ORIG_RFC822:
		return "rfc822";
	case ARF_ORIG_HEADERS:
		return "headers";
	case ARF_ORIG_ENCODED_RFC822:
		return "encoded-rfc822";
	case ARF_ORIG_ATTACHED:
		return "attached";
	case ARF_ORIG_INLINE:
		return "inline";
	}
	return "none";
}
