/* SPDX-License-Identifier: ISC */
/* diagnose: experiments that name the cause of a failure; see diagnose.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "verifier/canon.h"
#include "verifier/crypto.h"
#include "verifier/diagnose_local.h"
#include "base/hex.h"

#define DIAG_MAX_LINES	100000	/* prefix trials stop here */

void
diag_budget_init(struct diag_budget *bg)
{
	bg->left = DIAG_BUDGET_BYTES;
	bg->cut = false;
}

bool
diag_spend(struct diag_budget *bg, size_t n)
{
	if (bg->cut || n > bg->left) {
		bg->cut = true;
		return false;
	}
	bg->left -= n;
	return true;
}

/* --- body --- */

/* Hash canonical bytes as the signature would (l= applied). */
static bool
canon_bytes_match(struct diag_budget *bg, const struct dkim_sig *sig,
    const char *p, size_t len)
{
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dl;

	if (sig->has_l && sig->l < len)
		len = (size_t)sig->l;
	if (!diag_spend(bg, len))
		return false;
	return crypto_digest(sig->hash, p, len, d, &dl) &&
	    dl == sig->bh.len && memcmp(d, sig->bh.data, dl) == 0;
}

bool
diag_body_matches(struct diag_budget *bg, const struct dkim_sig *sig,
    enum dkim_canon canon, bool use_l, const char *body, size_t len)
{
	struct body_hash h;

	if (!diag_spend(bg, len))
		return false;
	memset(&h, 0, sizeof(h));
	h.canon = canon;
	h.hash = sig->hash;
	h.has_l = use_l && sig->has_l;
	h.l = sig->l;
	return body_hash_compute(&h, 1, body, len, NULL) && h.ok &&
	    h.digest_len == sig->bh.len &&
	    memcmp(h.digest, sig->bh.data, h.digest_len) == 0;
}

static void
xform_strip_cr(struct buf *out, const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		/* drop a CR that stands before another CR ... LF */
		if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\r')
			continue;
		buf_putc(out, p[i]);
	}
}

enum ws_mode { WS_STRIP, WS_ADD_ALL, WS_ADD_FLOWED };

/* "-- " (RFC 3676 section 4.3), or "--" once its space was stripped */
static bool
is_sig_separator(const char *line, size_t n)
{
	return (n == 2 || n == 3) && memcmp(line, "-- ", n) == 0;
}

static void
xform_whitespace(struct buf *out, const char *body, size_t len,
    enum ws_mode mode)
{
	struct line_iter it, peek;
	const char	*line, *nl;
	size_t		 n, nn;
	bool		 eol, neol, next_text, sig_sep;

	line_iter_init(&it, body, len);
	while (line_iter_next(&it, &line, &n, &eol)) {
		peek = it;
		next_text = line_iter_next(&peek, &nl, &nn, &neol) && nn > 0 &&
		    !is_sig_separator(nl, nn);
		if (mode == WS_STRIP)
			while (n > 0 && (line[n - 1] == ' ' ||
			    line[n - 1] == '\t'))
				n--;
		buf_append(out, line, n);
		sig_sep = is_sig_separator(line, n);
		/* format=flowed: soft breaks and the "-- " separator end in SP */
		if (n > 0 && line[n - 1] != ' ' && (mode == WS_ADD_ALL ||
		    (mode == WS_ADD_FLOWED && (next_text || sig_sep))))
			buf_putc(out, ' ');
		if (eol)
			buf_append(out, "\r\n", 2);
	}
}

static void
xform_qp_decode(struct buf *out, const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (p[i] != '=') {
			buf_putc(out, p[i]);
			continue;
		}
		if (i + 1 < len && p[i + 1] == '\n') {
			i += 1;		/* soft line break */
		} else if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n') {
			i += 2;
		} else if (i + 2 < len && hex_digit(p[i + 1]) >= 0 &&
		    hex_digit(p[i + 2]) >= 0) {
			buf_putc(out, hex_digit(p[i + 1]) * 16 + hex_digit(p[i + 2]));
			i += 2;
		} else
			buf_putc(out, '=');
	}
}

/* Top-level Content-Transfer-Encoding, lower case, or "". */
static void
top_cte(const struct message *m, char *out, size_t outlen)
{
	long	 i = message_find_field(m, "content-transfer-encoding");
	size_t	 n = 0, k;

	out[0] = '\0';
	if (i < 0)
		return;
	for (k = 0; k < m->fields[i].value_len && n + 1 < outlen; k++) {
		char c = m->fields[i].value[k];

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
}

struct body_trial {
	const char	*cause;
	struct buf	 body;
};

static bool
try_raw_variants(struct diag_body *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct dkim_sig *sig)
{
	const struct message *m = &vr->msg;
	struct buf	 v = BUF_INIT;
	char		 cte[32];
	int		 k;
	static const struct {
		enum ws_mode	 mode;
		enum diag_cause	 cause;
	} ws[] = {
		{ WS_ADD_FLOWED, DIAG_BODY_WS_FLOWED },
		{ WS_ADD_ALL, DIAG_BODY_WS_STRIPPED },
		{ WS_STRIP, DIAG_BODY_WS_ADDED },
	};

	if (mem_find(m->body, m->body_len, "\r\r\n", 3) != NULL) {
		xform_strip_cr(&v, m->body, m->body_len);
		if (diag_body_matches(bg, sig, sig->bcanon, true, v.data, v.len))
			o->cause = DIAG_BODY_CR_CR_LF;
	}
	for (k = 0; o->cause == DIAG_NONE && k < 3; k++) {
		buf_reset(&v);
		xform_whitespace(&v, m->body, m->body_len, ws[k].mode);
		if (diag_body_matches(bg, sig, sig->bcanon, true, v.data, v.len))
			o->cause = ws[k].cause;
	}
	top_cte(m, cte, sizeof(cte));
	if (o->cause == DIAG_NONE && strcmp(cte, "quoted-printable") == 0) {
		buf_reset(&v);
		xform_qp_decode(&v, m->body, m->body_len);
		if (diag_body_matches(bg, sig, sig->bcanon, true, v.data, v.len))
			o->cause = DIAG_BODY_QP;
	}
	if (o->cause == DIAG_NONE && strcmp(cte, "base64") == 0) {
		buf_reset(&v);
		if (b64_decode(&v, m->body, m->body_len) &&
		    diag_body_matches(bg, sig, sig->bcanon, true, v.data, v.len))
			o->cause = DIAG_BODY_BASE64;
	}
	o->canon = sig->bcanon == DKIM_CANON_SIMPLE ? DKIM_CANON_RELAXED :
	    DKIM_CANON_SIMPLE;
	if (o->cause == DIAG_NONE && diag_body_matches(bg, sig, o->canon, true,
	    m->body, m->body_len))
		o->cause = DIAG_BODY_CANON;
	if (o->cause == DIAG_NONE && sig->has_l && diag_body_matches(bg, sig,
	    sig->bcanon, false, m->body, m->body_len))
		o->cause = DIAG_BODY_L_SHORT;
	buf_free(&v);
	return o->cause != DIAG_NONE;
}

/* Variants of the canonical body: final CRLF, LF line ends. */
static bool
try_canon_variants(struct diag_body *o, struct diag_budget *bg,
    const struct dkim_sig *sig, const struct buf *canon)
{
	struct buf	 v = BUF_INIT;
	size_t		 i;

	if (canon->len >= 2 && canon_bytes_match(bg, sig, canon->data,
	    canon->len - 2)) {
		o->cause = DIAG_BODY_FINAL_CRLF_ADDED;
		return true;
	}
	buf_append(&v, canon->data, canon->len);
	buf_append(&v, "\r\n", 2);
	if (canon_bytes_match(bg, sig, v.data, v.len))
		o->cause = DIAG_BODY_FINAL_LINE_REMOVED;
	buf_reset(&v);
	for (i = 0; o->cause == DIAG_NONE && i < canon->len; i++)
		if (!(canon->data[i] == '\r' && i + 1 < canon->len &&
		    canon->data[i + 1] == '\n'))
			buf_putc(&v, canon->data[i]);
	if (o->cause == DIAG_NONE && canon_bytes_match(bg, sig, v.data, v.len))
		o->cause = DIAG_BODY_LF_HASHED;
	buf_free(&v);
	return o->cause != DIAG_NONE;
}

/*
 * Content appended after signing: hash each canonical prefix that ends at a
 * non-empty line, with one running context copied at each line end.
 */
static bool
try_prefixes(struct diag_body *o, struct diag_budget *bg,
    const struct dkim_sig *sig, const struct buf *canon)
{
	EVP_MD_CTX	*ctx, *tmp;
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dl;
	size_t		 pos = 0, line = 0, nlines = 0, start;
	bool		 found = false;

	if (sig->has_l || !diag_spend(bg, canon->len))
		return false;
	ctx = EVP_MD_CTX_new();
	tmp = EVP_MD_CTX_new();
	if (ctx == NULL || tmp == NULL ||
	    EVP_DigestInit_ex(ctx, crypto_md(sig->hash), NULL) != 1)
		goto out;
	while (pos < canon->len && nlines++ < DIAG_MAX_LINES && !found) {
		const char *crlf = mem_find(canon->data + pos, canon->len - pos,
		    "\r\n", 2);
		size_t end = crlf ? (size_t)(crlf - canon->data) + 2 :
		    canon->len;

		start = pos;
		EVP_DigestUpdate(ctx, canon->data + pos, end - pos);
		pos = end;
		line++;
		if (end - start <= 2 || pos >= canon->len)
			continue;	/* empty line, or the whole body */
		if (EVP_MD_CTX_copy_ex(tmp, ctx) == 1 &&
		    EVP_DigestFinal_ex(tmp, d, &dl) == 1 &&
		    dl == sig->bh.len && memcmp(d, sig->bh.data, dl) == 0) {
			o->cause = DIAG_BODY_APPENDED;
			o->signed_bytes = pos;
			o->signed_lines = line;
			o->appended_bytes = canon->len - pos;
			o->at_boundary = mem_find(canon->data + pos,
			    canon->len - pos, "--", 2) == canon->data + pos;
			found = true;
		}
	}
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_CTX_free(tmp);
	return found;
}

static bool
has_trailing_ws(const char *body, size_t len)
{
	struct line_iter it;
	const char	*line;
	size_t		 n;
	bool		 eol;

	line_iter_init(&it, body, len);
	while (line_iter_next(&it, &line, &n, &eol))
		if (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			return true;
	return false;
}

static void
diagnose_body(struct diag_body *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	struct body_hash h;
	struct buf	 canon = BUF_INIT;

	memset(&h, 0, sizeof(h));
	h.canon = sig->bcanon;
	h.hash = sig->hash;
	if (!diag_spend(bg, vr->msg.body_len) || !body_hash_compute(&h, 1,
	    vr->msg.body, vr->msg.body_len, &canon))
		goto out;
	if (try_raw_variants(o, bg, vr, sig) ||
	    try_canon_variants(o, bg, sig, &canon) ||
	    try_prefixes(o, bg, sig, &canon) ||
	    diag_body_hypotheses(o, bg, vr, sr) || bg->cut)
		goto out;
	o->cause = DIAG_BODY_CHANGED;
	o->ws_maybe = sig->bcanon == DKIM_CANON_SIMPLE &&
	    !has_trailing_ws(vr->msg.body, vr->msg.body_len);
out:
	buf_free(&canon);
}

/* --- headers --- */

/*
 * The signed fields taken top-down instead of bottom-up: for each h= name
 * the topmost instance not taken yet, found through the index.
 */
static void
fields_top_down(struct buf *out, const struct message *m,
    const struct dkim_sig *sig)
{
	unsigned char	 used[MESSAGE_MAX_FIELDS];
	struct field_index ix;
	size_t		 i, k;
	long		 first;

	if (!field_index_build(&ix, m))
		return;
	memset(used, 0, m->nfields);
	used[sig->field_index] = 1;
	for (i = 0; i < sig->nh; i++) {
		if ((first = field_index_find(&ix, sig->h[i].name,
		    sig->h[i].len)) < 0)
			continue;
		for (k = (size_t)first; k < ix.n && header_name_is(
		    &m->fields[ix.v[k].pos], sig->h[i].name, sig->h[i].len);
		    k++) {
			if (used[ix.v[k].pos])
				continue;
			used[ix.v[k].pos] = 1;
			canon_header(out, sig->hcanon, m->fields[ix.v[k].pos].raw,
			    m->fields[ix.v[k].pos].raw_len);
			break;
		}
	}
	field_index_free(&ix);
}

static bool
header_variant_verifies(struct diag_budget *bg, const struct sig_result *sr,
    const struct buf *blk)
{
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dl;

	return buf_ok(blk) && diag_spend(bg, blk->len) &&
	    crypto_digest(sr->sig.hash, blk->data, blk->len, d, &dl) && crypto_verify(sr->key->key.pkey, sr->sig.alg, d, dl,
	    (const unsigned char *)sr->sig.b.data, sr->sig.b.len) ==
	    CRYPTO_GOOD;
}

static void
sig_field(struct buf *b, const struct dkim_sig *sig, enum dkim_canon c)
{
	canon_sig_header(b, c, sig->field->raw, sig->field->raw_len,
	    sig->b_value_off, sig->b_value_end);
}

/* Decode one z= entry ("name:value", dkim-quoted-printable). */
static void
z_decode(struct buf *out, const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (p[i] == '=' && i + 2 < len && hex_digit(p[i + 1]) >= 0 &&
		    hex_digit(p[i + 2]) >= 0) {
			buf_putc(out, hex_digit(p[i + 1]) * 16 + hex_digit(p[i + 2]));
			i += 2;
		} else if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n')
			buf_putc(out, p[i]);
	}
}

void
diag_keep(struct buf *b, size_t *len, const struct buf *from)
{
	buf_append(b, from->data, from->len > DIAG_SHOW ? DIAG_SHOW :
	    from->len);
	*len = from->len;
}

/* Note one z= entry that differs; false when out of memory. */
static bool
z_differs(struct diag_header *o, const struct buf *was,
    const struct buf *now, bool absent)
{
	struct diag_z	*z;

	if (o->nz % 16 == 0) {
		if ((z = realloc(o->z, (o->nz + 16) * sizeof(*z))) == NULL)
			return false;
		o->z = z;
	}
	z = &o->z[o->nz++];
	memset(z, 0, sizeof(*z));
	diag_keep(&z->was, &z->was_len, was);
	diag_keep(&z->now, &z->now_len, now);
	z->absent = absent;
	return true;
}

/*
 * Compare the z= copies with the fields now in the message (relaxed form);
 * true when some differ.  Fields are found through an index (one scan of
 * the header, not one per entry: an attacker chooses how many entries
 * there are), at most DIAG_MAX_Z entries are compared, each within the
 * budget.
 */
static bool
try_z(struct diag_header *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	const char	*p, *end, *bar, *colon;
	struct buf	 entry = BUF_INIT, now = BUF_INIT, was = BUF_INIT;
	struct field_index ix;
	size_t		 seen = 0;
	long		 k;

	if (sig->z == NULL || !field_index_build(&ix, &vr->msg))
		return false;
	p = sig->z;
	end = p + strlen(p);
	for (; p < end && seen < DIAG_MAX_Z; p = bar + 1) {
		if ((bar = memchr(p, '|', (size_t)(end - p))) == NULL)
			bar = end;
		if (!diag_spend(bg, (size_t)(bar - p)))
			break;
		buf_reset(&entry);
		z_decode(&entry, p, (size_t)(bar - p));
		if (entry.len == 0 || (colon = memchr(entry.data, ':',
		    entry.len)) == NULL)
			continue;
		seen++;
		k = field_index_find(&ix, entry.data,
		    (size_t)(colon - entry.data));
		buf_reset(&was);
		canon_header(&was, DKIM_CANON_RELAXED, entry.data, entry.len);
		buf_reset(&now);
		if (k >= 0)
			canon_header(&now, DKIM_CANON_RELAXED,
			    vr->msg.fields[ix.v[k].pos].raw,
			    vr->msg.fields[ix.v[k].pos].raw_len);
		if (was.len == now.len && memcmp(was.data, now.data,
		    was.len) == 0)
			continue;
		if (!z_differs(o, &was, &now, k < 0))
			break;
	}
	o->z_more = p < end && seen == DIAG_MAX_Z;
	field_index_free(&ix);
	buf_free(&entry);
	buf_free(&now);
	buf_free(&was);
	if (o->nz > 0)
		o->variant_cause = DIAG_HDR_Z;
	return o->nz > 0;
}

static bool
try_header_variants(struct diag_header *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	struct buf	 blk = BUF_INIT;

	o->canon = sig->hcanon == DKIM_CANON_SIMPLE ? DKIM_CANON_RELAXED :
	    DKIM_CANON_SIMPLE;
	canon_signed_fields(&blk, &vr->msg, sig->h, sig->nh, o->canon,
	    (long)sig->field_index);
	sig_field(&blk, sig, o->canon);
	if (header_variant_verifies(bg, sr, &blk))
		o->variant_cause = DIAG_HDR_CANON;
	buf_reset(&blk);
	if (o->variant_cause == DIAG_NONE) {
		fields_top_down(&blk, &vr->msg, sig);
		sig_field(&blk, sig, sig->hcanon);
		if (header_variant_verifies(bg, sr, &blk))
			o->variant_cause = DIAG_HDR_TOPMOST;
	}
	buf_free(&blk);
	return o->variant_cause != DIAG_NONE;
}

static void
recover_evidence(struct diag_header *o, const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;

	o->recovered = crypto_rsa_recover(sr->key->key.pkey,
	    (const unsigned char *)sig->b.data, sig->b.len, &o->rec_hash,
	    o->digest, sizeof(o->digest), &o->digest_len);
	switch (o->recovered) {
	case RECOVER_DIGEST:
		o->recover_cause = o->rec_hash != sig->hash ?
		    DIAG_HDR_HASH_ALG : DIAG_HDR_CHANGED;
		break;
	case RECOVER_BAD_PADDING:
		o->recover_cause = DIAG_NOT_SIGNING_KEY;
		break;
	case RECOVER_BAD_LENGTH:
		o->recover_cause = DIAG_B_TOO_LONG;
		break;
	case RECOVER_NOT_RSA:
		break;
	}
}

enum diag_cause
diag_cause_of_key(const struct sig_result *sr)
{
	struct diag_header h;

	if (sr->result == DKIM_RESULT_PASS ||
	    sr->reason != REASON_SIGNATURE_MISMATCH || sr->key == NULL ||
	    sr->key->key.pkey == NULL || sr->sig.alg == DKIM_ALG_ED25519_SHA256)
		return DIAG_NONE;
	memset(&h, 0, sizeof(h));
	recover_evidence(&h, sr);
	return h.recover_cause;
}

static void
diagnose_header(struct diag_header *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	if (sr->key == NULL || sr->key->key.pkey == NULL)
		return;
	o->keyed = true;
	if (sr->sig.alg != DKIM_ALG_ED25519_SHA256)
		recover_evidence(o, sr);
	else
		o->ed25519 = true;
	if (try_header_variants(o, bg, vr, sr) || try_z(o, bg, vr, sr))
		return;
	if (sr->reason == REASON_REDACTED)
		o->variant_cause = DIAG_REDACTED;
	else
		diag_header_hypotheses(o, bg, vr, sr);
}

enum diag_cause
diag_header_cause(const struct diag_header *h)
{
	return h->variant_cause != DIAG_NONE ? h->variant_cause :
	    h->recover_cause;
}

/* --- one signature, one message --- */

static void
add_step(struct sig_diag *d, enum diag_step st)
{
	if (d->nsteps < DIAG_MAX_STEPS)
		d->steps[d->nsteps++] = st;
}

/* A step found by the verdict alone: its cause, and "otherwise". */
static bool
verdict_step(struct sig_diag *d, const struct sig_result *sr)
{
	static const struct {
		enum dkim_reason reason;
		enum diag_step	 step;
		enum diag_cause	 cause;
	} known[] = {
		{ REASON_KEY_NOT_FOUND, DSTEP_KEY_LOOKUP, DIAG_KEY_NOT_FOUND },
		{ REASON_KEY_REVOKED, DSTEP_KEY_RECORD, DIAG_KEY_REVOKED },
		{ REASON_KEY_TOO_LARGE, DSTEP_KEY_RECORD, DIAG_KEY_UNUSABLE },
		{ REASON_KEY_EXPONENT, DSTEP_KEY_RECORD, DIAG_KEY_UNUSABLE },
		{ REASON_EXPIRED, DSTEP_TIMES, DIAG_CLOCK },
		{ REASON_FUTURE_TIMESTAMP, DSTEP_TIMES, DIAG_CLOCK },
		{ REASON_L_EXCEEDS_BODY, DSTEP_BODY_LENGTH,
		    DIAG_BODY_TRUNCATED },
		{ REASON_DNS_TIMEOUT, DSTEP_DNS, DIAG_DNS_TEMPORARY },
		{ REASON_DNS_SERVFAIL, DSTEP_DNS, DIAG_DNS_TEMPORARY },
		{ REASON_DNS_MALFORMED, DSTEP_DNS, DIAG_DNS_TEMPORARY },
	};
	size_t	 i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i].reason == sr->reason) {
			add_step(d, known[i].step);
			d->step_cause = known[i].cause;
			d->otherwise = d->step_cause == DIAG_CLOCK &&
			    sr->header_checked;
			return true;
		}
	add_step(d, DSTEP_REASON);
	d->step_cause = DIAG_VERDICT;
	d->otherwise = sr->header_checked;
	return false;
}

/* The conclusion: a transform found beats "changed", body before header. */
static enum diag_cause
conclude(const struct sig_diag *d)
{
	enum diag_cause hc = d->header_run ? diag_header_cause(&d->header) :
	    DIAG_NONE;

	if (d->step_cause != DIAG_NONE)
		return d->step_cause;
	if (d->body_run && d->body.cause != DIAG_NONE &&
	    d->body.cause != DIAG_BODY_CHANGED)
		return d->body.cause;
	if (hc != DIAG_NONE)
		return hc;
	if (d->body_run && d->body.cause != DIAG_NONE)
		return d->body.cause;
	if (d->nsteps > 0 && d->steps[0] == DSTEP_NOT_CHECKABLE)
		return DIAG_BODY_ABSENT;
	return DIAG_UNKNOWN;
}

static void
diagnose_sig(struct sig_diag *d, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	if (sr->result == DKIM_RESULT_PASS)
		return;
	d->run = true;
	switch (sr->reason) {
	case REASON_BODY_HASH_MISMATCH:
		add_step(d, DSTEP_BODY_HASH);
		d->body_run = true;
		diagnose_body(&d->body, bg, vr, sr);
		d->header_run = !sr->header_verified;
		break;
	case REASON_SIGNATURE_MISMATCH:
	case REASON_REDACTED:
		d->header_run = true;
		break;
	case REASON_HEADERS_ONLY:
		add_step(d, DSTEP_NOT_CHECKABLE);
		d->header_run = !sr->header_verified;
		break;
	default:
		verdict_step(d, sr);
		break;
	}
	if (d->header_run) {
		add_step(d, DSTEP_HEADER_SIGNATURE);
		diagnose_header(&d->header, bg, vr, sr);
	}
	d->cause = conclude(d);
}

bool
diagnosis_make(struct diagnosis *dg, const struct verify_result *vr)
{
	struct diag_budget bg;

	diag_budget_init(&bg);
	return diagnosis_make_within(dg, vr, &bg);
}

bool
diagnosis_make_within(struct diagnosis *dg, const struct verify_result *vr,
    struct diag_budget *bg)
{
	size_t	 i;

	memset(dg, 0, sizeof(*dg));
	if (vr->nsigs == 0)
		return true;
	if ((dg->sigs = calloc(vr->nsigs, sizeof(*dg->sigs))) == NULL)
		return false;
	dg->nsigs = vr->nsigs;
	for (i = 0; i < vr->nsigs; i++)
		diagnose_sig(&dg->sigs[i], bg, vr, &vr->sigs[i]);
	dg->cut = bg->cut;
	for (i = 0; i < dg->nsigs; i++)
		if (dg->sigs[i].header.nz > 0 &&
		    !buf_ok(&dg->sigs[i].header.z[dg->sigs[i].header.nz - 1].now))
			return false;
	return true;
}

void
diagnosis_free(struct diagnosis *dg)
{
	size_t	 i, k;

	for (i = 0; i < dg->nsigs; i++) {
		struct diag_header *h = &dg->sigs[i].header;

		for (k = 0; k < h->nz; k++) {
			buf_free(&h->z[k].was);
			buf_free(&h->z[k].now);
		}
		for (k = 0; k < h->nrw; k++) {
			buf_free(&h->rw[k].was);
			buf_free(&h->rw[k].now);
		}
		free(h->z);
	}
	free(dg->sigs);
	memset(dg, 0, sizeof(*dg));
}
