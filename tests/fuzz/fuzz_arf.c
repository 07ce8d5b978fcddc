/* SPDX-License-Identifier: ISC */
/*
 * fuzz_arf: arf_parse() on hostile bytes, checked against the contract of
 * fbl/feedback/arf.h; then the MIME tree of the same bytes (verifier/mime.h) is walked
 * and every part range must lie inside the input.
 *
 * Any broken invariant is reported on stderr and abort()s, so libFuzzer saves
 * the input as a crash artifact.
 *
 * FUZZ_MAX_LEN: 65536
 * FUZZ_SEEDS: arf
 * FUZZ_SOURCES: fbl/feedback/arf.c fbl/feedback/arf_standard.c
 * FUZZ_SOURCES: fbl/feedback/arf_original.c fbl/feedback/arf_provider.c
 * FUZZ_SOURCES: fbl/feedback/arf_nearmiss.c
 * FUZZ_SOURCES: fbl/feedback/reporter.c fbl/feedback/arf_source_ip.c
 * FUZZ_DICT: "Content-Type: multipart/report; boundary=\"B\"\x0a"
 * FUZZ_DICT: "; report-type=feedback-report"
 * FUZZ_DICT: "Content-Type: message/feedback-report\x0a"
 * FUZZ_DICT: "Content-Type: message/rfc822\x0a"
 * FUZZ_DICT: "Content-Type: text/rfc822-headers\x0a"
 * FUZZ_DICT: "Content-Transfer-Encoding: base64\x0a"
 * FUZZ_DICT: "Content-Transfer-Encoding: quoted-printable\x0a"
 * FUZZ_DICT: "\x0a--B\x0a"
 * FUZZ_DICT: "\x0a--B--\x0a"
 * FUZZ_DICT: "boundary*0="
 * FUZZ_DICT: "Feedback-Type: abuse\x0a"
 * FUZZ_DICT: "User-Agent: "
 * FUZZ_DICT: "Version: 1\x0a"
 * FUZZ_DICT: "Reported-Domain: "
 * FUZZ_DICT: "Received-Date: "
 * FUZZ_DICT: "Source-IP: "
 * FUZZ_DICT: "From: staff@hotmail.com\x0a"
 * FUZZ_DICT: "X-HmXmrOriginalRecipient: "
 * FUZZ_DICT: "\"notificationType\":\"Complaint\""
 * FUZZ_DICT: "DKIM-Signature: "
 * FUZZ_DICT: "From "
 * FUZZ_DICT: "\x0d\x0a"
 * FUZZ_DICT: "\x0a\x0a"
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/feedback/arf.h"
#include "verifier/mime.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile unsigned sink;

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_arf: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

/* Read every byte so ASan sees any out-of-bounds span. */
static void
touch(const char *p, size_t n)
{
	unsigned	 s = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		s += (unsigned char)p[i];
	sink += s;
}

static void
touch_str(const char *s)
{
	if (s != NULL)
		touch(s, strlen(s) + 1);
}

static bool
inside(const char *p, size_t n, const char *lo, size_t len)
{
	if (n == 0)
		return true;
	if (p == NULL || p < lo || p > lo + len)
		return false;
	return n <= (size_t)(lo + len - p);
}

static void
check_list(const struct arf_list *l)
{
	size_t	 i;

	REQUIRE(l->n <= ARF_MAX_LIST);
	for (i = 0; i < l->n; i++) {
		REQUIRE(l->v[i] != NULL);
		touch_str(l->v[i]);
	}
}

static void
check_strings(const struct arf_report *r)
{
	const char *const s[] = { r->decided, r->feedback_type, r->user_agent,
	    r->version, r->original_mail_from, r->arrival_date,
	    r->reporting_mta, r->source_ip, r->incidents,
	    r->original_envelope_id, r->authentication_results,
	    r->auth_failure, r->dkim_domain, r->dkim_identity,
	    r->dkim_selector, r->dkim_canonicalized_header,
	    r->dkim_canonicalized_body, r->delivery_result,
	    r->identity_alignment, r->source, r->report_from_domain,
	    r->report_date, r->reporter };
	size_t	 i;
	const char *p;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		touch_str(s[i]);
	if (r->feedback_type != NULL)
		for (p = r->feedback_type; *p != '\0'; p++)
			REQUIRE(!(*p >= 'A' && *p <= 'Z'));
}

static void
check_report(const struct arf_report *r)
{
	REQUIRE(r->kind <= ARF_KIND_UNPARSEABLE);
	REQUIRE(r->complaint == (r->kind == ARF_KIND_ARF ||
	    r->kind == ARF_KIND_COMPLAINT));
	REQUIRE(r->decided != NULL && r->decided[0] != '\0');
	REQUIRE(r->original_form <= ARF_ORIG_INLINE);
	if (!r->complaint) {
		REQUIRE(r->reporter == NULL);
		REQUIRE(r->kind == ARF_KIND_SAMPLE ||
		    r->original_form == ARF_ORIG_NONE);
	}
	if (r->kind == ARF_KIND_COMPLAINT)
		REQUIRE(r->feedback_type != NULL);
	if (r->original_form == ARF_ORIG_NONE)
		REQUIRE(r->original == NULL);
	else
		REQUIRE(r->original != NULL);
	if (r->original_form == ARF_ORIG_HEADERS)
		REQUIRE(!r->original_has_body);
	if (r->original != NULL)
		touch(r->original, r->original_len);
	check_strings(r);
	check_list(&r->deviations);
	check_list(&r->original_rcpt_to);
	check_list(&r->reported_domain);
	check_list(&r->reported_uri);
}

static void
check_tree(const char *p, size_t n)
{
	struct mime_tree *t;
	struct mime_ct	 ct;
	struct buf	 b = BUF_INIT;
	size_t		 hlen, boff, i;
	bool		 body;

	if ((t = malloc(sizeof(*t))) == NULL)
		return;
	body = mime_split_header(p, n, &hlen, &boff);
	REQUIRE(hlen <= n && boff <= n && hlen <= boff);
	mime_parse(t, p, hlen, body ? p + boff : NULL, body ? n - boff : 0);
	REQUIRE(t->nparts >= 1 && t->nparts <= MIME_MAX_PARTS);
	for (i = 0; i < t->nparts; i++) {
		const struct mime_part *part = &t->parts[i];

		REQUIRE(inside(part->hdr, part->hdr_len, p, n));
		REQUIRE(inside(part->body, part->body_len, p, n));
		REQUIRE(part->depth <= MIME_MAX_DEPTH);
		REQUIRE(i == 0 ? part->parent == -1 :
		    (part->parent >= 0 && (size_t)part->parent < i));
		touch_str(part->type);
		touch_str(part->subtype);
		mime_part_ct(part, &ct);
		REQUIRE(ct.nparams <= MIME_MAX_PARAMS);
		buf_reset(&b);
		REQUIRE(mime_decode(&b, part->cte, part->body,
		    part->body_len));
		REQUIRE(b.len <= part->body_len);
	}
	buf_free(&b);
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arf_report r, again;
	char		*p;

	/* an exact-size copy: ASan sees a read one past the end */
	if ((p = malloc(size ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(p, data, size);
	if (arf_parse(&r, p, size)) {
		check_report(&r);
		REQUIRE(arf_parse(&again, p, size));
		REQUIRE(again.kind == r.kind &&
		    again.original_form == r.original_form &&
		    again.deviations.n == r.deviations.n);
		arf_report_free(&again);
	}
	arf_report_free(&r);
	check_tree(p, size);
	free(p);
	return 0;
}
