/* SPDX-License-Identifier: ISC */
/* encode: a record's rows for COPY; see encode.h. */
#include <stdint.h>

#include "fbl/store/db.h"
#include "fbl/store/encode.h"

void
encode_report(struct buf *b, const struct record *r)
{
	db_copy_text(b, r->msg_day, false);
	db_copy_bytea(b, r->fingerprint, RECORD_FP_LEN, false);
	db_copy_text(b, arf_kind_name(r->kind), false);
	db_copy_bool(b, r->complaint, false);
	db_copy_text(b, r->source, false);
	db_copy_text(b, r->feedback_type, false);
	db_copy_text(b, r->reporter, false);
	db_copy_text(b, r->user_agent, false);
	db_copy_text(b, r->arf_version, false);
	db_copy_int(b, r->arrival, r->has_arrival, false);
	db_copy_text(b, r->source_ip, false);
	db_copy_tri(b, r->source_ip_in_esp, false);
	db_copy_text(b, r->original_mail_from, false);
	db_copy_text(b, r->has_original ? arf_original_name(r->original_form) :
	    NULL, false);
	db_copy_text(b, r->reported_domain, false);
	db_copy_text(b, r->recipient_hmac, false);
	db_copy_text(b, r->original_message_id, false);
	db_copy_text(b, r->original_from_domain, false);
	db_copy_text(b, r->deviations, false);
	db_copy_text(b, r->cfbl_feedback_id, false);
	db_copy_text(b, r->feedback_id, false);
	db_copy_tri(b, r->cfbl_signed, false);
	db_copy_tri(b, r->reporter_verified_dkim, false);
	db_copy_text(b, r->decided, false);
	db_copy_text(b, r->customer_id, false);
	db_copy_text(b, r->customer_token, false);
	db_copy_text(b, r->source_ip_derived, false);
	db_copy_text(b, r->source_prefix, true);
}

/* The class of a failed signature, its field and detail, or NULLs. */
static void
encode_diagnosis(struct buf *b, const struct record_sig *s)
{
	struct sig_class_row row;

	diag_class_row(&s->diag, s->archived == ARCHIVED_PASS, &row);
	db_copy_text(b, row.diagnosis, false);
	db_copy_text(b, row.field, false);
	db_copy_text(b, row.detail, false);
}

static void
encode_sig(struct buf *b, const struct record *r, const struct record_sig *s)
{
	db_copy_text(b, r->msg_day, false);
	db_copy_bytea(b, r->fingerprint, RECORD_FP_LEN, false);
	db_copy_int(b, s->idx, true, false);
	db_copy_text(b, s->d, false);
	db_copy_text(b, s->s, false);
	db_copy_text(b, s->a, false);
	db_copy_text(b, s->c, false);
	db_copy_uint(b, s->l, s->has_l, false);
	db_copy_int(b, s->t, s->has_t, false);
	db_copy_int(b, s->x, s->has_x, false);
	db_copy_int(b, s->key_bits, s->key_bits >= 0, false);
	db_copy_tri(b, s->key_testing, false);
	db_copy_text(b, dkim_result_name(s->result), false);
	db_copy_text(b, dkim_reason_name(s->reason), false);
	db_copy_tri(b, s->header_verified, false);
	db_copy_tri(b, s->body_verified, false);
	db_copy_text(b, token_role_name(s->role), false);
	db_copy_text(b, s->customer_id, false);
	db_copy_int(b, s->sel_year, s->sel_year > 0, false);
	db_copy_int(b, s->sel_month, s->sel_year > 0, false);
	db_copy_text(b, record_archived_name(s->archived), false);
	if (s->archived == ARCHIVED_PASS)
		db_copy_bytea(b, s->archived_key, sizeof(s->archived_key),
		    false);
	else
		db_copy_null(b, false);
	encode_diagnosis(b, s);
	db_copy_bool(b, s->covers_feedback_id, false);
	db_copy_bool(b, s->covers_cfbl, true);
}

void
encode_signatures(struct buf *b, const struct record *r)
{
	size_t	 i;

	for (i = 0; i < r->nsigs; i++)
		encode_sig(b, r, &r->sigs[i]);
}

static void
encode_fact(struct buf *b, const struct record *r, const struct record_sig *s)
{
	const struct record_facts *f = &s->facts;

	db_copy_text(b, r->msg_day, false);
	db_copy_bytea(b, r->fingerprint, RECORD_FP_LEN, false);
	db_copy_int(b, s->idx, true, false);
	db_copy_bytea(b, (const unsigned char *)f->field, f->field_len, false);
	db_copy_bytea(b, f->digest, f->digest_len, false);
	db_copy_bool(b, f->has_body, false);
	db_copy_bool(b, f->body_verified, false);
	db_copy_bool(b, f->l_exceeds, false);
	db_copy_int(b, (int64_t)(f->canon_len > INT64_MAX ? INT64_MAX :
	    f->canon_len), true, false);
	db_copy_int(b, f->n_from > INT16_MAX ? INT16_MAX : f->n_from, true,
	    false);
	db_copy_bool(b, f->redacted, false);
	db_copy_int(b, f->verified_at, true, false);
	db_copy_int(b, f->skew > INT32_MAX ? INT32_MAX : f->skew, true, true);
}

void
encode_facts(struct buf *b, const struct record *r)
{
	size_t	 i;

	for (i = 0; i < r->nsigs; i++)
		if (r->sigs[i].facts.present)
			encode_fact(b, r, &r->sigs[i]);
}
