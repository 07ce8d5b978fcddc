/* SPDX-License-Identifier: ISC */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fbl/store/diag_class.h"

static const char *const class_names[DC_N] = {
	[DC_NONE] = NULL,
	[DC_LINE_ENDINGS] = "line-endings",
	[DC_WHITESPACE] = "whitespace",
	[DC_APPENDED_TEXT] = "appended-text",
	[DC_PART_ADDED] = "part-added",
	[DC_REENCODED] = "re-encoded",
	[DC_CHARSET] = "charset-converted",
	[DC_MIME_STRUCTURE] = "mime-structure",
	[DC_BODY_CHANGED] = "body-changed",
	[DC_HEADER_CHANGED] = "header-changed",
	[DC_REDACTED] = "redacted",
	[DC_TRUNCATED] = "truncated",
	[DC_KEY_ROTATED] = "key-rotated",
	[DC_NOT_SIGNING_KEY] = "not-signing-key",
	[DC_FORGED] = "forged",
	[DC_KEY_MISSING] = "key-missing",
	[DC_KEY_REVOKED] = "key-revoked",
	[DC_KEY_UNUSABLE] = "key-unusable",
	[DC_EXPIRED] = "expired",
	[DC_SIGNER_ERROR] = "signer-error",
	[DC_UNKNOWN] = "unknown",
};

const char *
diag_class_name(enum diag_class c)
{
	return (size_t)c < DC_N ? class_names[c] : NULL;
}

bool
diag_class_applies(enum dkim_result r)
{
	return r == DKIM_RESULT_FAIL || r == DKIM_RESULT_PERMERROR ||
	    r == DKIM_RESULT_POLICY;
}

/* The class of each diagnosis cause; DC_NONE: no class. */
static enum diag_class
class_of_cause(enum diag_cause c)
{
	switch (c) {
	case DIAG_BODY_CR_CR_LF:
	case DIAG_BODY_LF_HASHED:
	case DIAG_BODY_FINAL_CRLF_ADDED:
	case DIAG_BODY_FINAL_LINE_REMOVED:
		return DC_LINE_ENDINGS;
	case DIAG_BODY_WS_FLOWED:
	case DIAG_BODY_WS_STRIPPED:
	case DIAG_BODY_WS_ADDED:
	case DIAG_BODY_WS_MAYBE:
	case DIAG_BODY_CANON:
	case DIAG_HDR_CANON:
		return DC_WHITESPACE;
	case DIAG_BODY_QP:
	case DIAG_BODY_BASE64:
	case DIAG_BODY_MIME_REENCODED:
		return DC_REENCODED;
	case DIAG_BODY_MIME_CHARSET:
		return DC_CHARSET;
	case DIAG_BODY_APPENDED:
	case DIAG_BODY_MIME_TEXT_APPENDED:
		return DC_APPENDED_TEXT;
	case DIAG_BODY_MIME_PART_ADDED:
		return DC_PART_ADDED;
	case DIAG_BODY_MIME_PREAMBLE:
		return DC_MIME_STRUCTURE;
	case DIAG_BODY_CHANGED:
		return DC_BODY_CHANGED;
	case DIAG_HDR_CHANGED:
	case DIAG_HDR_TOPMOST:
	case DIAG_HDR_Z:
	case DIAG_HDR_REWRITTEN:
		return DC_HEADER_CHANGED;
	case DIAG_REDACTED:
		return DC_REDACTED;
	case DIAG_BODY_TRUNCATED:
		return DC_TRUNCATED;
	case DIAG_NOT_SIGNING_KEY:
		return DC_NOT_SIGNING_KEY;
	case DIAG_KEY_NOT_FOUND:
		return DC_KEY_MISSING;
	case DIAG_KEY_REVOKED:
		return DC_KEY_REVOKED;
	case DIAG_KEY_UNUSABLE:
		return DC_KEY_UNUSABLE;
	case DIAG_CLOCK:
		return DC_EXPIRED;
	case DIAG_BODY_L_SHORT:
	case DIAG_HDR_HASH_ALG:
	case DIAG_B_TOO_LONG:
		return DC_SIGNER_ERROR;
	case DIAG_DNS_TEMPORARY:
	case DIAG_BODY_ABSENT:
		return DC_NONE;
	case DIAG_NONE:
	case DIAG_VERDICT:		/* the reason says: see below */
	case DIAG_UNKNOWN:
	default:
		return DC_UNKNOWN;
	}
}

/* The class a reason alone gives; DC_NONE: it takes a diagnosis. */
static enum diag_class
class_of_reason(enum dkim_reason r)
{
	switch (r) {
	case REASON_REDACTED:
		return DC_REDACTED;
	case REASON_KEY_NOT_FOUND:
		return DC_KEY_MISSING;
	case REASON_KEY_REVOKED:
		return DC_KEY_REVOKED;
	case REASON_KEY_TOO_SMALL:
	case REASON_KEY_TOO_LARGE:
	case REASON_KEY_EXPONENT:
	case REASON_KEY_SYNTAX:
	case REASON_KEY_TYPE_MISMATCH:
	case REASON_KEY_HASH_NOT_ALLOWED:
	case REASON_KEY_SERVICE:
	case REASON_KEY_STRICT_IDENTITY:
		return DC_KEY_UNUSABLE;
	case REASON_ALGORITHM_FORBIDDEN:
	case REASON_ALGORITHM_UNKNOWN:
	case REASON_TAG_SYNTAX:
	case REASON_TAG_MISSING:
	case REASON_VERSION:
	case REASON_IDENTITY_MISMATCH:
	case REASON_QUERY_METHOD:
	case REASON_CANON_UNKNOWN:
	case REASON_FROM_NOT_SIGNED:
		return DC_SIGNER_ERROR;
	case REASON_FROM_DUPLICATED:
		return DC_HEADER_CHANGED;
	case REASON_EXPIRED:
	case REASON_FUTURE_TIMESTAMP:
		return DC_EXPIRED;
	case REASON_L_EXCEEDS_BODY:
		return DC_TRUNCATED;
	case REASON_INTERNAL:
		return DC_UNKNOWN;
	default:
		return DC_NONE;
	}
}

/* The fields lists and gateways rewrite: a daily count's key. */
static void
put_field(struct sig_class *sc, const char *name)
{
	static const char *const known[] = {
		"from", "to", "cc", "subject", "date", "reply-to", "sender",
		"message-id", "in-reply-to", "references", "content-type",
		"content-transfer-encoding", "mime-version", "list-id",
		"list-unsubscribe", "list-unsubscribe-post", "feedback-id",
	};
	size_t	 i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(name, known[i]) == 0) {
			snprintf(sc->field, sizeof(sc->field), "%s", known[i]);
			return;
		}
	snprintf(sc->field, sizeof(sc->field), "other");
}

/* Append s to the detail, printable ASCII only. */
static void
put_detail(struct sig_class *sc, const char *s)
{
	size_t	 n = strlen(sc->detail);

	for (; *s != '\0' && n + 1 < sizeof(sc->detail); s++)
		sc->detail[n++] = *s >= 0x20 && *s < 0x7f ? *s : '?';
	sc->detail[n] = '\0';
}

static void
detail_header(struct sig_class *sc, const struct diag_header *h)
{
	size_t	 i;

	for (i = 0; i < h->nrw; i++) {
		if (i > 0)
			put_detail(sc, ", ");
		put_detail(sc, h->rw[i].field);
		put_detail(sc, ": ");
		put_detail(sc, diag_xform_name(h->rw[i].xform));
	}
	if (h->nrw > 0)
		put_field(sc, h->rw[0].field);
}

static void
detail_body(struct sig_class *sc, const struct diag_body *b)
{
	size_t	 i;

	for (i = 0; i < b->nparts; i++) {
		if (i > 0)
			put_detail(sc, ", ");
		put_detail(sc, "part ");
		put_detail(sc, b->parts[i].path);
		put_detail(sc, " ");
		put_detail(sc, b->parts[i].type);
		put_detail(sc, ": ");
		put_detail(sc, diag_xform_name(b->parts[i].xform));
	}
}

void
diag_class_of_verdict(struct sig_class *sc, enum dkim_result result,
    enum dkim_reason reason)
{
	memset(sc, 0, sizeof(*sc));
	if (!diag_class_applies(result))
		return;
	sc->cls = class_of_reason(reason);
	if (reason == REASON_FROM_DUPLICATED)
		put_field(sc, "from");
}

void
diag_class_make(struct sig_class *sc, const struct sig_result *sr,
    const struct sig_diag *d, bool cut, bool reporter_verified)
{
	diag_class_of_verdict(sc, sr->result, sr->reason);
	if (!diag_class_applies(sr->result) || d == NULL || !d->run ||
	    d->cause == DIAG_VERDICT)
		return;
	memset(sc, 0, sizeof(*sc));
	sc->cls = class_of_cause(d->cause);
	if (sc->cls == DC_NOT_SIGNING_KEY && !reporter_verified)
		sc->cls = DC_FORGED;
	if (cut && (sc->cls == DC_UNKNOWN || sc->cls == DC_BODY_CHANGED ||
	    sc->cls == DC_HEADER_CHANGED) && d->cause != DIAG_HDR_REWRITTEN)
		sc->cls = DC_NONE;
	if (sc->cls == DC_NONE)
		return;
	put_detail(sc, diag_cause_name(d->cause));
	if (d->cause == DIAG_HDR_REWRITTEN && d->header.nrw > 0) {
		sc->detail[0] = '\0';
		detail_header(sc, &d->header);
	} else if (d->body.nparts > 0 && sc->cls != DC_HEADER_CHANGED) {
		sc->detail[0] = '\0';
		detail_body(sc, &d->body);
	}
}

void
diag_class_replayed(struct sig_class *sc, const struct sig_result *sr,
    bool reporter_verified)
{
	enum diag_cause	 c;

	diag_class_of_verdict(sc, sr->result, sr->reason);
	if (!diag_class_applies(sr->result) ||
	    (c = diag_cause_of_key(sr)) == DIAG_NONE)
		return;
	sc->cls = class_of_cause(c);
	if (sc->cls == DC_NOT_SIGNING_KEY && !reporter_verified)
		sc->cls = DC_FORGED;
	put_detail(sc, diag_cause_name(c));
}

enum diag_class
diag_class_final(const struct sig_class *sc, bool archived_pass)
{
	if (sc->cls != DC_NONE && archived_pass)
		return DC_KEY_ROTATED;
	return sc->cls;
}

void
diag_class_row(const struct sig_class *sc, bool archived_pass,
    struct sig_class_row *row)
{
	enum diag_class	 c = diag_class_final(sc, archived_pass);

	row->diagnosis = diag_class_name(c);
	row->field = c == DC_NONE || sc->field[0] == '\0' ? NULL : sc->field;
	row->detail = c == DC_NONE || c == DC_KEY_ROTATED ||
	    sc->detail[0] == '\0' ? NULL : sc->detail;
}

void
diag_class_read(struct sig_class *sc, const char *diagnosis,
    const char *field, const char *detail)
{
	size_t	 c;

	memset(sc, 0, sizeof(*sc));
	if (diagnosis == NULL)
		return;
	for (c = DC_NONE + 1; c < DC_N; c++)
		if (strcmp(diagnosis, class_names[c]) == 0)
			break;
	if (c == DC_N)
		return;
	sc->cls = (enum diag_class)c;
	if (field != NULL)
		put_field(sc, field);
	if (detail != NULL)
		put_detail(sc, detail);
}

void
diag_pool_init(struct diag_pool *pool, uint64_t bytes)
{
	atomic_store(&pool->left, bytes);
}

bool
diag_pool_wanted(const struct verify_result *vr)
{
	size_t	 i;

	for (i = 0; i < vr->nsigs; i++)
		if (diag_class_applies(vr->sigs[i].result) &&
		    (vr->sigs[i].reason == REASON_BODY_HASH_MISMATCH ||
		    vr->sigs[i].reason == REASON_SIGNATURE_MISMATCH))
			return true;
	return false;
}

bool
diag_pool_diagnose(struct diag_pool *pool, struct diagnosis *dg,
    const struct verify_result *vr, bool *ran)
{
	struct diag_budget bg;
	uint64_t	 left, take;
	bool		 ok;

	memset(dg, 0, sizeof(*dg));
	left = atomic_load(&pool->left);
	do {
		take = left < DIAG_BUDGET_BYTES ? left : DIAG_BUDGET_BYTES;
	} while (take > 0 &&
	    !atomic_compare_exchange_weak(&pool->left, &left, left - take));
	if ((*ran = take > 0) == false)
		return true;
	diag_budget_init(&bg);
	bg.left = take;
	ok = diagnosis_make_within(dg, vr, &bg);
	atomic_fetch_add(&pool->left, bg.left);
	return ok;
}
