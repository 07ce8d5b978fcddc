/* SPDX-License-Identifier: ISC */
/* explain: the step-by-step view of one message; see explain.h. */
#include <string.h>

#include "base/date.h"
#include "verifier/diagnose.h"
#include "verifier/explain.h"

static void
put_time(struct buf *b, uint64_t t)
{
	char	 s[21];

	if (t > (uint64_t)DATE_MAX_EPOCH) {
		buf_puts(b, "(out of range)");
		return;
	}
	/* 2026-11-21T09:00:00Z as 2026-11-21 09:00:00 UTC */
	date_format_time((int64_t)t, s);
	buf_printf(b, "%.10s %.8s UTC", s, s + 11);
}

static void
explain_message(struct buf *b, const char *file,
    const struct verify_result *vr, const struct render_extra *ex)
{
	const struct message *m = &vr->msg;
	unsigned	 f = m->flags | message_byte_flags(m);

	buf_puts(b, "== ");
	buf_put_safe(b, file);
	buf_putc(b, '\n');
	render_inner(b, "", ex, ": its signatures are verified\n");
	buf_printf(b, "message: %zu bytes, %zu header fields, ", m->raw_len,
	    m->nfields);
	if (m->has_body)
		buf_printf(b, "body %zu bytes\n", m->body_len);
	else
		buf_puts(b, "NO BODY (no blank line after the header block: "
		    "a header-only copy)\n");
	buf_puts(b, "line endings: ");
	if (f & MSG_F_CR_ONLY)
		buf_puts(b, "bare CR (old Mac), converted to CRLF");
	else if ((f & MSG_F_CRLF) && (f & MSG_F_BARE_LF))
		buf_puts(b, "MIXED CRLF and bare LF (each LF hashed as CRLF)");
	else if (f & MSG_F_BARE_LF)
		buf_puts(b, "LF (as stored on disk; hashed as CRLF)");
	else
		buf_puts(b, "CRLF");
	if (f & MSG_F_STRAY_CR)
		buf_puts(b, "; stray CR bytes (not before LF) present");
	if (f & MSG_F_NUL)
		buf_puts(b, "; NUL bytes present");
	if (f & MSG_F_8BIT)
		buf_puts(b, "; 8-bit bytes present");
	if (f & MSG_F_NO_COLON)
		buf_puts(b, "; a header line is not a field (no colon)");
	buf_putc(b, '\n');
	buf_printf(b, "From fields: %zu; DKIM-Signature fields: %zu\n",
	    vr->n_from, vr->nsigs_total);
	buf_puts(b, "verification time: ");
	put_time(b, (uint64_t)vr->now);
	buf_putc(b, '\n');
}

static void
explain_tags(struct buf *b, const struct verify_result *vr,
    const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	size_t	 i;

	buf_puts(b, "  tags as parsed:\n");
	for (i = 0; i < sig->tags.ntags; i++) {
		const struct tag *t = &sig->tags.tags[i];

		buf_printf(b, "    %.*s=", (int)t->name_len, t->name);
		buf_put_visible(b, t->value, t->value_len > 120 ? 117 :
		    t->value_len);
		if (t->value_len > 120)
			buf_printf(b, "... (%zu chars)", t->value_len);
		buf_putc(b, '\n');
	}
	if (sig->has_t) {
		buf_puts(b, "    t= is ");
		put_time(b, sig->t);
		buf_putc(b, '\n');
	}
	if (sig->has_x) {
		buf_puts(b, "    x= is ");
		put_time(b, sig->x);
		buf_putc(b, '\n');
	}
	if (sig->nh > 0)
		buf_printf(b, "    h= names %zu fields; From signed %zu time%s "
		    "(the message has %zu)\n", sig->nh,
		    dkim_sig_signs(sig, "from"),
		    dkim_sig_signs(sig, "from") == 1 ? "" : "s", vr->n_from);
	if (sig->z != NULL)
		buf_puts(b, "    z= carries the signer's copy of the fields "
		    "(compared below on failure)\n");
}

static void
explain_key(struct buf *b, const struct sig_result *sr)
{
	const struct key_answer *a = sr->answer;
	const struct key_record *k;
	size_t	 i;

	if (a == NULL) {
		buf_puts(b, "  key: not fetched (the signature is unusable "
		    "before that step)\n");
		return;
	}
	buf_puts(b, "  key query: ");
	buf_put_safe(b, a->name);
	buf_puts(b, " TXT\n");
	for (i = 0; i < a->ncnames; i++) {
		buf_puts(b, "    CNAME -> ");
		buf_put_safe(b, a->cnames[i]);
		buf_putc(b, '\n');
	}
	buf_printf(b, "  answer: %s from ", keyfetch_status_str(a->status));
	buf_put_safe(b, a->server[0] ? a->server : NULL);
	if (a->status == KEYFETCH_OK)
		buf_printf(b, ", TTL %u", a->ttl);
	buf_printf(b, ", %u ms", a->query_ms);
	if (a->detail != NULL) {
		buf_puts(b, "; ");
		buf_put_safe(b, a->detail);
	}
	buf_putc(b, '\n');
	for (i = 0; i < a->ntxt; i++) {
		buf_printf(b, "  record %zu of %zu%s: \"", i + 1, a->ntxt,
		    sr->key == &a->txt[i] ? " (used)" : "");
		buf_put_visible(b, a->txt[i].data, a->txt[i].len > 200 ? 197 :
		    a->txt[i].len);
		buf_puts(b, a->txt[i].len > 200 ? "...\"" : "\"");
		if (a->txt[i].parse != REASON_OK) {
			buf_puts(b, " -- not a key: ");
			buf_put_safe(b, a->txt[i].parse_detail ?
			    a->txt[i].parse_detail :
			    dkim_reason_name(a->txt[i].parse));
		}
		buf_putc(b, '\n');
	}
	if (a->ntxt > 1)
		buf_puts(b, "  several TXT records: the first (in byte order) "
		    "that parses as a key is used\n");
	if (sr->key == NULL)
		return;
	k = &sr->key->key;
	buf_printf(b, "  key: %s", key_type_name(k->type));
	if (k->revoked)
		buf_puts(b, ", REVOKED (empty p=)");
	else
		buf_printf(b, ", %u bits", k->bits);
	if (k->testing)
		buf_puts(b, ", t=y (testing mode)");
	if (k->strict)
		buf_puts(b, ", t=s (i= must equal d=)");
	if (k->hash_mask != KEY_HASH_ANY)
		buf_printf(b, ", h=%s%s", k->hash_mask & KEY_HASH_SHA256 ?
		    "sha256 " : "", k->hash_mask & KEY_HASH_SHA1 ? "sha1" : "");
	if (k->notes != NULL) {
		buf_puts(b, ", n=");
		buf_put_safe(b, k->notes);
	}
	buf_putc(b, '\n');
}

static void
explain_body(struct buf *b, const struct verify_result *vr,
    const struct sig_result *sr)
{
	const struct body_hash *h = sr->body;

	if (!vr->msg.has_body) {
		buf_puts(b, "  body: absent in this copy; the body hash cannot "
		    "be checked\n");
		return;
	}
	if (h == NULL || !h->ok)
		return;
	buf_printf(b, "  body: %s canonicalization, %s", dkim_canon_name(
	    h->canon), h->hash == DKIM_HASH_SHA1 ? "sha1" : "sha256");
	if (h->has_l)
		buf_printf(b, ", l=%llu", (unsigned long long)h->l);
	buf_printf(b, "; canonical body %llu bytes, %llu hashed\n",
	    (unsigned long long)h->canon_len, (unsigned long long)h->hashed);
	buf_puts(b, "    declared bh= ");
	buf_put_hex(b, sr->sig.bh.data, sr->sig.bh.len);
	buf_puts(b, "\n    computed     ");
	buf_put_hex(b, h->digest, h->digest_len);
	buf_puts(b, sr->body_verified ? "  MATCH\n" : "  MISMATCH\n");
	render_l_warning(b, "  warning: ", sr, ": anyone may append content "
	    "after the signed length, and this signature still verifies\n");
}

void
explain_block_begin(struct explain_block *it, const struct sig_result *sr)
{
	it->p = sr->canon_headers.data;
	it->end = it->p == NULL ? NULL : it->p + (sr->canon_headers.len <
	    EXPLAIN_MAX_BLOCK ? sr->canon_headers.len : EXPLAIN_MAX_BLOCK);
	it->start = it->p;
	it->total = sr->canon_headers_len;
}

bool
explain_block_next(struct explain_block *it, const char **line,
    size_t *shown, size_t *more)
{
	const char	*nl;
	size_t		 n;

	if (it->p == NULL || it->p >= it->end)
		return false;
	nl = mem_find(it->p, (size_t)(it->end - it->p), "\r\n", 2);
	nl = nl ? nl + 2 : it->end;
	n = (size_t)(nl - it->p);
	*line = it->p;
	*shown = n > EXPLAIN_MAX_LINE ? EXPLAIN_MAX_LINE : n;
	*more = n - *shown;
	it->p = nl;
	return true;
}

size_t
explain_block_rest(const struct explain_block *it)
{
	size_t	 seen = (size_t)(it->end - it->start);

	return it->total > seen ? it->total - seen : 0;
}

static void
explain_headers(struct buf *b, const struct sig_result *sr)
{
	struct explain_block it;
	const char	*line;
	size_t		 shown, more;

	if (sr->canon_headers.len == 0)
		return;
	buf_printf(b, "  signed header block (%s, exactly as hashed; CR LF "
	    "shown as \\r\\n):\n", dkim_canon_name(sr->sig.hcanon));
	explain_block_begin(&it, sr);
	while (explain_block_next(&it, &line, &shown, &more)) {
		buf_puts(b, "    | ");
		buf_put_visible(b, line, shown);
		if (more > 0)
			buf_printf(b, "... (%zu bytes more on this line)", more);
		buf_putc(b, '\n');
	}
	if (explain_block_rest(&it) > 0)
		buf_printf(b, "    | ... (%zu bytes more of the block, not "
		    "shown)\n", explain_block_rest(&it));
	buf_printf(b, "  header hash: ");
	buf_put_hex(b, sr->hdigest, sr->hdigest_len);
	buf_printf(b, "\n  signature over it: %s\n", sr->header_verified ?
	    "VERIFIES" : "DOES NOT VERIFY");
}

/* The words of a failing step in the text view. */
static const char *
explain_step_name(enum diag_step st, const struct sig_result *sr)
{
	switch (st) {
	case DSTEP_KEY_LOOKUP:
		return "key lookup";
	case DSTEP_KEY_RECORD:
		return "key record";
	case DSTEP_TIMES:
		return "signature times";
	case DSTEP_BODY_LENGTH:
		return "body length";
	case DSTEP_DNS:
		return "DNS";
	default:
		return diag_step_name(st, sr);
	}
}

static void
put_shown(struct buf *b, const struct buf *v, size_t len)
{
	buf_put_visible(b, v->data, v->len);
	if (len > v->len)
		buf_printf(b, "... (%zu bytes more)", len - v->len);
}

static void
put_cause(struct buf *b, const char *label, enum diag_cause c,
    const struct sig_result *sr, const struct sig_diag *d)
{
	struct buf	 t = BUF_INIT;

	diag_cause_text(&t, c, sr, d);
	buf_printf(b, "    %s: ", label);
	buf_put_safe(b, buf_cstr(&t));
	buf_putc(b, '\n');
	buf_free(&t);
}

static void
explain_diag_body(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d)
{
	buf_puts(b, "    failing step: body hash (bh=)\n");
	if (d->body.cause != DIAG_NONE)
		put_cause(b, "cause", d->body.cause, sr, d);
	if (d->body.ws_maybe)
		put_cause(b, "possible cause instead", DIAG_BODY_WS_MAYBE, sr, d);
}

static void
explain_recovered(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d)
{
	const struct diag_header *h = &d->header;

	if (h->ed25519) {
		buf_puts(b, "    note: an ed25519 signature cannot tell a "
		    "changed header from a different key\n");
		return;
	}
	if (h->recovered == RECOVER_DIGEST) {
		buf_puts(b, "    evidence: the signature opens with the public "
		    "key to a well-formed DigestInfo (");
		buf_puts(b, h->rec_hash == DKIM_HASH_SHA1 ? "sha1 " : "sha256 ");
		buf_put_hex(b, h->digest, h->digest_len);
		buf_puts(b, "): the key IS the one that signed\n");
	} else if (h->recovered == RECOVER_BAD_PADDING)
		buf_puts(b, "    evidence: opening the signature with the public "
		    "key gives bad padding, not a DigestInfo\n");
	if (h->recover_cause != DIAG_NONE)
		put_cause(b, "cause", h->recover_cause, sr, d);
}

static void
explain_diag_header(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d)
{
	const struct diag_header *h = &d->header;
	size_t	 i;

	buf_puts(b, "    failing step: header signature (b=)\n");
	if (!h->keyed)
		return;
	explain_recovered(b, sr, d);
	for (i = 0; i < h->nz; i++) {
		buf_puts(b, "    evidence: z= says the signer saw  ");
		put_shown(b, &h->z[i].was, h->z[i].was_len);
		buf_puts(b, "\n              the message now has  ");
		if (h->z[i].absent)
			buf_puts(b, "(no such field)");
		else
			put_shown(b, &h->z[i].now, h->z[i].now_len);
		buf_putc(b, '\n');
	}
	if (h->z_more)
		buf_printf(b, "    note: z= holds more entries; the first %d "
		    "were compared\n", DIAG_MAX_Z);
	for (i = 0; i < h->nrw; i++) {
		buf_puts(b, "    evidence: the signer hashed  ");
		if (h->rw[i].was_absent)
			buf_puts(b, "(no such field)");
		else
			put_shown(b, &h->rw[i].was, h->rw[i].was_len);
		buf_puts(b, "\n              the message now has  ");
		put_shown(b, &h->rw[i].now, h->rw[i].now_len);
		buf_putc(b, '\n');
	}
	if (h->variant_cause != DIAG_NONE)
		put_cause(b, "cause", h->variant_cause, sr, d);
}

static void
explain_diagnosis(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d)
{
	size_t	 i;

	if (!d->run)
		return;
	buf_puts(b, "  diagnosis:\n");
	for (i = 0; i < d->nsteps; i++) {
		switch (d->steps[i]) {
		case DSTEP_BODY_HASH:
			explain_diag_body(b, sr, d);
			break;
		case DSTEP_HEADER_SIGNATURE:
			explain_diag_header(b, sr, d);
			break;
		case DSTEP_NOT_CHECKABLE:
			buf_puts(b, "    failing step: none that can be checked: "
			    "the body is not in this copy\n");
			break;
		default:
			buf_printf(b, "    failing step: %s\n",
			    explain_step_name(d->steps[i], sr));
			if (d->step_cause != DIAG_VERDICT)
				put_cause(b, "cause", d->step_cause, sr, d);
		}
	}
	if (d->otherwise)
		buf_printf(b, "    otherwise the signature %s\n",
		    sr->would_pass ? "WOULD verify" : "would NOT verify either");
	buf_printf(b, "    conclusion: %s\n", diag_cause_name(d->cause));
}

void
explain_render(struct buf *b, const char *file, const struct verify_result *vr,
    const struct render_extra *ex)
{
	static const struct diagnosis none;
	const struct diagnosis *dg = ex->dg != NULL ? ex->dg : &none;
	size_t	 i;

	explain_message(b, file, vr, ex);
	for (i = 0; i < vr->nsigs; i++) {
		const struct sig_result *sr = &vr->sigs[i];

		buf_printf(b, "\n-- signature %zu of %zu (header field %zu): "
		    "d=", i + 1, vr->nsigs_total, sr->sig.field_index + 1);
		buf_put_safe(b, sr->sig.d);
		buf_puts(b, " s=");
		buf_put_safe(b, sr->sig.s);
		buf_putc(b, '\n');
		explain_tags(b, vr, sr);
		explain_key(b, sr);
		explain_body(b, vr, sr);
		explain_headers(b, sr);
		buf_printf(b, "  verdict: %s (%s): ",
		    dkim_result_name(sr->result), dkim_reason_name(sr->reason));
		buf_put_safe(b, buf_cstr(&sr->detail));
		buf_putc(b, '\n');
		if (i < dg->nsigs)
			explain_diagnosis(b, sr, &dg->sigs[i]);
	}
	if (dg->cut)
		buf_printf(b, "note: the diagnosis of this message stopped at "
		    "its work bound (%llu MiB hashed, docs/security.md); the "
		    "remaining experiments were not run\n",
		    (unsigned long long)(DIAG_BUDGET_BYTES >> 20));
	if (vr->nsigs_total == 0)
		buf_puts(b, "verdict: none (no DKIM-Signature)\n");
	buf_putc(b, '\n');
}
