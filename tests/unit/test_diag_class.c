/* SPDX-License-Identifier: ISC */
/*
 * test_diag_class: the diagnosis class ingest stores for a failed
 * signature (fbl/store/diag_class.h), against the table of
 * docs/verify-json.md ("Diagnosis classes stored by ingest"): each cause
 * to its class, the verdicts that need no diagnosis, forged against
 * not-signing-key, key-rotated over all, a cut diagnosis, the field list,
 * the detail kept printable, a stored row read back.
 */
#include <stdbool.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "fbl/store/diag_class.h"

static const char *
class_of(enum dkim_result res, enum dkim_reason reason, enum diag_cause c,
    bool cut, bool reporter_verified)
{
	struct sig_result sr;
	struct sig_diag	 d;
	struct sig_class sc;

	memset(&sr, 0, sizeof(sr));
	memset(&d, 0, sizeof(d));
	sr.result = res;
	sr.reason = reason;
	d.run = true;
	d.cause = c;
	diag_class_make(&sc, &sr, &d, cut, reporter_verified);
	return sc.cls == DC_NONE ? "(none)" : diag_class_name(sc.cls);
}

static void
test_causes(void)
{
	static const struct {
		enum diag_cause	 cause;
		const char	*want;
	} t[] = {
		{ DIAG_BODY_CR_CR_LF, "line-endings" },
		{ DIAG_BODY_LF_HASHED, "line-endings" },
		{ DIAG_BODY_FINAL_CRLF_ADDED, "line-endings" },
		{ DIAG_BODY_WS_STRIPPED, "whitespace" },
		{ DIAG_BODY_WS_MAYBE, "whitespace" },
		{ DIAG_HDR_CANON, "whitespace" },
		{ DIAG_BODY_APPENDED, "appended-text" },
		{ DIAG_BODY_MIME_TEXT_APPENDED, "appended-text" },
		{ DIAG_BODY_MIME_PART_ADDED, "part-added" },
		{ DIAG_BODY_QP, "re-encoded" },
		{ DIAG_BODY_MIME_REENCODED, "re-encoded" },
		{ DIAG_BODY_MIME_CHARSET, "charset-converted" },
		{ DIAG_BODY_MIME_PREAMBLE, "mime-structure" },
		{ DIAG_BODY_CHANGED, "body-changed" },
		{ DIAG_HDR_CHANGED, "header-changed" },
		{ DIAG_HDR_TOPMOST, "header-changed" },
		{ DIAG_REDACTED, "redacted" },
		{ DIAG_BODY_TRUNCATED, "truncated" },
		{ DIAG_NOT_SIGNING_KEY, "forged" },
		{ DIAG_KEY_NOT_FOUND, "key-missing" },
		{ DIAG_CLOCK, "expired" },
		{ DIAG_B_TOO_LONG, "signer-error" },
		{ DIAG_UNKNOWN, "unknown" },
		{ DIAG_DNS_TEMPORARY, "(none)" },
		{ DIAG_BODY_ABSENT, "(none)" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_STR(diag_cause_name(t[i].cause), class_of(DKIM_RESULT_FAIL,
		    REASON_BODY_HASH_MISMATCH, t[i].cause, false, false),
		    t[i].want);
	/* Yahoo forwards only mail that verified: a key replaced */
	CHECK_STR("class/not-signing-key-yahoo", class_of(DKIM_RESULT_FAIL,
	    REASON_SIGNATURE_MISMATCH, DIAG_NOT_SIGNING_KEY, false, true),
	    "not-signing-key");
	/* a diagnosis cut short finds no class, not unknown */
	CHECK_STR("class/cut-unknown", class_of(DKIM_RESULT_FAIL,
	    REASON_BODY_HASH_MISMATCH, DIAG_UNKNOWN, true, false), "(none)");
	CHECK_STR("class/cut-body-changed", class_of(DKIM_RESULT_FAIL,
	    REASON_BODY_HASH_MISMATCH, DIAG_BODY_CHANGED, true, false),
	    "(none)");
	CHECK_STR("class/cut-found", class_of(DKIM_RESULT_FAIL,
	    REASON_BODY_HASH_MISMATCH, DIAG_BODY_QP, true, false),
	    "re-encoded");
	/* no class for what did not fail */
	CHECK_STR("class/pass", class_of(DKIM_RESULT_PASS, REASON_OK,
	    DIAG_UNKNOWN, false, false), "(none)");
	CHECK_STR("class/temperror", class_of(DKIM_RESULT_TEMPERROR,
	    REASON_DNS_TIMEOUT, DIAG_DNS_TEMPORARY, false, false), "(none)");
	CHECK_STR("class/neutral", class_of(DKIM_RESULT_NEUTRAL,
	    REASON_HEADERS_ONLY, DIAG_BODY_ABSENT, false, false), "(none)");
	/* "the reason says it all": the verdict's class */
	CHECK_STR("class/verdict-sha1", class_of(DKIM_RESULT_PERMERROR,
	    REASON_ALGORITHM_FORBIDDEN, DIAG_VERDICT, false, false),
	    "signer-error");
}

static void
test_verdicts(void)
{
	static const struct {
		enum dkim_result res;
		enum dkim_reason reason;
		const char	*want;
	} t[] = {
		{ DKIM_RESULT_FAIL, REASON_REDACTED, "redacted" },
		{ DKIM_RESULT_PERMERROR, REASON_KEY_NOT_FOUND, "key-missing" },
		{ DKIM_RESULT_PERMERROR, REASON_KEY_REVOKED, "key-revoked" },
		{ DKIM_RESULT_PERMERROR, REASON_KEY_TOO_SMALL, "key-unusable" },
		{ DKIM_RESULT_PERMERROR, REASON_KEY_TOO_LARGE, "key-unusable" },
		{ DKIM_RESULT_PERMERROR, REASON_EXPIRED, "expired" },
		{ DKIM_RESULT_PERMERROR, REASON_FUTURE_TIMESTAMP, "expired" },
		{ DKIM_RESULT_PERMERROR, REASON_L_EXCEEDS_BODY, "truncated" },
		{ DKIM_RESULT_PERMERROR, REASON_FROM_NOT_SIGNED, "signer-error" },
		{ DKIM_RESULT_PERMERROR, REASON_FROM_DUPLICATED,
		    "header-changed" },
		{ DKIM_RESULT_POLICY, REASON_ALGORITHM_FORBIDDEN,
		    "signer-error" },
		/* these take a diagnosis */
		{ DKIM_RESULT_FAIL, REASON_BODY_HASH_MISMATCH, "(none)" },
		{ DKIM_RESULT_FAIL, REASON_SIGNATURE_MISMATCH, "(none)" },
		{ DKIM_RESULT_TEMPERROR, REASON_DNS_SERVFAIL, "(none)" },
	};
	struct sig_class sc;
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		diag_class_of_verdict(&sc, t[i].res, t[i].reason);
		CHECK_STR(dkim_reason_name(t[i].reason), sc.cls == DC_NONE ?
		    "(none)" : diag_class_name(sc.cls), t[i].want);
	}
	diag_class_of_verdict(&sc, DKIM_RESULT_PERMERROR,
	    REASON_FROM_DUPLICATED);
	CHECK_STR("class/from-duplicated-field", sc.field, "from");
}

static void
test_rotated_and_rows(void)
{
	struct sig_result sr;
	struct sig_diag	 d;
	struct sig_class sc, back;
	struct sig_class_row row;

	memset(&sr, 0, sizeof(sr));
	memset(&d, 0, sizeof(d));
	sr.result = DKIM_RESULT_FAIL;
	sr.reason = REASON_SIGNATURE_MISMATCH;
	d.run = true;
	d.cause = DIAG_HDR_REWRITTEN;
	d.header.nrw = 1;
	strcpy(d.header.rw[0].field, "Subject");
	d.header.rw[0].xform = DX_TAG_ADDED;
	diag_class_make(&sc, &sr, &d, false, false);
	diag_class_row(&sc, false, &row);
	CHECK_STR("row/header-class", row.diagnosis, "header-changed");
	CHECK_STR("row/header-field", row.field, "subject");
	CHECK_STR("row/header-detail", row.detail,
	    "Subject: subject-list-tag-added");
	/* an archived key verifies it: rotated, whatever the diagnosis */
	diag_class_row(&sc, true, &row);
	CHECK_STR("row/rotated-class", row.diagnosis, "key-rotated");
	CHECK_TRUE("row/rotated-no-detail", row.detail == NULL);
	/* read back as reverify reads it */
	diag_class_read(&back, "header-changed", "subject",
	    "Subject: subject-list-tag-added");
	CHECK_INT("row/read-class", back.cls, DC_HEADER_CHANGED);
	CHECK_STR("row/read-field", back.field, "subject");
	diag_class_read(&back, "no-such-class", NULL, NULL);
	CHECK_INT("row/read-unknown-name", back.cls, DC_NONE);
	/* a field off the list is "other"; the detail printable, bounded */
	strcpy(d.header.rw[0].field, "X-Campaign\x01\xff");
	diag_class_make(&sc, &sr, &d, false, false);
	CHECK_STR("row/field-other", sc.field, "other");
	CHECK_STR("row/detail-printable", sc.detail,
	    "X-Campaign??: subject-list-tag-added");
	/* a MIME part: its path and type */
	memset(&d, 0, sizeof(d));
	d.run = true;
	d.cause = DIAG_BODY_MIME_PART_ADDED;
	d.body.nparts = 1;
	strcpy(d.body.parts[0].path, "2");
	strcpy(d.body.parts[0].type, "text/plain");
	d.body.parts[0].xform = DX_PART_ADDED;
	sr.reason = REASON_BODY_HASH_MISMATCH;
	diag_class_make(&sc, &sr, &d, false, false);
	CHECK_STR("row/part-class", diag_class_name(sc.cls), "part-added");
	CHECK_STR("row/part-detail", sc.detail, "part 2 text/plain: part-added");
	CHECK_TRUE("row/part-no-field", sc.field[0] == '\0');
}

int
main(void)
{
	test_causes();
	test_verdicts();
	test_rotated_and_rows();
	return UNIT_DONE();
}
