/* SPDX-License-Identifier: ISC */
/* render: text, JSON Lines and Authentication-Results; see render.h. */
#include <string.h>

#include "base/json.h"
#include "verifier/render.h"

const char *
verify_summary_word(const struct verify_result *vr)
{
	if (vr->nsigs_total == 0)
		return "none";
	return verify_all_pass(vr) ? "pass" : "fail";
}

void
render_l_warning(struct buf *b, const char *before,
    const struct sig_result *sr, const char *after)
{
	uint64_t	 n;

	if (sig_l_warns(sr, &n))
		buf_printf(b, "%sl= leaves %llu bytes of the body unsigned%s",
		    before, (unsigned long long)n, after);
}

void
render_inner(struct buf *b, const char *before, const struct render_extra *ex,
    const char *after)
{
	if (ex == NULL || ex->inner_kind == NULL)
		return;
	buf_printf(b, "%soriginal of a feedback report (%s), given as %s%s",
	    before, ex->inner_kind, ex->inner_form, after);
}

void
render_text(struct buf *b, const char *file, const struct verify_result *vr,
    const struct render_extra *ex)
{
	size_t	 i;

	/* every string from the message is made visible: one line each */
	if (ex != NULL && ex->inner_kind != NULL) {
		buf_put_safe(b, file);
		render_inner(b, ": ", ex, "\n");
	}
	if (vr->nsigs_total == 0) {
		buf_put_safe(b, file);
		buf_puts(b, ": none: no DKIM-Signature\n");
		return;
	}
	for (i = 0; i < vr->nsigs; i++) {
		const struct sig_result *sr = &vr->sigs[i];

		buf_put_safe(b, file);
		buf_printf(b, ": signature %zu d=", i + 1);
		buf_put_safe(b, sr->sig.d);
		buf_puts(b, " s=");
		buf_put_safe(b, sr->sig.s);
		buf_puts(b, " a=");
		buf_put_safe(b, sr->sig.a);
		buf_printf(b, ": %s (%s) ", dkim_result_name(sr->result),
		    dkim_reason_name(sr->reason));
		buf_put_safe(b, buf_cstr(&sr->detail));
		render_l_warning(b, "; warning: ", sr,
		    " (anyone may append content)");
		buf_putc(b, '\n');
	}
	if (vr->nsigs_total > vr->nsigs) {
		buf_put_safe(b, file);
		buf_printf(b, ": %zu more signatures not verified (limit "
		    "%d)\n", vr->nsigs_total - vr->nsigs, VERIFY_MAX_SIGS);
	}
}

static void
json_opt_uint(struct buf *b, const char *key, bool has, uint64_t v,
    bool *first)
{
	if (has)
		json_kv_uint(b, key, v, first);
	else
		json_kv_null(b, key, first);
}

static void
json_key_info(struct buf *b, const struct sig_result *sr, bool *first)
{
	const struct key_record *k = sr->key ? &sr->key->key : NULL;

	if (sr->answer != NULL)
		json_kv_str(b, "key_name", sr->answer->name, first);
	else
		json_kv_null(b, "key_name", first);
	if (k == NULL) {
		json_kv_null(b, "key_type", first);
		json_kv_null(b, "key_bits", first);
		json_kv_null(b, "key_testing", first);
		return;
	}
	json_kv_str(b, "key_type", key_type_name(k->type), first);
	if (k->revoked)
		json_kv_null(b, "key_bits", first);
	else
		json_kv_int(b, "key_bits", k->bits, first);
	json_kv_bool(b, "key_testing", k->testing, first);
}

void
render_json_sig(struct buf *b, const struct sig_result *sr, size_t idx,
    bool has_body, const struct sig_diag *sd)
{
	const struct dkim_sig *sig = &sr->sig;
	uint64_t n;
	bool	 first = true, has_l;

	buf_putc(b, '{');
	json_kv_int(b, "index", (int64_t)idx, &first);
	json_kv_str(b, "d", sig->d, &first);
	json_kv_str(b, "s", sig->s, &first);
	json_kv_str(b, "a", sig->a, &first);
	json_kv_str(b, "c", sig->c ? sig->c : (sig->tags_ok ? "simple/simple" :
	    NULL), &first);
	json_kv_str(b, "i", sig->i, &first);
	json_opt_uint(b, "l", sig->has_l, sig->l, &first);
	json_opt_uint(b, "t", sig->has_t, sig->t, &first);
	json_opt_uint(b, "x", sig->has_x, sig->x, &first);
	json_kv_str(b, "result", dkim_result_name(sr->result), &first);
	json_kv_str(b, "reason", dkim_reason_name(sr->reason), &first);
	json_kv_str(b, "detail", buf_cstr(&sr->detail), &first);
	if (sr->header_checked)
		json_kv_bool(b, "header_verified", sr->header_verified, &first);
	else
		json_kv_null(b, "header_verified", &first);
	if (has_body && sr->body != NULL && sr->header_checked)
		json_kv_bool(b, "body_verified", sr->body_verified, &first);
	else
		json_kv_null(b, "body_verified", &first);
	json_kv_bool(b, "would_pass", sr->would_pass, &first);
	json_key_info(b, sr, &first);
	has_l = sig_l_unsigned(sr, &n);
	json_opt_uint(b, "l_unsigned_bytes", has_l, n, &first);
	if (sd != NULL)
		render_json_diag(b, sr, sd, &first);
	buf_putc(b, '}');
}

/* The diagnosis of signature i, or NULL when not diagnosed. */
static const struct sig_diag *
extra_diag(const struct render_extra *ex, size_t i)
{
	if (ex == NULL || ex->dg == NULL || i >= ex->dg->nsigs)
		return NULL;
	return &ex->dg->sigs[i];
}

void
render_json(struct buf *b, const char *file, const struct verify_result *vr,
    const struct render_extra *ex)
{
	bool	 first = true;
	size_t	 i;

	buf_putc(b, '{');
	json_kv_str(b, "file", file, &first);
	json_kv_str(b, "result", verify_summary_word(vr), &first);
	json_kv_str(b, "arf_original", ex != NULL && ex->inner_kind != NULL ?
	    ex->inner_form : NULL, &first);
	json_kv_bool(b, "has_body", vr->msg.has_body, &first);
	json_kv_int(b, "signature_count", (int64_t)vr->nsigs_total, &first);
	json_key(b, "signatures", &first);
	buf_putc(b, '[');
	for (i = 0; i < vr->nsigs; i++) {
		if (i > 0)
			buf_putc(b, ',');
		render_json_sig(b, &vr->sigs[i], i + 1, vr->msg.has_body,
		    extra_diag(ex, i));
	}
	buf_putc(b, ']');
	if (ex != NULL && ex->dg != NULL)
		json_kv_bool(b, "diagnosis_cut", ex->dg->cut, &first);
	buf_puts(b, "}\n");
}

/* RFC 8601 ptype.property value: a token, or a quoted-string. */
static void
ar_value(struct buf *b, const char *v)
{
	const char *p;

	for (p = v; *p != '\0'; p++)
		if (strchr("()<>@,;:\\\"/[]?= \t", *p) != NULL ||
		    (unsigned char)*p < 33 || (unsigned char)*p > 126)
			break;
	if (*p == '\0' && p != v) {
		buf_puts(b, v);
		return;
	}
	buf_putc(b, '"');
	for (p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		if ((unsigned char)*p >= 32 && (unsigned char)*p < 127)
			buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static void
ar_sig(struct buf *b, const struct sig_result *sr, const struct sig_diag *sd)
{
	const struct dkim_sig *sig = &sr->sig;
	const struct tag *bt;

	buf_printf(b, ";\n\tdkim=%s", dkim_result_name(sr->result));
	render_l_warning(b, " (", sr, ")");
	if (sd != NULL)
		render_ar_diag(b, sr, sd);
	if (sr->result != DKIM_RESULT_PASS) {
		buf_puts(b, " reason=");
		ar_value(b, dkim_reason_name(sr->reason));
	}
	if (sig->d != NULL) {
		buf_puts(b, " header.d=");
		ar_value(b, sig->d);
	}
	if (sig->i != NULL) {
		buf_puts(b, " header.i=");
		ar_value(b, sig->i);
	}
	if (sig->s != NULL) {
		buf_puts(b, " header.s=");
		ar_value(b, sig->s);
	}
	if (sig->a != NULL) {
		buf_puts(b, " header.a=");
		ar_value(b, sig->a);
	}
	/* RFC 6008: the first 8 characters of b= tell signatures apart */
	if (sig->tags_ok && (bt = tag_list_get(&sig->tags, "b")) != NULL &&
	    bt->value_len >= 8) {
		char	 b8[9];
		size_t	 i, k = 0;

		for (i = 0; i < bt->value_len && k < 8; i++)
			if (strchr(" \t\r\n", bt->value[i]) == NULL)
				b8[k++] = bt->value[i];
		b8[k] = '\0';
		buf_puts(b, " header.b=");
		ar_value(b, b8);
	}
}

/*
 * The file a field is about, as a comment (RFC 5322 section 3.2.2) after
 * the authserv-id: the field stays one a parser takes.  Parentheses and
 * backslashes are quoted; what a comment cannot hold is shown as '?'.
 */
static void
ar_file_comment(struct buf *b, const char *file)
{
	const char	*p;

	buf_puts(b, " (");
	for (p = file; *p != '\0'; p++) {
		if (*p == '(' || *p == ')' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*p >= 32 && (unsigned char)*p < 127 ?
		    *p : '?');
	}
	buf_putc(b, ')');
}

void
render_ar(struct buf *b, const char *authserv_id, const char *file,
    const struct verify_result *vr, const struct render_extra *ex)
{
	size_t	 i;

	buf_printf(b, "Authentication-Results: %s", authserv_id);
	ar_file_comment(b, file);
	render_inner(b, " (", ex, ")");
	if (vr->nsigs_total == 0)
		buf_puts(b, "; dkim=none");
	for (i = 0; i < vr->nsigs; i++)
		ar_sig(b, &vr->sigs[i], extra_diag(ex, i));
	buf_putc(b, '\n');
}
