/* SPDX-License-Identifier: ISC */
/*
 * diagnose_text: the names and sentences of a diagnosis (diagnose.h): what
 * the three renderings (text, JSON, A-R) say, in one place, apart from the
 * experiments of diagnose.c.
 */
#include <stdlib.h>
#include <string.h>

#include "verifier/diagnose_local.h"

/* --- names and sentences --- */

static const char *const cause_names[] = {
	[DIAG_NONE] = "none",
	[DIAG_BODY_CR_CR_LF] = "line-endings-cr-cr-lf",
	[DIAG_BODY_WS_FLOWED] = "whitespace-stripped-flowed",
	[DIAG_BODY_WS_STRIPPED] = "whitespace-stripped",
	[DIAG_BODY_WS_ADDED] = "whitespace-added",
	[DIAG_BODY_QP] = "reencoded-quoted-printable",
	[DIAG_BODY_BASE64] = "reencoded-base64",
	[DIAG_BODY_CANON] = "body-canonicalization-mismatch",
	[DIAG_BODY_L_SHORT] = "l-shorter-than-hashed",
	[DIAG_BODY_FINAL_CRLF_ADDED] = "final-crlf-added",
	[DIAG_BODY_FINAL_LINE_REMOVED] = "final-line-removed",
	[DIAG_BODY_LF_HASHED] = "lf-line-ends-hashed",
	[DIAG_BODY_APPENDED] = "appended-content",
	[DIAG_BODY_MIME_PART_ADDED] = "mime-part-added",
	[DIAG_BODY_MIME_TEXT_APPENDED] = "mime-text-appended",
	[DIAG_BODY_MIME_REENCODED] = "mime-part-reencoded",
	[DIAG_BODY_MIME_CHARSET] = "mime-charset-converted",
	[DIAG_BODY_MIME_PREAMBLE] = "mime-preamble-changed",
	[DIAG_BODY_CHANGED] = "body-changed",
	[DIAG_BODY_WS_MAYBE] = "whitespace-stripped-maybe",
	[DIAG_HDR_HASH_ALG] = "hash-algorithm-mismatch",
	[DIAG_HDR_CHANGED] = "headers-changed",
	[DIAG_NOT_SIGNING_KEY] = "not-signing-key",
	[DIAG_B_TOO_LONG] = "signature-longer-than-key",
	[DIAG_HDR_CANON] = "header-canonicalization-mismatch",
	[DIAG_HDR_TOPMOST] = "topmost-instance-signed",
	[DIAG_HDR_Z] = "headers-changed-z",
	[DIAG_REDACTED] = "redacted",
	[DIAG_HDR_REWRITTEN] = "header-field-rewritten",
	[DIAG_KEY_NOT_FOUND] = "key-not-found",
	[DIAG_KEY_REVOKED] = "key-revoked",
	[DIAG_KEY_UNUSABLE] = "key-unusable",
	[DIAG_CLOCK] = "clock",
	[DIAG_BODY_TRUNCATED] = "body-truncated",
	[DIAG_DNS_TEMPORARY] = "dns-temporary",
	[DIAG_BODY_ABSENT] = "body-absent",
	[DIAG_VERDICT] = "see-reason",
	[DIAG_UNKNOWN] = "unknown",
};

const char *
diag_cause_name(enum diag_cause c)
{
	if ((size_t)c >= sizeof(cause_names) / sizeof(cause_names[0]) ||
	    cause_names[c] == NULL)
		return "unknown";
	return cause_names[c];
}

static const char *const xform_names[] = {
	[DX_NONE] = "none",
	[DX_TAG_ADDED] = "subject-list-tag-added",
	[DX_TAG_REMOVED] = "subject-list-tag-removed",
	[DX_SUBJECT_PREFIX] = "subject-prefix-changed",
	[DX_FROM_MUNGED] = "from-munged",
	[DX_DISPLAY_NAME_ADDED] = "display-name-added",
	[DX_DISPLAY_NAME_QUOTED] = "display-name-quoted",
	[DX_DATE] = "date-rerendered",
	[DX_REFOLDED] = "refolded",
	[DX_NAME_CASE] = "field-name-case",
	[DX_FIELD_ADDED] = "field-added",
	[DX_CT_PARAMS] = "content-type-params",
	[DX_ENCODED_WORD] = "encoded-word-reencoded",
	[DX_WHITESPACE] = "whitespace-changed",
	[DX_PART_ADDED] = "part-added",
	[DX_TEXT_APPENDED] = "text-appended",
	[DX_TEXT_INSERTED] = "text-inserted",
	[DX_QP] = "quoted-printable",
	[DX_BASE64] = "base64",
	[DX_BASE64_LINES] = "base64-lines",
	[DX_8BIT] = "8bit",
	[DX_CHARSET] = "charset",
	[DX_EPILOGUE] = "nested-epilogue",
};

const char *
diag_xform_name(enum diag_xform x)
{
	if ((size_t)x >= sizeof(xform_names) / sizeof(xform_names[0]) ||
	    xform_names[x] == NULL)
		return "none";
	return xform_names[x];
}

/* What each transform was, said of the intermediary. */
static const char *const xform_texts[] = {
	[DX_TAG_ADDED] = "a list added its tag",
	[DX_TAG_REMOVED] = "the list tag was removed",
	[DX_SUBJECT_PREFIX] = "a Re:/Fwd: prefix was added or respelled",
	[DX_FROM_MUNGED] = "a list replaced From with its own address "
	    "(DMARC mitigation)",
	[DX_DISPLAY_NAME_ADDED] = "a display name was added (as Exchange does)",
	[DX_DISPLAY_NAME_QUOTED] = "the display name was quoted or unquoted",
	[DX_DATE] = "the date was re-rendered (day name, zone or comment)",
	[DX_REFOLDED] = "the field was refolded",
	[DX_NAME_CASE] = "the field name's case changed",
	[DX_FIELD_ADDED] = "a field was added above the signed one",
	[DX_CT_PARAMS] = "parameters were reordered, quoted or unquoted",
	[DX_ENCODED_WORD] = "encoded-words were made again (RFC 2047)",
	[DX_WHITESPACE] = "whitespace changed (c=simple/...)",
	[DX_PART_ADDED] = "a part was added (a footer or disclaimer)",
	[DX_TEXT_APPENDED] = "text was appended (a footer or disclaimer)",
	[DX_TEXT_INSERTED] = "text was inserted before </body>",
	[DX_QP] = "re-encoded as quoted-printable",
	[DX_BASE64] = "re-encoded as base64",
	[DX_BASE64_LINES] = "base64 rewrapped to other line lengths",
	[DX_8BIT] = "decoded to 8bit",
	[DX_CHARSET] = "converted to another charset",
};

static const char *
xform_text(enum diag_xform x)
{
	if ((size_t)x >= sizeof(xform_texts) / sizeof(xform_texts[0]) ||
	    xform_texts[x] == NULL)
		return "changed";
	return xform_texts[x];
}

const char *
diag_why_name(enum diag_why w)
{
	static const char *const names[] = { "none", "list",
	    "non-ascii", "rewritten-often", "repeated" };

	return (size_t)w < sizeof(names) / sizeof(names[0]) ? names[w] :
	    "none";
}

const char *
diag_why_text(enum diag_why w)
{
	static const char *const texts[] = { "",
	    "a list's mail (List-Id): lists rewrite this field",
	    "holds encoded-words or 8-bit bytes, which gateways re-encode",
	    "gateways often rewrite this field",
	    "the field occurs more than once" };

	return (size_t)w < sizeof(texts) / sizeof(texts[0]) ? texts[w] : "";
}

const char *
diag_step_name(enum diag_step st, const struct sig_result *sr)
{
	static const char *const names[] = {
		[DSTEP_BODY_HASH] = "body_hash",
		[DSTEP_HEADER_SIGNATURE] = "header_signature",
		[DSTEP_NOT_CHECKABLE] = "none",
		[DSTEP_KEY_LOOKUP] = "key_lookup",
		[DSTEP_KEY_RECORD] = "key_record",
		[DSTEP_TIMES] = "signature_times",
		[DSTEP_BODY_LENGTH] = "body_length",
		[DSTEP_DNS] = "dns",
	};

	if (st == DSTEP_REASON || (size_t)st >= sizeof(names) /
	    sizeof(names[0]))
		return dkim_reason_name(sr->reason);
	return names[st];
}

/* Sentences that take nothing from the signature. */
static const char *const cause_fixed[] = {
	[DIAG_BODY_CR_CR_LF] = "line endings rewritten: a gateway turned CRLF "
	    "into CR CR LF; removing the extra CR reproduces bh=",
	[DIAG_BODY_WS_FLOWED] = "trailing whitespace stripped: restoring the "
	    "space at the end of each soft-broken line (format=flowed) "
	    "reproduces bh=; a gateway stripped trailing whitespace, which "
	    "c=.../simple does not survive",
	[DIAG_BODY_WS_STRIPPED] = "trailing whitespace stripped: restoring a "
	    "space at the end of every line reproduces bh=",
	[DIAG_BODY_WS_ADDED] = "trailing whitespace added in transit: removing "
	    "it reproduces bh=",
	[DIAG_BODY_QP] = "body re-encoded as quoted-printable in transit "
	    "(8BITMIME downgrade); the decoded body reproduces bh=",
	[DIAG_BODY_BASE64] = "body re-encoded as base64 in transit; the "
	    "decoded body reproduces bh=",
	[DIAG_BODY_L_SHORT] = "the signer hashed the whole body but declared "
	    "a shorter l=",
	[DIAG_BODY_FINAL_CRLF_ADDED] = "a final CRLF was added after signing "
	    "(or the signer hashed the body without its last line break)",
	[DIAG_BODY_FINAL_LINE_REMOVED] = "a final empty line was removed after "
	    "signing (or the signer hashed an extra CRLF)",
	[DIAG_BODY_LF_HASHED] = "line endings: the signer hashed bare LF line "
	    "ends instead of CRLF",
	[DIAG_BODY_WS_MAYBE] = "trailing whitespace stripped: no line of this "
	    "body ends in whitespace, and c=.../simple does not survive a "
	    "gateway that strips it; the exact whitespace could not be "
	    "restored",
	[DIAG_BODY_MIME_PREAMBLE] = "the MIME preamble (the text before the "
	    "first part) was changed after signing; restoring it reproduces "
	    "bh=",
	[DIAG_HDR_CHANGED] = "headers changed: the signed header data differ "
	    "from what was signed (a signed field was altered, added or "
	    "refolded)",
	[DIAG_NOT_SIGNING_KEY] = "not the signing key: the key published now "
	    "is not the one that made this signature (key rotated under the "
	    "same selector, wrong selector or record, or b= damaged)",
	[DIAG_HDR_TOPMOST] = "a signed field name occurs more than once and "
	    "the signer took the topmost instead of the bottom one (RFC 6376 "
	    "section 5.4.2), or a duplicate was added below the signed one",
	[DIAG_REDACTED] = "redacted: the report's sender altered a signed "
	    "recipient field (To/Cc) to hide the complainant",
	[DIAG_KEY_NOT_FOUND] = "key rotated away or never published: no record "
	    "at the selector's name (removed after its grace period, or a "
	    "wrong s=/d=)",
	[DIAG_KEY_REVOKED] = "key revoked: the publisher emptied p= (rotation "
	    "completed)",
	[DIAG_KEY_UNUSABLE] = "the published RSA key is outside what fblscope "
	    "will compute with (docs/security.md): no legitimate signer "
	    "publishes it; it costs every verifier time, or is no RSA key at "
	    "all",
	[DIAG_CLOCK] = "clock skew or late verification: use --at with the "
	    "time the mail was received (a report's Arrival-Date)",
	[DIAG_BODY_TRUNCATED] = "body truncated: l= is beyond the end of the "
	    "body",
	[DIAG_DNS_TEMPORARY] = "temporary DNS failure: verify again later "
	    "(never a forgery signal)",
	[DIAG_BODY_ABSENT] = "no body in this copy: the body hash cannot be "
	    "checked",
	[DIAG_UNKNOWN] = "unknown: no experiment reproduced what was signed",
};

static void
header_rewritten_text(struct buf *b, const struct diag_header *h)
{
	size_t	 i;

	for (i = 0; i < h->nrw; i++) {
		buf_puts(b, i == 0 ? "header field " : "; and ");
		buf_put_safe(b, h->rw[i].field);
		buf_printf(b, " rewritten in transit: %s; ",
		    xform_text(h->rw[i].xform));
		if (h->rw[i].was_absent)
			buf_puts(b, "without it");
		else {
			buf_puts(b, "the original \"");
			buf_put_visible(b, h->rw[i].was.data, h->rw[i].was.len);
			buf_puts(b, h->rw[i].was_len > h->rw[i].was.len ?
			    "...\"" : "\"");
		}
	}
	buf_puts(b, i > 1 ? " reproduce" : " reproduces");
	buf_puts(b, " the signed header hash exactly");
}

static void
mime_parts_text(struct buf *b, const struct diag_body *bd)
{
	size_t	 i;

	for (i = 0; i < bd->nparts; i++) {
		buf_puts(b, i == 0 ? "MIME part " : "; and part ");
		buf_put_safe(b, bd->parts[i].path);
		buf_puts(b, " (");
		buf_put_safe(b, bd->parts[i].type);
		buf_puts(b, "): ");
		buf_puts(b, xform_text(bd->parts[i].xform));
	}
	if (bd->nested_epilogue)
		buf_puts(b, "; and a line end added after a nested "
		    "multipart's closing delimiter (as Python's email writes "
		    "it)");
	buf_puts(b, " after signing; undoing it reproduces bh=");
}

static void
candidates_text(struct buf *b, const struct diag_header *h)
{
	size_t	 i;

	if (h->nrw > 0)
		return;
	if (h->hypotheses_run)
		buf_printf(b, "; %zu guesses at the original fields did not "
		    "reproduce it", h->hypotheses);
	for (i = 0; i < h->ncand; i++) {
		buf_puts(b, i == 0 ? "; likely candidates: " : ", ");
		buf_put_safe(b, h->cand[i].field);
		buf_puts(b, " (");
		buf_puts(b, diag_why_text(h->cand[i].why));
		buf_putc(b, ')');
	}
}

void
diag_cause_text(struct buf *b, enum diag_cause c, const struct sig_result *sr,
    const struct sig_diag *d)
{
	const struct diag_body *bd = &d->body;

	switch (c) {
	case DIAG_BODY_CANON:
		buf_printf(b, "the signer hashed the body with %s "
		    "canonicalization but declared c=.../%s",
		    dkim_canon_name(bd->canon), dkim_canon_name(sr->sig.bcanon));
		return;
	case DIAG_BODY_APPENDED:
		buf_printf(b, "content appended after signing: the first %zu "
		    "canonical bytes (%zu lines) reproduce bh=; %zu bytes were "
		    "added after them (a footer or disclaimer added by a list or "
		    "gateway)%s", bd->signed_bytes, bd->signed_lines,
		    bd->appended_bytes, bd->at_boundary ? ", starting at a MIME "
		    "boundary" : "");
		return;
	case DIAG_BODY_CHANGED:
		buf_printf(b, "body modified after signing: none of the usual "
		    "transport damages (CR CR LF, trailing whitespace, final "
		    "CRLF, other canonicalization, quoted-printable/base64 "
		    "re-encoding, appended content) reproduces bh=, so the "
		    "content itself changed%s", sr->header_verified ? " (the "
		    "header signature verifies, so key and headers are right)" :
		    "");
		return;
	case DIAG_HDR_HASH_ALG:
		buf_printf(b, "the signer used %s but declared a=",
		    d->header.rec_hash == DKIM_HASH_SHA1 ? "sha1" : "sha256");
		buf_put_safe(b, sr->sig.a);
		return;
	case DIAG_B_TOO_LONG:
		buf_printf(b, "b= holds %zu bytes, more than the %d-byte modulus "
		    "of the key: not the signing key, or b= damaged",
		    sr->sig.b.len, EVP_PKEY_get_size(sr->key->key.pkey));
		return;
	case DIAG_HDR_CANON:
		buf_printf(b, "the signer hashed the headers with %s "
		    "canonicalization but declared c=%s/...",
		    dkim_canon_name(d->header.canon),
		    dkim_canon_name(sr->sig.hcanon));
		return;
	case DIAG_HDR_Z:
		buf_printf(b, "headers changed: %zu signed field%s differ from "
		    "the z= copy", d->header.nz, d->header.nz > 1 ? "s" : "");
		return;
	case DIAG_HDR_REWRITTEN:
		header_rewritten_text(b, &d->header);
		return;
	case DIAG_BODY_MIME_PART_ADDED:
	case DIAG_BODY_MIME_TEXT_APPENDED:
	case DIAG_BODY_MIME_REENCODED:
	case DIAG_BODY_MIME_CHARSET:
		mime_parts_text(b, bd);
		return;
	case DIAG_HDR_CHANGED:
		buf_puts(b, cause_fixed[c]);
		candidates_text(b, &d->header);
		return;
	case DIAG_VERDICT:
		buf_puts(b, "the verdict says why: ");
		buf_puts(b, dkim_reason_name(sr->reason));
		return;
	default:
		break;
	}
	if ((size_t)c < sizeof(cause_fixed) / sizeof(cause_fixed[0]) &&
	    cause_fixed[c] != NULL)
		buf_puts(b, cause_fixed[c]);
	else
		buf_puts(b, cause_fixed[DIAG_UNKNOWN]);
}
