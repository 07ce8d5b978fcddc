/* explain: the step-by-step view of one message; see explain.h. */
#include <string.h>

#include "base/date.h"
#include "verifier/diagnose.h"
#include "verifier/explain.h"
#include "verifier/render.h"

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
    const struct verify_result *vr)
{
	const struct message *m = &vr->msg;
	unsigned	 f = m->flags | message_byte_flags(m);

	buf_puts(b, "== ");
	buf_put_safe(b, file);
	buf_putc(b, '\n');
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

static void
explain_headers(struct buf *b, const struct sig_result *sr)
{
	const char	*p, *end, *nl;

	if (sr->canon_headers.len == 0)
		return;
	buf_printf(b, "  signed header block (%s, exactly as hashed; CR LF "
	    "shown as \\r\\n):\n", dkim_canon_name(sr->sig.hcanon));
	p = sr->canon_headers.data;
	end = p + (sr->canon_headers.len < EXPLAIN_MAX_BLOCK ?
	    sr->canon_headers.len : EXPLAIN_MAX_BLOCK);
	while (p < end) {
		nl = mem_find(p, (size_t)(end - p), "\r\n", 2);
		nl = nl ? nl + 2 : end;
		buf_puts(b, "    | ");
		buf_put_visible(b, p, (size_t)(nl - p) > EXPLAIN_MAX_LINE ?
		    EXPLAIN_MAX_LINE : (size_t)(nl - p));
		if ((size_t)(nl - p) > EXPLAIN_MAX_LINE)
			buf_printf(b, "... (%zu bytes more on this line)",
			    (size_t)(nl - p) - EXPLAIN_MAX_LINE);
		buf_putc(b, '\n');
		p = nl;
	}
	if (sr->canon_headers_len > (size_t)(end - sr->canon_headers.data))
		buf_printf(b, "    | ... (%zu bytes more of the block, not "
		    "shown)\n", sr->canon_headers_len -
		    (size_t)(end - sr->canon_headers.data));
	buf_printf(b, "  header hash: ");
	buf_put_hex(b, sr->hdigest, sr->hdigest_len);
	buf_printf(b, "\n  signature over it: %s\n", sr->header_verified ?
	    "VERIFIES" : "DOES NOT VERIFY");
}

static void
explain_diagnosis(struct buf *b, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	if (sr->result == DKIM_RESULT_PASS)
		return;
	buf_puts(b, "  diagnosis:\n");
	switch (sr->reason) {
	case REASON_BODY_HASH_MISMATCH:
		diagnose_body(b, bg, vr, sr);
		if (!sr->header_verified)
			diagnose_header(b, bg, vr, sr);
		return;
	case REASON_SIGNATURE_MISMATCH:
	case REASON_REDACTED:
		diagnose_header(b, bg, vr, sr);
		return;
	case REASON_HEADERS_ONLY:
		buf_puts(b, "    failing step: none that can be checked: the "
		    "body is not in this copy\n");
		if (!sr->header_verified)
			diagnose_header(b, bg, vr, sr);
		return;
	case REASON_KEY_NOT_FOUND:
		buf_puts(b, "    failing step: key lookup\n    cause: key "
		    "rotated away or never published: no record at the "
		    "selector's name (removed after its grace period, or a "
		    "wrong s=/d=)\n");
		return;
	case REASON_KEY_REVOKED:
		buf_puts(b, "    failing step: key record\n    cause: key "
		    "revoked: the publisher emptied p= (rotation completed)\n");
		return;
	case REASON_KEY_TOO_LARGE:
	case REASON_KEY_EXPONENT:
		buf_puts(b, "    failing step: key record\n    cause: the "
		    "published RSA key is outside what fblscope will compute "
		    "with (docs/security.md): no legitimate signer publishes "
		    "it; it costs every verifier time, or is no RSA key at "
		    "all\n");
		return;
	case REASON_EXPIRED:
	case REASON_FUTURE_TIMESTAMP:
		buf_puts(b, "    failing step: signature times\n    cause: "
		    "clock skew or late verification: use --at with the time "
		    "the mail was received (a report's Arrival-Date)\n");
		break;
	case REASON_L_EXCEEDS_BODY:
		buf_puts(b, "    failing step: body length\n    cause: body "
		    "truncated: l= is beyond the end of the body\n");
		return;
	case REASON_DNS_TIMEOUT:
	case REASON_DNS_SERVFAIL:
	case REASON_DNS_MALFORMED:
		buf_puts(b, "    failing step: DNS\n    cause: temporary DNS "
		    "failure: verify again later (never a forgery signal)\n");
		return;
	default:
		buf_printf(b, "    failing step: %s\n", dkim_reason_name(
		    sr->reason));
		break;
	}
	if (sr->header_checked)
		buf_printf(b, "    otherwise the signature %s\n",
		    sr->would_pass ? "WOULD verify" : "would NOT verify either");
}

void
explain_render(struct buf *b, const char *file, const struct verify_result *vr)
{
	struct diag_budget bg;
	size_t	 i;

	diag_budget_init(&bg);
	explain_message(b, file, vr);
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
		explain_diagnosis(b, &bg, vr, sr);
	}
	if (bg.cut)
		buf_printf(b, "note: the diagnosis of this message stopped at "
		    "its work bound (%llu MiB hashed, docs/security.md); the "
		    "remaining experiments were not run\n",
		    (unsigned long long)(DIAG_BUDGET_BYTES >> 20));
	if (vr->nsigs_total == 0)
		buf_puts(b, "verdict: none (no DKIM-Signature)\n");
	buf_putc(b, '\n');
}
