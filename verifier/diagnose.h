/* SPDX-License-Identifier: ISC */
/*
 * diagnose: why a signature failed, by experiment rather than by guess.
 *
 * Body: the usual transport damages are undone one at a time (bare CR before
 * CRLF, trailing whitespace, a final CRLF, the other canonicalization,
 * quoted-printable or base64 re-encoding, content appended after the signed
 * part, line ends hashed as LF) and the body hash is recomputed; a variant
 * that reproduces bh= names the damage.
 *
 * Header: for RSA, the signature is opened with the public key
 * (EVP_PKEY_verify_recover).  A well-formed DigestInfo proves the key signed
 * and the signed header data changed; the header block is then rebuilt under
 * a few variants (other canonicalization, fields taken top-down, the z= copy
 * of the original fields) to find the change.  Bad padding proves the key is
 * not the one that signed.
 *
 * Header hypotheses (hypo_header.c): when the key signed and no variant
 * above finds the change, each signed field is replaced in turn by guesses
 * at its original, the inverse of what lists and gateways do (a list tag
 * or Re:/Fwd: in Subject, From munged by a list with the original kept in
 * Reply-To, X-Original-From or Cc, display names added or quoted, Date
 * re-rendered, Content-Type parameters reordered or quoted, encoded-words
 * made again, and under simple refolding, the name's case, whitespace),
 * then two fields at once, then each signed instance taken away (a field
 * added above the one signed).  Each guess rebuilds the whole canonical
 * block and is checked exactly: its digest against the one recovered from
 * b= (RSA), or the signature verified over it (Ed25519).  None found: the
 * fields lists and gateways rewrite are named as candidates, not claimed.
 *
 * MIME body hypotheses (hypo_body.c): when no transport damage above
 * reproduces bh= and the body is multipart, one part (or two) is undone at
 * a time: a part added taken away, text appended to or inserted in a text
 * part cut, a part's transfer encoding or charset undone, the preamble
 * restored; each rebuilt body is hashed as bh= was.
 *
 * The findings are facts in a struct (struct diagnosis), computed once per
 * message and rendered by each format: the text of --explain (explain.c),
 * the "diagnosis" object of JSON and the comment of Authentication-Results
 * (render.c).  Causes come from a closed set (enum diag_cause, named by
 * diag_cause_name() as in docs/verify-json.md); the one sentence of each is
 * diag_cause_text().
 */
#ifndef FBL_DIAGNOSE_H
#define FBL_DIAGNOSE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "verifier/crypto.h"
#include "verifier/verify.h"

/*
 * The work of one message's diagnosis is bounded, whatever its signatures
 * ask: every trial spends the bytes it hashes from one budget, shared by
 * all the signatures of the message; when it is spent, the remaining
 * trials are not run and cut says so.  256 MiB is four times the largest
 * message (64 MiB): every trial of one signature on any real message, a
 * few seconds of SHA-256.  z= entries compared: at most DIAG_MAX_Z, each
 * value kept to DIAG_SHOW bytes.
 */
#define DIAG_BUDGET_BYTES	((uint64_t)256 << 20)
#define DIAG_MAX_Z		1024
#define DIAG_SHOW		512
/*
 * The hypotheses of one signature: at most DIAG_MAX_HYPOTHESES blocks or
 * bodies hashed (each also spends its bytes from the budget above), at most
 * DIAG_MAX_FIELD_HYPOTHESES guesses at one field or part, the first
 * DIAG_MAX_HFIELDS h= entries.  Pairs of guesses are tried last, within
 * the same count.
 */
#define DIAG_MAX_HYPOTHESES	4096
#define DIAG_MAX_FIELD_HYPOTHESES 64
#define DIAG_MAX_HFIELDS	64
#define DIAG_MAX_CANDIDATES	8
#define DIAG_MAX_REWRITTEN	2

struct diag_budget {
	uint64_t	 left;
	bool		 cut;		/* a trial was refused */
};

void	 diag_budget_init(struct diag_budget *);

/* Why a signature failed: the closed set, in the order of the steps. */
enum diag_cause {
	DIAG_NONE = 0,			/* nothing found (yet) */
	/* body hash: a transform that reproduces bh= */
	DIAG_BODY_CR_CR_LF,
	DIAG_BODY_WS_FLOWED,
	DIAG_BODY_WS_STRIPPED,
	DIAG_BODY_WS_ADDED,
	DIAG_BODY_QP,
	DIAG_BODY_BASE64,
	DIAG_BODY_CANON,
	DIAG_BODY_L_SHORT,
	DIAG_BODY_FINAL_CRLF_ADDED,
	DIAG_BODY_FINAL_LINE_REMOVED,
	DIAG_BODY_LF_HASHED,
	DIAG_BODY_APPENDED,
	DIAG_BODY_MIME_PART_ADDED,	/* MIME hypotheses (diag_part) */
	DIAG_BODY_MIME_TEXT_APPENDED,
	DIAG_BODY_MIME_REENCODED,
	DIAG_BODY_MIME_CHARSET,
	DIAG_BODY_MIME_PREAMBLE,
	DIAG_BODY_CHANGED,		/* none reproduces bh= */
	DIAG_BODY_WS_MAYBE,		/* the hint beside DIAG_BODY_CHANGED */
	/* header signature */
	DIAG_HDR_HASH_ALG,
	DIAG_HDR_CHANGED,		/* the key signed; the data differ */
	DIAG_NOT_SIGNING_KEY,
	DIAG_B_TOO_LONG,
	DIAG_HDR_CANON,
	DIAG_HDR_TOPMOST,
	DIAG_HDR_Z,
	DIAG_REDACTED,
	DIAG_HDR_REWRITTEN,		/* a header hypothesis (diag_rewrite) */
	/* the other failing steps */
	DIAG_KEY_NOT_FOUND,
	DIAG_KEY_REVOKED,
	DIAG_KEY_UNUSABLE,
	DIAG_CLOCK,
	DIAG_BODY_TRUNCATED,
	DIAG_DNS_TEMPORARY,
	DIAG_BODY_ABSENT,
	DIAG_VERDICT,			/* the reason code says it all */
	DIAG_UNKNOWN,
};

enum diag_step {
	DSTEP_BODY_HASH,
	DSTEP_HEADER_SIGNATURE,
	DSTEP_NOT_CHECKABLE,		/* header-only copy */
	DSTEP_KEY_LOOKUP,
	DSTEP_KEY_RECORD,
	DSTEP_TIMES,
	DSTEP_BODY_LENGTH,
	DSTEP_DNS,
	DSTEP_REASON,			/* named by the reason code */
};

/* What an intermediary did, undone by a hypothesis. */
enum diag_xform {
	DX_NONE = 0,
	/* header fields */
	DX_TAG_ADDED,
	DX_TAG_REMOVED,
	DX_SUBJECT_PREFIX,
	DX_FROM_MUNGED,
	DX_DISPLAY_NAME_ADDED,
	DX_DISPLAY_NAME_QUOTED,
	DX_DATE,
	DX_REFOLDED,
	DX_NAME_CASE,
	DX_FIELD_ADDED,
	DX_CT_PARAMS,
	DX_ENCODED_WORD,
	DX_WHITESPACE,
	/* MIME parts */
	DX_PART_ADDED,
	DX_TEXT_APPENDED,
	DX_TEXT_INSERTED,
	DX_QP,
	DX_BASE64,
	DX_BASE64_LINES,
	DX_8BIT,
	DX_CHARSET,
	DX_EPILOGUE,		/* a nested multipart's line end after it */
};

/* One MIME part a body hypothesis changed back. */
struct diag_part {
	char		 path[32];	/* "1.2": IMAP section numbering */
	char		 type[64];	/* "text/plain" */
	enum diag_xform	 xform;
};

struct diag_body {
	enum diag_cause	 cause;		/* DIAG_NONE: not finished */
	enum dkim_canon	 canon;		/* DIAG_BODY_CANON: the signer's */
	size_t		 signed_bytes;	/* DIAG_BODY_APPENDED: the prefix, */
	size_t		 signed_lines;	/* its lines, */
	size_t		 appended_bytes; /* what follows, */
	bool		 at_boundary;	/* which starts with "--" */
	bool		 ws_maybe;	/* DIAG_BODY_WS_MAYBE applies */
	struct diag_part parts[DIAG_MAX_REWRITTEN];	/* DIAG_BODY_MIME_* */
	size_t		 nparts;
	bool		 nested_epilogue; /* and a line end after a nested
					    closing delimiter (not a part) */
	bool		 hypotheses_run;	/* the body was multipart */
	size_t		 hypotheses;	/* bodies hashed */
	bool		 hypotheses_cut; /* DIAG_MAX_HYPOTHESES reached */
};

/* One signed field a header hypothesis changed back. */
struct diag_rewrite {
	char		 field[64];	/* as named in h= */
	enum diag_xform	 xform;
	struct buf	 was, now;	/* raw fields, DIAG_SHOW bytes each */
	size_t		 was_len, now_len;
	bool		 was_absent;	/* DX_FIELD_ADDED */
};

/* Why a field is a likely candidate (no hypothesis reproduced). */
enum diag_why {
	DW_NONE = 0,
	DW_LIST,		/* a list's mail: lists rewrite it */
	DW_NON_ASCII,		/* encoded-words or 8-bit bytes */
	DW_REWRITTEN_OFTEN,	/* gateways rewrite it */
	DW_REPEATED,		/* more than one instance */
};

struct diag_candidate {
	char		 field[64];
	enum diag_why	 why;
};

/* One z= entry that differs, each value cut at DIAG_SHOW bytes. */
struct diag_z {
	struct buf	 was, now;
	size_t		 was_len, now_len;
	bool		 absent;	/* no such field now */
};

struct diag_header {
	bool		 keyed;		/* a key to experiment with */
	bool		 ed25519;
	enum crypto_recover recovered;	/* RSA only */
	enum dkim_hash	 rec_hash;	/* RECOVER_DIGEST: what it holds */
	unsigned char	 digest[64];
	size_t		 digest_len;
	enum diag_cause	 recover_cause;	/* what opening b= says */
	enum diag_cause	 variant_cause;	/* what rebuilding the block says */
	enum dkim_canon	 canon;		/* DIAG_HDR_CANON: the signer's */
	struct diag_z	*z;		/* DIAG_HDR_Z: the differences */
	size_t		 nz;
	bool		 z_more;	/* DIAG_MAX_Z entries compared */
	struct diag_rewrite rw[DIAG_MAX_REWRITTEN];	/* DIAG_HDR_REWRITTEN */
	size_t		 nrw;
	struct diag_candidate cand[DIAG_MAX_CANDIDATES]; /* none found */
	size_t		 ncand;
	bool		 hypotheses_run;
	size_t		 hypotheses;	/* blocks checked */
	bool		 hypotheses_cut; /* DIAG_MAX_HYPOTHESES reached */
};

#define DIAG_MAX_STEPS	2

/* The diagnosis of one signature; run is false for one that passed. */
struct sig_diag {
	bool		 run;
	enum diag_step	 steps[DIAG_MAX_STEPS];
	size_t		 nsteps;
	enum diag_cause	 step_cause;	/* the cause of a step not below */
	bool		 body_run, header_run;
	struct diag_body body;
	struct diag_header header;
	enum diag_cause	 cause;		/* the conclusion */
	bool		 otherwise;	/* "otherwise the signature ..." is */
					/* said (would_pass tells which) */
};

struct diagnosis {
	struct sig_diag	*sigs;		/* one per vr->sigs */
	size_t		 nsigs;
	bool		 cut;		/* the work bound was reached */
};

/* Diagnose every signature of vr that did not pass.  False: no memory. */
bool		 diagnosis_make(struct diagnosis *,
		    const struct verify_result *);
/*
 * The same within a budget the caller holds (ingest's per-run one): what
 * the trials hash is taken from it, and a trial it cannot pay for is not
 * run (cut).  Its left should not exceed DIAG_BUDGET_BYTES.
 */
bool		 diagnosis_make_within(struct diagnosis *,
		    const struct verify_result *, struct diag_budget *);
void		 diagnosis_free(struct diagnosis *);

/*
 * What opening b= with the key alone says of an RSA signature-mismatch,
 * without the message (reverify): DIAG_NOT_SIGNING_KEY, DIAG_HDR_CHANGED,
 * DIAG_HDR_HASH_ALG, DIAG_B_TOO_LONG; DIAG_NONE for anything else.
 */
enum diag_cause	 diag_cause_of_key(const struct sig_result *);
/* "appended-content", ...: the names of docs/verify-json.md */
const char	*diag_cause_name(enum diag_cause);
/* "body_hash", ...; DSTEP_REASON is the reason code of sr */
const char	*diag_step_name(enum diag_step, const struct sig_result *);
/* The sentence for a cause of signature sr (escape it to show it). */
void		 diag_cause_text(struct buf *, enum diag_cause,
		    const struct sig_result *, const struct sig_diag *);
/* "subject-list-tag-added", ...: a transform's name. */
const char	*diag_xform_name(enum diag_xform);
/* "list", ...: why a field is a candidate; and its sentence. */
const char	*diag_why_name(enum diag_why);
const char	*diag_why_text(enum diag_why);
/* The header part's own cause: what the block says, else the opening. */
enum diag_cause	 diag_header_cause(const struct diag_header *);

#endif
