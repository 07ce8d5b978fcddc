/* SPDX-License-Identifier: ISC */
/*
 * verify: verify every DKIM-Signature of one message.
 *
 * The work is split into facts and a verdict.  Facts: the parsed signature,
 * the key answer and the record chosen, the body hash (one streaming pass per
 * message, shared by every signature with the same body canonicalization,
 * hash and l=), the header hash and whether the signature verifies over it.
 * The verdict (RFC 8601 word + reason) is derived from the facts in the
 * order of RFC 6376 section 6.1.  Facts are gathered even where the verdict
 * is already known to be a permerror for policy reasons (rsa-sha1, expired,
 * future t=), so the explain view can say whether the signature would
 * otherwise have verified.
 *
 * A header-only copy (no blank line after the header block) still gets its
 * header signature checked, since bh= is part of the signed data: the
 * verdict is neutral / headers-only and header_verified says how it went.
 *
 * The header digest and the body hash comparison do not depend on the key:
 * they are computed for every signature whose tags parse, even when no key
 * was found or DNS failed.  With a few message facts they make up the
 * sig_facts of a signature (below), from which the verdict can be given
 * again later, without the message: after a temperror (verify_replay) or
 * against an archived key (verify_facts_under_key).
 */
#ifndef FBL_VERIFY_H
#define FBL_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "verifier/canon.h"
#include "verifier/dkim_sig.h"
#include "verifier/keyfetch.h"
#include "verifier/message.h"
#include "verifier/result.h"

#define VERIFY_MAX_SIGS		32	/* signatures verified per message */
/*
 * What --explain keeps of a signature's canonical header block, after
 * hashing all of it: 32 signatures over one 50 MB field must not keep (or
 * print) 1.6 GB.
 */
#define VERIFY_TRACE_MAX	(64u * 1024)
#define VERIFY_DEFAULT_SKEW	300	/* seconds of clock skew for t= */

/*
 * The DNS a message may cost: all its key lookups share one deadline,
 * dns_budget_ms after it starts (default VERIFY_DNS_BUDGET_MS; lookups
 * after it are temperror dns-timeout, "not asked"), and it asks for at most
 * VERIFY_MAX_KEY_NAMES distinct key names.  32 signatures whose keys sit
 * behind a server that never answers cost the budget, not 32 timeouts.
 */
#define VERIFY_DNS_BUDGET_MS	5000
#define VERIFY_MAX_KEY_NAMES	8

struct verify_opts {
	struct key_source	*keys;
	int64_t			 now;		/* verification clock, epoch s */
	int64_t			 skew;		/* allowed future t=, seconds */
	bool			 keep_trace;	/* keep canonical data (explain) */
	unsigned		 dns_budget_ms;	/* per message; 0 = default */
};


struct replay_copy;

struct sig_result {
	struct dkim_sig		 sig;
	enum dkim_result	 result;
	enum dkim_reason	 reason;
	struct buf		 detail;

	const struct key_answer	*answer;	/* NULL when not fetched */
	const struct key_txt	*key;		/* record used, or NULL */
	size_t			 key_index;	/* its index in answer->txt */
	enum dkim_reason	 key_problem;	/* REASON_OK or why refused */

	const struct body_hash	*body;		/* NULL: no body or not hashed */
	bool			 body_verified;	/* key or not, when body->ok */
	bool			 header_checked; /* verified with a key */
	bool			 header_verified;
	unsigned char		 hdigest[EVP_MAX_MD_SIZE];
	unsigned int		 hdigest_len;	/* 0: not computed */
	struct buf		 canon_headers;	/* exactly as hashed (trace:
						 * its first VERIFY_TRACE_MAX
						 * bytes only) */
	size_t			 canon_headers_len; /* all of it */
	enum dkim_reason	 time_problem;	/* expired / future, or OK */
	bool			 would_pass;	/* crypto good, policy aside */
	struct replay_copy	*replay;	/* verify_replay(): the copy of
						 * the field sig points into */
};

struct verify_result {
	struct message		 msg;
	enum message_status	 msg_status;
	struct sig_result	*sigs;
	size_t			 nsigs;
	size_t			 nsigs_total;	/* fields seen, may exceed nsigs */
	struct body_hash	*bodies;
	size_t			 nbodies;
	size_t			 n_from;	/* From fields in the message */
	int64_t			 now;
	int64_t			 skew;
};

/*
 * Verify the message in raw[0..len).  raw must outlive the result.  Returns
 * false only when the message could not be split at all (msg_status says
 * why) or memory ran out; per-signature problems are verdicts, not errors.
 */
bool		 dkim_verify(const struct verify_opts *, const char *raw,
		    size_t len, struct verify_result *);
void		 verify_result_free(struct verify_result *);
/* Every signature passed, and there was at least one. */
bool		 verify_all_pass(const struct verify_result *);
/*
 * What l= leaves unsigned: the bytes of the canonical body after the first
 * l= bytes (canon_len - l, 0 when l= covers it all).  False when the
 * signature has no l= or its body was not hashed (a header-only copy).
 * Anyone may append content there (RFC 6376 section 8.2): the l= warning
 * is due when this is above 0 and the signature verifies (sig_l_warns).
 */
bool		 sig_l_unsigned(const struct sig_result *, uint64_t *n);
bool		 sig_l_warns(const struct sig_result *, uint64_t *n);

/*
 * The persistable facts of one signature: everything its verdict needs
 * except the key and the clock.  They hold no personal data: field is the
 * DKIM-Signature field itself (as the signer wrote it), hdigest is the
 * digest (SHA-256, or SHA-1 for rsa-sha1) of the canonical signed header
 * block, and the rest are flags and counts.  The recipient addresses of the
 * message cannot be read back from them.
 *
 * Plain data: a store keeps the field bytes and the digest, and points
 * field/hdigest back at its copies to replay.
 */
struct sig_facts {
	const char	*field;		/* the whole DKIM-Signature field, */
	size_t		 field_len;	/* name included, raw bytes, no EOL */
	unsigned char	 hdigest[EVP_MAX_MD_SIZE];
	unsigned int	 hdigest_len;	/* 0: not computed */
	bool		 has_body;	/* false: header-only copy */
	bool		 body_verified;	/* bh= matched the body */
	bool		 l_exceeds;	/* l= beyond the canonical body */
	uint64_t	 l;		/* l= and the canonical body length, */
	uint64_t	 canon_len;	/* for the detail when l_exceeds */
	size_t		 n_from;	/* From fields in the message */
	bool		 redacted;	/* a signed To/Cc shows redaction */
	int64_t		 now;		/* clock of the first verification */
	int64_t		 skew;
};

/*
 * The facts of signature i of vr.  field points into vr's message (valid as
 * long as vr); the rest is copied.  False when there is nothing worth
 * keeping: no signature i, its tags did not parse (the verdict needs no key
 * then), or its header digest could not be computed.
 */
bool		 verify_facts(const struct verify_result *, size_t i,
		    struct sig_facts *);
/*
 * Give again the verdict dkim_verify() gave (or would give) for the
 * signature the facts describe: the signature is parsed from the field, the
 * key fetched through opts->keys, and the verdict judged at opts->now and
 * opts->skew (copy the facts' now/skew into opts to judge as of the first
 * verification).  With the same key source and clock, result, reason and
 * detail are exactly those of dkim_verify(); so are the key facts, while
 * body is NULL (there is no body to point at).  The sig_result owns a copy
 * of the field (the facts may go away); release it with sig_result_free(),
 * whatever this returned.  False when the field is not one DKIM-Signature
 * field or memory ran out.
 */
bool		 verify_replay(const struct verify_opts *,
		    const struct sig_facts *, struct sig_result *);
void		 sig_result_free(struct sig_result *);
/*
 * Is the signature authentic under key: may the key be used for it (the
 * refusal rules of verification: type, h=, s=, t=s, RSA size), does its
 * signature verify over the header digest, and did the body hash match (or
 * the copy has no body)?  The clock (t=, x=) and rsa-sha1 being refused are
 * not asked: this tells whether the signer held the key, for the key
 * archive.  When false, why (if not NULL) gets one line saying why not.
 */
bool		 verify_facts_under_key(const struct sig_facts *,
		    const struct key_record *, struct buf *why);

#endif
