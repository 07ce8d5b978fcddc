/* SPDX-License-Identifier: ISC */
/* result: names of the verdict words and reason codes. */
#include <string.h>

#include "verifier/result.h"

static const char *const result_names[] = {
	[DKIM_RESULT_NONE] = "none",
	[DKIM_RESULT_PASS] = "pass",
	[DKIM_RESULT_FAIL] = "fail",
	[DKIM_RESULT_NEUTRAL] = "neutral",
	[DKIM_RESULT_POLICY] = "policy",
	[DKIM_RESULT_TEMPERROR] = "temperror",
	[DKIM_RESULT_PERMERROR] = "permerror",
};

static const char *const reason_names[REASON__COUNT] = {
	[REASON_OK] = "ok",
	[REASON_BODY_HASH_MISMATCH] = "body-hash-mismatch",
	[REASON_SIGNATURE_MISMATCH] = "signature-mismatch",
	[REASON_HEADERS_ONLY] = "headers-only",
	[REASON_REDACTED] = "redacted",
	[REASON_KEY_NOT_FOUND] = "key-not-found",
	[REASON_KEY_REVOKED] = "key-revoked",
	[REASON_KEY_TOO_SMALL] = "key-too-small",
	[REASON_KEY_TOO_LARGE] = "key-too-large",
	[REASON_KEY_EXPONENT] = "key-bad-exponent",
	[REASON_KEY_SYNTAX] = "key-syntax",
	[REASON_KEY_TYPE_MISMATCH] = "key-type-mismatch",
	[REASON_KEY_HASH_NOT_ALLOWED] = "key-hash-not-allowed",
	[REASON_KEY_SERVICE] = "key-service-mismatch",
	[REASON_KEY_STRICT_IDENTITY] = "key-strict-identity",
	[REASON_ALGORITHM_FORBIDDEN] = "algorithm-forbidden",
	[REASON_ALGORITHM_UNKNOWN] = "algorithm-unknown",
	[REASON_TAG_SYNTAX] = "tag-syntax",
	[REASON_TAG_MISSING] = "tag-missing",
	[REASON_VERSION] = "version",
	[REASON_IDENTITY_MISMATCH] = "identity-mismatch",
	[REASON_QUERY_METHOD] = "query-method",
	[REASON_CANON_UNKNOWN] = "canonicalization-unknown",
	[REASON_EXPIRED] = "expired",
	[REASON_FUTURE_TIMESTAMP] = "future-timestamp",
	[REASON_L_EXCEEDS_BODY] = "l-exceeds-body",
	[REASON_FROM_NOT_SIGNED] = "from-not-signed",
	[REASON_FROM_DUPLICATED] = "from-duplicated",
	[REASON_DNS_TIMEOUT] = "dns-timeout",
	[REASON_DNS_SERVFAIL] = "dns-servfail",
	[REASON_DNS_MALFORMED] = "dns-malformed",
	[REASON_INTERNAL] = "internal-error",
};

const char *
dkim_result_name(enum dkim_result r)
{
	if ((unsigned)r >= sizeof(result_names) / sizeof(result_names[0]))
		return "permerror";
	return result_names[r];
}

const char *
dkim_reason_name(enum dkim_reason r)
{
	if ((unsigned)r >= REASON__COUNT || reason_names[r] == NULL)
		return "internal-error";
	return reason_names[r];
}

int
dkim_result_from_name(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(result_names) / sizeof(result_names[0]); i++)
		if (strcmp(result_names[i], s) == 0)
			return (int)i;
	return -1;
}

int
dkim_reason_from_name(const char *s)
{
	int	 i;

	for (i = 0; i < REASON__COUNT; i++)
		if (reason_names[i] != NULL && strcmp(reason_names[i], s) == 0)
			return i;
	return -1;
}
