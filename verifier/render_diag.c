/* SPDX-License-Identifier: ISC */
/*
 * render_diag: the diagnosis and trace of --explain in JSON, and its
 * conclusion as an Authentication-Results comment; see render.h.  The text
 * form is explain.c; all three read one struct sig_diag.
 */
#include <string.h>

#include "base/json.h"
#include "verifier/explain.h"
#include "verifier/render.h"

static void
json_kv_hex(struct buf *b, const char *key, const void *p, size_t len,
    bool *first)
{
	struct buf	 h = BUF_INIT;

	if (len == 0) {
		json_kv_null(b, key, first);
		return;
	}
	buf_put_hex(&h, p, len);
	json_key(b, key, first);
	json_str(b, h.data, h.len);
	buf_free(&h);
}

static void
json_kv_cause(struct buf *b, const char *name_key, const char *text_key,
    enum diag_cause c, const struct sig_result *sr, const struct sig_diag *d,
    bool *first)
{
	struct buf	 t = BUF_INIT;

	if (c == DIAG_NONE) {
		json_kv_null(b, name_key, first);
		if (text_key != NULL)
			json_kv_null(b, text_key, first);
		return;
	}
	json_kv_str(b, name_key, diag_cause_name(c), first);
	if (text_key == NULL)
		return;
	diag_cause_text(&t, c, sr, d);
	json_key(b, text_key, first);
	json_str(b, t.data ? t.data : "", t.len);
	buf_free(&t);
}

/* The signed header block, as explain shows it (explain.h bounds). */
static void
json_block(struct buf *b, const struct sig_result *sr, bool *first)
{
	struct explain_block it;
	const char	*line;
	size_t		 shown, more, n = 0;
	bool		 cut = false;

	json_key(b, "signed_header_lines", first);
	buf_putc(b, '[');
	explain_block_begin(&it, sr);
	while (explain_block_next(&it, &line, &shown, &more)) {
		if (n++ > 0)
			buf_putc(b, ',');
		if (more == 0 && shown >= 2 && line[shown - 2] == '\r' &&
		    line[shown - 1] == '\n')
			shown -= 2;
		json_str(b, line, shown);
		cut = cut || more > 0;
	}
	buf_putc(b, ']');
	json_kv_bool(b, "signed_header_lines_cut", cut ||
	    explain_block_rest(&it) > 0, first);
	json_kv_uint(b, "signed_header_block_bytes", sr->canon_headers_len,
	    first);
}

static void
json_trace(struct buf *b, const struct sig_result *sr, bool *first)
{
	const struct body_hash *h = sr->body;
	bool	 hashed = h != NULL && h->ok, f = true;

	json_key(b, "trace", first);
	buf_putc(b, '{');
	json_kv_hex(b, "body_hash_declared", sr->sig.bh.data, sr->sig.bh.len,
	    &f);
	json_kv_hex(b, "body_hash_computed", hashed ? h->digest : NULL,
	    hashed ? h->digest_len : 0, &f);
	if (hashed) {
		json_kv_uint(b, "canonical_body_bytes", h->canon_len, &f);
		json_kv_uint(b, "hashed_body_bytes", h->hashed, &f);
	} else {
		json_kv_null(b, "canonical_body_bytes", &f);
		json_kv_null(b, "hashed_body_bytes", &f);
	}
	json_kv_hex(b, "header_hash", sr->hdigest, sr->hdigest_len, &f);
	json_block(b, sr, &f);
	buf_putc(b, '}');
}

static void
json_hypotheses(struct buf *b, bool run, size_t n, bool cut, bool *first)
{
	if (run)
		json_kv_uint(b, "hypotheses", n, first);
	else
		json_kv_null(b, "hypotheses", first);
	json_kv_bool(b, "hypotheses_cut", cut, first);
}

static void
json_mime(struct buf *b, const struct diag_body *bd, bool *first)
{
	size_t	 i;
	bool	 f;

	json_key(b, "mime", first);
	buf_putc(b, '[');
	for (i = 0; i < bd->nparts; i++) {
		if (i > 0)
			buf_putc(b, ',');
		f = true;
		buf_putc(b, '{');
		json_kv_str(b, "path", bd->parts[i].path, &f);
		json_kv_str(b, "content_type", bd->parts[i].type, &f);
		json_kv_str(b, "transform",
		    diag_xform_name(bd->parts[i].xform), &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_hypotheses(b, bd->hypotheses_run, bd->hypotheses,
	    bd->hypotheses_cut, first);
}

static void
json_diag_body(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d, bool *first)
{
	const struct diag_body *bd = &d->body;
	bool	 f = true, app = bd->cause == DIAG_BODY_APPENDED;

	json_key(b, "body", first);
	if (!d->body_run) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '{');
	json_kv_cause(b, "cause", "text", bd->cause, sr, d, &f);
	if (app) {
		json_kv_uint(b, "signed_bytes", bd->signed_bytes, &f);
		json_kv_uint(b, "appended_bytes", bd->appended_bytes, &f);
		json_kv_bool(b, "at_mime_boundary", bd->at_boundary, &f);
	} else {
		json_kv_null(b, "signed_bytes", &f);
		json_kv_null(b, "appended_bytes", &f);
		json_kv_null(b, "at_mime_boundary", &f);
	}
	json_kv_cause(b, "possible_cause", NULL, bd->ws_maybe ?
	    DIAG_BODY_WS_MAYBE : DIAG_NONE, sr, d, &f);
	json_mime(b, bd, &f);
	buf_putc(b, '}');
}

static const char *
recovered_name(const struct diag_header *h)
{
	if (!h->keyed)
		return "no-key";
	if (h->ed25519)
		return "ed25519";
	switch (h->recovered) {
	case RECOVER_DIGEST:
		return "digest";
	case RECOVER_BAD_PADDING:
		return "bad-padding";
	case RECOVER_BAD_LENGTH:
		return "bad-length";
	default:
		return "not-rsa";
	}
}

static void
json_z(struct buf *b, const struct diag_header *h, bool *first)
{
	size_t	 i;
	bool	 f;

	json_key(b, "z_differences", first);
	buf_putc(b, '[');
	for (i = 0; i < h->nz; i++) {
		if (i > 0)
			buf_putc(b, ',');
		f = true;
		buf_putc(b, '{');
		json_key(b, "signed", &f);
		json_str(b, h->z[i].was.data ? h->z[i].was.data : "",
		    h->z[i].was.len);
		json_kv_uint(b, "signed_bytes", h->z[i].was_len, &f);
		json_key(b, "now", &f);
		if (h->z[i].absent)
			buf_puts(b, "null");
		else
			json_str(b, h->z[i].now.data ? h->z[i].now.data : "",
			    h->z[i].now.len);
		json_kv_uint(b, "now_bytes", h->z[i].now_len, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_kv_bool(b, "z_more", h->z_more, first);
}

static void
json_rewritten(struct buf *b, const struct diag_header *h, bool *first)
{
	size_t	 i, k;
	bool	 f;

	json_key(b, "rewritten", first);
	buf_putc(b, '[');
	for (i = 0; i < h->nrw; i++) {
		const struct diag_rewrite *rw = &h->rw[i];

		if (i > 0)
			buf_putc(b, ',');
		f = true;
		buf_putc(b, '{');
		json_kv_str(b, "field", rw->field, &f);
		json_kv_str(b, "transform", diag_xform_name(rw->xform), &f);
		json_key(b, "signed", &f);
		if (rw->was_absent)
			buf_puts(b, "null");
		else
			json_str(b, rw->was.data ? rw->was.data : "",
			    rw->was.len);
		json_kv_uint(b, "signed_bytes", rw->was_len, &f);
		json_key(b, "now", &f);
		json_str(b, rw->now.data ? rw->now.data : "", rw->now.len);
		json_kv_uint(b, "now_bytes", rw->now_len, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_key(b, "candidates", first);
	buf_putc(b, '[');
	for (k = 0; k < h->ncand; k++) {
		if (k > 0)
			buf_putc(b, ',');
		f = true;
		buf_putc(b, '{');
		json_kv_str(b, "field", h->cand[k].field, &f);
		json_kv_str(b, "why", diag_why_name(h->cand[k].why), &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_hypotheses(b, h->hypotheses_run, h->hypotheses,
	    h->hypotheses_cut, first);
}

static void
json_diag_header(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d, bool *first)
{
	const struct diag_header *h = &d->header;
	bool	 f = true, dig = h->keyed && !h->ed25519 &&
	    h->recovered == RECOVER_DIGEST;

	json_key(b, "header", first);
	if (!d->header_run) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '{');
	json_kv_str(b, "recovered", recovered_name(h), &f);
	json_kv_str(b, "recovered_hash", !dig ? NULL :
	    h->rec_hash == DKIM_HASH_SHA1 ? "sha1" : "sha256", &f);
	json_kv_hex(b, "recovered_digest", h->digest, dig ? h->digest_len : 0,
	    &f);
	if (dig || (h->keyed && !h->ed25519 &&
	    h->recover_cause != DIAG_NONE))
		json_kv_bool(b, "signing_key", dig, &f);
	else
		json_kv_null(b, "signing_key", &f);
	json_kv_cause(b, "recovered_cause", NULL, h->recover_cause, sr, d, &f);
	json_kv_cause(b, "cause", "text", diag_header_cause(h), sr, d, &f);
	json_z(b, h, &f);
	json_rewritten(b, h, &f);
	buf_putc(b, '}');
}

void
render_json_diag(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d, bool *first)
{
	size_t	 i;
	bool	 f = true;

	json_trace(b, sr, first);
	json_key(b, "diagnosis", first);
	if (!d->run) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '{');
	json_key(b, "steps", &f);
	buf_putc(b, '[');
	for (i = 0; i < d->nsteps; i++) {
		if (i > 0)
			buf_putc(b, ',');
		json_cstr(b, diag_step_name(d->steps[i], sr));
	}
	buf_putc(b, ']');
	json_diag_body(b, sr, d, &f);
	json_diag_header(b, sr, d, &f);
	json_kv_cause(b, "cause", "conclusion", d->cause, sr, d, &f);
	if (d->otherwise)
		json_kv_bool(b, "otherwise_would_pass", sr->would_pass, &f);
	else
		json_kv_null(b, "otherwise_would_pass", &f);
	buf_putc(b, '}');
}

/*
 * An RFC 5322 comment: parentheses and backslashes quoted, only printable
 * US-ASCII kept, at most EXPLAIN_MAX_LINE bytes of the sentence.
 */
void
render_ar_diag(struct buf *b, const struct sig_result *sr,
    const struct sig_diag *d)
{
	struct buf	 t = BUF_INIT;
	size_t		 i, n;

	if (!d->run)
		return;
	diag_cause_text(&t, d->cause, sr, d);
	buf_printf(b, " (diagnosis: %s: ", diag_cause_name(d->cause));
	n = t.len > EXPLAIN_MAX_LINE ? EXPLAIN_MAX_LINE : t.len;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t.data[i];

		if (c < 32 || c > 126)
			continue;
		if (c == '(' || c == ')' || c == '\\')
			buf_putc(b, '\\');
		buf_putc(b, (char)c);
	}
	if (t.len > n)
		buf_puts(b, "...");
	buf_putc(b, ')');
	buf_free(&t);
}
