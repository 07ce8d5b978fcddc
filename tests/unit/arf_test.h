/* SPDX-License-Identifier: ISC */
/*
 * arf_test.h: what the parts of test_arf share.  test_arf.c holds main,
 * the standard ARF cases, the near misses and the reporter table, and the
 * helpers below; arf_providers.c the non-ARF complaint formats.
 */
#ifndef FBL_ARF_TEST_H
#define FBL_ARF_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "fbl/feedback/arf.h"

/* The report last parsed, its exact-size copy, and a message buffer. */
extern struct arf_report r;
extern char	*cur;
extern char	 msg[65536];

/* Parse an exact-size heap copy of s (n bytes) into r. */
bool		 parse_n(const char *s, size_t n);
bool		 parse(const char *s);
/* Does r carry deviation code? */
bool		 has_dev(const char *code);
/* The original of r as a C string (for CHECK_STR). */
const char	*orig(void);
/*
 * A three-part report: top Content-Type ct, report part headers rh and
 * fields, original part headers oh and content, then end ("--B--\n" or "").
 */
const char	*build(const char *ct, const char *rh, const char *fields,
		    const char *oh, const char *content, const char *end);
const char	*std_report(const char *fields, const char *oh,
		    const char *content);

#define ORIGINAL_HDRS \
	"DKIM-Signature: v=1; a=rsa-sha256; d=customer.example; s=s1;\n" \
	"\th=from:to:subject; bh=aGk=; b=aGk=\n" \
	"From: News <news@customer.example>\n" \
	"To: someone@rcpt.example\n" \
	"Subject: offer\n" \
	"Message-ID: <1@customer.example>\n"
#define ORIGINAL	ORIGINAL_HDRS "\nbody line\n"
/* RFC 2046 5.1.1: the line end before a delimiter belongs to it */
#define ORIGINAL_IN_PART ORIGINAL_HDRS "\nbody line"

#define FIELDS \
	"Feedback-Type: abuse\n" \
	"User-Agent: SomeGenerator/1.0\n" \
	"Version: 1\n"

/* arf_providers.c */
void		 test_jmrp(void);
void		 test_envelope_before_original(void);
void		 test_derived_source_ip(void);
void		 test_ses(void);

#endif
