/* SPDX-License-Identifier: ISC */
/* diagnose: experiments that name the cause of a failure; see diagnose.h. */
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "verifier/canon.h"
#include "verifier/crypto.h"
#include "verifier/diagnose.h"
#include "base/hex.h"

#define DIAG_MAX_LINES	100000	/* prefix trials stop here */
#define DIAG_SHOW	512	/* bytes of a field value shown */

void
diag_budget_init(struct diag_budget *bg)
{
	bg->left = DIAG_BUDGET_BYTES;
	bg->cut = false;
}

/* May a trial over n bytes run?  Spends them when it may. */
static bool
spend(struct diag_budget *bg, size_t n)
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
	if (!spend(bg, len))
		return false;
	return crypto_digest(sig->hash, p, len, d, &dl) &&
	    dl == sig->bh.len && memcmp(d, sig->bh.data, dl) == 0;
}

/* Canonicalize body with canon and compare with bh=. */
static bool
body_matches(struct diag_budget *bg, const struct dkim_sig *sig,
    enum dkim_canon canon, bool use_l, const char *body, size_t len)
{
	struct body_hash h;

	if (!spend(bg, len))
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
try_raw_variants(struct buf *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct dkim_sig *sig)
{
	const struct message *m = &vr->msg;
	struct buf	 v = BUF_INIT;
	char		 cte[32];
	bool		 found = false;
	int		 k;
	static const struct {
		enum ws_mode	 mode;
		const char	*cause;
	} ws[] = {
		{ WS_ADD_FLOWED, "trailing whitespace stripped: restoring the "
		    "space at the end of each soft-broken line (format=flowed) "
		    "reproduces bh=; a gateway stripped trailing whitespace, "
		    "which c=.../simple does not survive" },
		{ WS_ADD_ALL, "trailing whitespace stripped: restoring a space "
		    "at the end of every line reproduces bh=" },
		{ WS_STRIP, "trailing whitespace added in transit: removing it "
		    "reproduces bh=" },
	};

	if (mem_find(m->body, m->body_len, "\r\r\n", 3) != NULL) {
		xform_strip_cr(&v, m->body, m->body_len);
		if (body_matches(bg, sig, sig->bcanon, true, v.data, v.len)) {
			buf_puts(o, "    cause: line endings rewritten: a gateway "
			    "turned CRLF into CR CR LF; removing the extra CR "
			    "reproduces bh=\n");
			found = true;
		}
	}
	for (k = 0; !found && k < 3; k++) {
		buf_reset(&v);
		xform_whitespace(&v, m->body, m->body_len, ws[k].mode);
		if (body_matches(bg, sig, sig->bcanon, true, v.data, v.len)) {
			buf_printf(o, "    cause: %s\n", ws[k].cause);
			found = true;
		}
	}
	top_cte(m, cte, sizeof(cte));
	if (!found && strcmp(cte, "quoted-printable") == 0) {
		buf_reset(&v);
		xform_qp_decode(&v, m->body, m->body_len);
		if (body_matches(bg, sig, sig->bcanon, true, v.data, v.len)) {
			buf_puts(o, "    cause: body re-encoded as "
			    "quoted-printable in transit (8BITMIME downgrade); "
			    "the decoded body reproduces bh=\n");
			found = true;
		}
	}
	if (!found && strcmp(cte, "base64") == 0) {
		buf_reset(&v);
		if (b64_decode(&v, m->body, m->body_len) &&
		    body_matches(bg, sig, sig->bcanon, true, v.data, v.len)) {
			buf_puts(o, "    cause: body re-encoded as base64 in "
			    "transit; the decoded body reproduces bh=\n");
			found = true;
		}
	}
	if (!found && body_matches(bg, sig, sig->bcanon == DKIM_CANON_SIMPLE ?
	    DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE, true, m->body,
	    m->body_len)) {
		buf_printf(o, "    cause: the signer hashed the body with %s "
		    "canonicalization but declared c=.../%s\n",
		    sig->bcanon == DKIM_CANON_SIMPLE ? "relaxed" : "simple",
		    dkim_canon_name(sig->bcanon));
		found = true;
	}
	if (!found && sig->has_l && body_matches(bg, sig, sig->bcanon, false,
	    m->body, m->body_len)) {
		buf_puts(o, "    cause: the signer hashed the whole body but "
		    "declared a shorter l=\n");
		found = true;
	}
	buf_free(&v);
	return found;
}

/* Variants of the canonical body: final CRLF, LF line ends. */
static bool
try_canon_variants(struct buf *o, struct diag_budget *bg,
    const struct dkim_sig *sig, const struct buf *canon)
{
	struct buf	 v = BUF_INIT;
	size_t		 i;
	bool		 found = false;

	if (canon->len >= 2 && canon_bytes_match(bg, sig, canon->data,
	    canon->len - 2)) {
		buf_puts(o, "    cause: a final CRLF was added after signing "
		    "(or the signer hashed the body without its last line "
		    "break)\n");
		return true;
	}
	buf_append(&v, canon->data, canon->len);
	buf_append(&v, "\r\n", 2);
	if (canon_bytes_match(bg, sig, v.data, v.len)) {
		buf_puts(o, "    cause: a final empty line was removed after "
		    "signing (or the signer hashed an extra CRLF)\n");
		found = true;
	}
	buf_reset(&v);
	for (i = 0; !found && i < canon->len; i++)
		if (!(canon->data[i] == '\r' && i + 1 < canon->len &&
		    canon->data[i + 1] == '\n'))
			buf_putc(&v, canon->data[i]);
	if (!found && canon_bytes_match(bg, sig, v.data, v.len)) {
		buf_puts(o, "    cause: line endings: the signer hashed bare LF "
		    "line ends instead of CRLF\n");
		found = true;
	}
	buf_free(&v);
	return found;
}

/*
 * Content appended after signing: hash each canonical prefix that ends at a
 * non-empty line, with one running context copied at each line end.
 */
static bool
try_prefixes(struct buf *o, struct diag_budget *bg,
    const struct dkim_sig *sig, const struct buf *canon)
{
	EVP_MD_CTX	*ctx, *tmp;
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dl;
	size_t		 pos = 0, line = 0, nlines = 0, start;
	bool		 found = false;

	if (sig->has_l || !spend(bg, canon->len))
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
			buf_printf(o, "    cause: content appended after signing: "
			    "the first %zu canonical bytes (%zu lines) reproduce "
			    "bh=; %zu bytes were added after them (a footer or "
			    "disclaimer added by a list or gateway)%s\n", pos,
			    line, canon->len - pos,
			    mem_find(canon->data + pos, canon->len - pos, "--", 2)
			    == canon->data + pos ? ", starting at a MIME "
			    "boundary" : "");
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

void
diagnose_body(struct buf *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	struct body_hash h;
	struct buf	 canon = BUF_INIT;

	buf_puts(o, "    failing step: body hash (bh=)\n");
	memset(&h, 0, sizeof(h));
	h.canon = sig->bcanon;
	h.hash = sig->hash;
	if (!spend(bg, vr->msg.body_len) || !body_hash_compute(&h, 1,
	    vr->msg.body, vr->msg.body_len, &canon))
		goto out;
	if (try_raw_variants(o, bg, vr, sig) ||
	    try_canon_variants(o, bg, sig, &canon) ||
	    try_prefixes(o, bg, sig, &canon) || bg->cut)
		goto out;
	buf_printf(o, "    cause: body modified after signing: none of the "
	    "usual transport damages (CR CR LF, trailing whitespace, final "
	    "CRLF, other canonicalization, quoted-printable/base64 re-encoding, "
	    "appended content) reproduces bh=, so the content itself "
	    "changed%s\n", sr->header_verified ? " (the header signature "
	    "verifies, so key and headers are right)" : "");
	if (sig->bcanon == DKIM_CANON_SIMPLE &&
	    !has_trailing_ws(vr->msg.body, vr->msg.body_len))
		buf_puts(o, "    possible cause instead: trailing whitespace "
		    "stripped: "
		    "no line of this body ends in whitespace, and c=.../simple "
		    "does not survive a gateway that strips it; the exact "
		    "whitespace could not be restored\n");
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

	return buf_ok(blk) && spend(bg, blk->len) && crypto_digest(sr->sig.hash, blk->data, blk->len,
	    d, &dl) && crypto_verify(sr->key->key.pkey, sr->sig.alg, d, dl,
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

/* The value of one z= entry as shown: at most EXPLAIN_SHOW bytes. */
static void
put_shown(struct buf *o, const char *p, size_t len)
{
	buf_put_visible(o, p, len > DIAG_SHOW ? DIAG_SHOW : len);
	if (len > DIAG_SHOW)
		buf_printf(o, "... (%zu bytes more)", len - DIAG_SHOW);
}

/*
 * Compare the z= copies with the fields now in the message (relaxed form);
 * true when some differ.  Fields are found through an index (one scan of
 * the header, not one per entry: an attacker chooses how many entries
 * there are), at most DIAG_MAX_Z entries are compared, each within the
 * budget.
 */
static bool
try_z(struct buf *o, struct diag_budget *bg, const struct verify_result *vr,
    const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	const char	*p, *end, *bar, *colon;
	struct buf	 entry = BUF_INIT, now = BUF_INIT, was = BUF_INIT;
	struct field_index ix;
	size_t		 changed = 0, seen = 0;
	long		 k;

	if (sig->z == NULL || !field_index_build(&ix, &vr->msg))
		return false;
	p = sig->z;
	end = p + strlen(p);
	for (; p < end && seen < DIAG_MAX_Z; p = bar + 1) {
		if ((bar = memchr(p, '|', (size_t)(end - p))) == NULL)
			bar = end;
		if (!spend(bg, (size_t)(bar - p)))
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
		buf_puts(o, "    evidence: z= says the signer saw  ");
		put_shown(o, was.data, was.len);
		buf_puts(o, "\n              the message now has  ");
		if (k >= 0)
			put_shown(o, now.data, now.len);
		else
			buf_puts(o, "(no such field)");
		buf_putc(o, '\n');
		changed++;
	}
	if (p < end && seen == DIAG_MAX_Z)
		buf_printf(o, "    note: z= holds more entries; the first %d "
		    "were compared\n", DIAG_MAX_Z);
	field_index_free(&ix);
	buf_free(&entry);
	buf_free(&now);
	buf_free(&was);
	if (changed > 0)
		buf_printf(o, "    cause: headers changed: %zu signed field%s "
		    "differ from the z= copy\n", changed, changed > 1 ? "s" :
		    "");
	return changed > 0;
}

static bool
try_header_variants(struct buf *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	enum dkim_canon	 other = sig->hcanon == DKIM_CANON_SIMPLE ?
			    DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
	struct buf	 blk = BUF_INIT;
	bool		 found = false;

	canon_signed_fields(&blk, &vr->msg, sig->h, sig->nh, other,
	    (long)sig->field_index);
	sig_field(&blk, sig, other);
	if (header_variant_verifies(bg, sr, &blk)) {
		buf_printf(o, "    cause: the signer hashed the headers with %s "
		    "canonicalization but declared c=%s/...\n",
		    dkim_canon_name(other), dkim_canon_name(sig->hcanon));
		found = true;
	}
	buf_reset(&blk);
	if (!found) {
		fields_top_down(&blk, &vr->msg, sig);
		sig_field(&blk, sig, sig->hcanon);
		if (header_variant_verifies(bg, sr, &blk)) {
			buf_puts(o, "    cause: a signed field name occurs more "
			    "than once and the signer took the topmost instead "
			    "of the bottom one (RFC 6376 section 5.4.2), or a "
			    "duplicate was added below the signed one\n");
			found = true;
		}
	}
	buf_free(&blk);
	return found;
}

static void
recover_evidence(struct buf *o, const struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	unsigned char	 d[64];
	size_t		 dl = 0;
	enum dkim_hash	 h;

	switch (crypto_rsa_recover(sr->key->key.pkey,
	    (const unsigned char *)sig->b.data, sig->b.len, &h, d, sizeof(d),
	    &dl)) {
	case RECOVER_DIGEST:
		buf_puts(o, "    evidence: the signature opens with the public "
		    "key to a well-formed DigestInfo (");
		buf_puts(o, h == DKIM_HASH_SHA1 ? "sha1 " : "sha256 ");
		buf_put_hex(o, d, dl);
		buf_puts(o, "): the key IS the one that signed\n");
		if (h != sig->hash)
			buf_printf(o, "    cause: the signer used %s but declared "
			    "a=%s\n", h == DKIM_HASH_SHA1 ? "sha1" : "sha256",
			    sig->a);
		else
			buf_puts(o, "    cause: headers changed: the signed "
			    "header data differ from what was signed (a signed "
			    "field was altered, added or refolded)\n");
		break;
	case RECOVER_BAD_PADDING:
		buf_puts(o, "    evidence: opening the signature with the public "
		    "key gives bad padding, not a DigestInfo\n");
		buf_puts(o, "    cause: not the signing key: the key published "
		    "now is not the one that made this signature (key rotated "
		    "under the same selector, wrong selector or record, or b= "
		    "damaged)\n");
		break;
	case RECOVER_BAD_LENGTH:
		buf_printf(o, "    cause: b= holds %zu bytes, more than the "
		    "%d-byte modulus of the key: not the signing key, or b= "
		    "damaged\n", sig->b.len, EVP_PKEY_get_size(sr->key->key.pkey));
		break;
	case RECOVER_NOT_RSA:
		break;
	}
}

void
diagnose_header(struct buf *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	buf_puts(o, "    failing step: header signature (b=)\n");
	if (sr->key == NULL || sr->key->key.pkey == NULL)
		return;
	if (sr->sig.alg != DKIM_ALG_ED25519_SHA256)
		recover_evidence(o, sr);
	else
		buf_puts(o, "    note: an ed25519 signature cannot tell a "
		    "changed header from a different key\n");
	if (try_header_variants(o, bg, vr, sr) || try_z(o, bg, vr, sr))
		return;
	if (sr->reason == REASON_REDACTED)
		buf_puts(o, "    cause: redacted: the report's sender altered a "
		    "signed recipient field (To/Cc) to hide the complainant\n");
}
