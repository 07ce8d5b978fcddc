/* SPDX-License-Identifier: ISC */
/*
 * result: the verdict model shared by every stage after the verifier.
 *
 * A signature's verdict is an RFC 8601 result word plus a reason code (a
 * stable kebab-case token that reports and SQL group by) and a human detail.
 * DNS trouble is always a temperror, never a fail: the record stays
 * re-verifiable.
 */
#ifndef FBL_RESULT_H
#define FBL_RESULT_H

enum dkim_result {
	DKIM_RESULT_NONE = 0,	/* message without signatures */
	DKIM_RESULT_PASS,
	DKIM_RESULT_FAIL,
	DKIM_RESULT_NEUTRAL,
	DKIM_RESULT_POLICY,
	DKIM_RESULT_TEMPERROR,
	DKIM_RESULT_PERMERROR,
};

/* Keep in step with reason_names[] in result.c. */
enum dkim_reason {
	REASON_OK = 0,
	REASON_BODY_HASH_MISMATCH,
	REASON_SIGNATURE_MISMATCH,
	REASON_HEADERS_ONLY,
	REASON_REDACTED,
	REASON_KEY_NOT_FOUND,
	REASON_KEY_REVOKED,
	REASON_KEY_TOO_SMALL,
	REASON_KEY_TOO_LARGE,		/* RSA over CRYPTO_RSA_MAX_BITS */
	REASON_KEY_EXPONENT,		/* RSA e outside the bound */
	REASON_KEY_SYNTAX,
	REASON_KEY_TYPE_MISMATCH,	/* k= does not match a= */
	REASON_KEY_HASH_NOT_ALLOWED,	/* key h= excludes the hash */
	REASON_KEY_SERVICE,		/* key s= excludes email */
	REASON_KEY_STRICT_IDENTITY,	/* key t=s and i= in a subdomain */
	REASON_ALGORITHM_FORBIDDEN,	/* rsa-sha1 (RFC 8301) */
	REASON_ALGORITHM_UNKNOWN,
	REASON_TAG_SYNTAX,
	REASON_TAG_MISSING,
	REASON_VERSION,
	REASON_IDENTITY_MISMATCH,	/* i= not d= or a subdomain of it */
	REASON_QUERY_METHOD,
	REASON_CANON_UNKNOWN,
	REASON_EXPIRED,
	REASON_FUTURE_TIMESTAMP,
	REASON_L_EXCEEDS_BODY,
	REASON_FROM_NOT_SIGNED,
	REASON_FROM_DUPLICATED,
	REASON_DNS_TIMEOUT,
	REASON_DNS_SERVFAIL,
	REASON_DNS_MALFORMED,
	REASON_INTERNAL,
	REASON__COUNT
};

const char	*dkim_result_name(enum dkim_result);
const char	*dkim_reason_name(enum dkim_reason);
/* Parse the names back (for the store and tests); -1 when unknown. */
int		 dkim_result_from_name(const char *);
int		 dkim_reason_from_name(const char *);

#endif
