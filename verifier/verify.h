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
 */
#ifndef FBL_VERIFY_H
#define FBL_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/buf.h"
#include "verifier/canon.h"
#include "verifier/dkim_sig.h"
#include "verifier/keyfetch.h"
#include "verifier/message.h"
#include "verifier/result.h"

#define VERIFY_MAX_SIGS		32	/* signatures verified per message */
#define VERIFY_DEFAULT_SKEW	300	/* seconds of clock skew for t= */

struct verify_opts {
	struct key_source	*keys;
	int64_t			 now;		/* verification clock, epoch s */
	int64_t			 skew;		/* allowed future t=, seconds */
	bool			 keep_trace;	/* keep canonical data (explain) */
};

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
	bool			 body_verified;
	bool			 header_checked;
	bool			 header_verified;
	unsigned char		 hdigest[EVP_MAX_MD_SIZE];
	unsigned int		 hdigest_len;
	struct buf		 canon_headers;	/* exactly as hashed (trace) */
	enum dkim_reason	 time_problem;	/* expired / future, or OK */
	bool			 would_pass;	/* crypto good, policy aside */
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

#endif
