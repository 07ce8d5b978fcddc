/* SPDX-License-Identifier: ISC */
/*
 * diag_class: why a stored signature failed, as one word of a closed set
 * (signature.diagnosis, sql/014_signature_diagnosis.sql), so that the
 * report can count the causes per customer.  The word comes from the
 * diagnosis of the message (diagnose.h) where ingest ran one, else from
 * the verdict alone; docs/verify-json.md lists the set with what each
 * means.
 *
 * Only a signature that failed (fail, permerror, policy) gets a class; a
 * pass, a neutral (a headers-only copy) or a temperror (DNS: not yet
 * judged) gets none (NULL).  Neither does a failure whose cause only a
 * diagnosis can tell (body-hash-mismatch, signature-mismatch) when none
 * was run: ingest's per-run budget was spent, or reverify judged it again
 * without the message.  "unknown" is a diagnosis that ran and found no
 * cause.
 *
 * Two classes need more than the message: key-rotated (a key archived for
 * the name verifies the signature: the key published when it was sent,
 * archive.h), which overrides every other, and forged (the published key
 * did not make the signature, and the reporter does not vouch that it
 * verified on arrival; with a reporter that does, Yahoo's, it is
 * not-signing-key: a key replaced under the same selector).
 *
 * The header field of header-changed is named only from a fixed list of
 * fields lists and gateways rewrite, else "other": the daily counts are
 * keyed by it, and a signer chooses its h= names freely.  The detail (the
 * transform, or the MIME part changed) is for the signature row only,
 * printable ASCII, at most DIAG_CLASS_DETAIL_MAX - 1 bytes.
 */
#ifndef FBL_DIAG_CLASS_H
#define FBL_DIAG_CLASS_H

#include <stdbool.h>
#include <stdint.h>

#include "verifier/diagnose.h"
#include "verifier/result.h"

enum diag_class {
	DC_NONE = 0,		/* no class: stored as NULL */
	DC_LINE_ENDINGS,
	DC_WHITESPACE,
	DC_APPENDED_TEXT,
	DC_PART_ADDED,
	DC_REENCODED,
	DC_CHARSET,
	DC_MIME_STRUCTURE,
	DC_BODY_CHANGED,
	DC_HEADER_CHANGED,
	DC_REDACTED,
	DC_TRUNCATED,
	DC_KEY_ROTATED,
	DC_NOT_SIGNING_KEY,
	DC_FORGED,
	DC_KEY_MISSING,
	DC_KEY_REVOKED,
	DC_KEY_UNUSABLE,
	DC_EXPIRED,
	DC_SIGNER_ERROR,
	DC_UNKNOWN,
	DC_N
};

#define DIAG_CLASS_FIELD_MAX	24
#define DIAG_CLASS_DETAIL_MAX	160

struct sig_class {
	enum diag_class	 cls;
	char		 field[DIAG_CLASS_FIELD_MAX];	/* header-changed */
	char		 detail[DIAG_CLASS_DETAIL_MAX];	/* "" for none */
};

/*
 * The class of a signature with verdict sr, from its diagnosis d (NULL or
 * not run: the verdict alone); cut: the diagnosis ran out of budget, so
 * that finding no transform is no class rather than unknown, body-changed
 * or header-changed; reporter_verified: the reporter forwards only mail
 * that verified on arrival (record_reporter_verified_dkim()).
 * key-rotated is decided by diag_class_final(), once the archive judged.
 */
void		 diag_class_make(struct sig_class *, const struct sig_result *sr,
		    const struct sig_diag *d, bool cut, bool reporter_verified);
/*
 * The same for a verdict given again without the message (reverify's
 * verify_replay()): what the verdict says, and for an RSA
 * signature-mismatch what opening b= with the key says (forged or
 * not-signing-key, header-changed without its field).
 */
void		 diag_class_replayed(struct sig_class *,
		    const struct sig_result *sr, bool reporter_verified);
/* The same from a stored verdict only. */
void		 diag_class_of_verdict(struct sig_class *, enum dkim_result,
		    enum dkim_reason);
/* The class stored: key-rotated when an archived key verified it. */
enum diag_class	 diag_class_final(const struct sig_class *, bool archived_pass);
/* What a signature row stores of sc: each NULL for none. */
struct sig_class_row {
	const char	*diagnosis;	/* diag_class_final()'s name */
	const char	*field;
	const char	*detail;	/* none for key-rotated */
};
void		 diag_class_row(const struct sig_class *, bool archived_pass,
		    struct sig_class_row *);
/*
 * A stored row's class back into sc (reverify keeps it when the verdict
 * stays); an unknown name (a newer binary's) leaves sc empty.
 */
void		 diag_class_read(struct sig_class *, const char *diagnosis,
		    const char *field, const char *detail);
/* "line-endings", ...; NULL for DC_NONE. */
const char	*diag_class_name(enum diag_class);
/* Whether a verdict is one that gets a class. */
bool		 diag_class_applies(enum dkim_result);

/*
 * A run's budget for diagnoses (ingest --diagnose-budget), shared by its
 * threads: each message's diagnosis takes up to DIAG_BUDGET_BYTES from it
 * and gives back what it did not hash.  When it is spent, failures are
 * stored without the classes only a diagnosis gives.
 */
struct diag_pool {
	_Atomic uint64_t left;		/* bytes */
};

void		 diag_pool_init(struct diag_pool *, uint64_t bytes);
/* Whether vr has a failure whose class takes a diagnosis. */
bool		 diag_pool_wanted(const struct verify_result *);
/*
 * Diagnose vr's failures within what the pool has left: *ran false when
 * it had nothing left (dg is then empty).  false: out of memory.
 */
bool		 diag_pool_diagnose(struct diag_pool *, struct diagnosis *,
		    const struct verify_result *, bool *ran);

#endif
