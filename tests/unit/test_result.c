/* SPDX-License-Identifier: ISC */
/*
 * test_result: the RFC 8601 result words and the reason tokens, by name and
 * back, for every enum value.  The tokens are what reports and SQL group by,
 * so the ones named in DESIGN.md section 4 are pinned here.
 */
#include <stdbool.h>

#include "tests/unit/unit.h"
#include "verifier/result.h"

static bool
kebab(const char *s)
{
	size_t	 i;

	if (s == NULL || s[0] == '\0' || s[0] == '-')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return s[i - 1] != '-';
}

static void
test_results(void)
{
	static const struct {
		enum dkim_result r;
		const char	*name;
	} want[] = {
		{ DKIM_RESULT_NONE, "none" },
		{ DKIM_RESULT_PASS, "pass" },
		{ DKIM_RESULT_FAIL, "fail" },
		{ DKIM_RESULT_NEUTRAL, "neutral" },
		{ DKIM_RESULT_POLICY, "policy" },
		{ DKIM_RESULT_TEMPERROR, "temperror" },
		{ DKIM_RESULT_PERMERROR, "permerror" },
	};
	size_t	 i;
	char	 n[96];

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(n, sizeof(n), "result/result-name-%s", want[i].name);
		CHECK_STR(n, dkim_result_name(want[i].r), want[i].name);
		snprintf(n, sizeof(n), "result/result-from-name-%s",
		    want[i].name);
		CHECK_INT(n, dkim_result_from_name(want[i].name), want[i].r);
	}
	CHECK_INT("result/result-from-name-unknown",
	    dkim_result_from_name("passed"), -1);
	CHECK_INT("result/result-from-name-empty", dkim_result_from_name(""),
	    -1);
	CHECK_INT("result/result-from-name-case", dkim_result_from_name("PASS"),
	    -1);
}

static void
test_reasons(void)
{
	/* the tokens DESIGN.md section 4 names */
	static const struct {
		enum dkim_reason r;
		const char	*name;
	} pinned[] = {
		{ REASON_OK, "ok" },
		{ REASON_BODY_HASH_MISMATCH, "body-hash-mismatch" },
		{ REASON_SIGNATURE_MISMATCH, "signature-mismatch" },
		{ REASON_HEADERS_ONLY, "headers-only" },
		{ REASON_REDACTED, "redacted" },
		{ REASON_KEY_NOT_FOUND, "key-not-found" },
		{ REASON_KEY_REVOKED, "key-revoked" },
		{ REASON_KEY_TOO_SMALL, "key-too-small" },
		{ REASON_KEY_TOO_LARGE, "key-too-large" },
		{ REASON_KEY_EXPONENT, "key-bad-exponent" },
		{ REASON_ALGORITHM_FORBIDDEN, "algorithm-forbidden" },
		{ REASON_TAG_SYNTAX, "tag-syntax" },
		{ REASON_EXPIRED, "expired" },
		{ REASON_FUTURE_TIMESTAMP, "future-timestamp" },
		{ REASON_L_EXCEEDS_BODY, "l-exceeds-body" },
		{ REASON_FROM_NOT_SIGNED, "from-not-signed" },
		{ REASON_DNS_TIMEOUT, "dns-timeout" },
		{ REASON_DNS_SERVFAIL, "dns-servfail" },
	};
	const char	*names[REASON__COUNT];
	size_t		 i, j;
	int		 r;
	bool		 all_kebab = true, all_round = true, unique = true;
	char		 n[96];

	for (i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
		snprintf(n, sizeof(n), "result/reason-name-%s", pinned[i].name);
		CHECK_STR(n, dkim_reason_name(pinned[i].r), pinned[i].name);
	}

	/* every value: a kebab-case token that parses back to itself */
	for (r = 0; r < REASON__COUNT; r++) {
		names[r] = dkim_reason_name((enum dkim_reason)r);
		if (!kebab(names[r])) {
			all_kebab = false;
			printf("# reason %d: bad token \"%s\"\n", r,
			    names[r] ? names[r] : "(null)");
		}
		if (names[r] == NULL || dkim_reason_from_name(names[r]) != r) {
			all_round = false;
			printf("# reason %d (%s) does not round-trip\n", r,
			    names[r] ? names[r] : "(null)");
		}
	}
	CHECK_TRUE("result/reason-all-kebab", all_kebab);
	CHECK_TRUE("result/reason-all-round-trip", all_round);
	for (i = 0; i < REASON__COUNT; i++)
		for (j = i + 1; j < REASON__COUNT; j++)
			if (names[i] && names[j] &&
			    strcmp(names[i], names[j]) == 0)
				unique = false;
	CHECK_TRUE("result/reason-names-unique", unique);
	/* only REASON_INTERNAL is named internal-error */
	CHECK_INT("result/reason-internal",
	    dkim_reason_from_name("internal-error"), REASON_INTERNAL);
	CHECK_INT("result/reason-from-name-unknown",
	    dkim_reason_from_name("no-such-reason"), -1);
	CHECK_INT("result/reason-from-name-empty", dkim_reason_from_name(""),
	    -1);
	/* out of range values still give a printable token */
	CHECK_TRUE("result/reason-out-of-range",
	    kebab(dkim_reason_name((enum dkim_reason)REASON__COUNT)));
	CHECK_TRUE("result/result-out-of-range",
	    kebab(dkim_result_name((enum dkim_result)99)));
}

int
main(void)
{
	test_results();
	test_reasons();
	return UNIT_DONE();
}
