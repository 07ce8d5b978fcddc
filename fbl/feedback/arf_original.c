/* SPDX-License-Identifier: ISC */
/*
 * arf_original: the bytes of the complained-about original a report
 * carries (a message/rfc822 or text/rfc822-headers part, or one sniffed
 * under another type), what form they have, and how they deviate.
 */
#include <string.h>

#include "fbl/feedback/arf_local.h"

static bool
has_dkim(const char *p, size_t n)
{
	struct mime_field f;

	return mime_hdr_find(p, n, "DKIM-Signature", &f);
}

/*
 * Where the original in p[0..n) starts (past blank lines and an mbox
 * "From " line); false when it holds no header field (redacted, empty).
 */
static bool
original_start(struct ctx *c, const char **p, size_t *n)
{
	bool	 blank;

	if (skip_envelope(p, n, &blank))
		deviate(c, "original-mbox-from-line");
	if (!starts_with_field(*p, *n)) {
		deviate(c, blank_only(*p, *n) ? "original-empty" :
		    "original-redacted");
		return false;
	}
	if (blank)
		deviate(c, "original-leading-blank-lines");
	return true;
}

/*
 * Content that should be a message (the content of a message/rfc822 part
 * or of a sniffed one): set the original.  Returns false when it holds no
 * header field (redacted, empty).
 */
bool
take_message(struct ctx *c, const char *p, size_t n, enum arf_original full)
{
	struct arf_report *r = c->r;
	size_t		 hlen, boff;

	if (!original_start(c, &p, &n))
		return false;
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

/* The message itself is the original (a sample, an inline JMRP). */
void
take_inline(struct ctx *c)
{
	struct arf_report	*r = c->r;
	const struct message	*msg = &c->m->msg;

	r->original = msg->raw;
	r->original_len = msg->raw_len;
	r->original_has_body = msg->has_body;
	r->original_form = ARF_ORIG_INLINE;
	r->original_has_dkim = has_dkim(c->hdr, c->hdr_len);
}

/* A text/rfc822-headers part (or a variant): headers only. */
static bool
take_headers(struct ctx *c, const char *p, size_t n)
{
	struct arf_report *r = c->r;
	size_t		 hlen, boff;

	if (!original_start(c, &p, &n))
		return false;
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

const char *
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
	const char	*p, *s;
	size_t		 n, sn, hlen, boff;
	bool		 blank, enc = part->cte == MIME_CTE_BASE64 ||
			    part->cte == MIME_CTE_QP;

	if (shape == SHAPE_NO || !decoded(c, part, &p, &n))
		return false;
	if (shape == SHAPE_SNIFF) {
		s = p;
		sn = n;
		(void)skip_envelope(&s, &sn, &blank);
		(void)mime_split_header(s, sn, &hlen, &boff);
		if (!starts_with_field(s, sn) || !has_message_field(s, hlen))
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
void
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
