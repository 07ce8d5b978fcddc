/* SPDX-License-Identifier: ISC */
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
 * A complaint without Source-IP then gets one derived from its provider's
 * documented places where it can (arf_source_ip.c).
 *
 * This file holds the decision, the report's memory and the helpers every
 * step uses; step 3 is arf_standard.c (with arf_original.c, the original
 * a report carries), step 4 arf_provider.c, step 5 arf_nearmiss.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fbl/feedback/arf_local.h"

/* --- memory --------------------------------------------------------------- */

/* A NUL-terminated copy of p[0..n) that lives as long as the report. */
char *
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

char *
keep_str(struct ctx *c, const char *s)
{
	return keep(c, s, strlen(s));
}

/* Keep a buf's bytes (the buf is reset); NULL on out of memory. */
char *
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

void
list_add(struct arf_list *l, char *s)
{
	if (s != NULL && l->n < ARF_MAX_LIST)
		l->v[l->n++] = s;
}

/* Record a deviation code once; a full list ends in "more-deviations". */
void
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

void
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
char *
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

bool
has_top_field(struct ctx *c, const char *name)
{
	struct mime_field f;

	return mime_hdr_find(c->hdr, c->hdr_len, name, &f);
}

bool
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

bool
ci_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The domain of the address in a From value, lower case, or NULL. */
char *
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
bool
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
bool
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
bool
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

/* The length of a blank line (SP, HTAB, CR, then LF) at p, or 0. */
static size_t
blank_line_len(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r');
	    i++)
		;
	return i < n && p[i] == '\n' ? i + 1 : 0;
}

/*
 * Skip what may stand before an attached message: blank lines (complaints
 * forwarded through Amazon SES), then an mbox "From " line.  *blank says
 * whether blank lines were skipped; true when a From_ line was.
 */
bool
skip_envelope(const char **p, size_t *n, bool *blank)
{
	size_t	 k;

	*blank = false;
	while ((k = blank_line_len(*p, *n)) > 0) {
		*p += k;
		*n -= k;
		*blank = true;
	}
	return skip_mbox_line(p, n);
}

bool
blank_only(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i]))
			return false;
	return true;
}

/* Does the content start with a header field of a message? */
bool
starts_with_field(const char *p, size_t n)
{
	struct mime_hdr_iter it;
	struct mime_field f;

	mime_hdr_init(&it, p, n);
	return mime_hdr_next(&it, &f) && f.name_len > 0;
}

/* Does the header block hold a field a message has (From, Received ...)? */
bool
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

/* --- the decision --------------------------------------------------------- */

/* Step 1: is it a message at all? */
static bool
is_message(struct ctx *c)
{
	return has_message_field(c->hdr, c->hdr_len);
}

static void
classify(struct ctx *c, const char *subject)
{
	char		 top_rt[MIME_MAX_VALUE];

	(void)report_type_of(&c->m->tree.parts[0], top_rt, sizeof(top_rt));
	if (mime_part_is(&c->m->tree.parts[0], "multipart", "report") &&
	    other_report_type(top_rt)) {
		if (!c->attached_only)
			(void)try_not_arf(c, top_rt, subject);
		return;
	}
	if (try_arf(c, top_rt) || try_ses(c) || try_jmrp_attached(c, subject))
		return;
	/* what is left is inline (JMRP, sample) or not a complaint */
	if (c->attached_only)
		return;
	if (try_jmrp_inline(c) || try_not_arf(c, top_rt, subject))
		return;
	take_inline(c);
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

static bool
parse(struct arf_report *r, const char *raw, size_t len, bool attached_only)
{
	struct ctx		 c;
	enum message_status	 st;
	char			*subject;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.attached_only = attached_only;
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
	else {
		r->report_from_domain = address_domain(&c,
		    top_field(&c, "From"));
		r->report_date = top_field(&c, "Date");
		subject = top_field(&c, "Subject");
		classify(&c, subject);
		derive_source_ip(&c, subject);
	}
	return !c.oom;
}

bool
arf_parse(struct arf_report *r, const char *raw, size_t len)
{
	return parse(r, raw, len, false);
}

bool
arf_find_attached(struct arf_report *r, const char *raw, size_t len)
{
	return parse(r, raw, len, true);
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
